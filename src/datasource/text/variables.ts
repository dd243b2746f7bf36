import type { ScopedVars } from '@grafana/data';
import type { QueryRequest } from '../../shared/query';
import type { Edit } from './edits';
import { stringLiteral } from './literals';
import { scanQuery, type ScannedQuery } from './scan';

export type VariableValues = NonNullable<QueryRequest['variables']>;

/** Variables the sidecar defines itself from the request. */
const BUILTIN = new Set(['__interval', '__interval_ms', '__from', '__to']);

/** The part of Grafana's TemplateSrv the data source uses. */
export interface VariableSource {
  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string;
}

/** `${name}` and `${name:format}` become `$name`: values are bound, never formatted into the text. */
export function bracedVariableEdits(scan: ScannedQuery): Edit[] {
  return scan.variables.filter((v) => v.braced).map((v) => ({ start: v.start, end: v.end, text: `$${v.name}` }));
}

export function referencedVariables(scan: ScannedQuery): string[] {
  return [...new Set(scan.variables.map((v) => v.name).filter((name) => !BUILTIN.has(name)))];
}

function asValue(raw: unknown): string | string[] | undefined {
  if (Array.isArray(raw)) {
    return raw.map((v) => String(v));
  }
  if (raw === undefined || raw === null) {
    return undefined;
  }
  return String(raw);
}

/**
 * The current value of each named dashboard variable (panel-scoped values first), as Grafana
 * resolves it: a string, or a list for multi-value and "All". Names Grafana does not know are
 * left out, so the sidecar reports them as unknown variables.
 */
export function resolveVariables(names: string[], scopedVars: ScopedVars | undefined, source: VariableSource): VariableValues {
  const values: VariableValues = {};
  for (const name of names) {
    let value: string | string[] | undefined;
    let called = false;
    source.replace(`\${${name}}`, scopedVars, (raw: unknown) => {
      called = true;
      value = asValue(raw);
      return '';
    });
    if (called && value !== undefined) {
      values[name] = value;
    }
  }
  return values;
}

function literalOf(value: string | number | string[]): string {
  if (Array.isArray(value)) {
    return `dynamic([${value.map(stringLiteral).join(', ')}])`;
  }
  return typeof value === 'number' ? String(value) : stringLiteral(value);
}

/** The query with dashboard variables written in as literals (for Explore, which has no variables). */
export function inlineVariables(text: string, values: VariableValues): string {
  const edits = scanQuery(text)
    .variables.filter((v) => values[v.name] !== undefined)
    .map((v) => ({ start: v.start, end: v.end, text: literalOf(values[v.name]) }));
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += text.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + text.slice(at);
}
