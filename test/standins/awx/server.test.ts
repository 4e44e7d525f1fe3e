// The AWX stand-in's own behaviour that the awx.awx collection does not exercise: ignored_fields as
// AWX computes them, survey checks, the stdout display limit, auth, pagination and filters.
import { setTimeout as delay } from 'node:timers/promises';
import { playbookRun } from './playbook';
import { AwxStandIn, STDOUT_MAX_BYTES_DISPLAY } from './server';

/** The fields of AWX's replies these tests read. */
interface AwxReply {
  job: number;
  ignored_fields?: Record<string, unknown>;
  limit?: string;
  content?: string;
  results: Array<{ counter: number; event: string; username: string }>;
  next: string | null;
}

describe('AWX stand-in', () => {
  const awx = new AwxStandIn({ tokens: ['t0ken'], users: { admin: 'secret' }, timeScale: 20 });
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ids.plain = awx.jobTemplate({ name: 'Plain', organization: 'Org' });
    ids.prompts = awx.jobTemplate({ name: 'Prompts', organization: 'Org', prompts: ['variables', 'limit', 'job_type'] });
    ids.survey = awx.jobTemplate({
      name: 'Survey',
      organization: 'Org',
      survey: [
        { variable: 'tag', required: true },
        { variable: 'replicas', required: false, default: 1 },
      ],
    });
    ids.big = awx.jobTemplate({ name: 'Big', organization: 'Org', script: { lines: 40_000, runSeconds: 1 } });
    await awx.start();
  });
  afterAll(() => awx.stop());

  const call = async (method: string, path: string, body?: unknown, authorization = 'Bearer t0ken') => {
    const response = await fetch(`${awx.url}/api/v2/${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      text,
      json: ((response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : {}) as AwxReply,
    };
  };

  test('fields without "Prompt on launch" are ignored and reported; prompted ones are applied', async () => {
    const plain = await call('POST', `job_templates/${ids.plain}/launch/`, { extra_vars: { a: 1 }, limit: 'web', job_tags: 'x', bogus: 1 });
    expect(plain.status).toBe(201);
    expect(plain.json.ignored_fields).toEqual({ extra_vars: { a: 1 }, limit: 'web', job_tags: 'x' });
    expect(awx.job(plain.json.job)?.extraVars).toEqual({});

    const prompted = await call('POST', `job_templates/${ids.prompts}/launch/`, {
      extra_vars: '{"a": 1}',
      limit: 'web',
      skip_tags: 'slow',
    });
    expect(prompted.json.ignored_fields).toEqual({ skip_tags: 'slow' });
    expect(prompted.json.limit).toBe('web');
    expect(awx.job(prompted.json.job)?.extraVars).toEqual({ a: 1 });
  });

  test('a survey accepts its own variables, applies defaults and refuses a missing required one', async () => {
    const missing = await call('POST', `job_templates/${ids.survey}/launch/`, {});
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ variables_needed_to_start: ["'tag' value missing"] });
    const launched = await call('POST', `job_templates/${ids.survey}/launch/`, { extra_vars: { tag: '1.0.3', other: true } });
    expect(launched.json.ignored_fields).toEqual({ extra_vars: { other: true } });
    expect(awx.job(launched.json.job)?.extraVars).toEqual({ tag: '1.0.3', replicas: 1 });
    const preflight = await call('GET', `job_templates/${ids.survey}/launch/`);
    expect(preflight.json).toMatchObject({ survey_enabled: true, variables_needed_to_start: ['tag'], can_start_without_user_input: false });
  });

  test('stdout above 1 MiB shows the placeholder in display formats; downloads stay whole', async () => {
    const { json } = await call('POST', `job_templates/${ids.big}/launch/`, {});
    while (awx.status(awx.job(json.job)!) !== 'successful') await delay(50);
    const txt = await call('GET', `jobs/${json.job}/stdout/?format=txt`);
    expect(txt.text).toMatch(
      /^Standard Output too large to display \(\d+ bytes\), only download supported for sizes over 1048576 bytes\.$/,
    );
    const asJson = await call('GET', `jobs/${json.job}/stdout/?format=json`);
    expect(asJson.json.content).toMatch(/^Standard Output too large to display/);
    const download = await call('GET', `jobs/${json.job}/stdout/?format=txt_download`);
    expect(Buffer.byteLength(download.text)).toBeGreaterThan(STDOUT_MAX_BYTES_DISPLAY);
    expect(download.text).toContain(`line 40000 of job ${json.job}`);
  });

  test('job events filter by counter, order and paginate (at most 200 a page)', async () => {
    const job = awx.jobsOf('Big').at(-1)!;
    const page = await call('GET', `jobs/${job.id}/job_events/?order_by=counter&counter__gt=100&page_size=500`);
    expect(page.json.results).toHaveLength(200);
    expect(page.json.results[0]?.counter).toBe(101);
    expect(page.json.next).toMatch(/page=2/);
    const newest = await call('GET', `jobs/${job.id}/job_events/?order_by=-counter&page_size=1`);
    expect(newest.json.results[0]?.event).toBe('playbook_on_stats');
  });

  test('Basic and Bearer auth; anything else is a 401', async () => {
    const basic = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
    expect((await call('GET', 'me/', undefined, basic)).json.results[0]?.username).toBe('admin');
    expect((await call('GET', 'me/', undefined, 'Bearer wrong')).status).toBe(401);
    expect((await call('GET', 'me/', undefined, `Basic ${Buffer.from('admin:nope').toString('base64')}`)).status).toBe(401);
  });

  test('an unknown filter field is a 400, as in AWX', async () => {
    expect((await call('GET', 'job_templates/?colour=red')).status).toBe(400);
  });

  test('cancel: 202 while running, 405 once finished', async () => {
    const { json } = await call('POST', `job_templates/${ids.plain}/launch/`, {});
    expect((await call('GET', `jobs/${json.job}/cancel/`)).json).toEqual({ can_cancel: true });
    expect((await call('POST', `jobs/${json.job}/cancel/`)).status).toBe(202);
    await delay(100);
    expect(awx.status(awx.job(json.job)!)).toBe('canceled');
    expect((await call('POST', `jobs/${json.job}/cancel/`)).status).toBe(405);
  });
});

describe('AWX stand-in API roots, as each platform answers GET /api/', () => {
  const awx = new AwxStandIn();
  const gateway = new AwxStandIn({ gateway: true });
  beforeAll(() => Promise.all([awx.start(), gateway.start()]));
  afterAll(() => Promise.all([awx.stop(), gateway.stop()]));
  const get = async (server: AwxStandIn, path: string, authorization?: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: authorization ? { authorization } : {} });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const controllerRoot = (v2: string, oauth2: string) => ({
    description: 'AWX REST API',
    current_version: v2,
    available_versions: { v2 },
    oauth2,
    custom_logo: '',
    custom_login_info: '',
    login_redirect_override: '',
  });

  test('AWX and Controller 2.4: /api/ names /api/v2/, which lists the collections to anyone', async () => {
    expect(await get(awx, '/api/')).toEqual({ status: 200, json: controllerRoot('/api/v2/', '/api/o/') });
    const versionRoot = await get(awx, '/api/v2/');
    expect(versionRoot.status).toBe(200);
    expect(versionRoot.json.job_templates).toBe('/api/v2/job_templates/');
  });

  test("a 2.5+ gateway: /api/ is the gateway's own root listing the services; the controller's is /api/controller/", async () => {
    expect(await get(gateway, '/api/')).toEqual({
      status: 200,
      json: {
        description: 'AAP gateway REST API',
        current_version: '/api/gateway/v1/',
        available_versions: { v1: '/api/gateway/v1/' },
        apis: { gateway: '/api/gateway/', controller: '/api/controller/', eda: '/api/eda/', galaxy: '/api/galaxy/' },
      },
    });
    expect((await get(gateway, '/api/gateway/v1/')).json.job_templates).toBeUndefined();
    expect(await get(gateway, '/api/controller/')).toEqual({
      status: 200,
      json: controllerRoot('/api/controller/v2/', '/api/controller/o/'),
    });
    expect((await get(gateway, '/api/controller/v2/')).json.job_templates).toBe('/api/controller/v2/job_templates/');
    expect((await get(gateway, '/api/v2/')).status).toBe(404);
  });

  test('wrong Basic credentials are refused even where anyone may read; an unknown token reads as anonymous', async () => {
    const wrong = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    expect(await get(awx, '/api/', wrong)).toEqual({
      status: 401,
      json: { detail: 'Invalid username/password. To establish a login session, visit /api/login/.' },
    });
    expect((await get(awx, '/api/v2/', 'Bearer unknown')).status).toBe(200);
  });
});

describe('AWX stand-in playbook output', () => {
  test('the recap is computed from the results shown, never scripted', () => {
    const events = playbookRun(
      ['PLAY [Deploy]', 'TASK [Ping]', 'ok: [web-1]', 'fatal: [web-2]: UNREACHABLE! => {"changed": false}'],
      1,
      true,
    );
    expect(events.map((event) => event.event)).toEqual([
      'playbook_on_start',
      'playbook_on_play_start',
      'playbook_on_task_start',
      'runner_on_ok',
      'runner_on_unreachable',
      'playbook_on_stats',
    ]);
    expect(events.at(-1)?.stats).toEqual({
      'web-1': { ok: 1, changed: 0, failures: 0, dark: 0, skipped: 0, rescued: 0, ignored: 0 },
      'web-2': { ok: 0, changed: 0, failures: 0, dark: 1, skipped: 0, rescued: 0, ignored: 0 },
    });
    expect(() => playbookRun(['PLAY RECAP ****', 'web-1 : ok=1'], 1, true)).toThrow(/must not write its PLAY RECAP/);
  });

  test('a playbook stopped by an error or a cancel has no recap, and its job no host summaries', async () => {
    expect(playbookRun(['TASK [Ping]', 'ok: [web-1]'], 1, false).map((event) => event.event)).not.toContain('playbook_on_stats');
    const awx = new AwxStandIn({ timeScale: 20 });
    const template = awx.jobTemplate({ name: 'Stopped', organization: 'Org', script: { status: 'error', runSeconds: 1 } });
    await awx.start();
    try {
      const headers = { authorization: 'Bearer awx-test-token' };
      const launched = await fetch(`${awx.url}/api/v2/job_templates/${template}/launch/`, { method: 'POST', headers });
      const { job } = (await launched.json()) as { job: number };
      while (awx.status(awx.job(job)!) !== 'error') await delay(20);
      const summaries = await fetch(`${awx.url}/api/v2/jobs/${job}/job_host_summaries/`, { headers });
      expect(((await summaries.json()) as { count: number }).count).toBe(0);
    } finally {
      await awx.stop();
    }
  });

  test("a failed job's scripted output must show the failure", () => {
    expect(() =>
      new AwxStandIn().jobTemplate({ name: 'x', organization: 'Org', script: { status: 'failed', lines: ['ok: [web-1]'] } }),
    ).toThrow(/a failed job's output shows the task that failed/);
  });
});
