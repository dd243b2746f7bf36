import { LIST_OPS, STRING_OPS } from '../sidecar/query/ast';
import { JOIN_KINDS, STAGE_NAMES } from '../sidecar/query/parser';
import { AGGREGATE_NAMES, SCALAR_FUNCTION_NAMES } from '../sidecar/query/registry';
import { ALL_TABLE_NAMES } from '../sidecar/query/sources';
import { VISUALIZATIONS } from '../sidecar/query/tabular';
import {
  LANGUAGE_AGGREGATES,
  LANGUAGE_FUNCTIONS,
  LANGUAGE_JOIN_KINDS,
  LANGUAGE_STAGES,
  LANGUAGE_TABLES,
  LANGUAGE_VISUALIZATIONS,
  LANGUAGE_WORD_OPERATORS,
} from './language';

const names = (items: ReadonlyArray<{ name: string }>) => items.map((i) => i.name).sort();

describe("the editor's vocabulary", () => {
  it('offers exactly the tables, stages, functions and aggregates the compiler knows', () => {
    expect([...LANGUAGE_TABLES].sort()).toEqual([...ALL_TABLE_NAMES].sort());
    expect(names(LANGUAGE_STAGES)).toEqual([...STAGE_NAMES].sort());
    expect(names(LANGUAGE_FUNCTIONS)).toEqual([...new Set(SCALAR_FUNCTION_NAMES)].sort());
    expect(names(LANGUAGE_AGGREGATES)).toEqual([...new Set(AGGREGATE_NAMES)].sort());
  });

  it('knows every join kind and visualisation the compiler takes', () => {
    expect([...LANGUAGE_JOIN_KINDS].sort()).toEqual(Object.keys(JOIN_KINDS).sort());
    expect([...LANGUAGE_VISUALIZATIONS].sort()).toEqual([...VISUALIZATIONS].sort());
  });

  it('knows every word operator of the grammar', () => {
    for (const op of [...STRING_OPS, ...LIST_OPS]) {
      expect(LANGUAGE_WORD_OPERATORS).toContain(op);
    }
  });
});
