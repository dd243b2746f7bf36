import { ADMIN_POLICY, METADATA_CREDENTIALS_URL, ONLY_IN_INCIDENT, PERSISTENCE_USER, type IncidentContext, type PlantedEvent } from './incidentContext';
import type { PlantedEgress } from './incidentEgress';
import type { PlantedTrail } from './incidentTrail';
import { HOUR } from './time';
import { INCIDENT_STEPS, type IncidentFacts, type IncidentStep } from './types';

interface TrailRecord {
  eventName: string;
  sourceIPAddress: string;
  userIdentity: { accessKeyId?: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  items.forEach((item) => (counts[key(item)] = (counts[key(item)] ?? 0) + 1));
  return counts;
}

/** The facts of the incident, counted from the events actually planted. */
export function incidentFacts(ctx: IncidentContext, planted: PlantedEvent[], trail: PlantedTrail, egress: PlantedEgress): IncidentFacts {
  const { shop, attackerIp } = ctx.world;
  const alb = planted.filter((p) => p.logType === 'alb');
  const ssrf = alb.filter((p) => p.text.includes(METADATA_CREDENTIALS_URL.replace('http://', '')));
  const records = planted.filter((p) => p.logType === 'cloudtrail').map((p) => JSON.parse(p.text) as TrailRecord);
  const fromAttacker = records.filter((r) => r.sourceIPAddress === attackerIp);
  const signed = records.filter((r) => r.userIdentity.accessKeyId === ctx.stolen.keyId);
  const getObject = trail.bursts.reduce((n, b) => n + b.objects, 0);
  const issued = ctx.stolen.issued;

  const summaries: Record<IncidentStep, string> = {
    recon: `${attackerIp} browses ${shop.domain} and probes the link preview endpoint /api/preview?url= (internal addresses answer)`,
    ssrf: `/api/preview fetches ${METADATA_CREDENTIALS_URL} and ${METADATA_CREDENTIALS_URL}${shop.roleName}: the instance role's credentials`,
    enumeration: `the stolen key ${ctx.stolen.keyId} is used from ${attackerIp}: GetCallerIdentity, ListBuckets, DescribeInstances, ListUsers`,
    persistence: `CreateAccessKey for ${PERSISTENCE_USER} (${ctx.persistenceKey}) and AttachUserPolicy AdministratorAccess`,
    exfiltration: `SendCommand on ${shop.instance.instanceId}, ${getObject} GetObject calls on ${shop.customerBucket} in ${trail.bursts.length} bursts, ${(egress.bytes / 1e9).toFixed(2)} GB from the instance to ${attackerIp}`,
  };
  const timeline: IncidentFacts['timeline'] = [];
  for (const step of INCIDENT_STEPS) {
    const times = planted.filter((p) => p.step === step).map((p) => p.time);
    if (times.length > 0) {
      timeline.push({ step, from: iso(Math.min(...times)), to: iso(Math.max(...times)), summary: summaries[step] });
    }
  }

  return {
    account: shop.account,
    region: shop.region,
    attackerIp,
    webApp: {
      domain: shop.domain,
      loadBalancer: shop.lb.elb,
      instanceId: shop.instance.instanceId,
      instancePrivateIp: shop.instance.ip,
      roleName: shop.roleName,
      roleArn: `arn:aws:iam::${shop.account}:role/${shop.roleName}`,
      ssrfPath: '/api/preview',
    },
    stolenCredentials: {
      accessKeyId: ctx.stolen.keyId,
      arn: ctx.stolen.arn,
      issuedAt: ctx.has('cloudtrail') && issued >= ctx.options.start ? iso(issued) : null,
      instanceUse: {
        from: iso(issued),
        to: iso(issued + HOUR),
        sourceIp: shop.vpc.nat.publicIp,
        events: trail.instanceEvents,
      },
    },
    persistence: { userName: PERSISTENCE_USER, accessKeyId: ctx.persistenceKey, policyArn: ADMIN_POLICY },
    customerDataBucket: shop.customerBucket,
    timeline,
    alb: {
      requestsFromAttacker: alb.length,
      ssrfRequests: ssrf.length,
      ssrfUrls: ssrf.map((p) => /"GET (\S+) /.exec(p.text)![1]),
    },
    cloudtrail: {
      fromAttacker: fromAttacker.length,
      fromAttackerByEventName: countBy(fromAttacker, (r) => r.eventName),
      stolenKeyEvents: signed.length,
      stolenKeyEventsBySourceIp: countBy(signed, (r) => r.sourceIPAddress),
      persistenceKeyEvents: records.filter((r) => r.userIdentity.accessKeyId === ctx.persistenceKey).length,
      getObject,
      getObjectBursts: trail.bursts,
      onlyInIncident: ONLY_IN_INCIDENT,
    },
    vpcflow: {
      recordsWithAttacker: planted.filter((p) => p.logType === 'vpcflow').length,
      egressRecords: egress.records,
      egressBytes: egress.bytes,
      flowLogId: shop.vpc.flowLogId,
    },
    plantedByType: countBy(planted, (p) => p.logType),
  };
}
