/** cyrb53: a fast 53-bit string hash (public domain), for stable log line ids. */
function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Ids for log lines that stay the same across queries: a hash of what identifies the event
 * (object key, time and raw record). Identical records get `_2`, `_3`, ... in their order.
 */
export function lineIds(identities: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return identities.map((identity) => {
    const id = hash53(identity).toString(36);
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}_${n}`;
  });
}
