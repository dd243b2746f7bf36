import { OperatorError } from '../operatorError';
import { UsageError } from './args';
import { runBackfill } from './backfill';
import { runDemo } from './demo';
import { runDetections } from './detections';
import { runEmulator } from './emulator';
import { runGenerate } from './generate';
import { runRules } from './rules';
import { runServe } from './serve';
import { runSearch } from './search';

const USAGE = `usage: lookback <command> [options]

commands:
  serve [--config FILE]      run the sidecar (config file plus LOOKBACK_* variables)
  emulator [--port 4566]     run the local S3 + SNS + SQS emulator on 127.0.0.1
  demo [--port 8089]         the main job on embedded defaults: emulator, sidecar with chDB,
                             sample CloudTrail logs ingested live; keeps serving
  generate --bucket NAME     write realistic AWS logs with a hidden incident into S3 (--help)
  search '<query>' --from 7d
                             run a query on a running sidecar; rows as a table, JSON or CSV (--help)
  backfill start|estimate|status|cancel|prioritize
                             load a time range of a source's bucket on a running sidecar (--help)
  rules check <file|dir>...  check detection rules (Sigma, native) without a sidecar
  rules test <rule file> --events <file>
                             run a rule file over raw log records in a temporary store (--help)
  detections [--watch]       what the rules found, on a running sidecar (--help)
`;

type Command = (args: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  serve: runServe,
  emulator: runEmulator,
  demo: runDemo,
  generate: runGenerate,
  search: runSearch,
  backfill: runBackfill,
  rules: runRules,
  detections: runDetections,
};

export async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`lookback: unknown command "${name}"\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    await command(args);
  } catch (err) {
    const message = err instanceof OperatorError ? err.message : ((err as Error).stack ?? String(err));
    process.stderr.write(`lookback ${name}: ${message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}
