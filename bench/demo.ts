// Where `npm start`'s backfill spends its CPU: the demo (`lookback demo --exit`) as a child process,
// its threads' CPU summed by group (bench/threads.ts) from "backfilling" to "backfill done".
//   npm run build:sidecar && npm run build:bench
//   node dist-bench/bench/demo.js [--events 1000000] [--days 30]
//
// The threads are read every half second: ClickHouse renames its pool threads for each job, so
// each reading files the CPU a thread used since the last one under the name it has now. It prints
// the backfill's time as the demo reports it, the CPU of each group with its share, how many of
// the cores the demo and its emulator kept busy, the demo process's peak RSS, and the events
// table's parts and bytes on disk as the demo left them.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ChdbStore } from '../src/sidecar/store/chdb';
import { eventParts } from './eventRows';
import { cpuSeconds, groupOf, threadCpu, type ThreadCpu } from './threads';
import { numberOption } from './args';

const EVENTS = numberOption('events', 1_000_000);
const DAYS = numberOption('days', 30);
const CLI = resolve(__dirname, '../../bin/lookback.js');
const SAMPLE_MS = 500;

/** Resident memory of a process in MB, from /proc (0 once it is gone). */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds per thread group while sampling: each thread's CPU since the last reading, under its name now. */
class ThreadSampler {
  readonly groups = new Map<string, number>();
  peakRss = 0;
  private last: ThreadCpu;

  constructor(private readonly pid: number) {
    this.last = threadCpu(pid);
  }

  sample(): void {
    const now = threadCpu(this.pid);
    for (const [tid, { name, seconds }] of now) {
      const group = groupOf(tid, this.pid, name);
      this.groups.set(group, (this.groups.get(group) ?? 0) + seconds - (this.last.get(tid)?.seconds ?? 0));
    }
    this.last = now;
    this.peakRss = Math.max(this.peakRss, rssMb(this.pid));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-bench-demo-'));
  const demo = spawn(
    process.execPath,
    [CLI, 'demo', '--exit', '--port', '0', '--emulator-port', '0', '--data-dir', dir, '--events', String(EVENTS), '--days', String(DAYS)],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  );
  let output = '';
  let sampler: ThreadSampler | undefined;
  let timer: NodeJS.Timeout | undefined;
  let emulatorPid: number | undefined;
  let emulatorBefore = NaN;
  let emulatorAfter = NaN;
  let backfillDone = '';
  demo.stdout.on('data', (data: Buffer) => {
    output += data.toString().replace(/\r/g, '\n');
    emulatorPid ??= Number(/emulator .* process (\d+)/.exec(output)?.[1]) || undefined;
    if (!sampler && output.includes('  backfilling ')) {
      sampler = new ThreadSampler(demo.pid!);
      emulatorBefore = cpuSeconds(emulatorPid).all;
      timer = setInterval(() => sampler!.sample(), SAMPLE_MS);
    }
    const done = /\n\s*(backfill \S+ in \d+ s)/.exec(output);
    if (done && !backfillDone) {
      clearInterval(timer);
      sampler?.sample();
      emulatorAfter = cpuSeconds(emulatorPid).all;
      backfillDone = done[1];
    }
  });
  const code = await new Promise<number | null>((resolveExit) => demo.once('exit', resolveExit));
  clearInterval(timer);
  const atExit = code === 0 ? await partsLeft(join(dir, 'chdb')) : '';
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || !sampler || !backfillDone) {
    throw new Error(`the demo exited with ${code} before its backfill was done:\n${output.slice(-2000)}`);
  }
  const seconds = Number(/in (\d+) s/.exec(backfillDone)![1]);
  const groups = [...sampler.groups].sort((a, b) => b[1] - a[1]);
  const total = groups.reduce((sum, [, s]) => sum + s, 0);
  const emulator = emulatorAfter - emulatorBefore;
  console.log(`${EVENTS.toLocaleString('en-US')} events over ${DAYS} days: ${backfillDone}`);
  console.log(/first events searchable .*/.exec(output)?.[0] ?? '');
  console.log(`the demo process's CPU over the backfill, by thread (${total.toFixed(0)} s in all):`);
  for (const [group, s] of groups) {
    console.log(`  ${group.padEnd(40)} ${s.toFixed(1).padStart(6)} s  ${((100 * s) / total).toFixed(0).padStart(3)}%`);
  }
  console.log(`the emulator's process: ${emulator.toFixed(1)} s`);
  console.log(
    `${((total + emulator) / seconds).toFixed(2)} of ${availableParallelism()} cores busy; the demo process's peak RSS ${sampler.peakRss.toFixed(0)} MB`
  );
  console.log(`the events table when the demo exited: ${atExit}`);
}

/** The events table's parts, partitions and bytes on disk, as the demo left them (its merges stop when it exits). */
async function partsLeft(path: string): Promise<string> {
  const store = new ChdbStore(path);
  try {
    const { parts, partitions, bytes } = await eventParts(store);
    return `${parts} parts in ${partitions} partitions, ${(bytes / 1024 / 1024).toFixed(0)} MB on disk`;
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
