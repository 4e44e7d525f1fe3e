/**
 * Job summary helpers. Actions build one summary with these and `runAction` writes it once, on
 * success and on failure. Values from remote systems are escaped so they cannot inject markup.
 */
import * as core from '@actions/core';

/** Escapes text for a Markdown/HTML table cell. */
export function escapeCell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\r?\n/g, '<br>');
}

/** An HTML link with escaped text; only http(s) URLs become links. */
export function link(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//.test(url)) return escapeCell(text);
  return `<a href="${escapeCell(url)}">${escapeCell(text)}</a>`;
}

/** A Markdown table of cells already rendered: escape text with `escapeCell`, or make it a `link`. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A key/value table, the usual shape of an action's result. */
export function keyValueTable(entries: Array<[string, string]>): string {
  return table(
    ['', ''],
    entries.map(([key, value]) => [`**${escapeCell(key)}**`, value]),
  );
}

/** Collects the summary's Markdown; `runAction` writes it to `GITHUB_STEP_SUMMARY` once. */
export class SummaryBuilder {
  private readonly parts: string[] = [];

  heading(text: string, level = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${escapeCell(text)}`);
    return this;
  }

  paragraph(markdown: string): this {
    this.parts.push(markdown);
    return this;
  }

  table(header: string[], rows: string[][]): this {
    this.parts.push(table(header, rows));
    return this;
  }

  keyValues(entries: Array<[string, string]>): this {
    this.parts.push(keyValueTable(entries));
    return this;
  }

  /** Collapsed block of preformatted text (escaped). */
  details(label: string, text: string): this {
    this.parts.push(
      `<details><summary>${escapeCell(label)}</summary>\n\n<pre>${escapeCell(text).replace(/<br>/g, '\n')}</pre>\n\n</details>`,
    );
    return this;
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  toMarkdown(): string {
    return `${this.parts.join('\n\n')}\n`;
  }

  /** Appends to the runner's step summary, when the runner provides one. */
  async write(): Promise<void> {
    if (this.isEmpty || !process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(this.toMarkdown()).write();
  }
}
