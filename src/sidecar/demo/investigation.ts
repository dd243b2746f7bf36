import type { QueryRequest, QueryResponse } from '../../shared/query';

/** What the investigation has learnt so far; each step may use the answers before it. */
export interface Findings {
  attackerIp?: string;
  stolenKey?: string;
  stolenKeyActor?: string;
}

export interface InvestigationStep {
  title: string;
  /** The question, in the words an analyst would use. */
  question: string;
  /** Which log type must be loaded for the answer to be complete. */
  logType: 'cloudtrail' | 'alb' | 'vpcflow';
  query(findings: Findings): { query: string; variables?: QueryRequest['variables'] } | undefined;
  /** Reads what the answer teaches the next steps. */
  learn?(answer: QueryResponse, findings: Findings): void;
}

function column(answer: QueryResponse, name: string): unknown[] {
  const index = answer.columns.findIndex((c) => c.name === name);
  return index < 0 ? [] : answer.rows.map((row) => row[index]);
}

/** The value that occurs most often in a column. */
function mostCommon(values: unknown[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) {
    if (typeof v === 'string' && v) {
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * The walk from "someone may have stolen AWS credentials" to the exfiltration, one query at a
 * time, each built from what the previous answers found (never from the generator's facts).
 */
export const INVESTIGATION: InvestigationStep[] = [
  {
    title: 'SSRF to the instance metadata service',
    question: 'Did any web request make our app fetch the EC2 metadata endpoint (169.254.169.254)?',
    logType: 'alb',
    query: () => ({
      query: `ALB
| search "169.254.169.254"
| project time, srcIp, elb_status_code, request
| sort by time asc`,
    }),
    learn: (answer, findings) => {
      findings.attackerIp = mostCommon(column(answer, 'srcIp'));
    },
  },
  {
    title: "What the attacker's address did in AWS",
    question: 'Which AWS API calls came from the address that sent those requests, with which key?',
    logType: 'cloudtrail',
    query: (f) =>
      f.attackerIp
        ? {
            query: `CloudTrail
| where srcIp == $attacker
| summarize calls = count(), first = min(time), last = max(time) by eventName, accessKey = userIdentity.accessKeyId
| sort by first asc`,
            variables: { attacker: f.attackerIp },
          }
        : undefined,
    learn: (answer, findings) => {
      const keys = column(answer, 'accessKey').filter((k): k is string => typeof k === 'string' && k.startsWith('ASIA'));
      findings.stolenKey = mostCommon(keys);
    },
  },
  {
    title: 'Everywhere the stolen key was used',
    question: "The temporary key belongs to the web instance's role: where else was it used from?",
    logType: 'cloudtrail',
    query: (f) =>
      f.stolenKey
        ? {
            query: `CloudTrail
| where userIdentity.accessKeyId == $key
| summarize calls = count(), first = min(time), last = max(time), events = make_set(eventName) by srcIp, actor`,
            variables: { key: f.stolenKey },
          }
        : undefined,
  },
  {
    title: 'Persistence',
    question: 'Did the attacker create credentials or grant permissions that outlive the stolen session?',
    logType: 'cloudtrail',
    query: (f) =>
      f.attackerIp
        ? {
            query: `CloudTrail
| where srcIp == $attacker and eventName in ("CreateAccessKey", "AttachUserPolicy", "CreateUser", "PutUserPolicy", "CreateLoginProfile")
| project time, eventName, actor, outcome, raw
| sort by time asc`,
            variables: { attacker: f.attackerIp },
          }
        : undefined,
  },
  {
    title: 'Exfiltration from S3',
    question: 'Which objects did the attacker read, and in what bursts?',
    logType: 'cloudtrail',
    query: (f) =>
      f.attackerIp
        ? {
            query: `CloudTrail
| where srcIp == $attacker and eventName == "GetObject"
| summarize objects = count() by bin(time, 5m), bucket = requestParameters.bucketName
| sort by time asc`,
            variables: { attacker: f.attackerIp },
          }
        : undefined,
  },
  {
    title: 'Exfiltration on the network',
    question: "How much data left the VPC for the attacker's address?",
    logType: 'vpcflow',
    query: (f) =>
      f.attackerIp
        ? {
            query: `VPCFlow
| where dstIp == $attacker
| summarize flows = count(), bytes = sum(bytes), first = min(time), last = max(time) by srcIp, dstIp, action`,
            variables: { attacker: f.attackerIp },
          }
        : undefined,
  },
];
