/** A `$name` or `${name}` reference outside strings and comments. */
export interface VariableRef {
  name: string;
  start: number;
  end: number;
  /** Written `${name}` or `${name:format}`. */
  braced: boolean;
}

/** A `|` between stages of the query's pipeline. */
export interface PipeRef {
  offset: number;
  /** The stage keyword after it, lower case (`where`, `project-away`, ...). */
  stage: string;
}

export interface ScannedQuery {
  variables: VariableRef[];
  /** Top-level pipes of the final pipeline (after the last `let ...;`). */
  pipes: PipeRef[];
  /** Where the final pipeline starts. */
  pipelineStart: number;
  /** Its first word: a table name or `search`. */
  source: string;
}

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c);

function skipString(text: string, start: number): number {
  const verbatim = text[start] === '@';
  const open = start + (verbatim ? 1 : 0);
  const quote = text[open];
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (!verbatim && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (verbatim && text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

function wordAt(text: string, start: number): string {
  let i = start;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
    } else if (text.startsWith('//', i)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else {
      break;
    }
  }
  const match = /^[A-Za-z][A-Za-z0-9_-]*/.exec(text.slice(i, i + 64));
  return match ? match[0].toLowerCase() : '';
}

/**
 * Finds what the data source needs in a query without parsing it: variable references,
 * the pipes between stages and the source of the final pipeline. Strings, `quoted names`
 * and comments are skipped the way the sidecar's lexer reads them.
 */
export function scanQuery(text: string): ScannedQuery {
  const variables: VariableRef[] = [];
  let pipes: PipeRef[] = [];
  let pipelineStart = 0;
  // A trailing `;` ends the pipeline instead of starting another.
  let before = { pipes, pipelineStart };
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'" || (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))) {
      i = skipString(text, i);
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const inner = close < 0 ? '' : text.slice(i + 2, close);
      const name = inner.split(':')[0];
      if (close >= 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        variables.push({ name, start: i, end: close + 1, braced: true });
        i = close + 1;
      } else {
        i++;
      }
    } else if (c === '$' && isIdentStart(text[i + 1] ?? '')) {
      let end = i + 1;
      while (end < text.length && isIdentPart(text[end])) {
        end++;
      }
      variables.push({ name: text.slice(i + 1, end), start: i, end, braced: false });
      i = end;
    } else {
      if (c === '(' || c === '[') {
        depth++;
      } else if ((c === ')' || c === ']') && depth > 0) {
        depth--;
      } else if (c === ';' && depth === 0) {
        before = { pipes, pipelineStart };
        pipes = [];
        pipelineStart = i + 1;
      } else if (c === '|' && depth === 0) {
        pipes.push({ offset: i, stage: wordAt(text, i + 1) });
      }
      i++;
    }
  }
  if (pipelineStart > 0 && wordAt(text, pipelineStart) === '' && !text.slice(pipelineStart).includes('|')) {
    ({ pipes, pipelineStart } = before);
  }
  return { variables, pipes, pipelineStart, source: wordAt(text, pipelineStart) };
}
