/**
 * Launching a template and following its job: find the template, refuse (or warn about) launch
 * fields AWX would drop, launch once, follow the job to its end (cancelling it at the timeout or
 * when this workflow job is cancelled), and conclude. The result record is filled in as it goes, so
 * the outputs and summary show what is known even after a failure.
 */
import { ConfigurationError, HttpError, TimeoutError, errorMessage, inputError, type RunContext } from '@conveyor/core';
import type { AwxApi, AwxClient } from './api';
import { conclude, type HostSummary } from './conclude';
import { awaitEnd, cancelJob, follow, type WorkflowNode } from './follow';
import type { Inputs } from './inputs';
import { launch, preflight, type Job } from './launch';
import { describeFields, ignoredFromReply, jobLabel, launchBody, type Unprompted } from './prompts';
import { OutputTail } from './tail';
import { findInventory, findTemplate, type Template } from './templates';

/** What the step found out; the outputs and the summary are rendered from it. */
export interface JobRun {
  template?: Template;
  job?: Job;
  jobUrl?: string;
  hosts?: HostSummary[];
  nodes?: WorkflowNode[];
  /** The last lines of the output, shown when the job fails. */
  tail: OutputTail;
}

export function newJobRun(): JobRun {
  return { tail: new OutputTail() };
}

/** How long a job cancelled at the timeout is given to reach its final status. */
const CANCEL_WAIT_MS = 15_000;

/** Launches the template `inputs` names and, unless `wait` is off, follows the job to its end. */
export async function triggerJob(awx: AwxClient, inputs: Inputs, run: JobRun, context: RunContext): Promise<void> {
  try {
    await launchAndFollow(await awx.connect(), inputs, run, context);
  } catch (error) {
    throw explainRejectedCredentials(error, inputs, run);
  }
}

async function launchAndFollow(api: AwxApi, inputs: Inputs, run: JobRun, context: RunContext): Promise<void> {
  const { logger, signal } = context;
  const { kind } = inputs.template;
  const template = await findTemplate(api.http, inputs.template);
  run.template = template;
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
  const job = launched.job;
  run.job = job;
  run.jobUrl = api.jobPageUrl(kind, job.id);
  logger.info(`Launched ${jobLabel(kind)} ${job.id}: ${run.jobUrl}`);
  await refuseIgnoredFields(api, inputs, job, ignoredFromReply(launched.ignored), unprompted, context);
  if (signal.aborted && inputs.cancelOnTimeout) await cancelJob(api.cleanupClient(), kind, job, logger);
  signal.throwIfAborted();
  if (!inputs.wait) return;

  const ended = await waitForEnd(api, inputs, run, job, context);
  await conclude(api.http, kind, ended, run, inputs.streamOutput, logger);
}

/**
 * Fields AWX ignored at launch although the preflight let them through (the template changed in
 * between): under `on-ignored-fields: fail` the job is cancelled and the step fails. Fields the
 * preflight already warned about are not reported twice.
 */
async function refuseIgnoredFields(
  api: AwxApi,
  inputs: Inputs,
  job: Job,
  ignoredAtLaunch: Unprompted[],
  unprompted: Unprompted[],
  { logger }: RunContext,
): Promise<void> {
  const ignored = ignoredAtLaunch.filter((entry) => !unprompted.some((known) => known.field === entry.field));
  if (ignored.length === 0) return;
  const message = `AWX ignored ${describeFields(ignored)} of this launch (the template does not prompt for them)`;
  if (inputs.onIgnoredFields === 'warn') {
    logger.warning(message);
    return;
  }
  await cancelJob(api.http, inputs.template.kind, job, logger);
  throw new ConfigurationError(
    `${message}; the ${jobLabel(inputs.template.kind)} was cancelled. Tick "Prompt on launch" for them, or set 'on-ignored-fields: warn'`,
  );
}

/**
 * Follows the job to its end, streaming its output. At the timeout the job is cancelled (unless
 * `cancel-on-timeout` is off) and given a moment to stop; a cancelled workflow job cancels it too.
 */
async function waitForEnd(api: AwxApi, inputs: Inputs, run: JobRun, launched: Job, context: RunContext): Promise<Job> {
  const { logger, signal, cancellation } = context;
  const { kind } = inputs.template;
  const removeCancel = inputs.cancelOnTimeout
    ? cancellation.onCancel(() => cancelJob(api.cleanupClient(), kind, launched, logger))
    : () => undefined;
  try {
    const result = await follow({
      http: api.http,
      kind,
      job: launched,
      streamOutput: inputs.streamOutput,
      timeoutMs: inputs.timeoutMs,
      signal,
      logger,
      tail: run.tail,
      onUpdate: (job) => (run.job = job),
    });
    run.job = result.job;
    run.nodes = result.nodes;
    return result.job;
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    if (!inputs.cancelOnTimeout) throw new TimeoutError(`${error.message}; it is still running: ${run.jobUrl}`);
    await cancelJob(api.http, kind, launched, logger);
    // If it does not stop in time, its last status seen is what the outputs show.
    const ended = await awaitEnd(api.http, kind, run.job ?? launched, CANCEL_WAIT_MS);
    run.job = ended;
    throw new TimeoutError(`${error.message}; it was cancelled (status ${ended.status})`);
  } finally {
    removeCancel();
  }
}

/**
 * A 401 is the credentials' fault: say which input to fix. Refused while following (the token
 * revoked or expired, the password changed), say too that the job goes on without this step, and
 * where to watch it: the credentials will not come back, so the step ends at once, without retrying.
 */
function explainRejectedCredentials(error: unknown, { auth, template }: Inputs, run: JobRun): unknown {
  if (!(error instanceof HttpError) || error.status !== 401) return error;
  const input = auth.kind === 'token' ? 'token' : 'password';
  if (run.job && run.jobUrl) {
    return inputError(
      input,
      `AWX refused it (${refusal(error)}) while following ${jobLabel(template.kind)} ${run.job.id}, which goes on without this step: ${run.jobUrl}`,
    );
  }
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

/** `HTTP 401 <AWX's detail>`: the reply's `detail`, or its text. */
function refusal(error: HttpError): string {
  let detail = error.body.trim();
  try {
    const parsed: unknown = JSON.parse(detail);
    if (parsed && typeof parsed === 'object' && 'detail' in parsed && typeof parsed.detail === 'string') detail = parsed.detail;
  } catch {
    // Not JSON: the text as it came.
  }
  detail = detail.replace(/\s+/g, ' ').slice(0, 300);
  return `HTTP ${error.status}${detail ? ` ${detail}` : ''}`;
}
