/**
 * The temporary Docker client configuration that holds the login: a directory under RUNNER_TEMP
 * (never the workspace, which may be uploaded as an artifact), removed by the post step.
 * It starts from the user's configuration, so logins and credential helpers set up by earlier
 * steps still serve base-image pulls, but without `credsStore`: our login must land in this
 * file, which the post step deletes, not in an OS keychain. The user's CLI plugins and buildx
 * builders stay visible through links, so a builder set up by docker/setup-buildx-action is used.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SHARED = ['cli-plugins', 'buildx', 'contexts'];

/** The user's config.json without `credsStore`, or undefined when there is none (or it is not JSON). */
export function inheritedConfig(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const { credsStore: _ignored, ...rest } = parsed as Record<string, unknown>;
    return rest;
  } catch {
    return undefined;
  }
}

/** Creates the directory; `userConfig` is the directory docker would use otherwise. */
export function createDockerConfig(runnerTemp: string, userConfig: string): string {
  const dir = mkdtempSync(join(runnerTemp, 'docker-config-'));
  for (const entry of SHARED) {
    const source = join(userConfig, entry);
    if (existsSync(source)) symlinkSync(source, join(dir, entry));
  }
  const userFile = join(userConfig, 'config.json');
  const inherited = existsSync(userFile) ? inheritedConfig(readFileSync(userFile, 'utf8')) : undefined;
  if (inherited) writeFileSync(join(dir, 'config.json'), JSON.stringify(inherited, null, 2), { mode: 0o600 });
  return dir;
}

/**
 * Whether docker may keep this directory's logins in a credential helper (`credHelpers` inherited
 * from the user's configuration), which only `docker logout` clears. Otherwise they are in its
 * config.json, and removing the directory removes them. A config.json that cannot be read as JSON
 * counts as a helper: `docker logout` then says what is wrong with it.
 */
export function usesCredentialHelpers(dir: string): boolean {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return false;
  try {
    const config = JSON.parse(readFileSync(file, 'utf8')) as { credsStore?: unknown; credHelpers?: unknown } | null;
    return Boolean(config?.credsStore) || (typeof config?.credHelpers === 'object' && Object.keys(config.credHelpers ?? {}).length > 0);
  } catch {
    return true;
  }
}

/** Removes the directory (links only, never what they point to). */
export function removeDockerConfig(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
