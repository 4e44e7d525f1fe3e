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

export interface IndexedFile {
  sha256: string;
  /** When the index stored it (ms since the epoch), if its JSON API says. */
  uploadedAt?: number;
}

/** The index refuses to replace a file; only a new version can carry new content. */
export function conflictError(fileName: string, detail: string): ConfigurationError {
  return new ConfigurationError(
    `${fileName}: the index already has a file of this name with different content (${detail}). A published file can never be replaced: bump the version`,
  );
}

/**
 * The files to skip, each with the reason to log. An identical file stored since `startedAt` (this
 * run's start) was published by a concurrent run of the same release: the two runs race for one
 * effect, so it is skipped whatever `skipExisting` says. One stored before is a re-run's: skipped
 * with `skipExisting`, an error without it. The same name with other content is always an error.
 */
export function filesToSkip(
  files: readonly LocalFile[],
  onIndex: ReadonlyMap<string, IndexedFile>,
  { skipExisting, startedAt }: { skipExisting: boolean; startedAt: number },
): Map<string, string> {
  const skipped = new Map<string, string>();
  for (const file of files) {
    const there = onIndex.get(file.fileName);
    if (!there) continue;
    if (there.sha256 !== file.sha256) throw conflictError(file.fileName, `sha256 ${there.sha256} on the index`);
    if (there.uploadedAt !== undefined && there.uploadedAt >= startedAt) {
      skipped.set(
        file.fileName,
        `another run uploaded it at ${new Date(there.uploadedAt).toISOString()}, after this one started, with the same SHA-256`,
      );
    } else if (skipExisting) {
      skipped.set(file.fileName, 'already on the index with the same SHA-256');
    } else {
      throw new ConfigurationError(
        `${file.fileName} is already on the index (identical content); set skip-existing: true to treat that as done`,
      );
    }
  }
  return skipped;
}
