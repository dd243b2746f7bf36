/** The folder levels of S3 key layouts, and how to tell whether a prefix can lie inside one. */

export type DateUnit = 'year' | 'month' | 'day' | 'hour';

export interface Segment {
  /** What the folder holds, for messages: `region`, `account ID`. */
  what: string;
  /** A whole folder name, trailing `/` included. */
  whole(name: string): boolean;
  /** The start of a folder name (no `/`), as a prefix cut short may end. */
  start(text: string): boolean;
  /** A fixed folder name (`AWSLogs`): appended, never listed. */
  literal?: string;
  /** Date folders are generated from the time range instead of listed. */
  date?: DateUnit;
  /** `year=` style (Hive-compatible partitions) rather than plain `2024/`. */
  hive?: string;
  /** The level may be absent (an organization trail's `o-…/`, VPC flow hour partitions). */
  optional?: boolean;
}

export function literal(text: string): Segment {
  return { what: `${text}/`, literal: text, whole: (name) => name === `${text}/`, start: (t) => !t.includes('/') && text.startsWith(t) };
}

/** A listed folder whose name matches `name` (without the slash); `start` accepts a name cut short. */
export function folder(what: string, name: RegExp, start: RegExp, optional = false): Segment {
  return { what, whole: (n) => n.endsWith('/') && name.test(n.slice(0, -1)), start: (t) => start.test(t), optional };
}

/** `key=value/` (Hive-compatible) around a plain segment. */
export function keyed(key: string, inner: Segment): Segment {
  const head = `${key}=`;
  return {
    ...inner,
    what: `${head}<${inner.what}>`,
    hive: inner.date ? key : undefined,
    whole: (n) => n.startsWith(head) && inner.whole(n.slice(head.length)),
    start: (t) => head.startsWith(t) || (t.startsWith(head) && inner.start(t.slice(head.length))),
  };
}

function dateSegment(unit: DateUnit, name: RegExp, start: RegExp, optional = false): Segment {
  return { ...folder(unit === 'year' ? 'YYYY' : unit === 'month' ? 'MM' : unit === 'day' ? 'DD' : 'HH', name, start, optional), date: unit };
}

export const YEAR = dateSegment('year', /^\d{4}$/, /^\d{0,4}$/);
export const MONTH = dateSegment('month', /^(0[1-9]|1[0-2])$/, /^(|[01]|0[1-9]|1[0-2])$/);
export const DAY = dateSegment('day', /^(0[1-9]|[12]\d|3[01])$/, /^(|[0-3]|0[1-9]|[12]\d|3[01])$/);
export const HOUR = dateSegment('hour', /^([01]\d|2[0-3])$/, /^(|[0-2]|[01]\d|2[0-3])$/);
export const OPTIONAL_HOUR: Segment = { ...HOUR, optional: true };

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const ACCOUNT = folder('account ID', /^\d{12}$/, /^\d{0,12}$/);
export const ORGANIZATION = folder('organization ID', /^o-[a-z0-9]{10,32}$/, /^(o(-[a-z0-9]{0,32})?)?$/, true);
export const REGION = folder('region', REGION_NAME, /^[a-z0-9-]*$/);
export const VPC = folder('VPC ID', /^vpc-[0-9a-f]{8,17}$/, /^(v(p(c(-[0-9a-f]{0,17})?)?)?)?$/);
export const WAF_LOCATION = folder('region or cloudfront', /^(cloudfront|[a-z]{2}(-[a-z]+)+-\d)$/, /^[a-z0-9-]*$/);
export const WEB_ACL = folder('web ACL name', /^[A-Za-z0-9_-]{1,128}$/, /^[A-Za-z0-9_-]{0,128}$/);
export const BUCKET_NAME = folder('bucket name', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, /^[a-z0-9.-]{0,63}$/);

export interface LayoutMismatch {
  /** The part of the prefix that does not fit. */
  piece: string;
  expected: string;
}

/**
 * Whether `rest` (a prefix below the layout's root) can lie inside the layout: each folder
 * fits its level, and a last piece cut short is the start of one. Below the last level
 * (file names, WAF minute folders) anything goes. Returns the first misfit, or undefined.
 */
export function layoutMismatch(segments: Segment[], rest: string): LayoutMismatch | undefined {
  const pieces = rest.split('/').map((p, i, all) => (i < all.length - 1 ? `${p}/` : p));
  if (pieces[pieces.length - 1] === '') {
    pieces.pop();
  }
  let deepest: { at: number; mismatch: LayoutMismatch } | undefined;
  const fits = (i: number, p: number): boolean => {
    if (p >= pieces.length || i >= segments.length) {
      return true;
    }
    const seg = segments[i];
    const piece = pieces[p];
    const ok = piece.endsWith('/') ? seg.whole(piece) : seg.start(piece);
    if (ok && fits(i + 1, p + 1)) {
      return true;
    }
    if (seg.optional && fits(i + 1, p)) {
      return true;
    }
    if (!ok && !seg.optional && (!deepest || p >= deepest.at)) {
      deepest = { at: p, mismatch: { piece, expected: seg.what } };
    }
    return false;
  };
  return fits(0, 0) ? undefined : deepest?.mismatch;
}

/** A candidate prefix narrowed by the one asked for: the deeper of the two, or undefined when they are disjoint. */
export function narrow(candidate: string, wanted: string): string | undefined {
  if (candidate.startsWith(wanted)) {
    return candidate;
  }
  return wanted.startsWith(candidate) ? wanted : undefined;
}
