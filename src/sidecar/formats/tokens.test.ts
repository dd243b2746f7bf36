import { nameValues, splitFields } from './tokens';

describe('splitFields', () => {
  it('splits on spaces and unquotes double-quoted values', () => {
    expect(splitFields('a "b c" - "" d').values).toEqual(['a', 'b c', '-', '', 'd']);
  });

  it('unescapes \\" inside a quoted value', () => {
    expect(splitFields('"say \\"hi\\"" next').values).toEqual(['say "hi"', 'next']);
  });

  it('ends a quoted value at its closing quote even without a following space', () => {
    expect(splitFields('"-" "-"1 2018-07-02T22:22:48.364000Z').values).toEqual(['-', '-', '1', '2018-07-02T22:22:48.364000Z']);
  });

  it('keeps a list of quoted items as one value', () => {
    expect(splitFields('h2 "h2","http/1.1" 2020-04-01T08:51:20').values).toEqual(['h2', '"h2","http/1.1"', '2020-04-01T08:51:20']);
  });

  it('reads [bracketed] values only when asked', () => {
    expect(splitFields('x [06/Feb/2019:00:00:38 +0000] y', true).values).toEqual(['x', '06/Feb/2019:00:00:38 +0000', 'y']);
    expect(splitFields('x [06/Feb/2019:00:00:38 +0000] y').values).toEqual(['x', '[06/Feb/2019:00:00:38', '+0000]', 'y']);
  });

  it('reports a quote that is never closed', () => {
    const { values, problem } = splitFields('a "b c');
    expect(values).toEqual(['a', 'b c']);
    expect(problem).toBe('value 2 opens a quote at column 3 that is never closed');
  });
});

describe('nameValues', () => {
  it('names values in order and keeps extra values by position', () => {
    expect(nameValues(['a', 'b'], ['1', '2', '3'])).toEqual({ a: '1', b: '2', field_3: '3' });
  });
});
