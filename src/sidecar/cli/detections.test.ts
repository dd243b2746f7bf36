import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/server';
import { createAwsClients } from '../aws/clients';
import { loadConfig } from '../config/load';
import { cloudTrailRecord as record, DetectionStore, landAt as land } from '../detect/testing';
import { createLogger } from '../log';
import { buildServices, type Services } from '../sidecar';
import { UsageError } from './args';
import { runDetections, type DetectionsIo } from './detections';

// `lookback detections [--watch]` against the real API of a sidecar whose scheduler found them.

jest.setTimeout(60_000);

const TOKEN = 'detections-cli-test-token-0123456789';
const MIN = 60_000;
const ROOT = `title: Root signs in
id: test.root-login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, userIdentity.type: Root}
  condition: sel
level: high
group-by: [sourceIPAddress]
schedule: 1m
`;

describe('lookback detections', () => {
  let db: DetectionStore;
  let dir: string;
  let services: Services;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    db = await DetectionStore.open();
    dir = mkdtempSync(join(tmpdir(), 'lookback-rules-'));
    writeFileSync(join(dir, 'root.yml'), ROOT);
    const config = loadConfig(undefined, { LOOKBACK_DETECT_PACK: 'false', LOOKBACK_RULE_PATHS: JSON.stringify([dir]) });
    services = buildServices(config, db.store, createAwsClients(config.aws), createLogger('silent'));
    services.detections.rules.load();
    app = buildApi(services.api, TOKEN);
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await rootSignIn('198.51.100.1');
  });
  afterAll(async () => {
    await app.close();
    await services.detections.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  /** A root sign-in from `ip` received a minute ago, and the scheduled cycle that finds it. */
  async function rootSignIn(ip: string): Promise<void> {
    const now = Date.now();
    await land(db, now - MIN, [record(now - 5 * MIN, 'root', ip)]);
    await services.detections.scheduler.cycle({ now, force: true });
  }

  async function detections(args: string[], wait: DetectionsIo['wait'] = async () => false) {
    const out: string[] = [];
    const err: string[] = [];
    await runDetections(args, {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      env: { LOOKBACK_URL: url, LOOKBACK_API_TOKEN: TOKEN },
      now: Date.now,
      wait,
    });
    return { out: out.join(''), err: err.join(''), code: process.exitCode };
  }

  it('prints the detections as a table', async () => {
    const { out, err } = await detections(['--from', '1h']);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^LAST EVENT +SEVERITY +STATUS +COUNT +DETECTION$/);
    expect(lines.slice(1)).toEqual([expect.stringMatching(/Z +high +open +1 +Root signs in {2}sourceIPAddress=198\.51\.100\.1$/)]);
    expect((await detections(['--status', 'closed'])).out).toBe('no detections\n');
    const json = JSON.parse((await detections(['--json', '--severity', 'high'])).out);
    expect(json.detections.map((d: { keys: object }) => d.keys)).toEqual([{ sourceIPAddress: '198.51.100.1' }]);
  });

  it('--watch prints each new detection as it comes, until stopped', async () => {
    let polls = 0;
    const { out } = await detections(['--watch', '--interval', '1s'], async () => {
      if (++polls === 1) {
        await rootSignIn('198.51.100.2');
        return true;
      }
      return false;
    });
    expect(out.trimEnd().split('\n').slice(-1)[0]).toMatch(/^new +.*Root signs in {2}sourceIPAddress=198\.51\.100\.2$/);
  });

  it('says what is wrong with its options or with the answer', async () => {
    await expect(detections(['--severity', 'dire'])).rejects.toThrow(UsageError);
    await expect(detections(['--status', 'gone'])).rejects.toThrow(/--status must be one of open, acknowledged, closed/);
    const wrongToken = await detections(['--token', 'not-the-token-0123456789']);
    expect(wrongToken.err).toMatch(/^lookback detections: .*401.*token/i);
    expect(wrongToken.code).toBe(1);
  });
});
