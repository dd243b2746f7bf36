import type { LogType } from '../../shared/api';

export type Outcome = 'success' | 'failure' | 'unknown';

/** One record, normalised into the common columns; every parsed field stays in `fields`. */
export interface ParsedEvent {
  /** Event time in ms since the epoch; null when the record has none (the key's time is used). */
  time: number | null;
  eventName?: string;
  actor?: string;
  srcIp?: string;
  srcPort?: number | null;
  dstIp?: string;
  dstPort?: number | null;
  outcome?: Outcome;
  status?: string;
  region?: string;
  account?: string;
  service?: string;
  userAgent?: string;
  bytes?: number | null;
  /** Log level for Grafana; derived from the outcome when a parser does not set it. */
  severity?: 'info' | 'warning' | 'error';
  fields: Record<string, string>;
  raw: string;
}

export interface MalformedRecord {
  /** 1-based record or line number in the object. */
  record: number;
  reason: string;
  sample: string;
}

export type ParseItem = { event: ParsedEvent } | { malformed: MalformedRecord };

/** What the parser knows about the object it reads. */
export interface ObjectInfo {
  bucket: string;
  key: string;
  size: number;
  /** Time written in the key (`.../2020/01/01/..._20200101T0000Z_...`), when there is one. */
  keyTime: number | null;
  /** Field holding the event time in generic JSON and key=value logs, when the source names one (else it is detected). */
  timeField?: string;
  /** VPC flow logs without a header line: the fields of each record, in order, as the source declares them (else the default format). */
  vpcFlowFields?: readonly string[];
}

export interface LogFormat {
  type: LogType;
  /** True when the S3 key layout says the object holds this type. */
  matchesKey(key: string): boolean;
  /** True when the start of the decoded content looks like this type. */
  sniff(head: string): boolean;
  /** Why an object of this type holds no events and must be skipped (CloudTrail digests), if so. */
  skipReason?(key: string): string | undefined;
  /** Reads the decoded bytes of one object and yields events and malformed records, streaming. */
  parse(chunks: AsyncIterable<Buffer>, info: ObjectInfo): AsyncIterable<ParseItem>;
}

export const SAMPLE_CHARS = 300;

export function sampleOf(text: string): string {
  return text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}…` : text;
}
