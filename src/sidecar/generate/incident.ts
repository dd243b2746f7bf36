import { accessKeyId, assumedRole, instanceSession } from './cloudtrailIdentities';
import type { IncidentContext, PlantedEvent } from './incidentContext';
import { plantEgress } from './incidentEgress';
import { incidentFacts } from './incidentFacts';
import { plantCloudTrail } from './incidentTrail';
import { plantWebAttack } from './incidentWeb';
import type { ResolvedOptions } from './options';
import type { IncidentFacts } from './types';
import type { World } from './world';

// The scenario Lookback was born for, planted in the background: an SSRF in the shop's link
// preview fetches the instance role's credentials from the metadata service; the attacker
// uses them from outside to look around, to make themselves a key of their own, and to take
// the customer data, through S3 and through the instance itself.

export type { PlantedEvent } from './incidentContext';

export interface Incident {
  facts: IncidentFacts;
  /** Every planted event, in time order. */
  planted: PlantedEvent[];
}

export function buildIncident(world: World, options: ResolvedOptions): Incident | null {
  if (!options.incident || options.incidentAt === null) {
    return null;
  }
  const { shop } = world;
  const session = instanceSession(world, shop.instance, options.incidentAt);
  const identity = assumedRole(shop.account, shop.roleName, shop.roleId, shop.instance.instanceId, session.keyId, session.issued, {
    ec2RoleDelivery: '2.0',
  });
  const ctx: IncidentContext = {
    options,
    world,
    t0: options.incidentAt,
    stolen: { keyId: session.keyId, issued: session.issued, identity, arn: String(identity.arn) },
    persistenceKey: accessKeyId(options.seed, 'AKIA', 'persistence', shop.account),
    has: (type) => options.types.includes(type),
  };
  const web = plantWebAttack(ctx);
  const trail = plantCloudTrail(ctx);
  const egress = plantEgress(ctx);
  const planted = [...web, ...trail.planted, ...egress.planted].sort((a, b) => a.time - b.time);
  return { facts: incidentFacts(ctx, planted, trail, egress), planted };
}
