import { versionKey, type ObjectVersion, type Store } from './store';
import { toClickHouseTime } from './time';

/** An object of a group of live objects, as its notification named it. */
export interface LiveGroupMember extends ObjectVersion {
  size: number;
  region: string;
  eventTime: string;
}

interface MemberRow {
  source_id: string;
  bucket: string;
  key: string;
  etag: string;
  group_id: string;
  size: string | number;
  region: string;
  event_time: string;
}

/**
 * The live_groups table: which live objects were inserted together (ingest/liveGroups.ts), one row
 * per object, written before the group's insert.
 */
export class LiveGroupTable {
  constructor(private readonly store: Pick<Store, 'query' | 'insertRows'>) {}

  /** Records a group, its members in the order their rows are inserted; one insert, so all of it or none. */
  async record(sourceId: string, groupId: string, members: LiveGroupMember[]): Promise<void> {
    const createdAt = toClickHouseTime(Date.now());
    await this.store.insertRows(
      'live_groups',
      members.map((m, position) => ({
        source_id: sourceId,
        bucket: m.bucket,
        key: m.key,
        etag: m.etag,
        group_id: groupId,
        position,
        size: m.size,
        region: m.region,
        event_time: m.eventTime,
        created_at: createdAt,
      }))
    );
  }

  /** The group each of these objects was recorded in, and its source, by versionKey; objects in none are left out. */
  async groupsOf(objects: ObjectVersion[]): Promise<Map<string, { sourceId: string; groupId: string }>> {
    if (objects.length === 0) {
      return new Map();
    }
    const { rows } = await this.store.query<MemberRow>(
      'SELECT source_id, bucket, key, etag, group_id FROM live_groups WHERE bucket IN {buckets:Array(String)} AND key IN {keys:Array(String)}',
      { buckets: [...new Set(objects.map((o) => o.bucket))], keys: [...new Set(objects.map((o) => o.key))] }
    );
    const wanted = new Set(objects.map(versionKey));
    return new Map(rows.filter((r) => wanted.has(versionKey(r))).map((r) => [versionKey(r), { sourceId: r.source_id, groupId: r.group_id }]));
  }

  /** A group's members, in the order they were recorded. */
  async members(sourceId: string, groupId: string): Promise<LiveGroupMember[]> {
    const { rows } = await this.store.query<MemberRow>(
      `SELECT bucket, key, etag, size, region, event_time FROM live_groups
       WHERE source_id = {source:String} AND group_id = {group:String} ORDER BY position`,
      { source: sourceId, group: groupId }
    );
    return rows.map((r) => ({ bucket: r.bucket, key: r.key, etag: r.etag, size: Number(r.size), region: r.region, eventTime: r.event_time }));
  }
}
