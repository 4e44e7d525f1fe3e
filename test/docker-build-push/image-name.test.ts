import { imagePageUrl, isEcrHost, parseEcrHost, parseImageName } from '../../actions/docker-build-push/src/image-name';

describe('image names', () => {
  test.each([
    ['views3/ingester', 'docker.io', 'views3/ingester'],
    ['nginx', 'docker.io', 'library/nginx'],
    ['ghcr.io/org/app', 'ghcr.io', 'org/app'],
    ['ghcr.io/org/team/app', 'ghcr.io', 'org/team/app'],
    ['localhost/app', 'localhost', 'app'],
    ['localhost:5000/demo', 'localhost:5000', 'demo'],
    ['127.0.0.1:5000/a/b', '127.0.0.1:5000', 'a/b'],
    ['123456789012.dkr.ecr.eu-west-2.amazonaws.com/app', '123456789012.dkr.ecr.eu-west-2.amazonaws.com', 'app'],
    ['registry.example.com/my_app/web-ui.v2', 'registry.example.com', 'my_app/web-ui.v2'],
    ['org/a__b', 'docker.io', 'org/a__b'],
    ['org/a---b', 'docker.io', 'org/a---b'],
  ])('%s: registry %s, repository %s', (raw, registry, repository) => {
    expect(parseImageName('images', raw)).toEqual({ name: raw, registry, repository, lowered: false });
  });

  test('upper case is lowered and reported', () => {
    expect(parseImageName('images', ' ghcr.io/MyOrg/App ')).toEqual({
      name: 'ghcr.io/myorg/app',
      registry: 'ghcr.io',
      repository: 'myorg/app',
      lowered: true,
    });
  });

  test.each([
    ['org/app:1.0', 'includes a tag or digest'],
    ['localhost:5000/app:latest', 'includes a tag or digest'],
    ['org/app@sha256:abc', 'includes a tag or digest'],
    ['bad image', 'is not a valid image name'],
    ['org//app', "is not a valid image name (component '')"],
    ['org/-app', "is not a valid image name (component '-app')"],
    ['org/app.', "is not a valid image name (component 'app.')"],
    ['org/a..b', "is not a valid image name (component 'a..b')"],
    ['ghcr.io/', "is not a valid image name (component '')"],
    ['-bad.host/app', "has an invalid registry host '-bad.host'"],
    ['host:port/app', "has an invalid registry host 'host:port'"],
    [`org/${'a'.repeat(260)}`, 'is longer than 255 characters'],
  ])("'%s' is an input error (%s)", (raw, problem) => {
    expect(() => parseImageName('images', raw)).toThrow(`Input 'images': '${raw.trim()}' ${problem}`);
  });
});

describe('ECR hosts', () => {
  test('private registries give account and region', () => {
    expect(parseEcrHost('123456789012.dkr.ecr.eu-west-2.amazonaws.com')).toEqual({ accountId: '123456789012', region: 'eu-west-2' });
    expect(parseEcrHost('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com')).toEqual({ accountId: '123456789012', region: 'us-east-1' });
    expect(parseEcrHost('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')).toEqual({ accountId: '123456789012', region: 'cn-north-1' });
  });

  test('other hosts are not ECR', () => {
    for (const host of [
      'ghcr.io',
      'docker.io',
      '12345.dkr.ecr.eu-west-2.amazonaws.com',
      'public.ecr.aws',
      '123456789012.dkr.ecr.eu-west-2.amazonaws.com.evil.io',
    ]) {
      expect(parseEcrHost(host)).toBeUndefined();
    }
  });

  test('ECR hosts, private or public, can log in with AWS credentials', () => {
    expect(['123456789012.dkr.ecr.eu-west-2.amazonaws.com', 'public.ecr.aws', 'Public.ECR.aws'].map(isEcrHost)).toEqual([true, true, true]);
    expect(['ghcr.io', 'public.ecr.aws.evil.io', 'gallery.ecr.aws', 'docker.io'].map(isEcrHost)).toEqual([false, false, false, false]);
  });
});

test('image pages for the summary', () => {
  const page = (raw: string) => imagePageUrl(parseImageName('images', raw));
  expect(page('views3/ingester')).toBe('https://hub.docker.com/r/views3/ingester');
  expect(page('nginx')).toBe('https://hub.docker.com/_/nginx');
  expect(page('ghcr.io/org/app')).toBe('https://ghcr.io/org/app');
  expect(page('123456789012.dkr.ecr.eu-west-2.amazonaws.com/ayima/web')).toBe(
    'https://eu-west-2.console.aws.amazon.com/ecr/repositories/private/123456789012/ayima/web?region=eu-west-2',
  );
  expect(page('public.ecr.aws/alias/app')).toBe('https://gallery.ecr.aws/alias/app');
  expect(page('localhost:5000/demo')).toBeUndefined();
});
