/**
 * HTTP: a small fetch-based client for the services without an SDK here (AWX, PyPI).
 * Every request has a timeout. Idempotent requests are retried with exponential backoff and jitter
 * on network errors, 408, 429 and 5xx, honouring Retry-After. POST and PATCH are never re-sent
 * blindly: after an ambiguous failure the caller's `reconcile` decides whether the effect happened.
 * Errors carry the status and a URL with credentials removed.
 */
import { sleep } from './cancel';
import type { Logger } from './log';

export interface HttpClientOptions {
  baseUrl?: string;
  headers?: Record<string, string>;
  /** Bound on one request, body included (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** First backoff delay (default 1 s); doubles per retry up to `maxBackoffMs` (default 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After we agree to wait; longer ones fail at once (default 120 s). */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** The transport: global fetch by default; undici's with a dispatcher, or another with fetch's call. */
  fetch?: FetchLike;
  /** Passed through to fetch (an undici Agent for a private CA, for instance). */
  dispatcher?: unknown;
}

/** The part of fetch HttpClient uses: the global fetch, undici's, or a transport that answers the same call. */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchReply>;

/** What HttpClient reads of a fetch Response. */
export interface FetchReply {
  status: number;
  ok: boolean;
  headers: Pick<Headers, 'get'>;
  text(): Promise<string>;
}

export interface HttpRequest {
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** A body factory, called once per attempt (streams cannot be re-read); redirects are not followed. */
  body?: () => NonNullable<RequestInit['body']>;
  /** Statuses returned instead of thrown (2xx always are). */
  accept?: number[];
  /**
   * For POST/PATCH: called after an ambiguous failure (connection lost or 5xx after sending).
   * Return the outcome if the effect happened, or undefined to send the request again.
   */
  reconcile?: () => Promise<HttpResponse | undefined>;
  timeoutMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: FetchReply['headers'];
  /** Parsed JSON when the reply is JSON, otherwise the text. */
  data: T;
  url: string;
}

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly body: string,
    detail: string,
    /** The network error code, when there was no reply (ECONNREFUSED, CERT_HAS_EXPIRED, …). */
    readonly code?: string,
  ) {
    super(`${method} ${url} failed: ${detail}`);
  }
}

/** Certificate failures: the same server gives the same answer, so retrying cannot help. */
export const TLS_VERIFICATION_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const SECRET_QUERY = /^(token|access_token|key|api_key|password|sig|signature|x-amz-[a-z-]+)$/i;

/** The URL without user info and with secret-looking query values redacted. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const key of [...parsed.searchParams.keys()]) if (SECRET_QUERY.test(key)) parsed.searchParams.set(key, 'REDACTED');
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}

/** Milliseconds to wait from a Retry-After header (seconds or HTTP date), if any. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: attempt 0 waits 50–100% of `base`, then doubling up to `max`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The HTTP status of a failed request (HttpError, Octokit's RequestError), if it had one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A 403 that refuses the request for want of permission (not a rate limit, which is waited out). */
export function isForbidden(error: unknown): boolean {
  return statusOf(error) === 403 && !/rate limit/i.test(error instanceof Error ? error.message : String(error));
}

/** Network errors where the request provably never reached the server. */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * A failure that says nothing lasting about the request: a 408, 429 or 5xx, or no reply at all (a
 * network error, not a certificate failure). The client has already retried it; a long wait may
 * still wait through a few more (`poll`'s `transientFailures`).
 */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return isRetryableStatus(status);
  return error instanceof HttpError && !(error.code !== undefined && TLS_VERIFICATION_CODES.has(error.code));
}

export class HttpClient {
  private readonly options: Required<Pick<HttpClientOptions, 'timeoutMs' | 'retries' | 'backoffMs' | 'maxBackoffMs' | 'maxRetryAfterMs'>> &
    HttpClientOptions;

  constructor(options: HttpClientOptions = {}) {
    this.options = { timeoutMs: 30_000, retries: 3, backoffMs: 1000, maxBackoffMs: 30_000, maxRetryAfterMs: 120_000, ...options };
  }

  get<T = unknown>(path: string, request?: HttpRequest): Promise<HttpResponse<T>> {
    return this.request<T>('GET', path, request);
  }

  post<T = unknown>(path: string, request?: HttpRequest): Promise<HttpResponse<T>> {
    return this.request<T>('POST', path, request);
  }

  /** The absolute URL of `path` (relative to baseUrl) with `query`. */
  url(path: string, query?: HttpRequest['query']): string {
    const url = new URL(path, this.options.baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  async request<T = unknown>(method: string, path: string, request: HttpRequest = {}): Promise<HttpResponse<T>> {
    const url = this.url(path, request.query);
    const shownUrl = safeUrl(url);
    const idempotent = IDEMPOTENT.has(method);
    const { retries, backoffMs, maxBackoffMs, logger } = this.options;

    for (let attempt = 0; ; attempt++) {
      let failure: { status?: number; code?: string; detail: string; body: string; waitMs?: number; ambiguous: boolean };
      try {
        const response = await this.send(method, url, request);
        const text = await response.text();
        if (response.ok || request.accept?.includes(response.status)) {
          return { status: response.status, headers: response.headers, data: parseBody(response, text) as T, url };
        }
        failure = {
          status: response.status,
          detail: `HTTP ${response.status}${describe(text)}`,
          body: text,
          waitMs: retryAfterMs(response.headers.get('retry-after')),
          ambiguous: response.status >= 500 || response.status === 408,
        };
        if (!isRetryableStatus(response.status)) throw new HttpError(method, shownUrl, response.status, text, failure.detail);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        this.options.signal?.throwIfAborted();
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        if (cause?.message === 'unexpected redirect') {
          throw new HttpError(method, shownUrl, undefined, '', 'the server redirected a streamed request; give the final URL');
        }
        if (cause?.code && TLS_VERIFICATION_CODES.has(cause.code)) {
          throw new HttpError(method, shownUrl, undefined, '', `the server's TLS certificate did not verify (${cause.code})`, cause.code);
        }
        failure = { code: cause?.code, detail: networkDetail(error), body: '', ambiguous: !neverSent(error) };
      }

      const canResend = idempotent || !failure.ambiguous || request.reconcile !== undefined;
      if (attempt >= retries || !canResend) {
        throw new HttpError(
          method,
          shownUrl,
          failure.status,
          failure.body,
          `${failure.detail}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ''}`,
          failure.code,
        );
      }
      if (failure.waitMs !== undefined && failure.waitMs > this.options.maxRetryAfterMs) {
        throw new HttpError(
          method,
          shownUrl,
          failure.status,
          failure.body,
          `${failure.detail}; the server asks to wait ${Math.round(failure.waitMs / 1000)} s`,
        );
      }
      const delay = failure.waitMs ?? backoffDelay(attempt, backoffMs, maxBackoffMs);
      logger?.info(
        `${method} ${shownUrl}: ${failure.detail}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 2} of ${retries + 1})`,
      );
      await sleep(delay, this.options.signal);
      if (!idempotent && failure.ambiguous && request.reconcile) {
        const outcome = await request.reconcile();
        if (outcome) {
          logger?.info(`${method} ${shownUrl}: the earlier attempt took effect; not sending it again`);
          return outcome as HttpResponse<T>;
        }
      }
    }
  }

  private send(method: string, url: string, request: HttpRequest): Promise<FetchReply> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...request.headers };
    let body: RequestInit['body'];
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.body) {
      body = request.body();
    }
    const timeout = AbortSignal.timeout(request.timeoutMs ?? this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    // Following a redirect means keeping a copy of the body to send again: fetch tees a streamed
    // body and holds every chunk in memory (even with 'manual'). A body factory (a stream, usually)
    // makes a redirect an error instead.
    const redirect = request.body ? 'error' : 'follow';
    const init = { method, headers, body, signal, redirect, duplex: 'half', dispatcher: this.options.dispatcher } as RequestInit;
    return (this.options.fetch ?? fetch)(url, init);
  }
}

function parseBody(response: FetchReply, text: string): unknown {
  if (!text || !(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A short, one-line extract of an error body. */
function describe(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line ? `: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}` : '';
}

function networkDetail(error: unknown): string {
  // By name, not instanceof: the DOMException an aborted signal rejects with may come from another realm.
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'the request timed out';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `network error ${cause.code}`;
  return `network error (${cause?.message ?? (error instanceof Error ? error.message : String(error))})`;
}
