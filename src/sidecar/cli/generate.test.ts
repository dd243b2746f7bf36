import { summarizeBucket } from '../generate/bucket';
import type { BucketSummary } from '../generate/types';
import { UsageError } from './args';
import { runGenerate } from './generate';

/** Runs the command with stdout and stderr captured. */
async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await runGenerate(args);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}

const RANGE = ['--end', '2024-01-04T00:00:00Z', '--days', '3', '--events', '2000', '--seed', '12'];

describe('lookback generate', () => {
  it('--dry-run --json prints the plan the library makes for the same options, the human summary on stderr', async () => {
    const { stdout, stderr } = await run(['--dry-run', '--json', ...RANGE, '--accounts', '2']);
    const printed = JSON.parse(stdout) as BucketSummary;
    const expected = summarizeBucket({
      seed: '12',
      end: '2024-01-04T00:00:00Z',
      days: 3,
      targetEvents: 2000,
      accounts: 2,
    });
    expect(printed).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(stderr).toContain(`${expected.objects.toLocaleString('en-US')} objects`);
    expect(stderr).toContain(`attacker ${expected.incident!.attackerIp}`);
    expect(stderr).toContain('reproduce with --seed 12 --end 2024-01-04T00:00:00.000Z --days 3');
  });

  it('passes types, regions, file minutes and --no-incident through', async () => {
    const { stdout } = await run([
      '--dry-run',
      '--json',
      ...RANGE,
      '--types',
      'alb,vpcflow',
      '--regions',
      'eu-west-1',
      '--file-minutes',
      '60',
      '--no-incident',
    ]);
    const printed = JSON.parse(stdout) as BucketSummary;
    expect(printed.types).toEqual(['alb', 'vpcflow']);
    expect(printed.regions).toEqual(['eu-west-1']);
    expect(printed.incident).toBeNull();
    expect(printed.objects).toBeLessThanOrEqual(3 * 24 * (2 + 2 + 3));
  });

  it.each([
    [['--events', 'many'], /--events must be a whole number of events, got "many"/],
    [['--days', '0'], /--days must be a positive number of days/],
    [['--concurrency', '0', '--bucket', 'b'], /--concurrency must be a whole number of at least 1/],
    [['--regions', 'eu-west-1'], /needs us-east-1 among the regions/],
    [['--types', 'cloudtrail,waf'], /types must be some of cloudtrail, alb, vpcflow/],
    [['--end', 'soon'], /end must be a time/],
    [[], /--bucket is required/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with a usage error', async (args, message) => {
    const error = await run([...RANGE, ...args]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('says so clearly when the S3 endpoint cannot be reached', async () => {
    const error = await run([...RANGE, '--bucket', 'logs', '--endpoint', 'http://127.0.0.1:9']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^cannot reach s3:\/\/logs at http:\/\/127\.0\.0\.1:9/);
  }, 20_000);
});
