// Outside text in docker-build-push's summary: the version and tags (from branch and tag names), the
// image id the engine reported, the failure (a registry's or the engine's message).
import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/docker-build-push/src/inputs';
import type { Result } from '../../actions/docker-build-push/src/publish';
import { writeSummary } from '../../actions/docker-build-push/src/report';
import { describeHostileValues } from '../kit/summary-safety';

function summaryWith(value: string): string {
  const image = { name: 'ghcr.io/xchem/fragalysis-frontend', registry: 'ghcr.io', repository: 'xchem/fragalysis-frontend' };
  const references = [`${image.name}:${value}`, `${image.name}:latest`];
  const inputs = { images: [image], push: true } as Partial<Inputs> as Inputs;
  const result: Result = {
    tags: [value, 'latest'],
    version: value,
    references,
    builder: 'buildx',
    imageId: value,
    digests: new Map([[references[0] as string, `sha256:${value}`]]),
  };
  const summary = new SummaryBuilder();
  writeSummary(summary, result, inputs, value);
  return summary.toMarkdown();
}

describeHostileValues(summaryWith);
