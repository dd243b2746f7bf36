import { RuleSyntaxError } from '../errors';
import { groupKey, plainHits } from '../hits';
import { isMap, ruleMeta, runOptions, text, type Doc, type RuleMeta } from '../meta';
import type { DetectionRule } from '../types';
import { detectionCondition } from './detection';
import { fieldResolver, tableOf } from './logsource';

/** A Sigma detection rule translated: its table and the condition its events satisfy. */
export interface SigmaDetection {
  meta: RuleMeta;
  /** The rule's `name`, by which correlations may refer to it. */
  name: string;
  table: string;
  condition: string;
  rule: DetectionRule;
}

/** A Sigma rule document (with Lookback's optional run keys) as a detection rule. */
export function sigmaDetection(doc: Doc, file: string, fallbackId: string): SigmaDetection {
  const meta = ruleMeta(doc, fallbackId, 'level');
  if (text(doc, 'status', false) === 'unsupported') {
    throw new RuleSyntaxError('status', 'the rule says it is unsupported (it cannot be used in its current state)');
  }
  const taxonomy = text(doc, 'taxonomy', false);
  if (taxonomy && taxonomy !== 'sigma') {
    throw new RuleSyntaxError('taxonomy', `"${taxonomy}" field names are not mapped: Lookback reads the default taxonomy (the logs' own field names)`);
  }
  if (!isMap(doc.logsource)) {
    throw new RuleSyntaxError('logsource', 'is missing');
  }
  const table = tableOf(doc.logsource);
  const resolve = fieldResolver(table);
  const condition = detectionCondition(doc.detection, resolve);
  const options = runOptions(doc);
  const groupBy = options.groupBy.map((field) => groupKey(field, `tostring(${resolve(field).original})`, 'group-by'));
  const events = `${table}\n| where ${condition}`;
  const rule: DetectionRule = {
    ...meta,
    kind: 'sigma',
    file,
    table,
    events,
    hits: plainHits(events, groupBy, options.threshold),
    groupBy,
    windowMs: null,
    threshold: options.threshold,
    completeWindowsOnly: false,
    scheduleMs: options.scheduleMs,
    lookbackMs: options.lookbackMs,
    suppressMs: options.suppressMs,
    standalone: true,
    warnings: [],
  };
  return { meta, name: text(doc, 'name', false), table, condition, rule };
}
