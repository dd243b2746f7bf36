import { startEmulator } from '../emulator/emulator';
import { parseOptions, portOption, untilSignal } from './args';

export async function runEmulator(args: string[]): Promise<void> {
  const { values } = parseOptions(args, { port: { type: 'string', short: 'p' } });
  const emulator = await startEmulator(portOption(values.port, 4566));
  process.stdout.write(`emulator (S3 + SNS + SQS) listening on ${emulator.endpoint}\n`);
  process.stdout.write(`point Lookback at it with LOOKBACK_AWS_ENDPOINT=${emulator.endpoint}\n`);
  await Promise.race([untilSignal(), parentGone()]);
  await emulator.stop();
}

/**
 * Started by another process with an IPC channel (emulator/emulatorProcess.ts): resolves when that
 * process goes. The channel alone does not keep this process alive once the emulator has stopped.
 */
function parentGone(): Promise<void> {
  return new Promise((resolve) => {
    if (process.connected) {
      process.once('disconnect', () => resolve());
      process.channel?.unref();
    }
  });
}
