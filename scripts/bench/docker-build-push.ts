// docker-build-push: the action (committed bundle, main and post step, under Node 24) against the
// plain CLI doing the same work in the same run: `docker login` (password on stdin), `docker build`
// of the same context with the same tags and the same OCI labels, `docker push` of each tag,
// `docker logout`, against the same registry (Debian's docker-registry with htpasswd, behind a
// counting proxy). Each run gets a fresh copy of the context (a new last layer for the engine and
// the registry, the earlier steps cached on both sides); the sides take turns going first.
//
// The yardstick (issue 14) passes the labels as `--label` flags, as a user of the plain CLI would.
// The classic builder makes a step of each flag; the action writes them as one LABEL instruction at
// the end of the Dockerfile instead. So a stricter comparison is printed too: the plain CLI building
// the very Dockerfile the action builds (`plain-same-dockerfile`).
// Per-phase times: the plain CLI's commands as timed here; the action's from the moment each of its
// log lines arrives.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execCapture } from '@conveyor/core';
import { ociLabels } from '../../actions/docker-build-push/src/build-args';
import { DEFAULT_CONTEXT, repoRoot, runBundle } from '../../test/kit/runner';
import { startRegistry, startRegistryProxy } from '../../test/docker-build-push/registry';
import { figurePrinter, median } from '../figures';

const RUNS = 3;
const GOAL_RATIO = 1.15;
const sha = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const commitTimestamp = '2026-11-21T10:00:00Z';
const print = figurePrinter('docker-build-push');

execFileSync('bash', [join(repoRoot, 'scripts/services/docker.sh'), 'start'], { stdio: 'ignore' });
const registry = await startRegistry();
const { proxy, host } = await startRegistryProxy(registry);
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-bench-docker-'));

/** The tags of a run: its own, and the commit's (`type=sha`), as a branch push usually has. */
const tagsOf = (label: string) => [label, `sha-${sha.slice(0, 7)}`];

/** A copy of the fixture context with a unique file, so its last layers are new to the engine and the registry. */
function freshContext(label: string): string {
  const dir = join(scratch, label);
  cpSync(join(repoRoot, 'test/fixtures/docker-app'), dir, { recursive: true });
  writeFileSync(join(dir, 'message.txt'), `bench ${label} ${Date.now()} ${Math.random()}\n`);
  return dir;
}

/** Runs docker (asynchronously: the registry proxy lives in this process); fails on a non-zero exit; resolves with its ms. */
async function docker(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<number> {
  const started = performance.now();
  const result = await execCapture('docker', args, { env, input });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return performance.now() - started;
}

type Phases = Record<string, number>;
interface Run {
  ms: number;
  requests: number;
  phases: Phases;
}

/** The plain CLI: the labels in the Dockerfile (`in-dockerfile`, as the action builds) or as `--label` flags. */
async function plain(label: string, labels: 'in-dockerfile' | 'flags'): Promise<Run> {
  const context = freshContext(label);
  // The OCI labels the action adds for this run (source and url from the runner emulation's context).
  const facts = { serverUrl: DEFAULT_CONTEXT.serverUrl, repository: DEFAULT_CONTEXT.repository, git: { sha }, version: label };
  const labelPairs = Object.entries(ociLabels(facts, commitTimestamp));
  let labelFlags: string[] = [];
  if (labels === 'in-dockerfile') {
    const dockerfile = readFileSync(join(context, 'Dockerfile'), 'utf8').trimEnd();
    writeFileSync(join(context, 'Dockerfile'), `${dockerfile}\nLABEL ${labelPairs.map(([k, v]) => `"${k}"="${v}"`).join(' ')}\n`);
  } else {
    labelFlags = labelPairs.flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  }
  const config = mkdtempSync(join(scratch, 'docker-config-'));
  const env = { ...process.env, DOCKER_CONFIG: config };
  const references = tagsOf(label).map((tag) => `${host}/bench/plain:${tag}`);
  const before = proxy.journal.length;
  const started = performance.now();
  const phases: Phases = {};
  phases.login = await docker(['login', '--username', registry.username, '--password-stdin', host], env, registry.password);
  phases.build = await docker(['build', ...references.flatMap((reference) => ['--tag', reference]), ...labelFlags, context], env);
  phases.push = 0;
  for (const reference of references) phases.push += await docker(['push', reference], env);
  phases.logout = await docker(['logout', host], env);
  const ms = performance.now() - started;
  rmSync(config, { recursive: true, force: true });
  return { ms, requests: proxy.journal.length - before, phases };
}

async function action(label: string, context = freshContext(label)): Promise<Run & { digest: string; imageId: string }> {
  const marks: Array<{ at: number; line: string }> = [];
  const before = proxy.journal.length;
  const started = performance.now();
  const result = await runBundle({
    action: 'actions/docker-build-push',
    inputs: {
      images: `${host}/bench/action`,
      context,
      tags: `type=raw,value=${label}\ntype=sha`,
      username: registry.username,
      password: registry.password,
    },
    github: { ref: 'refs/heads/main', eventName: 'push', sha },
    event: { head_commit: { id: sha, timestamp: commitTimestamp } },
    onLine: (line) => marks.push({ at: performance.now() - started, line }),
  });
  const ms = performance.now() - started;
  if (result.exitCode !== 0 || result.post?.exitCode !== 0) throw new Error(`the action failed:\n${result.log}\n${result.post?.log}`);
  const at = (pattern: RegExp) => {
    const mark = marks.find((entry) => pattern.test(entry.line));
    if (!mark) throw new Error(`no log line matches ${pattern}:\n${result.log}`);
    return mark.at;
  };
  const loggedIn = at(/^Logged in to /);
  const buildStart = at(/^▶ Build/);
  const pushStart = at(/^▶ Push/);
  const mainEnd = ms - (result.post?.durationMs ?? 0);
  const phases: Phases = {
    // Node's start, the bundle's load, the inputs, the tags and the builder probe, up to the first login.
    start: at(/^Tags: /),
    login: loggedIn - at(/^Tags: /),
    build: pushStart - buildStart,
    push: mainEnd - pushStart,
    post: result.post?.durationMs ?? 0,
  };
  return {
    ms,
    requests: proxy.journal.length - before,
    phases,
    digest: result.outputs.digest ?? '',
    imageId: result.outputs['image-id'] ?? '',
  };
}

try {
  // Warm-up: the base image layer reaches both repositories and the cached build steps exist.
  await plain('warmup-p', 'in-dockerfile');
  await action('warmup-a');
  const sides = {
    'plain-label-flags': (i: number) => plain(`f${i}`, 'flags'),
    action: (i: number) => action(`a${i}`),
    'plain-same-dockerfile': (i: number) => plain(`p${i}`, 'in-dockerfile'),
  };
  const names = Object.keys(sides) as Array<keyof typeof sides>;
  const runs = Object.fromEntries(names.map((name) => [name, [] as Run[]])) as Record<keyof typeof sides, Run[]>;
  for (let i = 0; i < RUNS; i++) {
    // Each side goes first, second and third once in three runs.
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(i + turn) % names.length]!;
      runs[name].push(await sides[name](i));
    }
    console.error(`run ${i + 1}: ${names.map((name) => `${name} ${Math.round(runs[name][i]!.ms)} ms`).join(', ')}`);
  }
  const medianMs = (name: keyof typeof sides) => Math.round(median(runs[name].map((run) => run.ms)));
  for (const name of names) {
    const phases = Object.keys(runs[name][0]!.phases);
    print(`${name}-phases`, medianMs(name), 'ms', {
      phases: Object.fromEntries(phases.map((phase) => [phase, Math.round(median(runs[name].map((run) => run.phases[phase] ?? 0)))])),
      runs: runs[name].map((run) => Math.round(run.ms)),
      requests: median(runs[name].map((run) => run.requests)),
    });
  }
  const actionMs = medianMs('action');
  const ratioTo = (name: keyof typeof sides) => Number((actionMs / medianMs(name)).toFixed(2));
  print('build-push-wall-time', actionMs, 'ms', {
    yardstick: 'plain docker CLI (login, build with the same --label flags, push each tag, logout)',
    yardstickValue: medianMs('plain-label-flags'),
    ratio: ratioTo('plain-label-flags'),
    goal: `≤ ${GOAL_RATIO}× plain docker CLI`,
    met: ratioTo('plain-label-flags') <= GOAL_RATIO,
  });
  // Against the plain CLI building the action's own Dockerfile (labels as one LABEL): the overhead alone.
  print('build-push-wall-time-vs-same-dockerfile', actionMs, 'ms', {
    yardstick: 'plain docker CLI building the same Dockerfile (labels as one LABEL instruction)',
    yardstickValue: medianMs('plain-same-dockerfile'),
    ratio: ratioTo('plain-same-dockerfile'),
  });

  // A rebuild of an unchanged context (same commit): every step cached, the same digest, nothing uploaded.
  const context = freshContext('rebuild');
  const first = await action('rebuild', context);
  const again = await action('rebuild', context);
  print('rebuild-unchanged', Math.round(again.ms), 'ms', { first: Math.round(first.ms), requests: again.requests });
  print('rebuild-same-digest', again.digest === first.digest ? 1 : 0, 'boolean', {
    digests: [first.digest, again.digest],
    imageIds: [first.imageId, again.imageId],
  });
} finally {
  await proxy.stop();
  await registry.stop();
  // The engine keeps every image; remove the ones this run made.
  const references = (await execCapture('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])).stdout
    .split('\n')
    .filter((reference) => reference.startsWith(`${host}/`));
  if (references.length > 0) await execCapture('docker', ['image', 'rm', '--force', ...references]);
  rmSync(scratch, { recursive: true, force: true });
}
