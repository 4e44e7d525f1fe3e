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
  inputError,
  type HttpClientOptions,
  type HttpResponse,
  type Logger,
} from '@conveyor/core';
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
 * with an Agent (Node's bundled fetch cannot take a dispatcher from another undici version). undici
 * is loaded only then: it is most of this bundle, and a plain connection never needs it.
 */
async function tlsTransport(tls: Tls): Promise<Pick<HttpClientOptions, 'fetch' | 'dispatcher'>> {
  if (tls.caCert === undefined && !tls.insecureSkipVerify) return {};
  const { Agent, fetch: undiciFetch } = await import('undici');
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

/** The client the inputs describe; `connect()` makes the first requests (discovery). */
export interface AwxClient {
  /** Finds the controller's API version root and returns the API pointed at it. */
  connect(): Promise<AwxApi>;
}

/** Builds the client (credentials, TLS settings, timeouts); no request yet. */
export function createAwxClient({ controllerUrl, auth, tls }: Connection, logger: Logger, signal: AbortSignal): AwxClient {
  const headers = { authorization: authorization(auth), 'user-agent': 'conveyor-trigger-awx-job' };
  return {
    async connect() {
      const transport = await tlsTransport(tls);
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
      const origin = controllerUrl.origin;
      const gateway = new URL(root).pathname.includes('/api/controller/');
      const uiBase = `${origin}${new URL(root).pathname.replace(/\/api\/(controller\/)?v2\/$/, '')}`;
      return {
        http: client(signal, { baseUrl: root }),
        jobPageUrl: (kind, id) => {
          const page = `jobs/${kind === 'job' ? 'playbook' : 'workflow'}/${id}/output`;
          return gateway ? `${origin}/execution/${page}` : `${uiBase}/#/${page}`;
        },
        unabortable: client(undefined, { baseUrl: root }),
        cleanupClient: () => client(undefined, { baseUrl: root, timeoutMs: 4000, retries: 1 }),
      };
    },
  };
}

/** Statuses a discovery request reports as what answered (a 401 is the credentials' fault, left to the caller). */
const NOT_AN_API = [400, 403, 404, 405, 406, 410];
const VERSION_ROOT = /\/api\/(controller\/)?v2\/$/;
const API_ROOT = /\/api\/(controller\/)?$/;

/**
 * The controller's API version root, from `GET <url>/api/` as the platforms answer it: AWX and
 * Automation Controller 2.4 name their version root (`current_version: /api/v2/`); an Automation
 * Platform 2.5+ gateway names its own (`/api/gateway/v1/`) and lists the services it fronts under
 * `apis` (`controller: /api/controller/`, whose root names `/api/controller/v2/`). `apis.controller`
 * is preferred to any `current_version`, and a root is accepted only if it lists `job_templates`, as
 * a controller's does. A URL that already is a version root (`…/api/v2/`, `…/api/controller/v2/`)
 * or an API root (`…/api/`, `…/api/controller/`) is taken as given.
 */
export async function discoverRoot(http: HttpClient, controllerUrl: URL): Promise<string> {
  const base = controllerUrl.toString().replace(/\/?$/, '/');
  const versionRoot = VERSION_ROOT.test(base)
    ? base
    : await versionRootOf(http, base, API_ROOT.test(base) ? base : new URL('api/', base).toString());
  const reply = await getRoot(http, versionRoot);
  const listing = reply.status === 200 && isObject(reply.data) ? reply.data : undefined;
  if (listing && 'job_templates' in listing) return versionRoot;
  throw notAController(base, `${versionRoot} ${listing ? 'lists no job_templates' : answered(reply)}`);
}

async function versionRootOf(http: HttpClient, base: string, apiRoot: string, viaGateway = false): Promise<string> {
  const reply = await getRoot(http, apiRoot);
  const root = reply.status === 200 && isObject(reply.data) ? reply.data : undefined;
  const apis = isObject(root?.apis) ? root.apis : undefined;
  if (typeof apis?.controller === 'string' && !viaGateway)
    return versionRootOf(http, base, new URL(apis.controller, apiRoot).toString(), true);
  if (root && apis) {
    const services = Object.keys(apis).join(', ');
    throw notAController(
      base,
      `${apiRoot} is ${described(root, 'an Automation Platform gateway')} that fronts no controller (its apis: ${services})`,
    );
  }
  if (typeof root?.current_version === 'string') return new URL(root.current_version, apiRoot).toString();
  throw notAController(base, `${apiRoot} ${answered(reply)}, without a current_version`);
}

async function getRoot(http: HttpClient, url: string): Promise<HttpResponse<unknown>> {
  try {
    return await http.get(url, { accept: NOT_AN_API });
  } catch (error) {
    // A certificate failure gets its own advice from connect(), a refused credential from the caller.
    if (error instanceof HttpError && error.status !== 401 && !TLS_VERIFICATION_CODES.has(error.code ?? '')) {
      throw new ConfigurationError(`Could not reach the AWX API at ${url}: ${errorMessage(error).replace(/^GET \S+ failed: /, '')}`);
    }
    throw error;
  }
}

function isObject(data: unknown): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}

function described(root: { description?: unknown }, otherwise: string): string {
  return typeof root.description === 'string' && root.description ? `'${root.description}'` : otherwise;
}

/** What answered a discovery request, for the error: `answered HTTP 404`, `answered an HTML page 'Welcome to nginx!'`. */
function answered(reply: HttpResponse<unknown>): string {
  const type = (reply.headers.get('content-type') ?? 'no content type').split(';')[0]?.trim();
  if (typeof reply.data === 'string') {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(reply.data)?.[1]?.trim();
    return `answered HTTP ${reply.status} with ${type === 'text/html' ? 'an HTML page' : type}${title ? ` '${title.slice(0, 80)}'` : ''}`;
  }
  if (reply.status !== 200) {
    const detail = isObject(reply.data) && typeof reply.data.detail === 'string' ? `: ${reply.data.detail}` : '';
    return `answered HTTP ${reply.status}${detail}`;
  }
  return `answered ${isObject(reply.data) ? described(reply.data, 'JSON') : 'JSON'}`;
}

function notAController(base: string, what: string): ConfigurationError {
  return inputError(
    'controller-url',
    `no AWX or Automation Controller API at ${base}: ${what}`,
    "Give the base URL of AWX, of Automation Controller or of the Automation Platform's gateway, e.g. https://awx.example.com",
  );
}
