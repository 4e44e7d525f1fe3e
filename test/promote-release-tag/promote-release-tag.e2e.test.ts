// End-to-end: the committed bundle under the runner emulation, against the GitHub stand-in (which
// checks every request and reply against GitHub's REST description).
import { jest } from '@jest/globals';
import { escapeCell } from '@conveyor/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBundle, startBundle, tempDir, type BundleOptions, type RunResult } from '../kit/runner';
import type { JournalEntry } from '../kit/standin';
import type { ReleaseRecord } from '../standins/github/representations';
import { GitHubStandIn } from '../standins/github/server';

// Each step is a Node process talking to the stand-in; a flow runs several (the project's testTimeout is not applied here).
jest.setTimeout(120_000);

const TOKEN = 'ghs_promoteE2eToken0123456789abcdef';
/** A second release manager's token, for two runs at once. */
const SECOND_TOKEN = 'ghs_promoteE2eSecond123456789abcdef';
const WRITES = /^(POST|PATCH|PUT|DELETE)$/;

let clock = Date.parse('2026-06-01T08:00:00Z');
const github = new GitHubStandIn({ now: () => clock });
let repoCount = 0;

beforeAll(async () => {
  await github.start();
  github.grant(TOKEN, { login: 'release-bot' });
  github.grant(SECOND_TOKEN, { login: 'second-release-bot' });
});
afterAll(() => github.stop());
afterEach(() => expect(() => github.assertConformance()).not.toThrow());

/** Today's UTC date as the date-id scheme writes it (the action uses the real clock). */
function today(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '.');
}

/** The date-id candidate tag a step made on `day` (or on the next day, if it ran across midnight). */
function expectDatedTag(tag: string | undefined, day: string, id: string): string {
  expect([`test-${day}-${id}`, `test-${today()}-${id}`]).toContain(tag);
  return tag as string;
}

/** A fresh repository with a commit; each test works in its own. */
function newRepo(name = 'neco'): { fullName: string; sha: string } {
  const fullName = `cybozu-go/${name}-${++repoCount}`;
  github.createRepo(fullName);
  clock += 60_000;
  return { fullName, sha: github.commit(fullName, { message: 'Add the feature' }) };
}

/** A commit whose checks passed. */
function greenCommit(fullName: string, message: string): string {
  clock += 60_000;
  const sha = github.commit(fullName, { message });
  github.addCheckRun(fullName, sha, { name: 'test' });
  github.addStatus(fullName, sha, { context: 'ci/circleci', state: 'success' });
  return sha;
}

interface Step {
  result: RunResult;
  /** Write requests the step made. */
  writes: string[];
  /** Requests of any kind the step made. */
  requests: number;
}

/** Everything the step printed, except the commands that register secrets with the masker. */
function printedLog(result: RunResult): string {
  return result.rawLog.replace(/^::add-mask::.*$/gm, '');
}

/** Runs the step with `token` (unless the inputs give another) and checks that the token never shows. */
async function runStep(fullName: string, inputs: BundleOptions['inputs'], options: Partial<BundleOptions>, token: string) {
  const result = await runBundle({
    ...options,
    action: 'actions/promote-release-tag',
    inputs: { token, ...inputs },
    github: { apiUrl: github.url, repository: fullName, actor: 'release-manager', ...options.github },
  });
  // The token never reaches the log (beyond the command that masks it), the outputs or the summary, in any form.
  const printed = printedLog(result);
  for (const form of [token, Buffer.from(token).toString('base64')]) {
    expect(printed).not.toContain(form);
    expect(JSON.stringify(result.outputs)).not.toContain(form);
    expect(result.summary).not.toContain(form);
  }
  return result;
}

function stepOf(result: RunResult, made: readonly JournalEntry[], fullName: string): Step {
  return {
    result,
    writes: made
      .filter((entry) => WRITES.test(entry.method))
      .map((entry) => `${entry.method} ${entry.path.replace(`/repos/${fullName}`, '')}`),
    requests: made.length,
  };
}

async function step(fullName: string, inputs: BundleOptions['inputs'], options: Partial<BundleOptions> = {}): Promise<Step> {
  const before = github.journal.length;
  const result = await runStep(fullName, inputs, options, TOKEN);
  return stepOf(result, github.journal.slice(before), fullName);
}

/** The same step run twice at once, as by two release managers (each with a token, to tell their requests apart). */
async function race(fullName: string, inputs: BundleOptions['inputs'], options: Partial<BundleOptions> = {}): Promise<Step[]> {
  const before = github.journal.length;
  const tokens = [TOKEN, SECOND_TOKEN];
  const results = await Promise.all(tokens.map((token) => runStep(fullName, inputs, options, token)));
  const made = github.journal.slice(before);
  return results.map((result, index) =>
    stepOf(
      result,
      made.filter((entry) => entry.headers.authorization?.endsWith(` ${tokens[index]}`)),
      fullName,
    ),
  );
}

function expectSuccess({ result }: Step): void {
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
}

function expectFailure({ result }: Step, message: string | RegExp): void {
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]).toMatch(message);
}

function workspaceWith(files: Record<string, string>): string {
  const workspace = tempDir('promote-e2e-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(workspace, path, '..'), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }
  return workspace;
}

const release = (fullName: string, tag: string) => github.releases(fullName).filter((record) => record.tagName === tag);
const ref = (fullName: string, tag: string) => github.refs(fullName)[`refs/tags/${tag}`];

describe('the Neco flow: candidate → promote with a .deb → publish', () => {
  test('each step does its part, and running it again changes nothing', async () => {
    const { fullName } = newRepo();
    // An earlier release, so the notes start there.
    const old = greenCommit(fullName, 'Old feature');
    github.tag(fullName, 'release-2026.01.05-1a2b3c4', old);
    github.addRelease(fullName, { tag: 'release-2026.01.05-1a2b3c4', target: old });
    const sha = greenCommit(fullName, 'New feature');

    // 1. After the tests pass on main: the candidate tag.
    const day = today();
    const candidate = await step(fullName, { mode: 'candidate' }, { github: { sha } });
    expectSuccess(candidate);
    const candidateTag = expectDatedTag(candidate.result.outputs.tag, day, sha.slice(0, 7));
    expect(candidate.result.outputs).toEqual({ tag: candidateTag, sha, 'release-id': '', 'release-url': '', 'previous-tag': '' });
    expect(ref(fullName, candidateTag)).toBe(sha);
    expect(candidate.writes).toEqual(['POST /git/refs']);

    // 2. The release manager promotes it, with the package built for it.
    const workspace = workspaceWith({
      'out/neco_2026.1.0_amd64.deb': 'debian package bytes\n'.repeat(500),
      'out/README.txt': 'not an asset',
    });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': candidateTag, files: 'out/*.deb' }, { workspace });
    expectSuccess(promote);
    const releaseTag = candidateTag.replace(/^test-/, 'release-');
    expect(ref(fullName, releaseTag)).toBe(sha);
    const [record] = release(fullName, releaseTag);
    expect(record).toMatchObject({ draft: false, prerelease: true, tagName: releaseTag });
    expect(record?.assets.map((asset) => [asset.name, asset.data.toString()])).toEqual([
      ['neco_2026.1.0_amd64.deb', 'debian package bytes\n'.repeat(500)],
    ]);
    expect(record?.body).toContain('New feature');
    expect(record?.body).not.toContain('Old feature');
    expect(record?.body).toContain(`compare/release-2026.01.05-1a2b3c4...${releaseTag}`);
    // Draft first, asset while still a draft, publishing last (immutable releases).
    expect(promote.writes).toEqual([
      'POST /git/refs',
      'POST /releases/generate-notes',
      'POST /releases',
      `POST /api/uploads/releases/${record?.id}/assets`,
      `PATCH /releases/${record?.id}`,
    ]);
    const created: unknown = JSON.parse(github.requests('POST', new RegExp(`/repos/${fullName}/releases$`))[0]?.body.toString() ?? '{}');
    expect(created).toMatchObject({ tag_name: releaseTag, target_commitish: sha, draft: true, prerelease: true, make_latest: 'false' });
    expect(promote.result.outputs).toEqual({
      tag: releaseTag,
      sha,
      'release-id': String(record?.id),
      'release-url': `${github.url}/${fullName}/releases/tag/${releaseTag}`,
      'previous-tag': 'release-2026.01.05-1a2b3c4',
    });
    expect(promote.result.summary).toContain(`Promotion of ${candidateTag} to ${releaseTag}`);
    expect(promote.result.summary).toContain(`/${fullName}/commit/${sha}`);
    expect(promote.result.summary).toContain(escapeCell('upload asset neco_2026.1.0_amd64.deb'));

    // 3. Unchecking "pre-release": the publish step.
    const publish = await step(fullName, { mode: 'publish', tag: releaseTag });
    expectSuccess(publish);
    expect(release(fullName, releaseTag)[0]).toMatchObject({ draft: false, prerelease: false, makeLatest: 'true' });
    expect(publish.writes).toEqual([`PATCH /releases/${record?.id}`]);
    expect(publish.result.outputs).toMatchObject({
      tag: releaseTag,
      sha,
      'release-id': String(record?.id),
      'previous-tag': 'release-2026.01.05-1a2b3c4',
    });

    // Re-running every step with the same inputs creates nothing new.
    for (const [inputs, options] of [
      [{ mode: 'candidate' }, { github: { sha } }],
      [{ mode: 'promote', 'source-tag': candidateTag, files: 'out/*.deb' }, { workspace }],
      [{ mode: 'publish', tag: releaseTag }, {}],
    ] as const) {
      const again = await step(fullName, inputs, options);
      expectSuccess(again);
      expect(again.writes).toEqual([]);
      expect(again.result.log).toContain('Nothing to change');
      expect(again.result.outputs.tag).toBe(inputs.mode === 'candidate' ? candidateTag : releaseTag);
      expect(again.result.summary).toContain('none: everything was already in place');
    }
    expect(github.releases(fullName)).toHaveLength(2);
    expect(Object.keys(github.refs(fullName)).filter((name) => name.startsWith('refs/tags/'))).toHaveLength(3);
  });
});

describe('the Fragalysis flow: plain 1.0.3 tags with the semver scheme', () => {
  // No prefixes given: under semver the default is none.
  const semver = { scheme: 'semver' };

  test('candidates count up per version, latest is the highest rc, the release drops the rc', async () => {
    const { fullName } = newRepo('fragalysis-stack');
    const first = greenCommit(fullName, 'Fix the viewer');
    const rc1 = await step(fullName, { ...semver, mode: 'candidate', version: '1.0.3' }, { github: { sha: first } });
    expectSuccess(rc1);
    expect(rc1.result.outputs.tag).toBe('1.0.3-rc.1');
    const second = greenCommit(fullName, 'Fix the viewer again');
    // Without a version: another rc of the newest unreleased version.
    const rc2 = await step(fullName, { ...semver, mode: 'candidate' }, { github: { sha: second } });
    expect(rc2.result.outputs.tag).toBe('1.0.3-rc.2');
    expect(ref(fullName, '1.0.3-rc.2')).toBe(second);
    // The same commit again: the rc it already has.
    const again = await step(fullName, { ...semver, mode: 'candidate', version: '1.0.3' }, { github: { sha: second } });
    expect(again.result.outputs.tag).toBe('1.0.3-rc.2');
    expect(again.writes).toEqual([]);

    const promote = await step(fullName, { ...semver, mode: 'promote', 'source-tag': 'latest' });
    expectSuccess(promote);
    expect(promote.result.outputs).toMatchObject({ tag: '1.0.3', sha: second, 'previous-tag': '' });
    expect(promote.result.log).toContain('The newest candidate is 1.0.3-rc.2');
    expect(ref(fullName, '1.0.3')).toBe(second);
    expect(release(fullName, '1.0.3')[0]).toMatchObject({ draft: false, prerelease: true });

    const publish = await step(fullName, { ...semver, mode: 'publish', tag: '1.0.3' });
    expectSuccess(publish);
    expect(release(fullName, '1.0.3')[0]).toMatchObject({ prerelease: false, makeLatest: 'true' });

    // A released version takes no more candidates; without a version, the next patch starts.
    const late = greenCommit(fullName, 'Too late for 1.0.3');
    const refused = await step(fullName, { ...semver, mode: 'candidate', version: '1.0.3' }, { github: { sha: late } });
    expectFailure(refused, `Version 1.0.3 is already released as 1.0.3 (commit ${second}); choose a new version for commit ${late}`);
    expect(refused.writes).toEqual([]);
    const next = await step(fullName, { ...semver, mode: 'candidate' }, { github: { sha: late } });
    expectSuccess(next);
    expect(next.result.outputs.tag).toBe('1.0.4-rc.1');
  });

  test('v for both prefixes: v1.0.3-rc.1 → v1.0.3', async () => {
    const { fullName } = newRepo('conveyor');
    const sha = greenCommit(fullName, 'Release me');
    const v = { scheme: 'semver', 'candidate-prefix': 'v', 'release-prefix': 'v' };
    const candidate = await step(fullName, { ...v, mode: 'candidate', version: '1.0.3' }, { github: { sha } });
    expectSuccess(candidate);
    expect(candidate.result.outputs.tag).toBe('v1.0.3-rc.1');
    const promote = await step(fullName, { ...v, mode: 'promote', 'source-tag': 'latest' });
    expectSuccess(promote);
    expect(promote.result.outputs).toMatchObject({ tag: 'v1.0.3', sha });
    expect(Object.keys(github.refs(fullName)).filter((name) => name.startsWith('refs/tags/'))).toEqual([
      'refs/tags/v1.0.3-rc.1',
      'refs/tags/v1.0.3',
    ]);
    expect(release(fullName, 'v1.0.3')[0]).toMatchObject({ draft: false, prerelease: true });
  });

  test('the first candidate of a repository needs a version', async () => {
    const { fullName, sha } = newRepo('fragalysis-frontend');
    const first = await step(fullName, { ...semver, mode: 'candidate' }, { github: { sha } });
    expectFailure(
      first,
      `Input 'version': is required: ${fullName} has no X.Y.Z-rc.N or X.Y.Z tags yet. Give the first version, e.g. 1.0.0`,
    );
    expect(first.writes).toEqual([]);
  });

  test('an annotated candidate tag is followed to its commit; the release tag is a plain tag on that commit', async () => {
    const { fullName } = newRepo('fragalysis-backend');
    const sha = greenCommit(fullName, 'Backend change');
    github.tag(fullName, '2.0.0-rc.1', sha, { message: 'Release candidate 1' });
    expect(ref(fullName, '2.0.0-rc.1')).not.toBe(sha); // the ref points at the tag object
    const promote = await step(fullName, { ...semver, mode: 'promote', 'source-tag': '2.0.0-rc.1', 'generate-notes': false });
    expectSuccess(promote);
    expect(promote.result.outputs.sha).toBe(sha);
    expect(ref(fullName, '2.0.0')).toBe(sha);
    expect(release(fullName, '2.0.0')[0]?.body).toBe('');
    expect(promote.writes).not.toContain('POST /releases/generate-notes');
  });
});

describe('safety', () => {
  test('a release tag already on another commit is refused, naming both commits, before any write', async () => {
    const { fullName, sha: other } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-42', sha);
    github.tag(fullName, 'release-2026.05.04-42', other);
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-42' });
    expectFailure(promote, `Tag release-2026.05.04-42 already exists on commit ${other}, not on ${sha}. Tags are never moved`);
    expect(promote.writes).toEqual([]);
    expect(ref(fullName, 'release-2026.05.04-42')).toBe(other);
    expect(promote.result.outputs).toMatchObject({ tag: 'release-2026.05.04-42', sha, 'release-id': '' });
    expect(promote.result.summary).toContain('Promotion of test-2026.05.04-42 to release-2026.05.04-42 failed');
  });

  test('a release tag already on the same commit is kept and the promotion goes on', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-43', sha);
    github.tag(fullName, 'release-2026.05.04-43', sha);
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-43' });
    expectSuccess(promote);
    expect(promote.writes).not.toContain('POST /git/refs');
    expect(release(fullName, 'release-2026.05.04-43')).toHaveLength(1);
  });

  test.each([
    [
      'a failed check run',
      (fullName: string, sha: string) => github.addCheckRun(fullName, sha, { name: 'e2e', conclusion: 'failure' }),
      'e2e (failure)',
    ],
    [
      'a check run still running',
      (fullName: string, sha: string) => github.addCheckRun(fullName, sha, { name: 'e2e', status: 'in_progress' }),
      'e2e (in_progress)',
    ],
    [
      'a failed status',
      (fullName: string, sha: string) => github.addStatus(fullName, sha, { context: 'ci/jenkins', state: 'failure' }),
      'ci/jenkins (failure)',
    ],
    [
      'a pending status',
      (fullName: string, sha: string) => github.addStatus(fullName, sha, { context: 'ci/jenkins', state: 'pending' }),
      'ci/jenkins (pending)',
    ],
  ])('%s refuses the promotion without writing anything', async (_, addCheck, named) => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    addCheck(fullName, sha);
    github.tag(fullName, 'test-2026.05.04-44', sha);
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-44' });
    expectFailure(
      promote,
      `Commit ${sha} of test-2026.05.04-44 has checks that did not succeed: ${named}. Promote a candidate whose checks passed, or set 'require-checks: false'`,
    );
    expect(promote.writes).toEqual([]);
    // The release manager may still overrule it.
    const overruled = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-44', 'require-checks': false });
    expectSuccess(overruled);
    expect(ref(fullName, 'release-2026.05.04-44')).toBe(sha);
  });

  test('a commit without any checks is not taken for a green one', async () => {
    const { fullName, sha } = newRepo();
    github.tag(fullName, 'test-2026.05.04-45', sha);
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-45' });
    expectFailure(promote, `Commit ${sha} of test-2026.05.04-45 has no check runs or statuses`);
    expect(promote.writes).toEqual([]);
  });

  test('a re-run check that passed replaces its failed attempt', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Flaky');
    github.addCheckRun(fullName, sha, { name: 'e2e', conclusion: 'failure' });
    github.addCheckRun(fullName, sha, { name: 'e2e', conclusion: 'success' });
    github.tag(fullName, 'test-2026.05.04-46', sha);
    expectSuccess(await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-46' }));
  });

  test.each([
    [
      'promote',
      { 'source-tag': 'test-2026.13.01-abc' },
      "Input 'source-tag': 'test-2026.13.01-abc' is not a candidate tag of the date-id scheme",
    ],
    ['promote', { 'source-tag': 'release-2026.05.04-1' }, "Input 'source-tag': 'release-2026.05.04-1' is not a candidate tag"],
    ['publish', { tag: 'test-2026.05.04-1' }, "Input 'tag': 'test-2026.05.04-1' is not a release tag"],
    ['candidate', { id: 'has space' }, "Input 'id': 'has space' is not a valid ID"],
    ['candidate', { 'candidate-prefix': 'bad prefix ' }, "Input 'candidate-prefix': 'bad prefix' may only contain"],
    ['promote', { 'source-tag': 'latest', files: 'dist/*.deb' }, "Input 'files': 'dist/*.deb' matches no file"],
  ])('a bad input (%s %j) fails before any request', async (mode, inputs, message) => {
    const { fullName } = newRepo();
    const bad = await step(fullName, { mode, ...inputs });
    expectFailure(bad, message);
    expect(bad.requests).toBe(0);
  });

  test('two files with one name would be one asset: refused before any request', async () => {
    const { fullName } = newRepo();
    const workspace = workspaceWith({ 'amd64/pkg.deb': 'a', 'arm64/pkg.deb': 'b' });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'latest', files: '*/pkg.deb' }, { workspace });
    expectFailure(
      promote,
      /^Input 'files': .*\/amd64\/pkg.deb and .*\/arm64\/pkg.deb would both be uploaded as 'pkg.deb'. Release asset names must be unique$/,
    );
    expect(promote.requests).toBe(0);
  });

  test('an unknown source tag makes no write request', async () => {
    const { fullName } = newRepo();
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-nope' });
    expectFailure(promote, `Input 'source-tag': tag test-2026.05.04-nope does not exist in ${fullName}`);
    expect(promote.writes).toEqual([]);
    const latest = await step(fullName, { mode: 'promote', 'source-tag': 'latest' });
    expectFailure(latest, `Input 'source-tag': no candidate tag like test-YYYY.MM.DD-ID exists in ${fullName}`);
    expect(latest.writes).toEqual([]);
    const publish = await step(fullName, { mode: 'publish', tag: 'release-2026.05.04-nope' });
    expectFailure(publish, `Input 'tag': tag release-2026.05.04-nope does not exist in ${fullName}`);
    expect(publish.writes).toEqual([]);
  });

  test('an actor not in allowed-actors is refused before any request, a listed one may go on', async () => {
    const { fullName, sha } = newRepo();
    const refused = await step(fullName, { mode: 'candidate', 'allowed-actors': 'alice\nbob' }, { github: { sha, actor: 'mallory' } });
    expectFailure(refused, "Input 'allowed-actors': mallory may not run this step. Ask one of alice, bob to run it");
    expect(refused.requests).toBe(0);
    // Re-running an allowed actor's run does not make it the re-runner's.
    const rerun = await step(
      fullName,
      { mode: 'candidate', 'allowed-actors': 'alice' },
      { github: { sha, actor: 'alice' }, env: { GITHUB_TRIGGERING_ACTOR: 'mallory' } },
    );
    expectFailure(rerun, 'mallory may not run this step');
    expect(rerun.requests).toBe(0);
    expectSuccess(await step(fullName, { mode: 'candidate', 'allowed-actors': 'alice\nbob' }, { github: { sha, actor: 'Bob' } }));
  });

  test('a token that may only read fails on the first write, naming the permission, and changes nothing', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-53', sha);
    const readOnly = 'ghs_readOnlyToken0123456789abcdef01';
    github.grant(readOnly, { login: 'reader', repos: { [fullName]: { contents: 'read' } } });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-53', token: readOnly });
    expectFailure(
      promote,
      /^Could not create tag release-2026.05.04-53: Resource not accessible by integration.*The token needs 'contents: write'/,
    );
    expect(printedLog(promote.result)).not.toContain(readOnly.slice(4));
    expect(ref(fullName, 'release-2026.05.04-53')).toBeUndefined();
    expect(github.releases(fullName)).toEqual([]);
  });

  test('two releases for one tag are an error', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-47', sha);
    github.tag(fullName, 'release-2026.05.04-47', sha);
    const first = github.addRelease(fullName, { tag: 'release-2026.05.04-47', draft: true });
    const second = github.addRelease(fullName, { tag: 'release-2026.05.04-47', draft: true });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-47' });
    expectFailure(promote, `Tag release-2026.05.04-47 has 2 releases (ids ${second}, ${first}); delete all but one, then re-run`);
    expect(promote.writes).toEqual([]);
  });

  test('publishing a release that is still a draft is refused', async () => {
    const { fullName, sha } = newRepo();
    github.tag(fullName, 'release-2026.05.04-48', sha);
    github.addRelease(fullName, { tag: 'release-2026.05.04-48', draft: true, prerelease: true });
    const publish = await step(fullName, { mode: 'publish', tag: 'release-2026.05.04-48' });
    expectFailure(publish, /still a draft: its promotion did not finish/);
    expect(publish.writes).toEqual([]);
  });

  test('re-running an older publication does not take "latest" from a newer release', async () => {
    const { fullName, sha: first } = newRepo();
    const second = greenCommit(fullName, 'Next');
    for (const [tag, sha] of [
      ['release-2026.05.04-1', first],
      ['release-2026.05.05-2', second],
    ] as const) {
      github.tag(fullName, tag, sha);
      github.addRelease(fullName, { tag, target: sha, prerelease: true });
      expectSuccess(await step(fullName, { mode: 'publish', tag }));
    }
    const latest = async () =>
      (
        (await (
          await fetch(`${github.url}/repos/${fullName}/releases/latest`, { headers: { authorization: `token ${TOKEN}` } })
        ).json()) as { tag_name: string }
      ).tag_name;
    expect(await latest()).toBe('release-2026.05.05-2');
    const again = await step(fullName, { mode: 'publish', tag: 'release-2026.05.04-1' });
    expectSuccess(again);
    expect(again.writes).toEqual([]);
    expect(again.result.log).toContain('Already done: release release-2026.05.04-1 is already a full release');
    expect(again.result.outputs['previous-tag']).toBe('');
    expect(await latest()).toBe('release-2026.05.05-2');
  });

  test('a dry run reads, prints the plan and writes nothing', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-49', sha);
    const workspace = workspaceWith({ 'pkg.deb': 'bytes' });
    const dry = await step(
      fullName,
      { mode: 'promote', 'source-tag': 'test-2026.05.04-49', files: 'pkg.deb', 'dry-run': true },
      { workspace },
    );
    expectSuccess(dry);
    expect(dry.writes).toEqual([]);
    expect(dry.result.log).toContain(`Dry run, would create tag release-2026.05.04-49 on ${sha}`);
    expect(dry.result.log).toContain('Dry run, would upload asset pkg.deb (5 bytes)');
    expect(dry.result.log).toContain('Dry run, would publish the release as a pre-release');
    expect(dry.result.summary).toContain('Dry run: Promotion of test-2026.05.04-49 to release-2026.05.04-49');
    expect(dry.result.outputs).toMatchObject({ tag: 'release-2026.05.04-49', sha, 'release-id': '' });
    expect(ref(fullName, 'release-2026.05.04-49')).toBeUndefined();
    expect(github.releases(fullName)).toEqual([]);
  });
});

describe('lost replies and interrupted runs', () => {
  test('a connection dropped after the tag POST took effect makes no second tag or release', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-50', sha);
    github.dropNext(1, { match: { method: 'POST', path: /\/git\/refs$/ }, afterHandling: true });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-50' });
    expectSuccess(promote);
    expect(promote.result.warnings.join('\n')).toMatch(/create tag release-2026.05.04-50: .*; checking whether it took effect/);
    expect(promote.result.log).toContain('create tag release-2026.05.04-50: the earlier attempt took effect; not sending it again');
    expect(github.requests('POST', new RegExp(`/repos/${fullName}/git/refs$`))).toHaveLength(1);
    expect(ref(fullName, 'release-2026.05.04-50')).toBe(sha);
    expect(release(fullName, 'release-2026.05.04-50')).toHaveLength(1);
  });

  test('a tag POST dropped before it took effect is sent again, once', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.dropNext(1, { match: { method: 'POST', path: /\/git\/refs$/ }, afterHandling: false });
    const day = today();
    const candidate = await step(fullName, { mode: 'candidate', id: 'build-7' }, { github: { sha } });
    expectSuccess(candidate);
    expect(github.requests('POST', new RegExp(`/repos/${fullName}/git/refs$`))).toHaveLength(2);
    expect(ref(fullName, expectDatedTag(candidate.result.outputs.tag, day, 'build-7'))).toBe(sha);
  });

  test('lost replies to the release POST and the asset upload make no second release or asset', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-51', sha);
    github.dropNext(1, { match: { method: 'POST', path: new RegExp(`/repos/${fullName}/releases$`) }, afterHandling: true });
    github.dropNext(1, { match: { method: 'POST', path: /\/assets$/ }, afterHandling: true });
    const workspace = workspaceWith({ 'pkg.deb': 'package' });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-51', files: 'pkg.deb' }, { workspace });
    expectSuccess(promote);
    const releases = release(fullName, 'release-2026.05.04-51');
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ draft: false, prerelease: true });
    expect(releases[0]?.assets.map((asset) => asset.name)).toEqual(['pkg.deb']);
    expect(promote.writes.filter((write) => write === 'POST /releases')).toHaveLength(1);
    expect(promote.writes.filter((write) => write.endsWith('/assets'))).toHaveLength(1);
  });

  test('a promotion interrupted at the draft resumes: same assets skipped, changed ones replaced, new ones uploaded, then published', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-52', sha);
    const workspace = workspaceWith({ 'a.deb': 'first package', 'b.deb': 'second package' });
    // The first run uploads both assets, then the publishing PATCH is refused.
    github.failNext(1, 403, { match: { method: 'PATCH' }, body: { message: 'Resource not accessible by integration' } });
    const interrupted = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-52', files: '*.deb' }, { workspace });
    expectFailure(interrupted, /Could not update release \d+: Resource not accessible by integration.* The token needs 'contents: write'/);
    const [draft] = release(fullName, 'release-2026.05.04-52');
    expect(draft).toMatchObject({ draft: true });
    expect(interrupted.result.outputs['release-id']).toBe(String(draft?.id));
    expect(interrupted.result.summary).toContain('failed');

    writeFileSync(join(workspace, 'b.deb'), 'second package, rebuilt');
    writeFileSync(join(workspace, 'c.deb'), 'third package');
    const resumed = await step(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-52', files: '*.deb' }, { workspace });
    expectSuccess(resumed);
    const [record] = release(fullName, 'release-2026.05.04-52');
    expect(record?.id).toBe(draft?.id);
    expect(record).toMatchObject({ draft: false, prerelease: true });
    expect(Object.fromEntries(record?.assets.map((asset) => [asset.name, asset.data.toString()]) ?? [])).toEqual({
      'a.deb': 'first package',
      'b.deb': 'second package, rebuilt',
      'c.deb': 'third package',
    });
    expect(resumed.writes.map((write) => write.replace(/\d+/g, 'N'))).toEqual([
      'DELETE /releases/assets/N',
      'POST /api/uploads/releases/N/assets',
      'POST /api/uploads/releases/N/assets',
      'PATCH /releases/N',
    ]);
    expect(resumed.result.log).toContain('Already done: asset a.deb already uploaded');
  });
});

// Two runs of one step at once (a re-run clicked while the first attempt runs, two release managers):
// the stand-in holds each run's read of the state it plans from until the other has read it too, so
// both plan the same writes before either makes one. Both must succeed and the effect happen once.
describe('concurrent runs of the same step', () => {
  const releasesRead = (fullName: string) => github.rendezvousNext(2, { method: 'GET', path: new RegExp(`^/repos/${fullName}/releases$`) });
  const writesOf = (runs: Step[], pattern: RegExp) => runs.flatMap((run) => run.writes.filter((write) => pattern.test(write)));

  /** One release tag on the commit, one release (drafts included), a pre-release named after its tag, reported by both runs. */
  function expectOnePromotion(runs: Step[], fullName: string, tag: string, sha: string) {
    for (const run of runs) expectSuccess(run);
    expect(Object.keys(github.refs(fullName)).filter((name) => name.startsWith(`refs/tags/${tag}`))).toEqual([`refs/tags/${tag}`]);
    expect(ref(fullName, tag)).toBe(sha);
    const releases = github.releases(fullName);
    expect(releases).toHaveLength(1);
    const [record] = releases as [ReleaseRecord];
    expect(record).toMatchObject({ tagName: tag, name: tag, draft: false, prerelease: true, makeLatest: 'false' });
    expect(runs.map((run) => run.result.outputs['release-id'])).toEqual([String(record.id), String(record.id)]);
    // GitHub's raw refusal of a second release never reaches the user.
    for (const run of runs) expect(run.result.rawLog).not.toContain('"resource":"Release"');
    return record;
  }

  test('two promotions of one candidate: one tag, one release with each asset once, both succeed with the same release-id', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-70', sha);
    const workspace = workspaceWith({ 'a.deb': 'first package', 'b.deb': 'second package' });
    const rendezvous = releasesRead(fullName);
    // And the first uploads meet too: both runs send a.deb to the one release at once.
    const uploads = github.rendezvousNext(2, { method: 'POST', path: new RegExp(`/repos/${fullName}/releases/\\d+/assets$`) });
    const runs = await race(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-70', files: '*.deb' }, { workspace });
    expect([rendezvous.met, uploads.met]).toEqual([true, true]);
    const record = expectOnePromotion(runs, fullName, 'release-2026.05.04-70', sha);
    const firstUploads = github
      .requests('POST', new RegExp(`/releases/${record.id}/assets$`))
      .filter((entry) => new URLSearchParams(entry.query).get('name') === 'a.deb');
    expect(firstUploads.map((entry) => entry.outcome).sort()).toEqual([201, 422]);
    expect(runs.map((run) => run.result.log).join('\n')).toContain(
      'upload asset a.deb: already in place (made meanwhile, e.g. by a concurrent run); not sending it again',
    );
    expect(record.assets.map((asset) => [asset.name, asset.data.toString()])).toEqual([
      ['a.deb', 'first package'],
      ['b.deb', 'second package'],
    ]);
    // Both planned from nothing, so both made the tag and a draft; the one whose draft was not the
    // oldest deleted its own and went on with the other.
    expect(writesOf(runs, /^POST \/git\/refs$/)).toHaveLength(2);
    expect(writesOf(runs, /^POST \/releases$/)).toHaveLength(2);
    const [deleted, ...more] = writesOf(runs, /^DELETE \/releases\/\d+$/);
    expect(more).toEqual([]);
    expect(Number(deleted?.split('/').pop())).toBeGreaterThan(record.id);
    const loser = runs.find((run) => run.writes.includes(deleted as string)) as Step;
    expect(loser.result.log).toContain(`A concurrent run made release ${record.id} of release-2026.05.04-70 first`);
    expect(loser.result.summary).toContain(`delete duplicate draft release ${deleted?.split('/').pop()}`);
  });

  test('the reply to a draft lost under a race: the run finds its own draft by its mark, and still one release remains', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-71', sha);
    const workspace = workspaceWith({ 'pkg.deb': 'package' });
    const rendezvous = releasesRead(fullName);
    github.dropNext(1, { match: { method: 'POST', path: new RegExp(`/repos/${fullName}/releases$`) }, afterHandling: true });
    const runs = await race(fullName, { mode: 'promote', 'source-tag': 'test-2026.05.04-71', files: 'pkg.deb' }, { workspace });
    expect(rendezvous.met).toBe(true);
    const record = expectOnePromotion(runs, fullName, 'release-2026.05.04-71', sha);
    expect(record.assets.map((asset) => asset.name)).toEqual(['pkg.deb']);
    const lost = runs.find((run) => run.result.warnings.some((line) => line.startsWith('create draft release'))) as Step;
    expect(lost.result.log).toContain('create draft release release-2026.05.04-71: the earlier attempt took effect; not sending it again');
    // Not sent again: two drafts in all, one of them deleted.
    expect(writesOf(runs, /^POST \/releases$/)).toHaveLength(2);
    expect(writesOf(runs, /^DELETE \/releases\/\d+$/)).toHaveLength(1);
  });

  test('two publications of one pre-release: one full release marked latest, both succeed', async () => {
    const { fullName, sha } = newRepo();
    github.tag(fullName, 'release-2026.05.04-72', sha);
    const id = github.addRelease(fullName, { tag: 'release-2026.05.04-72', target: sha, prerelease: true });
    const rendezvous = releasesRead(fullName);
    const runs = await race(fullName, { mode: 'publish', tag: 'release-2026.05.04-72' });
    expect(rendezvous.met).toBe(true);
    for (const run of runs) {
      expectSuccess(run);
      expect(run.writes).toEqual([`PATCH /releases/${id}`]);
      expect(run.result.outputs).toMatchObject({ tag: 'release-2026.05.04-72', sha, 'release-id': String(id) });
    }
    expect(github.releases(fullName)).toHaveLength(1);
    expect(github.releases(fullName)[0]).toMatchObject({ id, draft: false, prerelease: false, makeLatest: 'true' });
  });

  test('two candidate runs for one commit: one tag, both report it', async () => {
    const { fullName, sha } = newRepo();
    const rendezvous = github.rendezvousNext(2, {
      method: 'GET',
      path: new RegExp(`^/repos/${fullName}/git/matching-refs/tags(/|%2F)test-$`),
    });
    const day = today();
    const runs = await race(fullName, { mode: 'candidate', id: 'build-9' }, { github: { sha } });
    expect(rendezvous.met).toBe(true);
    const tag = expectDatedTag(runs[0]?.result.outputs.tag, day, 'build-9');
    for (const run of runs) {
      expectSuccess(run);
      expect(run.result.outputs).toEqual({ tag, sha, 'release-id': '', 'release-url': '', 'previous-tag': '' });
    }
    expect(Object.keys(github.refs(fullName)).filter((name) => name.startsWith('refs/tags/'))).toEqual([`refs/tags/${tag}`]);
    expect(ref(fullName, tag)).toBe(sha);
    // Both tried; the one that got "Reference already exists" found the tag on the commit.
    expect(writesOf(runs, /^POST \/git\/refs$/)).toHaveLength(2);
  });
});

describe('latest', () => {
  test("among one day's candidates named by short sha, the newest commit wins; the previous release is found the same way", async () => {
    const { fullName } = newRepo();
    clock += 3_600_000;
    const older = greenCommit(fullName, 'Morning');
    clock += 3_600_000;
    const newer = greenCommit(fullName, 'Afternoon');
    // Names that sort the other way round: only the commit dates tell.
    github.tag(fullName, `test-2026.05.04-f${older.slice(1, 7)}`, older);
    github.tag(fullName, `test-2026.05.04-0${newer.slice(1, 7)}`, newer);
    github.tag(fullName, 'test-2026.05.03-ffffff9', older);
    github.tag(fullName, `release-2026.05.04-f${older.slice(1, 7)}`, older);
    github.addRelease(fullName, { tag: `release-2026.05.04-f${older.slice(1, 7)}`, target: older });
    const promote = await step(fullName, { mode: 'promote', 'source-tag': 'latest' });
    expectSuccess(promote);
    expect(promote.result.outputs).toMatchObject({
      tag: `release-2026.05.04-0${newer.slice(1, 7)}`,
      sha: newer,
      'previous-tag': `release-2026.05.04-f${older.slice(1, 7)}`,
    });
  });
});

describe('cancellation', () => {
  test('SIGINT while a request hangs ends the step promptly, as cancelled, with what is known', async () => {
    const { fullName } = newRepo();
    const sha = greenCommit(fullName, 'Candidate');
    github.tag(fullName, 'test-2026.05.04-60', sha);
    github.delayNext(1, 15_000, { match: { method: 'POST', path: /\/generate-notes$/ } });
    const running = startBundle({
      action: 'actions/promote-release-tag',
      inputs: { token: TOKEN, mode: 'promote', 'source-tag': 'test-2026.05.04-60' },
      github: { apiUrl: github.url, repository: fullName },
    });
    await running.waitForLog(/Create draft release release-2026.05.04-60/);
    const cancelledAt = Date.now();
    running.process.kill('SIGINT');
    const result = await running.done;
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(/^Cancelled/);
    expect(result.outputs).toMatchObject({ tag: 'release-2026.05.04-60', sha, 'release-id': '' });
    expect(result.summary).toContain('failed');
    expect(ref(fullName, 'release-2026.05.04-60')).toBe(sha);
    expect(github.releases(fullName)).toEqual([]);
  });
});
