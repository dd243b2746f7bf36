// How long compiling takes for the queries built to be hostile (src/sidecar/query/hostileQueries.ts),
// next to a typical query: compiling runs on the sidecar's event loop, so none may take long.
//   npm run build:bench && node dist-bench/bench/compile.js [--runs 20]
//
// The field catalog holds 20000 keys. Each query compiles once (the first time, with the JIT
// still cold for its path), then --runs times; the figures are that first time, the median and
// the slowest of the runs, and the median's ratio to the typical query's median.
import { performance } from 'node:perf_hooks';
import { compileQuery, type CompileOptions } from '../src/sidecar/query/compiler';
import { QueryError } from '../src/sidecar/query/errors';
import { HEAVY_VALID_QUERIES, HOSTILE_QUERIES } from '../src/sidecar/query/hostileQueries';
import { numberOption } from './args';

const RUNS = numberOption('runs', 20);

const TYPICAL = `CloudTrail
| where eventName == "ConsoleLogin" and outcome == "failure" and time > ago(1d)
| summarize failures = count(), ips = make_set(srcIp) by actor, bin(time, 1h)
| top 10 by failures`;

const keys = new Set<string>();
for (let i = 0; i < 20_000; i++) {
  keys.add(`key${String(i).padStart(40, '0')}`);
}
const options: CompileOptions = {
  from: Date.parse('2024-03-01T00:00:00Z'),
  to: Date.parse('2024-03-08T00:00:00Z'),
  maxRows: 1000,
  fields: { keysFor: () => keys },
};

function compileMs(query: string): { ms: number; outcome: string } {
  const started = performance.now();
  let outcome: string;
  try {
    outcome = `${Buffer.byteLength(compileQuery(query, options).sql)} bytes of SQL`;
  } catch (err) {
    if (!(err instanceof QueryError)) {
      throw err;
    }
    outcome = `400: ${err.message.slice(0, 60)}`;
  }
  return { ms: performance.now() - started, outcome };
}

function measure(name: string, query: string) {
  const first = compileMs(query);
  const times = Array.from({ length: RUNS }, () => compileMs(query).ms).sort((a, b) => a - b);
  return { name, chars: query.length, first: first.ms, median: times[Math.floor(times.length / 2)], worst: times[times.length - 1], outcome: first.outcome };
}

const typical = measure('a typical query (reference)', TYPICAL);
const rows = [typical, ...[...HOSTILE_QUERIES, ...HEAVY_VALID_QUERIES].map((q) => measure(q.name, q.query))];
console.log(`compile time, ms (${RUNS} runs after the first)\n`);
console.log(`${'first'.padStart(8)} ${'median'.padStart(8)} ${'worst'.padStart(8)} ${'ratio'.padStart(8)} ${'chars'.padStart(7)}  query: outcome`);
for (const r of rows) {
  const ratio = r.median / typical.median;
  console.log(
    `${r.first.toFixed(1).padStart(8)} ${r.median.toFixed(1).padStart(8)} ${r.worst.toFixed(1).padStart(8)} ${ratio.toFixed(0).padStart(8)} ${String(r.chars).padStart(7)}  ${r.name}: ${r.outcome}`
  );
}
const slowest = rows.reduce((a, b) => (b.worst > a.worst ? b : a));
console.log(`\nslowest: ${slowest.worst.toFixed(1)} ms (${slowest.name})`);
