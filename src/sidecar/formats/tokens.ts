const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACKET = 91;
const COMMA = 44;

export interface Tokens {
  values: string[];
  /** Set when a quoted or bracketed value is not closed before the end of the line. */
  problem?: string;
}

/**
 * Splits a space-separated log line whose values may be "double quoted" (with `\"` escapes) or,
 * when `brackets` is set, [bracketed] (S3 access log times). A closing quote ends a value even
 * when no space follows it, so `"-"1` reads as two values: AWS has written such lines. A list of
 * quoted items (`"h2","http/1.1"`, NLB's ALPN preferences) stays one value, quotes included.
 */
export function splitFields(line: string, brackets = false): Tokens {
  const values: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === SPACE || c === TAB) {
      i++;
      continue;
    }
    if (c === QUOTE) {
      const close = closingQuote(line, i + 1);
      if (close < 0) {
        values.push(line.slice(i + 1));
        return { values, problem: `value ${values.length} opens a quote at column ${i + 1} that is never closed` };
      }
      let end = close;
      while (line.charCodeAt(end + 1) === COMMA && line.charCodeAt(end + 2) === QUOTE) {
        const next = closingQuote(line, end + 3);
        if (next < 0) {
          break;
        }
        end = next;
      }
      if (end > close) {
        values.push(line.slice(i, end + 1));
      } else {
        const inner = line.slice(i + 1, close);
        values.push(inner.includes('\\') ? inner.replace(/\\(["\\])/g, '$1') : inner);
      }
      i = end + 1;
      continue;
    }
    if (brackets && c === OPEN_BRACKET) {
      const close = line.indexOf(']', i + 1);
      if (close < 0) {
        values.push(line.slice(i + 1));
        return { values, problem: `value ${values.length} opens a bracket at column ${i + 1} that is never closed` };
      }
      values.push(line.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    let end = i + 1;
    while (end < n) {
      const d = line.charCodeAt(end);
      if (d === SPACE || d === TAB) {
        break;
      }
      end++;
    }
    values.push(line.slice(i, end));
    i = end;
  }
  return { values };
}

function closingQuote(line: string, from: number): number {
  let at = line.indexOf('"', from);
  while (at > 0 && line.charCodeAt(at - 1) === BACKSLASH && !evenBackslashesBefore(line, at)) {
    at = line.indexOf('"', at + 1);
  }
  return at;
}

function evenBackslashesBefore(line: string, at: number): boolean {
  let count = 0;
  for (let i = at - 1; i >= 0 && line.charCodeAt(i) === BACKSLASH; i--) {
    count++;
  }
  return count % 2 === 0;
}

/** Maps values to names in order; values past the known names keep their position as `field_<n>`. */
export function nameValues(names: readonly string[], values: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i < values.length; i++) {
    fields[i < names.length ? names[i] : `field_${i + 1}`] = values[i];
  }
  return fields;
}
