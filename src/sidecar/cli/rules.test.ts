import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACK_DIR } from '../detect/pack';
import { cloudTrailRecord } from '../detect/testing';
import { UsageError } from './args';
import { runRules } from './rules';

// `lookback rules check` and `lookback rules test`, in process (tests/integration/cli.test.ts runs
// the built command for its exit codes).

jest.setTimeout(60_000);

const ROOT_RULE = `title: Root signs in
id: test.root-login
logsource: {product: aws, service: cloudtrail}
detection:
  sel: {eventName: ConsoleLogin, userIdentity.type: Root}
  condition: sel
level: high
group-by: [sourceIPAddress]
`;

const AT = Date.UTC(2026, 0, 10, 10);

describe('lookback rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lookback-rules-cli-'));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    process.exitCode = undefined;
  });

  async function rules(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    await runRules(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    return { stdout: out.join(''), stderr: err.join(''), code: process.exitCode };
  }

  describe('check', () => {
    it('says ok for every rule of the pack and exits 0', async () => {
      const { stdout, code } = await rules(['check', PACK_DIR]);
      const lines = stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(45);
      expect(lines.every((l) => /^ok lookback\.aws\./.test(l))).toBe(true);
      expect(code).toBe(0);
    });

    it('names the file and the reason of a bad rule, and exits 1', async () => {
      const good = file('good.yml', ROOT_RULE);
      const bad = file('bad.yml', ROOT_RULE.replace('test.root-login', 'test.bad').replace('userIdentity.type: Root', "userIdentity.type|re: '(?<=x)Root'"));
      const { stdout, code } = await rules(['check', good, bad]);
      expect(stdout.split('\n')).toEqual([
        'ok test.root-login',
        `error ${bad}: rule "Root signs in" (test.bad): detection.sel.userIdentity.type|re: invalid regular expression: lookaround assertions such as (?<= are not supported (RE2 syntax): "(?<=x)Root"`,
        '',
      ]);
      expect(code).toBe(1);
      const json = await rules(['check', good, bad, '--json']);
      expect(JSON.parse(json.stdout)).toEqual([
        { ok: true, id: 'test.root-login', file: good, warnings: [] },
        {
          ok: false,
          file: bad,
          reason: expect.stringMatching(/^rule "Root signs in" \(test\.bad\): detection\.sel\.userIdentity\.type\|re: /),
        },
      ]);
      expect(json.code).toBe(1);
    });

    it('exits 1 when there is no rule at all, and asks for paths when given none', async () => {
      expect(await rules(['check', join(dir, 'missing.yml')])).toMatchObject({
        code: 1,
        stdout: expect.stringMatching(/^error .*missing\.yml: cannot be read: ENOENT/),
      });
      await expect(rules(['check'])).rejects.toThrow(UsageError);
    });
  });

  describe('test', () => {
    const ruleFile = () => file('root.yml', ROOT_RULE);

    it('reads CloudTrail JSON lines with the real parser and prints the hits and the events each matched', async () => {
      const records = [
        cloudTrailRecord(AT, 'root', '198.51.100.7'),
        cloudTrailRecord(AT + 60_000, 'root', '198.51.100.7'),
        cloudTrailRecord(AT + 120_000, 'fail', '198.51.100.7'),
        cloudTrailRecord(AT + 180_000, 'root', '203.0.113.9'),
      ];
      const events = file('trail.jsonl', records.map((r) => JSON.stringify(r)).join('\n'));
      const { stdout, code } = await rules(['test', ruleFile(), '--events', events]);
      expect(code).toBe(0);
      expect(stdout).toBe(
        [
          `4 cloudtrail events read from ${events}, 2026-01-10T10:00:00.000Z to 2026-01-10T10:03:00.000Z`,
          '',
          'test.root-login "Root signs in" (high): 2 hits',
          '  sourceIPAddress=198.51.100.7  count 2  2 events  2026-01-10T10:00:00.000Z to 2026-01-10T10:01:00.000Z',
          '    2026-01-10T10:01:00.000Z  ConsoleLogin  arn:aws:iam::111122223333:root  198.51.100.7  Success',
          '    2026-01-10T10:00:00.000Z  ConsoleLogin  arn:aws:iam::111122223333:root  198.51.100.7  Success',
          '  sourceIPAddress=203.0.113.9  count 1  1 event  2026-01-10T10:03:00.000Z to 2026-01-10T10:03:00.000Z',
          '    2026-01-10T10:03:00.000Z  ConsoleLogin  arn:aws:iam::111122223333:root  203.0.113.9  Success',
          '',
        ].join('\n')
      );
    });

    it('reads a gzipped CloudTrail file and answers --json', async () => {
      const events = file('trail.json.gz', gzipSync(JSON.stringify({ Records: [cloudTrailRecord(AT, 'root', '198.51.100.7')] })));
      const { stdout } = await rules(['test', ruleFile(), '--events', events, '--json']);
      expect(JSON.parse(stdout)).toMatchObject({
        logType: 'cloudtrail',
        events: 1,
        rules: [
          {
            id: 'test.root-login',
            hits: [{ keys: { sourceIPAddress: '198.51.100.7' }, count: 1, matched: [{ eventName: 'ConsoleLogin' }] }],
          },
        ],
        errors: [],
      });
    });

    it('says so when the rule matches nothing, and reads a log type the rule names (VPC flow lines)', async () => {
      const flowRule = file(
        'ssh.yml',
        `title: SSH accepted from outside\nid: test.ssh\nlogsource: {product: aws, service: vpcflow}\ndetection:\n  sel: {dstport: 22, action: ACCEPT}\n  condition: sel\n`
      );
      const start = AT / 1000;
      const events = file('flows.log', `2 111122223333 eni-1 198.51.100.1 10.0.0.5 50000 443 6 1 60 ${start} ${start + 30} ACCEPT OK\n`);
      const { stdout, code } = await rules(['test', flowRule, '--events', events]);
      expect(stdout).toMatch(/^1 vpcflow event read from .*flows\.log/);
      expect(stdout).toMatch(/test\.ssh "SSH accepted from outside" \(medium\): no hit\n$/);
      expect(code).toBe(0);
    });

    it('refuses events it cannot read, and a file without a rule', async () => {
      await expect(rules(['test', ruleFile(), '--events', join(dir, 'nope.jsonl')])).rejects.toThrow(/nope\.jsonl cannot be read: ENOENT/);
      await expect(rules(['test', ruleFile(), '--events', file('junk.jsonl', 'not a log\n')])).rejects.toThrow(
        /junk\.jsonl: no cloudtrail event could be read: record 1: /
      );
      await expect(rules(['test', ruleFile()])).rejects.toThrow(/--events names the file/);
      await expect(rules(['test', ruleFile(), '--events', 'x', '--log-type', 'syslog'])).rejects.toThrow(/--log-type must be one of/);
      const noRule = await rules([
        'test',
        file('empty.yml', 'title: nothing\n'),
        '--events',
        file('one.jsonl', JSON.stringify(cloudTrailRecord(AT, 'root', '198.51.100.7'))),
      ]);
      expect(noRule.code).toBe(1);
      expect(noRule.stdout).toMatch(/^error .*empty\.yml: .*\nno rule to run in that file\n$/);
    });
  });
});
