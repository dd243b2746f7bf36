import type { SourceLogType } from '../../shared/api';
import { elbLogKind, type ElbLogKind } from '../keys/elbKeys';
import { timeFromKey } from '../keys/keyTime';
import { KEY_LAYOUTS, logTypeOfKey } from '../keys/layouts';

/** One object as ListObjectsV2 returns it. */
export interface ListedObject {
  key: string;
  size: number;
  /** Without quotes. */
  etag: string;
  /** ms since the epoch. */
  lastModified: number;
}

/** Which objects of a listed prefix a backfill takes; serialisable, so it is checkpointed with the prefix. */
export interface ObjectFilter {
  /** Key time window in ms, [from, to); null ends are open. */
  from: number | null;
  to: number | null;
  logType: SourceLogType;
  /** In an `elasticloadbalancing/` folder, only files of this load balancer kind. */
  elbKind?: ElbLogKind;
}

/** `<distribution>.YYYY-MM-DD-HH.<id>[.gz]`: the hour the requests occurred. */
const CLOUDFRONT_HOUR = /(?:^|\/)[A-Z0-9]+\.(\d{4})-(\d{2})-(\d{2})-(\d{2})\.[^/]+$/;

/** The time an object is filed under: the one in its key, else its LastModified. */
export function objectTime(object: Pick<ListedObject, 'key' | 'lastModified'>): number {
  const fromKey = timeFromKey(object.key);
  if (fromKey !== null) {
    return fromKey;
  }
  const cf = CLOUDFRONT_HOUR.exec(object.key);
  if (cf) {
    return Date.UTC(+cf[1], +cf[2] - 1, +cf[3], +cf[4]);
  }
  return object.lastModified;
}

/** Why a listed object is not a log worth a notification, or undefined when it is one. */
export function notALog(object: ListedObject, logType: SourceLogType): string | undefined {
  if (object.key.endsWith('/')) {
    return 'folder marker';
  }
  if (object.size === 0) {
    return 'empty object';
  }
  const type = logType === 'auto' ? logTypeOfKey(object.key) : logType;
  return type && KEY_LAYOUTS[type].skipReason?.(object.key);
}

/** Whether the backfill takes this object: a log, of the wanted kind, filed inside the window. */
export function selects(filter: ObjectFilter, object: ListedObject): boolean {
  if (notALog(object, filter.logType) !== undefined) {
    return false;
  }
  if (filter.elbKind && elbLogKind(object.key) !== filter.elbKind) {
    return false;
  }
  if (filter.from === null && filter.to === null) {
    return true;
  }
  const time = objectTime(object);
  return (filter.from === null || time >= filter.from) && (filter.to === null || time < filter.to);
}
