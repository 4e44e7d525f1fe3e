/**
 * The temporary Docker client configuration that holds the login: a directory under RUNNER_TEMP
 * (never the workspace, which may be uploaded as an artifact), removed by the post step.
 * The user's CLI plugins and buildx builders stay visible through links, so a builder set up by an
 * earlier step (docker/setup-buildx-action) is still the one used.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const SHARED = ['cli-plugins', 'buildx', 'contexts'];

/** Creates the directory; `userConfig` is the directory docker would use otherwise. */
export function createDockerConfig(runnerTemp: string, userConfig: string): string {
  const dir = mkdtempSync(join(runnerTemp, 'docker-config-'));
  for (const entry of SHARED) {
    const source = join(userConfig, entry);
    if (existsSync(source)) symlinkSync(source, join(dir, entry));
  }
  return dir;
}

/** Removes the directory (links only, never what they point to). */
export function removeDockerConfig(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
