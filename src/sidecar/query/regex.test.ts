import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryError } from './errors';
import { checkRegex } from './regex';
import { openTestStore, type TestStore } from './testing';

// The checker must agree with the RE2 inside ClickHouse: what it accepts compiles there, what
// it refuses does not, and its group count is the engine's. Checked on chDB itself.

const SPAN = { offset: 0, length: 1 };

const PATTERNS = [
  // accepted by RE2
  '',
  'abc',
  'a|b|',
  '(a)(b)',
  '(?:a)',
  '(?P<name>a)',
  '(?<name>a)',
  '(?<é>a)',
  '(?i)abc',
  '(?i:a)b',
  '(?-s:.)',
  '(?i-m)a',
  '(?U)a*',
  '(?)a',
  'a*',
  'a+?',
  'a??',
  'a{2}',
  'a{2,}',
  'a{2,5}?',
  'a{1000}',
  '(a{10}){100}',
  'a{,5}',
  '{',
  'a{',
  'a{01}',
  '^*',
  '\\b*',
  '()',
  '[abc]',
  '[^abc]',
  '[a-z0-9_]',
  '[]a]',
  '[^]a]',
  '[a-]',
  '[-a]',
  '[a-b-c]',
  '[\\d-z]',
  '[[:alpha:]]',
  '[[:^alpha:]]',
  '[[:alpha:]-z]',
  '[[:word:]]',
  '[\\]]',
  '[\\x41-\\x5A]',
  '\\d\\D\\s\\S\\w\\W',
  '\\pL',
  '\\pN',
  '\\p{Greek}',
  '\\p{^Greek}',
  '\\PL',
  '\\P{Lu}',
  '\\p{Any}',
  '\\Q.*+\\E',
  '\\Q(',
  '\\A\\z',
  '\\C',
  '\\x41',
  '\\x{10FFFF}',
  '\\0',
  '\\08',
  '\\12',
  '\\123',
  '\\.',
  '\\_',
  '\\-',
  '\\n\\t\\r\\f\\v\\a',
  '😀+',
  '[😀-😃]',
  '(?s)^.*$',
  // refused by RE2
  '(',
  ')',
  'a)',
  '(?:a',
  '[a',
  '[^',
  '[]',
  'a**',
  'a*??',
  '*a',
  'a|*',
  '(*)',
  '(?i)*',
  'x{2}{3}',
  'x{0}{2}',
  'a{1001}',
  'a{2,1}',
  'a{100000000}',
  '(a{100}){100}',
  '((a{10}){10}){11}',
  '(?=a)',
  '(?!a)',
  '(?<=a)',
  '(?<!a)',
  '(?P=name)',
  '(?P>name)',
  '(?P<n-1>a)',
  '(?P<>a)',
  '(?#comment)',
  '(?x)a',
  '(?i-)a',
  '(?-)a',
  '(?--i)a',
  '\\1',
  '(a)\\1',
  '\\8',
  '\\k<a>',
  '\\g1',
  '\\Z',
  '\\e',
  '\\E',
  '\\x4',
  '\\xZZ',
  '\\x{110000}',
  '\\x{}',
  '\\p{foo}',
  '\\p{Greek',
  '\\',
  '[z-a]',
  '[a-\\d]',
  '[\\b]',
  '[\\Q]\\E]',
  '[[:foo:]]',
  '[[:a]b:]]',
];

describe('the RE2 syntax check', () => {
  let db: TestStore;

  beforeAll(async () => {
    db = await openTestStore(false);
  });
  afterAll(() => db.close());

  // match() takes some patterns RE2 refuses (`a)`, a trailing `\`) as text without compiling
  // them; replaceRegexpAll always compiles its pattern with RE2.
  async function engineGroups(pattern: string): Promise<number | undefined> {
    try {
      await db.store.query("SELECT replaceRegexpAll('', {p:String}, '') AS m", { p: pattern });
    } catch {
      return undefined;
    }
    // regexpExtract refuses a group index beyond the pattern's groups, whatever the text.
    for (let groups = 0; ; groups++) {
      try {
        await db.store.query("SELECT regexpExtract('', {p:String}, {g:UInt32}) AS m", { p: pattern, g: groups + 1 });
      } catch {
        return groups;
      }
    }
  }

  it.each(PATTERNS.map((p) => [p]))('agrees with ClickHouse on %s', async (pattern) => {
    const expected = await engineGroups(pattern);
    let groups: number | undefined;
    try {
      groups = checkRegex(pattern, SPAN);
    } catch (err) {
      expect(err).toBeInstanceOf(QueryError);
      expect((err as QueryError).message).toMatch(/^invalid regular expression: .* \(RE2 syntax\)$/);
    }
    expect(groups).toBe(expected);
  });

  it('explains lookarounds, backreferences and where a group is left open', () => {
    expect(() => checkRegex('a(?<=b)', SPAN)).toThrow('lookaround assertions such as (?<= are not supported');
    expect(() => checkRegex('(a)\\1', SPAN)).toThrow('backreferences such as \\1 are not supported');
    expect(() => checkRegex('ab(c', SPAN)).toThrow('missing closing ) for the ( at character 3');
  });

  it('takes time linear in the pattern, where a backtracking engine takes exponential', () => {
    // `(?:|)` repeated n times then `b` made the former check run 2^n steps: 2 s at n = 25.
    const report = `${'(?:|)'.repeat(27)}b`;
    const longest = `${'(?:|)'.repeat(20_000)}b`;
    for (const pattern of [report, longest, `${'(a*)*'.repeat(10_000)}$`, `${'[[:'.repeat(30_000)}]`, '('.repeat(1000) + ')'.repeat(1000)]) {
      // CPU time, which a busy machine does not stretch as it does the wall clock.
      const started = process.cpuUsage();
      try {
        checkRegex(pattern, SPAN);
      } catch (err) {
        expect(err).toBeInstanceOf(QueryError);
      }
      const used = process.cpuUsage(started);
      expect((used.user + used.system) / 1000).toBeLessThan(1000);
    }
  });

  it('is the only kind of regular expression made from input: no sidecar code builds a RegExp at run time', () => {
    const root = join(__dirname, '..');
    const sources = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const offenders = sources.filter((f) => /\bRegExp\s*\(/.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
