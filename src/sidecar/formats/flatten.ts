const MAX_DEPTH = 6;
const MAX_VALUE_CHARS = 8192;
/** Joined paths kept for reuse at most, and the longest one kept: what a stream of hostile keys can hold. */
const MAX_KEPT_PATHS = 10_000;
const MAX_KEPT_PATH_CHARS = 256;

/**
 * Dotted paths already joined, by prefix then key. Records of one format repeat the same paths, so
 * each path string is made once, not once per record: fewer strings for the garbage collector.
 */
const paths = new Map<string, Map<string, string>>();
let keptPaths = 0;

/**
 * Flattens a parsed JSON record into dotted paths (`userIdentity.sessionContext.sessionIssuer.arn`)
 * with string values, so every field can be queried under its original name. Arrays and objects
 * deeper than MAX_DEPTH are kept whole as JSON text.
 */
export function flatten(value: unknown, out: Record<string, string> = {}, prefix = '', depth = 0): Record<string, string> {
  if (value === null || value === undefined) {
    if (prefix) {
      out[prefix] = '';
    }
    return out;
  }
  if (typeof value !== 'object') {
    out[prefix] = clip(String(value));
    return out;
  }
  if (Array.isArray(value) || depth >= MAX_DEPTH) {
    out[prefix] = clip(JSON.stringify(value));
    return out;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (Object.hasOwn(record, key)) {
      flatten(record[key], out, prefix ? pathOf(prefix, key) : key, depth + 1);
    }
  }
  return out;
}

function pathOf(prefix: string, key: string): string {
  let byKey = paths.get(prefix);
  const known = byKey?.get(key);
  if (known !== undefined) {
    return known;
  }
  const path = `${prefix}.${key}`;
  if (keptPaths < MAX_KEPT_PATHS && path.length <= MAX_KEPT_PATH_CHARS) {
    if (!byKey) {
      byKey = new Map();
      paths.set(prefix, byKey);
    }
    byKey.set(key, path);
    keptPaths++;
  }
  return path;
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) : text;
}
