import { APIS, type Api, type ApiContext } from './cloudtrailApis';
import { buildCallers, type AccountCallers, type Caller } from './cloudtrailIdentities';
import { resolveOptions } from './options';
import { ALNUM, Random, seedOf } from './random';
import type { LogItem } from './logItem';
import { dayFolder, HOUR, isoSeconds, keyStamp } from './time';
import { buildWorld, type AccountInfo, type World } from './world';

/** The fields of one CloudTrail record, in the order AWS writes them. */
export interface RecordSpec {
  time: number;
  identity: Record<string, unknown>;
  source: string;
  name: string;
  region: string;
  sourceIp: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  readOnly: boolean;
  resources?: Array<Record<string, string>>;
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  data?: boolean;
  account: string;
  /** Host the client asked for; no TLS details for calls AWS services make for you. */
  tlsHost?: string;
  console?: boolean;
}

export function cloudTrailRecord(spec: RecordSpec, random: Random): Record<string, unknown> {
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: spec.identity,
    eventTime: isoSeconds(spec.time),
    eventSource: spec.source,
    eventName: spec.name,
    awsRegion: spec.region,
    sourceIPAddress: spec.sourceIp,
    userAgent: spec.userAgent,
  };
  if (spec.errorCode) {
    record.errorCode = spec.errorCode;
  }
  if (spec.errorMessage) {
    record.errorMessage = spec.errorMessage;
  }
  record.requestParameters = spec.requestParameters;
  record.responseElements = spec.responseElements;
  if (spec.additionalEventData) {
    record.additionalEventData = spec.additionalEventData;
  }
  record.requestID = spec.data ? random.hex(16).toUpperCase() : random.uuid();
  record.eventID = random.uuid();
  record.readOnly = spec.readOnly;
  if (spec.resources) {
    record.resources = spec.resources;
  }
  record.eventType = spec.eventType ?? 'AwsApiCall';
  record.managementEvent = !spec.data;
  record.recipientAccountId = spec.account;
  record.eventCategory = spec.data ? 'Data' : 'Management';
  if (spec.tlsHost) {
    record.tlsDetails = {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: spec.tlsHost,
    };
  }
  if (spec.console) {
    record.sessionCredentialFromConsole = 'true';
  }
  return record;
}

/** The endpoint a client connects to for a call. */
export function endpointHost(source: string, region: string, params: Record<string, unknown> | null): string {
  const service = source.replace('.amazonaws.com', '');
  if (service === 'iam') {
    return 'iam.amazonaws.com';
  }
  if (service === 'signin') {
    return 'signin.aws.amazon.com';
  }
  if (service === 's3') {
    return params?.key ? `${String(params.bucketName)}.s3.${region}.amazonaws.com` : 's3.amazonaws.com';
  }
  return `${service}.${region}.amazonaws.com`;
}

const ACTION = (name: string) => name.replace(/\d{8}(v\d)?$/, '');

/** Writes the background records of one trail folder (an account and region). */
export class TrailWriter {
  private readonly callers: AccountCallers;

  constructor(
    private readonly world: World,
    private readonly account: AccountInfo,
    private readonly region: string,
    /** Hour in which the attacked instance's key was stolen: its own calls then are planted, not background. */
    private readonly stolenHour: number | null
  ) {
    this.callers = buildCallers(world, account, region);
  }

  record(random: Random, time: number): Record<string, unknown> {
    const pool = this.stolenHour !== null && Math.floor(time / HOUR) === this.stolenHour ? this.callers.callersWithoutVictim : this.callers.callers;
    const caller = pool.pick(random);
    const name = (this.region === 'us-east-1' ? caller.apis : caller.regionalApis).pick(random);
    const api: Api = APIS[name];
    const region = api.global ? 'us-east-1' : this.region;
    const c: ApiContext = { random, world: this.world, account: this.account, region, time };
    const identity = caller.identity(time);
    const params = api.params ? api.params(c) : null;
    const spec: RecordSpec = {
      time,
      identity,
      source: api.source,
      name: api.name,
      region,
      sourceIp: caller.sourceIp(random, time),
      userAgent: caller.userAgent(random, `${api.source.split('.')[0]}.${api.name}`),
      requestParameters: params,
      responseElements: null,
      readOnly: api.readOnly,
      eventType: api.eventType,
      data: api.data,
      account: this.account.id,
      tlsHost: isDirect(caller) ? endpointHost(api.source, region, params) : undefined,
      console: caller.console,
    };
    const failure = failureOf(random, caller, api, identity);
    if (failure) {
      Object.assign(spec, failure);
    } else {
      spec.responseElements = api.response ? api.response(c) : null;
      spec.additionalEventData = api.additional?.(c);
    }
    spec.resources = api.resources?.(c, params);
    return cloudTrailRecord(spec, random);
  }

  /** `count` records at random times in [from, to), whole seconds as CloudTrail writes them. */
  items(random: Random, count: number, from: number, to: number): LogItem[] {
    const items: LogItem[] = [];
    for (let i = 0; i < count; i++) {
      const time = Math.floor((from + random.next() * (to - from)) / 1000) * 1000;
      items.push({ time, text: JSON.stringify(this.record(random, time)) });
    }
    return items;
  }
}

function isDirect(caller: Caller): boolean {
  return caller.kind !== 'config' && caller.kind !== 'autoscaling' && caller.kind !== 'service';
}

function failureOf(random: Random, caller: Caller, api: Api, identity: Record<string, unknown>): Partial<RecordSpec> | undefined {
  if (api.name === 'ConsoleLogin') {
    return random.chance(0.03) ? { responseElements: { ConsoleLogin: 'Failure' }, errorMessage: 'Failed authentication' } : undefined;
  }
  if ((caller.kind === 'person' || caller.kind === 'ci' || caller.kind === 'lambda') && random.chance(0.02)) {
    const action = `${api.source.split('.')[0]}:${ACTION(api.name)}`;
    return api.data
      ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }
      : {
          errorCode: 'AccessDenied',
          errorMessage: `User: ${String(identity.arn)} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
        };
  }
  if (api.source === 'ec2.amazonaws.com' && api.readOnly && random.chance(0.004)) {
    return { errorCode: 'Client.RequestLimitExceeded', errorMessage: 'Request limit exceeded.' };
  }
  return undefined;
}

/** A trail's object key: `AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<stamp>_<16 chars>.json.gz`. */
export function cloudTrailKey(account: string, region: string, stamp: number, random: Random): string {
  return `AWSLogs/${account}/CloudTrail/${region}/${dayFolder(stamp)}/${account}_CloudTrail_${region}_${keyStamp(stamp)}_${random.chars(16, ALNUM)}.json.gz`;
}

/** The body AWS writes: `{"Records":[...]}`. */
export function cloudTrailBody(items: LogItem[]): string {
  return `{"Records":[${items.map((i) => i.text).join(',')}]}`;
}

export interface CloudTrailFile {
  key: string;
  records: object[];
}

export interface CloudTrailOptions {
  account: string;
  region: string;
  start: number;
  end: number;
  files: number;
  eventsPerFile: number;
  seed: number;
}

/**
 * A fixed number of CloudTrail files spread evenly over [start, end), each with
 * `eventsPerFile` background records from the 5 minutes its key's stamp starts.
 */
export function cloudTrailFiles(opts: CloudTrailOptions): CloudTrailFile[] {
  const resolved = resolveOptions({
    seed: opts.seed,
    start: opts.start,
    end: opts.end,
    accounts: [opts.account],
    regions: [opts.region],
    incident: false,
  });
  const world = buildWorld(resolved);
  const writer = new TrailWriter(world, world.accounts[0], opts.region, null);
  const span = resolved.end - resolved.start;
  const files: CloudTrailFile[] = [];
  for (let f = 0; f < opts.files; f++) {
    const random = new Random(seedOf(resolved.seed, 'files', f));
    const stamp = resolved.start + Math.floor((f * span) / opts.files / 60_000) * 60_000;
    const to = Math.min(resolved.end, stamp + 5 * 60_000);
    const items = writer.items(random, opts.eventsPerFile, stamp, to).sort((a, b) => a.time - b.time);
    files.push({
      key: cloudTrailKey(opts.account, opts.region, stamp, random),
      records: items.map((i) => JSON.parse(i.text) as object),
    });
  }
  return files;
}
