/**
 * The AWX connection: an HttpClient with the credentials, TLS settings and timeouts, pointed at the
 * API version root found by discovery (`/api/v2/`, a path prefix such as `/awx/api/v2/`, or
 * `/api/controller/v2/` behind an Automation Platform gateway).
 */
import {
  ConfigurationError,
  HttpClient,
  HttpError,
  TLS_VERIFICATION_CODES,
  errorMessage,
  type HttpClientOptions,
  type HttpResponse,
  type Logger,
} from '@conveyor/core';
import { Agent, fetch as undiciFetch } from 'undici';
import type { TemplateKind } from './prompts';

export type Auth = { kind: 'token'; token: string } | { kind: 'basic'; username: string; password: string };

export interface Tls {
  /** PEM of a private CA to trust, besides the system's. */
  caCert?: string;
  insecureSkipVerify: boolean;
}

/** Where the controller is and how to reach it (the inputs that say so). */
export interface Connection {
  controllerUrl: URL;
  auth: Auth;
  tls: Tls;
}

/** One page of an AWX list reply. */
export interface Page<T> {
  count: number;
  next: string | null;
  results: T[];
}

export interface AwxApi {
  /** Relative paths resolve against the API version root (e.g. `https://awx.example.com/api/v2/`). */
  http: HttpClient;
  /** Where people look at a job in the web UI. */
  jobPageUrl(kind: TemplateKind, id: number): string;
  /** The same client without the step's signal: for a launch that must not be left half-known. */
  unabortable: HttpClient;
  /** A client for cleanups that must still work after the job's signal has aborted. */
  cleanupClient(): HttpClient;
}

/** The Authorization header for `auth`. */
function authorization(auth: Auth): string {
  return auth.kind === 'token' ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/**
 * The fetch to use: Node's own unless the TLS settings need a custom dispatcher, then undici's fetch
 * with an Agent (Node's bundled fetch cannot take a dispatcher from another undici version).
 */
function tlsTransport(tls: Tls): Pick<HttpClientOptions, 'fetch' | 'dispatcher'> {
  if (tls.caCert === undefined && !tls.insecureSkipVerify) return {};
  const dispatcher = new Agent({ connect: tls.insecureSkipVerify ? { rejectUnauthorized: false } : { ca: tls.caCert } });
  return { fetch: undiciFetch as unknown as typeof fetch, dispatcher };
}

/** A certificate that does not verify is the user's to fix: say how. */
function tlsAdvice(error: unknown, tls: Tls): unknown {
  if (!(error instanceof HttpError) || !error.code || !TLS_VERIFICATION_CODES.has(error.code)) return error;
  const fix = tls.caCert
    ? "Check that 'ca-cert' holds the CA that signed the controller's certificate"
    : "Set 'ca-cert' to the PEM of the CA that signed it (or, not recommended, 'insecure-skip-tls-verify: true')";
  return new ConfigurationError(`The controller's TLS certificate did not verify (${error.code}). ${fix}`);
}

/** Connects: builds the client and discovers the API version root. */
export async function connect({ controllerUrl, auth, tls }: Connection, logger: Logger, signal: AbortSignal): Promise<AwxApi> {
  const transport = tlsTransport(tls);
  const headers = { authorization: authorization(auth), 'user-agent': 'conveyor-trigger-awx-job' };
  const client = (signal: AbortSignal | undefined, overrides: HttpClientOptions = {}) =>
    new HttpClient({
      headers,
      signal,
      logger,
      timeoutMs: 30_000,
      maxBackoffMs: 15_000,
      ...transport,
      ...overrides,
    });
  // The first request is where an untrusted certificate shows; the later ones go to the same server.
  const root = await discoverRoot(client(signal), controllerUrl).catch((error: unknown) => {
    throw tlsAdvice(error, tls);
  });
  logger.info(`AWX API: ${root}`);
  // Relative paths resolve against the root; the absolute ones AWX returns (`/api/v2/jobs/1/`) against its origin.
  const http = client(signal, { baseUrl: root });
  const origin = controllerUrl.origin;
  const gateway = new URL(root).pathname.includes('/api/controller/');
  const uiBase = `${origin}${new URL(root).pathname.replace(/\/api\/(controller\/)?v2\/$/, '')}`;
  return {
    http,
    jobPageUrl: (kind, id) => {
      const page = `jobs/${kind === 'job' ? 'playbook' : 'workflow'}/${id}/output`;
      return gateway ? `${origin}/execution/${page}` : `${uiBase}/#/${page}`;
    },
    unabortable: client(undefined, { baseUrl: root }),
    cleanupClient: () => client(undefined, { baseUrl: root, timeoutMs: 4000, retries: 1 }),
  };
}

interface ApiRootReply {
  current_version?: string;
}

/**
 * The API version root. A URL that already ends in `/api/v2` or `/api/controller/v2` is used as it
 * is; otherwise `<url>/api/` names it (`current_version`), or, behind a gateway whose `/api/` lists
 * services instead, `<url>/api/controller/` does.
 */
export async function discoverRoot(http: HttpClient, controllerUrl: URL): Promise<string> {
  const base = controllerUrl.toString().replace(/\/?$/, '/');
  if (/\/api\/(controller\/)?v2\/$/.test(base)) return base;
  for (const candidate of ['api/', 'api/controller/']) {
    const url = new URL(candidate, base).toString();
    let reply: HttpResponse<ApiRootReply | string>;
    try {
      reply = await http.get<ApiRootReply | string>(url, { accept: [401, 403, 404] });
    } catch (error) {
      // A certificate failure gets its own advice from connect().
      if (error instanceof HttpError && !TLS_VERIFICATION_CODES.has(error.code ?? '')) {
        throw new ConfigurationError(`Could not reach the AWX API at ${url}: ${errorMessage(error).replace(/^GET \S+ failed: /, '')}`);
      }
      throw error;
    }
    const version = typeof reply.data === 'object' ? reply.data.current_version : undefined;
    if (reply.status === 200 && typeof version === 'string') return new URL(version, url).toString();
  }
  throw new ConfigurationError(
    `Input 'controller-url': no AWX or Automation Controller API at ${base} (neither api/ nor api/controller/ names a current_version). Give the controller's base URL, e.g. https://awx.example.com`,
  );
}
