import { ConfigurationError } from '@conveyor/core';
import {
  assertTagOnCommit,
  describeStep,
  planCandidate,
  planPromote,
  planPublish,
  planRelease,
  singleRelease,
  survivingRelease,
  type LocalFile,
  type ReleaseState,
  type TagCommit,
} from '../../actions/promote-release-tag/src/plan';
import { parseCandidate, type ParsedTag, type SchemeConfig } from '../../actions/promote-release-tag/src/schemes';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const semver: SchemeConfig = { scheme: 'semver', candidatePrefix: '', releasePrefix: '' };
const dateId: SchemeConfig = { scheme: 'date-id', candidatePrefix: 'test-', releasePrefix: 'release-' };
const tagOf = (config: SchemeConfig, name: string, sha: string): TagCommit => ({ tag: parseCandidate(config, name) as ParsedTag, sha });
const rcName = (rc: number) => `1.0.3-rc.${rc}`;

function release(overrides: Partial<ReleaseState> = {}): ReleaseState {
  return {
    id: 7,
    tagName: 'release-2026.11.21-abc1234',
    name: 'release-2026.11.21-abc1234',
    draft: true,
    prerelease: true,
    htmlUrl: 'https://github.com/o/r/releases/tag/untagged-1',
    uploadUrl: 'https://uploads.github.com/repos/o/r/releases/7/assets{?name,label}',
    assets: [],
    ...overrides,
  };
}

const deb: LocalFile = { path: '/w/pkg_1.0_amd64.deb', name: 'pkg_1.0_amd64.deb', size: 1000 };
const sums: LocalFile = { path: '/w/SHA256SUMS', name: 'SHA256SUMS', size: 90 };

describe('never moving a tag', () => {
  test('a missing tag or one on the same commit is fine', () => {
    expect(() => assertTagOnCommit('t', undefined, SHA)).not.toThrow();
    expect(() => assertTagOnCommit('t', SHA, SHA)).not.toThrow();
  });

  test('a tag on another commit is an error naming both commits', () => {
    expect(() => assertTagOnCommit('release-x', OTHER, SHA)).toThrow(ConfigurationError);
    expect(() => assertTagOnCommit('release-x', OTHER, SHA)).toThrow(`Tag release-x already exists on commit ${OTHER}, not on ${SHA}`);
  });
});

describe('candidate plan', () => {
  test('date-id: creates the tag for today', () => {
    const plan = planCandidate({ sha: SHA, tag: 'test-2026.11.21-aaaaaaa' }, [], rcName);
    expect(plan).toEqual({
      tag: 'test-2026.11.21-aaaaaaa',
      steps: [{ kind: 'create-tag', tag: 'test-2026.11.21-aaaaaaa', sha: SHA }],
      unchanged: [],
    });
  });

  test('date-id: a candidate of the same ID already on the commit is reused, even from another day', () => {
    const series = [tagOf(dateId, 'test-2026.11.20-aaaaaaa', SHA)];
    const plan = planCandidate({ sha: SHA, tag: 'test-2026.11.21-aaaaaaa' }, series, rcName);
    expect(plan.tag).toBe('test-2026.11.20-aaaaaaa');
    expect(plan.steps).toEqual([]);
    expect(plan.unchanged).toEqual(['test-2026.11.20-aaaaaaa already tags aaaaaaa']);
  });

  test('date-id: the same name on another commit is refused', () => {
    const series = [tagOf(dateId, 'test-2026.11.21-nightly', OTHER)];
    expect(() => planCandidate({ sha: SHA, tag: 'test-2026.11.21-nightly' }, series, rcName)).toThrow(
      `Tag test-2026.11.21-nightly already exists on commit ${OTHER}, not on ${SHA}`,
    );
  });

  test('date-id: an ID used on other days for other commits does not block today', () => {
    const series = [tagOf(dateId, 'test-2026.11.20-nightly', OTHER)];
    expect(planCandidate({ sha: SHA, tag: 'test-2026.11.21-nightly' }, series, rcName).steps).toHaveLength(1);
  });

  test('semver: the first candidate of a version is rc.1, then the next free number', () => {
    expect(planCandidate({ sha: SHA, version: '1.0.3' }, [], rcName).tag).toBe('1.0.3-rc.1');
    const series = [tagOf(semver, '1.0.3-rc.1', OTHER), tagOf(semver, '1.0.3-rc.4', OTHER)];
    const plan = planCandidate({ sha: SHA, version: '1.0.3' }, series, rcName);
    expect(plan.steps).toEqual([{ kind: 'create-tag', tag: '1.0.3-rc.5', sha: SHA }]);
  });

  test('semver: the commit already having an rc of the version is a re-run', () => {
    const series = [tagOf(semver, '1.0.3-rc.1', SHA), tagOf(semver, '1.0.3-rc.2', OTHER)];
    const plan = planCandidate({ sha: SHA, version: '1.0.3' }, series, rcName);
    expect(plan).toMatchObject({ tag: '1.0.3-rc.1', steps: [] });
  });

  test('semver: a released version takes no new candidates', () => {
    const released = { tag: { name: '1.0.3', kind: 'release' as const, version: [1, 0, 3] as const }, sha: OTHER };
    expect(() => planCandidate({ sha: SHA, version: '1.0.3' }, [], rcName, released)).toThrow(
      `Version 1.0.3 is already released as 1.0.3 (commit ${OTHER}); choose a new version for commit ${SHA}`,
    );
  });
});

describe('finding the release of a tag', () => {
  test('none, one, or an error for two', () => {
    expect(singleRelease('t', [])).toBeUndefined();
    expect(singleRelease('t', [release({ tagName: 'other' })])).toBeUndefined();
    expect(singleRelease('t', [release({ tagName: 't', id: 3 })])?.id).toBe(3);
    expect(() => singleRelease('t', [release({ tagName: 't', id: 3 }), release({ tagName: 't', id: 4 })])).toThrow(
      'Tag t has 2 releases (ids 3, 4); delete all but one, then re-run',
    );
  });

  test('of releases two runs made at once, both keep the published one, else the oldest draft', () => {
    expect(survivingRelease([])).toBeUndefined();
    expect(survivingRelease([release({ id: 12 }), release({ id: 9 }), release({ id: 10 })])?.id).toBe(9);
    expect(survivingRelease([release({ id: 9 }), release({ id: 12, draft: false })])?.id).toBe(12);
    // Whichever run asks, in whatever order it lists them.
    const drafts = [release({ id: 21 }), release({ id: 20 })];
    expect([survivingRelease(drafts)?.id, survivingRelease([...drafts].reverse())?.id]).toEqual([20, 20]);
  });
});

describe('promote plan', () => {
  const target = 'release-2026.11.21-abc1234';

  test('from nothing: tag, draft, assets, then pre-release, in that order', () => {
    const plan = planPromote({ target, sha: SHA, files: [deb, sums] });
    expect(plan.steps.map((step) => step.kind)).toEqual([
      'create-tag',
      'create-draft',
      'upload-asset',
      'upload-asset',
      'publish-prerelease',
    ]);
    expect(plan.steps[0]).toEqual({ kind: 'create-tag', tag: target, sha: SHA });
    expect(plan.unchanged).toEqual([]);
  });

  test('the release tag on another commit stops everything', () => {
    expect(() => planPromote({ target, sha: SHA, targetSha: OTHER, files: [deb] })).toThrow(
      `already exists on commit ${OTHER}, not on ${SHA}`,
    );
  });

  test('the release tag already on the commit is kept', () => {
    const plan = planPromote({ target, sha: SHA, targetSha: SHA, files: [] });
    expect(plan.steps.map((step) => step.kind)).toEqual(['create-draft', 'publish-prerelease']);
    expect(plan.unchanged).toEqual([`${target} already tags aaaaaaa`]);
  });

  test('a draft left by an interrupted run: upload what is missing, replace what is broken, then publish', () => {
    const draft = release({
      assets: [
        { id: 1, name: deb.name, size: deb.size, state: 'uploaded' },
        { id: 2, name: sums.name, size: 40, state: 'starter' },
      ],
    });
    const other: LocalFile = { path: '/w/notes.txt', name: 'notes.txt', size: 5 };
    const plan = planPromote({ target, sha: SHA, targetSha: SHA, release: draft, files: [deb, sums, other] });
    expect(plan.steps).toEqual([
      { kind: 'delete-asset', assetId: 2, name: sums.name, why: 'its upload never finished' },
      { kind: 'upload-asset', file: sums },
      { kind: 'upload-asset', file: other },
      { kind: 'publish-prerelease' },
    ]);
    expect(plan.unchanged).toContain(`asset ${deb.name} already uploaded`);
  });

  test('a draft asset of another size is replaced', () => {
    const draft = release({ assets: [{ id: 1, name: deb.name, size: 999, state: 'uploaded' }] });
    const plan = planPromote({ target, sha: SHA, targetSha: SHA, release: draft, files: [deb] });
    expect(plan.steps[0]).toEqual({ kind: 'delete-asset', assetId: 1, name: deb.name, why: "its size is 999 bytes, the file's 1000" });
  });

  test('a published pre-release with all its assets is a finished promotion: nothing to do', () => {
    const published = release({ draft: false, assets: [{ id: 1, name: deb.name, size: deb.size, state: 'uploaded' }] });
    const plan = planPromote({ target, sha: SHA, targetSha: SHA, release: published, files: [deb] });
    expect(plan.steps).toEqual([]);
    expect(plan.unchanged).toEqual([
      `${target} already tags aaaaaaa`,
      `asset ${deb.name} already uploaded`,
      `release ${target} already published as a pre-release`,
    ]);
  });

  test('a full release is left alone too', () => {
    const full = release({ draft: false, prerelease: false });
    expect(planPromote({ target, sha: SHA, targetSha: SHA, release: full, files: [] })).toEqual({
      steps: [],
      unchanged: [`${target} already tags aaaaaaa`, `release ${target} already published`],
    });
  });

  test("on a concurrent run's release, once the tag is in place: only what that release still lacks", () => {
    const theirs = release({ id: 20, assets: [{ id: 1, name: deb.name, size: deb.size, state: 'uploaded' }] });
    expect(planRelease({ target, sha: SHA, release: theirs, files: [deb, sums] })).toEqual({
      steps: [{ kind: 'upload-asset', file: sums }, { kind: 'publish-prerelease' }],
      unchanged: [`asset ${deb.name} already uploaded`, `draft release ${target} exists`],
    });
    const finished = release({ id: 20, draft: false, assets: theirs.assets });
    expect(planRelease({ target, sha: SHA, release: finished, files: [deb] }).steps).toEqual([]);
  });

  test('assets cannot be added to a published release (immutable releases)', () => {
    const published = release({ draft: false });
    expect(() => planPromote({ target, sha: SHA, targetSha: SHA, release: published, files: [deb] })).toThrow(
      `The release of ${target} is already published, so its assets can no longer change (${deb.name} missing or different)`,
    );
  });
});

describe('publish plan', () => {
  const tag = 'release-2026.11.21-abc1234';

  test('a pre-release becomes the full release', () => {
    expect(planPublish(tag, release({ draft: false }))).toEqual({ steps: [{ kind: 'publish-release' }], unchanged: [] });
  });

  test('a full release is left alone (a re-run must not take "latest" from a newer release)', () => {
    expect(planPublish(tag, release({ draft: false, prerelease: false }))).toEqual({
      steps: [],
      unchanged: [`release ${tag} is already a full release`],
    });
  });

  test('no release, or only a draft, is an error', () => {
    expect(() => planPublish(tag, undefined)).toThrow(`Input 'tag': ${tag} has no release. Promote a candidate to ${tag} first`);
    expect(() => planPublish(tag, release())).toThrow(/still a draft/);
  });
});

test('every step has a line for the log', () => {
  expect(describeStep({ kind: 'create-tag', tag: 't', sha: SHA })).toBe(`create tag t on ${SHA}`);
  expect(describeStep({ kind: 'create-draft', tag: 't', sha: SHA })).toBe('create draft release t');
  expect(describeStep({ kind: 'delete-asset', assetId: 1, name: 'a', why: 'b' })).toBe('delete asset a (b)');
  expect(describeStep({ kind: 'upload-asset', file: deb })).toBe(`upload asset ${deb.name} (1000 bytes)`);
  expect(describeStep({ kind: 'publish-prerelease' })).toBe('publish the release as a pre-release');
  expect(describeStep({ kind: 'publish-release' })).toBe('turn the pre-release into a full release marked latest');
});
