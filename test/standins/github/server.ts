/**
 * The GitHub stand-in: the REST endpoints Conveyor's actions use (workflows, dispatches, runs, jobs,
 * cancel, git refs and tags, commits, check runs, statuses, releases and assets), over a small model
 * whose workflow runs progress with the clock. Every request and reply is checked against GitHub's
 * REST description (see openapi.ts); violations are collected in `violations` for tests to assert on.
 * GitHub's conditional requests (ETag / If-None-Match → 304, not charged to the rate limit), its
 * `x-ratelimit-*` headers and the base's fault injection come with it. See README.md for the API.
 */
import { ReplyError, StandIn, type FaultMatch, type Reply, type StandInRequest } from '../../kit/standin';
import {
  matchesCreated,
  planRun,
  renderTemplate,
  runStateAt,
  type JobDefinition,
  type RunPlan,
  type RunState,
  type StepDefinition,
  type WorkflowDefinition,
} from './model';
import { OpenApiValidator, type Violation } from './openapi';
import * as shape from './representations';
import type {
  AssetRecord,
  CheckRunRecord,
  CommitRecord,
  ReleaseRecord,
  RepoRecord,
  RunRecord,
  StatusRecord,
  TagObjectRecord,
  Urls,
  UserRecord,
  WorkflowRecord,
} from './representations';

export type { Violation } from './openapi';
export type * from './model';

/** How the workflow-dispatch endpoint treats `return_run_details`. */
export type RunDetailsSupport =
  /** github.com and GHES 3.21+: 200 with the run's id and URLs. */
  | 'supported'
  /** GHES 3.20 and older: the unknown key is rejected. */
  | 'reject-400'
  | 'reject-422'
  /** Accepted but ignored: 204 and no run details. */
  | 'ignore';

export interface GitHubStandInOptions {
  /** The clock runs progress by (default Date.now); a bench passes a virtual one. */
  now?: () => number;
  /** Check requests and replies against GitHub's REST description (default true). */
  validate?: boolean;
  runDetails?: RunDetailsSupport;
  /** Primary rate limit per token and hour (default 5000). */
  rateLimit?: number;
}

export type Scope = 'actions' | 'contents' | 'metadata';
export type Access = 'read' | 'write';

export interface TokenGrant {
  login: string;
  /** Per repository (`owner/repo`) permissions; repositories not listed are invisible (404). Omit for full access everywhere. */
  repos?: Record<string, Partial<Record<Scope, Access>>>;
}

interface Repo {
  record: RepoRecord;
  refs: Map<string, { sha: string; type: 'commit' | 'tag' }>;
  commits: Map<string, CommitRecord>;
  tagObjects: Map<string, TagObjectRecord>;
  workflows: Array<{ record: WorkflowRecord; definition: WorkflowDefinition; runCount: number }>;
  runs: Array<
    RunRecord & { plan: RunPlan; cancelRequestedAt?: number; inputs?: Record<string, string>; clientPayload?: Record<string, unknown> }
  >;
  releases: ReleaseRecord[];
  checkRuns: CheckRunRecord[];
  statuses: StatusRecord[];
  collaborators: Map<string, 'admin' | 'write' | 'read'>;
}

type StoredRun = Repo['runs'][number];

/** Requests held until `parties` of them have arrived (see `rendezvousNext`). */
interface Rendezvous {
  match: FaultMatch;
  parties: number;
  arrived: number;
  met: boolean;
  /** Gave up waiting: the parties that came go on alone. */
  expired: boolean;
  /** Lets every held request go on. */
  open: () => void;
  gate: Promise<void>;
}

/** What a test can ask of a rendezvous once the clients ran. */
export interface RendezvousState {
  /** Matching requests that arrived (at most `parties`). */
  readonly arrived: number;
  /** Whether all parties arrived before any of them gave up waiting. */
  readonly met: boolean;
}

/** A run as tests read it back. */
export interface RunView {
  id: number;
  workflowId: number;
  workflowPath: string;
  event: string;
  headBranch: string;
  headSha: string;
  displayTitle: string;
  status: RunState['status'];
  conclusion: RunState['conclusion'];
  cancelRequested: boolean;
  inputs?: Record<string, string>;
  clientPayload?: Record<string, unknown>;
  jobs: RunState['jobs'];
}

interface Context {
  repo: Repo;
  login: string;
}

type ApiHandler = (request: StandInRequest, context: Context) => Reply | Promise<Reply>;

const DOCS = 'https://docs.github.com/rest';
const UPLOADS_PREFIX = '/api/uploads';

function fail(status: number, message: string, extra: Record<string, unknown> = {}): never {
  throw new ReplyError({ status, json: { message, documentation_url: DOCS, status: String(status), ...extra } });
}

function validationFailed(resource: string, code: string, field: string): never {
  return fail(422, 'Validation Failed', { errors: [{ resource, code, field }] });
}

export class GitHubStandIn extends StandIn {
  readonly violations: Violation[] = [];
  readonly now: () => number;
  runDetails: RunDetailsSupport;
  private readonly validator?: OpenApiValidator;
  private readonly repos = new Map<string, Repo>();
  private readonly users = new Map<string, UserRecord>();
  private readonly grants = new Map<string, TokenGrant>();
  private readonly revoked = new Set<string>();
  private readonly used = new Map<string, number>();
  private readonly rendezvous: Rendezvous[] = [];
  private readonly rateLimit: number;
  private nextId = 1000;

  constructor(options: GitHubStandInOptions = {}) {
    super();
    this.now = options.now ?? Date.now;
    this.runDetails = options.runDetails ?? 'supported';
    this.rateLimit = options.rateLimit ?? 5000;
    if (options.validate ?? true) this.validator = OpenApiValidator.shared();
    this.registerRoutes();
  }

  private get urls(): Urls {
    return { api: this.url, web: this.url, uploads: `${this.url}${UPLOADS_PREFIX}` };
  }

  // ---------------------------------------------------------------- programmatic API (set-up)

  /** A user (or bot) known to the stand-in; created on first mention. */
  user(login: string, type: UserRecord['type'] = 'User'): UserRecord {
    let record = this.users.get(login);
    if (!record) {
      record = { id: this.id(), login, type };
      this.users.set(login, record);
    }
    return record;
  }

  /** Creates `owner/name` with a default branch holding one commit; returns that commit's sha. */
  createRepo(fullName: string, options: { defaultBranch?: string; private?: boolean } = {}): string {
    const [owner, name] = fullName.split('/') as [string, string];
    const defaultBranch = options.defaultBranch ?? 'main';
    this.repos.set(fullName.toLowerCase(), {
      record: {
        id: this.id(),
        owner: this.user(owner, 'Organization'),
        name,
        fullName,
        defaultBranch,
        private: options.private ?? false,
        createdAt: shape.iso(this.now()),
      },
      refs: new Map(),
      commits: new Map(),
      tagObjects: new Map(),
      workflows: [],
      runs: [],
      releases: [],
      checkRuns: [],
      statuses: [],
      collaborators: new Map(),
    });
    return this.commit(fullName, { message: 'Initial commit' });
  }

  /** Adds a commit on `branch` (default: the default branch, created if new); returns its sha. */
  commit(fullName: string, options: { message: string; branch?: string; author?: string }): string {
    const repo = this.repo(fullName);
    const branch = options.branch ?? repo.record.defaultBranch;
    const parent = repo.refs.get(`refs/heads/${branch}`)?.sha;
    const date = shape.iso(this.now());
    const sha = shape.hash(`${fullName}\n${parent ?? ''}\n${options.message}\n${date}\n${this.id()}`, 'sha1');
    const author = options.author ?? 'octocat';
    this.user(author);
    repo.commits.set(sha, {
      sha,
      tree: shape.hash(`tree ${sha}`, 'sha1'),
      message: options.message,
      parents: parent ? [parent] : [],
      author: { name: author, email: `${author}@users.noreply.github.com`, date },
    });
    repo.refs.set(`refs/heads/${branch}`, { sha, type: 'commit' });
    return sha;
  }

  /** The commit `refs/heads/<branch>` points at. */
  head(fullName: string, branch?: string): string {
    const repo = this.repo(fullName);
    const ref = repo.refs.get(`refs/heads/${branch ?? repo.record.defaultBranch}`);
    if (!ref) throw new Error(`${fullName} has no branch ${branch}`);
    return ref.sha;
  }

  /** Tags `sha`: lightweight, or annotated when a message is given. */
  tag(fullName: string, name: string, sha: string, options: { message?: string } = {}): void {
    const repo = this.repo(fullName);
    if (!repo.commits.has(sha)) throw new Error(`${fullName} has no commit ${sha}`);
    if (options.message === undefined) {
      repo.refs.set(`refs/tags/${name}`, { sha, type: 'commit' });
      return;
    }
    const tag = this.createTagObject(repo, { tag: name, message: options.message, object: { sha, type: 'commit' } });
    repo.refs.set(`refs/tags/${name}`, { sha: tag.sha, type: 'tag' });
  }

  /** Defines a workflow; returns its id. */
  defineWorkflow(fullName: string, definition: WorkflowDefinition): number {
    const repo = this.repo(fullName);
    const id = definition.id ?? this.id();
    repo.workflows.push({
      record: { id, name: definition.name, path: definition.path, state: definition.state ?? 'active', createdAt: shape.iso(this.now()) },
      definition,
      runCount: 0,
    });
    return id;
  }

  /** Changes a workflow's jobs (e.g. the next run fails). */
  updateWorkflow(fullName: string, id: number, change: Partial<WorkflowDefinition>): void {
    const entry = this.repo(fullName).workflows.find((w) => w.record.id === id);
    if (!entry) throw new Error(`no workflow ${id}`);
    Object.assign(entry.definition, change);
    if (change.state) entry.record.state = change.state;
  }

  addCheckRun(
    fullName: string,
    sha: string,
    check: { name: string; status?: CheckRunRecord['status']; conclusion?: CheckRunRecord['conclusion'] },
  ): number {
    const status = check.status ?? 'completed';
    const record: CheckRunRecord = {
      id: this.id(),
      headSha: sha,
      name: check.name,
      status,
      conclusion: status === 'completed' ? (check.conclusion ?? 'success') : null,
      startedAt: shape.iso(this.now()),
      completedAt: status === 'completed' ? shape.iso(this.now()) : null,
    };
    this.repo(fullName).checkRuns.push(record);
    return record.id;
  }

  addStatus(
    fullName: string,
    sha: string,
    status: { context: string; state: StatusRecord['state']; description?: string; targetUrl?: string },
  ): void {
    this.repo(fullName).statuses.push({
      id: this.id(),
      sha,
      context: status.context,
      state: status.state,
      description: status.description ?? null,
      targetUrl: status.targetUrl ?? null,
      createdAt: shape.iso(this.now()),
    });
  }

  addCollaborator(fullName: string, login: string, permission: 'admin' | 'write' | 'read'): void {
    this.user(login);
    this.repo(fullName).collaborators.set(login, permission);
  }

  /** Adds a release directly (as if made earlier); returns its id. */
  addRelease(
    fullName: string,
    release: { tag: string; target?: string; name?: string; body?: string; draft?: boolean; prerelease?: boolean; author?: string },
  ): number {
    const repo = this.repo(fullName);
    const time = shape.iso(this.now());
    const record: ReleaseRecord = {
      id: this.id(),
      tagName: release.tag,
      targetCommitish: release.target ?? repo.record.defaultBranch,
      name: release.name ?? release.tag,
      body: release.body ?? '',
      draft: release.draft ?? false,
      prerelease: release.prerelease ?? false,
      makeLatest: 'true',
      author: this.user(release.author ?? 'octocat'),
      createdAt: time,
      publishedAt: release.draft ? null : time,
      updatedAt: time,
      assets: [],
    };
    repo.releases.push(record);
    return record.id;
  }

  /**
   * Registers `token`. Once any token is registered, unknown tokens get 401. Without `repos` the
   * token may do everything; with it, each listed repository gets the scopes given (metadata read
   * always) and the others answer 404, as GitHub does for repositories a token cannot see.
   */
  grant(token: string, grant: TokenGrant): void {
    this.user(grant.login);
    this.grants.set(token, grant);
    this.revoked.delete(token);
  }

  /** From now on `token` gets 401 Bad credentials (an expired App token, say). */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  /**
   * The next `times` matching requests hit a secondary rate limit (403, or 429), with Retry-After
   * when `retryAfterSeconds` is given; GitHub does not always send it (its docs then say: wait a minute).
   */
  secondaryRateLimitNext(
    times: number,
    retryAfterSeconds: number | undefined,
    options: { status?: 403 | 429; match?: FaultMatch } = {},
  ): this {
    return this.failNext(times, options.status ?? 403, {
      match: options.match,
      retryAfter: retryAfterSeconds,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: DOCS,
      },
    });
  }

  /**
   * Holds the next `parties` requests matching `match` until all of them have arrived, then lets them
   * go on together. Race tests use it to force an interleaving: two runs started at once both read
   * (say, the releases of a tag) before either of them writes. A request held longer than `timeoutMs`
   * goes on alone, and `met` stays false, so a test that did not get its interleaving says so.
   */
  rendezvousNext(parties: number, match: FaultMatch, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): RendezvousState {
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const entry: Rendezvous = { match, parties, arrived: 0, met: false, expired: false, open, gate };
    const timer = setTimeout(() => {
      entry.expired = true;
      open();
    }, timeoutMs);
    timer.unref();
    void gate.then(() => clearTimeout(timer));
    this.rendezvous.push(entry);
    return {
      get arrived() {
        return entry.arrived;
      },
      get met() {
        return entry.met;
      },
    };
  }

  // ---------------------------------------------------------------- programmatic API (read back)

  runs(fullName: string): RunView[] {
    return this.repo(fullName).runs.map((run) => this.view(run));
  }

  run(fullName: string, id: number): RunView {
    const run = this.repo(fullName).runs.find((r) => r.id === id);
    if (!run) throw new Error(`no run ${id} in ${fullName}`);
    return this.view(run);
  }

  releases(fullName: string): ReleaseRecord[] {
    return this.repo(fullName).releases;
  }

  /** Every ref with the sha it points at (a tag object's sha for annotated tags). */
  refs(fullName: string): Record<string, string> {
    return Object.fromEntries([...this.repo(fullName).refs].map(([ref, target]) => [ref, target.sha]));
  }

  tagObject(fullName: string, sha: string): TagObjectRecord | undefined {
    return this.repo(fullName).tagObjects.get(sha);
  }

  /** Requests that cost rate limit (everything but 304 answers), for `method`/`path` if given. */
  chargedRequests(method?: string, path?: RegExp): number {
    return this.requests(method, path).filter((entry) => entry.outcome !== 304).length;
  }

  /** Throws, listing them, if any request or reply departed from GitHub's REST description. */
  assertConformance(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map(
      (v) => `${v.direction} ${v.method} ${v.path}${v.status ? ` → ${v.status}` : ''} (${v.operation}): ${v.problem}`,
    );
    throw new Error(`The GitHub stand-in saw ${this.violations.length} departure(s) from GitHub's REST description:\n${lines.join('\n')}`);
  }

  // ---------------------------------------------------------------- internals

  private id(): number {
    return this.nextId++;
  }

  private repo(fullName: string): Repo {
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`the stand-in has no repository ${fullName}`);
    return repo;
  }

  private view(run: StoredRun): RunView {
    const state = runStateAt(run.plan, this.now(), run.cancelRequestedAt);
    return {
      id: run.id,
      workflowId: run.workflow.id,
      workflowPath: run.workflow.path,
      event: run.event,
      headBranch: run.headBranch,
      headSha: run.headSha,
      displayTitle: run.displayTitle,
      status: state.status,
      conclusion: state.conclusion,
      cancelRequested: run.cancelRequestedAt !== undefined,
      inputs: run.inputs,
      clientPayload: run.clientPayload,
      jobs: state.jobs,
    };
  }

  private createTagObject(
    repo: Repo,
    input: { tag: string; message: string; object: TagObjectRecord['object']; tagger?: TagObjectRecord['tagger'] },
  ) {
    const tagger = input.tagger ?? { name: 'octocat', email: 'octocat@users.noreply.github.com', date: shape.iso(this.now()) };
    const sha = shape.hash(`tag ${input.tag}\n${input.object.sha}\n${input.message}\n${this.id()}`, 'sha1');
    const record: TagObjectRecord = { sha, tag: input.tag, message: input.message, object: input.object, tagger };
    repo.tagObjects.set(sha, record);
    return record;
  }

  /** Registers an API route with auth, permission check, rate-limit headers, ETags and conformance checks. */
  private api(method: string, path: string, scope: Scope, access: Access, handler: ApiHandler): void {
    this.route(method, path, async (request) => {
      const checkedPath = request.path.startsWith(UPLOADS_PREFIX) ? request.path.slice(UPLOADS_PREFIX.length) : request.path;
      const checked = { method: request.method, path: checkedPath };
      if (this.validator) {
        this.violations.push(
          ...this.validator.checkRequest({
            ...checked,
            query: request.query,
            contentType: request.headers['content-type'],
            body: request.body,
          }),
        );
      }
      await this.meet(request);
      const token = /^(?:token|bearer)\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      let reply: Reply;
      try {
        const context = this.authorize(token, request.params, scope, access);
        reply = await handler(request, context);
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        reply = error.reply;
      }
      reply = this.finish(request, token, reply);
      if (this.validator) {
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : reply.body;
        this.violations.push(...this.validator.checkResponse(checked, reply.status, body));
      }
      return reply;
    });
  }

  /** Waits at the first open rendezvous the request matches, if any, until all its parties arrived. */
  private async meet(request: StandInRequest): Promise<void> {
    const { method, path } = request;
    const entry = this.rendezvous.find(
      ({ match, parties, arrived }) =>
        arrived < parties && (!match.method || match.method === method) && (!match.path || match.path.test(path)),
    );
    if (!entry) return;
    entry.arrived++;
    if (entry.arrived === entry.parties && !entry.expired) {
      entry.met = true;
      entry.open();
    }
    await entry.gate;
  }

  private authorize(token: string | undefined, params: Record<string, string>, scope: Scope, access: Access): Context {
    if (!token) fail(401, 'Requires authentication');
    if (this.revoked.has(token)) fail(401, 'Bad credentials');
    const grant = this.grants.get(token);
    if (!grant && this.grants.size > 0) fail(401, 'Bad credentials');
    const fullName = `${params.owner}/${params.repo}`;
    const repo = this.repos.get(fullName.toLowerCase());
    if (!repo) fail(404, 'Not Found');
    if (grant?.repos) {
      const entry = Object.entries(grant.repos).find(([name]) => name.toLowerCase() === fullName.toLowerCase());
      if (!entry) fail(404, 'Not Found');
      const granted = scope === 'metadata' ? 'read' : entry?.[1][scope];
      if (!granted || (access === 'write' && granted !== 'write')) fail(403, 'Resource not accessible by integration');
    }
    return { repo: repo, login: grant?.login ?? 'octocat' };
  }

  /** Rate-limit headers, and for a 200 GET an ETag (a matching If-None-Match turns it into a free 304). */
  private finish(request: StandInRequest, token: string | undefined, reply: Reply): Reply {
    const key = token ?? '(anonymous)';
    const headers: Record<string, string> = { ...reply.headers };
    let result = reply;
    if (request.method === 'GET' && reply.status === 200 && reply.json !== undefined) {
      const etag = `W/"${shape.hash(JSON.stringify(reply.json)).slice(0, 40)}"`;
      headers.etag = etag;
      if (request.headers['if-none-match'] === etag) result = { status: 304, headers };
    }
    const charged = result.status !== 304;
    const used = (this.used.get(key) ?? 0) + (charged ? 1 : 0);
    this.used.set(key, used);
    const remaining = Math.max(0, this.rateLimit - used);
    Object.assign(headers, {
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(Math.floor(this.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': String(request.headers['x-github-api-version'] ?? '2022-11-28'),
    });
    if (used > this.rateLimit && charged) {
      return {
        status: 403,
        headers: { ...headers, 'x-ratelimit-remaining': '0' },
        json: { message: 'API rate limit exceeded', documentation_url: DOCS },
      };
    }
    return { ...result, headers };
  }

  /** `{ items, Link }` for `?per_page=&page=`, as GitHub paginates. */
  private page<T>(request: StandInRequest, items: T[]): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(request.query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const query = new URLSearchParams(request.query);
      query.set('page', String(n));
      return `<${this.url}${request.path}?${query.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : {} };
  }

  private findWorkflow(repo: Repo, idOrFile: string) {
    const entry = repo.workflows.find((w) => String(w.record.id) === idOrFile || w.record.path.split('/').pop() === idOrFile);
    return entry ?? fail(404, 'Not Found');
  }

  private findRun(repo: Repo, id: string): StoredRun {
    const run = repo.runs.find((r) => String(r.id) === id && r.createdAt <= this.now());
    return run ?? fail(404, 'Not Found');
  }

  /** A branch, tag or sha → the commit it names (annotated tags peeled). */
  private resolveCommit(repo: Repo, ref: string): CommitRecord | undefined {
    if (repo.commits.has(ref)) return repo.commits.get(ref);
    const name = ref.replace(/^refs\//, '');
    const target = repo.refs.get(`refs/${name}`) ?? repo.refs.get(`refs/heads/${name}`) ?? repo.refs.get(`refs/tags/${name}`);
    if (!target) {
      const bySha = ref.length >= 7 ? [...repo.commits.keys()].find((sha) => sha.startsWith(ref)) : undefined;
      return bySha ? repo.commits.get(bySha) : undefined;
    }
    let sha = target.sha;
    for (let tag = repo.tagObjects.get(sha); tag; tag = repo.tagObjects.get(sha)) sha = tag.object.sha;
    return repo.commits.get(sha);
  }

  private startRun(
    repo: Repo,
    entry: Repo['workflows'][number],
    trigger: {
      event: string;
      headBranch: string;
      headSha: string;
      actor: string;
      inputs?: Record<string, string>;
      clientPayload?: Record<string, unknown>;
      eventType?: string;
      immediate?: boolean;
    },
  ): StoredRun {
    const { definition } = entry;
    const created = this.now() + (trigger.immediate ? 0 : (definition.creationDelayMs ?? 0));
    const context = {
      inputs: trigger.inputs ?? {},
      github: {
        event_name: trigger.event,
        actor: trigger.actor,
        ref_name: trigger.headBranch,
        event: { inputs: trigger.inputs, client_payload: trigger.clientPayload, action: trigger.eventType },
      },
    };
    const jobs = definition.jobs.map((job: JobDefinition) => ({
      name: renderTemplate(job.name, context),
      steps: job.steps.map((step) => ({
        ...step,
        name: renderTemplate(step.name, context),
        conclusion: step.conclusion && (renderTemplate(step.conclusion, context) as StepDefinition['conclusion']),
      })),
    }));
    entry.runCount++;
    const id = this.id();
    const run: StoredRun = {
      id,
      runNumber: entry.runCount,
      workflow: entry.record,
      event: trigger.event,
      headBranch: trigger.headBranch,
      headSha: trigger.headSha,
      displayTitle: definition.runName ? renderTemplate(definition.runName, context) : definition.name,
      actor: this.user(trigger.actor),
      jobIds: jobs.map(() => this.id()),
      createdAt: created,
      plan: planRun(jobs, created, definition.queueMs, definition.cancelDelayMs),
      inputs: trigger.inputs,
      clientPayload: trigger.clientPayload,
    };
    repo.runs.push(run);
    return run;
  }

  private registerRoutes(): void {
    const R = '/repos/:owner/:repo';

    this.api('GET', R, 'metadata', 'read', (_, { repo }) => {
      const pushedAt = shape.iso(Math.max(...[...repo.commits.values()].map((c) => Date.parse(c.author.date))));
      return { status: 200, json: shape.fullRepository(this.urls, repo.record, pushedAt) };
    });

    this.api('GET', `${R}/collaborators/:username/permission`, 'metadata', 'read', (request, { repo }) => {
      const login = request.params.username as string;
      const permission = repo.collaborators.get(login);
      if (!permission && !this.users.has(login)) fail(404, 'Not Found');
      const collaborator = { ...shape.user(this.urls, this.user(login)), role_name: permission ?? 'none' };
      return { status: 200, json: { permission: permission ?? 'none', role_name: permission ?? 'none', user: collaborator } };
    });

    // ------------------------------------------------------------ workflows and runs
    this.api('GET', `${R}/actions/workflows`, 'actions', 'read', (request, { repo }) => {
      const { items, headers } = this.page(request, repo.workflows);
      return {
        status: 200,
        headers,
        json: { total_count: repo.workflows.length, workflows: items.map((w) => shape.workflow(this.urls, repo.record, w.record)) },
      };
    });

    this.api('GET', `${R}/actions/workflows/:workflow_id`, 'actions', 'read', (request, { repo }) => {
      const entry = this.findWorkflow(repo, request.params.workflow_id as string);
      return { status: 200, json: shape.workflow(this.urls, repo.record, entry.record) };
    });

    this.api('POST', `${R}/actions/workflows/:workflow_id/dispatches`, 'actions', 'write', (request, { repo, login }) => {
      const body = request.json<{ ref?: string; inputs?: Record<string, unknown>; return_run_details?: boolean }>();
      if ('return_run_details' in body && this.runDetails.startsWith('reject')) {
        fail(this.runDetails === 'reject-400' ? 400 : 422, 'Invalid request.\n\n"return_run_details" is not a permitted key.');
      }
      const entry = this.findWorkflow(repo, request.params.workflow_id as string);
      if (typeof body.ref !== 'string') fail(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
      if (entry.record.state !== 'active') fail(422, "Cannot trigger a 'workflow_dispatch' on a disabled workflow");
      const declared = entry.definition.workflowDispatch?.inputs;
      if (!entry.definition.workflowDispatch) fail(422, "Workflow does not have 'workflow_dispatch' trigger");
      const given = body.inputs ?? {};
      if (Object.keys(given).length > 25)
        fail(422, `Invalid request.\n\nNo more than 25 properties are allowed; ${Object.keys(given).length} were supplied.`);
      const unexpected = Object.keys(given).filter((key) => !(declared && key in declared));
      if (unexpected.length) fail(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
      const inputs: Record<string, string> = {};
      for (const [name, spec] of Object.entries(declared ?? {})) {
        const raw = given[name];
        const value = raw === undefined ? spec.default : typeof raw === 'string' ? raw : JSON.stringify(raw);
        if (value === undefined) {
          if (spec.required) fail(422, `Required input '${name}' not provided`);
          continue;
        }
        if (spec.type === 'choice' && spec.options && !spec.options.includes(value)) {
          fail(422, `Provided value '${value}' for input '${name}' not in the list of allowed values`);
        }
        inputs[name] = value;
      }
      const ref = body.ref;
      const commit = this.resolveCommit(repo, ref);
      const isRef =
        repo.refs.has(`refs/heads/${ref.replace(/^refs\/heads\//, '')}`) || repo.refs.has(`refs/tags/${ref.replace(/^refs\/tags\//, '')}`);
      if (!commit || !isRef) fail(422, `No ref found for: ${ref}`);
      const wantsDetails =
        (body.return_run_details === true && this.runDetails === 'supported') || request.headers['x-github-api-version'] === '2026-03-10';
      const run = this.startRun(repo, entry, {
        event: 'workflow_dispatch',
        headBranch: ref.replace(/^refs\/(heads|tags)\//, ''),
        headSha: commit.sha,
        actor: login,
        inputs,
        // A run whose id the reply carries exists at once; otherwise it is listed after the creation delay.
        immediate: wantsDetails,
      });
      if (!wantsDetails) return { status: 204 };
      const links = shape.runUrls(this.urls, repo.record, run.id);
      return { status: 200, json: { workflow_run_id: run.id, run_url: links.url, html_url: links.html_url } };
    });

    this.api('POST', `${R}/dispatches`, 'contents', 'write', (request, { repo, login }) => {
      const body = request.json<{ event_type?: string; client_payload?: Record<string, unknown> }>();
      if (typeof body.event_type !== 'string' || body.event_type.length === 0 || body.event_type.length > 100) {
        fail(422, "Invalid request.\n\nFor 'properties/event_type', it must be a string of 1 to 100 characters.");
      }
      const payload = body.client_payload ?? {};
      const keys = Object.keys(payload).length;
      if (keys > 10) fail(422, `Invalid request.\n\nNo more than 10 properties are allowed; ${keys} were supplied.`);
      if (Buffer.byteLength(JSON.stringify(payload)) >= 65_536) fail(422, 'client_payload is too large');
      const headSha = this.head(repo.record.fullName);
      for (const entry of repo.workflows) {
        const types = entry.definition.repositoryDispatch?.types;
        if (!entry.definition.repositoryDispatch || entry.record.state !== 'active') continue;
        if (types && types.length > 0 && !types.includes(body.event_type)) continue;
        this.startRun(repo, entry, {
          event: 'repository_dispatch',
          headBranch: repo.record.defaultBranch,
          headSha,
          actor: login,
          clientPayload: payload,
          eventType: body.event_type,
        });
      }
      return { status: 204 };
    });

    const listRuns = (request: StandInRequest, repo: Repo, workflowId?: number): Reply => {
      const query = request.query;
      const now = this.now();
      let runs = repo.runs.filter((run) => run.createdAt <= now && (workflowId === undefined || run.workflow.id === workflowId));
      const states = new Map(runs.map((run) => [run.id, runStateAt(run.plan, now, run.cancelRequestedAt)]));
      const filters: Array<[string, (run: StoredRun, value: string) => boolean]> = [
        ['actor', (run, value) => run.actor.login === value],
        ['branch', (run, value) => run.headBranch === value],
        ['event', (run, value) => run.event === value],
        ['head_sha', (run, value) => run.headSha === value],
        ['status', (run, value) => states.get(run.id)?.status === value || states.get(run.id)?.conclusion === value],
        ['created', (run, value) => matchesCreated(value, shape.iso(run.createdAt))],
      ];
      for (const [name, test] of filters) {
        const value = query.get(name);
        if (value) runs = runs.filter((run) => test(run, value));
      }
      runs = [...runs].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
      const { items, headers } = this.page(request, runs);
      const workflowRuns = items.map((run) =>
        shape.workflowRun(this.urls, repo.record, run, states.get(run.id) as RunState, repo.commits.get(run.headSha) as CommitRecord),
      );
      return { status: 200, headers, json: { total_count: runs.length, workflow_runs: workflowRuns } };
    };

    this.api('GET', `${R}/actions/runs`, 'actions', 'read', (request, { repo }) => listRuns(request, repo));
    this.api('GET', `${R}/actions/workflows/:workflow_id/runs`, 'actions', 'read', (request, { repo }) =>
      listRuns(request, repo, this.findWorkflow(repo, request.params.workflow_id as string).record.id),
    );

    this.api('GET', `${R}/actions/runs/:run_id`, 'actions', 'read', (request, { repo }) => {
      const run = this.findRun(repo, request.params.run_id as string);
      const state = runStateAt(run.plan, this.now(), run.cancelRequestedAt);
      return { status: 200, json: shape.workflowRun(this.urls, repo.record, run, state, repo.commits.get(run.headSha) as CommitRecord) };
    });

    this.api('GET', `${R}/actions/runs/:run_id/jobs`, 'actions', 'read', (request, { repo }) => {
      const run = this.findRun(repo, request.params.run_id as string);
      const state = runStateAt(run.plan, this.now(), run.cancelRequestedAt);
      const jobs = state.jobs.map((job, index) => shape.job(this.urls, repo.record, run, run.jobIds[index] as number, job));
      const { items, headers } = this.page(request, jobs);
      return { status: 200, headers, json: { total_count: jobs.length, jobs: items } };
    });

    this.api('POST', `${R}/actions/runs/:run_id/cancel`, 'actions', 'write', (request, { repo }) => {
      const run = this.findRun(repo, request.params.run_id as string);
      const state = runStateAt(run.plan, this.now(), run.cancelRequestedAt);
      if (state.status === 'completed') fail(409, 'Cannot cancel a workflow run that is completed.');
      run.cancelRequestedAt ??= this.now();
      return { status: 202, json: {} };
    });

    // ------------------------------------------------------------ git refs, tags, commits, checks
    const refReply = (repo: Repo, ref: string) => {
      const target = repo.refs.get(ref);
      return target ? shape.gitRef(this.urls, repo.record, ref, target.sha, target.type) : undefined;
    };

    this.api('GET', `${R}/git/ref/:ref+`, 'contents', 'read', (request, { repo }) => {
      const json = refReply(repo, `refs/${request.params.ref}`);
      return json ? { status: 200, json } : fail(404, 'Not Found');
    });

    this.api('GET', `${R}/git/matching-refs/:ref+`, 'contents', 'read', (request, { repo }) => {
      const prefix = `refs/${request.params.ref}`;
      const refs = [...repo.refs.keys()].filter((ref) => ref.startsWith(prefix)).sort();
      return { status: 200, json: refs.map((ref) => refReply(repo, ref)) };
    });

    this.api('POST', `${R}/git/refs`, 'contents', 'write', (request, { repo }) => {
      const body = request.json<{ ref?: string; sha?: string }>();
      if (typeof body.ref !== 'string' || !/^refs\/[^/]+\/.+/.test(body.ref)) fail(422, `${body.ref} is not a valid ref name.`);
      const ref = body.ref;
      if (repo.refs.has(ref)) fail(422, 'Reference already exists');
      const sha = body.sha ?? '';
      const type = repo.tagObjects.has(sha) ? 'tag' : repo.commits.has(sha) ? 'commit' : fail(422, 'Object does not exist');
      repo.refs.set(ref, { sha, type });
      return { status: 201, headers: { location: `${this.url}/repos/${repo.record.fullName}/git/${ref}` }, json: refReply(repo, ref) };
    });

    this.api('POST', `${R}/git/tags`, 'contents', 'write', (request, { repo }) => {
      const body = request.json<{ tag: string; message: string; object: string; type: string; tagger?: TagObjectRecord['tagger'] }>();
      const type = body.type === 'tag' ? 'tag' : 'commit';
      if (!(type === 'tag' ? repo.tagObjects.has(body.object) : repo.commits.has(body.object))) fail(422, 'Object does not exist');
      const tag = this.createTagObject(repo, {
        tag: body.tag,
        message: body.message,
        object: { sha: body.object, type },
        tagger: body.tagger,
      });
      return { status: 201, json: shape.gitTag(this.urls, repo.record, tag) };
    });

    this.api('GET', `${R}/git/tags/:tag_sha`, 'contents', 'read', (request, { repo }) => {
      const tag = repo.tagObjects.get(request.params.tag_sha as string);
      return tag ? { status: 200, json: shape.gitTag(this.urls, repo.record, tag) } : fail(404, 'Not Found');
    });

    this.api('GET', `${R}/commits/:ref+/check-runs`, 'contents', 'read', (request, { repo }) => {
      const commit = this.resolveCommit(repo, request.params.ref as string) ?? fail(422, `No commit found for SHA: ${request.params.ref}`);
      const name = request.query.get('check_name');
      const runs = repo.checkRuns.filter((c) => c.headSha === commit.sha && (!name || c.name === name));
      const { items, headers } = this.page(request, runs);
      return {
        status: 200,
        headers,
        json: { total_count: runs.length, check_runs: items.map((c) => shape.checkRun(this.urls, repo.record, c)) },
      };
    });

    this.api('GET', `${R}/commits/:ref+/status`, 'contents', 'read', (request, { repo }) => {
      const commit = this.resolveCommit(repo, request.params.ref as string) ?? fail(404, `No commit found for SHA: ${request.params.ref}`);
      // The latest status per context counts, as on GitHub.
      const latest = new Map<string, StatusRecord>();
      for (const status of repo.statuses.filter((s) => s.sha === commit.sha)) latest.set(status.context, status);
      const statuses = [...latest.values()];
      const state = statuses.some((s) => s.state === 'failure' || s.state === 'error')
        ? 'failure'
        : statuses.length === 0 || statuses.some((s) => s.state === 'pending')
          ? 'pending'
          : 'success';
      return {
        status: 200,
        json: {
          state,
          sha: commit.sha,
          total_count: statuses.length,
          statuses: statuses.map((s) => shape.simpleStatus(this.urls, repo.record, s)),
          repository: shape.minimalRepository(this.urls, repo.record),
          commit_url: `${this.url}/repos/${repo.record.fullName}/commits/${commit.sha}`,
          url: `${this.url}/repos/${repo.record.fullName}/commits/${commit.sha}/status`,
        },
      };
    });

    this.api('GET', `${R}/commits/:ref+`, 'contents', 'read', (request, { repo }) => {
      const commit = this.resolveCommit(repo, request.params.ref as string) ?? fail(422, `No commit found for SHA: ${request.params.ref}`);
      const author = this.user(commit.author.name);
      return { status: 200, json: shape.commit(this.urls, repo.record, commit, author) };
    });

    // ------------------------------------------------------------ releases and assets
    const releaseJson = (repo: Repo, release: ReleaseRecord) => shape.release(this.urls, repo.record, release);
    const findRelease = (repo: Repo, id: string) => repo.releases.find((r) => String(r.id) === id) ?? fail(404, 'Not Found');
    // One published release per tag, any number of drafts. GitHub refuses a second published release
    // of a tag with 422 {"resource":"Release","code":"already_exists","field":"tag_name"}
    // (anothrNick/github-tag-action#123, ncipollo/release-action#4) but does not de-duplicate drafts:
    // jobs that create a draft of one tag at the same moment each get their own
    // (softprops/action-gh-release#11, svenstaro/upload-release-action#133, macnev2013/anySCP#36,
    // actualbudget/actual#8381). Publishing a draft whose tag another published release holds is
    // refused the same way (the rule is on published releases; not recorded first-hand).
    const refuseSecondPublished = (repo: Repo, tag: string, release?: ReleaseRecord) => {
      if (repo.releases.some((r) => r !== release && !r.draft && r.tagName === tag))
        validationFailed('Release', 'already_exists', 'tag_name');
    };

    this.api('GET', `${R}/releases`, 'contents', 'read', (request, { repo }) => {
      const releases = [...repo.releases].sort((a, b) => b.id - a.id);
      const { items, headers } = this.page(request, releases);
      return { status: 200, headers, json: items.map((r) => releaseJson(repo, r)) };
    });

    this.api('GET', `${R}/releases/latest`, 'contents', 'read', (_, { repo }) => {
      const latest = [...repo.releases]
        .filter((r) => !r.draft && !r.prerelease && r.makeLatest !== 'false')
        .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || b.id - a.id)[0];
      return latest ? { status: 200, json: releaseJson(repo, latest) } : fail(404, 'Not Found');
    });

    this.api('GET', `${R}/releases/tags/:tag+`, 'contents', 'read', (request, { repo }) => {
      const release = repo.releases.find((r) => r.tagName === request.params.tag && !r.draft);
      return release ? { status: 200, json: releaseJson(repo, release) } : fail(404, 'Not Found');
    });

    this.api('POST', `${R}/releases/generate-notes`, 'contents', 'write', (request, { repo }) => {
      const body = request.json<{ tag_name: string; target_commitish?: string; previous_tag_name?: string }>();
      const head = this.resolveCommit(repo, body.tag_name) ?? this.resolveCommit(repo, body.target_commitish ?? repo.record.defaultBranch);
      if (!head) fail(404, 'Not Found');
      const previousTag =
        body.previous_tag_name ??
        [...repo.releases]
          .filter((r) => !r.draft && r.tagName !== body.tag_name && repo.refs.has(`refs/tags/${r.tagName}`))
          .sort((a, b) => b.id - a.id)[0]?.tagName;
      const stop = previousTag ? this.resolveCommit(repo, previousTag)?.sha : undefined;
      const lines: string[] = [];
      for (let commit: CommitRecord | undefined = head; commit && commit.sha !== stop; commit = repo.commits.get(commit.parents[0] ?? '')) {
        lines.push(`* ${commit.message.split('\n')[0]} by @${commit.author.name} in ${commit.sha.slice(0, 7)}`);
      }
      const compare = previousTag
        ? `**Full Changelog**: ${this.url}/${repo.record.fullName}/compare/${previousTag}...${body.tag_name}`
        : `**Full Changelog**: ${this.url}/${repo.record.fullName}/commits/${body.tag_name}`;
      return { status: 200, json: { name: body.tag_name, body: `## What's Changed\n${lines.join('\n')}\n\n\n${compare}` } };
    });

    this.api('POST', `${R}/releases`, 'contents', 'write', (request, { repo, login }) => {
      const body = request.json<{
        tag_name: string;
        target_commitish?: string;
        name?: string;
        body?: string;
        draft?: boolean;
        prerelease?: boolean;
        make_latest?: 'true' | 'false' | 'legacy';
        generate_release_notes?: boolean;
      }>();
      const draft = body.draft ?? false;
      if (!draft) refuseSecondPublished(repo, body.tag_name);
      const target = body.target_commitish ?? repo.record.defaultBranch;
      if (!repo.refs.has(`refs/tags/${body.tag_name}`)) {
        const commit = this.resolveCommit(repo, target) ?? validationFailed('Release', 'invalid', 'target_commitish');
        // GitHub creates the missing tag when the release is published, not while it is a draft.
        if (!draft) repo.refs.set(`refs/tags/${body.tag_name}`, { sha: commit.sha, type: 'commit' });
      }
      const time = shape.iso(this.now());
      const record: ReleaseRecord = {
        id: this.id(),
        tagName: body.tag_name,
        targetCommitish: target,
        name: body.name ?? body.tag_name,
        body: body.body ?? '',
        draft,
        prerelease: body.prerelease ?? false,
        makeLatest: body.make_latest ?? 'true',
        author: this.user(login),
        createdAt: time,
        publishedAt: draft ? null : time,
        updatedAt: time,
        assets: [],
      };
      repo.releases.push(record);
      return {
        status: 201,
        headers: { location: `${this.url}/repos/${repo.record.fullName}/releases/${record.id}` },
        json: releaseJson(repo, record),
      };
    });

    this.api('GET', `${R}/releases/:release_id`, 'contents', 'read', (request, { repo }) => ({
      status: 200,
      json: releaseJson(repo, findRelease(repo, request.params.release_id as string)),
    }));

    this.api('PATCH', `${R}/releases/:release_id`, 'contents', 'write', (request, { repo }) => {
      const release = findRelease(repo, request.params.release_id as string);
      const body = request.json<
        Partial<{
          tag_name: string;
          target_commitish: string;
          name: string;
          body: string;
          draft: boolean;
          prerelease: boolean;
          make_latest: 'true' | 'false' | 'legacy';
        }>
      >();
      const published = body.draft === undefined ? !release.draft : !body.draft;
      if (published) refuseSecondPublished(repo, body.tag_name ?? release.tagName, release);
      if (body.tag_name !== undefined) release.tagName = body.tag_name;
      if (body.target_commitish !== undefined) release.targetCommitish = body.target_commitish;
      if (body.name !== undefined) release.name = body.name;
      if (body.body !== undefined) release.body = body.body;
      if (body.prerelease !== undefined) release.prerelease = body.prerelease;
      if (body.make_latest !== undefined) release.makeLatest = body.make_latest;
      if (body.draft === false && release.draft) {
        release.draft = false;
        release.publishedAt = shape.iso(this.now());
        if (!repo.refs.has(`refs/tags/${release.tagName}`)) {
          const commit = this.resolveCommit(repo, release.targetCommitish) ?? validationFailed('Release', 'invalid', 'target_commitish');
          repo.refs.set(`refs/tags/${release.tagName}`, { sha: commit.sha, type: 'commit' });
        }
      } else if (body.draft === true) {
        release.draft = true;
      }
      release.updatedAt = shape.iso(this.now());
      return { status: 200, json: releaseJson(repo, release) };
    });

    this.api('GET', `${R}/releases/:release_id/assets`, 'contents', 'read', (request, { repo }) => {
      const release = findRelease(repo, request.params.release_id as string);
      const { items, headers } = this.page(request, release.assets);
      return { status: 200, headers, json: items.map((asset) => shape.releaseAsset(this.urls, repo.record, release, asset)) };
    });

    this.api('POST', `${UPLOADS_PREFIX}${R}/releases/:release_id/assets`, 'contents', 'write', (request, { repo, login }) => {
      const release = findRelease(repo, request.params.release_id as string);
      const name = request.query.get('name');
      if (!name) fail(422, 'Bad Content-Length or missing name');
      if (release.assets.some((asset) => asset.name === name)) validationFailed('ReleaseAsset', 'already_exists', 'name');
      const asset: AssetRecord = {
        id: this.id(),
        name: name,
        label: request.query.get('label'),
        contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
        data: request.body,
        uploader: this.user(login),
        createdAt: shape.iso(this.now()),
      };
      release.assets.push(asset);
      return { status: 201, json: shape.releaseAsset(this.urls, repo.record, release, asset) };
    });

    const findAsset = (repo: Repo, id: string) => {
      for (const release of repo.releases) {
        const asset = release.assets.find((a) => String(a.id) === id);
        if (asset) return { release, asset };
      }
      return fail(404, 'Not Found');
    };

    this.api('GET', `${R}/releases/assets/:asset_id`, 'contents', 'read', (request, { repo }) => {
      const { release, asset } = findAsset(repo, request.params.asset_id as string);
      return { status: 200, json: shape.releaseAsset(this.urls, repo.record, release, asset) };
    });

    this.api('DELETE', `${R}/releases/assets/:asset_id`, 'contents', 'write', (request, { repo }) => {
      const { release, asset } = findAsset(repo, request.params.asset_id as string);
      release.assets.splice(release.assets.indexOf(asset), 1);
      return { status: 204 };
    });

    this.api('DELETE', `${R}/releases/:release_id`, 'contents', 'write', (request, { repo }) => {
      const release = findRelease(repo, request.params.release_id as string);
      repo.releases.splice(repo.releases.indexOf(release), 1);
      return { status: 204 };
    });

    // Anything else: recorded as a violation (an endpoint the stand-in lacks), answered 404.
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      this.route(method, '/:rest+', (request) => {
        const known = this.validator?.match(method, request.path)?.operation.id;
        this.violations.push({
          operation: known ?? 'unknown',
          direction: 'request',
          method,
          path: request.path,
          problem: known ? 'the stand-in does not implement this operation' : `GitHub has no operation ${method} ${request.path}`,
        });
        return { status: 404, json: { message: 'Not Found', documentation_url: DOCS } };
      });
    }
  }
}
