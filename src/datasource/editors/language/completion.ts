import {
  LANGUAGE_AGGREGATES,
  LANGUAGE_BUILTIN_VARIABLES,
  LANGUAGE_FUNCTIONS,
  LANGUAGE_JOIN_KINDS,
  LANGUAGE_KEYWORDS,
  LANGUAGE_STAGES,
  LANGUAGE_VISUALIZATIONS,
  LANGUAGE_WORD_OPERATORS,
  type LanguageItem,
} from '../../../shared/language';
import type { TableInfo } from '../../../shared/query';
import { fieldRef, stringLiteral } from '../../text/literals';
import { scanQuery } from '../../text/scan';

export type CompletionKind = 'table' | 'stage' | 'field' | 'function' | 'aggregate' | 'operator' | 'keyword' | 'variable' | 'value';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  insertText: string;
  /** insertText is a Monaco snippet. */
  snippet?: boolean;
  /** How many characters before the cursor the completion replaces. */
  replace: number;
}

/** What completion needs from the sidecar. */
export interface CompletionSource {
  tables(): Promise<TableInfo[]>;
  /** Most frequent values of a field in the current time range. */
  values(field: string, table: string): Promise<string[]>;
  /** Dashboard variable names, without `$`. */
  variables(): string[];
}

const COMPARISON = String.raw`==|!=|=~|!~|!?has(?:_cs)?|!?contains(?:_cs)?|!?startswith(?:_cs)?|!?endswith(?:_cs)?`;
const FIELD = String.raw`(` + '`[^`]+`' + String.raw`|[A-Za-z_][\w.]*)`;
const LIST_SO_FAR = String.raw`(?:\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*,)*`;
/** `field == `, `field has "`, `field in ("a", ` ... right before the value being typed. */
const VALUE_CONTEXT = new RegExp(`${FIELD}\\s*(?:(?:${COMPARISON})\\s*|!?in~?\\s*\\(${LIST_SO_FAR}\\s*)$`);

interface CursorState {
  /** Offset where an unterminated string starts, if the cursor is inside one. */
  openString?: number;
  inComment: boolean;
}

function cursorState(text: string): CursorState {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) {
        return { inComment: true };
      }
      i = eol + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        j += text[j] === '\\' ? 2 : 1;
      }
      if (j >= text.length) {
        return { openString: i, inComment: false };
      }
      i = j + 1;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      i = end < 0 ? text.length : end + 1;
    } else {
      i++;
    }
  }
  return { inComment: false };
}

const items = (list: readonly LanguageItem[], kind: CompletionKind, replace: number): Completion[] =>
  list.map((item) => ({ label: item.name, kind, detail: item.detail, insertText: item.snippet ?? item.name, snippet: Boolean(item.snippet), replace }));

function currentTable(text: string, tables: TableInfo[]): TableInfo | undefined {
  const { source } = scanQuery(text);
  const named = tables.find((t) => t.name.toLowerCase() === source);
  return named ?? tables.find((t) => t.name === 'events');
}

/** The stage the cursor is in: the keyword after the last top-level pipe, or the source. */
function currentStage(text: string): string {
  const scan = scanQuery(text);
  return scan.pipes.length > 0 ? scan.pipes[scan.pipes.length - 1].stage : scan.source;
}

async function valueCompletions(source: CompletionSource, table: TableInfo | undefined, field: string, typed: string, replace: number): Promise<Completion[]> {
  const values = await source.values(field.replace(/^`|`$/g, ''), table?.name ?? 'events');
  const needle = typed.toLowerCase();
  return values
    .filter((v) => v.toLowerCase().includes(needle))
    .map((v) => ({ label: v, kind: 'value' as const, detail: `value of ${field}`, insertText: stringLiteral(v), replace }));
}

/** Completions at the end of `textBefore` (the query up to the cursor). */
export async function complete(textBefore: string, source: CompletionSource): Promise<Completion[]> {
  const state = cursorState(textBefore);
  if (state.inComment) {
    return [];
  }
  const tables = await source.tables();
  const table = currentTable(textBefore, tables);

  if (state.openString !== undefined) {
    const match = VALUE_CONTEXT.exec(textBefore.slice(0, state.openString));
    if (!match) {
      return [];
    }
    const typed = textBefore.slice(state.openString + 1);
    return valueCompletions(source, table, match[1], typed, textBefore.length - state.openString);
  }

  const word = /[A-Za-z0-9_.$@~!-]*$/.exec(textBefore)?.[0] ?? '';
  const before = textBefore.slice(0, textBefore.length - word.length);
  const trimmed = before.replace(/\s+$/, '');
  const replace = word.length;

  const stageText = textBefore.slice(textBefore.lastIndexOf('|') + 1);
  if (word.startsWith('$') && /^\s*(join|lookup)\b[\s\S]*\bon\b/.test(stageText)) {
    return [
      { label: '$left', kind: 'keyword', detail: "a column of the join's left side: $left.column", insertText: '$left.', replace },
      { label: '$right', kind: 'keyword', detail: "a column of the join's right side: $right.column", insertText: '$right.', replace },
    ];
  }
  if (word.startsWith('$')) {
    return [
      ...LANGUAGE_BUILTIN_VARIABLES.map((v) => ({ label: v.name, kind: 'variable' as const, detail: v.detail, insertText: v.name, replace })),
      ...source
        .variables()
        .map((name) => ({ label: `$${name}`, kind: 'variable' as const, detail: 'dashboard variable, bound as a parameter', insertText: `$${name}`, replace })),
    ];
  }
  if (trimmed.endsWith('|')) {
    return items(LANGUAGE_STAGES, 'stage', replace);
  }
  if (trimmed === '' || trimmed.endsWith(';') || /\blet\s+[A-Za-z_]\w*\s*=$/.test(trimmed)) {
    return [
      ...tables.map((t) => ({ label: t.name, kind: 'table' as const, detail: t.logType ? `${t.logType} events` : 'every event', insertText: t.name, replace })),
      { label: 'search', kind: 'stage', detail: 'free-text search over every event', insertText: 'search ${1:"term"}', snippet: true, replace },
      { label: 'let', kind: 'keyword', detail: 'let name = value or pipeline;', insertText: 'let ${1:name} = ${2:value};', snippet: true, replace },
    ];
  }
  // Where a join, lookup or union names another table.
  if (/\b(join|lookup)(\s+kind\s*=\s*\w+)?\s*\(?$/.test(trimmed) || /(^|\|)\s*union\b(\s+\w+\s*=\s*\w+)*(\s*[\w*]+\s*,)*$/.test(trimmed)) {
    return tables.map((t) => ({
      label: t.name,
      kind: 'table' as const,
      detail: t.logType ? `${t.logType} events` : 'every event',
      insertText: t.name,
      replace,
    }));
  }
  if (/\b(join|lookup)\s+kind\s*=$/.test(trimmed)) {
    return LANGUAGE_JOIN_KINDS.map((k) => ({
      label: k,
      kind: 'keyword' as const,
      detail: k === 'innerunique' ? "KQL's default" : undefined,
      insertText: k,
      replace,
    }));
  }
  if (/(^|\|)\s*render$/.test(trimmed)) {
    return LANGUAGE_VISUALIZATIONS.map((v) => ({ label: v, kind: 'keyword' as const, insertText: v, replace }));
  }
  const valueMatch = VALUE_CONTEXT.exec(before);
  if (valueMatch) {
    const values = await valueCompletions(source, table, valueMatch[1], word, replace);
    if (values.length > 0) {
      return values;
    }
  }

  const fields: Completion[] = (table?.fields ?? []).map((f) => ({ label: f.name, kind: 'field', detail: f.type, insertText: fieldRef(f.name), replace }));
  const stage = currentStage(textBefore);
  const afterValue = /(["'\d)\]]|\b(?:true|false|null))$/.test(trimmed);
  if (afterValue) {
    return ['and', 'or', 'by', 'asc', 'desc'].map((k) => ({ label: k, kind: 'keyword' as const, insertText: k, replace }));
  }
  const operators = LANGUAGE_WORD_OPERATORS.map((op) => ({ label: op, kind: 'operator' as const, insertText: op, replace }));
  const keywords = LANGUAGE_KEYWORDS.map((k) => ({ label: k, kind: 'keyword' as const, insertText: k, replace }));
  const functions = items(LANGUAGE_FUNCTIONS, 'function', replace);
  if (stage === 'summarize' && !/\bby\b/.test(textBefore.slice(textBefore.lastIndexOf('|')))) {
    return [...items(LANGUAGE_AGGREGATES, 'aggregate', replace), ...fields, ...functions, ...keywords];
  }
  return [...fields, ...functions, ...operators, ...keywords];
}
