import type { AdHocVariableFilter, ScopedVars } from '@grafana/data';
import { EditedText, type Edit } from '../text/edits';
import { scanQuery } from '../text/scan';
import { adHocEdit } from '../text/stages';
import { bracedVariableEdits, referencedVariables, resolveVariables, type VariableSource, type VariableValues } from '../text/variables';

export interface PreparedQuery {
  /** The text sent, and how its positions map back to what the user wrote. */
  edited: EditedText;
  variables: VariableValues;
}

/**
 * The query as the sidecar gets it: `${name}` written `$name`, the ad hoc filters as a `where`
 * stage after the source, and the values of the dashboard variables it names, to be bound.
 */
export function prepareQuery(
  text: string,
  scopedVars: ScopedVars | undefined,
  filters: readonly AdHocVariableFilter[],
  variables: VariableSource
): PreparedQuery {
  const scan = scanQuery(text);
  const edits: Edit[] = bracedVariableEdits(scan);
  const adHoc = adHocEdit(text, scan, filters);
  if (adHoc) {
    edits.push(adHoc);
  }
  return {
    edited: new EditedText(text, edits),
    variables: resolveVariables(referencedVariables(scan), scopedVars, variables),
  };
}
