import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/promote-release-tag/src/inputs';
import type { Result } from '../../actions/promote-release-tag/src/modes';
import { outputs, writeSummary } from '../../actions/promote-release-tag/src/report';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const INPUTS = { mode: 'promote', dryRun: false, owner: 'cybozu-go', repo: 'neco', serverUrl: 'https://github.example.com' } as Inputs;
const RELEASE = {
  id: 5,
  tagName: 'release-2026.11.21-abc1234',
  name: 'release-2026.11.21-abc1234',
  draft: false,
  prerelease: true,
  htmlUrl: 'https://github.example.com/r/5',
  uploadUrl: '',
  assets: [],
};

function render(result: Partial<Result>, inputs: Partial<Inputs> = {}, failure?: string): string {
  const summary = new SummaryBuilder();
  writeSummary(summary, { steps: [], unchanged: [], ...result }, { ...INPUTS, ...inputs }, failure);
  return summary.toMarkdown();
}

describe('outputs', () => {
  test('every output from the result, empty where not known', () => {
    expect(outputs({ steps: [], unchanged: [], tag: 'release-2026.11.21-abc1234', sha: SHA, release: RELEASE, previousTag: 'r1' })).toEqual(
      {
        tag: 'release-2026.11.21-abc1234',
        sha: SHA,
        'release-id': 5,
        'release-url': 'https://github.example.com/r/5',
        'previous-tag': 'r1',
      },
    );
    expect(outputs({ steps: [], unchanged: [] })).toEqual({
      tag: undefined,
      sha: undefined,
      'release-id': undefined,
      'release-url': undefined,
      'previous-tag': undefined,
    });
  });
});

describe('job summary', () => {
  test('a promotion links the tags, the commit and the release', () => {
    const markdown = render({
      tag: 'release-2026.11.21-abc1234',
      sourceTag: 'test-2026.11.21-abc1234',
      sha: SHA,
      previousTag: 'release-2026.11.01-0000000',
      release: RELEASE,
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
    const markdown = render({ tag: 'v1.0.3', unchanged: ['release v1.0.3 is already a full release'] }, { mode: 'publish' });
    expect(markdown).toContain('## Publication of v1.0.3\n');
    expect(markdown).toContain('| **Changes** | none: everything was already in place |');
    expect(markdown).toContain('| **Already in place** | release v1.0.3 is already a full release |');
  });

  test('a dry run says what it would change', () => {
    const markdown = render(
      { tag: 'test-2026.11.21-abc1234', steps: ['create tag test-2026.11.21-abc1234 on x'] },
      { mode: 'candidate', dryRun: true },
    );
    expect(markdown).toContain('## Dry run: Candidate tag test-2026.11.21-abc1234\n');
    expect(markdown).toContain('| **Would change** | create tag');
  });

  test('a failure is shown, escaped, with what was known', () => {
    const markdown = render(
      { sourceTag: 'test-2026.11.21-x', sha: SHA },
      {},
      'Commit has checks that did not succeed: <build> (failure) | x',
    );
    expect(markdown).toContain('## Promotion of test-2026.11.21-x to a release tag failed\n');
    expect(markdown).toContain('| **Failed** | Commit has checks that did not succeed: &lt;build&gt; (failure) &#124; x |');
    expect(markdown).not.toContain('| **Release** |');
  });
});
