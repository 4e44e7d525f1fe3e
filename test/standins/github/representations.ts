/**
 * The JSON GitHub returns for each resource, built from the stand-in's records. Shapes follow the
 * REST description's schemas (the conformance check in openapi.ts proves it); URLs point back at the
 * stand-in, which serves the API at its root, web pages under the same origin, and uploads GHES-style
 * under `/api/uploads`.
 */
import { createHash } from 'node:crypto';
import type { JobState, RunState } from './model';

export interface Urls {
  api: string;
  web: string;
  uploads: string;
}

export interface UserRecord {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
}

export interface CommitRecord {
  sha: string;
  tree: string;
  message: string;
  parents: string[];
  author: { name: string; email: string; date: string };
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
}

export interface WorkflowRecord {
  id: number;
  name: string;
  path: string;
  state: 'active' | 'disabled_manually';
  createdAt: string;
}

export interface RunRecord {
  id: number;
  runNumber: number;
  workflow: WorkflowRecord;
  event: string;
  headBranch: string;
  headSha: string;
  displayTitle: string;
  actor: UserRecord;
  jobIds: number[];
  createdAt: number;
}

export interface TagObjectRecord {
  sha: string;
  tag: string;
  message: string;
  object: { sha: string; type: 'commit' | 'tag' };
  tagger: { name: string; email: string; date: string };
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  startedAt: string;
  completedAt: string | null;
}

export interface StatusRecord {
  id: number;
  sha: string;
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

export interface AssetRecord {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  data: Buffer;
  uploader: UserRecord;
  createdAt: string;
}

export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  makeLatest: 'true' | 'false' | 'legacy';
  author: UserRecord;
  createdAt: string;
  publishedAt: string | null;
  updatedAt: string;
  assets: AssetRecord[];
}

/** GitHub's timestamps: UTC, second precision. */
export function iso(time: number): string {
  return new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');
}

export function user(urls: Urls, record: UserRecord) {
  // Bot logins (`github-actions[bot]`) are percent-encoded in URLs, as GitHub does.
  const login = encodeURIComponent(record.login);
  const url = `${urls.api}/users/${login}`;
  return {
    login: record.login,
    id: record.id,
    node_id: nodeId('User', record.id),
    avatar_url: `${urls.web}/avatars/${login}`,
    gravatar_id: '',
    url,
    html_url: `${urls.web}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: record.type,
    site_admin: false,
  };
}

const REPO_LINKS: Array<[string, string]> = [
  ['archive_url', '{archive_format}{/ref}'],
  ['assignees_url', '{/user}'],
  ['blobs_url', '{/sha}'],
  ['branches_url', '{/branch}'],
  ['collaborators_url', '{/collaborator}'],
  ['comments_url', '{/number}'],
  ['commits_url', '{/sha}'],
  ['compare_url', '{base}...{head}'],
  ['contents_url', '{+path}'],
  ['contributors_url', ''],
  ['deployments_url', ''],
  ['downloads_url', ''],
  ['events_url', ''],
  ['forks_url', ''],
  ['git_commits_url', '{/sha}'],
  ['git_refs_url', '{/sha}'],
  ['git_tags_url', '{/sha}'],
  ['hooks_url', ''],
  ['issue_comment_url', '{/number}'],
  ['issue_events_url', '{/number}'],
  ['issues_url', '{/number}'],
  ['keys_url', '{/key_id}'],
  ['labels_url', '{/name}'],
  ['languages_url', ''],
  ['merges_url', ''],
  ['milestones_url', '{/number}'],
  ['notifications_url', '{?since,all,participating}'],
  ['pulls_url', '{/number}'],
  ['releases_url', '{/id}'],
  ['stargazers_url', ''],
  ['statuses_url', '{/sha}'],
  ['subscribers_url', ''],
  ['subscription_url', ''],
  ['tags_url', ''],
  ['teams_url', ''],
  ['trees_url', '{/sha}'],
];

export function minimalRepository(urls: Urls, repo: RepoRecord) {
  const url = `${urls.api}/repos/${repo.fullName}`;
  const links = Object.fromEntries(
    REPO_LINKS.map(([key, suffix]) => {
      const segment = key
        .replace(/_url$/, '')
        .replace(/^git_/, 'git/')
        .replace('issue_comment', 'issues/comments')
        .replace('issue_events', 'issues/events');
      return [key, `${url}/${segment}${suffix}`];
    }),
  );
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    owner: user(urls, repo.owner),
    private: repo.private,
    html_url: `${urls.web}/${repo.fullName}`,
    description: null,
    fork: false,
    url,
    ...links,
  };
}

export function fullRepository(urls: Urls, repo: RepoRecord, pushedAt: string) {
  return {
    ...minimalRepository(urls, repo),
    clone_url: `${urls.web}/${repo.fullName}.git`,
    git_url: `git://${new URL(urls.web).host}/${repo.fullName}.git`,
    ssh_url: `git@${new URL(urls.web).hostname}:${repo.fullName}.git`,
    svn_url: `${urls.web}/${repo.fullName}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    license: null,
    pushed_at: pushedAt,
    created_at: repo.createdAt,
    updated_at: pushedAt,
    network_count: 0,
    subscribers_count: 0,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
  };
}

export function workflow(urls: Urls, repo: RepoRecord, record: WorkflowRecord) {
  return {
    id: record.id,
    node_id: nodeId('Workflow', record.id),
    name: record.name,
    path: record.path,
    state: record.state,
    created_at: record.createdAt,
    updated_at: record.createdAt,
    url: `${urls.api}/repos/${repo.fullName}/actions/workflows/${record.id}`,
    html_url: `${urls.web}/${repo.fullName}/blob/${repo.defaultBranch}/${record.path}`,
    badge_url: `${urls.web}/${repo.fullName}/workflows/${encodeURIComponent(record.name)}/badge.svg`,
  };
}

export function runUrls(urls: Urls, repo: RepoRecord, runId: number) {
  return {
    url: `${urls.api}/repos/${repo.fullName}/actions/runs/${runId}`,
    html_url: `${urls.web}/${repo.fullName}/actions/runs/${runId}`,
  };
}

export function simpleCommit(commit: CommitRecord) {
  return {
    id: commit.sha,
    tree_id: commit.tree,
    message: commit.message,
    timestamp: commit.author.date,
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.author.name, email: commit.author.email },
  };
}

export function workflowRun(urls: Urls, repo: RepoRecord, run: RunRecord, state: RunState, headCommit: CommitRecord) {
  const { url, html_url } = runUrls(urls, repo, run.id);
  const repository = minimalRepository(urls, repo);
  return {
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: run.id + 500_000,
    check_suite_node_id: nodeId('CheckSuite', run.id + 500_000),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflow.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: state.status,
    conclusion: state.conclusion,
    workflow_id: run.workflow.id,
    url,
    html_url,
    pull_requests: [],
    created_at: iso(run.createdAt),
    updated_at: iso(state.updatedAt),
    run_started_at: iso(state.startedAt),
    actor: user(urls, run.actor),
    triggering_actor: user(urls, run.actor),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${urls.api}/repos/${repo.fullName}/check-suites/${run.id + 500_000}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${urls.api}/repos/${repo.fullName}/actions/workflows/${run.workflow.id}`,
    head_commit: simpleCommit(headCommit),
    repository,
    head_repository: repository,
  };
}

export function job(urls: Urls, repo: RepoRecord, run: RunRecord, jobId: number, state: JobState) {
  const runLinks = runUrls(urls, repo, run.id);
  const started = state.status !== 'queued';
  return {
    id: jobId,
    run_id: run.id,
    run_url: runLinks.url,
    run_attempt: 1,
    node_id: nodeId('Job', jobId),
    head_sha: run.headSha,
    head_branch: run.headBranch,
    workflow_name: run.workflow.name,
    url: `${urls.api}/repos/${repo.fullName}/actions/jobs/${jobId}`,
    html_url: `${runLinks.html_url}/job/${jobId}`,
    status: state.status,
    conclusion: state.conclusion,
    created_at: iso(run.createdAt),
    started_at: iso(state.startedAt),
    completed_at: state.completedAt === null ? null : iso(state.completedAt),
    name: state.name,
    steps: state.steps.map((step) => ({
      name: step.name,
      status: step.status,
      conclusion: step.conclusion,
      number: step.number,
      started_at: step.startedAt === null ? null : iso(step.startedAt),
      completed_at: step.completedAt === null ? null : iso(step.completedAt),
    })),
    check_run_url: `${urls.api}/repos/${repo.fullName}/check-runs/${jobId}`,
    labels: ['ubuntu-latest'],
    runner_id: started ? 1 : null,
    runner_name: started ? 'GitHub Actions 1' : null,
    runner_group_id: started ? 1 : null,
    runner_group_name: started ? 'GitHub Actions' : null,
  };
}

export function gitRef(urls: Urls, repo: RepoRecord, ref: string, sha: string, type: 'commit' | 'tag') {
  return {
    ref,
    node_id: nodeId('Ref', `${repo.fullName}:${ref}`),
    url: `${urls.api}/repos/${repo.fullName}/git/${ref}`,
    object: { type, sha, url: `${urls.api}/repos/${repo.fullName}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` },
  };
}

export function gitTag(urls: Urls, repo: RepoRecord, tag: TagObjectRecord) {
  return {
    node_id: nodeId('Tag', tag.sha),
    tag: tag.tag,
    sha: tag.sha,
    url: `${urls.api}/repos/${repo.fullName}/git/tags/${tag.sha}`,
    message: tag.message,
    tagger: tag.tagger,
    object: {
      sha: tag.object.sha,
      type: tag.object.type,
      url: `${urls.api}/repos/${repo.fullName}/git/${tag.object.type === 'tag' ? 'tags' : 'commits'}/${tag.object.sha}`,
    },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

export function commit(urls: Urls, repo: RepoRecord, record: CommitRecord, author: UserRecord) {
  const url = `${urls.api}/repos/${repo.fullName}/commits/${record.sha}`;
  return {
    url,
    sha: record.sha,
    node_id: nodeId('Commit', record.sha),
    html_url: `${urls.web}/${repo.fullName}/commit/${record.sha}`,
    comments_url: `${url}/comments`,
    commit: {
      url: `${urls.api}/repos/${repo.fullName}/git/commits/${record.sha}`,
      author: record.author,
      committer: record.author,
      message: record.message,
      comment_count: 0,
      tree: { sha: record.tree, url: `${urls.api}/repos/${repo.fullName}/git/trees/${record.tree}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: user(urls, author),
    committer: user(urls, author),
    parents: record.parents.map((sha) => ({
      sha,
      url: `${urls.api}/repos/${repo.fullName}/commits/${sha}`,
      html_url: `${urls.web}/${repo.fullName}/commit/${sha}`,
    })),
    stats: { additions: 1, deletions: 0, total: 1 },
    files: [],
  };
}

export function checkRun(urls: Urls, repo: RepoRecord, record: CheckRunRecord) {
  const url = `${urls.api}/repos/${repo.fullName}/check-runs/${record.id}`;
  return {
    id: record.id,
    head_sha: record.headSha,
    node_id: nodeId('CheckRun', record.id),
    external_id: String(record.id),
    url,
    html_url: `${urls.web}/${repo.fullName}/runs/${record.id}`,
    details_url: `${urls.web}/${repo.fullName}/runs/${record.id}`,
    status: record.status,
    conclusion: record.conclusion,
    started_at: record.startedAt,
    completed_at: record.completedAt,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: record.name,
    check_suite: { id: record.id + 700_000 },
    app: null,
    pull_requests: [],
  };
}

export function simpleStatus(urls: Urls, repo: RepoRecord, record: StatusRecord) {
  return {
    url: `${urls.api}/repos/${repo.fullName}/statuses/${record.sha}`,
    avatar_url: null,
    id: record.id,
    node_id: nodeId('StatusContext', record.id),
    state: record.state,
    description: record.description,
    target_url: record.targetUrl,
    context: record.context,
    created_at: record.createdAt,
    updated_at: record.createdAt,
  };
}

export function releaseAsset(urls: Urls, repo: RepoRecord, release: ReleaseRecord, asset: AssetRecord) {
  return {
    url: `${urls.api}/repos/${repo.fullName}/releases/assets/${asset.id}`,
    browser_download_url: `${urls.web}/${repo.fullName}/releases/download/${encodeURIComponent(release.tagName)}/${encodeURIComponent(asset.name)}`,
    id: asset.id,
    node_id: nodeId('ReleaseAsset', asset.id),
    name: asset.name,
    label: asset.label,
    state: 'uploaded',
    content_type: asset.contentType,
    size: asset.data.length,
    digest: `sha256:${hash(asset.data)}`,
    download_count: 0,
    created_at: asset.createdAt,
    updated_at: asset.createdAt,
    uploader: user(urls, asset.uploader),
  };
}

export function release(urls: Urls, repo: RepoRecord, record: ReleaseRecord) {
  const url = `${urls.api}/repos/${repo.fullName}/releases/${record.id}`;
  const tagPath = encodeURIComponent(record.tagName);
  return {
    url,
    html_url: record.draft
      ? `${urls.web}/${repo.fullName}/releases/tag/untagged-${record.id}`
      : `${urls.web}/${repo.fullName}/releases/tag/${tagPath}`,
    assets_url: `${url}/assets`,
    upload_url: `${urls.uploads}/repos/${repo.fullName}/releases/${record.id}/assets{?name,label}`,
    tarball_url: record.draft ? null : `${urls.api}/repos/${repo.fullName}/tarball/${tagPath}`,
    zipball_url: record.draft ? null : `${urls.api}/repos/${repo.fullName}/zipball/${tagPath}`,
    id: record.id,
    node_id: nodeId('Release', record.id),
    tag_name: record.tagName,
    target_commitish: record.targetCommitish,
    name: record.name,
    body: record.body,
    draft: record.draft,
    prerelease: record.prerelease,
    immutable: false,
    created_at: record.createdAt,
    published_at: record.publishedAt,
    updated_at: record.updatedAt,
    author: user(urls, record.author),
    assets: record.assets.map((asset) => releaseAsset(urls, repo, record, asset)),
  };
}

export function hash(data: string | Buffer, algorithm = 'sha256'): string {
  return createHash(algorithm).update(data).digest('hex');
}
