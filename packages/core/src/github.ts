/**
 * GitHub client: Octokit from @actions/github (API base from GITHUB_API_URL, so GitHub Enterprise
 * Server works), with the retry and throttling plugins, a pinned REST API version, a timeout on
 * every request, and no automatic retry of POST/PATCH (a retried dispatch would start a second run).
 */
import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { abortReason } from './cancel';
import type { Logger } from './log';

export type GitHubClient = ReturnType<typeof getOctokit>;

export const GITHUB_API_VERSION = '2022-11-28';

export interface GitHubClientOptions {
  logger: Logger;
  signal?: AbortSignal;
  /** Bound on one request (default 30 s). */
  timeoutMs?: number;
  /** Retries for idempotent requests (default 3). */
  retries?: number;
  /** Longest rate-limit wait we accept before failing (default 5 min). */
  maxRateLimitWaitMs?: number;
  apiVersion?: string;
  /** API base URL; defaults to GITHUB_API_URL (GitHub Enterprise Server) or api.github.com. */
  baseUrl?: string;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/**
 * Statuses the retry plugin leaves alone: its defaults, and 429, which it would send again after its
 * own 1 s backoff; the throttling plugin waits as the reply asks (Retry-After, the reset time, or a minute).
 */
const NOT_RETRIED = [400, 401, 403, 404, 410, 422, 429, 451];

/** An authenticated Octokit for `token`. */
export function createGitHubClient(token: string, options: GitHubClientOptions): GitHubClient {
  const { logger, signal, timeoutMs = 30_000, retries = 3, maxRateLimitWaitMs = 300_000 } = options;
  const baseFetch = (defaults.request?.fetch ?? fetch) as typeof fetch;
  const timedFetch: typeof fetch = async (url, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signals = [timeout, ...(signal ? [signal] : []), ...(init?.signal ? [init.signal] : [])];
    try {
      return await baseFetch(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (error) {
      // Octokit reports an abort as "Unknown Error" or "This operation was aborted": say what happened.
      if (timeout.aborted) throw new Error(`The request timed out after ${timeoutMs / 1000} s`, { cause: error });
      throw error;
    }
  };
  const rateLimited =
    (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (retryCount >= retries || retryAfter * 1000 > maxRateLimitWaitMs) return false;
      logger.warning(`GitHub ${kind} rate limit on ${request.method} ${request.url}; retrying in ${retryAfter} s`);
      return true;
    };
  const octokit = getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      request: { fetch: timedFetch },
      retry: { retries, doNotRetry: NOT_RETRIED },
      throttle: { onRateLimit: rateLimited('primary'), onSecondaryRateLimit: rateLimited('secondary') },
      log: { debug: () => undefined, info: () => undefined, warn: (m: string) => logger.debug(m), error: (m: string) => logger.debug(m) },
    },
    retry,
    throttling,
  );
  const apiVersion = options.apiVersion ?? GITHUB_API_VERSION;
  octokit.hook.before('request', (request) => {
    request.headers['x-github-api-version'] ??= apiVersion;
    // A POST or PATCH that failed may still have taken effect: the caller decides, never the plugin.
    if (!IDEMPOTENT.has(request.method)) request.request = { ...request.request, retries: 0 };
  });
  // The retry plugin sees an aborted fetch as a 500 and retries it (1 + 4 + 9 s): on cancellation the
  // caller must hear at once, so the whole request (retries included) races the signal.
  if (signal) {
    octokit.hook.wrap('request', (request, requestOptions) => {
      signal.throwIfAborted();
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        Promise.resolve(request(requestOptions))
          .then(resolve, reject)
          .finally(() => signal.removeEventListener('abort', onAbort));
      });
    });
  }
  return octokit;
}
