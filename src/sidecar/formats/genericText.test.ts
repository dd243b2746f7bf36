import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genericText, keyValuePairs, looksLikeText } from './genericText';
import { chunksOf, objectInfo, parseAll } from './parseAll';
import { timeInText } from './times';

const KEY = 'hosts/bastion/2024/05/01/messages.log';
const sample = readFileSync(join(__dirname, 'testdata', 'generic-text.log'));

describe('generic text lines', () => {
  it('makes one event per non-blank line and parses the time each line carries', async () => {
    const { events, malformed } = await parseAll(genericText, chunksOf(sample, 13), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events.map((e) => [e.time === null ? null : new Date(e.time).toISOString(), e.severity])).toEqual([
      ['2024-05-01T10:00:00.000Z', 'info'],
      ['2024-05-01T10:00:01.250Z', 'error'],
      ['2024-05-01T10:00:02.000Z', 'info'],
      ['2024-05-01T10:00:03.000Z', 'info'],
      ['2024-05-01T10:00:04.000Z', 'warning'],
      [null, 'info'],
    ]);
    expect(events[2].raw).toBe('May  1 10:00:02 bastion sshd[4242]: Failed password for invalid user admin from 203.0.113.8 port 52113 ssh2');
    expect(events[4]).toMatchObject({ actor: 'bob', srcIp: '10.1.2.3' });
    expect(events[4].fields).toEqual({ time: '2024-05-01T10:00:04Z', level: 'warn', user: 'bob', src_ip: '10.1.2.3', msg: 'disk "data" almost full' });
    expect(events[0].fields).toEqual({});
  });

  it('gives syslog times the year of the object, or the year before when that would be in the future', () => {
    expect(new Date(timeInText('Dec 31 23:59:59 host x', Date.UTC(2024, 0, 1, 0, 5))).toISOString()).toBe('2023-12-31T23:59:59.000Z');
    expect(new Date(timeInText('Jan  1 00:01:00 host x', Date.UTC(2024, 0, 1, 0, 5))).toISOString()).toBe('2024-01-01T00:01:00.000Z');
  });

  it('reads logfmt pairs only from lines that have several', () => {
    expect(keyValuePairs('a=1 b="two words"')).toEqual({ a: '1', b: 'two words' });
    expect(keyValuePairs('x = y, where a=1')).toEqual({});
  });

  it('recognises printable text and refuses binary content', () => {
    expect(looksLikeText('plain text\twith tabs\r\n')).toBe(true);
    expect(looksLikeText('PAR1\u0000\u0015\u0004')).toBe(false);
    expect(looksLikeText('\u0001\u0002\u0003\u0004 mostly control')).toBe(false);
    expect(genericText.matchesKey(KEY)).toBe(false);
  });
});
