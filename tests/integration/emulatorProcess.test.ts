import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { alive, eventually, ROOT } from './harness/processes';

const BUILT = join(ROOT, 'dist-sidecar', 'sidecar', 'emulator', 'emulatorProcess.js');

/** A process that starts the emulator as the demo does, prints its endpoint and pid, and waits. */
function parentOfEmulator() {
  const script = `require(${JSON.stringify(BUILT)}).spawnEmulator(0).then((e) => { console.log(JSON.stringify({ endpoint: e.endpoint, pid: e.pid })); setInterval(() => {}, 1000); });`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<{ endpoint: string; pid: number }>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        resolve(JSON.parse(out) as { endpoint: string; pid: number });
      }
    });
    parent.once('exit', (code) => reject(new Error(`the parent exited with ${code}: ${out}`)));
  });
  return { parent, started };
}

describe('the emulator as a child process (emulatorProcess.ts)', () => {
  it('serves S3 from its own process and exits when the process that started it is killed', async () => {
    const { parent, started } = parentOfEmulator();
    let emulatorPid: number | undefined;
    try {
      const { endpoint, pid } = await started;
      emulatorPid = pid;
      expect(pid).not.toBe(parent.pid);
      const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      expect((await s3.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
      s3.destroy();

      parent.kill('SIGKILL');
      await eventually(async () => (alive(pid) ? undefined : true), 'the emulator to exit after its parent was killed', 15_000);
    } finally {
      // Whatever failed, neither process outlives the test.
      parent.kill('SIGKILL');
      if (emulatorPid !== undefined && alive(emulatorPid)) {
        process.kill(emulatorPid, 'SIGKILL');
      }
    }
  }, 60_000);
});
