import { splitRepository } from '@conveyor/core';
import { createGitHubClient } from '@conveyor/core/github';
import { recordingLogger } from '../kit/logger';
import { StandIn } from '../kit/standin';

describe('createGitHubClient', () => {
  const server = new StandIn();
  let dispatches = 0;

  beforeAll(async () => {
    server
      .route('GET', '/repos/:owner/:repo', (request) => ({
        status: 200,
        json: { full_name: `${request.params.owner}/${request.params.repo}` },
      }))
      .route('POST', '/repos/:owner/:repo/dispatches', () => {
        dispatches++;
        return { status: 204 };
      });
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => server.reset());

  const client = (timeoutMs = 5000, retries = 3) =>
    createGitHubClient('ghs_token', { logger: recordingLogger(), baseUrl: server.url, timeoutMs, retries });

  test('sends the token and the pinned API version', async () => {
    await client().rest.repos.get({ owner: 'o', repo: 'r' });
    const [entry] = server.requests('GET');
    expect(entry?.headers.authorization).toBe('token ghs_token');
    expect(entry?.headers['x-github-api-version']).toBe('2022-11-28');
  });

  test('a GET is retried after a 502', async () => {
    server.failNext(1, 502);
    const { data } = await client().rest.repos.get({ owner: 'o', repo: 'r' });
    expect(data.full_name).toBe('o/r');
    expect(server.requests('GET').map((entry) => entry.outcome)).toEqual([502, 200]);
  });

  test('a POST is never retried by the plugins after a 5xx', async () => {
    server.failNext(1, 502, { match: { method: 'POST' } });
    await expect(client().rest.repos.createDispatchEvent({ owner: 'o', repo: 'r', event_type: 'build' })).rejects.toMatchObject({
      status: 502,
    });
    expect(server.requests('POST')).toHaveLength(1);
  });

  test('a POST rejected by a secondary rate limit is sent again after Retry-After', async () => {
    const before = dispatches;
    server.failNext(1, 403, { match: { method: 'POST' }, retryAfter: 1, body: { message: 'You have exceeded a secondary rate limit' } });
    await client().rest.repos.createDispatchEvent({ owner: 'o', repo: 'r', event_type: 'build' });
    expect(server.requests('POST').map((entry) => entry.outcome)).toEqual([403, 204]);
    expect(dispatches).toBe(before + 1);
  });

  test('a 429 is sent again once, after the wait its Retry-After asks (the throttling plugin), not after the retry plugin’s 1 s', async () => {
    const logger = recordingLogger();
    const limited = createGitHubClient('ghs_token', { logger, baseUrl: server.url });
    server.failNext(1, 429, { retryAfter: 2, body: { message: 'You have exceeded a secondary rate limit' } });
    const { data } = await limited.rest.repos.get({ owner: 'o', repo: 'r' });
    expect(data.full_name).toBe('o/r');
    expect(server.requests('GET').map((entry) => entry.outcome)).toEqual([429, 200]);
    expect(logger.warnings).toEqual(['GitHub secondary rate limit on GET /repos/{owner}/{repo}; retrying in 2 s']);
  });

  test('a request is given up at once when the signal aborts, not retried as a 500', async () => {
    server.delayNext(1, 3000);
    const controller = new AbortController();
    const cancellable = createGitHubClient('ghs_token', { logger: recordingLogger(), baseUrl: server.url, signal: controller.signal });
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('job cancelled')), 200);
    await expect(cancellable.rest.repos.get({ owner: 'o', repo: 'r' })).rejects.toThrow('job cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('every request has a timeout', async () => {
    server.delayNext(5, 3000);
    const started = Date.now();
    await expect(client(300, 0).rest.repos.get({ owner: 'o', repo: 'r' })).rejects.toThrow('The request timed out after 0.3 s');
    expect(Date.now() - started).toBeLessThan(2900);
  });
});

test('splitRepository accepts owner/repo only', () => {
  expect(splitRepository('InformaticsMatters/fragalysis-stack')).toEqual({ owner: 'InformaticsMatters', repo: 'fragalysis-stack' });
  for (const bad of ['fragalysis', 'a/b/c', '/repo', 'owner/', 'own er/repo', '-owner/repo']) expect(splitRepository(bad)).toBeUndefined();
});
