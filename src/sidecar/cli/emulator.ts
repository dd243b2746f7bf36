import { startEmulator } from '../emulator/emulator';
import { parseOptions, portOption, untilSignal } from './args';

export async function runEmulator(args: string[]): Promise<void> {
  const { values } = parseOptions(args, { port: { type: 'string', short: 'p' } });
  const emulator = await startEmulator(portOption(values.port, 4566));
  process.stdout.write(`emulator (S3 + SNS + SQS) listening on ${emulator.endpoint}\n`);
  process.stdout.write(`point Lookback at it with LOOKBACK_AWS_ENDPOINT=${emulator.endpoint}\n`);
  await untilSignal();
  await emulator.stop();
}
