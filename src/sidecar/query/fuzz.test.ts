import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../generate/random';
import { compileQuery, type CompileOptions } from './compiler';
import { QueryError, toErrorBody } from './errors';
import { execute, DEFAULT_LIMITS, QueryExecutionError } from './execute';
import { FieldSnapshot } from './catalog';
import { fixtureRows, GOLDEN_DIR, openTestStore, type TestStore } from './testing';

// Random and mutated queries must compile or fail with a QueryError (never another exception,
// never a hang), and what compiles must run on chDB or fail as a QueryExecutionError.

const SEED = Number(process.env.FUZZ_SEED ?? 20240301);
// FUZZ_SEED and FUZZ_SCALE explore further on demand; CI runs the defaults.
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const RANDOM_QUERIES = 2500 * SCALE;
const MUTATIONS = 2500 * SCALE;
const STRUCTURED = 2000 * SCALE;
const EXECUTED = 600 * SCALE;

const VOCABULARY = [
  'events',
  'CloudTrail',
  'ALB',
  'VPCFlow',
  'search',
  'where',
  'project',
  'project-away',
  'project-rename',
  'extend',
  'summarize',
  'by',
  'sort',
  'order',
  'top',
  'take',
  'limit',
  'count',
  'distinct',
  'mv-expand',
  'parse',
  'with',
  'let',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'and',
  'or',
  'not',
  'kind=case_sensitive',
  'time',
  'actor',
  'raw',
  'fields',
  'srcIp',
  'dstPort',
  'bytes',
  'eventName',
  'userIdentity.arn',
  'elb_status_code',
  'srcaddr',
  'fields["srcaddr"]',
  '`log-status`',
  'requestParameters.tagSpecificationSet',
  '|',
  '|',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '.',
  '..',
  ';',
  '=',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '=~',
  '!~',
  '+',
  '-',
  '*',
  '/',
  '%',
  ':',
  'has',
  '!has',
  'has_cs',
  'contains',
  '!contains',
  'startswith',
  'endswith',
  'in',
  '!in',
  'in~',
  'between',
  '!between',
  'matches regex',
  'has_any',
  'has_all',
  'count()',
  'dcount(actor)',
  'countif(bytes > 1)',
  'sum(bytes)',
  'avg(bytes)',
  'min(time)',
  'max(time)',
  'make_set(actor)',
  'arg_max(time, *)',
  'ago(1h)',
  'now()',
  'bin(time, 1h)',
  'bin(bytes, 10)',
  'tostring(',
  'toint(',
  'tolower(',
  'strlen(',
  'extract("(a)", 1, raw)',
  'ipv4_is_in_range(srcIp, "10.0.0.0/8")',
  'isnull(',
  'isnotempty(',
  'datetime(2024-03-01)',
  'dynamic(["a", 1])',
  '$user',
  '$ports',
  '$__interval',
  '$nope',
  '"x"',
  "'y'",
  '"a\\"b"',
  "'it''s'",
  '"\\\\"',
  '@"c:\\tmp"',
  '"unterminated',
  '0',
  '1',
  '42',
  '3.5',
  '1e3',
  '99999999999999999999',
  '5m',
  '1h',
  '7d',
  '100ms',
  '5w',
  'true',
  'false',
  'null',
  '*',
  'adm*',
  '192.0.2.1',
  'arn:aws:iam::1:root',
  'a:b',
  '#',
  '@',
  '\\',
  '/*',
  '//',
  '\n',
  '\t',
  ' ',
  'é',
  '😀',
  '\u0000',
  'SETTINGS',
  'file(',
  'system.tables',
  'union',
];

const FIELDS = [
  'time',
  'actor',
  'srcIp',
  'dstPort',
  'bytes',
  'eventName',
  'outcome',
  'raw',
  'userIdentity.arn',
  'elb_status_code',
  'srcaddr',
  'fields["action"]',
  'x',
  'n',
];
const VALUES = [
  '"bob"',
  '"10.0.0.1"',
  '22',
  '1.5',
  '-3',
  '"2024-03-02"',
  'datetime(2024-03-03)',
  'ago(2d)',
  '1h',
  'true',
  '$user',
  '$ports',
  'dynamic([1, 2])',
];
const OPS = ['==', '!=', '<', '>=', '=~', 'has', '!has', 'contains', 'startswith', '!endswith', 'in', '!in~', 'between', 'matches regex'];
const EXPRS = [
  'strlen(actor)',
  'tolower(eventName)',
  'bytes * 2',
  'toint(elb_status_code)',
  'bin(time, 1d)',
  'iff(bytes > 10, "big", "small")',
  'strcat(srcIp, ":", dstPort)',
  'now() - 1h',
  'split(raw, " ")',
  'extract("([0-9]+)", 1, raw)',
];

/** A pipeline built from stage templates: mostly well-formed, often ill-typed or out of scope. */
function structuredQuery(random: Random): string {
  const field = () => random.pick(FIELDS);
  const predicate = (): string => {
    const op = random.pick(OPS);
    const value =
      op === 'in' || op === '!in~'
        ? `(${random.pick(VALUES)}, ${random.pick(VALUES)})`
        : op === 'between'
          ? `(${random.pick(VALUES)} .. ${random.pick(VALUES)})`
          : random.pick(VALUES);
    const simple = `${random.next() < 0.3 ? random.pick(EXPRS) : field()} ${op} ${value}`;
    return random.next() < 0.25 ? `(${simple} ${random.pick(['and', 'or'])} not ${field()} == ${random.pick(VALUES)})` : simple;
  };
  const stages = [
    () => `where ${predicate()}`,
    () => `search ${random.pick(['bob', '"Failed authentication"', 'actor:adm*', '10.0.1.5', 'bytes > 100', 'not REJECT', '(a or b) c'])}`,
    () => `project ${field()}, x = ${random.pick(EXPRS)}`,
    () => `project-away ${field()}`,
    () => `project-rename y = ${field()}`,
    () => `extend x = ${random.pick(EXPRS)}, n = ${random.pick(VALUES)}`,
    () =>
      `summarize n = ${random.pick(['count()', 'dcount(actor)', 'countif(bytes > 5)', 'sum(bytes)', 'max(time)', 'make_set(srcIp)', 'avg(toint(elb_status_code))'])} by ${field()}`,
    () => `summarize arg_max(time, *) by ${field()}`,
    () => `sort by ${field()} ${random.pick(['asc', 'desc', 'asc nulls last', ''])}`,
    () => `take ${random.int(0, 20)}`,
    () => `top ${random.int(1, 5)} by ${field()}`,
    () => 'count',
    () => `distinct ${field()}`,
    () => `mv-expand v = ${random.pick(['split(raw, " ")', 'requestParameters.tagSpecificationSet', 'actor'])}`,
    () => `parse ${random.pick(['raw', 'actor'])} with * "${random.pick(['/', ':', ' '])}" p ${random.pick(['', '"x" *'])}`,
  ];
  const head = random.pick(['events', 'CloudTrail', 'ALB', 'VPCFlow', 'let t = 5; events', 'let b = dynamic(["x"]); CloudTrail']);
  const count = random.int(1, 5);
  const parts = [head];
  for (let i = 0; i < count; i++) {
    parts.push(random.pick(stages)());
  }
  return parts.join('\n| ');
}

const CHARS = ` \n\t|()[]{}.,;:=!<>~+-*/%"'\`\\$@#&^?0123456789abcxyzABCXYZ_é😀\u0000`;

const keys = new Set<string>();
for (const row of fixtureRows()) {
  Object.keys(row.fields).forEach((k) => keys.add(k));
}
const fields = new FieldSnapshot(
  new Map([
    ['cloudtrail', keys],
    ['alb', keys],
    ['vpcflow', keys],
  ]),
  Date.now()
);

const options: CompileOptions = {
  from: Date.parse('2024-03-01T00:00:00Z'),
  to: Date.parse('2024-03-08T00:00:00Z'),
  maxRows: 50,
  intervalMs: 3_600_000,
  variables: { user: 'bob', ports: ['22', '443'] },
  fields,
};

const corpus = readdirSync(GOLDEN_DIR)
  .filter((name) => existsSync(join(GOLDEN_DIR, name, 'query.kql')))
  .map((name) => readFileSync(join(GOLDEN_DIR, name, 'query.kql'), 'utf8'));

function randomQuery(random: Random): string {
  const parts = [random.pick(['events', 'CloudTrail', 'ALB', 'VPCFlow', 'search', random.pick(VOCABULARY)])];
  const length = random.int(0, 25);
  for (let i = 0; i < length; i++) {
    parts.push(random.pick(VOCABULARY));
  }
  return parts.join(random.next() < 0.8 ? ' ' : '');
}

function mutate(random: Random, text: string): string {
  let out = text;
  const edits = random.int(1, 2);
  for (let e = 0; e < edits; e++) {
    const at = random.int(0, out.length);
    switch (random.int(0, 5)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + random.int(1, 8));
        break;
      case 1:
        out = out.slice(0, at) + random.pick(CHARS.split('')) + out.slice(at);
        break;
      case 2:
        out = `${out.slice(0, at)} ${random.pick(VOCABULARY)} ${out.slice(at)}`;
        break;
      case 3: {
        const end = random.int(at, out.length);
        out = out.slice(0, end) + out.slice(at, end) + out.slice(end);
        break;
      }
      case 4:
        out = out.slice(0, at);
        break;
      default:
        out = `${out} | ${random.pick(VOCABULARY)} ${random.pick(VOCABULARY)}`;
    }
  }
  return out;
}

/** Compiles; returns the SQL, or undefined for a clean QueryError. Anything else fails the test with the query. */
function compileOrClean(text: string): { sql: string; params: Record<string, unknown> } | undefined {
  try {
    return compileQuery(text, options);
  } catch (err) {
    if (err instanceof QueryError) {
      const body = toErrorBody(text, err);
      expect(typeof body.message).toBe('string');
      if (body.position) {
        expect(body.position.offset).toBeGreaterThanOrEqual(0);
        expect(body.position.offset).toBeLessThanOrEqual(text.length);
        expect(body.position.line).toBeGreaterThanOrEqual(1);
        expect(body.position.column).toBeGreaterThanOrEqual(1);
      }
      return undefined;
    }
    throw new Error(`query ${JSON.stringify(text)} threw ${(err as Error).stack}`);
  }
}

describe('fuzzed queries', () => {
  let db: TestStore;
  const compiled: Array<{ text: string; sql: string; params: Record<string, unknown> }> = [];

  beforeAll(async () => {
    db = await openTestStore();
  });
  afterAll(() => db.close());

  it(`compiles ${RANDOM_QUERIES} random token sequences or rejects them cleanly`, () => {
    const random = new Random(SEED);
    let ok = 0;
    for (let i = 0; i < RANDOM_QUERIES; i++) {
      const text = randomQuery(random);
      const result = compileOrClean(text);
      if (result) {
        ok++;
        compiled.push({ text, ...result });
      }
    }
    expect(ok).toBeGreaterThan(0);
  });

  it(`compiles ${MUTATIONS} mutations of the golden queries or rejects them cleanly`, () => {
    const random = new Random(SEED + 1);
    let ok = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const text = mutate(random, random.pick(corpus));
      const result = compileOrClean(text);
      if (result) {
        ok++;
        compiled.push({ text, ...result });
      }
    }
    expect(ok).toBeGreaterThan(MUTATIONS / 50);
  });

  it(`compiles ${STRUCTURED} generated pipelines or rejects them cleanly`, () => {
    const random = new Random(SEED + 3);
    let ok = 0;
    for (let i = 0; i < STRUCTURED; i++) {
      const text = structuredQuery(random);
      const result = compileOrClean(text);
      if (result) {
        ok++;
        compiled.push({ text, ...result });
      }
    }
    expect(ok).toBeGreaterThan(STRUCTURED / 10);
  });

  it('rejects pathological input cleanly', () => {
    const deep = `events | where ${'('.repeat(5000)}1${')'.repeat(5000)} == 1`;
    const nots = `events | where ${'not '.repeat(5000)}true`;
    const negatives = `events | extend x = ${'-'.repeat(5000)}1`;
    const long = `events | where actor == "${'a'.repeat(200_000)}"`;
    const searchDeep = `search ${'('.repeat(5000)}x`;
    for (const text of [deep, nots, negatives, long, searchDeep, '', ' ', '\u0000', '"', '`', '$', '|||', 'let', 'let x = ;']) {
      expect(compileOrClean(text)).toBeUndefined();
    }
  });

  it(
    `runs what compiled on chDB without store errors (up to ${EXECUTED} queries)`,
    async () => {
      const random = new Random(SEED + 2);
      const sample = compiled.length <= EXECUTED ? compiled : Array.from({ length: EXECUTED }, () => random.pick(compiled));
      const failures: string[] = [];
      for (const { text, sql, params } of sample) {
        try {
          await execute(db.store, sql, params, DEFAULT_LIMITS, 51);
        } catch (err) {
          if (process.env.FUZZ_VERBOSE && err instanceof QueryExecutionError) {
            process.stderr.write(`EXEC ${JSON.stringify(text)} => ${err.message}\n`);
          }
          if (!(err instanceof QueryExecutionError)) {
            failures.push(`${JSON.stringify(text)}\n${sql}\n${(err as Error).message.split('\n')[0]}`);
          }
        }
      }
      process.stderr.write(`fuzz: ${compiled.length} compiled, ${sample.length} executed\n`);
      expect(failures).toEqual([]);
      const { rows } = await db.store.query<{ n: number }>('SELECT count() AS n FROM events');
      expect(Number(rows[0].n)).toBe(fixtureRows().length);
    },
    60_000 * SCALE
  );
});
