// End-to-end: the committed bundle under the runner emulation, against the GitHub stand-in (which
// checks every request and reply against GitHub's REST description).
import { jest } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, tempDir, type RunOptions, type RunResult } from '../kit/runner';
import { GitHubStandIn } from '../standins/github/server';

// Each step is a Node process talking to the stand-in; a flow runs several (the project's testTimeout is not applied here).
jest.setTimeout(120_000);

const TOKEN = 'ghs_promoteE2eToken0123456789abcdef';
const WRITES = /^(POST|PATCH|PUT|DELETE)$/;

let clock = Date.parse('2026-06-01T08:00:00Z');
const github = new GitHubStandIn({ now: () => clock });
let repoCount = 0;

beforeAll(() => github.start());
afterAll(() => github.stop());
afterEach(() => expect(() => github.assertConformance()).not.toThrow());

/** Today's UTC date as the date-id scheme writes it (the action uses the real clock). */
function today(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '.');
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

async function step(fullName: string, inputs: RunOptions['inputs'], options: Partial<RunOptions> = {}): Promise<Step> {
  const before = github.journal.length;
  const result = await runAction({
    ...options,
    action: 'actions/promote-release-tag',
    inputs: { token: TOKEN, ...inputs },
    github: { apiUrl: github.url, repository: fullName, actor: 'release-manager', ...options.github },
  });
  const made = github.journal.slice(before);
  // The token never reaches the log (beyond the command that masks it), the outputs or the summary, in any form.
  const printed = result.rawLog.replace(/^::add-mask::.*$/gm, '');
  for (const form of [TOKEN, Buffer.from(TOKEN).toString('base64')]) {
    expect(printed).not.toContain(form);
    expect(JSON.stringify(result.outputs)).not.toContain(form);
    expect(result.summary).not.toContain(form);
  }
  return {
    result,
    writes: made
      .filter((entry) => WRITES.test(entry.method))
      .map((entry) => `${entry.method} ${entry.path.replace(`/repos/${fullName}`, '')}`),
    requests: made.length,
  };
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
    const candidate = await step(fullName, { mode: 'candidate' }, { github: { sha } });
    expectSuccess(candidate);
    const candidateTag = `test-${today()}-${sha.slice(0, 7)}`;
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
    const releaseTag = `release-${today()}-${sha.slice(0, 7)}`;
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
    const created = JSON.parse(github.requests('POST', new RegExp(`/repos/${fullName}/releases$`))[0]?.body.toString() ?? '{}');
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
    expect(promote.result.summary).toContain('upload asset neco_2026.1.0_amd64.deb');

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
