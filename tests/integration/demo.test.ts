import { spawn } from 'node:child_process';
import { alive, CLI, eventually, removeDir, tempDir } from './harness/processes';

/** The README's main job, small: a generated day, a backfill, the investigation and the detections printed. */
describe('lookback demo', () => {
  it('backfills a generated bucket and prints the investigation from SSRF to exfiltration', async () => {
    const dataDir = tempDir('demo');
    const proc = spawn(
      process.execPath,
      [CLI, 'demo', '--days', '1', '--events', '6000', '--port', '0', '--emulator-port', '0', '--data-dir', dataDir, '--exit'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    removeDir(dataDir);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });

    // The emulator ran as a process of its own, and went with the demo.
    const emulatorPid = Number(/emulator \(S3 \+ SNS \+ SQS\) on http:\S+, process (\d+)/.exec(stdout)?.[1]);
    expect(emulatorPid).toBeGreaterThan(0);
    expect(emulatorPid).not.toBe(proc.pid);
    await eventually(async () => (alive(emulatorPid) ? undefined : true), 'the emulator process to exit');

    expect(stdout).toMatch(/first events searchable [\d.]+ s after the backfill started/);
    const steps = [...stdout.matchAll(/^(\d)\. ([^:\n]+):/gm)].map((m) => m[2]);
    expect(steps).toEqual([
      'SSRF to the instance metadata service',
      "What the attacker's address did in AWS",
      'Everywhere the stolen key was used',
      'Persistence',
      'Exfiltration from S3',
      'Exfiltration on the network',
    ]);
    expect([...stdout.matchAll(/^ {3}answered [\d.]+ s after the backfill started/gm)]).toHaveLength(6);
    const attacker = /with \$attacker = "([\d.]+)"/.exec(stdout)?.[1];
    expect(attacker).toMatch(/^203\.0\.113\.\d+$/);
    expect(stdout).toMatch(/with \$key = "ASIA[A-Z0-9]{16}"/);
    expect(stdout).toMatch(/CreateAccessKey/);
    expect(stdout).toMatch(/AttachUserPolicy/);
    expect(stdout).toMatch(/backfill done in \d+ s/);

    // The rule pack finds the planted incident; what it finds on the benign background is counted.
    expect(stdout).toMatch(/^ {2}\d+ rules over \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: \d+ detections$/m);
    expect(stdout).toMatch(/^ {2}ssrf +.*Request that reaches for the instance metadata service/m);
    expect(stdout).toMatch(/^ {2}persistence +.*Access key created for another user/m);
    expect(stdout).toMatch(/^ {2}on the benign background \(outside the incident's steps\): \d+\+? detections/m);
  }, 600_000);
});
