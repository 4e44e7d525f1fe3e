// Outside text in pypi-publish's summary: the project name and version from the distributions'
// metadata, the file names, the username input.
import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/pypi-publish/src/inputs';
import type { FileReport } from '../../actions/pypi-publish/src/publish';
import { writeSummary } from '../../actions/pypi-publish/src/report';
import { describeHostileValues } from '../kit/summary-safety';

function summaryWith(value: string): string {
  const endpoints = { upload: 'https://upload.pypi.org/legacy/', web: 'https://pypi.org/', oidc: 'https://pypi.org' };
  const inputs = { endpoints, username: value, password: 'pypi-secret', dryRun: false } as Partial<Inputs> as Inputs;
  const digests = { size: 2048, sha256: 'a'.repeat(64), blake2_256: 'b'.repeat(64) };
  const files = [{ fileName: value, path: `/tmp/${value}`, digests, result: 'uploaded' }] as Partial<FileReport>[] as FileReport[];
  const summary = new SummaryBuilder();
  writeSummary(summary, { files, release: { name: value, version: value }, attestations: [] }, inputs);
  return summary.toMarkdown();
}

describeHostileValues(summaryWith);
