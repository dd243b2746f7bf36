import { base64Offsets, windashForms } from './encodings';
import { parseSigmaString, patternCondition, textOf } from './strings';

describe('Sigma strings', () => {
  it.each([
    ['plain', [{ kind: 'text', text: 'plain' }]],
    ['a*b?c', [{ kind: 'text', text: 'a' }, { kind: 'any' }, { kind: 'text', text: 'b' }, { kind: 'one' }, { kind: 'text', text: 'c' }]],
    ['a**b', [{ kind: 'text', text: 'a' }, { kind: 'any' }, { kind: 'text', text: 'b' }]],
    ['\\*\\?', [{ kind: 'text', text: '*?' }]],
    ['C:\\Windows', [{ kind: 'text', text: 'C:\\Windows' }]],
    ['C:\\\\Windows', [{ kind: 'text', text: 'C:\\Windows' }]],
    ['dir\\\\*', [{ kind: 'text', text: 'dir\\' }, { kind: 'any' }]],
    ['dir\\\\\\*', [{ kind: 'text', text: 'dir\\*' }]],
    ['\\\\\\\\', [{ kind: 'text', text: '\\\\' }]],
    ['\\\\\\', [{ kind: 'text', text: '\\\\' }]],
    ['end\\', [{ kind: 'text', text: 'end\\' }]],
    ['', []],
  ])('reads %j with the specification escapes', (value, pattern) => {
    expect(parseSigmaString(value)).toEqual(pattern);
  });

  it('picks the cheapest operator for a pattern', () => {
    const cases: Array<[string, boolean, string]> = [
      ['Root', false, 'f =~ "Root"'],
      ['Root', true, 'f == "Root"'],
      ['*evil*', false, 'f contains "evil"'],
      ['*evil*', true, 'f contains_cs "evil"'],
      ['adm*', false, 'f startswith "adm"'],
      ['*.exe', false, 'f endswith ".exe"'],
      ['*', false, 'isnotempty(f)'],
      ['', false, 'isempty(f)'],
      ['a*b', false, 'f matches regex "(?is)^a.*b$"'],
      ['a?b.c', true, 'f matches regex "(?s)^a.b\\\\.c$"'],
    ];
    for (const [value, cased, expected] of cases) {
      expect(patternCondition('f', parseSigmaString(value), cased)).toBe(expected);
    }
    expect(textOf(parseSigmaString('a\\*b*'))).toBe('a*b*');
  });
});

describe('encodings', () => {
  it('base64offset: one of the three forms is in the encoding of any text around the value', () => {
    for (const value of ['/bin/bash', 'sh -i', 'ab', 'xyzw1']) {
      const forms = base64Offsets(Buffer.from(value));
      for (const before of ['', 'a', 'ab', 'abc', 'abcd']) {
        for (const after of ['', 'z', 'zy', 'zyx']) {
          const encoded = Buffer.from(before + value + after).toString('base64');
          expect(forms.some((form) => encoded.includes(form))).toBe(true);
        }
      }
      expect(forms.some((form) => Buffer.from('unrelated text here').toString('base64').includes(form))).toBe(false);
    }
  });

  it('windash: every dash that starts a flag, spelled five ways', () => {
    expect(windashForms('net user -add')).toEqual(['net user -add', 'net user /add', 'net user \u2013add', 'net user \u2014add', 'net user \u2015add']);
    expect(windashForms('a-b')).toEqual(['a-b']);
    expect(windashForms('x -a -b')).toHaveLength(25);
    expect(windashForms('-a -b -c -d')).toBeUndefined();
  });
});
