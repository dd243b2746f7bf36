import type { TimeRange } from '@grafana/data';
import type { TableInfo } from '../../../shared/query';
import type { SidecarClient } from '../../../api/client';
import type { CompletionSource } from './completion';

const TTL_MS = 60_000;
const VALUES_PER_FIELD = 50;

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

/**
 * Completion data from the sidecar: tables and fields (`/api/fields`), top values of a field in
 * the editor's time range; each kept for a minute so typing does not flood the sidecar.
 */
export function sidecarCompletionSource(client: SidecarClient, range: () => TimeRange | undefined, variables: () => string[]): CompletionSource {
  let tables: Cached<TableInfo[]> | undefined;
  const values = new Map<string, Cached<string[]>>();
  const fresh = <T>(c: Cached<T> | undefined): c is Cached<T> => c !== undefined && Date.now() - c.at < TTL_MS;

  return {
    tables() {
      if (!fresh(tables)) {
        const value = client.fields().then((r) => r.tables);
        value.catch(() => (tables = undefined));
        tables = { at: Date.now(), value };
      }
      return tables.value.catch(() => []);
    },
    values(field, table) {
      const r = range();
      const from = (r?.from ?? new Date(Date.now() - 24 * 3_600_000)).toISOString();
      const to = (r?.to ?? new Date()).toISOString();
      const key = `${table}\u0000${field}\u0000${from}\u0000${to}`;
      let cached = values.get(key);
      if (!fresh(cached)) {
        const value = client.fieldValues(field, { table, from, to, limit: VALUES_PER_FIELD }).then((res) => res.values.map((v) => v.value));
        value.catch(() => values.delete(key));
        cached = { at: Date.now(), value };
        values.set(key, cached);
      }
      return cached.value.catch(() => []);
    },
    variables,
  };
}
