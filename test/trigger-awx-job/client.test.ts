// The AWX client modules in-process against the stand-in: API discovery, template and inventory
// lookup, and the event stream's ordering when AWX saves events late (on a fake clock shared by the
// stand-in's jobs and the client's waits, so no test sleeps).
import { ConfigurationError, HttpClient } from '@conveyor/core';
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
  const awx = new AwxStandIn({ tokens: ['unit-token'] });
  const gateway = new AwxStandIn({ gateway: true, tokens: ['unit-token'] });
  const other = new StandIn().route('GET', '/api', () => ({ status: 200, json: { message: 'not AWX' } }));
  beforeAll(() => Promise.all([awx.start(), gateway.start(), other.start()]));
  afterAll(() => Promise.all([awx.stop(), gateway.stop(), other.stop()]));
  const http = new HttpClient({ retries: 0 });

  test('reads current_version from /api/', async () => {
    expect(await discoverRoot(http, new URL(awx.url))).toBe(`${awx.url}/api/v2/`);
  });

  test('behind a gateway, /api/controller/ names the root', async () => {
    expect(await discoverRoot(http, new URL(`${gateway.url}/`))).toBe(`${gateway.url}/api/controller/v2/`);
  });

  test('a URL that already is a version root is used as it is, without a request', async () => {
    const before = awx.journal.length;
    expect(await discoverRoot(http, new URL(`${awx.url}/api/v2`))).toBe(`${awx.url}/api/v2/`);
    expect(await discoverRoot(http, new URL(`${awx.url}/api/controller/v2/`))).toBe(`${awx.url}/api/controller/v2/`);
    expect(awx.journal.length).toBe(before);
  });

  test('a server that is not AWX is a configuration error naming the input', async () => {
    await expect(discoverRoot(http, new URL(other.url))).rejects.toThrow(/Input 'controller-url': no AWX or Automation Controller API/);
  });

  test('an unreachable controller says so', async () => {
    await expect(discoverRoot(http, new URL('http://127.0.0.1:9'))).rejects.toThrow(ConfigurationError);
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
