/**
 * Reading the `tags` and `flavor` inputs: metadata-action's parse cases (`__tests__/tag.test.ts`,
 * `__tests__/flavor.test.ts`) with what it makes of each, and our input errors.
 */
import { parseFlavor, parseTagRule, parseTagRules, PRIORITIES } from '../../actions/docker-build-push/src/tag-rules';

describe('tag rules', () => {
  test.each([
    ["type=schedule,enable=true,pattern={{date 'YYYYMMDD'}}", { type: 'schedule', pattern: "{{date 'YYYYMMDD'}}", priority: 1000 }],
    ['type=schedule', { type: 'schedule', pattern: 'nightly', enable: 'true' }],
    ['type=semver,enable=true,pattern={{version}}', { type: 'semver', pattern: '{{version}}', value: '', match: undefined, priority: 900 }],
    ['type=semver,priority=1,enable=true,pattern={{version}},value=v1.0.0', { type: 'semver', value: 'v1.0.0', priority: 1 }],
    [
      'type=semver,priority=1,enable=true,pattern={{version}},value=p1/v1.0.0,"match=v(\\d.\\d.\\d)$"',
      { type: 'semver', value: 'p1/v1.0.0', match: { source: 'v(\\d.\\d.\\d)$', flags: '' } },
    ],
    ['type=pep440,pattern={{raw}}', { type: 'pep440', pattern: '{{raw}}', priority: 900 }],
    [
      'type=match,enable=true,pattern=v(.*),group=1',
      { type: 'match', pattern: { source: 'v(.*)', flags: '' }, group: 1, value: '', priority: 800 },
    ],
    ['type=match,enable=true,"pattern=^v(\\d.\\d.\\d)$",group=1', { type: 'match', pattern: { source: '^v(\\d.\\d.\\d)$', flags: '' } }],
    ['type=match,"pattern=/^v(\\d.\\d.\\d)$/ig",group=1', { type: 'match', pattern: { source: '^v(\\d.\\d.\\d)$', flags: 'ig' } }],
    ['type=match,priority=700,pattern=v(.*),group=1,value=v1.2.3', { type: 'match', priority: 700, value: 'v1.2.3' }],
    ['type=match,pattern=\\d.\\d.\\d', { type: 'match', group: 0 }],
    ['type=edge', { type: 'edge', branch: '', priority: 700 }],
    ['type=edge,enable=true,branch=master', { type: 'edge', branch: 'master' }],
    ['type=ref,event=tag', { type: 'ref', event: 'tag', prefix: undefined, priority: 600 }],
    ['type=ref,event=pr', { type: 'ref', event: 'pr', prefix: 'pr-' }],
    ['type=ref,event=pr,prefix=', { type: 'ref', event: 'pr', prefix: '' }],
    ['acustomtag', { type: 'raw', value: 'acustomtag', priority: 200 }],
    ['type=raw,foo', { type: 'raw', value: 'foo' }],
    ['type=raw,enable=false,value=acustomtag5', { type: 'raw', value: 'acustomtag5', enable: 'false' }],
    ['type=raw,value=x,enable={{is_default_branch}}', { type: 'raw', enable: '{{is_default_branch}}' }],
    ['type=sha', { type: 'sha', prefix: 'sha-', format: 'short', priority: 100 }],
    ['type=sha,format=long', { type: 'sha', format: 'long' }],
    ['type=sha,prefix=', { type: 'sha', prefix: '' }],
    [' TYPE = sha , suffix = -x ,', { type: 'sha', suffix: '-x' }],
  ])('%s', (line, expected) => {
    expect(parseTagRule(line)).toMatchObject({ ...expected, line });
  });

  test("sorted by priority, ties in the order written (metadata-action's transform case)", () => {
    const rules = parseTagRules([
      'type=ref,event=branch',
      'type=ref,event=tag',
      'type=ref,event=pr',
      'type=schedule',
      'type=sha',
      'type=raw,foo',
      'type=edge',
      'type=semver,pattern={{version}}',
      'type=match,"pattern=\\d.\\d.\\d",group=0',
    ]);
    expect(rules.map((rule) => rule.line)).toEqual([
      'type=schedule',
      'type=semver,pattern={{version}}',
      'type=match,"pattern=\\d.\\d.\\d",group=0',
      'type=edge',
      'type=ref,event=branch',
      'type=ref,event=tag',
      'type=ref,event=pr',
      'type=raw,foo',
      'type=sha',
    ]);
    expect(rules.map((rule) => rule.priority)).toEqual([1000, 900, 800, 700, 600, 600, 600, 200, 100]);
    expect(PRIORITIES.pep440).toBe(900);
  });

  test('comment lines are skipped', () => {
    expect(parseTagRules(['# the version', 'type=semver,pattern={{version}}', '#type=sha']).map((rule) => rule.type)).toEqual(['semver']);
  });

  test('a quoted field keeps its commas', () => {
    expect(parseTagRule('type=match,"pattern=\\d{1,3}",group=0')).toMatchObject({ pattern: { source: '\\d{1,3}' }, group: 0 });
  });

  test.each([
    // metadata-action rejects these too
    ['type=match,enable=true,pattern=v(.*),group=foo', "has group='foo'. Use a capture group number"],
    ['type=ref,event=foo', "has event='foo'. Use branch, tag or pr"],
    ['type=ref', 'needs event=. Add event=… to the rule'],
    ['type=raw', 'needs value=. Add value=… to the rule'],
    ['type=semver', 'needs pattern='],
    ['type=pep440', 'needs pattern='],
    ['type=match', 'needs pattern='],
    ['type=foo', "has unknown type 'foo'. Use one of: schedule, semver, pep440, match, edge, ref, raw, sha"],
    ['type=sha,format=foo', "has format='foo'. Use short or long"],
    ['type=raw,value=x,enable=yes', "has enable='yes'"],
    // metadata-action accepts these silently (last value wins, unknown keys ignored); we point at them
    ['type=raw,value=x,colour=red', "has unknown attribute 'colour' for type=raw. Use enable, priority, prefix, suffix, value"],
    ['type=sha,latest', 'has a value (a field without =) for type=sha. Use enable, priority, prefix, suffix, format'],
    ['type=raw,value=x,value=y', 'sets value twice'],
    ['type=raw,value=x,priority=high', "has priority='high'"],
    // metadata-action fails later, at render time or with a TypeError
    ['type=match,pattern=(', 'has an invalid regular expression in pattern= (Invalid regular expression: /(/: Unterminated group)'],
    ['type=match,pattern=/a/q', 'has an invalid regular expression in pattern='],
    ['type=semver,pattern={{version}},match=v\\d', 'has match= without a group'],
    ['type=raw,value={{branch}', 'has a template error in value= at character 9'],
    ['type=raw,value=x,prefix={{#if a}}', 'has a template error in prefix= at character'],
  ])('%s: input error', (line, problem) => {
    expect(() => parseTagRule(line)).toThrow(`Input 'tags': rule '${line}' ${problem}`);
  });

  test('a quote inside a field is a CSV error naming the line', () => {
    expect(() => parseTagRule('type=raw,value="a,b"')).toThrow(
      `Input 'tags': 'type=raw,value="a,b"' is not valid CSV (Invalid Opening Quote). Quote a whole field ("key=a,b"), not part of it`,
    );
  });
});

describe('flavor', () => {
  const defaults = { latest: undefined, prefix: '', suffix: '', prefixLatest: false, suffixLatest: false };

  test.each([
    [['latest=true'], { ...defaults, latest: 'true' }],
    [['latest=false'], { ...defaults, latest: 'false' }],
    [['latest=auto'], { ...defaults, latest: 'auto' }],
    [['prefix=sha-'], { ...defaults, prefix: 'sha-' }],
    [['suffix=-alpine'], { ...defaults, suffix: '-alpine' }],
    [['latest=false', 'prefix=dev-', 'suffix=-alpine'], { ...defaults, latest: 'false', prefix: 'dev-', suffix: '-alpine' }],
    [['prefix=dev-,onlatest=true'], { ...defaults, prefix: 'dev-', prefixLatest: true }],
    [['suffix=-alpine,onlatest=true'], { ...defaults, suffix: '-alpine', suffixLatest: true }],
    [
      ['prefix=dev-,onlatest=true', 'suffix=-alpine,onlatest=true'],
      { ...defaults, prefix: 'dev-', prefixLatest: true, suffix: '-alpine', suffixLatest: true },
    ],
    [['prefix= '], defaults],
    [['# none', 'prefix={{branch}}-'], { ...defaults, prefix: '{{branch}}-' }],
  ])('%j', (lines, expected) => {
    expect(parseFlavor(lines)).toEqual(expected);
  });

  test.each([
    [['randomstr', 'latest=auto'], "Input 'flavor': 'randomstr' is not key=value"],
    [['unknwown=foo'], "Input 'flavor': unknown entry 'unknwown'"],
    [['latest'], "Input 'flavor': 'latest' is not key=value"],
    [['latest=foo'], "Input 'flavor': latest='foo'. Use latest=auto, latest=true or latest=false"],
    [['prefix=x,onlatest=yes'], "Input 'flavor': onlatest='yes'"],
    [['prefix={{branch'], "Input 'flavor': 'prefix={{branch' has a template error in prefix="],
  ])('%j: input error', (lines, message) => {
    expect(() => parseFlavor(lines)).toThrow(message);
  });
});
