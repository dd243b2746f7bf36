const MAX_DEPTH = 6;
const MAX_VALUE_CHARS = 8192;

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
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    flatten(v, out, prefix ? `${prefix}.${k}` : k, depth + 1);
  }
  return out;
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) : text;
}
