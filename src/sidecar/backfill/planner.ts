import type { SourceLogType } from '../../shared/api';
import { Semaphore } from '../concurrency/semaphore';
import type { BucketReader, FolderListing } from './bucketReader';
import { DAY_MS, HOUR_MS, dateParts, daysOf, hoursOf, type TimeWindow } from './dates';
import { layoutFamily, S3ACCESS_PARTITIONED, type FolderLayout } from './layouts';
import { ACCOUNT, DAY, HOUR, MONTH, YEAR, keyed, layoutMismatch, narrow, type Segment } from './segments';
import type { ObjectFilter } from './select';

/** One prefix to list, with the filter its objects go through. */
export interface ListUnit {
  prefix: string;
  filter: ObjectFilter;
  /** Start of the time the prefix is filed under, for ordering; null when it is no date prefix. */
  time: number | null;
}

export interface PlanRequest {
  logType: SourceLogType;
  /** The source's prefix, '' for none. */
  root: string;
  /** Prefixes asked for; none means the source's prefix. */
  prefixes: string[];
  /** Key-time window, margin included; null lists the prefixes whole. */
  window: TimeWindow | null;
}

/** A request the bucket's layout cannot serve; `field` names the part of the request at fault. */
export class PlanError extends Error {
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message);
  }
}

const LIST_CONCURRENCY = 8;
const CLOUDFRONT_DATE = '0000-00-00-00.';
const S3ACCESS_TIME = '0000-00-00-00-00-00-';
const DISTRIBUTION = /^[A-Z0-9]+\.$/;
const GENERIC_PLAIN = [YEAR, MONTH, DAY, HOUR];
const GENERIC_HIVE = [keyed('year', YEAR), keyed('month', MONTH), keyed('day', DAY), keyed('hour', HOUR)];

/** Whether `text` is the start of a name shaped like `template` (`0` = a digit), or runs past it. */
function fitsTemplate(text: string, template: string): boolean {
  for (let i = 0; i < Math.min(text.length, template.length); i++) {
    if (template[i] === '0' ? !/\d/.test(text[i]) : text[i] !== template[i]) {
      return false;
    }
  }
  return true;
}

/**
 * Turns a backfill request into the prefixes to list: for the known layouts only the date
 * folders of the time range, under every account, region (VPC, web ACL, distribution) folder
 * found with delimiter listings; for unknown layouts the prefix itself (by date folders when it
 * has them), its objects filtered by key time or LastModified.
 */
export async function planBackfill(request: PlanRequest, reader: BucketReader): Promise<ListUnit[]> {
  return new Planner(request, reader).plan();
}

class Planner {
  private readonly listings = new Map<string, Promise<FolderListing>>();
  private readonly slots = new Semaphore(LIST_CONCURRENCY);

  constructor(
    private readonly req: PlanRequest,
    private readonly reader: BucketReader
  ) {}

  async plan(): Promise<ListUnit[]> {
    const asked = this.req.prefixes.length ? this.req.prefixes : [this.req.root];
    const units: ListUnit[] = [];
    for (const [i, prefix] of asked.entries()) {
      const field = this.req.prefixes.length ? `prefixes[${i}]` : 'prefixes';
      const want = this.underRoot(prefix, field);
      const found = await this.planPrefix(want, field);
      if (found.length === 0) {
        throw new PlanError(field, `prefix "${want}" selects nothing to list${this.rangeText()}`);
      }
      units.push(...found);
    }
    return dedupe(units);
  }

  private rangeText(): string {
    const w = this.req.window;
    return w ? ` in the time range ${new Date(w.from).toISOString()} to ${new Date(w.to).toISOString()}` : '';
  }

  /** The asked prefix must lie under the source's prefix (or be a start of it, then the source's prefix is used). */
  private underRoot(prefix: string, field: string): string {
    const root = this.req.root;
    const narrowed = narrow(prefix, root);
    if (narrowed === undefined) {
      throw new PlanError(field, `prefix "${prefix}" is outside the source's prefix "${root}"`);
    }
    return narrowed;
  }

  private planPrefix(want: string, field: string): Promise<ListUnit[]> {
    const family = layoutFamily(this.req.logType);
    switch (family.kind) {
      case 'awslogs':
        return this.planAwsLogs(want, family.layouts, field);
      case 'cloudfront':
        return this.planCloudFront(want, field);
      case 's3access':
        return this.planS3Access(want, field);
      default:
        return this.planGeneric(want);
    }
  }

  private async planAwsLogs(want: string, layouts: FolderLayout[], field: string): Promise<ListUnit[]> {
    const auto = this.req.logType === 'auto';
    const at = want.search(/(^|\/)AWSLogs\//);
    let base: string;
    if (at >= 0) {
      base = want.slice(0, want[at] === '/' ? at + 1 : at);
    } else {
      const cut = want.lastIndexOf('/') + 1;
      const tail = want.slice(cut);
      if (!'AWSLogs'.startsWith(tail)) {
        if (auto) {
          return this.planGeneric(want);
        }
        throw new PlanError(field, `prefix "${want}" cannot hold ${this.req.logType} logs: they are under [prefix/]${layouts[0].template}`);
      }
      base = want.slice(0, cut);
      if (auto && tail === '' && !(await this.listing(base)).folders.includes(`${base}AWSLogs/`)) {
        return this.planGeneric(want);
      }
    }
    const rest = want.slice(base.length);
    const fitting = layouts.filter((l) => layoutMismatch(l.segments, rest) === undefined);
    if (fitting.length === 0) {
      const miss = layoutMismatch(layouts[0].segments, rest)!;
      throw new PlanError(
        field,
        `prefix "${want}" cannot hold ${this.req.logType === 'auto' ? 'AWS' : this.req.logType} logs: "${miss.piece}" is not ${miss.expected} in [prefix/]${layouts[0].template}`
      );
    }
    const found = (await Promise.all(fitting.map((l) => this.walk(l, 0, base, want, auto)))).flat();
    if (found.length === 0) {
      const layoutsText = fitting.map((l) => `[prefix/]${l.template}`).join(' or ');
      throw new PlanError(field, `nothing under s3://${this.reader.bucket}/${want} is laid out as ${layoutsText}${this.rangeText()}`);
    }
    return found;
  }

  /** Descends a folder layout: literal folders appended, the others listed, date folders generated. */
  private async walk(layout: FolderLayout, i: number, path: string, want: string, checkLiterals: boolean): Promise<ListUnit[]> {
    const segments = layout.segments;
    const seg = segments[i];
    if (!seg) {
      return this.unitsFor(path, want, null, layout);
    }
    if (seg.date) {
      return this.dateUnits(segments.slice(i), path, want, layout);
    }
    if (seg.literal !== undefined) {
      const next = `${path}${seg.literal}/`;
      if (narrow(next, want) === undefined) {
        return [];
      }
      if (checkLiterals && !(await this.listing(path)).folders.includes(next)) {
        return [];
      }
      return this.walk(layout, i + 1, next, want, checkLiterals);
    }
    const names = await this.children(path, want);
    const nested = await Promise.all(
      names.map((name) => {
        if (seg.whole(name)) {
          return this.walk(layout, i + 1, path + name, want, checkLiterals);
        }
        const after = segments[i + 1];
        if (seg.optional && after && !after.date && after.whole(name)) {
          return this.walk(layout, i + 2, path + name, want, checkLiterals);
        }
        return Promise.resolve([]);
      })
    );
    return nested.flat();
  }

  /** Folder names (with `/`) under `path`, following the asked prefix where it goes deeper. */
  private async children(path: string, want: string): Promise<string[]> {
    if (want.length > path.length && want.startsWith(path)) {
      const rest = want.slice(path.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) {
        return [rest.slice(0, slash + 1)];
      }
      return (await this.listing(path + rest)).folders.map((f) => f.slice(path.length));
    }
    return (await this.listing(path)).folders.map((f) => f.slice(path.length));
  }

  /** Day folders of the window (hours on the days it covers only in part, where the layout has hour folders). */
  private async dateUnits(segments: Segment[], path: string, want: string, layout: FolderLayout): Promise<ListUnit[]> {
    const window = this.req.window;
    if (!window) {
      return this.unitsFor(path, want, null, layout);
    }
    const name = (seg: Segment, value: string) => `${seg.hive ? `${seg.hive}=` : ''}${value}/`;
    const [year, month, day] = segments;
    const hour = segments.find((s) => s.date === 'hour');
    const units: ListUnit[] = [];
    for (const { start, whole } of daysOf(window)) {
      const parts = dateParts(start);
      const dayPrefix = `${path}${name(year, parts.year)}${name(month, parts.month)}${name(day, parts.day)}`;
      if (narrow(dayPrefix, want) === undefined) {
        continue;
      }
      if (!hour || whole) {
        units.push(...this.unitsFor(dayPrefix, want, start, layout));
        continue;
      }
      let hours = hoursOf(start, window);
      if (hour.optional) {
        const present = new Set((await this.listing(dayPrefix)).folders.map((f) => f.slice(dayPrefix.length)));
        if (![...present].some((n) => hour.whole(n))) {
          units.push(...this.unitsFor(dayPrefix, want, start, layout));
          continue;
        }
        hours = hours.filter((h) => present.has(name(hour, dateParts(h).hour)));
      }
      for (const h of hours) {
        units.push(...this.unitsFor(`${dayPrefix}${name(hour, dateParts(h).hour)}`, want, h, layout));
      }
    }
    return units;
  }

  /** CloudFront standard logs: `[prefix/]<distribution>.YYYY-MM-DD-HH.<id>.gz`, distributions found by listing with `.` as delimiter. */
  private async planCloudFront(want: string, field: string): Promise<ListUnit[]> {
    const base = want.slice(0, want.lastIndexOf('/') + 1);
    const rest = want.slice(base.length);
    const dot = rest.indexOf('.');
    if (dot < 0 ? !/^[A-Z0-9]*$/.test(rest) : !/^[A-Z0-9]+$/.test(rest.slice(0, dot)) || !fitsTemplate(rest.slice(dot + 1), CLOUDFRONT_DATE)) {
      throw new PlanError(field, `prefix "${want}" cannot hold CloudFront logs: they are named [prefix/]<distribution ID>.YYYY-MM-DD-HH.<id>.gz`);
    }
    const distributions =
      dot >= 0 ? [rest.slice(0, dot + 1)] : (await this.listing(base + rest, '.')).folders.map((f) => f.slice(base.length)).filter((d) => DISTRIBUTION.test(d));
    if (distributions.length === 0) {
      throw new PlanError(field, `no CloudFront log files (<distribution ID>.YYYY-MM-DD-HH.<id>.gz) under s3://${this.reader.bucket}/${want}`);
    }
    return distributions.flatMap((d) =>
      this.flatUnits(
        base + d,
        want,
        (p) => `${p.year}-${p.month}-${p.day}-`,
        (p) => `${p.year}-${p.month}-${p.day}-${p.hour}.`
      )
    );
  }

  /** S3 server access logs: `[prefix]YYYY-MM-DD-HH-MM-SS-<id>`, or partitioned `[prefix]<account>/<region>/<bucket>/YYYY/MM/DD/`. */
  private async planS3Access(want: string, field: string): Promise<ListUnit[]> {
    const account = /(^|\/)\d{12}\//.exec(want);
    const partitionedAt = account ? account.index + account[1].length : -1;
    const folderLike = want === '' || want.endsWith('/');
    const hasAccounts = async () => (await this.listing(want)).folders.some((f) => ACCOUNT.whole(f.slice(want.length)));
    if (partitionedAt >= 0 || (folderLike && (await hasAccounts()))) {
      const base = partitionedAt >= 0 ? want.slice(0, partitionedAt) : want;
      const miss = layoutMismatch(S3ACCESS_PARTITIONED.segments, want.slice(base.length));
      if (miss) {
        throw new PlanError(
          field,
          `prefix "${want}" cannot hold S3 access logs: "${miss.piece}" is not ${miss.expected} in [prefix]${S3ACCESS_PARTITIONED.template}`
        );
      }
      return this.walk(S3ACCESS_PARTITIONED, 0, base, want, false);
    }
    let cut = want.length;
    for (let k = 0; k < want.length; k++) {
      if (/\d/.test(want[k]) && fitsTemplate(want.slice(k), S3ACCESS_TIME)) {
        cut = k;
        break;
      }
    }
    return this.flatUnits(
      want.slice(0, cut),
      want,
      (p) => `${p.year}-${p.month}-${p.day}-`,
      (p) => `${p.year}-${p.month}-${p.day}-${p.hour}-`
    );
  }

  /** Prefixes of flat names carrying a date: one per day, one per hour on days the window covers in part. */
  private flatUnits(
    base: string,
    want: string,
    dayName: (p: ReturnType<typeof dateParts>) => string,
    hourName: (p: ReturnType<typeof dateParts>) => string
  ): ListUnit[] {
    const window = this.req.window;
    if (!window) {
      return this.unitsFor(base, want, null);
    }
    const units: ListUnit[] = [];
    for (const { start, whole } of daysOf(window)) {
      if (whole) {
        units.push(...this.unitsFor(base + dayName(dateParts(start)), want, start));
      } else {
        for (const h of hoursOf(start, window)) {
          units.push(...this.unitsFor(base + hourName(dateParts(h)), want, h));
        }
      }
    }
    return units;
  }

  /** No known layout: descend `YYYY/MM/DD/HH/` (or `year=…/`) folders when the prefix holds only those, else list it whole. */
  private async planGeneric(want: string): Promise<ListUnit[]> {
    const window = this.req.window;
    if (!window || !(want === '' || want.endsWith('/'))) {
      return this.unitsFor(want, want, null);
    }
    return this.descend(want, 0, window, null, null);
  }

  private async descend(prefix: string, level: number, window: TimeWindow, style: Segment[] | null, time: number | null): Promise<ListUnit[]> {
    const listing = await this.listing(prefix);
    const names = listing.folders.map((f) => f.slice(prefix.length));
    const segments = style ?? (names.length && names.every((n) => GENERIC_HIVE[0].whole(n)) ? GENERIC_HIVE : GENERIC_PLAIN);
    const seg = segments[level];
    if (!seg || listing.files > 0 || names.length === 0 || !names.every((n) => seg.whole(n))) {
      return this.unitsFor(prefix, prefix, time);
    }
    const nested = await Promise.all(
      names.map((name) => {
        const span = folderSpan(prefix + name, segments, level);
        if (span.end <= window.from || span.start >= window.to) {
          return Promise.resolve([]);
        }
        if (span.start >= window.from && span.end <= window.to) {
          return Promise.resolve(this.unitsFor(prefix + name, prefix + name, span.start));
        }
        return this.descend(prefix + name, level + 1, window, segments, span.start);
      })
    );
    return nested.flat();
  }

  private unitsFor(prefix: string, want: string, time: number | null, layout?: FolderLayout): ListUnit[] {
    const narrowed = narrow(prefix, want);
    if (narrowed === undefined) {
      return [];
    }
    const window = this.req.window;
    const filter: ObjectFilter = { from: window?.from ?? null, to: window?.to ?? null, logType: this.req.logType };
    if (layout?.elbKind) {
      filter.elbKind = layout.elbKind;
    }
    return [{ prefix: narrowed, filter, time }];
  }

  /** A delimiter listing, each prefix listed once per plan, at most a few at a time. */
  private listing(prefix: string, delimiter = '/'): Promise<FolderListing> {
    const key = `${delimiter}\u0000${prefix}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = (async () => {
        await this.slots.acquire();
        try {
          return await this.reader.folders(prefix, delimiter);
        } finally {
          this.slots.release();
        }
      })();
      this.listings.set(key, listing);
    }
    return listing;
  }
}

/** The time span of a generic date folder (`…/2024/05/`), read from its date levels. */
function folderSpan(path: string, segments: Segment[], level: number): { start: number; end: number } {
  const parts = path
    .split('/')
    .filter(Boolean)
    .slice(-(level + 1));
  const [y, m = 1, d = 1, h = 0] = parts.map((p, i) => Number(segments[i].hive ? p.slice(p.indexOf('=') + 1) : p));
  const start = Date.UTC(y, m - 1, d, h);
  const end = level === 0 ? Date.UTC(y + 1, 0, 1) : level === 1 ? Date.UTC(y, m, 1) : level === 2 ? start + DAY_MS : start + HOUR_MS;
  return { start, end };
}

/** Drops prefixes listed twice or lying inside another prefix with the same filter. */
function dedupe(units: ListUnit[]): ListUnit[] {
  const sorted = [...units].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  const lastKept = new Map<string, string>();
  const kept: ListUnit[] = [];
  for (const unit of sorted) {
    const filter = JSON.stringify(unit.filter);
    const previous = lastKept.get(filter);
    if (previous !== undefined && unit.prefix.startsWith(previous)) {
      continue;
    }
    lastKept.set(filter, unit.prefix);
    kept.push(unit);
  }
  return kept;
}
