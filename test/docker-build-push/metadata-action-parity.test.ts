/**
 * Parity with docker/metadata-action: the cases of its own test suite (`__tests__/meta.test.ts`, ids
 * kept) and the tables of its README, each with the tag names metadata-action gives, run through our
 * reading of the event and our engine. The events in `events/` are the runner variables and the
 * payloads metadata-action's suite records (trimmed to the fields a tag can depend on).
 *
 * Two things are set as metadata-action's suite sets them: the repository's default branch from the
 * API is `master` (its `repo.json`), and every moment, the current one and the commit's, is
 * 2020-01-10T00:30:00Z (it mocks moment-timezone).
 *
 * The one deliberate difference, `latest` under `auto`, is marked per case: `ourLatest` says whether
 * we add `latest` where metadata-action decides otherwise (it adds it when the first rule that gives a
 * tag is a semver, pep440, match or tag-ref rule on a release; we only on a pushed release semver tag).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGitContext } from '../../actions/docker-build-push/src/git-context';
import { parseFlavor, parseTagRules } from '../../actions/docker-build-push/src/tag-rules';
import { resolveTags, type RepositoryFacts } from '../../actions/docker-build-push/src/tags';
import { recordingLogger } from '../kit/logger';

const PINNED = new Date('2020-01-10T00:30:00.000Z');
/** metadata-action's rules when `tags` is empty (ours differ, by contract: see tags.test.ts). */
const METADATA_ACTION_DEFAULTS = ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];

interface Case {
  /** metadata-action's test id, or the README table the case comes from. */
  id: string;
  /** A file in events/. */
  event: string;
  /** Undefined: metadata-action's default rules. */
  tags?: string[];
  flavor?: string[];
  /** DOCKER_METADATA_PR_HEAD_SHA=true. */
  prHeadSha?: boolean;
  /** The tag names metadata-action gives; [] when it gives none (we fail then). */
  expected: string[];
  /** Where our `latest: auto` differs on purpose: true adds `latest`, false leaves it out. */
  ourLatest?: boolean;
}

interface RecordedEvent {
  GITHUB_EVENT_NAME: string;
  GITHUB_REF: string;
  GITHUB_SHA: string;
  payload: unknown;
}

function readEvent(name: string): RecordedEvent {
  return JSON.parse(readFileSync(join(import.meta.dirname, 'events', `${name}.json`), 'utf8')) as RecordedEvent;
}

const facts: RepositoryFacts = {
  defaultBranch: async () => 'master',
  commitDate: async () => PINNED,
};

async function tagsOf({ event, tags, flavor = [], prHeadSha }: Case): Promise<string[]> {
  const recorded = readEvent(event);
  const git = readGitContext(
    { eventName: recorded.GITHUB_EVENT_NAME, ref: recorded.GITHUB_REF, sha: recorded.GITHUB_SHA, prHeadSha },
    recorded.payload,
  );
  if (git.commitTimestamp !== undefined) git.commitTimestamp = PINNED.toISOString();
  const parsedFlavor = parseFlavor(flavor);
  const plan = {
    rules: parseTagRules(tags ?? METADATA_ACTION_DEFAULTS),
    flavor: parsedFlavor,
    latest: parsedFlavor.latest ?? 'auto',
    shortShaLength: 7,
  };
  return (await resolveTags(plan, git, { facts, now: PINNED, logger: recordingLogger() })).tags;
}

function ours({ expected, ourLatest }: Case): string[] {
  if (ourLatest === undefined) return expected;
  const without = expected.filter((tag) => tag !== 'latest');
  return ourLatest ? [...without, 'latest'] : without;
}

const semverTriple = ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'];
const raws = ['type=raw,my', 'type=raw,custom', 'type=raw,tags'];
const globalAffixes = ['prefix=glo-', 'suffix=-bal'];
const longSha = (sha: string) => `sha-${sha}`;

const cases: Case[] = [
  // push
  { id: 'push01', event: 'push-dev', expected: ['dev'] },
  { id: 'push02', event: 'push-master', tags: ['type=edge'], expected: ['edge'] },
  { id: 'push03', event: 'push-master', expected: ['master'] },
  { id: 'push04', event: 'workflow-dispatch', tags: ['type=edge'], expected: ['edge'] },
  { id: 'push07', event: 'push-dev', tags: ['type=ref,event=branch', 'type=sha'], expected: ['dev', 'sha-860c190'] },
  { id: 'push08', event: 'push-master', tags: ['type=edge', 'type=sha'], expected: ['edge', 'sha-2665741'] },
  { id: 'push09', event: 'push-dev', tags: ['type=edge,branch=dev', 'type=sha'], expected: ['edge', 'sha-860c190'] },
  { id: 'push10', event: 'push-master', tags: ['type=edge,branch=dev', 'type=sha'], expected: ['sha-2665741'] },
  { id: 'push11', event: 'push-invalidchars', tags: ['type=edge', 'type=sha'], expected: ['sha-983315b'] },
  {
    id: 'push12',
    event: 'push-invalidchars',
    tags: ['type=semver,pattern={{version}}', 'type=pep440,pattern={{version}}', 'type=edge'],
    expected: [],
  },
  { id: 'push13', event: 'push-master', tags: ['type=ref,priority=2000,event=branch', 'type=edge'], expected: ['master', 'edge'] },
  {
    id: 'push14',
    event: 'push-master',
    tags: ['type=semver,pattern={{version}},value=v1.2.3', 'type=pep440,pattern={{version}},value=v1.2.3', 'type=edge'],
    expected: ['1.2.3', 'edge', 'latest'],
    ourLatest: false,
  },
  {
    id: 'push15',
    event: 'push-master',
    tags: ['type=match,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
    expected: ['1.2.3', 'edge', 'latest'],
    ourLatest: false,
  },
  {
    id: 'push16',
    event: 'push-master',
    tags: ['type=match,enable=false,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
    expected: ['edge'],
  },
  {
    id: 'push17',
    event: 'push-master',
    tags: [
      `type=raw,value=mytag-{{branch}}`,
      `type=raw,value=mytag-{{date 'YYYYMMDD'}}`,
      `type=raw,value=mytag-cd-{{commit_date 'YYYYMMDD'}}`,
      `type=raw,value=mytag-{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}`,
      `type=raw,value=mytag-tag-{{tag}}`,
      `type=raw,value=mytag-baseref-{{base_ref}}`,
      `type=raw,value=mytag-defbranch,enable={{is_default_branch}}`,
    ],
    expected: [
      'mytag-master',
      'mytag-20200110',
      'mytag-cd-20200110',
      'mytag-20200110-093000',
      'mytag-tag-',
      'mytag-baseref-',
      'mytag-defbranch',
    ],
  },
  {
    id: 'push18',
    event: 'push-dev',
    tags: ['type=ref,event=branch', 'type=sha,format=long'],
    expected: ['dev', longSha('860c1904a1ce19322e91ac35af1ab07466440c37')],
  },
  {
    id: 'push19',
    event: 'push-dev',
    tags: [
      'type=edge,branch=master',
      'type=ref,event=branch,enable=false',
      'type=sha,format=long',
      'type=raw,value=defbranch,enable={{is_default_branch}}',
    ],
    expected: [longSha('860c1904a1ce19322e91ac35af1ab07466440c37')],
  },
  {
    id: 'push22',
    event: 'push-dev',
    tags: ['type=edge,branch=master', 'type=sha,format=long', 'type=raw,value=notdefbranch,enable={{is_not_default_branch}}'],
    expected: ['notdefbranch', longSha('860c1904a1ce19322e91ac35af1ab07466440c37')],
  },
  {
    id: 'push35',
    event: 'push-master',
    tags: [
      `type=semver,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"`,
      `type=pep440,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"`,
      `type=edge`,
    ],
    expected: ['1.2.3', 'edge', 'latest'],
    ourLatest: false,
  },

  // tag
  { id: 'tag01', event: 'tag-release1', expected: ['release1', 'latest'], ourLatest: false },
  { id: 'tag02', event: 'tag-20200110-RC2', expected: ['20200110-RC2', 'latest'], ourLatest: false },
  { id: 'tag03', event: 'tag-20200110-RC2', tags: [`type=match,pattern=\\d{8}`], flavor: ['latest=false'], expected: ['20200110'] },
  {
    id: 'tag04',
    event: 'tag-20200110-RC2',
    tags: [`type=match,pattern=(.*)-RC,group=1`],
    flavor: ['latest=false'],
    expected: ['20200110'],
  },
  { id: 'tag05', event: 'tag-v1.1.1', tags: [`type=match,"pattern=\\d.\\d.\\d"`], expected: ['1.1.1', 'latest'] },
  { id: 'tag06', event: 'tag-v1.1.1', tags: [`type=match,"pattern=^v(\\d.\\d.\\d)$",group=1`], expected: ['1.1.1', 'latest'] },
  {
    id: 'tag07',
    event: 'tag-v2.0.8-beta.67',
    tags: [`type=match,"pattern=\\d.\\d.\\d-(alpha|beta).\\d+"`],
    expected: ['2.0.8-beta.67', 'latest'],
    ourLatest: false,
  },
  { id: 'tag08', event: 'tag-v2.0.8-beta.67', tags: [`type=match,"pattern=\\d.\\d"`], expected: ['2.0', 'latest'], ourLatest: false },
  {
    id: 'tag09',
    event: 'tag-v2.0.8-beta.67',
    tags: [`type=match,"pattern=v(.*)-beta.(.*)",group=1`, `type=match,"pattern=v(.*)-beta.(.*)",group=2`],
    expected: ['2.0.8', '67', 'latest'],
    ourLatest: false,
  },
  { id: 'tag10', event: 'tag-sometag', tags: [`type=match,"pattern=\\d.\\d"`], expected: [] },
  { id: 'tag11', event: 'tag-v1.1.1', tags: semverTriple, expected: ['1.1.1', '1.1', '1', 'latest'] },
  {
    id: 'tag12',
    event: 'tag-v1.1.1',
    tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    expected: ['1.1.1', 'latest'],
  },
  {
    id: 'tag13',
    event: 'tag-v2.0.8-beta.67',
    tags: ['type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'],
    expected: ['2.0.8-beta.67'],
  },
  { id: 'tag14', event: 'tag-sometag', tags: ['type=ref,event=tag', ...semverTriple], flavor: ['latest=false'], expected: ['sometag'] },
  {
    id: 'tag15',
    event: 'tag-v2.0.8-beta.67',
    tags: ['type=raw,priority=2000,foo', 'type=semver,pattern={{version}}', `type=match,"pattern=\\d.\\d"`],
    expected: ['foo', '2.0.8-beta.67', '2.0'],
  },
  {
    id: 'tag16',
    event: 'tag-v1.1.1',
    tags: ['type=raw,priority=2000,foo', 'type=ref,event=tag', 'type=edge'],
    expected: ['foo', 'v1.1.1'],
    ourLatest: true,
  },
  {
    id: 'tag17',
    event: 'tag-p1-v1.0.0',
    tags: [
      `type=match,"pattern=/^v(\\d.\\d.\\d)$/ig",group=1`,
      `type=match,pattern=\\d.\\d.\\d`,
      `type=match,pattern=\\d.\\d`,
      'type=ref,event=pr',
      'type=sha',
    ],
    expected: ['1.0.0', '1.0', 'sha-860c190', 'latest'],
    ourLatest: false,
  },
  {
    id: 'tag18',
    event: 'tag-p1-v1.0.0',
    tags: [
      `type=match,pattern=p1/v(\\d.\\d.\\d),group=1`,
      `type=match,pattern=p1/v(\\d.\\d),group=1`,
      `type=match,pattern=p1/v(\\d.\\d),group=3`,
      'type=ref,event=pr',
      'type=sha',
    ],
    expected: ['1.0.0', '1.0', 'sha-860c190', 'latest'],
    ourLatest: false,
  },
  {
    id: 'tag19',
    event: 'tag-p1-v1.0.0',
    tags: [
      `type=match,pattern=p1/v(\\d.\\d.\\d),group=1`,
      `type=match,pattern=p1/v(\\d.\\d),group=1,suffix=`,
      'type=ref,event=pr',
      'type=sha',
    ],
    flavor: ['suffix=-dev'],
    expected: ['1.0.0-dev', '1.0', 'sha-860c190-dev', 'latest'],
    ourLatest: false,
  },
  {
    id: 'tag20',
    event: 'tag-v1.1.1',
    tags: ['type=raw,{{tag}}-{{sha}}-foo', 'type=raw,{{base_ref}}-foo', 'type=raw,defbranch-foo,enable={{is_default_branch}}'],
    expected: ['v1.1.1-860c190-foo', 'master-foo'],
    ourLatest: true,
  },
  {
    id: 'tag21',
    event: 'tag-v1.1.1',
    tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    flavor: ['suffix=-dev,onlatest=true'],
    expected: ['1.1.1-dev', 'latest-dev'],
  },
  {
    id: 'tag22',
    event: 'tag-v1.1.1',
    tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    flavor: ['prefix=foo-,onlatest=true', 'suffix=-dev,onlatest=true'],
    expected: ['foo-1.1.1-dev', 'foo-latest-dev'],
  },
  {
    id: 'tag23',
    event: 'tag-v1.1.1',
    tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['v1.1.1', '1.1', 'latest'],
  },
  {
    id: 'tag24',
    event: 'tag-1.2',
    tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['1.2', 'latest'],
    ourLatest: false,
  },
  {
    id: 'tag25',
    event: 'tag-1.1beta2',
    tags: ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    expected: ['1.1b2'],
  },
  {
    id: 'tag26',
    event: 'tag-1.0dev4',
    tags: ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    expected: ['1.0.dev4'],
  },
  {
    id: 'tag27',
    event: 'tag-1.2.3rc2',
    tags: [
      'type=pep440,pattern={{raw}}',
      'type=pep440,pattern={{version}}',
      'type=pep440,pattern={{major}}.{{minor}}',
      'type=pep440,pattern={{major}}',
    ],
    expected: ['1.2.3rc2'],
  },
  {
    id: 'tag28',
    event: 'tag-v1.1.1',
    tags: [
      'type=pep440,pattern={{version}}',
      'type=pep440,pattern={{major}}.{{minor}}.{{patch}}',
      'type=pep440,pattern={{major}}.{{minor}}',
      'type=pep440,pattern={{major}}',
    ],
    expected: ['1.1.1', '1.1', '1', 'latest'],
  },
  {
    id: 'tag29',
    event: 'tag-1.2post1',
    tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    expected: ['1.2.post1'],
  },
  {
    id: 'tag30',
    event: 'tag-sometag',
    tags: [
      'type=ref,event=tag',
      'type=pep440,pattern={{version}}',
      'type=pep440,pattern={{major}}.{{minor}}',
      'type=pep440,pattern={{major}}',
    ],
    flavor: ['latest=false'],
    expected: ['sometag'],
  },
  { id: 'tag31', event: 'tag-v2.0.8-beta.67', tags: ['type=semver,pattern={{raw}}'], expected: ['v2.0.8-beta.67'] },
  {
    id: 'tag32',
    event: 'tag-v1.2.3rc2',
    tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['v1.2.3rc2', '1.2.3rc2'],
  },
  {
    id: 'tag34',
    event: 'tag-p1-v1.0.0',
    tags: [`type=semver,pattern={{version}},"match=v(\\d.\\d.\\d)$"`],
    expected: ['1.0.0', 'latest'],
    ourLatest: false,
  },

  // latest
  {
    id: 'latest01',
    event: 'tag-release1',
    tags: [`type=match,"pattern=^release\\d{1,2}"`],
    expected: ['release1', 'latest'],
    ourLatest: false,
  },
  {
    id: 'latest02',
    event: 'tag-20200110-RC2',
    tags: [`type=match,"pattern=^\\d+-RC\\d{1,2}"`],
    expected: ['20200110-RC2', 'latest'],
    ourLatest: false,
  },
  { id: 'latest03', event: 'tag-20200110-RC2', tags: [`type=match,pattern=\\d{8}`], expected: ['20200110', 'latest'], ourLatest: false },
  { id: 'latest04', event: 'tag-v1.1.1', tags: [`type=match,"pattern=\\d.\\d.\\d"`], expected: ['1.1.1', 'latest'] },
  { id: 'latest05', event: 'tag-v1.1.1', expected: ['v1.1.1', 'latest'] },
  {
    id: 'latest06',
    event: 'tag-v2.0.8-beta.67',
    tags: [`type=match,"pattern=\\d.\\d.\\d"`],
    expected: ['2.0.8', 'latest'],
    ourLatest: false,
  },
  { id: 'latest07', event: 'tag-v1.1.1', tags: ['type=ref,event=tag'], flavor: ['latest=false'], expected: ['v1.1.1'] },

  // pr
  { id: 'pr01', event: 'pull-request', expected: ['pr-15'] },
  { id: 'pr03', event: 'pull-request', tags: ['type=ref,event=pr', 'type=sha'], expected: ['pr-15', 'sha-a9c8c58'] },
  { id: 'pr04', event: 'pull-request', tags: ['type=sha,priority=2000', 'type=ref,event=pr'], expected: ['sha-a9c8c58', 'pr-15'] },
  { id: 'pr05', event: 'pull-request', tags: ['type=ref,event=pr'], flavor: globalAffixes, expected: ['pr-15-bal'] },
  { id: 'pr06', event: 'pull-request', tags: ['type=ref,event=pr,prefix='], flavor: globalAffixes, expected: ['15-bal'] },
  { id: 'pr07', event: 'pull-request-target', tags: ['type=sha,priority=2000', 'type=ref,event=pr'], expected: ['sha-2665741', 'pr-15'] },
  { id: 'pr08', event: 'pull-request-target', tags: ['type=ref,event=pr,prefix='], flavor: globalAffixes, expected: ['15-bal'] },
  {
    id: 'pr09',
    event: 'pull-request-target',
    tags: ['type=ref,event=tag', 'type=ref,event=pr', 'type=ref,event=branch', 'type=sha', 'type=sha,format=long'],
    expected: ['pr-15', 'sha-2665741', longSha('266574110acf203503badf966df2ea24b5d732d7')],
  },
  {
    id: 'pr10',
    event: 'pull-request-target',
    tags: ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'],
    expected: ['mytag-master'],
  },
  {
    id: 'pr11',
    event: 'pull-request',
    tags: ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'],
    expected: ['mytag-master'],
  },
  // An unquoted format is an unknown name to Handlebars: moment's default format, sanitized.
  { id: 'pr12', event: 'pull-request', tags: ['type=raw,value={{commit_date YYYY-MM-DD-HHmmSS}}'], expected: ['2020-01-10T00-30-00Z'] },

  // pr-head-sha
  { id: 'pr-head-sha pr01', event: 'pull-request', prHeadSha: true, expected: ['pr-15'] },
  {
    id: 'pr-head-sha pr03',
    event: 'pull-request',
    prHeadSha: true,
    tags: ['type=ref,event=pr', 'type=sha'],
    expected: ['pr-15', 'sha-3370e22'],
  },
  {
    id: 'pr-head-sha pr04',
    event: 'pull-request',
    prHeadSha: true,
    tags: ['type=sha,priority=2000', 'type=ref,event=pr'],
    expected: ['sha-3370e22', 'pr-15'],
  },
  {
    id: 'pr-head-sha pr07',
    event: 'pull-request-target',
    prHeadSha: true,
    tags: ['type=sha,priority=2000', 'type=ref,event=pr'],
    expected: ['sha-3370e22', 'pr-15'],
  },
  {
    id: 'pr-head-sha pr09',
    event: 'pull-request-target',
    prHeadSha: true,
    tags: ['type=ref,event=tag', 'type=ref,event=pr', 'type=ref,event=branch', 'type=sha', 'type=sha,format=long'],
    expected: ['pr-15', 'sha-3370e22', longSha('3370e228f2209994d57af4427fe64e71bb79ac96')],
  },
  {
    id: 'pr-head-sha pr12',
    event: 'pull-request',
    prHeadSha: true,
    tags: ['type=raw,value=src-{{commit_date YYYY-MM-DD}}'],
    expected: ['src-2020-01-10T00-30-00Z'],
  },

  // schedule
  { id: 'schedule01', event: 'schedule', expected: ['nightly', 'master'] },
  {
    id: 'schedule02',
    event: 'schedule',
    tags: [`type=schedule,pattern={{date 'YYYYMMDD'}}`, `type=schedule,pattern=source-date-{{commit_date 'YYYY-MM-DD'}}`],
    expected: ['20200110', 'source-date-2020-01-10'],
  },
  { id: 'schedule03', event: 'schedule', tags: [`type=schedule,pattern={{date 'YYYYMMDD-HHmmss'}}`], expected: ['20200110-003000'] },
  { id: 'schedule05', event: 'schedule', tags: ['type=schedule', 'type=sha'], expected: ['nightly', 'sha-860c190'] },
  {
    id: 'schedule06',
    event: 'schedule',
    tags: ['type=schedule', 'type=sha,priority=2000', 'type=raw,value=defbranch,enable={{is_default_branch}}'],
    expected: ['sha-860c190', 'nightly', 'defbranch'],
  },
  { id: 'schedule07', event: 'schedule', tags: ['type=schedule'], flavor: globalAffixes, expected: ['glo-nightly-bal'] },
  {
    id: 'schedule08',
    event: 'schedule',
    tags: [
      `type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}`,
      `type=schedule,pattern=src-{{commit_date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}`,
    ],
    expected: ['20200110-093000', 'src-20200110-093000'],
  },

  // release
  { id: 'release01', event: 'release-created', expected: ['v1.1.1', 'latest'] },
  {
    id: 'release02',
    event: 'release-created',
    tags: ['type=ref,event=tag', 'type=raw,value=baseref-{{base_ref}}', 'type=raw,value=defbranch,enable={{is_default_branch}}'],
    expected: ['v1.1.1', 'baseref-', 'latest'],
  },
  {
    id: 'release03',
    event: 'release-created',
    tags: [`type=raw,value=src-{{commit_date 'YYYYMMDD-HHmmss'}}`, `type=raw,value={{date 'YYYYMMDD-HHmmss'}}`],
    expected: ['src-20200110-003000', '20200110-003000'],
    ourLatest: true,
  },

  // raw
  { id: 'raw01', event: 'push-dev', tags: ['type=ref,event=branch', ...raws], expected: ['dev', 'my', 'custom', 'tags'] },
  { id: 'raw02', event: 'push-dev', tags: ['type=ref,event=branch', 'type=raw,my'], expected: ['dev', 'my'] },
  {
    id: 'raw03',
    event: 'tag-release1',
    tags: ['type=ref,event=tag', ...raws],
    expected: ['release1', 'my', 'custom', 'tags', 'latest'],
    ourLatest: false,
  },
  {
    id: 'raw04',
    event: 'tag-20200110-RC2',
    tags: [`type=match,pattern=\\d{8}`, ...raws],
    flavor: ['latest=false'],
    expected: ['20200110', 'my', 'custom', 'tags'],
  },
  { id: 'raw05', event: 'tag-v1.1.1', tags: [...semverTriple, ...raws], expected: ['1.1.1', '1.1', '1', 'my', 'custom', 'tags', 'latest'] },
  { id: 'raw06', event: 'tag-v1.1.1', tags: raws, expected: ['my', 'custom', 'tags'], ourLatest: true },
  {
    id: 'raw07',
    event: 'push-dev',
    tags: ['type=ref,priority=90,event=branch', ...raws],
    flavor: ['latest=true'],
    expected: ['my', 'custom', 'tags', 'dev', 'latest'],
  },
  {
    id: 'raw08',
    event: 'push-dev',
    tags: [`type=match,pattern=\\d{8}`, ...raws],
    flavor: ['latest=false'],
    expected: ['my', 'custom', 'tags'],
  },
  {
    id: 'raw09',
    event: 'push-dev',
    tags: [`type=match,pattern=\\d{8}`, 'type=raw,my,prefix=foo-,suffix=-bar', 'type=raw,custom', 'type=raw,tags'],
    flavor: ['latest=false', ...globalAffixes],
    expected: ['foo-my-bar', 'glo-custom-bal', 'glo-tags-bal'],
  },
  {
    id: 'raw10',
    event: 'push-dev',
    tags: ['type=raw,foo', 'type=raw,bar,enable=false', 'type=raw,baz,enable=true'],
    flavor: ['latest=false'],
    expected: ['foo', 'baz'],
  },
];

describe("metadata-action's test cases", () => {
  test.each(cases.filter((c) => c.expected.length > 0).map((c) => [c.id, c] as const))('%s', async (_, c) => {
    expect(await tagsOf(c)).toEqual(ours(c));
  });

  test.each(cases.filter((c) => c.expected.length === 0).map((c) => [c.id, c] as const))('%s: no tag, which we report', async (_, c) => {
    await expect(tagsOf(c)).rejects.toThrow(/^Input 'tags': no rule gives a tag for this/);
  });
});

describe("metadata-action's README tables", () => {
  // Each row: git tag, rule, metadata-action's output. latest=false keeps `latest` out of the way.
  test.each([
    ['v1.2.3', 'type=semver,pattern={{raw}}', 'v1.2.3'],
    ['v1.2.3', 'type=semver,pattern={{version}}', '1.2.3'],
    ['v1.2.3', 'type=semver,pattern={{major}}.{{minor}}', '1.2'],
    ['v1.2.3', 'type=semver,pattern=v{{major}}', 'v1'],
    ['v1.2.3', 'type=semver,pattern={{minor}}', '2'],
    ['v1.2.3', 'type=semver,pattern={{patch}}', '3'],
    ['p1/v1.2.3', 'type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$', '1.2.3'],
    ['v2.0.8-beta.67', 'type=semver,pattern={{raw}}', 'v2.0.8-beta.67'],
    ['v2.0.8-beta.67', 'type=semver,pattern={{version}}', '2.0.8-beta.67'],
    ['v2.0.8-beta.67', 'type=semver,pattern={{major}}', '2.0.8-beta.67'],
    ['v2.0.8-beta.67', 'type=semver,pattern={{major}}.{{minor}}', '2.0.8-beta.67'],
    ['1.2.3', 'type=pep440,pattern={{raw}}', '1.2.3'],
    ['1.2.3', 'type=pep440,pattern={{version}}', '1.2.3'],
    ['v1.2.3', 'type=pep440,pattern={{version}}', '1.2.3'],
    ['1.2.3', 'type=pep440,pattern={{major}}.{{minor}}', '1.2'],
    ['1.2.3', 'type=pep440,pattern=v{{major}}', 'v1'],
    ['v1.2.3rc2', 'type=pep440,pattern={{raw}}', 'v1.2.3rc2'],
    ['1.2.3rc2', 'type=pep440,pattern={{version}}', '1.2.3rc2'],
    ['p1/v1.2.3', 'type=pep440,pattern={{version}},match=v(\\d.\\d.\\d)$', '1.2.3'],
    ['1.2.3rc2', 'type=pep440,pattern={{major}}.{{minor}}', '1.2.3rc2'],
    ['1.2.3post1', 'type=pep440,pattern={{major}}.{{minor}}', '1.2.3.post1'],
    ['1.2.3beta2', 'type=pep440,pattern={{major}}.{{minor}}', '1.2.3b2'],
    ['1.0dev4', 'type=pep440,pattern={{major}}.{{minor}}', '1.0.dev4'],
    ['v1.2.3', 'type=match,pattern=\\d.\\d.\\d,group=0', '1.2.3'],
    ['v2.0.8-beta.67', 'type=match,pattern=v(.*),group=1', '2.0.8-beta.67'],
    ['v2.0.8-beta.67', 'type=match,pattern=v(\\d.\\d),group=1', '2.0'],
    ['20200110-RC2', 'type=match,pattern=\\d+,group=0', '20200110'],
    ['p1/v1.2.3', 'type=match,pattern=p1/v(\\d.\\d.\\d),group=1', '1.2.3'],
    ['v1.2.3', 'type=ref,event=tag', 'v1.2.3'],
    ['v2.0.8-beta.67', 'type=ref,event=tag', 'v2.0.8-beta.67'],
  ])('tag %s, %s: %s', async (tag, rule, expected) => {
    const git = readGitContext({ eventName: 'push', ref: `refs/tags/${tag}`, sha: '860c1904a1ce19322e91ac35af1ab07466440c37' }, {});
    const plan = { rules: parseTagRules([rule]), flavor: parseFlavor([]), latest: 'false' as const, shortShaLength: 7 };
    expect((await resolveTags(plan, git, { facts, now: PINNED, logger: recordingLogger() })).tags).toEqual([expected]);
  });

  test.each([
    ['pull_request', 'refs/pull/2/merge', 'pr-2'],
    ['push', 'refs/heads/master', 'master'],
    ['push', 'refs/heads/my/branch', 'my-branch'],
    ['workflow_dispatch', 'refs/heads/master', 'master'],
  ])('ref rules on %s %s: %s', async (eventName, ref, expected) => {
    const git = readGitContext({ eventName, ref, sha: '860c1904a1ce19322e91ac35af1ab07466440c37' }, {});
    const plan = {
      rules: parseTagRules(['type=ref,event=branch', 'type=ref,event=pr']),
      flavor: parseFlavor([]),
      latest: 'false' as const,
      shortShaLength: 7,
    };
    expect((await resolveTags(plan, git, { facts, now: PINNED, logger: recordingLogger() })).tags).toEqual([expected]);
  });

  test.each([
    [`{{date 'YYYYMMDD'}}`, '20200110'],
    [`{{date 'dddd, MMMM Do YYYY, h:mm:ss a'}}`, 'Friday-January-10th-2020-12-30-00-am'],
    [`{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}`, '20200110-093000'],
  ])('date expression %s: %s (sanitized)', async (expression, expected) => {
    const git = readGitContext({ eventName: 'push', ref: 'refs/heads/master', sha: '860c1904a1ce19322e91ac35af1ab07466440c37' }, {});
    // Quoted: the format has commas.
    const plan = {
      rules: parseTagRules([`type=raw,"value=${expression}"`]),
      flavor: parseFlavor([]),
      latest: 'false' as const,
      shortShaLength: 7,
    };
    expect((await resolveTags(plan, git, { facts, now: PINNED, logger: recordingLogger() })).tags).toEqual([expected]);
  });
});
