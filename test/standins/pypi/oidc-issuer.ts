/**
 * The runner's OIDC token service, as `core.getIDToken` calls it: `GET $ACTIONS_ID_TOKEN_REQUEST_URL
 * &audience=<aud>` with `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answering
 * `{"value": "<jwt>"}`. The JWT carries the claims a test sets (GitHub's claim names), the requested
 * audience, GitHub's issuer and a fresh `jti`, signed RS256 with this stand-in's key (`publicKey`), so
 * a relying party that checks signatures (the Fulcio stand-in) can; the PyPI stand-in reads claims only.
 */
import { createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { StandIn } from '../../kit/standin';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Every claim GitHub puts in a job's OIDC token (docs.github.com, "OpenID Connect reference",
 * example payload), for `repository` running `workflowFile` on `ref`. `jobWorkflowRef` is the
 * reusable workflow the job runs in, when it does (it equals `workflow_ref` otherwise).
 */
export function githubClaims(options: {
  repository: string;
  workflowFile: string;
  ref?: string;
  sha?: string;
  environment?: string;
  jobWorkflowRef?: string;
}): Record<string, string | undefined> {
  const ref = options.ref ?? 'refs/heads/main';
  const sha = options.sha ?? '0123456789abcdef0123456789abcdef01234567';
  const workflowRef = `${options.repository}/.github/workflows/${options.workflowFile}@${ref}`;
  const owner = options.repository.split('/')[0] as string;
  return {
    sub: `repo:${options.repository}:${options.environment ? `environment:${options.environment}` : `ref:${ref}`}`,
    environment: options.environment,
    ref,
    sha,
    repository: options.repository,
    repository_owner: owner,
    repository_owner_id: '65432',
    repository_id: '123456789',
    repository_visibility: 'public',
    run_id: '4242424242',
    run_number: '17',
    run_attempt: '1',
    runner_environment: 'github-hosted',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    head_ref: '',
    base_ref: '',
    event_name: 'push',
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: 'true',
    job_workflow_ref: options.jobWorkflowRef ?? workflowRef,
    job_workflow_sha: sha,
  };
}

export class OidcIssuerStandIn extends StandIn {
  readonly requestToken = `oidc-request-${randomBytes(12).toString('hex')}`;
  /** Every JWT handed out. */
  readonly issued: string[] = [];
  readonly publicKey: KeyObject;
  private readonly privateKey: KeyObject;

  constructor(public claims: Record<string, string | undefined>) {
    super();
    ({ publicKey: this.publicKey, privateKey: this.privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
    this.route('GET', '/idtoken', (request) => {
      if (request.headers.authorization !== `Bearer ${this.requestToken}`) return { status: 401, json: { message: 'Unauthorized' } };
      const now = Math.floor(Date.now() / 1000);
      const jwt = this.sign({
        ...this.claims,
        aud: request.query.get('audience') ?? GITHUB_ISSUER,
        iss: GITHUB_ISSUER,
        jti: randomBytes(16).toString('hex'),
        iat: now,
        nbf: now,
        exp: now + 300,
      });
      this.issued.push(jwt);
      return { status: 200, json: { count: 1, value: jwt } };
    });
  }

  /** A JWT over `payload`, signed RS256 with this issuer's key. */
  sign(payload: Record<string, unknown>): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'stand-in' })}.${encode(payload)}`;
    return `${signingInput}.${createSign('RSA-SHA256').update(signingInput).sign(this.privateKey).toString('base64url')}`;
  }

  /** The tokens handed out for `audience`. */
  issuedFor(audience: string): string[] {
    return this.issued.filter((jwt) => decodePayload(jwt).aud === audience);
  }

  /** The environment a job with `id-token: write` gets. */
  env(): Record<string, string> {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: `${this.url}/idtoken?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken };
  }
}

/** A JWT's payload, unverified. */
export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
