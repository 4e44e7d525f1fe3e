/**
 * Runner emulation: runs a committed action bundle the way the GitHub runner does. Inputs become
 * INPUT_* variables (action.yml defaults applied, `${{ github.* }}` defaults resolved), the file
 * commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_STEP_SUMMARY) are real files, the main
 * step runs under Node 24 and then the post step (with the saved state) when action.yml declares
 * one. The log is masked as the runner masks it: from the `::add-mask::` command on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { node24 } from './node24';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ActionMetadata {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export interface BundleOptions {
  /** An action folder (`actions/<name>` under the repo root, or an absolute path). */
  action: string;
  inputs?: Record<string, string | number | boolean | undefined>;
  /** Extra environment (GITHUB_REF, AWS_*, …). */
  env?: Record<string, string | undefined>;
  /** What `${{ github.* }}` resolves to and the GITHUB_* variables. */
  github?: Partial<GitHubContext>;
  /** The event payload written to GITHUB_EVENT_PATH. */
  event?: unknown;
  /** Kill the step after this long (default 120 s). */
  timeoutMs?: number;
  /** Skip the post step even if declared. */
  skipPost?: boolean;
  /** Called with each line of the masked log as it is written (to show progress). */
  onLine?: (line: string) => void;
  /** Working directory (GITHUB_WORKSPACE); a fresh temporary one by default. */
  workspace?: string;
}

export interface GitHubContext {
  token: string;
  repository: string;
  sha: string;
  ref: string;
  eventName: string;
  actor: string;
  apiUrl: string;
  serverUrl: string;
  runId: string;
}

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The log as the runner shows it: masked, workflow commands consumed. */
  log: string;
  /** Everything the process wrote, unmasked (to prove a secret was never printed at all). */
  rawLog: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  env: Record<string, string>;
  summary: string;
  /** `::error::` / `::warning::` annotations, masked. */
  errors: string[];
  warnings: string[];
  durationMs: number;
}

export interface RunResult extends StepResult {
  post?: StepResult;
}

export const DEFAULT_CONTEXT: GitHubContext = {
  token: 'ghs_fixtureTokenValue0123456789',
  repository: 'octo-org/octo-repo',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/heads/main',
  eventName: 'push',
  actor: 'octocat',
  apiUrl: 'https://api.github.com',
  serverUrl: 'https://github.com',
  runId: '1001',
};

/** Runs the main step, then the post step if the action declares one. */
export async function runBundle(options: BundleOptions): Promise<RunResult> {
  const step = startBundle(options);
  const main = await step.done;
  if (!step.postEntry || options.skipPost) return main;
  const post = await runStep(step.postEntry, step.env(main.state), options.timeoutMs, step.files, options.onLine).done;
  return { ...main, post };
}

export interface RunningStep {
  process: ChildProcess;
  done: Promise<RunResult>;
  /** Resolves when the masked log matches `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The main step's environment builder, for the post step. */
  env(state: Record<string, string>): NodeJS.ProcessEnv;
  postEntry?: string;
  files: StepFiles;
}

interface StepFiles {
  dir: string;
  output: string;
  state: string;
  env: string;
  summary: string;
}

/** Starts the main step and returns at once (to send signals while it runs). */
export function startBundle(options: BundleOptions): RunningStep {
  const actionDir = resolve(repoRoot, options.action);
  const metadata = readActionMetadata(options.action);
  if (metadata.runs.using !== 'node24') throw new Error(`${options.action}: runs.using is ${metadata.runs.using}, not node24`);
  const context: GitHubContext = { ...DEFAULT_CONTEXT, ...options.github };
  const dir = mkdtempSync(join(tmpdir(), 'conveyor-runner-'));
  const files: StepFiles = {
    dir,
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    env: join(dir, 'env'),
    summary: join(dir, 'summary.md'),
  };
  const temp = join(dir, 'runner-temp');
  const workspace = options.workspace ?? join(dir, 'workspace');
  mkdirSync(temp);
  mkdirSync(workspace, { recursive: true });
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event ?? {}));

  const inputEnv = inputEnvironment(options.action, metadata, options.inputs, context);

  const env = (state: Record<string, string>): NodeJS.ProcessEnv => {
    const stateEnv = Object.fromEntries(Object.entries(state).map(([key, value]) => [`STATE_${key}`, value]));
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      DOCKER_HOST: process.env.DOCKER_HOST,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: temp,
      RUNNER_DEBUG: process.env.RUNNER_DEBUG,
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_EVENT_NAME: context.eventName,
      GITHUB_REF: context.ref,
      GITHUB_REF_NAME: context.ref.replace(/^refs\/(heads|tags)\//, ''),
      GITHUB_REF_TYPE: context.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      GITHUB_SHA: context.sha,
      GITHUB_REPOSITORY: context.repository,
      GITHUB_WORKFLOW: 'CI',
      GITHUB_WORKFLOW_REF: `${context.repository}/.github/workflows/ci.yml@${context.ref}`,
      GITHUB_REPOSITORY_OWNER: context.repository.split('/')[0],
      GITHUB_ACTOR: context.actor,
      GITHUB_API_URL: context.apiUrl,
      GITHUB_SERVER_URL: context.serverUrl,
      GITHUB_GRAPHQL_URL: `${context.apiUrl}/graphql`,
      GITHUB_RUN_ID: context.runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'test',
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      ...inputEnv,
      ...options.env,
      ...stateEnv,
    };
  };

  const mainEntry = resolve(actionDir, metadata.runs.main);
  const postEntry = metadata.runs.post ? resolve(actionDir, metadata.runs.post) : undefined;
  return { ...runStep(mainEntry, env({}), options.timeoutMs, files, options.onLine), env, postEntry, files };
}

function runStep(
  entry: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
  files: StepFiles,
  onLine?: (line: string) => void,
): Pick<RunningStep, 'process' | 'done' | 'waitForLog'> {
  for (const file of [files.output, files.state, files.env, files.summary]) writeFileSync(file, '');
  const started = Date.now();
  const child = spawn(node24(), [entry], { env, cwd: env.GITHUB_WORKSPACE, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new MaskedLog(onLine);
  let pending = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  const consume = (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) log.line(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(log.text())) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout.on('data', consume);
  child.stderr.on('data', consume);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);

  const done = new Promise<RunResult>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      if (pending) log.line(pending);
      resolveDone({
        exitCode,
        signal,
        log: log.text(),
        rawLog: log.raw,
        outputs: { ...log.commandOutputs, ...parseFileCommand(readFileSync(files.output, 'utf8')) },
        state: { ...log.commandState, ...parseFileCommand(readFileSync(files.state, 'utf8')) },
        env: parseFileCommand(readFileSync(files.env, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        errors: log.errors,
        warnings: log.warnings,
        durationMs: Date.now() - started,
      });
    });
  });

  const waitForLog = (pattern: RegExp, waitMs = 30_000) =>
    new Promise<void>((resolveWait, reject) => {
      if (pattern.test(log.text())) return resolveWait();
      const timeout = setTimeout(() => reject(new Error(`log never matched ${pattern}:\n${log.text()}`)), waitMs);
      waiters.push({ pattern, resolve: () => (clearTimeout(timeout), resolveWait()) });
      void done.then(() => setTimeout(() => reject(new Error(`step ended before the log matched ${pattern}:\n${log.text()}`)), 0));
    });

  return { process: child, done, waitForLog };
}

/** The INPUT_* variables the runner sets: action.yml defaults (expressions resolved), then `with:`. */
export function inputEnvironment(
  action: string,
  metadata: ActionMetadata,
  inputs: BundleOptions['inputs'] = {},
  context: GitHubContext = DEFAULT_CONTEXT,
): Record<string, string> {
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(metadata.inputs ?? {})) {
    if (spec.default !== undefined) inputEnv[inputVariable(name)] = resolveExpression(String(spec.default), context);
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (!(name in (metadata.inputs ?? {}))) throw new Error(`${action}: action.yml declares no input '${name}'`);
    if (value !== undefined) inputEnv[inputVariable(name)] = String(value);
  }
  return inputEnv;
}

/** An action's parsed action.yml. */
export function readActionMetadata(action: string): ActionMetadata {
  return yaml.load(readFileSync(join(resolve(repoRoot, action), 'action.yml'), 'utf8')) as ActionMetadata;
}

/** `INPUT_<NAME>` as the runner spells it: spaces to underscores, upper case, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Resolves the `${{ github.* }}` expressions allowed in input defaults. */
export function resolveExpression(value: string, context: GitHubContext): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    const known: Record<string, string> = {
      'github.token': context.token,
      'github.repository': context.repository,
      'github.sha': context.sha,
      'github.ref': context.ref,
      'github.actor': context.actor,
      'github.event_name': context.eventName,
      'github.server_url': context.serverUrl,
      'github.api_url': context.apiUrl,
    };
    if (!(expression in known)) throw new Error(`The runner emulation cannot resolve \${{ ${expression} }}`);
    return known[expression] as string;
  });
}

/** Parses GITHUB_OUTPUT-style files: `name=value` lines and `name<<DELIM` heredocs. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line) continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) body.push(lines[i] as string);
      if (i >= lines.length) throw new Error(`unterminated heredoc for '${name}'`);
      result[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed file command line: ${line}`);
    result[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return result;
}

/** The runner's log: workflow commands consumed, registered secrets replaced by ***. */
class MaskedLog {
  raw = '';
  private readonly lines: string[] = [];
  private readonly secrets: string[] = [];
  private stopToken: string | undefined;
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  /** What the deprecated `::set-output` / `::save-state` commands set: the runner still honours them. */
  readonly commandOutputs: Record<string, string> = {};
  readonly commandState: Record<string, string> = {};

  line(text: string): void {
    this.raw += `${text}\n`;
    const command = /^::([a-zA-Z-]+)(?: ([^:]*))?::(.*)$/.exec(text);
    if (!command) return void this.push(this.mask(text));
    const [, name, properties = '', value] = command as unknown as [string, string, string | undefined, string];
    if (this.stopToken !== undefined) {
      if (name === this.stopToken) this.stopToken = undefined;
      else this.push(this.mask(text));
      return;
    }
    const decoded = unescapeCommand(value);
    const property = (key: string) => new RegExp(`(?:^|,)${key}=([^,]*)`).exec(properties)?.[1];
    switch (name) {
      case 'add-mask':
        if (decoded) this.secrets.push(decoded);
        this.secrets.sort((a, b) => b.length - a.length);
        return;
      case 'stop-commands':
        this.stopToken = decoded;
        return;
      case 'set-output':
        this.commandOutputs[property('name') ?? ''] = decoded;
        return;
      case 'save-state':
        this.commandState[property('name') ?? ''] = decoded;
        return;
      case 'debug':
        if (process.env.RUNNER_DEBUG === '1') this.push(this.mask(`##[debug]${decoded}`));
        return;
      case 'group':
        return void this.push(this.mask(`▶ ${decoded}`));
      case 'endgroup':
        return;
      case 'error':
        this.errors.push(this.mask(decoded));
        return void this.push(this.mask(`Error: ${decoded}`));
      case 'warning':
        this.warnings.push(this.mask(decoded));
        return void this.push(this.mask(`Warning: ${decoded}`));
      default:
        this.push(this.mask(text));
    }
  }

  constructor(private readonly onLine?: (line: string) => void) {}

  private push(line: string): void {
    this.lines.push(line);
    this.onLine?.(line);
  }

  private mask(text: string): string {
    return this.secrets.reduce((masked, secret) => masked.split(secret).join('***'), text);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

function unescapeCommand(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/** A fresh directory under the system temp dir. */
export function tempDir(prefix = 'conveyor-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
