import type { GitContext } from '../../actions/docker-build-push/src/git-context';
import {
  autoLatest,
  computeTags,
  defaultRules,
  parseTagRule,
  parseTagRules,
  sanitise,
  semverOf,
  splitFields,
  type LatestPolicy,
} from '../../actions/docker-build-push/src/tags';

const sha = '0123456789abcdef0123456789abcdef01234567';
const branchPush = (branch: string, extra: Partial<GitContext> = {}): GitContext => ({
  eventName: 'push',
  ref: `refs/heads/${branch}`,
  sha,
  branch,
  ...extra,
});
const tagPush = (tag: string): GitContext => ({ eventName: 'push', ref: `refs/tags/${tag}`, sha, tag });
const pullRequest = (number: number): GitContext => ({
  eventName: 'pull_request',
  ref: `refs/pull/${number}/merge`,
  sha,
  prNumber: number,
});

function tagsFor(rules: string, context: GitContext, latest: LatestPolicy = 'auto') {
  return computeTags(parseTagRules(rules), context, latest);
}

describe('default rules (tags empty)', () => {
  test.each<[string, GitContext, string[], string]>([
    ['a release tag', tagPush('v1.2.3'), ['1.2.3', 'sha-0123456', 'latest'], '1.2.3'],
    ['a tag without v', tagPush('2.0.0'), ['2.0.0', 'sha-0123456', 'latest'], '2.0.0'],
    ['a pre-release tag', tagPush('v1.2.3-rc.1'), ['1.2.3-rc.1', 'sha-0123456'], '1.2.3-rc.1'],
    ['a candidate tag (not semver)', tagPush('test-2026.11.21-42'), ['test-2026.11.21-42', 'sha-0123456'], 'test-2026.11.21-42'],
    ['a branch with a slash and upper case', branchPush('feature/X'), ['feature-x', 'sha-0123456'], 'feature-x'],
    ['main', branchPush('main'), ['main', 'sha-0123456'], 'main'],
    ['a pull request', pullRequest(42), ['pr-42', 'sha-0123456'], 'pr-42'],
    ['a schedule run on main', { eventName: 'schedule', ref: 'refs/heads/main', sha, branch: 'main' }, ['main', 'sha-0123456'], 'main'],
    ['a workflow_dispatch with no ref kind', { eventName: 'workflow_dispatch', ref: '', sha }, ['sha-0123456'], 'sha-0123456'],
  ])('%s', (_, context, tags, version) => {
    expect(computeTags([], context, 'auto')).toEqual({ tags, version });
  });

  test('ref,event=tag stands in for semver only on non-semver tags', () => {
    expect(defaultRules(tagPush('v1.0.0')).map((rule) => rule.line)).toEqual([
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=semver,pattern={{version}}',
      'type=sha',
    ]);
    expect(defaultRules(tagPush('nightly')).map((rule) => rule.line)).toContain('type=ref,event=tag');
  });
});

describe('latest policy', () => {
  test('auto: only a pushed release semver tag', () => {
    expect(autoLatest(tagPush('v1.2.3'))).toBe(true);
    expect(autoLatest(tagPush('1.0.0'))).toBe(true);
    expect(autoLatest(tagPush('v1.2.3-rc.1'))).toBe(false);
    expect(autoLatest(tagPush('v2.0.0-beta'))).toBe(false);
    expect(autoLatest(tagPush('test-2026.11.21-42'))).toBe(false);
    expect(autoLatest(tagPush('test-1.2.3'))).toBe(false);
    expect(autoLatest(tagPush('release'))).toBe(false);
    expect(autoLatest(branchPush('main'))).toBe(false);
    expect(autoLatest(pullRequest(1))).toBe(false);
  });

  test('true adds latest on any event, false never', () => {
    expect(tagsFor('type=ref,event=branch', branchPush('master'), 'true').tags).toEqual(['master', 'latest']);
    expect(tagsFor('type=semver,pattern={{version}}', tagPush('v1.2.3'), 'false').tags).toEqual(['1.2.3']);
  });

  test('auto never tags a candidate tag latest, even with a match rule', () => {
    const result = tagsFor('type=match,pattern=test-(.*),group=1', tagPush('test-2026.11.21-42'));
    expect(result.tags).toEqual(['2026.11.21-42']);
  });

  test('an explicit raw latest is kept and not duplicated', () => {
    expect(tagsFor('type=raw,value=latest\ntype=sha', branchPush('main'), 'true').tags).toEqual(['latest', 'sha-0123456']);
    expect(tagsFor('type=raw,value=latest', branchPush('main'), 'false').tags).toEqual(['latest']);
  });

  test('latest is not the version when another tag exists', () => {
    expect(tagsFor('type=raw,value=latest,priority=1000\ntype=sha', branchPush('main')).version).toBe('sha-0123456');
  });
});

describe('semver rules', () => {
  const rules = ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'].join('\n');

  test('v1.2.3 gives 1.2.3, 1.2, 1 and latest', () => {
    expect(tagsFor(rules, tagPush('v1.2.3'))).toEqual({ tags: ['1.2.3', '1.2', '1', 'latest'], version: '1.2.3' });
  });

  test('a pre-release only gets its full version', () => {
    expect(tagsFor(rules, tagPush('v1.2.3-rc.1')).tags).toEqual(['1.2.3-rc.1']);
  });

  test('0.x gets no bare major tag', () => {
    expect(tagsFor(rules, tagPush('v0.4.1')).tags).toEqual(['0.4.1', '0.4', 'latest']);
  });

  test('patch, raw, and build metadata left out (+ is not allowed in tags)', () => {
    expect(tagsFor('type=semver,pattern={{major}}.{{minor}}.{{patch}}', tagPush('v3.4.5')).tags).toEqual(['3.4.5', 'latest']);
    expect(tagsFor('type=semver,pattern={{raw}}', tagPush('v3.4.5')).tags).toEqual(['v3.4.5', 'latest']);
    expect(tagsFor('type=semver,pattern={{version}}', tagPush('v1.0.0+build.7')).tags).toEqual(['1.0.0', 'latest']);
  });

  test('value= gives the version explicitly, on any event', () => {
    expect(tagsFor('type=semver,pattern={{major}}.{{minor}},value=v4.5.6', branchPush('main')).tags).toEqual(['4.5']);
  });

  test('not a tag push, or not semver: no tag from the rule', () => {
    expect(tagsFor(`${rules}\ntype=sha`, branchPush('main')).tags).toEqual(['sha-0123456']);
    expect(tagsFor(`${rules}\ntype=sha`, tagPush('nightly')).tags).toEqual(['sha-0123456']);
  });

  test('semverOf accepts v-prefixed versions and rejects others', () => {
    expect(semverOf('v1.2.3')?.version).toBe('1.2.3');
    expect(semverOf('1.2')).toBeUndefined();
    expect(semverOf('test-1.2.3')).toBeUndefined();
  });
});

describe('ref rules', () => {
  test('event=branch, tag and pr each apply only to their event', () => {
    const rules = 'type=ref,event=branch\ntype=ref,event=tag\ntype=ref,event=pr';
    expect(tagsFor(rules, branchPush('develop')).tags).toEqual(['develop']);
    expect(tagsFor(rules, tagPush('Release_1')).tags).toEqual(['release_1']);
    expect(tagsFor(rules, pullRequest(7)).tags).toEqual(['pr-7']);
  });

  test('pr prefix can be changed or removed', () => {
    expect(tagsFor('type=ref,event=pr,prefix=pull-', pullRequest(7)).tags).toEqual(['pull-7']);
    expect(tagsFor('type=ref,event=pr,prefix=', pullRequest(7)).tags).toEqual(['7']);
  });

  test('branch names are sanitised and truncated to 128 characters', () => {
    expect(tagsFor('type=ref,event=branch', branchPush('Feature/JIRA-12_fix@home')).tags).toEqual(['feature-jira-12_fix-home']);
    expect(tagsFor('type=ref,event=branch', branchPush('.hidden/-x')).tags).toEqual(['hidden--x']);
    const long = `feature/${'a'.repeat(200)}`;
    const [tag] = tagsFor('type=ref,event=branch', branchPush(long)).tags;
    expect(tag).toHaveLength(128);
    expect(tag).toBe(`feature-${'a'.repeat(120)}`);
  });

  test('prefix and suffix', () => {
    expect(tagsFor('type=ref,event=branch,prefix=br-,suffix=-amd64', branchPush('main')).tags).toEqual(['br-main-amd64']);
  });
});

describe('sha rules', () => {
  test('short by default with sha- prefix, long on request, prefix removable', () => {
    expect(tagsFor('type=sha', branchPush('main')).tags).toEqual(['sha-0123456']);
    expect(tagsFor('type=sha,format=long', branchPush('main')).tags).toEqual([`sha-${sha}`]);
    expect(tagsFor('type=sha,prefix=', branchPush('main')).tags).toEqual(['0123456']);
    expect(tagsFor('type=sha,prefix=git-,suffix=-x', pullRequest(3)).tags).toEqual(['git-0123456-x']);
  });
});

describe('raw rules', () => {
  test('plain values and placeholders', () => {
    expect(tagsFor('type=raw,value=stable', branchPush('main')).tags).toEqual(['stable']);
    expect(tagsFor('type=raw,value={{branch}}-{{sha}}', branchPush('feature/X')).tags).toEqual(['feature-x-0123456']);
    expect(tagsFor('type=raw,value=build-{{tag}}', tagPush('v1.0.0')).tags).toEqual(['build-v1.0.0', 'latest']);
  });

  test('a placeholder with no value on this event gives no tag', () => {
    expect(tagsFor('type=raw,value={{branch}}\ntype=sha', tagPush('v1.0.0'), 'false').tags).toEqual(['sha-0123456']);
  });

  test('a line without = is a raw value', () => {
    expect(tagsFor('edge\ntype=sha', branchPush('main')).tags).toEqual(['edge', 'sha-0123456']);
  });

  test('a raw value that is not a valid tag is an input error', () => {
    expect(() => tagsFor('type=raw,value=has space', branchPush('main'))).toThrow(
      "Input 'tags': rule 'type=raw,value=has space' gives 'has space', which is not a valid tag",
    );
    expect(() => tagsFor('type=raw,value=-dash', branchPush('main'))).toThrow(/not a valid tag/);
    expect(() => tagsFor('type=sha,prefix=a/b-', branchPush('main'))).toThrow(/gives 'a\/b-0123456', which is not a valid tag/);
  });
});

describe('match rules', () => {
  test('a group of the tag, or the whole match', () => {
    expect(tagsFor('type=match,pattern=test-(\\d{4}\\.\\d{2}\\.\\d{2})-(\\d+),group=1', tagPush('test-2026.11.21-42')).tags).toEqual([
      '2026.11.21',
    ]);
    expect(tagsFor('type=match,"pattern=^test-\\d{4}"', tagPush('test-2026.11.21-42')).tags).toEqual(['test-2026']);
  });

  test('a pattern with a comma can be quoted', () => {
    expect(tagsFor('type=match,"pattern=(\\d{1,3})\\.(\\d{1,3})",group=2', tagPush('v10.20')).tags).toEqual(['20']);
  });

  test('value= matches against that text; no match gives no tag', () => {
    expect(tagsFor('type=match,pattern=(\\d+),value=build 77', branchPush('main')).tags).toEqual(['77']);
    expect(tagsFor('type=match,pattern=^v(\\d+)$,group=1\ntype=sha', tagPush('nightly')).tags).toEqual(['sha-0123456']);
  });
});

describe('enable, priority and order', () => {
  const event = { defaultBranch: 'master' };

  test('enable=false, {{is_default_branch}} and {{is_not_default_branch}}', () => {
    const rules =
      'type=raw,value=latest,enable={{is_default_branch}}\ntype=raw,value=dev,enable={{is_not_default_branch}}\ntype=sha,enable=false\ntype=ref,event=branch';
    expect(tagsFor(rules, branchPush('master', event)).tags).toEqual(['master', 'latest']);
    expect(tagsFor(rules, branchPush('feature/y', event)).tags).toEqual(['feature-y', 'dev']);
    expect(tagsFor(rules, tagPush('v1.0.0')).tags).toEqual(['dev', 'latest']);
  });

  test('higher priority first (semver > match > ref > raw > sha), then the order written', () => {
    const rules = 'type=sha\ntype=raw,value=b\ntype=raw,value=a\ntype=ref,event=tag\ntype=semver,pattern={{version}}';
    expect(tagsFor(rules, tagPush('v1.0.0'), 'false').tags).toEqual(['1.0.0', 'v1.0.0', 'b', 'a', 'sha-0123456']);
    expect(tagsFor('type=sha\ntype=raw,value=first,priority=2000', branchPush('main')).version).toBe('first');
  });

  test('duplicates are removed', () => {
    expect(tagsFor('type=raw,value=main\ntype=ref,event=branch', branchPush('main')).tags).toEqual(['main']);
  });

  test('no tag at all is an input error naming the event', () => {
    expect(() => tagsFor('type=ref,event=tag', branchPush('main'))).toThrow(
      "Input 'tags': no rule gives a tag for this push event (refs/heads/main). Add a rule that applies, such as 'type=sha'",
    );
  });
});

describe('rule syntax errors', () => {
  test.each([
    ['type=schedule', "has unknown type 'schedule'"],
    ['type=ref', 'needs event='],
    ['type=ref,event=push', "has event='push'"],
    ['type=sha,format=medium', "has format='medium'"],
    ['type=semver', 'needs pattern='],
    ['type=semver,pattern=v1', 'has a pattern without placeholders'],
    ['type=semver,pattern={{nope}}', 'uses unknown placeholder {{nope}}'],
    ['type=raw,value={{date}}', 'uses unknown placeholder {{date}}'],
    ['type=raw', 'needs value='],
    ['type=match,pattern=(', 'has an invalid regular expression'],
    ['type=match,pattern=x,group=one', "has group='one'"],
    ['type=raw,value=x,enable=yes', "has enable='yes'"],
    ['type=raw,value=x,priority=high', "has priority='high'"],
    ['type=raw,value=x,colour=red', "has unknown field 'colour' for type=raw"],
    ['type=sha,event=branch', "has unknown field 'event' for type=sha"],
    ['type=raw,value=x,value=y', "sets 'value' twice"],
    ['type=raw,=x', "has a field '=x' that is not key=value"],
    ['type=match,"pattern=x', 'has an unclosed quote'],
  ])('%s', (line, problem) => {
    expect(() => parseTagRule(line)).toThrow(`Input 'tags': rule '${line}' ${problem}`);
  });

  test('blank lines are ignored; keys are case-insensitive', () => {
    expect(parseTagRules('\n  type=sha  \n\n').map((rule) => rule.type)).toEqual(['sha']);
    expect(parseTagRule('TYPE=sha').type).toBe('sha');
  });

  test('splitFields keeps commas inside quotes', () => {
    expect(splitFields('type=match,"pattern=a{1,2}",group=0')).toEqual(['type=match', 'pattern=a{1,2}', 'group=0']);
  });
});

test('sanitise lowers, replaces and strips leading separators', () => {
  expect(sanitise('Feature/X')).toBe('feature-x');
  expect(sanitise('--x')).toBe('x');
  expect(sanitise('a+b~c')).toBe('a-b-c');
});
