import { SummaryBuilder } from '@conveyor/core';
import type { Outcome } from '../../actions/promote-release-tag/src/modes';
import { writeSummary } from '../../actions/promote-release-tag/src/summary';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const context = { repository: 'cybozu-go/neco', serverUrl: 'https://github.example.com' };

function render(outcome: Partial<Outcome>, failure?: string): string {
  const summary = new SummaryBuilder();
  writeSummary(summary, { mode: 'promote', dryRun: false, steps: [], unchanged: [], ...outcome }, { ...context, failure });
  return summary.toMarkdown();
}

describe('job summary', () => {
  test('a promotion links the tags, the commit and the release', () => {
    const markdown = render({
      tag: 'release-2026.11.21-abc1234',
      sourceTag: 'test-2026.11.21-abc1234',
      sha: SHA,
      previousTag: 'release-2026.11.01-0000000',
      release: {
        id: 5,
        tagName: 'release-2026.11.21-abc1234',
        draft: false,
        prerelease: true,
        htmlUrl: 'https://github.example.com/r/5',
        uploadUrl: '',
        assets: [],
      },
      steps: ['create tag release-2026.11.21-abc1234 on x', 'upload asset neco.deb (10 bytes)'],
    });
    expect(markdown).toContain('## Promotion of test-2026.11.21-abc1234 to release-2026.11.21-abc1234\n');
    expect(markdown).toContain(
      '<a href="https://github.example.com/cybozu-go/neco/tree/release-2026.11.21-abc1234">release-2026.11.21-abc1234</a>',
    );
    expect(markdown).toContain('| **Promoted from** | <a href="https://github.example.com/cybozu-go/neco/tree/test-2026.11.21-abc1234">');
    expect(markdown).toContain(`<a href="https://github.example.com/cybozu-go/neco/commit/${SHA}">0123456</a>`);
    expect(markdown).toContain('<a href="https://github.example.com/r/5">release-2026.11.21-abc1234</a> (pre-release)');
    expect(markdown).toContain('| **Previous release tag** |');
    expect(markdown).toContain('| **Changes** | create tag release-2026.11.21-abc1234 on x<br>upload asset neco.deb (10 bytes) |');
    expect(markdown).not.toContain('Failed');
  });

  test('a re-run says nothing changed and what was already in place', () => {
    const markdown = render({ mode: 'publish', tag: 'v1.0.3', unchanged: ['release v1.0.3 is already a full release'] });
    expect(markdown).toContain('## Publication of v1.0.3\n');
    expect(markdown).toContain('| **Changes** | none: everything was already in place |');
    expect(markdown).toContain('| **Already in place** | release v1.0.3 is already a full release |');
  });

  test('a dry run says what it would change', () => {
    const markdown = render({
      mode: 'candidate',
      dryRun: true,
      tag: 'test-2026.11.21-abc1234',
      steps: ['create tag test-2026.11.21-abc1234 on x'],
    });
    expect(markdown).toContain('## Dry run: Candidate tag test-2026.11.21-abc1234\n');
    expect(markdown).toContain('| **Would change** | create tag');
  });

  test('a failure is shown, escaped, with what was known', () => {
    const markdown = render({ sourceTag: 'test-2026.11.21-x', sha: SHA }, 'Commit has checks that did not succeed: <build> (failure) | x');
    expect(markdown).toContain('## Promotion of test-2026.11.21-x to a release tag failed\n');
    expect(markdown).toContain('| **Failed** | Commit has checks that did not succeed: &lt;build&gt; (failure) &#124; x |');
    expect(markdown).not.toContain('| **Release** |');
  });
});
