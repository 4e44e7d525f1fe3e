import { inlineText, renderSummary } from '../../scripts/demo/render';

describe('terminal rendering of job summaries', () => {
  test('links, emphasis, code and entities become plain text', () => {
    expect(inlineText('**run** <a href="https://gh/o/r/runs/1">#1 &amp; more</a> `sha256:ab`')).toBe(
      'run #1 & more (https://gh/o/r/runs/1) sha256:ab',
    );
    expect(inlineText('[docs](https://example.com/x)')).toBe('docs (https://example.com/x)');
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

  test('escaped pipes stay inside their cell', () => {
    expect(renderSummary('| a | b |\n|---|---|\n| x \\| y | z |', '')).toContain('x | y  z');
  });
});
