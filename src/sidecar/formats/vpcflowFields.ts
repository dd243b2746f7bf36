/** The default flow log format: the version-2 fields in this order, written without a header line. */
export const VPC_DEFAULT_FIELDS = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
] as const;

/** Every documented flow log field, by the version that introduced it. */
const FIELDS_BY_VERSION: Record<string, readonly string[]> = {
  2: VPC_DEFAULT_FIELDS,
  3: ['vpc-id', 'subnet-id', 'instance-id', 'tcp-flags', 'type', 'pkt-srcaddr', 'pkt-dstaddr'],
  4: ['region', 'az-id', 'sublocation-type', 'sublocation-id'],
  5: ['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path'],
  7: [
    'ecs-cluster-arn',
    'ecs-cluster-name',
    'ecs-container-instance-arn',
    'ecs-container-instance-id',
    'ecs-container-id',
    'ecs-second-container-id',
    'ecs-service-name',
    'ecs-task-definition-arn',
    'ecs-task-arn',
    'ecs-task-id',
  ],
  8: ['reject-reason'],
  // Added after version 8 (Transit Gateway and encryption fields); listed so headers using them are recognised.
  9: ['resource-id', 'encryption-status'],
};

export const VPC_KNOWN_FIELDS: ReadonlySet<string> = new Set(Object.values(FIELDS_BY_VERSION).flat());

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * A header line names the record format's fields: every token looks like a field name and at
 * least half are documented ones (so a header with fields newer than this list still reads).
 */
export function isFlowHeader(tokens: readonly string[]): boolean {
  if (tokens.length === 0 || !tokens.every((t) => FIELD_NAME.test(t))) {
    return false;
  }
  const known = tokens.filter((t) => VPC_KNOWN_FIELDS.has(t)).length;
  return known * 2 >= tokens.length;
}

/** Parquet columns spell the fields with `_` (`log_status`); records keep the documented `-` names. */
export function flowFieldName(column: string): string {
  if (VPC_KNOWN_FIELDS.has(column)) {
    return column;
  }
  const hyphenated = column.replace(/_/g, '-');
  return VPC_KNOWN_FIELDS.has(hyphenated) ? hyphenated : column;
}

/**
 * A flow log record format as a source declares it, for files written without a header line: the
 * field names in order, space-separated, as in the flow log's LogFormat (`${version} ${srcaddr} …`,
 * the `${}` optional). Returns the names, or why the format cannot be used.
 */
export function parseFlowFormat(format: string): { fields: string[] } | { error: string } {
  const fields = format
    .trim()
    .split(/\s+/)
    .map((token) => /^\$\{(.*)\}$/.exec(token)?.[1] ?? token)
    .map((name) => flowFieldName(name));
  if (fields.length === 0 || fields[0] === '') {
    return { error: 'names no field' };
  }
  const unknown = fields.filter((f) => !VPC_KNOWN_FIELDS.has(f));
  if (unknown.length) {
    return {
      error: `${unknown.map((f) => `"${f}"`).join(', ')} ${unknown.length === 1 ? 'is not a' : 'are not'} VPC flow log field${unknown.length === 1 ? '' : 's'} (known: ${[...VPC_KNOWN_FIELDS].join(' ')})`,
    };
  }
  const repeated = fields.filter((f, i) => fields.indexOf(f) !== i);
  if (repeated.length) {
    return { error: `names ${repeated.map((f) => `"${f}"`).join(', ')} more than once` };
  }
  return { fields };
}
