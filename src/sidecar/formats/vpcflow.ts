import { KEY_LAYOUTS } from '../keys/layouts';
import { parseLines, type LineResult } from './lineFormat';
import { countOrNull, keyContext, portOrNull, present, SERVICE, type KeyContext } from './normalise';
import { PARQUET_MAGIC, parquetRows, parquetText } from './parquetRows';
import { readPrefix } from './prefix';
import { nameValues } from './tokens';
import { sampleOf, type LogFormat, type ObjectInfo, type ParsedEvent, type ParseItem } from './types';
import { flowFieldName, isFlowHeader, VPC_DEFAULT_FIELDS } from './vpcflowFields';

interface FlowContext extends KeyContext {
  keyTime: number | null;
}

const UNIX_SECONDS = /^\d{1,12}$/;

/** Time of a flow: its `start`, else its `end`, else (custom formats without either) the key's time. */
function flowTime(fields: Record<string, string>, ctx: FlowContext): number | null | string {
  for (const name of ['start', 'end']) {
    const value = present(fields[name]);
    if (!value) {
      continue;
    }
    if (!UNIX_SECONDS.test(value)) {
      return `field ${name}: expected Unix seconds, got "${value}"`;
    }
    return Number(value) * 1000;
  }
  return ctx.keyTime;
}

/** Normalises one flow record (named by the documented field names) into an event, or says why it cannot. */
export function normaliseFlow(fields: Record<string, string>, raw: string, ctx: FlowContext): ParsedEvent | string {
  const time = flowTime(fields, ctx);
  if (typeof time === 'string') {
    return time;
  }
  const action = present(fields.action);
  const account = present(fields['account-id']);
  return {
    time,
    eventName: action,
    srcIp: present(fields.srcaddr),
    srcPort: portOrNull(fields.srcport),
    dstIp: present(fields.dstaddr),
    dstPort: portOrNull(fields.dstport),
    outcome: action === 'ACCEPT' ? 'success' : action === 'REJECT' ? 'failure' : 'unknown',
    status: present(fields['log-status']),
    severity: action === 'REJECT' ? 'warning' : 'info',
    region: present(fields.region) || ctx.region,
    account: account && account !== 'unknown' ? account : ctx.account,
    service: SERVICE.vpcflow,
    bytes: countOrNull(fields.bytes),
    fields,
    raw,
  };
}

/**
 * Reads text flow logs: a header line names the fields; without one, the fields the source
 * declares (its vpcFlowFormat), else the default version-2 order.
 */
function flowLineParser(ctx: FlowContext, declared: readonly string[] | undefined): (text: string) => LineResult {
  let names: readonly string[] = declared ?? VPC_DEFAULT_FIELDS;
  let header = false;
  return (text) => {
    let values = text.split(' ');
    if (values.includes('')) {
      values = values.filter((v) => v !== '');
    }
    const first = text.charCodeAt(0);
    if (first >= 97 && first <= 122 && isFlowHeader(values)) {
      names = values;
      header = true;
      return null;
    }
    if (values.length !== names.length) {
      if (header) {
        return `expected ${names.length} space-separated fields as the header line lists (${names.slice(0, 3).join(' ')} …), found ${values.length}`;
      }
      return declared
        ? `expected the ${names.length} space-separated fields of the source's vpcFlowFormat (${names.slice(0, 3).join(' ')} …; there is no header line), found ${values.length}`
        : `expected the ${names.length} space-separated fields of the default version-2 format (there is no header line; a source with a custom format declares it in vpcFlowFormat), found ${values.length}`;
    }
    if (!header && names[0] === 'version' && !/^\d+$/.test(values[0])) {
      return `field 1 (version): expected a flow log version number, got "${values[0]}"`;
    }
    return normaliseFlow(nameValues(names, values), text, ctx);
  };
}

async function* parseParquetFlows(chunks: AsyncIterable<Buffer>, ctx: FlowContext): AsyncGenerator<ParseItem> {
  const names = new Map<string, string>();
  for await (const { row, record, problem } of parquetRows(chunks)) {
    if (!record) {
      yield { malformed: { record: row, reason: problem ?? 'unreadable row', sample: '' } };
      continue;
    }
    const fields: Record<string, string> = {};
    const values: string[] = [];
    for (const column in record) {
      let name = names.get(column);
      if (name === undefined) {
        name = flowFieldName(column);
        names.set(column, name);
      }
      const text = parquetText(record[column]);
      fields[name] = text;
      values.push(text);
    }
    const raw = values.join(' ');
    const event = normaliseFlow(fields, raw, ctx);
    yield typeof event === 'string' ? { malformed: { record: row, reason: event, sample: sampleOf(raw) } } : { event };
  }
}

export const vpcflow: LogFormat = {
  type: 'vpcflow',
  matchesKey: KEY_LAYOUTS.vpcflow.matches,
  sniff: (head) => {
    const first = head.split('\n', 1)[0].trim();
    return (
      isFlowHeader(first.split(/ +/)) ||
      /^\d+ (?:\d{12}|unknown) eni-[0-9a-f]+ \S+ \S+ \S+ \S+ \S+ \S+ \S+ (?:\d+|-) (?:\d+|-) (?:ACCEPT|REJECT|-) (?:OK|NODATA|SKIPDATA)$/.test(first)
    );
  },
  async *parse(chunks: AsyncIterable<Buffer>, info: ObjectInfo): AsyncGenerator<ParseItem> {
    const ctx: FlowContext = { ...keyContext(info.key), keyTime: info.keyTime };
    const { prefix, chunks: whole } = await readPrefix(chunks, PARQUET_MAGIC.length);
    if (prefix.toString('latin1') === PARQUET_MAGIC) {
      yield* parseParquetFlows(whole, ctx);
    } else {
      yield* parseLines(whole, flowLineParser(ctx, info.vpcFlowFields));
    }
  },
};
