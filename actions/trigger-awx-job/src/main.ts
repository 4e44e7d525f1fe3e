// trigger-awx-job: launch an AWX / Automation Controller job or workflow template by name or id,
// refuse launch fields AWX would silently drop, follow the job with its output streamed, and fail
// the step unless the job succeeds.
import { ConfigurationError, TimeoutError, maskSecret, runAction, type StepContext } from '@conveyor/core';
import { connect } from './api';
import { awaitEnd, cancelJob, follow } from './follow';
import { getInputs } from './inputs';
import { launch, preflight, type Job } from './launch';
import { describeFields, ignoredFromReply, jobLabel, launchBody } from './prompts';
import { conclude, explainRejectedCredentials, writeSummary, type Report } from './report';
import { OutputTail } from './tail';
import { findInventory, findTemplate } from './templates';

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

export const run = () => runAction({ main });
