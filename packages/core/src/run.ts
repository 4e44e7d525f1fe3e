/**
 * The action wrapper: every action's entry calls `runAction`. It hands the step a logger, the
 * cancellation signal and a summary, turns any error into one clear failure line, writes the summary
 * whatever happened, and exits promptly instead of waiting on idle sockets or timers.
 */
import { cancelOnSignals, createCancellation, type Cancellation } from './cancel';
import { CancelledError, ConfigurationError, errorMessage } from './errors';
import { actionsLogger, type Logger } from './log';
import { SummaryBuilder } from './summary';
import * as runner from './workflow-commands';

/** What an action's work is given: the logger, the job's cancel signal and its cleanup registry. */
export interface RunContext {
  logger: Logger;
  /** Aborted when the runner cancels the job. */
  signal: AbortSignal;
  cancellation: Cancellation;
}

export interface StepContext extends RunContext {
  summary: SummaryBuilder;
  setOutput: (name: string, value: string | number | boolean) => void;
}

export type Step = (context: StepContext) => Promise<void>;

/** An output value; undefined (not known, e.g. after a failure) is set as ''. */
export type OutputValue = string | number | boolean | undefined;

/**
 * The shape of every action. `getInputs` reads and validates every input (masking secrets) before
 * anything else happens; `run` does the work, filling in the result record as it goes; `outputs` and
 * `writeSummary` render that record, on success and on failure alike. `Output` is the union of the
 * output names, so an output left out is a type error.
 */
export interface ActionDefinition<Inputs, Result, Output extends string> {
  getInputs(logger: Logger): Inputs;
  /** The result record before any work: what the outputs and summary show if `run` fails at once. */
  newResult(inputs: Inputs): Result;
  /** Wiring only: build the clients from the inputs and call the domain code with them. */
  run(inputs: Inputs, result: Result, context: RunContext): Promise<void>;
  outputs(result: Result, inputs: Inputs): Record<Output, OutputValue>;
  /** `failure` is the step's failure line when it failed. */
  writeSummary(summary: SummaryBuilder, result: Result, inputs: Inputs, failure?: string): void;
  /** The runner's post phase (declared as `post:` in action.yml). */
  post?: (context: RunContext) => Promise<void>;
}

/** An action's entry point, carrying its definition (the contract test reads its inputs and outputs). */
export type ActionEntry<Inputs, Result, Output extends string> = ((options?: RunOptions) => Promise<void>) & {
  definition: ActionDefinition<Inputs, Result, Output>;
};

/** Turns an action's definition into its entry point: `export const run = defineAction({ … })`. */
export function defineAction<Inputs, Result, Output extends string>(
  action: ActionDefinition<Inputs, Result, Output>,
): ActionEntry<Inputs, Result, Output> {
  const main: Step = async ({ summary, setOutput, ...context }) => {
    const inputs = action.getInputs(context.logger);
    const result = action.newResult(inputs);
    let failure: string | undefined;
    try {
      await action.run(inputs, result, context);
    } catch (error) {
      failure = errorMessage(error);
      throw error;
    } finally {
      for (const [name, value] of Object.entries<OutputValue>(action.outputs(result, inputs))) setOutput(name, value ?? '');
      action.writeSummary(summary, result, inputs, failure);
    }
  };
  const entry = (options?: RunOptions) => runAction({ main, post: action.post }, options);
  return Object.assign(entry, { definition: action });
}

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
  const isPost = steps.post !== undefined && runner.getState(POST_STATE) === 'true';
  if (steps.post && !isPost) runner.saveState(POST_STATE, 'true');
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
      setOutput: (name, value) => runner.setOutput(name, value),
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
    runner.setFailed(`Cancelled: ${errorMessage(error)}`);
    return;
  }
  if (!(error instanceof ConfigurationError) && error instanceof Error && error.stack) logger.debug(error.stack);
  runner.setFailed(errorMessage(error));
}
