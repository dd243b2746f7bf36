import { gunzipSync } from 'node:zlib';
import { createBucket } from './bucket';
import { albFields, readBack } from './inspect';
import type { GenerateOptions, GeneratedObject, IncidentFacts } from './types';
import { BACKGROUND_MAX_FLOW_BYTES } from './vpcflow';

interface TrailRecord {
  eventTime: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userIdentity: { accessKeyId?: string; arn?: string; invokedBy?: string };
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: { bytesTransferredOut?: number };
}

function scan(options: GenerateOptions) {
  const bucket = createBucket(options);
  const objects: GeneratedObject[] = [...bucket.objects()];
  const texts = objects.map((o) => ({ o, text: gunzipSync(o.body).toString() }));
  const alb = objects.filter((o) => o.logType === 'alb').flatMap((o) => readBack('alb', o.body).lines.map((line) => ({ o, line, f: albFields(line) })));
  const trail = objects
    .filter((o) => o.logType === 'cloudtrail')
    .flatMap((o) =>
      readBack('cloudtrail', o.body).records.map((r) => ({
        o,
        r: r as unknown as TrailRecord,
        text: JSON.stringify(r),
      }))
    );
  const flows = objects.filter((o) => o.logType === 'vpcflow').flatMap((o) => readBack('vpcflow', o.body).lines.map((line) => ({ o, f: line.split(' ') })));
  return { bucket, facts: bucket.incident, objects, texts, alb, trail, flows };
}

const OPTIONS: GenerateOptions = { seed: 11, end: '2024-05-01T00:00:00Z', days: 3, targetEvents: 8_000, accounts: 3 };

describe('the planted incident', () => {
  const { facts: maybeFacts, objects, texts, alb, trail, flows } = scan(OPTIONS);
  const facts = maybeFacts as IncidentFacts;
  const ip = facts.attackerIp;
  const step = (name: string) => facts.timeline.find((t) => t.step === name)!;

  it('is described step by step, in order, inside the range', () => {
    expect(facts.timeline.map((t) => t.step)).toEqual(['recon', 'ssrf', 'enumeration', 'persistence', 'exfiltration']);
    for (let i = 0; i < facts.timeline.length; i++) {
      expect(Date.parse(facts.timeline[i].from)).toBeLessThanOrEqual(Date.parse(facts.timeline[i].to));
      if (i > 0) {
        expect(Date.parse(facts.timeline[i].from)).toBeGreaterThan(Date.parse(facts.timeline[i - 1].to));
      }
    }
    expect(Date.parse(step('recon').from)).toBeGreaterThanOrEqual(Date.parse('2024-04-28T00:00:00Z'));
    expect(Date.parse(step('exfiltration').to)).toBeLessThan(Date.parse('2024-05-01T00:00:00Z'));
    expect(facts.account).toBe(objects[0].account);
    expect(facts.attackerIp).toMatch(/^203\.0\.113\.\d+$/);
    expect(facts.stolenCredentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(facts.persistence.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  });

  it('SSRF: the only ALB requests that carry the metadata address, from the attacker to the vulnerable instance', () => {
    const metadata = alb.filter((l) => l.line.includes('169.254.169.254'));
    expect(metadata).toHaveLength(facts.alb.ssrfRequests);
    expect(facts.alb.ssrfRequests).toBe(2);
    expect(metadata.map((l) => l.f[12].split(' ')[1])).toEqual(facts.alb.ssrfUrls);
    for (const { o, f } of metadata) {
      expect(f[3].startsWith(`${ip}:`)).toBe(true);
      expect(f[12]).toContain('/api/preview?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/');
      expect(f[2]).toBe(facts.webApp.loadBalancer);
      expect(f[4]).toBe(`${facts.webApp.instancePrivateIp}:8080`);
      expect(f[8]).toBe('200');
      expect([o.account, o.region]).toEqual([facts.account, facts.region]);
    }
    expect(metadata[1].f[12]).toContain(`security-credentials/${facts.webApp.roleName}`);
    const fromAttacker = alb.filter((l) => l.f[3].startsWith(`${ip}:`));
    expect(fromAttacker).toHaveLength(facts.alb.requestsFromAttacker);
    expect(Math.max(...fromAttacker.map((l) => Date.parse(l.f[1])))).toBe(Date.parse(step('ssrf').to));
    expect(texts.filter((t) => t.o.logType !== 'alb' && t.text.includes('169.254.169.254'))).toHaveLength(0);
  });

  it('the stolen key: the instance its own hour from its NAT address, the attacker from outside after the SSRF', () => {
    const key = facts.stolenCredentials.accessKeyId;
    const signed = trail.filter((t) => t.r.userIdentity.accessKeyId === key);
    expect(signed).toHaveLength(facts.cloudtrail.stolenKeyEvents);
    const bySource: Record<string, number> = {};
    signed.forEach((t) => (bySource[t.r.sourceIPAddress] = (bySource[t.r.sourceIPAddress] ?? 0) + 1));
    expect(bySource).toEqual(facts.cloudtrail.stolenKeyEventsBySourceIp);
    expect(Object.keys(bySource).sort()).toEqual([ip, facts.stolenCredentials.instanceUse.sourceIp].sort());
    expect(bySource[facts.stolenCredentials.instanceUse.sourceIp]).toBe(facts.stolenCredentials.instanceUse.events);
    for (const t of signed) {
      expect(t.r.userIdentity.arn).toBe(facts.stolenCredentials.arn);
      const time = Date.parse(t.r.eventTime);
      if (t.r.sourceIPAddress === ip) {
        expect(time).toBeGreaterThan(Date.parse(step('ssrf').to));
      } else {
        expect(time).toBeGreaterThanOrEqual(Date.parse(facts.stolenCredentials.instanceUse.from));
        expect(time).toBeLessThan(Date.parse(facts.stolenCredentials.instanceUse.to));
      }
    }
    const mentions = trail.filter((t) => t.text.includes(key));
    expect(mentions).toHaveLength(facts.cloudtrail.stolenKeyEvents + (facts.stolenCredentials.issuedAt ? 1 : 0));
    const issue = mentions.find((t) => t.r.userIdentity.accessKeyId !== key)!;
    expect([issue.r.eventName, issue.r.userIdentity.invokedBy, issue.r.eventTime]).toEqual([
      'AssumeRole',
      'ec2.amazonaws.com',
      facts.stolenCredentials.issuedAt!.replace('.000Z', 'Z'),
    ]);
  });

  it('enumeration and persistence from the attacker IP, as described', () => {
    const fromAttacker = trail.filter((t) => t.r.sourceIPAddress === ip);
    expect(fromAttacker).toHaveLength(facts.cloudtrail.fromAttacker);
    const byName: Record<string, number> = {};
    fromAttacker.forEach((t) => (byName[t.r.eventName] = (byName[t.r.eventName] ?? 0) + 1));
    expect(byName).toEqual(facts.cloudtrail.fromAttackerByEventName);
    for (const name of ['GetCallerIdentity', 'ListBuckets', 'DescribeInstances', 'CreateAccessKey', 'AttachUserPolicy', 'GetObject']) {
      expect(byName[name]).toBeGreaterThan(0);
    }
    expect(new Set(fromAttacker.filter((t) => t.r.eventName === 'DescribeInstances').map((t) => t.r.awsRegion))).toEqual(new Set(['us-east-1', 'eu-west-1']));
    const created = fromAttacker.find((t) => t.r.eventName === 'CreateAccessKey')!;
    expect(created.o.region).toBe('us-east-1');
    expect(created.r.requestParameters).toEqual({ userName: facts.persistence.userName });
    expect((created.r.responseElements!.accessKey as { accessKeyId: string }).accessKeyId).toBe(facts.persistence.accessKeyId);
    const attached = fromAttacker.find((t) => t.r.eventName === 'AttachUserPolicy')!;
    expect(attached.r.requestParameters).toEqual({
      userName: facts.persistence.userName,
      policyArn: facts.persistence.policyArn,
    });
    const withNewKey = trail.filter((t) => t.r.userIdentity.accessKeyId === facts.persistence.accessKeyId);
    expect(withNewKey).toHaveLength(facts.cloudtrail.persistenceKeyEvents);
    expect(withNewKey.every((t) => t.r.sourceIPAddress === ip)).toBe(true);
    for (const name of facts.cloudtrail.onlyInIncident) {
      const all = trail.filter((t) => t.r.eventName === name);
      expect(all.length).toBeGreaterThan(0);
      expect(all.every((t) => t.r.sourceIPAddress === ip)).toBe(true);
    }
  });

  it('exfiltration: bursts of GetObject on the customer data from the attacker', () => {
    const gets = trail.filter((t) => t.r.eventName === 'GetObject' && t.r.sourceIPAddress === ip);
    expect(gets).toHaveLength(facts.cloudtrail.getObject);
    expect(gets.every((t) => t.r.requestParameters!.bucketName === facts.customerDataBucket)).toBe(true);
    expect(facts.cloudtrail.getObjectBursts).toHaveLength(3);
    for (const burst of facts.cloudtrail.getObjectBursts) {
      const inBurst = gets.filter((t) => Date.parse(t.r.eventTime) >= Date.parse(burst.from) && Date.parse(t.r.eventTime) <= Date.parse(burst.to));
      expect(inBurst).toHaveLength(burst.objects);
      expect(inBurst.reduce((n, t) => n + t.r.additionalEventData!.bytesTransferredOut!, 0)).toBe(burst.bytes);
    }
    expect(facts.cloudtrail.getObjectBursts.reduce((n, b) => n + b.objects, 0)).toBe(gets.length);
  });

  it('exfiltration: large egress from the instance to the attacker in the flow logs, larger than any background record', () => {
    const withAttacker = flows.filter((r) => r.f[3] === ip || r.f[4] === ip);
    expect(withAttacker).toHaveLength(facts.vpcflow.recordsWithAttacker);
    const egress = withAttacker.filter((r) => r.f[3] === facts.webApp.instancePrivateIp && r.f[4] === ip);
    expect(egress).toHaveLength(facts.vpcflow.egressRecords);
    expect(egress.reduce((n, r) => n + Number(r.f[9]), 0)).toBe(facts.vpcflow.egressBytes);
    expect(egress.every((r) => Number(r.f[9]) > BACKGROUND_MAX_FLOW_BYTES && r.f[6] === '443' && r.f[12] === 'ACCEPT')).toBe(true);
    expect(egress.every((r) => r.o.key.includes(`_${facts.vpcflow.flowLogId}_`))).toBe(true);
    const large = flows.filter((r) => r.f[9] !== '-' && Number(r.f[9]) > BACKGROUND_MAX_FLOW_BYTES);
    expect(large).toHaveLength(egress.length);
  });

  it('counts its planted events in the objects that hold them', () => {
    const planted = Object.values(facts.plantedByType).reduce((a, b) => a + b!, 0);
    expect(objects.reduce((n, o) => n + o.planted, 0)).toBe(planted);
    for (const type of ['cloudtrail', 'alb', 'vpcflow'] as const) {
      expect(objects.filter((o) => o.logType === type).reduce((n, o) => n + o.planted, 0)).toBe(facts.plantedByType[type]);
    }
    expect(facts.plantedByType.alb).toBe(facts.alb.requestsFromAttacker);
    expect(facts.plantedByType.vpcflow).toBe(facts.vpcflow.recordsWithAttacker);
  });

  it('leaves no trace when turned off', () => {
    const off = scan({ ...OPTIONS, incident: false });
    expect(off.facts).toBeNull();
    expect(off.texts.filter((t) => t.text.includes(ip) || t.text.includes('169.254.169.254') || t.text.includes(facts.persistence.accessKeyId))).toHaveLength(
      0
    );
    expect(off.trail.filter((t) => facts.cloudtrail.onlyInIncident.includes(t.r.eventName))).toHaveLength(0);
    expect(off.objects.every((o) => o.planted === 0)).toBe(true);
  });

  it('plants only in the chosen log types', () => {
    const bucket = createBucket({ ...OPTIONS, types: ['alb', 'vpcflow'] });
    const f = bucket.incident!;
    expect(Object.keys(f.plantedByType).sort()).toEqual(['alb', 'vpcflow']);
    expect(f.cloudtrail.stolenKeyEvents).toBe(0);
    expect(f.cloudtrail.getObject).toBe(0);
    expect(f.alb.ssrfRequests).toBe(2);
    expect(f.timeline.map((t) => t.step)).toEqual(['recon', 'ssrf', 'exfiltration']);
  });
});
