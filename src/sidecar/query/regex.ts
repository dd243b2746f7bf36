import { QueryError, type Span } from './errors';

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/\(\?<?[=!]/, 'lookaround assertions'],
  [/\\[1-9]|\\k</, 'backreferences'],
];

/**
 * Checks a regular expression before it reaches ClickHouse (RE2), so a bad one is a query
 * error with a position rather than an engine failure; returns the number of capture groups.
 */
export function checkRegex(pattern: string, span: Span): number {
  for (const [test, what] of UNSUPPORTED) {
    if (test.test(pattern)) {
      throw new QueryError(`invalid regular expression: ${what} are not supported (RE2 syntax)`, span);
    }
  }
  const asJs = pattern.replace(/^(\(\?[imsU]+\))+/, '').replace(/\(\?P</g, '(?<');
  try {
    const groups = new RegExp(`${asJs}|`).exec('');
    return groups ? groups.length - 1 : 0;
  } catch (err) {
    const reason = (err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new QueryError(`invalid regular expression: ${reason}`, span);
  }
}
