/**
 * The runner's side of a step, written byte for byte as @actions/core writes it: inputs from
 * `INPUT_*`, workflow commands on stdout (`::error::…`, `::add-mask::…`), and the environment files
 * (`GITHUB_OUTPUT`, `GITHUB_STATE`, `GITHUB_STEP_SUMMARY`). Core does this itself because importing
 * @actions/core also loads its HTTP client for `getIDToken` (with undici, http, https and tls): on its
 * own +82 ms and +31 MiB over a bare Node 24 start, more than a step takes to reject an input (issue 14).
 * The one thing left to @actions/core, an OIDC token, is imported where it is asked for.
 */
import { randomUUID } from 'node:crypto';
import { access, appendFile, appendFileSync, constants, existsSync } from 'node:fs';
import { EOL } from 'node:os';
import { promisify } from 'node:util';

// The callback API, promisified: node:fs/promises would cost a step ~1 MiB for two calls at its end.
const accessFile = promisify(access);
const appendFileAsync = promisify(appendFile);

/** An input as the runner passes it (`INPUT_<NAME>`, spaces as underscores), trimmed; '' when unset. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::command key=value::message`, escaped as the runner unescapes it. */
function issueCommand(command: string, message: string, properties: Record<string, string> = {}): void {
  const fields = Object.entries(properties).map(([key, value]) => `${key}=${escapeProperty(value)}`);
  process.stdout.write(`::${command}${fields.length > 0 ? ` ${fields.join(',')}` : ''}::${escapeData(message)}${EOL}`);
}

/**
 * Appends `name<<delimiter`, the value and the delimiter to the environment file `GITHUB_<file>`;
 * false when the runner gave no such file (then the older stdout command is used, as @actions/core does).
 */
function appendToFile(file: 'OUTPUT' | 'STATE', name: string, value: string): boolean {
  const path = process.env[`GITHUB_${file}`];
  if (!path) return false;
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`Unexpected input: it contains the delimiter "${delimiter}"`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
  return true;
}

export function setOutput(name: string, value: string | number | boolean): void {
  if (appendToFile('OUTPUT', name, String(value))) return;
  process.stdout.write(EOL);
  issueCommand('set-output', String(value), { name });
}

/** State for the post step, which reads it back with `getState`. */
export function saveState(name: string, value: string): void {
  if (!appendToFile('STATE', name, value)) issueCommand('save-state', value, { name });
}

export function getState(name: string): string {
  return process.env[`STATE_${name}`] || '';
}

/** Registers `secret` with the runner's masker. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', secret);
}

export function debug(message: string): void {
  issueCommand('debug', message);
}

export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

export function warning(message: string): void {
  issueCommand('warning', message);
}

export function error(message: string): void {
  issueCommand('error', message);
}

/** Marks the step failed (exit code 1) with `message` as its error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/** Runs `fn` inside a collapsible group of the log. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issueCommand('group', name);
  try {
    return await fn();
  } finally {
    issueCommand('endgroup', '');
  }
}

/** Appends Markdown to the step summary file (which the runner creates). */
export async function appendSummary(markdown: string): Promise<void> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY');
  await accessFile(path, constants.R_OK | constants.W_OK).catch(() => {
    throw new Error(`Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`);
  });
  await appendFileAsync(path, markdown, { encoding: 'utf8' });
}
