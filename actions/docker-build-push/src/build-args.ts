/**
 * The `docker` command lines, built as argument arrays by pure functions (no shell, no quoting).
 * `--` ends the options so a context path can never be read as a flag.
 */

export type Builder = 'buildx' | 'docker';

export interface BuildOptions {
  context: string;
  file: string;
  /** Full references (`name:tag`). */
  references: string[];
  /** `KEY=value`. */
  buildArgs: string[];
  /** Final labels, automatic OCI labels merged with the user's. */
  labels: Record<string, string>;
  target?: string;
  platforms: string[];
  cacheFrom: string[];
  cacheTo: string[];
  noCache: boolean;
  pull: boolean;
  /** Where docker writes the image id. */
  iidFile: string;
  /** buildx only: where it writes the build result (pushed digest). */
  metadataFile: string;
  /** buildx only: push from the builder instead of a separate `docker push`. */
  push: boolean;
}

function common(options: BuildOptions, labelsInDockerfile = false): string[] {
  const args = ['--file', labelsInDockerfile ? '-' : options.file, '--iidfile', options.iidFile];
  for (const reference of options.references) args.push('--tag', reference);
  if (!labelsInDockerfile) for (const [key, value] of Object.entries(options.labels)) args.push('--label', `${key}=${value}`);
  for (const buildArg of options.buildArgs) args.push('--build-arg', buildArg);
  if (options.target) args.push('--target', options.target);
  for (const source of options.cacheFrom) args.push('--cache-from', source);
  if (options.noCache) args.push('--no-cache');
  if (options.pull) args.push('--pull');
  return args;
}

/** `docker buildx build …`: platforms, cache export, push from the builder. */
export function buildxArguments(options: BuildOptions): string[] {
  const args = ['buildx', 'build', ...common(options), '--metadata-file', options.metadataFile];
  if (options.platforms.length > 0) args.push('--platform', options.platforms.join(','));
  for (const destination of options.cacheTo) args.push('--cache-to', destination);
  // Provenance turns a single-platform image into a manifest list with an unknown/unknown entry.
  args.push('--provenance=false');
  if (options.push) args.push('--push');
  else if (options.platforms.length <= 1) args.push('--load');
  args.push('--', options.context);
  return args;
}

/**
 * `docker build …` with the classic builder: one platform, no cache export, pushed separately.
 * With `labelsInDockerfile` the Dockerfile comes on stdin (from `withLabels`) instead of `--label`s.
 */
export function classicArguments(options: BuildOptions, labelsInDockerfile = false): string[] {
  const args = ['build', ...common(options, labelsInDockerfile)];
  if (options.platforms.length === 1) args.push('--platform', options.platforms[0] as string);
  args.push('--', options.context);
  return args;
}

const FROM_LINE = /^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*\S+(?:[ \t]+AS[ \t]+(\S+))?[ \t]*$/gim;

/** A label key or value as a double-quoted Dockerfile word (no variable expansion, one line). */
function dockerfileWord(text: string): string {
  return `"${text.replace(/[\\"$]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ')}"`;
}

/** Whether the parser directives at the top of the file set `# escape=`. */
function changesEscape(dockerfile: string): boolean {
  for (const line of dockerfile.split(/\r?\n/)) {
    if (!/^\s*#/.test(line)) return false;
    if (/^\s*#\s*escape\s*=/i.test(line)) return true;
  }
  return false;
}

/**
 * The Dockerfile with the labels as one LABEL instruction at its end. The classic builder turns
 * each `--label` into its own step, each a container and a commit, which costs seconds per build.
 * Undefined (use `--label`) when the build stops at an earlier stage than the last, or the file
 * changes its escape character.
 */
export function withLabels(dockerfile: string, labels: Record<string, string>, target?: string): string | undefined {
  if (changesEscape(dockerfile)) return undefined;
  if (target) {
    const stages = [...dockerfile.matchAll(FROM_LINE)];
    const last = stages[stages.length - 1]?.[1];
    if (last === undefined || last.toLowerCase() !== target.toLowerCase()) return undefined;
  }
  const pairs = Object.entries(labels).map(([key, value]) => `${dockerfileWord(key)}=${dockerfileWord(value)}`);
  if (pairs.length === 0) return dockerfile;
  return `${dockerfile.replace(/\s+$/, '')}\nLABEL ${pairs.join(' ')}\n`;
}

/** What the OCI labels say about the build (the inputs have it). */
export interface OciFacts {
  serverUrl: string;
  repository: string;
  git: { sha: string };
  version: string;
}

/** The `org.opencontainers.image.*` labels every image gets (the user's labels override them). */
export function ociLabels(facts: OciFacts, created: string): Record<string, string> {
  const source = `${facts.serverUrl.replace(/\/+$/, '')}/${facts.repository}`;
  return {
    'org.opencontainers.image.source': source,
    'org.opencontainers.image.url': source,
    'org.opencontainers.image.revision': facts.git.sha,
    'org.opencontainers.image.version': facts.version,
    'org.opencontainers.image.created': created,
  };
}

/** `KEY=value` lines as a map; a line without `=` or with an empty key is an error for `input`. */
export function parseKeyValueLines(lines: string[], onError: (line: string) => Error): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw onError(line);
    result[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return result;
}
