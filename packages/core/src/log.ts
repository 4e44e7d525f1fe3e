/**
 * Logger: what domain code writes to. The action's entry wires it to the runner's log; tests pass a
 * recording one. Remote text (job output, API messages) goes through `untrusted` so that it can
 * never be read by the runner as a workflow command.
 */
import * as runner from './workflow-commands';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Runs `fn` inside a collapsible group. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Prints text received from a remote system, with workflow commands neutralised. */
  untrusted(text: string): void;
}

/** Breaks `::command` sequences at the start of any line so the runner prints them literally. */
export function neutraliseCommands(text: string): string {
  return text.replace(/^(\s*)::/gm, '$1:\u200b:');
}

/** The logger that writes to the GitHub runner's log. */
export const actionsLogger: Logger = {
  debug: (message) => runner.debug(message),
  info: (message) => runner.info(message),
  warning: (message) => runner.warning(message),
  error: (message) => runner.error(message),
  group: (name, fn) => runner.group(name, fn),
  untrusted: (text) => process.stdout.write(`${neutraliseCommands(text)}\n`),
};
