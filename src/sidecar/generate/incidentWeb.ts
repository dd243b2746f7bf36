import { albLine, type AlbRequest } from './alb';
import { ATTACKER_BROWSER, ATTACKER_SCRIPT, METADATA_CREDENTIALS_URL, SECOND, type IncidentContext, type PlantedEvent } from './incidentContext';
import { ephemeralPort } from './network';
import { Random, seedOf } from './random';
import { albStream, flowStream } from './streamIds';
import { MINUTE } from './time';
import type { IncidentStep } from './types';
import { flowLine, type Flow } from './vpcflow';

/** One request of the attacker to the shop: [offset from t0, path, status, bytes sent, agent, step]. */
type Visit = [number, string, number, number, string, IncidentStep];

function visits(roleName: string, random: Random): Visit[] {
  const B = ATTACKER_BROWSER;
  const S = ATTACKER_SCRIPT;
  return [
    [-40 * MINUTE, '/', 200, 18_422, B, 'recon'],
    [-40 * MINUTE + 2 * SECOND, `/static/js/app.${random.hex(8)}.js`, 200, 184_310, B, 'recon'],
    [-39 * MINUTE, `/products/${random.int(1000, 9999)}`, 200, 27_118, B, 'recon'],
    [-37 * MINUTE, '/robots.txt', 200, 412, B, 'recon'],
    [-31 * MINUTE, '/.env', 404, 512, S, 'recon'],
    [-31 * MINUTE + 1 * SECOND, '/.git/config', 404, 512, S, 'recon'],
    [-31 * MINUTE + 2 * SECOND, '/admin', 404, 512, S, 'recon'],
    [-31 * MINUTE + 3 * SECOND, '/actuator/env', 404, 512, S, 'recon'],
    [-24 * MINUTE, `/api/preview?url=${encodeURIComponent('https://example.org/')}`, 200, 1_208, S, 'recon'],
    [-19 * MINUTE, '/api/preview?url=http://127.0.0.1:8080/', 200, 9_877, S, 'recon'],
    [-17 * MINUTE, '/api/preview?url=http://localhost:22/', 502, 318, S, 'recon'],
    [-1 * MINUTE, `/api/preview?url=${METADATA_CREDENTIALS_URL}`, 200, 402, S, 'ssrf'],
    [0, `/api/preview?url=${METADATA_CREDENTIALS_URL}${roleName}`, 200, 1_684, S, 'ssrf'],
  ];
}

/**
 * The attacker on the shop: browsing, probing, then the SSRF through the link preview, each
 * request in the ALB log of the node that served it and its connection in the flow log.
 */
export function plantWebAttack(ctx: IncidentContext): PlantedEvent[] {
  const { shop, attackerIp } = ctx.world;
  const { lb, instance, account, region } = shop;
  const random = new Random(seedOf(ctx.options.seed, 'incident-web'));
  const planted: PlantedEvent[] = [];
  const flows = flowStream(shop.vpc.flowLogId, account, region);
  for (const [offset, path, status, sent, agent, step] of visits(shop.roleName, random)) {
    const time = ctx.t0 + offset + random.int(0, 900);
    const node = random.pick(lb.nodes);
    const clientPort = ephemeralPort(random);
    const preview = path.startsWith('/api/preview');
    const failed = status === 502;
    const request: AlbRequest = {
      protocol: 'https',
      time,
      client: attackerIp,
      clientPort,
      // The preview endpoint is served by the vulnerable instance.
      target: preview ? instance : random.pick(lb.targets),
      requestProcessing: 0,
      targetProcessing: failed ? -1 : preview ? 0.18 + random.next() * 0.4 : 0.004 + random.next() * 0.03,
      responseProcessing: failed ? -1 : 0,
      elbStatus: status,
      targetStatus: failed ? null : status,
      receivedBytes: 210 + path.length + random.int(0, 120),
      sentBytes: sent,
      method: 'GET',
      path,
      userAgent: agent,
      rulePriority: path.startsWith('/api/') ? 1 : path.startsWith('/static/') ? 2 : 0,
      actions: 'forward',
    };
    if (ctx.has('alb')) {
      const stream = albStream(lb.name, account, region, node.ip);
      planted.push({ logType: 'alb', stream, time, text: albLine(lb, request, random), step });
    }
    if (ctx.has('vpcflow')) {
      const start = Math.floor(time / SECOND);
      const end = Math.min(start + random.int(1, 20), Math.floor(start / 60) * 60 + 59);
      const inbound: Flow = {
        eni: node.eni,
        src: attackerIp,
        dst: node.ip,
        srcPort: clientPort,
        dstPort: 443,
        protocol: 6,
        packets: random.int(8, 14),
        bytes: request.receivedBytes + random.int(900, 1600),
        start,
        end,
        action: 'ACCEPT',
      };
      const outbound: Flow = {
        ...inbound,
        src: node.ip,
        dst: attackerIp,
        srcPort: 443,
        dstPort: clientPort,
        packets: random.int(8, 30),
        bytes: sent + random.int(2000, 4200),
      };
      for (const flow of [inbound, outbound]) {
        planted.push({ logType: 'vpcflow', stream: flows, time: start * SECOND, text: flowLine(account, flow), step });
      }
    }
  }
  return planted;
}
