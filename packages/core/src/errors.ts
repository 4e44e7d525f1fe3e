/**
 * Errors. A ConfigurationError is the user's to fix (a bad input, a missing permission, a name that
 * matches nothing): it is reported as one line without a stack. Anything else is unexpected.
 */

/** A problem the workflow author can fix; its message is shown as it is, on one line. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Raised when an overall deadline (`timeout` input) is reached. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Raised when the runner cancels the job (SIGINT/SIGTERM) while we were waiting or working. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'The operation was cancelled') {
    super(message);
  }
}

/** The message of any thrown value, folded onto one line. */
export function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** An error that names the input, the problem and the fix: `Input 'x': <problem>. <fix>` */
export function inputError(name: string, problem: string, fix?: string): ConfigurationError {
  return new ConfigurationError(`Input '${name}': ${problem}${fix ? `. ${fix}` : ''}`);
}
