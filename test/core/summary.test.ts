import { cut, code, escapeCell, link, SummaryBuilder, TEXT_LIMIT } from '@conveyor/core';

describe('escapeCell', () => {
  test('Markdown and HTML syntax become character references; line breaks become <br>', () => {
    expect(escapeCell('a | `b` <i>\\ *c* _d_ ~e~ [f](g) #h & "i" \'j\'\nk')).toBe(
      `a &#124; &#96;b&#96; &lt;i&gt;&#92; &#42;c&#42; &#95;d&#95; &#126;e&#126; &#91;f&#93;(g) &#35;h &amp; "i" 'j'<br>k`,
    );
  });

  test('URLs and www. names are kept from becoming autolinks, @ from mentioning', () => {
    expect(escapeCell('https://evil.example WWW.evil.example ftp://x a@b.example @octocat')).toBe(
      'https&#58;//evil.example WWW&#46;evil.example ftp&#58;//x a@\u2060b.example @\u2060octocat',
    );
  });

  test('a long value is cut before escaping, with a marker saying how much is left out', () => {
    expect(escapeCell('|'.repeat(TEXT_LIMIT + 1234))).toBe(`${'&#124;'.repeat(TEXT_LIMIT)}… (1,234 more characters)`);
  });
});

describe('cut', () => {
  test('text within the limit is unchanged', () => {
    expect(cut('x'.repeat(TEXT_LIMIT))).toBe('x'.repeat(TEXT_LIMIT));
    expect(cut('abcdef', 6)).toBe('abcdef');
  });

  test('counts characters, not UTF-16 units, so no emoji is split', () => {
    expect(cut('😀😀😀', 2)).toBe('😀😀… (1 more characters)');
  });
});

describe('link', () => {
  test('an http(s) URL becomes a link; quotes and pipes in it cannot end the attribute or the cell', () => {
    expect(link('run #1', 'https://github.com/o/r/actions/runs/1?q=a|b"c')).toBe(
      '<a href="https://github.com/o/r/actions/runs/1?q=a&#124;b%22c">run &#35;1</a>',
    );
  });

  test('any other URL, or none, leaves the text alone', () => {
    expect(link('x', 'javascript:alert(1)')).toBe('x');
    expect(link('x', 'not a url')).toBe('x');
    expect(link('<x>', undefined)).toBe('&lt;x&gt;');
  });
});

test('code wraps escaped text in <code>', () => {
  expect(code('sha256:`ab`|cd')).toBe('<code>sha256:&#96;ab&#96;&#124;cd</code>');
});

describe('SummaryBuilder', () => {
  test('headings, tables and details escape what they are given', () => {
    const markdown = new SummaryBuilder()
      .heading('Tag ## v1')
      .keyValues([['Status', escapeCell('ok')]])
      .details('Last lines', `TASK [deploy]\n<b>@ops</b>\n${'y'.repeat(TEXT_LIMIT + 1)}`)
      .toMarkdown();
    expect(markdown).toBe(
      [
        '## Tag &#35;&#35; v1',
        '',
        '|  |  |',
        '| --- | --- |',
        '| **Status** | ok |',
        '',
        '<details><summary>Last lines</summary>',
        '',
        `<pre>TASK &#91;deploy&#93;\n&lt;b&gt;@\u2060ops&lt;/b&gt;\n${'y'.repeat(TEXT_LIMIT)}… (1 more characters)</pre>`,
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });
});
