import { fields } from '../../../__fixtures__/sidecar';
import { complete, type Completion, type CompletionSource } from './completion';

const sentinelTable = {
  name: 'AWSCloudTrail',
  logType: 'cloudtrail',
  fields: [
    { name: 'TimeGenerated', type: 'time' as const },
    { name: 'EventName', type: 'string' as const },
    { name: 'UserIdentityArn', type: 'string' as const },
  ],
};

function source(values: Record<string, string[]> = {}): CompletionSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    // The captured catalog predates Sentinel's tables: one is added as the sidecar lists it now.
    tables: async () => [...fields.tables, sentinelTable],
    values: async (field, table) => {
      asked.push(`${table}.${field}`);
      return values[field] ?? [];
    },
    variables: () => ['account', 'user'],
  };
}

const labels = (items: Completion[]) => items.map((i) => i.label);

describe('completion', () => {
  it('offers tables, search and let where a pipeline starts', async () => {
    const items = await complete('Clo', source());
    expect(labels(items)).toEqual(expect.arrayContaining(['events', 'CloudTrail', 'ALB', 'VPCFlow', 'search', 'let']));
    expect(items.find((i) => i.label === 'CloudTrail')).toMatchObject({ kind: 'table', replace: 3 });
  });

  it('offers stages after a pipe, as snippets', async () => {
    const items = await complete('CloudTrail\n| su', source());
    expect(labels(items)).toContain('summarize');
    expect(items.find((i) => i.label === 'project-away')).toMatchObject({ kind: 'stage', snippet: true, insertText: 'project-away ${1:column}' });
    expect(items.every((i) => i.kind === 'stage')).toBe(true);
  });

  it("offers the current table's fields, functions and operators in a condition", async () => {
    const items = await complete('CloudTrail | where userI', source());
    expect(labels(items)).toEqual(expect.arrayContaining(['userIdentity.arn', 'eventName', 'fields.eventName', 'ago', 'has', 'contains']));
    expect(items.find((i) => i.label === 'userIdentity.arn')).toMatchObject({ kind: 'field', replace: 5 });
    expect(labels(await complete('ALB | where elb', source()))).toContain('elb_status_code');
  });

  it('offers aggregates in summarize until "by"', async () => {
    expect(labels(await complete('CloudTrail | summarize ', source()))).toEqual(expect.arrayContaining(['count', 'dcount', 'arg_max']));
    expect(labels(await complete('CloudTrail | summarize count() by ', source()))).not.toContain('dcount');
  });

  it('offers the top values of a field after a comparison, quoted', async () => {
    const s = source({ eventName: ['ConsoleLogin', 'AssumeRole', 'GetObject'] });
    const afterOperator = await complete('CloudTrail | where eventName == ', s);
    expect(afterOperator.map((i) => i.insertText)).toEqual(['"ConsoleLogin"', '"AssumeRole"', '"GetObject"']);
    expect(s.asked).toEqual(['CloudTrail.eventName']);
    const inString = await complete('CloudTrail | where eventName in ("GetObject", "Ass', s);
    expect(inString).toEqual([{ label: 'AssumeRole', kind: 'value', detail: 'value of eventName', insertText: '"AssumeRole"', replace: 4 }]);
    expect(await complete('CloudTrail | where eventName == "x" // "Ass', s)).toEqual([]);
  });

  it('offers variables after $', async () => {
    expect(labels(await complete('CloudTrail | where account == $a', source()))).toEqual([
      '$__interval',
      '$__interval_ms',
      '$__from',
      '$__to',
      '$account',
      '$user',
    ]);
  });

  it("offers a Sentinel table's fixed columns, and the tables a join, lookup or union can read", async () => {
    expect(labels(await complete('AWSCloudTrail | where Ev', source()))).toEqual(
      expect.arrayContaining(['EventName', 'UserIdentityArn', 'parse_json', 'has_any'])
    );
    for (const text of [
      'AWSCloudTrail | join kind=leftouter (',
      'AWSCloudTrail | lookup ',
      'union ',
      'union withsource=T AWSCloudTrail, ',
      'AWSCloudTrail | union ',
    ]) {
      expect(labels(await complete(text, source()))).toEqual(expect.arrayContaining(['AWSCloudTrail', 'CloudTrail', 'events']));
    }
  });

  it('offers join kinds, $left and $right in a join, and visualisations after render', async () => {
    expect(labels(await complete('AWSCloudTrail | join kind=', source()))).toEqual(
      expect.arrayContaining(['innerunique', 'leftouter', 'leftanti', 'rightsemi'])
    );
    expect(labels(await complete('AWSCloudTrail | join (AWSCloudTrail) on $', source()))).toEqual(['$left', '$right']);
    expect(labels(await complete('AWSCloudTrail | count | render ', source()))).toEqual(expect.arrayContaining(['timechart', 'barchart', 'piechart']));
    expect(labels(await complete('AWSCloudTrail\n| ', source()))).toEqual(expect.arrayContaining(['join', 'union', 'make-series', 'mv-apply', 'top-nested']));
  });

  it('offers connectives after a value', async () => {
    expect(labels(await complete('CloudTrail | where eventName == "x" ', source()))).toEqual(['and', 'or', 'by', 'asc', 'desc']);
  });
});
