import { createDataFrame, type DataFrame, type QueryResultMeta } from '@grafana/data';
import type { QueryResponse } from '../../shared/query';
import { columnValues, FIELD_TYPES } from './values';

/** One field per column, typed from the sidecar's column types. */
export function tableFrame(refId: string, response: QueryResponse, meta: QueryResultMeta): DataFrame {
  return createDataFrame({
    refId,
    meta: { ...meta, preferredVisualisationType: 'table' },
    fields: response.columns.map((column, i) => ({
      name: column.name,
      type: FIELD_TYPES[column.type],
      values: columnValues(response.rows, i, column),
    })),
  });
}
