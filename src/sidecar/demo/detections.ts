import type { Detection, DetectionList, Hunt } from '../../shared/detections';
import type { SidecarHttpClient } from '../client/http';
import type { IncidentFacts } from '../generate/types';

/** What the rule pack found in the demo's days: per step of the planted incident, and on the rest (the benign background). */
export interface DetectionReport {
  hunt: Hunt;
  steps: Array<{ step: string; summary: string; detections: Detection[] }>;
  /** Detections whose events are all outside the incident's steps. */
  background: Detection[];
  truncated: boolean;
}

const overlaps = (d: Detection, from: string, to: string) => Date.parse(d.firstSeen) < Date.parse(to) && Date.parse(d.lastSeen) >= Date.parse(from);

/**
 * Hunts every enabled rule over the demo's range (what the scheduled runs find as the backfill
 * lands, run now and waited for), then sorts the detections by the incident step whose time they
 * overlap; the others fired on the benign background.
 */
export async function huntIncident(
  client: SidecarHttpClient,
  incident: IncidentFacts,
  range: { from: string; to: string },
  pollMs = 500
): Promise<DetectionReport> {
  let hunt = await client.post<Hunt>('/api/hunts', { ...range, by: 'demo' });
  while (hunt.state === 'running') {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    hunt = await client.get<Hunt>(`/api/hunts/${hunt.id}`);
  }
  const query = new URLSearchParams({ from: range.from, to: range.to, limit: '1000' });
  const list = await client.get<DetectionList>(`/api/detections?${query}`);
  const steps = incident.timeline.map((s) => ({ step: s.step, summary: s.summary, detections: list.detections.filter((d) => overlaps(d, s.from, s.to)) }));
  const inIncident = new Set(steps.flatMap((s) => s.detections.map((d) => d.fingerprint)));
  return { hunt, steps, background: list.detections.filter((d) => !inIncident.has(d.fingerprint)), truncated: list.truncated };
}

/** The report as the demo prints it. */
export function reportLines(report: DetectionReport): string[] {
  const { hunt } = report;
  const found = new Set([...report.steps.flatMap((s) => s.detections), ...report.background].map((d) => d.fingerprint)).size;
  const errors = hunt.errors.length > 0 ? `; ${hunt.errors.length} rules failed: ${hunt.errors.map((e) => `${e.ruleId}: ${e.error}`).join('; ')}` : '';
  const lines = [`  ${hunt.rules.length} rules over ${hunt.from.slice(0, 10)} to ${hunt.to.slice(0, 10)}: ${found} detections${errors}`];
  for (const step of report.steps) {
    const titles = [...new Set(step.detections.map((d) => `${d.severity} ${d.title}`))];
    lines.push(`  ${step.step.padEnd(12)} ${titles.length > 0 ? titles.join('; ') : 'no rule fired'}`);
  }
  const byRule = new Map<string, number>();
  for (const d of report.background) {
    byRule.set(d.title, (byRule.get(d.title) ?? 0) + 1);
  }
  const top = [...byRule.entries()].sort((a, b) => b[1] - a[1]);
  lines.push(
    `  on the benign background (outside the incident's steps): ${report.background.length}${report.truncated ? '+' : ''} detections` +
      (top.length > 0 ? `, ${top.map(([title, n]) => `${n} ${title}`).join('; ')}` : '')
  );
  return lines;
}
