/**
 * Hostile values for job summaries: text from outside (branch and tag names, template names, output
 * lines, API messages, file names) put into every place of an action's summary, the summary rendered
 * as GitHub renders it, and what a reader would see compared with the same summary built from a
 * plain value. Two renderers: marked (the demo report's) and Debian's cmark-gfm (GitHub's own
 * parser, whose extended autolinks differ from marked's in places). Raw HTML is let through, as
 * GitHub's parser does before its sanitizer, so that the escaping alone is tested.
 */
import { execFileSync } from 'node:child_process';
import type { ChildNode, Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { renderGfm } from '../../scripts/demo/markdown';

export const RENDERERS: Record<string, (markdown: string) => string> = {
  marked: renderGfm,
  'cmark-gfm': (markdown) =>
    execFileSync('cmark-gfm', ['--unsafe', '--extension', 'table', '--extension', 'autolink', '--extension', 'strikethrough'], {
      input: markdown,
      encoding: 'utf8',
    }),
};

/** Each is one value a remote system or a user could hand an action. */
export const HOSTILE: Record<string, string> = {
  pipes: 'a | b || c',
  backticks: 'run `rm -rf /` and ``x``',
  newlines: 'first line\nsecond | line\r\n## not a heading\n\n| x | y |',
  script: '<script>document.title = "pwned"</script>',
  'img onerror': '<img src=x onerror=alert(1)>',
  'attribute break-out': '"><img src=x onerror=alert(1)>',
  'javascript: link': '[x](javascript:alert(1))',
  'bare URLs': 'see https://evil.example/login or www.evil.example or ops@evil.example',
  mentions: 'thanks @octocat and @github/security',
  'markdown emphasis': '**bold** _em_ ~~gone~~',
  backslashes: 'C:\\temp\\ and a \\| b',
  'entities stay text': '&lt;b&gt; &amp; &#124;',
};

/** Longer than any cell or line may be. */
export const LONG = `${'L'.repeat(5000)}`;

interface Seen {
  /** Every element but `br`, in order, with its attribute names (a link with its origin). */
  elements: string[];
  /** Cells per table row. */
  rows: number[];
  /** The text a reader sees, whitespace collapsed, invisible joiners removed. */
  text: string;
  /** `@name` a mention filter would link. */
  mentions: string[];
}

function describeElement(element: Element): string {
  const attributes = Object.keys(element.attribs).sort();
  if (element.name === 'a' && element.attribs.href !== undefined) {
    let origin: string;
    try {
      origin = new URL(element.attribs.href).origin;
    } catch {
      origin = `not a URL: ${element.attribs.href}`;
    }
    return `a href=${origin}${attributes.length > 1 ? ` +${attributes.filter((name) => name !== 'href').join(',')}` : ''}`;
  }
  return attributes.length > 0 ? `${element.name} ${attributes.join(',')}` : element.name;
}

const BLOCKS = new Set(['p', 'div', 'pre', 'tr', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'details', 'summary', 'li']);
// GitHub's mention filter: `@login` after the start or a non-word character.
const MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*)/g;

/** What a reader of the rendered summary sees. */
export function inspect(html: string): Seen {
  const seen: Seen = { elements: [], rows: [], text: '', mentions: [] };
  let text = '';
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (DomUtils.isText(node)) text += node.data;
      if (!DomUtils.isTag(node)) continue;
      if (node.name === 'br') {
        text += '\n';
        continue;
      }
      seen.elements.push(describeElement(node));
      if (node.name === 'tr') seen.rows.push(node.children.filter((child) => DomUtils.isTag(child) && /^t[dh]$/.test(child.name)).length);
      if (node.name === 'td' || node.name === 'th') text += ' ';
      walk(node.children);
      if (BLOCKS.has(node.name)) text += '\n';
    }
  };
  walk(parseDocument(html).children);
  seen.mentions = [...text.matchAll(MENTION)].map((match) => `@${match[1]}`);
  seen.text = visible(text);
  return seen;
}

/** Text as compared: whitespace collapsed, word joiners (invisible) removed. */
export function visible(text: string): string {
  return text
    .replace(/\u2060/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/**
 * Defines the tests: for each hostile value and renderer, the summary built by `summaryWith(value)`
 * has the same elements, links and table columns as with a plain value, shows the value as text
 * wherever the plain value shows, and mentions nobody; a long value is cut with a marker.
 */
export function describeHostileValues(summaryWith: (value: string) => string): void {
  for (const [renderer, render] of Object.entries(RENDERERS)) {
    describe(`rendered by ${renderer}`, () => {
      const plain = inspect(render(summaryWith('plain-value')));

      test.each(Object.entries(HOSTILE))('%s: shown as text, nothing added', (_, value) => {
        const seen = inspect(render(summaryWith(value)));
        // One comparison, so that a failure lists every difference at once.
        expect({ ...seen, text: undefined, shownAsText: occurrences(seen.text, visible(value)) }).toEqual({
          ...plain,
          text: undefined,
          mentions: [],
          shownAsText: occurrences(plain.text, 'plain-value'),
        });
      });

      test('a long value is cut with a marker', () => {
        const seen = inspect(render(summaryWith(LONG)));
        expect(seen.elements).toEqual(plain.elements);
        const longestRun = Math.max(...[...seen.text.matchAll(/L+/g)].map((run) => run[0].length));
        expect(longestRun).toBeLessThanOrEqual(1000);
        expect(seen.text.match(/L… \(\d[\d,]* more characters\)/)?.[0].slice(1)).toMatch(/^… \(/);
      });
    });
  }
}
