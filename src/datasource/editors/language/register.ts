import type { Monaco, monacoTypes } from '@grafana/ui';
import { complete, type CompletionKind, type CompletionSource } from './completion';
import { LANGUAGE_ID, languageConfiguration, monarchLanguage } from './monarch';

/** Registers the language once per page (Monaco's registry is global). */
export function registerLanguage(monaco: Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === LANGUAGE_ID)) {
    return;
  }
  monaco.languages.register({ id: LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(LANGUAGE_ID, monarchLanguage);
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, languageConfiguration);
}

function completionKind(monaco: Monaco, kind: CompletionKind): monacoTypes.languages.CompletionItemKind {
  const k = monaco.languages.CompletionItemKind;
  const kinds: Record<CompletionKind, monacoTypes.languages.CompletionItemKind> = {
    table: k.Class,
    stage: k.Keyword,
    field: k.Field,
    function: k.Function,
    aggregate: k.Function,
    operator: k.Operator,
    keyword: k.Keyword,
    variable: k.Variable,
    value: k.Value,
  };
  return kinds[kind];
}

/** Completion for one editor: answers only for its own model, so several editors can coexist. */
export function registerCompletion(monaco: Monaco, editor: monacoTypes.editor.IStandaloneCodeEditor, source: CompletionSource): monacoTypes.IDisposable {
  return monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: ['|', ' ', '"', '$', '(', ','],
    async provideCompletionItems(model, position) {
      if (model.id !== editor.getModel()?.id) {
        return { suggestions: [] };
      }
      const textBefore = model.getValueInRange({ startLineNumber: 1, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const completions = await complete(textBefore, source);
      const endOffset = model.getOffsetAt(position);
      return {
        suggestions: completions.map((c, i) => {
          const start = model.getPositionAt(endOffset - c.replace);
          return {
            label: c.label,
            kind: completionKind(monaco, c.kind),
            detail: c.detail,
            insertText: c.insertText,
            insertTextRules: c.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
            sortText: String(i).padStart(5, '0'),
            range: { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: position.lineNumber, endColumn: position.column },
          };
        }),
      };
    },
  });
}

/** Marks the compiler's error at its line and column (the word there, or one character). */
export function markError(monaco: Monaco, model: monacoTypes.editor.ITextModel, error: { line: number; column: number; message: string } | undefined): void {
  if (!error) {
    monaco.editor.setModelMarkers(model, LANGUAGE_ID, []);
    return;
  }
  const line = Math.min(Math.max(1, error.line), model.getLineCount());
  const word = model.getWordAtPosition({ lineNumber: line, column: error.column });
  const endColumn = word && word.startColumn === error.column ? word.endColumn : error.column + 1;
  monaco.editor.setModelMarkers(model, LANGUAGE_ID, [
    { severity: monaco.MarkerSeverity.Error, message: error.message, startLineNumber: line, startColumn: error.column, endLineNumber: line, endColumn },
  ]);
}
