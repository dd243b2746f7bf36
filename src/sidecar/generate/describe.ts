import type { BucketSummary, IncidentFacts } from './types';

const n = (x: number) => x.toLocaleString('en-US');

/** The bucket in a few lines: range, accounts, regions, objects and events per type. */
export function describeSummary(s: BucketSummary): string[] {
  const types = Object.entries(s.byType).map(([type, c]) => `${type} ${n(c!.objects)} objects / ${n(c!.events)} events`);
  return [
    `${s.start} to ${s.end} (${s.byDay.length} days), seed ${s.seed}`,
    `accounts ${s.accounts.join(', ')}; regions ${s.regions.join(', ')}`,
    `${n(s.objects)} objects, ${n(s.events)} events: ${types.join('; ')}`,
  ];
}

/** What was planted, for a person: who, with what, when, and how to find it. */
export function describeIncident(f: IncidentFacts): string[] {
  const lines = [
    `attacker ${f.attackerIp}; web app ${f.webApp.domain} (${f.webApp.loadBalancer}) in ${f.account}/${f.region}`,
    `stolen key ${f.stolenCredentials.accessKeyId} (${f.stolenCredentials.arn})`,
    `persistence key ${f.persistence.accessKeyId} for ${f.persistence.userName}; customer data s3://${f.customerDataBucket}`,
  ];
  for (const t of f.timeline) {
    lines.push(`${t.from.slice(0, 19)}Z ${t.step.padEnd(12)} ${t.summary}`);
  }
  lines.push(
    `planted: ${Object.entries(f.plantedByType)
      .map(([type, count]) => `${type} ${n(count!)}`)
      .join(
        ', '
      )}; SSRF requests ${f.alb.ssrfRequests}, stolen-key records ${f.cloudtrail.stolenKeyEvents}, GetObject ${f.cloudtrail.getObject}, egress ${(f.vpcflow.egressBytes / 1e9).toFixed(2)} GB in ${f.vpcflow.egressRecords} flow records`
  );
  return lines;
}
