import { RuleSyntaxError } from '../errors';
import { and, not, or, type Logic } from '../logic';

/** A parsed Sigma condition. */
export type Condition =
  | { kind: 'id'; name: string }
  | { kind: 'of'; all: boolean; pattern: string }
  | { kind: 'not'; operand: Condition }
  | { kind: 'and' | 'or'; operands: Condition[] };

interface Token {
  text: string;
  at: number;
}

const TOKEN = /\s*(\(|\)|\||[^\s()|]+)/y;
const MAX_DEPTH = 50;
const MAX_LENGTH = 10_000;

/**
 * Parses a condition: search identifiers, `and`, `or`, `not`, parentheses, `1 of` / `any of` /
 * `all of` an identifier pattern (`*` wildcards) or `them`. Precedence, loosest first: or, and,
 * not, x of, parentheses.
 */
export function parseCondition(text: string, construct: string): Condition {
  if (text.length > MAX_LENGTH) {
    throw new RuleSyntaxError(construct, `the condition is longer than ${MAX_LENGTH} characters`);
  }
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (match = TOKEN.exec(text)) !== null) {
    tokens.push({ text: match[1], at: match.index + match[0].length - match[1].length });
  }
  if (text.slice(TOKEN.lastIndex).trim() !== '') {
    throw new RuleSyntaxError(construct, `cannot read the condition at "${text.slice(TOKEN.lastIndex)}"`);
  }
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos]?.text.toLowerCase();
  const fail = (message: string): never => {
    const at = tokens[pos] ? `at character ${tokens[pos].at + 1} ("${tokens[pos].text}")` : 'at its end';
    throw new RuleSyntaxError(construct, `${at}: ${message}`);
  };

  const or = (): Condition => {
    const operands = [and()];
    while (peek() === 'or') {
      pos++;
      operands.push(and());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  };
  const and = (): Condition => {
    const operands = [not()];
    while (peek() === 'and') {
      pos++;
      operands.push(not());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  };
  const not = (): Condition => {
    if (peek() === 'not') {
      pos++;
      if (++depth > MAX_DEPTH) {
        fail(`the condition nests deeper than ${MAX_DEPTH} levels`);
      }
      const operand = not();
      depth--;
      return { kind: 'not', operand };
    }
    return primary();
  };
  const primary = (): Condition => {
    const token = tokens[pos];
    if (!token) {
      return fail('expected a search identifier, "not", "(" or "1 of"');
    }
    const word = token.text.toLowerCase();
    if (word === '(') {
      if (++depth > MAX_DEPTH) {
        fail(`the condition nests deeper than ${MAX_DEPTH} levels`);
      }
      pos++;
      const inner = or();
      if (peek() !== ')') {
        fail('expected ")"');
      }
      pos++;
      depth--;
      return inner;
    }
    if (word === '|') {
      return fail('aggregations after "|" (Sigma 1 count() and near) are not supported: write a correlation rule');
    }
    if (tokens[pos + 1]?.text.toLowerCase() === 'of') {
      if (word !== '1' && word !== 'any' && word !== 'all') {
        fail(`"${token.text} of" is not Sigma: use "1 of" or "all of"`);
      }
      pos += 2;
      const target = tokens[pos];
      if (!target || !/^[\w*.-]+$/.test(target.text)) {
        fail('expected a search identifier pattern or "them" after "of"');
      }
      pos++;
      return { kind: 'of', all: word === 'all', pattern: target.text };
    }
    if (['and', 'or', ')', 'of'].includes(word)) {
      return fail('expected a search identifier, "not", "(" or "1 of"');
    }
    if (!/^[\w.-]+$/.test(token.text)) {
      return fail('a search identifier holds letters, digits, "_", "-" and "."');
    }
    pos++;
    return { kind: 'id', name: token.text };
  };

  if (tokens.length === 0) {
    throw new RuleSyntaxError(construct, 'the condition is empty');
  }
  const condition = or();
  if (pos < tokens.length) {
    fail(
      tokens[pos].text === '|'
        ? 'aggregations after "|" (Sigma 1 count() and near) are not supported: write a correlation rule'
        : 'expected "and", "or" or the end'
    );
  }
  return condition;
}

/** Search identifiers a pattern of `1 of` / `all of` names: `them` is every one not starting with `_`. */
export function identifiersOf(pattern: string, identifiers: string[]): string[] {
  if (pattern.toLowerCase() === 'them') {
    return identifiers.filter((name) => !name.startsWith('_'));
  }
  return identifiers.filter((name) => globMatches(pattern, name));
}

/** `*` matches any run of characters; everything else itself. Linear in practice: only the last `*` is ever backtracked to. */
function globMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') {
    p++;
  }
  return p === pattern.length;
}

/** The condition as a condition of the language, given each search identifier's. */
export function conditionLogic(condition: Condition, predicates: ReadonlyMap<string, Logic>, construct: string): Logic {
  const names = [...predicates.keys()];
  const build = (c: Condition): Logic => {
    switch (c.kind) {
      case 'id': {
        const predicate = predicates.get(c.name);
        if (predicate === undefined) {
          throw new RuleSyntaxError(construct, `"${c.name}" is not a search identifier of the detection (it has ${names.map((n) => `"${n}"`).join(', ')})`);
        }
        return predicate;
      }
      case 'of': {
        const matched = identifiersOf(c.pattern, names);
        if (matched.length === 0) {
          throw new RuleSyntaxError(construct, `"${c.all ? 'all' : '1'} of ${c.pattern}" matches no search identifier`);
        }
        const parts = matched.map((name) => predicates.get(name) as Logic);
        return c.all ? and(parts) : or(parts);
      }
      case 'not':
        return not(build(c.operand));
      case 'and':
        return and(c.operands.map(build));
      case 'or':
        return or(c.operands.map(build));
    }
  };
  return build(condition);
}
