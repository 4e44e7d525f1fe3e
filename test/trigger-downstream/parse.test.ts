import {
  AUTO_POLL,
  describeReference,
  parseClientPayload,
  parseEventType,
  parsePollInterval,
  parseWorkflowInputs,
  parseWorkflowReference,
} from '../../actions/trigger-downstream/src/parse';

describe('parseWorkflowReference', () => {
  test('a number is an id, a .yml/.yaml name a file, anything else a display name', () => {
    expect(parseWorkflowReference('1234')).toEqual({ kind: 'id', id: 1234 });
    expect(parseWorkflowReference(' build.yml ')).toEqual({ kind: 'file', file: 'build.yml' });
    expect(parseWorkflowReference('Deploy.YAML')).toEqual({ kind: 'file', file: 'Deploy.YAML' });
    expect(parseWorkflowReference('.github/workflows/build.yml')).toEqual({ kind: 'file', file: 'build.yml' });
    expect(parseWorkflowReference('./.github/workflows/build.yaml')).toEqual({ kind: 'file', file: 'build.yaml' });
    expect(parseWorkflowReference('Build stack')).toEqual({ kind: 'name', name: 'Build stack' });
    expect(parseWorkflowReference('Build 2')).toEqual({ kind: 'name', name: 'Build 2' });
  });

  test('a path outside .github/workflows is an input error', () => {
    expect(() => parseWorkflowReference('ci/build.yml')).toThrow("Input 'workflow': 'ci/build.yml' is not in .github/workflows");
    expect(() => parseWorkflowReference('.github/workflows/sub/build.yml')).toThrow(/is not in \.github\/workflows/);
  });

  test('descriptions name the kind', () => {
    expect(describeReference({ kind: 'id', id: 7 })).toBe('with id 7');
    expect(describeReference({ kind: 'file', file: 'b.yml' })).toBe("file 'b.yml'");
    expect(describeReference({ kind: 'name', name: 'B' })).toBe("named 'B'");
  });
});

describe('parseWorkflowInputs', () => {
  test('scalars become strings; null becomes empty', () => {
    expect(parseWorkflowInputs({ tag: '1.0', push: true, replicas: 3, ratio: 0.5, empty: null })).toEqual({
      tag: '1.0',
      push: 'true',
      replicas: '3',
      ratio: '0.5',
      empty: '',
    });
    expect(parseWorkflowInputs({})).toEqual({});
  });

  test('mappings and lists are refused, naming the key', () => {
    expect(() => parseWorkflowInputs({ image: { tag: 1 } })).toThrow("Input 'inputs': 'image' is a mapping. Workflow inputs are strings");
    expect(() => parseWorkflowInputs({ tags: [1, 2] })).toThrow("Input 'inputs': 'tags' is a list");
  });

  test('distinct_id is reserved', () => {
    expect(() => parseWorkflowInputs({ distinct_id: 'x' })).toThrow("Input 'inputs': 'distinct_id' is set by the action");
  });

  test("GitHub's limits: 25 inputs, 65,535 characters", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(Object.keys(parseWorkflowInputs(many(25)))).toHaveLength(25);
    expect(() => parseWorkflowInputs(many(26))).toThrow("Input 'inputs': has 26 keys. GitHub accepts at most 25 workflow inputs");
    expect(() => parseWorkflowInputs({ big: 'x'.repeat(65_530) })).toThrow(/Input 'inputs': is 65540 characters long/);
    expect(parseWorkflowInputs({ big: 'x'.repeat(65_520) }).big).toHaveLength(65_520);
  });
});

describe('parseClientPayload', () => {
  test('nested values are kept as they are', () => {
    const payload = { tag: '1.0', nested: { a: [1, 2] }, flag: false };
    expect(parseClientPayload(payload)).toEqual(payload);
  });

  test('at most 9 keys, leaving room for distinct_id within the 10', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(parseClientPayload(keys(9)))).toHaveLength(9);
    expect(() => parseClientPayload(keys(10))).toThrow(
      "Input 'client-payload': has 10 top-level keys. GitHub allows 10 and the action adds 'distinct_id': nest the rest under one key",
    );
  });

  test('under 64 KB as JSON, distinct_id included', () => {
    expect(() => parseClientPayload({ blob: 'x'.repeat(65_500) })).toThrow(
      /^Input 'client-payload': is 655\d\d bytes as JSON\. GitHub takes less than 64 KB$/,
    );
    expect(parseClientPayload({ blob: 'x'.repeat(65_000) }).blob).toHaveLength(65_000);
  });

  test('distinct_id is reserved', () => {
    expect(() => parseClientPayload({ distinct_id: 'mine' })).toThrow("Input 'client-payload': 'distinct_id' is set by the action");
  });
});

test('parseEventType: up to 100 characters', () => {
  expect(parseEventType(' frontend-built ')).toBe('frontend-built');
  expect(parseEventType('')).toBe('');
  expect(parseEventType('e'.repeat(100))).toHaveLength(100);
  expect(() => parseEventType('e'.repeat(101))).toThrow("Input 'event-type': is 101 characters long. GitHub takes 1 to 100 characters");
});

test('parsePollInterval: auto, or a first interval of 1 s or more growing to at least 12 s', () => {
  expect(parsePollInterval('auto')).toEqual(AUTO_POLL);
  expect(parsePollInterval('')).toEqual(AUTO_POLL);
  expect(AUTO_POLL).toEqual({ firstMs: 5_000, maxMs: 12_000 });
  expect(parsePollInterval('2s')).toEqual({ firstMs: 2_000, maxMs: 12_000 });
  expect(parsePollInterval('15s')).toEqual({ firstMs: 15_000, maxMs: 15_000 });
  expect(parsePollInterval('1m')).toEqual({ firstMs: 60_000, maxMs: 60_000 });
  expect(() => parsePollInterval('0')).toThrow("Input 'poll-interval': '0' is shorter than 1 s");
  expect(() => parsePollInterval('fast')).toThrow("Input 'poll-interval': 'fast' is not a duration");
});
