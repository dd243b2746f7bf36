import type { LogType, SourceLogType } from '../../shared/api';
import type { ElbLogKind } from '../keys/elbKeys';
import {
  ACCOUNT,
  BUCKET_NAME,
  DAY,
  HOUR,
  MONTH,
  OPTIONAL_HOUR,
  ORGANIZATION,
  REGION,
  VPC,
  WAF_LOCATION,
  WEB_ACL,
  YEAR,
  keyed,
  literal,
  type Segment,
} from './segments';

/** A folder layout under `[prefix/]`: the levels down to the files. */
export interface FolderLayout {
  /** For messages: `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`. */
  template: string;
  segments: Segment[];
  /** In ELB folders, the file kind the source's log type reads. */
  elbKind?: ElbLogKind;
  /** Minutes by which AWS stamps keys after the events they hold (the default margin). */
  lagMinutes: number;
}

function template(segments: Segment[]): string {
  return segments
    .map((s) => (s.literal ? `${s.literal}/` : s.date ? `${s.hive ? `${s.hive}=` : ''}${s.what}/` : s.optional ? `[<${s.what}>/]` : `<${s.what}>/`))
    .join('');
}

function layout(segments: Segment[], lagMinutes: number, elbKind?: ElbLogKind): FolderLayout {
  return { template: template(segments), segments, lagMinutes, elbKind };
}

const AWSLOGS = literal('AWSLogs');
const DATE = [YEAR, MONTH, DAY];

const cloudtrail = layout([AWSLOGS, ORGANIZATION, ACCOUNT, literal('CloudTrail'), REGION, ...DATE], 15);
const elb = (kind?: ElbLogKind) => layout([AWSLOGS, ACCOUNT, literal('elasticloadbalancing'), REGION, ...DATE], 10, kind);
const vpcflow = layout([AWSLOGS, ACCOUNT, literal('vpcflowlogs'), REGION, ...DATE, OPTIONAL_HOUR], 10);
const vpcflowHive = layout(
  [
    AWSLOGS,
    keyed('aws-account-id', ACCOUNT),
    literal('aws-service=vpcflowlogs'),
    keyed('aws-region', REGION),
    keyed('year', YEAR),
    keyed('month', MONTH),
    keyed('day', DAY),
    keyed('hour', OPTIONAL_HOUR),
  ],
  10
);
const waf = layout([AWSLOGS, ACCOUNT, literal('WAFLogs'), WAF_LOCATION, WEB_ACL, ...DATE, HOUR], 5);
const resolver = layout([AWSLOGS, ACCOUNT, literal('vpcdnsquerylogs'), VPC, ...DATE], 10);
const guardduty = layout([AWSLOGS, ACCOUNT, literal('GuardDuty'), REGION, ...DATE], 15);
export const S3ACCESS_PARTITIONED = layout([ACCOUNT, REGION, BUCKET_NAME, ...DATE], 60);

const AWSLOGS_LAYOUTS: Partial<Record<LogType, FolderLayout[]>> = {
  cloudtrail: [cloudtrail],
  alb: [elb('alb')],
  alb_connection: [elb('alb_connection')],
  nlb: [elb('nlb')],
  elb: [elb('elb')],
  vpcflow: [vpcflow, vpcflowHive],
  waf: [waf],
  route53resolver: [resolver],
  guardduty: [guardduty],
};

/** Every AWSLogs layout, for a source whose type is found per object (`auto`). */
const ALL_AWSLOGS = [cloudtrail, elb(), vpcflow, vpcflowHive, waf, resolver, guardduty];

/** How the planner reads a source's bucket. */
export type LayoutFamily =
  | { kind: 'awslogs'; layouts: FolderLayout[] }
  | { kind: 'cloudfront'; lagMinutes: number }
  | { kind: 's3access'; lagMinutes: number }
  /** No known layout: date folders when there are some, else the prefix filtered by key time or LastModified. */
  | { kind: 'generic'; lagMinutes: number };

export function layoutFamily(logType: SourceLogType): LayoutFamily {
  if (logType === 'auto') {
    return { kind: 'awslogs', layouts: ALL_AWSLOGS };
  }
  const layouts = AWSLOGS_LAYOUTS[logType];
  if (layouts) {
    return { kind: 'awslogs', layouts };
  }
  if (logType === 'cloudfront') {
    return { kind: 'cloudfront', lagMinutes: 60 };
  }
  if (logType === 's3access') {
    return { kind: 's3access', lagMinutes: 60 };
  }
  return { kind: 'generic', lagMinutes: 0 };
}

/** The default margin after `to` for a source type: the longest delivery lag of its layouts. */
export function defaultMarginMinutes(logType: SourceLogType): number {
  const family = layoutFamily(logType);
  return family.kind === 'awslogs' ? Math.max(...family.layouts.map((l) => l.lagMinutes)) : family.lagMinutes;
}
