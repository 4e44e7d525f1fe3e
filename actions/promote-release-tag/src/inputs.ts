/**
 * The step's inputs, read and validated in one place before anything touches the network: the
 * `with:` values, the runner's variables the step needs, and the actor check.
 */
import { getBoolean, getEnum, getList, getRequired, getString, inputError, maskSecret, splitRepository } from '@conveyor/core';
import {
  DEFAULT_PREFIXES,
  describePattern,
  idProblem,
  isVersion,
  parseCandidate,
  parseRelease,
  prefixesProblem,
  prefixProblem,
  SCHEMES,
  type SchemeConfig,
} from './schemes';

export const MODES = ['candidate', 'promote', 'publish'] as const;
export type Mode = (typeof MODES)[number];

/** The runner's variables the step reads (process.env in the action, anything in a test). */
export type RunnerEnvironment = Readonly<Record<string, string | undefined>>;

export interface Inputs {
  mode: Mode;
  token: string;
  owner: string;
  repo: string;
  config: SchemeConfig;
  /** candidate: the commit to tag. */
  sha: string;
  /** candidate, date-id: the ID part (default: the short sha). */
  id?: string;
  /** candidate, semver: the version (default: the newest unreleased one, or the next patch). */
  version?: string;
  /** promote: a candidate tag or `latest`. */
  sourceTag: string;
  /** publish: the release tag. */
  tag: string;
  requireChecks: boolean;
  /** promote: glob patterns of the assets. */
  files: string[];
  generateNotes: boolean;
  allowedActors: string[];
  dryRun: boolean;
  /** The runner's workspace: where `files` patterns are resolved. */
  workspace: string;
  /** The web root of the GitHub server, for links in the summary. */
  serverUrl: string;
  /** promote: the workflow run doing the promotion (its own check runs do not count). */
  runId?: string;
}

export function getInputs(env: RunnerEnvironment): Inputs {
  const mode = getEnum('mode', MODES);
  const token = getRequired('token');
  maskSecret(token);
  const repository = getRequired('repository');
  const where = splitRepository(repository);
  if (!where) throw inputError('repository', `'${repository}' is not a repository name`, "Use the form 'owner/name'");

  const scheme = getEnum('scheme', SCHEMES, 'date-id');
  // An empty prefix input means the scheme's default: the runner passes an unset input as ''.
  const config: SchemeConfig = {
    scheme,
    candidatePrefix: getString('candidate-prefix') || DEFAULT_PREFIXES[scheme].candidatePrefix,
    releasePrefix: getString('release-prefix') || DEFAULT_PREFIXES[scheme].releasePrefix,
  };
  for (const [name, prefix] of [
    ['candidate-prefix', config.candidatePrefix],
    ['release-prefix', config.releasePrefix],
  ] as const) {
    const problem = prefixProblem(prefix);
    if (problem) throw inputError(name, problem, 'Use something like test- or release-');
  }
  const clash = prefixesProblem(config);
  if (clash) throw inputError('release-prefix', clash, 'Use different candidate and release prefixes');

  const inputs: Inputs = {
    mode,
    token,
    ...where,
    config,
    sha: getString('sha'),
    id: getString('id') || undefined,
    version: getString('version') || undefined,
    sourceTag: getString('source-tag'),
    tag: getString('tag'),
    requireChecks: getBoolean('require-checks', true),
    files: getList('files'),
    generateNotes: getBoolean('generate-notes', true),
    allowedActors: getList('allowed-actors'),
    dryRun: getBoolean('dry-run', false),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    runId: env.GITHUB_RUN_ID,
  };
  validateForMode(inputs);
  checkActor(inputs.allowedActors, [env.GITHUB_ACTOR, env.GITHUB_TRIGGERING_ACTOR]);
  return inputs;
}

/** The inputs each mode needs, checked against the scheme. */
function validateForMode(inputs: Inputs): void {
  const { config } = inputs;
  if (config.scheme === 'semver' && inputs.id) {
    throw inputError(
      'id',
      'applies to the date-id scheme only',
      'With scheme: semver, give the version instead; the rc number is counted up',
    );
  }
  if (config.scheme === 'date-id' && inputs.version) {
    throw inputError('version', 'applies to the semver scheme only', 'Remove it, or set scheme: semver');
  }
  switch (inputs.mode) {
    case 'candidate': {
      if (!/^[0-9a-f]{7,40}$/i.test(inputs.sha))
        throw inputError('sha', `'${inputs.sha}' is not a commit sha`, 'Give 7 to 40 hexadecimal digits');
      const problem = inputs.id === undefined ? undefined : idProblem(inputs.id);
      if (problem) throw inputError('id', problem, 'Use a build number or another short name');
      if (inputs.version !== undefined && !isVersion(inputs.version)) {
        throw inputError('version', `'${inputs.version}' is not a version`, 'Give X.Y.Z, e.g. 1.0.3');
      }
      return;
    }
    case 'promote':
      if (inputs.sourceTag !== 'latest' && !parseCandidate(config, inputs.sourceTag)) {
        throw inputError(
          'source-tag',
          inputs.sourceTag ? `'${inputs.sourceTag}' is not a candidate tag of the ${config.scheme} scheme` : 'is required in promote mode',
          `Give a tag like ${describePattern(config, 'candidate')}, or latest`,
        );
      }
      return;
    case 'publish':
      if (!parseRelease(config, inputs.tag)) {
        throw inputError(
          'tag',
          inputs.tag ? `'${inputs.tag}' is not a release tag of the ${config.scheme} scheme` : 'is required in publish mode',
          `Give a tag like ${describePattern(config, 'release')}`,
        );
      }
  }
}

/** Refuses a run started (or re-run) by someone not listed in `allowed-actors`. */
export function checkActor(allowed: readonly string[], actors: ReadonlyArray<string | undefined>): void {
  if (allowed.length === 0) return;
  const permitted = new Set(allowed.map((actor) => actor.toLowerCase()));
  const known = actors.filter((actor): actor is string => Boolean(actor));
  if (known.length === 0)
    throw inputError('allowed-actors', 'is set, but the runner did not say who started the run', 'Run the step on GitHub Actions');
  for (const actor of known) {
    if (!permitted.has(actor.toLowerCase())) {
      throw inputError('allowed-actors', `${actor} may not run this step`, `Ask one of ${allowed.join(', ')} to run it`);
    }
  }
}
