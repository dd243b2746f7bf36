import type { QueryFilterOptions, QueryFixAction, ToggleFilterAction } from '@grafana/data';
import { addFilterStage, containsCondition, equalsCondition, hasFilterStage, removeFilterStage } from './text/stages';
import type { LookbackQuery } from './types';

export const SUPPORTED_MODIFICATIONS = ['ADD_FILTER', 'ADD_FILTER_OUT', 'ADD_STRING_FILTER', 'ADD_STRING_FILTER_OUT'];

function withText(query: LookbackQuery, text: string): LookbackQuery {
  return { ...query, query: text };
}

function addOnce(text: string, condition: string): string {
  return hasFilterStage(text, condition) ? text : addFilterStage(text, condition);
}

/** Filter for / out a label value, or a string selected in a log line. */
export function modifyQuery(query: LookbackQuery, action: QueryFixAction): LookbackQuery {
  const { key, value } = action.options ?? {};
  const text = query.query ?? '';
  switch (action.type) {
    case 'ADD_FILTER':
    case 'ADD_FILTER_OUT': {
      if (!key || value === undefined) {
        return query;
      }
      const negated = action.type === 'ADD_FILTER_OUT';
      const cleared = removeFilterStage(text, equalsCondition(key, value, !negated));
      return withText(query, addOnce(cleared, equalsCondition(key, value, negated)));
    }
    case 'ADD_STRING_FILTER':
    case 'ADD_STRING_FILTER_OUT':
      return value ? withText(query, addOnce(text, containsCondition(value, action.type === 'ADD_STRING_FILTER_OUT'))) : query;
    default:
      return query;
  }
}

/** Log details' filter buttons: a second click removes the filter, the opposite one replaces it. */
export function toggleQueryFilter(query: LookbackQuery, filter: ToggleFilterAction): LookbackQuery {
  const { key, value } = filter.options;
  const negated = filter.type === 'FILTER_OUT';
  const wanted = equalsCondition(key, value, negated);
  const text = query.query ?? '';
  if (hasFilterStage(text, wanted)) {
    return withText(query, removeFilterStage(text, wanted));
  }
  const cleared = removeFilterStage(text, equalsCondition(key, value, !negated));
  return withText(query, addFilterStage(cleared, wanted));
}

export function queryHasFilter(query: LookbackQuery, filter: QueryFilterOptions): boolean {
  return hasFilterStage(query.query ?? '', equalsCondition(filter.key, filter.value));
}
