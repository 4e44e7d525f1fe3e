/** docker-build-push's outputs and job summary, rendered from what was built and pushed. */
import { code, escapeCell, link, type OutputValue, type SummaryBuilder } from '@conveyor/core';
import { imagePageUrl } from './image-name';
import type { Inputs } from './inputs';
import type { Result } from './publish';

export type Output = 'digest' | 'image-id' | 'tags' | 'image-refs' | 'version';

/** The references the registry accepted, in image order then tag order. */
function pushedReferences(result: Result): string[] {
  return result.references.filter((reference) => result.digests.has(reference));
}

export function outputs(result: Result, inputs: Inputs): Record<Output, OutputValue> {
  const pushed = pushedReferences(result);
  const imageRefs = new Set(
    pushed.map((reference) => `${reference.slice(0, reference.lastIndexOf(':'))}@${result.digests.get(reference)}`),
  );
  return {
    digest: pushed[0] === undefined ? '' : result.digests.get(pushed[0]),
    'image-id': result.imageId,
    tags: (inputs.push ? pushed : result.references).join('\n'),
    'image-refs': JSON.stringify([...imageRefs]),
    version: result.version,
  };
}

export function writeSummary(summary: SummaryBuilder, result: Result, inputs: Inputs, failure?: string): void {
  const pushed = pushedReferences(result);
  summary.heading('Docker image');
  summary.keyValues([
    ['Version', escapeCell(result.version || '(no tags)')],
    ['Image id', escapeCell(result.imageId ?? '(not built)')],
    ['Builder', escapeCell(result.builder ?? '(not chosen)')],
    ['Pushed', inputs.push ? `${pushed.length} of ${result.references.length} references` : 'no (build only)'],
    ...(failure ? [['Failed', escapeCell(failure)] as [string, string]] : []),
  ]);
  summary.table(
    ['Reference', 'Digest'],
    inputs.images.flatMap((image) =>
      result.tags.map((tag) => {
        const reference = `${image.name}:${tag}`;
        const digest = result.digests.get(reference) ?? (inputs.push ? 'not pushed' : 'built only');
        return [link(reference, imagePageUrl(image)), code(digest)];
      }),
    ),
  );
}
