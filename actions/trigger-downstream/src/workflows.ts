/**
 * Finding the workflow to dispatch: an id or a file name is one GET; a display name needs the list
 * of workflows, read page by page (a repository can have more than one page of them).
 */
import { ConfigurationError, inputError, statusOf, type GitHubClient } from '@conveyor/core';
import { explainAccess, type Target } from './api';
import { describeReference, type WorkflowReference } from './parse';

export interface Workflow {
  id: number;
  name: string;
  path: string;
  state: string;
  html_url: string;
}

const NEEDS = '`actions: read` to look workflows up';

export async function resolveWorkflow(client: GitHubClient, target: Target, reference: WorkflowReference): Promise<Workflow> {
  const repository = `${target.owner}/${target.repo}`;
  let workflow: Workflow;
  if (reference.kind === 'name') {
    let all: Workflow[];
    try {
      all = await client.paginate('GET /repos/{owner}/{repo}/actions/workflows', { ...target, per_page: 100 });
    } catch (error) {
      throw explainAccess(error, target, NEEDS);
    }
    const exact = all.filter((w) => w.name === reference.name);
    const matches = exact.length > 0 ? exact : all.filter((w) => w.name.toLowerCase() === reference.name.toLowerCase());
    if (matches.length > 1) {
      throw inputError(
        'workflow',
        `${matches.length} workflows in ${repository} are named '${reference.name}' (${matches.map((w) => w.path).join(', ')})`,
        'Give the file name instead',
      );
    }
    const found = matches[0];
    if (!found) {
      const known = all.map((w) => `'${w.name}' (${w.path.split('/').pop()})`).join(', ') || 'none';
      throw inputError('workflow', `${repository} has no workflow named '${reference.name}'`, `Its workflows: ${known}`);
    }
    workflow = found;
  } else {
    const id = reference.kind === 'id' ? reference.id : reference.file;
    try {
      workflow = (await client.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}', { ...target, workflow_id: id })).data;
    } catch (error) {
      if (statusOf(error) === 404) {
        throw inputError(
          'workflow',
          `${repository} has no workflow ${describeReference(reference)}, or the token cannot see the repository (it needs ${NEEDS}; GITHUB_TOKEN reaches only its own repository)`,
        );
      }
      throw explainAccess(error, target, NEEDS);
    }
  }
  if (workflow.state !== 'active') {
    throw new ConfigurationError(
      `Workflow '${workflow.name}' (${workflow.path}) in ${repository} is ${workflow.state}: enable it to dispatch it`,
    );
  }
  return workflow;
}
