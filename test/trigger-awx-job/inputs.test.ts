// getInputs() in-process, with INPUT_* set as the runner sets them (action.yml defaults, then with:).
import { jest } from '@jest/globals';
import { getInputs, type Inputs } from '../../actions/trigger-awx-job/src/inputs';
import { withInputs } from '../kit/inputs';
import { recordingLogger } from '../kit/logger';

const ACTION = 'actions/trigger-awx-job';
const TOKEN = 'inputs-test-token-8d2f';

/** Reads the inputs; returns them with the warnings logged and the workflow commands written. */
function read(inputs: Record<string, string>) {
  const logger = recordingLogger();
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const values = withInputs(ACTION, { 'controller-url': 'https://awx.example.com', 'job-template': 'Deploy', ...inputs }, () =>
      getInputs(logger),
    );
    return { values, warnings: logger.warnings, commands: written.join('') };
  } finally {
    write.mockRestore();
  }
}

describe('trigger-awx-job getInputs', () => {
  test("action.yml's defaults", () => {
    const { values, warnings } = read({ token: TOKEN });
    expect(values).toEqual<Inputs>({
      controllerUrl: new URL('https://awx.example.com'),
      auth: { kind: 'token', token: TOKEN },
      tls: { caCert: undefined, insecureSkipVerify: false },
      template: { kind: 'job', nameOrId: 'Deploy', organization: undefined },
      inventory: undefined,
      launch: {
        extraVars: {},
        limit: undefined,
        jobTags: undefined,
        skipTags: undefined,
        scmBranch: undefined,
        jobType: undefined,
        verbosity: undefined,
      },
      onIgnoredFields: 'fail',
      wait: true,
      timeoutMs: 30 * 60_000,
      streamOutput: true,
      cancelOnTimeout: true,
    });
    expect(warnings).toEqual([]);
  });

  test('launch fields: lists joined, verbosity a number, extra vars a mapping', () => {
    const { values } = read({
      token: TOKEN,
      'extra-vars': 'stack_image_tag: "1.0.3"\nreplicas: 2',
      'job-tags': 'deploy\nmigrate',
      'skip-tags': 'slow, flaky',
      verbosity: '2',
      'job-type': 'check',
      inventory: 'Staging',
      organization: 'Fragalysis',
    });
    expect(values.launch).toEqual({
      extraVars: { stack_image_tag: '1.0.3', replicas: 2 },
      limit: undefined,
      jobTags: 'deploy,migrate',
      skipTags: 'slow,flaky',
      scmBranch: undefined,
      jobType: 'check',
      verbosity: 2,
    });
    expect(values.inventory).toBe('Staging');
    expect(values.template).toEqual({ kind: 'job', nameOrId: 'Deploy', organization: 'Fragalysis' });
  });

  test('the token is masked', () => {
    expect(read({ token: TOKEN }).commands).toContain(`::add-mask::${TOKEN}\n`);
  });

  test('basic auth: the password and the base64 of user:password are masked', () => {
    const { values, commands } = read({ username: 'deployer', password: 'pa55word' });
    expect(values.auth).toEqual({ kind: 'basic', username: 'deployer', password: 'pa55word' });
    expect(commands).toContain('::add-mask::pa55word\n');
    expect(commands).toContain(`::add-mask::${Buffer.from('deployer:pa55word').toString('base64')}\n`);
  });

  test('plain http and skipped certificate checks are warned about', () => {
    expect(read({ token: TOKEN, 'controller-url': 'http://awx.example.com' }).warnings).toEqual([
      'The controller URL is plain http: the credentials cross the network unencrypted',
    ]);
    expect(read({ token: TOKEN, 'insecure-skip-tls-verify': 'true' }).warnings).toEqual([
      "TLS certificate verification is off ('insecure-skip-tls-verify'): anyone on the path can read the credentials. Prefer 'ca-cert'",
    ]);
  });

  test.each([
    [{ 'controller-url': 'https://user:pw@awx.example.com' }, "Input 'controller-url': must not contain credentials"],
    [{ 'controller-url': 'https://awx.example.com/?x=1' }, "Input 'controller-url': must not have a query or fragment"],
    [{ token: '', username: 'deployer' }, "Input 'password': is required with basic auth"],
    [{ 'job-template': '' }, "Input 'job-template': is required (or 'workflow-template')"],
    [{ 'job-template': '', 'workflow-template': 'Rollout', verbosity: '1' }, "Input 'verbosity': applies to job templates only"],
    [{ wait: 'true', timeout: '0s' }, "Input 'timeout': must be more than 0"],
    [{ 'ca-cert': '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----' }, "Input 'ca-cert': does not hold a valid PEM"],
  ])('%j is refused before anything is masked', (inputs, message) => {
    const logger = recordingLogger();
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(() =>
        withInputs(ACTION, { 'controller-url': 'https://awx.example.com', 'job-template': 'Deploy', token: TOKEN, ...inputs }, () =>
          getInputs(logger),
        ),
      ).toThrow(message);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});
