import { tableByName } from '../../query/tables';
import { RuleSyntaxError } from '../errors';
import { byClause, groupKey, thresholdCondition } from '../hits';
import { bounds, DEFAULTS, describe, isMap, ruleMeta, runOptions, text, type Doc, type RuleMeta } from '../meta';
import { quote, timespanLiteral } from '../quote';
import type { Bound, DetectionRule, GroupKey } from '../types';
import { fieldResolver } from './logsource';
import type { SigmaDetection } from './rule';

export const CORRELATION_TYPES = ['event_count', 'value_count', 'value_sum', 'value_avg', 'temporal', 'temporal_ordered'] as const;
type CorrelationType = (typeof CORRELATION_TYPES)[number];

/** A correlation rule as written, before the rules it refers to are known. */
export interface CorrelationSpec {
  meta: RuleMeta;
  name: string;
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  condition: Bound[] | null;
  /** value_count, value_sum, value_avg: the field whose values are counted or summed. */
  field: string | null;
  /** Alias → rule (id or name) → that rule's field. */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
  doc: Doc;
}

const TIMESPAN = /^(\d+)([smhd])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };
const MAX_RULES = 32;

export const WINDOW_WARNING =
  'windows are aligned to multiples of the timespan (counted from the Unix epoch): events on both sides of a window boundary are counted in separate windows';

/** Reads a correlation document (`correlation:` section and the rule's metadata). */
export function parseCorrelation(doc: Doc, fallbackId: string): CorrelationSpec {
  const meta = ruleMeta(doc, fallbackId, 'level');
  const c = doc.correlation;
  if (!isMap(c)) {
    throw new RuleSyntaxError('correlation', `must be a map with type, rules, group-by, timespan and condition, not ${describe(c)}`);
  }
  for (const key of ['threshold', 'group-by']) {
    if (doc[key] !== undefined) {
      throw new RuleSyntaxError(key, 'a correlation takes its condition and group-by from its correlation section');
    }
  }
  const type = c.type;
  if (type === 'value_percentile') {
    throw new RuleSyntaxError('correlation.type', 'value_percentile is not supported');
  }
  if (typeof type !== 'string' || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
    throw new RuleSyntaxError('correlation.type', `${JSON.stringify(type)} is not one of ${CORRELATION_TYPES.join(', ')}`);
  }
  const rules = c.rules === undefined ? [] : Array.isArray(c.rules) ? c.rules : [c.rules];
  if (rules.length === 0 || rules.some((r) => typeof r !== 'string' || r === '')) {
    throw new RuleSyntaxError('correlation.rules', 'must list the ids or names of the rules it correlates');
  }
  if (rules.length > MAX_RULES) {
    throw new RuleSyntaxError('correlation.rules', `lists more than ${MAX_RULES} rules`);
  }
  if ((type === 'temporal' || type === 'temporal_ordered') && rules.length < 2) {
    throw new RuleSyntaxError('correlation.rules', `${type} needs at least two rules`);
  }
  const groupBy = c['group-by'] === undefined ? [] : Array.isArray(c['group-by']) ? c['group-by'] : [c['group-by']];
  if (groupBy.some((g) => typeof g !== 'string' || g === '')) {
    throw new RuleSyntaxError('correlation.group-by', 'must be a list of field names');
  }
  const span = typeof c.timespan === 'string' ? TIMESPAN.exec(c.timespan) : null;
  if (!span || Number(span[1]) === 0) {
    throw new RuleSyntaxError(
      'correlation.timespan',
      `${c.timespan === undefined ? 'is missing' : `${JSON.stringify(c.timespan)} is not a timespan`}: write a number and s, m, h or d, e.g. 90m`
    );
  }
  let condition: Bound[] | null = null;
  let field: string | null = null;
  if (c.condition !== undefined) {
    if (!isMap(c.condition)) {
      throw new RuleSyntaxError('correlation.condition', `must be a map such as {gte: 10}, not ${describe(c.condition)}`);
    }
    const { field: f, ...rest } = c.condition;
    if (f !== undefined) {
      if (typeof f !== 'string' || f === '') {
        throw new RuleSyntaxError('correlation.condition.field', 'must be a field name');
      }
      field = f;
    }
    condition = bounds(rest, 'correlation.condition');
  }
  const needsField = type === 'value_count' || type === 'value_sum' || type === 'value_avg';
  if (needsField && field === null) {
    throw new RuleSyntaxError('correlation.condition.field', `${type} needs the field whose values it ${type === 'value_count' ? 'counts' : 'adds up'}`);
  }
  if (!needsField && field !== null) {
    throw new RuleSyntaxError('correlation.condition.field', `${type} takes no field`);
  }
  if ((type === 'event_count' || needsField) && condition === null) {
    throw new RuleSyntaxError('correlation.condition', `${type} needs a condition such as {gte: 10}`);
  }
  if (type === 'temporal_ordered' && condition !== null) {
    throw new RuleSyntaxError('correlation.condition', 'temporal_ordered matches when all its rules happen in order: it takes no condition');
  }
  return {
    meta,
    name: text(doc, 'name', false),
    type: type as CorrelationType,
    rules: rules as string[],
    groupBy: groupBy as string[],
    timespanMs: Number(span[1]) * UNIT_MS[span[2]],
    condition,
    field,
    aliases: aliasesOf(c.aliases),
    generate: c.generate === true,
    doc,
  };
}

function aliasesOf(value: unknown): Record<string, Record<string, string>> {
  if (value === undefined) {
    return {};
  }
  if (!isMap(value) || !Object.values(value).every((m) => isMap(m) && Object.values(m).every((f) => typeof f === 'string' && f !== ''))) {
    throw new RuleSyntaxError('correlation.aliases', 'must map each alias to a map of rule name → field name');
  }
  return value as Record<string, Record<string, string>>;
}

/**
 * The correlation over its rules' events: per window of the timespan and group, the count its
 * type measures, compared with its condition.
 */
export function correlationRule(spec: CorrelationSpec, bases: SigmaDetection[], file: string): DetectionRule {
  const tables = new Set(bases.map((b) => b.table));
  const table = tables.size === 1 ? bases[0].table : 'events';
  const flags = bases.map((_, i) => `rule_${i + 1}`);
  const conditions = bases.map((b) => (table === 'events' ? `logType == ${quote(tableByName(b.table)?.logType ?? '')} and (${b.condition})` : b.condition));
  const names = bases.map((b) => b.meta.id);
  const events = [
    table,
    `| extend ${flags.map((flag, i) => `${flag} = ${conditions[i]}`).join(',\n    ')}`,
    `| where ${flags.join(' or ')}`,
    `| extend rule = ${ruleNames(flags, names)}`,
  ].join('\n');

  const refOf = (i: number) => [bases[i].meta.id, bases[i].name].filter(Boolean);
  const fieldOf = (name: string, construct: string): string => {
    const alias = spec.aliases[name];
    if (!alias) {
      return `tostring(${fieldResolver(table)(name).original})`;
    }
    const perRule = bases.map((_, i) => {
      const field = refOf(i)
        .map((ref) => alias[ref])
        .find((f) => f !== undefined);
      if (field === undefined) {
        throw new RuleSyntaxError(construct, `alias "${name}" names no field for rule "${refOf(i)[0]}"`);
      }
      return `tostring(${fieldResolver(bases[i].table)(field).original})`;
    });
    return perRule.slice(0, -1).reduceRight((otherwise, expr, i) => `iff(${flags[i]}, ${expr}, ${otherwise})`, perRule[perRule.length - 1]);
  };
  const groupBy: GroupKey[] = spec.groupBy.map((name) => groupKey(name, fieldOf(name, 'correlation.group-by'), 'correlation.group-by'));
  const n = bases.length;
  let measure: string;
  switch (spec.type) {
    case 'event_count':
      measure = 'count()';
      break;
    case 'value_count': {
      const value = fieldOf(spec.field ?? '', 'correlation.condition.field');
      measure = `dcount(iff(isnotempty(${value}), ${value}, null))`;
      break;
    }
    case 'value_sum':
      measure = `sum(${fieldOf(spec.field ?? '', 'correlation.condition.field')})`;
      break;
    case 'value_avg':
      measure = `avg(${fieldOf(spec.field ?? '', 'correlation.condition.field')})`;
      break;
    case 'temporal':
      measure = flags.map((flag) => `toint(countif(${flag}) > 0)`).join(' + ');
      break;
    case 'temporal_ordered':
      measure = `window_funnel(${timespanLiteral(spec.timespanMs)}, time, ${flags.join(', ')})`;
      break;
  }
  const threshold = spec.condition ?? [{ op: 'gte', value: n }];
  const window = `bin(time, ${timespanLiteral(spec.timespanMs)})`;
  const hits = `${events}\n| summarize count = ${measure}, events = count(), firstSeen = min(time), lastSeen = max(time)${byClause(groupBy, window)}\n| where ${thresholdCondition(threshold)}`;
  const options = runOptions(spec.doc, { lookbackMs: Math.max(DEFAULTS.lookbackMs, spec.timespanMs), threshold, groupBy: [] });
  return {
    ...spec.meta,
    kind: 'correlation',
    file,
    table,
    events,
    hits,
    groupBy,
    windowMs: spec.timespanMs,
    threshold,
    completeWindowsOnly: threshold.some((b) => b.op !== 'gt' && b.op !== 'gte'),
    scheduleMs: options.scheduleMs,
    lookbackMs: options.lookbackMs,
    suppressMs: options.suppressMs,
    standalone: true,
    warnings: [WINDOW_WARNING],
  };
}

function ruleNames(flags: string[], names: string[]): string {
  const last = quote(names[names.length - 1]);
  return flags.slice(0, -1).reduceRight((otherwise, flag, i) => `iff(${flag}, ${quote(names[i])}, ${otherwise})`, last);
}
