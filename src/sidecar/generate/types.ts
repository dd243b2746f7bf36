import type { LogType } from '../../shared/api';

/** The log types the generator writes. */
export const GENERATED_LOG_TYPES = ['cloudtrail', 'alb', 'vpcflow'] as const satisfies readonly LogType[];
export type GeneratedLogType = (typeof GENERATED_LOG_TYPES)[number];

export interface GenerateOptions {
  /** Same seed and options, same bucket, byte for byte. Default 1. */
  seed?: number | string;
  /** End of the time range (exclusive): ms, Date or ISO string. Required: the generator never reads the clock. */
  end: number | string | Date;
  /** Start of the time range; default `end - days`. */
  start?: number | string | Date;
  /** Length of the range in days when `start` is not given; default 30. */
  days?: number;
  /** Account IDs, or how many to make up; default 3. The first one runs the web shop and is attacked. */
  accounts?: number | string[];
  /** Regions; default us-east-1 and eu-west-1. The first one hosts the web shop. */
  regions?: string[];
  /** Default all of GENERATED_LOG_TYPES. */
  types?: GeneratedLogType[];
  /** Background events over the whole range (about; the plan gives the exact count). Default 100,000. */
  targetEvents?: number;
  /** Background events per day; overrides targetEvents. */
  eventsPerDay?: number;
  /** Share of the background per type; default cloudtrail 0.25, alb 0.35, vpcflow 0.4. */
  mix?: Partial<Record<GeneratedLogType, number>>;
  /**
   * Minutes covered by one object per stream; default what AWS does (CloudTrail 5, ALB 5, VPC
   * flow 10). Tests that want fewer, fuller objects may raise it (a divisor of 1440).
   */
  fileMinutes?: Partial<Record<GeneratedLogType, number>>;
  /** Plant the SSRF → stolen credentials → exfiltration incident; default true. */
  incident?: boolean;
  /** When the SSRF fetches the credentials; default a seeded time about 85% into the range. */
  incidentAt?: number | string | Date;
  /** Object order: oldest (default) or newest day first; within a day, by window then stream. */
  order?: 'oldest' | 'newest';
  /** gzip level of the bodies, 1-9; default 6 (zlib's default). */
  gzipLevel?: number;
}

/** One object as the plan knows it, before its body is written. */
export interface PlannedObject {
  key: string;
  logType: GeneratedLogType;
  account: string;
  region: string;
  /**
   * The time in the key (ms): the start of the object's window. AWS stamps the end of the
   * interval or the delivery time instead; stamping the start keeps every event of an object
   * on its key's date folder, so day boundaries are exact.
   */
  keyTime: number;
  /** Every event of the object lies in [windowStart, windowEnd), inside the key's window and day. */
  windowStart: number;
  windowEnd: number;
  /** Events in the body, background plus planted. */
  events: number;
  /** Of which belong to the incident. */
  planted: number;
}

export interface GeneratedObject extends PlannedObject {
  /** The object's bytes, gzipped as AWS writes them. */
  body: Buffer;
  /** Earliest and latest event time in ms, as a parser reads them (CloudTrail eventTime, ALB time, VPC flow start). */
  minTime: number;
  maxTime: number;
}

export interface TypeCounts {
  objects: number;
  events: number;
}

export interface DaySummary {
  /** UTC date, `YYYY-MM-DD`; the key's date folder and the date of every event in those objects. */
  day: string;
  objects: number;
  events: number;
  byType: Partial<Record<GeneratedLogType, TypeCounts>>;
}

export interface BucketSummary {
  seed: string;
  start: string;
  end: string;
  accounts: string[];
  regions: string[];
  types: GeneratedLogType[];
  objects: number;
  events: number;
  byType: Partial<Record<GeneratedLogType, TypeCounts>>;
  byDay: DaySummary[];
  incident: IncidentFacts | null;
}

/** The stages of the incident, in order. */
export const INCIDENT_STEPS = ['recon', 'ssrf', 'enumeration', 'persistence', 'exfiltration'] as const;
export type IncidentStep = (typeof INCIDENT_STEPS)[number];

/** What was planted, so tests and the demo can assert and print it. Times are ISO 8601. */
export interface IncidentFacts {
  account: string;
  region: string;
  attackerIp: string;
  webApp: {
    domain: string;
    loadBalancer: string;
    instanceId: string;
    instancePrivateIp: string;
    roleName: string;
    roleArn: string;
    /** The vulnerable endpoint: it fetches any URL given in `url=`. */
    ssrfPath: string;
  };
  stolenCredentials: {
    accessKeyId: string;
    /** The assumed-role session's ARN, the actor of every call made with the key. */
    arn: string;
    /**
     * When ec2.amazonaws.com's AssumeRole issued the key to the instance (its responseElements
     * carry the key, so a free-text search finds it once more); null when before the range.
     */
    issuedAt: string | null;
    /** The instance itself used the key in this hour, from its NAT gateway address. */
    instanceUse: { from: string; to: string; sourceIp: string; events: number };
  };
  persistence: { userName: string; accessKeyId: string; policyArn: string };
  customerDataBucket: string;
  timeline: Array<{ step: IncidentStep; from: string; to: string; summary: string }>;
  alb: {
    /** Every request from the attacker IP (recon plus SSRF). */
    requestsFromAttacker: number;
    /** Requests whose URL carries `169.254.169.254/latest/meta-data/iam/security-credentials/`. */
    ssrfRequests: number;
    ssrfUrls: string[];
  };
  cloudtrail: {
    /** Every record from the attacker IP, per eventName. */
    fromAttacker: number;
    fromAttackerByEventName: Record<string, number>;
    /** Every record signed with the stolen key, per source IP (attacker and the instance). */
    stolenKeyEvents: number;
    stolenKeyEventsBySourceIp: Record<string, number>;
    /** Records made with the persistence key (the attacker checking it works). */
    persistenceKeyEvents: number;
    /** GetObject data events on the customer-data bucket from the attacker, in bursts. */
    getObject: number;
    getObjectBursts: Array<{ from: string; to: string; objects: number; bytes: number }>;
    /** Event names the background never uses: every one of them is the attacker's. */
    onlyInIncident: string[];
  };
  vpcflow: {
    /** Every flow record with the attacker IP as source or destination. */
    recordsWithAttacker: number;
    /** Records from the instance to the attacker (the exfiltration), and their bytes. */
    egressRecords: number;
    egressBytes: number;
    flowLogId: string;
  };
  /** Every planted event, per log type. */
  plantedByType: Partial<Record<GeneratedLogType, number>>;
}
