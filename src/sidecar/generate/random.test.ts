import { Random, seedOf, Weighted } from './random';

describe('Random', () => {
  it('gives the same sequence for the same seed, another for another seed', () => {
    const draw = (seed: number | string) => {
      const r = new Random(seed);
      return Array.from({ length: 20 }, () => r.u32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw('7')).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
    expect(draw(seedOf(7, 'a', 1))).not.toEqual(draw(seedOf(7, 'a', 2)));
  });

  it('draws floats in [0, 1) and integers within their bounds, covering them', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = r.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('writes hex strings, UUIDs and strings from an alphabet of the asked length', () => {
    const r = new Random(2);
    expect(r.hex(17)).toMatch(/^[0-9a-f]{17}$/);
    expect(r.hex(32)).toMatch(/^[0-9a-f]{32}$/);
    expect(r.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(r.chars(16, 'AB')).toMatch(/^[AB]{16}$/);
  });

  it('picks weighted items in proportion to their weights', () => {
    const r = new Random(3);
    const w = new Weighted([
      ['a', 1],
      ['b', 3],
      ['c', 0],
    ] as const);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 40_000; i++) {
      counts[w.pick(r)]++;
    }
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
  });
});
