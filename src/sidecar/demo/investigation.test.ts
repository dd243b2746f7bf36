import { gunzipSync } from 'node:zlib';
import { chunksOf, objectInfo } from '../formats/parseAll';
import { detectFormat } from '../formats/registry';
import { createBucket } from '../generate/bucket';
import { toEventRow } from '../ingest/rows';
import { QueryService } from '../query/service';
import { openTestStore, type TestStore } from '../query/testing';
import { INVESTIGATION, type Findings } from './investigation';

const END = Date.UTC(2026, 10, 20);

/** A small generated bucket with the incident, parsed by the real parsers into chDB. */
describe('the investigation the main job prints', () => {
  const bucket = createBucket({
    seed: 7,
    end: END,
    days: 3,
    accounts: 1,
    regions: ['us-east-1'],
    targetEvents: 4000,
    fileMinutes: { cloudtrail: 60, alb: 60, vpcflow: 60 },
  });
  const facts = bucket.incident!;
  let db: TestStore;
  let service: QueryService;
  const findings: Findings = {};
  const answers: Array<{ rows: unknown[][]; columns: string[] }> = [];

  beforeAll(async () => {
    db = await openTestStore(false);
    for (const object of bucket.objects()) {
      const body = gunzipSync(object.body);
      const detection = detectFormat('auto', object.key, body.subarray(0, 4096).toString());
      if ('error' in detection) {
        throw new Error(detection.error);
      }
      const rows = [];
      let index = 0;
      for await (const item of detection.format.parse(chunksOf(body), objectInfo(object.key, body.length))) {
        index++;
        if ('event' in item) {
          const ctx = {
            sourceId: object.logType,
            logType: detection.format.type,
            bucket: 'demo',
            key: object.key,
            etag: object.key,
            backfillId: '',
            receivedAt: '2026-11-20 00:00:00.000',
            fallbackTime: object.keyTime,
          };
          rows.push(toEventRow(item.event, index, ctx));
        }
      }
      await db.store.insertEvents(rows, object.key);
    }
    service = new QueryService(db.store);
    const range = { from: new Date(END - 3 * 86_400_000).toISOString(), to: new Date(END).toISOString() };
    for (const step of INVESTIGATION) {
      const request = step.query(findings);
      if (!request) {
        throw new Error(`step "${step.title}" has nothing to go on`);
      }
      const answer = await service.query({ ...request, ...range, maxRows: 1000 });
      step.learn?.(answer, findings);
      answers.push({ rows: answer.rows, columns: answer.columns.map((c) => c.name) });
    }
  }, 60_000);

  afterAll(() => db.close());

  it('finds the SSRF requests and, from them, the attacker', () => {
    expect(answers[0].rows).toHaveLength(facts.alb.ssrfRequests);
    expect(findings.attackerIp).toBe(facts.attackerIp);
  });

  it("finds the stolen key among the attacker's calls, and each persistence call", () => {
    expect(findings.stolenKey).toBe(facts.stolenCredentials.accessKeyId);
    const calls = answers[1].rows.reduce((sum, row) => sum + Number(row[answers[1].columns.indexOf('calls')]), 0);
    expect(calls).toBe(facts.cloudtrail.fromAttacker);
    const persistence = answers[3].rows.map((row) => row[answers[3].columns.indexOf('eventName')]);
    expect(persistence).toEqual(expect.arrayContaining(['CreateAccessKey', 'AttachUserPolicy']));
  });

  it('shows every use of the stolen key, by address', () => {
    const byIp = Object.fromEntries(answers[2].rows.map((row) => [row[answers[2].columns.indexOf('srcIp')], Number(row[answers[2].columns.indexOf('calls')])]));
    expect(byIp).toEqual(facts.cloudtrail.stolenKeyEventsBySourceIp);
  });

  it('counts the exfiltration in S3 and on the network', () => {
    const objects = answers[4].rows.reduce((sum, row) => sum + Number(row[answers[4].columns.indexOf('objects')]), 0);
    expect(objects).toBe(facts.cloudtrail.getObject);
    const egress = answers[5].rows.filter((row) => row[answers[5].columns.indexOf('srcIp')] === facts.webApp.instancePrivateIp);
    expect(egress.reduce((sum, row) => sum + Number(row[answers[5].columns.indexOf('bytes')]), 0)).toBe(facts.vpcflow.egressBytes);
  });
});
