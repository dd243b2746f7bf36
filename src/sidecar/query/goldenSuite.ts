import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryRequest } from '../../shared/query';
import type { Store } from '../store/store';
import { QueryError, toErrorBody } from './errors';
import { compileChecked, requestInterval, requestRange } from './prepare';
import { QueryService } from './service';
import { FIXTURE_RANGE, GOLDEN_DIR } from './testing';

// One folder per case under golden/: query.kql, and either expected.sql + expected.json
// (columns and rows on the fixture events) or expected.json holding the error. Optional:
// request.json (interval, variables, from, to, maxRows) and an `unordered` marker.
// UPDATE_GOLDENS=1 rewrites the expectations from what the compiler does now: review the diff.

const UPDATE = process.env.UPDATE_GOLDENS === '1';

interface Expected {
  columns?: string[];
  rows?: unknown[][];
  /** The visualisation a `render` stage asks for. */
  render?: string;
  error?: unknown;
}

const cases = readdirSync(GOLDEN_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(GOLDEN_DIR, d.name, 'query.kql')))
  .map((d) => d.name)
  .sort();

function read(name: string, file: string): string | undefined {
  const path = join(GOLDEN_DIR, name, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

function requestOf(name: string): QueryRequest {
  const extra = JSON.parse(read(name, 'request.json') ?? '{}') as Partial<QueryRequest>;
  const query = (read(name, 'query.kql') ?? '').replace(/\n$/, '');
  return { query, ...FIXTURE_RANGE, maxRows: 100, interval: '1d', ...extra };
}

const sortRows = (rows: unknown[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** A store loaded with the golden fixture events, and how to dispose of it. */
export interface GoldenStore {
  store: Store;
  close(): Promise<void>;
}

/** Every golden case on the store `open` gives (golden.test.ts: chDB; tests/store/golden.test.ts: a ClickHouse server). */
export function describeGoldenQueries(storeName: string, open: () => Promise<GoldenStore>): void {
  describe(`golden queries on ${storeName}`, () => {
    let db: GoldenStore;
    let service: QueryService;

    beforeAll(async () => {
      db = await open();
      service = new QueryService(db.store);
    });
    afterAll(() => db?.close());

    it('has a case for every stage, predicate and error kind', () => {
      expect(cases.length).toBeGreaterThanOrEqual(60);
    });

    it.each(cases)('%s', async (name) => {
      const request = requestOf(name);
      let sql: string | undefined;
      let actual: Expected;
      try {
        const compiled = await compileChecked(service.catalog, request.query, {
          ...requestRange(request.from, request.to),
          maxRows: request.maxRows ?? 100,
          intervalMs: requestInterval(request.interval),
          variables: request.variables,
        });
        sql = `${compiled.sql}\n`;
        const response = await service.query(request);
        actual = {
          columns: response.columns.map((c) => c.name),
          ...(response.render ? { render: response.render } : {}),
          rows: response.rows,
        };
      } catch (err) {
        if (!(err instanceof QueryError)) {
          throw err;
        }
        actual = { error: toErrorBody(request.query, err) };
      }
      if (UPDATE) {
        if (sql) {
          writeFileSync(join(GOLDEN_DIR, name, 'expected.sql'), sql);
        }
        writeFileSync(join(GOLDEN_DIR, name, 'expected.json'), `${JSON.stringify(actual, null, 1)}\n`);
        return;
      }
      const expected = JSON.parse(read(name, 'expected.json') ?? 'null') as Expected | null;
      expect(expected).not.toBeNull();
      if (expected?.error) {
        expect(actual).toEqual(expected);
        return;
      }
      expect(sql).toBe(read(name, 'expected.sql'));
      expect(actual.columns).toEqual(expected?.columns);
      expect(actual.render).toEqual(expected?.render);
      const unordered = existsSync(join(GOLDEN_DIR, name, 'unordered'));
      expect(unordered ? sortRows(actual.rows ?? []) : actual.rows).toEqual(unordered ? sortRows(expected?.rows ?? []) : expected?.rows);
    });
  });
}
