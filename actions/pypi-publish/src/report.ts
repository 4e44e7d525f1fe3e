/** pypi-publish's job summary: the index, the release and each file with its digests and result. */
import { escapeCell, link, type StepContext } from '@conveyor/core';
import type { Inputs } from './inputs';
import { normalizeName } from './names';
import type { FileReport } from './publish';
import type { Release } from './verify';

export function writeSummary(summary: StepContext['summary'], inputs: Inputs, release: Release | undefined, files: FileReport[]): void {
  const page = release ? new URL(`project/${normalizeName(release.name)}/${release.version}/`, inputs.endpoints.web).toString() : undefined;
  summary.heading(`pypi-publish: ${release ? `${release.name} ${release.version}` : 'no release'}${inputs.dryRun ? ' (dry run)' : ''}`);
  summary.keyValues([
    ['Index', link(inputs.endpoints.upload, inputs.endpoints.upload)],
    ['Release', release && page ? link(`${release.name} ${release.version}`, page) : 'unknown'],
    ['Authentication', inputs.password ? `API token (user <code>${escapeCell(inputs.username)}</code>)` : 'trusted publishing'],
  ]);
  if (files.length === 0) return;
  summary.table(
    ['File', 'Size', 'SHA-256', 'BLAKE2b-256', 'Result'],
    files.map((file) => [
      escapeCell(file.fileName),
      `${file.digests.size.toLocaleString('en-US')} B`,
      `<code>${file.digests.sha256}</code>`,
      `<code>${file.digests.blake2_256}</code>`,
      file.result === 'pending' ? 'not uploaded' : file.result,
    ]),
  );
}
