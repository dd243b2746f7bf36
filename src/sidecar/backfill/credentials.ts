import { S3Client } from '@aws-sdk/client-s3';
// The SDK's own STS client (what its credential providers use to assume roles); the standalone
// @aws-sdk/client-sts package is not installed here.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { allowOnlyAwsOrEndpoint, type AwsClients } from '../aws/clients';
import { errorMessage } from '../log';

export interface RoleToAssume {
  roleArn: string;
  externalId: string | null;
}

const REFRESH_BEFORE_MS = 5 * 60_000;
const SESSION_SECONDS = 3600;

export class AssumeRoleError extends Error {}

/**
 * Temporary credentials of a role, assumed with STS AssumeRole (with the external ID when
 * given) using the sidecar's own credentials, and assumed again 5 minutes before they expire.
 */
export function assumedRoleCredentials(sts: STSClient, role: RoleToAssume, sessionName: string): () => Promise<AwsCredentialIdentity> {
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = 0;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    try {
      const { Credentials: c } = await sts.send(
        new AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
          ExternalId: role.externalId ?? undefined,
          DurationSeconds: SESSION_SECONDS,
        })
      );
      if (!c?.AccessKeyId || !c.SecretAccessKey) {
        throw new AssumeRoleError(`STS gave no credentials for ${role.roleArn}`);
      }
      expiresAt = c.Expiration?.getTime() ?? Date.now() + SESSION_SECONDS * 1000;
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } catch (err) {
      current = undefined;
      throw err instanceof AssumeRoleError ? err : new AssumeRoleError(`cannot assume role ${role.roleArn}: ${errorMessage(err)}`);
    }
  };
  return () => {
    if (!current || Date.now() > expiresAt - REFRESH_BEFORE_MS) {
      current = assume();
    }
    return current;
  };
}

/**
 * The sidecar's clients, except that S3 reads with the assumed role's credentials (a bucket in
 * another account). The endpoint and path style of the sidecar's own S3 clients are kept; STS is
 * asked at the same endpoint when one is configured.
 */
export function withAssumedRole(base: AwsClients, role: RoleToAssume, sessionName: string, region: string): AwsClients {
  const own = base.s3(region).config;
  const sts = new STSClient({ region: own.region, endpoint: own.endpoint, credentials: own.credentials });
  const credentials = assumedRoleCredentials(sts, role, sessionName);
  const clients = new Map<string, S3Client>();
  return {
    endpoint: base.endpoint,
    sqs: (r) => base.sqs(r),
    s3(r) {
      let client = clients.get(r);
      if (!client) {
        const config = base.s3(r).config;
        client = new S3Client({ region: config.region, endpoint: config.endpoint, forcePathStyle: config.forcePathStyle, credentials });
        allowOnlyAwsOrEndpoint(client, base.endpoint);
        clients.set(r, client);
      }
      return client;
    },
  };
}
