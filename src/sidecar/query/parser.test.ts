import type { Expr, Stage } from './ast';
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
    expect(ast.pipeline.table).toBe('CloudTrail');
    expect(textOf(query, ast.pipeline.tableSpan)).toBe('CloudTrail');
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
