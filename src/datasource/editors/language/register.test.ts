import type { Monaco, monacoTypes } from '@grafana/ui';
import { fields } from '../../../__fixtures__/sidecar';
import { LANGUAGE_ID } from './monarch';
import { markError, registerCompletion, registerLanguage } from './register';

type Provider = monacoTypes.languages.CompletionItemProvider;

/** The parts of Monaco the registration uses, recording what it is given. */
function fakeMonaco() {
  const languages: Array<{ id: string }> = [];
  const providers: Provider[] = [];
  const markers: unknown[][] = [];
  const monaco = {
    languages: {
      getLanguages: () => languages,
      register: (l: { id: string }) => languages.push(l),
      setMonarchTokensProvider: jest.fn(),
      setLanguageConfiguration: jest.fn(),
      registerCompletionItemProvider: (_id: string, p: Provider) => {
        providers.push(p);
        return { dispose: () => providers.splice(providers.indexOf(p), 1) };
      },
      CompletionItemKind: { Class: 1, Keyword: 2, Field: 3, Function: 4, Operator: 5, Variable: 6, Value: 7 },
      CompletionItemInsertTextRule: { InsertAsSnippet: 4 },
    },
    editor: { setModelMarkers: (_model: unknown, _owner: string, m: unknown[]) => markers.push(m) },
    MarkerSeverity: { Error: 8 },
  };
  return { monaco: monaco as unknown as Monaco, languages, providers, markers };
}

function fakeModel(id: string, text: string) {
  const offsetAt = (p: { lineNumber: number; column: number }) =>
    text
      .split('\n')
      .slice(0, p.lineNumber - 1)
      .reduce((n, l) => n + l.length + 1, 0) +
    p.column -
    1;
  return {
    id,
    getLineCount: () => text.split('\n').length,
    getValueInRange: (r: { endLineNumber: number; endColumn: number }) => text.slice(0, offsetAt({ lineNumber: r.endLineNumber, column: r.endColumn })),
    getOffsetAt: offsetAt,
    getPositionAt: (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return { lineNumber: before.length, column: before[before.length - 1].length + 1 };
    },
    getWordAtPosition: (p: { lineNumber: number; column: number }) => {
      const line = text.split('\n')[p.lineNumber - 1];
      const match = /^[\w-]+/.exec(line.slice(p.column - 1));
      return match ? { word: match[0], startColumn: p.column, endColumn: p.column + match[0].length } : null;
    },
  } as unknown as monacoTypes.editor.ITextModel;
}

describe('Monaco integration', () => {
  it('registers the language once per page', () => {
    const { monaco, languages } = fakeMonaco();
    registerLanguage(monaco);
    registerLanguage(monaco);
    expect(languages).toEqual([{ id: LANGUAGE_ID }]);
    expect(monaco.languages.setMonarchTokensProvider).toHaveBeenCalledTimes(1);
  });

  it('completes for its own editor only, replacing the word being typed', async () => {
    const { monaco, providers } = fakeMonaco();
    const model = fakeModel('m1', 'CloudTrail\n| whe');
    const editor = { getModel: () => model } as unknown as monacoTypes.editor.IStandaloneCodeEditor;
    const source = { tables: async () => fields.tables, values: async () => [], variables: () => [] };
    const registration = registerCompletion(monaco, editor, source);
    const position = { lineNumber: 2, column: 6 } as monacoTypes.Position;
    const result = (await providers[0].provideCompletionItems(model, position, {} as never, {} as never)) as monacoTypes.languages.CompletionList;
    const where = result.suggestions.find((s) => s.label === 'where')!;
    expect(where).toMatchObject({
      insertText: 'where ${1:condition}',
      insertTextRules: 4,
      range: { startLineNumber: 2, startColumn: 3, endLineNumber: 2, endColumn: 6 },
    });
    const other = (await providers[0].provideCompletionItems(fakeModel('m2', 'x'), position, {} as never, {} as never)) as monacoTypes.languages.CompletionList;
    expect(other.suggestions).toEqual([]);
    registration.dispose();
    expect(providers).toHaveLength(0);
  });

  it("marks the compiler's error at its line and column, over the word there", () => {
    const { monaco, markers } = fakeMonaco();
    const model = fakeModel('m1', 'CloudTrail\n| whre x');
    markError(monaco, model, { line: 2, column: 3, message: 'unknown operator "whre"' });
    expect(markers[0]).toEqual([{ severity: 8, message: 'unknown operator "whre"', startLineNumber: 2, startColumn: 3, endLineNumber: 2, endColumn: 7 }]);
    markError(monaco, model, undefined);
    expect(markers[1]).toEqual([]);
  });
});
