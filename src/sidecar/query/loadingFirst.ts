import type { CoverageNotice } from '../../shared/query';

/** Asks running backfills to load a notice's missing hours first; says how many they load first and when (backfill/priority.ts). */
export type LoadFirst = (notice: CoverageNotice, logTypes: string[] | null, queryText: string) => Promise<CoverageNotice['loadingFirst']>;

/** The search answers without waiting longer than this on priority: the notice then says nothing of it. */
const WAIT_MS = 250;

/** The notice with its hours loaded first, if priority answers in time; never fails. */
export async function withLoadingFirst(
  notice: CoverageNotice,
  loadFirst: LoadFirst | undefined,
  logTypes: string[] | null,
  text: string
): Promise<CoverageNotice> {
  if (!loadFirst) {
    return notice;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), WAIT_MS)));
  const asked = loadFirst(notice, logTypes, text).catch(() => undefined);
  const loading = await Promise.race([asked, late]);
  clearTimeout(timer);
  if (!loading) {
    return notice;
  }
  const { hours, expectedAt } = loading;
  const seconds = expectedAt ? Math.max(1, Math.round((Date.parse(expectedAt) - Date.now()) / 1000)) : null;
  const them = hours === notice.missingHours.length && hours > 1 ? `all ${hours} of them are` : hours === 1 ? '1 of them is' : `${hours} of them are`;
  const when = seconds === null ? '' : `, expected in about ${seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}`;
  return { ...notice, message: `${notice.message}; ${them} being loaded first${when}`, loadingFirst: loading };
}
