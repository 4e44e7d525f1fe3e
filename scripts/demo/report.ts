/**
 * The demo's report: one HTML page with every step's outputs, timings and links, and its job summary
 * as GitHub shows it (GFM rendered by marked, sanitized like GitHub, GitHub's Markdown styles).
 * Built from the step records alone, so a recorded run renders the same page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderAsGitHub } from './markdown';

export interface StepRecord {
  title: string;
  /** `actions/<name>`. */
  action: string;
  status: 'succeeded' | 'failed' | 'skipped';
  /** Since the demo started. */
  startedMs: number;
  durationMs: number;
  outputs: Record<string, string>;
  /** The job summary's Markdown, as the step wrote it to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** Why the step was skipped (and the command that would run it), or the failure line. */
  note?: string;
}

export interface DemoRecord {
  title: string;
  /** ISO time the demo started. */
  startedAt: string;
  durationMs: number;
  steps: StepRecord[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function outputValue(value: string): string {
  if (/^https?:\/\/\S+$/.test(value)) return `<a href="${escapeHtml(value)}">${escapeHtml(value)}</a>`;
  return `<code>${escapeHtml(value)}</code>`;
}

const MARK: Record<StepRecord['status'], string> = { succeeded: '✓', failed: '✗', skipped: '–' };

function renderStep(step: StepRecord, index: number): string {
  const outputs = Object.entries(step.outputs);
  const rows = outputs.map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${outputValue(value)}</td></tr>`);
  const status = escapeHtml(step.status);
  return `<section class="step ${status}" id="step-${index + 1}" data-action="${escapeHtml(step.action)}">
<h2><span class="mark" aria-label="${status}">${MARK[step.status] ?? '?'}</span> ${index + 1}. ${escapeHtml(step.title)}</h2>
<p class="meta"><code>${escapeHtml(step.action)}</code> · ${status} · started at ${seconds(step.startedMs)} · took ${seconds(step.durationMs)}</p>
${step.note ? `<p class="note">${escapeHtml(step.note)}</p>` : ''}
${rows.length > 0 ? `<table class="outputs"><caption>Outputs</caption><tbody>${rows.join('')}</tbody></table>` : ''}
${step.summary.trim() ? `<div class="job-summary"><div class="job-summary-title">${escapeHtml(step.action.replace(/^actions\//, ''))} summary</div><div class="markdown-body">${renderAsGitHub(step.summary)}</div></div>` : ''}
</section>`;
}

const PAGE_STYLE = `
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1012px; margin: 0 auto; padding: 24px 16px 48px; }
header h1 { font-size: 24px; margin: 0 0 4px; }
header p { color: #59636e; margin: 0 0 16px; }
nav ol { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; margin: 0 0 24px; padding: 8px 16px 8px 40px; }
nav a { color: #0969da; text-decoration: none; }
.step { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; margin: 0 0 24px; padding: 16px 24px; }
.step h2 { font-size: 18px; margin: 0; }
.mark { display: inline-block; width: 22px; height: 22px; border-radius: 50%; color: #fff; text-align: center; line-height: 22px; font-size: 13px; }
.succeeded .mark { background: #1a7f37; } .failed .mark { background: #d1242f; } .skipped .mark { background: #818b98; }
.meta { color: #59636e; margin: 4px 0 12px; }
.note { background: #fff8c5; border: 1px solid #d4a72c66; border-radius: 6px; padding: 8px 12px; }
table.outputs { border-collapse: collapse; margin: 0 0 16px; font-size: 13px; }
table.outputs caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
table.outputs th, table.outputs td { border: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; vertical-align: top; }
table.outputs code { white-space: pre-wrap; word-break: break-all; }
.job-summary { border: 1px solid #d1d9e0; border-radius: 6px; }
.job-summary-title { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; padding: 8px 16px; font-weight: 600; }
.job-summary .markdown-body { padding: 16px 24px; }
`;

/** The stylesheet GitHub's Markdown looks like (github-markdown-css, light theme). */
function markdownStyle(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
}

/** The whole page. */
export function reportHtml(record: DemoRecord): string {
  const index = record.steps.map(
    (step, i) =>
      `<li><a href="#step-${i + 1}">${escapeHtml(step.title)}</a> · ${escapeHtml(step.status)} · ${seconds(step.durationMs)}</li>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(record.title)}</title>
<style>${markdownStyle()}${PAGE_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(record.title)}</h1>
<p>Started ${escapeHtml(record.startedAt)}, took ${seconds(record.durationMs)}. The committed <code>dist/</code> bundles ran under the runner emulation; GitHub and AWX were local stand-ins, so their links point at stand-ins that stopped with the demo.</p>
</header>
<nav><ol>${index.join('')}</ol></nav>
${record.steps.map(renderStep).join('\n')}
</main>
</body>
</html>
`;
}
