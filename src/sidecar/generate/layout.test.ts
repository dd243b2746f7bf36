import { cloudtrail } from '../formats/cloudtrail';
import { conformanceCases } from '../formats/conformanceCorpus';
import { timeFromKey } from '../keys/keyTime';
import { createBucket } from './bucket';
import type { GeneratedLogType } from './types';

// Key layouts as AWS writes them; the real-format corpus's keys must match the same patterns.
const REGION = '([a-z]{2}-[a-z]+-\\d)';
const DATE = '(\\d{4})/(\\d{2})/(\\d{2})';
const STAMP = '(\\d{8})T(\\d{4})Z';
const LAYOUTS: Record<GeneratedLogType, RegExp> = {
  cloudtrail: new RegExp(`^AWSLogs/(\\d{12})/CloudTrail/${REGION}/${DATE}/\\1_CloudTrail_\\2_${STAMP}_([A-Za-z0-9]+)\\.json\\.gz$`),
  alb: new RegExp(
    `^AWSLogs/(\\d{12})/elasticloadbalancing/${REGION}/${DATE}/\\1_elasticloadbalancing_\\2_app\\.([A-Za-z0-9-]+)\\.([0-9a-f]{16})_${STAMP}_(\\d{1,3}(?:\\.\\d{1,3}){3})_([A-Za-z0-9]+)\\.log\\.gz$`
  ),
  vpcflow: new RegExp(`^AWSLogs/(\\d{12})/vpcflowlogs/${REGION}/${DATE}/\\1_vpcflowlogs_\\2_(fl-[0-9a-f]+)_${STAMP}_([0-9a-z]+)\\.log\\.gz$`),
};
// What AWS's own names look like beyond the shared pattern (the corpus shortens these parts).
const STRICT: Record<GeneratedLogType, RegExp> = {
  cloudtrail: /_[A-Za-z0-9]{16}\.json\.gz$/,
  alb: /_10\.\d+\.\d+\.\d+_[a-z0-9]{8}\.log\.gz$/,
  vpcflow: /_fl-0[0-9a-f]{16}_\d{8}T\d{4}Z_[0-9a-f]{8}\.log\.gz$/,
};

describe('object keys', () => {
  const bucket = createBucket({ seed: 5, end: '2024-02-02T00:00:00Z', days: 2, targetEvents: 3_000, accounts: 2 });
  const planned = [...bucket.planned()];

  it('match the layouts of the real-format corpus', () => {
    const cases = conformanceCases();
    const real = cases.filter(
      (c) => (c.logType === 'alb' || c.logType === 'vpcflow' || c.logType === 'cloudtrail') && /\/(CloudTrail|elasticloadbalancing|vpcflowlogs)\//.test(c.key)
    );
    expect(real.filter((c) => c.logType === 'cloudtrail')).toHaveLength(2);
    expect(real.filter((c) => c.logType === 'alb')).toHaveLength(2);
    expect(real.filter((c) => c.logType === 'vpcflow')).toHaveLength(5);
    for (const c of real) {
      expect(c.key).toMatch(LAYOUTS[c.logType as GeneratedLogType]);
    }
  });

  it('follow the same layouts, with AWS-length names', () => {
    for (const o of planned) {
      expect(o.key).toMatch(LAYOUTS[o.logType]);
      expect(o.key).toMatch(STRICT[o.logType]);
      const m = LAYOUTS[o.logType].exec(o.key)!;
      expect(m[1]).toBe(o.account);
      expect(m[2]).toBe(o.region);
    }
  });

  it('carry the date folder of their stamp, and the stamp the key-time reader finds', () => {
    for (const o of planned) {
      const [, y, mo, d] = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(o.key)!;
      const [, stampDay] = /_(\d{8})T\d{4}Z_/.exec(o.key)!;
      expect(`${y}${mo}${d}`).toBe(stampDay);
      expect(timeFromKey(o.key)).toBe(o.keyTime);
    }
  });

  it('name each ALB node and flow log consistently, and only CloudTrail keys look like CloudTrail', () => {
    const nodes = new Set(
      planned.filter((o) => o.logType === 'alb').map((o) => LAYOUTS.alb.exec(o.key)!.slice(6, 8).join('.') + '@' + LAYOUTS.alb.exec(o.key)![10])
    );
    expect(nodes.size).toBe(6);
    const flowLogs = new Set(planned.filter((o) => o.logType === 'vpcflow').map((o) => LAYOUTS.vpcflow.exec(o.key)![6]));
    expect(flowLogs.size).toBe(4);
    for (const o of planned) {
      expect(cloudtrail.matchesKey(o.key)).toBe(o.logType === 'cloudtrail');
    }
  });
});
