import { type Assignment, type Let, type NameRef, type ParsePart, type Pipeline, type Query, type SortTerm, type Stage } from './ast';
import { closeMatches, didYouMean, QueryError, spanBetween, type Span } from './errors';
import { parseSearch } from './searchParser';
import { ExpressionParser } from './expressionParser';
import { MAX_LETS, MAX_QUERY_LENGTH } from './limits';
import { TABLE_NAMES } from './tables';

export const STAGE_NAMES = [
  'where',
  'filter',
  'search',
  'project',
  'project-away',
  'project-rename',
  'extend',
  'summarize',
  'sort',
  'order',
  'top',
  'take',
  'limit',
  'count',
  'distinct',
  'mv-expand',
  'parse',
];

/** Parses a whole query: `let` statements, then one pipeline. */
export function parseQuery(text: string): Query {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError(`the query is ${text.length} characters long; the limit is ${MAX_QUERY_LENGTH} characters`);
  }
  return new Parser(text).query();
}

class Parser extends ExpressionParser {
  private readonly tabularLets = new Set<string>();

  query(): Query {
    const lets: Let[] = [];
    while (this.isWord('let')) {
      if (lets.length === MAX_LETS) {
        throw new QueryError(`the query has more than ${MAX_LETS} let statements (the limit)`, this.lexer.peek().span);
      }
      lets.push(this.letStatement());
    }
    const pipeline = this.pipeline();
    if (this.isOp(';')) {
      this.lexer.next();
    }
    this.expectEnd();
    return { lets, pipeline, span: { offset: 0, length: this.text.length } };
  }

  expectEnd(): void {
    const token = this.lexer.peek();
    if (token.kind !== 'eof') {
      throw this.unexpected(token, ['|', 'end of query']);
    }
  }

  private letStatement(): Let {
    const start = this.lexer.next().span;
    const nameToken = this.lexer.next();
    if (nameToken.kind !== 'ident') {
      throw this.unexpected(nameToken, ['a name']);
    }
    this.expectOp('=');
    const parenthesised = this.isOp('(') && this.startsTabular(this.lexer.position + 1);
    let value: Let['value'];
    if (parenthesised || this.startsTabular(this.lexer.position)) {
      if (parenthesised) {
        this.lexer.next();
      }
      value = { kind: 'tabular', pipeline: this.pipeline() };
      if (parenthesised) {
        this.expectOp(')');
      }
      this.tabularLets.add(nameToken.value);
    } else {
      value = { kind: 'scalar', expr: this.expr() };
    }
    const end = this.expectOp(';');
    return { name: nameToken.value, nameSpan: nameToken.span, value, span: spanBetween(start, end) };
  }

  /** True when the text at `offset` starts with a table name or `search`, i.e. a pipeline. */
  private startsTabular(offset: number): boolean {
    const at = this.lexer.skipTrivia(offset);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(at, at + 200))?.[0];
    return word !== undefined && (word === 'search' || TABLE_NAMES.includes(word) || this.tabularLets.has(word));
  }

  private pipeline(): Pipeline {
    const first = this.lexer.peek();
    const stages: Stage[] = [];
    let table: string;
    let tableSpan: Span;
    if (first.kind === 'ident' && first.value === 'search') {
      table = 'events';
      tableSpan = { offset: first.span.offset, length: 0 };
      stages.push(this.stage());
    } else if (first.kind === 'ident' || first.kind === 'quotedIdent') {
      this.lexer.next();
      table = first.value;
      tableSpan = first.span;
    } else {
      throw this.unexpected(first, ['a table name (events, CloudTrail, ALB, VPCFlow, ...)', 'search']);
    }
    while (this.isOp('|')) {
      this.lexer.next();
      stages.push(this.stage());
    }
    const last = stages.length > 0 ? stages[stages.length - 1].span : tableSpan;
    return { table, tableSpan, stages, span: spanBetween(first.span, last) };
  }

  stage(): Stage {
    const { name, span: nameSpan } = this.stageName();
    this.budget.stage(nameSpan);
    switch (name) {
      case 'where':
      case 'filter': {
        const predicate = this.expr();
        return { kind: 'where', predicate, span: spanBetween(nameSpan, predicate.span) };
      }
      case 'search': {
        const result = parseSearch(this.text, this.lexer.position, this.budget);
        this.lexer.seek(result.end);
        return { kind: 'search', expr: result.expr, caseSensitive: result.caseSensitive, span: spanBetween(nameSpan, result.expr.span) };
      }
      case 'project':
      case 'extend': {
        const items = this.list(() => this.assignment());
        return { kind: name, items, span: spanBetween(nameSpan, items[items.length - 1].span) };
      }
      case 'project-away': {
        const names = this.list(() => this.nameRef());
        return { kind: 'project-away', names, span: spanBetween(nameSpan, names[names.length - 1].span) };
      }
      case 'project-rename': {
        const renames = this.list(() => {
          const target = this.nameRef();
          this.expectOp('=');
          return { name: target.name, nameSpan: target.span, from: this.nameRef() };
        });
        return { kind: 'project-rename', renames, span: spanBetween(nameSpan, renames[renames.length - 1].from.span) };
      }
      case 'summarize':
        return this.summarize(nameSpan);
      case 'sort':
      case 'order': {
        this.expectWord('by');
        const terms = this.list(() => this.sortTerm());
        return { kind: 'sort', terms, span: spanBetween(nameSpan, terms[terms.length - 1].span) };
      }
      case 'top': {
        const count = this.expr();
        this.expectWord('by');
        const term = this.sortTerm();
        return { kind: 'top', count, term, span: spanBetween(nameSpan, term.span) };
      }
      case 'take':
      case 'limit': {
        const count = this.expr();
        return { kind: 'take', count, span: spanBetween(nameSpan, count.span) };
      }
      case 'count':
        return { kind: 'count', span: nameSpan };
      case 'distinct': {
        const columns = this.list(() => this.expr());
        return { kind: 'distinct', columns, span: spanBetween(nameSpan, columns[columns.length - 1].span) };
      }
      case 'mv-expand': {
        const item = this.assignment();
        return { kind: 'mv-expand', item, span: spanBetween(nameSpan, item.span) };
      }
      case 'parse':
        return this.parseOperator(nameSpan);
      default:
        throw new QueryError(`unknown operator "${name}"${didYouMean(closeMatches(name, STAGE_NAMES))}`, nameSpan, STAGE_NAMES);
    }
  }

  /** A stage name; `project-away` and `mv-expand` are written with a hyphen and no spaces. */
  private stageName(): { name: string; span: Span } {
    const token = this.lexer.next();
    if (token.kind !== 'ident') {
      throw this.unexpected(token, ['an operator such as where, project, summarize']);
    }
    let name = token.value;
    let end = token.span.offset + token.span.length;
    const more = /^-[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(end, end + 100));
    if (more && (name === 'project' || name === 'mv')) {
      name += more[0];
      end += more[0].length;
      this.lexer.seek(end);
    }
    return { name, span: { offset: token.span.offset, length: end - token.span.offset } };
  }

  private summarize(nameSpan: Span): Stage {
    const aggregates = this.isWord('by') ? [] : this.list(() => this.assignment());
    let by: Assignment[] = [];
    let end = aggregates.length > 0 ? aggregates[aggregates.length - 1].span : nameSpan;
    if (this.isWord('by')) {
      end = this.lexer.next().span;
      by = this.list(() => this.assignment());
      end = by[by.length - 1].span;
    }
    if (aggregates.length === 0 && by.length === 0) {
      throw new QueryError('summarize needs an aggregate (such as count()) or a by clause', nameSpan, ['count()', 'by']);
    }
    return { kind: 'summarize', aggregates, by, span: spanBetween(nameSpan, end) };
  }

  private parseOperator(nameSpan: Span): Stage {
    const source = this.expr();
    this.expectWord('with');
    const parts: ParsePart[] = [];
    for (;;) {
      const token = this.lexer.peek();
      this.budget.node(token.span);
      if (token.kind === 'string') {
        parts.push({ kind: 'literal', value: token.value, span: this.lexer.next().span });
      } else if (token.kind === 'op' && token.value === '*') {
        parts.push({ kind: 'wildcard', span: this.lexer.next().span });
      } else if (token.kind === 'ident' || token.kind === 'quotedIdent') {
        this.lexer.next();
        let type = 'string';
        let span = token.span;
        if (this.isOp(':')) {
          this.lexer.next();
          const typeToken = this.lexer.next();
          if (typeToken.kind !== 'ident') {
            throw this.unexpected(typeToken, ['a type: string, int, long, real, datetime']);
          }
          type = typeToken.value;
          span = spanBetween(token.span, typeToken.span);
        }
        parts.push({ kind: 'capture', name: token.value, type, span });
      } else {
        break;
      }
    }
    if (!parts.some((p) => p.kind === 'capture')) {
      throw this.unexpected(this.lexer.peek(), ['a column to capture, e.g. parse raw with * "user=" user " " *']);
    }
    return { kind: 'parse', source, parts, span: spanBetween(nameSpan, parts[parts.length - 1].span) };
  }

  private sortTerm(): SortTerm {
    const expr = this.expr();
    let desc = true;
    let end = expr.span;
    if (this.isWord('asc') || this.isWord('desc')) {
      const token = this.lexer.next();
      desc = token.value === 'desc';
      end = token.span;
    }
    let nullsFirst = !desc;
    if (this.isWord('nulls')) {
      this.lexer.next();
      const token = this.lexer.next();
      if (token.kind !== 'ident' || (token.value !== 'first' && token.value !== 'last')) {
        throw this.unexpected(token, ['first', 'last']);
      }
      nullsFirst = token.value === 'first';
      end = token.span;
    }
    return { expr, desc, nullsFirst, span: spanBetween(expr.span, end) };
  }

  private assignment(): Assignment {
    const expr = this.expr();
    if (this.isOp('=')) {
      if (expr.kind !== 'name' || expr.path.length !== 1) {
        throw new QueryError('only a column name can stand left of "="', expr.span, ['name = expression']);
      }
      this.lexer.next();
      const value = this.expr();
      return { name: expr.path[0], nameSpan: expr.span, expr: value, span: spanBetween(expr.span, value.span) };
    }
    return { expr, span: expr.span };
  }

  private nameRef(): NameRef {
    const token = this.lexer.next();
    if (token.kind !== 'ident' && token.kind !== 'quotedIdent') {
      throw this.unexpected(token, ['a column name']);
    }
    let name = token.value;
    let span = token.span;
    while (this.isOp('.')) {
      this.lexer.next();
      const part = this.lexer.next();
      if (part.kind !== 'ident' && part.kind !== 'quotedIdent') {
        throw this.unexpected(part, ['a field name']);
      }
      name += `.${part.value}`;
      span = spanBetween(token.span, part.span);
    }
    return { name, span };
  }
}
