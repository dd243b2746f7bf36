import { QueryError, type Span } from './errors';
import { TIMESPAN_UNITS } from './timespan';

export type TokenKind = 'ident' | 'quotedIdent' | 'string' | 'number' | 'timespan' | 'variable' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, decoded string, number text, variable name (no `$`) or operator text. */
  value: string;
  /** Milliseconds, for timespans. */
  millis?: number;
  span: Span;
}

const OPERATORS = [
  '..',
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=~',
  '!~',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '.',
  ';',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  ':',
  '~',
];
const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string) => isIdentStart(c) || isDigit(c);

/** Scans the query on demand, so the parser can hand the rest of a `search` stage to its own scanner. */
export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  /** Where the next token would start scanning (before skipping whitespace). */
  get position(): number {
    return this.peeked ? this.peeked.span.offset : this.pos;
  }

  /** Continues scanning from `offset` (used after a sub-scanner consumed part of the text). */
  seek(offset: number): void {
    this.pos = offset;
    this.peeked = undefined;
  }

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  /** Skips whitespace and `//` comments from `offset`; returns the offset of the next real character. */
  skipTrivia(offset: number): number {
    const text = this.text;
    let i = offset;
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        i++;
      } else if (c === '/' && text[i + 1] === '/') {
        while (i < text.length && text[i] !== '\n') {
          i++;
        }
      } else {
        break;
      }
    }
    return i;
  }

  private scan(): Token {
    const text = this.text;
    const start = this.skipTrivia(this.pos);
    this.pos = start;
    if (start >= text.length) {
      return { kind: 'eof', value: '', span: { offset: text.length, length: 0 } };
    }
    const c = text[start];
    if (
      (c === 'h' || c === 'H') &&
      (text[start + 1] === '"' || text[start + 1] === "'" || (text[start + 1] === '@' && (text[start + 2] === '"' || text[start + 2] === "'")))
    ) {
      // An obfuscated string (h"...", h@'...'): KQL hides it from logs; here it is a plain string.
      const verbatim = text[start + 1] === '@';
      return this.string(start, start + (verbatim ? 2 : 1), verbatim);
    }
    if (isIdentStart(c)) {
      return this.take('ident', this.readWhile(start, isIdentPart), start);
    }
    if (isDigit(c)) {
      return this.number(start);
    }
    if (c === '"' || c === "'") {
      return this.string(start, start, false);
    }
    if (c === '@' && (text[start + 1] === '"' || text[start + 1] === "'")) {
      return this.string(start, start + 1, true);
    }
    if (c === '`') {
      const end = text.indexOf('`', start + 1);
      if (end < 0 || text.slice(start + 1, end).includes('\n')) {
        throw new QueryError('unterminated `quoted name`', { offset: start, length: 1 }, ['`']);
      }
      if (end === start + 1) {
        throw new QueryError('empty `quoted name`', { offset: start, length: 2 });
      }
      this.pos = end + 1;
      return { kind: 'quotedIdent', value: text.slice(start + 1, end), span: { offset: start, length: end + 1 - start } };
    }
    if (c === '$') {
      const name = isIdentStart(text[start + 1] ?? '') ? this.readWhile(start + 1, isIdentPart) : '';
      if (!name) {
        throw new QueryError('expected a variable name after "$"', { offset: start, length: 1 }, ['$name']);
      }
      this.pos = start + 1 + name.length;
      return { kind: 'variable', value: name, span: { offset: start, length: name.length + 1 } };
    }
    if (c === '!' && isIdentStart(text[start + 1] ?? '')) {
      const word = this.readWhile(start + 1, isIdentPart);
      return this.take('op', `!${word}`, start);
    }
    if (c === '/' && text[start + 1] === '*') {
      throw new QueryError('"/*" comments are not supported: comments start with //', { offset: start, length: 2 }, ['//']);
    }
    const op = OPERATORS.find((o) => text.startsWith(o, start));
    if (op) {
      return this.take('op', op, start);
    }
    const shown = c === '\\' ? 'a backslash' : JSON.stringify(c);
    throw new QueryError(`unexpected character ${shown}`, { offset: start, length: 1 });
  }

  private take(kind: TokenKind, value: string, start: number, length = value.length): Token {
    this.pos = start + length;
    return { kind, value, span: { offset: start, length } };
  }

  private readWhile(start: number, test: (c: string) => boolean): string {
    let i = start;
    while (i < this.text.length && test(this.text[i])) {
      i++;
    }
    return this.text.slice(start, i);
  }

  private number(start: number): Token {
    const text = this.text;
    let i = start + this.readWhile(start, isDigit).length;
    if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
      i = i + 1 + this.readWhile(i + 1, isDigit).length;
    }
    if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1] ?? '') || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2] ?? '')))) {
      i = i + 2 + this.readWhile(i + 2, isDigit).length;
    }
    const digits = text.slice(start, i);
    if (isIdentStart(text[i] ?? '')) {
      const unit = this.readWhile(i, isIdentPart);
      const factor = TIMESPAN_UNITS[unit];
      if (factor === undefined) {
        throw new QueryError(`unknown timespan unit "${unit}"`, { offset: i, length: unit.length }, ['d', 'h', 'm', 's', 'ms']);
      }
      this.pos = i + unit.length;
      const span = { offset: start, length: i + unit.length - start };
      return { kind: 'timespan', value: text.slice(start, this.pos), millis: Math.round(Number(digits) * factor), span };
    }
    this.pos = i;
    return { kind: 'number', value: digits, span: { offset: start, length: i - start } };
  }

  private string(start: number, quoteAt: number, verbatim: boolean): Token {
    const text = this.text;
    const quote = text[quoteAt];
    let value = '';
    let i = quoteAt + 1;
    for (;;) {
      if (i >= text.length || text[i] === '\n') {
        throw new QueryError('unterminated string', { offset: start, length: i - start }, [quote]);
      }
      const c = text[i];
      if (c === quote) {
        if (verbatim && text[i + 1] === quote) {
          value += quote;
          i += 2;
          continue;
        }
        break;
      }
      if (c === '\\' && !verbatim) {
        const e = text[i + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        const decoded = ESCAPES[e];
        if (decoded === undefined) {
          throw new QueryError(
            `unknown escape "\\${e}" in string (use \\\\ for a backslash)`,
            { offset: i, length: 2 },
            Object.keys(ESCAPES).map((k) => `\\${k}`)
          );
        }
        value += decoded;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    return { kind: 'string', value, span: { offset: start, length: i + 1 - start } };
  }
}

/** `{TimeRange:start}`, `{Workspace}`, `{{StartTimeISO}}`: parameters a Sentinel workbook fills in before running a query. */
export function workbookPlaceholder(text: string, start: number): QueryError {
  const match = /^\{\{?[A-Za-z_][A-Za-z0-9_:.\- ]*\}?\}/.exec(text.slice(start, start + 200));
  if (match) {
    return new QueryError(
      `${match[0]} is Sentinel workbook syntax (a parameter the workbook fills in), not part of the query language: replace it with a value, or with a variable such as $__from`,
      { offset: start, length: match[0].length },
      ['$__from', '$__to', '$__interval']
    );
  }
  return new QueryError('unexpected character "{"', { offset: start, length: 1 });
}
