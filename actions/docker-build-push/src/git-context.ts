/**
 * What the workflow run is building, from GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA and the event
 * payload, read as docker/metadata-action reads them. The tag engine works only from this.
 */
export interface GitContext {
  eventName: string;
  /** The ref the tags come from; for pull_request_target, the pull request's `refs/pull/N/merge`. */
  ref: string;
  /** The commit being built (for a pull request, GitHub's merge commit, or its head on request). */
  sha: string;
  /** Set when the ref is a branch. */
  branch?: string;
  /** Set when the ref is a tag. */
  tag?: string;
  /** Set for pull_request and pull_request_target events. */
  prNumber?: number;
  /** The repository's default branch, when the payload says. */
  defaultBranch?: string;
  /** `{{base_ref}}`: a pull request's base branch, or the branch a pushed tag was made from. */
  baseRef: string;
  /** The built commit's date (ISO 8601), when the payload has it. */
  commitTimestamp?: string;
}

export interface RunEnvironment {
  eventName: string;
  ref: string;
  sha: string;
  /** DOCKER_METADATA_PR_HEAD_SHA: build a pull request's head commit rather than its merge commit. */
  prHeadSha?: boolean;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

export function isPullRequestEvent(eventName: string): boolean {
  return PULL_REQUEST_EVENTS.has(eventName);
}

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function stringField(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' && found ? found : undefined;
}

/** The date of commit `sha` as a push payload gives it (its commits, or its head commit). */
function commitTimestamp(event: unknown, sha: string): string | undefined {
  const commits = field(event, 'commits');
  const listed = Array.isArray(commits) ? (commits as unknown[]).find((commit) => field(commit, 'id') === sha) : undefined;
  if (listed !== undefined) return stringField(listed, 'timestamp');
  return stringField(event, 'head_commit', 'id') === sha ? stringField(event, 'head_commit', 'timestamp') : undefined;
}

function baseRef(ref: string, event: unknown): string {
  if (ref.startsWith('refs/tags/')) return stringField(event, 'base_ref')?.replace(/^refs\/heads\//, '') ?? '';
  if (ref.startsWith('refs/pull/')) return stringField(event, 'pull_request', 'base', 'ref') ?? '';
  return '';
}

/** The git context of this run; `event` is the parsed payload (anything when missing). */
export function readGitContext(run: RunEnvironment, event: unknown): GitContext {
  let { ref, sha } = run;
  const pullRequest = isPullRequestEvent(run.eventName);
  // pull_request_target runs on the base branch; its tags still name the pull request, as metadata-action's do.
  const payloadNumber = field(event, 'number');
  if (run.eventName === 'pull_request_target' && typeof payloadNumber === 'number') ref = `refs/pull/${payloadNumber}/merge`;
  const headSha = stringField(event, 'pull_request', 'head', 'sha');
  if (run.prHeadSha && pullRequest && headSha) sha = headSha;

  const context: GitContext = {
    eventName: run.eventName,
    ref,
    sha,
    defaultBranch: stringField(event, 'repository', 'default_branch'),
    baseRef: baseRef(ref, event),
    commitTimestamp: commitTimestamp(event, sha),
  };
  if (ref.startsWith('refs/heads/')) context.branch = ref.slice('refs/heads/'.length);
  if (ref.startsWith('refs/tags/')) context.tag = ref.slice('refs/tags/'.length);
  if (pullRequest) {
    const number = field(event, 'pull_request', 'number') ?? payloadNumber ?? /^refs\/pull\/(\d+)\//.exec(ref)?.[1];
    const parsed = Number(number);
    if (Number.isInteger(parsed) && parsed > 0) context.prNumber = parsed;
  }
  return context;
}
