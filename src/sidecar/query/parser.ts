import {
  type Assignment,
  type DatatableColumn,
  type Expr,
  type FunctionParam,
  type JoinKey,
  type JoinKind,
  type Let,
  type MvItem,
  type NamePattern,
  type NameRef,
  type NestedLevel,
  type ParsePart,
  type Pipeline,
  type Query,
  type SeriesAggregate,
  type SortTerm,
  type Source,
  type Stage,
  type UnionOptions,
} from './ast';
import { closeMatches, didYouMean, QueryError, spanBetween, type Span } from './errors';
import { parseSearch } from './searchParser';
import { ExpressionParser } from './expressionParser';
import { MAX_LETS, MAX_QUERY_LENGTH } from './limits';
import { ALL_TABLE_NAMES } from './sources';
import { isMultiValued, spreadValues } from './multiValued';

export const STAGE_NAMES = [
  'where',
  'filter',
  'search',
  'project',
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'extend',
  'summarize',
  'sort',
  'order',
  'top',
  'top-nested',
  'take',
  'limit',
  'count',
  'distinct',
  'mv-expand',
  'mv-apply',
  'parse',
  'parse-where',
  'join',
  'lookup',
  'union',
  'as',
  'make-series',
  'render',
  'sample',
  'getschema',
  'serialize',
];

/** Older spellings KQL still accepts. */
const STAGE_ALIASES: Record<string, string> = { mvexpand: 'mv-expand', mvapply: 'mv-apply' };

/** What reads outside the store: refused by name. */
const OUTSIDE_THE_STORE: Record<string, string> = {
  externaldata: 'externaldata reads a file from a URL',
  external_table: 'external_table reads a table outside the store',
  cluster: 'cluster() reads another Kusto cluster',
  database: 'database() reads another database',
  workspace: 'workspace() reads another Log Analytics workspace',
  app: 'app() reads an Application Insights resource',
  adx: 'adx() reads an Azure Data Explorer cluster',
  arg: 'arg() reads Azure Resource Graph',
  _GetWatchlist: '_GetWatchlist() reads a Sentinel watchlist',
};

export const JOIN_KINDS: Record<string, JoinKind> = {
  innerunique: 'innerunique',
  inner: 'inner',
  leftouter: 'leftouter',
  rightouter: 'rightouter',
  fullouter: 'fullouter',
  leftanti: 'leftanti',
  anti: 'leftanti',
  leftantisemi: 'leftanti',
  rightanti: 'rightanti',
  rightantisemi: 'rightanti',
  leftsemi: 'leftsemi',
  semi: 'leftsemi',
  rightsemi: 'rightsemi',
};

/** Parses a whole query: `let` statements, then one pipeline. */
export function parseQuery(text: string): Query {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError(`the query is ${text.length} characters long; the limit is ${MAX_QUERY_LENGTH} characters`);
  }
  return new Parser(text).query();
}

class Parser extends ExpressionParser {
  /** Names bound to pipelines (tabular lets and functions whose body is a pipeline). */
  private readonly tabularNames = new Set<string>();

  query(): Query {
    const lets = this.lets();
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

  /** `let` statements, at the top or inside a function body. */
  private lets(): Let[] {
    const lets: Let[] = [];
    while (this.isWord('let')) {
      if (lets.length === MAX_LETS) {
        throw new QueryError(`the query has more than ${MAX_LETS} let statements (the limit)`, this.lexer.peek().span);
      }
      lets.push(this.letStatement());
    }
    return lets;
  }

  private letStatement(): Let {
    const before = this.budget.used;
    const start = this.lexer.next().span;
    const nameToken = this.lexer.next();
    if (nameToken.kind !== 'ident' && nameToken.kind !== 'quotedIdent') {
      throw this.unexpected(nameToken, ['a name']);
    }
    this.expectOp('=');
    let value: Let['value'];
    if (this.startsFunction()) {
      value = this.functionDefinition();
    } else {
      value = this.scalarOrTabular();
    }
    if (value.kind === 'tabular' || (value.kind === 'function' && value.body.kind === 'tabular')) {
      this.tabularNames.add(nameToken.value);
    }
    const end = this.expectOp(';');
    return {
      name: nameToken.value,
      nameSpan: nameToken.span,
      value,
      nodes: this.budget.used - before,
      span: spanBetween(start, end),
    };
  }

  /**
   * A let's value or a function's body: a pipeline when it starts with a table or tabular name,
   * or when what reads as a value goes on with `|` (a table the store does not have, named later).
   */
  private scalarOrTabular(): { kind: 'scalar'; expr: Expr } | { kind: 'tabular'; pipeline: Pipeline } {
    const start = this.lexer.position;
    if (this.startsTabularAt(start)) {
      return { kind: 'tabular', pipeline: this.pipeline() };
    }
    const expr = this.expr();
    if (this.isOp('|') && expr.kind === 'name') {
      this.lexer.seek(start);
      return { kind: 'tabular', pipeline: this.pipeline() };
    }
    return { kind: 'scalar', expr };
  }

  /** `(a: string, b: int = 5) { ... }` after `let f =`. */
  private startsFunction(): boolean {
    if (!this.isOp('(')) {
      return false;
    }
    const at = this.lexer.skipTrivia(this.lexer.position + 1);
    return /^(\)\s*\{|[A-Za-z_][A-Za-z0-9_]*\s*:)/.test(this.text.slice(at, at + 300));
  }

  private functionDefinition(): Extract<Let['value'], { kind: 'function' }> {
    this.expectOp('(');
    const params: FunctionParam[] = [];
    if (!this.isOp(')')) {
      params.push(
        ...this.list(() => {
          const name = this.lexer.next();
          if (name.kind !== 'ident') {
            throw this.unexpected(name, ['a parameter name']);
          }
          this.expectOp(':');
          const type = this.typeName();
          let fallback: Expr | undefined;
          if (this.isOp('=')) {
            this.lexer.next();
            fallback = this.expr();
          }
          return {
            name: name.value,
            type: type.name,
            fallback,
            span: spanBetween(name.span, fallback?.span ?? type.span),
          };
        })
      );
    }
    this.expectOp(')');
    this.expectOp('{');
    const lets = this.lets();
    const body = this.scalarOrTabular();
    if (this.isOp(';')) {
      this.lexer.next();
    }
    this.expectOp('}');
    return { kind: 'function', params, lets, body };
  }

  /** A type name: `string`, `int`, ..., or `(*)` for a table parameter (refused). */
  private typeName(): { name: string; span: Span } {
    const token = this.lexer.next();
    if (token.kind === 'op' && token.value === '(') {
      throw new QueryError('table parameters of functions are not supported: pass scalars', token.span);
    }
    if (token.kind !== 'ident') {
      throw this.unexpected(token, ['a type: string, int, long, real, bool, datetime, timespan, dynamic']);
    }
    return { name: token.value, span: token.span };
  }

  /** True when the text at `offset` starts a pipeline: a table, `search`, `union`, `datatable`, a tabular let or function, `(pipeline)`. */
  private startsTabularAt(offset: number, depth = 0): boolean {
    const at = this.lexer.skipTrivia(offset);
    if (this.text[at] === '(' && depth < 50) {
      return this.startsTabularAt(at + 1, depth + 1);
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(at, at + 200))?.[0];
    if (word === undefined) {
      return false;
    }
    return (
      ['search', 'union', 'datatable', 'print', 'materialize', 'range'].includes(word) ||
      word in OUTSIDE_THE_STORE ||
      ALL_TABLE_NAMES.includes(word) ||
      this.tabularNames.has(word)
    );
  }

  protected override tabularValue(): Expr | undefined {
    if (!this.startsTabularAt(this.lexer.position)) {
      return undefined;
    }
    const pipeline = this.pipeline();
    return this.node({ kind: 'tabular', pipeline, span: pipeline.span });
  }

  private pipeline(): Pipeline {
    const first = this.lexer.peek();
    const stages: Stage[] = [];
    let source: Source;
    if (first.kind === 'ident' && first.value === 'search') {
      source = { kind: 'table', name: 'events', span: { offset: first.span.offset, length: 0 } };
      stages.push(this.stage());
    } else {
      source = this.source();
    }
    while (this.isOp('|')) {
      this.lexer.next();
      stages.push(this.stage());
    }
    const last = stages.length > 0 ? stages[stages.length - 1].span : source.span;
    return { source, stages, span: spanBetween(first.span, last) };
  }

  /** Where a pipeline starts. */
  private source(): Source {
    const first = this.lexer.peek();
    this.budget.node(first.span);
    if (first.kind === 'op' && first.value === '(') {
      this.lexer.next();
      const pipeline = this.pipeline();
      const end = this.expectOp(')');
      return { kind: 'pipeline', pipeline, span: spanBetween(first.span, end) };
    }
    if (first.kind !== 'ident' && first.kind !== 'quotedIdent') {
      throw this.unexpected(first, ['a table name (events, CloudTrail, AWSCloudTrail, ...)', 'search']);
    }
    const refused = first.kind === 'ident' ? OUTSIDE_THE_STORE[first.value] : undefined;
    if (refused) {
      throw new QueryError(`${refused}: a query reads only the events in Lookback's store, so ${first.value} is not supported`, first.span);
    }
    this.lexer.next();
    const call = this.isOp('(');
    if (first.kind === 'ident' && call) {
      switch (first.value) {
        case 'materialize': {
          this.lexer.next();
          const pipeline = this.pipeline();
          const end = this.expectOp(')');
          return { kind: 'pipeline', pipeline, span: spanBetween(first.span, end) };
        }
        case 'datatable':
          return this.datatable(first.span);
        default: {
          this.lexer.next();
          const args = this.isOp(')') ? [] : this.list(() => this.expr());
          const end = this.expectOp(')');
          return { kind: 'call', name: first.value, args, span: spanBetween(first.span, end) };
        }
      }
    }
    if (first.kind === 'ident' && first.value === 'union') {
      const { options, members, span } = this.unionBody(first.span, false);
      return { kind: 'union', options, members, span };
    }
    if (first.kind === 'ident' && first.value === 'print') {
      const items = this.list(() => this.assignment());
      return { kind: 'print', items, span: spanBetween(first.span, items[items.length - 1].span) };
    }
    return { kind: 'table', name: first.value, span: first.span };
  }

  /** `datatable(name: type, ...) [value, ...]`. */
  private datatable(start: Span): Source {
    this.expectOp('(');
    const columns: DatatableColumn[] = this.list(() => {
      const name = this.lexer.next();
      if (name.kind !== 'ident' && name.kind !== 'quotedIdent') {
        throw this.unexpected(name, ['a column name']);
      }
      this.expectOp(':');
      const type = this.typeName();
      return { name: name.value, type: type.name, span: spanBetween(name.span, type.span) };
    });
    this.expectOp(')');
    this.expectOp('[');
    const values: Expr[] = [];
    while (!this.isOp(']')) {
      values.push(this.expr());
      if (!this.isOp(',')) {
        break;
      }
      this.lexer.next();
    }
    const end = this.expectOp(']');
    return { kind: 'datatable', columns, values, span: spanBetween(start, end) };
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
        return {
          kind: 'search',
          expr: result.expr,
          caseSensitive: result.caseSensitive,
          span: spanBetween(nameSpan, result.expr.span),
        };
      }
      case 'project':
      case 'extend': {
        const items = this.list(() => this.assignments()).flat();
        return { kind: name, items, span: spanBetween(nameSpan, items[items.length - 1].span) };
      }
      case 'project-away':
      case 'project-keep':
      case 'project-reorder': {
        const patterns = this.list(() => {
          const pattern = this.namePattern();
          if (name !== 'project-reorder' || !(this.isWord('asc') || this.isWord('desc') || this.isWord('granny'))) {
            return pattern;
          }
          let granny = false;
          if (this.isWord('granny')) {
            this.lexer.next();
            this.expectOp('-');
            granny = true;
          }
          const token = this.lexer.next();
          if (token.kind !== 'ident' || (token.value !== 'asc' && token.value !== 'desc')) {
            throw this.unexpected(token, ['asc', 'desc']);
          }
          const order = `${granny ? 'granny-' : ''}${token.value}` as NamePattern['order'];
          return { ...pattern, order, span: spanBetween(pattern.span, token.span) };
        });
        const end = patterns[patterns.length - 1].span;
        if (name === 'project-away') {
          return { kind: 'project-away', names: patterns, span: spanBetween(nameSpan, end) };
        }
        return { kind: name, patterns, span: spanBetween(nameSpan, end) };
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
      case 'sample': {
        const count = this.expr();
        return { kind: 'sample', count, span: spanBetween(nameSpan, count.span) };
      }
      case 'count':
        return { kind: 'count', span: nameSpan };
      case 'getschema':
        return { kind: 'getschema', span: nameSpan };
      case 'distinct': {
        const columns = this.list(() => this.expr());
        return { kind: 'distinct', columns, span: spanBetween(nameSpan, columns[columns.length - 1].span) };
      }
      case 'mv-expand':
        return this.mvExpand(nameSpan);
      case 'mv-apply':
        return this.mvApply(nameSpan);
      case 'parse':
      case 'parse-where':
        return this.parseOperator(name, nameSpan);
      case 'join':
      case 'lookup':
        return this.join(name, nameSpan);
      case 'union': {
        const { options, members, span } = this.unionBody(nameSpan, true);
        return { kind: 'union', options, members, span };
      }
      case 'as': {
        this.options(['hint.materialized']);
        const token = this.lexer.next();
        if (token.kind !== 'ident' && token.kind !== 'quotedIdent') {
          throw this.unexpected(token, ['a name for the rows so far']);
        }
        this.tabularNames.add(token.value);
        return { kind: 'as', name: token.value, nameSpan: token.span, span: spanBetween(nameSpan, token.span) };
      }
      case 'make-series':
        return this.makeSeries(nameSpan);
      case 'top-nested':
        return this.topNested(nameSpan);
      case 'render':
        return this.render(nameSpan);
      case 'serialize': {
        const items = this.isOp('|') || this.isOp(')') || this.lexer.peek().kind === 'eof' || this.isOp(';') ? [] : this.list(() => this.assignment());
        return {
          kind: 'serialize',
          items,
          span: items.length > 0 ? spanBetween(nameSpan, items[items.length - 1].span) : nameSpan,
        };
      }
      case 'evaluate':
        throw new QueryError('evaluate plugins (bag_unpack, pivot, ...) are not supported', nameSpan);
      default: {
        const refused = OUTSIDE_THE_STORE[name];
        if (refused) {
          throw new QueryError(`${refused}: a query reads only the events in Lookback's store, so ${name} is not supported`, nameSpan);
        }
        throw new QueryError(`unknown operator "${name}"${didYouMean(closeMatches(name, STAGE_NAMES))}`, nameSpan, STAGE_NAMES);
      }
    }
  }

  /** A stage name; hyphenated names (`project-away`, `mv-expand`, `make-series`) are written without spaces. */
  private stageName(): { name: string; span: Span } {
    const token = this.lexer.next();
    if (token.kind !== 'ident') {
      throw this.unexpected(token, ['an operator such as where, project, summarize']);
    }
    let name = token.value;
    let end = token.span.offset + token.span.length;
    const more = /^-[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(end, end + 100));
    if (more && ['project', 'mv', 'make', 'top', 'parse'].includes(name)) {
      name += more[0];
      end += more[0].length;
      this.lexer.seek(end);
    }
    return { name: STAGE_ALIASES[name] ?? name, span: { offset: token.span.offset, length: end - token.span.offset } };
  }

  /** `name=value` options before a stage's arguments (`kind=inner`, `hint.strategy=shuffle`); those not in `known` are an error. */
  private options(known: string[]): Map<string, { value: string; span: Span }> {
    const found = new Map<string, { value: string; span: Span }>();
    for (;;) {
      const at = this.lexer.position;
      const match = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=(?![=~])\s*([A-Za-z_0-9][A-Za-z0-9_.-]*|`[^`\n]+`)/.exec(
        this.text.slice(this.lexer.skipTrivia(at), this.lexer.skipTrivia(at) + 200)
      );
      if (!match) {
        return found;
      }
      const key = match[1];
      // A quoted value (withsource=`Source Table`) is a name: the quotes go.
      const value = match[2].startsWith('`') ? match[2].slice(1, -1) : match[2];
      const start = this.lexer.skipTrivia(at);
      const span = { offset: start, length: match[0].length };
      if (!known.includes(key) && !key.startsWith('hint.')) {
        return found;
      }
      this.lexer.seek(start + match[0].length);
      found.set(key, { value, span });
    }
  }

  private join(name: 'join' | 'lookup', nameSpan: Span): Stage {
    const options = this.options(['kind']);
    const kindOption = options.get('kind');
    let joinKind: JoinKind = name === 'join' ? 'innerunique' : 'leftouter';
    if (kindOption) {
      const kind = JOIN_KINDS[kindOption.value];
      const allowed = name === 'join' ? Object.keys(JOIN_KINDS) : ['leftouter', 'inner'];
      if (!kind || !allowed.includes(kindOption.value)) {
        throw new QueryError(`unknown ${name} kind "${kindOption.value}"${didYouMean(closeMatches(kindOption.value, allowed))}`, kindOption.span, allowed);
      }
      joinKind = kind;
    }
    const right = this.operand();
    this.expectWord('on');
    const keys = this.list(() => this.joinKey());
    const span = spanBetween(nameSpan, keys[keys.length - 1].span);
    if (name === 'lookup') {
      return { kind: 'lookup', joinKind: joinKind as 'leftouter' | 'inner', right, keys, span };
    }
    return { kind: 'join', joinKind, right, keys, span };
  }

  /** The other table of join, lookup and union: `(pipeline)` or a name. */
  private operand(): Pipeline {
    const token = this.lexer.peek();
    if (token.kind === 'op' && token.value === '(') {
      this.lexer.next();
      const pipeline = this.pipeline();
      const end = this.expectOp(')');
      return { ...pipeline, span: spanBetween(token.span, end) };
    }
    const source = this.source();
    return { source, stages: [], span: source.span };
  }

  /** A union's table, pipeline, or tables by a name pattern (`AWS*`, `*`): those of the store whose names match. */
  private unionOperand(): Pipeline[] {
    const token = this.lexer.peek();
    let prefix: string | undefined;
    let span = token.span;
    if (token.kind === 'op' && token.value === '*') {
      this.lexer.next();
      prefix = '';
    } else if (token.kind === 'ident') {
      const start = this.lexer.position;
      this.lexer.next();
      const star = this.lexer.peek();
      if (star.kind === 'op' && star.value === '*' && star.span.offset === token.span.offset + token.span.length) {
        this.lexer.next();
        prefix = token.value;
        span = spanBetween(token.span, star.span);
      } else {
        this.lexer.seek(start);
      }
    }
    if (prefix === undefined) {
      return [this.operand()];
    }
    const names = ALL_TABLE_NAMES.filter((name) => name.startsWith(prefix));
    if (names.length === 0) {
      throw new QueryError(`no table's name starts with "${prefix}"`, span, [...ALL_TABLE_NAMES]);
    }
    return names.map((name) => ({ source: { kind: 'table', name, span }, stages: [], span }));
  }

  /** `Key`, or `$left.A == $right.B` (either order). */
  private joinKey(): JoinKey {
    const token = this.lexer.peek();
    if (token.kind === 'variable' && (token.value === 'left' || token.value === 'right')) {
      const first = this.sideName();
      const op = this.lexer.next();
      if (op.kind !== 'op' || op.value !== '==') {
        throw this.unexpected(op, ['==']);
      }
      const second = this.sideName();
      if (first.side === second.side) {
        throw new QueryError('a join condition compares $left.column with $right.column', spanBetween(first.ref.span, second.ref.span), [
          '$left.a == $right.b',
        ]);
      }
      const [left, right] = first.side === 'left' ? [first.ref, second.ref] : [second.ref, first.ref];
      return { left, right, span: spanBetween(first.ref.span, second.ref.span) };
    }
    const ref = this.nameRef();
    return { left: ref, right: ref, span: ref.span };
  }

  private sideName(): { side: 'left' | 'right'; ref: NameRef } {
    const token = this.lexer.next();
    if (token.kind !== 'variable' || (token.value !== 'left' && token.value !== 'right')) {
      throw this.unexpected(token, ['$left.column', '$right.column']);
    }
    this.expectOp('.');
    const ref = this.nameRef();
    return { side: token.value, ref: { name: ref.name, span: spanBetween(token.span, ref.span) } };
  }

  /** `[kind=outer] [withsource=Name] [isfuzzy=true] T1, (T2 | ...), ...`; as a stage, the rows so far come first. */
  private unionBody(start: Span, stage: boolean): { options: UnionOptions; members: Pipeline[]; span: Span } {
    const found = this.options(['kind', 'withsource', 'isfuzzy']);
    const kind = found.get('kind');
    if (kind && kind.value !== 'inner' && kind.value !== 'outer') {
      throw new QueryError(`unknown union kind "${kind.value}"`, kind.span, ['inner', 'outer']);
    }
    const members = this.list(() => this.unionOperand()).flat();
    void stage;
    return {
      options: {
        kind: (kind?.value as 'inner' | 'outer' | undefined) ?? 'outer',
        withSource: found.get('withsource')?.value,
      },
      members,
      span: spanBetween(start, members[members.length - 1].span),
    };
  }

  private summarize(nameSpan: Span): Stage {
    this.options([]);
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

  /** `make-series [name =] agg [default = v], ... on time [from a] [to b] step s [by col, ...]`. */
  private makeSeries(nameSpan: Span): Stage {
    this.options(['kind']);
    const aggregates: SeriesAggregate[] = this.list(() => {
      const item = this.assignment();
      let fallback: Expr | undefined;
      if (this.isWord('default')) {
        this.lexer.next();
        this.expectOp('=');
        fallback = this.expr();
      }
      return { item, fallback };
    });
    this.expectWord('on');
    // `on T in range(...)`: the axis is a column name, which the expression parser would read as `T in (list)`.
    const start = this.lexer.position;
    const axis = this.lexer.peek().kind === 'ident' ? this.nameRef() : undefined;
    const ranged = axis !== undefined && this.isWord('in');
    if (!ranged) {
      this.lexer.seek(start);
    }
    const on: Assignment = ranged ? { expr: { kind: 'name', path: [axis.name], span: axis.span }, span: axis.span } : this.assignment();
    let from: Expr | undefined;
    let to: Expr | undefined;
    if (this.isWord('from')) {
      this.lexer.next();
      from = this.expr();
    }
    if (this.isWord('to')) {
      this.lexer.next();
      to = this.expr();
    }
    let step: Expr;
    if (ranged) {
      // The older spelling: `in range(start, stop, step)`.
      this.lexer.next();
      this.expectWord('range');
      this.expectOp('(');
      from = this.expr();
      this.expectOp(',');
      to = this.expr();
      this.expectOp(',');
      step = this.expr();
      this.expectOp(')');
    } else {
      this.expectWord('step');
      step = this.expr();
    }
    let by: Assignment[] = [];
    let end = step.span;
    if (this.isWord('by')) {
      this.lexer.next();
      by = this.list(() => this.assignment());
      end = by[by.length - 1].span;
    }
    return { kind: 'make-series', aggregates, on, from, to, step, by, span: spanBetween(nameSpan, end) };
  }

  /** `top-nested n of expr by agg [asc|desc], top-nested ...`. */
  private topNested(nameSpan: Span): Stage {
    const levels: NestedLevel[] = [];
    let start = nameSpan;
    for (;;) {
      const count = this.expr();
      this.expectWord('of');
      const of = this.assignment();
      if (this.isWord('with')) {
        throw new QueryError('top-nested ... with others is not supported', this.lexer.peek().span);
      }
      this.expectWord('by');
      const by = this.assignment();
      if (this.isWord('asc')) {
        throw new QueryError('top-nested keeps the largest values: asc is not supported', this.lexer.peek().span, ['desc']);
      }
      let end = by.span;
      if (this.isWord('desc')) {
        end = this.lexer.next().span;
      }
      levels.push({ count, of, by, span: spanBetween(start, end) });
      if (!this.isOp(',')) {
        break;
      }
      this.lexer.next();
      start = this.lexer.peek().span;
      const { name } = this.stageName();
      if (name !== 'top-nested') {
        throw new QueryError('expected top-nested', start, ['top-nested']);
      }
    }
    return { kind: 'top-nested', levels, span: spanBetween(nameSpan, levels[levels.length - 1].span) };
  }

  private render(nameSpan: Span): Stage {
    const token = this.lexer.next();
    if (token.kind !== 'ident') {
      throw this.unexpected(token, ['a visualization such as timechart, barchart, table']);
    }
    let end = token.span;
    // Properties (title, xcolumn, ...) only shape a chart in Kusto's own tools: read and ignored.
    if (this.isWord('with')) {
      this.lexer.next();
      const open = this.expectOp('(');
      let depth = 1;
      while (depth > 0) {
        const t = this.lexer.next();
        this.budget.node(t.span);
        if (t.kind === 'eof') {
          throw new QueryError('render with ( is not closed', open, [')']);
        }
        if (t.kind === 'op' && t.value === '(') {
          depth++;
        } else if (t.kind === 'op' && t.value === ')') {
          depth--;
        }
        end = t.span;
      }
    }
    return { kind: 'render', visualization: token.value, span: spanBetween(nameSpan, end) };
  }

  private mvItems(): MvItem[] {
    return this.list(() => {
      const item = this.assignment();
      let type: string | undefined;
      if (this.isWord('to')) {
        this.lexer.next();
        this.expectWord('typeof');
        this.expectOp('(');
        type = this.typeName().name;
        this.expectOp(')');
      }
      return { item, type };
    });
  }

  private mvExpand(nameSpan: Span): Stage {
    const options = this.options(['bagexpansion', 'with_itemindex', 'kind']);
    if (options.has('with_itemindex')) {
      throw new QueryError('mv-expand with_itemindex is not supported', options.get('with_itemindex')?.span);
    }
    const items = this.mvItems();
    let limit: Expr | undefined;
    let end = items[items.length - 1].item.span;
    if (this.isWord('limit')) {
      this.lexer.next();
      limit = this.expr();
      end = limit.span;
    }
    return { kind: 'mv-expand', items, limit, span: spanBetween(nameSpan, end) };
  }

  /** `mv-apply x = arr [to typeof(t)], ... on (stages)`. */
  private mvApply(nameSpan: Span): Stage {
    this.options(['with_itemindex']);
    const items = this.mvItems();
    this.expectWord('on');
    this.expectOp('(');
    const stages: Stage[] = [this.stage()];
    while (this.isOp('|')) {
      this.lexer.next();
      stages.push(this.stage());
    }
    const end = this.expectOp(')');
    return { kind: 'mv-apply', items, stages, span: spanBetween(nameSpan, end) };
  }

  private parseOperator(name: 'parse' | 'parse-where', nameSpan: Span): Stage {
    const options = this.options(['kind', 'flags']);
    const kind = options.get('kind');
    if (kind && kind.value !== 'simple') {
      throw new QueryError(`${name} kind=${kind.value} is not supported: only the simple mode`, kind.span, ['kind=simple']);
    }
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
    const span = spanBetween(nameSpan, parts[parts.length - 1].span);
    return name === 'parse' ? { kind: 'parse', source, parts, span } : { kind: 'parse-where', source, parts, span };
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

  /** An assignment, or the columns of a function giving several values: `(a, b) = series_stats(x)`, `series_stats(x)`. */
  private assignments(): Assignment[] {
    const open = this.lexer.peek();
    if (open.kind === 'op' && open.value === '(') {
      const names = this.tupleNames();
      if (names) {
        const value = this.expr();
        return spreadValues(value, names, spanBetween(open.span, value.span));
      }
    }
    const item = this.assignment();
    return !item.name && isMultiValued(item.expr) ? spreadValues(item.expr, undefined, item.span) : [item];
  }

  /** `(a, b, ...) =`, or undefined with nothing read when the text is no such list. */
  private tupleNames(): NameRef[] | undefined {
    const start = this.lexer.position;
    this.lexer.next();
    const names: NameRef[] = [];
    for (;;) {
      const token = this.lexer.next();
      const after = this.lexer.peek();
      if ((token.kind !== 'ident' && token.kind !== 'quotedIdent') || after.kind !== 'op') {
        break;
      }
      names.push({ name: token.value, span: token.span });
      this.lexer.next();
      if (after.value === ')' && this.isOp('=')) {
        this.lexer.next();
        return names;
      }
      if (after.value !== ',') {
        break;
      }
    }
    this.lexer.seek(start);
    return undefined;
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

  /** A column name, or a prefix pattern `name*` (or `*`). */
  private namePattern(): NamePattern {
    const token = this.lexer.peek();
    if (token.kind === 'op' && token.value === '*') {
      this.lexer.next();
      return { name: '', wildcard: true, span: token.span };
    }
    const ref = this.nameRef();
    const next = this.lexer.peek();
    if (next.kind === 'op' && next.value === '*' && next.span.offset === ref.span.offset + ref.span.length) {
      this.lexer.next();
      return { name: ref.name, wildcard: true, span: spanBetween(ref.span, next.span) };
    }
    return { name: ref.name, wildcard: false, span: ref.span };
  }
}
