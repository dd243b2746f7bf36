/** S3 quotes ETags in responses (`"9b2c…"`) and not in notifications: the ledger and every key built from one keep them bare. */
export function unquoteEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/"/g, '');
}
