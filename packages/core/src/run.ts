/**
 * The action wrapper: every action's entry calls `runAction`. It hands the step a logger, the
 * cancellation signal and a summary, turns any error into one clear failure line, writes the summary
 * whatever happened, and exits promptly instead of waiting on idle sockets or timers.
 */
import * as core from '@actions/core';
import { cancelOnSignals, createCancellation, type Cancellation } from './cancel';
import { CancelledError, ConfigurationError, errorMessage } from './errors';
import { actionsLogger, type Logger } from './log';
import { SummaryBuilder } from './summary';

export interface StepContext {
  logger: Logger;
  /** Aborted when the runner cancels the job. */
  signal: AbortSignal;
  cancellation: Cancellation;
  summary: SummaryBuilder;
  setOutput(name: string, value: string | number | boolean): void;
}

export type Step = (context: StepContext) => Promise<void>;

export interface ActionSteps {
  main: Step;
  /** Runs in the runner's post phase (declared as `post:` in action.yml). */
  post?: Step;
}

export interface RunOptions {
  logger?: Logger;
  /** Exit the process when done (default true; tests of the wrapper pass false). */
  exit?: boolean;
}

const POST_STATE = 'isPost';

/** Runs the main step, or the post step when the runner re-invokes the bundle for `post:`. */
export async function runAction(steps: ActionSteps, options: RunOptions = {}): Promise<void> {
  const logger = options.logger ?? actionsLogger;
  const cancellation = createCancellation(logger);
  const isPost = steps.post !== undefined && core.getState(POST_STATE) === 'true';
  if (steps.post && !isPost) core.saveState(POST_STATE, 'true');
  const step = isPost && steps.post ? steps.post : steps.main;
  const summary = new SummaryBuilder();
  const exit = options.exit ?? true;

  const removeSignalHandlers = cancelOnSignals(cancellation, () => {
    // The step normally ends by itself once the signal aborts; this only bounds a stuck one.
    if (exit) setTimeout(() => process.exit(1), 3000).unref();
  });
  try {
    await step({
      logger,
      signal: cancellation.signal,
      cancellation,
      summary,
      setOutput: (name, value) => core.setOutput(name, value),
    });
  } catch (error) {
    reportFailure(error, cancellation.signal.aborted, logger);
  } finally {
    if (cancellation.signal.aborted) await cancellation.cancel('job cancelled');
    removeSignalHandlers();
    await summary.write().catch((error: unknown) => logger.warning(`Could not write the job summary: ${errorMessage(error)}`));
  }
  if (exit) process.exit();
}

function reportFailure(error: unknown, cancelled: boolean, logger: Logger): void {
  if (cancelled || error instanceof CancelledError) {
    core.setFailed(`Cancelled: ${errorMessage(error)}`);
    return;
  }
  if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) logger.debug(error.stack);
  core.setFailed(errorMessage(error));
}
