import { Params } from './params';
import { termMatch } from './terms';

function compile(term: string, options = { caseSensitive: false, wildcards: false }, isRaw = true) {
  const params = new Params();
  return { sql: termMatch('raw', isRaw, term, options, params), params: params.values };
}

describe('term matching', () => {
  it('matches a word as a whole token, ignoring case', () => {
    expect(compile('AccessDenied')).toEqual({ sql: 'hasTokenCaseInsensitive(raw, {p1:String})', params: { p1: 'AccessDenied' } });
  });

  it('pre-filters the digits of an IP address through the text index, then checks the whole term', () => {
    const { sql, params } = compile('192.0.2.110');
    expect(sql).toBe('(hasAllTokens(raw, {p1:Array(String)}) AND match(raw, {p2:String}))');
    expect(params.p1).toEqual(['192', '0', '2', '110']);
    expect(new RegExp((params.p2 as string).replace('(?is)', ''), 'is').test('"ip":"192.0.2.110"')).toBe(true);
    expect(new RegExp((params.p2 as string).replace('(?is)', ''), 'is').test('"ip":"192.0.2.1100"')).toBe(false);
  });

  it('uses only the text index for a case-sensitive single token', () => {
    expect(compile('AccessDenied', { caseSensitive: true, wildcards: false })).toEqual({
      sql: 'hasAllTokens(raw, {p1:Array(String)})',
      params: { p1: ['AccessDenied'] },
    });
  });

  it('keeps tokens cut by a wildcard out of the pre-filter', () => {
    const { params } = compile('10.0.12*', { caseSensitive: false, wildcards: true });
    expect(params.p1).toEqual(['10', '0']);
  });

  it('needs no pre-filter off the raw column', () => {
    expect(compile('10.0.0.1', { caseSensitive: false, wildcards: false }, false).sql).toBe('match(raw, {p1:String})');
  });

  it('matches anything for a lone wildcard', () => {
    expect(compile('*', { caseSensitive: false, wildcards: true }).sql).toBe('true');
  });
});
