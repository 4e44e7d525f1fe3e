/** pypi-publish's outputs and job summary: the index, the release and each file with its digests and result. */
import { code, escapeCell, formatCount, link, type OutputValue, type SummaryBuilder } from '@conveyor/core';
import type { Inputs } from './inputs';
import { normalizeName } from './names';
import type { FileReport, PublishResult } from './publish';

type Output = 'name' | 'version' | 'uploaded' | 'skipped' | 'hashes' | 'attestations';

export function outputs({ files, release, attestations }: PublishResult): Record<Output, OutputValue> {
  const named = (result: FileReport['result']) =>
    JSON.stringify(files.filter((file) => file.result === result).map((file) => file.fileName));
  return {
    name: release?.name,
    version: release?.version,
    uploaded: named('uploaded'),
    skipped: named('skipped'),
    hashes: JSON.stringify(Object.fromEntries(files.map((file) => [file.fileName, file.digests.sha256]))),
    attestations: JSON.stringify(attestations),
  };
}

export function writeSummary(summary: SummaryBuilder, { files, release }: PublishResult, inputs: Inputs): void {
  const page = release ? new URL(`project/${normalizeName(release.name)}/${release.version}/`, inputs.endpoints.web).toString() : undefined;
  summary.heading(`pypi-publish: ${release ? `${release.name} ${release.version}` : 'no release'}${inputs.dryRun ? ' (dry run)' : ''}`);
  summary.keyValues([
    ['Index', link(inputs.endpoints.upload, inputs.endpoints.upload)],
    ['Release', release && page ? link(`${release.name} ${release.version}`, page) : 'unknown'],
    ['Authentication', inputs.password ? `API token (user ${code(inputs.username)})` : 'trusted publishing'],
    [
      'Attestations (PEP 740)',
      files.some((file) => file.attestation)
        ? `signed through ${link(inputs.sigstore.rekorUrl, inputs.sigstore.rekorUrl)}, verified before upload`
        : 'none',
    ],
  ]);
  if (files.length === 0) return;
  summary.table(
    ['File', 'Size', 'SHA-256', 'Result', 'Attested'],
    files.map((file) => [
      escapeCell(file.fileName),
      `${formatCount(file.digests.size)} B`,
      `<code>${file.digests.sha256}</code>`,
      file.result === 'pending' ? 'not uploaded' : file.result,
      file.attestation ? 'yes' : 'no',
    ]),
  );
}
