/**
 * Logger: what domain code writes to. The action's entry wires it to the runner's log; tests pass a
 * recording one. Remote text (job output, API messages) goes through `untrusted` so that it can
 * never be read by the runner as a workflow command.
 */
import * as core from '@actions/core';

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
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (name, fn) => core.group(name, fn),
  untrusted: (text) => process.stdout.write(`${neutraliseCommands(text)}\n`),
};
