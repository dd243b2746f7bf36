import { RuleSyntaxError } from '../errors';
import { fieldRef, quote } from '../quote';
import type { FieldResolver, FieldTarget } from './predicates';

/** The table each `product: aws` service reads. */
const AWS_SERVICES: Record<string, string> = {
  cloudtrail: 'CloudTrail',
  guardduty: 'GuardDuty',
  vpcflow: 'VPCFlow',
  vpc_flow: 'VPCFlow',
  alb: 'ALB',
  elb: 'ELB',
  nlb: 'NLB',
  s3access: 'S3Access',
  s3_access: 'S3Access',
  cloudfront: 'CloudFront',
  waf: 'WAF',
  route53resolver: 'Route53Resolver',
  route53: 'Route53Resolver',
};

/**
 * Parts of JSON records whose shape varies (per API call, per finding type): a path there may
 * name an object or lead into an array, which the `fields` map holds only as leaves and as JSON
 * text. `''` means the whole record.
 */
const FREE_FORM: Record<string, string[]> = {
  CloudTrail: ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'resources'],
  GuardDuty: [''],
  WAF: [''],
};

/** The table a rule's `logsource` names; a clear error for the ones Lookback does not read. */
export function tableOf(logsource: unknown): string {
  if (typeof logsource !== 'object' || logsource === null || Array.isArray(logsource)) {
    throw new RuleSyntaxError('logsource', 'must be a map with product and service, e.g. product: aws, service: cloudtrail');
  }
  const { product, service, category } = logsource as Record<string, unknown>;
  const described = JSON.stringify({ product, service, category });
  const services = Object.keys(AWS_SERVICES).join(', ');
  if (typeof product !== 'string' || product.toLowerCase() !== 'aws') {
    throw new RuleSyntaxError('logsource', `${described} is not a log Lookback reads: it reads product aws (service ${services})`);
  }
  if (category !== undefined) {
    throw new RuleSyntaxError('logsource', `${described}: categories are not mapped for product aws; name the service (${services})`);
  }
  const table = typeof service === 'string' ? AWS_SERVICES[service.toLowerCase()] : undefined;
  if (!table) {
    throw new RuleSyntaxError('logsource', `${described}: service must be one of ${services}`);
  }
  return table;
}

/**
 * Where the rule's field names are read: each log's original fields under their original
 * (dotted) names. In the free-form parts of JSON records a path that is no stored leaf reads
 * as its nearest stored ancestor (an array kept as JSON text), else as the JSON text of the
 * object it names, taken from the record.
 */
export function fieldResolver(table: string): FieldResolver {
  const roots = FREE_FORM[table] ?? [];
  return (field: string): FieldTarget => {
    const free = roots.some((root) => root === '' || field === root || field.startsWith(`${root}.`));
    if (!free) {
      return { original: fieldRef(field), exists: `bag_has_key(fields, ${quote(field)})` };
    }
    const parts = field.split('.');
    const keys = parts.map((_, i) => parts.slice(0, parts.length - i).join('.'));
    const json = `extract_json(${quote(`$${parts.map((p) => `['${p.replace(/[\\']/g, '\\$&')}']`).join('')}`)}, raw)`;
    return {
      original: keys.reduceRight((otherwise, key) => `iff(bag_has_key(fields, ${quote(key)}), ${fieldRef(key)}, ${otherwise})`, json),
      exists: `bag_has_key(fields, ${quote(field)}) or isnotempty(${json})`,
    };
  };
}
