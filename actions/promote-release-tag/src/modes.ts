/**
 * The three modes. Each one reads what the repository holds, plans the writes (plan.ts), and then
 * makes them, or only prints them on a dry run. What becomes known along the way goes into the
 * `Outcome`, so outputs and summary are complete as far as the step got, even when it fails.
 */
import { ConfigurationError, inputError, type Logger } from '@conveyor/core';
import { judgeChecks } from './checks';
import { newestTag, previousTag } from './ordering';
import {
  describeStep,
  planCandidate,
  planPromote,
  planPublish,
  shortSha,
  singleRelease,
  type LocalFile,
  type Plan,
  type ReleaseState,
} from './plan';
import type { ReleaseRepository, TagRef } from './repository';
import {
  dateIdCandidate,
  describePattern,
  parseCandidate,
  parseRelease,
  releaseTagFor,
  semverCandidate,
  semverRelease,
  type ParsedTag,
  type SchemeConfig,
} from './schemes';

export type Mode = 'candidate' | 'promote' | 'publish';

export interface Outcome {
  mode: Mode;
  dryRun: boolean;
  tag?: string;
  sha?: string;
  sourceTag?: string;
  previousTag?: string;
  release?: ReleaseState;
  /** Writes made (or, on a dry run, that would be made). */
  steps: string[];
  /** What was already in place. */
  unchanged: string[];
}

export interface ModeContext {
  repository: ReleaseRepository;
  config: SchemeConfig;
  logger: Logger;
  dryRun: boolean;
  outcome: Outcome;
}

/** Tags of one kind under the scheme, with their refs (to find their commits when needed). */
class TagSet {
  private readonly refs = new Map<string, TagRef>();
  readonly tags: ParsedTag[] = [];

  constructor(
    refs: readonly TagRef[],
    parse: (name: string) => ParsedTag | undefined,
    private readonly repository: ReleaseRepository,
  ) {
    for (const ref of refs) {
      const tag = parse(ref.name);
      if (!tag) continue;
      this.refs.set(ref.name, ref);
      this.tags.push(tag);
    }
  }

  commitOf(tag: ParsedTag): Promise<string> {
    return this.repository.commitOf(this.refs.get(tag.name) as TagRef);
  }

  /** The commit time of a tag; `extra` names tags not in the set (the release tag about to be made). */
  commitTime(extra: Record<string, string> = {}) {
    return async (tag: ParsedTag) => this.repository.commitTime(extra[tag.name] ?? (await this.commitOf(tag)));
  }
}

async function listCandidates({ repository, config }: ModeContext): Promise<TagSet> {
  return new TagSet(await repository.listTags(config.candidatePrefix), (name) => parseCandidate(config, name), repository);
}

async function listReleases({ repository, config }: ModeContext): Promise<TagSet> {
  return new TagSet(await repository.listTags(config.releasePrefix), (name) => parseRelease(config, name), repository);
}

/** Makes the planned writes in order, or only logs them on a dry run. */
async function execute(context: ModeContext, plan: Plan, notes: () => Promise<string>): Promise<void> {
  const { repository, logger, dryRun, outcome } = context;
  for (const line of plan.unchanged) logger.info(`Already done: ${line}`);
  if (plan.steps.length === 0) logger.info('Nothing to change');
  for (const step of plan.steps) {
    const line = describeStep(step);
    if (dryRun) {
      outcome.steps.push(line);
      logger.info(`Dry run, would ${line}`);
      continue;
    }
    logger.info(`${line.charAt(0).toUpperCase()}${line.slice(1)}`);
    const release = outcome.release;
    switch (step.kind) {
      case 'create-tag':
        await repository.createTag(step.tag, step.sha);
        break;
      case 'create-draft':
        outcome.release = await repository.createDraft(step.tag, step.sha, await notes());
        break;
      case 'delete-asset':
        await repository.deleteAsset(step.assetId);
        break;
      case 'upload-asset':
        await repository.uploadAsset(release as ReleaseState, step.file);
        break;
      case 'publish-prerelease':
        outcome.release = await repository.updateRelease((release as ReleaseState).id, {
          draft: false,
          prerelease: true,
          makeLatest: false,
        });
        break;
      case 'publish-release':
        outcome.release = await repository.updateRelease((release as ReleaseState).id, { prerelease: false, makeLatest: true });
        break;
    }
    outcome.steps.push(line);
  }
}

export interface CandidateRequest {
  /** The commit to tag: a full or abbreviated sha. */
  sha: string;
  /** date-id: the ID (default: the short sha). */
  id?: string;
  /** semver: the version the candidate is for. */
  version?: string;
  now: Date;
}

/** Candidate mode: tags a tested commit. */
export async function runCandidate(context: ModeContext, request: CandidateRequest): Promise<void> {
  const { repository, config, outcome } = context;
  const sha = await repository.resolveCommit(request.sha);
  if (!sha)
    throw inputError(
      'sha',
      `commit ${request.sha} does not exist in ${repository.owner}/${repository.repo}`,
      'Give a commit of that repository',
    );
  outcome.sha = sha;
  const candidates = await listCandidates(context);
  let tag: string | undefined;
  let released;
  let inSeries: (candidate: ParsedTag) => boolean;
  if (config.scheme === 'date-id') {
    const id = request.id ?? shortSha(sha);
    tag = dateIdCandidate(config, request.now, id);
    inSeries = (candidate) => candidate.id === id;
  } else {
    const version = request.version as string;
    const releaseTag = semverRelease(config, version);
    const releasedSha = await repository.tagCommit(releaseTag);
    released = releasedSha === undefined ? undefined : { tag: parseRelease(config, releaseTag) as ParsedTag, sha: releasedSha };
    inSeries = (candidate) => candidate.version?.join('.') === version;
  }
  const series = await Promise.all(
    candidates.tags.filter(inSeries).map(async (candidate) => ({ tag: candidate, sha: await candidates.commitOf(candidate) })),
  );
  const plan = planCandidate(
    { sha, tag, version: request.version },
    series,
    (rc) => semverCandidate(config, request.version as string, rc),
    released,
  );
  outcome.tag = plan.tag;
  outcome.unchanged.push(...plan.unchanged);
  await execute(context, plan, async () => '');
}

export interface PromoteRequest {
  /** A candidate tag, or `latest`. */
  sourceTag: string;
  requireChecks: boolean;
  generateNotes: boolean;
  files: readonly LocalFile[];
  /** The workflow run doing the promotion: its own check runs do not count. */
  ownRunId?: string;
}

/** Promote mode: candidate tag → release tag on the same commit → draft with assets → pre-release. */
export async function runPromote(context: ModeContext, request: PromoteRequest): Promise<void> {
  const { repository, config, logger, outcome } = context;
  const where = `${repository.owner}/${repository.repo}`;
  let source: ParsedTag;
  let sha: string;
  if (request.sourceTag === 'latest') {
    const candidates = await listCandidates(context);
    const newest = await newestTag(candidates.tags, candidates.commitTime());
    if (!newest) {
      throw inputError(
        'source-tag',
        `no candidate tag like ${describePattern(config, 'candidate')} exists in ${where}`,
        'Create one with mode: candidate first',
      );
    }
    logger.info(`The newest candidate is ${newest.name}`);
    source = newest;
    sha = await candidates.commitOf(newest);
  } else {
    source = parseCandidate(config, request.sourceTag) as ParsedTag;
    const ref = await repository.getTag(source.name);
    if (!ref)
      throw inputError('source-tag', `tag ${source.name} does not exist in ${where}`, 'Check the name, or create it with mode: candidate');
    sha = await repository.commitOf(ref);
  }
  outcome.sourceTag = source.name;
  outcome.sha = sha;
  const target = releaseTagFor(config, source);
  outcome.tag = target;
  logger.info(`Promoting ${source.name} (commit ${sha}) to ${target}`);

  if (request.requireChecks) {
    const { runs, statuses } = await repository.checksOf(sha);
    const verdict = judgeChecks(runs, statuses, request.ownRunId);
    const fix = "Promote a candidate whose checks passed, or set 'require-checks: false'";
    if (verdict.counted === 0) throw new ConfigurationError(`Commit ${sha} of ${source.name} has no check runs or statuses. ${fix}`);
    if (verdict.problems.length > 0) {
      throw new ConfigurationError(
        `Commit ${sha} of ${source.name} has checks that did not succeed: ${verdict.problems.join(', ')}. ${fix}`,
      );
    }
    logger.info(`All ${verdict.counted} checks of ${shortSha(sha)} succeeded`);
  }

  const targetSha = await repository.tagCommit(target);
  const releases = await listReleases(context);
  const previous = await previousTag(releases.tags, parseRelease(config, target) as ParsedTag, releases.commitTime({ [target]: sha }));
  outcome.previousTag = previous?.name;
  const release = singleRelease(target, await repository.releasesOf(target));
  outcome.release = release;
  const plan = planPromote({ target, sha, targetSha, release, files: request.files });
  outcome.unchanged.push(...plan.unchanged);
  const notes = async () => (request.generateNotes ? repository.generateNotes(target, sha, previous?.name) : '');
  await execute(context, plan, notes);
}

/** Publish mode: the pre-release of `tag` becomes the full release, marked latest. */
export async function runPublish(context: ModeContext, tag: string): Promise<void> {
  const { repository, config, outcome } = context;
  outcome.tag = tag;
  const sha = await repository.tagCommit(tag);
  if (!sha)
    throw inputError('tag', `tag ${tag} does not exist in ${repository.owner}/${repository.repo}`, 'Promote a candidate to it first');
  outcome.sha = sha;
  const release = singleRelease(tag, await repository.releasesOf(tag));
  outcome.release = release;
  const releases = await listReleases(context);
  outcome.previousTag = (await previousTag(releases.tags, parseRelease(config, tag) as ParsedTag, releases.commitTime()))?.name;
  const latestId = release && !release.prerelease && !release.draft ? await repository.latestReleaseId() : undefined;
  const plan = planPublish(tag, release, latestId);
  outcome.unchanged.push(...plan.unchanged);
  await execute(context, plan, async () => '');
}
