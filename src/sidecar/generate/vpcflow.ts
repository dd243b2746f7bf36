import { awsIp, consumerIp, ephemeralPort, s3Ip, scannerIp } from './network';
import type { Random } from './random';
import type { LogItem } from './logItem';
import { dayFolder, keyStamp } from './time';
import type { Eni, Vpc } from './world';

/** The default (version 2) record format, which the header line of each file names. */
export const FLOW_HEADER = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
export const FLOW_FIELDS = 14;
/** No background record carries more bytes than this; the exfiltration's records all do. */
export const BACKGROUND_MAX_FLOW_BYTES = 20_000_000;

export interface Flow {
  eni: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IANA protocol number: 6 TCP, 17 UDP, 1 ICMP. */
  protocol: number;
  packets: number;
  bytes: number;
  /** Unix seconds. */
  start: number;
  end: number;
  action: 'ACCEPT' | 'REJECT';
}

export function flowLine(account: string, f: Flow): string {
  return `2 ${account} ${f.eni} ${f.src} ${f.dst} ${f.srcPort} ${f.dstPort} ${f.protocol} ${f.packets} ${f.bytes} ${f.start} ${f.end} ${f.action} OK`;
}

/** An interface with no traffic in the aggregation interval. */
export function noDataLine(account: string, eni: string, start: number, end: number): string {
  return `2 ${account} ${eni} - - - - - - - ${start} ${end} - NODATA`;
}

/** `AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/<acct>_vpcflowlogs_<region>_<fl-id>_<stamp>_<hash>.log.gz`. */
export function flowKey(vpc: Vpc, stamp: number, random: Random): string {
  return `AWSLogs/${vpc.account}/vpcflowlogs/${vpc.region}/${dayFolder(stamp)}/${vpc.account}_vpcflowlogs_${vpc.region}_${vpc.flowLogId}_${keyStamp(stamp)}_${random.hex(8)}.log.gz`;
}

export function flowBody(items: LogItem[]): string {
  return `${FLOW_HEADER}\n${items.map((i) => `${i.text}\n`).join('')}`;
}

const SCANNED_PORTS = [22, 23, 3389, 445, 1433, 3306, 5900, 6379, 8080, 8443, 9200, 2375, 5432, 25, 21];

type Conversation = (vpc: Vpc, random: Random) => Omit<Flow, 'start' | 'end'>;

const tcp = (
  eni: string,
  src: string,
  srcPort: number,
  dst: string,
  dstPort: number,
  packets: number,
  bytesPerPacket: number
): Omit<Flow, 'start' | 'end'> => ({
  eni,
  src,
  dst,
  srcPort,
  dstPort,
  protocol: 6,
  packets,
  bytes: Math.min(BACKGROUND_MAX_FLOW_BYTES, packets * bytesPerPacket),
  action: 'ACCEPT',
});

const node = (vpc: Vpc, random: Random): Eni => random.pick(vpc.lb!.nodes);
const web = (vpc: Vpc, random: Random) => random.pick(vpc.web);
const anyInstance = (vpc: Vpc, random: Random) => random.pick(random.chance(0.6) ? vpc.web : vpc.workers);
const client = (vpc: Vpc, random: Random) => (random.chance(0.8) ? vpc.lb!.clients.pick(random) : consumerIp(random));

const WITH_LB: Array<[Conversation, number]> = [
  [
    (v, r) => {
      const n = node(v, r);
      return tcp(n.eni, client(v, r), ephemeralPort(r), n.ip, 443, r.int(6, 40), r.int(60, 700));
    },
    14,
  ],
  [
    (v, r) => {
      const n = node(v, r);
      return tcp(n.eni, n.ip, 443, client(v, r), ephemeralPort(r), r.int(8, 120), r.int(600, 1400));
    },
    14,
  ],
  [
    (v, r) => {
      const n = node(v, r);
      const w = web(v, r);
      return tcp(n.eni, n.ip, ephemeralPort(r), w.ip, 8080, r.int(6, 40), r.int(60, 900));
    },
    8,
  ],
  [
    (v, r) => {
      const n = node(v, r);
      const w = web(v, r);
      return tcp(w.eni, w.ip, 8080, n.ip, ephemeralPort(r), r.int(8, 120), r.int(600, 1400));
    },
    8,
  ],
];

const ANY_VPC: Array<[Conversation, number]> = [
  [
    (v, r) => {
      const w = anyInstance(v, r);
      return tcp(w.eni, w.ip, ephemeralPort(r), v.rds.ip, 5432, r.int(4, 60), r.int(80, 700));
    },
    6,
  ],
  [
    (v, r) => {
      const w = anyInstance(v, r);
      return tcp(v.rds.eni, v.rds.ip, 5432, w.ip, ephemeralPort(r), r.int(4, 200), r.int(200, 1400));
    },
    6,
  ],
  [
    (v, r) => {
      const w = anyInstance(v, r);
      return tcp(w.eni, w.ip, ephemeralPort(r), r.chance(0.5) ? s3Ip(r) : awsIp(r), 443, r.int(5, 80), r.int(100, 1400));
    },
    6,
  ],
  [
    (v, r) => {
      const w = anyInstance(v, r);
      return tcp(w.eni, r.chance(0.5) ? s3Ip(r) : awsIp(r), 443, w.ip, ephemeralPort(r), r.int(5, 400), r.int(500, 1400));
    },
    6,
  ],
  [
    (v, r) => {
      const w = anyInstance(v, r);
      return tcp(v.nat.eni, w.ip, ephemeralPort(r), awsIp(r), 443, r.int(5, 60), r.int(100, 1200));
    },
    4,
  ],
  [
    (v, r) => {
      const l = r.pick(v.lambda);
      return tcp(l.eni, l.ip, ephemeralPort(r), awsIp(r), 443, r.int(5, 40), r.int(100, 1200));
    },
    3,
  ],
  [
    (v, r) => {
      const exposed: Eni[] = v.lb ? [...v.lb.nodes, v.nat] : [v.nat];
      const e = r.pick(exposed);
      const icmp = r.chance(0.08);
      return {
        eni: e.eni,
        src: scannerIp(r),
        dst: e.ip,
        srcPort: icmp ? 0 : r.int(1024, 65535),
        dstPort: icmp ? 0 : r.pick(SCANNED_PORTS),
        protocol: icmp ? 1 : 6,
        packets: r.int(1, 3),
        bytes: r.int(40, 180),
        action: 'REJECT',
      };
    },
    9,
  ],
];

export class FlowWriter {
  private readonly conversations: Array<[Conversation, number]>;
  private readonly total: number;
  private readonly enis: string[];

  constructor(private readonly vpc: Vpc) {
    this.conversations = vpc.lb ? [...WITH_LB, ...ANY_VPC] : ANY_VPC;
    this.total = this.conversations.reduce((sum, [, w]) => sum + w, 0);
    this.enis = [
      ...(vpc.lb?.nodes.map((n) => n.eni) ?? []),
      ...vpc.web.map((w) => w.eni),
      ...vpc.workers.map((w) => w.eni),
      vpc.rds.eni,
      vpc.nat.eni,
      ...vpc.lambda.map((l) => l.eni),
    ];
  }

  /** `count` records starting at random seconds in [from, to), each ending within a minute and before `to`. */
  items(random: Random, count: number, from: number, to: number): LogItem[] {
    const items: LogItem[] = [];
    const first = Math.ceil(from / 1000);
    const last = Math.ceil(to / 1000) - 1;
    for (let i = 0; i < count; i++) {
      const start = random.int(first, last);
      const end = Math.min(last, start + random.int(0, 59));
      if (random.chance(0.01)) {
        items.push({ time: start * 1000, text: noDataLine(this.vpc.account, random.pick(this.enis), start, end) });
        continue;
      }
      const flow = { ...this.pick(random)(this.vpc, random), start, end };
      items.push({ time: start * 1000, text: flowLine(this.vpc.account, flow) });
    }
    return items;
  }

  private pick(random: Random): Conversation {
    let x = random.next() * this.total;
    for (const [c, w] of this.conversations) {
      if ((x -= w) < 0) {
        return c;
      }
    }
    return this.conversations[0][0];
  }
}
