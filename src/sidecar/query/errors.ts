import type { QueryErrorBody, QueryErrorPosition } from '../../shared/query';

/** A range of the query text: `offset` is 0-based, in UTF-16 code units like JS strings. */
export interface Span {
  offset: number;
  length: number;
}

/** A query that does not lex, parse or compile: where it went wrong and what would have fitted. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
    readonly expected?: string[]
  ) {
    super(message);
  }
}

/** A name that is neither a column nor a known field: a reload of the field catalog may cure it. */
export class UnknownFieldError extends QueryError {
  /** The log types of the tables the query had named when it failed (null: every type); set by the compiler. */
  logTypes?: string[] | null;
}

export function spanBetween(start: Span, end: Span): Span {
  return { offset: start.offset, length: Math.max(0, end.offset + end.length - start.offset) };
}

/** 1-based line and column of a span in the text. */
export function positionOf(text: string, span: Span): QueryErrorPosition {
  const offset = Math.max(0, Math.min(span.offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset, length: span.length };
}

/** The 400 body for a query error; the message starts with the position when there is one. */
export function toErrorBody(text: string, err: QueryError): QueryErrorBody {
  const body: QueryErrorBody = { statusCode: 400, error: 'Bad Request', message: err.message };
  if (err.span) {
    body.position = positionOf(text, err.span);
    body.message = `line ${body.position.line}, column ${body.position.column}: ${err.message}`;
  }
  if (err.expected && err.expected.length > 0) {
    body.expected = err.expected;
  }
  return body;
}

// The field catalog can hold many thousand keys: a suggestion looks at the first candidates
// only, and fills edit-distance tables of a bounded size, so an unknown name costs a few ms.
export const SUGGESTION_CANDIDATES = 10_000;
const SUGGESTION_CELLS = 250_000;

/** Names close to `name` (edit distance, case-insensitive prefix), best first, for "did you mean". */
export function closeMatches(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let cells = SUGGESTION_CELLS;
  const scored: Array<{ candidate: string; score: number }> = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate)) {
      continue;
    }
    if (seen.add(candidate).size > SUGGESTION_CANDIDATES) {
      break;
    }
    const c = candidate.toLowerCase();
    let score = limit + 1;
    if (Math.abs(lower.length - c.length) <= Math.min(limit, 8) && cells >= lower.length * c.length) {
      cells -= lower.length * c.length;
      score = editDistance(lower, c, limit);
    }
    if (c === lower) {
      score = 0;
    } else if (c.startsWith(lower) || lower.startsWith(c) || c.endsWith(`.${lower}`)) {
      score = Math.min(score, 1);
    }
    if (score <= limit) {
      scored.push({ candidate, score });
    }
  }
  scored.sort((a, b) => a.score - b.score || a.candidate.length - b.candidate.length || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

export function didYouMean(matches: string[]): string {
  return matches.length > 0 ? ` (did you mean ${matches.map((m) => `"${m}"`).join(', ')}?)` : '';
}

/** The edit distance of `a` and `b` when at most `max`, else more than `max`. */
function editDistance(a: string, b: string, max: number): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const char = a.charCodeAt(i - 1);
    let previous = row[0];
    row[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous + (char === b.charCodeAt(j - 1) ? 0 : 1);
      const value = Math.min(substitute, row[j] + 1, row[j - 1] + 1);
      previous = row[j];
      row[j] = value;
      best = value < best ? value : best;
    }
    if (best > max) {
      return max + 1;
    }
  }
  return row[b.length];
}
