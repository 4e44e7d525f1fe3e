// trigger-awx-job: launch an AWX / Automation Controller job or workflow template by name or id,
// refuse launch fields AWX would silently drop, follow the job with its output streamed, and fail
// the step unless the job succeeds.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  ConfigurationError,
  HttpError,
  TimeoutError,
  errorMessage,
  escapeCell,
  getBoolean,
  getDuration,
  getEnum,
  getList,
  getMap,
  getString,
  inputError,
  link,
  maskSecret,
  parseInteger,
  runAction,
  type HttpClient,
  type Logger,
  type StepContext,
} from '@conveyor/core';
import { connect, type Auth, type Tls } from './api';
import { awaitEnd, cancelJob, fetchTail, follow, formatDuration, type WorkflowNode } from './follow';
import { launch, preflight, type Job } from './launch';
import { JOB_ONLY_INPUTS, describeFields, ignoredFromReply, jobLabel, launchBody, type LaunchRequest, type TemplateKind } from './prompts';
import { OutputTail } from './tail';
import { findInventory, findTemplate, type Template, type TemplateRef } from './templates';

interface Inputs {
  controllerUrl: URL;
  auth: Auth;
  tls: Tls;
  template: TemplateRef;
  /** Inventory name or id, resolved to an id before launching. */
  inventory?: string;
  launch: Omit<LaunchRequest, 'inventory'>;
  onIgnoredFields: 'fail' | 'warn';
  wait: boolean;
  timeoutMs: number;
  streamOutput: boolean;
  cancelOnTimeout: boolean;
}

function optional(name: string): string | undefined {
  return getString(name) || undefined;
}

function getControllerUrl(): URL {
  const raw = getString('controller-url');
  const fix = 'Give the base URL of AWX or the Automation Platform, e.g. https://awx.example.com';
  if (!raw) throw inputError('controller-url', 'is required', fix);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw inputError('controller-url', 'is not a URL', fix);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw inputError('controller-url', `'${url.protocol}' is not http(s)`, fix);
  if (url.username || url.password)
    throw inputError('controller-url', 'must not contain credentials', "Use 'token' (or 'username' and 'password')");
  if (url.search || url.hash) throw inputError('controller-url', 'must not have a query or fragment', fix);
  return url;
}

function getAuth(): Auth {
  const token = getString('token');
  const username = getString('username');
  const password = getString('password');
  if (token) return { kind: 'token', token };
  if (username && password) return { kind: 'basic', username, password };
  if (username || password) {
    throw inputError(
      username ? 'password' : 'username',
      'is required with basic auth',
      "Set both 'username' and 'password', or use 'token'",
    );
  }
  throw inputError('token', 'is required (or username and password)', 'Create an OAuth2 token for the AWX user and pass it from a secret');
}

function getCaCert(): string | undefined {
  const raw = getString('ca-cert');
  if (!raw) return undefined;
  const pem = raw.includes('-----BEGIN') ? raw : existsSync(raw) ? readFileSync(raw, 'utf8') : undefined;
  const fix = 'Give the PEM text of the CA certificate (-----BEGIN CERTIFICATE-----…), or the path of a PEM file';
  if (!pem) throw inputError('ca-cert', 'is neither PEM text nor a readable file', fix);
  try {
    new X509Certificate(pem);
  } catch {
    throw inputError('ca-cert', 'does not hold a valid PEM certificate', fix);
  }
  return pem;
}

function getTemplate(): TemplateRef {
  const job = getString('job-template');
  const workflow = getString('workflow-template');
  if (job && workflow) throw inputError('workflow-template', "cannot be set together with 'job-template'", 'Set exactly one of them');
  if (!job && !workflow) throw inputError('job-template', "is required (or 'workflow-template')", 'Give the template name or numeric id');
  return { kind: job ? 'job' : 'workflow', nameOrId: job || workflow, organization: optional('organization') };
}

function getInputs(): Inputs {
  const controllerUrl = getControllerUrl();
  const auth = getAuth();
  const template = getTemplate();
  if (template.kind === 'workflow') {
    const given = JOB_ONLY_INPUTS.filter((name) => getString(name));
    if (given[0]) throw inputError(given[0], 'applies to job templates only', 'Remove it, or launch a job template');
  }
  const verbosity = optional('verbosity');
  const jobTags = getList('job-tags');
  const skipTags = getList('skip-tags');
  const wait = getBoolean('wait', true);
  const timeoutMs = getDuration('timeout', 30 * 60_000);
  if (wait && timeoutMs <= 0) throw inputError('timeout', 'must be more than 0', "Give a duration such as '30m'");
  return {
    controllerUrl,
    auth,
    tls: { caCert: getCaCert(), insecureSkipVerify: getBoolean('insecure-skip-tls-verify', false) },
    template,
    inventory: optional('inventory'),
    launch: {
      extraVars: getMap('extra-vars'),
      limit: optional('limit'),
      jobTags: jobTags.length > 0 ? jobTags.join(',') : undefined,
      skipTags: skipTags.length > 0 ? skipTags.join(',') : undefined,
      scmBranch: optional('scm-branch'),
      jobType: getString('job-type') ? getEnum('job-type', ['run', 'check'] as const) : undefined,
      verbosity: verbosity === undefined ? undefined : parseInteger('verbosity', verbosity, { min: 0, max: 5 }),
    },
    onIgnoredFields: getEnum('on-ignored-fields', ['fail', 'warn'] as const, 'fail'),
    wait,
    timeoutMs,
    streamOutput: getBoolean('stream-output', true),
    cancelOnTimeout: getBoolean('cancel-on-timeout', true),
  };
}

/** What the summary reports; filled in as the step goes. */
interface Report {
  inputs: Inputs;
  template?: Template;
  job?: Job;
  jobUrl?: string;
  hosts?: HostSummary[];
  nodes?: WorkflowNode[];
  tail: OutputTail;
}

interface HostSummary {
  host_name: string;
  ok: number;
  changed: number;
  dark: number;
  failures: number;
  skipped: number;
}

async function main({ logger, signal, cancellation, summary, setOutput }: StepContext): Promise<void> {
  const inputs = getInputs();
  if (inputs.auth.kind === 'token') maskSecret(inputs.auth.token);
  else maskSecret(inputs.auth.password, inputs.auth.username);
  if (inputs.tls.insecureSkipVerify) {
    logger.warning(
      "TLS certificate verification is off ('insecure-skip-tls-verify'): anyone on the path can read the credentials. Prefer 'ca-cert'",
    );
  }
  if (inputs.controllerUrl.protocol === 'http:')
    logger.warning('The controller URL is plain http: the credentials cross the network unencrypted');

  const { kind } = inputs.template;
  const label = jobLabel(kind);
  const report: Report = { inputs, tail: new OutputTail() };
  const setStatus = (job: Job) => {
    report.job = job;
    setOutput('status', job.status);
    setOutput('elapsed', String(job.elapsed ?? 0));
  };
  try {
    const api = await connect({ controllerUrl: inputs.controllerUrl, auth: inputs.auth, tls: inputs.tls, logger, signal });
    const template = await findTemplate(api.http, inputs.template);
    report.template = template;
    logger.info(`Template: '${template.name}' (id ${template.id}, organization '${template.summary_fields?.organization?.name ?? '-'}')`);
    const inventory = inputs.inventory ? await findInventory(api.http, inputs.inventory, inputs.template.organization) : undefined;
    const body = launchBody({ ...inputs.launch, inventory });
    const { unprompted, serverTime } = await preflight(api.http, template, body);
    if (unprompted.length > 0) {
      const message = `Template '${template.name}' does not prompt on launch for ${describeFields(unprompted)}, so AWX would ignore it. In AWX, tick "Prompt on launch" for these fields on the template (for extra-vars: Variables, or add the variables to its survey)`;
      if (inputs.onIgnoredFields === 'fail') throw new ConfigurationError(`${message}, or set 'on-ignored-fields: warn'`);
      logger.warning(message);
    }

    // A cancel during the launch request must not leave a job we know nothing about: let it finish.
    const launched = await launch({ http: api.unabortable, template, kind, body, unprompted, serverTime, logger });
    let job = launched.job;
    report.jobUrl = api.jobPageUrl(kind, job.id);
    setOutput('job-id', job.id);
    setOutput('job-url', report.jobUrl);
    setStatus(job);
    logger.info(`Launched ${label} ${job.id}: ${report.jobUrl}`);

    // Fields the preflight already warned about are not reported twice.
    const ignored = ignoredFromReply(launched.ignored).filter((entry) => !unprompted.some((known) => known.field === entry.field));
    if (ignored.length > 0) {
      const message = `AWX ignored ${describeFields(ignored)} of this launch (the template does not prompt for them)`;
      if (inputs.onIgnoredFields === 'fail') {
        await cancelJob(api.http, kind, job, logger);
        throw new ConfigurationError(
          `${message}; the ${label} was cancelled. Tick "Prompt on launch" for them, or set 'on-ignored-fields: warn'`,
        );
      }
      logger.warning(message);
    }
    if (signal.aborted && inputs.cancelOnTimeout) await cancelJob(api.cleanupClient(), kind, job, logger);
    signal.throwIfAborted();
    if (!inputs.wait) return;

    const removeCancel = inputs.cancelOnTimeout
      ? cancellation.onCancel(() => cancelJob(api.cleanupClient(), kind, job, logger))
      : () => undefined;
    try {
      const result = await follow({
        http: api.http,
        kind,
        job,
        streamOutput: inputs.streamOutput,
        timeoutMs: inputs.timeoutMs,
        signal,
        logger,
        tail: report.tail,
        onUpdate: setStatus,
      });
      job = result.job;
      report.nodes = result.nodes;
    } catch (error) {
      if (!(error instanceof TimeoutError) || !report.job) throw error;
      if (!inputs.cancelOnTimeout) throw new TimeoutError(`${error.message}; it is still running: ${report.jobUrl}`);
      await cancelJob(api.http, kind, report.job, logger);
      setStatus(await awaitEnd(api.http, kind, report.job, 15_000));
      throw new TimeoutError(`${error.message}; it was cancelled (status ${report.job.status})`);
    } finally {
      removeCancel();
    }
    setStatus(job);
    await conclude(api.http, kind, job, report, logger);
  } catch (error) {
    throw explainRejectedCredentials(error, inputs.auth);
  } finally {
    writeSummary(summary, report);
  }
}

/** Reads the host recap; on failure shows the last lines of the output and throws with the reason. */
async function conclude(http: HttpClient, kind: TemplateKind, job: Job, report: Report, logger: Logger): Promise<void> {
  const label = jobLabel(kind);
  if (kind === 'job') {
    const path = job.related?.job_host_summaries ?? `jobs/${job.id}/job_host_summaries/`;
    report.hosts = (await http.get<{ results: HostSummary[] }>(path, { query: { page_size: 200 } })).data.results;
  }
  if (job.status === 'successful') {
    logger.info(`AWX ${label} ${job.id} succeeded in ${formatDuration((job.elapsed ?? 0) * 1000)}`);
    return;
  }
  const failedNode = report.nodes?.find((node) => node.summary_fields?.job?.status && node.summary_fields.job.status !== 'successful');
  const streamed = report.inputs.streamOutput;
  // The summary shows the tail of the failed job: a workflow's is the failed node's job.
  const failedNodeJob = failedNode?.summary_fields?.job?.id;
  if (kind === 'workflow' && failedNodeJob !== undefined) {
    report.tail = new OutputTail();
    await fetchTail(http, failedNodeJob, report.tail);
  } else if (kind === 'job' && !streamed) {
    await fetchTail(http, job.id, report.tail);
  }
  if (!streamed && !report.tail.isEmpty) {
    await logger.group('The last lines of the job output', async () => logger.untrusted(report.tail.text()));
  }
  throw new Error(failureMessage(label, job, failedNode));
}

/** A 401 is the credentials' fault: say which input to fix. */
function explainRejectedCredentials(error: unknown, auth: Auth): unknown {
  if (!(error instanceof HttpError) || error.status !== 401) return error;
  const detail = errorMessage(error).replace(/^.*failed: /, '');
  return auth.kind === 'token'
    ? inputError(
        'token',
        `AWX did not accept it (${detail})`,
        'Check the secret; on Automation Platform 2.5+ create the token on the platform gateway',
      )
    : inputError(
        'password',
        `AWX did not accept 'username' and 'password' (${detail})`,
        'Check them, or use a token (Automation Platform 2.7 removes basic auth)',
      );
}

function failureMessage(label: string, job: Job, failedNode: WorkflowNode | undefined): string {
  const reasons = [job.job_explanation, job.result_traceback?.trim().split('\n').pop()?.trim()].filter((text) => text);
  const node = failedNode ? ` at node '${failedNode.summary_fields?.unified_job_template?.name ?? failedNode.id}'` : '';
  return `AWX ${label} ${job.id} ended with status '${job.status}'${node}${reasons.length > 0 ? `: ${reasons.join(' | ')}` : ''}`;
}

function writeSummary(summary: StepContext['summary'], report: Report): void {
  const { template, job } = report;
  summary.heading(`AWX ${jobLabel(report.inputs.template.kind)}`);
  const templateText = template
    ? `${template.name} (id ${template.id}, ${template.summary_fields?.organization?.name ?? 'no organization'})`
    : report.inputs.template.nameOrId;
  summary.keyValues([
    ['Template', escapeCell(templateText)],
    ['Job', job ? link(`#${job.id}`, report.jobUrl) : 'not launched'],
    ['Status', job ? escapeCell(job.status) : '-'],
    ['Duration', job?.elapsed !== undefined ? formatDuration(job.elapsed * 1000) : '-'],
  ]);
  if (report.hosts && report.hosts.length > 0) {
    summary.table(
      ['Host', 'ok', 'changed', 'unreachable', 'failed', 'skipped'],
      report.hosts.map((host) => [
        escapeCell(host.host_name),
        ...[host.ok, host.changed, host.dark, host.failures, host.skipped].map(String),
      ]),
    );
  }
  if (report.nodes && report.nodes.length > 0) {
    summary.table(
      ['Node', 'Job', 'Status'],
      report.nodes.map((node) => [
        escapeCell(node.summary_fields?.unified_job_template?.name ?? String(node.id)),
        node.job === null ? '-' : String(node.job),
        node.do_not_run ? 'not run' : escapeCell(node.summary_fields?.job?.status ?? 'pending'),
      ]),
    );
  }
  if (job && job.status !== 'successful' && !report.tail.isEmpty) summary.details('Last lines of the output', report.tail.text());
}

export const run = () => runAction({ main });
