import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRules, formatChecks } from './check';
import { loadRules, readRuleSources, rulesFromSources } from './load';

// Every construct Lookback refuses is an error naming the file, the rule, the construct and the
// reason; the rules around it still load.

const sigma = (detection: string, extra = '') =>
  `title: Bad\nid: bad\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n${detection
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n${extra}`;

const CASES: Array<[string, string, string]> = [
  ['yaml', 'title: [unclosed', 'rules/yaml.yml: is not valid YAML: unexpected end of the stream within a flow collection (2:1)'],
  ['list', '- a\n- b', 'rules/list.yml: rule list: a rule must be a YAML map'],
  [
    'neither',
    'title: Nothing',
    'rules/neither.yml: rule "Nothing" (neither): is neither a Sigma rule (detection), a Sigma correlation (correlation) nor a native rule (query)',
  ],
  [
    'both',
    'title: Both\nquery: CloudTrail\ndetection: {sel: {a: b}, condition: sel}',
    'rules/both.yml: rule "Both" (both): has both detection and query: a rule is one of a Sigma rule (detection), a correlation or a native rule (query)',
  ],
  ['notitle', 'logsource: {product: aws, service: cloudtrail}\ndetection: {sel: {a: b}, condition: sel}', 'rules/notitle.yml: rule notitle: title: is missing'],
  [
    'level',
    sigma('sel: {a: b}\ncondition: sel', 'level: severe'),
    'rules/level.yml: rule "Bad" (bad): level: "severe" is not one of informational, low, medium, high, critical',
  ],
  [
    'product',
    'title: Win\nid: win\nlogsource: {product: windows, category: process_creation}\ndetection: {sel: {Image: x}, condition: sel}',
    'rules/product.yml: rule "Win" (win): logsource: {"product":"windows","category":"process_creation"} is not a log Lookback reads: it reads product aws (service cloudtrail, guardduty, vpcflow, vpc_flow, alb, elb, nlb, s3access, s3_access, cloudfront, waf, route53resolver, route53)',
  ],
  [
    'service',
    'title: X\nid: x\nlogsource: {product: aws, service: eks}\ndetection: {sel: {a: b}, condition: sel}',
    'rules/service.yml: rule "X" (x): logsource: {"product":"aws","service":"eks"}: service must be one of cloudtrail, guardduty, vpcflow, vpc_flow, alb, elb, nlb, s3access, s3_access, cloudfront, waf, route53resolver, route53',
  ],
  ['nocondition', sigma('sel: {a: b}'), 'rules/nocondition.yml: rule "Bad" (bad): detection.condition: is missing'],
  [
    'unknownid',
    sigma('sel: {a: b}\ncondition: sel and filter'),
    'rules/unknownid.yml: rule "Bad" (bad): detection.condition: "filter" is not a search identifier of the detection (it has "sel")',
  ],
  [
    'ofnone',
    sigma('sel: {a: b}\ncondition: 1 of filter_*'),
    'rules/ofnone.yml: rule "Bad" (bad): detection.condition: "1 of filter_*" matches no search identifier',
  ],
  ['paren', sigma('sel: {a: b}\ncondition: (sel'), 'rules/paren.yml: rule "Bad" (bad): detection.condition: at its end: expected ")"'],
  [
    'agg',
    sigma('sel: {a: b}\ncondition: sel | count() by x > 5'),
    'rules/agg.yml: rule "Bad" (bad): detection.condition: at character 5 ("|"): aggregations after "|" (Sigma 1 count() and near) are not supported: write a correlation rule',
  ],
  [
    'twoof',
    sigma('sel: {a: b}\ncondition: 2 of sel*'),
    'rules/twoof.yml: rule "Bad" (bad): detection.condition: at character 1 ("2"): "2 of" is not Sigma: use "1 of" or "all of"',
  ],
  ['modifier', sigma('sel: {a|contain: b}\ncondition: sel'), 'rules/modifier.yml: rule "Bad" (bad): detection.sel.a|contain: unknown modifier "contain"'],
  [
    'allone',
    sigma('sel: {a|contains|all: b}\ncondition: sel'),
    'rules/allone.yml: rule "Bad" (bad): detection.sel.a|contains|all: modifier "all" needs a list of at least two values (the specification forbids it on one)',
  ],
  [
    'lookahead',
    sigma("sel: {a|re: 'x(?=y)'}\ncondition: sel"),
    'rules/lookahead.yml: rule "Bad" (bad): detection.sel.a|re: invalid regular expression: lookaround assertions such as (?= are not supported (RE2 syntax): "x(?=y)"',
  ],
  [
    'badre',
    sigma("sel: {a|re: 'x(y'}\ncondition: sel"),
    'rules/badre.yml: rule "Bad" (bad): detection.sel.a|re: invalid regular expression: missing closing ) for the ( at character 2 (RE2 syntax): "x(y"',
  ],
  [
    'cidr',
    sigma("sel: {a|cidr: '10.0.0.0/33'}\ncondition: sel"),
    'rules/cidr.yml: rule "Bad" (bad): detection.sel.a|cidr: "10.0.0.0/33" is not an IPv4 range such as 10.0.0.0/8',
  ],
  [
    'exists',
    sigma("sel: {a|exists: 'yes'}\ncondition: sel"),
    'rules/exists.yml: rule "Bad" (bad): detection.sel.a|exists: modifier "exists" takes true or false',
  ],
  ['gt', sigma('sel: {a|gt: many}\ncondition: sel'), 'rules/gt.yml: rule "Bad" (bad): detection.sel.a|gt: modifier "gt" takes a number'],
  [
    'expand',
    sigma("sel: {a|expand: '%Admins%'}\ncondition: sel"),
    'rules/expand.yml: rule "Bad" (bad): detection.sel.a|expand: modifier "expand": placeholders (%name%) need values from a processing pipeline, which Lookback does not have',
  ],
  [
    'hour',
    sigma('sel: {eventTime|hour: 3}\ncondition: sel'),
    'rules/hour.yml: rule "Bad" (bad): detection.sel.eventTime|hour: modifier "hour" (a time part of a date) is not supported: Lookback\'s fields hold text',
  ],
  [
    'utf16',
    sigma('sel: {a|utf16le|contains: x}\ncondition: sel'),
    'rules/utf16.yml: rule "Bad" (bad): detection.sel.a|utf16le|contains: modifier "contains" leaves text in UTF-16, which only makes sense followed by base64 or base64offset',
  ],
  [
    'b64wild',
    sigma("sel: {a|base64: 'x*'}\ncondition: sel"),
    'rules/b64wild.yml: rule "Bad" (bad): detection.sel.a|base64: modifier "base64" cannot encode wildcards ("x*"): escape them as \\* and \\?',
  ],
  [
    'nulllist',
    sigma('sel: {a: [x, null]}\ncondition: sel'),
    'rules/nulllist.yml: rule "Bad" (bad): detection.sel.a: null cannot be one of several values: test it in a selection of its own',
  ],
  [
    'nested',
    sigma('sel: {a: {b: c}}\ncondition: sel'),
    'rules/nested.yml: rule "Bad" (bad): detection.sel.a: values must be strings, numbers, booleans or null, not a map',
  ],
  ['emptylist', sigma('sel: {a: []}\ncondition: sel'), 'rules/emptylist.yml: rule "Bad" (bad): detection.sel.a: the list of values is empty'],
  [
    'mixed',
    sigma('sel: [x, {a: b}]\ncondition: sel'),
    'rules/mixed.yml: rule "Bad" (bad): detection.sel: mixes maps and plain values: put the keywords in a search identifier of their own',
  ],
  [
    'timeframe',
    sigma('sel: {a: b}\ntimeframe: 5m\ncondition: sel'),
    'rules/timeframe.yml: rule "Bad" (bad): detection.timeframe: belongs to Sigma 1 aggregations: write a correlation rule with a timespan',
  ],
  [
    'taxonomy',
    sigma('sel: {a: b}\ncondition: sel', 'taxonomy: ocsf'),
    'rules/taxonomy.yml: rule "Bad" (bad): taxonomy: "ocsf" field names are not mapped: Lookback reads the default taxonomy (the logs\' own field names)',
  ],
  [
    'unsupported',
    sigma('sel: {a: b}\ncondition: sel', 'status: unsupported'),
    'rules/unsupported.yml: rule "Bad" (bad): status: the rule says it is unsupported (it cannot be used in its current state)',
  ],
  [
    'global',
    'action: global\ntitle: G\nlogsource: {product: aws, service: cloudtrail}',
    'rules/global.yml: rule "G" (global): rule collections (action: global, reset, repeat) are Sigma 1: write each rule whole',
  ],
  [
    'ctype',
    'title: C\nid: c\ncorrelation: {type: event_sum, rules: [x], timespan: 1h}',
    'rules/ctype.yml: rule "C" (c): correlation.type: "event_sum" is not one of event_count, value_count, value_sum, value_avg, temporal, temporal_ordered',
  ],
  [
    'cpct',
    'title: C\nid: c\ncorrelation: {type: value_percentile, rules: [x], timespan: 1h}',
    'rules/cpct.yml: rule "C" (c): correlation.type: value_percentile is not supported',
  ],
  [
    'cspan',
    'title: C\nid: c\ncorrelation: {type: event_count, rules: [x], timespan: 1 hour, condition: {gte: 2}}',
    'rules/cspan.yml: rule "C" (c): correlation.timespan: "1 hour" is not a timespan: write a number and s, m, h or d, e.g. 90m',
  ],
  [
    'cnospan',
    'title: C\nid: c\ncorrelation: {type: event_count, rules: [x], condition: {gte: 2}}',
    'rules/cnospan.yml: rule "C" (c): correlation.timespan: is missing: write a number and s, m, h or d, e.g. 90m',
  ],
  [
    'cref',
    'title: C\nid: c\ncorrelation: {type: event_count, rules: [nothing], timespan: 1h, condition: {gte: 2}}',
    'rules/cref.yml: rule "C" (c): correlation.rules: "nothing" is no Sigma rule loaded with it (by id or name)',
  ],
  [
    'ccorr',
    sigma('sel: {a: b}\ncondition: sel', 'name: base') +
      '\n---\ntitle: C1\nid: c1\nname: c1\ncorrelation: {type: event_count, rules: [base], timespan: 1h, condition: {gte: 2}}\n---\ntitle: C2\nid: c2\ncorrelation: {type: event_count, rules: [c1], timespan: 1h, condition: {gte: 2}}',
    'rules/ccorr.yml: rule "C2" (c2): correlation.rules: "c1" is a correlation: correlations of correlations are not supported',
  ],
  [
    'ctemporal1',
    'title: C\nid: c\ncorrelation: {type: temporal, rules: [x], timespan: 1h}',
    'rules/ctemporal1.yml: rule "C" (c): correlation.rules: temporal needs at least two rules',
  ],
  [
    'cfield',
    'title: C\nid: c\ncorrelation: {type: value_count, rules: [x], timespan: 1h, condition: {gte: 2}}',
    'rules/cfield.yml: rule "C" (c): correlation.condition.field: value_count needs the field whose values it counts',
  ],
  [
    'ccond',
    'title: C\nid: c\ncorrelation: {type: event_count, rules: [x], timespan: 1h}',
    'rules/ccond.yml: rule "C" (c): correlation.condition: event_count needs a condition such as {gte: 10}',
  ],
  [
    'ccondop',
    'title: C\nid: c\ncorrelation: {type: event_count, rules: [x], timespan: 1h, condition: {more: 2}}',
    'rules/ccondop.yml: rule "C" (c): correlation.condition: "more" is not one of gt, gte, lt, lte, eq, neq',
  ],
  [
    'calias',
    sigma('sel: {a: b}\ncondition: sel', 'name: base') +
      '\n---\ntitle: C\nid: c\ncorrelation: {type: event_count, rules: [base], group-by: [who], timespan: 1h, condition: {gte: 2}, aliases: {who: {other: x}}}',
    'rules/calias.yml: rule "C" (c): correlation.group-by: alias "who" names no field for rule "bad"',
  ],
  [
    'nquery',
    'title: N\nid: n\nseverity: high\nschedule: 5m',
    'rules/nquery.yml: rule "N" (n): is neither a Sigma rule (detection), a Sigma correlation (correlation) nor a native rule (query)',
  ],
  [
    'nsyntax',
    'title: N\nid: n\nquery: |\n  CloudTrail\n  | where eventName = "x"',
    'rules/nsyntax.yml: rule "N" (n): query: line 2, column 19: unexpected "=": expected | or end of query',
  ],
  [
    'ntime',
    'title: N\nid: n\nquery: CloudTrail | summarize count() by actor',
    'rules/ntime.yml: rule "N" (n): query: must return events, with their time column: leave counting and grouping to threshold and group-by',
  ],
  [
    'nsource',
    'title: N\nid: n\nquery: union CloudTrail, ALB',
    'rules/nsource.yml: rule "N" (n): query: line 1, column 1: a native rule reads one table: start its query with the table\'s name (CloudTrail, ALB, events, ...)',
  ],
  ['nfn', 'title: N\nid: n\nquery: CloudTrail | where nope(actor)', 'rules/nfn.yml: rule "N" (n): query: line 1, column 20: unknown function "nope"'],
  [
    'ngroup',
    'title: N\nid: n\nquery: CloudTrail\ngroup-by: [count]',
    'rules/ngroup.yml: rule "N" (n): group-by: "count" cannot be a group-by key: hits already have a column of that name (window, count, events, firstSeen, lastSeen)',
  ],
  [
    'nsched',
    'title: N\nid: n\nquery: CloudTrail\nschedule: often',
    'rules/nsched.yml: rule "N" (n): schedule: "often" is not a timespan such as 30s, 5m, 1h or 7d',
  ],
  [
    'nthr',
    'title: N\nid: n\nquery: CloudTrail\nthreshold: {over: 3}',
    'rules/nthr.yml: rule "N" (n): threshold: "over" is not one of gt, gte, lt, lte, eq, neq',
  ],
  [
    'nid',
    'title: N\nid: "has space"\nquery: CloudTrail',
    'rules/nid.yml: rule "N" (has space): id: "has space" is not an id: letters, digits and _ . : - (a UUID, or a name such as aws.root-login), at most 128',
  ],
  [
    'dup',
    'title: N1\nid: same\nquery: CloudTrail\n---\ntitle: N2\nid: same\nquery: CloudTrail',
    'rules/dup.yml: rule "N2" (same): id: the id is already used by "N1" in rules/dup.yml',
  ],
];

describe('rules Lookback refuses', () => {
  it.each(CASES)('%s', (name, text, message) => {
    const { errors } = rulesFromSources([{ file: `rules/${name}.yml`, text }]);
    expect(errors.map((e) => e.message)).toEqual([message]);
  });

  it('says when a correlation names a rule that was refused', () => {
    const text = `${sigma('sel: {a|hour: 1}\ncondition: sel', 'name: base')}\n---\ntitle: C\nid: c\ncorrelation: {type: event_count, rules: [base], timespan: 1h, condition: {gte: 2}}\n`;
    const { errors } = rulesFromSources([{ file: 'refused.yml', text }]);
    expect(errors.map((e) => [e.rule, e.construct, e.reason])).toEqual([
      ['"Bad" (bad)', 'detection.sel.a|hour', 'modifier "hour" (a time part of a date) is not supported: Lookback\'s fields hold text'],
      ['"C" (c)', 'correlation.rules', '"base" was refused (see its own error)'],
    ]);
  });

  it('loads the good rules of a file beside the bad one', () => {
    const text = `${sigma('sel: {a|re: "x(?=y)"}\ncondition: sel')}\n---\ntitle: Good\nid: good\nquery: CloudTrail | where eventName == "StopLogging"\n`;
    const { rules, errors } = rulesFromSources([{ file: 'mixed.yml', text }]);
    expect(rules.map((r) => r.id)).toEqual(['good']);
    expect(errors.map((e) => [e.file, e.rule, e.construct])).toEqual([['mixed.yml', '"Bad" (bad)', 'detection.sel.a|re']]);
  });

  it('refuses YAML whose anchors expand past the size budget instead of walking them', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`
      );
    }
    const { errors } = rulesFromSources([{ file: 'bomb.yml', text: `title: Bomb\n${lines.join('\n')}\nquery: CloudTrail\n` }]);
    expect(errors.map((e) => e.message)).toEqual(['bomb.yml: is too large once its YAML anchors are expanded (more than 100000 values)']);
  });
});

describe('checkRules', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookback-rules-'));
    mkdirSync(join(dir, 'aws', '.hidden'), { recursive: true });
    writeFileSync(join(dir, 'aws', 'good.yml'), 'title: Good\nid: aws.good\nquery: CloudTrail | where eventName == "StopLogging"\n');
    writeFileSync(join(dir, 'aws', 'bad.yaml'), sigma('sel: {a|hour: 3}\ncondition: sel'));
    writeFileSync(join(dir, 'aws', 'good.test.yml'), 'fires: []\n');
    writeFileSync(join(dir, 'custom.rule'), 'title: Custom\nid: custom\nquery: CloudTrail\n');
    writeFileSync(join(dir, 'aws', 'notes.md'), '# not a rule\n');
    writeFileSync(join(dir, 'aws', '.hidden', 'skipped.yml'), 'not: [a rule\n');
    writeFileSync(join(dir, 'large.yml'), `title: Large\nid: large\nquery: CloudTrail\n# ${'x'.repeat(1024 * 1024)}\n`);
    symlinkSync(join(dir, 'aws'), join(dir, 'link'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says ok or why not for each rule of the directories and files given', () => {
    const lines = formatChecks(checkRules([dir, join(dir, 'missing.yml')]));
    expect(lines).toEqual([
      'ok aws.good',
      `error ${join(dir, 'large.yml')}: is larger than 1024 KiB`,
      `error ${join(dir, 'missing.yml')}: cannot be read: ENOENT`,
      `error ${join(dir, 'aws', 'bad.yaml')}: rule "Bad" (bad): detection.sel.a|hour: modifier "hour" (a time part of a date) is not supported: Lookback's fields hold text`,
    ]);
  });

  it('stops reading at the limits on files and bytes, naming the files left out', () => {
    const byFiles = readRuleSources([join(dir, 'aws')], { maxFiles: 1, maxTotalBytes: 1024 * 1024 });
    expect([byFiles.sources.map((s) => s.file), byFiles.errors.map((e) => e.message)]).toEqual([
      [join(dir, 'aws', 'bad.yaml')],
      [`${join(dir, 'aws', 'good.yml')}: is past the 1 rule files Lookback reads`],
    ]);
    const byBytes = readRuleSources([join(dir, 'aws')], { maxFiles: 10, maxTotalBytes: 150 });
    expect(byBytes.errors.map((e) => e.message)).toEqual([`${join(dir, 'aws', 'good.yml')}: is past the 150 bytes of rules Lookback reads`]);
  });

  it('reads a file named directly whatever its extension, and follows a link named directly', () => {
    const { rules, errors } = loadRules([join(dir, 'custom.rule'), join(dir, 'link')]);
    expect(errors.map((e) => e.file)).toEqual([join(dir, 'link', 'bad.yaml')]);
    expect(rules.map((r) => r.id).sort()).toEqual(['aws.good', 'custom']);
  });
});
