/**
 * The time an AWS service wrote into an object's key, in ms: the `_20200101T0000Z_` stamp of
 * CloudTrail, ELB and VPC flow logs, `YYYY-MM-DD-HH-MM-SS` of S3 access logs, or the
 * `/YYYY/MM/DD/(HH/)` folders. Null when the key carries no time.
 */
export function timeFromKey(key: string): number | null {
  const stamp = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z[_.]/.exec(key);
  if (stamp) {
    const [, y, mo, d, h, mi, s] = stamp;
    return Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
  }
  const dashed = /(?:^|\/)(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9A-F]{16}$/.exec(key);
  if (dashed) {
    const [, y, mo, d, h, mi, s] = dashed;
    return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  }
  const folders = /\/(\d{4})\/(\d{2})\/(\d{2})\/(?:(\d{2})\/)?/.exec(key);
  if (folders) {
    const [, y, mo, d, h] = folders;
    return Date.UTC(+y, +mo - 1, +d, h ? +h : 0);
  }
  return null;
}
