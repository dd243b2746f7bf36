import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryService } from '../service';
import { openTestStore, type TestStore } from '../testing';
import { generatedRows, rowsOfObject } from './testing';

// Queries written for this project in the style of Sentinel's published AWS hunting queries and
// analytic rules, over the Sentinel tables. The events: two generated days of CloudTrail, ALB and
// VPC flow with the planted incident (stolen instance credentials), plus records written for
// these queries (corpus/records: a policy granting everything, a public bucket ACL, an open KMS
// key, an S3 brute force, GuardDuty findings, a port scan, WAF blocks), each stored by the real
// parser as ingest would. corpus/queries/<name>.kql returns the rows in <name>.json;
// UPDATE_GOLDENS=1 rewrites them from what the compiler does now: review the diff.

const UPDATE = process.env.UPDATE_GOLDENS === '1';
const DIR = join(__dirname, 'corpus');
const RANGE = { from: '2024-03-06T00:00:00Z', to: '2024-03-08T00:00:00Z' };

const RECORDS: Array<[file: string, key: string]> = [
  ['cloudtrail.json', 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/07/111122223333_CloudTrail_us-east-1_20240307T0900Z_corpus.json.gz'],
  ['guardduty.jsonl', 'AWSLogs/111122223333/GuardDuty/us-east-1/2024/03/07/corpus-findings.jsonl.gz'],
  ['vpcflow.log', 'AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/03/07/111122223333_vpcflowlogs_us-east-1_fl-0corpus_20240307T0900Z_corpus.log.gz'],
  ['waf.log', '2024/03/07/09/aws-waf-logs-corpus-2024-03-07-09-00-00-6f1c2c3e-4b5a-4d3e-9f8e-0123456789ab'],
];

const queries = readdirSync(join(DIR, 'queries'))
  .filter((f) => f.endsWith('.kql'))
  .map((f) => f.replace(/\.kql$/, ''))
  .sort();

describe('Sentinel-style queries over the Sentinel tables', () => {
  let db: TestStore;
  let service: QueryService;

  beforeAll(async () => {
    db = await openTestStore(false);
    service = new QueryService(db.store);
    // One insert for all generated objects: an insert per object costs minutes on a busy machine.
    const generated = [];
    for await (const rows of generatedRows({ seed: 'sentinel-corpus', end: RANGE.to, days: 2, targetEvents: 3000 })) {
      generated.push(...rows);
    }
    await db.store.insertEvents(generated, 'generated');
    for (const [file, key] of RECORDS) {
      await db.store.insertEvents(await rowsOfObject(key, readFileSync(join(DIR, 'records', file)), 'corpus'), key);
    }
  }, 300_000);
  afterAll(() => db.close());

  it('has the corpus', () => {
    expect(queries.length).toBeGreaterThanOrEqual(20);
  });

  it.each(queries)('%s', async (name) => {
    const query = readFileSync(join(DIR, 'queries', `${name}.kql`), 'utf8');
    const response = await service.query({ query, ...RANGE, maxRows: 100 });
    const actual = { columns: response.columns.map((c) => c.name), rows: response.rows };
    const file = join(DIR, 'queries', `${name}.json`);
    if (UPDATE) {
      writeFileSync(file, `${JSON.stringify(actual, null, 1)}\n`);
      return;
    }
    expect(existsSync(file)).toBe(true);
    expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
