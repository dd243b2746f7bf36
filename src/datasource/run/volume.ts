import type { AdHocVariableFilter, DataQueryRequest } from '@grafana/data';
import { volumeFrames } from '../frames/volume';
import { withoutPresentationStages } from '../text/stages';
import type { LookbackQuery, VolumeGrouping } from '../types';
import { formatInterval } from './interval';
import { prepareQuery, type PreparedQuery } from './prepare';
import { toQueryError } from './queryError';
import type { SearchContext, TargetResult } from './search';

/**
 * The log volume of a logs query: counts per bucket, by severity or outcome, of every event it
 * matches (its trailing take / sort / project stages only shape the lines shown).
 */
export async function runVolume(
  ctx: SearchContext,
  target: LookbackQuery,
  request: DataQueryRequest<LookbackQuery>,
  filters: readonly AdHocVariableFilter[],
  by: VolumeGrouping
): Promise<TargetResult> {
  let prepared: PreparedQuery | undefined;
  try {
    prepared = prepareQuery(target.query, request.scopedVars, filters, ctx.variables);
    const response = await ctx.client.histogram(
      {
        query: withoutPresentationStages(prepared.edited.text),
        from: request.range.from.toISOString(),
        to: request.range.to.toISOString(),
        interval: formatInterval(request.intervalMs),
        by,
        ...(Object.keys(prepared.variables).length > 0 ? { variables: prepared.variables } : {}),
      },
      request.requestId ? `${request.requestId}_${target.refId}` : undefined
    );
    return { frames: volumeFrames(target.refId, response, by) };
  } catch (err) {
    return { frames: [], error: toQueryError(err, target.refId, prepared?.edited) };
  }
}
