// CPU seconds of a process's threads, grouped by what runs on them (Linux, from /proc).
import { readdirSync, readFileSync } from 'node:fs';

/** User plus system CPU seconds in the text of a /proc stat file (the name in parentheses may hold spaces). */
function secondsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** User plus system CPU seconds of a process or thread, from its /proc stat file. */
export function cpuOf(statFile: string): number {
  return secondsOf(readFileSync(statFile, 'utf8'));
}

/** CPU seconds so far of a process: in all its threads, and in its main (JavaScript) thread. */
export function processCpu(pid: number): { all: number; main: number } {
  return { all: cpuOf(`/proc/${pid}/stat`), main: cpuOf(`/proc/${pid}/task/${pid}/stat`) };
}

/** CPU seconds so far of a process, as processCpu; NaN when there is no such process (not started, or ended). */
export function cpuSeconds(pid: number | undefined): { all: number; main: number } {
  try {
    if (pid !== undefined) {
      return processCpu(pid);
    }
  } catch {
    // the process ended
  }
  return { all: NaN, main: NaN };
}

/** This process's CPU seconds so far: in all its threads, and in the others than the JavaScript thread (chDB's, V8's, libuv's). */
export function selfCpu(): { all: number; others: number } {
  const { all, main } = processCpu(process.pid);
  return { all, others: all - main };
}

/** CPU seconds so far of each live thread of a process, with the thread's name. */
export type ThreadCpu = Map<number, { name: string; seconds: number }>;

export function threadCpu(pid: number): ThreadCpu {
  const threads: ThreadCpu = new Map();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      threads.set(Number(tid), { name, seconds: secondsOf(stat) });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}

/**
 * A Node process with chDB in it: the JavaScript thread; Node's own threads, all named `node`
 * (V8's garbage collector and compilers, libuv's pool: gunzip, file writes, and the calls into
 * chDB, which run there); ClickHouse's merges; and its other threads (its pools run the inserts'
 * and searches' pipelines, renaming a thread for each job, so a reading cannot tell them apart).
 */
export function groupOf(tid: number, pid: number, name: string): string {
  if (tid === pid) {
    return 'JavaScript thread';
  }
  if (name === 'node') {
    return 'Node helpers (GC, compiler, libuv)';
  }
  return name.startsWith('MergeMutate') ? 'ClickHouse merges' : 'ClickHouse inserts, searches and other';
}

/** CPU seconds per group between two readings (a thread that ended in between is not counted). */
export function cpuByGroup(pid: number, before: ThreadCpu, after: ThreadCpu): Map<string, number> {
  const groups = new Map<string, number>();
  for (const [tid, { name, seconds }] of after) {
    const group = groupOf(tid, pid, name);
    groups.set(group, (groups.get(group) ?? 0) + seconds - (before.get(tid)?.seconds ?? 0));
  }
  return groups;
}
