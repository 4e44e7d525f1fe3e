/** docker-build-push's outputs and job summary, from what was built and pushed. */
import { escapeCell, link, type StepContext } from '@conveyor/core';
import { imagePageUrl } from './image-name';
import type { Inputs } from './inputs';
import type { Result } from './publish';

export function report(inputs: Inputs, result: Result, summary: StepContext['summary'], setOutput: StepContext['setOutput']): void {
  const pushed = inputs.references.filter((reference) => result.digests.has(reference));
  const digest = pushed.length > 0 ? (result.digests.get(pushed[0] as string) as string) : '';
  const imageRefs = [
    ...new Set(pushed.map((reference) => `${reference.slice(0, reference.lastIndexOf(':'))}@${result.digests.get(reference)}`)),
  ];
  setOutput('digest', digest);
  setOutput('image-id', result.imageId ?? '');
  setOutput('tags', (inputs.push ? pushed : inputs.references).join('\n'));
  setOutput('image-refs', JSON.stringify(imageRefs));
  setOutput('version', inputs.version);

  summary.heading('Docker image');
  summary.keyValues([
    ['Version', escapeCell(inputs.version)],
    ['Image id', escapeCell(result.imageId ?? '(not built)')],
    ['Builder', escapeCell(result.builder ?? '(not chosen)')],
    ['Pushed', inputs.push ? `${pushed.length} of ${inputs.references.length} references` : 'no (build only)'],
  ]);
  summary.table(
    ['Reference', 'Digest'],
    inputs.images.flatMap((image) =>
      inputs.tags.map((tag) => {
        const reference = `${image.name}:${tag}`;
        const digest = result.digests.get(reference) ?? (inputs.push ? 'not pushed' : 'built only');
        return [link(reference, imagePageUrl(image)), `\`${escapeCell(digest)}\``];
      }),
    ),
  );
}
