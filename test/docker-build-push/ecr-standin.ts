/**
 * A stand-in for the GetAuthorizationToken call of two AWS APIs, checked by the real AWS SDK clients
 * (@aws-sdk/client-ecr, @aws-sdk/client-ecr-public): Amazon ECR's and Amazon ECR Public's. Both speak
 * the awsJson1_1 protocol the SDKs send (POST /, X-Amz-Target) and the stand-in records the SigV4
 * credential scope, so a test can prove which keys, region and service were used. The token it
 * returns is a real login for a local registry, so the whole login path runs.
 *
 * The replies follow AWS's API references and the SDKs' service models:
 * - ECR (target AmazonEC2ContainerRegistry_V20150921, signing name ecr): `authorizationData` is a
 *   list of { authorizationToken, expiresAt, proxyEndpoint }, one per id of the (deprecated, still
 *   answered) `registryIds`, else one for the caller's own registry; `proxyEndpoint` is
 *   `https://<id>.dkr.ecr.<region>.amazonaws.com`
 *   (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAuthorizationToken.html).
 * - ECR Public (target SpencerFrontendService, signing name ecr-public, service model
 *   com.amazonaws.ecrpublic 2020-10-30): `authorizationData` is one object { authorizationToken,
 *   expiresAt } without a proxy endpoint (the registry is public.ecr.aws), and the call is answered
 *   only in us-east-1, elsewhere UnsupportedCommandException ("The action isn't supported in this
 *   Region", HTTP 400)
 *   (https://docs.aws.amazon.com/AmazonECRPublic/latest/APIReference/API_GetAuthorizationToken.html).
 */
import { StandIn, type Reply } from '../kit/standin';

export const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';
export const ECR_PUBLIC_TARGET = 'SpencerFrontendService.GetAuthorizationToken';

export interface EcrStandInOptions {
  /** What the token decodes to. */
  username: string;
  password: string;
  /** Registry endpoints by account id, instead of AWS's (`{ '123456789012': 'http://127.0.0.1:5000' }`). */
  proxyEndpoints?: Record<string, string>;
  /** Access key ids whose identity lacks the GetAuthorizationToken permission (answered AccessDeniedException). */
  deniedKeys?: string[];
}

const SIGNATURE =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/\d{8}\/([a-z0-9-]+)\/([a-z-]+)\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/;
const JSON_TYPE = { 'content-type': 'application/x-amz-json-1.1' };
/** The account of the credentials the stand-in answers for. */
const CALLER_ACCOUNT = '123456789012';

function awsError(status: number, type: string, message: string): Reply {
  return { status, headers: JSON_TYPE, json: { __type: type, message } };
}

export class EcrStandIn extends StandIn {
  constructor(options: EcrStandInOptions) {
    super();
    this.route('POST', '/', (request) => {
      const target = request.headers['x-amz-target'];
      const service = target === ECR_TARGET ? 'ecr' : target === ECR_PUBLIC_TARGET ? 'ecr-public' : undefined;
      if (!service) return awsError(400, 'UnknownOperationException', `unexpected target ${String(target)}`);
      if (!/^application\/x-amz-json-1\.1/.test(String(request.headers['content-type']))) {
        return awsError(400, 'SerializationException', 'expected application/x-amz-json-1.1');
      }
      const [, key = '', region = '', signedFor = ''] = SIGNATURE.exec(String(request.headers.authorization)) ?? [];
      if (signedFor !== service)
        return awsError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (options.deniedKeys?.includes(key)) {
        return awsError(
          400,
          'AccessDeniedException',
          `User: arn:aws:iam::${CALLER_ACCOUNT}:user/ci is not authorized to perform: ${service}:GetAuthorizationToken on resource: *`,
        );
      }
      const authorizationToken = Buffer.from(`${options.username}:${options.password}`).toString('base64');
      const expiresAt = Math.floor(Date.now() / 1000) + 12 * 3600;
      if (service === 'ecr') {
        const { registryIds = [CALLER_ACCOUNT] } = request.json<{ registryIds?: string[] }>();
        const authorizationData = registryIds.map((id) => ({
          authorizationToken,
          expiresAt,
          proxyEndpoint: options.proxyEndpoints?.[id] ?? `https://${id}.dkr.ecr.${region}.amazonaws.com`,
        }));
        return { status: 200, headers: JSON_TYPE, json: { authorizationData } };
      }
      if (region !== 'us-east-1') return awsError(400, 'UnsupportedCommandException', "The action isn't supported in this Region.");
      return { status: 200, headers: JSON_TYPE, json: { authorizationData: { authorizationToken, expiresAt } } };
    });
  }

  /** The `<access key>/<date>/<region>/<service>` scope of each signed request. */
  credentialScopes(): string[] {
    return this.requests('POST').map((entry) => /Credential=([^,]+)\/aws4_request/.exec(String(entry.headers.authorization))?.[1] ?? '');
  }
}
