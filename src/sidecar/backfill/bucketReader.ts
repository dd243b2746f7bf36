import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { unquoteEtag } from '../aws/etag';
import { errorMessage } from '../log';
import type { ListedObject } from './select';

export interface ObjectPage {
  objects: ListedObject[];
  /** Where the next page starts; undefined on the last page. */
  nextToken?: string;
}

export interface FolderListing {
  /** Common prefixes directly under the prefix, in full. */
  folders: string[];
  /** Objects directly under the prefix (not in a folder). */
  files: number;
}

/** The two ListObjectsV2 uses of a backfill: folders under a prefix, and pages of objects. */
export interface BucketReader {
  readonly bucket: string;
  /** Every common prefix directly under `prefix`, cut at `delimiter` (all pages). */
  folders(prefix: string, delimiter?: string): Promise<FolderListing>;
  page(prefix: string, token?: string, maxKeys?: number): Promise<ObjectPage>;
}

export type BucketProblem = 'no-such-bucket' | 'access-denied' | 'unreachable';

/** A listing that cannot succeed by retrying: the bucket is missing or the credentials may not list it. */
export class BucketAccessError extends Error {
  constructor(
    readonly problem: BucketProblem,
    message: string
  ) {
    super(message);
  }
}

/** S3 errors that no retry fixes, turned into a message naming the bucket and prefix. */
export function bucketAccessError(err: unknown, bucket: string, prefix: string): BucketAccessError | undefined {
  const name = (err as { name?: string }).name ?? '';
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const where = `s3://${bucket}/${prefix}`;
  if (name === 'NoSuchBucket' || (status === 404 && name !== 'NoSuchKey')) {
    return new BucketAccessError('no-such-bucket', `bucket "${bucket}" does not exist (listing ${where})`);
  }
  if (name === 'AccessDenied' || name === 'Forbidden' || name === 'AllAccessDisabled' || status === 403) {
    return new BucketAccessError('access-denied', `access denied listing ${where}: the sidecar's credentials (or the assumed role) need s3:ListBucket on it`);
  }
  if (/ExpiredToken|InvalidAccessKeyId|SignatureDoesNotMatch|InvalidClientTokenId/.test(name)) {
    return new BucketAccessError('access-denied', `credentials rejected listing ${where}: ${name}`);
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed') {
    return new BucketAccessError('unreachable', `bucket "${bucket}" is in another region than the one given (${errorMessage(err)})`);
  }
  return undefined;
}

const LIST_TIMEOUT_MS = 30_000;

/** A BucketReader over a real S3 client (AWS, an S3-compatible store or the emulator). */
export class S3BucketReader implements BucketReader {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly signal?: AbortSignal
  ) {}

  async folders(prefix: string, delimiter = '/'): Promise<FolderListing> {
    const out: FolderListing = { folders: [], files: 0 };
    let token: string | undefined;
    do {
      const response = await this.list({ Bucket: this.bucket, Prefix: prefix, Delimiter: delimiter, ContinuationToken: token }, prefix);
      for (const p of response.CommonPrefixes ?? []) {
        if (p.Prefix) {
          out.folders.push(p.Prefix);
        }
      }
      out.files += response.Contents?.length ?? 0;
      token = response.IsTruncated ? response.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async page(prefix: string, token?: string, maxKeys = 1000): Promise<ObjectPage> {
    const response = await this.list({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: maxKeys }, prefix);
    const objects = (response.Contents ?? []).map((o): ListedObject => ({
      key: o.Key ?? '',
      size: Number(o.Size ?? 0),
      etag: unquoteEtag(o.ETag),
      lastModified: o.LastModified?.getTime() ?? 0,
    }));
    return { objects, nextToken: response.IsTruncated ? response.NextContinuationToken : undefined };
  }

  private async list(input: ConstructorParameters<typeof ListObjectsV2Command>[0], prefix: string) {
    const timeout = AbortSignal.timeout(LIST_TIMEOUT_MS);
    const abortSignal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    try {
      return await this.s3.send(new ListObjectsV2Command(input), { abortSignal });
    } catch (err) {
      throw bucketAccessError(err, this.bucket, prefix) ?? err;
    }
  }
}
