/**
 * Job summary helpers. Actions build one summary with these and `runAction` writes it once, on
 * success and on failure. Text from outside (names, messages, output lines) goes through
 * `escapeCell`, `code`, `link` or `details`, which show it as text whatever it holds: it cannot
 * break a table, become markup or a link, or mention anyone, and a long value is cut with a marker.
 */
import { formatCount } from './format';
import { appendSummary } from './workflow-commands';

/** The most characters of one value (or one line of preformatted text) a summary shows. */
export const TEXT_LIMIT = 500;

/** `text` cut to `limit` characters (code points), the cut saying how much was left out. */
export function cut(text: string, limit = TEXT_LIMIT): string {
  const characters = Array.from(text);
  if (characters.length <= limit) return text;
  return `${characters.slice(0, limit).join('')}… (${formatCount(characters.length - limit)} more characters)`;
}

// Markdown and HTML syntax characters as character references: GFM shows a reference as the
// character itself and never reads it as syntax (a table's pipe, a code span, emphasis, a link).
// Quotes are syntax only inside a tag or a link, which `<` and `[` cannot start; `link` escapes `"`
// in its attribute.
const REFERENCES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '#': '&#35;',
};
// GitHub's extended autolinks look for `://` and `www.` in the source, so a reference there stops
// them. Mentions (and email autolinks) are found in the rendered text, where references are already
// decoded: an invisible word joiner after `@` keeps `@name` from being one.
const WORD_JOINER = '\u2060';

/** One line of outside text as Markdown/HTML that shows exactly that text. */
function escapeLine(line: string): string {
  return line
    .replace(/[&<>|\\`*_~[\]#]/g, (character) => REFERENCES[character] ?? character)
    .replace(/:(?=\/\/)/g, '&#58;')
    .replace(/(www)\./gi, '$1&#46;')
    .replace(/@/g, `@${WORD_JOINER}`);
}

const LINE_BREAK = /\r\n|\r|\n/;

/** Outside text for a table cell or a heading: shown as text, line breaks as `<br>`, cut at `TEXT_LIMIT`. */
export function escapeCell(text: string): string {
  return cut(text).split(LINE_BREAK).map(escapeLine).join('<br>');
}

/** Outside text in a code font (digests, ids, user names). */
export function code(text: string): string {
  return `<code>${escapeCell(text)}</code>`;
}

function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link with escaped text; only an http(s) URL becomes one, anything else shows the text alone. */
export function link(text: string, url: string | undefined): string {
  const href = httpUrl(url);
  if (!href) return escapeCell(text);
  const attribute = href.replace(/[&<>"|]/g, (character) => REFERENCES[character] ?? character);
  return `<a href="${attribute}">${escapeCell(text)}</a>`;
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

  /** Collapsed block of preformatted outside text, each line escaped and cut at `TEXT_LIMIT`. */
  details(label: string, text: string): this {
    const lines = text.split(LINE_BREAK).map((line) => escapeLine(cut(line)));
    this.parts.push(`<details><summary>${escapeCell(label)}</summary>\n\n<pre>${lines.join('\n')}</pre>\n\n</details>`);
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
    await appendSummary(this.toMarkdown());
  }
}
