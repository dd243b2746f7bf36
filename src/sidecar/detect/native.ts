import { parseQuery } from '../query/parser';
import { QueryError, positionOf } from '../query/errors';
import { RuleSyntaxError } from './errors';
import { groupKey, plainHits } from './hits';
import { ruleMeta, runOptions, text, type Doc } from './meta';
import { fieldRef } from './quote';
import type { DetectionRule } from './types';

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_QUERY = 64 * 1024;

/**
 * A native rule: a query of the pipeline language selecting events, and how to run it
 * (`schedule`, `lookback`, `threshold`, `group-by`, `suppress`), severity and ATT&CK tags.
 */
export function nativeRule(doc: Doc, file: string, fallbackId: string): DetectionRule {
  const meta = ruleMeta(doc, fallbackId, 'severity');
  const query = text(doc, 'query', true).replace(/[\s;]+$/, '');
  if (query.length > MAX_QUERY) {
    throw new RuleSyntaxError('query', `is longer than ${MAX_QUERY / 1024} KiB`);
  }
  let table: string;
  try {
    const { source } = parseQuery(query).pipeline;
    if (source.kind !== 'table') {
      throw new QueryError("a native rule reads one table: start its query with the table's name (CloudTrail, ALB, events, ...)", source.span);
    }
    table = source.name;
  } catch (err) {
    if (err instanceof QueryError) {
      const at = err.span ? positionOf(query, err.span) : undefined;
      throw new RuleSyntaxError('query', `${at ? `line ${at.line}, column ${at.column}: ` : ''}${err.message}`);
    }
    throw err;
  }
  const options = runOptions(doc);
  const groupBy = options.groupBy.map((name) => groupKey(name, `tostring(${PATH.test(name) ? name : fieldRef(name)})`, 'group-by'));
  return {
    ...meta,
    kind: 'native',
    file,
    table,
    events: query,
    hits: plainHits(query, groupBy, options.threshold),
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
}
