import type { CountResponse, LedgerEntry } from '../../src/shared/api';
import type { QueryResponse } from '../../src/shared/query';
import { createDevSource, type DevSource } from '../../src/sidecar/emulator/devResources';
import { conformanceCases, conformanceFile } from '../../src/sidecar/formats/conformanceCorpus';
import { putAndNotify } from './harness/bucket';
import { eventually, removeDir, startEmulatorProcess, startSidecarProcess, type EmulatorProcess, type SidecarProcess } from './harness/processes';

const CASES = conformanceCases();
const BUCKET = 'conformance-logs';

/**
 * The corpus's custom-format flow log written without its header line (the header names its
 * fields). A source that declares that format (`vpcFlowFormat`) must ingest it fully, exactly like
 * the file with its header; a source that does not must record every line as malformed.
 */
const CUSTOM = CASES.find((c) => c.file === 'vpcflow/custom-nat-gateway.log')!;
const [CUSTOM_HEADER, ...CUSTOM_RECORDS] = conformanceFile(CUSTOM).toString('utf8').split('\n');
const HEADERLESS = Buffer.from(CUSTOM_RECORDS.join('\n'));
const HEADERLESS_KEY = CUSTOM.key.replace('_cf09.log.gz', '_cf09-no-header.log.gz');
const CUSTOM_BUCKET = 'conformance-custom-flows';

/** Every case of the shared corpus, through the live path: S3 → SNS → SQS → sidecar → chDB. */
describe('conformance corpus through the live path', () => {
  let emulator: EmulatorProcess;
  let sidecar: SidecarProcess;
  let dev: DevSource;
  let custom: DevSource;
  const ledger = new Map<string, LedgerEntry>();

  beforeAll(async () => {
    emulator = await startEmulatorProcess();
    dev = await createDevSource({ endpoint: emulator.endpoint, id: 'corpus', bucket: BUCKET });
    custom = await createDevSource({ endpoint: emulator.endpoint, id: 'custom-flows', bucket: CUSTOM_BUCKET, logType: 'vpcflow' });
    sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [dev.source, { ...custom.source, vpcFlowFormat: CUSTOM_HEADER }] });
    for (const c of CASES) {
      await putAndNotify(emulator.endpoint, dev.topicArn, BUCKET, c.key, conformanceFile(c));
    }
    await putAndNotify(emulator.endpoint, dev.topicArn, BUCKET, HEADERLESS_KEY, HEADERLESS);
    await putAndNotify(emulator.endpoint, custom.topicArn, CUSTOM_BUCKET, HEADERLESS_KEY, HEADERLESS);
    await eventually(
      async () => {
        const { body } = await sidecar.api<{ objects: LedgerEntry[] }>('/api/objects?limit=1000');
        return body.objects.length >= CASES.length + 2 ? body.objects : undefined;
      },
      'every corpus object in the ledger',
      60_000
    ).then((objects) => objects.forEach((o) => ledger.set(`${o.sourceId}/${o.key}`, o)));
  }, 90_000);

  afterAll(async () => {
    await sidecar?.stop();
    await emulator?.stop();
    removeDir(sidecar?.dataDir ?? '');
  });

  it.each(CASES.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const entry = ledger.get(`corpus/${c.key}`);
    expect(entry).toBeDefined();
    expect(entry!.logType).toBe(c.logType);
    expect(entry!.malformed).toBe(c.malformed);
    if (c.skipped) {
      expect(entry!.status).toBe('skipped');
    }
    const { body } = await sidecar.api<CountResponse>(`/api/events/count?bucket=${BUCKET}&key=${encodeURIComponent(c.key)}`);
    expect(body.count).toBe(c.events);
    expect(entry!.events).toBe(c.events);
    if (c.minTime && c.maxTime) {
      expect(Date.parse(body.minTime!)).toBe(Date.parse(c.minTime));
      expect(Date.parse(body.maxTime!)).toBe(Date.parse(c.maxTime));
    }
  });

  const finds = CASES.flatMap((c) => (c.find ?? []).map((f) => [c.file, f.text, f.count, c.key] as const));

  it.each(finds)('%s: search %s finds %i events through the query API', async (_file, text, count, key) => {
    const { status, body } = await sidecar.api<QueryResponse>('/api/query', {
      method: 'POST',
      body: JSON.stringify({
        query: `events | where key == $key | search ${text} | count`,
        from: '2000-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
        variables: { key },
      }),
    });
    expect(status).toBe(200);
    expect(body.rows).toEqual([[count]]);
  });

  it('a custom flow format without a header line, declared by the source (vpcFlowFormat): ingested fully, like the file with its header', async () => {
    const entry = ledger.get(`custom-flows/${HEADERLESS_KEY}`)!;
    expect(entry).toMatchObject({ status: 'ok', logType: 'vpcflow', events: CUSTOM.events, malformed: 0 });
    const { body } = await sidecar.api<CountResponse>(`/api/events/count?bucket=${CUSTOM_BUCKET}&key=${encodeURIComponent(HEADERLESS_KEY)}`);
    expect(body.count).toBe(CUSTOM.events);
    expect(Date.parse(body.minTime!)).toBe(Date.parse(CUSTOM.minTime!));
    expect(Date.parse(body.maxTime!)).toBe(Date.parse(CUSTOM.maxTime!));
    const [find] = CUSTOM.find!;
    const { body: found } = await sidecar.api<QueryResponse>('/api/query', {
      method: 'POST',
      body: JSON.stringify({
        query: `events | where bucket == $bucket | search ${find.text} | count`,
        from: '2000-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
        variables: { bucket: CUSTOM_BUCKET },
      }),
    });
    expect(found.rows).toEqual([[find.count]]);
  });

  it('the same file for a source that declares no format: every line is malformed, saying a custom format must be declared', () => {
    const entry = ledger.get(`corpus/${HEADERLESS_KEY}`)!;
    expect(entry).toMatchObject({ status: 'failed', events: 0, malformed: CUSTOM.events });
    expect(entry.malformedSamples[0].reason).toMatch(
      /default version-2 format \(there is no header line; a source with a custom format declares it in vpcFlowFormat\), found 6/
    );
  });
});
