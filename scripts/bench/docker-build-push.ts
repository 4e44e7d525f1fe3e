// docker-build-push: the action's overhead over a plain `docker login` + `docker build` +
// `docker push` + `docker logout` of the same context (wall time and registry requests, medians
// of 3 alternating runs, each on a fresh context so neither side gets the other's cache; also the
// plain build given the action's OCI labels as --label flags), and a rebuild of an unchanged
// context (same commit: cached, same digest).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execCapture } from '@conveyor/core';
import { repoRoot, runBundle } from '../../test/kit/runner';
import { startRegistry, startRegistryProxy } from '../../test/docker-build-push/registry';

const runs = 3;
const sha = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const print = (metric: string, value: number, unit: string) =>
  console.log(JSON.stringify({ bench: 'docker-build-push', metric, value, unit }));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

execFileSync('bash', [join(repoRoot, 'scripts/services/docker.sh'), 'start'], { stdio: 'ignore' });
const registry = await startRegistry();
const { proxy, host } = await startRegistryProxy(registry);
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-bench-docker-'));

/** A copy of the fixture context with a unique file, so its last layer is new to the engine and the registry. */
function freshContext(label: string): string {
  const dir = join(scratch, label);
  cpSync(join(repoRoot, 'test/fixtures/docker-app'), dir, { recursive: true });
  writeFileSync(join(dir, 'message.txt'), `bench ${label} ${Date.now()} ${Math.random()}\n`);
  return dir;
}

function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; requests: number; value: T }> {
  const before = proxy.journal.length;
  const started = performance.now();
  return fn().then((value) => ({ ms: performance.now() - started, requests: proxy.journal.length - before, value }));
}

/** Runs docker asynchronously (the registry proxy lives in this process) and fails on a non-zero exit. */
async function docker(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<void> {
  const result = await execCapture('docker', args, { env, input });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed: ${result.stderr.trim()}`);
}

/** The five OCI labels the action adds, as `--label` flags (what a plain workflow would pass). */
const labelFlags = ['source', 'url', 'revision', 'version', 'created'].flatMap((key) => ['--label', `org.opencontainers.image.${key}=x`]);

async function plain(label: string, labels: string[] = []): Promise<void> {
  const context = freshContext(label);
  const config = mkdtempSync(join(scratch, 'docker-config-'));
  const env = { ...process.env, DOCKER_CONFIG: config };
  const reference = `${host}/bench/plain:${label}`;
  await docker(['login', '--username', registry.username, '--password-stdin', host], env, registry.password);
  await docker(['build', '--tag', reference, ...labels, context], env);
  await docker(['push', reference], env);
  await docker(['logout', host], env);
  rmSync(config, { recursive: true, force: true });
}

async function action(label: string, context = freshContext(label)) {
  const result = await runBundle({
    action: 'actions/docker-build-push',
    inputs: {
      images: `${host}/bench/action`,
      context,
      tags: `type=raw,value=${label}`,
      username: registry.username,
      password: registry.password,
    },
    github: { ref: 'refs/heads/main', eventName: 'push', sha },
    event: { head_commit: { timestamp: '2026-11-21T10:00:00Z' } },
  });
  if (result.exitCode !== 0 || result.post?.exitCode !== 0) throw new Error(`the action failed:\n${result.log}`);
  return result;
}

try {
  // Warm-up: the base image layer is pushed once, by either side, before measuring.
  await plain('warmup');
  await action('warmup');
  const plainRuns: Array<{ ms: number; requests: number }> = [];
  const labelledRuns: Array<{ ms: number; requests: number }> = [];
  const actionRuns: Array<{ ms: number; requests: number }> = [];
  for (let i = 0; i < runs; i++) {
    plainRuns.push(await timed(() => plain(`p${i}`)));
    labelledRuns.push(await timed(() => plain(`l${i}`, labelFlags)));
    actionRuns.push(await timed(() => action(`a${i}`)));
  }
  const plainMs = median(plainRuns.map((run) => run.ms));
  const actionMs = median(actionRuns.map((run) => run.ms));
  print('plain-build-push', Math.round(plainMs), 'ms');
  print('action-build-push', Math.round(actionMs), 'ms');
  print('overhead-ratio', Number((actionMs / plainMs).toFixed(2)), 'ratio');
  print('overhead', Math.round(actionMs - plainMs), 'ms');
  // The same plain build with the OCI labels as --label flags: the classic builder makes a step of each.
  print('plain-build-push-with-label-flags', Math.round(median(labelledRuns.map((run) => run.ms))), 'ms');
  print('plain-registry-requests', median(plainRuns.map((run) => run.requests)), 'requests');
  print('action-registry-requests', median(actionRuns.map((run) => run.requests)), 'requests');

  const context = freshContext('rebuild');
  const first = await timed(() => action('rebuild', context));
  const again = await timed(() => action('rebuild', context));
  print('first-build-push', Math.round(first.ms), 'ms');
  print('rebuild-unchanged', Math.round(again.ms), 'ms');
  print('rebuild-unchanged-registry-requests', again.requests, 'requests');
  print('rebuild-same-digest', again.value.outputs.digest === first.value.outputs.digest ? 1 : 0, 'boolean');
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
