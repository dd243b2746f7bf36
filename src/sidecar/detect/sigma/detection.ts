import { RuleSyntaxError } from '../errors';
import { describe, isMap } from '../meta';
import { and, or, print, type Logic } from '../logic';
import { conditionLogic, parseCondition } from './condition';
import { testCondition, type FieldResolver } from './predicates';
import { valueTest } from './values';

const MAX_IDENTIFIERS = 500;

/** A rule's `detection` section as one condition of the language over its table's events. */
export function detectionCondition(detection: unknown, resolve: FieldResolver): string {
  if (!isMap(detection)) {
    throw new RuleSyntaxError('detection', `must be a map of search identifiers and a condition, not ${describe(detection)}`);
  }
  const { condition, timeframe, ...identifiers } = detection;
  if (timeframe !== undefined) {
    throw new RuleSyntaxError('detection.timeframe', 'belongs to Sigma 1 aggregations: write a correlation rule with a timespan');
  }
  const names = Object.keys(identifiers);
  if (names.length === 0) {
    throw new RuleSyntaxError('detection', 'has no search identifier');
  }
  if (names.length > MAX_IDENTIFIERS) {
    throw new RuleSyntaxError('detection', `has more than ${MAX_IDENTIFIERS} search identifiers`);
  }
  const predicates = new Map<string, Logic>();
  for (const name of names) {
    predicates.set(name, identifierCondition(identifiers[name], resolve, `detection.${name}`));
  }
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (conditions.length === 0 || conditions.some((c) => typeof c !== 'string')) {
    throw new RuleSyntaxError('detection.condition', condition === undefined ? 'is missing' : 'must be text (or a list of texts, any of which matches)');
  }
  return print(or((conditions as string[]).map((c) => conditionLogic(parseCondition(c, 'detection.condition'), predicates, 'detection.condition'))));
}

/**
 * One search identifier: a map (its fields all match), a list of maps (any of them matches)
 * or a list of plain values (keywords: any of them appears in the event).
 */
function identifierCondition(definition: unknown, resolve: FieldResolver, construct: string): Logic {
  if (isMap(definition)) {
    return mapCondition(definition, resolve, construct);
  }
  if (Array.isArray(definition)) {
    if (definition.length === 0) {
      throw new RuleSyntaxError(construct, 'is an empty list');
    }
    if (definition.every(isMap)) {
      return or(definition.map((item, i) => mapCondition(item, resolve, `${construct}[${i}]`)));
    }
    if (definition.some(isMap)) {
      throw new RuleSyntaxError(construct, 'mixes maps and plain values: put the keywords in a search identifier of their own');
    }
    return testCondition(valueTest('', definition, construct), resolve, construct);
  }
  if (typeof definition === 'string' || typeof definition === 'number') {
    return testCondition(valueTest('', definition, construct), resolve, construct);
  }
  throw new RuleSyntaxError(construct, `must be a map, a list or a keyword, not ${describe(definition)}`);
}

function mapCondition(map: Record<string, unknown>, resolve: FieldResolver, construct: string): Logic {
  const keys = Object.keys(map);
  if (keys.length === 0) {
    throw new RuleSyntaxError(construct, 'is an empty map');
  }
  return and(
    keys.map((key) => {
      const here = `${construct}.${key}`;
      return testCondition(valueTest(key, map[key], here), resolve, here);
    })
  );
}
