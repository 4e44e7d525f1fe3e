/**
 * The `files` input: glob patterns, relative to the workspace, expanded with Node's own glob before
 * anything is written, so a pattern that matches nothing fails the step before the release exists.
 */
// A namespace import: `glob` exists from Node 22 (the actions run on 24), and the in-process tests
// that load this module run on the machine's Node 20.
import * as fs from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { inputError } from '@conveyor/core';
import type { LocalFile } from './plan';

export async function findFiles(patterns: readonly string[], workspace: string): Promise<LocalFile[]> {
  const files = new Map<string, LocalFile>();
  for (const pattern of patterns) {
    let matched = 0;
    const matches: string[] = [];
    for await (const match of fs.glob(pattern, { cwd: workspace })) matches.push(match);
    // Sorted, so that which of two clashing files is named first does not depend on the directory listing.
    for (const match of matches.sort()) {
      const path = resolve(workspace, match);
      const info = await fs.stat(path);
      if (!info.isFile()) continue;
      matched++;
      const name = basename(path);
      const other = files.get(name);
      if (other && other.path !== path) {
        throw inputError('files', `${other.path} and ${path} would both be uploaded as '${name}'`, 'Release asset names must be unique');
      }
      files.set(name, { path, name, size: info.size });
    }
    if (matched === 0)
      throw inputError(
        'files',
        `'${pattern}' matches no file in ${workspace}`,
        'Check the pattern and that the files were built or downloaded before this step',
      );
  }
  return [...files.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
