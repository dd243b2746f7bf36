import type { Detection } from '../../../shared/detections';
import { createLogger } from '../../log';
import { openTestStore, type TestStore } from '../../query/testing';
import { DeliveryRepository } from './deliveries';
import { Notifier } from './notifier';
import { testDetection, TestAlertmanager } from './testing';

// The Alertmanager push against a real Alertmanager (Debian's prometheus-alertmanager; the test
// installs it when missing): the alert is read back from Alertmanager's own v2 API.

jest.setTimeout(120_000);

describe('notifications to Prometheus Alertmanager', () => {
  let db: TestStore;
  let am: TestAlertmanager;

  beforeAll(async () => {
    [db, am] = await Promise.all([openTestStore(false), TestAlertmanager.start()]);
  });
  afterAll(async () => {
    await am?.stop();
    await db?.close();
  });

  it('pushes a detection as an alert (API v2) that Alertmanager then holds, labels and all', async () => {
    const deliveries = new DeliveryRepository(db.store);
    const detection: Detection = testDetection('fp-alertmanager', {
      keys: { sourceIPAddress: '198.51.100.7', 'userIdentity.arn': 'arn:aws:iam::111122223333:root' },
    });
    const notifier = new Notifier(
      {
        channels: [{ name: 'am', type: 'alertmanager', url: `${am.url}/`, minSeverity: 'informational' }],
        deliveries,
        detections: { get: async () => null },
        log: createLogger('silent'),
      },
      { owner: 'a', links: { grafanaUrl: 'https://grafana.example.com', datasourceUid: 'lookback' } }
    );
    await notifier.enqueue([detection]);
    await notifier.idle();
    expect(await deliveries.list({ limit: 10 })).toMatchObject([{ channel: 'am', channelType: 'alertmanager', state: 'delivered', attempts: 1 }]);

    const alerts = await am.alerts();
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert.labels).toEqual({
      alertname: detection.ruleId,
      severity: 'high',
      fingerprint: 'fp-alertmanager',
      source: 'lookback',
      key_sourceIPAddress: '198.51.100.7',
      key_userIdentity_arn: 'arn:aws:iam::111122223333:root',
    });
    expect(alert.annotations).toMatchObject({
      summary: 'Root user signs in to the console (sourceIPAddress=198.51.100.7, userIdentity.arn=arn:aws:iam::111122223333:root)',
      count: '2',
      first_seen: detection.firstSeen,
      query: detection.explore.query,
    });
    expect(Date.parse(alert.startsAt)).toBe(Date.parse(detection.firstSeen));
    expect(alert.generatorURL).toMatch(/^https:\/\/grafana\.example\.com\/explore\?schemaVersion=1&panes=/);
    expect(alert.status.state).toBe('active');
    await notifier.stop();
  });

  it('shows what Alertmanager refused, without retrying a request it called bad', async () => {
    const deliveries = new DeliveryRepository(db.store);
    const notifier = new Notifier(
      {
        channels: [{ name: 'am', type: 'alertmanager', url: am.url, minSeverity: 'informational' }],
        deliveries,
        detections: { get: async () => null },
        log: createLogger('silent'),
      },
      { owner: 'a', maxAttempts: 3, initialBackoffMs: 50 }
    );
    // Alertmanager validates alerts: a start that is no time is a 400.
    await notifier.enqueue([testDetection('fp-bad', { firstSeen: 'not a time' })]);
    await notifier.idle();
    const [failed] = await deliveries.list({ states: ['failed'], limit: 10 });
    expect(failed).toMatchObject({
      fingerprint: 'fp-bad',
      attempts: 1,
      lastError: expect.stringMatching(/^gave up: alertmanager am: HTTP 400: .*parsing time \\"not a time\\"/),
    });
    await notifier.stop();
  });
});
