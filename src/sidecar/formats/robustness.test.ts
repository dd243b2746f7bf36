import { chunksOf, objectInfo, parseAll } from './parseAll';
import { FORMATS } from './registry';

/** Deterministic bytes that are not any log format: binary noise, broken quoting, broken JSON. */
function garbage(): Buffer[] {
  let seed = 42;
  const noise = Buffer.alloc(20_000);
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    noise[i] = seed >>> 24;
  }
  return [
    noise,
    Buffer.from('"unterminated quote\n[unterminated bracket\n{"json": [1, 2\n}}}]]]\n\\\\\\\n\n\t \n'),
    Buffer.from('{"Records":[{"eventTime":"2024-01-01T00:00:00Z"},'),
    Buffer.from(`${'a '.repeat(200)}\n${'-'.repeat(5000)}\nversion srcaddr\n1 2 3\n#Fields: date time\nx\ty\n`),
    Buffer.from('PAR1'),
  ];
}

describe('every parser on content that is not its format', () => {
  it.each(FORMATS.map((f) => [f.type, f] as const))('%s yields events or malformed records, never throws, never a bad value', async (_type, format) => {
    for (const data of garbage()) {
      for (const size of [3, 4096]) {
        const { events, malformed } = await parseAll(
          format,
          chunksOf(data, size),
          objectInfo('AWSLogs/123456789012/x/us-east-1/2024/01/01/x_20240101T0000Z_x.log')
        );
        for (const e of events) {
          expect(e.time === null || Number.isFinite(e.time)).toBe(true);
          for (const port of [e.srcPort, e.dstPort]) {
            expect(port === undefined || port === null || (Number.isInteger(port) && port >= 0 && port <= 65535)).toBe(true);
          }
          expect(e.bytes === undefined || e.bytes === null || (Number.isSafeInteger(e.bytes) && e.bytes >= 0)).toBe(true);
          expect(typeof e.raw).toBe('string');
        }
        for (const m of malformed) {
          expect(m.record).toBeGreaterThan(0);
          expect(m.reason.length).toBeGreaterThan(0);
          expect(m.sample.length).toBeLessThanOrEqual(301);
        }
      }
    }
  });
});
