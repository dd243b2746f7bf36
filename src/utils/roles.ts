import { config } from '@grafana/runtime';
import pluginJson from '../plugin.json';

const RANK: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };

/**
 * The org role plugin.json's routes ask for adding, editing and removing sources (a source names
 * buckets, queues and a role the sidecar assumes: Admin). The pages offer those actions only to
 * it, so a user never sees a button Grafana's proxy would refuse.
 */
export const SOURCE_MANAGER_ROLE: string = pluginJson.routes.find((r) => r.path === 'sidecar/api/sources' && r.method === 'POST')?.reqRole ?? 'Admin';

/** The signed-in user's org role includes `role`, as Grafana's proxy checks a route's reqRole. */
export function hasOrgRole(role: string): boolean {
  return (RANK[config.bootData.user?.orgRole ?? ''] ?? 0) >= (RANK[role] ?? Infinity);
}
