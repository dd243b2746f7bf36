/**
 * The bounds of query-driven priority, in one place (README, "Hours loaded first"). A request
 * covers at most MAX_HOURS hours; a backfill has at most MAX_PENDING requests queued or loading
 * (more are refused, a query's silently, an explicit one with a 429); the lane ingests at most
 * BUDGET_SECONDS of work for one request at the measured pace (DEFAULT_BUDGET_BYTES before one is
 * measured), so what is pending for a backfill is a few minutes of ingest at most; and a backfill
 * object waits at most YIELD_MS for lane work before it reads anyway, so the rest of the backfill
 * is slowed, never stopped.
 */
export const PRIORITY_BOUNDS = {
  maxHours: 24,
  maxPending: 4,
  budgetSeconds: 60,
  defaultBudgetBytes: 1024 ** 3,
  /** Pages the lane lists for one request at most (1,000 keys each). */
  maxPages: 100,
  yieldMs: 5_000,
  /** Lane messages ingested at once by one sidecar. */
  laneMessages: 2,
  /** Requests kept per backfill for the API. */
  shown: 30,
} as const;
