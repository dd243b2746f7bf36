import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decodeBody, peek } from '../ingest/decode';
import { timeFromKey } from '../keys/keyTime';
import { chunksOf } from './parseAll';
import { conformanceCases, conformanceFile, type ConformanceCase } from './conformanceCorpus';
import { detectFormat } from './registry';
import { parseFlowFormat } from './vpcflowFields';

const CASES = conformanceCases();

interface Outcome {
  logType: string;
  skipped: boolean;
  events: number;
  malformed: number;
  minTime: string | null;
  maxTime: string | null;
}

/** What ingesting the object yields: bytes as S3 serves them (gzipped for .gz keys), decoded, detected by key then content, parsed. */
async function ingestParse(c: ConformanceCase, raw = conformanceFile(c), vpcFlowFields?: string[]): Promise<Outcome> {
  const body = c.key.endsWith('.gz') ? gzipSync(raw) : raw;
  const { stream: decoded } = await decodeBody(Readable.from(chunksOf(body, 512)));
  const { head, stream } = await peek(decoded);
  const detection = detectFormat('auto', c.key, head);
  if ('error' in detection) {
    throw new Error(detection.error);
  }
  const outcome: Outcome = { logType: detection.format.type, skipped: Boolean(detection.skip), events: 0, malformed: 0, minTime: null, maxTime: null };
  if (detection.skip) {
    return outcome;
  }
  const keyTime = timeFromKey(c.key);
  let min = Infinity;
  let max = -Infinity;
  for await (const item of detection.format.parse(stream, { bucket: 'conformance', key: c.key, size: body.length, keyTime, vpcFlowFields })) {
    if ('malformed' in item) {
      outcome.malformed++;
      continue;
    }
    outcome.events++;
    const time = item.event.time ?? keyTime;
    if (time === null) {
      throw new Error(`${c.file}: an event has no time and the key carries none`);
    }
    min = Math.min(min, time);
    max = Math.max(max, time);
  }
  if (outcome.events > 0) {
    outcome.minTime = new Date(min).toISOString();
    outcome.maxTime = new Date(max).toISOString();
  }
  return outcome;
}

const iso = (time: string | undefined) => (time === undefined ? null : new Date(time).toISOString());

describe('conformance corpus (detect + parse, no emulator)', () => {
  it('has cases', () => {
    expect(CASES.length).toBeGreaterThan(0);
  });

  it.each(CASES.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    expect(await ingestParse(c)).toEqual({
      logType: c.logType,
      skipped: c.skipped === true,
      events: c.events,
      malformed: c.malformed,
      minTime: iso(c.minTime),
      maxTime: iso(c.maxTime),
    });
  });
});

/**
 * The corpus's custom-format flow log (a NAT gateway's fields) as it reads when written without
 * its header line: every record is malformed unless the source declares the format
 * (`vpcFlowFormat`, as Filebeat's `format`), and then it reads exactly like the file with its header.
 */
describe('conformance corpus: a custom VPC flow format without a header line', () => {
  const custom = CASES.find((c) => c.file === 'vpcflow/custom-nat-gateway.log')!;
  const [header, ...records] = conformanceFile(custom).toString('utf8').split('\n');
  const headerless = Buffer.from(records.join('\n'));

  it('is the corpus case with a header line naming its fields', () => {
    expect(header).toBe('instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr');
  });

  it('without a declared format: each record is malformed, none is stored', async () => {
    expect(await ingestParse(custom, headerless)).toMatchObject({ logType: 'vpcflow', events: 0, malformed: custom.events });
  });

  it("with the source's vpcFlowFormat: the same events, times and no malformed record as the file with its header", async () => {
    const format = parseFlowFormat(header);
    expect(format).toEqual({ fields: header.split(' ') });
    expect(await ingestParse(custom, headerless, header.split(' '))).toEqual({
      logType: 'vpcflow',
      skipped: false,
      events: custom.events,
      malformed: 0,
      minTime: iso(custom.minTime),
      maxTime: iso(custom.maxTime),
    });
  });
});
