// promote-release-tag: what the release manager's flow costs against the GitHub stand-in, running
// the committed bundle under the runner emulation. For each step of the Neco flow (candidate,
// promote with a 5 MB .deb, publish) and for re-running it: GitHub API requests, writes among them,
// and wall time (writes are paced 1 s apart by the client, as GitHub asks). Then `source-tag: latest`
// in a repository with 400 candidates over 200 days: the requests it takes to pick the newest, with
// short-sha IDs (two candidates of the newest day need their commit dates) and with run numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBundle, tempDir, type BundleOptions } from '../../test/kit/runner';
import { GitHubStandIn } from '../../test/standins/github/server';
import { figurePrinter } from '../figures';

const TOKEN = 'ghs_benchToken0123456789abcdef0123';
const print = figurePrinter('promote-release-tag');

let clock = Date.parse('2026-01-01T00:00:00Z');
const github = new GitHubStandIn({ now: () => clock, validate: false });
await github.start();

async function measure(name: string, fullName: string, inputs: BundleOptions['inputs'], options: Partial<BundleOptions> = {}) {
  const before = github.journal.length;
  const started = Date.now();
  const result = await runBundle({
    ...options,
    action: 'actions/promote-release-tag',
    inputs: { token: TOKEN, ...inputs },
    github: { apiUrl: github.url, repository: fullName, ...options.github },
  });
  if (result.exitCode !== 0) throw new Error(`${name} failed:\n${result.log}`);
  const requests = github.journal.slice(before);
  print(`${name}-api-requests`, requests.length, 'requests');
  print(`${name}-writes`, requests.filter((entry) => entry.method !== 'GET').length, 'requests');
  print(`${name}-wall-time`, Date.now() - started, 'ms');
  return result;
}

// The Neco flow.
const neco = 'cybozu-go/neco';
github.createRepo(neco);
for (let release = 1; release <= 20; release++) {
  clock += 86_400_000;
  const sha = github.commit(neco, { message: `Change ${release}` });
  const day = new Date(clock).toISOString().slice(0, 10).replace(/-/g, '.');
  github.tag(neco, `test-${day}-${sha.slice(0, 7)}`, sha);
  github.tag(neco, `release-${day}-${sha.slice(0, 7)}`, sha);
  github.addRelease(neco, { tag: `release-${day}-${sha.slice(0, 7)}`, target: sha });
}
clock += 86_400_000;
const sha = github.commit(neco, { message: 'The change to release' });
github.addCheckRun(neco, sha, { name: 'test' });
const workspace = tempDir('promote-bench-');
mkdirSync(join(workspace, 'build'));
writeFileSync(join(workspace, 'build', 'neco_1.0.0_amd64.deb'), Buffer.alloc(5 * 1024 * 1024, 7));

const candidate = await measure('candidate', neco, { mode: 'candidate' }, { github: { sha } });
const promoteInputs = { mode: 'promote', 'source-tag': candidate.outputs.tag, files: 'build/*.deb' };
const promote = await measure('promote', neco, promoteInputs, { workspace });
await measure('publish', neco, { mode: 'publish', tag: promote.outputs.tag });
await measure('candidate-rerun', neco, { mode: 'candidate' }, { github: { sha } });
await measure('promote-rerun', neco, promoteInputs, { workspace });
await measure('publish-rerun', neco, { mode: 'publish', tag: promote.outputs.tag });

// `latest` among many candidates.
for (const [label, idOf] of [
  ['short-sha', (commit: string) => commit.slice(0, 7)],
  ['run-number', (_: string, index: number) => String(1000 + index)],
] as const) {
  const fullName = `cybozu-go/many-${label}`;
  github.createRepo(fullName);
  for (let index = 0; index < 400; index++) {
    clock += 43_200_000; // two candidates a day
    const commit = github.commit(fullName, { message: `Change ${index}` });
    const day = new Date(clock - (index % 2) * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '.');
    github.tag(fullName, `test-${day}-${idOf(commit, index)}`, commit);
  }
  await measure(`latest-of-400-${label}-dry-run`, fullName, {
    mode: 'promote',
    'source-tag': 'latest',
    'require-checks': false,
    'dry-run': true,
  });
}

await github.stop();
