// `npm run demo`: the Fragalysis chain and the Neco promotion, run on this machine with the committed
// bundles under the runner emulation (Node 24, INPUT_* variables, job summaries), a real Docker engine
// and registry (set up as `npm test` does, see demo/machine.ts), and the GitHub and AWX stand-ins from
// the test kit. It ends with an HTML report of every step (demo/report.ts) whose path it prints.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, type Registry } from '../test/docker-build-push/registry';
import { repoRoot, runBundle, tempDir, type BundleOptions, type RunResult } from '../test/kit/runner';
import { AwxStandIn } from '../test/standins/awx/server';
import { GitHubStandIn } from '../test/standins/github/server';
import { prepareDocker, thisMachine } from './demo/machine';
import { renderSummary } from './demo/render';
import { reportHtml, type DemoRecord } from './demo/report';

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);
const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);

/** Classic-builder chatter that says nothing to a reader of the demo. */
const NOISE = /^\s*(--->|Removing intermediate container|$)/;

const STEPS = 6;
const TITLE = 'Conveyor demo: the Fragalysis chain, then the Neco promotion';
/** The report goes to artifacts/ (git ignores it), beside the step records it is made from. */
const REPORT_DIR = join(repoRoot, 'artifacts');
const record: DemoRecord = { title: TITLE, startedAt: new Date(started).toISOString(), durationMs: 0, steps: [] };

/** Runs one action step, streaming its log, then prints its outputs and its job summary. */
async function step(title: string, options: BundleOptions): Promise<RunResult> {
  console.log(`\n${bold(`[${record.steps.length + 1}/${STEPS}] ${title}`)} ${dim(`(${options.action}, at ${seconds()})`)}`);
  const startedMs = Date.now() - started;
  const result = await runBundle({ ...options, onLine: (line) => NOISE.test(line) || console.log(dim(`  │ ${line}`)) });
  const failure = result.exitCode !== 0 ? result.errors.join('; ') || `exit code ${result.exitCode}` : undefined;
  record.steps.push({
    title,
    action: options.action,
    status: failure ? 'failed' : 'succeeded',
    startedMs,
    durationMs: Date.now() - started - startedMs,
    outputs: result.outputs,
    summary: result.summary,
    note: failure,
  });
  const outputs = Object.entries(result.outputs);
  if (outputs.length > 0) {
    console.log('  outputs:');
    for (const [name, value] of outputs)
      console.log(`    ${name}: ${value.includes('\n') ? `\n      ${value.split('\n').join('\n      ')}` : value}`);
  }
  if (result.summary.trim()) console.log(`  job summary:\n${renderSummary(result.summary, '    ')}`);
  if (failure) throw new Error(`${options.action} failed: ${failure}`);
  return result;
}

/** Writes the HTML report and the step records it is made from; returns the report's path. */
function writeReport(): string {
  record.durationMs = Date.now() - started;
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, 'demo-steps.json'), `${JSON.stringify(record, null, 2)}\n`);
  const path = join(REPORT_DIR, 'demo-report.html');
  writeFileSync(path, reportHtml(record));
  return path;
}

async function main(): Promise<void> {
  console.log(bold(TITLE));
  console.log(dim('Committed dist/ bundles run under Node 24 as the GitHub runner runs them; GitHub and AWX are local stand-ins.'));

  const docker = prepareDocker(thisMachine(repoRoot));
  const github = new GitHubStandIn({ validate: false });
  const awx = new AwxStandIn();
  let registry: Registry | undefined;
  try {
    await Promise.all([github.start(), awx.start()]);
    if (!docker.skipped) registry = await startRegistry('fragalysis-ci');
    const workspace = tempDir('conveyor-demo-');
    const frontendSha = github.createRepo('xchem/fragalysis-frontend', { defaultBranch: 'master' });
    github.createRepo('xchem/fragalysis-stack', { defaultBranch: 'master' });
    github.defineWorkflow('xchem/fragalysis-stack', {
      path: '.github/workflows/build.yml',
      name: 'build',
      workflowDispatch: { inputs: { distinct_id: { required: false }, 'frontend-digest': { required: false } } },
      runName: 'stack build [${{ inputs.distinct_id }}]',
      jobs: [
        {
          name: 'build',
          steps: [
            { name: 'Checkout', durationMs: 500 },
            { name: 'Build and push fragalysis-stack', durationMs: 2500 },
          ],
        },
        { name: 'staging', steps: [{ name: 'Launch AWX job template', durationMs: 1500 }] },
      ],
      creationDelayMs: 500,
      queueMs: 1000,
    });
    awx.organization('Fragalysis');
    awx.jobTemplate({
      name: 'Staging Fragalysis Stack (Version Change)',
      organization: 'Fragalysis',
      prompts: ['variables'],
      // The tasks and their results; the stand-in draws the banners and writes the PLAY RECAP and
      // host summary from these results, as Ansible and AWX do. Real time: the job's elapsed is the
      // time it took here.
      script: {
        lines: [
          'PLAY [Deploy the Fragalysis stack]',
          'TASK [Gathering Facts]',
          'ok: [k8s-staging]',
          'TASK [stack : Set the image tag]',
          'changed: [k8s-staging]',
          'TASK [stack : Roll out the deployment]',
          'changed: [k8s-staging]',
          'TASK [stack : Wait for the pods]',
          'ok: [k8s-staging]',
        ],
        pendingSeconds: 1,
        runSeconds: 4,
        hosts: ['k8s-staging'],
      },
    });

    // 1. The frontend image, built and pushed for real when the machine has Docker.
    let frontendDigest = 'sha256:(not built: no Docker engine on this machine)';
    if (registry) {
      const context = join(workspace, 'frontend');
      mkdirSync(context, { recursive: true });
      writeFileSync(
        join(context, 'Dockerfile'),
        'FROM conveyor/busybox:offline\nCOPY index.html /srv/index.html\nCMD ["cat", "/srv/index.html"]\n',
      );
      writeFileSync(join(context, 'index.html'), `<h1>Fragalysis frontend ${new Date().toISOString()}</h1>\n`);
      const image = await step('Build and push fragalysis-frontend:latest', {
        action: 'actions/docker-build-push',
        inputs: {
          images: `${registry.host}/xchem/fragalysis-frontend`,
          tags: 'type=raw,value=latest',
          latest: 'false',
          context,
          username: registry.username,
          password: registry.password,
        },
        github: { repository: 'xchem/fragalysis-frontend', sha: frontendSha, ref: 'refs/heads/master', apiUrl: github.url },
        workspace,
      });
      frontendDigest = image.outputs.digest ?? frontendDigest;
      // The demo leaves no images behind in the local engine.
      spawnSync('docker', ['image', 'rm', '--force', ...(image.outputs.tags ?? '').split('\n').filter(Boolean)], { stdio: 'ignore' });
    } else {
      const title = 'Build and push fragalysis-frontend:latest';
      console.log(`\n${bold(`[1/${STEPS}] ${title}`)}: skipped, ${docker.skipped}`);
      record.steps.push({
        title,
        action: 'actions/docker-build-push',
        status: 'skipped',
        startedMs: Date.now() - started,
        durationMs: 0,
        outputs: {},
        summary: '',
        note: `Skipped: ${docker.skipped}`,
      });
    }

    // 2. The stack's build, dispatched and followed to its end.
    const stack = await step("Trigger the stack's build and wait for it", {
      action: 'actions/trigger-downstream',
      inputs: {
        repository: 'xchem/fragalysis-stack',
        workflow: 'build.yml',
        ref: 'master',
        inputs: `frontend-digest: "${frontendDigest}"`,
        timeout: '2m',
        'poll-interval': '1s',
      },
      github: { repository: 'xchem/fragalysis-frontend', sha: frontendSha, apiUrl: github.url, serverUrl: github.url },
    });

    // 3. The stack's staging deployment through AWX.
    const deploy = await step('Launch "Staging Fragalysis Stack (Version Change)" on AWX and follow it', {
      action: 'actions/trigger-awx-job',
      inputs: {
        'controller-url': awx.url,
        token: 'awx-test-token',
        'job-template': 'Staging Fragalysis Stack (Version Change)',
        organization: 'Fragalysis',
        'extra-vars': 'stack_image_tag: latest',
        timeout: '2m',
      },
      github: { repository: 'xchem/fragalysis-stack', apiUrl: github.url },
    });

    // 4–6. Neco: candidate tag after the tests, promotion with a .deb, publication.
    const neco = 'cybozu-go/neco';
    const necoSha = github.createRepo(neco);
    github.addCheckRun(neco, necoSha, { name: 'test', status: 'completed', conclusion: 'success' });
    const necoContext = { repository: neco, sha: necoSha, apiUrl: github.url, serverUrl: github.url, actor: 'release-manager' };
    const candidate = await step('Tag the tested commit as a candidate', {
      action: 'actions/promote-release-tag',
      inputs: { mode: 'candidate' },
      github: necoContext,
    });
    const deb = join(workspace, 'build', `neco_${(candidate.outputs.tag ?? '').replace(/^test-/, '')}_amd64.deb`);
    mkdirSync(join(workspace, 'build'), { recursive: true });
    writeFileSync(deb, Buffer.alloc(64 * 1024, 1));
    const promoted = await step('Promote the candidate to a release tag with its .deb', {
      action: 'actions/promote-release-tag',
      inputs: { mode: 'promote', 'source-tag': candidate.outputs.tag, files: 'build/*.deb', 'allowed-actors': 'release-manager' },
      github: necoContext,
      workspace,
    });
    await step('Publish the release for production', {
      action: 'actions/promote-release-tag',
      inputs: { mode: 'publish', tag: promoted.outputs.tag, 'allowed-actors': 'release-manager' },
      github: necoContext,
    });

    const pushed = registry ? `frontend image pushed (${frontendDigest.slice(0, 19)}…)` : 'frontend image skipped (no Docker)';
    console.log(
      `\n${bold('Done')} in ${seconds()}: ${pushed}, stack run ${stack.outputs['run-id']} ${stack.outputs.conclusion}, AWX job ${deploy.outputs['job-id']} ${deploy.outputs.status}, ${candidate.outputs.tag} promoted to ${promoted.outputs.tag} and published.`,
    );
  } finally {
    await Promise.all([github.stop(), awx.stop(), registry?.stop()]);
    docker.teardown();
    console.log(`Report: ${writeReport()}`);
  }
}

main().catch((error: unknown) => {
  console.error(`\nDemo failed after ${seconds()}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
