import { SENTINEL_TABLE_NAMES } from './sentinel/tables';
import { TABLE_NAMES } from './tables';

/** Every table a query can read: Lookback's own and Sentinel's AWS tables. */
export const ALL_TABLE_NAMES: readonly string[] = [...TABLE_NAMES, ...SENTINEL_TABLE_NAMES];
