/**
 * HTTP to the index on node:http/https instead of fetch, for two measured reasons: fetch (Node's
 * bundled undici) costs ~15 MiB of RSS on first use, more than the whole upload needs, and it cannot
 * tell when it is done with a chunk of a streamed body, so a file read into fresh buffers piles up
 * garbage until the next GC (~50 MiB on a 200 MB file). `nodeFetch` writes each chunk out (the
 * socket has taken it) before it asks the body for the next one: a body may hand out one reused
 * buffer, and memory stays flat whatever the file size.
 *
 * It answers the part of fetch that HttpClient uses (`FetchLike`), with fetch's behaviour there:
 * string, byte and async-iterable bodies; `redirect: 'follow'` (up to 20, credentials dropped on a
 * change of origin, 303 and a redirected POST become GET) or `'error'`; rejection with the signal's
 * reason on abort and with `TypeError('fetch failed', { cause })` on a network error, so the error
 * codes (ECONNREFUSED, CERT_HAS_EXPIRED, …) are where HttpClient reads them.
 */
import type { ClientRequest, IncomingMessage, IncomingHttpHeaders } from 'node:http';
import { abortReason, type FetchLike, type FetchReply } from '@conveyor/core';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;
/** Headers that must not follow a redirect to another origin (as fetch drops them). */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

type Body = string | Uint8Array | AsyncIterable<Uint8Array>;

export const nodeFetch: FetchLike = async (url, init) => {
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  let method = (init.method ?? 'GET').toUpperCase();
  let headers: Record<string, string> = { 'user-agent': 'node', ...(init.headers as Record<string, string> | undefined) };
  let body = requestBody(init.body);
  let target = new URL(url);
  for (let redirects = 0; ; redirects++) {
    const reply = await exchange(target, method, headers, body, signal);
    const location = reply.headers.location;
    if (!REDIRECT_STATUSES.has(reply.statusCode ?? 0) || !location || init.redirect === 'manual') return fetchReply(reply, signal);
    reply.resume();
    if (init.redirect === 'error') throw networkError(new Error('unexpected redirect'));
    if (redirects >= MAX_REDIRECTS) throw networkError(new Error('redirect count exceeded'));
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw networkError(new Error('cannot follow a redirect with a streamed body'));
    }
    const next = new URL(location, target);
    if (reply.statusCode === 303 || ((reply.statusCode === 301 || reply.statusCode === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      headers = withoutHeaders(headers, ['content-type', 'content-length']);
    }
    if (next.origin !== target.origin) headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
    target = next;
  }
};

function requestBody(body: RequestInit['body']): Body | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (typeof (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] === 'function') return body as AsyncIterable<Uint8Array>;
  throw new TypeError('nodeFetch sends string, byte and async-iterable bodies only');
}

/** Sends one request; resolves with the reply's head once it arrives (the body may still be going out). */
async function exchange(
  target: URL,
  method: string,
  headers: Record<string, string>,
  body: Body | undefined,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  // https (TLS) is loaded only for an https index: it costs ~5 MiB that a plain-http one does not need.
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const sized =
    typeof body === 'string' || body instanceof Uint8Array
      ? { 'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength) }
      : {};
  const outgoing = request(target, { method, headers: { ...sized, ...headers } });
  return new Promise<IncomingMessage>((resolve, reject) => {
    const abort = () => {
      outgoing.destroy();
      if (signal) reject(abortReason(signal));
    };
    signal?.addEventListener('abort', abort, { once: true });
    outgoing.once('response', (reply) => {
      signal?.removeEventListener('abort', abort);
      resolve(reply);
    });
    outgoing.once('error', (error) => {
      signal?.removeEventListener('abort', abort);
      reject(signal?.aborted ? abortReason(signal) : networkError(error));
    });
    if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
    // A failed write destroys the request, whose 'error' rejects above; a reply that came first stands.
    else sendStream(outgoing, body).catch((error: unknown) => outgoing.destroy(error as Error));
  });
}

/** Writes each chunk and waits until the socket has taken it before asking for the next. */
async function sendStream(outgoing: ClientRequest, body: AsyncIterable<Uint8Array>): Promise<void> {
  const closed = new Promise<never>((_resolve, reject) => outgoing.once('close', () => reject(new Error('the request closed'))));
  closed.catch(() => undefined);
  for await (const chunk of body) {
    if (outgoing.destroyed) return;
    await Promise.race([
      new Promise<void>((resolve, reject) => outgoing.write(chunk, (error) => (error ? reject(error) : resolve()))),
      closed,
    ]);
  }
  outgoing.end();
}

function fetchReply(reply: IncomingMessage, signal: AbortSignal | undefined): FetchReply {
  const status = reply.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (name) => headerValue(reply.headers, name) },
    text: async () => {
      const abort = () => reply.destroy();
      signal?.addEventListener('abort', abort, { once: true });
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of reply) chunks.push(chunk as Buffer);
      } catch (error) {
        throw signal?.aborted ? abortReason(signal) : networkError(error as Error);
      } finally {
        signal?.removeEventListener('abort', abort);
      }
      // A reply cut short by an abort can end without an error.
      signal?.throwIfAborted();
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

/** fetch's shape for a network error: the cause carries the code. */
function networkError(cause: Error): TypeError {
  return new TypeError('fetch failed', { cause });
}
