/**
 * What the index already has decides, before anything is uploaded, which files are skipped and
 * whether the run may go on: the index accepts an identical re-upload silently, so without asking it
 * first a "published" file could not be told from an uploaded one.
 */
import { ConfigurationError } from '@conveyor/core';

export interface LocalFile {
  fileName: string;
  sha256: string;
}

/** The index refuses to replace a file; only a new version can carry new content. */
export function conflictError(fileName: string, detail: string): ConfigurationError {
  return new ConfigurationError(
    `${fileName}: the index already has a file of this name with different content (${detail}). A published file can never be replaced: bump the version`,
  );
}

/**
 * The files to skip (on the index with the same SHA-256, and `skipExisting`). Throws for a file of
 * the same name with other content, or an identical one without `skipExisting`.
 */
export function filesToSkip(
  files: readonly LocalFile[],
  onIndex: ReadonlyMap<string, { sha256: string }>,
  skipExisting: boolean,
): Set<string> {
  const skipped = new Set<string>();
  for (const file of files) {
    const there = onIndex.get(file.fileName);
    if (!there) continue;
    if (there.sha256 !== file.sha256) throw conflictError(file.fileName, `sha256 ${there.sha256} on the index`);
    if (!skipExisting)
      throw new ConfigurationError(
        `${file.fileName} is already on the index (identical content); set skip-existing: true to treat that as done`,
      );
    skipped.add(file.fileName);
  }
  return skipped;
}
