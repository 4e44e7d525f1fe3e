import {
  compareSlots,
  compareWithinSlot,
  dateIdCandidate,
  defaultVersion,
  describePattern,
  formatDate,
  idProblem,
  isValidTagName,
  isVersion,
  parseCandidate,
  parseRelease,
  prefixesProblem,
  prefixProblem,
  releaseTagFor,
  semverCandidate,
  semverRelease,
  type ParsedTag,
  type SchemeConfig,
} from '../../actions/promote-release-tag/src/schemes';

const dateId: SchemeConfig = { scheme: 'date-id', candidatePrefix: 'test-', releasePrefix: 'release-' };
const semver: SchemeConfig = { scheme: 'semver', candidatePrefix: '', releasePrefix: '' };
const vSemver: SchemeConfig = { scheme: 'semver', candidatePrefix: 'v', releasePrefix: 'v' };

const candidate = (config: SchemeConfig, name: string) => parseCandidate(config, name) as ParsedTag;
const release = (config: SchemeConfig, name: string) => parseRelease(config, name) as ParsedTag;

describe('date-id scheme', () => {
  test('parses candidate tags into date and ID', () => {
    expect(parseCandidate(dateId, 'test-2026.11.21-abc1234')).toEqual({
      name: 'test-2026.11.21-abc1234',
      kind: 'candidate',
      date: '2026.11.21',
      id: 'abc1234',
    });
    expect(parseCandidate(dateId, 'test-2024.02.29-build.12_a-b')?.id).toBe('build.12_a-b');
  });

  test.each([
    ['wrong prefix', 'release-2026.11.21-abc1234'],
    ['no prefix', '2026.11.21-abc1234'],
    ['no ID', 'test-2026.11.21'],
    ['empty ID', 'test-2026.11.21-'],
    ['dashes in the date', 'test-2026-11-21-abc'],
    ['short year', 'test-26.11.21-abc'],
    ['month 13', 'test-2026.13.01-abc'],
    ['30 February', 'test-2026.02.30-abc'],
    ['29 February of a common year', 'test-2025.02.29-abc'],
    ['day 00', 'test-2026.11.00-abc'],
    ['double separator', 'test-2026.11.21-a..b'],
    ['trailing separator', 'test-2026.11.21-abc.'],
    ['leading separator', 'test-2026.11.21--abc'],
    ['.lock ending', 'test-2026.11.21-abc.lock'],
    ['slash', 'test-2026.11.21-a/b'],
    ['space', 'test-2026.11.21-a b'],
    ['trailing newline', 'test-2026.11.21-abc\n'],
    ['over-long ID', `test-2026.11.21-${'a'.repeat(65)}`],
  ])('rejects a candidate with %s', (_, name) => {
    expect(parseCandidate(dateId, name)).toBeUndefined();
  });

  test('release tags have the release prefix', () => {
    expect(parseRelease(dateId, 'release-2026.11.21-abc1234')?.date).toBe('2026.11.21');
    expect(parseRelease(dateId, 'test-2026.11.21-abc1234')).toBeUndefined();
    expect(parseCandidate(dateId, 'release-2026.11.21-abc1234')).toBeUndefined();
  });

  test('the release tag keeps date and ID', () => {
    expect(releaseTagFor(dateId, candidate(dateId, 'test-2026.01.05-42'))).toBe('release-2026.01.05-42');
    const custom: SchemeConfig = { scheme: 'date-id', candidatePrefix: 'rc/', releasePrefix: '' };
    expect(releaseTagFor(custom, candidate(custom, 'rc/2026.01.05-x9'))).toBe('2026.01.05-x9');
  });

  test('prefixes with regular-expression characters are taken literally', () => {
    const dotted: SchemeConfig = { scheme: 'date-id', candidatePrefix: 'a.b-', releasePrefix: 'r-' };
    expect(parseCandidate(dotted, 'a.b-2026.01.05-x')).toBeDefined();
    expect(parseCandidate(dotted, 'aXb-2026.01.05-x')).toBeUndefined();
  });

  test('candidate names use the UTC date', () => {
    // 23:30 on 31 Dec in New York is already 1 January in UTC.
    expect(dateIdCandidate(dateId, new Date('2027-01-01T04:30:00Z'), 'abc1234')).toBe('test-2027.01.01-abc1234');
    expect(formatDate(new Date('2026-03-09T23:59:59.999Z'))).toBe('2026.03.09');
  });

  test('names are ordered by day; within a day by numeric ID only', () => {
    const a = candidate(dateId, 'test-2026.11.20-zzz');
    const b = candidate(dateId, 'test-2026.11.21-aaa');
    expect(compareSlots(a, b)).toBeLessThan(0);
    expect(compareSlots(b, a)).toBeGreaterThan(0);
    expect(compareSlots(b, candidate(dateId, 'test-2026.11.21-bbb'))).toBe(0);
    expect(compareSlots(candidate(dateId, 'test-2026.12.01-x'), candidate(dateId, 'test-2026.11.30-x'))).toBeGreaterThan(0);
    expect(compareWithinSlot(candidate(dateId, 'test-2026.11.21-9'), candidate(dateId, 'test-2026.11.21-10'))).toBeLessThan(0);
    expect(compareWithinSlot(candidate(dateId, 'test-2026.11.21-010'), candidate(dateId, 'test-2026.11.21-9'))).toBeGreaterThan(0);
    expect(compareWithinSlot(candidate(dateId, 'test-2026.11.21-12'), candidate(dateId, 'test-2026.11.21-0012'))).toBe(0);
    expect(
      compareWithinSlot(
        candidate(dateId, 'test-2026.11.21-99999999999999999999'),
        candidate(dateId, 'test-2026.11.21-100000000000000000000'),
      ),
    ).toBeLessThan(0);
    expect(compareWithinSlot(candidate(dateId, 'test-2026.11.21-12'), candidate(dateId, 'test-2026.11.21-abc'))).toBeUndefined();
    expect(compareWithinSlot(candidate(dateId, 'test-2026.11.21-abc'), candidate(dateId, 'test-2026.11.21-abd'))).toBeUndefined();
  });
});

describe('semver scheme', () => {
  test('parses X.Y.Z-rc.N candidates and X.Y.Z releases', () => {
    expect(parseCandidate(semver, '1.0.3-rc.2')).toEqual({ name: '1.0.3-rc.2', kind: 'candidate', version: [1, 0, 3], rc: 2 });
    expect(parseRelease(semver, '1.0.3')).toEqual({ name: '1.0.3', kind: 'release', version: [1, 0, 3] });
    expect(parseRelease(vSemver, 'v10.20.30')?.version).toEqual([10, 20, 30]);
    expect(parseCandidate(vSemver, 'v1.0.0-rc.0')?.rc).toBe(0);
  });

  test.each([
    ['a release as a candidate', '1.0.3', 'candidate'],
    ['a candidate as a release', '1.0.3-rc.1', 'release'],
    ['a leading zero', '01.0.3', 'release'],
    ['a leading zero in rc', '1.0.3-rc.01', 'candidate'],
    ['two parts', '1.0', 'release'],
    ['four parts', '1.0.3.4', 'release'],
    ['another pre-release label', '1.0.3-beta.1', 'candidate'],
    ['rc without number', '1.0.3-rc', 'candidate'],
    ['build metadata', '1.0.3+build', 'release'],
    ['a v prefix the scheme does not have', 'v1.0.3', 'release'],
  ] as const)('rejects %s', (_, name, kind) => {
    expect(kind === 'candidate' ? parseCandidate(semver, name) : parseRelease(semver, name)).toBeUndefined();
  });

  test('the release tag drops the rc part', () => {
    expect(releaseTagFor(semver, candidate(semver, '1.0.3-rc.7'))).toBe('1.0.3');
    expect(releaseTagFor(vSemver, candidate(vSemver, 'v2.1.0-rc.1'))).toBe('v2.1.0');
    expect(semverCandidate(vSemver, '2.1.0', 3)).toBe('v2.1.0-rc.3');
    expect(semverRelease(vSemver, '2.1.0')).toBe('v2.1.0');
  });

  test('orders by version numerically, then by rc', () => {
    const order = ['1.0.3-rc.1', '1.0.3-rc.2', '1.0.3-rc.10', '1.0.10-rc.1', '1.2.0-rc.1', '2.0.0-rc.0', '10.0.0-rc.1'];
    const shuffled = [...order].reverse().map((name) => candidate(semver, name));
    expect(shuffled.sort(compareSlots).map((tag) => tag.name)).toEqual(order);
    expect(compareSlots(release(semver, '1.9.0'), release(semver, '1.10.0'))).toBeLessThan(0);
    expect(compareSlots(release(semver, '1.10.0'), release(semver, '1.10.0'))).toBe(0);
    expect(compareWithinSlot(release(semver, '1.10.0'), release(semver, '1.10.0'))).toBe(0);
  });

  test('without a version, a candidate continues the newest unreleased version, or starts the next patch', () => {
    const candidates = (...names: string[]) => names.map((name) => candidate(semver, name));
    const releases = (...names: string[]) => names.map((name) => release(semver, name));
    expect(defaultVersion([], [])).toBeUndefined();
    expect(defaultVersion(candidates('1.0.3-rc.1', '1.0.2-rc.4'), releases('1.0.2'))).toBe('1.0.3');
    expect(defaultVersion(candidates('1.0.3-rc.2'), releases('1.0.2', '1.0.3'))).toBe('1.0.4');
    expect(defaultVersion([], releases('1.9.0', '1.10.0'))).toBe('1.10.1');
    expect(defaultVersion(candidates('2.0.0-rc.1'), releases('1.10.0'))).toBe('2.0.0');
    expect(defaultVersion(candidates('1.0.0-rc.1'), [])).toBe('1.0.0');
  });

  test('plain versions are X.Y.Z', () => {
    expect(isVersion('1.0.3')).toBe(true);
    expect(isVersion('0.0.0')).toBe(true);
    for (const bad of ['1.0', 'v1.0.3', '1.0.3-rc.1', '1.00.3', ' 1.0.3', '']) expect(isVersion(bad)).toBe(false);
  });
});

describe('names and prefixes', () => {
  test('git tag name rules', () => {
    for (const good of ['release-2026.11.21-abc', 'v1.0.0', 'a/b', 'x']) expect(isValidTagName(good)).toBe(true);
    for (const bad of [
      '',
      'a..b',
      'a b',
      'a~1',
      'a^',
      'a:b',
      'a?',
      'a*',
      'a[b',
      'a\\b',
      '-a',
      '/a',
      'a/',
      'a.',
      'a//b',
      '.a',
      'a/.b',
      'a.lock',
      'a@{b',
      '@',
      'a\x7f',
      'a\tb',
    ]) {
      expect(isValidTagName(bad)).toBe(false);
    }
  });

  test('prefixes', () => {
    for (const good of ['', 'test-', 'release-', 'v', 'rc/', 'a.b_c-']) expect(prefixProblem(good)).toBeUndefined();
    expect(prefixProblem('test me-')).toMatch(/may only contain/);
    expect(prefixProblem('a~')).toMatch(/may only contain/);
    expect(prefixProblem('-x')).toMatch(/cannot start a git tag name/);
    expect(prefixProblem('a..')).toMatch(/cannot start a git tag name/);
    expect(prefixProblem('/a')).toMatch(/cannot start a git tag name/);
    expect(prefixProblem('x.lock/')).toMatch(/cannot start a git tag name/);
    expect(prefixProblem('a'.repeat(101))).toMatch(/longer than 100/);
  });

  test('date-id needs distinct prefixes; semver may share one', () => {
    expect(prefixesProblem({ scheme: 'date-id', candidatePrefix: 'x-', releasePrefix: 'x-' })).toMatch(/same name/);
    expect(prefixesProblem(dateId)).toBeUndefined();
    expect(prefixesProblem(vSemver)).toBeUndefined();
  });

  test('IDs', () => {
    expect(idProblem('abc1234')).toBeUndefined();
    expect(idProblem('run-12.3')).toBeUndefined();
    expect(idProblem('a..b')).toMatch(/not a valid ID/);
    expect(idProblem('x.lock')).toMatch(/not a valid ID/);
    expect(idProblem('')).toMatch(/not a valid ID/);
    expect(idProblem('a'.repeat(65))).toMatch(/longer than 64/);
  });

  test('patterns for messages', () => {
    expect(describePattern(dateId, 'candidate')).toBe('test-YYYY.MM.DD-ID');
    expect(describePattern(dateId, 'release')).toBe('release-YYYY.MM.DD-ID');
    expect(describePattern(vSemver, 'candidate')).toBe('vX.Y.Z-rc.N');
    expect(describePattern(semver, 'release')).toBe('X.Y.Z');
  });
});
