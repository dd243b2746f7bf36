import { loadConfig } from '../config/load';
import { createLogger } from '../log';
import { startSidecar } from '../sidecar';
import { parseOptions, untilSignal } from './args';

export async function runServe(args: string[]): Promise<void> {
  const { values } = parseOptions(args, { config: { type: 'string', short: 'c' } });
  const config = loadConfig(values.config);
  const log = createLogger();
  const sidecar = await startSidecar(config, log);
  const signal = await untilSignal();
  log.info({ signal }, 'shutdown requested');
  await sidecar.stop();
}
