import { MAX_COLUMNS, MAX_DEPTH, MAX_EXPANDED_NODES, MAX_LETS, MAX_NODES, MAX_QUERY_LENGTH, MAX_SQL_BYTES, MAX_STAGES, MAX_SUBQUERIES } from './limits';

// Queries built to make compiling slow, huge or crash: one or more per limit of limits.ts, and
// the reports that led to them. For tests: each must be refused at once with a 400 naming why.

export interface HostileQuery {
  name: string;
  query: string;
  /** What the error message says. */
  error: string;
}

const TOO_MUCH_SQL = `compiles to more than ${MAX_SQL_BYTES} bytes of SQL`;

const repeat = (n: number, item: (i: number) => string, separator = ' ') => Array.from({ length: n }, (_, i) => item(i)).join(separator);

/** `let a0 = <first>; let a1 = <next(a0)>; ...`, each value using the one before it twice. */
function letChain(count: number, first: string, next: (previous: string) => string, pipeline: (last: string) => string): string {
  return `let a0 = ${first}; ${repeat(count - 1, (i) => `let a${i + 1} = ${next(`a${i}`)};`)} ${pipeline(`a${count - 1}`)}`;
}

const nest = (depth: number, open: string, inner: string, close: string) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

export const HOSTILE_QUERIES: HostileQuery[] = [
  {
    name: 'a chain of lets doubling a time expression',
    query: letChain(
      MAX_LETS,
      'now()',
      (a) => `iff(true, ${a}, ${a})`,
      (a) => `CloudTrail | where time > ${a}`
    ),
    error: TOO_MUCH_SQL,
  },
  {
    name: 'a chain of lets doubling a text',
    query: letChain(
      MAX_LETS,
      '"x"',
      (a) => `strcat(${a}, ${a})`,
      (a) => `CloudTrail | where actor == ${a}`
    ),
    error: TOO_MUCH_SQL,
  },
  {
    name: 'more lets than the limit',
    query: `${repeat(MAX_LETS + 1, (i) => `let x${i} = ${i};`)} events`,
    error: `more than ${MAX_LETS} let statements`,
  },
  {
    name: 'extend stages doubling a column',
    query: `events | extend a = bytes ${repeat(MAX_STAGES - 1, () => '| extend a = a + a')}`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'one extend doubling a column',
    query: `events | extend a = bytes, ${repeat(2000, () => 'a = a + a', ', ')}`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'a pipeline of 2000 stages',
    query: `events ${repeat(2000, () => '| take 5')}`,
    error: `more than ${MAX_STAGES} stages`,
  },
  {
    name: 'one stage more than the limit',
    query: `events ${repeat(MAX_STAGES + 1, () => '| where bytes > 1')}`,
    error: `more than ${MAX_STAGES} stages`,
  },
  {
    // The first take joins the table's SELECT; each one after it reads the one before as a subquery.
    name: 'subqueries nested beyond the limit',
    query: `events ${repeat(MAX_SUBQUERIES + 2, () => '| take 5')}`,
    error: `more than ${MAX_SUBQUERIES} nested subqueries`,
  },
  {
    name: 'tabular lets nesting subqueries beyond the limit',
    query: `let t0 = events | take 5; ${repeat(MAX_SUBQUERIES + 1, (i) => `let t${i + 1} = t${i} | take 5;`)} t${MAX_SUBQUERIES + 1}`,
    error: `more than ${MAX_SUBQUERIES} nested subqueries`,
  },
  {
    name: '1000 columns read through nested subqueries',
    query: `events | extend ${repeat(MAX_COLUMNS - 22, (i) => `c${i} = 1`, ', ')} ${repeat(MAX_SUBQUERIES, () => '| take 1')}`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'more columns than the limit',
    query: `events | project ${repeat(MAX_COLUMNS + 1, (i) => `c${i} = 1`, ', ')}`,
    error: `more than ${MAX_COLUMNS} columns`,
  },
  {
    name: 'a search for many words in 1000 text columns',
    query: `events | project ${repeat(MAX_COLUMNS, (i) => `c${i} = ""`, ', ')} | search ${repeat(3000, () => 'ab')}`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'parentheses deeper than the limit',
    query: `events | where ${nest(MAX_DEPTH + 1, '(', 'bytes > 1', ')')}`,
    error: `nests deeper than ${MAX_DEPTH}`,
  },
  {
    name: 'search groups deeper than the limit',
    query: `search ${nest(MAX_DEPTH + 1, '(', 'x', ')')}`,
    error: `search nests deeper than ${MAX_DEPTH}`,
  },
  {
    name: 'ipv4_is_private nested in itself',
    query: `events | where ${nest(45, 'ipv4_is_private(tostring(', 'srcIp', '))')}`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'between nested in itself',
    query: `events | where ${nest(49, 'iff(', 'bytes', ' between (0 .. 1), 1, 0)')} > 0`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'an in list of more values than the limit',
    query: `events | where bytes in (${repeat(MAX_NODES, () => '1', ',')})`,
    error: `more than ${MAX_NODES} values`,
  },
  {
    name: 'an in list of 16000 texts',
    query: `events | where actor in (${repeat(16_000, () => '"ab"', ',')})`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'a search of more words than the limit',
    query: `search ${repeat(MAX_NODES + 1, () => 'a')}`,
    error: `more than ${MAX_NODES} values`,
  },
  {
    name: 'a string longer than a query may be',
    query: `events | where actor == "${'a'.repeat(MAX_QUERY_LENGTH)}"`,
    error: `${MAX_QUERY_LENGTH} characters`,
  },
  {
    name: 'ago of 999999999 days',
    query: 'CloudTrail | where time > ago(999999999d)',
    error: 'timespan is out of range',
  },
  {
    name: 'bin by 1e30 days',
    query: 'events | summarize count() by bin(time, 1e30d)',
    error: 'timespan is out of range',
  },
  {
    name: 'now plus 99999999999 days',
    query: 'events | where time > now() + 99999999999d',
    error: 'timespan is out of range',
  },
  {
    name: 'a sum of timespans out of range',
    query: 'events | where time > now() - (900000d + 900000d)',
    error: 'timespan is out of range',
  },
  {
    name: 'a regex of 20000 empty alternations left open',
    query: `events | where raw matches regex "${'(?:|)'.repeat(19_990)}("`,
    error: 'missing closing )',
  },
  {
    name: 'a regex of unclosed classes',
    query: `events | where raw matches regex "${'[[:'.repeat(33_000)}"`,
    error: 'missing closing ]',
  },
  {
    name: 'a regex nesting 5000 groups',
    query: `events | where raw matches regex "${nest(5000, '(', 'a', ')')}"`,
    error: 'groups nest deeper than 1000',
  },
  {
    name: 'a regex nesting counted repetitions',
    query: 'events | where raw matches regex "((a{10}){10}){11}"',
    error: 'invalid repetition size',
  },
  {
    name: 'a regex with a lookbehind',
    query: 'events | where raw matches regex "(?<=a)b"',
    error: 'lookaround assertions',
  },
  {
    name: 'tabular lets doubling by union',
    query: `let t0 = AWSCloudTrail; ${repeat(25, (i) => `let t${i + 1} = union t${i}, t${i};`)} t25`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'tabular lets doubling by join',
    query: `let t0 = AWSCloudTrail | project EventName; ${repeat(25, (i) => `let t${i + 1} = t${i} | join kind=inner (t${i}) on EventName;`)} t25`,
    error: TOO_MUCH_SQL,
  },
  {
    name: 'functions calling the one before twice, each returning its argument',
    query: `let f0 = (x: string) { x }; ${repeat(40, (i) => `let f${i + 1} = (x: string) { f${i}(f${i}(x)) };`)} print f40("a")`,
    error: `expands to more than ${MAX_EXPANDED_NODES}`,
  },
  {
    name: 'functions doubling a text',
    query: `let f0 = (x: string) { strcat(x, x) }; ${repeat(40, (i) => `let f${i + 1} = (x: string) { f${i}(f${i}(x)) };`)} print f40("a")`,
    error: 'the query',
  },
  {
    name: 'tabular functions doubling by union',
    query: `let g0 = () { AWSVPCFlow }; ${repeat(25, (i) => `let g${i + 1} = () { union g${i}(), g${i}() };`)} g25()`,
    error: 'the query',
  },
  {
    name: 'joins nested beyond the limit',
    query: `${nest(MAX_SUBQUERIES, 'datatable(k: string) ["a"] | join kind=inner (', 'datatable(k: string) ["a"]', ') on k')}`,
    error: `more than ${MAX_SUBQUERIES} nested subqueries`,
  },
  {
    name: 'tables in tables beyond the limit',
    query: `AWSCloudTrail | where EventName in (${nest(MAX_SUBQUERIES, 'AWSCloudTrail | where EventName in (', 'AWSCloudTrail | project EventName', ') | project EventName')})`,
    error: `more than ${MAX_SUBQUERIES} nested subqueries`,
  },
  {
    name: 'a make-series of millisecond steps over the range',
    query: 'AWSCloudTrail | make-series count() on TimeGenerated step 1ms',
    error: 'more than 100000 points',
  },
  {
    name: 'a datatable of more values than the limit',
    query: `datatable(x: long) [${repeat(MAX_NODES, () => '1', ',')}]`,
    error: `more than ${MAX_NODES} values`,
  },
  {
    name: 'a regex with a backreference',
    query: 'events | where raw matches regex "(a)\\\\1"',
    error: 'backreferences',
  },
];

/** Valid queries from the same reports: each compiles to little SQL and runs at once. */
export const HEAVY_VALID_QUERIES: Array<{ name: string; query: string }> = [
  {
    name: 'a chain of 20 lets doubling a number (the report)',
    query: letChain(
      20,
      '1',
      (a) => `${a} + ${a}`,
      (a) => `CloudTrail | where bytes > ${a}`
    ),
  },
  {
    name: 'a chain of 50 lets doubling a number',
    query: letChain(
      50,
      '1',
      (a) => `${a} + ${a}`,
      (a) => `CloudTrail | where bytes > ${a}`
    ),
  },
  {
    name: 'a regex of 25 empty alternations (the report)',
    query: `events | where raw matches regex "${'(?:|)'.repeat(25)}b"`,
  },
  {
    name: 'a regex of 19990 empty alternations',
    query: `events | where raw matches regex "${'(?:|)'.repeat(19_990)}b"`,
  },
  { name: 'a pipeline of the most stages', query: `events ${repeat(MAX_STAGES, () => '| where bytes > 1')}` },
  { name: 'the most nested subqueries', query: `events ${repeat(MAX_SUBQUERIES + 1, () => '| take 5')}` },
  { name: 'parentheses as deep as the limit', query: `events | where ${nest(MAX_DEPTH - 1, '(', 'bytes > 1', ')')}` },
  { name: 'a string of 99000 characters', query: `events | where actor == "${'a'.repeat(99_000)}"` },
  {
    name: 'a join of two Sentinel tables',
    query: 'AWSCloudTrail | join kind=leftouter (AWSGuardDuty | project AccountId, Title) on $left.RecipientAccountId == $right.AccountId',
  },
  { name: 'a union of every Sentinel table', query: 'union AWSCloudTrail, AWSVPCFlow, AWSGuardDuty, AWSWAF, AWSALBAccessLogs | summarize count() by Type' },
  {
    name: 'a chain of 20 functions each calling the one before once',
    query: `let f0 = (x: string) { tolower(x) }; ${repeat(20, (i) => `let f${i + 1} = (x: string) { f${i}(x) };`)} AWSCloudTrail | extend u = f20(EventName)`,
  },
];
