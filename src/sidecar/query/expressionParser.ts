import { COMPARE_OPS, LIST_OPS, STRING_OPS, type CompareOp, type Expr, type ListOp } from './ast';
import { QueryError, spanBetween, type Span } from './errors';
import { Lexer, workbookPlaceholder, type Token } from './lexer';
import { checkTimespan, MAX_DEPTH, ParseBudget, tooDeep } from './limits';

const COMPARISON_WORDS = new Set<string>([...STRING_OPS.filter((o) => !o.includes(' ')), ...LIST_OPS, 'between', '!between', 'matches']);
const OPERATOR_HINT = ['==', '!=', '<', '>', '=~', 'has', 'contains', 'startswith', 'endswith', 'in', 'between', 'matches regex', 'and', 'or'];

/** The expression half of the parser and the token helpers; `Parser` adds statements and stages. */
export class ExpressionParser {
  protected readonly lexer: Lexer;
  protected readonly budget = new ParseBudget();
  private depth = 0;

  constructor(protected readonly text: string) {
    this.lexer = new Lexer(text);
  }

  protected list<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isOp(',')) {
      this.lexer.next();
      items.push(item());
    }
    return items;
  }

  // Expressions, lowest precedence first: or, and, not, comparison, + -, * / %, unary -, postfix.

  expr(): Expr {
    if (++this.depth > MAX_DEPTH) {
      throw tooDeep('query', this.lexer.peek().span);
    }
    try {
      return this.binary('or', () => this.binary('and', () => this.not()));
    } finally {
      this.depth--;
    }
  }

  private binary(op: 'or' | 'and', operand: () => Expr): Expr {
    let left = operand();
    while (this.isWord(op)) {
      this.lexer.next();
      const right = operand();
      left = this.node({ kind: 'binary', op, left, right, span: spanBetween(left.span, right.span) });
    }
    return left;
  }

  private not(): Expr {
    if (this.isWord('not')) {
      const start = this.lexer.next().span;
      if (++this.depth > MAX_DEPTH) {
        throw tooDeep('query', start);
      }
      try {
        const operand = this.not();
        return this.node({ kind: 'unary', op: 'not', operand, span: spanBetween(start, operand.span) });
      } finally {
        this.depth--;
      }
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const left = this.additive();
    const token = this.lexer.peek();
    const word = token.kind === 'ident' || (token.kind === 'op' && token.value.startsWith('!') && token.value.length > 2) ? token.value : undefined;
    if (token.kind === 'op' && ((COMPARE_OPS as readonly string[]).includes(token.value) || token.value === '<>')) {
      this.lexer.next();
      const right = this.additive();
      const op = (token.value === '<>' ? '!=' : token.value) as CompareOp;
      return this.node({
        kind: 'compare',
        op,
        left,
        right,
        opSpan: token.span,
        span: spanBetween(left.span, right.span),
      });
    }
    if (word === undefined || !COMPARISON_WORDS.has(word)) {
      if (token.kind === 'op' && token.value.startsWith('!') && token.value.length > 1 && token.value !== '!=' && token.value !== '!~') {
        throw new QueryError(`unknown operator "${token.value}"`, token.span, ['!has', '!contains', '!startswith', '!endswith', '!in', '!between']);
      }
      return left;
    }
    this.lexer.next();
    let op = word;
    let opSpan = token.span;
    if ((word === 'in' || word === '!in') && this.text[token.span.offset + token.span.length] === '~') {
      this.lexer.next();
      op = `${word}~`;
      opSpan = { offset: token.span.offset, length: token.span.length + 1 };
    }
    if (op === 'matches') {
      const regex = this.lexer.next();
      if (regex.kind !== 'ident' || regex.value !== 'regex') {
        throw this.unexpected(regex, ['regex']);
      }
      opSpan = spanBetween(token.span, regex.span);
      const right = this.additive();
      return this.node({
        kind: 'compare',
        op: 'matches regex',
        left,
        right,
        opSpan,
        span: spanBetween(left.span, right.span),
      });
    }
    if (op === 'between' || op === '!between') {
      this.expectOp('(');
      const low = this.additive();
      this.expectOp('..');
      const high = this.additive();
      const end = this.expectOp(')');
      return this.node({
        kind: 'between',
        negated: op === '!between',
        left,
        low,
        high,
        opSpan,
        span: spanBetween(left.span, end),
      });
    }
    if ((LIST_OPS as readonly string[]).includes(op)) {
      this.expectOp('(');
      const items = this.list(() => this.tabularValue() ?? this.expr());
      const end = this.expectOp(')');
      return this.node({ kind: 'list', op: op as ListOp, left, items, opSpan, span: spanBetween(left.span, end) });
    }
    const right = this.additive();
    return this.node({
      kind: 'compare',
      op: op as CompareOp,
      left,
      right,
      opSpan,
      span: spanBetween(left.span, right.span),
    });
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.lexer.next().value as '+' | '-';
      const right = this.multiplicative();
      left = this.node({ kind: 'binary', op, left, right, span: spanBetween(left.span, right.span) });
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.lexer.next().value as '*' | '/' | '%';
      const right = this.unary();
      left = this.node({ kind: 'binary', op, left, right, span: spanBetween(left.span, right.span) });
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const start = this.lexer.next().span;
      if (++this.depth > MAX_DEPTH) {
        throw tooDeep('query', start);
      }
      try {
        const operand = this.unary();
        return this.node({ kind: 'unary', op: '-', operand, span: spanBetween(start, operand.span) });
      } finally {
        this.depth--;
      }
    }
    return this.postfix(this.primary());
  }

  /**
   * `.name`, `["name"]`, `.["name"]` and `[index]` after a value. On a name they extend its path
   * (`userIdentity.arn`, `fields["x"]`), resolved against the columns and fields later; on any
   * other value they read a property or an element of it (`parse_json(x).a.b[0]`, `split(x, "/")[-1]`).
   */
  private postfix(expr: Expr): Expr {
    let result = expr;
    for (;;) {
      if (this.isOp('.')) {
        const dot = this.lexer.next();
        if (this.isOp('[')) {
          result = this.bracket(result, dot.span);
          continue;
        }
        const part = this.lexer.next();
        if (part.kind !== 'ident' && part.kind !== 'quotedIdent') {
          throw this.unexpected(part, ['a field name after "."']);
        }
        result = this.member(result, part.value, dot.span, part.span);
      } else if (this.isOp('[')) {
        result = this.bracket(result, this.lexer.peek().span);
      } else {
        return result;
      }
    }
  }

  /** `[...]` after a value: a quoted name is a property, anything else an index. */
  private bracket(base: Expr, at: Span): Expr {
    this.lexer.next();
    const key = this.lexer.peek();
    if (key.kind === 'string') {
      this.lexer.next();
      const close = this.expectOp(']');
      return this.member(base, key.value, at, close);
    }
    if (++this.depth > MAX_DEPTH) {
      throw tooDeep('query', key.span);
    }
    try {
      const index = this.expr();
      const close = this.expectOp(']');
      return this.node({ kind: 'index', base, index, span: spanBetween(base.span, close) });
    } finally {
      this.depth--;
    }
  }

  private member(base: Expr, name: string, at: Span, end: Span): Expr {
    if (base.kind === 'name') {
      return this.node({ kind: 'name', path: [...base.path, name], span: spanBetween(base.span, end) });
    }
    if (base.kind === 'string' || base.kind === 'number' || base.kind === 'bool' || base.kind === 'timespan') {
      throw new QueryError('a literal has no properties: only names and dynamic values can be followed by .name or ["name"]', at);
    }
    return this.node({ kind: 'member', base, name, span: spanBetween(base.span, end) });
  }

  private primary(): Expr {
    const token = this.lexer.next();
    switch (token.kind) {
      case 'string': {
        // KQL joins adjacent string literals: 'a' 'b' is "ab".
        let value = token.value;
        let span = token.span;
        while (this.lexer.peek().kind === 'string') {
          const more = this.lexer.next();
          value += more.value;
          span = spanBetween(span, more.span);
        }
        return this.node({ kind: 'string', value, span });
      }
      case 'number':
        return this.node({ kind: 'number', text: token.value, span: token.span });
      case 'timespan':
        return this.node({
          kind: 'timespan',
          millis: checkTimespan(token.millis ?? 0, token.span),
          text: token.value,
          span: token.span,
        });
      case 'variable':
        return this.node({ kind: 'variable', name: token.value, span: token.span });
      case 'quotedIdent':
        return this.node({ kind: 'name', path: [token.value], span: token.span });
      case 'ident':
        return this.identifier(token);
      case 'op':
        if (token.value === '(') {
          const inner = this.expr();
          const end = this.expectOp(')');
          return { ...inner, span: spanBetween(token.span, end) };
        }
        if (token.value === '[') {
          const key = this.lexer.next();
          if (key.kind !== 'string') {
            throw this.unexpected(key, ['a quoted column name, e.g. ["log-status"]']);
          }
          const end = this.expectOp(']');
          return this.node({ kind: 'name', path: [key.value], span: spanBetween(token.span, end) });
        }
        if (token.value === '*') {
          return this.node({ kind: 'star', span: token.span });
        }
        if (token.value === '{') {
          throw workbookPlaceholder(this.text, token.span.offset);
        }
        throw this.unexpected(token, ['a value, column name or function call']);
      case 'eof':
        throw this.unexpected(token, ['a value, column name or function call']);
    }
  }

  private identifier(token: Token): Expr {
    if (token.value === 'true' || token.value === 'false') {
      return this.node({ kind: 'bool', value: token.value === 'true', span: token.span });
    }
    if (token.value === 'null') {
      return this.node({ kind: 'null', span: token.span });
    }
    if (!this.isOp('(')) {
      return this.node({ kind: 'name', path: [token.value], span: token.span });
    }
    this.lexer.next();
    if (token.value === 'datetime') {
      return this.datetimeLiteral(token);
    }
    if (token.value === 'dynamic') {
      return this.dynamicLiteral(token);
    }
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(...this.list(() => this.expr()));
    }
    const end = this.expectOp(')');
    return this.node({
      kind: 'call',
      name: token.value,
      nameSpan: token.span,
      args,
      span: spanBetween(token.span, end),
    });
  }

  /** `datetime(2024-03-01 10:00)`: KQL lets the time stand unquoted, so read the text up to ")". */
  private datetimeLiteral(name: Token): Expr {
    const start = this.lexer.position;
    const close = this.text.indexOf(')', start);
    if (close < 0) {
      throw new QueryError('datetime( is not closed', name.span, [')']);
    }
    let value = this.text.slice(start, close).trim();
    if (/^(["']).*\1$/s.test(value)) {
      value = value.slice(1, -1);
    }
    this.lexer.seek(close + 1);
    const span = spanBetween(name.span, { offset: close, length: 1 });
    return this.node({
      kind: 'call',
      name: 'datetime',
      nameSpan: name.span,
      args: [{ kind: 'string', value, span }],
      span,
    });
  }

  /**
   * `dynamic(...)`: JSON (with KQL's single-quoted strings) read from the text up to its `)`.
   * A list of texts and numbers is an array the compiler binds as one parameter; anything else
   * (objects, nesting, `null`) is a constant dynamic value.
   */
  private dynamicLiteral(name: Token): Expr {
    const reader = new DynamicReader(this.text, this.lexer.position, (span) => this.budget.node(span));
    const value = reader.value(0);
    const close = reader.close();
    this.lexer.seek(close + 1);
    const span = spanBetween(name.span, { offset: close, length: 1 });
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      const items: Expr[] = value.map((v) => (typeof v === 'string' ? { kind: 'string', value: v, span } : { kind: 'number', text: String(v), span }));
      return this.node({ kind: 'array', items, span });
    }
    return this.node({ kind: 'json', text: JSON.stringify(value), span });
  }

  /** A pipeline where a value may also be a table (`x in (T | project y)`); the statement parser knows the tables. */
  protected tabularValue(): Expr | undefined {
    return undefined;
  }

  /** Counts a new node against the query's budget. */
  protected node<T extends Expr>(expr: T): T {
    this.budget.node(expr.span);
    return expr;
  }

  // Token helpers.

  protected isWord(word: string): boolean {
    const token = this.lexer.peek();
    return token.kind === 'ident' && token.value === word;
  }

  protected isOp(op: string): boolean {
    const token = this.lexer.peek();
    return token.kind === 'op' && token.value === op;
  }

  protected expectOp(op: string): Span {
    const token = this.lexer.next();
    if (token.kind !== 'op' || token.value !== op) {
      throw this.unexpected(token, [op]);
    }
    return token.span;
  }

  protected expectWord(word: string): Span {
    const token = this.lexer.next();
    if (token.kind !== 'ident' || token.value !== word) {
      throw this.unexpected(token, [word]);
    }
    return token.span;
  }

  protected unexpected(token: Token, expected: string[]): QueryError {
    if (token.kind === 'op' && token.value === '{') {
      return workbookPlaceholder(this.text, token.span.offset);
    }
    const found =
      token.kind === 'eof' ? 'the query ends here' : `unexpected "${this.text.slice(token.span.offset, token.span.offset + Math.min(token.span.length, 40))}"`;
    const hint = token.kind !== 'eof' && expected.includes('|') ? OPERATOR_HINT : [];
    return new QueryError(`${found}: expected ${expected.join(' or ')}`, token.span, [...expected, ...hint]);
  }
}

/** Reads the JSON of a `dynamic(...)` literal: strings in either quote, numbers, true/false/null, arrays, objects. */
class DynamicReader {
  private pos: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly count: (span: Span) => void
  ) {
    this.pos = start;
  }

  value(depth: number): unknown {
    const at = this.skip();
    const c = this.text[at];
    this.count({ offset: at, length: 1 });
    if (depth > MAX_DEPTH) {
      throw tooDeep('query', { offset: at, length: 1 });
    }
    if (c === '[' || c === '{') {
      return this.container(c, depth);
    }
    if (c === '"' || c === "'") {
      return this.string(c);
    }
    const word = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(at, at + 400))?.[0];
    if (!word) {
      throw this.error(at, 'expected a value in dynamic(...): a "string", a number, true, false, null, [...] or {...}');
    }
    this.pos = at + word.length;
    return JSON.parse(word) as unknown;
  }

  /** The offset of the `)` that closes the literal. */
  close(): number {
    const at = this.skip();
    if (this.text[at] !== ')') {
      throw this.error(at, 'expected ")" to close dynamic(');
    }
    return at;
  }

  private container(open: string, depth: number): unknown {
    const close = open === '[' ? ']' : '}';
    this.pos++;
    const items: unknown[] = [];
    const entries: Record<string, unknown> = {};
    if (this.text[this.skip()] === close) {
      this.pos++;
      return open === '[' ? items : entries;
    }
    for (;;) {
      if (open === '[') {
        items.push(this.value(depth + 1));
      } else {
        const keyAt = this.skip();
        const quote = this.text[keyAt];
        if (quote !== '"' && quote !== "'") {
          throw this.error(keyAt, 'expected a quoted property name in dynamic({...})');
        }
        const key = this.string(quote);
        const colon = this.skip();
        if (this.text[colon] !== ':') {
          throw this.error(colon, 'expected ":" after a property name');
        }
        this.pos = colon + 1;
        entries[key] = this.value(depth + 1);
      }
      const next = this.skip();
      if (this.text[next] === ',') {
        this.pos = next + 1;
        continue;
      }
      if (this.text[next] === close) {
        this.pos = next + 1;
        return open === '[' ? items : entries;
      }
      throw this.error(next, `expected "," or "${close}"`);
    }
  }

  private string(quote: string): string {
    const start = this.pos;
    let value = '';
    let i = start + 1;
    for (;;) {
      const c = this.text[i];
      if (c === undefined || c === '\n') {
        throw this.error(start, 'unterminated string in dynamic(...)');
      }
      if (c === quote) {
        this.pos = i + 1;
        return value;
      }
      if (c === '\\') {
        const e = this.text[i + 1] ?? '';
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(this.text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        const decoded = ({ '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '/': '/' } as Record<string, string>)[e];
        if (decoded === undefined) {
          throw this.error(i, `unknown escape "\\${e}" in string`);
        }
        value += decoded;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
  }

  /** Skips whitespace; the offset of the next character. */
  private skip(): number {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) {
      this.pos++;
    }
    return this.pos;
  }

  private error(at: number, message: string): QueryError {
    return new QueryError(at >= this.text.length ? `${message}: the query ends here` : message, {
      offset: Math.min(at, this.text.length),
      length: 1,
    });
  }
}
