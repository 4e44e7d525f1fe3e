/**
 * What the workflow run is building, from GITHUB_EVENT_NAME, GITHUB_REF, GITHUB_SHA and the event
 * payload: a branch push, a tag push or a pull request. The tag engine works only from this.
 */
export interface GitContext {
  eventName: string;
  ref: string;
  /** The commit being built (for a pull request, GitHub's merge commit). */
  sha: string;
  /** Set for a push to a branch. */
  branch?: string;
  /** Set for a push of a tag. */
  tag?: string;
  /** Set for pull_request and pull_request_target events. */
  prNumber?: number;
  /** The repository's default branch, when the payload says. */
  defaultBranch?: string;
  /** The pushed commit's date (ISO 8601), when the payload says; OCI `created` uses it. */
  commitTimestamp?: string;
}

export interface RunEnvironment {
  eventName: string;
  ref: string;
  sha: string;
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

/** The git context of this run; `event` is the parsed payload (anything when missing). */
export function readGitContext(run: RunEnvironment, event: unknown): GitContext {
  const context: GitContext = {
    eventName: run.eventName,
    ref: run.ref,
    sha: run.sha,
    defaultBranch: stringField(event, 'repository', 'default_branch'),
    commitTimestamp: stringField(event, 'head_commit', 'timestamp'),
  };
  if (isPullRequestEvent(run.eventName)) {
    const number = field(event, 'pull_request', 'number') ?? field(event, 'number') ?? /^refs\/pull\/(\d+)\//.exec(run.ref)?.[1];
    const parsed = Number(number);
    if (Number.isInteger(parsed) && parsed > 0) context.prNumber = parsed;
  } else if (run.ref.startsWith('refs/heads/')) {
    context.branch = run.ref.slice('refs/heads/'.length);
  } else if (run.ref.startsWith('refs/tags/')) {
    context.tag = run.ref.slice('refs/tags/'.length);
  }
  return context;
}
