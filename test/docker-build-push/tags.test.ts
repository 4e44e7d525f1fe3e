/**
 * The tag engine beyond metadata-action's own cases (metadata-action-parity.test.ts): the contract's
 * defaults and `latest` policy, tag names, errors, and which repository facts a run asks for.
 */
import { readGitContext, type GitContext } from '../../actions/docker-build-push/src/git-context';
import { parseFlavor, parseTagRules, type LatestPolicy } from '../../actions/docker-build-push/src/tag-rules';
import {
  autoLatest,
  computeTags,
  defaultRules,
  resolveTags,
  sanitizeTag,
  type RepositoryFacts,
  type TagPlan,
} from '../../actions/docker-build-push/src/tags';
import moment from 'moment-timezone';
import { recordingLogger } from '../kit/logger';

const sha = '0123456789abcdef0123456789abcdef01234567';
const now = new Date('2026-11-21T10:30:00Z');
const payload = { repository: { default_branch: 'main' } };
const branchPush = (branch: string, event: unknown = payload) =>
  readGitContext({ eventName: 'push', ref: `refs/heads/${branch}`, sha }, event);
const tagPush = (tag: string) => readGitContext({ eventName: 'push', ref: `refs/tags/${tag}`, sha }, {});
const pullRequest = (number: number) =>
  readGitContext({ eventName: 'pull_request', ref: `refs/pull/${number}/merge`, sha }, { number, pull_request: { base: { ref: 'main' } } });

function plan(
  rules: string[],
  { latest = 'auto', flavor = [], shortShaLength = 7 }: { latest?: LatestPolicy; flavor?: string[]; shortShaLength?: number } = {},
): TagPlan {
  return { rules: parseTagRules(rules), flavor: parseFlavor(flavor), latest, shortShaLength };
}

function tagsFor(rules: string[], git: GitContext, options?: Parameters<typeof plan>[1]): string[] {
  return computeTags(plan(rules, options), { ...git, now, moment }).tags;
}

describe('default rules (tags empty)', () => {
  test.each<[string, GitContext, string[]]>([
    ['a release tag', tagPush('v1.2.3'), ['1.2.3', 'sha-0123456', 'latest']],
    ['a tag without v', tagPush('2.0.0'), ['2.0.0', 'sha-0123456', 'latest']],
    ['a pre-release tag', tagPush('v1.2.3-rc.1'), ['1.2.3-rc.1', 'sha-0123456']],
    ['a candidate tag (not semver: no warning)', tagPush('test-2026.11.21-42'), ['test-2026.11.21-42', 'sha-0123456']],
    ['a branch with a slash and upper case (case kept)', branchPush('feature/X'), ['feature-X', 'sha-0123456']],
    ['main', branchPush('main'), ['main', 'sha-0123456']],
    ['a pull request', pullRequest(42), ['pr-42', 'sha-0123456']],
    ['a schedule run on main', readGitContext({ eventName: 'schedule', ref: 'refs/heads/main', sha }, {}), ['main', 'sha-0123456']],
    ['a workflow_dispatch with no ref kind', readGitContext({ eventName: 'workflow_dispatch', ref: '', sha }, {}), ['sha-0123456']],
  ])('%s', (_, git, tags) => {
    expect(computeTags(plan([]), { ...git, now })).toEqual({ tags, version: tags[0], warnings: [] });
  });

  test('ref,event=tag replaces semver on non-semver tags', () => {
    expect(defaultRules(tagPush('v1.0.0')).map((rule) => rule.line)).toEqual([
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=semver,pattern={{version}}',
      'type=sha',
    ]);
    expect(defaultRules(tagPush('nightly')).map((rule) => rule.line)).toEqual([
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=ref,event=tag',
      'type=sha',
    ]);
  });
});

describe('latest', () => {
  test('auto: only a pushed release semver tag', () => {
    expect(autoLatest(tagPush('v1.2.3'))).toBe(true);
    expect(autoLatest(tagPush('1.0.3'))).toBe(true);
    expect(autoLatest(tagPush('v1.2.3-rc.1'))).toBe(false);
    expect(autoLatest(tagPush('v2.0.8-beta.67'))).toBe(false);
    expect(autoLatest(tagPush('p1/v1.0.0'))).toBe(false);
    expect(autoLatest(tagPush('test-2026.11.21-42'))).toBe(false);
    expect(autoLatest(tagPush('1.2'))).toBe(false);
    expect(autoLatest(branchPush('main'))).toBe(false);
    expect(autoLatest(pullRequest(1))).toBe(false);
  });

  test('auto never tags a candidate tag latest, even with a match rule (metadata-action would)', () => {
    expect(tagsFor(['type=match,pattern=test-(.*),group=1'], tagPush('test-2026.11.21-42'))).toEqual(['2026.11.21-42']);
  });

  test('true adds latest on any event, false never', () => {
    expect(tagsFor(['type=ref,event=branch'], branchPush('master'), { latest: 'true' })).toEqual(['master', 'latest']);
    expect(tagsFor(['type=semver,pattern={{version}}'], tagPush('v1.2.3'), { latest: 'false' })).toEqual(['1.2.3']);
  });

  test('the flavor prefix and suffix go on latest only with onlatest=true', () => {
    expect(tagsFor(['type=semver,pattern={{version}}'], tagPush('v1.2.3'), { flavor: ['prefix=web-', 'suffix=-alpine'] })).toEqual([
      'web-1.2.3-alpine',
      'latest',
    ]);
    expect(tagsFor(['type=semver,pattern={{version}}'], tagPush('v1.2.3'), { flavor: ['suffix=-alpine,onlatest=true'] })).toEqual([
      '1.2.3-alpine',
      'latest-alpine',
    ]);
  });

  test('an explicit raw latest is kept once; no tag at all gets no latest either', () => {
    expect(tagsFor(['type=raw,value=latest', 'type=sha'], branchPush('main'), { latest: 'true' })).toEqual(['latest', 'sha-0123456']);
    expect(() => tagsFor(['type=ref,event=tag'], branchPush('main'), { latest: 'true' })).toThrow(
      "Input 'tags': no rule gives a tag for this push (refs/heads/main). Add a rule that applies, such as 'type=sha'",
    );
  });
});

describe('tag names', () => {
  test('each run of other characters becomes one -, case is kept', () => {
    expect(sanitizeTag('Feature/JIRA-12_fix@@home')).toBe('Feature-JIRA-12_fix-home');
    expect(tagsFor(['type=ref,event=branch'], branchPush('my/feature#1245'))).toEqual(['my-feature-1245']);
    expect(tagsFor(['type=ref,event=tag'], tagPush('20200110-RC2'), { latest: 'false' })).toEqual(['20200110-RC2']);
  });

  test('a long branch is cut to 128 characters', () => {
    const [tag] = tagsFor(['type=ref,event=branch'], branchPush(`feature/${'a'.repeat(200)}`));
    expect(tag).toBe(`feature-${'a'.repeat(120)}`);
  });

  test('a tag Docker would refuse is an input error naming the rule', () => {
    expect(() => tagsFor(['type=raw,value=-dash'], branchPush('main'))).toThrow(
      "Input 'tags': 'type=raw,value=-dash' gives '-dash', which is not a valid tag. A tag cannot start with . or -",
    );
    expect(() => tagsFor(['type=raw,value=x'], branchPush('main'), { flavor: ['prefix=.'] })).toThrow(/'type=raw,value=x' gives '\.x'/);
  });

  test("Handlebars escapes HTML in expressions, as in metadata-action ({{branch}} of it's)", () => {
    expect(tagsFor(['type=raw,value={{branch}}', 'type=ref,event=branch'], branchPush("it's"))).toEqual(['it-s', 'it-x27-s']);
  });

  test('0.x gets a bare major like any version (disable that rule with enable= if unwanted)', () => {
    expect(tagsFor(['type=semver,pattern={{major}}'], tagPush('v0.4.1'))).toEqual(['0', 'latest']);
  });

  test('build metadata is left out of {{version}} and sanitized in {{raw}}', () => {
    expect(tagsFor(['type=semver,pattern={{version}}', 'type=semver,pattern={{raw}}'], tagPush('v1.0.0+build.7'))).toEqual([
      '1.0.0',
      'v1.0.0-build.7',
      'latest',
    ]);
  });
});

describe('expressions', () => {
  test('in prefix and suffix, and {{sha}} with DOCKER_METADATA_SHORT_SHA_LENGTH', () => {
    expect(tagsFor(["type=sha,prefix={{branch}}-,suffix=-{{date 'YYYY'}}"], branchPush('main'))).toEqual(['main-0123456-2026']);
    expect(tagsFor(['type=sha', 'type=raw,value=git-{{sha}}'], branchPush('main'), { shortShaLength: 12 })).toEqual([
      'git-0123456789ab',
      'sha-0123456789ab',
    ]);
    expect(tagsFor(['type=sha'], branchPush('main'), { shortShaLength: 64 })).toEqual([`sha-${sha}`]);
  });

  test('a schedule pattern knows only the dates', () => {
    const schedule = readGitContext({ eventName: 'schedule', ref: 'refs/heads/main', sha }, {});
    expect(tagsFor(["type=schedule,pattern=nightly-{{branch}}{{date 'MMDD'}}"], schedule)).toEqual(['nightly-1121']);
  });

  test('enable= must give true or false', () => {
    expect(() => tagsFor(['type=sha,enable={{branch}}'], branchPush('main'))).toThrow(
      "Input 'tags': rule 'type=sha,enable={{branch}}' has enable= giving 'main'. It must give true or false",
    );
  });

  test.each([
    ["type=raw,value={{date 'YYYY' tz='Mars/Olympus'}}", "has an unknown time zone 'Mars/Olympus'"],
    ["type=raw,value={{date 'YYYY' zone='UTC'}}", 'has zone= in a date expression'],
    ["type=raw,value={{when 'YYYY'}}", 'cannot be rendered (Missing helper: "when")'],
    ["type=semver,pattern={{date 'YYYY'}}", 'cannot be rendered (Missing helper: "date")'],
  ])('%s: input error', (rule, problem) => {
    expect(() => tagsFor([rule], tagPush('v1.2.3'))).toThrow(`Input 'tags': '${rule}' ${problem}`);
  });

  test('a flavor prefix that cannot be rendered names the flavor', () => {
    expect(() => tagsFor(['type=raw,value=x'], branchPush('main'), { flavor: ["prefix={{date 'Y' tz='Nowhere'}}-"] })).toThrow(
      /^Input 'flavor': 'prefix=\{\{date 'Y' tz='Nowhere'\}\}-' has an unknown time zone 'Nowhere'/,
    );
  });
});

/** A RepositoryFacts that records what was asked. */
function recordingFacts(answers: { defaultBranch?: string; commitDate?: Date | Error } = {}) {
  const asked: string[] = [];
  const facts: RepositoryFacts = {
    defaultBranch: async () => {
      asked.push('defaultBranch');
      return answers.defaultBranch ?? 'main';
    },
    commitDate: async (commit) => {
      asked.push(`commitDate ${commit}`);
      if (answers.commitDate instanceof Error) throw answers.commitDate;
      return answers.commitDate ?? new Date('2026-11-20T08:00:00Z');
    },
  };
  return { facts, asked };
}

describe('resolveTags: the API only for what the rules need and the payload lacks', () => {
  async function resolve(rules: string[], git: GitContext, answers?: Parameters<typeof recordingFacts>[0]) {
    const { facts, asked } = recordingFacts(answers);
    const logger = recordingLogger();
    const result = await resolveTags(plan(rules, { latest: 'false' }), git, { facts, now, logger });
    return { tags: result.tags, asked, warnings: logger.warnings };
  }

  test('rules that need nothing ask nothing', async () => {
    expect(await resolve(['type=ref,event=branch', "type=raw,value={{date 'YYYY'}}", 'type=sha'], branchPush('dev', {}))).toEqual({
      tags: ['dev', '2026', 'sha-0123456'],
      asked: [],
      warnings: [],
    });
  });

  test('type=edge and {{is_default_branch}}: the payload answers, else the API (once)', async () => {
    const rules = [
      'type=edge',
      'type=raw,value=default,enable={{is_default_branch}}',
      'type=raw,value=other,enable={{is_not_default_branch}}',
    ];
    expect((await resolve(rules, branchPush('main'))).asked).toEqual([]);
    expect(await resolve(rules, branchPush('main', {}))).toMatchObject({ tags: ['edge', 'default'], asked: ['defaultBranch'] });
    expect(await resolve(rules, branchPush('trunk', {}), { defaultBranch: 'trunk' })).toMatchObject({
      tags: ['edge', 'default'],
      asked: ['defaultBranch'],
    });
    expect(await resolve(rules, branchPush('dev', {}))).toMatchObject({ tags: ['other'], asked: ['defaultBranch'] });
  });

  test('not on a branch, or on a schedule, the default branch is not asked', async () => {
    const rules = ['type=edge', 'type=raw,value=default,enable={{is_default_branch}}', 'type=sha'];
    expect(await resolve(rules, tagPush('v1.0.0'))).toMatchObject({ tags: ['sha-0123456'], asked: [] });
    expect(await resolve(rules, pullRequest(3))).toMatchObject({ tags: ['sha-0123456'], asked: [] });
    const schedule = readGitContext({ eventName: 'schedule', ref: 'refs/heads/main', sha }, {});
    expect(await resolve(['type=raw,value=default,enable={{is_default_branch}}'], schedule)).toMatchObject({
      tags: ['default'],
      asked: [],
    });
  });

  test('{{commit_date}}: the push payload dates the commit, else the API, else now with a warning', async () => {
    const rule = ["type=raw,value={{commit_date 'YYYYMMDD-HHmm' tz='Europe/London'}}"];
    const pushed = branchPush('main', { commits: [{ id: sha, timestamp: '2026-07-01T09:15:00+02:00' }] });
    expect(await resolve(rule, pushed)).toEqual({ tags: ['20260701-0815'], asked: [], warnings: [] });
    expect(await resolve(rule, pullRequest(3))).toEqual({ tags: ['20261120-0800'], asked: [`commitDate ${sha}`], warnings: [] });
    expect(await resolve(rule, pullRequest(3), { commitDate: new Error('Not Found') })).toEqual({
      tags: ['20261121-1030'],
      asked: [`commitDate ${sha}`],
      warnings: [`Could not read the date of commit ${sha} (Not Found); {{commit_date}} uses the current date`],
    });
  });

  test("metadata-action's warnings reach the log", async () => {
    expect(
      await resolve(['type=semver,pattern={{version}}', 'type=match,pattern=^v(\\d+)$,group=1', 'type=sha'], tagPush('sometag')),
    ).toEqual({
      tags: ['sha-0123456'],
      asked: [],
      warnings: ['sometag is not a valid semver. More info: https://semver.org/', '^v(\\d+)$ does not match sometag.'],
    });
  });
});
