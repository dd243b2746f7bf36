import type { AddressInfo } from 'node:net';

export interface RunningEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts fauxqs (S3 + SNS + SQS, in memory) on 127.0.0.1. */
export async function startEmulator(port: number, host = '127.0.0.1'): Promise<RunningEmulator> {
  // fauxqs ships ES modules only; node16 module resolution keeps this a real dynamic import.
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false });
  await app.listen({ port, host });
  const address = app.server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${address.port}`,
    stop: async () => {
      await app.close();
    },
  };
}
