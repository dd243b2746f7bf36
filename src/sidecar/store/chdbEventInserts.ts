import { mkdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ChdbSessions } from './chdbSessions';
import { eventInsertSettings, quote, settingsClause } from './dialect';
import { EVENT_COLUMNS } from './eventColumns';

/** Inserts of events that may run at once: more than the cores only adds contention. */
const CHDB_INSERT_SESSIONS = Math.max(1, Math.min(4, availableParallelism()));

/**
 * Event inserts into the embedded store. chDB's own insert call takes text formats only, and
 * parsing JSONEachRow (raw text escaped inside JSON, the fields map) is most of what an insert
 * costs the engine. So each block of rows is written as RowBinary to a spool file in the store's
 * directory and loaded with `INSERT … SELECT FROM file()`: half the engine's CPU, and cheaper to
 * encode than JSON (bench/storeInsert.ts).
 *
 * Inserts have sessions of their own (chdbSessions.ts), so blocks from different messages are
 * inserted side by side and never hold up a query.
 *
 * One file is one block: read by one thread (`max_threads = 1`), it makes the same block every
 * time, so a repeated insert with the same token is dropped as the same block.
 */
export class ChdbEventInserts {
  private readonly sessions: ChdbSessions;
  private readonly spool: string;
  private written = 0;

  constructor(storePath: string, count = CHDB_INSERT_SESSIONS) {
    this.spool = join(storePath, 'insert-spool');
    // What a killed process left here was never inserted, or was inserted and its token repeats it.
    rmSync(this.spool, { recursive: true, force: true });
    mkdirSync(this.spool, { mode: 0o700 });
    this.sessions = new ChdbSessions(storePath, count);
  }

  /** Inserts one block, the chunks of its RowBinary body (rowBinary.ts). */
  async insert(body: Buffer[], dedupToken: string): Promise<void> {
    const file = join(this.spool, `${process.pid}-${++this.written}.rowbinary`);
    try {
      await writeAll(file, body);
      await this.sessions.run((session) => session.queryAsync(insertFromFile(file, dedupToken), { format: 'Null' }));
    } finally {
      await rm(file, { force: true });
    }
  }

  close(): void {
    this.sessions.close();
  }
}

/**
 * Writes the chunks with one `writev`: one trip to the thread pool whatever their number (a block
 * is hundreds of chunks). `writeFile` takes one trip, and one turn of the busy event loop, per
 * chunk, which made writing a block take longer than inserting it.
 */
async function writeAll(file: string, chunks: Buffer[]): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    const { bytesWritten } = await handle.writev(chunks);
    const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (bytesWritten !== size) {
      throw new Error(`wrote ${bytesWritten} of the ${size} bytes of an insert to ${file}`);
    }
  } finally {
    await handle.close();
  }
}

const COLUMN_LIST = EVENT_COLUMNS.map((c) => c.name).join(', ');

/** The file is read with the table's structure (columns in `EVENT_COLUMNS` order, as rowBinary.ts writes them). */
function insertFromFile(file: string, dedupToken: string): string {
  return `INSERT INTO events (${COLUMN_LIST}) SETTINGS ${settingsClause({ ...eventInsertSettings(dedupToken), max_threads: 1 })} SELECT * FROM file(${quote(file)}, 'RowBinary')`;
}
