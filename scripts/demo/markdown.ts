/**
 * Job summaries as GitHub shows them: GitHub-flavoured Markdown (tables, autolinks, strikethrough,
 * raw HTML) rendered by marked, then sanitized with an allow-list like GitHub's (the elements,
 * attributes and link schemes of html-pipeline's SanitizationFilter, which GitHub's sanitizer grew
 * from): scripts, event handlers, styles and `javascript:` links are removed.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const gfm = new Marked({ gfm: true, breaks: false, async: false });

/** GFM to HTML, as rendered before sanitizing (what the summary's Markdown itself produces). */
export function renderGfm(markdown: string): string {
  return gfm.parse(markdown, { async: false });
}

const ALLOWED_ELEMENTS = [
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'div', 'br', 'hr', 'blockquote', 'pre', 'code', 'tt', 'kbd', 'samp', 'var'],
  ...['b', 'i', 'strong', 'em', 'a', 'img', 'ins', 'del', 's', 'strike', 'sup', 'sub', 'q', 'ruby', 'rt', 'rp'],
  ...['ol', 'ul', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'details', 'summary'],
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_ELEMENTS,
  // Presentational attributes only: no event handlers, no style, no class, no id.
  allowedAttributes: {
    a: ['href'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    '*': ['align', 'alt', 'colspan', 'rowspan', 'dir', 'lang', 'open', 'start', 'title', 'valign', 'width', 'height'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: true,
  // A script's or style's text is dropped with it; any other unknown element keeps its text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript'],
};

/** Allow-list sanitizing of rendered HTML, as GitHub does before showing a summary. */
export function sanitizeAsGitHub(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** A job summary's Markdown as GitHub shows it. */
export function renderAsGitHub(markdown: string): string {
  return sanitizeAsGitHub(renderGfm(markdown));
}
