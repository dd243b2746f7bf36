import type { AdHocVariableFilter } from '@grafana/data';
import type { Edit } from './edits';
import { fieldRef, listLiteral, scalarLiteral, stringLiteral } from './literals';
import { scanQuery, type ScannedQuery } from './scan';

/** Stages after which a filter no longer filters the events themselves. */
const REDUCING_STAGES = new Set(['take', 'limit', 'top', 'summarize', 'count', 'distinct']);

/** An ad hoc filter as a condition of the language. */
export function adHocCondition(filter: AdHocVariableFilter): string {
  const name = fieldRef(filter.key);
  const value = filter.value ?? '';
  switch (filter.operator) {
    case '=':
      return `${name} == ${stringLiteral(value)}`;
    case '!=':
      return `${name} != ${stringLiteral(value)}`;
    case '=~':
      return `${name} matches regex ${stringLiteral(value)}`;
    case '!~':
      return `not(${name} matches regex ${stringLiteral(value)})`;
    case '<':
    case '>':
    case '<=':
    case '>=':
      return `${name} ${filter.operator} ${scalarLiteral(value)}`;
    case '=|':
      return `${name} in ${listLiteral(filter.values ?? [value])}`;
    case '!=|':
      return `${name} !in ${listLiteral(filter.values ?? [value])}`;
    default:
      throw new Error(`ad hoc filter on ${filter.key}: operator "${filter.operator}" is not supported (use =, !=, =~, !~, <, >, one of)`);
  }
}

function lineStartsAt(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return text.slice(lineStart, offset).trim() === '';
}

/** An edit that puts `| <stage>` in front of the pipe at `offset`, or at the end when there is none. */
function stageEdit(text: string, stage: string, offset: number | undefined): Edit {
  if (offset === undefined) {
    const trimmed = text.replace(/\s+$/, '');
    return { start: trimmed.length, end: text.length, text: `\n| ${stage}` };
  }
  return { start: offset, end: offset, text: lineStartsAt(text, offset) ? `| ${stage}\n` : `| ${stage} ` };
}

/**
 * Ad hoc filters as one `where` stage right after the pipeline's source, so they filter the
 * events before any stage reduces or reshapes them.
 */
export function adHocEdit(text: string, scan: ScannedQuery, filters: readonly AdHocVariableFilter[]): Edit | undefined {
  if (filters.length === 0) {
    return undefined;
  }
  const condition = filters.map(adHocCondition).join(' and ');
  return stageEdit(text, `where ${condition}`, scan.pipes[0]?.offset);
}

/** The query with a `where` stage added before the first stage that reduces rows (or at the end). */
export function addFilterStage(text: string, condition: string): string {
  const scan = scanQuery(text);
  const reducing = scan.pipes.find((p) => REDUCING_STAGES.has(p.stage));
  const edit = stageEdit(text, `where ${condition}`, reducing?.offset);
  return text.slice(0, edit.start) + edit.text + text.slice(edit.end);
}

/** The query without a `| where <condition>` stage the data source added; unchanged when absent. */
export function removeFilterStage(text: string, condition: string): string {
  const stage = `| where ${condition}`;
  const at = text.indexOf(stage);
  if (at < 0) {
    return text;
  }
  let end = at + stage.length;
  if (text[end] === '\n' || text[end] === ' ') {
    end++;
  } else if (text[at - 1] === '\n') {
    return text.slice(0, at - 1) + text.slice(end);
  }
  return text.slice(0, at) + text.slice(end);
}

export function hasFilterStage(text: string, condition: string): boolean {
  return text.includes(`| where ${condition}`);
}

export function equalsCondition(key: string, value: string, negated = false): string {
  return `${fieldRef(key)} ${negated ? '!=' : '=='} ${stringLiteral(value)}`;
}

export function containsCondition(text: string, negated = false): string {
  return `raw ${negated ? '!contains' : 'contains'} ${stringLiteral(text)}`;
}

/** Stages at the end of a logs query that only cut or reshape what is shown. */
const PRESENTATION_STAGES = new Set(['take', 'limit', 'sort', 'order', 'project', 'project-away', 'project-rename']);

/** The query without the trailing stages that cut or reshape rows, for counting all it matches. */
export function withoutPresentationStages(text: string): string {
  const { pipes } = scanQuery(text);
  let cut = text.length;
  for (let i = pipes.length - 1; i >= 0 && PRESENTATION_STAGES.has(pipes[i].stage); i--) {
    cut = pipes[i].offset;
  }
  return text.slice(0, cut).replace(/\s+$/, '');
}
