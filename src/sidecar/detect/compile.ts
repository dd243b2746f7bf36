import { compileAst, type CompiledQuery, type FieldKeys } from '../query/compiler';
import { QueryError, positionOf } from '../query/errors';
import { parseQuery } from '../query/parser';
import { clickHouseTime } from '../query/time';
import { RuleSyntaxError } from './errors';
import type { DetectionRule } from './types';

/** Every name is a field: a rule may name fields the store has not seen yet (they read as ""). */
class AnyKey extends Set<string> {
  override has(): boolean {
    return true;
  }
}

export const ANY_FIELDS: FieldKeys = { keysFor: () => new AnyKey() };

/** A range to compile against when only checking a rule. */
const CHECK_RANGE = { from: 0, to: 86_400_000 };

/** Filters the first stage of a run that only looks at events received in a window. */
const RECEIVED = parseQuery('events | where receivedAt >= $received_from and receivedAt < $received_to').pipeline.stages[0];

/**
 * Compiles a rule's query text for a run over event times `from`..`to` (ms), and, when given,
 * over the events received in `received` only (filtered before the query's first stage, so
 * before any aggregation of its own). Throws QueryError.
 */
export function compileRuleQuery(text: string, range: { from: number; to: number }, maxRows: number, received?: { from: number; to: number }): CompiledQuery {
  const query = parseQuery(text);
  if (!received) {
    return compileAst(query, { ...range, maxRows, fields: ANY_FIELDS });
  }
  const pipeline = { ...query.pipeline, stages: [RECEIVED, ...query.pipeline.stages] };
  const variables = { received_from: clickHouseTime(received.from), received_to: clickHouseTime(received.to) };
  return compileAst({ ...query, pipeline }, { ...range, maxRows, fields: ANY_FIELDS, variables });
}

/**
 * Checks that both of a rule's queries compile and that its events query returns events; the
 * error points into the native rule's own query text where it can.
 */
export function checkRuleQueries(rule: Pick<DetectionRule, 'events' | 'hits'>, userQuery?: string): void {
  const compile = (text: string) => {
    try {
      return compileRuleQuery(text, CHECK_RANGE, 1);
    } catch (err) {
      if (!(err instanceof QueryError)) {
        throw err;
      }
      if (userQuery !== undefined && err.span && err.span.offset < userQuery.length) {
        const { line, column } = positionOf(userQuery, err.span);
        throw new RuleSyntaxError('query', `line ${line}, column ${column}: ${err.message}`);
      }
      throw new RuleSyntaxError(userQuery !== undefined ? 'group-by' : 'translation', `the query Lookback made does not compile: ${err.message}`);
    }
  };
  const events = compile(rule.events);
  if (!events.columns.some((c) => c.name === 'time' && c.type === 'time')) {
    throw new RuleSyntaxError('query', 'must return events, with their time column: leave counting and grouping to threshold and group-by');
  }
  compile(rule.hits);
}
