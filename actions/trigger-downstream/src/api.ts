/**
 * The slice of the GitHub REST API trigger-downstream uses: the shapes it reads, conditional GETs
 * (an unchanged resource answers 304, which GitHub does not charge to the rate limit), and the
 * errors that mean "the token may not do this", explained with the permission to grant.
 */
import { ConfigurationError, inputError, isForbidden, statusOf, type GitHubClient } from '@conveyor/core';

export interface Target {
  owner: string;
  repo: string;
}

export interface WorkflowRun {
  id: number;
  name?: string | null;
  display_title: string;
  run_number: number;
  event: string;
  status: string | null;
  conclusion: string | null;
  html_url: string;
  head_branch: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string;
}

export interface Step {
  name: string;
  status: string;
  conclusion: string | null;
  number: number;
}

export interface Job {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  started_at: string;
  completed_at: string | null;
  steps?: Step[];
}

/** GitHub's message without Octokit's " - https://docs.github.com/…" suffix. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+-\s+https:\/\/docs\.github\.com\S*$/, '').replace(/\s*\n\s*/g, ' ');
}

/** How a 401 reads, wherever it comes: `GitHub refused it (HTTP 401 Bad credentials)`, 'it' being the token. */
export function refusal(error: unknown): string {
  return `GitHub refused it (HTTP 401 ${messageOf(error)})`;
}

/** A request error the token's permissions explain (401/403/404), as a ConfigurationError; others unchanged. */
export function explainAccess(error: unknown, target: Target, needs: string): unknown {
  const status = statusOf(error);
  const repository = `${target.owner}/${target.repo}`;
  const crossRepo =
    'GITHUB_TOKEN reaches only the repository its workflow runs in: for another repository pass a PAT or a GitHub App token with that access';
  if (status === 401) return inputError('token', refusal(error), 'Pass a valid token');
  if (isForbidden(error)) {
    return new ConfigurationError(`The token may not do this in ${repository} (403 ${messageOf(error)}): it needs ${needs}. ${crossRepo}`);
  }
  if (status === 404) {
    return new ConfigurationError(
      `${repository} was not found, or the token cannot see it (404): the token needs ${needs} on it. ${crossRepo}`,
    );
  }
  return error;
}

type Route = Parameters<GitHubClient['request']>[0];

/**
 * GETs with If-None-Match: the first reply's ETag is remembered, and a 304 (which Octokit throws)
 * returns the remembered body. One reader per action run, a handful of URLs, so no eviction.
 */
export class ConditionalReader {
  private readonly cache = new Map<string, { etag: string; data: unknown }>();

  constructor(private readonly client: GitHubClient) {}

  async get<T>(route: Route, parameters: Record<string, unknown>): Promise<T> {
    const key = `${String(route)} ${JSON.stringify(parameters)}`;
    const cached = this.cache.get(key);
    try {
      const reply = await this.client.request(route, { ...parameters, headers: cached ? { 'if-none-match': cached.etag } : {} });
      const etag = reply.headers.etag;
      if (etag) this.cache.set(key, { etag, data: reply.data });
      return reply.data as T;
    } catch (error) {
      if (statusOf(error) === 304 && cached) return cached.data as T;
      throw error;
    }
  }
}
