import { request } from 'node:http';
import { removeDir, startSidecarProcess, tempDir, type SidecarProcess } from '../integration/harness/processes';

// Every route the sidecar registers, reached through its real HTTP server under every spelling
// of its path that a router, a proxy or a client might treat differently. Without the token,
// each one is refused unless the route it reaches is on the public allow-list. The routes come
// from the running sidecar itself (its debug log lists what the router holds), so a new route
// is covered without touching this test.

interface Route {
  method: string;
  url: string;
  public: boolean;
}

interface Answer {
  status: number;
  body: string;
}

/** A request sent byte for byte as given: no URL normalisation on the way (unlike fetch). */
function send(sidecar: SidecarProcess, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(sidecar.url);
  return new Promise((resolve, reject) => {
    const body = method === 'POST' || method === 'PUT' ? '{}' : undefined;
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      }
    );
    req.on('error', reject);
    req.end(body);
  });
}

const hex = (c: string) => `%${c.charCodeAt(0).toString(16)}`;
const segments = (path: string) => path.split('/').slice(1);
const join = (parts: string[]) => `/${parts.join('/')}`;

/** Ways to write the same path that some layer might decode, fold or normalise. */
const ENCODINGS: Array<[string, (path: string) => string]> = [
  ['as registered', (p) => p],
  ['first letter of each segment percent-encoded', (p) => join(segments(p).map((s) => s.replace(/^[a-z]/i, hex)))],
  ['every letter percent-encoded, upper-case hex', (p) => p.replace(/[a-z]/gi, (c) => hex(c).toUpperCase())],
  ['slashes as %2F', (p) => `/${segments(p).join('%2F')}`],
  ['slashes as %2f', (p) => `/${segments(p).join('%2f')}`],
  ['double slashes', (p) => p.replace(/\//g, '//')],
  ['a trailing slash', (p) => `${p}/`],
  ['upper case', (p) => p.toUpperCase()],
  ['; parameters on each segment', (p) => join(segments(p).map((s) => `${s};x=1`))],
  ['a ; parameter at the end', (p) => `${p};jsessionid=1`],
  ['a . segment', (p) => join(['.', ...segments(p)])],
  ['a .. segment', (p) => join(['x', '..', ...segments(p)])],
  ['percent-encoded dot segments', (p) => join(['x', '%2e%2e', '%2E', ...segments(p)])],
  ['an encoded NUL', (p) => `${p}%00`],
  ['a query string', (p) => `${p}?token=x`],
];

/** A path of the route with its parameters filled in. */
const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');

describe('the API refuses every route without the token, however its path is written', () => {
  let sidecar: SidecarProcess;
  let routes: Route[];
  const dataDir = tempDir('route-access');

  beforeAll(async () => {
    // No AWS calls are made: no sources, and the refused requests never reach a handler.
    sidecar = await startSidecarProcess({
      endpoint: 'http://127.0.0.1:9',
      sources: [],
      dataDir,
      env: { LOOKBACK_LOG_LEVEL: 'debug' },
    });
    routes = (sidecar.logs.find((line) => line.msg === 'api routes')?.routes ?? []) as Route[];
  }, 60_000);

  afterAll(async () => {
    await sidecar?.stop();
    removeDir(dataDir);
  });

  it('lists its routes, with health alone public', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`)).toEqual(['GET /api/health', 'HEAD /api/health']);
    expect(routes).toContainEqual({ method: 'GET', url: '/metrics', public: false });
  });

  it('refuses every protected route under every encoding with 401', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.public)) {
      for (const [name, encode] of ENCODINGS) {
        const path = encode(concrete(route.url));
        const answer = await send(sidecar, route.method, path);
        if (answer.status !== 401) {
          wrong.push(`${route.method} ${path} (${name}): ${answer.status} ${answer.body.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers a public route anonymously with up or down only, and refuses what does not reach it', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.public)) {
      for (const [name, encode] of ENCODINGS) {
        const path = encode(concrete(route.url));
        const answer = await send(sidecar, route.method, path);
        const anonymous = route.method === 'HEAD' ? '' : '{"status":"ok"}';
        if (!(answer.status === 401 || (answer.status === 200 && answer.body === anonymous))) {
          wrong.push(`${route.method} ${path} (${name}): ${answer.status} ${answer.body.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a wrong token everywhere, public routes included', async () => {
    for (const route of routes) {
      const answer = await send(sidecar, route.method, concrete(route.url), {
        authorization: 'Bearer not-the-token-0123456789',
      });
      expect({ route, status: answer.status }).toEqual({ route, status: 401 });
    }
  });

  it('serves the same routes with the token, decoded spellings included', async () => {
    const auth = { authorization: `Bearer ${sidecar.token}` };
    expect((await send(sidecar, 'GET', '/api/sources', auth)).status).toBe(200);
    expect((await send(sidecar, 'GET', '/%61pi/sources', auth)).status).toBe(200);
    // A sidecar URL saved with a trailing slash: Grafana's routes then call //api/...
    expect((await send(sidecar, 'GET', '//api/sources', auth)).status).toBe(200);
    expect((await send(sidecar, 'GET', '/metrics', auth)).body).toMatch(/^# HELP lookback_/m);
    const health = JSON.parse((await send(sidecar, 'GET', '/api/health', auth)).body) as Record<string, unknown>;
    expect(Object.keys(health).sort()).toEqual(['ingest', 'queues', 'status', 'store', 'version']);
  });

  it('refuses a Host it does not answer to, before anything else', async () => {
    const { port } = new URL(sidecar.url);
    const auth = { authorization: `Bearer ${sidecar.token}` };
    for (const host of ['evil.example', `evil.example:${port}`, 'localhost.evil.example', `127.0.0.1.nip.io:${port}`]) {
      for (const [path, headers] of [
        ['/api/health', {}],
        ['/api/sources', auth],
      ] as const) {
        const answer = await send(sidecar, 'GET', path, { ...headers, host });
        expect({ host, path, status: answer.status }).toEqual({ host, path, status: 403 });
        expect(JSON.parse(answer.body).message).toMatch(/is not allowed: this sidecar answers to localhost, 127\.0\.0\.1, ::1 \(listen\.allowedHosts\)/);
      }
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect({ host, status: (await send(sidecar, 'GET', '/api/sources', { ...auth, host })).status }).toEqual({
        host,
        status: 200,
      });
    }
  });
});
