import type { StoredEvent } from '../../shared/api';
import type { ParsedEvent } from '../formats/types';
import { EVENT_COLUMNS, type ApiEvent, type EventColumn } from './eventColumns';
import { MIGRATIONS } from './schema';

/** True only when A and B are the same type (checked by `tsc -p tsconfig.tests.json`). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('the events columns', () => {
  it('are the API event, name for name and type for type', () => {
    const same: Same<StoredEvent, ApiEvent> = true;
    expect(same).toBe(true);
    expect(new Set(EVENT_COLUMNS.map((c) => c.api)).size).toBe(EVENT_COLUMNS.length);
  });

  it('name every common column a parser fills', () => {
    // A parser fills normalised columns only, by their API names; provenance comes from ingest.
    const parsed: Same<Exclude<keyof ParsedEvent, Extract<EventColumn, { normalised: true }>['api']>, never> = true;
    expect(parsed).toBe(true);
  });

  it('are what the migration creates, in its order', () => {
    const ddl = MIGRATIONS[0].statements.find((s) => s.includes('CREATE TABLE IF NOT EXISTS events'))!;
    const body = ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf('INDEX '));
    const declared = body
      .split(/,\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [name, ...rest] = line.split(' ');
        return { name, type: rest.join(' ').replace(/ CODEC\(.*\)$/, '') };
      });
    expect(declared).toEqual(EVENT_COLUMNS.map(({ name, type }) => ({ name, type })));
  });
});
