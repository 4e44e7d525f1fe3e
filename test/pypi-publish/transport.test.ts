import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError } from '@conveyor/core';
import { nodeFetch } from '../../actions/pypi-publish/src/transport';
import { StandIn } from '../kit/standin';
import { createTestCertificates } from '../kit/tls';

/** `count` chunks of `size` bytes through ONE buffer, refilled (with the chunk's number) when the next is asked for. */
async function* reusedBuffer(count: number, size: number): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < count; i++) {
    buffer.fill(i + 1);
    yield buffer;
  }
}

describe('nodeFetch (HttpClient over node:http)', () => {
  const server = new StandIn();
  const other = new StandIn();
  let client: HttpClient;

  beforeAll(async () => {
    await other.start();
    other.route('GET', '/elsewhere', (request) => ({ status: 200, json: { authorization: request.headers.authorization ?? null } }));
    server
      .route('GET', '/items/:id', (request) => ({ status: 200, headers: { etag: '"v1"' }, json: { id: request.params.id } }))
      .route('GET', '/text', () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'héllo' }))
      .route('POST', '/items', (request) => ({
        status: 201,
        json: { received: request.json(), length: request.headers['content-length'] },
      }))
      .route('POST', '/upload', (request) => ({
        status: 200,
        json: { sha256: createHash('sha256').update(request.body).digest('hex'), length: request.headers['content-length'] ?? null },
      }))
      .route('GET', '/old', () => ({ status: 301, headers: { location: '/items/9' } }))
      .route('GET', '/away', () => ({ status: 302, headers: { location: `${other.url}/elsewhere` } }))
      .route('POST', '/moved', () => ({ status: 307, headers: { location: '/upload' } }))
      .route('GET', '/loop', () => ({ status: 302, headers: { location: '/loop' } }));
    await server.start();
  });
  afterAll(() => Promise.all([server.stop(), other.stop()]));
  beforeEach(() => {
    server.reset();
    client = new HttpClient({ baseUrl: server.url, fetch: nodeFetch, backoffMs: 10, maxBackoffMs: 40, timeoutMs: 2000 });
  });

  test('a GET: JSON parsed, headers read, text decoded as UTF-8', async () => {
    const reply = await client.get<{ id: string }>('/items/7');
    expect(reply).toMatchObject({ status: 200, data: { id: '7' } });
    expect(reply.headers.get('ETag')).toBe('"v1"');
    expect(reply.headers.get('x-missing')).toBeNull();
    expect((await client.get('/text')).data).toBe('héllo');
  });

  test('a JSON POST is sent with its length', async () => {
    const reply = await client.post('/items', { json: { name: 'views3' } });
    expect(reply.data).toEqual({ received: { name: 'views3' }, length: '17' });
  });

  test('retries and error statuses behave as with fetch', async () => {
    server.failNext(2, 503);
    expect((await client.get('/items/1')).status).toBe(200);
    expect(server.requests('GET').map((entry) => entry.outcome)).toEqual([503, 503, 200]);
    await expect(client.get('/nowhere')).rejects.toMatchObject({ status: 404 });
  });

  test('a streamed body: each chunk is written out before the next is asked for, so one reused buffer arrives intact', async () => {
    const count = 40;
    const size = 256 * 1024;
    const expected = createHash('sha256');
    for (let i = 0; i < count; i++) expected.update(Buffer.alloc(size, i + 1));
    const reply = await client.post('/upload', {
      headers: { 'content-length': String(count * size) },
      body: () => reusedBuffer(count, size),
    });
    expect(reply.data).toEqual({ sha256: expected.digest('hex'), length: String(count * size) });
  });

  test('redirects of a GET are followed; credentials are dropped on a change of origin', async () => {
    expect((await client.get('/old')).data).toEqual({ id: '9' });
    const away = await client.get('/away', { headers: { authorization: 'Basic c2VjcmV0' } });
    expect(away.data).toEqual({ authorization: null });
    await expect(client.get('/loop')).rejects.toThrow(/network error \(redirect count exceeded\)/);
  });

  test('a redirected streamed request is an error, not a silent re-send', async () => {
    const error = await client.post('/moved', { body: () => reusedBuffer(2, 10) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as Error).message).toMatch(/failed: the server redirected a streamed request; give the final URL$/);
    expect(server.requests('POST', /^\/upload$/)).toHaveLength(0);
  });

  test('network errors carry their code as fetch reports it', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = new HttpClient({ fetch: nodeFetch, retries: 0 });
    await expect(refused.get(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('a reply slower than the timeout, and a cancelled step, end the request', async () => {
    server.delayNext(1, 1500);
    const impatient = new HttpClient({ baseUrl: server.url, fetch: nodeFetch, retries: 0, timeoutMs: 200 });
    await expect(impatient.get('/items/1')).rejects.toThrow(/failed: the request timed out$/);

    const cancel = new AbortController();
    const cancellable = new HttpClient({ baseUrl: server.url, fetch: nodeFetch, signal: cancel.signal });
    server.delayNext(1, 1500);
    const pending = cancellable.get('/items/2');
    setTimeout(() => cancel.abort(new Error('cancelled')), 50);
    await expect(pending).rejects.toThrow('cancelled');
  });

  test('a body cut short by the server is a network error', async () => {
    let hang: Server | undefined;
    hang = createServer((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('partial');
      setTimeout(() => response.destroy(), 20);
    });
    await new Promise<void>((resolve) => hang?.listen(0, '127.0.0.1', resolve));
    const { port } = hang.address() as AddressInfo;
    try {
      const once = new HttpClient({ fetch: nodeFetch, retries: 0 });
      await expect(once.get(`http://127.0.0.1:${port}/`)).rejects.toThrow(/network error/);
    } finally {
      await new Promise((resolve) => hang?.close(resolve));
      hang = undefined;
    }
  });
});

describe('nodeFetch over TLS', () => {
  const server = new StandIn().route('GET', '/ok', () => ({ status: 200, json: { ok: true } }));

  beforeAll(async () => {
    const { key, cert } = await createTestCertificates();
    await server.start({ tls: { key, cert } });
  });
  afterAll(() => server.stop());

  test('an untrusted certificate fails at once with its code', async () => {
    const client = new HttpClient({ fetch: nodeFetch, backoffMs: 10 });
    const error = await client.get(`${server.url}/ok`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect((error as Error).message).toMatch(/the server's TLS certificate did not verify \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
    expect(server.journal).toHaveLength(0);
  });
});
