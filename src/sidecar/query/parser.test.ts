import type { Expr, Let, Stage } from './ast';
import { QueryError } from './errors';
import { Lexer } from './lexer';
import { parseQuery } from './parser';

const textOf = (query: string, span: { offset: number; length: number }) => query.slice(span.offset, span.offset + span.length);

describe('lexer', () => {
  const kinds = (text: string) => {
    const lexer = new Lexer(text);
    const out: string[] = [];
    for (let t = lexer.next(); t.kind !== 'eof'; t = lexer.next()) {
      out.push(`${t.kind}:${t.value}`);
    }
    return out;
  };

  it('reads names, literals, timespans, variables and operators', () => {
    expect(kinds('a.b == "x\\"y" and n >= 1.5e3 or t < 90m // note\n| $v !has \'z\' `q-1` @"c:\\d" 1..2')).toEqual([
      'ident:a',
      'op:.',
      'ident:b',
      'op:==',
      'string:x"y',
      'ident:and',
      'ident:n',
      'op:>=',
      'number:1.5e3',
      'ident:or',
      'ident:t',
      'op:<',
      'timespan:90m',
      'op:|',
      'variable:v',
      'op:!has',
      'string:z',
      'quotedIdent:q-1',
      'string:c:\\d',
      'number:1',
      'op:..',
      'number:2',
    ]);
  });

  it('converts timespans to milliseconds', () => {
    const lexer = new Lexer('1.5h 100ms 7d 30s');
    expect([lexer.next(), lexer.next(), lexer.next(), lexer.next()].map((t) => t.millis)).toEqual([5_400_000, 100, 604_800_000, 30_000]);
  });

  it.each([
    ['"open', 'unterminated string'],
    ['"\\q"', 'unknown escape'],
    ['5w', 'unknown timespan unit "w"'],
    ['a ? b', 'unexpected character "?"'],
    ['/* c */', 'comments start with //'],
    ['`x', 'unterminated `quoted name`'],
    ['$', 'expected a variable name'],
  ])('rejects %j', (text, message) => {
    expect(() => kinds(text)).toThrow(message);
  });
});

describe('parser', () => {
  it('parses lets and a pipeline, every node with the span of its text', () => {
    const query =
      'let n = 5;\nCloudTrail\n| where eventName == "ConsoleLogin" and srcIp !in ("1.2.3.4")\n| summarize c = count() by bin(time, 1h)\n| top n by c desc';
    const ast = parseQuery(query);
    expect(ast.lets.map((l) => [l.name, textOf(query, l.span)])).toEqual([['n', 'let n = 5;']]);
    expect(ast.pipeline.source).toMatchObject({ kind: 'table', name: 'CloudTrail' });
    expect(textOf(query, ast.pipeline.source.span)).toBe('CloudTrail');
    const [where, summarize, top] = ast.pipeline.stages as [
      Extract<Stage, { kind: 'where' }>,
      Extract<Stage, { kind: 'summarize' }>,
      Extract<Stage, { kind: 'top' }>,
    ];
    expect(textOf(query, where.span)).toBe('where eventName == "ConsoleLogin" and srcIp !in ("1.2.3.4")');
    const predicate = where.predicate as Extract<Expr, { kind: 'binary' }>;
    expect(predicate.op).toBe('and');
    expect(textOf(query, predicate.left.span)).toBe('eventName == "ConsoleLogin"');
    expect(textOf(query, (predicate.right as Extract<Expr, { kind: 'list' }>).opSpan)).toBe('!in');
    expect(summarize.aggregates.map((a) => [a.name, textOf(query, a.expr.span)])).toEqual([['c', 'count()']]);
    expect(textOf(query, summarize.by[0].span)).toBe('bin(time, 1h)');
    expect(top.term.desc).toBe(true);
    expect(textOf(query, top.span)).toBe('top n by c desc');
  });

  it('reads hyphenated operators, in~, matches regex and between', () => {
    const query = 'events | project-away raw | mv-expand x = y | where a in~ ("A") and b matches regex "^x" and c !between (1 .. 2)';
    const stages = parseQuery(query).pipeline.stages;
    expect(stages.map((s) => s.kind)).toEqual(['project-away', 'mv-expand', 'where']);
    const where = stages[2] as Extract<Stage, { kind: 'where' }>;
    expect(JSON.stringify(where.predicate)).toContain('"op":"in~"');
    expect(JSON.stringify(where.predicate)).toContain('"op":"matches regex"');
    expect(JSON.stringify(where.predicate)).toContain('"kind":"between","negated":true');
  });

  it('reads paths: dots, brackets and quoted names', () => {
    const query = 'events | where userIdentity.arn == fields["x.y"] and `log-status` == ["a b"]';
    const where = parseQuery(query).pipeline.stages[0] as Extract<Stage, { kind: 'where' }>;
    const names = JSON.stringify(where.predicate).match(/"path":\[[^\]]*\]/g);
    expect(names).toEqual(['"path":["userIdentity","arn"]', '"path":["fields","x.y"]', '"path":["log-status"]', '"path":["a b"]']);
  });

  it('reads KQL datetime literals unquoted', () => {
    const where = parseQuery('events | where time > datetime(2024-03-01 10:00)').pipeline.stages[0] as Extract<Stage, { kind: 'where' }>;
    expect(JSON.stringify(where.predicate)).toContain('"value":"2024-03-01 10:00"');
  });

  it('hands the search stage to its own scanner and resumes after it', () => {
    const query = 'search "Failed authentication" and (user:adm* or 192.0.2.1) not REJECT | take 5';
    const stages = parseQuery(query).pipeline.stages;
    expect(stages.map((s) => s.kind)).toEqual(['search', 'take']);
    const search = stages[0] as Extract<Stage, { kind: 'search' }>;
    expect(textOf(query, search.span)).toBe('search "Failed authentication" and (user:adm* or 192.0.2.1) not REJECT');
    expect(JSON.stringify(search.expr)).toContain('"kind":"field","name":"user","nameSpan":{"offset":36,"length":4},"value":"adm*"');
  });

  it('errors point at the offending token with what was expected', () => {
    const query = 'events\n| where a == 1\n| sumarize count()';
    const error = (() => {
      try {
        parseQuery(query);
      } catch (err) {
        return err as QueryError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(QueryError);
    expect(textOf(query, error!.span!)).toBe('sumarize');
    expect(error!.message).toBe('unknown operator "sumarize" (did you mean "summarize"?)');
    expect(error!.expected).toContain('summarize');
  });

  it('limits nesting instead of overflowing the stack', () => {
    expect(() => parseQuery(`events | where ${'('.repeat(200)}1${')'.repeat(200)}`)).toThrow(/nests deeper than 100/);
    expect(() => parseQuery(`events | where ${'- '.repeat(200)}1`)).toThrow(/nests deeper than 100/);
  });
});

describe('parser: the KQL of Sentinel queries', () => {
  const stage = <K extends Stage['kind']>(query: string, kind: K, i = 0) => {
    const found = parseQuery(query).pipeline.stages[i];
    expect(found.kind).toBe(kind);
    return found as Extract<Stage, { kind: K }>;
  };

  it('reads join kinds, $left/$right keys in either order and plain keys', () => {
    const query = 'AWSCloudTrail | join kind=leftanti (AWSGuardDuty | project AccountId) on $right.AccountId == $left.RecipientAccountId, EventName';
    const join = stage(query, 'join');
    expect(join.joinKind).toBe('leftanti');
    expect(join.keys.map((k) => [k.left.name, k.right.name])).toEqual([
      ['RecipientAccountId', 'AccountId'],
      ['EventName', 'EventName'],
    ]);
    expect(join.right.source).toMatchObject({ kind: 'table', name: 'AWSGuardDuty' });
    expect(stage('T | join (U) on k', 'join').joinKind).toBe('innerunique');
    expect(() => parseQuery('T | join kind=sideways (U) on k')).toThrow('unknown join kind "sideways"');
    expect(() => parseQuery('T | join (U) on $left.a == $left.b')).toThrow('compares $left.column with $right.column');
  });

  it('reads union with its options, lookup, as, and tables by a name pattern', () => {
    const union = parseQuery('union withsource=Table kind=inner AWSCloudTrail, (AWSVPCFlow | take 1)').pipeline.source;
    expect(union).toMatchObject({ kind: 'union', options: { kind: 'inner', withSource: 'Table' } });
    const wildcard = parseQuery('union AWSV*, AWSW*').pipeline.source as Extract<Stage, { kind: 'union' }>;
    expect(wildcard.members.map((m) => (m.source as { name: string }).name)).toEqual(['AWSVPCFlow', 'AWSWAF']);
    expect(() => parseQuery('union Nothing*')).toThrow('no table\'s name starts with "Nothing"');
    expect(stage('T | lookup kind=inner (U) on k', 'lookup').joinKind).toBe('inner');
    expect(stage('T | as Previous | take 1', 'as').name).toBe('Previous');
  });

  it('reads lets of values, tables, materialize and functions with defaults', () => {
    const query =
      'let n = 5; let l = dynamic(["a", "b"]); let t = materialize(T | take 1); let f = (s: string, k: long = 2) { substring(s, k) }; let g = (x: timespan) { T | where time > ago(x) }; g(1h)';
    const ast = parseQuery(query);
    expect(ast.lets.map((l) => [l.name, l.value.kind])).toEqual([
      ['n', 'scalar'],
      ['l', 'scalar'],
      ['t', 'tabular'],
      ['f', 'function'],
      ['g', 'function'],
    ]);
    const f = ast.lets[3].value as Extract<Let['value'], { kind: 'function' }>;
    expect(f.params.map((p) => [p.name, p.type, p.fallback !== undefined])).toEqual([
      ['s', 'string', false],
      ['k', 'long', true],
    ]);
    expect(ast.pipeline.source).toMatchObject({ kind: 'call', name: 'g' });
  });

  it('reads datatable, make-series in both spellings, top-nested and project-reorder orders', () => {
    expect(parseQuery('datatable(a: string, b: long) ["x", 1, "y", 2]').pipeline.source).toMatchObject({
      kind: 'datatable',
      columns: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'long' },
      ],
    });
    const series = stage('T | make-series n = count() default = 0 on TimeGenerated from ago(1d) to now() step 1h by k', 'make-series');
    expect([series.from?.kind, series.to?.kind, series.step.kind, series.by.length]).toEqual(['call', 'call', 'timespan', 1]);
    const ranged = stage('T | make-series n = count() on TimeGenerated in range(ago(1d), now(), 1h)', 'make-series');
    expect([ranged.from?.kind, ranged.to?.kind, ranged.step.kind]).toEqual(['call', 'call', 'timespan']);
    expect(stage('T | top-nested 3 of a by count(), top-nested 2 of b by max(t)', 'top-nested').levels).toHaveLength(2);
    const reorder = stage('T | project-reorder b desc, a*, c granny-asc', 'project-reorder');
    expect(reorder.patterns.map((p) => [p.name, p.wildcard, p.order])).toEqual([
      ['b', false, 'desc'],
      ['a', true, undefined],
      ['c', false, 'granny-asc'],
    ]);
  });

  it('spreads the values of series_stats and series_fit_line into columns', () => {
    const named = stage('T | extend (lo, lo_at) = series_stats(s), x = 1', 'extend');
    expect(named.items.map((i) => i.name)).toEqual([
      'lo',
      'lo_at',
      'series_stats_s_max',
      'series_stats_s_max_idx',
      'series_stats_s_avg',
      'series_stats_s_stdev',
      'series_stats_s_variance',
      'x',
    ]);
    const bare = stage('T | extend series_fit_line(s)', 'extend');
    expect(bare.items.map((i) => i.name)).toContain('series_fit_line_s_slope');
    expect(stage('T | extend (a + b)', 'extend').items).toHaveLength(1);
    expect(() => parseQuery('T | extend (a, b) = strlen(x)')).toThrow('only series_stats and series_fit_line give several values');
  });

  it('reads dynamic paths and indexes on any expression, negative indexes and old spellings', () => {
    const extend = stage('T | extend b = parse_json(RequestParameters).bucketName, l = split(x, "/")[-1], i = iif(a <> b, 1, 2)', 'extend');
    expect(extend.items[0].expr).toMatchObject({
      kind: 'member',
      name: 'bucketName',
      base: { kind: 'call', name: 'parse_json' },
    });
    expect(extend.items[1].expr).toMatchObject({ kind: 'index', base: { kind: 'call', name: 'split' } });
    expect(JSON.stringify(extend.items[2].expr)).toContain('"op":"!="');
    expect(stage('T | mvexpand x', 'mv-expand').items).toHaveLength(1);
  });

  it('refuses what reads outside the store and workbook placeholders by name', () => {
    expect(() => parseQuery('externaldata(a: string) [@"https://example.com/x.csv"]')).toThrow('externaldata');
    expect(() => parseQuery('T | where TimeGenerated > {TimeRange:start}')).toThrow('workbook');
    expect(() => parseQuery('T | evaluate bag_unpack(x)')).toThrow('evaluate');
  });
});
