import { isPullRequestEvent, readGitContext } from '../../actions/docker-build-push/src/git-context';

const sha = '0123456789abcdef0123456789abcdef01234567';
const headSha = '3370e228f2209994d57af4427fe64e71bb79ac96';

describe('git context', () => {
  test('a branch push, with the default branch and the commit date from the payload', () => {
    const event = {
      repository: { default_branch: 'main' },
      commits: [
        { id: 'ffff', timestamp: '2026-11-20T09:00:00Z' },
        { id: sha, timestamp: '2026-11-21T10:00:00+01:00' },
      ],
      head_commit: { id: sha, timestamp: '2026-11-21T10:00:00+01:00' },
    };
    expect(readGitContext({ eventName: 'push', ref: 'refs/heads/feature/x', sha }, event)).toEqual({
      eventName: 'push',
      ref: 'refs/heads/feature/x',
      sha,
      branch: 'feature/x',
      defaultBranch: 'main',
      baseRef: '',
      commitTimestamp: '2026-11-21T10:00:00+01:00',
    });
  });

  test('the commit date only for the built commit: the head commit when not listed, else none', () => {
    const head = { head_commit: { id: sha, timestamp: '2026-11-21T10:00:00Z' }, commits: [] };
    expect(readGitContext({ eventName: 'push', ref: 'refs/tags/v1', sha }, head).commitTimestamp).toBe('2026-11-21T10:00:00Z');
    const other = { head_commit: { id: 'ffff', timestamp: '2026-11-21T10:00:00Z' } };
    expect(readGitContext({ eventName: 'push', ref: 'refs/heads/main', sha }, other).commitTimestamp).toBeUndefined();
  });

  test('a tag push, with the base ref the payload gives', () => {
    const context = readGitContext({ eventName: 'push', ref: 'refs/tags/v1.2.3', sha }, { base_ref: 'refs/heads/main' });
    expect(context).toMatchObject({ tag: 'v1.2.3', baseRef: 'main' });
    expect(context.branch).toBeUndefined();
    expect(readGitContext({ eventName: 'push', ref: 'refs/tags/v1.2.3', sha }, { base_ref: null }).baseRef).toBe('');
  });

  test('a pull request: number and base branch from the payload, number else from the ref', () => {
    const event = { number: 42, pull_request: { number: 42, base: { ref: 'main' }, head: { sha: headSha } } };
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/42/merge', sha }, event)).toEqual({
      eventName: 'pull_request',
      ref: 'refs/pull/42/merge',
      sha,
      prNumber: 42,
      defaultBranch: undefined,
      baseRef: 'main',
      commitTimestamp: undefined,
    });
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/9/merge', sha }, { number: 43 }).prNumber).toBe(43);
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/9/merge', sha }, null).prNumber).toBe(9);
  });

  test("pull_request_target runs on the base branch; its ref is the pull request's, as in metadata-action", () => {
    const context = readGitContext({ eventName: 'pull_request_target', ref: 'refs/heads/main', sha }, { number: 15 });
    expect(context).toMatchObject({ ref: 'refs/pull/15/merge', prNumber: 15 });
    expect(context.branch).toBeUndefined();
  });

  test('DOCKER_METADATA_PR_HEAD_SHA: the head commit of a pull request, nothing else changes', () => {
    const event = { number: 15, pull_request: { head: { sha: headSha } } };
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/15/merge', sha, prHeadSha: true }, event).sha).toBe(headSha);
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/15/merge', sha, prHeadSha: false }, event).sha).toBe(sha);
    expect(readGitContext({ eventName: 'push', ref: 'refs/heads/main', sha, prHeadSha: true }, event).sha).toBe(sha);
  });

  test('other refs and odd payloads give neither branch nor tag', () => {
    const context = readGitContext({ eventName: 'workflow_dispatch', ref: 'refs/remotes/x', sha }, 'not an object');
    expect(context).toEqual({
      eventName: 'workflow_dispatch',
      ref: 'refs/remotes/x',
      sha,
      defaultBranch: undefined,
      baseRef: '',
      commitTimestamp: undefined,
    });
  });

  test('pull request events', () => {
    expect(isPullRequestEvent('pull_request')).toBe(true);
    expect(isPullRequestEvent('pull_request_target')).toBe(true);
    expect(isPullRequestEvent('push')).toBe(false);
  });
});
