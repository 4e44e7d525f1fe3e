/**
 * The job summary: what was promoted, from where, with links to the tags, the commit and the release.
 */
import { escapeCell, link, type SummaryBuilder } from '@conveyor/core';
import type { Outcome } from './modes';
import { shortSha } from './plan';

export interface SummaryContext {
  /** `owner/name`. */
  repository: string;
  serverUrl: string;
  /** The error the step failed with, if it did. */
  failure?: string;
}

function title(outcome: Outcome, failed: boolean): string {
  const { mode, tag, sourceTag } = outcome;
  const what =
    mode === 'candidate'
      ? `Candidate tag ${tag ?? ''}`
      : mode === 'promote'
        ? `Promotion of ${sourceTag ?? 'a candidate'} to ${tag ?? 'a release tag'}`
        : `Publication of ${tag ?? 'a release'}`;
  return `${outcome.dryRun ? 'Dry run: ' : ''}${what.trim()}${failed ? ' failed' : ''}`;
}

export function writeSummary(summary: SummaryBuilder, outcome: Outcome, context: SummaryContext): void {
  const base = `${context.serverUrl}/${context.repository}`;
  const tagLink = (tag: string) => link(tag, `${base}/tree/${encodeURI(tag)}`);
  const entries: Array<[string, string]> = [['Mode', escapeCell(outcome.mode)]];
  if (outcome.tag) entries.push(['Tag', tagLink(outcome.tag)]);
  if (outcome.sourceTag) entries.push(['Promoted from', tagLink(outcome.sourceTag)]);
  if (outcome.sha) entries.push(['Commit', link(shortSha(outcome.sha), `${base}/commit/${outcome.sha}`)]);
  if (outcome.release) {
    const kind = outcome.release.draft ? 'draft' : outcome.release.prerelease ? 'pre-release' : 'release';
    entries.push(['Release', `${link(outcome.tag ?? String(outcome.release.id), outcome.release.htmlUrl)} (${kind})`]);
  }
  if (outcome.previousTag) entries.push(['Previous release tag', tagLink(outcome.previousTag)]);
  const changes = outcome.steps.length > 0 ? outcome.steps : ['none: everything was already in place'];
  entries.push([outcome.dryRun ? 'Would change' : 'Changes', changes.map(escapeCell).join('<br>')]);
  if (outcome.unchanged.length > 0) entries.push(['Already in place', outcome.unchanged.map(escapeCell).join('<br>')]);
  if (context.failure) entries.push(['Failed', escapeCell(context.failure)]);
  summary.heading(title(outcome, context.failure !== undefined)).keyValues(entries);
}
