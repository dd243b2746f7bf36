import { blockToken, chunkToken, RowBlock } from './blocks';

const a = { bucket: 'logs', key: 'a.json.gz', etag: 'e1' };
const b = { bucket: 'logs', key: 'b.json.gz', etag: 'e2' };

describe('the token of a block of events', () => {
  it('is the same for the same objects, whatever else is around', () => {
    expect(blockToken([a, b])).toBe(blockToken([{ ...a }, { ...b }]));
  });

  it('differs when an object, its version, its bucket or the order differs', () => {
    const tokens = [
      blockToken([a, b]),
      blockToken([b, a]),
      blockToken([a]),
      blockToken([a, { ...b, etag: 'e3' }]),
      blockToken([a, { ...b, bucket: 'other' }]),
      blockToken([{ ...a, key: 'a.json.gzb.json.gz' }]),
    ];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('of a chunk, names the object, the chunk and the bounds it was cut with', () => {
    const bounds = { rows: 10, weight: 1000 };
    const tokens = [chunkToken(a, 0, bounds), chunkToken(a, 1, bounds), chunkToken(b, 0, bounds), chunkToken(a, 0, { ...bounds, rows: 11 }), blockToken([a])];
    expect(chunkToken(a, 1, { ...bounds })).toBe(tokens[1]);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('a block of rows', () => {
  it('fits rows up to its bounds in rows and in weight', () => {
    const block = new RowBlock({ rows: 3, weight: 100 });
    expect(block.fits(3, 100)).toBe(true);
    expect(block.fits(4, 1)).toBe(false);
    expect(block.fits(1, 101)).toBe(false);
  });
});
