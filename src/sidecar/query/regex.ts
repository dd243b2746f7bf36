import { QueryError, type Span } from './errors';

/** RE2's bound on a counted repetition, and on counted repetitions nested in one another. */
const MAX_REPEAT = 1000;
/** Groups nested in one another. */
const MAX_NESTING = 1000;

const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);
const UNICODE_CATEGORIES = new Set('Any C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '));
/** The shape of a Unicode script name (`Greek`, `Old_Italic`); RE2 itself knows which exist. */
const SCRIPT_NAME = /^[A-Z][a-z]+(?:_[A-Z][a-z]+)*$/;
const NAME_CHAR = /^[\p{L}\p{N}_]$/u;
const HEX = /^[0-9A-Fa-f]$/;
const FLAGS = 'imsU';

/**
 * Checks a regular expression against RE2's syntax (what ClickHouse's `match` and `extract`
 * compile) without running it: one pass over the pattern, so its time is linear in the
 * pattern's length whatever the pattern. A bad pattern is a query error at its argument
 * instead of an engine failure. Returns the number of capture groups.
 */
export function checkRegex(pattern: string, span: Span): number {
  return new Re2Checker(pattern, span).check();
}

interface Frame {
  /** Where the group's `(` is. */
  open: number;
  /** The largest product of counted repetitions nested inside the group so far. */
  product: number;
}

class Re2Checker {
  private i = 0;
  private captures = 0;
  private readonly frames: Frame[] = [{ open: -1, product: 1 }];
  /** The last thing a repetition could apply to, with the product of the counts nested in it; null at a start. */
  private atom: { product: number } | null = null;
  /** The repetition operator just read, as RE2 refuses a second one right after it (`a**`). */
  private repeated: string | null = null;
  /** Where the next `:]` is at or after the scan (-1: nowhere), found once per occurrence. */
  private posixEnd = -2;

  constructor(
    private readonly p: string,
    private readonly span: Span
  ) {}

  check(): number {
    const p = this.p;
    while (this.i < p.length) {
      const c = p[this.i];
      if (c === '*' || c === '+' || c === '?') {
        const start = this.i++;
        if (p[this.i] === '?') {
          this.i++;
        }
        this.repeat(p.slice(start, this.i), 0);
        continue;
      }
      if (c === '{') {
        const counted = this.countedRepeat();
        if (counted) {
          this.repeat(counted.text, counted.count);
          continue;
        }
      }
      this.repeated = null;
      switch (c) {
        case '(':
          this.group();
          break;
        case ')':
          this.closeGroup();
          break;
        case '|':
          this.endAtom();
          this.atom = null;
          this.i++;
          break;
        case '[':
          this.charClass();
          this.newAtom();
          break;
        case '\\':
          this.escape();
          break;
        default:
          this.i += this.runeLength(this.i);
          this.newAtom();
      }
    }
    if (this.frames.length > 1) {
      throw this.error(`missing closing ) for the ( at character ${this.frames[this.frames.length - 1].open + 1}`);
    }
    return this.captures;
  }

  private error(reason: string): QueryError {
    return new QueryError(`invalid regular expression: ${reason} (RE2 syntax)`, this.span);
  }

  private runeLength(at: number): number {
    const code = this.p.codePointAt(at) ?? 0;
    return code > 0xffff ? 2 : 1;
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  private endAtom(): void {
    if (this.atom) {
      this.frame.product = Math.max(this.frame.product, this.atom.product);
    }
  }

  private newAtom(product = 1): void {
    this.endAtom();
    this.atom = { product };
  }

  /** `*`, `+`, `?` (count 0) or `{n}`, `{n,}`, `{n,m}`, each maybe followed by `?`. */
  private repeat(text: string, count: number): void {
    if (this.repeated !== null) {
      throw this.error(`bad repetition operator: ${this.repeated}${text}`);
    }
    if (!this.atom) {
      throw this.error(`missing argument to repetition operator: ${text}`);
    }
    if (count > 0) {
      this.atom.product *= count;
      if (this.atom.product > MAX_REPEAT) {
        throw this.error(`invalid repetition size: ${text} (counted repetitions, nested ones multiplied, go up to ${MAX_REPEAT})`);
      }
    }
    this.repeated = text;
  }

  /** `{n}`, `{n,}` or `{n,m}` at the scan; undefined when the `{` is a literal. */
  private countedRepeat(): { text: string; count: number } | undefined {
    const p = this.p;
    const start = this.i;
    let j = start + 1;
    const digits = (): string => {
      const from = j;
      while (j < p.length && p[j] >= '0' && p[j] <= '9') {
        j++;
      }
      return p.slice(from, j);
    };
    const low = digits();
    if (low === '') {
      return undefined;
    }
    let high = low;
    if (p[j] === ',') {
      j++;
      high = digits();
    }
    if (p[j] !== '}') {
      return undefined;
    }
    j++;
    if (p[j] === '?') {
      j++;
    }
    const text = p.slice(start, j);
    const min = Number(low);
    const max = high === '' ? -1 : Number(high);
    if (low.length > 4 || high.length > 4 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && max < min)) {
      throw this.error(`invalid repetition size: ${text} (counts go up to ${MAX_REPEAT}, the smaller first)`);
    }
    this.i = j;
    return { text, count: max >= 0 ? max : min };
  }

  private group(): void {
    const p = this.p;
    const open = this.i;
    this.i++;
    if (p[this.i] !== '?') {
      this.captures++;
      this.openGroup(open);
      return;
    }
    const rest = p.slice(this.i, this.i + 4);
    if (rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) {
      throw this.error(`lookaround assertions such as ${p.slice(open, open + (rest[1] === '<' ? 4 : 3))} are not supported`);
    }
    if (rest.startsWith('?P<') || rest.startsWith('?<')) {
      this.i += rest[1] === 'P' ? 3 : 2;
      const nameStart = this.i;
      while (this.i < p.length && NAME_CHAR.test(p[this.i])) {
        this.i++;
      }
      if (p[this.i] !== '>' || this.i === nameStart) {
        throw this.error(`invalid named capture group at character ${open + 1}: a name is letters, digits and _ then >`);
      }
      this.i++;
      this.captures++;
      this.openGroup(open);
      return;
    }
    if (rest.startsWith('?P')) {
      throw this.error(`${p.slice(open, open + 4)} is not supported: backreferences are not (named groups are (?P<name>...))`);
    }
    this.flags(open);
  }

  /** `(?i)`, `(?-s)`, `(?i-m:...)`: flags for the rest of the group, or a group without a capture. */
  private flags(open: number): void {
    const p = this.p;
    this.i++;
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const c = p[this.i];
      if (c === undefined) {
        throw this.error(`missing closing ) for the ( at character ${open + 1}`);
      }
      this.i++;
      if (FLAGS.includes(c)) {
        sawFlag = true;
      } else if (c === '-' && !negated) {
        negated = true;
        sawFlag = false;
      } else if ((c === ')' || c === ':') && !(negated && !sawFlag)) {
        if (c === ':') {
          this.openGroup(open);
        } else {
          this.repeated = null;
        }
        return;
      } else {
        throw this.error(`${p.slice(open, this.i)} is not supported: groups start (, (?:, (?P<name> or (?flags) with flags i, m, s, U`);
      }
    }
  }

  private openGroup(open: number): void {
    if (this.frames.length > MAX_NESTING) {
      throw this.error(`groups nest deeper than ${MAX_NESTING}`);
    }
    this.endAtom();
    this.frames.push({ open, product: 1 });
    this.atom = null;
  }

  private closeGroup(): void {
    if (this.frames.length === 1) {
      throw this.error(`unexpected ) at character ${this.i + 1}`);
    }
    this.endAtom();
    const frame = this.frames.pop() as Frame;
    this.atom = null;
    this.newAtom(frame.product);
    this.i++;
  }

  /** A `\` outside a class: an assertion, a class, a literal run (\Q...\E) or one character. */
  private escape(): void {
    const p = this.p;
    const c = p[this.i + 1];
    if ('bBAzC'.includes(c ?? '-') || 'dDsSwW'.includes(c ?? '-')) {
      this.i += 2;
      this.newAtom();
      return;
    }
    if (c === 'p' || c === 'P') {
      this.unicodeClass();
      this.newAtom();
      return;
    }
    if (c === 'Q') {
      const end = p.indexOf('\\E', this.i + 2);
      const literal = end < 0 ? p.length - this.i - 2 : end - this.i - 2;
      this.i = end < 0 ? p.length : end + 2;
      if (literal > 0) {
        this.newAtom();
      }
      return;
    }
    this.charEscape();
    this.newAtom();
  }

  /** `\pL`, `\p{Greek}`, `\P{^Lu}`. */
  private unicodeClass(): void {
    const p = this.p;
    const start = this.i;
    this.i += 2;
    let name: string;
    if (p[this.i] === '{') {
      const close = p.indexOf('}', this.i);
      if (close < 0) {
        throw this.error(`${p.slice(start, start + 3)} is not closed with }`);
      }
      name = p.slice(this.i + 1, close).replace(/^\^/, '');
      this.i = close + 1;
    } else if (this.i < p.length) {
      name = p.slice(this.i, this.i + this.runeLength(this.i));
      this.i += name.length;
    } else {
      throw this.error('trailing \\p');
    }
    if (!UNICODE_CATEGORIES.has(name) && !SCRIPT_NAME.test(name)) {
      throw this.error(`unknown Unicode class ${p.slice(start, this.i)}`);
    }
  }

  /** An escape that stands for one character; returns its code point. */
  private charEscape(): number {
    const p = this.p;
    const start = this.i;
    const c = p[this.i + 1];
    if (c === undefined) {
      throw this.error('trailing \\ at the end');
    }
    this.i += 2;
    if (c >= '0' && c <= '7' && (c === '0' || (p[this.i] >= '0' && p[this.i] <= '7'))) {
      let code = Number(c);
      for (let n = 0; n < 2 && p[this.i] >= '0' && p[this.i] <= '7'; n++) {
        code = code * 8 + Number(p[this.i++]);
      }
      return code;
    }
    if (c >= '1' && c <= '9') {
      throw this.error(`backreferences such as \\${c} are not supported`);
    }
    if (c === 'x') {
      return this.hexEscape(start);
    }
    const control = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 }[c];
    if (control !== undefined) {
      return control;
    }
    if (c.charCodeAt(0) < 0x80 && !/^[A-Za-z0-9]$/.test(c)) {
      return c.charCodeAt(0);
    }
    if (c === 'k' || c === 'g') {
      throw this.error(`backreferences such as \\${c} are not supported`);
    }
    throw this.error(`invalid escape sequence \\${p.slice(start + 1, start + 1 + this.runeLength(start + 1))}`);
  }

  /** `\xFF` or `\x{10FFFF}`, the `\x` already read. */
  private hexEscape(start: number): number {
    const p = this.p;
    if (p[this.i] === '{') {
      const close = p.indexOf('}', this.i);
      const digits = close < 0 ? '' : p.slice(this.i + 1, close);
      if (digits === '' || digits.length > 8 || ![...digits].every((d) => HEX.test(d)) || parseInt(digits, 16) > 0x10ffff) {
        throw this.error(`invalid escape sequence ${p.slice(start, Math.min(p.length, start + 12))}: \\x{...} takes a hexadecimal code point up to 10FFFF`);
      }
      this.i = close + 1;
      return parseInt(digits, 16);
    }
    const digits = p.slice(this.i, this.i + 2);
    if (digits.length < 2 || !HEX.test(digits[0]) || !HEX.test(digits[1])) {
      throw this.error(`invalid escape sequence ${p.slice(start, start + 4)}: \\x takes two hexadecimal digits`);
    }
    this.i += 2;
    return parseInt(digits, 16);
  }

  /** `[...]` / `[^...]`: characters, ranges, `[:alpha:]`, `\d`, `\p{...}`. */
  private charClass(): void {
    const p = this.p;
    const open = this.i;
    this.i++;
    if (p[this.i] === '^') {
      this.i++;
    }
    let first = true;
    for (;;) {
      if (this.i >= p.length) {
        throw this.error(`missing closing ] for the [ at character ${open + 1}`);
      }
      const c = p[this.i];
      if (c === ']' && !first) {
        this.i++;
        return;
      }
      first = false;
      if (c === '[' && p[this.i + 1] === ':' && this.posixClass()) {
        continue;
      }
      if (c === '\\' && 'dDsSwW'.includes(p[this.i + 1] ?? '-')) {
        this.i += 2;
        continue;
      }
      if (c === '\\' && (p[this.i + 1] === 'p' || p[this.i + 1] === 'P')) {
        this.unicodeClass();
        continue;
      }
      const rangeStart = this.i;
      const low = this.classChar(open);
      if (p[this.i] === '-' && this.i + 1 < p.length && p[this.i + 1] !== ']') {
        this.i++;
        const high = this.classChar(open);
        if (high < low) {
          throw this.error(`invalid character class range ${p.slice(rangeStart, this.i)}`);
        }
      }
    }
  }

  private classChar(open: number): number {
    if (this.i >= this.p.length) {
      throw this.error(`missing closing ] for the [ at character ${open + 1}`);
    }
    if (this.p[this.i] === '\\') {
      return this.charEscape();
    }
    const code = this.p.codePointAt(this.i) ?? 0;
    this.i += this.runeLength(this.i);
    return code;
  }

  /** `[:alpha:]` or `[:^alpha:]` at the scan, as RE2 reads it: up to the next `:]`. False when there is none. */
  private posixClass(): boolean {
    if (this.posixEnd !== -1 && this.posixEnd < this.i + 2) {
      this.posixEnd = this.p.indexOf(':]', this.i + 2);
    }
    if (this.posixEnd < 0) {
      return false;
    }
    const name = this.p.slice(this.i + 2, this.posixEnd);
    if (!POSIX_CLASSES.has(name.replace(/^\^/, ''))) {
      throw this.error(`invalid character class [:${name}:]`);
    }
    this.i = this.posixEnd + 2;
    return true;
  }
}
