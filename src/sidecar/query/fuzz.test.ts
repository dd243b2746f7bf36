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
const SENTINEL = 2000 * SCALE;
const EXECUTED = 600 * SCALE;
const SENTINEL_EXECUTED = 400 * SCALE;

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
  // Sentinel's tables and the KQL their published queries use.
  'AWSCloudTrail',
  'AWSVPCFlow',
  'AWSGuardDuty',
  'AWSWAF',
  'AWSALBAccessLogs',
  'EventName',
  'UserIdentityArn',
  'SourceIpAddress',
  'RequestParameters',
  'ResponseElements',
  'TimeGenerated',
  'SessionMfaAuthenticated',
  'ErrorCode',
  'DstPortNumber',
  'Severity',
  'join',
  'kind=leftouter',
  'kind=leftanti',
  'kind=rightsemi',
  'kind=fullouter',
  'on',
  '$left.EventName',
  '$right.EventName',
  'lookup',
  'withsource=T',
  'kind=outer',
  'make-series',
  'step',
  'from',
  'to',
  'default',
  'top-nested',
  'of',
  'others',
  'parse-where',
  'project-keep',
  'project-reorder',
  'as',
  'render',
  'timechart',
  'mv-apply',
  'sample',
  'getschema',
  'print',
  'serialize',
  'datatable(a: string) ["x", "y"]',
  'materialize(',
  'toscalar(',
  'parse_json(RequestParameters).bucketName',
  'todynamic(',
  'split(EventName, "e")[-1]',
  '[0]',
  '["k"]',
  'bag_keys(',
  'pack(',
  'bag_pack(',
  'iif(',
  'case(',
  'coalesce(',
  'array_length(',
  'set_union(',
  'set_difference(',
  'format_datetime(',
  'datetime_diff("day", now(), TimeGenerated)',
  'startofweek(',
  'startofmonth(',
  'ipv4_is_private(',
  'ipv4_is_match(',
  'parse_ipv4(',
  'replace_string(',
  'extract_all(',
  'trim(',
  'tobool(',
  'totimespan(',
  'todatetime(',
  'make_set_if(',
  'dcountif(',
  'percentiles(',
  'percentile(',
  'stdev(',
  'take_any(',
  'any(',
  'make_list(',
  'arg_min(',
  'series_stats(',
  'series_fir(',
  'makeset(',
  'mvexpand',
  '<>',
  'let f = (x: string) { x };',
  'f(',
  'typeof(string)',
  'to typeof(long)',
  '{TimeRange:start}',
  'externaldata',
  '{{StartTimeISO}}',
  'range',
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

const SENTINEL_FIELDS = [
  'TimeGenerated',
  'EventName',
  'UserIdentityArn',
  'SourceIpAddress',
  'RequestParameters',
  'ErrorCode',
  'SessionMfaAuthenticated',
  'UserIdentityType',
  'RecipientAccountId',
  'AWSRegion',
  'Type',
  'x',
  'n',
  'v',
];
const SENTINEL_EXPRS = [
  'parse_json(RequestParameters).bucketName',
  'tostring(parse_json(RequestParameters)["instancesSet"].items[0].instanceId)',
  'split(UserIdentityArn, "/")[-1]',
  'bag_keys(parse_json(RequestParameters))',
  'array_length(split(UserIdentityArn, ":"))',
  'iif(isempty(ErrorCode), "ok", ErrorCode)',
  'case(SessionMfaAuthenticated, "mfa", UserIdentityType == "Root", "root", "other")',
  'coalesce(ErrorCode, EventName)',
  'strcat(EventName, "@", AWSRegion)',
  'extract("([0-9]+)", 1, UserIdentityArn)',
  'extract_all("([a-z]+)", UserIdentityArn)',
  'replace_string(EventName, "Get", "")',
  'trim("[a-z]", EventName)',
  'toupper(EventName)',
  'tolong(RecipientAccountId)',
  'todouble("1.5")',
  'tobool("true")',
  'todatetime("2024-03-02")',
  'totimespan("01:00:00")',
  'TimeGenerated + 1h',
  'format_datetime(TimeGenerated, "yyyy-MM-dd HH:mm")',
  'startofday(TimeGenerated)',
  'startofmonth(TimeGenerated)',
  'datetime_diff("hour", now(), TimeGenerated)',
  'ipv4_is_private(SourceIpAddress)',
  'ipv4_is_in_range(SourceIpAddress, "10.0.0.0/8")',
  'ipv4_is_match(SourceIpAddress, "192.0.2.0", 24)',
  'parse_ipv4(SourceIpAddress)',
  'pack("e", EventName, "n", 1)',
  'bag_pack("a", AWSRegion)',
  'set_union(dynamic(["a"]), split(EventName, "e"))',
  'set_difference(dynamic(["a", "b"]), dynamic(["b"]))',
  'todynamic(ResponseElements).credentials',
  'f(EventName)',
  'g(UserIdentityArn, 2)',
  'lst[0]',
];
const SENTINEL_PREDICATES = [
  'EventName has_any (lst)',
  'EventName has_all ("Get", "Bucket")',
  'UserIdentityArn has_cs "Admin"',
  'EventName !has "List"',
  'EventName in~ ("getobject", "putobject")',
  'AWSRegion !in~ (lst)',
  'EventName =~ "getobject"',
  'EventName !~ "x"',
  'UserIdentityArn matches regex "^arn:aws:iam::[0-9]+:"',
  'TimeGenerated between (ago(1d) .. now())',
  'EventName <> "x"',
  'isnotempty(ErrorCode)',
  'SessionMfaAuthenticated == false',
  'ipv4_is_private(SourceIpAddress)',
  'EventName in (names)',
  'EventName in ((AWSCloudTrail | where isnotempty(ErrorCode) | distinct EventName))',
  'isnotempty(parse_json(RequestParameters).bucketName)',
];
const SENTINEL_AGGREGATES = [
  'count()',
  'countif(isnotempty(ErrorCode))',
  'sumif(1, SessionMfaAuthenticated)',
  'dcount(EventName)',
  'dcountif(EventName, isempty(ErrorCode))',
  'make_set(EventName)',
  'makeset(AWSRegion, 5)',
  'make_set_if(EventName, isnotempty(ErrorCode))',
  'make_list(SourceIpAddress)',
  'arg_max(TimeGenerated, *)',
  'arg_min(TimeGenerated, EventName)',
  'percentile(strlen(EventName), 50)',
  'percentiles(strlen(EventName), 5, 95)',
  'stdev(strlen(EventName))',
  'any(UserIdentityArn)',
  'take_any(EventName)',
  'min(TimeGenerated)',
  'max(TimeGenerated)',
];

/** A pipeline over Sentinel's tables built from the operators of published Sentinel queries. */
function sentinelQuery(random: Random): string {
  const field = () => random.pick(SENTINEL_FIELDS);
  const predicate = () => random.pick(SENTINEL_PREDICATES);
  const expr = () => random.pick(SENTINEL_EXPRS);
  const side = () =>
    random.pick([
      'AWSCloudTrail',
      `AWSCloudTrail | where ${predicate()} | project EventName, UserIdentityArn, TimeGenerated`,
      'ct',
      'AWSGuardDuty | project EventName = ActivityType, AWSRegion = Region',
      'datatable(EventName: string, v: long) ["GetObject", 1, "PutObject", 2]',
      'materialize(AWSCloudTrail | summarize n = count() by EventName)',
      'tbl(1d)',
    ]);
  const stages = [
    () => `where ${predicate()}`,
    () => `where ${predicate()} ${random.pick(['and', 'or'])} ${predicate()}`,
    () => `extend x = ${expr()}, n = ${expr()}`,
    () => `project ${field()}, x = ${expr()}`,
    () => `summarize n = ${random.pick(SENTINEL_AGGREGATES)}, x = ${random.pick(SENTINEL_AGGREGATES)} by ${field()}, bin(TimeGenerated, 1h)`,
    () =>
      `join kind=${random.pick(['inner', 'innerunique', 'leftouter', 'rightouter', 'fullouter', 'leftanti', 'rightanti', 'leftsemi', 'rightsemi', 'anti', 'nope'])} (${side()}) on ${random.pick(['EventName', '$left.EventName == $right.EventName', 'EventName, $left.UserIdentityArn == $right.UserIdentityArn', '$left.x == $right.v'])}`,
    () => `join (${side()}) on ${field()}`,
    () => `lookup kind=${random.pick(['leftouter', 'inner'])} (${side()}) on EventName`,
    () => `union ${random.pick(['', 'withsource=Source ', 'kind=inner ', 'isfuzzy=true '])}(${side()})`,
    () =>
      `make-series n = ${random.pick(['count()', 'dcount(EventName)', 'sum(strlen(EventName))'])} default = 0 on TimeGenerated ${random.pick(['', 'from ago(2d) to now() '])}step ${random.pick(['1h', '1d', '0s', 'x'])} by ${field()}`,
    () => `make-series n = count() on TimeGenerated in range(datetime(2024-03-01), datetime(2024-03-08), ${random.pick(['1d', '6h', '-1d'])}) by ${field()}`,
    () =>
      `make-series n = count() on TimeGenerated step 1d | extend ${random.pick(['(a, b) = series_stats(n)', 'series_fit_line(n)', '(a, b, c) = strlen("x")', '(a,) = series_stats(n)'])}`,
    () =>
      `make-series n = count() on TimeGenerated step 1d | extend s = ${random.pick(['series_stats_dynamic(n)', 'series_fir(n, dynamic([1, 1]))', 'series_iir(n, dynamic([1]), dynamic([1, -0.5]))', 'series_fill_forward(n)', 'series_add(n, n)'])}`,
    () =>
      `top-nested ${random.int(1, 3)} of ${field()} by count(), top-nested ${random.int(1, 3)} of ${field()} by ${random.pick(['count()', 'max(TimeGenerated)', 'dcount(SourceIpAddress)'])}`,
    () => `parse-where UserIdentityArn with * "/" user`,
    () => `project-keep ${field()}, Event*`,
    () => `project-reorder ${field()} ${random.pick(['asc', 'desc', 'granny-asc', ''])}, Event* ${random.pick(['asc', 'desc', ''])}`,
    () => `as T${random.int(0, 1)}`,
    () =>
      `mv-expand ${random.pick(['k = bag_keys(parse_json(RequestParameters))', 'x = split(UserIdentityArn, "/") to typeof(string)', 'lst', 'v = extract_all("([a-z])", EventName)'])}`,
    () => `mv-apply ${random.pick(['e = split(UserIdentityArn, "/")', 'e = lst to typeof(string)'])} on (where e != "" | take 1)`,
    () => `sample ${random.int(0, 5)}`,
    () => 'getschema',
    () => `project-away ${field()}`,
    () => `sort by ${field()} ${random.pick(['asc', 'desc'])}`,
    () => `take ${random.int(0, 10)}`,
    () => `distinct ${field()}`,
  ];
  const lets = [
    'let lst = dynamic(["GetObject", "us-east-1", "10.0.0.1"]);',
    'let names = AWSCloudTrail | where isnotempty(ErrorCode) | distinct EventName;',
    'let ct = AWSCloudTrail | where TimeGenerated > ago(3d);',
    'let f = (s: string) { tolower(s) };',
    'let g = (s: string, n: long = 1) { substring(s, n) };',
    'let tbl = (lookback: timespan) { AWSCloudTrail | where TimeGenerated > ago(lookback) };',
    'let t = materialize(AWSCloudTrail | take 100);',
  ];
  const head = random.pick([
    'AWSCloudTrail',
    'AWSVPCFlow',
    'AWSGuardDuty',
    'AWSWAF',
    'AWSALBAccessLogs',
    'ct',
    't',
    'tbl(2d)',
    'union AWSCloudTrail, AWSGuardDuty',
    'union withsource=Table AWS*',
    side(),
  ]);
  const parts = [`${lets.filter(() => random.next() < 0.5).join(' ')} ${head}`];
  const count = random.int(1, 5);
  for (let i = 0; i < count; i++) {
    parts.push(random.pick(stages)());
  }
  if (random.next() < 0.1) {
    parts.push(random.pick(['render timechart', 'render barchart', 'render piechart with (title="x")']));
  }
  return parts.join('\n| ');
}

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
  const sentinelCompiled: typeof compiled = [];

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

  it(`compiles ${SENTINEL} generated pipelines over Sentinel's tables or rejects them cleanly`, () => {
    const random = new Random(SEED + 4);
    let ok = 0;
    for (let i = 0; i < SENTINEL; i++) {
      const text = sentinelQuery(random);
      const result = compileOrClean(text);
      if (result) {
        ok++;
        sentinelCompiled.push({ text, ...result });
      }
    }
    expect(ok).toBeGreaterThan(SENTINEL / 10);
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
      const pick = (from: typeof compiled, n: number) => (from.length <= n ? from : Array.from({ length: n }, () => random.pick(from)));
      const sample = [...pick(compiled, EXECUTED), ...pick(sentinelCompiled, SENTINEL_EXECUTED)];
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
      process.stderr.write(
        `fuzz: ${compiled.length + sentinelCompiled.length} compiled (${sentinelCompiled.length} over Sentinel tables), ${sample.length} executed\n`
      );
      expect(failures).toEqual([]);
      const { rows } = await db.store.query<{ n: number }>('SELECT count() AS n FROM events');
      expect(Number(rows[0].n)).toBe(fixtureRows().length);
    },
    600_000 * SCALE
  );
});
