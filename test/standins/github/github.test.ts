// The GitHub stand-in, driven by GitHub's own client (Octokit with its REST endpoint methods) and
// checked against GitHub's REST description: every test ends with no departure recorded.
import { expect } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { OpenApiValidator } from './openapi';
import { GitHubStandIn } from './server';

const TOKEN = 'ghp_standInTestToken000000000000000000';
const START = Date.parse('2026-11-21T10:00:00Z');

let clock = START;
let github: GitHubStandIn;
let octokit: ReturnType<typeof getOctokit>;

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

beforeEach(async () => {
  clock = START;
  github = new GitHubStandIn({ now: () => clock });
  await github.start();
  octokit = getOctokit(TOKEN, { baseUrl: github.url, request: { retries: 0 } });
  github.createRepo('xchem/stack');
});

afterEach(async () => {
  await github.stop();
});

function expectConformance(): void {
  expect(() => github.assertConformance()).not.toThrow();
}

const repo = { owner: 'xchem', repo: 'stack' };

function defineBuild(overrides: Partial<Parameters<GitHubStandIn['defineWorkflow']>[1]> = {}): number {
  return github.defineWorkflow('xchem/stack', {
    path: '.github/workflows/build.yml',
    name: 'Build stack',
    workflowDispatch: { inputs: { distinct_id: { required: false }, image_tag: { default: 'latest' } } },
    repositoryDispatch: { types: ['frontend-built'] },
    runName: 'Build [${{ inputs.distinct_id }}${{ github.event.client_payload.distinct_id }}]',
    jobs: [
      {
        name: 'build',
        steps: [
          { name: 'Checkout', durationMs: 5000 },
          { name: 'Build image', durationMs: 60_000 },
        ],
      },
      { name: 'test', steps: [{ name: 'Run tests', durationMs: 30_000 }] },
    ],
    queueMs: 10_000,
    ...overrides,
  });
}

describe('GitHub stand-in: workflows and runs', () => {
  test('lists workflows page by page and finds one by id or file name', async () => {
    const ids = [defineBuild(), defineBuild({ path: '.github/workflows/docs.yml', name: 'Docs' })];
    const all = await octokit.paginate(octokit.rest.actions.listRepoWorkflows, { ...repo, per_page: 1 });
    expect(all.map((w) => w.id)).toEqual(ids);
    expect(github.requests('GET', /\/actions\/workflows$/)).toHaveLength(2);
    const byFile = await octokit.rest.actions.getWorkflow({ ...repo, workflow_id: 'docs.yml' });
    expect(byFile.data.id).toBe(ids[1]);
    const byId = await octokit.rest.actions.getWorkflow({ ...repo, workflow_id: ids[0] as number });
    expect(byId.data.path).toBe('.github/workflows/build.yml');
    expect(await status(octokit.rest.actions.getWorkflow({ ...repo, workflow_id: 'nope.yml' }))).toBe(404);
    expectConformance();
  });

  test('a dispatch with return_run_details answers 200 with the run, which then progresses with the clock', async () => {
    defineBuild();
    const reply = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...repo,
      workflow_id: 'build.yml',
      ref: 'main',
      inputs: { distinct_id: 'abc-123' },
      return_run_details: true,
    });
    expect(reply.status).toBe(200);
    const details = reply.data as unknown as { workflow_run_id: number; run_url: string; html_url: string };
    expect(details.run_url).toBe(`${github.url}/repos/xchem/stack/actions/runs/${details.workflow_run_id}`);
    expect(details.html_url).toBe(`${github.url}/xchem/stack/actions/runs/${details.workflow_run_id}`);

    const read = async () => (await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: details.workflow_run_id })).data;
    let run = await read();
    expect([run.status, run.conclusion, run.display_title, run.event]).toEqual(['queued', null, 'Build [abc-123]', 'workflow_dispatch']);
    clock += 16_000; // 10 s queued, 5 s checkout, 1 s into the build
    run = await read();
    expect(run.status).toBe('in_progress');
    const jobs = (await octokit.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: run.id })).data.jobs;
    expect(jobs.map((j) => [j.name, j.status])).toEqual([
      ['build', 'in_progress'],
      ['test', 'queued'],
    ]);
    expect(jobs[0]?.steps?.map((s) => [s.name, s.status])).toEqual([
      ['Checkout', 'completed'],
      ['Build image', 'in_progress'],
    ]);
    clock += 100_000;
    run = await read();
    expect([run.status, run.conclusion]).toEqual(['completed', 'success']);
    expect(github.run('xchem/stack', run.id).inputs).toEqual({ distinct_id: 'abc-123', image_tag: 'latest' });
    expectConformance();
  });

  test('without return_run_details the dispatch answers 204', async () => {
    defineBuild();
    const reply = await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'build.yml', ref: 'main' });
    expect(reply.status).toBe(204);
    expect(github.runs('xchem/stack')).toHaveLength(1);
    expectConformance();
  });

  test.each([
    ['reject-400', 400],
    ['reject-422', 422],
  ] as const)('an older GHES (%s) rejects return_run_details and starts nothing', async (mode, expected) => {
    defineBuild();
    github.runDetails = mode;
    const attempt = octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...repo,
      workflow_id: 'build.yml',
      ref: 'main',
      return_run_details: true,
    });
    await expect(attempt).rejects.toMatchObject({
      status: expected,
      message: expect.stringContaining('"return_run_details" is not a permitted key'),
    });
    expect(github.runs('xchem/stack')).toHaveLength(0);
    expectConformance();
  });

  test('a server that ignores return_run_details answers 204', async () => {
    defineBuild();
    github.runDetails = 'ignore';
    const reply = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...repo,
      workflow_id: 'build.yml',
      ref: 'main',
      return_run_details: true,
    });
    expect(reply.status).toBe(204);
    expectConformance();
  });

  test('dispatch errors are the ones GitHub gives', async () => {
    defineBuild({ workflowDispatch: { inputs: { mode: { type: 'choice', options: ['a', 'b'], required: true } } } });
    const dispatch = (body: { ref: string; inputs?: Record<string, string> }) =>
      octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'build.yml', ...body });
    await expect(dispatch({ ref: 'main', inputs: { mode: 'a', extra: 'x' } })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Unexpected inputs provided: ["extra"]'),
    });
    await expect(dispatch({ ref: 'main' })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("Required input 'mode'"),
    });
    await expect(dispatch({ ref: 'main', inputs: { mode: 'c' } })).rejects.toMatchObject({ status: 422 });
    await expect(dispatch({ ref: 'no-such-branch', inputs: { mode: 'a' } })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('No ref found for: no-such-branch'),
    });
    expect(github.runs('xchem/stack')).toHaveLength(0);
    expectConformance();
  });

  test('repository_dispatch starts the subscribed workflows with the payload in the run name', async () => {
    defineBuild();
    defineBuild({ path: '.github/workflows/other.yml', name: 'Other', repositoryDispatch: { types: ['something-else'] } });
    const reply = await octokit.rest.repos.createDispatchEvent({
      ...repo,
      event_type: 'frontend-built',
      client_payload: { distinct_id: 'xyz-9', tag: '1.2.3' },
    });
    expect(reply.status).toBe(204);
    const runs = github.runs('xchem/stack');
    expect(runs.map((r) => [r.workflowPath, r.event, r.displayTitle])).toEqual([
      ['.github/workflows/build.yml', 'repository_dispatch', 'Build [xyz-9]'],
    ]);
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    await expect(
      octokit.rest.repos.createDispatchEvent({ ...repo, event_type: 'frontend-built', client_payload: tooMany }),
    ).rejects.toMatchObject({
      status: 422,
    });
    // That request broke GitHub's own schema (maxProperties 10): the validator must have noticed.
    expect(github.violations.map((v) => v.operation)).toEqual(['repos/create-dispatch-event']);
  });

  test('runs are listed newest first, filtered by event, branch, status and created, and appear after the creation delay', async () => {
    const id = defineBuild({ creationDelayMs: 2000 });
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: id, ref: 'main' });
    const list = async (query: Record<string, string> = {}) =>
      (await octokit.rest.actions.listWorkflowRuns({ ...repo, workflow_id: id, ...query })).data.workflow_runs.map((r) => r.id);
    expect(await list()).toEqual([]);
    clock += 2000;
    const [first] = await list();
    clock += 60_000;
    await octokit.rest.repos.createDispatchEvent({ ...repo, event_type: 'frontend-built' });
    clock += 2000;
    const [second] = await list();
    expect(await list()).toEqual([second, first]);
    expect(await list({ event: 'repository_dispatch' })).toEqual([second]);
    expect(await list({ branch: 'main', event: 'workflow_dispatch' })).toEqual([first]);
    expect(await list({ created: `>=${new Date(START + 30_000).toISOString()}` })).toEqual([second]);
    expect(await list({ status: 'queued' })).toEqual([second]);
    expect(await list({ status: 'in_progress' })).toEqual([first]);
    const repoWide = (await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, event: 'workflow_dispatch' })).data;
    expect(repoWide.workflow_runs.map((r) => r.id)).toEqual([first]);
    expectConformance();
  });

  test('a failing step fails its job and the run, and skips the jobs after it', async () => {
    const id = defineBuild({
      queueMs: 0,
      jobs: [
        {
          name: 'build',
          steps: [
            { name: 'Compile', durationMs: 1000, conclusion: 'failure' },
            { name: 'Push', durationMs: 1000 },
          ],
        },
        { name: 'deploy', steps: [{ name: 'Deploy', durationMs: 1000 }] },
      ],
    });
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: id, ref: 'main' });
    clock += 5000;
    const [run] = github.runs('xchem/stack');
    expect([run?.status, run?.conclusion]).toEqual(['completed', 'failure']);
    const jobs = (await octokit.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: run?.id as number })).data.jobs;
    expect(jobs.map((j) => [j.name, j.conclusion, j.steps?.map((s) => `${s.name}:${s.conclusion}`)])).toEqual([
      ['build', 'failure', ['Compile:failure', 'Push:skipped']],
      ['deploy', 'skipped', []],
    ]);
    expectConformance();
  });

  test('cancel answers 202 and the run ends cancelled; cancelling a completed run is a 409', async () => {
    const id = defineBuild({ cancelDelayMs: 3000 });
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: id, ref: 'main' });
    clock += 20_000;
    const runId = github.runs('xchem/stack')[0]?.id as number;
    expect((await octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId })).status).toBe(202);
    expect(github.run('xchem/stack', runId).status).toBe('in_progress');
    clock += 3000;
    const run = (await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId })).data;
    expect([run.status, run.conclusion]).toEqual(['completed', 'cancelled']);
    const jobs = github.run('xchem/stack', runId).jobs;
    expect(jobs.map((j) => j.conclusion)).toEqual(['cancelled', 'skipped']);
    expect(await status(octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId }))).toBe(409);
    expectConformance();
  });

  test('a step configured as cancelled cancels the run', async () => {
    const id = defineBuild({
      queueMs: 0,
      jobs: [{ name: 'build', steps: [{ name: 'Wait for approval', durationMs: 1000, conclusion: 'cancelled' }] }],
    });
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: id, ref: 'main' });
    clock += 2000;
    expect(github.runs('xchem/stack')[0]?.conclusion).toBe('cancelled');
  });

  test('an unchanged resource answers 304 to If-None-Match, free of rate limit', async () => {
    defineBuild();
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'build.yml', ref: 'main' });
    const runId = github.runs('xchem/stack')[0]?.id as number;
    const first = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    await expect(octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId, headers: { 'if-none-match': etag } })).rejects.toMatchObject(
      {
        status: 304,
      },
    );
    clock += 12_000; // queued → in_progress: the representation changed
    const changed = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId, headers: { 'if-none-match': etag } });
    expect(changed.data.status).toBe('in_progress');
    expect(Number(changed.headers['x-ratelimit-remaining'])).toBe(remaining - 1);
    expect(github.chargedRequests('GET')).toBe(2);
    expectConformance();
  });
});

describe('GitHub stand-in: refs, tags, commits, checks and statuses', () => {
  test('refs are created once, read, matched by prefix; annotated tags peel to their commit', async () => {
    const sha = github.head('xchem/stack');
    const created = await octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/test-2026.11.21-1', sha });
    expect(created.status).toBe(201);
    await expect(octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/test-2026.11.21-1', sha })).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Reference already exists'),
    });
    const tag = await octokit.rest.git.createTag({
      ...repo,
      tag: 'release-2026.11.21-1',
      message: 'Release',
      object: sha,
      type: 'commit',
      tagger: { name: 'Release bot', email: 'bot@example.com', date: '2026-11-21T10:00:00Z' },
    });
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/release-2026.11.21-1', sha: tag.data.sha });
    const ref = await octokit.rest.git.getRef({ ...repo, ref: 'tags/release-2026.11.21-1' });
    expect(ref.data.object).toMatchObject({ type: 'tag', sha: tag.data.sha });
    expect((await octokit.rest.git.getTag({ ...repo, tag_sha: tag.data.sha })).data.object.sha).toBe(sha);
    const matching = await octokit.rest.git.listMatchingRefs({ ...repo, ref: 'tags/test-' });
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/tags/test-2026.11.21-1']);
    expect(await status(octokit.rest.git.getRef({ ...repo, ref: 'tags/missing' }))).toBe(404);
    const commit = await octokit.rest.repos.getCommit({ ...repo, ref: 'release-2026.11.21-1' });
    expect(commit.data.sha).toBe(sha);
    expectConformance();
  });

  test('check runs and the combined status of a commit', async () => {
    const sha = github.commit('xchem/stack', { message: 'Fix build' });
    github.addCheckRun('xchem/stack', sha, { name: 'build', conclusion: 'success' });
    github.addCheckRun('xchem/stack', sha, { name: 'lint', status: 'in_progress' });
    const checks = await octokit.rest.checks.listForRef({ ...repo, ref: sha });
    expect(checks.data.check_runs.map((c) => [c.name, c.status, c.conclusion])).toEqual([
      ['build', 'completed', 'success'],
      ['lint', 'in_progress', null],
    ]);
    expect((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'main' })).data.state).toBe('pending');
    github.addStatus('xchem/stack', sha, { context: 'ci/jenkins', state: 'failure' });
    github.addStatus('xchem/stack', sha, { context: 'ci/jenkins', state: 'success' });
    const combined = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'main' });
    expect([combined.data.state, combined.data.total_count]).toEqual(['success', 1]);
    expectConformance();
  });

  test('the repository and a collaborator permission', async () => {
    github.addCollaborator('xchem/stack', 'release-manager', 'write');
    expect((await octokit.rest.repos.get(repo)).data.default_branch).toBe('main');
    const permission = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: 'release-manager' });
    expect(permission.data.permission).toBe('write');
    expectConformance();
  });
});

describe('GitHub stand-in: releases and assets', () => {
  test('draft → assets → published pre-release → full release, with notes since the previous release', async () => {
    github.tag('xchem/stack', 'release-2026.11.01-1', github.head('xchem/stack'));
    github.addRelease('xchem/stack', { tag: 'release-2026.11.01-1' });
    github.commit('xchem/stack', { message: 'Add ingestion\n\nLong text', author: 'alice' });
    const sha = github.commit('xchem/stack', { message: 'Fix viewer', author: 'bob' });

    const notes = await octokit.rest.repos.generateReleaseNotes({ ...repo, tag_name: 'release-2026.11.21-2', target_commitish: sha });
    expect(notes.data.body).toContain('* Fix viewer by @bob');
    expect(notes.data.body).toContain('* Add ingestion by @alice');
    expect(notes.data.body).toContain('compare/release-2026.11.01-1...release-2026.11.21-2');
    expect(notes.data.body).not.toContain('Initial commit');

    const draft = await octokit.rest.repos.createRelease({ ...repo, tag_name: 'release-2026.11.21-2', target_commitish: sha, draft: true });
    expect(await status(octokit.rest.repos.getReleaseByTag({ ...repo, tag: 'release-2026.11.21-2' }))).toBe(404);
    expect(github.refs('xchem/stack')['refs/tags/release-2026.11.21-2']).toBeUndefined();

    const upload = await octokit.rest.repos.uploadReleaseAsset({
      ...repo,
      release_id: draft.data.id,
      url: draft.data.upload_url,
      name: 'stack.tar.gz',
      data: 'archive bytes' as unknown as string,
      headers: { 'content-type': 'application/gzip' },
    });
    expect(upload.data).toMatchObject({ name: 'stack.tar.gz', size: 13, content_type: 'application/gzip' });
    await expect(
      octokit.rest.repos.uploadReleaseAsset({
        ...repo,
        release_id: draft.data.id,
        url: draft.data.upload_url,
        name: 'stack.tar.gz',
        data: 'x',
      }),
    ).rejects.toMatchObject({ status: 422 });
    const extra = await octokit.rest.repos.uploadReleaseAsset({
      ...repo,
      release_id: draft.data.id,
      url: draft.data.upload_url,
      name: 'extra.txt',
      data: 'x',
    });
    await octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: extra.data.id });
    expect((await octokit.rest.repos.listReleaseAssets({ ...repo, release_id: draft.data.id })).data.map((a) => a.name)).toEqual([
      'stack.tar.gz',
    ]);

    await octokit.rest.repos.updateRelease({ ...repo, release_id: draft.data.id, draft: false, prerelease: true });
    expect(github.refs('xchem/stack')['refs/tags/release-2026.11.21-2']).toBe(sha);
    const published = await octokit.rest.repos.getReleaseByTag({ ...repo, tag: 'release-2026.11.21-2' });
    expect([published.data.prerelease, published.data.draft, published.data.assets.length]).toEqual([true, false, 1]);
    await octokit.rest.repos.updateRelease({ ...repo, release_id: draft.data.id, prerelease: false, make_latest: 'true' });
    expect((await octokit.rest.repos.getLatestRelease(repo)).data.tag_name).toBe('release-2026.11.21-2');
    await expect(octokit.rest.repos.createRelease({ ...repo, tag_name: 'release-2026.11.21-2' })).rejects.toMatchObject({ status: 422 });
    const listed = await octokit.paginate(octokit.rest.repos.listReleases, { ...repo, per_page: 1 });
    expect(listed.map((r) => r.tag_name)).toEqual(['release-2026.11.21-2', 'release-2026.11.01-1']);
    expectConformance();
  });
});

describe('GitHub stand-in: concurrent clients', () => {
  const sha = () => github.head('xchem/stack');
  const alreadyExists = {
    status: 422,
    response: { data: { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] } },
  };

  test('a tag may have several drafts but only one published release', async () => {
    const tag = { ...repo, tag_name: 'v1.0.0', target_commitish: sha() };
    const first = await octokit.rest.repos.createRelease({ ...tag, draft: true });
    const second = await octokit.rest.repos.createRelease({ ...tag, draft: true });
    expect(second.data.id).toBeGreaterThan(first.data.id);
    await octokit.rest.repos.updateRelease({ ...repo, release_id: first.data.id, draft: false });
    // The other draft can no longer be published, nor can a new published release be made.
    await expect(octokit.rest.repos.updateRelease({ ...repo, release_id: second.data.id, draft: false })).rejects.toMatchObject(
      alreadyExists,
    );
    await expect(octokit.rest.repos.createRelease({ ...tag, draft: false })).rejects.toMatchObject(alreadyExists);
    expect(github.releases('xchem/stack').map((r) => [r.id, r.draft])).toEqual([
      [first.data.id, false],
      [second.data.id, true],
    ]);
    // A draft is still allowed, and the published one may change its flags.
    await octokit.rest.repos.createRelease({ ...tag, draft: true });
    await octokit.rest.repos.updateRelease({ ...repo, release_id: first.data.id, draft: false, prerelease: true });
    await octokit.rest.repos.deleteRelease({ ...repo, release_id: second.data.id });
    expect(github.releases('xchem/stack')).toHaveLength(2);
    expectConformance();
  });

  test('a rendezvous holds the matching requests until all parties arrived', async () => {
    const rendezvous = github.rendezvousNext(2, { method: 'GET', path: /\/releases$/ });
    const order: string[] = [];
    const first = octokit.rest.repos.listReleases(repo).then(() => order.push('first answered'));
    // Other requests pass; the first listing waits for the second.
    await octokit.rest.repos.get(repo);
    expect([rendezvous.arrived, rendezvous.met, order]).toEqual([1, false, []]);
    order.push('second sent');
    await Promise.all([first, octokit.rest.repos.listReleases(repo)]);
    expect([rendezvous.arrived, rendezvous.met, order]).toEqual([2, true, ['second sent', 'first answered']]);
    // Used up: the next listing is not held.
    await octokit.rest.repos.listReleases(repo);
    expect(rendezvous.arrived).toBe(2);
  });

  test('a party that waits too long goes on alone, and the rendezvous says it did not meet', async () => {
    const rendezvous = github.rendezvousNext(2, { method: 'GET', path: /\/releases$/ }, { timeoutMs: 50 });
    await octokit.rest.repos.listReleases(repo);
    expect([rendezvous.arrived, rendezvous.met]).toEqual([1, false]);
    await octokit.rest.repos.listReleases(repo);
    expect([rendezvous.arrived, rendezvous.met]).toEqual([2, false]);
  });
});

describe('GitHub stand-in: tokens, limits and conformance', () => {
  test('tokens see only their repositories, need the right scope, and can expire', async () => {
    github.createRepo('xchem/private-other');
    github.grant(TOKEN, { login: 'frontend-bot', repos: { 'xchem/stack': { actions: 'read' } } });
    defineBuild();
    expect(await status(octokit.rest.actions.listRepoWorkflows(repo))).toBe(200);
    expect(await status(octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'build.yml', ref: 'main' }))).toBe(403);
    expect(await status(octokit.rest.actions.listRepoWorkflows({ owner: 'xchem', repo: 'private-other' }))).toBe(404);
    const stranger = getOctokit('ghp_unknown', { baseUrl: github.url, request: { retries: 0 } });
    expect(await status(stranger.rest.actions.listRepoWorkflows(repo))).toBe(401);
    github.revoke(TOKEN);
    await expect(octokit.rest.actions.listRepoWorkflows(repo)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('Bad credentials'),
    });
    expectConformance();
  });

  test('rate-limit headers count down, and a secondary limit carries Retry-After', async () => {
    const first = await octokit.rest.repos.get(repo);
    expect(first.headers['x-ratelimit-limit']).toBe('5000');
    expect(first.headers['x-ratelimit-remaining']).toBe('4999');
    github.secondaryRateLimitNext(1, 7);
    const limited = await octokit.rest.repos
      .get(repo)
      .catch((error: { status: number; response: { headers: Record<string, string> } }) => error);
    expect(limited).toMatchObject({ status: 403, response: { headers: { 'retry-after': '7' } } });
    expect((await octokit.rest.repos.get(repo)).headers['x-ratelimit-remaining']).toBe('4998');
    expectConformance();
  });

  test('a secondary limit without Retry-After: GitHub’s message alone, in its basic-error shape', async () => {
    github.secondaryRateLimitNext(1, undefined, { match: { method: 'GET', path: /\/actions\/runs\/\d+$/ } });
    const limited = await octokit.rest.actions
      .getWorkflowRun({ ...repo, run_id: 1 })
      .catch((error: { status: number; message: string; response: { headers: Record<string, string>; data: unknown } }) => error);
    expect(limited).toMatchObject({ status: 403, message: expect.stringMatching(/secondary rate limit/) as unknown });
    expect('retry-after' in (limited as { response: { headers: object } }).response.headers).toBe(false);
    const body = JSON.stringify((limited as { response: { data: unknown } }).response.data);
    expect(OpenApiValidator.shared().checkResponse({ method: 'GET', path: '/repos/xchem/stack/actions/runs/1' }, 403, body)).toEqual([]);
  });

  test('a rendezvous holds the first request until the second has arrived; each then sees the state of that moment', async () => {
    defineBuild({ queueMs: 0 });
    github.rendezvousNext(2, { method: 'GET', path: /\/actions\/runs$/ });
    const first = octokit.rest.actions.listWorkflowRunsForRepo(repo);
    while (github.requests('GET', /\/actions\/runs$/).length === 0) await new Promise((resolve) => setImmediate(resolve));
    // Sent after the first read arrived, seen by it: it was held.
    await octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'build.yml', ref: 'main' });
    const second = octokit.rest.actions.listWorkflowRunsForRepo(repo);
    expect((await first).data.total_count).toBe(1);
    expect((await second).data.total_count).toBe(1);
    // Only the next two were held: a third read is answered at once.
    expect((await octokit.rest.actions.listWorkflowRunsForRepo(repo)).data.total_count).toBe(1);
    expectConformance();
  });

  test('past the primary limit a token gets 403 with no remaining requests; 304s are not counted', async () => {
    await github.stop();
    github = new GitHubStandIn({ now: () => clock, rateLimit: 2 });
    await github.start();
    github.createRepo('xchem/stack');
    octokit = getOctokit(TOKEN, { baseUrl: github.url, request: { retries: 0 } });
    const first = await octokit.rest.repos.get(repo);
    const etag = first.headers.etag as string;
    await expect(octokit.rest.repos.get({ ...repo, headers: { 'if-none-match': etag } })).rejects.toMatchObject({ status: 304 });
    expect((await octokit.rest.repos.get(repo)).headers['x-ratelimit-remaining']).toBe('0');
    await expect(octokit.rest.repos.get(repo)).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('API rate limit exceeded'),
      response: { headers: { 'x-ratelimit-remaining': '0' } },
    });
    expectConformance();
  });

  test('under API version 2026-03-10 a dispatch always answers with the run', async () => {
    defineBuild();
    const reply = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      ...repo,
      workflow_id: 'build.yml',
      ref: 'main',
      headers: { 'x-github-api-version': '2026-03-10' },
    });
    expect(reply.status).toBe(200);
    expect((reply.data as unknown as { workflow_run_id: number }).workflow_run_id).toBe(github.runs('xchem/stack')[0]?.id);
    expectConformance();
  });

  test('the validator flags requests and replies that depart from GitHub’s description', async () => {
    await fetch(`${github.url}/repos/xchem/stack/actions/workflows/build.yml/dispatches`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { a: 'b' } }),
    });
    await fetch(`${github.url}/repos/xchem/stack/actions/runs?per_page=many&colour=blue`, { headers: { authorization: `token ${TOKEN}` } });
    await fetch(`${github.url}/repos/xchem/stack/no-such-endpoint`, { headers: { authorization: `token ${TOKEN}` } });
    const problems = github.violations.map((v) => `${v.direction} ${v.operation}: ${v.problem}`);
    expect(problems).toEqual([
      "request actions/create-workflow-dispatch: body must have required property 'ref'",
      'request actions/list-workflow-runs-for-repo: per_page=many:/value must be integer',
      "request actions/list-workflow-runs-for-repo: query parameter 'colour' is not defined",
      'request unknown: GitHub has no operation GET /repos/xchem/stack/no-such-endpoint',
    ]);
    expect(() => github.assertConformance()).toThrow(/4 departure/);
  });
});
