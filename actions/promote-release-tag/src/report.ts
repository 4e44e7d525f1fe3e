/**
 * What the step reports: its outputs and the job summary (what was promoted, from where, with links
 * to the tags, the commit and the release). Rendering only, from the result record.
 */
import { escapeCell, link, shortSha, type OutputValue, type SummaryBuilder } from '@conveyor/core';
import type { Inputs } from './inputs';
import type { Result } from './modes';

export type Output = 'tag' | 'sha' | 'release-id' | 'release-url' | 'previous-tag';

export function outputs(result: Result): Record<Output, OutputValue> {
  return {
    tag: result.tag,
    sha: result.sha,
    'release-id': result.release?.id,
    'release-url': result.release?.htmlUrl,
    'previous-tag': result.previousTag,
  };
}

function title({ mode, dryRun }: Inputs, { tag, sourceTag }: Result, failed: boolean): string {
  const what =
    mode === 'candidate'
      ? `Candidate tag ${tag ?? ''}`
      : mode === 'promote'
        ? `Promotion of ${sourceTag ?? 'a candidate'} to ${tag ?? 'a release tag'}`
        : `Publication of ${tag ?? 'a release'}`;
  return `${dryRun ? 'Dry run: ' : ''}${what.trim()}${failed ? ' failed' : ''}`;
}

export function writeSummary(summary: SummaryBuilder, result: Result, inputs: Inputs, failure?: string): void {
  const base = `${inputs.serverUrl}/${inputs.owner}/${inputs.repo}`;
  const tagLink = (tag: string) => link(tag, `${base}/tree/${encodeURI(tag)}`);
  const entries: Array<[string, string]> = [['Mode', escapeCell(inputs.mode)]];
  if (result.tag) entries.push(['Tag', tagLink(result.tag)]);
  if (result.sourceTag) entries.push(['Promoted from', tagLink(result.sourceTag)]);
  if (result.sha) entries.push(['Commit', link(shortSha(result.sha), `${base}/commit/${result.sha}`)]);
  if (result.release) {
    const kind = result.release.draft ? 'draft' : result.release.prerelease ? 'pre-release' : 'release';
    entries.push(['Release', `${link(result.tag ?? String(result.release.id), result.release.htmlUrl)} (${kind})`]);
  }
  if (result.previousTag) entries.push(['Previous release tag', tagLink(result.previousTag)]);
  const changes = result.steps.length > 0 ? result.steps : ['none: everything was already in place'];
  entries.push([inputs.dryRun ? 'Would change' : 'Changes', changes.map(escapeCell).join('<br>')]);
  if (result.unchanged.length > 0) entries.push(['Already in place', result.unchanged.map(escapeCell).join('<br>')]);
  if (failure !== undefined) entries.push(['Failed', escapeCell(failure)]);
  summary.heading(title(inputs, result, failure !== undefined)).keyValues(entries);
}
