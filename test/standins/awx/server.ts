/**
 * AWX stand-in: the slice of the AWX / Automation Controller REST API (v2) that launching a
 * template and following its job needs. Organizations, inventories, job templates and workflow job
 * templates with prompts and surveys; launch with `ignored_fields` computed from the template's
 * `ask_*_on_launch` flags and survey as AWX does; jobs whose events appear over (simulated) time and
 * that end in any status, their output, events, PLAY RECAP and host summaries all from one
 * playbook run (playbook.ts); incremental job events, stdout with the "too large to display"
 * placeholder, cancel; workflow jobs and their nodes. Basic and Bearer auth; the API roots of AWX and
 * Controller 2.4 or of an Automation Platform 2.5+ gateway (`/api/controller/v2/`). Checked in
 * `ansible.e2e.test.ts` against code nobody here wrote: Debian's awx.awx collection and
 * ansible-playbook's own output.
 */
import { ReplyError, StandIn, type Handler, type Reply, type StandInRequest } from '../../kit/standin';
import { EVENT_DISPLAY, playbookRun, showsFailure, type HostStats, type PlaybookEvent } from './playbook';

export type JobStatus = 'new' | 'pending' | 'waiting' | 'running' | 'successful' | 'failed' | 'error' | 'canceled';
export type FinalStatus = 'successful' | 'failed' | 'error' | 'canceled';

/** The launch-time fields a job template can prompt for, and the flag that allows each. */
export const JOB_PROMPTS: Record<string, string> = {
  inventory: 'ask_inventory_on_launch',
  credentials: 'ask_credential_on_launch',
  limit: 'ask_limit_on_launch',
  job_tags: 'ask_tags_on_launch',
  skip_tags: 'ask_skip_tags_on_launch',
  scm_branch: 'ask_scm_branch_on_launch',
  job_type: 'ask_job_type_on_launch',
  verbosity: 'ask_verbosity_on_launch',
  diff_mode: 'ask_diff_mode_on_launch',
  forks: 'ask_forks_on_launch',
  timeout: 'ask_timeout_on_launch',
  job_slice_count: 'ask_job_slice_count_on_launch',
  labels: 'ask_labels_on_launch',
  execution_environment: 'ask_execution_environment_on_launch',
  instance_groups: 'ask_instance_groups_on_launch',
};
/** A workflow job template prompts for fewer fields. */
export const WORKFLOW_PROMPTS: Record<string, string> = {
  inventory: 'ask_inventory_on_launch',
  limit: 'ask_limit_on_launch',
  scm_branch: 'ask_scm_branch_on_launch',
  job_tags: 'ask_tags_on_launch',
  skip_tags: 'ask_skip_tags_on_launch',
  labels: 'ask_labels_on_launch',
};

export interface SurveyQuestion {
  variable: string;
  required?: boolean;
  default?: string | number;
  type?: 'text' | 'integer' | 'multiplechoice';
}

/** What a launched job does: its output, how long it runs (simulated seconds) and how it ends. */
export interface JobScript {
  /**
   * The playbook's output without its PLAY RECAP (the stand-in writes that from the results shown,
   * see playbook.ts): `PLAY [x]`, `TASK [x]`, `ok: [host]`, `changed: [host]`, `fatal: [host]: FAILED!
   * …`; or a count of generated `ok: [host] => line N of job J` lines. A failed job's output shows a
   * failure. Default: Gathering Facts on every host (and, for a failed job, one failed task).
   */
  lines?: string[] | number;
  /** Lines per job event between banners (default 1). */
  linesPerEvent?: number;
  /** Simulated seconds spent pending, then running (defaults 0.3 and 1.5). */
  pendingSeconds?: number;
  runSeconds?: number;
  status?: FinalStatus;
  explanation?: string;
  hosts?: string[];
  /** Events AWX saves late, as its callback receiver may: counter → simulated seconds of delay. */
  lateEvents?: Record<number, number>;
}

export interface TemplateSpec {
  name: string;
  organization: string;
  /** `ask_*_on_launch` flags set to true, by field name (`limit`, `job_tags`, …) or `variables`. */
  prompts?: string[];
  survey?: SurveyQuestion[];
  /** The template's own extra vars (a job's extra_vars start from these). */
  extraVars?: Record<string, unknown>;
  script?: JobScript;
  /** Workflow templates: the job templates run one after another, by name. */
  nodes?: string[];
}

interface Template extends TemplateSpec {
  id: number;
  kind: 'job_template' | 'workflow_job_template';
  created: string;
}

interface JobEvent extends PlaybookEvent {
  counter: number;
  /** Simulated seconds after the job started running: when it was emitted, and when it is saved. */
  emitted: number;
  at: number;
}

interface Job {
  id: number;
  kind: 'job' | 'workflow_job';
  template: Template;
  createdMs: number;
  /** Simulated seconds from creation: running from, finished at. */
  runsAt: number;
  endsAt: number;
  finalStatus: FinalStatus;
  explanation: string;
  events: JobEvent[];
  hosts: string[];
  fields: Record<string, unknown>;
  extraVars: Record<string, unknown>;
  launchedBy: number;
  /** Simulated seconds from creation at which a cancel took effect. */
  canceledAt?: number;
  /** Workflow jobs: their node jobs, in order. */
  nodeJobs?: Job[];
  parent?: Job;
}

export interface AwxStandInOptions {
  /** Bearer tokens accepted (default one: `awx-test-token`). */
  tokens?: string[];
  /** Basic-auth users and passwords (default `admin` / `awx-admin-password`). */
  users?: Record<string, string>;
  /** Serve the controller behind an Automation Platform 2.5+ gateway (`/api/controller/v2/`). */
  gateway?: boolean;
  /** The services the gateway fronts, as its `/api/` lists them (default controller, eda, galaxy). */
  gatewayServices?: string[];
  /** Simulated seconds per real second (default 1). */
  timeScale?: number;
  /** The clock jobs run by (default Date.now): a test that fakes time hands the same clock to its client. */
  now?: () => number;
}

/** Above this size the display formats of stdout return AWX's placeholder (STDOUT_MAX_BYTES_DISPLAY). */
export const STDOUT_MAX_BYTES_DISPLAY = 1_048_576;
const MAX_PAGE_SIZE = 200;
const TERMINAL = new Set<JobStatus>(['successful', 'failed', 'error', 'canceled']);
/** AWX's event levels: 0 playbook, 1 play, 2 task, 3 host results (EVENT_TYPES). */
const EVENT_LEVEL: Record<string, number> = {
  playbook_on_play_start: 1,
  playbook_on_stats: 1,
  playbook_on_task_start: 2,
  runner_on_ok: 3,
  runner_on_failed: 3,
  runner_on_skipped: 3,
  runner_on_unreachable: 3,
};

export class AwxStandIn extends StandIn {
  readonly prefix: string;
  readonly v2: string;
  readonly tokens: Set<string>;
  readonly users: Map<string, { id: number; password: string }>;
  timeScale: number;
  private readonly now: () => number;
  /** Bytes of every reply body the routes produced (for the benchmark). */
  bytesServed = 0;
  /** Job events returned by job_events lists, counting repeats (to prove output is not re-fetched). */
  eventsServed = 0;
  private readonly organizations: Array<{ id: number; name: string }> = [];
  private readonly inventories: Array<{ id: number; name: string; organization: number }> = [];
  private readonly templates: Template[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;

  constructor(options: AwxStandInOptions = {}) {
    super();
    this.prefix = options.gateway ? '/api/controller' : '/api';
    this.v2 = `${this.prefix}/v2`;
    this.tokens = new Set(options.tokens ?? ['awx-test-token']);
    this.users = new Map(
      Object.entries(options.users ?? { admin: 'awx-admin-password' }).map(([name, password], i) => [name, { id: i + 1, password }]),
    );
    this.timeScale = options.timeScale ?? 1;
    this.now = options.now ?? Date.now;
    this.addRoutes(options.gateway ?? false, options.gatewayServices ?? ['controller', 'eda', 'galaxy']);
  }

  // ----- set-up -------------------------------------------------------------------------------

  organization(name: string): number {
    const found = this.organizations.find((org) => org.name === name);
    if (found) return found.id;
    const id = this.nextId++;
    this.organizations.push({ id, name });
    return id;
  }

  inventory(name: string, organization: string): number {
    const id = this.nextId++;
    this.inventories.push({ id, name, organization: this.organization(organization) });
    return id;
  }

  jobTemplate(spec: TemplateSpec): number {
    return this.addTemplate(spec, 'job_template');
  }

  workflowTemplate(spec: TemplateSpec): number {
    return this.addTemplate(spec, 'workflow_job_template');
  }

  /** The job (or workflow job) launched with `id`. */
  job(id: number): Job | undefined {
    return this.jobs.get(id);
  }

  /** Jobs launched from the template named `name`. */
  jobsOf(name: string): Job[] {
    return [...this.jobs.values()].filter((job) => job.template.name === name && !job.parent);
  }

  /** The status a job has now. */
  status(job: Job): JobStatus {
    return this.timeline(job).status;
  }

  private addTemplate(spec: TemplateSpec, kind: Template['kind']): number {
    const { lines, status } = spec.script ?? {};
    if (status === 'failed' && Array.isArray(lines) && !showsFailure(lines)) {
      throw new Error(`Template '${spec.name}': a failed job's output shows the task that failed (a 'fatal: [host]: FAILED! …' line)`);
    }
    this.organization(spec.organization);
    const id = this.nextId++;
    this.templates.push({ ...spec, id, kind, created: new Date(this.now()).toISOString() });
    return id;
  }

  // ----- the simulated clock and job life cycle ------------------------------------------------

  private simulatedSince(ms: number): number {
    return ((this.now() - ms) / 1000) * this.timeScale;
  }

  private timeline(job: Job): { status: JobStatus; now: number; started?: number; finished?: number } {
    const now = this.simulatedSince(job.createdMs);
    if (job.canceledAt !== undefined && now >= job.canceledAt) {
      return { status: 'canceled', now, started: job.canceledAt > job.runsAt ? job.runsAt : undefined, finished: job.canceledAt };
    }
    if (now >= job.endsAt) return { status: job.finalStatus, now, started: job.runsAt, finished: job.endsAt };
    if (now >= job.runsAt) return { status: 'running', now, started: job.runsAt };
    return { status: now >= job.runsAt / 2 ? 'waiting' : 'pending', now };
  }

  /** The events emitted before the job stopped. */
  private emittedEvents(job: Job): JobEvent[] {
    const stop = Math.min(job.endsAt, job.canceledAt ?? Infinity) - job.runsAt;
    return job.events.filter((event) => event.emitted <= stop);
  }

  /** The events saved so far. */
  private visibleEvents(job: Job): JobEvent[] {
    const saved = this.timeline(job).now - job.runsAt;
    return this.emittedEvents(job).filter((event) => event.at <= saved);
  }

  private createJob(template: Template, extraVars: Record<string, unknown>, fields: Record<string, unknown>, user: number): Job {
    const script = template.script ?? {};
    const pending = script.pendingSeconds ?? 0.3;
    const run = script.runSeconds ?? 1.5;
    const hosts = script.hosts ?? ['web-1', 'web-2'];
    const job: Job = {
      id: this.nextId++,
      kind: template.kind === 'job_template' ? 'job' : 'workflow_job',
      template,
      createdMs: this.now(),
      runsAt: pending,
      endsAt: pending + run,
      finalStatus: script.status ?? 'successful',
      explanation: script.explanation ?? '',
      events: [],
      hosts,
      fields,
      extraVars: { ...template.extraVars, ...extraVars },
      launchedBy: user,
    };
    if (job.kind === 'job') job.events = this.scriptEvents(job, script, run);
    else this.createNodeJobs(job, user);
    this.jobs.set(job.id, job);
    return job;
  }

  /** The events of the job's playbook run (playbook.ts), spread over the run. */
  private scriptEvents(job: Job, script: JobScript, run: number): JobEvent[] {
    const failed = job.finalStatus === 'failed';
    const lines =
      typeof script.lines === 'number'
        ? Array.from({ length: script.lines }, (_, i) => `ok: [${job.hosts[i % job.hosts.length]}] => line ${i + 1} of job ${job.id}`)
        : (script.lines ?? [
            'PLAY [Deploy]',
            'TASK [Gathering Facts]',
            ...job.hosts.map((host) => `ok: [${host}]`),
            ...(failed ? ['TASK [Deploy]', `fatal: [${job.hosts[0]}]: FAILED! => {"changed": false, "msg": "Deployment failed"}`] : []),
          ]);
    // A playbook stopped by an error or a cancel never reaches its recap.
    const all = playbookRun(lines, Math.max(1, script.linesPerEvent ?? 1), failed || job.finalStatus === 'successful');
    // Events are spread over the first 90% of the run; the recap comes just before the end.
    return all.map((entry, i) => {
      const emitted = (run * 0.9 * i) / Math.max(1, all.length - 1);
      return { ...entry, counter: i + 1, emitted, at: emitted + (script.lateEvents?.[i + 1] ?? 0) };
    });
  }

  private createNodeJobs(workflow: Job, user: number): void {
    let offset = workflow.runsAt;
    const nodeJobs: Job[] = [];
    let final: FinalStatus = 'successful';
    for (const name of workflow.template.nodes ?? []) {
      const template = this.templates.find((t) => t.name === name && t.kind === 'job_template');
      if (!template) throw new Error(`workflow node '${name}' names no job template`);
      const node = this.createJob(template, workflow.extraVars, {}, user);
      node.parent = workflow;
      node.createdMs = workflow.createdMs;
      node.runsAt += offset;
      node.endsAt += offset;
      offset = node.endsAt;
      nodeJobs.push(node);
      if (node.finalStatus !== 'successful') {
        final = 'failed';
        break;
      }
    }
    workflow.nodeJobs = nodeJobs;
    workflow.endsAt = offset + 0.1;
    workflow.finalStatus = workflow.template.script?.status ?? final;
    if (final === 'failed') workflow.explanation ||= 'No error handling paths found, marking workflow as failed';
  }

  private cancel(job: Job): boolean {
    const { status, now } = this.timeline(job);
    if (TERMINAL.has(status)) return false;
    job.canceledAt = now + 0.2;
    for (const node of job.nodeJobs ?? []) if (!TERMINAL.has(this.timeline(node).status)) node.canceledAt = now + 0.2;
    return true;
  }

  // ----- representations ----------------------------------------------------------------------

  private iso(createdMs: number, simulatedSeconds: number | undefined): string | null {
    return simulatedSeconds === undefined ? null : new Date(createdMs + (simulatedSeconds * 1000) / this.timeScale).toISOString();
  }

  private templatePath(template: Template): string {
    return `${this.v2}/${template.kind === 'job_template' ? 'job_templates' : 'workflow_job_templates'}/${template.id}/`;
  }

  private organizationOf(template: Template): { id: number; name: string } {
    return this.organizations.find((org) => org.name === template.organization) as { id: number; name: string };
  }

  private templateJson(template: Template): Record<string, unknown> {
    const flags = template.kind === 'job_template' ? JOB_PROMPTS : WORKFLOW_PROMPTS;
    const org = this.organizationOf(template);
    const path = this.templatePath(template);
    return {
      id: template.id,
      type: template.kind,
      url: path,
      name: template.name,
      description: '',
      created: template.created,
      organization: org.id,
      summary_fields: { organization: { id: org.id, name: org.name } },
      related: {
        launch: `${path}launch/`,
        survey_spec: `${path}survey_spec/`,
        [template.kind === 'job_template' ? 'jobs' : 'workflow_jobs']:
          `${path}${template.kind === 'job_template' ? 'jobs' : 'workflow_jobs'}/`,
      },
      extra_vars: JSON.stringify(template.extraVars ?? {}),
      survey_enabled: template.survey !== undefined,
      ask_variables_on_launch: template.prompts?.includes('variables') ?? false,
      ...Object.fromEntries(Object.entries(flags).map(([field, flag]) => [flag, template.prompts?.includes(field) ?? false])),
    };
  }

  private jobPath(job: Job): string {
    return `${this.v2}/${job.kind === 'job' ? 'jobs' : 'workflow_jobs'}/${job.id}/`;
  }

  private jobJson(job: Job): Record<string, unknown> {
    const { status, started, finished, now } = this.timeline(job);
    const path = this.jobPath(job);
    const org = this.organizationOf(job.template);
    const user = [...this.users.entries()].find(([, u]) => u.id === job.launchedBy);
    const launchedBy = { id: job.launchedBy, name: user?.[0] ?? 'token-user', type: 'user', url: `${this.v2}/users/${job.launchedBy}/` };
    const templateKey = job.kind === 'job' ? 'job_template' : 'workflow_job_template';
    const terminal = TERMINAL.has(status);
    return {
      id: job.id,
      type: job.kind,
      url: path,
      name: job.template.name,
      created: new Date(job.createdMs).toISOString(),
      launch_type: job.parent ? 'workflow' : 'manual',
      status,
      failed: status === 'failed' || status === 'error',
      started: this.iso(job.createdMs, started),
      finished: this.iso(job.createdMs, finished),
      elapsed: started === undefined ? 0 : Math.round(((finished ?? now) - started) * 1000) / 1000,
      job_explanation: status === 'canceled' || status === job.finalStatus ? (status === 'canceled' ? '' : job.explanation) : '',
      result_traceback: status === 'error' ? 'Traceback (most recent call last):\n  RuntimeError: receptor work unit failed' : '',
      event_processing_finished: terminal && this.visibleEvents(job).length === this.emittedEvents(job).length,
      [templateKey]: job.template.id,
      unified_job_template: job.template.id,
      organization: org.id,
      launched_by: launchedBy,
      extra_vars: JSON.stringify(job.extraVars),
      limit: job.fields.limit ?? '',
      job_tags: job.fields.job_tags ?? '',
      skip_tags: job.fields.skip_tags ?? '',
      scm_branch: job.fields.scm_branch ?? '',
      job_type: job.kind === 'job' ? (job.fields.job_type ?? 'run') : undefined,
      verbosity: job.kind === 'job' ? (job.fields.verbosity ?? 0) : undefined,
      inventory: job.fields.inventory ?? null,
      summary_fields: {
        [templateKey]: { id: job.template.id, name: job.template.name },
        unified_job_template: { id: job.template.id, name: job.template.name, unified_job_type: job.kind },
        organization: { id: org.id, name: org.name },
        created_by: { id: job.launchedBy, username: launchedBy.name },
      },
      related: {
        cancel: `${path}cancel/`,
        ...(job.kind === 'job'
          ? { stdout: `${path}stdout/`, job_events: `${path}job_events/`, job_host_summaries: `${path}job_host_summaries/` }
          : { workflow_nodes: `${path}workflow_nodes/` }),
      },
    };
  }

  /** A job event with the metadata AWX sends along (so byte counts are realistic), minus `res`. */
  private eventJson(job: Job, event: JobEvent, startLine: number): Record<string, unknown> {
    const lines = event.stdout ? event.stdout.split('\n').length : 0;
    const id = job.id * 1_000_000 + event.counter;
    const host = event.host ?? '';
    const hostId = job.hosts.indexOf(host) + 1;
    const created = this.iso(job.createdMs, job.runsAt + event.at);
    const uuid = `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
    const stats = event.stats && statsData(event.stats);
    return {
      id,
      type: 'job_event',
      url: `${this.v2}/job_events/${id}/`,
      related: { job: `${this.v2}/jobs/${job.id}/`, ...(hostId > 0 ? { host: `${this.v2}/hosts/${hostId}/` } : {}) },
      summary_fields: { ...(host ? { host: { name: host } } : {}), job: { id: job.id, name: job.template.name, status: this.status(job) } },
      created,
      modified: created,
      job: job.id,
      event: event.event,
      counter: event.counter,
      event_display: EVENT_DISPLAY[event.event],
      event_data: {
        playbook: 'deploy.yml',
        play: event.play,
        task: event.task,
        ...(host ? { host, remote_addr: host } : {}),
        ...stats,
        uuid,
      },
      event_level: EVENT_LEVEL[event.event] ?? 0,
      failed: event.failed,
      changed: event.changed,
      uuid,
      parent_uuid: uuid,
      host: hostId > 0 ? hostId : null,
      host_name: host,
      playbook: 'deploy.yml',
      play: event.play,
      task: event.task,
      role: '',
      stdout: event.stdout,
      start_line: startLine,
      end_line: startLine + lines,
      verbosity: 0,
    };
  }

  private stdoutText(job: Job): string {
    return this.visibleEvents(job)
      .filter((event) => event.stdout)
      .map((event) => `${event.stdout}\n`)
      .join('');
  }

  // ----- HTTP ---------------------------------------------------------------------------------

  /**
   * The user the request's credentials name, or undefined when anonymous. As in AWX (Django REST
   * framework authenticates before any permission check): wrong Basic credentials are a 401 on every
   * view, even those open to anyone; a token that is not known (revoked, expired, mistyped) leaves
   * the request anonymous (django-oauth-toolkit's OAuth2Authentication returns None for it).
   */
  private user(request: StandInRequest): number | undefined {
    const header = String(request.headers.authorization ?? '');
    const bearer = /^Bearer (.+)$/.exec(header);
    if (bearer && this.tokens.has(bearer[1] as string)) return 1;
    const basic = /^Basic (.+)$/.exec(header);
    if (!basic) return undefined;
    const [name, ...rest] = Buffer.from(basic[1] as string, 'base64')
      .toString('utf8')
      .split(':');
    const user = this.users.get(name ?? '');
    if (user && user.password === rest.join(':')) return user.id;
    throw unauthorized('Invalid username/password.');
  }

  /** The authenticated user's id; an anonymous request is refused as AWX refuses it (NotAuthenticated). */
  private authenticate(request: StandInRequest): number {
    const user = this.user(request);
    if (user === undefined) throw unauthorized('Authentication credentials were not provided.');
    return user;
  }

  /** A view open to anyone (AllowAny), where credentials that are given are still checked. */
  private open(body: unknown): Handler {
    return this.counted((request) => {
      this.user(request);
      return { status: 200, json: body };
    });
  }

  /** Adds an authenticated route under the API version root; every reply carries AWX's product headers. */
  private api(method: string, path: string, handler: (request: StandInRequest, user: number) => Reply | Promise<Reply>): void {
    this.route(
      method,
      `${this.v2}${path}`,
      this.counted((request) => handler(request, this.authenticate(request))),
    );
  }

  private counted(handler: Handler): Handler {
    return async (request) => {
      let reply: Reply;
      try {
        reply = await handler(request);
      } catch (error) {
        if (!(error instanceof ReplyError)) throw error;
        reply = error.reply;
      }
      const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
      this.bytesServed += Buffer.byteLength(body);
      return { ...reply, headers: { 'x-api-product-name': 'AWX', 'x-api-product-version': '24.6.1', ...reply.headers } };
    };
  }

  /**
   * The API roots clients discover the controller from, as each platform answers `GET /api/`:
   * - AWX and Automation Controller 2.4: the controller's own root (awx/api/views/root.py,
   *   ApiRootView: description, current_version, available_versions, oauth2, custom_logo,
   *   custom_login_info, login_redirect_override; AllowAny).
   * - An Automation Platform 2.5+ gateway: its own root, listing the services it fronts under `apis`
   *   (aap-gateway's ApiRootView: description 'AAP gateway REST API' and `apis`, gateway first, then the
   *   service routes by slug; a recorded reply lists controller, eda, galaxy and gateway), with the
   *   gateway's own current_version `/api/gateway/v1/` and available_versions (../shared/spec/actions.md,
   *   trigger-awx-job; ansible.platform's tests record the same pair). The controller's root is then
   *   `/api/controller/`, its version root `/api/controller/v2/` (Red Hat's "API changes for platform
   *   gateway" table), and the legacy `/api/v2/` is not served (ansible/awx#15611: awxkit and the
   *   awx.awx collection, which build `/api/v2/` paths, fail against a 2.5 gateway).
   * The version roots list their collections and need no credentials (ApiVersionRootView, AllowAny).
   */
  private addRoutes(gateway: boolean, services: readonly string[]): void {
    const controllerRoot = {
      description: 'AWX REST API',
      current_version: `${this.v2}/`,
      available_versions: { v2: `${this.v2}/` },
      oauth2: `${this.prefix}/o/`,
      custom_logo: '',
      custom_login_info: '',
      login_redirect_override: '',
    };
    const json = (body: unknown) => this.counted(() => ({ status: 200, json: body }));
    if (gateway) {
      const apis: Record<string, string> = { gateway: '/api/gateway/' };
      for (const service of [...services].sort()) apis[service] = `/api/${service}/`;
      this.route(
        'GET',
        '/api',
        json({
          description: 'AAP gateway REST API',
          current_version: '/api/gateway/v1/',
          available_versions: { v1: '/api/gateway/v1/' },
          apis,
        }),
      );
      this.route(
        'GET',
        '/api/gateway',
        json({ description: 'AAP gateway REST API', current_version: '/api/gateway/v1/', available_versions: { v1: '/api/gateway/v1/' } }),
      );
      this.route(
        'GET',
        '/api/gateway/v1',
        json(
          Object.fromEntries(
            ['ping', 'me', 'organizations', 'teams', 'users', 'tokens', 'services'].map((name) => [name, `/api/gateway/v1/${name}/`]),
          ),
        ),
      );
      if (services.includes('controller')) this.route('GET', this.prefix, this.open(controllerRoot));
    } else {
      this.route('GET', '/api', this.open(controllerRoot));
    }
    this.route(
      'GET',
      `${this.v2}/ping`,
      this.counted(() => ({ status: 200, json: { ha: false, version: '24.6.1', active_node: 'awx-1' } })),
    );
    this.route(
      'GET',
      this.v2,
      this.open(
        Object.fromEntries(
          ['ping', 'me', 'organizations', 'inventories', 'job_templates', 'workflow_job_templates', 'jobs', 'workflow_jobs', 'tokens'].map(
            (name) => [name, `${this.v2}/${name}/`],
          ),
        ),
      ),
    );
    this.api('GET', '/me', (_request, user) => {
      const name = [...this.users.entries()].find(([, u]) => u.id === user)?.[0] ?? 'token-user';
      return { status: 200, json: { count: 1, next: null, previous: null, results: [{ id: user, type: 'user', username: name }] } };
    });
    this.api('POST', '/tokens', (_request, user) => {
      const token = `awx-session-${this.nextId++}`;
      this.tokens.add(token);
      return { status: 201, json: { id: this.nextId++, token, user, scope: 'write' } };
    });
    this.api('DELETE', '/tokens/:id', () => ({ status: 204 }));

    this.api('GET', '/organizations', (request) => this.list(request, this.organizations, (org) => ({ ...org, type: 'organization' })));
    this.api('GET', '/inventories', (request) =>
      this.list(request, this.inventories, (inventory) => ({
        ...inventory,
        type: 'inventory',
        organization__name: this.organizations.find((org) => org.id === inventory.organization)?.name,
        summary_fields: { organization: this.organizations.find((org) => org.id === inventory.organization) },
      })),
    );

    for (const kind of ['job_template', 'workflow_job_template'] as const) {
      const base = `/${kind}s`;
      const templates = () => this.templates.filter((template) => template.kind === kind);
      this.api('GET', base, (request) =>
        this.list(request, templates(), (template) => ({
          ...this.templateJson(template),
          organization__name: template.organization,
        })),
      );
      this.api('GET', `${base}/:id`, (request) => ({ status: 200, json: this.templateJson(this.findTemplate(templates(), request)) }));
      this.api('GET', `${base}/:id/launch`, (request) => ({ status: 200, json: this.launchInfo(this.findTemplate(templates(), request)) }));
      this.api('POST', `${base}/:id/launch`, (request, user) => this.launch(this.findTemplate(templates(), request), request, user));
      this.api('GET', `${base}/:id/survey_spec`, (request) => {
        const template = this.findTemplate(templates(), request);
        return { status: 200, json: template.survey ? { name: '', description: '', spec: template.survey } : {} };
      });
      const jobsName = kind === 'job_template' ? 'jobs' : 'workflow_jobs';
      this.api('GET', `${base}/:id/${jobsName}`, (request) => {
        const template = this.findTemplate(templates(), request);
        return this.jobList(
          request,
          [...this.jobs.values()].filter((job) => job.template === template && !job.parent),
        );
      });
    }

    for (const kind of ['job', 'workflow_job'] as const) {
      const base = `/${kind}s`;
      const jobs = () => [...this.jobs.values()].filter((job) => job.kind === kind);
      this.api('GET', base, (request) => this.jobList(request, jobs()));
      this.api('GET', `${base}/:id`, (request) => ({ status: 200, json: this.jobJson(this.findJob(jobs(), request)) }));
      this.api('GET', `${base}/:id/cancel`, (request) => {
        const job = this.findJob(jobs(), request);
        return { status: 200, json: { can_cancel: !TERMINAL.has(this.status(job)) } };
      });
      this.api('POST', `${base}/:id/cancel`, (request) => {
        const job = this.findJob(jobs(), request);
        return this.cancel(job) ? { status: 202 } : { status: 405, json: { error: 'Method "POST" not allowed.' } };
      });
    }
    this.api('GET', '/jobs/:id/job_events', (request) => {
      const job = this.findJob([...this.jobs.values()], request);
      let line = 0;
      const events = this.visibleEvents(job).map((event) => {
        const json = this.eventJson(job, event, line);
        line = json.end_line as number;
        return json;
      });
      const reply = this.list(request, events, (event) => event);
      this.eventsServed += (reply.json as { results: unknown[] }).results.length;
      return reply;
    });
    this.api('GET', '/jobs/:id/stdout', (request) => this.stdout(this.findJob([...this.jobs.values()], request), request));
    // AWX writes the host summaries when it saves the playbook_on_stats event, from its counters.
    this.api('GET', '/jobs/:id/job_host_summaries', (request) => {
      const job = this.findJob([...this.jobs.values()], request);
      const stats = this.visibleEvents(job).find((event) => event.event === 'playbook_on_stats')?.stats ?? {};
      const summaries = Object.entries(stats).map(([host, counts]) => ({
        id: job.id * 100 + job.hosts.indexOf(host) + 1,
        type: 'job_host_summary',
        job: job.id,
        host_name: host,
        summary_fields: { host: { name: host } },
        ...counts,
        processed: 1,
        failed: counts.failures > 0 || counts.dark > 0,
      }));
      return this.list(request, summaries, (summary) => summary);
    });
    this.api('GET', '/workflow_jobs/:id/workflow_nodes', (request) => {
      const workflow = this.findJob(
        [...this.jobs.values()].filter((job) => job.kind === 'workflow_job'),
        request,
      );
      const names = workflow.template.nodes ?? [];
      const nodes = names.map((name, i) => {
        const node = workflow.nodeJobs?.[i];
        const started = node !== undefined && this.timeline(node).now >= node.runsAt - 0.2;
        const job = started ? this.jobJson(node) : undefined;
        return {
          id: workflow.id * 100 + i,
          type: 'workflow_job_node',
          workflow_job: workflow.id,
          job: job ? job.id : null,
          do_not_run: node === undefined,
          unified_job_template: this.templates.find((t) => t.name === name)?.id,
          summary_fields: {
            unified_job_template: { name },
            ...(job ? { job: { id: job.id, name, status: job.status, failed: job.failed, elapsed: job.elapsed, type: 'job' } } : {}),
          },
        };
      });
      return this.list(request, nodes, (node) => node);
    });
  }

  private findTemplate(templates: Template[], request: StandInRequest): Template {
    const template = templates.find((t) => String(t.id) === request.params.id);
    if (!template) throw new ReplyError({ status: 404, json: { detail: 'Not found.' } });
    return template;
  }

  private findJob(jobs: Job[], request: StandInRequest): Job {
    const job = jobs.find((j) => String(j.id) === request.params.id);
    if (!job) throw new ReplyError({ status: 404, json: { detail: 'Not found.' } });
    return job;
  }

  private jobList(request: StandInRequest, jobs: Job[]): Reply {
    return this.list(request, jobs, (job) => {
      const json = this.jobJson(job);
      return { ...json, created_by: job.launchedBy, _launched: json };
    });
  }

  /**
   * A paginated list with AWX's query filters: `field=value`, `field__gt/gte/lt/lte/icontains`,
   * `or__field=value` (any of them), `order_by`, `page_size` (at most 200) and `page`. An unknown
   * field is a 400, as AWX answers.
   */
  private list<T>(request: StandInRequest, items: T[], view: (item: T) => Record<string, unknown>): Reply {
    const rows = items.map(view);
    const plain: Array<[string, string]> = [];
    const anyOf: Array<[string, string]> = [];
    let orderBy = 'id';
    let pageSize = 25;
    let pageNumber = 1;
    for (const [key, value] of request.query) {
      if (key === 'order_by') orderBy = value;
      else if (key === 'page_size') pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(value) || 25));
      else if (key === 'page') pageNumber = Math.max(1, Number(value) || 1);
      else if (key.startsWith('or__')) anyOf.push([key.slice(4), value]);
      else plain.push([key, value]);
    }
    const known = new Set(rows.flatMap((row) => Object.keys(row)));
    const check =
      ([key, value]: [string, string]) =>
      (row: Record<string, unknown>) => {
        const [field, lookup = 'exact'] = key.split(/__(?=gt$|gte$|lt$|lte$|icontains$|iexact$|in$)/);
        if (rows.length > 0 && !known.has(field as string)) {
          throw new ReplyError({ status: 400, json: { detail: `${field} is not an allowed field name. Must be ascii encodable.` } });
        }
        return matches(row[field as string], lookup, value);
      };
    let filtered = rows.filter((row) => plain.every((condition) => check(condition)(row)));
    if (anyOf.length > 0) filtered = filtered.filter((row) => anyOf.some((condition) => check(condition)(row)));
    const descending = orderBy.startsWith('-');
    const field = orderBy.replace(/^-/, '');
    filtered.sort((a, b) => compare(a[field], b[field]) * (descending ? -1 : 1));
    const start = (pageNumber - 1) * pageSize;
    const results = filtered.slice(start, start + pageSize).map((row) => {
      const { _launched, ...rest } = row as Record<string, unknown> & { _launched?: Record<string, unknown> };
      return _launched ?? stripFilterKeys(rest);
    });
    const next = start + pageSize < filtered.length ? pageUrl(request, pageNumber + 1) : null;
    const previous = pageNumber > 1 ? pageUrl(request, pageNumber - 1) : null;
    return { status: 200, json: { count: filtered.length, next, previous, results } };
  }

  private launchInfo(template: Template): Record<string, unknown> {
    const json = this.templateJson(template);
    const needed = (template.survey ?? [])
      .filter((q) => q.required && (q.default === undefined || q.default === ''))
      .map((q) => q.variable);
    const flags = Object.fromEntries(Object.entries(json).filter(([key]) => /^ask_.*_on_launch$/.test(key)));
    const common = {
      can_start_without_user_input: needed.length === 0,
      survey_enabled: json.survey_enabled,
      variables_needed_to_start: needed,
      ...flags,
      defaults: { extra_vars: JSON.stringify(template.extraVars ?? {}), limit: '', job_tags: '', skip_tags: '', scm_branch: '' },
    };
    if (template.kind === 'job_template') {
      return {
        ...common,
        passwords_needed_to_start: [],
        credential_needed_to_start: false,
        inventory_needed_to_start: false,
        job_template_data: { name: template.name, id: template.id, description: '' },
      };
    }
    return {
      ...common,
      node_templates_missing: [],
      node_prompts_rejected: [],
      workflow_job_template_data: { name: template.name, id: template.id },
    };
  }

  /** A launch as AWX treats it: fields the template does not prompt for are ignored and reported. */
  private launch(template: Template, request: StandInRequest, user: number): Reply {
    const body = request.json<Record<string, unknown>>();
    const prompts = template.kind === 'job_template' ? JOB_PROMPTS : WORKFLOW_PROMPTS;
    const accepted: Record<string, unknown> = {};
    const ignored: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(body)) {
      if (field === 'extra_vars') continue;
      if (!(field in prompts)) continue; // not a launch field: the serializer drops it
      if (template.prompts?.includes(field)) accepted[field] = value;
      else ignored[field] = value;
    }
    const given = parseVars(body.extra_vars);
    const askVariables = template.prompts?.includes('variables') ?? false;
    const surveyVariables = new Set((template.survey ?? []).map((q) => q.variable));
    const acceptedVars: Record<string, unknown> = {};
    const ignoredVars: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(given)) {
      if (askVariables || surveyVariables.has(name)) acceptedVars[name] = value;
      else ignoredVars[name] = value;
    }
    if (Object.keys(ignoredVars).length > 0) ignored.extra_vars = ignoredVars;
    const missing = (template.survey ?? []).filter(
      (q) => q.required && acceptedVars[q.variable] === undefined && (q.default === undefined || q.default === ''),
    );
    if (missing.length > 0) {
      return { status: 400, json: { variables_needed_to_start: missing.map((q) => `'${q.variable}' value missing`) } };
    }
    const defaults = Object.fromEntries(
      (template.survey ?? []).filter((q) => q.default !== undefined && q.default !== '').map((q) => [q.variable, q.default]),
    );
    const job = this.createJob(template, { ...defaults, ...acceptedVars }, accepted, user);
    const json = this.jobJson(job);
    return {
      status: 201,
      json: { [job.kind === 'job' ? 'job' : 'workflow_job']: job.id, ignored_fields: ignored, ...json },
    };
  }

  private stdout(job: Job, request: StandInRequest): Reply {
    const format = request.query.get('format') ?? 'api';
    const text = this.stdoutText(job);
    const size = Buffer.byteLength(text);
    if (format.endsWith('_download')) {
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text };
    }
    const content =
      size > STDOUT_MAX_BYTES_DISPLAY
        ? `Standard Output too large to display (${size} bytes), only download supported for sizes over ${STDOUT_MAX_BYTES_DISPLAY} bytes.`
        : text;
    if (format === 'json' || format === 'api') {
      return {
        status: 200,
        json: { range: { start: 0, end: content.split('\n').length, absolute_end: text.split('\n').length }, content },
      };
    }
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: content };
  }
}

/**
 * A 401 as AWX words it: Django REST framework's detail, to which AWX's APIView.finalize_response
 * adds where to log in (awx/api/generics.py).
 */
function unauthorized(detail: string): ReplyError {
  return new ReplyError({ status: 401, json: { detail: `${detail} To establish a login session, visit /api/login/.` } });
}

/** The stats event's data: each counter as host → count, which AWX reads into the host summaries. */
function statsData(stats: Record<string, HostStats>): Record<string, Record<string, number>> {
  const hosts = Object.entries(stats);
  const counter = (name: keyof HostStats) => Object.fromEntries(hosts.map(([host, counts]) => [host, counts[name]]));
  return {
    ok: counter('ok'),
    changed: counter('changed'),
    failures: counter('failures'),
    dark: counter('dark'),
    skipped: counter('skipped'),
    rescued: counter('rescued'),
    ignored: counter('ignored'),
    processed: Object.fromEntries(hosts.map(([host]) => [host, 1])),
  };
}

function parseVars(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // fall through to the error
    }
  }
  throw new ReplyError({ status: 400, json: { extra_vars: ['Cannot parse as JSON (error: Expecting value) or YAML.'] } });
}

/** A field's value as a filter compares it: strings as they are, numbers and booleans as JSON writes them. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function matches(actual: unknown, lookup: string, expected: string): boolean {
  if (actual === undefined || actual === null) return false;
  switch (lookup) {
    case 'gt':
      return compare(actual, coerce(actual, expected)) > 0;
    case 'gte':
      return compare(actual, coerce(actual, expected)) >= 0;
    case 'lt':
      return compare(actual, coerce(actual, expected)) < 0;
    case 'lte':
      return compare(actual, coerce(actual, expected)) <= 0;
    case 'icontains':
      return text(actual).toLowerCase().includes(expected.toLowerCase());
    case 'iexact':
      return text(actual).toLowerCase() === expected.toLowerCase();
    case 'in':
      return expected.split(',').includes(text(actual));
    default:
      return text(actual) === expected;
  }
}

/** Dates compare as instants (AWX accepts any ISO 8601 form), numbers as numbers. */
function coerce(actual: unknown, expected: string): unknown {
  if (typeof actual === 'number') return Number(expected);
  if (typeof actual === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(actual)) return new Date(expected).toISOString();
  return expected;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return text(a ?? '').localeCompare(text(b ?? ''));
}

function stripFilterKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([key]) => !key.includes('__')));
}

function pageUrl(request: StandInRequest, pageNumber: number): string {
  const query = new URLSearchParams(request.query);
  query.set('page', String(pageNumber));
  return `${request.path.replace(/\/?$/, '/')}?${query.toString()}`;
}
