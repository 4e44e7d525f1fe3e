/**
 * Amazon ECR: exchange the ambient AWS credentials (environment, OIDC role, instance profile) for a
 * registry login with GetAuthorizationToken. The SDK is imported only when an ECR login is needed,
 * so other runs do not pay for loading it.
 */
import { ConfigurationError, errorMessage, maskSecret } from '@conveyor/core';

export interface RegistryLogin {
  /** Where to log in (the token's proxy endpoint host). */
  registry: string;
  username: string;
  password: string;
}

/** Decodes an ECR authorization token (`base64("AWS:<password>")`). */
export function decodeAuthorizationToken(token: string): { username: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('ECR returned an authorization token that is not user:password');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** A registry login for the ECR registry in `region`; every form of the password is masked first. */
export async function ecrLogin(host: string, region: string, signal?: AbortSignal): Promise<RegistryLogin> {
  const { ECRClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
  const client = new ECRClient({ region, maxAttempts: 3, requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 } });
  let token: string | undefined;
  let endpoint: string | undefined;
  try {
    const reply = await client.send(new GetAuthorizationTokenCommand({}), { abortSignal: signal });
    token = reply.authorizationData?.[0]?.authorizationToken;
    endpoint = reply.authorizationData?.[0]?.proxyEndpoint;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (/Credential|ExpiredToken|UnrecognizedClient|InvalidSignature|AccessDenied/i.test(name) || /credential/i.test(errorMessage(error))) {
      throw new ConfigurationError(
        `Could not get an ECR login for ${host}: ${errorMessage(error)}. Set 'username' and 'password', or configure AWS credentials (aws-actions/configure-aws-credentials) with ecr:GetAuthorizationToken`,
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
  if (!token) throw new Error(`ECR returned no authorization token for ${host}`);
  maskSecret(token);
  const { username, password } = decodeAuthorizationToken(token);
  maskSecret(password, username);
  return { registry: endpoint ? new URL(endpoint).host : host, username, password };
}
