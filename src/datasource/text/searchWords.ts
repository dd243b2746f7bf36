import { scanQuery } from './scan';

const TERM_OPERATORS = /(?:^|[\s(])(?:has|has_cs|contains|contains_cs|startswith|startswith_cs|endswith|endswith_cs)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g;
const SEARCH_TOKENS = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s()]+/g;
const CONNECTIVES = new Set(['and', 'or', 'not']);

function unquote(literal: string): string {
  const inner = literal.slice(1, -1);
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

function searchTerm(token: string): string | undefined {
  if (token.startsWith('"') || token.startsWith("'")) {
    return unquote(token);
  }
  if (CONNECTIVES.has(token.toLowerCase()) || /^kind=/i.test(token) || /^[<>=!]/.test(token)) {
    return undefined;
  }
  const colon = /^[A-Za-z_][\w.@-]*:(.+)$/.exec(token);
  const value = colon ? colon[1] : token;
  const plain = (value.startsWith('"') || value.startsWith("'") ? unquote(value) : value).replace(/\*/g, '');
  return plain.length > 0 && !/^\d+$/.test(plain) ? plain : undefined;
}

/** Words to highlight in log lines: the terms of `search` stages and of has / contains conditions. */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  for (const match of text.matchAll(TERM_OPERATORS)) {
    words.add(unquote(match[1]));
  }
  const scan = scanQuery(text);
  const starts = [{ offset: scan.pipelineStart - 1, stage: scan.source }, ...scan.pipes];
  starts.forEach((start, i) => {
    if (start.stage !== 'search') {
      return;
    }
    const end = starts[i + 1]?.offset ?? text.length;
    const body = text.slice(start.offset + 1, end).replace(/^\s*\|?\s*search\b/i, '');
    for (const token of body.match(SEARCH_TOKENS) ?? []) {
      const term = searchTerm(token);
      if (term) {
        words.add(term);
      }
    }
  });
  return [...words].filter((w) => w.trim().length > 0);
}
