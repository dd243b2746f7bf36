import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server';
import { buildServices } from '../sidecar';
import { createAwsClients } from '../aws/clients';
import { loadConfig } from '../config/load';
import { createLogger } from '../log';
import { openTestStore, type TestStore } from '../query/testing';
import { UsageError } from './args';
import { runSearch, when, type SearchIo } from './search';

const TOKEN = 'search-cli-test-token-0123456789';
const NOW = Date.parse('2024-03-08T00:00:00Z');

describe('lookback search', () => {
  let db: TestStore;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    db = await openTestStore();
    const config = loadConfig(undefined, {});
    const log = createLogger('silent');
    app = buildApi(buildServices(config, db.store, createAwsClients(config.aws), log).api, TOKEN);
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  async function search(args: string[], env: NodeJS.ProcessEnv = { LOOKBACK_URL: url, LOOKBACK_API_TOKEN: TOKEN }) {
    const out: string[] = [];
    const err: string[] = [];
    const io: SearchIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, now: () => NOW };
    await runSearch(args, io);
    return { stdout: out.join(''), stderr: err.join(''), code: process.exitCode };
  }

  const query = 'VPCFlow | where action == "REJECT" | project time, srcIp, dstPort';

  it('prints a table', async () => {
    const { stdout, stderr, code } = await search([query, '--from', '7d']);
    expect(code).toBeUndefined();
    expect(stdout).toBe(
      [
        'time                      srcIp         dstPort',
        '------------------------  ------------  -------',
        '2024-03-05T01:02:03.000Z  81.2.69.144   22',
        '2024-03-01T04:01:00.000Z  203.0.113.12  3389',
        '2024-03-01T04:00:00.000Z  203.0.113.12  22',
        '',
      ].join('\n')
    );
    expect(stderr).toMatch(/^3 rows in \d+ ms, \d+ rows read\nnote: no logs of vpcflow have been ingested for this time range/);
  });

  it('prints JSON and CSV', async () => {
    const json = await search([query, '--from', 'now-7d', '--to', 'now', '--format', 'json', '--max-rows', '1']);
    expect(JSON.parse(json.stdout)).toEqual([{ time: '2024-03-05T01:02:03.000Z', srcIp: '81.2.69.144', dstPort: 22 }]);
    expect(json.stderr).toMatch(/^1 row \(cut at --max-rows\)/);
    const csv = await search(
      [
        'CloudTrail | where eventName == "GetCallerIdentity" | project userAgent, n = 1',
        '--from',
        '2024-03-01',
        '--format',
        'csv',
        '--url',
        url,
        '--token',
        TOKEN,
      ],
      {}
    );
    expect(csv.stdout).toBe("userAgent,n\r\nBoto3/1.34.69 Python/3.12.2 it's \\ quoted,1\r\n");
  });

  it('shows where a query is wrong', async () => {
    const { stderr, code } = await search(['CloudTrail\n| where evntName == "x"', '--from', '7d']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      ['lookback search: line 2, column 9: unknown field "evntName" (did you mean "eventName"?)', '  | where evntName == "x"', '          ^^^^^^^^', ''].join(
        '\n'
      )
    );
  });

  it('says when the sidecar is unreachable or the token wrong', async () => {
    const unreachable = await search([query, '--from', '7d', '--url', 'http://127.0.0.1:1', '--token', TOKEN], {});
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^lookback search: cannot reach the sidecar at http:\/\/127\.0\.0\.1:1: /);
    const wrongToken = await search([query, '--from', '7d', '--url', url, '--token', 'nope'], {});
    expect(wrongToken.stderr).toMatch(/missing or wrong API token/);
  });

  it.each([
    [[], /give the query as one argument/],
    [['events'], /--from is required/],
    [['events', '--from', 'last week'], /--from must be "now", a span such as 7d, or an ISO 8601 time/],
    [['events', '--from', '7d', '--format', 'xml'], /--format must be table, json or csv/],
    [['events', '--from', '7d', '--bogus'], /Unknown option '--bogus'/],
  ])('rejects bad usage %#', async (args, message) => {
    await expect(search(args)).rejects.toThrow(message);
    await expect(search(args)).rejects.toBeInstanceOf(UsageError);
  });

  it('needs a token', async () => {
    await expect(search(['events', '--from', '7d'], { LOOKBACK_URL: url })).rejects.toThrow(/no API token/);
  });

  it('reads times', () => {
    expect(when('now', '--to', NOW)).toBe(NOW);
    expect(when('90m', '--from', NOW)).toBe(NOW - 90 * 60_000);
    expect(when('now-7d', '--from', NOW)).toBe(NOW - 7 * 86_400_000);
    expect(when('2024-03-01T12:00:00+02:00', '--from', NOW)).toBe(Date.parse('2024-03-01T10:00:00Z'));
  });
});
