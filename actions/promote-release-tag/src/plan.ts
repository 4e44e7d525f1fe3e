/**
 * Planning: from what the repository holds now, the writes each mode still has to make. Pure, so
 * every rule (never move a tag, one release per tag, skip assets already uploaded, change nothing on
 * a re-run) is decided here and tested without a server.
 */
import { ConfigurationError, inputError, shortSha } from '@conveyor/core';
import { compareSlots, type ParsedTag } from './schemes';

export interface AssetState {
  id: number;
  name: string;
  size: number;
  /** `uploaded`, or `starter` for an upload that never finished. */
  state: string;
}

export interface ReleaseState {
  id: number;
  tagName: string;
  name: string;
  draft: boolean;
  prerelease: boolean;
  htmlUrl: string;
  uploadUrl: string;
  assets: AssetState[];
}

export interface LocalFile {
  path: string;
  /** The asset name: the file's base name. */
  name: string;
  size: number;
}

export type Step =
  | { kind: 'create-tag'; tag: string; sha: string }
  | { kind: 'create-draft'; tag: string; sha: string }
  | { kind: 'delete-asset'; assetId: number; name: string; why: string }
  | { kind: 'upload-asset'; file: LocalFile }
  | { kind: 'publish-prerelease' }
  | { kind: 'publish-release' };

export interface Plan {
  /** The writes still to make, in order. Empty when everything is already done. */
  steps: Step[];
  /** What is already in place, for the log and the summary. */
  unchanged: string[];
}

/** A tag and the commit it points at. */
export interface TagCommit {
  tag: ParsedTag;
  sha: string;
}

/** Refuses to move a tag: an existing `tag` must point at `sha`. */
export function assertTagOnCommit(tag: string, existingSha: string | undefined, sha: string): void {
  if (existingSha !== undefined && existingSha !== sha) {
    throw new ConfigurationError(
      `Tag ${tag} already exists on commit ${existingSha}, not on ${sha}. Tags are never moved: delete ${tag} by hand if it is wrong, or promote another candidate`,
    );
  }
}

export interface NewCandidate {
  sha: string;
  /** date-id: the tag for today. */
  tag?: string;
  /** semver: the version the candidate is for. */
  version?: string;
}

/**
 * Candidate mode. `series` holds the candidate tags with the same ID (date-id) or version (semver)
 * and their commits; `released` is the version's release tag if it exists (semver).
 * A candidate of the series already on the commit is reused, so a re-run (even on another day) adds nothing.
 */
export function planCandidate(
  request: NewCandidate,
  series: readonly TagCommit[],
  nameRc: (rc: number) => string,
  released?: TagCommit,
): Plan & { tag: string } {
  const onCommit = series.filter((entry) => entry.sha === request.sha).sort((a, b) => compareSlots(b.tag, a.tag))[0];
  if (onCommit) return { tag: onCommit.tag.name, steps: [], unchanged: [`${onCommit.tag.name} already tags ${shortSha(request.sha)}`] };
  if (released) {
    throw new ConfigurationError(
      `Version ${request.version} is already released as ${released.tag.name} (commit ${released.sha}); choose a new version for commit ${request.sha}`,
    );
  }
  let tag = request.tag;
  if (tag === undefined) {
    const highest = Math.max(0, ...series.map((entry) => entry.tag.rc ?? 0));
    tag = nameRc(highest + 1);
  }
  assertTagOnCommit(tag, series.find((entry) => entry.tag.name === tag)?.sha, request.sha);
  return { tag, steps: [{ kind: 'create-tag', tag, sha: request.sha }], unchanged: [] };
}

/**
 * Of the releases of one tag that concurrent runs made, the one they all keep without talking to
 * each other: the published one (GitHub allows only one), else the oldest draft (ids only grow).
 */
export function survivingRelease(releases: readonly ReleaseState[]): ReleaseState | undefined {
  return [...releases].sort((a, b) => Number(a.draft) - Number(b.draft) || a.id - b.id)[0];
}

/** The one release of `tag` among `releases`, if any; two are an error. */
export function singleRelease(tag: string, releases: readonly ReleaseState[]): ReleaseState | undefined {
  const matching = releases.filter((release) => release.tagName === tag);
  if (matching.length > 1) {
    throw new ConfigurationError(
      `Tag ${tag} has ${matching.length} releases (ids ${matching.map((release) => release.id).join(', ')}); delete all but one, then re-run`,
    );
  }
  return matching[0];
}

export interface PromoteState {
  target: string;
  sha: string;
  /** The commit an existing target tag points at. */
  targetSha?: string;
  release?: ReleaseState;
  files: readonly LocalFile[];
}

/** Promote mode: release tag on the candidate's commit, then a draft with the assets, then a pre-release. */
export function planPromote(state: PromoteState): Plan {
  const { target, sha } = state;
  assertTagOnCommit(target, state.targetSha, sha);
  const rest = planRelease(state);
  if (state.targetSha !== undefined)
    return { steps: rest.steps, unchanged: [`${target} already tags ${shortSha(sha)}`, ...rest.unchanged] };
  return { steps: [{ kind: 'create-tag', tag: target, sha }, ...rest.steps], unchanged: rest.unchanged };
}

/** Promote mode once the tag is in place: the draft, its assets, then the pre-release. */
export function planRelease({ target, sha, release, files }: Omit<PromoteState, 'targetSha'>): Plan {
  const steps: Step[] = [];
  const unchanged: string[] = [];
  if (!release) {
    steps.push({ kind: 'create-draft', tag: target, sha });
    steps.push(...files.map((file): Step => ({ kind: 'upload-asset', file })));
    steps.push({ kind: 'publish-prerelease' });
    return { steps, unchanged };
  }

  const assetSteps: Step[] = [];
  for (const file of files) {
    const asset = release.assets.find((candidate) => candidate.name === file.name);
    if (asset?.state === 'uploaded' && asset.size === file.size) {
      unchanged.push(`asset ${file.name} already uploaded`);
      continue;
    }
    if (asset) {
      const why = asset.state === 'uploaded' ? `its size is ${asset.size} bytes, the file's ${file.size}` : 'its upload never finished';
      assetSteps.push({ kind: 'delete-asset', assetId: asset.id, name: asset.name, why });
    }
    assetSteps.push({ kind: 'upload-asset', file });
  }
  if (!release.draft) {
    if (assetSteps.length > 0) {
      const names = assetSteps.flatMap((step) => (step.kind === 'upload-asset' ? [step.file.name] : []));
      throw new ConfigurationError(
        `The release of ${target} is already published, so its assets can no longer change (${names.join(', ')} missing or different). Publish these files under a new candidate`,
      );
    }
    unchanged.push(`release ${target} already published${release.prerelease ? ' as a pre-release' : ''}`);
    return { steps, unchanged };
  }
  unchanged.push(`draft release ${target} exists`);
  steps.push(...assetSteps, { kind: 'publish-prerelease' });
  return { steps, unchanged };
}

/**
 * Publish mode: the pre-release becomes a full release marked latest. A release that is already a
 * full release is left as it is, so re-running an old publication never takes "latest" away from
 * a newer release.
 */
export function planPublish(tag: string, release: ReleaseState | undefined): Plan {
  if (!release) throw inputError('tag', `${tag} has no release`, `Promote a candidate to ${tag} first`);
  if (release.draft) {
    throw new ConfigurationError(`The release of ${tag} is still a draft: its promotion did not finish. Re-run the promotion first`);
  }
  if (!release.prerelease) return { steps: [], unchanged: [`release ${tag} is already a full release`] };
  return { steps: [{ kind: 'publish-release' }], unchanged: [] };
}

/** One line per step, for the log, the dry-run plan and the summary. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'create-tag':
      return `create tag ${step.tag} on ${step.sha}`;
    case 'create-draft':
      return `create draft release ${step.tag}`;
    case 'delete-asset':
      return `delete asset ${step.name} (${step.why})`;
    case 'upload-asset':
      return `upload asset ${step.file.name} (${step.file.size} bytes)`;
    case 'publish-prerelease':
      return 'publish the release as a pre-release';
    case 'publish-release':
      return 'turn the pre-release into a full release marked latest';
  }
}
