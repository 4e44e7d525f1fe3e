/**
 * A job summary as terminal text, from the same rendering as the HTML report (GFM, sanitized like
 * GitHub): headings underlined, tables as aligned columns, links as "text (url)", details and
 * preformatted text as their lines.
 */
import type { ChildNode, Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { renderAsGitHub } from './markdown';

/** Text of inline content: links as "text (url)", line breaks as " · ", no invisible joiners. */
function inline(nodes: ChildNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (DomUtils.isText(node)) text += node.data.replace(/\s+/g, ' ');
    else if (DomUtils.isTag(node)) {
      if (node.name === 'br') text += ' · ';
      else if (node.name === 'a' && node.attribs.href) text += `${inline(node.children)} (${node.attribs.href})`;
      else text += inline(node.children);
    }
  }
  return text.replace(/\u2060/g, '');
}

function elements(nodes: ChildNode[], name: string): Element[] {
  return DomUtils.findAll((element) => element.name === name, nodes);
}

function tableLines(table: Element): string[] {
  const rows = elements([table], 'tr').map((row) =>
    row.children.filter((cell): cell is Element => DomUtils.isTag(cell)).map((cell) => inline(cell.children).trim()),
  );
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const hasHeader = (rows[0] ?? []).some((cell) => cell.length > 0);
  const lines = rows.slice(hasHeader ? 0 : 1).map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  if (hasHeader && lines.length > 0) lines.splice(1, 0, widths.map((width) => '─'.repeat(width)).join('  '));
  return lines;
}

function blockLines(node: ChildNode): string[] {
  if (DomUtils.isText(node)) return node.data.trim() ? [node.data.trim()] : [];
  if (!DomUtils.isTag(node)) return [];
  const heading = /^h([1-6])$/.exec(node.name);
  if (heading) {
    const text = inline(node.children).trim();
    return [text, (heading[1] === '1' ? '═' : '─').repeat(text.length), ''];
  }
  if (node.name === 'table') return [...tableLines(node), ''];
  if (node.name === 'pre')
    return [
      ...DomUtils.textContent(node)
        .replace(/\u2060/g, '')
        .replace(/\n$/, '')
        .split('\n'),
      '',
    ];
  if (node.name === 'details' || node.name === 'div') return node.children.flatMap(blockLines);
  if (node.name === 'summary') return [`▸ ${inline(node.children).trim()}`];
  const text = inline(node.children).trim();
  return text ? [text, ''] : [];
}

/** The whole summary as text, each line prefixed with `indent`. */
export function renderSummary(markdown: string, indent = '    '): string {
  const lines = parseDocument(renderAsGitHub(markdown)).children.flatMap(blockLines);
  return lines
    .map((line) => (line ? indent + line : ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}
