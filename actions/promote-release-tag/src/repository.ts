/**
 * The GitHub calls of the three modes: tags (refs, annotated tag objects), commits, checks and
 * statuses, releases and their assets. Reads are retried by the client; writes go through
 * `writeOnce`, which reads before it ever sends a write again.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigurationError, isForbidden, statusOf, type GitHubClient, type Logger } from '@conveyor/core';
import type { CheckRunState, CommitStatusState } from './checks';
import { survivingRelease, type AssetState, type LocalFile, type ReleaseState } from './plan';
import { writeOnce } from './write-once';

/** A tag as listed: the object it points at is a commit, or an annotated tag object to follow. */
export interface TagRef {
  name: string;
  objectSha: string;
  objectType: string;
}

/** How deep annotated tags may nest (a tag of a tag) before we give up. */
const MAX_TAG_DEPTH = 5;

interface RawRelease {
  id: number;
  tag_name: string;
  name: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  upload_url: string;
  assets?: Array<{ id: number; name: string; size: number; state: string }>;
}

function toReleaseState(raw: RawRelease): ReleaseState {
  return {
    id: raw.id,
    tagName: raw.tag_name,
    name: raw.name ?? '',
    draft: raw.draft,
    prerelease: raw.prerelease,
    htmlUrl: raw.html_url,
    uploadUrl: raw.upload_url,
    assets: (raw.assets ?? []).map((asset): AssetState => ({ id: asset.id, name: asset.name, size: asset.size, state: asset.state })),
  };
}

function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** What creating a draft came to when a concurrent run may have created one too. */
export interface DraftOutcome {
  /** The release the promotion goes on with: this run's draft, or the one a concurrent run made first. */
  release: ReleaseState;
  /** This run's draft, deleted because another run's release of the tag is the one kept. */
  removed?: ReleaseState;
}

/** Turns a refused write into an error that says which permission is missing. */
function explainRefusal(error: unknown, what: string): never {
  if (isForbidden(error) || isNotFound(error)) {
    throw new ConfigurationError(
      `Could not ${what}: ${(error as Error).message}. The token needs 'contents: write' on the repository (permissions: contents: write)`,
    );
  }
  throw error;
}

export class ReleaseRepository {
  private readonly commitTimes = new Map<string, number>();
  readonly owner: string;
  readonly repo: string;

  constructor(
    private readonly github: GitHubClient,
    /** A client with a longer request timeout, for asset uploads. */
    private readonly uploader: GitHubClient,
    { owner, repo }: { owner: string; repo: string },
    private readonly logger: Logger,
    private readonly signal?: AbortSignal,
  ) {
    this.owner = owner;
    this.repo = repo;
  }

  private get where() {
    return { owner: this.owner, repo: this.repo };
  }

  /** The tag `name` as a ref, or undefined when it does not exist. */
  async getTag(name: string): Promise<TagRef | undefined> {
    try {
      const { data } = await this.github.rest.git.getRef({ ...this.where, ref: `tags/${name}` });
      return { name, objectSha: data.object.sha, objectType: data.object.type };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every tag whose name starts with `prefix`. */
  async listTags(prefix: string): Promise<TagRef[]> {
    // The endpoint takes no page size; paginate still follows a Link header if one comes.
    const refs = await this.github.paginate(this.github.rest.git.listMatchingRefs, { ...this.where, ref: `tags/${prefix}` });
    return refs.map((ref) => ({ name: ref.ref.replace(/^refs\/tags\//, ''), objectSha: ref.object.sha, objectType: ref.object.type }));
  }

  /** The commit a tag points at, following annotated tag objects. */
  async commitOf(tag: TagRef): Promise<string> {
    let { objectSha: sha, objectType: type } = tag;
    for (let depth = 0; type === 'tag'; depth++) {
      if (depth >= MAX_TAG_DEPTH) throw new ConfigurationError(`Tag ${tag.name} is nested more than ${MAX_TAG_DEPTH} annotated tags deep`);
      const { data } = await this.github.rest.git.getTag({ ...this.where, tag_sha: sha });
      ({ sha, type } = data.object);
    }
    if (type !== 'commit') throw new ConfigurationError(`Tag ${tag.name} points at a ${type}, not at a commit`);
    return sha;
  }

  /** The commit an existing tag `name` points at, or undefined when there is no such tag. */
  async tagCommit(name: string): Promise<string | undefined> {
    const tag = await this.getTag(name);
    return tag && this.commitOf(tag);
  }

  /** The full sha of a commit given by (possibly abbreviated) sha, or undefined when there is none. */
  async resolveCommit(ref: string): Promise<string | undefined> {
    try {
      const { data } = await this.github.rest.repos.getCommit({ ...this.where, ref, per_page: 1 });
      this.commitTimes.set(data.sha, Date.parse(data.commit.committer?.date ?? ''));
      return data.sha;
    } catch (error) {
      if (isNotFound(error) || statusOf(error) === 422) return undefined;
      throw error;
    }
  }

  /** When a commit was made (its committer date), in ms. */
  async commitTime(sha: string): Promise<number> {
    const known = this.commitTimes.get(sha);
    if (known !== undefined) return known;
    if ((await this.resolveCommit(sha)) === undefined) throw new Error(`Commit ${sha} was not found`);
    return this.commitTimes.get(sha) as number;
  }

  /** Creates a lightweight tag on `sha`; an existing tag on the same commit counts as done, on another as an error. */
  async createTag(name: string, sha: string): Promise<void> {
    const reconcile = async () => {
      const existing = await this.tagCommit(name);
      if (existing !== undefined && existing !== sha) {
        throw new ConfigurationError(`Tag ${name} was created on commit ${existing} meanwhile, not on ${sha}; it is left as it is`);
      }
      return existing === undefined ? undefined : true;
    };
    await writeOnce({
      what: `create tag ${name}`,
      write: async () => {
        await this.github.rest.git.createRef({ ...this.where, ref: `refs/tags/${name}`, sha });
        return true;
      },
      reconcile,
      // 422 "Reference already exists": someone (or our lost first attempt) made it; check where it points.
      reconcileAlso: (status) => status === 422,
      logger: this.logger,
      signal: this.signal,
    }).catch((error: unknown) => explainRefusal(error, `create tag ${name}`));
  }

  /** Check runs (latest per name) and commit statuses (latest per context) of a commit. */
  async checksOf(sha: string): Promise<{ runs: CheckRunState[]; statuses: CommitStatusState[] }> {
    try {
      const runs = await this.github.paginate(this.github.rest.checks.listForRef, {
        ...this.where,
        ref: sha,
        filter: 'latest',
        per_page: 100,
      });
      const { data } = await this.github.rest.repos.getCombinedStatusForRef({ ...this.where, ref: sha, per_page: 100 });
      return {
        runs: runs.map((run) => ({
          id: run.id,
          name: run.name,
          status: run.status,
          conclusion: run.conclusion,
          detailsUrl: run.details_url,
        })),
        statuses: data.statuses.map((status) => ({ context: status.context, state: status.state })),
      };
    } catch (error) {
      if (!isForbidden(error)) throw error;
      throw new ConfigurationError(
        `Could not read the checks of ${sha}: ${(error as Error).message}. The token needs 'checks: read' and 'statuses: read' (or set 'require-checks: false')`,
      );
    }
  }

  /** The releases of `tag`, drafts included (the get-by-tag endpoint does not see drafts). */
  async releasesOf(tag: string): Promise<ReleaseState[]> {
    const releases = await this.github.paginate(this.github.rest.repos.listReleases, { ...this.where, per_page: 100 });
    return releases.filter((release) => release.tag_name === tag).map((release) => toReleaseState(release as RawRelease));
  }

  /** Release notes for `tag` since `previousTag` (GitHub's generator; it writes nothing). */
  async generateNotes(tag: string, sha: string, previousTag: string | undefined): Promise<string> {
    const { data } = await this.github.rest.repos.generateReleaseNotes({
      ...this.where,
      tag_name: tag,
      target_commitish: sha,
      ...(previousTag ? { previous_tag_name: previousTag } : {}),
    });
    return data.body;
  }

  /**
   * Creates the draft pre-release of `tag`. GitHub does not stop two runs from each creating a draft
   * of one tag, so it looks again afterwards: when a concurrent run's release is the one both keep
   * (`survivingRelease`), this run deletes its own draft and goes on with that one. The draft's
   * name carries a mark of this run until publishing renames it, so that after a lost reply the run
   * can tell its draft from the other run's.
   */
  async createDraft(tag: string, sha: string, body: string): Promise<DraftOutcome> {
    const draftName = `${tag} (draft ${randomBytes(4).toString('hex')})`;
    const own = await writeOnce({
      what: `create draft release ${tag}`,
      write: async () =>
        toReleaseState(
          (
            await this.github.rest.repos.createRelease({
              ...this.where,
              tag_name: tag,
              target_commitish: sha,
              name: draftName,
              body,
              draft: true,
              prerelease: true,
              make_latest: 'false',
            })
          ).data as RawRelease,
        ),
      reconcile: async () => (await this.releasesOf(tag)).find((release) => release.name === draftName),
      logger: this.logger,
      signal: this.signal,
    }).catch((error: unknown) => explainRefusal(error, `create the release of ${tag}`));
    const others = (await this.releasesOf(tag)).filter((release) => release.id !== own.id);
    const kept = survivingRelease([own, ...others]) as ReleaseState;
    if (kept.id === own.id) return { release: own };
    this.logger.info(`A concurrent run made release ${kept.id} of ${tag} first: deleting this run's duplicate draft ${own.id}`);
    await this.deleteRelease(own.id);
    return { release: kept, removed: own };
  }

  /** Deletes a release (a duplicate draft); one already gone counts as deleted. */
  async deleteRelease(releaseId: number): Promise<void> {
    try {
      await this.github.rest.repos.deleteRelease({ ...this.where, release_id: releaseId });
    } catch (error) {
      if (!isNotFound(error)) explainRefusal(error, `delete release ${releaseId}`);
    }
  }

  async deleteAsset(assetId: number): Promise<void> {
    try {
      await this.github.rest.repos.deleteReleaseAsset({ ...this.where, asset_id: assetId });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  private async findAsset(releaseId: number, name: string): Promise<AssetState | undefined> {
    const assets = await this.github.paginate(this.github.rest.repos.listReleaseAssets, {
      ...this.where,
      release_id: releaseId,
      per_page: 100,
    });
    const asset = assets.find((candidate) => candidate.name === name);
    return asset && { id: asset.id, name: asset.name, size: asset.size, state: asset.state };
  }

  /**
   * Uploads one asset to a draft release; after a lost reply, or a 422 because a concurrent run
   * attached it first, an asset that arrived whole is kept.
   */
  async uploadAsset(release: ReleaseState, file: LocalFile): Promise<void> {
    const data = await readFile(file.path);
    await writeOnce({
      what: `upload asset ${file.name}`,
      write: async () => {
        await this.uploader.request({
          method: 'POST',
          url: release.uploadUrl,
          name: file.name,
          data,
          headers: { 'content-type': 'application/octet-stream', 'content-length': data.length },
        });
        return true;
      },
      reconcile: async () => {
        const asset = await this.findAsset(release.id, file.name);
        if (asset?.state === 'uploaded' && asset.size === file.size) return true;
        if (asset) await this.deleteAsset(asset.id);
        return undefined;
      },
      // 422 already_exists: the name is taken (by a concurrent run promoting the same candidate).
      reconcileAlso: (status) => status === 422,
      logger: this.logger,
      signal: this.signal,
    }).catch((error: unknown) => explainRefusal(error, `upload ${file.name}`));
  }

  /** Updates the release's flags (and name); after a lost reply, the release already showing the flags counts as done. */
  async updateRelease(
    releaseId: number,
    fields: { draft?: boolean; prerelease: boolean; makeLatest: boolean; name?: string },
  ): Promise<ReleaseState> {
    const applied = (release: ReleaseState) =>
      release.prerelease === fields.prerelease && (fields.draft === undefined || release.draft === fields.draft);
    return writeOnce({
      what: `update release ${releaseId}`,
      write: async () => {
        const { data } = await this.github.rest.repos.updateRelease({
          ...this.where,
          release_id: releaseId,
          ...(fields.draft !== undefined ? { draft: fields.draft } : {}),
          ...(fields.name !== undefined ? { name: fields.name } : {}),
          prerelease: fields.prerelease,
          make_latest: fields.makeLatest ? 'true' : 'false',
        });
        return toReleaseState(data);
      },
      reconcile: async () => {
        const release = toReleaseState((await this.github.rest.repos.getRelease({ ...this.where, release_id: releaseId })).data);
        return applied(release) ? release : undefined;
      },
      logger: this.logger,
      signal: this.signal,
    }).catch((error: unknown) => explainRefusal(error, `update release ${releaseId}`));
  }
}
