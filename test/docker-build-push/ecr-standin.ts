/**
 * A stand-in for the Amazon ECR API's GetAuthorizationToken, checked by the real AWS SDK client
 * (@aws-sdk/client-ecr): it speaks the awsJson1_1 protocol the SDK sends (POST /, X-Amz-Target)
 * and records the SigV4 credential scope, so a test can prove which keys and region were used.
 * The token it returns is a real login for a local registry, so the whole login path runs.
 */
import { StandIn } from '../kit/standin';

export const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

export interface EcrStandInOptions {
  /** What the token decodes to. */
  username: string;
  password: string;
  /** The registry the token is for (`http://127.0.0.1:5000`). */
  proxyEndpoint: string;
  /** Access key ids whose identity lacks ecr:GetAuthorizationToken (answered AccessDeniedException). */
  deniedKeys?: string[];
}

export class EcrStandIn extends StandIn {
  constructor(options: EcrStandInOptions) {
    super();
    this.route('POST', '/', (request) => {
      if (request.headers['x-amz-target'] !== ECR_TARGET) {
        return {
          status: 400,
          json: { __type: 'UnknownOperationException', message: `unexpected target ${String(request.headers['x-amz-target'])}` },
        };
      }
      if (!/^application\/x-amz-json-1\.1/.test(String(request.headers['content-type']))) {
        return { status: 400, json: { __type: 'SerializationException', message: 'expected application/x-amz-json-1.1' } };
      }
      if (
        !/^AWS4-HMAC-SHA256 Credential=[A-Z0-9]+\/\d{8}\/[a-z0-9-]+\/ecr\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/.test(
          String(request.headers.authorization),
        )
      ) {
        return {
          status: 403,
          json: { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
        };
      }
      const key = /Credential=([A-Z0-9]+)\//.exec(String(request.headers.authorization))?.[1] ?? '';
      if (options.deniedKeys?.includes(key)) {
        return {
          status: 400,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          json: {
            __type: 'AccessDeniedException',
            message: `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ecr:GetAuthorizationToken on resource: *`,
          },
        };
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        json: {
          authorizationData: [
            {
              authorizationToken: Buffer.from(`${options.username}:${options.password}`).toString('base64'),
              expiresAt: Math.floor(Date.now() / 1000) + 12 * 3600,
              proxyEndpoint: options.proxyEndpoint,
            },
          ],
        },
      };
    });
  }

  /** The `<access key>/<date>/<region>/ecr` scope of each signed request. */
  credentialScopes(): string[] {
    return this.requests('POST').map((entry) => /Credential=([^,]+)\/aws4_request/.exec(String(entry.headers.authorization))?.[1] ?? '');
  }
}
