import { escapeCell, link, SummaryBuilder } from '@conveyor/core';
import { renderSummary } from '../../scripts/demo/render';

describe('terminal rendering of job summaries', () => {
  test('links, emphasis, code and character references become plain text', () => {
    const markdown = new SummaryBuilder()
      .keyValues([
        ['Run', link('#1 & more', 'https://gh/o/r/runs/1')],
        ['Digest', '<code>sha256:ab</code>'],
        ['Name', escapeCell('a | b @octocat\nsecond line')],
      ])
      .toMarkdown();
    expect(renderSummary(markdown, '')).toBe(
      ['Run     #1 & more (https://gh/o/r/runs/1)', 'Digest  sha256:ab', 'Name    a | b @octocat · second line'].join('\n'),
    );
  });

  test('tables become aligned columns; a header-less key/value table has no rule', () => {
    const text = renderSummary(
      '## Result\n\n| | |\n|---|---|\n| **tag** | release-1 |\n| **sha** | abc |\n\n| job | conclusion |\n|---|---|\n| build | success |\n| deploy | failure |\n',
      '',
    );
    expect(text.split('\n')).toEqual([
      'Result',
      '──────',
      '',
      'tag  release-1',
      'sha  abc',
      '',
      'job     conclusion',
      '──────  ──────────',
      'build   success',
      'deploy  failure',
    ]);
  });

  test('details show their label and their preformatted lines', () => {
    const markdown = new SummaryBuilder().details('Last lines of the output', 'TASK [x]\nfatal: <boom>').toMarkdown();
    expect(renderSummary(markdown, '  ')).toBe('  ▸ Last lines of the output\n  TASK [x]\n  fatal: <boom>');
  });
});
