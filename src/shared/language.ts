// The search language's vocabulary as the Grafana editor offers it (highlighting, completion,
// hover text). `language.test.ts` checks it against the compiler's own registries.

export interface LanguageItem {
  name: string;
  /** One line shown beside the completion. */
  detail: string;
  /** Monaco snippet inserted instead of the name (`${1:placeholder}`). */
  snippet?: string;
}

// ---- The KQL of Microsoft Sentinel's queries: its AWS tables, and the operators, functions and
// aggregates its published queries use (src/sidecar/query/README.md, "Sentinel queries").

/** Sentinel's tables for AWS logs, with the columns Microsoft documents. */
export const SENTINEL_LANGUAGE_TABLES: readonly string[] = ['AWSCloudTrail', 'AWSVPCFlow', 'AWSGuardDuty', 'AWSWAF', 'AWSALBAccessLogs'];

const KQL_LANGUAGE_STAGES: readonly LanguageItem[] = [
  { name: 'project-keep', detail: 'keep only these columns (name* patterns)', snippet: 'project-keep ${1:column}' },
  { name: 'project-reorder', detail: 'put these columns first [asc|desc]', snippet: 'project-reorder ${1:column}' },
  { name: 'top-nested', detail: 'top n of a column by an aggregate, level by level', snippet: 'top-nested ${1:3} of ${2:column} by ${3:count()}' },
  { name: 'mv-apply', detail: "run a subquery over each row's array elements", snippet: 'mv-apply ${1:x} = ${2:array} on (${3:where x != ""})' },
  { name: 'parse-where', detail: 'parse, keeping only the rows that match', snippet: 'parse-where ${1:expr} with * "${2:literal}" ${3:name}' },
  { name: 'join', detail: 'join kind=inner|leftouter|leftanti|... (table) on key', snippet: 'join kind=${1:inner} (${2:table}) on ${3:key}' },
  { name: 'lookup', detail: 'add the columns of a table by key (kind=leftouter|inner)', snippet: 'lookup (${1:table}) on ${2:key}' },
  { name: 'union', detail: 'the rows of this and other tables', snippet: 'union ${1:table}' },
  { name: 'as', detail: 'name the rows so far, for a later join or union', snippet: 'as ${1:name}' },
  {
    name: 'make-series',
    detail: 'aggregate into arrays over a time axis',
    snippet: 'make-series ${1:count()} default = 0 on ${2:TimeGenerated} step ${3:1h} by ${4:column}',
  },
  { name: 'render', detail: 'a visualisation hint: timechart, barchart, piechart, ...', snippet: 'render ${1:timechart}' },
  { name: 'sample', detail: 'n rows at random', snippet: 'sample ${1:10}' },
  { name: 'getschema', detail: 'the columns and their types' },
  { name: 'serialize', detail: 'keep the row order (and add columns)' },
];

const alias = (name: string, of: string): LanguageItem => ({ name, detail: `older spelling of ${of}`, snippet: `${name}(\${1:x})` });

const KQL_LANGUAGE_FUNCTIONS: readonly LanguageItem[] = [
  { name: 'parse_json', detail: 'parse_json(text): a dynamic value (.name, [i])', snippet: 'parse_json(${1:text})' },
  alias('todynamic', 'parse_json'),
  alias('parsejson', 'parse_json'),
  { name: 'bag_keys', detail: 'bag_keys(bag): its keys', snippet: 'bag_keys(${1:bag})' },
  { name: 'pack', detail: 'pack(key, value, ...): a property bag', snippet: 'pack("${1:key}", ${2:value})' },
  alias('bag_pack', 'pack'),
  alias('pack_dictionary', 'pack'),
  { name: 'pack_array', detail: 'pack_array(a, b, ...): a dynamic array', snippet: 'pack_array(${1:a}, ${2:b})' },
  { name: 'set_has_element', detail: 'set_has_element(array, value)', snippet: 'set_has_element(${1:array}, ${2:value})' },
  { name: 'array_index_of', detail: 'array_index_of(array, value): -1 when absent', snippet: 'array_index_of(${1:array}, ${2:value})' },
  { name: 'array_concat', detail: 'array_concat(a, b, ...)', snippet: 'array_concat(${1:a}, ${2:b})' },
  { name: 'array_slice', detail: 'array_slice(array, start, end)', snippet: 'array_slice(${1:array}, ${2:0}, ${3:-1})' },
  { name: 'array_sum', detail: 'array_sum(array)', snippet: 'array_sum(${1:array})' },
  { name: 'array_sort_asc', detail: 'array_sort_asc(array)', snippet: 'array_sort_asc(${1:array})' },
  { name: 'array_sort_desc', detail: 'array_sort_desc(array)', snippet: 'array_sort_desc(${1:array})' },
  alias('arraylength', 'array_length'),
  { name: 'set_union', detail: 'set_union(a, b, ...): distinct elements of all', snippet: 'set_union(${1:a}, ${2:b})' },
  { name: 'set_intersect', detail: 'set_intersect(a, b, ...)', snippet: 'set_intersect(${1:a}, ${2:b})' },
  { name: 'set_difference', detail: 'set_difference(a, b, ...): in a, in no other', snippet: 'set_difference(${1:a}, ${2:b})' },
  { name: 'strcat_array', detail: 'strcat_array(array, delimiter)', snippet: 'strcat_array(${1:array}, "${2:,}")' },
  { name: 'case', detail: 'case(cond1, then1, ..., else)', snippet: 'case(${1:condition}, ${2:then}, ${3:else})' },
  { name: 'coalesce', detail: 'coalesce(a, b, ...): the first not null or empty', snippet: 'coalesce(${1:a}, ${2:b})' },
  { name: 'max_of', detail: 'max_of(a, b, ...)', snippet: 'max_of(${1:a}, ${2:b})' },
  { name: 'min_of', detail: 'min_of(a, b, ...)', snippet: 'min_of(${1:a}, ${2:b})' },
  { name: 'extract_all', detail: 'extract_all(regex, text): every match of group 1', snippet: 'extract_all("${1:regex}", ${2:text})' },
  { name: 'replace_string', detail: 'replace_string(text, lookup, replacement)', snippet: 'replace_string(${1:text}, "${2:a}", "${3:b}")' },
  { name: 'replace_regex', detail: 'replace_regex(text, regex, replacement)', snippet: 'replace_regex(${1:text}, "${2:regex}", "${3:b}")' },
  { name: 'trim', detail: 'trim(regex, text): the regex removed at both ends', snippet: 'trim("${1: }", ${2:text})' },
  { name: 'trim_start', detail: 'trim_start(regex, text)', snippet: 'trim_start("${1: }", ${2:text})' },
  { name: 'trim_end', detail: 'trim_end(regex, text)', snippet: 'trim_end("${1: }", ${2:text})' },
  { name: 'indexof', detail: 'indexof(text, lookup): -1 when absent', snippet: 'indexof(${1:text}, "${2:x}")' },
  { name: 'indexof_regex', detail: 'indexof_regex(text, regex)', snippet: 'indexof_regex(${1:text}, "${2:regex}")' },
  { name: 'countof', detail: 'countof(text, lookup[, "regex"])', snippet: 'countof(${1:text}, "${2:x}")' },
  { name: 'reverse', detail: 'reverse(text)', snippet: 'reverse(${1:text})' },
  { name: 'base64_decode_tostring', detail: 'base64_decode_tostring(text)', snippet: 'base64_decode_tostring(${1:text})' },
  { name: 'tobool', detail: 'tobool(x): null when not true/false', snippet: 'tobool(${1:x})' },
  alias('toboolean', 'tobool'),
  alias('todecimal', 'todouble'),
  { name: 'todatetime', detail: 'todatetime(text): null when not a time', snippet: 'todatetime(${1:text})' },
  { name: 'unixtime_seconds_todatetime', detail: 'unixtime_seconds_todatetime(seconds)', snippet: 'unixtime_seconds_todatetime(${1:x})' },
  { name: 'totimespan', detail: 'totimespan(text): "1.02:03:04", "5m"', snippet: 'totimespan(${1:text})' },
  { name: 'format_datetime', detail: 'format_datetime(time, "yyyy-MM-dd HH:mm:ss")', snippet: 'format_datetime(${1:TimeGenerated}, "${2:yyyy-MM-dd}")' },
  { name: 'startofday', detail: 'startofday(time[, offset])', snippet: 'startofday(${1:TimeGenerated})' },
  { name: 'startofweek', detail: 'startofweek(time[, offset]): Sunday', snippet: 'startofweek(${1:TimeGenerated})' },
  { name: 'startofmonth', detail: 'startofmonth(time[, offset])', snippet: 'startofmonth(${1:TimeGenerated})' },
  { name: 'startofyear', detail: 'startofyear(time[, offset])', snippet: 'startofyear(${1:TimeGenerated})' },
  { name: 'datetime_diff', detail: 'datetime_diff("day", a, b): a - b in whole units', snippet: 'datetime_diff("${1:day}", ${2:a}, ${3:b})' },
  { name: 'datetime_add', detail: 'datetime_add("day", n, time)', snippet: 'datetime_add("${1:day}", ${2:1}, ${3:TimeGenerated})' },
  { name: 'dayofweek', detail: 'dayofweek(time): timespan since Sunday', snippet: 'dayofweek(${1:TimeGenerated})' },
  { name: 'hourofday', detail: 'hourofday(time): 0-23', snippet: 'hourofday(${1:TimeGenerated})' },
  { name: 'ipv4_is_match', detail: 'ipv4_is_match(ip, ip2[, prefix])', snippet: 'ipv4_is_match(${1:ip}, "${2:10.0.0.0}", ${3:8})' },
  { name: 'parse_ipv4', detail: 'parse_ipv4(ip): the address as a number', snippet: 'parse_ipv4(${1:ip})' },
  { name: 'ipv4_is_private_range', detail: 'ipv4_is_private_range(ip)', snippet: 'ipv4_is_private_range(${1:ip})' },
  { name: 'gettype', detail: 'gettype(x): string, long, real, bool, datetime, ...', snippet: 'gettype(${1:x})' },
  { name: 'sqrt', detail: 'sqrt(x)', snippet: 'sqrt(${1:x})' },
  { name: 'log', detail: 'log(x): natural logarithm', snippet: 'log(${1:x})' },
  { name: 'log10', detail: 'log10(x)', snippet: 'log10(${1:x})' },
  { name: 'exp', detail: 'exp(x)', snippet: 'exp(${1:x})' },
  { name: 'ceiling', detail: 'ceiling(x)', snippet: 'ceiling(${1:x})' },
  { name: 'pow', detail: 'pow(x, y)', snippet: 'pow(${1:x}, ${2:2})' },
  alias('floor', 'bin'),
  alias('notempty', 'isnotempty'),
  alias('notnull', 'isnotnull'),
  { name: 'series_add', detail: 'series_add(a, b): element by element', snippet: 'series_add(${1:a}, ${2:b})' },
  { name: 'series_subtract', detail: 'series_subtract(a, b)', snippet: 'series_subtract(${1:a}, ${2:b})' },
  { name: 'series_multiply', detail: 'series_multiply(a, b)', snippet: 'series_multiply(${1:a}, ${2:b})' },
  { name: 'series_divide', detail: 'series_divide(a, b)', snippet: 'series_divide(${1:a}, ${2:b})' },
  { name: 'series_greater', detail: 'series_greater(a, b)', snippet: 'series_greater(${1:a}, ${2:b})' },
  { name: 'series_less', detail: 'series_less(a, b)', snippet: 'series_less(${1:a}, ${2:b})' },
  { name: 'series_abs', detail: 'series_abs(a)', snippet: 'series_abs(${1:a})' },
  { name: 'series_fill_const', detail: 'series_fill_const(a, value)', snippet: 'series_fill_const(${1:a}, ${2:0})' },
  { name: 'series_fill_forward', detail: 'series_fill_forward(a)', snippet: 'series_fill_forward(${1:a})' },
  { name: 'series_fill_backward', detail: 'series_fill_backward(a)', snippet: 'series_fill_backward(${1:a})' },
  { name: 'series_stats', detail: '(min, min_idx, max, max_idx, avg, stdev, variance) = series_stats(a)', snippet: 'series_stats(${1:a})' },
  { name: 'series_stats_dynamic', detail: 'series_stats_dynamic(a): the statistics as a bag', snippet: 'series_stats_dynamic(${1:a})' },
  { name: 'series_fit_line', detail: '(rsquare, slope, variance, rvariance, interception, line_fit) = series_fit_line(a)', snippet: 'series_fit_line(${1:a})' },
  { name: 'series_fit_line_dynamic', detail: 'series_fit_line_dynamic(a): the fit as a bag', snippet: 'series_fit_line_dynamic(${1:a})' },
];

const KQL_LANGUAGE_AGGREGATES: readonly LanguageItem[] = [
  { name: 'sumif', detail: 'sumif(x, condition)', snippet: 'sumif(${1:x}, ${2:condition})' },
  { name: 'avgif', detail: 'avgif(x, condition)', snippet: 'avgif(${1:x}, ${2:condition})' },
  { name: 'minif', detail: 'minif(x, condition)', snippet: 'minif(${1:x}, ${2:condition})' },
  { name: 'maxif', detail: 'maxif(x, condition)', snippet: 'maxif(${1:x}, ${2:condition})' },
  { name: 'dcountif', detail: 'dcountif(x, condition)', snippet: 'dcountif(${1:x}, ${2:condition})' },
  { name: 'take_anyif', detail: 'take_anyif(x, condition)', snippet: 'take_anyif(${1:x}, ${2:condition})' },
  { name: 'make_set_if', detail: 'make_set_if(x, condition[, size])', snippet: 'make_set_if(${1:x}, ${2:condition})' },
  { name: 'make_list_if', detail: 'make_list_if(x, condition[, size])', snippet: 'make_list_if(${1:x}, ${2:condition})' },
  { name: 'make_bag', detail: 'make_bag(bag): the bags merged', snippet: 'make_bag(${1:bag})' },
  { name: 'stdev', detail: 'stdev(x): sample standard deviation', snippet: 'stdev(${1:x})' },
  { name: 'stdevp', detail: 'stdevp(x): population standard deviation', snippet: 'stdevp(${1:x})' },
  { name: 'variance', detail: 'variance(x): sample variance', snippet: 'variance(${1:x})' },
  { name: 'variancep', detail: 'variancep(x): population variance', snippet: 'variancep(${1:x})' },
  { name: 'percentile', detail: 'percentile(x, 95)', snippet: 'percentile(${1:x}, ${2:95})' },
  { name: 'percentiles', detail: 'percentiles(x, 50, 95, ...): a column per percentile', snippet: 'percentiles(${1:x}, ${2:50}, ${3:95})' },
  { name: 'percentiles_array', detail: 'percentiles_array(x, 50, 95, ...): one array', snippet: 'percentiles_array(${1:x}, ${2:50}, ${3:95})' },
  { name: 'any', detail: 'older spelling of take_any', snippet: 'any(${1:x})' },
  { name: 'anyif', detail: 'older spelling of take_anyif', snippet: 'anyif(${1:x}, ${2:condition})' },
  { name: 'makeset', detail: 'older spelling of make_set', snippet: 'makeset(${1:x})' },
  { name: 'makelist', detail: 'older spelling of make_list', snippet: 'makelist(${1:x})' },
  { name: 'make_set_with_nulls', detail: 'make_set(x) (nulls are not kept)', snippet: 'make_set_with_nulls(${1:x})' },
  { name: 'count_distinct', detail: 'same as dcount', snippet: 'count_distinct(${1:x})' },
];

/** Words of join, union, make-series, mv-expand, render and let functions. */
const KQL_LANGUAGE_KEYWORDS: readonly string[] = [
  'on',
  'withsource',
  'isfuzzy',
  'of',
  'step',
  'from',
  'to',
  'default',
  'typeof',
  'range',
  'materialize',
  'datatable',
  'print',
  'others',
];

/** `join kind=...`: KQL's default is innerunique. */
export const LANGUAGE_JOIN_KINDS: readonly string[] = [
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi',
  'anti',
  'leftantisemi',
  'rightantisemi',
  'semi',
];

/** `render ...`: charts over time become time series in Grafana, the others tables. */
export const LANGUAGE_VISUALIZATIONS: readonly string[] = [
  'table',
  'timechart',
  'linechart',
  'areachart',
  'stackedareachart',
  'barchart',
  'columnchart',
  'piechart',
  'scatterchart',
  'card',
  'anomalychart',
  'timepivot',
  'pivotchart',
  'treemap',
  'ladderchart',
];

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
  ...SENTINEL_LANGUAGE_TABLES,
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
  ...KQL_LANGUAGE_STAGES,
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
  { name: 'ipv4_is_private', detail: 'ipv4_is_private(ip): RFC 1918 address', snippet: 'ipv4_is_private(${1:srcIp})' },
  { name: 'array_length', detail: 'array_length(array)', snippet: 'array_length(${1:array})' },
  { name: 'round', detail: 'round(x[, digits])', snippet: 'round(${1:x}, ${2:2})' },
  { name: 'abs', detail: 'abs(x)', snippet: 'abs(${1:x})' },
  ...KQL_LANGUAGE_FUNCTIONS,
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
  { name: 'arg_max', detail: 'arg_max(expr, cols | *): the row with the largest expr', snippet: 'arg_max(${1:time}, *)' },
  { name: 'arg_min', detail: 'arg_min(expr, cols | *): the row with the smallest expr', snippet: 'arg_min(${1:time}, *)' },
  ...KQL_LANGUAGE_AGGREGATES,
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
  ...KQL_LANGUAGE_KEYWORDS,
];

/** Variables every request defines. */
export const LANGUAGE_BUILTIN_VARIABLES: readonly LanguageItem[] = [
  { name: '$__interval', detail: 'bucket width of the panel (timespan)' },
  { name: '$__interval_ms', detail: 'bucket width in milliseconds' },
  { name: '$__from', detail: 'start of the time range' },
  { name: '$__to', detail: 'end of the time range' },
];
