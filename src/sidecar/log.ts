import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stderr, so stdout stays free for command output. */
export function createLogger(level: string = process.env.LOOKBACK_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'lookback' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    return err.message || err.name;
  }
  return String(err);
}
