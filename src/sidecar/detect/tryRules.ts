import { drainPending } from 'chdb';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LOG_TYPES, type LogType } from '../../shared/api';
import { chunksOf, objectInfo, parseAll } from '../formats/parseAll';
import { detectFormat, formatOf } from '../formats/registry';
import type { LogFormat, MalformedRecord, ParsedEvent } from '../formats/types';
import { DEFAULT_LIMITS, execute } from '../query/execute';
import { tableByName } from '../query/tables';
import { ChdbStore } from '../store/chdb';
import type { EventRow } from '../store/eventColumns';
import { toClickHouseTime, toIso } from '../store/time';
import { compileRuleQuery } from './compile';
import type { RuleError } from './errors';
import { RuleEvaluator } from './evaluate';
import { hitEvents } from './hits';
import { loadRules } from './load';
import { planOf } from './plan';
import type { DetectionRule, Hit } from './types';

/** How ingest turns a parsed event into a stored row (ingest/rows.ts, handed over by sidecar.ts). */
export type ToEventRow = (
  event: ParsedEvent,
  recordIndex: number,
  ctx: { sourceId: string; logType: string; bucket: string; key: string; etag: string; backfillId: string; receivedAt: string; fallbackTime: number }
) => EventRow;

/** A mistake in what `lookback rules test` was given: no rule, an unreadable or unparseable events file. */
export class TryRulesError extends Error {}

export interface TriedRule {
  rule: DetectionRule;
  /** Each hit with (up to 20 of) the events it matched, as its Explore query returns them. */
  hits: Array<Hit & { matched: Array<Record<string, unknown>> }>;
  notes: string[];
}

export interface TryResult {
  logType: LogType;
  events: number;
  malformed: MalformedRecord[];
  /** The event times of the records (ISO 8601), the range the rules ran over. */
  from: string | null;
  to: string | null;
  rules: TriedRule[];
  errors: RuleError[];
}

const MAX_EVENTS_BYTES = 256 * 1024 * 1024;
const EVENTS_PER_HIT = 20;
const INSERT_ROWS = 10_000;

/**
 * `lookback rules test`: the rules of a file, run over raw log records (CloudTrail JSON or JSON
 * lines, a VPC flow, ALB or other log file, gzipped or not) read by the sidecar's own parsers
 * into a temporary embedded store. Every window the records touch is counted, as a retro-hunt
 * over their time range would.
 */
export async function tryRules(ruleFile: string, eventsFile: string, forced: LogType | undefined, toEventRow: ToEventRow): Promise<TryResult> {
  const { rules: loaded, errors } = loadRules([ruleFile]);
  const rules = loaded.filter((r) => r.standalone);
  if (rules.length === 0) {
    return { logType: forced ?? 'json', events: 0, malformed: [], from: null, to: null, rules: [], errors };
  }
  const bytes = readEvents(eventsFile);
  const format = formatFor(bytes, eventsFile, forced, rules);
  const info = objectInfo(basename(eventsFile), bytes.length);
  const parsed = await parseAll(format, chunksOf(bytes), info);
  if (parsed.events.length === 0) {
    const why = parsed.malformed[0] ? `: record ${parsed.malformed[0].record}: ${parsed.malformed[0].reason}` : '';
    throw new TryRulesError(`${eventsFile}: no ${format.type} event could be read${why}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'lookback-rules-test-'));
  const store = new ChdbStore(dir);
  try {
    await store.migrate();
    const receivedAt = Date.now();
    const ctx = {
      sourceId: 'rules-test',
      logType: format.type,
      bucket: 'local',
      key: basename(eventsFile),
      etag: '',
      backfillId: '',
      receivedAt: toClickHouseTime(receivedAt),
      fallbackTime: statSync(eventsFile).mtimeMs,
    };
    const rows = parsed.events.map((event, i) => toEventRow(event, i + 1, ctx));
    for (let i = 0; i < rows.length; i += INSERT_ROWS) {
      await store.insertEvents(rows.slice(i, i + INSERT_ROWS), `rules-test-${i}`);
    }
    const times = parsed.events.map((e) => e.time ?? ctx.fallbackTime);
    const range = { from: Math.min(...times), to: Math.max(...times) + 1 };
    const evaluator = new RuleEvaluator(store);
    const tried: TriedRule[] = [];
    for (const rule of rules) {
      const evaluation = await evaluator.rangeHits(rule, planOf(rule), range, receivedAt + 1);
      const hits = [];
      const ordered = [...evaluation.hits].sort(
        (a, b) => a.firstSeen.localeCompare(b.firstSeen) || JSON.stringify(a.keys).localeCompare(JSON.stringify(b.keys))
      );
      for (const hit of ordered) {
        const shown = hitEvents(rule, hit);
        const compiled = compileRuleQuery(shown.query, { from: Date.parse(shown.from), to: Date.parse(shown.to) }, EVENTS_PER_HIT);
        const result = await execute<Record<string, unknown>>(store, compiled.sql, compiled.params, DEFAULT_LIMITS, EVENTS_PER_HIT);
        hits.push({ ...hit, matched: result.rows.map((row) => ({ ...row, time: toIso(String(row.time)) })) });
      }
      tried.push({ rule, hits, notes: evaluation.notes });
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      logType: format.type,
      events: parsed.events.length,
      malformed: parsed.malformed,
      from: iso(range.from),
      to: iso(range.to - 1),
      rules: tried,
      errors,
    };
  } finally {
    await store.close();
    await drainPending();
    rmSync(dir, { recursive: true, force: true });
  }
}

function readEvents(file: string): Buffer {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_EVENTS_BYTES) {
      throw new TryRulesError(`${file} is larger than ${MAX_EVENTS_BYTES / 1024 / 1024} MiB`);
    }
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof TryRulesError) {
      throw err;
    }
    throw new TryRulesError(`${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { maxOutputLength: MAX_EVENTS_BYTES });
    } catch (err) {
      throw new TryRulesError(`${file} is gzip but cannot be decompressed: ${(err as Error).message}`);
    }
  }
  return bytes;
}

/** The parser: the one asked for, else the one the file's name or content says, else the one the rules read. */
function formatFor(bytes: Buffer, file: string, forced: LogType | undefined, rules: DetectionRule[]): LogFormat {
  if (forced) {
    const format = formatOf(forced);
    if (!format) {
      throw new TryRulesError(`--log-type must be one of ${LOG_TYPES.join(', ')}`);
    }
    return format;
  }
  const detected = detectFormat('auto', basename(file), bytes.subarray(0, 64 * 1024).toString('utf8'));
  if ('format' in detected && detected.format.type !== 'json' && detected.format.type !== 'text') {
    return detected.format;
  }
  const ruleTypes = [...new Set(rules.map((r) => tableByName(r.table)?.logType).filter((t): t is LogType => !!t))];
  const format = ruleTypes.length === 1 ? formatOf(ruleTypes[0]) : undefined;
  if (format) {
    return format;
  }
  if ('format' in detected) {
    return detected.format;
  }
  throw new TryRulesError(`${file}: ${detected.error}; name its log type with --log-type`);
}
