import { EditedText, lineColumn } from './edits';
import { fieldRef, stringLiteral } from './literals';
import { scanQuery } from './scan';
import { searchWords } from './searchWords';
import { adHocCondition, adHocEdit, addFilterStage, hasFilterStage, removeFilterStage, withoutPresentationStages } from './stages';
import { bracedVariableEdits, inlineVariables, referencedVariables, resolveVariables } from './variables';

describe('scanQuery', () => {
  it('finds variables, pipes and the source outside strings and comments', () => {
    const text = 'let t = CloudTrail | where x == 1;\nt | where actor == $user and ip in (${ips:csv}) // not $here | take\n| where s == "$no | pipe" | take 10';
    const scan = scanQuery(text);
    expect(scan.variables.map((v) => [v.name, v.braced])).toEqual([
      ['user', false],
      ['ips', true],
    ]);
    expect(scan.source).toBe('t');
    expect(scan.pipes.map((p) => p.stage)).toEqual(['where', 'where', 'take']);
    expect(text.slice(scan.pipelineStart).trimStart().startsWith('t |')).toBe(true);
  });

  it('keeps the pipeline of a query that ends with a semicolon', () => {
    expect(scanQuery('CloudTrail | take 5;').pipes.map((p) => p.stage)).toEqual(['take']);
  });

  it('ignores pipes inside parentheses and verbatim strings', () => {
    expect(scanQuery('events | where f(a | b) == @"x | ""y"" |" | project-away raw').pipes.map((p) => p.stage)).toEqual(['where', 'project-away']);
  });
});

describe('literals', () => {
  it('escapes strings the way the language reads them', () => {
    expect(stringLiteral('a "quoted" \\ path\n\ttab\u0001')).toBe('"a \\"quoted\\" \\\\ path\\n\\ttab\\u0001"');
  });

  it('quotes names that are not plain paths or that are keywords', () => {
    expect(fieldRef('userIdentity.arn')).toBe('userIdentity.arn');
    expect(fieldRef('log-status')).toBe('`log-status`');
    expect(fieldRef('by')).toBe('`by`');
    expect(fieldRef('a`b')).toBe('["a`b"]');
  });
});

describe('ad hoc filters', () => {
  it('writes each operator as a condition', () => {
    expect(adHocCondition({ key: 'srcIp', operator: '=', value: '1.2.3.4' })).toBe('srcIp == "1.2.3.4"');
    expect(adHocCondition({ key: 'log-status', operator: '!=', value: 'OK' })).toBe('`log-status` != "OK"');
    expect(adHocCondition({ key: 'actor', operator: '=~', value: 'adm.*' })).toBe('actor matches regex "adm.*"');
    expect(adHocCondition({ key: 'actor', operator: '!~', value: 'svc-' })).toBe('not(actor matches regex "svc-")');
    expect(adHocCondition({ key: 'bytes', operator: '>', value: '1000' })).toBe('bytes > 1000');
    expect(adHocCondition({ key: 'status', operator: '<', value: 'x"' })).toBe('status < "x\\""');
    expect(adHocCondition({ key: 'eventName', operator: '=|', value: '', values: ['A', 'B'] })).toBe('eventName in ("A", "B")');
    expect(adHocCondition({ key: 'eventName', operator: '!=|', value: '', values: ['A'] })).toBe('eventName !in ("A")');
    expect(() => adHocCondition({ key: 'a', operator: '<>', value: '1' })).toThrow('ad hoc filter on a: operator "<>" is not supported');
  });

  it('go right after the source, before any stage, or at the end', () => {
    const filters = [{ key: 'srcIp', operator: '=', value: '1.2.3.4' }];
    const apply = (text: string) => {
      const edit = adHocEdit(text, scanQuery(text), filters)!;
      return new EditedText(text, [edit]).text;
    };
    expect(apply('CloudTrail | summarize count() by actor')).toBe('CloudTrail | where srcIp == "1.2.3.4" | summarize count() by actor');
    expect(apply('CloudTrail\n| take 5')).toBe('CloudTrail\n| where srcIp == "1.2.3.4"\n| take 5');
    expect(apply('search "x"  ')).toBe('search "x"\n| where srcIp == "1.2.3.4"');
    expect(apply('let n = 5; CloudTrail | take n')).toBe('let n = 5; CloudTrail | where srcIp == "1.2.3.4" | take n');
    expect(apply('CloudTrail // everything')).toBe('CloudTrail // everything\n| where srcIp == "1.2.3.4"');
  });
});

describe('filter stages from log details', () => {
  it('are added before the first stage that reduces rows, and removed again', () => {
    const added = addFilterStage('CloudTrail | where a == "b" | sort by time | take 100', 'actor == "bob"');
    expect(added).toBe('CloudTrail | where a == "b" | sort by time | where actor == "bob" | take 100');
    expect(hasFilterStage(added, 'actor == "bob"')).toBe(true);
    expect(removeFilterStage(added, 'actor == "bob"')).toBe('CloudTrail | where a == "b" | sort by time | take 100');
    expect(addFilterStage('ALB', 'x == "1"')).toBe('ALB\n| where x == "1"');
    expect(removeFilterStage('ALB\n| where x == "1"', 'x == "1"')).toBe('ALB');
  });

  it('drop trailing take, sort and project for counting', () => {
    expect(withoutPresentationStages('CloudTrail | where a == 1 | take 5 | where b == 2 | sort by time | project actor')).toBe(
      'CloudTrail | where a == 1 | take 5 | where b == 2'
    );
  });
});

describe('variables', () => {
  const source = {
    values: { user: 'bob', ips: ['1.1.1.1', '2.2.2.2'], n: '5' } as Record<string, string | string[]>,
    replace(target?: string, scopedVars?: Record<string, { value: unknown }>, format?: string | Function) {
      const name = /^\$\{(\w+)\}$/.exec(target ?? '')?.[1] ?? '';
      const value = scopedVars?.[name]?.value ?? this.values[name];
      if (value === undefined) {
        return target ?? '';
      }
      return typeof format === 'function' ? format(value) : String(value);
    },
  };

  it('are bound: named in the text, resolved by Grafana (panel scope first), unknown ones left to the sidecar', () => {
    const scan = scanQuery('CloudTrail | where actor == ${user} and srcIp in ($ips) | take $n | where a == $missing | summarize by bin(time, $__interval)');
    const names = referencedVariables(scan);
    expect(names).toEqual(['user', 'ips', 'n', 'missing']);
    expect(resolveVariables(names, { n: { text: '9', value: '9' } }, source)).toEqual({ user: 'bob', ips: ['1.1.1.1', '2.2.2.2'], n: '9' });
    expect(new EditedText(scan.variables.length ? 'x ${user}' : '', bracedVariableEdits(scanQuery('x ${user}'))).text).toBe('x $user');
  });

  it('are written in as literals for Explore', () => {
    expect(inlineVariables('CloudTrail | where actor == $user and srcIp in ($ips) | where s == "$user"', { user: 'b"ob', ips: ['1.1.1.1'] })).toBe(
      'CloudTrail | where actor == "b\\"ob" and srcIp in (dynamic(["1.1.1.1"])) | where s == "$user"'
    );
  });
});

describe('EditedText', () => {
  it('maps positions in the sent text back to what the user wrote', () => {
    const edited = new EditedText('CloudTrail\n| whre ${x}', [
      { start: 10, end: 10, text: ' | where a == "b"' },
      { start: 18, end: 22, text: '$x' },
    ]);
    expect(edited.text).toBe('CloudTrail | where a == "b"\n| whre $x');
    expect(edited.toOriginal(edited.text.indexOf('whre'))).toEqual({ offset: 13, inserted: false });
    expect(edited.toOriginal(14).inserted).toBe(true);
    expect(lineColumn(edited.original, 13)).toEqual({ line: 2, column: 3 });
  });
});

describe('searchWords', () => {
  it('takes the terms of search stages and has / contains conditions', () => {
    expect(searchWords('search "Access Denied" and user:adm* or 10.0.0.1 and not kind=x | where raw has "169.254.169.254" and a contains \'evil\'')).toEqual(
      expect.arrayContaining(['Access Denied', 'adm', '10.0.0.1', '169.254.169.254', 'evil'])
    );
    expect(searchWords('CloudTrail | where eventName == "x"')).toEqual([]);
  });
});
