import { RuleSyntaxError } from './errors';
import { columnName, numberLiteral, quote } from './quote';
import { BOUND_OPS, HIT_COLUMNS, type Bound, type DetectionRule, type GroupKey, type Hit } from './types';

/** A group-by key; its name must not collide with the columns every hit has. */
export function groupKey(name: string, expr: string, construct: string): GroupKey {
  if ((HIT_COLUMNS as readonly string[]).includes(name)) {
    throw new RuleSyntaxError(construct, `"${name}" cannot be a group-by key: hits already have a column of that name (${HIT_COLUMNS.join(', ')})`);
  }
  columnName(name, construct);
  return { name, expr };
}

/** `count >= 10 and count < 20`. */
export function thresholdCondition(threshold: Bound[]): string {
  return threshold.map((b) => `count ${BOUND_OPS[b.op]} ${numberLiteral(b.value, 'threshold')}`).join(' and ');
}

/** `by` items of a hits query: the window first (correlations), then the keys. */
export function byClause(groupBy: GroupKey[], window?: string): string {
  const items = [...(window ? [`window = ${window}`] : []), ...groupBy.map((k) => `${columnName(k.name, 'group-by')} = ${k.expr}`)];
  return items.length > 0 ? ` by ${items.join(', ')}` : '';
}

/**
 * The hits of a rule whose hit is a group of its matching events (per window of event time, when
 * given): how many, and when the first and last happened. Without group-by keys the summary has a
 * row even for no events: never a hit.
 */
export function plainHits(events: string, groupBy: GroupKey[], threshold: Bound[], window?: string): string {
  return `${events}\n| summarize count = count(), events = count(), firstSeen = min(time), lastSeen = max(time)${byClause(groupBy, window)}\n| where events > 0 and ${thresholdCondition(threshold)}`;
}

/**
 * The events behind one hit, for Explore: the rule's events query narrowed to the hit's group,
 * over the time from its first to its last event.
 */
export function hitEvents(
  rule: Pick<DetectionRule, 'events' | 'groupBy'>,
  hit: Pick<Hit, 'keys' | 'firstSeen' | 'lastSeen'>
): { query: string; from: string; to: string } {
  const conditions = rule.groupBy.map((key) => `${key.expr} == ${quote(hit.keys[key.name] ?? '')}`);
  const query = conditions.length > 0 ? `${rule.events}\n| where ${conditions.join(' and ')}` : rule.events;
  return { query, from: hit.firstSeen, to: new Date(Date.parse(hit.lastSeen) + 1).toISOString() };
}
