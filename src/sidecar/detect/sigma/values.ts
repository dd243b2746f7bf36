import { checkRegex } from '../../query/regex';
import { checkCidr, checkCidr6 } from '../../query/functions';
import { QueryError } from '../../query/errors';
import { RuleSyntaxError } from '../errors';
import { base64Offsets, encode, windashForms, type Encoding } from './encodings';
import { anchored, isLiteral, literal, parseSigmaString, textOf, type Pattern } from './strings';

/** A value of a detection after its modifiers: what one field (or the whole event) is tested for. */
export type SigmaValue =
  | { kind: 'pattern'; pattern: Pattern; cased: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'null' }
  /** An RE2 expression and Sigma's flags for it: i (ignore case), m (^ and $ at lines), s (. matches a newline). */
  | { kind: 'regex'; regex: string; flags: string }
  | { kind: 'cidr'; cidr: string; v6: boolean }
  | { kind: 'fieldref'; field: string; anchor: Anchor; cased: boolean }
  | { kind: 'exists'; present: boolean }
  | { kind: 'compare'; op: '>' | '>=' | '<' | '<='; value: number };

type Anchor = 'whole' | 'start' | 'end' | 'anywhere';

/** A field (null: the whole event, a keyword search) and the values it is tested for. */
export interface ValueTest {
  field: string | null;
  values: SigmaValue[];
  /** `all`: every value must match, not any. */
  all: boolean;
  /** `neq`: the field must differ from every value. */
  negated: boolean;
}

type Scalar = string | number | boolean | null;

/** A value while modifiers apply: still raw, a string pattern on its way to bytes, or final. */
type Work = { kind: 'raw'; value: Scalar } | { kind: 'text'; text: string; pattern: Pattern; cased: boolean; encoding?: Encoding } | SigmaValue;

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const ENCODINGS: Record<string, Encoding> = { utf16le: 'utf16le', wide: 'utf16le', utf16be: 'utf16be', utf16: 'utf16' };
const TIME_PARTS = ['minute', 'hour', 'day', 'week', 'month', 'year'];
const REGEX_FLAGS = ['i', 'm', 's'];
const KNOWN = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'cased',
  'neq',
  'exists',
  'windash',
  're',
  'cidr',
  'fieldref',
  'base64',
  'base64offset',
  ...Object.keys(ENCODINGS),
  ...Object.keys(COMPARE),
  ...REGEX_FLAGS,
  'expand',
  ...TIME_PARTS,
];

/**
 * Applies a key's modifiers (`field|contains|all`) to its values, in the order written, as the
 * Sigma modifiers appendix defines them. Throws RuleSyntaxError for what Lookback cannot do.
 */
export function valueTest(key: string, raw: unknown, construct: string): ValueTest {
  const [field, ...modifiers] = key.split('|');
  const scalars = Array.isArray(raw) ? raw : [raw];
  if (scalars.length === 0) {
    throw new RuleSyntaxError(construct, 'the list of values is empty');
  }
  for (const value of scalars) {
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new RuleSyntaxError(construct, `values must be strings, numbers, booleans or null, not ${Array.isArray(value) ? 'a list' : 'a map'}`);
    }
  }
  if (scalars.length > 1 && scalars.includes(null)) {
    throw new RuleSyntaxError(construct, 'null cannot be one of several values: test it in a selection of its own');
  }
  const test: ValueTest = { field: field === '' ? null : field, values: [], all: false, negated: false };
  let work: Work[] = (scalars as Scalar[]).map((value) => ({ kind: 'raw', value }));
  let cased = false;
  let previous = '';
  for (const modifier of modifiers) {
    const here = `modifier "${modifier}"`;
    if (!KNOWN.includes(modifier)) {
      throw new RuleSyntaxError(construct, `unknown ${here}`);
    }
    if (REGEX_FLAGS.includes(modifier)) {
      if (!work.every((w) => w.kind === 'regex')) {
        throw new RuleSyntaxError(construct, `${here} is a flag of "re" and must follow it`);
      }
      work = work.map((w) => (w.kind === 'regex' && !w.flags.includes(modifier) ? { ...w, flags: w.flags + modifier } : w));
      continue;
    }
    switch (modifier) {
      case 'all':
        if (scalars.length < 2) {
          throw new RuleSyntaxError(construct, `${here} needs a list of at least two values (the specification forbids it on one)`);
        }
        test.all = true;
        break;
      case 'neq':
        test.negated = true;
        break;
      case 'cased':
        cased = true;
        work = work.map((w) => (w.kind === 'text' ? { ...w, cased: true } : w.kind === 'fieldref' ? { ...w, cased: true } : w));
        break;
      case 'contains':
      case 'startswith':
      case 'endswith':
        work = work.map((w) => anchor(w, modifier, cased, construct));
        break;
      case 'windash':
        work = work.flatMap((w) => windash(toText(w, cased, construct, here), construct));
        break;
      case 'utf16le':
      case 'utf16be':
      case 'utf16':
      case 'wide':
        work = work.map((w) => ({ ...literalText(w, cased, construct, here), encoding: ENCODINGS[modifier] }));
        break;
      case 'base64':
        work = work.map((w) => {
          const t = literalText(w, cased, construct, here);
          const encoded = encode(t.text, t.encoding ?? 'utf8').toString('base64');
          return { kind: 'text', text: encoded, pattern: literal(encoded), cased: true };
        });
        break;
      case 'base64offset':
        work = work.flatMap((w) => {
          const t = literalText(w, cased, construct, here);
          return base64Offsets(encode(t.text, t.encoding ?? 'utf8')).map((form): Work => ({ kind: 'text', text: form, pattern: literal(form), cased: true }));
        });
        break;
      case 're':
        work = work.map((w) => regexValue(w, construct));
        break;
      case 'cidr':
        work = work.map((w) => cidrValue(w, construct));
        break;
      case 'exists':
        if (test.field === null) {
          throw new RuleSyntaxError(construct, `${here} needs a field`);
        }
        work = work.map((w) => {
          if (w.kind !== 'raw' || typeof w.value !== 'boolean') {
            throw new RuleSyntaxError(construct, `${here} takes true or false`);
          }
          return { kind: 'exists', present: w.value };
        });
        break;
      case 'fieldref':
        work = work.map((w) => {
          if (w.kind !== 'raw' || typeof w.value !== 'string' || w.value === '') {
            throw new RuleSyntaxError(construct, `${here} takes the name of another field`);
          }
          return { kind: 'fieldref', field: w.value, anchor: 'whole', cased };
        });
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        work = work.map((w) => {
          const value =
            w.kind === 'raw' && (typeof w.value === 'number' || (typeof w.value === 'string' && /^-?\d+(\.\d+)?$/.test(w.value))) ? Number(w.value) : NaN;
          if (!Number.isFinite(value)) {
            throw new RuleSyntaxError(construct, `${here} takes a number`);
          }
          return { kind: 'compare', op: COMPARE[modifier], value };
        });
        break;
      case 'expand':
        throw new RuleSyntaxError(construct, `${here}: placeholders (%name%) need values from a processing pipeline, which Lookback does not have`);
      default:
        throw new RuleSyntaxError(construct, `${here} (a time part of a date) is not supported: Lookback's fields hold text`);
    }
    previous = modifier;
  }
  for (const w of work) {
    if (w.kind === 'text' && w.encoding) {
      throw new RuleSyntaxError(construct, `modifier "${previous}" leaves text in UTF-16, which only makes sense followed by base64 or base64offset`);
    }
  }
  test.values = work.map((w) => finalValue(w, cased));
  if (test.field === null && test.values.some((v) => v.kind !== 'pattern' && v.kind !== 'number' && v.kind !== 'regex')) {
    throw new RuleSyntaxError(construct, `a keyword search (no field) can only hold text, numbers or a regular expression`);
  }
  if (test.negated && test.values.some((v) => v.kind === 'exists' || v.kind === 'null')) {
    throw new RuleSyntaxError(construct, 'neq cannot apply to exists or null: negate the selection in the condition instead');
  }
  return test;
}

function toText(w: Work, cased: boolean, construct: string, here: string): Extract<Work, { kind: 'text' }> {
  if (w.kind === 'text') {
    return w;
  }
  if (w.kind === 'raw' && (typeof w.value === 'string' || typeof w.value === 'number')) {
    const text = String(w.value);
    return { kind: 'text', text, pattern: typeof w.value === 'string' ? parseSigmaString(text) : literal(text), cased };
  }
  throw new RuleSyntaxError(construct, `${here} applies to text, not to ${describeWork(w)}`);
}

function literalText(w: Work, cased: boolean, construct: string, here: string): Extract<Work, { kind: 'text' }> {
  const t = toText(w, cased, construct, here);
  if (!isLiteral(t.pattern)) {
    throw new RuleSyntaxError(construct, `${here} cannot encode wildcards (${JSON.stringify(t.text)}): escape them as \\* and \\?`);
  }
  return { ...t, text: textOf(t.pattern) };
}

function anchor(w: Work, modifier: 'contains' | 'startswith' | 'endswith', cased: boolean, construct: string): Work {
  if (w.kind === 'fieldref') {
    if (w.anchor !== 'whole') {
      throw new RuleSyntaxError(construct, `modifier "${modifier}" cannot follow another of contains, startswith, endswith on a field reference`);
    }
    return { ...w, anchor: modifier === 'contains' ? 'anywhere' : modifier === 'startswith' ? 'start' : 'end' };
  }
  const t = toText(w, cased, construct, `modifier "${modifier}"`);
  return { ...t, pattern: anchored(t.pattern, modifier !== 'startswith', modifier !== 'endswith') };
}

function windash(t: Extract<Work, { kind: 'text' }>, construct: string): Work[] {
  const forms = t.pattern.map((piece) => (piece.kind === 'text' ? windashForms(piece.text) : undefined));
  if (t.pattern.some((piece, i) => piece.kind === 'text' && forms[i] === undefined)) {
    throw new RuleSyntaxError(construct, `modifier "windash" would make more than 256 spellings of ${JSON.stringify(t.text)}`);
  }
  let patterns: Pattern[] = [[]];
  t.pattern.forEach((piece, i) => {
    const options: Pattern = piece.kind === 'text' ? (forms[i] ?? []).map((text) => ({ kind: 'text', text })) : [piece];
    patterns = patterns.flatMap((p) => options.map((option) => [...p, option]));
  });
  return patterns.map((pattern) => ({ ...t, pattern }));
}

function regexValue(w: Work, construct: string): Work {
  if (w.kind !== 'raw' || typeof w.value !== 'string') {
    throw new RuleSyntaxError(construct, `modifier "re" takes a regular expression as text${w.kind === 'raw' ? '' : ' and must come first'}`);
  }
  try {
    checkRegex(w.value, { offset: 0, length: 0 });
  } catch (err) {
    if (err instanceof QueryError) {
      throw new RuleSyntaxError(construct, `${err.message}: ${JSON.stringify(w.value)}`);
    }
    throw err;
  }
  return { kind: 'regex', regex: w.value, flags: '' };
}

function cidrValue(w: Work, construct: string): Work {
  if (w.kind !== 'raw' || typeof w.value !== 'string') {
    throw new RuleSyntaxError(construct, 'modifier "cidr" takes a network range such as 10.0.0.0/8 and must come first');
  }
  const v6 = w.value.includes(':');
  try {
    const span = { offset: 0, length: 0 };
    return { kind: 'cidr', cidr: v6 ? checkCidr6(w.value, span) : checkCidr(w.value, span), v6 };
  } catch (err) {
    if (err instanceof QueryError) {
      throw new RuleSyntaxError(construct, err.message);
    }
    throw err;
  }
}

function finalValue(w: Work, cased: boolean): SigmaValue {
  if (w.kind === 'text') {
    return { kind: 'pattern', pattern: w.pattern, cased: w.cased };
  }
  if (w.kind !== 'raw') {
    return w;
  }
  if (w.value === null) {
    return { kind: 'null' };
  }
  if (typeof w.value === 'number') {
    return { kind: 'number', value: w.value };
  }
  return { kind: 'pattern', pattern: typeof w.value === 'string' ? parseSigmaString(w.value) : literal(String(w.value)), cased };
}

function describeWork(w: Work): string {
  switch (w.kind) {
    case 'raw':
      return w.value === null ? 'null' : typeof w.value === 'boolean' ? 'true/false' : typeof w.value;
    case 'compare':
      return 'a numeric comparison';
    default:
      return `a ${w.kind} value`;
  }
}
