import { awsIp, consumerIp } from './network';
import type { ResolvedOptions } from './options';
import { Random, seedOf, UPPER_ALNUM, Weighted } from './random';

// The estate the logs describe: accounts, their VPCs, load balancers, instances and people.
// Built once from the seed; every generator reads from it, so names and addresses agree
// across CloudTrail, ALB and VPC flow logs.

export interface Eni {
  eni: string;
  ip: string;
}

export interface Instance extends Eni {
  instanceId: string;
}

export interface AccountInfo {
  id: string;
  name: string;
  kind: 'prod' | 'staging' | 'shared';
}

export interface LoadBalancer {
  account: string;
  region: string;
  name: string;
  id: string;
  /** `app/<name>/<id>`, the elb field of each line. */
  elb: string;
  domain: string;
  certArn: string;
  targetGroupArn: string;
  /** Each node writes its own files; the key carries the node's address. */
  nodes: Eni[];
  targets: Instance[];
  /** Share of all ALB traffic. */
  share: number;
  clients: Weighted<string>;
}

export interface Vpc {
  account: string;
  region: string;
  id: string;
  flowLogId: string;
  lb?: LoadBalancer;
  web: Instance[];
  workers: Instance[];
  rds: Eni;
  nat: Eni & { publicIp: string };
  lambda: Eni[];
  /** Share of all flow records. */
  share: number;
}

export interface Shop {
  account: string;
  region: string;
  domain: string;
  lb: LoadBalancer;
  vpc: Vpc;
  /** The instance with the vulnerable preview endpoint. */
  instance: Instance;
  roleName: string;
  roleId: string;
  customerBucket: string;
  configBucket: string;
}

export interface Person {
  name: string;
  email: string;
  permissionSet: 'AdministratorAccess' | 'PowerUserAccess' | 'ReadOnlyAccess';
  homeIp: string;
}

export interface World {
  seed: string;
  accounts: AccountInfo[];
  regions: string[];
  lbs: LoadBalancer[];
  vpcs: Vpc[];
  /** Share of all CloudTrail records per `<account>/<region>` trail folder. */
  trailShares: Map<string, number>;
  people: Person[];
  officeIps: string[];
  ciIps: string[];
  shop: Shop;
  attackerIp: string;
}

const ACCOUNT_NAMES: Array<[string, AccountInfo['kind']]> = [
  ['shop-prod', 'prod'],
  ['shop-staging', 'staging'],
  ['shared-services', 'shared'],
  ['data-platform', 'shared'],
  ['security-tooling', 'shared'],
  ['sandbox', 'shared'],
];
const PEOPLE = ['alice.nguyen', 'bob.martin', 'carol.diaz', 'dave.kim', 'erin.obrien', 'frank.ito', 'grace.hopper', 'heidi.schmidt'];
const PERMISSION_SETS: Array<Person['permissionSet']> = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'PowerUserAccess'];
export const SHOP_DOMAIN = 'shop.example.com';
const KIND_WEIGHT: Record<AccountInfo['kind'], number> = { prod: 1, staging: 0.35, shared: 0.3 };

function eni(random: Random, ip: string): Eni {
  return { eni: `eni-0${random.hex(16)}`, ip };
}

function instance(random: Random, ip: string): Instance {
  return { ...eni(random, ip), instanceId: `i-0${random.hex(16)}` };
}

/** Client addresses of a site, most requests from a few, a long tail from many. */
function clientPool(random: Random, size: number): Weighted<string> {
  return new Weighted(Array.from({ length: size }, (_, i) => [consumerIp(random), 1 / (1 + i) ** 0.8] as const));
}

export function buildWorld(options: ResolvedOptions): World {
  const random = new Random(seedOf(options.seed, 'world'));
  const accounts = options.accounts.map((id, i): AccountInfo => {
    const [name, kind] = ACCOUNT_NAMES[i % ACCOUNT_NAMES.length];
    return { id, name: i < ACCOUNT_NAMES.length ? name : `${name}-${Math.floor(i / ACCOUNT_NAMES.length) + 1}`, kind };
  });
  const regions = options.regions;
  const regionWeight = (r: number) => (r === 0 ? 1 : 0.35);

  const lbs: LoadBalancer[] = [];
  const vpcs: Vpc[] = [];
  const trailShares = new Map<string, number>();
  accounts.forEach((account, a) => {
    regions.forEach((region, r) => {
      const net = `10.${(a * 8 + r) % 256}`;
      const weight = KIND_WEIGHT[account.kind] * regionWeight(r);
      trailShares.set(`${account.id}/${region}`, weight);
      const web = Array.from({ length: account.kind === 'prod' ? 2 : 1 }, (_, i) => instance(random, `${net}.${10 + i}.${random.int(4, 250)}`));
      const vpc: Vpc = {
        account: account.id,
        region,
        id: `vpc-0${random.hex(16)}`,
        flowLogId: `fl-0${random.hex(16)}`,
        web,
        workers: Array.from({ length: 2 }, (_, i) => instance(random, `${net}.${12 + i}.${random.int(4, 250)}`)),
        rds: eni(random, `${net}.20.${random.int(4, 250)}`),
        nat: { ...eni(random, `${net}.0.${random.int(4, 250)}`), publicIp: awsIp(random) },
        lambda: Array.from({ length: 2 }, (_, i) => eni(random, `${net}.${30 + i}.${random.int(4, 250)}`)),
        share: weight,
      };
      if (account.kind !== 'shared' && (account.kind === 'prod' || r === 0)) {
        const name = account.kind === 'prod' ? (r === 0 ? 'shop-web' : `shop-web-${region.split('-')[1]}`) : 'shop-web-staging';
        const id = random.hex(16);
        const lb: LoadBalancer = {
          account: account.id,
          region,
          name,
          id,
          elb: `app/${name}/${id}`,
          domain: account.kind === 'prod' ? (r === 0 ? SHOP_DOMAIN : `${region.split('-')[1]}.${SHOP_DOMAIN}`) : `staging.${SHOP_DOMAIN}`,
          certArn: `arn:aws:acm:${region}:${account.id}:certificate/${random.uuid()}`,
          targetGroupArn: `arn:aws:elasticloadbalancing:${region}:${account.id}:targetgroup/${name}-tg/${random.hex(16)}`,
          nodes: [eni(random, `${net}.0.${random.int(4, 250)}`), eni(random, `${net}.1.${random.int(4, 250)}`)],
          targets: web,
          share: account.kind === 'prod' ? (r === 0 ? 0.75 : 0.2 / Math.max(1, regions.length - 1)) : 0.05,
          clients: clientPool(random, 2500),
        };
        lbs.push(lb);
        vpc.lb = lb;
      }
      vpcs.push(vpc);
    });
  });

  const shopLb = lbs[0];
  const shopVpc = vpcs[0];
  const shopAccount = accounts[0].id;
  const shop: Shop = {
    account: shopAccount,
    region: regions[0],
    domain: SHOP_DOMAIN,
    lb: shopLb,
    vpc: shopVpc,
    instance: shopVpc.web[0],
    roleName: 'shop-web-ec2-role',
    roleId: `AROA${random.chars(17, UPPER_ALNUM)}`,
    customerBucket: `shop-customer-data-${shopAccount}`,
    configBucket: `shop-config-${shopAccount}`,
  };

  const people = PEOPLE.map((name, i): Person => ({
    name,
    email: `${name}@example.com`,
    permissionSet: PERMISSION_SETS[i % PERMISSION_SETS.length],
    homeIp: consumerIp(random),
  }));
  return {
    seed: options.seed,
    accounts,
    regions,
    lbs,
    vpcs,
    trailShares,
    people,
    officeIps: [consumerIp(random), consumerIp(random)],
    ciIps: Array.from({ length: 40 }, () => awsIp(random)),
    shop,
    attackerIp: `203.0.113.${random.int(20, 230)}`,
  };
}
