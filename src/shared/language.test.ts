import { AGGREGATES, ROW_AGGREGATES } from '../sidecar/query/aggregates';
import { LIST_OPS, STRING_OPS } from '../sidecar/query/ast';
import { FUNCTIONS } from '../sidecar/query/functions';
import { STAGE_NAMES } from '../sidecar/query/parser';
import { TABLE_NAMES } from '../sidecar/query/tables';
import { LANGUAGE_AGGREGATES, LANGUAGE_FUNCTIONS, LANGUAGE_STAGES, LANGUAGE_TABLES, LANGUAGE_WORD_OPERATORS } from './language';

const names = (items: ReadonlyArray<{ name: string }>) => items.map((i) => i.name).sort();

describe("the editor's vocabulary", () => {
  it('offers exactly the tables, stages, functions and aggregates the compiler knows', () => {
    expect([...LANGUAGE_TABLES].sort()).toEqual([...TABLE_NAMES].sort());
    expect(names(LANGUAGE_STAGES)).toEqual([...STAGE_NAMES].sort());
    expect(names(LANGUAGE_FUNCTIONS)).toEqual(Object.keys(FUNCTIONS).sort());
    expect(names(LANGUAGE_AGGREGATES)).toEqual([...Object.keys(AGGREGATES), ...ROW_AGGREGATES].sort());
  });

  it('knows every word operator of the grammar', () => {
    for (const op of [...STRING_OPS, ...LIST_OPS]) {
      expect(LANGUAGE_WORD_OPERATORS).toContain(op);
    }
  });
});
