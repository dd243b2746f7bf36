import type { ChildProcess } from 'node:child_process';

/** The first group of `pattern` once the process has written it on `stream`; rejects if the process exits first. */
export function waitForLine(proc: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let seen = '';
    proc[stream]!.on('data', (data: Buffer) => {
      seen += data.toString();
      const match = pattern.exec(seen);
      if (match) {
        resolveLine(match[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${seen.slice(-2000)}`)));
  });
}

/** Stops a process with SIGTERM and waits for it to exit (at once if it has). */
export function stop(proc: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      done();
      return;
    }
    proc.once('exit', () => done());
    proc.kill('SIGTERM');
  });
}
