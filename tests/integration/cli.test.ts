import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, removeDir, startEmulatorProcess, startSidecarProcess, tempDir } from './harness/processes';

function serve(config: object | string, env: Record<string, string> = {}) {
  const dir = tempDir('config');
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  const result = spawnSync(process.execPath, [CLI, 'serve', '--config', file], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
  removeDir(dir);
  return { code: result.status, stderr: result.stderr.trim(), file };
}

describe('the lookback command', () => {
  it.each([
    [
      { sources: [{ id: 'ct', bucket: 'logs', logType: 'cloudtrial' }] },
      {},
      /^lookback serve: invalid config: sources\[0\]\.logType: must be one of: auto, cloudtrail, /,
    ],
    [{ sources: [{ id: 'ct' }] }, {}, /^lookback serve: invalid config: sources\[0\]\.bucket: is required/],
    [{ listen: { port: 70000 } }, {}, /^lookback serve: invalid config: listen\.port: must be <= 65535/],
    [{ sourcez: [] }, {}, /^lookback serve: invalid config: sourcez: is not a known field/],
    ['{ not json', {}, /^lookback serve: invalid config: .*config\.json is not valid JSON/],
    [{}, { LOOKBACK_LISTEN_PORT: 'eighty' }, /^lookback serve: invalid config: LOOKBACK_LISTEN_PORT: must be a whole number, got "eighty"$/],
    [
      {
        sources: [
          { id: 'a', bucket: 'logs' },
          { id: 'a', bucket: 'other' },
        ],
      },
      {},
      /^lookback serve: invalid config: sources\[1\]\.id: "a" is used by another source$/,
    ],
  ])('rejects a bad config %# with one line naming the field', (config, env, message) => {
    const { code, stderr } = serve(config, env);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('rejects an unknown command and a bad option with usage', () => {
    const unknown = spawnSync(process.execPath, [CLI, 'servе'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "servе"/);
    const badPort = spawnSync(process.execPath, [CLI, 'emulator', '--port', 'x'], { encoding: 'utf8' });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr.trim()).toBe('lookback emulator: --port must be a port number (0-65535), got "x"');
  });

  describe('HTTP API requests', () => {
    it('answers bad requests with 4xx and a clear message', async () => {
      const emulator = await startEmulatorProcess();
      const sidecar = await startSidecarProcess({ endpoint: emulator.endpoint, sources: [] });
      try {
        const noToken = await fetch(`${sidecar.url}/api/events`);
        expect(noToken.status).toBe(401);
        expect(((await noToken.json()) as { message: string }).message).toMatch(/Bearer/);
        const wrongToken = await fetch(`${sidecar.url}/api/events`, { headers: { authorization: 'Bearer nope' } });
        expect(wrongToken.status).toBe(401);

        const badLimit = await sidecar.api<{ message: string }>('/api/events?limit=0');
        expect(badLimit).toEqual({ status: 400, body: expect.objectContaining({ message: 'querystring/limit must be >= 1' }) });
        const badTime = await sidecar.api<{ message: string }>('/api/events/count?from=yesterday');
        expect(badTime.status).toBe(400);
        expect(badTime.body.message).toBe('querystring/from must match format "date-time"');
        const inverted = await sidecar.api<{ message: string }>('/api/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
        expect(inverted.status).toBe(400);
        expect(inverted.body.message).toMatch(/from .* must be before to/);
        const unknownParam = await sidecar.api<{ message: string }>('/api/events?sauce=x');
        expect(unknownParam.status).toBe(400);
        const noRoute = await sidecar.api<{ message: string }>('/api/nothing');
        expect(noRoute).toEqual({ status: 404, body: expect.objectContaining({ message: 'no route GET /api/nothing' }) });

        const health = await fetch(`${sidecar.url}/api/health`);
        expect(health.status).toBe(200);
      } finally {
        const code = await sidecar.stop();
        expect(code).toBe(0);
        await emulator.stop();
        removeDir(sidecar.dataDir);
      }
    }, 30_000);
  });
});
