// The AWX client modules in-process against the stand-in: API discovery, template and inventory
// lookup, and the event stream's ordering when AWX saves events late (on a fake clock shared by the
// stand-in's jobs and the client's waits, so no test sleeps).
import { HttpClient, HttpError } from '@conveyor/core';
import { discoverRoot } from '../../actions/trigger-awx-job/src/api';
import { EventStream, follow } from '../../actions/trigger-awx-job/src/follow';
import type { Job } from '../../actions/trigger-awx-job/src/launch';
import { OutputTail } from '../../actions/trigger-awx-job/src/tail';
import { findInventory, findTemplate } from '../../actions/trigger-awx-job/src/templates';
import { fakeClock } from '../kit/clock';
import { recordingLogger } from '../kit/logger';
import { StandIn } from '../kit/standin';
import { AwxStandIn } from '../standins/awx/server';

const auth = { authorization: 'Bearer unit-token' };

describe('discoverRoot', () => {
  const awx = new AwxStandIn({ tokens: ['unit-token'], users: { deployer: 'right' } });
  const gateway = new AwxStandIn({ gateway: true, tokens: ['unit-token'] });
  const edaOnly = new AwxStandIn({ gateway: true, gatewayServices: ['eda'] });
  const webServer = new StandIn().route('GET', '/api', () => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body></body></html>',
  }));
  const notFound = new StandIn();
  const otherJson = new StandIn().route('GET', '/api', () => ({ status: 200, json: { message: 'not AWX' } }));
  // An API that names a version root that is not a controller's.
  const otherApi = new StandIn()
    .route('GET', '/api', () => ({ status: 200, json: { description: 'Pulp API', current_version: '/api/v3/' } }))
    .route('GET', '/api/v3', () => ({ status: 200, json: { repositories: '/api/v3/repositories/' } }));
  const servers = [awx, gateway, edaOnly, webServer, notFound, otherJson, otherApi];
  beforeAll(() => Promise.all(servers.map((server) => server.start())));
  afterAll(() => Promise.all(servers.map((server) => server.stop())));
  beforeEach(() => servers.forEach((server) => server.reset()));
  const http = new HttpClient({ retries: 0 });
  const paths = (server: StandIn) => server.journal.map((entry) => `${entry.method} ${entry.path}`);
  const fix = "Give the base URL of AWX, of Automation Controller or of the Automation Platform's gateway, e.g. https://awx.example.com";

  test('AWX: current_version of /api/, checked to list job_templates', async () => {
    expect(await discoverRoot(http, new URL(awx.url))).toBe(`${awx.url}/api/v2/`);
    expect(paths(awx)).toEqual(['GET /api/', 'GET /api/v2/']);
  });

  test('an Automation Platform gateway: its apis.controller is preferred to its own current_version', async () => {
    expect(await discoverRoot(http, new URL(`${gateway.url}/`))).toBe(`${gateway.url}/api/controller/v2/`);
    expect(paths(gateway)).toEqual(['GET /api/', 'GET /api/controller/', 'GET /api/controller/v2/']);
  });

  test('a version root or an API root given as the URL is checked, then used', async () => {
    expect(await discoverRoot(http, new URL(`${awx.url}/api/v2`))).toBe(`${awx.url}/api/v2/`);
    expect(await discoverRoot(http, new URL(`${gateway.url}/api/controller/`))).toBe(`${gateway.url}/api/controller/v2/`);
    expect(paths(awx)).toEqual(['GET /api/v2/']);
    expect(paths(gateway)).toEqual(['GET /api/controller/', 'GET /api/controller/v2/']);
    await expect(discoverRoot(http, new URL(`${gateway.url}/api/v2/`))).rejects.toThrow(
      `Input 'controller-url': no AWX or Automation Controller API at ${gateway.url}/api/v2/: ${gateway.url}/api/v2/ answered HTTP 404. ${fix}`,
    );
  });

  test('a gateway that fronts no controller is named as such', async () => {
    await expect(discoverRoot(http, new URL(edaOnly.url))).rejects.toThrow(
      `Input 'controller-url': no AWX or Automation Controller API at ${edaOnly.url}/: ${edaOnly.url}/api/ is 'AAP gateway REST API' that fronts no controller (its apis: gateway, eda). ${fix}`,
    );
  });

  test.each([
    ['a web server', () => webServer, "answered HTTP 200 with an HTML page 'Welcome to nginx!', without a current_version"],
    ['a server without /api/', () => notFound, 'answered HTTP 404, without a current_version'],
    ['other JSON', () => otherJson, 'answered JSON, without a current_version'],
  ])('%s is an input error saying what answered', async (_, server, what) => {
    await expect(discoverRoot(http, new URL(server().url))).rejects.toThrow(
      `Input 'controller-url': no AWX or Automation Controller API at ${server().url}/: ${server().url}/api/ ${what}. ${fix}`,
    );
  });

  test('an API whose version root lists no job_templates is not a controller', async () => {
    await expect(discoverRoot(http, new URL(otherApi.url))).rejects.toThrow(
      `Input 'controller-url': no AWX or Automation Controller API at ${otherApi.url}/: ${otherApi.url}/api/v3/ lists no job_templates. ${fix}`,
    );
  });

  test('refused credentials are left to the caller as a 401, not blamed on the URL', async () => {
    const wrong = new HttpClient({ retries: 0, headers: { authorization: `Basic ${Buffer.from('deployer:wrong').toString('base64')}` } });
    const error = await discoverRoot(wrong, new URL(awx.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
  });

  test('an unreachable controller says so', async () => {
    const gone = new StandIn();
    const url = await gone.start();
    await gone.stop();
    await expect(discoverRoot(http, new URL(url))).rejects.toThrow(
      `Could not reach the AWX API at ${url}/api/: network error ECONNREFUSED`,
    );
  });
});

describe('template and inventory lookup', () => {
  const awx = new AwxStandIn({ tokens: ['unit-token'] });
  const deploy = awx.jobTemplate({ name: 'Deploy', organization: 'Fragalysis' });
  const deployWorkflow = awx.workflowTemplate({ name: 'Deploy', organization: 'Fragalysis', nodes: ['Deploy'] });
  const staging = { fragalysis: awx.inventory('Staging', 'Fragalysis'), diamond: awx.inventory('Staging', 'Diamond') };
  const production = awx.inventory('Production', 'Fragalysis');
  beforeAll(() => awx.start());
  afterAll(() => awx.stop());
  const http = () => new HttpClient({ baseUrl: `${awx.url}/api/v2/`, headers: auth, retries: 0 });

  test('by id, checked against the organization', async () => {
    expect((await findTemplate(http(), { kind: 'job', nameOrId: String(deploy) })).name).toBe('Deploy');
    await expect(findTemplate(http(), { kind: 'job', nameOrId: String(deploy), organization: 'Diamond' })).rejects.toThrow(
      /Input 'organization': job template \d+ \('Deploy'\) belongs to 'Fragalysis', not 'Diamond'/,
    );
    await expect(findTemplate(http(), { kind: 'job', nameOrId: '999' })).rejects.toThrow(
      /Input 'job-template': no job template has id 999/,
    );
  });

  test('job and workflow templates are looked up in their own collections', async () => {
    const workflow = await findTemplate(http(), { kind: 'workflow', nameOrId: 'Deploy' });
    expect(workflow.type).toBe('workflow_job_template');
    expect(workflow.id).toBe(deployWorkflow);
    expect((await findTemplate(http(), { kind: 'job', nameOrId: 'Deploy' })).id).toBe(deploy);
  });

  test('inventories by id, by unique name, and by a shared name with the organization', async () => {
    expect(await findInventory(http(), '42')).toBe(42);
    expect(await findInventory(http(), 'Production')).toBe(production);
    await expect(findInventory(http(), 'Staging')).rejects.toThrow(/several inventories are named 'Staging'.*'Fragalysis'.*'Diamond'/);
    expect(await findInventory(http(), 'Staging', 'Diamond')).toBe(staging.diamond);
    expect(await findInventory(http(), 'Staging', 'Fragalysis')).toBe(staging.fragalysis);
    await expect(findInventory(http(), 'Nowhere')).rejects.toThrow(/Input 'inventory': no inventory named 'Nowhere'/);
  });
});

describe('job output streaming', () => {
  const clock = fakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const awx = new AwxStandIn({ tokens: ['unit-token'], now: clock.now });
  beforeAll(() => awx.start());
  afterAll(() => awx.stop());
  const http = () => new HttpClient({ baseUrl: `${awx.url}/api/v2/`, headers: auth, retries: 0 });

  async function launch(name: string, lateEvents?: Record<number, number>): Promise<Job> {
    const id = awx.jobTemplate({ name, organization: 'Default', script: { lines: 10, runSeconds: 1, lateEvents } });
    const reply = await http().post<Job & { job: number }>(`job_templates/${id}/launch/`, { json: {} });
    return { ...reply.data, id: reply.data.job };
  }

  const printedLines = (lines: string[]) => lines.flatMap((text) => text.split('\n')).filter((line) => line.startsWith('ok: '));

  test('an event saved late is printed in its place, not skipped', async () => {
    const job = await launch('Late event', { 4: 0.8 });
    const logger = recordingLogger();
    const result = await follow({
      http: http(),
      kind: 'job',
      job,
      streamOutput: true,
      timeoutMs: 20_000,
      signal: new AbortController().signal,
      logger,
      tail: new OutputTail(),
      onUpdate: () => undefined,
      intervalMs: 100,
      maxIntervalMs: 200,
      clock,
    });
    expect(result.job.status).toBe('successful');
    const lines = printedLines(logger.lines);
    expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => `ok: [web-${(i % 2) + 1}] => line ${i + 1} of job ${job.id}`));
  });

  test('once the job is over and its events saved, one drain prints everything, each event fetched once', async () => {
    const job = await launch('Drained at the end', { 2: 0.2 });
    clock.advance(2000);
    const logger = recordingLogger();
    const tail = new OutputTail(3);
    const servedBefore = awx.eventsServed;
    await new EventStream(http(), `jobs/${job.id}/job_events/`, logger, tail, clock.now).drain(true);
    expect(printedLines(logger.lines)).toHaveLength(10);
    expect(tail.text()).toMatch(/PLAY RECAP/);
    // The start event, the ten lines and the recap.
    expect(awx.eventsServed - servedBefore).toBe(12);
  });

  test('a gap that never fills is skipped after a while, so the stream does not stall', async () => {
    const job = await launch('Lost event', { 3: 3600 });
    const logger = recordingLogger();
    const stream = new EventStream(http(), `jobs/${job.id}/job_events/`, logger, new OutputTail(), clock.now);
    clock.advance(1600);
    await stream.drain(false);
    expect(printedLines(logger.lines)).toEqual([`ok: [web-1] => line 1 of job ${job.id}`]);
    clock.advance(4900);
    await stream.drain(false);
    expect(printedLines(logger.lines)).toHaveLength(1);
    clock.advance(200);
    await stream.drain(false);
    expect(printedLines(logger.lines)).toHaveLength(9);
  });
});
