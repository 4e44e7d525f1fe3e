/**
 * The three modes. Each one reads what the repository holds, plans the writes (plan.ts), and then
 * makes them, or only prints them on a dry run. What becomes known along the way goes into the
 * `Result`, so outputs and summary are complete as far as the step got, even when it fails.
 */
import { ConfigurationError, inputError, shortSha, type Logger } from '@conveyor/core';
import { judgeChecks } from './checks';
import { findFiles } from './files';
import type { Inputs } from './inputs';
import { newestTag, previousTag } from './ordering';
import {
  describeStep,
  planCandidate,
  planPromote,
  planPublish,
  planRelease,
  singleRelease,
  type Plan,
  type ReleaseState,
  type TagCommit,
} from './plan';
import type { ReleaseRepository, TagRef } from './repository';
import {
  dateIdCandidate,
  defaultVersion,
  describePattern,
  parseCandidate,
  parseRelease,
  releaseTagFor,
  semverCandidate,
  semverRelease,
  type ParsedTag,
  type SchemeConfig,
} from './schemes';

/** What the step found and did: the record its outputs and summary are rendered from. */
export interface Result {
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
  inputs: Inputs;
  logger: Logger;
  result: Result;
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

async function listCandidates(repository: ReleaseRepository, config: SchemeConfig): Promise<TagSet> {
  return new TagSet(await repository.listTags(config.candidatePrefix), (name) => parseCandidate(config, name), repository);
}

async function listReleases(repository: ReleaseRepository, config: SchemeConfig): Promise<TagSet> {
  return new TagSet(await repository.listTags(config.releasePrefix), (name) => parseRelease(config, name), repository);
}

/**
 * Makes the planned writes in order, or only logs them on a dry run. Stops early, returning that
 * release, when the draft it created turned out to duplicate a concurrent run's release: what is
 * still missing on that one has to be planned again.
 */
async function execute(
  context: ModeContext,
  plan: Plan,
  notes: () => Promise<string> = () => Promise.resolve(''),
): Promise<ReleaseState | undefined> {
  const {
    repository,
    logger,
    inputs: { dryRun },
    result,
  } = context;
  result.unchanged.push(...plan.unchanged);
  for (const line of plan.unchanged) logger.info(`Already done: ${line}`);
  if (plan.steps.length === 0) logger.info('Nothing to change');
  for (const step of plan.steps) {
    const line = describeStep(step);
    if (dryRun) {
      result.steps.push(line);
      logger.info(`Dry run, would ${line}`);
      continue;
    }
    logger.info(`${line.charAt(0).toUpperCase()}${line.slice(1)}`);
    const release = result.release;
    switch (step.kind) {
      case 'create-tag':
        await repository.createTag(step.tag, step.sha);
        break;
      case 'create-draft': {
        const { release: kept, removed } = await repository.createDraft(step.tag, step.sha, await notes());
        result.release = kept;
        if (removed) {
          result.steps.push(line, `delete duplicate draft release ${removed.id} (a concurrent run made release ${kept.id} first)`);
          return kept;
        }
        break;
      }
      case 'delete-asset':
        await repository.deleteAsset(step.assetId);
        break;
      case 'upload-asset':
        await repository.uploadAsset(release as ReleaseState, step.file);
        break;
      case 'publish-prerelease':
        // Also drops the mark of the run that created the draft from its name.
        result.release = await repository.updateRelease((release as ReleaseState).id, {
          draft: false,
          prerelease: true,
          makeLatest: false,
          name: (release as ReleaseState).tagName,
        });
        break;
      case 'publish-release':
        result.release = await repository.updateRelease((release as ReleaseState).id, { prerelease: false, makeLatest: true });
        break;
    }
    result.steps.push(line);
  }
  return undefined;
}

/** The candidates a new one must be consistent with: same ID (date-id) or same version (semver). */
interface Series {
  /** date-id: the tag for today. */
  tag?: string;
  /** semver: the version. */
  version?: string;
  includes: (candidate: ParsedTag) => boolean;
  nameRc: (rc: number) => string;
  /** semver: the version's release tag, if it exists. */
  released?: TagCommit;
}

function dateIdSeries({ config, id: given }: Inputs, now: Date, sha: string): Series {
  const id = given ?? shortSha(sha);
  return { tag: dateIdCandidate(config, now, id), includes: (candidate) => candidate.id === id, nameRc: String };
}

async function semverSeries({ repository, inputs }: ModeContext, candidates: TagSet): Promise<Series> {
  const { config } = inputs;
  const version = inputs.version ?? defaultVersion(candidates.tags, (await listReleases(repository, config)).tags);
  if (!version) {
    const patterns = `${describePattern(config, 'candidate')} or ${describePattern(config, 'release')}`;
    throw inputError(
      'version',
      `is required: ${repository.owner}/${repository.repo} has no ${patterns} tags yet`,
      'Give the first version, e.g. 1.0.0',
    );
  }
  const releaseTag = semverRelease(config, version);
  const releasedSha = await repository.tagCommit(releaseTag);
  return {
    version,
    includes: (candidate) => candidate.version?.join('.') === version,
    nameRc: (rc) => semverCandidate(config, version, rc),
    released: releasedSha === undefined ? undefined : { tag: parseRelease(config, releaseTag) as ParsedTag, sha: releasedSha },
  };
}

/** Candidate mode: tags the commit `inputs.sha` (the date-id scheme names it by `now`, in UTC). */
export async function runCandidate(context: ModeContext, now: Date): Promise<void> {
  const { repository, inputs, result } = context;
  const sha = await repository.resolveCommit(inputs.sha);
  if (!sha)
    throw inputError(
      'sha',
      `commit ${inputs.sha} does not exist in ${repository.owner}/${repository.repo}`,
      'Give a commit of that repository',
    );
  result.sha = sha;
  const candidates = await listCandidates(repository, inputs.config);
  const series = inputs.config.scheme === 'date-id' ? dateIdSeries(inputs, now, sha) : await semverSeries(context, candidates);
  const members = await Promise.all(
    candidates.tags.filter(series.includes).map(async (candidate) => ({ tag: candidate, sha: await candidates.commitOf(candidate) })),
  );
  const plan = planCandidate({ sha, tag: series.tag, version: series.version }, members, series.nameRc, series.released);
  result.tag = plan.tag;
  await execute(context, plan);
}

/** Promote mode: candidate tag → release tag on the same commit → draft with assets → pre-release. */
export async function runPromote(context: ModeContext): Promise<void> {
  const { repository, inputs, logger, result } = context;
  const { config } = inputs;
  // Before any request: a pattern that matches nothing fails the step while nothing exists yet.
  const files = await findFiles(inputs.files, inputs.workspace);
  const where = `${repository.owner}/${repository.repo}`;
  let source: ParsedTag;
  let sha: string;
  if (inputs.sourceTag === 'latest') {
    const candidates = await listCandidates(repository, config);
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
    source = parseCandidate(config, inputs.sourceTag) as ParsedTag;
    const ref = await repository.getTag(source.name);
    if (!ref)
      throw inputError('source-tag', `tag ${source.name} does not exist in ${where}`, 'Check the name, or create it with mode: candidate');
    sha = await repository.commitOf(ref);
  }
  result.sourceTag = source.name;
  result.sha = sha;
  const target = releaseTagFor(config, source);
  result.tag = target;
  logger.info(`Promoting ${source.name} (commit ${sha}) to ${target}`);

  if (inputs.requireChecks) {
    const { runs, statuses } = await repository.checksOf(sha);
    const verdict = judgeChecks(runs, statuses, inputs.runId);
    const fix = "Promote a candidate whose checks passed, or set 'require-checks: false'";
    if (verdict.counted === 0) throw new ConfigurationError(`Commit ${sha} of ${source.name} has no check runs or statuses. ${fix}`);
    if (verdict.problems.length > 0) {
      throw new ConfigurationError(
        `Commit ${sha} of ${source.name} has checks that did not succeed: ${verdict.problems.join(', ')}. ${fix}`,
      );
    }
    logger.info(`${verdict.counted === 1 ? 'The only check' : `All ${verdict.counted} checks`} of ${shortSha(sha)} succeeded`);
  }

  const targetSha = await repository.tagCommit(target);
  const releases = await listReleases(repository, config);
  const previous = await previousTag(releases.tags, parseRelease(config, target) as ParsedTag, releases.commitTime({ [target]: sha }));
  result.previousTag = previous?.name;
  const release = singleRelease(target, await repository.releasesOf(target));
  result.release = release;
  const notes = async () => (inputs.generateNotes ? repository.generateNotes(target, sha, previous?.name) : '');
  const adopted = await execute(context, planPromote({ target, sha, targetSha, release, files }), notes);
  if (adopted) await execute(context, planRelease({ target, sha, release: adopted, files }));
}

/** Publish mode: the pre-release of `inputs.tag` becomes the full release, marked latest. */
export async function runPublish(context: ModeContext): Promise<void> {
  const { repository, inputs, result } = context;
  const { tag, config } = inputs;
  result.tag = tag;
  const sha = await repository.tagCommit(tag);
  if (!sha)
    throw inputError('tag', `tag ${tag} does not exist in ${repository.owner}/${repository.repo}`, 'Promote a candidate to it first');
  result.sha = sha;
  const release = singleRelease(tag, await repository.releasesOf(tag));
  result.release = release;
  const releases = await listReleases(repository, config);
  result.previousTag = (await previousTag(releases.tags, parseRelease(config, tag) as ParsedTag, releases.commitTime()))?.name;
  await execute(context, planPublish(tag, release));
}
