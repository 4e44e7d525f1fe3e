/**
 * Renders a job summary (the Markdown/HTML the actions write to GITHUB_STEP_SUMMARY) as plain
 * terminal text: headings underlined, tables as aligned columns, links as "text (url)".
 */

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#124;': '|' };

/** Inline HTML and Markdown reduced to text. */
export function inlineText(markdown: string): string {
  return markdown
    .replace(/<a href="([^"]*)">(.*?)<\/a>/g, (_, url: string, text: string) => `${text} (${url})`)
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/<br\s*\/?>/g, ' · ')
    .replace(/<[^>]+>/g, '')
    .replace(/\*\*(.*?)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/&(amp|lt|gt|quot|#39|#124);/g, (entity) => ENTITIES[entity] ?? entity)
    .trim();
}

function splitRow(line: string): string[] {
  return line
    .replace(/^\s*\|/, '')
    .replace(/\|\s*$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inlineText(cell.replace(/\\\|/g, '|')));
}

function renderTable(lines: string[], indent: string): string[] {
  const rows = lines.filter((line) => !/^\s*\|?\s*:?-{3,}/.test(line)).map(splitRow);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const hasHeader = (rows[0] ?? []).some((cell) => cell.length > 0);
  const rendered = rows
    .filter((row, index) => index > 0 || hasHeader)
    .map(
      (row) =>
        indent +
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
    );
  if (hasHeader && rendered.length > 0) rendered.splice(1, 0, indent + widths.map((width) => '─'.repeat(width)).join('  '));
  return rendered;
}

/** The whole summary as text, each line prefixed with `indent`. */
export function renderSummary(markdown: string, indent = '    '): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*\|/.test(line)) {
      const table: string[] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i] as string)) table.push(lines[i++] as string);
      i--;
      out.push(...renderTable(table, indent));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inlineText(heading[2] as string);
      out.push(`${indent}${text}`, `${indent}${(heading[1] === '#' ? '═' : '─').repeat(text.length)}`);
      continue;
    }
    if (/^\s*<\/?(details|pre)>\s*$/.test(line)) continue;
    const text = inlineText(line);
    if (text || (out.length > 0 && out[out.length - 1] !== indent.trimEnd())) out.push(text ? indent + text : '');
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}
