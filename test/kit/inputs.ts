/**
 * In-process input tests: set INPUT_* exactly as the runner would for a step of `action` (its
 * action.yml defaults, `${{ github.* }}` resolved, then `with:`), call the action's `getInputs()`,
 * and leave process.env as it was.
 */
import { inputEnvironment, readActionMetadata, type BundleOptions, type GitHubContext, DEFAULT_CONTEXT } from './runner';

/** Runs `read` with the step's INPUT_* set; `env` adds other variables (GITHUB_REF, …) for the call. */
export function withInputs<T>(
  action: string,
  inputs: BundleOptions['inputs'],
  read: () => T,
  { env = {}, github = {} }: { env?: Record<string, string | undefined>; github?: Partial<GitHubContext> } = {},
): T {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, inputEnvironment(action, readActionMetadata(action), inputs, { ...DEFAULT_CONTEXT, ...github }));
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    return read();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
