import type { Detection } from '../../../shared/detections';
import { createLogger } from '../../log';
import { openTestStore, type TestStore } from '../../query/testing';
import type { ChannelConfig } from './channels';
import { DeliveryRepository } from './deliveries';
import { Notifier, type NotifierOptions } from './notifier';
import { testDetection, TestReceiver } from './testing';

// Notifications to local HTTP receivers: delivered, retried with backoff when the receiver fails,
// given up and visible when it keeps failing, and sent once however many sidecars take a
// detection for new.

jest.setTimeout(60_000);

const FAST: Partial<NotifierOptions> = { maxAttempts: 4, initialBackoffMs: 50, maxBackoffMs: 200, timeoutMs: 5000 };

describe('notifications', () => {
  let db: TestStore;
  let deliveries: DeliveryRepository;
  const log = createLogger('silent');
  const receivers: TestReceiver[] = [];
  const notifiers: Notifier[] = [];
  const known = new Map<string, Detection>();

  async function receiver(answer?: (n: number) => number): Promise<TestReceiver> {
    const r = await TestReceiver.start(answer && ((_req, n) => answer(n)));
    receivers.push(r);
    return r;
  }

  function notifier(owner: string, channels: ChannelConfig[], options: Partial<NotifierOptions> = {}): Notifier {
    const n = new Notifier({ channels, deliveries, detections: { get: async (fp) => known.get(fp) ?? null }, log }, { owner, ...FAST, ...options });
    notifiers.push(n);
    return n;
  }

  const webhook = (url: string, fields: Partial<ChannelConfig> = {}): ChannelConfig => ({
    name: 'hook',
    type: 'webhook',
    url,
    minSeverity: 'informational',
    ...fields,
  });

  beforeAll(async () => {
    db = await openTestStore(false);
    deliveries = new DeliveryRepository(db.store);
  });
  afterEach(async () => {
    await Promise.all(notifiers.splice(0).map((n) => n.stop()));
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
    await db.store.exec('TRUNCATE TABLE detection_deliveries');
  });
  afterAll(() => db.close());

  it('posts a new detection to a webhook as JSON, with the headers configured and a link to its events', async () => {
    const r = await receiver();
    const n = notifier('a', [webhook(`${r.url}/hook`, { headers: { authorization: 'Bearer s3cret' } })], {
      links: { grafanaUrl: 'https://grafana.example.com/', datasourceUid: 'lookback' },
    });
    const detection = testDetection('fp-webhook');
    await n.enqueue([detection]);
    await n.idle();
    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(req.path).toBe('/hook');
    expect(req.headers).toMatchObject({ authorization: 'Bearer s3cret', 'content-type': 'application/json' });
    const body = req.body as { type: string; detection: Detection; link: string };
    expect(body.type).toBe('lookback.detection');
    expect(body.detection).toEqual(detection);
    const link = new URL(body.link);
    expect(link.origin + link.pathname).toBe('https://grafana.example.com/explore');
    const pane = JSON.parse(link.searchParams.get('panes') ?? '{}').lookback;
    expect(pane).toMatchObject({
      datasource: 'lookback',
      queries: [{ query: detection.explore.query, datasource: { type: 'lookback-logs-datasource', uid: 'lookback' } }],
      range: { from: String(Date.parse(detection.explore.from)), to: String(Date.parse(detection.explore.to)) },
    });
    expect(await deliveries.list({ limit: 10 })).toMatchObject([
      { fingerprint: 'fp-webhook', channel: 'hook', channelType: 'webhook', state: 'delivered', attempts: 1, lastError: '' },
    ]);
  });

  it('posts a Slack incoming-webhook message: text for any Slack-compatible receiver, and blocks', async () => {
    const r = await receiver();
    const n = notifier('a', [{ name: 'slack', type: 'slack', url: `${r.url}/services/T0/B0/x`, minSeverity: 'low' }]);
    await n.enqueue([testDetection('fp-slack', { keys: { userName: '<script>&' } })]);
    await n.idle();
    const body = r.requests[0].body as { text: string; blocks: Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }> };
    expect(body.text).toBe('[HIGH] Root user signs in to the console (userName=<script>&): 2 events from 2026-01-10T11:10:00.000Z to 2026-01-10T11:20:00.000Z');
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
    expect(body.blocks[1].fields?.map((f) => f.text)).toContain('*userName*\n&lt;script&gt;&amp;');
  });

  it('retries a receiver that fails, with backoff, and shows each failure while it retries', async () => {
    const r = await receiver((n) => (n <= 2 ? 503 : 200));
    const n = notifier('a', [webhook(r.url)]);
    await n.enqueue([testDetection('fp-retry')]);
    // After the first failure the delivery is pending, with the receiver's answer as its error.
    const first = await until(async () => (await deliveries.list({ limit: 1 })).find((d) => d.attempts >= 1));
    expect(first).toMatchObject({ state: 'pending', lastError: 'webhook hook: HTTP 503: no: status 503' });
    await n.idle();
    expect(r.requests).toHaveLength(3);
    expect(await deliveries.list({ limit: 10 })).toMatchObject([{ state: 'delivered', attempts: 3, lastError: '' }]);
  });

  it('gives up after the last attempt and keeps the delivery visible as failed, with why', async () => {
    const r = await receiver(() => 500);
    const n = notifier('a', [webhook(r.url)]);
    await n.enqueue([testDetection('fp-down')]);
    await n.idle();
    expect(r.requests).toHaveLength(4);
    expect(await deliveries.list({ states: ['failed'], limit: 10 })).toMatchObject([
      { fingerprint: 'fp-down', state: 'failed', attempts: 4, lastError: 'gave up after 4 attempts: webhook hook: HTTP 500: no: status 500' },
    ]);
  });

  it('gives up at once on an answer that trying again cannot change (404), or on a receiver that is not there', async () => {
    const r = await receiver(() => 404);
    const gone = await receiver();
    const goneUrl = gone.url;
    await gone.stop();
    receivers.pop();
    const n = notifier('a', [webhook(r.url), webhook(goneUrl, { name: 'gone' })], { maxAttempts: 2 });
    await n.enqueue([testDetection('fp-404')]);
    await n.idle();
    const list = await deliveries.list({ limit: 10 });
    expect(list.find((d) => d.channel === 'hook')).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'gave up: webhook hook: HTTP 404: no: status 404',
    });
    expect(list.find((d) => d.channel === 'gone')).toMatchObject({
      state: 'failed',
      attempts: 2,
      lastError: expect.stringMatching(/^gave up after 2 attempts: webhook gone: .*ECONNREFUSED/),
    });
  });

  it('sends a detection once when two sidecars both take it for new', async () => {
    const r = await receiver();
    const a = notifier('sidecar-a', [webhook(r.url)]);
    const b = notifier('sidecar-b', [webhook(r.url)]);
    const detection = testDetection('fp-twice');
    await Promise.all([a.enqueue([detection]), b.enqueue([detection])]);
    // One after the other too: the second claim comes after the first was delivered.
    const later = testDetection('fp-later');
    await a.enqueue([later]);
    await a.idle();
    await b.enqueue([later]);
    await Promise.all([a.idle(), b.idle()]);
    expect(r.requests.map((q) => (q.body as { detection: Detection }).detection.fingerprint)).toEqual(['fp-twice', 'fp-later']);
  });

  it('sends only the severities a channel wants', async () => {
    const r = await receiver();
    const n = notifier('a', [webhook(r.url, { minSeverity: 'high' })]);
    await n.enqueue([testDetection('fp-low', { severity: 'low' }), testDetection('fp-critical', { severity: 'critical' })]);
    await n.idle();
    expect(r.requests.map((q) => (q.body as { detection: Detection }).detection.fingerprint)).toEqual(['fp-critical']);
  });

  it('takes over a pending delivery whose sidecar went away, and delivers it', async () => {
    const r = await receiver();
    const detection = testDetection('fp-orphan');
    known.set(detection.fingerprint, detection);
    const long = Date.now() - 3_600_000;
    await deliveries.claim({
      fingerprint: detection.fingerprint,
      channel: 'hook',
      channelType: 'webhook',
      ruleId: detection.ruleId,
      title: detection.title,
      owner: 'dead-sidecar',
      state: 'pending',
      attempts: 1,
      lastError: 'webhook hook: HTTP 503',
      nextAt: long,
      createdAt: long,
      updatedAt: long,
    });
    const [a, b] = [notifier('sidecar-a', [webhook(r.url)]), notifier('sidecar-b', [webhook(r.url)])];
    await Promise.all([a.sweep(), b.sweep()]);
    await Promise.all([a.idle(), b.idle()]);
    expect(r.requests).toHaveLength(1);
    expect(await deliveries.list({ limit: 10 })).toMatchObject([{ state: 'delivered', attempts: 2 }]);
  });
});

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
