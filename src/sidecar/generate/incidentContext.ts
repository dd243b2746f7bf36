import type { ResolvedOptions } from './options';
import type { GeneratedLogType, IncidentStep } from './types';
import type { World } from './world';

/** An event of the incident, already written, waiting for its object. */
export interface PlantedEvent {
  logType: GeneratedLogType;
  stream: string;
  time: number;
  text: string;
  /** The attack step, or `context` for the instance's own use of its key and the key's issue. */
  step: IncidentStep | 'context';
}

/** What every part of the incident needs to know. */
export interface IncidentContext {
  options: ResolvedOptions;
  world: World;
  /** When the SSRF fetches the credentials. */
  t0: number;
  stolen: {
    keyId: string;
    /** When the instance's session, and so the key, was issued. */
    issued: number;
    identity: Record<string, unknown>;
    arn: string;
  };
  persistenceKey: string;
  has(type: GeneratedLogType): boolean;
}

export const SECOND = 1000;
export const METADATA_CREDENTIALS_URL = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
export const ATTACKER_BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
export const ATTACKER_SCRIPT = 'python-requests/2.31.0';
export const PERSISTENCE_USER = 'ci-deploy';
export const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** Event names no background record uses. */
export const ONLY_IN_INCIDENT = ['CreateAccessKey', 'AttachUserPolicy', 'SendCommand', 'GetAccountAuthorizationDetails', 'ListObjects'];

export function attackerCli(command: string): string {
  return (
    'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 ' +
    `md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#kali.2024 md/prompt#off md/command#${command}`
  );
}
