import type { BucketReader, FolderListing, ObjectPage } from './bucketReader';
import type { ListedObject } from './select';

/**
 * For unit tests only: an in-memory bucket that lists like S3 (byte order, delimiters,
 * continuation tokens) and records every call, so tests can assert what was listed.
 */
export class MemoryBucket implements BucketReader {
  readonly calls: Array<{ op: 'folders' | 'page'; prefix: string; delimiter?: string }> = [];
  private readonly objects: ListedObject[];

  constructor(
    readonly bucket: string,
    objects: Array<string | (Partial<ListedObject> & { key: string })>
  ) {
    this.objects = objects
      .map((o) => (typeof o === 'string' ? { key: o } : o))
      .map((o) => ({ size: 100, etag: `etag-${o.key}`, lastModified: 0, ...o }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async folders(prefix: string, delimiter = '/'): Promise<FolderListing> {
    this.calls.push({ op: 'folders', prefix, delimiter });
    const folders = new Set<string>();
    let files = 0;
    for (const o of this.objects) {
      if (!o.key.startsWith(prefix)) {
        continue;
      }
      const at = o.key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        folders.add(o.key.slice(0, at + delimiter.length));
      } else {
        files++;
      }
    }
    return { folders: [...folders].sort(), files };
  }

  async page(prefix: string, token?: string, maxKeys = 1000): Promise<ObjectPage> {
    this.calls.push({ op: 'page', prefix });
    const after = token ? Buffer.from(token, 'base64').toString('utf8') : '';
    const matching = this.objects.filter((o) => o.key.startsWith(prefix) && o.key > after);
    const objects = matching.slice(0, maxKeys);
    const more = matching.length > maxKeys;
    return { objects, nextToken: more ? Buffer.from(objects[objects.length - 1].key).toString('base64') : undefined };
  }

  /** Prefixes listed object by object (ListObjectsV2 without a delimiter). */
  pagedPrefixes(): string[] {
    return [...new Set(this.calls.filter((c) => c.op === 'page').map((c) => c.prefix))];
  }
}
