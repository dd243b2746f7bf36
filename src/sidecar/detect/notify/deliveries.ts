import type { ChannelType, Delivery, DeliveryState } from '../../../shared/detections';
import type { Store } from '../../store/store';
import { toClickHouseTime, toIso } from '../../store/time';

/** One detection sent to one channel, as stored; a new row version per attempt. */
export interface DeliveryRecord {
  fingerprint: string;
  channel: string;
  channelType: ChannelType;
  ruleId: string;
  title: string;
  /** The sidecar that sends it. */
  owner: string;
  state: DeliveryState;
  attempts: number;
  lastError: string;
  nextAt: number;
  createdAt: number;
  updatedAt: number;
}

interface DeliveryRow {
  fingerprint: string;
  channel: string;
  channel_type: string;
  rule_id: string;
  title: string;
  owner: string;
  state: string;
  attempts: number;
  last_error: string;
  next_at: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The detection_deliveries table: which sidecar sends what where, each attempt, and what became of it. */
export class DeliveryRepository {
  private lastVersion = 0;

  constructor(private readonly store: Store) {}

  /**
   * Claims a delivery: inserted with a dedup token of the detection and channel, so only the
   * first sidecar to claim it sends it, even when two took the detection for new.
   */
  async claim(record: DeliveryRecord): Promise<boolean> {
    return this.insertClaimed(record, `deliver:${record.fingerprint}:${record.channel}`);
  }

  /**
   * Takes over a pending delivery whose owner stopped updating it (a sidecar that died). The
   * token names the version taken over, so of several sidecars taking over one only one does.
   */
  async takeOver(record: DeliveryRecord & { version: number }, owner: string, at: number): Promise<boolean> {
    return this.insertClaimed({ ...record, owner, updatedAt: at }, `takeover:${record.fingerprint}:${record.channel}:${record.version}`);
  }

  async save(record: DeliveryRecord): Promise<void> {
    await this.store.insertRows('detection_deliveries', [this.row(record)]);
  }

  /** Pending deliveries last updated before `before` (their owner may be gone). */
  async stale(before: number): Promise<Array<DeliveryRecord & { version: number }>> {
    const { rows } = await this.store.query<DeliveryRow>(
      `SELECT * FROM detection_deliveries FINAL WHERE state = 'pending' AND updated_at < {before:DateTime64(3, 'UTC')} ORDER BY next_at LIMIT 1000`,
      { before: toClickHouseTime(before) }
    );
    return rows.map((r) => ({ ...toRecord(r), version: Number(r.version) }));
  }

  /** Deliveries, most recently changed first; failed ones only when asked. */
  async list(options: { states?: DeliveryState[]; fingerprint?: string; limit: number }): Promise<Delivery[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: options.limit };
    if (options.states?.length) {
      where.push('state IN {states:Array(String)}');
      params.states = options.states;
    }
    if (options.fingerprint) {
      where.push('fingerprint = {fp:String}');
      params.fp = options.fingerprint;
    }
    const { rows } = await this.store.query<DeliveryRow>(
      `SELECT * FROM detection_deliveries FINAL ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, fingerprint, channel LIMIT {limit:UInt32}`,
      params
    );
    return rows.map((r) => {
      const { owner: _owner, nextAt, createdAt, updatedAt, ...rest } = toRecord(r);
      const iso = (ms: number) => new Date(ms).toISOString();
      return { ...rest, nextAt: iso(nextAt), createdAt: iso(createdAt), updatedAt: iso(updatedAt) };
    });
  }

  private async insertClaimed(record: DeliveryRecord, token: string): Promise<boolean> {
    await this.store.insertRows('detection_deliveries', [this.row(record)], token);
    const { rows } = await this.store.query<{ owner: string }>(
      'SELECT owner FROM detection_deliveries FINAL WHERE fingerprint = {fp:String} AND channel = {channel:String}',
      { fp: record.fingerprint, channel: record.channel }
    );
    return rows.length === 1 && rows[0].owner === record.owner;
  }

  /** Increasing across calls and restarts, so a delivery's latest row wins. */
  private version(): number {
    this.lastVersion = Math.max(Date.now() * 1000, this.lastVersion + 1);
    return this.lastVersion;
  }

  private row(r: DeliveryRecord) {
    return {
      fingerprint: r.fingerprint,
      channel: r.channel,
      channel_type: r.channelType,
      rule_id: r.ruleId,
      title: r.title,
      owner: r.owner,
      state: r.state,
      attempts: r.attempts,
      last_error: r.lastError,
      next_at: toClickHouseTime(r.nextAt),
      created_at: toClickHouseTime(r.createdAt),
      updated_at: toClickHouseTime(r.updatedAt),
      version: this.version(),
    };
  }
}

function toRecord(r: DeliveryRow): DeliveryRecord {
  const ms = (value: string) => Date.parse(toIso(value));
  return {
    fingerprint: r.fingerprint,
    channel: r.channel,
    channelType: r.channel_type as ChannelType,
    ruleId: r.rule_id,
    title: r.title,
    owner: r.owner,
    state: r.state as DeliveryState,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    nextAt: ms(r.next_at),
    createdAt: ms(r.created_at),
    updatedAt: ms(r.updated_at),
  };
}
