import { isPullRequestEvent, readGitContext } from '../../actions/docker-build-push/src/git-context';

const sha = '0123456789abcdef0123456789abcdef01234567';

describe('git context', () => {
  test('a branch push, with the default branch and commit date from the payload', () => {
    const event = { repository: { default_branch: 'main' }, head_commit: { timestamp: '2026-11-21T10:00:00+01:00' } };
    expect(readGitContext({ eventName: 'push', ref: 'refs/heads/feature/x', sha }, event)).toEqual({
      eventName: 'push',
      ref: 'refs/heads/feature/x',
      sha,
      branch: 'feature/x',
      defaultBranch: 'main',
      commitTimestamp: '2026-11-21T10:00:00+01:00',
    });
  });

  test('a tag push', () => {
    const context = readGitContext({ eventName: 'push', ref: 'refs/tags/v1.2.3', sha }, {});
    expect(context.tag).toBe('v1.2.3');
    expect(context.branch).toBeUndefined();
  });

  test('a pull request number from the payload, else from the ref', () => {
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/9/merge', sha }, { pull_request: { number: 42 } }).prNumber).toBe(
      42,
    );
    expect(readGitContext({ eventName: 'pull_request', ref: 'refs/pull/9/merge', sha }, { number: 43 }).prNumber).toBe(43);
    expect(readGitContext({ eventName: 'pull_request_target', ref: 'refs/pull/9/merge', sha }, {}).prNumber).toBe(9);
    const context = readGitContext({ eventName: 'pull_request', ref: 'refs/heads/main', sha }, null);
    expect(context.prNumber).toBeUndefined();
    expect(context.branch).toBeUndefined();
  });

  test('other refs and odd payloads give neither branch nor tag', () => {
    const context = readGitContext({ eventName: 'workflow_dispatch', ref: 'refs/remotes/x', sha }, 'not an object');
    expect(context).toEqual({
      eventName: 'workflow_dispatch',
      ref: 'refs/remotes/x',
      sha,
      defaultBranch: undefined,
      commitTimestamp: undefined,
    });
  });

  test('pull request events', () => {
    expect(isPullRequestEvent('pull_request')).toBe(true);
    expect(isPullRequestEvent('pull_request_target')).toBe(true);
    expect(isPullRequestEvent('push')).toBe(false);
  });
});
