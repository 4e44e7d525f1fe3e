import { jest } from '@jest/globals';
import {
  backoffDelay,
  HttpClient,
  HttpError,
  isForbidden,
  isTransient,
  retryAfterMs,
  safeUrl,
  statusOf,
  type FetchLike,
} from '@conveyor/core';
import { StandIn } from '../kit/standin';
import { createTestCertificates } from '../kit/tls';

describe('HttpClient', () => {
  const server = new StandIn();
  let created = 0;
  let client: HttpClient;

  beforeAll(async () => {
    server
      .route('GET', '/items/:id', (request) => ({ status: 200, json: { id: request.params.id } }))
      .route('GET', '/missing', () => ({ status: 404, json: { message: 'Not Found' } }))
      .route('POST', '/items', () => ({ status: 201, json: { id: ++created } }))
      .route('POST', '/moved', () => ({ status: 307, headers: { location: '/items' }, body: '' }));
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.reset();
    client = new HttpClient({ baseUrl: server.url, backoffMs: 10, maxBackoffMs: 40, timeoutMs: 2000 });
  });

  test('a GET is retried on 5xx with backoff until it succeeds', async () => {
    server.failNext(2, 503);
    const response = await client.get<{ id: string }>('/items/7');
    expect(response.data).toEqual({ id: '7' });
    expect(server.requests('GET', /^\/items\/7$/).map((entry) => entry.outcome)).toEqual([503, 503, 200]);
  });

  test('retries stop after the configured count and the error names status and URL', async () => {
    server.failNext(4, 502);
    const error = await client.get('/items/1', { query: { token: 's3cr3t' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(502);
    expect((error as Error).message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/items\/1\?token=REDACTED failed: HTTP 502.*\(after 4 attempts\)$/,
    );
    expect((error as Error).message).not.toContain('s3cr3t');
    expect(server.requests('GET')).toHaveLength(4);
  });

  test('Retry-After is honoured on 429', async () => {
    server.failNext(1, 429, { retryAfter: 1 });
    const started = Date.now();
    await client.get('/items/2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests('GET')).toHaveLength(2);
  });

  test('a Retry-After longer than we accept fails at once', async () => {
    const impatient = new HttpClient({ baseUrl: server.url, maxRetryAfterMs: 5000 });
    server.failNext(1, 429, { retryAfter: 3600 });
    await expect(impatient.get('/items/2')).rejects.toThrow(/HTTP 429.*the server asks to wait 3600 s/);
    expect(server.requests('GET')).toHaveLength(1);
  });

  test('4xx other than 408/429 is not retried', async () => {
    await expect(client.get('/missing')).rejects.toMatchObject({ status: 404 });
    expect(server.requests('GET')).toHaveLength(1);
  });

  test('statuses listed in accept are returned, not thrown', async () => {
    const response = await client.get('/missing', { accept: [404] });
    expect(response.status).toBe(404);
  });

  test('a request that outlives its timeout is aborted and retried', async () => {
    server.delayNext(1, 1500);
    const quick = new HttpClient({ baseUrl: server.url, timeoutMs: 300, backoffMs: 10 });
    const started = Date.now();
    await expect(quick.get('/items/3')).resolves.toMatchObject({ status: 200 });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(server.requests('GET')).toHaveLength(2);
  });

  test('a request that outlives its timeout every time fails saying so', async () => {
    server.delayNext(1, 1500);
    const once = new HttpClient({ baseUrl: server.url, timeoutMs: 200, retries: 0 });
    await expect(once.get('/items/4')).rejects.toThrow(/GET .*\/items\/4 failed: the request timed out$/);
  });

  test("any transport with fetch's call will do: HttpClient reads only status, ok, headers.get and text", async () => {
    const calls: Array<[string, RequestInit]> = [];
    const transport: FetchLike = (url, init) => {
      calls.push([url, init]);
      return Promise.resolve({
        status: 200,
        ok: true,
        headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
        text: () => Promise.resolve('{"via":"transport"}'),
      });
    };
    const viaTransport = new HttpClient({ baseUrl: 'https://index.example', fetch: transport });
    const response = await viaTransport.get('/x', { query: { a: 1 } });
    expect(response).toMatchObject({ status: 200, data: { via: 'transport' }, url: 'https://index.example/x?a=1' });
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(calls.map(([url, init]) => [url, init.method, init.redirect])).toEqual([['https://index.example/x?a=1', 'GET', 'follow']]);
  });

  test('a POST whose connection drops after the server acted on it is not sent twice without reconcile', async () => {
    server.dropNext(1, { match: { method: 'POST' }, afterHandling: true });
    const before = created;
    await expect(client.post('/items', { json: { name: 'a' } })).rejects.toThrow(/POST .* failed: network error/);
    expect(server.requests('POST')).toHaveLength(1);
    expect(created).toBe(before + 1);
  });

  test('reconcile finds the effect of a dropped POST and the POST is not repeated', async () => {
    server.dropNext(1, { match: { method: 'POST' }, afterHandling: true });
    const before = created;
    const response = await client.post<{ id: number }>('/items', {
      json: { name: 'b' },
      reconcile: async () => (created > before ? client.get(`/items/${created}`) : undefined),
    });
    expect(server.requests('POST')).toHaveLength(1);
    expect(response.data).toEqual({ id: String(before + 1) });
  });

  test('reconcile that finds no effect lets the POST be sent again', async () => {
    server.dropNext(1, { match: { method: 'POST' }, afterHandling: false });
    const before = created;
    const reconcile = jest.fn(async () => (created > before ? client.get(`/items/${created}`) : undefined));
    const response = await client.post<{ id: number }>('/items', { json: {}, reconcile });
    expect(reconcile).toHaveBeenCalledTimes(1);
    expect(server.requests('POST')).toHaveLength(2);
    expect(response.data).toEqual({ id: before + 1 });
  });

  test('a POST rejected with 429 (not acted on) is sent again', async () => {
    server.failNext(1, 429, { match: { method: 'POST' }, retryAfter: 0 });
    await client.post('/items', { json: {} });
    expect(server.requests('POST').map((entry) => entry.outcome)).toEqual([429, 201]);
  });

  test('a POST failing with 503 and no reconcile is not re-sent', async () => {
    server.failNext(1, 503, { match: { method: 'POST' } });
    await expect(client.post('/items', { json: {} })).rejects.toMatchObject({ status: 503 });
    expect(server.requests('POST')).toHaveLength(1);
  });

  test('a streamed body is not replayed to a redirect: the redirect is an error', async () => {
    const before = created;
    await expect(client.post('/moved', { body: () => Buffer.from('payload') })).rejects.toThrow(
      /POST .*\/moved failed: the server redirected a streamed request; give the final URL$/,
    );
    expect(created).toBe(before);
    expect(server.requests('POST').map((entry) => entry.path)).toEqual(['/moved']);
  });

  test('a JSON body follows a redirect', async () => {
    await expect(client.post('/moved', { json: {} })).resolves.toMatchObject({ status: 201 });
  });

  test('a connection refused (never sent) POST is retried', async () => {
    const idle = new StandIn();
    await idle.start();
    const port = new URL(idle.url).port;
    await idle.stop();
    const refused = new HttpClient({ baseUrl: `http://127.0.0.1:${port}`, retries: 1, backoffMs: 10 });
    const error = await refused.post('/items', { json: {} }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/network error ECONNREFUSED \(after 2 attempts\)$/);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', status: undefined });
  });

  test('cancellation stops a retry loop at once', async () => {
    const controller = new AbortController();
    const cancellable = new HttpClient({ baseUrl: server.url, backoffMs: 10_000, maxBackoffMs: 10_000, signal: controller.signal });
    server.failNext(1, 503);
    const started = Date.now();
    const pending = cancellable.get('/items/4');
    setTimeout(() => controller.abort(new Error('job cancelled')), 100);
    await expect(pending).rejects.toThrow('job cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('http helpers', () => {
  test('statusOf reads the status of HttpError and Octokit-style errors only', () => {
    expect(statusOf(new HttpError('GET', 'https://x.example/', 404, '', 'HTTP 404'))).toBe(404);
    expect(statusOf(Object.assign(new Error('Not Found'), { status: 404 }))).toBe(404);
    expect(statusOf(Object.assign(new Error('odd'), { status: '404' }))).toBeUndefined();
    expect(statusOf(new Error('network'))).toBeUndefined();
    expect(statusOf(undefined)).toBeUndefined();
  });

  test('isForbidden is a permission refusal, not a rate limit', () => {
    expect(isForbidden(Object.assign(new Error('Resource not accessible by integration'), { status: 403 }))).toBe(true);
    expect(isForbidden(Object.assign(new Error('API rate limit exceeded for installation'), { status: 403 }))).toBe(false);
    expect(isForbidden(Object.assign(new Error('You have exceeded a secondary rate limit'), { status: 403 }))).toBe(false);
    expect(isForbidden(Object.assign(new Error('Not Found'), { status: 404 }))).toBe(false);
  });

  test('isTransient: 408, 429, 5xx and no reply; not a refusal, a certificate failure or a bug', () => {
    const failed = (status: number | undefined, code?: string) => new HttpError('GET', 'https://x.example/', status, '', 'failed', code);
    for (const status of [408, 429, 500, 502, 503, 504]) expect(isTransient(failed(status))).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 422]) expect(isTransient(failed(status))).toBe(false);
    expect(isTransient(failed(undefined, 'ECONNRESET'))).toBe(true);
    expect(isTransient(failed(undefined))).toBe(true);
    expect(isTransient(failed(undefined, 'CERT_HAS_EXPIRED'))).toBe(false);
    expect(isTransient(Object.assign(new Error('Bad Gateway'), { status: 502 }))).toBe(true);
    expect(isTransient(new TypeError("Cannot read properties of undefined (reading 'status')"))).toBe(false);
  });

  test('safeUrl removes user info and secret query values', () => {
    expect(safeUrl('https://user:pw@host.example/x?token=abc&page=2')).toBe('https://host.example/x?token=REDACTED&page=2');
  });

  test('Retry-After as seconds or HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  test('backoff doubles per attempt, with jitter between half and all of the ceiling, capped', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 30_000, () => 1)).toBe(30_000);
  });
});

describe('HttpClient over TLS', () => {
  const server = new StandIn();

  beforeAll(async () => {
    server.route('GET', '/ping', () => ({ status: 200, json: { ok: true } }));
    const { key, cert } = await createTestCertificates();
    await server.start({ tls: { key, cert } });
  });
  afterAll(() => server.stop());

  test('a certificate that does not verify fails at once, naming the reason, without retries', async () => {
    const client = new HttpClient({ baseUrl: server.url, backoffMs: 10 });
    const error = await client.get('/ping').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect((error as Error).message).toMatch(/failed: the server's TLS certificate did not verify \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
    expect(server.journal).toHaveLength(0);
  });
});
