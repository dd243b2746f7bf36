import type { HealthResponse } from '../shared/api';
import type { SourceStatus } from '../shared/backfill';
import { SidecarError } from './errors';

export interface ConnectionReport {
  status: 'success' | 'warning' | 'error';
  message: string;
  /** One line per check and source. */
  details: string[];
  health?: HealthResponse;
  sources?: SourceStatus[];
}

const count = (n: number) => n.toLocaleString('en-US');

function sourceLine(s: SourceStatus): string {
  const where = `s3://${s.source.bucket}/${s.source.prefix ?? ''}`;
  const last = s.lastEventTime ? `, last event ${s.lastEventTime}` : '';
  return `source ${s.source.id}: ${s.source.logType} from ${where} (${s.source.region})${last}`;
}

export interface ConnectionProbe {
  health(): Promise<HealthResponse>;
  /** Needs the API token, unlike health. */
  sources(): Promise<SourceStatus[]>;
}

/**
 * Checks the way Grafana reaches the sidecar: health (store and queues, public) and the source
 * list (which proves the token), reported as one sentence plus a line per check.
 */
export async function testConnection(probe: ConnectionProbe, sidecarUrl?: string): Promise<ConnectionReport> {
  if (sidecarUrl !== undefined && !sidecarUrl.trim()) {
    return { status: 'error', message: 'Set the sidecar URL (where Grafana reaches the Lookback sidecar, e.g. http://lookback:8089) and save', details: [] };
  }
  let health: HealthResponse;
  try {
    health = await probe.health();
  } catch (err) {
    return { status: 'error', message: err instanceof Error ? err.message : String(err), details: [] };
  }
  let sources: SourceStatus[];
  try {
    sources = await probe.sources();
  } catch (err) {
    const reason =
      err instanceof SidecarError && err.status === 401
        ? err.message
        : `the sidecar answered health but not the API: ${err instanceof Error ? err.message : String(err)}`;
    return { status: 'error', message: reason, details: [], health };
  }
  const checks = [health.store, ...health.queues];
  const details = [...checks.map((c) => `${c.status === 'ok' ? 'ok' : 'FAILED'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`), ...sources.map(sourceLine)];
  const totals = `${count(health.ingest.events)} events from ${count(health.ingest.objectsOk)} objects, ${count(health.ingest.objectsFailed)} failed objects, ${count(health.ingest.malformed)} malformed records`;
  const sourceText =
    sources.length === 0
      ? 'no sources yet (add one on the Sources page)'
      : `${sources.length} source${sources.length === 1 ? '' : 's'} (${sources.map((s) => s.source.id).join(', ')})`;
  const failing = checks.filter((c) => c.status !== 'ok');
  if (failing.length > 0) {
    return {
      status: 'error',
      message: `Lookback sidecar ${health.version} is unhealthy: ${failing.map((c) => `${c.name}: ${c.detail ?? 'failed'}`).join('; ')}`,
      details,
      health,
      sources,
    };
  }
  return {
    status: 'success',
    message: `Connected to Lookback sidecar ${health.version}: ${health.store.name} ok; ${totals}; ${sourceText}`,
    details,
    health,
    sources,
  };
}
