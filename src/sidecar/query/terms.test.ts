import { FieldSnapshot } from './catalog';
import { compileQuery } from './compiler';
import { Params } from './params';
import { termMatch } from './terms';
import { FIXTURE_RANGE, fixtureRows, openTestStore, type TestStore } from './testing';

function compile(term: string, options = { caseSensitive: false, wildcards: false }, isRaw = true) {
  const params = new Params();
  return { sql: termMatch('raw', isRaw, term, options, params), params: params.values };
}

describe('term matching', () => {
  it('matches a word in any case through the text index over the lower-cased raw', () => {
    expect(compile('AccessDenied')).toEqual({ sql: 'hasToken(lower(raw), {p1:String})', params: { p1: 'accessdenied' } });
  });

  it('pre-filters the digits of an IP address through the text index, then checks the whole term', () => {
    const { sql, params } = compile('192.0.2.110');
    expect(sql).toBe('(hasAllTokens(lower(raw), {p1:Array(String)}) AND match(raw, {p2:String}))');
    expect(params.p1).toEqual(['192', '0', '2', '110']);
    expect(new RegExp((params.p2 as string).replace('(?is)', ''), 'is').test('"ip":"192.0.2.110"')).toBe(true);
    expect(new RegExp((params.p2 as string).replace('(?is)', ''), 'is').test('"ip":"192.0.2.1100"')).toBe(false);
  });

  it('pre-filters a case-sensitive word through the lower-cased index, then checks its case on raw', () => {
    expect(compile('AccessDenied', { caseSensitive: true, wildcards: false })).toEqual({
      sql: '(hasAllTokens(lower(raw), {p1:Array(String)}) AND hasToken(raw, {p2:String}))',
      params: { p1: ['accessdenied'], p2: 'AccessDenied' },
    });
  });

  it('pre-filters a phrase in any case by its words that have no case variant outside ASCII', () => {
    // A case-insensitive regex also matches "k" as the Kelvin sign and "s" as the long s, which lower() keeps.
    expect(compile('Kelvin@Example.COM').params.p1).toEqual(['example', 'com']);
    expect(compile('Ärger im Büro').params.p1).toEqual(['im']);
  });

  it('keeps tokens cut by a wildcard out of the pre-filter', () => {
    const { params } = compile('10.0.12*', { caseSensitive: false, wildcards: true });
    expect(params.p1).toEqual(['10', '0']);
  });

  it('needs no pre-filter off the raw column', () => {
    expect(compile('10.0.0.1', { caseSensitive: false, wildcards: false }, false).sql).toBe('match(raw, {p1:String})');
    expect(compile('AccessDenied', { caseSensitive: false, wildcards: false }, false).sql).toBe('hasTokenCaseInsensitive(raw, {p1:String})');
  });

  it('matches anything for a lone wildcard', () => {
    expect(compile('*', { caseSensitive: false, wildcards: true }).sql).toBe('true');
  });
});

describe('term matching on the store', () => {
  const KELVIN = '\u212a';
  const LONG_S = '\u017f';
  const texts = [
    'user AccessDenied by bob@example.com',
    'ACCESSDENIED from 192.0.2.110',
    'accessdenied2 and x-accessdenied-y',
    `${KELVIN}elvin and ${LONG_S}ystem at Bob@Example.COM`,
    'kelvin and SYSTEM, Ärger im Büro',
    'ärger IM büro; 192.0.2.1100',
    'AccessDeniedException',
  ];
  let db: TestStore;

  beforeAll(async () => {
    db = await openTestStore(false);
    const base = fixtureRows()[0];
    await db.store.insertEvents(
      texts.map((raw, i) => ({ ...base, key: `terms/${i}`, record_index: i, raw })),
      'terms'
    );
  }, 60_000);
  afterAll(() => db?.close());

  const keysWhere = async (condition: string, params: Record<string, unknown>) => {
    const { rows } = await db.store.query<{ key: string }>(`SELECT key FROM events WHERE ${condition} ORDER BY key`, params);
    return rows.map((r) => r.key);
  };

  // What each term matched before the text index held lower-cased words: hasTokenCaseInsensitive or
  // a case-insensitive regex on raw, which the compiled form must match exactly.
  it.each([
    ['AccessDenied', false],
    ['accessDENIED', false],
    ['kelvin', false],
    ['kelvin and', false],
    ['system at', false],
    ['system', false],
    ['bob@example.com', false],
    ['ärger im büro', false],
    ['ÄRGER', false],
    ['büro', false],
    ['192.0.2.110', false],
    ['Access*', true],
    ['AccessDenied', true],
    ['Bob@Example.COM', true],
  ])('finds the same events for %s (case-sensitive: %s) as the unindexed check', async (term, caseSensitive) => {
    const params = new Params();
    const compiled = termMatch('raw', true, term, { caseSensitive, wildcards: true }, params);
    const reference = new Params();
    const unindexed = termMatch('raw', false, term, { caseSensitive, wildcards: true }, reference);
    const expected = await keysWhere(unindexed, reference.values);
    expect(await keysWhere(compiled, params.values)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('answers a word in any case from the text index', async () => {
    const { sql, params } = compileQuery('search AccessDenied | count', {
      from: Date.parse(FIXTURE_RANGE.from),
      to: Date.parse(FIXTURE_RANGE.to),
      maxRows: 100,
      fields: new FieldSnapshot(new Map(), 0),
    });
    const { rows } = await db.store.query<{ explain: string }>(`EXPLAIN indexes = 1 ${sql}`, params);
    const plan = rows.map((r) => r.explain).join('\n');
    expect(plan).toMatch(/Name: raw_lower_text\n\s*Description: text[^\n]*\n\s*Condition: \(mode: All; tokens: \["accessdenied"\]\)/);
  });
});
