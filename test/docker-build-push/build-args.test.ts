import {
  buildxArguments,
  classicArguments,
  ociLabels,
  parseKeyValueLines,
  withLabels,
  type BuildOptions,
} from '../../actions/docker-build-push/src/build-args';

const base: BuildOptions = {
  context: '/w/app',
  file: '/w/app/Dockerfile',
  references: ['ghcr.io/org/app:1.2.3', 'ghcr.io/org/app:latest'],
  buildArgs: ['VERSION=1.2.3', 'NOTE=a,b c'],
  labels: { 'org.opencontainers.image.version': '1.2.3' },
  platforms: [],
  cacheFrom: [],
  cacheTo: [],
  noCache: false,
  pull: false,
  iidFile: '/tmp/iid',
  metadataFile: '/tmp/meta.json',
  push: true,
};

const common = [
  '--file',
  '/w/app/Dockerfile',
  '--iidfile',
  '/tmp/iid',
  '--tag',
  'ghcr.io/org/app:1.2.3',
  '--tag',
  'ghcr.io/org/app:latest',
  '--label',
  'org.opencontainers.image.version=1.2.3',
  '--build-arg',
  'VERSION=1.2.3',
  '--build-arg',
  'NOTE=a,b c',
];

describe('classic docker build', () => {
  test('the minimal command line', () => {
    expect(classicArguments(base)).toEqual(['build', ...common, '--', '/w/app']);
  });

  test('target, cache-from, no-cache, pull and one platform', () => {
    expect(
      classicArguments({
        ...base,
        target: 'runtime',
        cacheFrom: ['ghcr.io/org/app:latest'],
        noCache: true,
        pull: true,
        platforms: ['linux/amd64'],
      }),
    ).toEqual([
      'build',
      ...common,
      '--target',
      'runtime',
      '--cache-from',
      'ghcr.io/org/app:latest',
      '--no-cache',
      '--pull',
      '--platform',
      'linux/amd64',
      '--',
      '/w/app',
    ]);
  });

  test('labels in the Dockerfile: the file comes on stdin and no --label is passed', () => {
    const args = classicArguments(base, true);
    expect(args.slice(0, 3)).toEqual(['build', '--file', '-']);
    expect(args).not.toContain('--label');
    expect(args).not.toContain('/w/app/Dockerfile');
    expect(args.slice(-2)).toEqual(['--', '/w/app']);
  });

  test('a context that looks like a flag stays a path', () => {
    expect(classicArguments({ ...base, context: '--privileged' }).slice(-2)).toEqual(['--', '--privileged']);
  });
});

describe('buildx build', () => {
  test('push: from the builder, metadata file, provenance off', () => {
    expect(buildxArguments(base)).toEqual([
      'buildx',
      'build',
      ...common,
      '--metadata-file',
      '/tmp/meta.json',
      '--provenance=false',
      '--push',
      '--',
      '/w/app',
    ]);
  });

  test('platforms, cache export and target', () => {
    const args = buildxArguments({
      ...base,
      platforms: ['linux/amd64', 'linux/arm64'],
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max', 'type=registry,ref=ghcr.io/org/app:cache'],
      target: 'prod',
    });
    expect(args).toEqual([
      'buildx',
      'build',
      ...common,
      '--target',
      'prod',
      '--cache-from',
      'type=gha',
      '--metadata-file',
      '/tmp/meta.json',
      '--platform',
      'linux/amd64,linux/arm64',
      '--cache-to',
      'type=gha,mode=max',
      '--cache-to',
      'type=registry,ref=ghcr.io/org/app:cache',
      '--provenance=false',
      '--push',
      '--',
      '/w/app',
    ]);
  });

  test('without push: one platform is loaded into the engine, several stay in the builder', () => {
    expect(buildxArguments({ ...base, push: false })).toContain('--load');
    expect(buildxArguments({ ...base, push: false, platforms: ['linux/amd64'] })).toContain('--load');
    const multi = buildxArguments({ ...base, push: false, platforms: ['linux/amd64', 'linux/arm64'] });
    expect(multi).not.toContain('--load');
    expect(multi).not.toContain('--push');
  });
});

test('OCI labels', () => {
  expect(
    ociLabels(
      { serverUrl: 'https://github.example.com/', repository: 'org/app', git: { sha: 'abc' }, version: '1.2.3' },
      '2026-11-21T10:00:00Z',
    ),
  ).toEqual({
    'org.opencontainers.image.source': 'https://github.example.com/org/app',
    'org.opencontainers.image.url': 'https://github.example.com/org/app',
    'org.opencontainers.image.revision': 'abc',
    'org.opencontainers.image.version': '1.2.3',
    'org.opencontainers.image.created': '2026-11-21T10:00:00Z',
  });
});

test('key=value lines', () => {
  const onError = (line: string) => new Error(`bad ${line}`);
  expect(parseKeyValueLines(['a=1', 'b = two=2', 'c='], onError)).toEqual({ a: '1', b: ' two=2', c: '' });
  expect(() => parseKeyValueLines(['novalue'], onError)).toThrow('bad novalue');
  expect(() => parseKeyValueLines(['=x'], onError)).toThrow('bad =x');
});

describe('labels as one LABEL instruction', () => {
  const labels = { 'org.opencontainers.image.version': '1.2.3', note: 'say "hi" for $5 \\o/\nbye' };

  test('appended to the end, quoted, without variable expansion or line breaks', () => {
    expect(withLabels('FROM busybox\nRUN true\n\n', labels)).toBe(
      'FROM busybox\nRUN true\nLABEL "org.opencontainers.image.version"="1.2.3" "note"="say \\"hi\\" for \\$5 \\\\o/ bye"\n',
    );
  });

  test('no labels: the file unchanged', () => {
    expect(withLabels('FROM busybox\n', {})).toBe('FROM busybox\n');
  });

  test('a target that is the last stage keeps the labels in the file; an earlier one does not', () => {
    const file = 'FROM busybox AS build\nRUN true\nFROM --platform=$BUILDPLATFORM busybox as Runtime\nCOPY --from=build / /\n';
    expect(withLabels(file, labels, 'runtime')).toMatch(/\nLABEL "org/);
    expect(withLabels(file, labels, 'build')).toBeUndefined();
    expect(withLabels('FROM busybox\n', labels, 'anything')).toBeUndefined();
  });

  test('a file that changes its escape character keeps --label', () => {
    expect(withLabels('# syntax=docker/dockerfile:1\n# escape=`\nFROM busybox\n', labels)).toBeUndefined();
    expect(withLabels('FROM busybox\n# escape=`\n', labels)).toMatch(/LABEL/);
  });
});
