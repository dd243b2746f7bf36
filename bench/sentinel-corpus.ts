// How many of Microsoft Sentinel's published AWS queries compile and run unchanged, and why the
// others do not. Give it a checkout of github.com/Azure/Azure-Sentinel (or any folder of its
// YAML files); it reads every analytic rule and hunting query whose query reads an AWS table.
//   npm run build:bench && node dist-bench/bench/sentinel-corpus.js PATH [--days 2] [--events 20000] [--list]
//
// Each query is compiled against the field catalog and run on chDB over generated events (two
// days of CloudTrail, ALB and VPC flow ending now, with the planted incident, plus the GuardDuty
// and WAF samples of the format tests), over a range that holds them all. A query counts when it
// compiles and runs; failures are grouped by their message. Nothing of the corpus is kept.
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { drainPending } from 'chdb';
import yaml from 'js-yaml';
import { ChdbStore } from '../src/sidecar/store/chdb';
import { FieldCatalog } from '../src/sidecar/query/catalog';
import { compileQuery } from '../src/sidecar/query/compiler';
import { QueryError } from '../src/sidecar/query/errors';
import { DEFAULT_LIMITS, execute, QueryExecutionError } from '../src/sidecar/query/execute';
import { generatedRows, rowsOfObject } from '../src/sidecar/query/sentinel/testing';
import { flag, numberOption } from './args';

const args = process.argv.slice(2);
const VALUED = new Set(['--days', '--events']);
const root = args.find((a, i) => !a.startsWith('--') && !VALUED.has(args[i - 1]));
const DAYS = numberOption('days', 2);
const EVENTS = numberOption('events', 20_000);
const LIST = flag('list');

/** Queries over any of Sentinel's AWS tables count as AWS queries. */
const AWS_TABLE =
  /\bAWS(CloudTrail|VPCFlow|GuardDuty|WAF|S3ServerAccess|Route53Resolver|CloudWatch|ALBAccessLogs|NLBAccessLogs|ELBFlowLogs|SecurityHubFindings|NetworkFirewall\w*|EKS)\b/;

interface CorpusQuery {
  file: string;
  name: string;
  query: string;
}

function* yamlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      yield* yamlFiles(path);
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      yield path;
    }
  }
}

function corpus(dir: string): CorpusQuery[] {
  const seen = new Set<string>();
  const queries: CorpusQuery[] = [];
  for (const file of yamlFiles(dir)) {
    let doc: unknown;
    try {
      doc = yaml.load(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const record = doc as { query?: unknown; name?: unknown } | null;
    if (!record || typeof record.query !== 'string' || !AWS_TABLE.test(record.query)) {
      continue;
    }
    const normalised = record.query.replace(/\s+/g, ' ').trim();
    if (seen.has(normalised)) {
      continue;
    }
    seen.add(normalised);
    queries.push({ file: relative(dir, file), name: String(record.name ?? ''), query: record.query });
  }
  return queries;
}

/** A failure's message without its position or the names in it, to group alike failures. */
function reason(message: string): string {
  return message
    .replace(/^line \d+, column \d+: /, '')
    .replace(/ \(did you mean [^)]*\)/, '')
    .replace(/"[^"]*"/g, (m) => (m.length > 40 ? '"…"' : m));
}

async function main(): Promise<void> {
  if (!root || !statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    process.stderr.write('usage: node dist-bench/bench/sentinel-corpus.js PATH-TO-AZURE-SENTINEL [--days 2] [--events 20000] [--list]\n');
    process.exit(2);
  }
  const queries = corpus(root);
  const dir = mkdtempSync(join(tmpdir(), 'lookback-sentinel-corpus-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    let events = 0;
    for await (const rows of generatedRows({ seed: 'sentinel-corpus', end, days: DAYS, targetEvents: EVENTS })) {
      events += rows.length;
      await store.insertEvents(rows, rows[0]?.key ?? 'generated');
    }
    const testdata = join(__dirname, '..', '..', 'src', 'sidecar', 'formats', 'testdata');
    for (const [file, key] of [
      ['guardduty-findings.jsonl', 'AWSLogs/123456789012/GuardDuty/us-east-1/2024/01/01/findings.jsonl'],
      ['waf.log', '2024/05/01/10/aws-waf-logs-prod-1-2024-05-01-10-15-00-6f1c2c3e-4b5a-4d3e-9f8e-0123456789ab'],
    ]) {
      const rows = await rowsOfObject(key, readFileSync(join(testdata, file)));
      events += rows.length;
      await store.insertEvents(rows, key);
    }
    const fields = await new FieldCatalog(store).snapshot();
    process.stdout.write(`${queries.length} AWS queries in ${root}; ${events} events stored\n`);
    const failures = new Map<string, string[]>();
    let ok = 0;
    for (const q of queries) {
      try {
        const compiled = compileQuery(q.query, {
          from: Date.parse('2000-01-01T00:00:00Z'),
          to: end + 60_000,
          maxRows: 100,
          fields,
          intervalMs: 3_600_000,
        });
        const result = await execute(store, compiled.sql, compiled.params, DEFAULT_LIMITS, 101);
        ok++;
        if (LIST) {
          process.stdout.write(`  ok    ${q.file} (${result.rows.length} rows)\n`);
        }
      } catch (err) {
        if (!(err instanceof QueryError) && !(err instanceof QueryExecutionError)) {
          throw new Error(`${q.file}: ${(err as Error).stack ?? String(err)}`);
        }
        const stage = err instanceof QueryError ? 'compile' : 'run';
        const key = `${stage}: ${reason(err.message)}`;
        failures.set(key, [...(failures.get(key) ?? []), q.file]);
        if (LIST) {
          process.stdout.write(`  FAIL  ${q.file}\n        ${err.message}\n`);
        }
      }
    }
    const pct = queries.length === 0 ? 0 : (100 * ok) / queries.length;
    process.stdout.write(`\n${ok} of ${queries.length} compile and run unchanged: ${pct.toFixed(1)}%\n`);
    if (failures.size > 0) {
      process.stdout.write('\nwhy the others do not:\n');
      for (const [why, files] of [...failures].sort((a, b) => b[1].length - a[1].length)) {
        process.stdout.write(`  ${String(files.length).padStart(3)}  ${why}\n`);
        for (const file of files) {
          process.stdout.write(`         ${file}\n`);
        }
      }
    }
  } finally {
    await store.close();
    await drainPending();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
