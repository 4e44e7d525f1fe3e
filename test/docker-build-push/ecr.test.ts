/** The ECR and ECR Public token exchanges with the real AWS SDK clients against the ECR stand-in. */
import { ConfigurationError } from '@conveyor/core';
import { decodeAuthorizationToken, ecrLogin } from '../../actions/docker-build-push/src/ecr';
import { EcrStandIn } from './ecr-standin';

const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL_ECR',
  'AWS_ENDPOINT_URL_ECR_PUBLIC',
  'AWS_REGION',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
];
const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
let standIn: EcrStandIn;

beforeAll(async () => {
  standIn = new EcrStandIn({
    username: 'AWS',
    password: 'ecr-password-0123456789',
    deniedKeys: ['AKIADENIED0000000001'],
  });
  await standIn.start();
});

beforeEach(() => {
  for (const name of AWS_VARIABLES) delete process.env[name];
  process.env.AWS_ENDPOINT_URL_ECR = standIn.url;
  process.env.AWS_ENDPOINT_URL_ECR_PUBLIC = standIn.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  // No developer's own AWS files may be used.
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
});

afterAll(async () => {
  await standIn.stop();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

test('ambient keys are signed for the registry region and exchanged for a login', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAUNITTEST00000001';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
  process.env.AWS_SESSION_TOKEN = 'unit-test-session-token';
  const login = await ecrLogin('123456789012.dkr.ecr.eu-west-2.amazonaws.com');
  expect(login).toEqual({ registry: '123456789012.dkr.ecr.eu-west-2.amazonaws.com', username: 'AWS', password: 'ecr-password-0123456789' });
  expect(standIn.credentialScopes().at(-1)).toMatch(/^AKIAUNITTEST00000001\/\d{8}\/eu-west-2\/ecr$/);
  expect(standIn.requests('POST').at(-1)?.headers['x-amz-security-token']).toBe('unit-test-session-token');
});

test("another account's registry is asked for by id (as login-action does), and the login goes to it", async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAUNITTEST00000001';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
  const login = await ecrLogin('999999999999.dkr.ecr.eu-west-2.amazonaws.com');
  expect(login.registry).toBe('999999999999.dkr.ecr.eu-west-2.amazonaws.com');
  expect(JSON.parse(standIn.requests('POST').at(-1)?.body.toString() ?? '{}')).toEqual({ registryIds: ['999999999999'] });
});

test('no AWS credentials: a configuration error that says what to do', async () => {
  const failure = ecrLogin('123456789012.dkr.ecr.eu-west-2.amazonaws.com');
  await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
  await expect(failure).rejects.toThrow(
    /^Could not get an ECR login for 123456789012\.dkr\.ecr\.eu-west-2\.amazonaws\.com: .*Give a username and password for it, or configure AWS credentials \(aws-actions\/configure-aws-credentials\) allowed ecr:GetAuthorizationToken$/,
  );
});

test('an identity without ecr:GetAuthorizationToken: a configuration error quoting AWS', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIADENIED0000000001';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
  const failure = ecrLogin('123456789012.dkr.ecr.eu-west-2.amazonaws.com');
  await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
  await expect(failure).rejects.toThrow(/not authorized to perform: ecr:GetAuthorizationToken.*configure AWS credentials/);
});

test('ECR Public: the keys are signed for ecr-public in us-east-1 whatever the region, and the login is for public.ecr.aws', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAUNITTEST00000002';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
  process.env.AWS_REGION = 'eu-west-2';
  const before = standIn.requests('POST').length;
  const login = await ecrLogin('public.ecr.aws');
  expect(login).toEqual({ registry: 'public.ecr.aws', username: 'AWS', password: 'ecr-password-0123456789' });
  const requests = standIn.requests('POST').slice(before);
  expect(requests.map((entry) => entry.headers['x-amz-target'])).toEqual(['SpencerFrontendService.GetAuthorizationToken']);
  expect(standIn.credentialScopes().at(-1)).toMatch(/^AKIAUNITTEST00000002\/\d{8}\/us-east-1\/ecr-public$/);
});

test('ECR Public, an identity without the permission: a configuration error naming both permissions', async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIADENIED0000000001';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
  await expect(ecrLogin('public.ecr.aws')).rejects.toThrow(
    /^Could not get an ECR login for public\.ecr\.aws: User: .* is not authorized to perform: ecr-public:GetAuthorizationToken .*allowed ecr-public:GetAuthorizationToken and sts:GetServiceBearerToken$/,
  );
});

test("the stand-in's ECR Public answers, as the real SDK client reads them: a token with its expiry; outside us-east-1, unsupported", async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAUNITTEST00000003';
  process.env.AWS_SECRET_ACCESS_KEY = 'unit-test-secret';
  const { ECRPUBLICClient, GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr-public');
  const inUsEast1 = new ECRPUBLICClient({ region: 'us-east-1' });
  const reply = await inUsEast1.send(new GetAuthorizationTokenCommand({}));
  expect(reply.authorizationData?.authorizationToken).toBe(Buffer.from('AWS:ecr-password-0123456789').toString('base64'));
  expect(reply.authorizationData?.expiresAt).toBeInstanceOf(Date);
  const elsewhere = new ECRPUBLICClient({ region: 'us-west-2', maxAttempts: 1 });
  await expect(elsewhere.send(new GetAuthorizationTokenCommand({}))).rejects.toMatchObject({
    name: 'UnsupportedCommandException',
    $metadata: { httpStatusCode: 400 },
  });
  inUsEast1.destroy();
  elsewhere.destroy();
});

test('a host that is no ECR registry is refused before any request', async () => {
  const before = standIn.journal.length;
  await expect(ecrLogin('ghcr.io')).rejects.toThrow('ghcr.io is not an ECR registry');
  expect(standIn.journal.length).toBe(before);
});

test('authorization tokens decode to user and password (the password may contain colons)', () => {
  expect(decodeAuthorizationToken(Buffer.from('AWS:pa:ss').toString('base64'))).toEqual({ username: 'AWS', password: 'pa:ss' });
  expect(() => decodeAuthorizationToken(Buffer.from('nocolon').toString('base64'))).toThrow('not user:password');
});
