/**
 * Trusted publishing: trade the job's GitHub OIDC token for a short-lived index token. The index
 * names its audience (`/_/oidc/audience`), GitHub signs a token for it, and `/_/oidc/mint-token`
 * returns an upload token. A refusal (422) is explained with the claims the index matched on.
 */
import { ConfigurationError, errorMessage, HttpError, maskSecret, retry, type HttpClient, type Logger } from '@conveyor/core';

export interface MintFailure {
  message?: string;
  errors?: Array<{ code?: string; description?: string }>;
}

/** The claims the index matches a GitHub publisher on. */
const MATCHED_CLAIMS = ['repository', 'workflow_ref', 'job_workflow_ref', 'ref', 'environment'] as const;

/** The JWT's payload, unverified (only to explain a refusal); {} when it cannot be read. */
export function decodeClaims(jwt: string): Record<string, unknown> {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A claim's value when it is a non-empty string. */
function claim(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value ? value : undefined;
}

/** The workflow file of a `owner/repo/.github/workflows/file.yml@ref` claim. */
function workflowFile(ref: string | undefined): string | undefined {
  return ref && /\/\.github\/workflows\/([^@]+)@/.exec(ref)?.[1];
}

/** One line explaining why the index would not mint a token, and what to change. */
export function explainMintFailure(failure: MintFailure, claims: Record<string, unknown>): string {
  const errors = failure.errors?.length ? failure.errors : [{ code: 'unknown', description: failure.message ?? 'no reason given' }];
  const reasons = errors.map((error) => `${error.code ?? 'unknown'}: ${error.description ?? ''}`.trim()).join('; ');
  const shown = MATCHED_CLAIMS.map((name) => `${name}=${claim(claims, name) ?? 'MISSING'}`).join(', ');
  const hints: string[] = [];
  if (errors.some((error) => error.code === 'invalid-publisher')) {
    const jobWorkflowRef = claim(claims, 'job_workflow_ref');
    const workflowRef = claim(claims, 'workflow_ref');
    const environment = claim(claims, 'environment');
    const jobFile = workflowFile(jobWorkflowRef);
    hints.push(
      `The trusted publisher on the index must name repository ${claim(claims, 'repository') ?? '?'}, workflow ${jobFile ?? '?'}${environment ? ` and environment ${environment}` : ' and no environment (or give the job one)'}`,
    );
    if (jobWorkflowRef && workflowRef && jobWorkflowRef !== workflowRef) {
      hints.push(
        `This job runs in a reusable workflow (${jobFile ?? '?'} called from ${workflowFile(workflowRef) ?? '?'}): the index matches the reusable workflow's file in the calling repository, so a reusable workflow from another repository cannot publish; register ${jobFile ?? 'it'} or use an API token`,
      );
    }
  } else if (errors.some((error) => error.code === 'not-enabled')) {
    hints.push('Trusted publishing is turned off on this index; set the password input to an API token');
  }
  return `Trusted publishing failed (${reasons}). Token claims: ${shown}.${hints.map((hint) => ` ${hint}.`).join('')}`;
}

export interface TrustedPublishingOptions {
  /** Client for the index's origin (no credentials). */
  http: HttpClient;
  /** The runner's ID token for an audience (`core.getIDToken`). */
  getIdToken: (audience: string) => Promise<string>;
  logger: Logger;
  /** Attempts at the exchange after an ambiguous failure, each with a fresh OIDC token. */
  attempts: number;
  signal?: AbortSignal;
}

/** Mints and masks an upload token for the index at `origin`. */
export async function mintUploadToken(origin: string, options: TrustedPublishingOptions): Promise<string> {
  const { http, getIdToken, logger } = options;
  const audienceReply = await http.get<{ audience?: string }>(new URL('/_/oidc/audience', origin).toString(), { accept: [403, 404] });
  if (audienceReply.status === 403)
    throw new ConfigurationError(`${origin} has trusted publishing turned off; set the password input to an API token`);
  if (audienceReply.status === 404 || !audienceReply.data?.audience) {
    throw new ConfigurationError(`${origin} does not support trusted publishing; set the password input to an API token`);
  }
  const audience = audienceReply.data.audience;

  // A token may be exchanged only once, so a failed exchange is retried with a fresh one, never re-sent.
  return retry(
    async () => {
      const jwt = await oidcToken(getIdToken, audience);
      const exchange = (path: string) =>
        http.post<MintFailure & { token?: string }>(new URL(path, origin).toString(), { json: { token: jwt }, accept: [404, 422] });
      let reply = await exchange('/_/oidc/mint-token');
      // Indexes from before the generic route only have GitHub's (a 404 means the token was not looked at).
      if (reply.status === 404) reply = await exchange('/_/oidc/github/mint-token');
      if (reply.status === 404)
        throw new ConfigurationError(`${origin} has no token exchange endpoint; set the password input to an API token`);
      if (reply.status === 422) throw new ConfigurationError(explainMintFailure(reply.data, decodeClaims(jwt)));
      if (!reply.data?.token) throw new Error(`${origin}/_/oidc/mint-token returned no token`);
      maskSecret(reply.data.token);
      logger.info(`Trusted publishing: minted a short-lived upload token for audience '${audience}'`);
      return reply.data.token;
    },
    {
      attempts: options.attempts,
      // Only an exchange that may not have been looked at (no reply, or the index failed) is worth another token.
      isRetryable: (error) => error instanceof HttpError && (error.status === undefined || error.status >= 500),
      what: 'token exchange (a fresh OIDC token each time)',
      logger,
      signal: options.signal,
      maxBackoffMs: 10_000,
    },
  );
}

/** The job's OIDC token for `audience`, masked. */
async function oidcToken(getIdToken: TrustedPublishingOptions['getIdToken'], audience: string): Promise<string> {
  let jwt: string;
  try {
    jwt = await getIdToken(audience);
  } catch (error) {
    throw new ConfigurationError(
      `Could not get the job's OIDC token (${errorMessage(error)}). Give the job 'permissions: id-token: write'`,
    );
  }
  maskSecret(jwt);
  return jwt;
}
