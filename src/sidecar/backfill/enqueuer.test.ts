import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients } from '../aws/clients';
import { createLogger } from '../log';
import { Enqueuer } from './enqueuer';
import { listPage } from './lister';
import { PACK_LIMITS } from './pack';
import type { ListUnit } from './planner';
import { MemoryBucket } from './testing';

/** Answers SendMessageBatch like SQS (JSON protocol, MD5 of each body), a little late so that calls overlap. */
async function startSqsStub(): Promise<{ endpoint: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { Entries } = JSON.parse(body) as { Entries: Array<{ Id: string; MessageBody: string }> };
      received += Entries.length;
      const Successful = Entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') }));
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ Successful, Failed: [] })), 10);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('enqueueing a backfill', () => {
  it("adds no abort listener to the listing's signal, however many pages and batches run at once", async () => {
    const sqs = await startSqsStub();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const listing = new AbortController();
      let most = 0;
      const add = listing.signal.addEventListener.bind(listing.signal);
      listing.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
        add(...args);
        most = Math.max(most, getEventListeners(listing.signal, 'abort').length);
      }) as AbortSignal['addEventListener'];

      const prefixes = ['a/', 'b/', 'c/', 'd/'];
      // Objects large enough that a message holds two: 150 messages, 15 batches per prefix.
      const bucket = new MemoryBucket(
        'logs',
        prefixes.flatMap((p) =>
          Array.from({ length: 300 }, (_, i) => ({ key: `${p}${String(i).padStart(4, '0')}.json`, size: PACK_LIMITS.maxObjectBytes / 2 }))
        )
      );
      const units: ListUnit[] = prefixes.map((prefix) => ({ prefix, time: null, filter: { from: null, to: null, logType: 'auto' } }));
      const queueUrl = `${sqs.endpoint}/000000000000/backfill`;
      const enqueuer = new Enqueuer(createAwsClients({ region: 'us-east-1', endpoint: sqs.endpoint }).sqs('us-east-1'), queueUrl, listing.signal);
      // Four pages listed at once on one signal, as four listing units a sidecar works on.
      const job = { backfillId: 'bf-1', bucket: 'logs', region: 'us-east-1', order: 'newest' as const };
      const opts = { repo: { recordListed: async () => undefined }, reader: bucket, enqueuer, log: createLogger('silent'), signal: listing.signal };
      await Promise.all(units.map((unit) => listPage(job, unit, '', opts)));

      expect(sqs.received()).toBe(600);
      expect(most).toBe(0);
      expect(getEventListeners(listing.signal, 'abort')).toHaveLength(0);
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await sqs.close();
    }
  });
});
