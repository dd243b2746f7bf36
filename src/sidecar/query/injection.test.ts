import type { QueryRequest } from '../../shared/query';
import { QueryError } from './errors';
import { QueryService } from './service';
import { compileChecked, requestRange } from './prepare';
import { FIXTURE_RANGE, fixtureRows, openTestStore, type TestStore } from './testing';

// Injection attempts must be rejected with a QueryError, or run harmlessly: values only ever
// travel as bound parameters, and the events table is intact afterwards.

describe('injection attempts', () => {
  let db: TestStore;
  let service: QueryService;

  beforeAll(async () => {
    db = await openTestStore();
    service = new QueryService(db.store);
  });
  afterAll(() => db.close());

  const request = (query: string, extra: Partial<QueryRequest> = {}): QueryRequest => ({ query, ...FIXTURE_RANGE, maxRows: 50, ...extra });

  async function sqlOf(query: string, variables?: QueryRequest['variables']): Promise<string> {
    const compiled = await compileChecked(service.catalog, query, { ...requestRange(FIXTURE_RANGE.from, FIXTURE_RANGE.to), maxRows: 50, variables });
    return compiled.sql;
  }

  async function expectIntact(): Promise<void> {
    const { rows } = await db.store.query<{ n: number }>('SELECT count() AS n FROM events');
    expect(Number(rows[0].n)).toBe(fixtureRows().length);
  }

  afterEach(expectIntact);

  describe('values with quotes, backslashes and SQL stay values', () => {
    const agent = "Boto3/1.34.69 Python/3.12.2 it's \\ quoted";

    it.each([
      ['double-quoted with escapes', 'CloudTrail | where userAgent == "Boto3/1.34.69 Python/3.12.2 it\'s \\\\ quoted" | count'],
      ['single-quoted with escapes', "CloudTrail | where userAgent == 'Boto3/1.34.69 Python/3.12.2 it\\'s \\\\ quoted' | count"],
      ['verbatim', `CloudTrail | where userAgent == @"Boto3/1.34.69 Python/3.12.2 it's \\ quoted" | count`],
      // raw is the record's JSON text, where the backslash is escaped: search the quote only.
      ['search phrase', `search "3.12.2 it's" | count`],
      ['contains', `CloudTrail | where userAgent contains "'s \\\\ q" | count`],
    ])('%s: finds the one event that holds them', async (_, query) => {
      const response = await service.query(request(query));
      expect(response.rows).toEqual([[1]]);
      const sql = await sqlOf(query);
      expect(sql).not.toContain("it's");
      expect(sql).not.toContain(agent);
    });

    it.each([
      ["x' OR '1'='1"],
      ['x" OR "1"="1'],
      ["'); DROP TABLE events; --"],
      ["\\'; SELECT * FROM system.tables; --"],
      ['a\u0000b'],
      ["x' FORMAT CSV SETTINGS readonly=0 --"],
    ])('compares %j as a plain value', async (value) => {
      const query = `events | where actor == ${JSON.stringify(value)} or raw has ${JSON.stringify(value)} | count`;
      const response = await service.query(request(query));
      expect(response.rows).toEqual([[0]]);
      expect(await sqlOf(query)).not.toContain(value);
    });

    it('binds dashboard variables, whatever they hold', async () => {
      const variables = { user: "bob' OR 1=1; DROP TABLE events; --\\", list: ["a'", 'b\\', '"); DROP TABLE events'] };
      const query = 'CloudTrail | where userIdentity.userName == $user or srcIp in ($list) | count';
      const response = await service.query(request(query, { variables }));
      expect(response.rows).toEqual([[0]]);
      const sql = await sqlOf(query, variables);
      expect(sql).not.toContain('DROP');
      expect(sql).toContain('{var_user:String}');
    });

    it('binds regular expressions and field names too', async () => {
      const query = 'ALB | where request_url matches regex "\'; DROP TABLE events; --" | count';
      expect((await service.query(request(query))).rows).toEqual([[0]]);
      expect(await sqlOf(query)).not.toContain('DROP');
    });
  });

  describe('SQL syntax is rejected', () => {
    it.each([
      ['a second statement', 'events; DROP TABLE events'],
      ['a statement after a stage', 'events | take 1; SELECT * FROM system.tables'],
      ['a block comment', 'events /* */ | take 1'],
      ['a dash-dash comment', 'events | where actor == "a" -- comment'],
      ['a SETTINGS clause', 'events | take 1 SETTINGS readonly = 0'],
      ['a SETTINGS clause after where', 'events | where actor == "a" settings max_execution_time = 0'],
      ['FORMAT', 'events | take 1 FORMAT CSV'],
      ['UNION', 'events | take 1 UNION ALL SELECT 1'],
      ['a subquery', 'events | where actor in (SELECT name FROM system.users)'],
      ['INTO OUTFILE', "events | take 1 INTO OUTFILE '/tmp/x'"],
    ])('%s', async (_, query) => {
      await expect(service.query(request(query))).rejects.toBeInstanceOf(QueryError);
    });

    it('treats // as a comment: the rest of the line is never run', async () => {
      const query = 'events | count // ; DROP TABLE events';
      expect((await service.query(request(query))).rows).toEqual([[fixtureRows().length]]);
      expect(await sqlOf(query)).not.toContain('DROP');
    });
  });

  describe('table functions and system tables are out of reach', () => {
    it.each([
      ["file('/etc/passwd', 'LineAsString')"],
      ["url('http://127.0.0.1:1/', 'CSV')"],
      ["s3('http://127.0.0.1:1/bucket/x.csv')"],
      ["remote('127.0.0.1', system.tables)"],
      ['numbers(10)'],
      ['system.tables'],
      ['system.query_log'],
      ['`system.tables`'],
      ['ingest_ledger'],
      ['schema_migrations'],
    ])('%s as a table', async (table) => {
      await expect(service.query(request(`${table} | take 1`))).rejects.toBeInstanceOf(QueryError);
    });

    it.each([
      ['file("/etc/passwd")'],
      ['url("http://127.0.0.1:1/", "CSV")'],
      ['s3("http://127.0.0.1:1/b/k")'],
      ['remote("127.0.0.1", "system", "tables")'],
      ['executable("id", "CSV", "x String")'],
      ['dictGet("d", "a", 1)'],
      ['getSetting("readonly")'],
      ['currentUser()'],
      ['sleep(3)'],
      ['throwIf(1)'],
    ])('%s as a function', async (call) => {
      const error = await service.query(request(`events | where ${call} == "x"`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryError);
      expect((error as QueryError).message).toMatch(/^unknown function/);
    });

    it.each([['system.tables'], ['system.users.name'], ['`default`.`events`']])('%s as a field', async (name) => {
      await expect(service.query(request(`events | where ${name} == "x"`))).rejects.toBeInstanceOf(QueryError);
    });

    it('rejects map keys that are not known fields', async () => {
      await expect(service.query(request('events | where fields["x\'] OR 1=1 --"] == "y"'))).rejects.toBeInstanceOf(QueryError);
    });
  });

  describe('the functions and operators of Sentinel queries bind what they are given', () => {
    const payload = `x'); DROP TABLE events; --\\"`;
    const v = JSON.stringify(payload);
    const name = `\`${payload.replace(/`/g, '')}\``;

    it.each([
      ['pack keys', `AWSCloudTrail | extend b = pack(${v}, EventName) | project t = tostring(b[${v}])`],
      ['bag_pack and bag_keys', `print k = bag_keys(bag_pack(${v}, 1))`],
      ['a dynamic literal', `print d = dynamic({"k": ${v}}) | extend t = tostring(d.k)`],
      ['parse_json of text', `print d = parse_json(${JSON.stringify(JSON.stringify({ k: payload }))}) | extend t = tostring(d.k)`],
      ['a bracketed path', `AWSCloudTrail | extend t = tostring(parse_json(RequestParameters)[${v}])`],
      ['a negative index', `print s = split(${v}, ";")[-1]`],
      ['replace_string', `AWSCloudTrail | extend r = replace_string(EventName, ${v}, ${v})`],
      ['extract_all', `AWSCloudTrail | extend r = extract_all("(DROP)", ${v})`],
      ['trim', `AWSCloudTrail | extend r = trim(${v}, EventName)`],
      ['strcat and split', `AWSCloudTrail | extend r = split(strcat(EventName, ${v}), ${v})`],
      ['iff, iif and case', `AWSCloudTrail | extend r = case(EventName == ${v}, ${v}, iif(true, ${v}, "b"))`],
      ['coalesce', `AWSCloudTrail | extend r = coalesce(ErrorCode, ${v})`],
      ['has_any over columns and values', `AWSCloudTrail | where EventName has_any (UserIdentityArn, ${v}) or EventName has_all (${v}, "a")`],
      ['in~ and !in~', `AWSCloudTrail | where EventName in~ (${v}) or EventName !in~ (${v}, "x")`],
      ['matches regex', `AWSCloudTrail | where EventName matches regex ${JSON.stringify(payload.replace(/[()\\]/g, ''))}`],
      ['format_datetime', `AWSCloudTrail | extend f = format_datetime(TimeGenerated, ${v})`],
      ['datetime_diff', `AWSCloudTrail | extend f = datetime_diff(${v}, now(), TimeGenerated)`],
      ['ipv4_is_in_range', `AWSCloudTrail | where ipv4_is_in_range(SourceIpAddress, ${v})`],
      ['ipv4_is_match', `AWSCloudTrail | where ipv4_is_match(SourceIpAddress, ${v})`],
      ['parse_ipv4', `print p = parse_ipv4(${v})`],
      [
        'countif, make_set_if, dcountif',
        `AWSCloudTrail | summarize countif(EventName == ${v}), make_set_if(EventName, EventName != ${v}), dcountif(EventName, EventName == ${v})`,
      ],
      ['arg_max with *', `AWSCloudTrail | where EventName != ${v} | summarize arg_max(TimeGenerated, *) by EventName`],
      ['datatable values', `datatable(a: string, b: dynamic) [${v}, dynamic([${v}])]`],
      ['lookup', `AWSCloudTrail | lookup (datatable(EventName: string, note: string) [${v}, ${v}]) on EventName`],
      ['a function argument', `let f = (s: string) { strcat(s, ${v}) }; AWSCloudTrail | extend r = f(${v})`],
      ['a tabular function argument', `let f = (s: string) { AWSCloudTrail | where EventName != s }; f(${v}) | take 1`],
      ['mv-apply', `AWSCloudTrail | mv-apply e = split(UserIdentityArn, ${v}) on (where e != ${v})`],
      ['parse-where', `AWSCloudTrail | parse-where UserIdentityArn with * ${v} user`],
      ['render', `AWSCloudTrail | count | render ${payload.replace(/\W/g, '')}`],
      ['tostring of a dynamic', `AWSCloudTrail | extend t = tostring(todynamic(RequestParameters).${'`'}${payload.replace(/`/g, '')}${'`'})`],
    ])('%s', async (_, query) => {
      const outcome = await service.query(request(query)).catch((e: unknown) => e);
      if (outcome instanceof Error) {
        expect(outcome).toBeInstanceOf(QueryError);
      } else {
        const sql = await sqlOf(query);
        expect(sql).not.toContain('DROP');
        expect(sql).not.toContain(payload);
      }
    });

    it.each([
      ['datatable column names', `datatable(${name}: string) [${v}]`],
      ['join keys', `datatable(${name}: string) [${v}] | join kind=leftouter (datatable(${name}: string) [${v}]) on ${name}`],
      ['union withsource', `union withsource=${name} AWSCloudTrail, AWSVPCFlow | where ${name} != ${v} | take 1`],
      ['make-series default', `AWSVPCFlow | make-series n = count() default = 0 on TimeGenerated step 1d by ${name} = ${v}`],
      ['project-rename', `AWSCloudTrail | project-rename ${name} = EventName | project ${name}`],
    ])('%s: names a column, quoted, and nothing else', async (_, query) => {
      const response = await service.query(request(query));
      expect(response.columns.map((c) => c.name)).toContain(payload.replace(/`/g, ''));
    });

    it.each([
      ['externaldata', `externaldata(a: string) [${JSON.stringify('http://127.0.0.1:1/x')}] | take 1`],
      ['externaldata in a let', `let t = externaldata(a: string) [@"file:///etc/passwd"]; t`],
      ['externaldata in a join', `AWSCloudTrail | join (externaldata(a: string) ["s3://b/k"]) on $left.EventName == $right.a`],
      ['a workbook placeholder', 'AWSCloudTrail | where TimeGenerated > {TimeRange:start}'],
      ['evaluate', 'AWSCloudTrail | evaluate bag_unpack(RequestParameters)'],
      ['a system table in a union', 'union AWSCloudTrail, system.tables'],
      ['a table function in a join', "AWSCloudTrail | join (file('/etc/passwd')) on EventName"],
      ['a table function in a lookup', "AWSCloudTrail | lookup (url('http://127.0.0.1:1/')) on EventName"],
    ])('refuses %s', async (_, query) => {
      const outcome = await service.query(request(query)).catch((e: unknown) => e);
      expect(outcome).toBeInstanceOf(QueryError);
    });
  });

  describe('column names are quoted', () => {
    it.each([['a" FROM system.tables --'], ['b\\'], ['c`d'], ["e'; DROP TABLE events; --"]])('%j names a column and nothing else', async (name) => {
      const quoted = name.includes('`') ? `["${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]` : `\`${name}\``;
      const response = await service.query(request(`events | take 1 | extend ${quoted} = 1 | project ${quoted}`));
      expect(response.columns.map((c) => c.name)).toEqual([name]);
      expect(response.rows).toEqual([[1]]);
    });
  });
});
