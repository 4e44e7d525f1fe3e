/**
 * The runner's OIDC token service, as `core.getIDToken` calls it: `GET $ACTIONS_ID_TOKEN_REQUEST_URL
 * &audience=<aud>` with `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answering
 * `{"value": "<jwt>"}`. The JWT carries the claims a test sets (GitHub's claim names), the requested
 * audience, GitHub's issuer and a fresh `jti`; its signature is a placeholder (the PyPI stand-in reads
 * claims, it does not verify keys).
 */
import { randomBytes } from 'node:crypto';
import { StandIn } from '../../kit/standin';
import { GITHUB_ISSUER } from './server';

export class OidcIssuerStandIn extends StandIn {
  readonly requestToken = `oidc-request-${randomBytes(12).toString('hex')}`;
  /** Every JWT handed out. */
  readonly issued: string[] = [];

  constructor(public claims: Record<string, string | undefined>) {
    super();
    this.route('GET', '/idtoken', (request) => {
      if (request.headers.authorization !== `Bearer ${this.requestToken}`) return { status: 401, json: { message: 'Unauthorized' } };
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        ...this.claims,
        aud: request.query.get('audience') ?? GITHUB_ISSUER,
        iss: GITHUB_ISSUER,
        jti: randomBytes(16).toString('hex'),
        iat: now,
        nbf: now,
        exp: now + 300,
      };
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const jwt = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'stand-in' })}.${encode(payload)}.${Buffer.from('stand-in signature').toString('base64url')}`;
      this.issued.push(jwt);
      return { status: 200, json: { count: 1, value: jwt } };
    });
  }

  /** The environment a job with `id-token: write` gets. */
  env(): Record<string, string> {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: `${this.url}/idtoken?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken };
  }
}
