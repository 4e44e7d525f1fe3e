// End-to-end: the committed bundle under the runner emulation, against the AWX stand-in.
import { jest } from '@jest/globals';
import { runBundle, startBundle, type BundleOptions } from '../kit/runner';
import { AwxStandIn } from '../standins/awx/server';

const TOKEN = 'awx-e2e-token-5f1c9a7e3b';
const STAGING = 'Staging Fragalysis Stack (Version Change)';

jest.setTimeout(60_000);

/** Lines of the raw log that show `secret`, other than the commands registering it with the masker. */
function leaks(rawLog: string, secret: string): string[] {
  return rawLog.split('\n').filter((line) => line.includes(secret) && !line.startsWith('::add-mask::'));
}

describe('trigger-awx-job', () => {
  const awx = new AwxStandIn({ tokens: [TOKEN], users: { deployer: 'pa55:word-e2e' } });

  beforeAll(async () => {
    awx.jobTemplate({
      name: STAGING,
      organization: 'Fragalysis',
      prompts: ['variables', 'limit'],
      extraVars: { stack_namespace: 'staging' },
      script: { lines: ['PLAY [Deploy the stack] ****', 'TASK [Set image] ****', 'changed: [web-1]'], runSeconds: 1 },
    });
    awx.jobTemplate({ name: STAGING, organization: 'Diamond', prompts: ['variables'] });
    awx.jobTemplate({ name: 'Production Fragalysis Stack', organization: 'Fragalysis', prompts: ['variables'] });
    for (const status of ['failed', 'error', 'canceled'] as const) {
      awx.jobTemplate({
        name: `Ends ${status}`,
        organization: 'Fragalysis',
        script: {
          lines: ['TASK [Roll out] ****', `fatal: [web-1]: FAILED! => {"msg": "rollout ${status}"}`],
          runSeconds: 1,
          status,
          explanation: status === 'error' ? 'Job terminated due to error' : status === 'failed' ? '' : 'Canceled by admin',
        },
      });
    }
    awx.jobTemplate({ name: 'No prompts', organization: 'Fragalysis', script: { runSeconds: 0.5 } });
    awx.jobTemplate({
      name: 'Survey only',
      organization: 'Fragalysis',
      survey: [{ variable: 'stack_image_tag', required: true }],
      script: { runSeconds: 0.5 },
    });
    awx.jobTemplate({ name: 'Long', organization: 'Fragalysis', script: { lines: 40, runSeconds: 120 } });
    awx.jobTemplate({
      name: 'Injection',
      organization: 'Fragalysis',
      script: { lines: ['::set-output name=x::y', '::add-mask::web', 'ok: [web-1]'], runSeconds: 0.5 },
    });
    awx.jobTemplate({ name: 'Large', organization: 'Fragalysis', script: { lines: 40_000, linesPerEvent: 4, runSeconds: 3 } });
    awx.jobTemplate({ name: 'Migrate DB', organization: 'Fragalysis', script: { runSeconds: 0.5 } });
    awx.jobTemplate({
      name: 'Broken step',
      organization: 'Fragalysis',
      script: { runSeconds: 0.5, status: 'failed', lines: ['fatal: [db-1]: migration failed'] },
    });
    awx.workflowTemplate({
      name: 'Fragalysis rollout',
      organization: 'Fragalysis',
      prompts: ['variables'],
      nodes: ['Migrate DB', STAGING],
    });
    awx.workflowTemplate({ name: 'Broken rollout', organization: 'Fragalysis', nodes: ['Migrate DB', 'Broken step', STAGING] });
    awx.workflowTemplate({ name: 'Long rollout', organization: 'Fragalysis', nodes: ['Long'] });
    await awx.start();
  });
  afterAll(() => awx.stop());
  beforeEach(() => awx.reset());

  const options = (inputs: BundleOptions['inputs']): BundleOptions => ({
    action: 'actions/trigger-awx-job',
    inputs: { 'controller-url': awx.url, token: TOKEN, ...inputs },
  });
  const run = (inputs: BundleOptions['inputs']) => runBundle(options(inputs));
  const launches = () => awx.requests('POST', /\/launch\/$/);

  test('launches a job template by name and organization with extra vars, streams its output and succeeds', async () => {
    const result = await run({
      'job-template': STAGING,
      organization: 'Fragalysis',
      'extra-vars': 'stack_image_tag: "2024.06.01"\nreplicas: 2',
      limit: 'web',
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const job = awx.job(Number(result.outputs['job-id']));
    expect(job?.extraVars).toEqual({ stack_namespace: 'staging', stack_image_tag: '2024.06.01', replicas: 2 });
    expect(job?.fields).toEqual({ limit: 'web' });
    expect(job?.template.organization).toBe('Fragalysis');
    expect(result.outputs).toMatchObject({ status: 'successful', 'job-url': `${awx.url}/#/jobs/playbook/${job?.id}/output` });
    expect(Number(result.outputs.elapsed)).toBeGreaterThan(0);
    expect(result.log).toContain('TASK [Set image] ****');
    expect(result.log).toContain('PLAY RECAP');
    expect(result.summary).toContain(STAGING);
    // The host recap counts the results shown: one changed task on web-1.
    expect(result.summary).toContain('| web-1 | 1 | 1 | 0 | 0 | 0 |');
    expect(result.summary).not.toContain('web-2');
    expect(launches()).toHaveLength(1);
    // Incremental: no event is fetched twice and the stdout endpoint is never used.
    expect(awx.requests('GET', /\/stdout\/$/)).toHaveLength(0);
  });

  test.each([
    ['failed', /AWX job \d+ ended with status 'failed'/],
    ['error', /ended with status 'error': Job terminated due to error \| RuntimeError: receptor work unit failed/],
    ['canceled', /ended with status 'canceled'/],
  ])('a job that ends %s fails the step with its explanation and the tail of its output', async (status, message) => {
    const result = await run({ 'job-template': `Ends ${status}`, 'stream-output': 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe(status);
    expect(result.errors.join('\n')).toMatch(message);
    expect(result.log).toContain(`rollout ${status}`);
    expect(result.summary).toContain(`rollout ${status}`);
  });

  test('launches a workflow template and reports its nodes', async () => {
    const result = await run({ 'workflow-template': 'Fragalysis rollout', 'extra-vars': '{"stack_image_tag": "1.0.3"}' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('successful');
    expect(result.outputs['job-url']).toContain(`/#/jobs/workflow/${result.outputs['job-id']}/output`);
    const workflow = awx.job(Number(result.outputs['job-id']));
    expect(workflow?.kind).toBe('workflow_job');
    expect(workflow?.nodeJobs?.map((job) => job.extraVars.stack_image_tag)).toEqual(['1.0.3', '1.0.3']);
    expect(result.log).toMatch(/Workflow node 'Migrate DB': job \d+ successful/);
    // Each node job's output is streamed too, once.
    expect(result.log.split('\n').filter((line) => line.startsWith('TASK [Set image] ****'))).toHaveLength(1);
    expect(result.summary).toMatch(/\| Migrate DB \| \d+ \| successful \|/);
  });

  test.each(['true', 'false'])('a failed workflow names the failed node and shows its output (stream-output: %s)', async (stream) => {
    const result = await run({ 'workflow-template': 'Broken rollout', 'stream-output': stream });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.errors.join('\n')).toMatch(/workflow job \d+ ended with status 'failed' at node 'Broken step'/);
    expect(result.log.split('\n').filter((line) => line.includes('migration failed'))).toHaveLength(1);
    expect(result.summary).toContain('migration failed');
    expect(result.summary).toMatch(/\| .*Fragalysis Stack.* \| - \| not run \|/);
  });

  test('fields the template does not prompt for fail before launching (on-ignored-fields: fail)', async () => {
    const result = await run({ 'job-template': 'No prompts', 'extra-vars': 'stack_image_tag: 1.0.3', 'job-tags': 'deploy' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/does not prompt on launch for extra_vars \(stack_image_tag\), job_tags.*Prompt on launch/);
    expect(launches()).toHaveLength(0);
  });

  test('fields AWX ignores despite the preflight (template changed meanwhile) cancel the job and fail', async () => {
    // The preflight answer says "Prompt on launch" is on; by the launch it is off again.
    awx.failNext(1, 200, {
      match: { method: 'GET', path: /\/launch\/$/ },
      body: { ask_variables_on_launch: true, survey_enabled: false, variables_needed_to_start: [], can_start_without_user_input: true },
    });
    const result = await run({ 'job-template': 'No prompts', 'extra-vars': 'stack_image_tag: 1.0.3' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/AWX ignored extra_vars \(stack_image_tag\) of this launch.*the job was cancelled/);
    expect(launches()).toHaveLength(1);
    expect(awx.requests('POST', /\/jobs\/\d+\/cancel\/$/)).toHaveLength(1);
    expect(result.outputs['job-id']).toBe(String(awx.jobsOf('No prompts').at(-1)?.id));
  });

  test('on-ignored-fields: warn launches and reports, once, what AWX ignores', async () => {
    const result = await run({ 'job-template': 'No prompts', 'extra-vars': 'stack_image_tag: 1.0.3', 'on-ignored-fields': 'warn' });
    expect(result.exitCode).toBe(0);
    const ignoredWarnings = result.warnings.filter((warning) => warning.includes('stack_image_tag'));
    expect(ignoredWarnings).toHaveLength(1);
    expect(ignoredWarnings[0]).toMatch(/does not prompt on launch for extra_vars \(stack_image_tag\), so AWX would ignore it/);
    expect(awx.job(Number(result.outputs['job-id']))?.extraVars).toEqual({});
  });

  test('a survey variable passes without "Prompt on launch"; a missing required one fails before launching', async () => {
    const missing = await run({ 'job-template': 'Survey only' });
    expect(missing.exitCode).toBe(1);
    expect(missing.errors.join('\n')).toMatch(/cannot start without survey variables 'stack_image_tag'/);
    expect(launches()).toHaveLength(0);
    const given = await run({ 'job-template': 'Survey only', 'extra-vars': 'stack_image_tag: 1.0.3' });
    expect(given.exitCode).toBe(0);
    expect(awx.job(Number(given.outputs['job-id']))?.extraVars).toEqual({ stack_image_tag: '1.0.3' });
  });

  test('a name used in two organizations is an error listing both; unknown names suggest close ones', async () => {
    const duplicate = await run({ 'job-template': STAGING });
    expect(duplicate.exitCode).toBe(1);
    expect(duplicate.errors.join('\n')).toMatch(
      /2 job templates are named .*organization 'Fragalysis'.*organization 'Diamond'.*Set 'organization'/,
    );
    const typo = await run({ 'job-template': 'Production Fragalysis Stak' });
    expect(typo.errors.join('\n')).toMatch(
      /no job template named 'Production Fragalysis Stak'.*Closest names: 'Production Fragalysis Stack'/,
    );
    const otherOrg = await run({ 'job-template': 'Production Fragalysis Stack', organization: 'Diamond' });
    expect(otherOrg.errors.join('\n')).toMatch(/it exists in 'Fragalysis' \(id \d+\)/);
    expect(launches()).toHaveLength(0);
  });

  test('reaching the timeout cancels the AWX job and fails', async () => {
    const result = await run({ 'job-template': 'Long', timeout: '3s' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/did not finish within 3s; it was cancelled \(status canceled\)/);
    expect(awx.requests('POST', /\/jobs\/\d+\/cancel\/$/)).toHaveLength(1);
    expect(result.outputs.status).toBe('canceled');
    expect(awx.status(awx.jobsOf('Long').at(-1)!)).toBe('canceled');
  });

  test('cancel-on-timeout: false leaves the job running', async () => {
    const result = await run({ 'job-template': 'Long', timeout: '2s', 'cancel-on-timeout': 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/it is still running/);
    expect(awx.requests('POST', /\/cancel\/$/)).toHaveLength(0);
  });

  test('SIGINT (the runner cancelling the workflow) cancels the AWX job and exits promptly', async () => {
    const step = startBundle(options({ 'job-template': 'Long' }));
    await step.waitForLog(/Launched job \d+/);
    const signalled = Date.now();
    step.process.kill('SIGINT');
    const result = await step.done;
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toMatch(/^Cancelled/);
    expect(awx.requests('POST', /\/jobs\/\d+\/cancel\/$/)).toHaveLength(1);
    expect(awx.jobsOf('Long').at(-1)?.canceledAt).toBeDefined();
  });

  test('SIGINT while the launch request is in flight still cancels the job it creates', async () => {
    awx.delayNext(1, 1000, { match: { method: 'POST', path: /\/launch\/$/ } });
    const step = startBundle(options({ 'job-template': 'Long' }));
    while (launches().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    step.process.kill('SIGINT');
    const result = await step.done;
    expect(result.exitCode).toBe(1);
    expect(result.outputs['job-id']).toBe(String(awx.jobsOf('Long').at(-1)?.id));
    expect(awx.requests('POST', /\/jobs\/\d+\/cancel\/$/)).toHaveLength(1);
    expect(awx.jobsOf('Long').at(-1)?.canceledAt).toBeDefined();
  });

  test('transient 502s on reads are survived', async () => {
    awx.failNext(2, 502, { match: { method: 'GET', path: /\/jobs\/\d+\/$/ } });
    awx.failNext(1, 502, { match: { method: 'GET', path: /\/job_events\/$/ } });
    awx.failNext(1, 503, { match: { method: 'GET', path: /\/launch\/$/ } });
    const result = await run({ 'job-template': 'Migrate DB' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(awx.journal.filter((entry) => entry.outcome === 502 || entry.outcome === 503)).toHaveLength(4);
  });

  test('a gateway answering 502 for longer than the retries of one read is waited through while the job goes on', async () => {
    // Six 502s: one status check's four attempts (the client retries 3 times), then two of the next.
    awx.failNext(6, 502, { match: { method: 'GET', path: /\/jobs\/\d+\/$/ } });
    const result = await run({ 'job-template': 'Migrate DB' });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('successful');
    const jobId = awx.jobsOf('Migrate DB').at(-1)?.id;
    expect(result.warnings.filter((line) => line.startsWith('Could not read'))).toEqual([
      expect.stringMatching(new RegExp(`^Could not read AWX job ${jobId} \\(.*502.*\\); trying again, the job goes on$`)),
    ]);
    expect(awx.journal.filter((entry) => entry.outcome === 502)).toHaveLength(6);
  });

  test('a connection dropped after the launch POST does not launch twice', async () => {
    const before = awx.jobsOf('Migrate DB').length;
    awx.dropNext(1, { match: { method: 'POST', path: /\/launch\/$/ }, afterHandling: true });
    const result = await run({ 'job-template': 'Migrate DB' });
    expect(result.errors).toEqual([]);
    expect(launches()).toHaveLength(1);
    expect(awx.jobsOf('Migrate DB')).toHaveLength(before + 1);
    expect(result.outputs['job-id']).toBe(String(awx.jobsOf('Migrate DB').at(-1)?.id));
    expect(result.log).toMatch(/had created job \d+/);
  });

  test('a connection dropped before AWX acts on the launch is retried once the job is known not to exist', async () => {
    const before = awx.jobsOf('Migrate DB').length;
    awx.dropNext(1, { match: { method: 'POST', path: /\/launch\/$/ }, afterHandling: false });
    const result = await run({ 'job-template': 'Migrate DB' });
    expect(result.errors).toEqual([]);
    expect(launches()).toHaveLength(2);
    expect(awx.jobsOf('Migrate DB')).toHaveLength(before + 1);
  });

  test('large output (over the 1 MiB display limit) is streamed whole, each event fetched once', async () => {
    const eventsBefore = awx.eventsServed;
    const result = await run({ 'job-template': 'Large' });
    expect(result.exitCode).toBe(0);
    const job = awx.jobsOf('Large').at(-1)!;
    expect(result.log).toContain(`line 1 of job ${job.id}`);
    expect(result.log).toContain(`line 40000 of job ${job.id}`);
    expect(result.log.split('\n').filter((line) => line.includes(` of job ${job.id}`))).toHaveLength(40_000);
    expect(result.log).not.toContain('too large to display');
    // The job's stdout is past AWX's display limit: a client reading it would get the placeholder.
    const stdout = await fetch(`${awx.url}/api/v2/jobs/${job.id}/stdout/?format=txt`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await stdout.text()).toMatch(/^Standard Output too large to display/);
    expect(awx.eventsServed - eventsBefore).toBe(job.events.length);
    expect(awx.requests('GET', /\/stdout\/$/)).toHaveLength(1); // the check above
  });

  test('job output cannot issue workflow commands', async () => {
    const result = await run({ 'job-template': 'Injection' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.x).toBeUndefined();
    expect(result.log).toContain('set-output name=x::y');
    expect(result.log).toContain('web-1');
  });

  test('wait: false returns after the launch with the job id', async () => {
    const result = await run({ 'job-template': 'Long', wait: 'false' });
    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toMatch(/pending|waiting/);
    expect(awx.requests('GET', /\/jobs\/\d+\/$/)).toHaveLength(0);
  });

  test('basic auth works and neither the password nor its base64 is printed', async () => {
    const result = await run({
      token: '',
      username: 'deployer',
      password: 'pa55:word-e2e',
      'job-template': 'Migrate DB',
      'extra-vars': '',
    });
    expect(result.exitCode).toBe(0);
    expect(awx.journal[1]?.headers.authorization).toMatch(/^Basic /);
    expect(result.rawLog).toContain('::add-mask::pa55:word-e2e');
    expect(leaks(result.rawLog, 'pa55:word-e2e')).toEqual([]);
    expect(leaks(result.rawLog, Buffer.from('deployer:pa55:word-e2e').toString('base64'))).toEqual([]);
  });

  test('the token is never printed, even when AWX echoes it', async () => {
    const result = await run({ 'job-template': 'Ends failed', 'extra-vars': `token: ${TOKEN}`, 'on-ignored-fields': 'warn' });
    expect(result.exitCode).toBe(1);
    expect(result.rawLog).toContain('::add-mask::');
    expect(result.log).not.toContain(TOKEN);
    expect(result.summary).not.toContain(TOKEN);
    expect(leaks(result.rawLog, TOKEN)).toEqual([]);
  });

  test('a wrong token fails naming the input, with the AWX message', async () => {
    const result = await run({ token: 'not-the-token', 'job-template': 'Migrate DB' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^Input 'token': AWX did not accept it \(HTTP 401: .*Authentication credentials were not provided/),
    ]);
    expect(launches()).toHaveLength(0);
  });

  /** Waits until the step has had its first answers while following (it is then between two polls). */
  async function followed(path: RegExp): Promise<void> {
    while (!awx.requests('GET', path).some((entry) => entry.outcome === 200)) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  test('a token revoked while following: one 401, the step ends naming the input and the job that goes on, job-url set', async () => {
    const revocable = 'awx-e2e-revocable-token-77c1';
    awx.tokens.add(revocable);
    const step = startBundle(options({ token: revocable, 'job-template': 'Long' }));
    await followed(/\/jobs\/\d+\/job_events\/$/);
    awx.tokens.delete(revocable);
    const revokedAt = awx.journal.length;
    const result = await step.done;
    const job = awx.jobsOf('Long').at(-1)!;
    const url = `${awx.url}/#/jobs/playbook/${job.id}/output`;
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Input 'token': AWX refused it (HTTP 401 Authentication credentials were not provided. To establish a login session, visit /api/login/.) while following job ${job.id}, which goes on without this step: ${url}`,
    ]);
    // The next poll was refused and nothing followed it: no retry of the 401, no other request.
    expect(awx.journal.slice(revokedAt).map((entry) => `${entry.method} ${entry.path} ${entry.outcome}`)).toEqual([
      `GET /api/v2/jobs/${job.id}/ 401`,
    ]);
    expect(result.outputs).toMatchObject({ 'job-id': String(job.id), 'job-url': url });
    // The status output is the last one seen (the job had not started yet, or just had); AWX runs it on.
    expect(['pending', 'waiting', 'running']).toContain(result.outputs.status);
    expect(awx.status(job)).toBe('running');
    expect(leaks(result.rawLog, revocable)).toEqual([]);
  });

  test('a password changed while following a workflow job: the same line, naming password and the workflow job', async () => {
    const deployer = awx.users.get('deployer')!;
    const step = startBundle(
      options({ token: '', username: 'deployer', password: deployer.password, 'job-template': '', 'workflow-template': 'Long rollout' }),
    );
    await followed(/\/workflow_nodes\/$/);
    const password = deployer.password;
    deployer.password = 'rotated-e2e-password';
    const changedAt = awx.journal.length;
    try {
      const result = await step.done;
      const workflow = awx.jobsOf('Long rollout').at(-1)!;
      const url = `${awx.url}/#/jobs/workflow/${workflow.id}/output`;
      expect(result.errors).toEqual([
        `Input 'password': AWX refused it (HTTP 401 Invalid username/password. To establish a login session, visit /api/login/.) while following workflow job ${workflow.id}, which goes on without this step: ${url}`,
      ]);
      expect(awx.journal.slice(changedAt).map((entry) => entry.outcome)).toEqual([401]);
      expect(result.outputs['job-url']).toBe(url);
    } finally {
      deployer.password = password;
    }
  });

  test('a 429 while following is waited out as its Retry-After asks', async () => {
    awx.failNext(1, 429, { match: { method: 'GET', path: /\/jobs\/\d+\/$/ }, retryAfter: 2 });
    const result = await run({ 'job-template': 'Migrate DB' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.status).toBe('successful');
    const [limited, retried] = awx.requests('GET', /\/jobs\/\d+\/$/);
    expect(limited?.outcome).toBe(429);
    expect(result.log).toMatch(/GET \S+\/jobs\/\d+\/: HTTP 429.* retrying in 2\.0 s \(attempt 2 of 4\)/);
    // The same request again, no sooner than asked (less a timer's millisecond of rounding).
    expect(retried?.path).toBe(limited?.path);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1999);
  });

  test.each([
    [{ 'controller-url': '' }, /Input 'controller-url': is required/],
    [{ 'controller-url': 'ftp://awx.example.com' }, /Input 'controller-url': 'ftp:' is not http\(s\)/],
    [{ token: '' }, /Input 'token': is required/],
    [{ 'job-template': '' }, /Input 'job-template': is required/],
    [{ 'workflow-template': 'Fragalysis rollout' }, /Input 'workflow-template': cannot be set together with 'job-template'/],
    [{ 'extra-vars': '[1, 2]' }, /Input 'extra-vars': is not a mapping/],
    [{ verbosity: '7' }, /Input 'verbosity': 7 is out of range/],
    [{ 'job-type': 'deploy' }, /Input 'job-type': 'deploy' is not allowed/],
    [{ 'on-ignored-fields': 'ignore' }, /Input 'on-ignored-fields': 'ignore' is not allowed/],
    [{ timeout: 'soon' }, /Input 'timeout': 'soon' is not a duration/],
    [{ wait: 'yes' }, /Input 'wait': 'yes' is not a boolean/],
    [{ 'ca-cert': 'not a certificate' }, /Input 'ca-cert': is neither PEM text nor a readable file/],
    [
      { 'job-template': '', 'workflow-template': 'Fragalysis rollout', 'job-type': 'check' },
      /Input 'job-type': applies to job templates only/,
    ],
  ])('bad input %j fails in one line and makes no request', async (inputs, message) => {
    const result = await run({ 'job-template': STAGING, ...inputs });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
    expect(awx.journal).toHaveLength(0);
  });
});

describe('trigger-awx-job behind an Automation Platform gateway', () => {
  const gateway = new AwxStandIn({ gateway: true, tokens: [TOKEN] });
  const edaOnly = new AwxStandIn({ gateway: true, gatewayServices: ['eda', 'galaxy'], tokens: [TOKEN] });
  beforeAll(async () => {
    gateway.jobTemplate({ name: 'Deploy', organization: 'Default', script: { runSeconds: 0.5 } });
    await Promise.all([gateway.start(), edaOnly.start()]);
  });
  afterAll(() => Promise.all([gateway.stop(), edaOnly.stop()]));

  test('discovers /api/controller/v2/ and links to the platform UI', async () => {
    const result = await runBundle({
      action: 'actions/trigger-awx-job',
      inputs: { 'controller-url': gateway.url, token: TOKEN, 'job-template': 'Deploy' },
    });
    expect(result.errors).toEqual([]);
    expect(result.log).toContain(`AWX API: ${gateway.url}/api/controller/v2/`);
    expect(result.outputs['job-url']).toBe(`${gateway.url}/execution/jobs/playbook/${result.outputs['job-id']}/output`);
    expect(gateway.requests('POST', /^\/api\/controller\/v2\/job_templates\/\d+\/launch\/$/)).toHaveLength(1);
    expect(gateway.requests('GET', /^\/api\/v2\//)).toEqual([]);
  });

  test('a gateway that fronts no controller is an input error naming what answered, before any launch', async () => {
    const result = await runBundle({
      action: 'actions/trigger-awx-job',
      inputs: { 'controller-url': edaOnly.url, token: TOKEN, 'job-template': 'Deploy' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Input 'controller-url': no AWX or Automation Controller API at ${edaOnly.url}/: ${edaOnly.url}/api/ is 'AAP gateway REST API' that fronts no controller (its apis: gateway, eda, galaxy). Give the base URL of AWX, of Automation Controller or of the Automation Platform's gateway, e.g. https://awx.example.com`,
    ]);
    expect(edaOnly.journal.map((entry) => entry.path)).toEqual(['/api/']);
    expect(result.outputs['job-id']).toBe('');
  });
});
