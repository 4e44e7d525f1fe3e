/** `registry-auth`, read as docker/login-action reads it (a YAML list of registry, username, password). */
import { parseRegistryAuth, type RegistryAuth } from '../../actions/docker-build-push/src/registry-auth';
import { withMasksCaptured } from '../kit/masks';

/** parseRegistryAuth(raw), with the `::add-mask::` values it printed and the message it threw. */
function parse(raw: string): { logins?: RegistryAuth[]; error?: string; masks: string[] } {
  const { value, error, masks } = withMasksCaptured(() => parseRegistryAuth(raw));
  return { logins: value, error, masks };
}

const entry = (registry: string, username: string, password: string): RegistryAuth => ({
  registry,
  username,
  password,
  input: 'registry-auth',
});

test("docker/login-action's README example: Docker Hub by default, then ghcr.io", () => {
  const raw = [
    '- username: hub-user',
    '  password: hub-token',
    '- registry: ghcr.io',
    '  username: octocat',
    '  password: ghcr-token',
  ].join('\n');
  expect(parse(raw).logins).toEqual([entry('docker.io', 'hub-user', 'hub-token'), entry('ghcr.io', 'octocat', 'ghcr-token')]);
});

test('values are text as written: no numbers, booleans or nulls; quotes keep YAML characters; hosts are normalised', () => {
  const raw = [
    '- registry: https://Registry.Example.com:5000/',
    '  username: 0123',
    '  password: true',
    "- registry: 'ghcr.io'",
    '  username: "null"',
    "  password: '*p@ss: #word '",
  ].join('\n');
  expect(parse(raw).logins).toEqual([entry('registry.example.com:5000', '0123', 'true'), entry('ghcr.io', 'null', '*p@ss: #word ')]);
});

test('ECR hosts, private and public, may leave out the credentials (the ambient AWS credentials are used)', () => {
  const raw = '- registry: 123456789012.dkr.ecr.eu-west-2.amazonaws.com\n- registry: public.ecr.aws';
  expect(parse(raw).logins).toEqual([entry('123456789012.dkr.ecr.eu-west-2.amazonaws.com', '', ''), entry('public.ecr.aws', '', '')]);
});

test("every password is masked, with the user's base64 auth, before any entry is checked", () => {
  const raw = [
    '- registry: r1.example',
    '  username: a',
    '  password: first-secret',
    '- registry: r2.example',
    '  password: second-secret',
  ].join('\n');
  const { error, masks } = parse(raw);
  expect(error).toBe(
    "Input 'registry-auth': entry 2 (r2.example) has a password but no username. Give a YAML list of entries with 'registry', 'username' and 'password'; quote a value that holds YAML characters",
  );
  expect(masks).toEqual(expect.arrayContaining(['first-secret', 'second-secret', Buffer.from('a:first-secret').toString('base64')]));
});

test.each([
  [
    '- registry: ghcr.io\n  username: u\n  password: p\n   bad: indent',
    'is not valid YAML (bad indentation of a mapping entry at line 4, column 7)',
  ],
  // An alias or a tag in a password that is not quoted: the message must not quote it (it is not masked yet).
  ['- registry: ghcr.io\n  username: u\n  password: *secret-alias', 'is not valid YAML (unidentified alias at line 3, column 26)'],
  ['- registry: ghcr.io\n  username: u\n  password: !secret-tag x', 'is not valid YAML (unknown tag at line 3, column 26)'],
  ['registry: ghcr.io', 'is not a YAML list'],
  ['# nothing', 'lists no registry'],
  ['[]', 'lists no registry'],
  ['- ghcr.io', 'entry 1 is not a mapping'],
  ['- registry: ghcr.io\n  username: [u]\n  password: p', "entry 1: 'username' is not a single value"],
  ['- registry: ghcr.io\n  username: u', 'entry 1 (ghcr.io) has a username but no password'],
  ['- registry: ghcr.io', 'entry 1 (ghcr.io) has no username and password'],
  ['- username: u\n  password: p\n- registry: docker.io\n  username: v\n  password: q', 'lists docker.io twice'],
])('%j: %s', (raw, problem) => {
  const { error } = parse(raw);
  expect(error?.startsWith(`Input 'registry-auth': ${problem}. `)).toBe(true);
  expect(error).not.toContain('secret');
  expect(error).not.toContain('\n');
});

test("docker/login-action's other keys (ecr, scope) are refused, not ignored", () => {
  expect(parse('- registry: ghcr.io\n  username: u\n  password: p\n  scope: org/app').error).toBe(
    "Input 'registry-auth': entry 1 has an unknown key 'scope'. Each entry takes 'registry', 'username' and 'password'",
  );
});

test('an ECR-less entry without credentials says which hosts may leave them out', () => {
  expect(parse('- registry: ghcr.io').error).toBe(
    "Input 'registry-auth': entry 1 (ghcr.io) has no username and password. Only an ECR host may leave them out, to use the ambient AWS credentials",
  );
});
