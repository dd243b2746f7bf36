// `npm run lint` fails on an import against the layering (eslint.layers.mjs, docs/architecture.md)
// and on code Prettier would change: the layering rule as the repository's config sets it for each
// file, and Prettier with its config and ignore file (tests/lint/lintTexts.mjs, in a child process).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

jest.setTimeout(120_000);

interface Case {
  filePath: string;
  text: string;
}

interface Results {
  imports: Array<Array<{ ruleId: string | null; message: string }>>;
  formats: Array<{ ignored: boolean; formatted: boolean }>;
}

function check(imports: Case[], formats: Case[]): Promise<Results> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'lintTexts.mjs')], { cwd: ROOT, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout.slice(stdout.lastIndexOf('\nRESULTS\n') + 9)) as Results)
    );
    child.stdin!.end(JSON.stringify({ imports, formats }));
  });
}

const importing = (specifier: string, typeOnly = false) =>
  `import ${typeOnly ? 'type ' : ''}{ Thing } from '${specifier}';\nexport type Used = typeof Thing;\n`;

/** [file the import is in, what it imports, type-only, whether the layering allows it]. */
const IMPORTS: Array<[string, string, boolean, boolean]> = [
  // ingest and backfill meet only in sidecar.ts.
  ['src/sidecar/ingest/handler.ts', '../backfill/tracker', false, false],
  ['src/sidecar/ingest/handler.ts', '../concurrency/groupCommit', false, true],
  ['src/sidecar/backfill/tracker.ts', '../ingest/outcome', true, false],
  // backfill, api and cli reach the data path only through the interfaces they declare.
  ['src/sidecar/backfill/service.ts', '../store/backfills', false, false],
  ['src/sidecar/api/routes/objects.ts', '../../store/ledger', false, false],
  ['src/sidecar/api/routes/objects.ts', '../../backfill/service', false, true],
  ['src/sidecar/cli/main.ts', '../store/errors', false, false],
  ['src/sidecar/cli/main.ts', '../formats/registry', false, false],
  // store implements backfill's repository: its types, never its code.
  ['src/sidecar/store/backfills.ts', '../backfill/repository', true, true],
  ['src/sidecar/store/backfills.ts', '../backfill/service', false, false],
  // Lower rooms do not import higher ones.
  ['src/sidecar/formats/cloudtrail.ts', '../store/time', false, false],
  ['src/sidecar/queue/sqsSource.ts', '../ingest/handler', false, false],
  ['src/sidecar/query/service.ts', '../sidecar', false, false],
  // The front end and the sidecar meet only in src/shared.
  ['src/components/AppConfig/AppConfig.tsx', '../../sidecar/query/tables', false, false],
  ['src/components/AppConfig/AppConfig.tsx', '../../shared/api', true, true],
  ['src/sidecar/api/context.ts', '../../datasource/types', true, false],
  ['src/sidecar/api/context.ts', '../../shared/query', true, true],
  ['src/shared/api.ts', '../sidecar/log', false, false],
  // Tests wire rooms together, as sidecar.ts does.
  ['src/sidecar/backfill/store.test.ts', '../store/ledger', false, true],
];

const FORMATTED = ['src/sidecar/ingest/handler.ts', 'src/components/AppConfig/AppConfig.tsx'];

describe('npm run lint', () => {
  let results: Results;

  beforeAll(async () => {
    const formats = FORMATTED.flatMap((filePath) => {
      const text = readFileSync(join(ROOT, filePath), 'utf8');
      return [
        { filePath, text },
        { filePath, text: text.replace(/\n {2}/g, '\n      ') },
      ];
    });
    results = await check(
      IMPORTS.map(([filePath, specifier, typeOnly]) => ({ filePath, text: importing(specifier, typeOnly) })),
      formats
    );
  });

  it('runs ESLint and Prettier on the tree', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.lint).toBe('eslint --cache . && prettier --check .');
  });

  it('refuses an import against the layering, and only those', () => {
    const verdicts = IMPORTS.map(([file, specifier], i) => [file, specifier, results.imports[i].length === 0]);
    expect(verdicts).toEqual(IMPORTS.map(([file, specifier, , allowed]) => [file, specifier, allowed]));
    expect(results.imports[0][0].message).toMatch(/layering of docs\/architecture\.md/);
  });

  it('refuses code Prettier would format, in the sidecar and in the front end', () => {
    expect(results.formats).toEqual(
      FORMATTED.flatMap(() => [
        { ignored: false, formatted: true },
        { ignored: false, formatted: false },
      ])
    );
  });
});
