/**
 * Amazon ECR: exchange the ambient AWS credentials (environment, OIDC role, instance profile) for a
 * registry login with GetAuthorizationToken: ECR's API in the registry's region for a private
 * registry, ECR Public's API in us-east-1 (the only region it answers in) for `public.ecr.aws`.
 * Each SDK client is imported only when its login is needed, so other runs do not pay for loading it.
 */
import { ConfigurationError, errorMessage, maskSecret } from '@conveyor/core';
import { ECR_PUBLIC_HOST, parseEcrHost, type EcrRegistry } from './image-name';

export interface RegistryLogin {
  /** Where to log in (for a private registry, the token's proxy endpoint host). */
  registry: string;
  username: string;
  password: string;
}

/** Exchanges the ambient AWS credentials for a login to the ECR registry `host`. */
export type EcrLogin = (host: string, signal?: AbortSignal) => Promise<RegistryLogin>;

const ECR_PUBLIC_REGION = 'us-east-1';
const CLIENT_OPTIONS = { maxAttempts: 3, requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 } };

/** Decodes an ECR authorization token (`base64("AWS:<password>")`). */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('ECR returned an authorization token that is not user:password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

interface Token {
  token?: string;
  /** The registry URL the token is for (private ECR only). */
  endpoint?: string;
}

/**
 * The token for the registry of account `accountId`, asked for by id as docker/login-action does:
 * without `registryIds` the reply's endpoint is the caller's own registry, not another account's.
 */
async function privateToken({ accountId, region }: EcrRegistry, signal?: AbortSignal): Promise<Token> {
  const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  const client = new ECRClient({ region, ...CLIENT_OPTIONS });
  try {
    const reply = await client.send(new GetAuthorizationTokenCommand({ registryIds: [accountId] }), { abortSignal: signal });
    return { token: reply.authorizationData?.[0]?.authorizationToken, endpoint: reply.authorizationData?.[0]?.proxyEndpoint };
  } finally {
    client.destroy();
  }
}

async function publicToken(signal?: AbortSignal): Promise<Token> {
  const { ECRPUBLICClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr-public');
  const client = new ECRPUBLICClient({ region: ECR_PUBLIC_REGION, ...CLIENT_OPTIONS });
  try {
    const reply = await client.send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    return { token: reply.authorizationData?.authorizationToken };
  } finally {
    client.destroy();
  }
}

/** A login for the ECR registry `host` (private or public); every form of the password is masked first. */
export const ecrLogin: EcrLogin = async (host, signal) => {
  const isPublic = host.toLowerCase() === ECR_PUBLIC_HOST;
  const ecr = parseEcrHost(host);
  if (!isPublic && !ecr) throw new Error(`${host} is not an ECR registry`);
  let reply: Token;
  try {
    reply = ecr ? await privateToken(ecr, signal) : await publicToken(signal);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (/Credential|ExpiredToken|UnrecognizedClient|InvalidSignature|AccessDenied/i.test(name) || /credential/i.test(errorMessage(error))) {
      const permission = isPublic ? 'ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken' : 'ecr:GetAuthorizationToken';
      throw new ConfigurationError(
        `Could not get an ECR login for ${host}: ${errorMessage(error)}. Give a username and password for it, or configure AWS credentials (aws-actions/configure-aws-credentials) allowed ${permission}`,
      );
    }
    throw error;
  }
  if (!reply.token) throw new Error(`ECR returned no authorization token for ${host}`);
  maskSecret(reply.token);
  const { username, password } = decodeAuthorizationToken(reply.token);
  maskSecret(password, username);
  return { registry: isPublic ? ECR_PUBLIC_HOST : reply.endpoint ? new URL(reply.endpoint).host : host, username, password };
};
