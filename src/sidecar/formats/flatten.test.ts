import { flatten } from './flatten';

describe('flatten', () => {
  it('names every value by its dotted path, arrays and nulls kept as text, in the order of the record', () => {
    const record = JSON.parse(
      '{"eventName":"AssumeRole","userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/a"}}},"resources":[{"ARN":"x"}],"errorCode":null,"readOnly":false}'
    ) as unknown;
    expect(Object.entries(flatten(record))).toEqual([
      ['eventName', 'AssumeRole'],
      ['userIdentity.type', 'AssumedRole'],
      ['userIdentity.sessionContext.sessionIssuer.arn', 'arn:aws:iam::1:role/a'],
      ['resources', '[{"ARN":"x"}]'],
      ['errorCode', ''],
      ['readOnly', 'false'],
    ]);
  });

  it('keeps objects deeper than six levels whole, and clips long values', () => {
    const deep = { a: { b: { c: { d: { e: { f: { g: 'h' } } } } } }, long: 'x'.repeat(10_000) };
    const fields = flatten(deep);
    expect(fields['a.b.c.d.e.f']).toBe('{"g":"h"}');
    expect(fields.long).toHaveLength(8192);
  });

  it('gives the same paths once more distinct ones have passed through than it keeps for reuse', () => {
    const many = (round: number) => Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`k${i}`, { [`${'n'.repeat(i % 300)}${round}`]: i }]));
    for (const round of [1, 2]) {
      const fields = flatten({ top: many(round) });
      expect(Object.keys(fields)).toHaveLength(12_000);
      expect(fields[`top.k11999.${'n'.repeat(11_999 % 300)}${round}`]).toBe('11999');
      expect(fields[`top.k7.nnnnnnn${round}`]).toBe('7');
    }
  });
});
