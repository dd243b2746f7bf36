import { COMPARE_OPS, type SearchExpr } from './ast';
import { QueryError, spanBetween, type Span } from './errors';
import { Lexer } from './lexer';
import { MAX_DEPTH, ParseBudget, tooDeep } from './limits';

type SearchToken =
  | { kind: 'word'; text: string; span: Span }
  | { kind: 'quoted'; text: string; span: Span }
  | { kind: 'op'; text: string; span: Span }
  | { kind: 'end'; span: Span };

const WORD_STOP = new Set([' ', '\t', '\n', '\r', '(', ')', '"', "'", '|', ';', '<', '>', '=', '!']);
const CMP = ['==', '!=', '<=', '>=', '<', '>'];
const FIELD_WORD = /^(`[^`]+`|[A-Za-z_][A-Za-z0-9_.@-]*):(.*)$/s;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.@-]*$/;

export interface SearchParse {
  expr: SearchExpr;
  caseSensitive: boolean;
  /** Offset where the search text ended: a `|`, `;`, an unmatched `)` or the end. */
  end: number;
}

/**
 * Parses the Lucene-style text of a `search` stage, starting at `start`: words, "phrases",
 * `field:value`, `field > 5`, wildcards (`adm*`), and/or/not, parentheses. Adjacent terms
 * are ANDed. It has its own scanner because words like `192.0.2.110`, `arn:aws:iam::1:root`
 * or `BATCH.DELETE.OBJECT` are single terms here.
 */
export function parseSearch(text: string, start: number, budget = new ParseBudget()): SearchParse {
  return new SearchParser(text, start, budget).parse();
}

class SearchParser {
  private pos: number;
  private peeked: SearchToken | undefined;
  private depth = 0;
  /** Open parentheses: a `)` beyond them ends the search (it closes a `let x = (...)`). */
  private parens = 0;

  constructor(
    private readonly text: string,
    start: number,
    private readonly budget: ParseBudget
  ) {
    this.pos = start;
  }

  parse(): SearchParse {
    let caseSensitive = false;
    const first = this.peek();
    if (first.kind === 'word' && first.text === 'kind') {
      this.next();
      const eq = this.next();
      const value = this.next();
      if (eq.kind !== 'op' || eq.text !== '=' || value.kind !== 'word' || (value.text !== 'case_sensitive' && value.text !== 'case_insensitive')) {
        throw new QueryError('expected kind=case_sensitive or kind=case_insensitive', spanBetween(first.span, value.span), [
          'kind=case_sensitive',
          'kind=case_insensitive',
        ]);
      }
      caseSensitive = value.text === 'case_sensitive';
    }
    const expr = this.or();
    const end = this.peek();
    if (end.kind !== 'end') {
      throw new QueryError(
        `unexpected "${end.kind === 'op' ? end.text : this.text.slice(end.span.offset, end.span.offset + end.span.length)}" in search`,
        end.span,
        ['a term', 'and', 'or', 'not', '|']
      );
    }
    return { expr, caseSensitive, end: end.span.offset };
  }

  private or(): SearchExpr {
    let left = this.and();
    while (this.isKeyword('or')) {
      this.next();
      const right = this.and();
      left = this.node({ kind: 'or', left, right, span: spanBetween(left.span, right.span) });
    }
    return left;
  }

  private and(): SearchExpr {
    let left = this.unary();
    for (;;) {
      if (this.isKeyword('and')) {
        this.next();
      } else if (!this.startsTerm()) {
        return left;
      }
      const right = this.unary();
      left = this.node({ kind: 'and', left, right, span: spanBetween(left.span, right.span) });
    }
  }

  private startsTerm(): boolean {
    const token = this.peek();
    return token.kind === 'quoted' || (token.kind === 'op' && token.text === '(') || (token.kind === 'word' && !this.isKeyword('or'));
  }

  private unary(): SearchExpr {
    if (++this.depth > MAX_DEPTH) {
      throw tooDeep('search', this.peek().span);
    }
    try {
      if (this.isKeyword('not')) {
        const start = this.next().span;
        const operand = this.unary();
        return this.node({ kind: 'not', operand, span: spanBetween(start, operand.span) });
      }
      return this.primary();
    } finally {
      this.depth--;
    }
  }

  private primary(): SearchExpr {
    const token = this.next();
    if (token.kind === 'quoted') {
      return this.node({ kind: 'term', text: token.text, quoted: true, span: token.span });
    }
    if (token.kind === 'op' && token.text === '(') {
      const inner = this.or();
      const close = this.next();
      if (close.kind !== 'op' || close.text !== ')') {
        throw this.unexpected(close, [')']);
      }
      return { ...inner, span: spanBetween(token.span, close.span) };
    }
    if (token.kind !== 'word') {
      throw this.unexpected(token, ['a word', 'a "quoted phrase"', 'field:value', '(']);
    }
    const next = this.peek();
    if (next.kind === 'op' && CMP.includes(next.text)) {
      if (!FIELD_NAME.test(token.text)) {
        throw new QueryError(`"${token.text}" is not a field name`, token.span, ['a field name']);
      }
      this.next();
      const value = this.next();
      if (value.kind !== 'word' && value.kind !== 'quoted') {
        throw this.unexpected(value, ['a value']);
      }
      const op = next.text as (typeof COMPARE_OPS)[number];
      return this.node({
        kind: 'compare',
        name: token.text,
        nameSpan: token.span,
        op,
        value: value.text,
        quoted: value.kind === 'quoted',
        span: spanBetween(token.span, value.span),
      });
    }
    const field = FIELD_WORD.exec(token.text);
    if (field) {
      const name = field[1].startsWith('`') ? field[1].slice(1, -1) : field[1];
      const nameSpan = { offset: token.span.offset, length: field[1].length };
      if (field[2] !== '') {
        return this.node({ kind: 'field', name, nameSpan, value: field[2], quoted: false, text: token.text, span: token.span });
      }
      const value = this.peek();
      if (value.kind === 'quoted') {
        this.next();
        return this.node({ kind: 'field', name, nameSpan, value: value.text, quoted: true, text: token.text, span: spanBetween(token.span, value.span) });
      }
      throw new QueryError(`expected a value after "${token.text}"`, token.span, ['field:value', 'field:"quoted value"']);
    }
    return this.node({ kind: 'term', text: token.text, quoted: false, span: token.span });
  }

  private node<T extends SearchExpr>(expr: T): T {
    this.budget.node(expr.span);
    return expr;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private unexpected(token: SearchToken, expected: string[]): QueryError {
    const found =
      token.kind === 'end' ? 'the search ends here' : `unexpected "${this.text.slice(token.span.offset, token.span.offset + Math.min(40, token.span.length))}"`;
    return new QueryError(`${found}: expected ${expected.join(' or ')}`, token.span, expected);
  }

  private peek(): SearchToken {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  private next(): SearchToken {
    const token = this.peek();
    if (token.kind !== 'end') {
      this.peeked = undefined;
    }
    return token;
  }

  private scan(): SearchToken {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      while (i < text.length && ' \t\r\n'.includes(text[i])) {
        i++;
      }
      if (text.startsWith('//', i)) {
        while (i < text.length && text[i] !== '\n') {
          i++;
        }
        continue;
      }
      break;
    }
    const c = text[i];
    if (i >= text.length || c === '|' || c === ';' || (c === ')' && this.parens === 0)) {
      this.pos = i;
      return { kind: 'end', span: { offset: i, length: 0 } };
    }
    if (c === '"' || c === "'" || (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))) {
      const lexer = new Lexer(text);
      lexer.seek(i);
      const token = lexer.next();
      this.pos = token.span.offset + token.span.length;
      return { kind: 'quoted', text: token.value, span: token.span };
    }
    const op = ['==', '!=', '<=', '>=', '<', '>', '=', '(', ')'].find((o) => text.startsWith(o, i));
    if (op) {
      this.pos = i + op.length;
      this.parens += op === '(' ? 1 : op === ')' ? -1 : 0;
      return { kind: 'op', text: op, span: { offset: i, length: op.length } };
    }
    if (c === '!') {
      throw new QueryError('unexpected "!" in search: negate a term with not', { offset: i, length: 1 }, ['not']);
    }
    let end = i;
    while (end < text.length && (!WORD_STOP.has(text[end]) || (text[end] === '!' && text[end + 1] !== '='))) {
      if (text[end] === '`') {
        const close = text.indexOf('`', end + 1);
        end = close < 0 ? text.length : close + 1;
        continue;
      }
      end++;
    }
    this.pos = end;
    return { kind: 'word', text: text.slice(i, end), span: { offset: i, length: end - i } };
  }
}
