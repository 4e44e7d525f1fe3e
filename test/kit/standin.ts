/**
 * Stand-in server base: a loopback HTTP(S) server for the services the actions talk to (GitHub,
 * AWX, PyPI). It keeps a journal of every request and can inject faults: fail the next N matching
 * requests with a status (optionally with Retry-After), drop the connection after reading the
 * request (before or after acting on it), or delay replies.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The body parsed as JSON (throws a 400 reply if it is not). */
  json<T = Record<string, unknown>>(): T;
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string | Buffer;
}

export type Handler = (request: StandInRequest) => Reply | Promise<Reply>;
/** A handler that reads the request itself (large uploads); it must end the response. */
export type RawHandler = (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => void | Promise<void>;

export interface JournalEntry {
  method: string;
  path: string;
  query: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The reply status, or 'dropped'. */
  outcome: number | 'dropped';
  at: number;
}

export interface FaultMatch {
  method?: string;
  path?: RegExp;
}

type Fault =
  | { kind: 'status'; status: number; retryAfter?: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'drop'; afterHandling: boolean }
  | { kind: 'delay'; ms: number };

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler?: Handler;
  raw?: RawHandler;
}

/** A route pattern like `/repos/:owner/:repo/actions/runs/:run_id` as a RegExp. */
function compile(path: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_]+)(\\\+)?/g, (_, key: string, plus?: string) => {
    keys.push(key);
    return plus ? '(.+)' : '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}/?$`), keys };
}

export class StandIn {
  readonly journal: JournalEntry[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: Array<{ match: FaultMatch; remaining: number; fault: Fault }> = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  private readonly stopping = new AbortController();
  url = '';

  /** Adds a route; `:name` captures one segment, `:name+` the rest of the path. */
  route(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, ...compile(path), handler });
    return this;
  }

  /** Adds a route whose handler reads the request stream itself. */
  rawRoute(method: string, path: string, raw: RawHandler): this {
    this.routes.push({ method, ...compile(path), raw });
    return this;
  }

  /** The next `times` matching requests get `status` (and Retry-After seconds, if given). */
  failNext(
    times: number,
    status: number,
    options: { match?: FaultMatch; retryAfter?: number; body?: unknown; headers?: Record<string, string> } = {},
  ): this {
    this.faults.push({
      match: options.match ?? {},
      remaining: times,
      fault: { kind: 'status', status, retryAfter: options.retryAfter, body: options.body, headers: options.headers },
    });
    return this;
  }

  /** The next `times` matching requests are read, (optionally) acted on, then the connection is cut. */
  dropNext(times: number, options: { match?: FaultMatch; afterHandling?: boolean } = {}): this {
    this.faults.push({
      match: options.match ?? {},
      remaining: times,
      fault: { kind: 'drop', afterHandling: options.afterHandling ?? true },
    });
    return this;
  }

  /** The next `times` matching requests are answered `ms` late. */
  delayNext(times: number, ms: number, options: { match?: FaultMatch } = {}): this {
    this.faults.push({ match: options.match ?? {}, remaining: times, fault: { kind: 'delay', ms } });
    return this;
  }

  /** Forgets the journal and any fault not yet triggered. */
  reset(): void {
    this.journal.length = 0;
    this.faults.length = 0;
  }

  /** Journal entries for `method` (any if undefined) whose path matches `path`. */
  requests(method?: string, path?: RegExp): JournalEntry[] {
    return this.journal.filter((entry) => (!method || entry.method === method) && (!path || path.test(entry.path)));
  }

  async start(options: { tls?: { key: string; cert: string }; port?: number } = {}): Promise<string> {
    const listener = (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response);
    this.server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(options.port ?? 0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const entry = this.faults.find(
      ({ match, remaining }) => remaining > 0 && (!match.method || match.method === method) && (!match.path || match.path.test(path)),
    );
    if (!entry) return undefined;
    entry.remaining--;
    return entry.fault;
  }

  private findRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match)
        return { route, params: Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(match[i + 1] as string)])) };
    }
    return undefined;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const found = this.findRoute(method, path);
    const fault = this.takeFault(method, path);
    const entry: JournalEntry = {
      method,
      path,
      query: url.search,
      headers: request.headers,
      body: Buffer.alloc(0),
      outcome: 'dropped',
      at: Date.now(),
    };
    this.journal.push(entry);

    if (found?.route.raw && !fault) {
      response.on('finish', () => (entry.outcome = response.statusCode));
      return found.route.raw(request, response, found.params);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    entry.body = Buffer.concat(chunks);

    if (fault?.kind === 'delay') {
      const stopped = await delay(fault.ms, undefined, { signal: this.stopping.signal }).catch(() => true);
      if (stopped) return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {
        ...fault.headers,
        ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}),
      };
      return this.send(response, entry, {
        status: fault.status,
        headers,
        json: fault.body ?? { message: `stand-in fault ${fault.status}` },
      });
    }
    if (fault?.kind === 'drop' && !fault.afterHandling) return void request.socket.destroy();

    let reply: Reply;
    if (!found?.route.handler) {
      reply = { status: 404, json: { message: 'Not Found', path, method } };
    } else {
      try {
        reply = await found.route.handler({
          method,
          path,
          query: url.searchParams,
          headers: request.headers,
          body: entry.body,
          params: found.params,
          json: <T>() => {
            try {
              return JSON.parse(entry.body.toString('utf8') || '{}') as T;
            } catch {
              throw new ReplyError({ status: 400, json: { message: 'Problems parsing JSON' } });
            }
          },
        });
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        reply = error.reply;
      }
    }
    if (fault?.kind === 'drop') return void request.socket.destroy();
    this.send(response, entry, reply);
  }

  private send(response: ServerResponse, entry: JournalEntry, reply: Reply): void {
    entry.outcome = reply.status;
    const headers: Record<string, string> = { ...reply.headers };
    let body: string | Buffer | undefined = reply.body;
    if (reply.json !== undefined) {
      body = JSON.stringify(reply.json);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    response.writeHead(reply.status, headers);
    response.end(body);
  }
}

/** Thrown by a handler to answer with `reply` (a 404, a 422) from deep inside its logic. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`reply ${reply.status}`);
  }
}
