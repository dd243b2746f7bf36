import { gunzipSync } from 'node:zlib';
import type { GeneratedLogType } from './types';
import { FLOW_HEADER } from './vpcflow';

/** A generated object's events read back: CloudTrail records, ALB lines, flow records. */
export type ReadBack =
  | { logType: 'cloudtrail'; records: Array<Record<string, unknown>> }
  | { logType: 'alb'; lines: string[] }
  | { logType: 'vpcflow'; header: string; lines: string[] };

/** Gunzips a generated body and splits it into its events, checking the envelope. */
export function readBack<T extends GeneratedLogType>(logType: T, body: Buffer): Extract<ReadBack, { logType: T }> {
  return read(logType, body) as Extract<ReadBack, { logType: T }>;
}

function read(logType: GeneratedLogType, body: Buffer): ReadBack {
  const text = gunzipSync(body).toString('utf8');
  switch (logType) {
    case 'cloudtrail': {
      const doc = JSON.parse(text) as { Records?: unknown };
      if (!Array.isArray(doc.Records)) {
        throw new Error('a CloudTrail body must be {"Records":[...]}');
      }
      return { logType, records: doc.Records as Array<Record<string, unknown>> };
    }
    case 'alb':
      return { logType, lines: text.split('\n').filter((l) => l.length > 0) };
    case 'vpcflow': {
      const [header, ...lines] = text.split('\n').filter((l) => l.length > 0);
      if (header !== FLOW_HEADER) {
        throw new Error(`a flow log body must start with its header line, found ${JSON.stringify(header)}`);
      }
      return { logType, header, lines };
    }
  }
}

/** Splits an ELB access log line into its fields, quoted fields as one (without the quotes). */
export function albFields(line: string): string[] {
  const fields: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) {
    fields.push(m[1] ?? m[2]);
  }
  return fields;
}

/** The number of events in a read-back object. */
export function eventCount(read: ReadBack): number {
  return read.logType === 'cloudtrail' ? read.records.length : read.lines.length;
}
