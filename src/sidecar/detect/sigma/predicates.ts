import { and, not, or, test, type Logic } from '../logic';
import { numberLiteral, quote } from '../quote';
import { patternCondition, anchored, type Pattern } from './strings';
import type { SigmaValue, ValueTest } from './values';

/** Where a Sigma field is read. */
export interface FieldTarget {
  /** The original field, as a language expression (`fields["userIdentity.type"]`). */
  original: string;
  /** The condition that the event has the field (whatever its value). */
  exists: string;
}

export type FieldResolver = (field: string) => FieldTarget;

/** The text a keyword search looks in. */
const EVENT_TEXT = 'raw';

/** One value test as a condition of the language. */
export function testCondition(valueTest: ValueTest, resolve: FieldResolver, construct: string): Logic {
  const { field } = valueTest;
  const list = field === null || valueTest.all ? undefined : literalList(valueTest.values);
  if (list) {
    const joined = test(`${resolve(field as string).original} ${list.cased ? 'in' : 'in~'} (${list.texts.map(quote).join(', ')})`);
    return valueTest.negated ? not(joined) : joined;
  }
  const parts = valueTest.values.map((value) =>
    field === null ? test(keywordCondition(value, construct)) : fieldCondition(resolve(field), value, resolve, construct)
  );
  const joined = valueTest.all ? and(parts) : or(parts);
  return valueTest.negated ? not(joined) : joined;
}

/** Several whole texts, all cased or all not: one `in` / `in~` list. */
function literalList(values: SigmaValue[]): { texts: string[]; cased: boolean } | undefined {
  if (values.length < 2) {
    return undefined;
  }
  const texts: string[] = [];
  for (const value of values) {
    if (
      value.kind !== 'pattern' ||
      value.cased !== (values[0] as { cased?: boolean }).cased ||
      value.pattern.length !== 1 ||
      value.pattern[0].kind !== 'text'
    ) {
      return undefined;
    }
    texts.push(value.pattern[0].text);
  }
  return { texts, cased: (values[0] as { cased: boolean }).cased };
}

function fieldCondition(target: FieldTarget, value: SigmaValue, resolve: FieldResolver, construct: string): Logic {
  const on = (expr: string) => valueCondition(expr, value, resolve, construct);
  switch (value.kind) {
    case 'exists': {
      const has = test(target.exists);
      return value.present ? has : not(has);
    }
    case 'null':
      return test(`isempty(${target.original})`);
    default:
      return on(target.original);
  }
}

function valueCondition(target: string, value: SigmaValue, resolve: FieldResolver, construct: string): Logic {
  switch (value.kind) {
    case 'pattern':
      return test(patternCondition(target, value.pattern, value.cased));
    case 'number':
      return test(`${target} == ${numberLiteral(value.value, construct)}`);
    case 'compare':
      return test(`${target} ${value.op} ${numberLiteral(value.value, construct)}`);
    case 'regex':
      return test(`${target} matches regex ${quote(sigmaRegex(value.regex, value.flags))}`);
    case 'cidr':
      return test(`${value.v6 ? 'ipv6_is_in_range' : 'ipv4_is_in_range'}(${target}, ${quote(value.cidr)})`);
    case 'fieldref': {
      // Two missing fields are not equal, and a missing one is in no text: the other must be set.
      const other = resolve(value.field).original;
      const cs = value.cased ? '_cs' : '';
      const op = { whole: value.cased ? '==' : '=~', anywhere: `contains${cs}`, start: `startswith${cs}`, end: `endswith${cs}` }[value.anchor];
      return and([test(`isnotempty(${other})`), test(`${target} ${op} ${other}`)]);
    }
    case 'exists':
    case 'null':
      break;
  }
  throw new Error(`unreachable: ${value.kind}`);
}

/** A keyword: the value anywhere in the event's text. */
function keywordCondition(value: SigmaValue, construct: string): string {
  switch (value.kind) {
    case 'pattern':
      return patternCondition(EVENT_TEXT, anchored(value.pattern, true, true), value.cased);
    case 'number':
      return patternCondition(EVENT_TEXT, anchored([{ kind: 'text', text: numberLiteral(value.value, construct) }] as Pattern, true, true), false);
    case 'regex':
      return `${EVENT_TEXT} matches regex ${quote(sigmaRegex(value.regex, value.flags))}`;
    default:
      throw new Error(`unreachable: keyword ${value.kind}`);
  }
}

/**
 * A Sigma regular expression as the engine must see it: its flags up front, and, without the s
 * flag, every `.` outside a character class kept from newlines (ClickHouse lets `.` match them).
 */
export function sigmaRegex(regex: string, flags: string): string {
  const body = flags.includes('s') ? regex : singleLineDots(regex);
  return flags ? `(?${[...flags].sort().join('')})${body}` : body;
}

function singleLineDots(regex: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < regex.length; i++) {
    const c = regex[i];
    if (c === '\\') {
      out += c + (regex[i + 1] ?? '');
      i++;
    } else if (inClass) {
      inClass = c !== ']';
      out += c;
    } else if (c === '[') {
      inClass = true;
      const start = /^\[\^?\]?/.exec(regex.slice(i))?.[0] ?? '[';
      out += start;
      i += start.length - 1;
    } else {
      out += c === '.' ? '[^\\n]' : c;
    }
  }
  return out;
}
