import type { Expr } from '../query/ast';
import { parseQuery } from '../query/parser';
import { compileRuleQuery } from './compile';
import { rulesFromSources } from './load';
import { fieldRef, quote } from './quote';
import { DetectionStore, rowsOf } from './testing';

// Rules are translated to query text, so every value and field name they hold must reach the
// compiler as exactly that value: never as syntax, never as SQL.

const NASTY = [
  'plain',
  'say "hi"',
  "it's",
  'back\\slash',
  'trailing\\',
  '\\"',
  'line\nbreak',
  'tab\there\rcr',
  'x" or true or "',
  '" | where true | take 1 //',
  '; DROP TABLE events; --',
  '`backtick`',
  '$variable',
  '{p1:String}',
  '\u2028\u2029 separators',
  'null \u0000 byte',
  'ünïcödé ✓',
];

const RANGE = { from: 0, to: 86_400_000 };

function whereRight(text: string): Expr {
  const stage = parseQuery(text).pipeline.stages[0];
  if (stage.kind !== 'where' || stage.predicate.kind !== 'compare') {
    throw new Error(`not one comparison: ${text}`);
  }
  return stage.predicate.right;
}

describe('quote', () => {
  it.each(NASTY)('reads back %j as one string literal', (value) => {
    const right = whereRight(`CloudTrail | where userAgent == ${quote(value)}`);
    expect(right).toMatchObject({ kind: 'string', value });
  });

  it.each(NASTY)('binds %j as a parameter, never as SQL', (value) => {
    const compiled = compileRuleQuery(`CloudTrail | where userAgent == ${quote(value)}`, RANGE, 1);
    expect(Object.values(compiled.params)).toContain(value);
    if (value.length > 3 && !value.startsWith('{p')) {
      expect(compiled.sql).not.toContain(value);
    }
  });
});

describe('fieldRef', () => {
  it.each([...NASTY, 'eventName', 'time', 'fields', 'rule', 'rule_1', 'not', 'and.x', 'userIdentity.not.x', '_private', 'a.b-c', '', 'x.'])(
    'reads the map entry %j',
    (name) => {
      const compiled = compileRuleQuery(`CloudTrail | where ${fieldRef(name)} == "v"`, RANGE, 1);
      expect(compiled.sql).toMatch(/__t0\.fields\[\{p\d+:String\}\] = \{p\d+:String\}/);
      expect(Object.values(compiled.params)).toContain(name);
    }
  );

  it('writes plain paths as they are, and names a column has with fields.', () => {
    expect(fieldRef('userIdentity.sessionContext.sessionIssuer.type')).toBe('userIdentity.sessionContext.sessionIssuer.type');
    expect(fieldRef('eventName')).toBe('fields.eventName');
    expect(fieldRef('log-status')).toBe('fields["log-status"]');
  });
});

describe('values of Sigma rules on stored events', () => {
  let db: DetectionStore;

  beforeAll(async () => {
    db = await DetectionStore.open();
    const records = NASTY.map((value, i) => ({
      eventVersion: '1.09',
      eventTime: `2024-03-01T10:00:${String(i).padStart(2, '0')}Z`,
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      awsRegion: 'us-east-1',
      sourceIPAddress: '192.0.2.1',
      userAgent: value,
      eventID: `e${i}`,
      userIdentity: { type: 'IAMUser', userName: 'u' },
      requestParameters: { [value]: 'keyed' },
    }));
    await db.replace(await rowsOf('cloudtrail', records));
  });
  afterAll(() => db.close());

  it.each(NASTY.map((value, i) => [value, i]))('matches %j exactly, as a value and as a field name', async (value, i) => {
    const escaped = (value as string).replace(/[\\*?]/g, '\\$&');
    // In a Sigma key `|` starts the modifiers: a field name cannot hold one.
    const keyed = (value as string).includes('|') ? {} : { [`requestParameters.${value}`]: 'keyed' };
    const detection = { sel: { userAgent: escaped, ...keyed }, condition: 'sel' };
    const text = JSON.stringify({ title: 'Nasty', id: 'nasty', logsource: { product: 'aws', service: 'cloudtrail' }, detection });
    const { rules, errors } = rulesFromSources([{ file: 'nasty.yml', text }]);
    expect(errors).toEqual([]);
    const rows = await db.rows(`${rules[0].events}\n| project eventID`, { from: Date.parse('2024-03-01T00:00:00Z'), to: Date.parse('2024-03-02T00:00:00Z') });
    expect(rows.map((r) => r.eventID)).toEqual([`e${i}`]);
  });
});
