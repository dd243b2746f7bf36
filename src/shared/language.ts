// The search language's vocabulary as the Grafana editor offers it (highlighting, completion,
// hover text). `language.test.ts` checks it against the compiler's own registries.

export interface LanguageItem {
  name: string;
  /** One line shown beside the completion. */
  detail: string;
  /** Monaco snippet inserted instead of the name (`${1:placeholder}`). */
  snippet?: string;
}

export const LANGUAGE_TABLES: readonly string[] = [
  'events',
  'CloudTrail',
  'ALB',
  'ALBConnection',
  'ELB',
  'NLB',
  'VPCFlow',
  'S3Access',
  'CloudFront',
  'WAF',
  'Route53Resolver',
  'GuardDuty',
  'JSON',
  'Text',
  'Detections',
];

export const LANGUAGE_STAGES: readonly LanguageItem[] = [
  { name: 'where', detail: 'keep rows where the condition holds', snippet: 'where ${1:condition}' },
  { name: 'filter', detail: 'same as where', snippet: 'filter ${1:condition}' },
  { name: 'search', detail: 'words, "phrases", field:value, wildcards', snippet: 'search ${1:"term"}' },
  { name: 'project', detail: 'keep and compute columns', snippet: 'project ${1:column}' },
  { name: 'project-away', detail: 'drop columns', snippet: 'project-away ${1:column}' },
  { name: 'project-rename', detail: 'rename columns: new = old', snippet: 'project-rename ${1:new} = ${2:old}' },
  { name: 'extend', detail: 'add or replace columns', snippet: 'extend ${1:name} = ${2:expr}' },
  { name: 'summarize', detail: 'aggregate, by columns first', snippet: 'summarize ${1:count()} by ${2:column}' },
  { name: 'sort', detail: 'sort by expr [asc|desc]', snippet: 'sort by ${1:time} desc' },
  { name: 'order', detail: 'same as sort', snippet: 'order by ${1:time} desc' },
  { name: 'top', detail: 'sort and take n', snippet: 'top ${1:10} by ${2:count_} desc' },
  { name: 'take', detail: 'at most n rows', snippet: 'take ${1:100}' },
  { name: 'limit', detail: 'same as take', snippet: 'limit ${1:100}' },
  { name: 'count', detail: 'one row, column Count' },
  { name: 'distinct', detail: 'unique combinations', snippet: 'distinct ${1:column}' },
  { name: 'mv-expand', detail: 'one row per array element', snippet: 'mv-expand ${1:column}' },
  { name: 'parse', detail: 'capture columns by pattern', snippet: 'parse ${1:expr} with * "${2:literal}" ${3:name}' },
];

export const LANGUAGE_FUNCTIONS: readonly LanguageItem[] = [
  { name: 'ago', detail: 'ago(timespan): now minus the timespan', snippet: 'ago(${1:1h})' },
  { name: 'now', detail: 'now(): the current time', snippet: 'now()' },
  { name: 'datetime', detail: 'datetime(2024-03-01 10:00): a time literal', snippet: 'datetime(${1:2024-03-01})' },
  { name: 'bin', detail: 'bin(value, size): round down to a bucket', snippet: 'bin(${1:time}, ${2:\\$__interval})' },
  { name: 'tostring', detail: 'tostring(x)', snippet: 'tostring(${1:x})' },
  { name: 'toint', detail: 'toint(x): null when not a number', snippet: 'toint(${1:x})' },
  { name: 'tolong', detail: 'tolong(x): null when not a number', snippet: 'tolong(${1:x})' },
  { name: 'todouble', detail: 'todouble(x): null when not a number', snippet: 'todouble(${1:x})' },
  { name: 'toreal', detail: 'toreal(x): null when not a number', snippet: 'toreal(${1:x})' },
  { name: 'tolower', detail: 'tolower(text)', snippet: 'tolower(${1:text})' },
  { name: 'toupper', detail: 'toupper(text)', snippet: 'toupper(${1:text})' },
  { name: 'strlen', detail: 'strlen(text)', snippet: 'strlen(${1:text})' },
  { name: 'strcat', detail: 'strcat(a, b, ...)', snippet: 'strcat(${1:a}, ${2:b})' },
  { name: 'substring', detail: 'substring(text, start[, length]), 0-based', snippet: 'substring(${1:text}, ${2:0}, ${3:10})' },
  { name: 'split', detail: 'split(text, delimiter[, index])', snippet: 'split(${1:text}, "${2:/}")' },
  { name: 'extract', detail: 'extract(regex, group, text)', snippet: 'extract("${1:regex}", ${2:1}, ${3:text})' },
  { name: 'iff', detail: 'iff(condition, then, else)', snippet: 'iff(${1:condition}, ${2:then}, ${3:else})' },
  { name: 'iif', detail: 'same as iff', snippet: 'iif(${1:condition}, ${2:then}, ${3:else})' },
  { name: 'isnull', detail: 'isnull(x)', snippet: 'isnull(${1:x})' },
  { name: 'isnotnull', detail: 'isnotnull(x)', snippet: 'isnotnull(${1:x})' },
  { name: 'isempty', detail: 'isempty(x)', snippet: 'isempty(${1:x})' },
  { name: 'isnotempty', detail: 'isnotempty(x)', snippet: 'isnotempty(${1:x})' },
  { name: 'ipv4_is_in_range', detail: 'ipv4_is_in_range(ip, "10.0.0.0/8")', snippet: 'ipv4_is_in_range(${1:srcIp}, "${2:10.0.0.0/8}")' },
  { name: 'ipv6_is_in_range', detail: 'ipv6_is_in_range(ip, "2001:db8::/32")', snippet: 'ipv6_is_in_range(${1:srcIp}, "${2:2001:db8::/32}")' },
  { name: 'ipv4_is_private', detail: 'ipv4_is_private(ip): RFC 1918 address', snippet: 'ipv4_is_private(${1:srcIp})' },
  { name: 'extract_json', detail: 'extract_json("$.a.b", text): an element of JSON text', snippet: 'extract_json("${1:$.requestParameters}", ${2:raw})' },
  { name: 'bag_has_key', detail: 'bag_has_key(fields, "name"): the record has the field', snippet: 'bag_has_key(fields, "${1:name}")' },
  { name: 'array_length', detail: 'array_length(array)', snippet: 'array_length(${1:array})' },
  { name: 'round', detail: 'round(x[, digits])', snippet: 'round(${1:x}, ${2:2})' },
  { name: 'abs', detail: 'abs(x)', snippet: 'abs(${1:x})' },
];

export const LANGUAGE_AGGREGATES: readonly LanguageItem[] = [
  { name: 'count', detail: 'count(): rows', snippet: 'count()' },
  { name: 'countif', detail: 'countif(condition)', snippet: 'countif(${1:condition})' },
  { name: 'dcount', detail: 'dcount(x): distinct values', snippet: 'dcount(${1:x})' },
  { name: 'sum', detail: 'sum(x)', snippet: 'sum(${1:x})' },
  { name: 'avg', detail: 'avg(x)', snippet: 'avg(${1:x})' },
  { name: 'min', detail: 'min(x)', snippet: 'min(${1:x})' },
  { name: 'max', detail: 'max(x)', snippet: 'max(${1:x})' },
  { name: 'make_set', detail: 'make_set(x[, size]): unique values', snippet: 'make_set(${1:x})' },
  { name: 'make_list', detail: 'make_list(x[, size]): all values', snippet: 'make_list(${1:x})' },
  { name: 'take_any', detail: 'take_any(x): any value', snippet: 'take_any(${1:x})' },
  { name: 'window_funnel', detail: 'window_funnel(timespan, time, step1, ...): steps seen in order', snippet: 'window_funnel(${1:1h}, time, ${2:a}, ${3:b})' },
  { name: 'arg_max', detail: 'arg_max(expr, cols | *): the row with the largest expr', snippet: 'arg_max(${1:time}, *)' },
  { name: 'arg_min', detail: 'arg_min(expr, cols | *): the row with the smallest expr', snippet: 'arg_min(${1:time}, *)' },
];

/** String predicates written as words; the compiler's grammar uses these very lists. */
export const STRING_OPS = [
  'has',
  '!has',
  'has_cs',
  '!has_cs',
  'contains',
  '!contains',
  'contains_cs',
  '!contains_cs',
  'startswith',
  '!startswith',
  'startswith_cs',
  '!startswith_cs',
  'endswith',
  '!endswith',
  'endswith_cs',
  '!endswith_cs',
  'matches regex',
] as const;

export const LIST_OPS = ['in', '!in', 'in~', '!in~', 'has_any', 'has_all'] as const;

/** Comparison and list operators written as words (the symbols are `== != < <= > >= =~ !~`). */
export const LANGUAGE_WORD_OPERATORS: readonly string[] = [...STRING_OPS, ...LIST_OPS, 'between', '!between'];

export const LANGUAGE_KEYWORDS: readonly string[] = [
  'let',
  'by',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'with',
  'kind',
  'and',
  'or',
  'not',
  'true',
  'false',
  'null',
  'dynamic',
];

/** Variables every request defines. */
export const LANGUAGE_BUILTIN_VARIABLES: readonly LanguageItem[] = [
  { name: '$__interval', detail: 'bucket width of the panel (timespan)' },
  { name: '$__interval_ms', detail: 'bucket width in milliseconds' },
  { name: '$__from', detail: 'start of the time range' },
  { name: '$__to', detail: 'end of the time range' },
];
