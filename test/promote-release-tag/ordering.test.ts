import { newestTag, previousTag } from '../../actions/promote-release-tag/src/ordering';
import { parseCandidate, parseRelease, type ParsedTag, type SchemeConfig } from '../../actions/promote-release-tag/src/schemes';

const dateId: SchemeConfig = { scheme: 'date-id', candidatePrefix: 'test-', releasePrefix: 'release-' };
const semver: SchemeConfig = { scheme: 'semver', candidatePrefix: 'v', releasePrefix: 'v' };

const candidates = (config: SchemeConfig, ...names: string[]) => names.map((name) => parseCandidate(config, name) as ParsedTag);
const releases = (config: SchemeConfig, ...names: string[]) => names.map((name) => parseRelease(config, name) as ParsedTag);

/** A commit-time lookup from a table, recording which tags it was asked about. */
function times(table: Record<string, number>) {
  const asked: string[] = [];
  const lookup = async (tag: ParsedTag) => {
    asked.push(tag.name);
    if (!(tag.name in table)) throw new Error(`no time for ${tag.name}`);
    return table[tag.name] as number;
  };
  return { asked, lookup };
}

describe('newest tag', () => {
  test('none of none', async () => {
    expect(await newestTag([], times({}).lookup)).toBeUndefined();
  });

  test('the latest day wins without looking at commits', async () => {
    const commitTimes = times({});
    const tags = candidates(dateId, 'test-2026.11.20-zzz', 'test-2026.11.21-aaa', 'test-2025.12.31-bbb');
    expect((await newestTag(tags, commitTimes.lookup))?.name).toBe('test-2026.11.21-aaa');
    expect(commitTimes.asked).toEqual([]);
  });

  test('semver: highest version, then highest rc', async () => {
    const tags = candidates(semver, 'v1.2.0-rc.1', 'v1.10.0-rc.2', 'v1.10.0-rc.10', 'v1.9.9-rc.99');
    expect((await newestTag(tags, times({}).lookup))?.name).toBe('v1.10.0-rc.10');
  });

  test('numeric IDs of one day order as numbers', async () => {
    const commitTimes = times({});
    const tags = candidates(dateId, 'test-2026.11.21-9', 'test-2026.11.21-10', 'test-2026.11.20-99');
    expect((await newestTag(tags, commitTimes.lookup))?.name).toBe('test-2026.11.21-10');
    expect(commitTimes.asked).toEqual([]);
  });

  test("short shas of one day order by their commits' dates, and only that day's are looked up", async () => {
    const commitTimes = times({ 'test-2026.11.21-fff0000': 100, 'test-2026.11.21-aaa0000': 200, 'test-2026.11.21-12': 150 });
    const tags = candidates(dateId, 'test-2026.11.21-fff0000', 'test-2026.11.21-aaa0000', 'test-2026.11.21-12', 'test-2026.11.20-zzz');
    expect((await newestTag(tags, commitTimes.lookup))?.name).toBe('test-2026.11.21-aaa0000');
    expect(commitTimes.asked.sort()).toEqual(['test-2026.11.21-12', 'test-2026.11.21-aaa0000', 'test-2026.11.21-fff0000']);
  });

  test('the same commit time falls back to the name, so the choice is stable', async () => {
    const tags = candidates(dateId, 'test-2026.11.21-bbb', 'test-2026.11.21-aaa');
    const lookup = times({ 'test-2026.11.21-aaa': 5, 'test-2026.11.21-bbb': 5 }).lookup;
    expect((await newestTag(tags, lookup))?.name).toBe('test-2026.11.21-bbb');
    expect((await newestTag([...tags].reverse(), lookup))?.name).toBe('test-2026.11.21-bbb');
  });
});

describe('previous release tag', () => {
  test('the newest of the earlier days', async () => {
    const tags = releases(dateId, 'release-2026.11.01-a', 'release-2026.11.10-b', 'release-2026.11.25-c');
    const target = releases(dateId, 'release-2026.11.21-x')[0] as ParsedTag;
    expect((await previousTag(tags, target, times({}).lookup))?.name).toBe('release-2026.11.10-b');
  });

  test('no earlier release', async () => {
    const tags = releases(dateId, 'release-2026.11.25-c');
    expect(await previousTag(tags, releases(dateId, 'release-2026.11.21-x')[0] as ParsedTag, times({}).lookup)).toBeUndefined();
    expect(await previousTag([], releases(dateId, 'release-2026.11.21-x')[0] as ParsedTag, times({}).lookup)).toBeUndefined();
  });

  test('the target itself is skipped when it already exists (a re-run)', async () => {
    const tags = releases(semver, 'v1.0.0', 'v1.0.3', 'v1.1.0');
    const target = releases(semver, 'v1.0.3')[0] as ParsedTag;
    expect((await previousTag(tags, target, times({}).lookup))?.name).toBe('v1.0.0');
  });

  test('an earlier release of the same day, by commit date', async () => {
    const tags = releases(dateId, 'release-2026.11.21-aaa', 'release-2026.11.21-ccc', 'release-2026.11.20-zzz');
    const target = releases(dateId, 'release-2026.11.21-bbb')[0] as ParsedTag;
    const lookup = times({ 'release-2026.11.21-aaa': 30, 'release-2026.11.21-bbb': 20, 'release-2026.11.21-ccc': 10 }).lookup;
    expect((await previousTag(tags, target, lookup))?.name).toBe('release-2026.11.21-ccc');
  });

  test('the first of its day goes back to the day before', async () => {
    const tags = releases(dateId, 'release-2026.11.21-aaa', 'release-2026.11.20-y', 'release-2026.11.20-z');
    const target = releases(dateId, 'release-2026.11.21-bbb')[0] as ParsedTag;
    const lookup = times({
      'release-2026.11.21-aaa': 30,
      'release-2026.11.21-bbb': 20,
      'release-2026.11.20-y': 2,
      'release-2026.11.20-z': 1,
    }).lookup;
    expect((await previousTag(tags, target, lookup))?.name).toBe('release-2026.11.20-y');
  });

  test('numeric IDs of the same day', async () => {
    const tags = releases(dateId, 'release-2026.11.21-7', 'release-2026.11.21-12');
    const target = releases(dateId, 'release-2026.11.21-10')[0] as ParsedTag;
    expect((await previousTag(tags, target, times({}).lookup))?.name).toBe('release-2026.11.21-7');
  });
});
