/** Byte encodings a value can take before `base64`/`base64offset` (Sigma's utf16 modifiers). */
export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'utf16';

export function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  }
}

/**
 * The three forms the bytes take inside a longer base64 text, whatever their offset in it: each
 * encoding of the bytes shifted by 0, 1 or 2 bytes, without the leading and trailing characters
 * that depend on the unknown neighbours.
 */
export function base64Offsets(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = [0, 2, 3][shift];
    const tail = (bytes.length + shift) % 3;
    const end = encoded.length - [0, 3, 2][tail];
    forms.push(encoded.slice(start, end));
  }
  return forms;
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_WINDASH_FORMS = 256;

/**
 * Every spelling of a Windows command line's flags: each `-` or `/` that starts a flag (after
 * the start or a non-word character, before a word character) as `-`, `/`, en dash, em dash or
 * horizontal bar. Undefined when there would be more than 256 spellings.
 */
export function windashForms(text: string): string[] | undefined {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if ((text[i] === '-' || text[i] === '/') && (i === 0 || !/\w/.test(text[i - 1])) && /\w/.test(text[i + 1] ?? '')) {
      positions.push(i);
    }
  }
  if (DASHES.length ** positions.length > MAX_WINDASH_FORMS) {
    return undefined;
  }
  let forms = [text];
  for (const position of positions) {
    forms = forms.flatMap((form) => DASHES.map((dash) => form.slice(0, position) + dash + form.slice(position + 1)));
  }
  return forms;
}
