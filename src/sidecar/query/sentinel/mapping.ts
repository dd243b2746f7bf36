import type { Typed } from '../context';
import type { Params } from '../params';

// The one place where Sentinel's column names meet the stored events: every column of every
// Sentinel table is a source below, turned into SQL over one row of `events` here. How events
// are stored (the normalised columns, the `fields` map of original fields, `raw`) may change;
// then only this file changes.

/** Types of the Azure Monitor table reference. */
export type KqlType = 'string' | 'int' | 'long' | 'real' | 'bool' | 'datetime' | 'dynamic';

export type ColumnSource =
  /** A normalised column of `events` (`time`, `region`, ...). */
  | { from: 'column'; column: string }
  /** A field of the record, by its flattened name (`userIdentity.arn`). */
  | { from: 'field'; key: string }
  /** Part of the record as JSON text, by its path in the record (`requestParameters`); JSON null reads as "". */
  | { from: 'json'; path: Array<string | number> }
  /** A text value deeper in the record (`requestParameters.ipPermissions.items[0].toPort`). */
  | { from: 'jsonText'; path: Array<string | number> }
  /** The same for every row: the table's name in `Type`, "" for what AWS records never hold. */
  | { from: 'const'; value: string };

export interface SentinelColumn {
  name: string;
  type: KqlType;
  source: ColumnSource;
}

/** Shorthands for the table definitions. */
export const column = (name: string, type: KqlType, columnName: string): SentinelColumn => ({
  name,
  type,
  source: { from: 'column', column: columnName },
});
export const field = (name: string, type: KqlType, key: string): SentinelColumn => ({
  name,
  type,
  source: { from: 'field', key },
});
export const json = (name: string, type: KqlType, ...path: Array<string | number>): SentinelColumn => ({
  name,
  type,
  source: { from: 'json', path },
});
export const jsonText = (name: string, ...path: Array<string | number>): SentinelColumn => ({
  name,
  type: 'string',
  source: { from: 'jsonText', path },
});
export const constant = (name: string, value: string): SentinelColumn => ({
  name,
  type: 'string',
  source: { from: 'const', value },
});

/**
 * SQL reading a source over the `events` row aliased `alias`, as text. Field names and paths are
 * the compiler's own constants, bound once per query under fixed parameter names.
 */
function textSql(source: ColumnSource, alias: string, params: Params): string {
  switch (source.from) {
    case 'column':
      return `${alias}.${source.column}`;
    case 'field':
      return `${alias}.fields[${keyParam(source.key, params)}]`;
    case 'json': {
      const extract = `JSONExtractRaw(${alias}.raw, ${pathArgs(source.path, params).join(', ')})`;
      return `if(${extract} = 'null', '', ${extract})`;
    }
    case 'jsonText': {
      const raw = `JSONExtractRaw(${alias}.raw, ${pathArgs(source.path, params).join(', ')})`;
      return `if(JSONType(${raw}) = 'String', JSONExtractString(${raw}), if(${raw} = 'null', '', ${raw}))`;
    }
    case 'const':
      return keyParam(source.value, params);
  }
}

/** The column as the compiler sees it: SQL of its type over the row. */
export function columnTyped(column: SentinelColumn, alias: string, params: Params): Typed {
  const { source, type } = column;
  if (source.from === 'column') {
    const sql = textSql(source, alias, params);
    return type === 'datetime' ? { sql, type: 'time' } : type === 'string' ? { sql, type: 'string' } : { sql, type: 'number', nullable: true };
  }
  const text = textSql(source, alias, params);
  // A property of JSON read from `raw` is read from `raw` in one call: parse_json(RequestParameters).bucketName
  // is JSONExtractRaw(raw, 'requestParameters', 'bucketName').
  const jsonPath = source.from === 'json' ? { root: `${alias}.raw`, args: pathArgs(source.path, params), sql: text } : undefined;
  switch (type) {
    case 'string':
      return { sql: text, type: 'string', json: source.from === 'json', jsonPath };
    case 'dynamic':
      return { sql: text, type: 'dynamic', jsonPath };
    case 'int':
    case 'long':
      return { sql: `toInt64OrNull(${text})`, type: 'number', nullable: true };
    case 'real':
      return { sql: `toFloat64OrNull(${text})`, type: 'number', nullable: true };
    case 'bool':
      return {
        sql: `multiIf(lowerUTF8(${text}) = 'true', true, lowerUTF8(${text}) = 'false', false, NULL)`,
        type: 'bool',
        nullable: true,
      };
    case 'datetime':
      return { sql: `parseDateTime64BestEffortOrNull(nullIf(${text}, ''), 3, 'UTC')`, type: 'time', nullable: true };
  }
}

/** Field names and path parts, each bound once per query (under a name made from the key) however many table references use it. */
function keyParam(key: string, params: Params): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  }
  return params.named(`s_${key.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40)}_${hash.toString(16)}`, 'String', key);
}

function pathArgs(path: Array<string | number>, params: Params): string[] {
  return path.map((part) => (typeof part === 'number' ? String(part + 1) : keyParam(part, params)));
}
