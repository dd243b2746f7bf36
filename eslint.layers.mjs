/*
 * The layering of docs/architecture.md, checked on every import (`npm run lint`):
 * - the front end and the sidecar meet only in src/shared, which imports neither;
 * - inside the sidecar, each room may not import the rooms listed for it below.
 * Tests (`*.test.ts`, `testing.ts` helpers) are exempt: like sidecar.ts, they wire real parts of
 * several rooms together. eslint.layers.test.ts (src/sidecar/) lints wrong imports against it.
 */

/** The sidecar's rooms, as folders of src/sidecar, and its files at the top (without `.ts`). */
const ROOMS = [
  'api',
  'aws',
  'backfill',
  'cli',
  'client',
  'concurrency',
  'config',
  'demo',
  'detect',
  'emulator',
  'formats',
  'generate',
  'ingest',
  'keys',
  'query',
  'queue',
  'sources',
  'store',
];
const TOP_FILES = ['sidecar', 'log', 'failpoints', 'version', 'operatorError'];

/** Only the command line starts a sidecar, and only sidecar.ts builds the HTTP API. */
const ENTRY = ['cli', 'sidecar'];
const ENTRY_AND_API = [...ENTRY, 'api'];
/** The rooms a store-backed part reaches only through interfaces it declares, wired in sidecar.ts. */
const DATA_PATH = ['ingest', 'formats', 'store'];
const SERVICES = ['backfill', 'ingest', 'query', 'detect', 'sources'];
/** Rooms below the services: they import no service, no store, no parser. */
const BASE_FORBIDDEN = [...ENTRY_AND_API, ...SERVICES, 'store', 'formats'];

/** What each room may not import. `typesOnly`: rooms whose interfaces it implements (types only). */
const FORBIDDEN = {
  cli: { rooms: ['api', ...DATA_PATH] },
  api: { rooms: [...ENTRY, ...DATA_PATH, 'detect'] },
  backfill: { rooms: [...ENTRY_AND_API, ...DATA_PATH, 'detect'] },
  ingest: { rooms: [...ENTRY_AND_API, 'backfill', 'query', 'detect', 'sources'] },
  query: { rooms: [...ENTRY_AND_API, 'backfill', 'ingest', 'detect', 'sources', 'formats'] },
  detect: { rooms: [...ENTRY_AND_API, 'backfill', 'ingest', 'sources'] },
  sources: { rooms: [...ENTRY_AND_API, 'backfill', 'ingest', 'query', 'detect'] },
  store: { rooms: [...ENTRY_AND_API, 'ingest', 'query', 'detect', 'sources', 'formats', 'queue'], typesOnly: ['backfill'] },
  formats: { rooms: ROOMS.filter((r) => r !== 'keys').concat(TOP_FILES) },
  // The config file is checked with the sources' own checks (queue URLs, VPC flow formats).
  config: { rooms: BASE_FORBIDDEN.filter((r) => r !== 'sources') },
  aws: { rooms: [...BASE_FORBIDDEN, 'queue'] },
  keys: { rooms: ROOMS.concat(TOP_FILES) },
  queue: { rooms: [...BASE_FORBIDDEN, 'config'] },
  concurrency: { rooms: ROOMS.concat(TOP_FILES) },
  client: { rooms: ROOMS.concat(TOP_FILES) },
  emulator: { rooms: BASE_FORBIDDEN },
  generate: { rooms: BASE_FORBIDDEN },
  demo: { rooms: BASE_FORBIDDEN },
};
/** The files at the top other than sidecar.ts are base too. */
const TOP_FILE_FORBIDDEN = { rooms: BASE_FORBIDDEN };

const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing.ts', 'src/__fixtures__/**'];
const MAX_DEPTH = 4;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `../` taken `depth` times, as a regex: how a file `depth` folders down reaches the folder above them. */
const up = (depth) => (depth === 0 ? '\\./' : `(?:\\.\\./){${depth}}`);

/** An import of one of `names` from a file `depth` folders below them. */
function importOf(names, depth) {
  return `^${up(depth)}(?:${names.map(escape).join('|')})(?:/|$)`;
}

function restrict(files, patterns) {
  return {
    files,
    ignores: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

/** Everything above src/sidecar but src/shared is the front end (or not source at all). */
function outOfSidecar(depth) {
  return {
    regex: `^(?:\\.\\./){${depth + 1}}(?!shared(?:/|$))`,
    caseSensitive: true,
    message: 'The sidecar reaches the front end only through src/shared.',
  };
}

function sidecarRules(files, depth, forbidden) {
  const patterns = [outOfSidecar(depth)];
  if (forbidden.rooms.length) {
    patterns.push({
      regex: importOf(forbidden.rooms, depth),
      caseSensitive: true,
      message: 'This import goes against the layering of docs/architecture.md (eslint.layers.mjs lists what each room may not import).',
    });
  }
  if (forbidden.typesOnly?.length) {
    patterns.push({
      regex: importOf(forbidden.typesOnly, depth),
      caseSensitive: true,
      allowTypeImports: true,
      message: 'Only the interfaces this room implements may be imported from there, as types.',
    });
  }
  return restrict(files, patterns);
}

export function layerConfigs() {
  const configs = [];
  // The front end: anything in src/ but the sidecar and shared code.
  configs.push({
    files: ['src/**/*.{ts,tsx}'],
    ignores: [...TESTS, 'src/sidecar/**', 'src/shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?:\\./|(?:\\.\\./)+)sidecar(?:/|$)', caseSensitive: true, message: 'The front end reaches the sidecar only through src/shared.' },
          ],
        },
      ],
    },
  });
  configs.push(
    restrict(['src/shared/**/*.ts'], [{ regex: '^\\.\\./', caseSensitive: true, message: 'src/shared imports neither the front end nor the sidecar.' }])
  );
  // The sidecar's top: sidecar.ts may import every room; the other files are base.
  configs.push(sidecarRules(['src/sidecar/sidecar.ts'], 0, { rooms: ['cli'] }));
  configs.push(
    sidecarRules(
      TOP_FILES.filter((f) => f !== 'sidecar').map((f) => `src/sidecar/${f}.ts`),
      0,
      TOP_FILE_FORBIDDEN
    )
  );
  for (const [room, forbidden] of Object.entries(FORBIDDEN)) {
    for (let depth = 1; depth <= MAX_DEPTH; depth++) {
      const files = [`src/sidecar/${room}/${'*/'.repeat(depth - 1)}*.ts`];
      configs.push(sidecarRules(files, depth, { ...forbidden, rooms: forbidden.rooms.filter((r) => r !== room) }));
    }
  }
  return configs;
}
