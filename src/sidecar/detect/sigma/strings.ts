import { escapeRegex } from '../../query/sql';
import { quote } from '../quote';

/** A Sigma string: literal text, `*` (any run of characters) and `?` (exactly one). */
export type Piece = { kind: 'text'; text: string } | { kind: 'any' } | { kind: 'one' };
export type Pattern = Piece[];

/**
 * Reads a Sigma string value: `*` and `?` are wildcards; a backslash escapes a wildcard or a
 * backslash; any other backslash is itself (`C:\Windows` needs no doubling).
 */
export function parseSigmaString(value: string): Pattern {
  const pieces: Pattern = [];
  let text = '';
  const flush = () => {
    if (text) {
      pieces.push({ kind: 'text', text });
      text = '';
    }
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const next = value[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      text += next;
      i++;
    } else if (c === '*' || c === '?') {
      flush();
      pieces.push({ kind: c === '*' ? 'any' : 'one' });
    } else {
      text += c;
    }
  }
  flush();
  return normalise(pieces);
}

export function literal(text: string): Pattern {
  return text ? [{ kind: 'text', text }] : [];
}

/** Merges adjacent text and runs of `*`. */
export function normalise(pattern: Pattern): Pattern {
  const out: Pattern = [];
  for (const piece of pattern) {
    const last = out[out.length - 1];
    if (piece.kind === 'text' && last?.kind === 'text') {
      out[out.length - 1] = { kind: 'text', text: last.text + piece.text };
    } else if (piece.kind === 'any' && last?.kind === 'any') {
      continue;
    } else if (piece.kind !== 'text' || piece.text !== '') {
      out.push(piece);
    }
  }
  return out;
}

export function isLiteral(pattern: Pattern): boolean {
  return pattern.every((p) => p.kind === 'text');
}

export function textOf(pattern: Pattern): string {
  return pattern.map((p) => (p.kind === 'text' ? p.text : p.kind === 'any' ? '*' : '?')).join('');
}

/** `*` around the pattern, as `contains` does (none added where one already is). */
export function anchored(pattern: Pattern, start: boolean, end: boolean): Pattern {
  return normalise([...(start ? [{ kind: 'any' } as Piece] : []), ...pattern, ...(end ? [{ kind: 'any' } as Piece] : [])]);
}

/**
 * The language condition that `target` matches the whole pattern: the cheapest operator that
 * says it (`=~`, `contains`, `startswith`, `endswith`), else an anchored RE2 expression.
 * Case-insensitive unless `cased`.
 */
export function patternCondition(target: string, pattern: Pattern, cased: boolean): string {
  const p = normalise(pattern);
  const cs = cased ? '_cs' : '';
  if (p.length === 0) {
    return `isempty(${target})`;
  }
  if (p.every((piece) => piece.kind === 'any')) {
    return `isnotempty(${target})`;
  }
  const [first, second, third] = p;
  if (p.length === 1 && first.kind === 'text') {
    return `${target} ${cased ? '==' : '=~'} ${quote(first.text)}`;
  }
  if (p.length === 3 && first.kind === 'any' && second.kind === 'text' && third.kind === 'any') {
    return `${target} contains${cs} ${quote(second.text)}`;
  }
  if (p.length === 2 && first.kind === 'text' && second.kind === 'any') {
    return `${target} startswith${cs} ${quote(first.text)}`;
  }
  if (p.length === 2 && first.kind === 'any' && second.kind === 'text') {
    return `${target} endswith${cs} ${quote(second.text)}`;
  }
  return `${target} matches regex ${quote(patternRegex(p, cased))}`;
}

/** An RE2 expression matching exactly the strings the pattern matches. */
export function patternRegex(pattern: Pattern, cased: boolean): string {
  const body = pattern.map((p) => (p.kind === 'text' ? escapeRegex(p.text) : p.kind === 'any' ? '.*' : '.')).join('');
  return `(?${cased ? '' : 'i'}s)^${body}$`;
}
