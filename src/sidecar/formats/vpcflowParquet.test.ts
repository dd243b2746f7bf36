import * as zlib from 'node:zlib';
import { queryAsync } from 'chdb';
import { chunksOf, objectInfo, parseAll } from './parseAll';
import { parquetRows } from './parquetRows';
import { vpcflow } from './vpcflow';

const KEY = 'AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/01/123456789012_vpcflowlogs_us-east-1_fl-0a1b2c3d_20240101T0005Z_0f1e2d3c.log.parquet';

/**
 * A flow log as AWS delivers it in Parquet: the documented field names spelled with `_`, the
 * documented types (INT_32 ports, INT_64 times and counters), written by ClickHouse.
 */
async function flowParquet(rows: number, codec: string, rowGroupSize = 1_000_000): Promise<Buffer> {
  const sql = `
    SELECT
      toInt32(5) AS version, '123456789012' AS account_id, 'eni-0a1b2c3d4e5f60718' AS interface_id,
      concat('10.0.', toString(number % 256), '.', toString(number % 200)) AS srcaddr, '203.0.113.9' AS dstaddr,
      toInt32(40000 + number % 20000) AS srcport, toInt32(443) AS dstport, toInt32(6) AS protocol,
      toInt64(3 + number) AS packets, toInt64(1000 + number) AS bytes,
      toInt64(1704067200 + number) AS start, toInt64(1704067260 + number) AS \`end\`,
      if(number % 3 = 0, 'REJECT', 'ACCEPT') AS action, 'OK' AS log_status,
      if(number % 2 = 0, 'S3', NULL)::Nullable(String) AS pkt_dst_aws_service, 'egress' AS flow_direction,
      'us-east-1' AS region, if(number % 3 = 0, 'BPA', NULL)::Nullable(String) AS reject_reason
    FROM numbers(${rows})
    SETTINGS output_format_parquet_compression_method = '${codec}', output_format_parquet_row_group_size = ${rowGroupSize}`;
  return Buffer.from((await queryAsync(sql, { format: 'Parquet' })).bytes());
}

describe('VPC flow logs in Parquet', () => {
  it.each(['gzip', 'snappy', 'none'])('reads %s-compressed rows under the documented field names', async (codec) => {
    const file = await flowParquet(5, codec);
    const { events, malformed } = await parseAll(vpcflow, chunksOf(file, 1000), objectInfo(KEY));
    expect(malformed).toEqual([]);
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({
      time: 1704067200000,
      eventName: 'REJECT',
      outcome: 'failure',
      srcIp: '10.0.0.0',
      srcPort: 40000,
      dstIp: '203.0.113.9',
      dstPort: 443,
      bytes: 1000,
      status: 'OK',
      region: 'us-east-1',
      account: '123456789012',
    });
    expect(events[0].fields).toMatchObject({
      'account-id': '123456789012',
      'log-status': 'OK',
      'pkt-dst-aws-service': 'S3',
      'reject-reason': 'BPA',
      end: '1704067260',
    });
    expect(events[1].fields).toMatchObject({ 'pkt-dst-aws-service': '-', 'reject-reason': '-' });
    expect(events[0].raw).toBe(
      '5 123456789012 eni-0a1b2c3d4e5f60718 10.0.0.0 203.0.113.9 40000 443 6 3 1000 1704067200 1704067260 REJECT OK S3 egress us-east-1 BPA'
    );
  });

  it('reads every row group, in order, also when the object is spooled to disk', async () => {
    const file = await flowParquet(2500, 'gzip', 1000);
    const { parquetMetadata } = await import('hyparquet');
    expect(parquetMetadata(new Uint8Array(file)).row_groups.length).toBeGreaterThan(1);
    const inMemory = await parseAll(vpcflow, chunksOf(file), objectInfo(KEY));
    const rows: number[] = [];
    for await (const { row, record } of parquetRows(chunksOf(file, 700), 1024)) {
      expect(record).toBeDefined();
      rows.push(row);
    }
    expect(inMemory.events).toHaveLength(2500);
    expect(inMemory.events[2499].time).toBe((1704067200 + 2499) * 1000);
    expect(rows).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  });

  it('reads zstd-compressed rows where Node has zstd, and otherwise reports the codec per row group', async () => {
    const file = await flowParquet(4, 'zstd');
    const { events, malformed } = await parseAll(vpcflow, chunksOf(file), objectInfo(KEY));
    if ('zstdDecompressSync' in zlib) {
      expect([events.length, malformed.length]).toEqual([4, 0]);
    } else {
      expect(events).toEqual([]);
      expect(malformed.map((m) => [m.record, m.reason])).toEqual([
        [1, 'Parquet row group 1 (rows 1-4) cannot be read: parquet unsupported compression codec: ZSTD'],
      ]);
    }
  });

  it('reports an object that starts like Parquet but is not one, without throwing', async () => {
    const { events, malformed } = await parseAll(vpcflow, chunksOf('PAR1 but then nothing useful'), objectInfo(KEY));
    expect(events).toEqual([]);
    expect(malformed).toHaveLength(1);
    expect(malformed[0].record).toBe(1);
    expect(malformed[0].reason).toMatch(/^not a readable Parquet object: /);
  });
});
