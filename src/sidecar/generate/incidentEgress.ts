import { SECOND, type IncidentContext, type PlantedEvent } from './incidentContext';
import { ephemeralPort } from './network';
import { Random, seedOf } from './random';
import { flowStream } from './streamIds';
import { MINUTE } from './time';
import { flowLine, type Flow } from './vpcflow';

export interface PlantedEgress {
  planted: PlantedEvent[];
  /** Records from the instance to the attacker, and their bytes. */
  records: number;
  bytes: number;
}

/**
 * The shell command streams a database dump from the instance to the attacker over one TCP
 * connection: a record a minute each way on the instance's interface, the outbound ones large.
 */
export function plantEgress(ctx: IncidentContext): PlantedEgress {
  if (!ctx.has('vpcflow')) {
    return { planted: [], records: 0, bytes: 0 };
  }
  const { shop, attackerIp } = ctx.world;
  const { instance, account, region } = shop;
  const random = new Random(seedOf(ctx.options.seed, 'incident-egress'));
  const stream = flowStream(shop.vpc.flowLogId, account, region);
  const from = Math.floor((ctx.t0 + 17 * MINUTE + 40 * SECOND) / MINUTE) * MINUTE;
  const minutes = random.int(18, 24);
  const srcPort = ephemeralPort(random);
  const planted: PlantedEvent[] = [];
  let bytes = 0;
  for (let m = 0; m < minutes; m++) {
    const start = (from + m * MINUTE) / SECOND;
    const sent = random.int(60_000_000, 140_000_000);
    const packets = Math.ceil(sent / 1448);
    const out: Flow = {
      eni: instance.eni,
      src: instance.ip,
      dst: attackerIp,
      srcPort,
      dstPort: 443,
      protocol: 6,
      packets,
      bytes: sent,
      start,
      end: start + 59,
      action: 'ACCEPT',
    };
    const acks = Math.ceil(packets / 2);
    const back: Flow = {
      ...out,
      src: attackerIp,
      dst: instance.ip,
      srcPort: 443,
      dstPort: srcPort,
      packets: acks,
      bytes: acks * 52,
    };
    for (const flow of [out, back]) {
      planted.push({
        logType: 'vpcflow',
        stream,
        time: start * SECOND,
        text: flowLine(account, flow),
        step: 'exfiltration',
      });
    }
    bytes += sent;
  }
  return { planted, records: minutes, bytes };
}
