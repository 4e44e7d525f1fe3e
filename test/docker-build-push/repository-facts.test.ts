// The repository facts through core's GitHub client, against the GitHub stand-in (whose replies are
// checked against GitHub's REST description).
import type { GitHubClient } from '@conveyor/core';
import { createGitHubClient } from '@conveyor/core/github';
import { gitHubRepositoryFacts } from '../../actions/docker-build-push/src/repository-facts';
import { recordingLogger } from '../kit/logger';
import { GitHubStandIn } from '../standins/github/server';

const REPO = 'views3/ingester';
const COMMITTED = Date.parse('2026-11-21T10:30:00Z');
let github: GitHubStandIn;
let connections: number;

beforeEach(async () => {
  github = new GitHubStandIn({ now: () => COMMITTED });
  await github.start();
  connections = 0;
});

afterEach(async () => {
  await github.stop();
  github.assertConformance();
});

async function connect(token: string): Promise<GitHubClient> {
  connections++;
  return createGitHubClient(token, { logger: recordingLogger(), signal: new AbortController().signal, baseUrl: github.url, retries: 0 });
}

test('the default branch and a commit date, with one client made on the first question', async () => {
  const sha = github.createRepo(REPO, { defaultBranch: 'develop' });
  const facts = gitHubRepositoryFacts(REPO, 'ghs_read', connect);
  expect(connections).toBe(0);
  expect(await facts.defaultBranch()).toBe('develop');
  expect(await facts.commitDate(sha)).toEqual(new Date(COMMITTED));
  expect(connections).toBe(1);
  expect(github.requests('GET', /^\/repos\//).map((request) => request.path)).toEqual([`/repos/${REPO}`, `/repos/${REPO}/commits/${sha}`]);
});

test('an empty token is an input error naming github-token, with no request', async () => {
  const facts = gitHubRepositoryFacts(REPO, '', connect);
  await expect(facts.defaultBranch()).rejects.toThrow(
    "Input 'github-token': is empty, and the tag rules need the GitHub API. Leave it at its default (the job token) or give a token that can read the repository",
  );
  expect(connections).toBe(0);
});

test('a repository the token cannot read: the error says what was needed and which input to check', async () => {
  github.createRepo(REPO);
  github.grant('ghs_other', { login: 'bot', repos: { 'someone/else': { contents: 'read' } } });
  const facts = gitHubRepositoryFacts(REPO, 'ghs_other', connect);
  await expect(facts.defaultBranch()).rejects.toThrow(
    /^Could not read the default branch of views3\/ingester \(type=edge and \{\{is_default_branch\}\} need it\): .*Not Found.*\. Check that 'github-token' can read the repository$/,
  );
});
