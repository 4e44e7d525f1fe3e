/**
 * The repository facts the tag engine may need from the GitHub API (read-only), as metadata-action
 * reads them: the default branch (`GET /repos/{owner}/{repo}`) and a commit's committer date
 * (`GET /repos/{owner}/{repo}/commits/{sha}`). The client is made on the first question, so a run
 * whose rules need neither makes no request and needs no token.
 */
import { errorMessage, inputError, splitRepository, type GitHubClient } from '@conveyor/core';
import type { RepositoryFacts } from './tags';

export function gitHubRepositoryFacts(
  repository: string,
  token: string,
  connect: (token: string) => Promise<GitHubClient>,
): RepositoryFacts {
  let client: GitHubClient | undefined;
  const repo = async () => {
    if (!token) {
      throw inputError(
        'github-token',
        'is empty, and the tag rules need the GitHub API',
        'Leave it at its default (the job token) or give a token that can read the repository',
      );
    }
    const names = splitRepository(repository);
    if (!names) throw new Error(`GITHUB_REPOSITORY '${repository}' is not owner/name; run this action in a workflow`);
    client ??= await connect(token);
    return { api: client.rest.repos, ...names };
  };
  return {
    async defaultBranch() {
      const { api, owner, repo: name } = await repo();
      try {
        return (await api.get({ owner, repo: name })).data.default_branch;
      } catch (error) {
        throw new Error(
          `Could not read the default branch of ${repository} (type=edge and {{is_default_branch}} need it): ${errorMessage(error)}. ` +
            "Check that 'github-token' can read the repository",
        );
      }
    },
    async commitDate(sha) {
      const { api, owner, repo: name } = await repo();
      const date = (await api.getCommit({ owner, repo: name, ref: sha })).data.commit.committer?.date;
      if (!date) throw new Error('the commit has no committer date');
      return new Date(date);
    },
  };
}
