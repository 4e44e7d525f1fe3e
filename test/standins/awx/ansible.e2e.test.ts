// The AWX stand-in checked against code nobody here wrote, from Debian's `ansible` package: the
// awx.awx collection's job_launch and job_wait modules (lookup by name and organization, the prompts
// check against the template's ask_* flags, launch, polling until `finished`) must work against the
// stand-in as they do against AWX; and a job's output, PLAY RECAP and host summaries must be what
// ansible-playbook itself prints and counts for the same tasks.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { execCapture } from '@conveyor/core';
import { tempDir } from '../../kit/runner';
import { AwxStandIn } from './server';

jest.setTimeout(120_000);

const COLLECTION = '/usr/lib/python3/dist-packages/ansible_collections/awx/awx/plugins/modules/job_launch.py';

function hasAnsible(): boolean {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('AWX stand-in against the awx.awx collection', () => {
  const awx = new AwxStandIn({ tokens: ['collection-token'], users: { operator: 'operator-password' } });
  const gateway = new AwxStandIn({ gateway: true, tokens: ['collection-token'] });
  const dir = tempDir('conveyor-awx-ansible-');

  beforeAll(async () => {
    if (!hasAnsible()) throw new Error(`ansible-playbook is not installed (scripts/apt-packages.txt lists ansible; ${COLLECTION})`);
    awx.jobTemplate({
      name: 'Staging Fragalysis Stack (Version Change)',
      organization: 'Fragalysis',
      prompts: ['variables', 'limit'],
      script: { lines: 12, runSeconds: 1.5 },
    });
    awx.jobTemplate({ name: 'Staging Fragalysis Stack (Version Change)', organization: 'Diamond', prompts: ['variables'] });
    awx.jobTemplate({ name: 'No prompts', organization: 'Fragalysis' });
    awx.jobTemplate({ name: 'Fails', organization: 'Fragalysis', script: { status: 'failed', runSeconds: 0.5 } });
    awx.workflowTemplate({ name: 'Rollout', organization: 'Fragalysis', prompts: ['variables'], nodes: ['No prompts'] });
    gateway.jobTemplate({ name: 'No prompts', organization: 'Fragalysis' });
    await Promise.all([awx.start(), gateway.start()]);
  });
  afterAll(() => Promise.all([awx.stop(), gateway.stop()]));

  async function playbook(tasks: string, auth = 'controller_oauthtoken: collection-token', host = awx.url) {
    const common = `controller_host: ${host}\n        ${auth}\n        validate_certs: false`;
    const path = join(dir, `play-${Date.now()}.yml`);
    writeFileSync(path, `- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n${tasks.replace(/COMMON/g, common)}\n`);
    return execCapture('ansible-playbook', ['-i', 'localhost,', path], {
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false' },
    });
  }

  /** The `results` of each task in the JSON callback's report. */
  function taskResults(stdout: string): Array<Record<string, unknown>> {
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      plays: Array<{ tasks: Array<{ hosts: { localhost: Record<string, unknown> } }> }>;
    };
    return report.plays.flatMap((play) => play.tasks.map((task) => task.hosts.localhost));
  }

  test('job_launch by name and organization with extra vars, then job_wait, succeed', async () => {
    const result = await playbook(`
    - awx.awx.job_launch:
        name: Staging Fragalysis Stack (Version Change)
        organization: Fragalysis
        extra_vars: { stack_image_tag: "1.0.3" }
        limit: web
        COMMON
      register: launched
    - awx.awx.job_wait:
        job_id: "{{ launched.id }}"
        timeout: 60
        interval: 0.5
        COMMON`);
    expect(result.stderr).not.toMatch(/ERROR/);
    const [launch, wait] = taskResults(result.stdout);
    expect(launch).toMatchObject({ changed: true, status: 'pending' });
    const job = awx.job(launch?.id as number);
    expect(job?.template.organization).toBe('Fragalysis');
    expect(job?.extraVars).toEqual({ stack_image_tag: '1.0.3' });
    expect(job?.fields).toEqual({ limit: 'web' });
    expect(wait).toMatchObject({ id: launch?.id, status: 'successful' });
    expect(wait?.elapsed).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
  });

  test('basic auth: the collection trades the password for a token, then launches', async () => {
    const result = await playbook(
      `
    - awx.awx.job_launch:
        name: No prompts
        organization: Fragalysis
        wait: true
        interval: 0.5
        COMMON`,
      'controller_username: operator\n        controller_password: operator-password',
    );
    expect(result.exitCode).toBe(0);
    expect(taskResults(result.stdout)[0]).toMatchObject({ status: 'successful' });
  });

  test('the collection refuses extra vars the template does not prompt for, from the template fields', async () => {
    const result = await playbook(`
    - awx.awx.job_launch:
        name: No prompts
        organization: Fragalysis
        extra_vars: { stack_image_tag: "1.0.3" }
        COMMON`);
    expect(result.exitCode).not.toBe(0);
    expect(JSON.stringify(taskResults(result.stdout)[0])).toContain(
      'The field extra_vars was specified but the job template does not allow for it to be overridden',
    );
  });

  test('a name in two organizations without one is ambiguous to the collection too', async () => {
    const result = await playbook(`
    - awx.awx.job_launch:
        name: Staging Fragalysis Stack (Version Change)
        COMMON`);
    expect(result.exitCode).not.toBe(0);
    expect(JSON.stringify(taskResults(result.stdout)[0])).toMatch(/returned 2 items, expected 1/);
  });

  test('job_wait fails on a failed job', async () => {
    const result = await playbook(`
    - awx.awx.job_launch:
        name: Fails
        COMMON
      register: launched
    - awx.awx.job_wait:
        job_id: "{{ launched.id }}"
        interval: 0.5
        COMMON`);
    expect(result.exitCode).not.toBe(0);
    expect(taskResults(result.stdout)[1]).toMatchObject({ failed: true, status: 'failed' });
  });

  test('workflow_launch waits for a workflow job', async () => {
    const result = await playbook(`
    - awx.awx.workflow_launch:
        workflow_template: Rollout
        organization: Fragalysis
        extra_vars: { stack_image_tag: "1.0.3" }
        wait: true
        interval: 0.5
        COMMON`);
    expect(result.exitCode).toBe(0);
    const launched = taskResults(result.stdout)[0];
    expect(launched).toMatchObject({ status: 'successful' });
    expect(awx.job(launched?.id as number)?.kind).toBe('workflow_job');
  });

  // This awx.awx (21.14, from before Automation Platform 2.5) always builds `/api/v2/` paths; a 2.5+
  // gateway serves the controller under `/api/controller/v2/` only, so the collection fails against
  // one (as ansible/awx#15611 reports of awxkit), and against the stand-in's gateway layout alike.
  test('against the gateway layout this collection fails as against a real gateway: no /api/v2/', async () => {
    const result = await playbook(
      `
    - awx.awx.job_launch:
        name: No prompts
        COMMON`,
      undefined,
      gateway.url,
    );
    expect(result.exitCode).not.toBe(0);
    expect(taskResults(result.stdout)[0]?.msg).toBe('The requested object could not be found at /api/v2/job_templates/.');
    expect(gateway.journal.map((entry) => `${entry.method} ${entry.path} ${entry.outcome}`)).toEqual(['GET /api/v2/job_templates/ 404']);
  });
});

describe("AWX stand-in job output against ansible-playbook's own", () => {
  const awx = new AwxStandIn({ tokens: ['output-token'] });
  beforeAll(() => awx.start());
  afterAll(() => awx.stop());

  test('the same task results give the same output, banners and PLAY RECAP, and host summaries with its counts', async () => {
    if (!hasAnsible()) throw new Error(`ansible-playbook is not installed (scripts/apt-packages.txt lists ansible)`);
    const dir = tempDir('conveyor-awx-playbook-');
    const path = join(dir, 'deploy.yml');
    const task = (name: string, body: string) => `    - name: ${name}\n${body}\n`;
    writeFileSync(
      path,
      '- hosts: localhost\n  gather_facts: false\n  connection: local\n  tasks:\n' +
        task('Look', '      ansible.builtin.command: "true"\n      changed_when: false') +
        task('Set the image tag', '      ansible.builtin.command: "true"') +
        task('Skip', '      ansible.builtin.command: "true"\n      when: false') +
        task('Roll out', '      ansible.builtin.fail:\n        msg: rollout failed'),
    );
    const real = await execCapture('ansible-playbook', ['-i', 'localhost,', path], {
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default', ANSIBLE_LOCALHOST_WARNING: 'false' },
    });
    expect(real.exitCode).toBe(2);
    const [results = ''] = real.stdout.split('\nPLAY RECAP');
    const lines = results.split('\n').filter((line) => line.trim());

    const template = awx.jobTemplate({ name: 'Deploy', organization: 'Default', script: { lines, status: 'failed', runSeconds: 0.5 } });
    const headers = { authorization: 'Bearer output-token', 'content-type': 'application/json' };
    const launch = await fetch(`${awx.url}/api/v2/job_templates/${template}/launch/`, { method: 'POST', headers });
    const { job } = (await launch.json()) as { job: number };
    while (awx.status(awx.job(job)!) !== 'failed') await new Promise((resolve) => setTimeout(resolve, 50));
    const stdout = await fetch(`${awx.url}/api/v2/jobs/${job}/stdout/?format=txt_download`, { headers });
    expect(await stdout.text()).toBe(real.stdout);
    const summaries = await fetch(`${awx.url}/api/v2/jobs/${job}/job_host_summaries/`, { headers });
    expect(((await summaries.json()) as { results: unknown[] }).results).toEqual([
      expect.objectContaining({ host_name: 'localhost', ok: 2, changed: 1, dark: 0, failures: 1, skipped: 1, rescued: 0, ignored: 0 }),
    ]);
    expect(real.stdout).toContain('localhost                  : ok=2    changed=1    unreachable=0    failed=1    skipped=1');
  });
});
