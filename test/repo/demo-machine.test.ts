// The demo's set-up decisions (which scripts it runs, what it stops, what it says when it cannot),
// and docker.sh's stop on a stand-in process (the machine's own engine is shared and stays running).
import { execFile, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepareDocker, type Machine } from '../../scripts/demo/machine';
import { repoRoot, tempDir } from '../kit/runner';

const TOOLS = ['dockerd', 'docker', 'docker-registry', 'htpasswd', 'busybox'];

/** A machine that records the scripts run on it; `install` makes setup-machine.sh provide the tools. */
function machine(options: { root: boolean; apt: boolean; tools: boolean; engine: boolean }): Machine & { ran: string[] } {
  const installed = new Set(options.tools ? TOOLS : []);
  if (options.apt) installed.add('apt-get');
  const ran: string[] = [];
  return {
    ran,
    isRoot: options.root,
    has: (command) => installed.has(command),
    engineRunning: () => options.engine,
    run: (script, args = []) => {
      ran.push([script, ...args].join(' '));
      if (script === 'scripts/setup-machine.sh') TOOLS.forEach((tool) => installed.add(tool));
    },
  };
}

describe('prepareDocker', () => {
  test('a fresh Debian machine as root: installs the packages, starts the engine, and stops it at the end', () => {
    const fresh = machine({ root: true, apt: true, tools: false, engine: false });
    const setup = prepareDocker(fresh);
    expect(setup.skipped).toBeUndefined();
    expect(fresh.ran).toEqual(['scripts/setup-machine.sh', 'scripts/services/docker.sh start']);
    setup.teardown();
    expect(fresh.ran.at(-1)).toBe('scripts/services/docker.sh stop');
  });

  test('an engine that already runs is used and left running', () => {
    const shared = machine({ root: true, apt: true, tools: true, engine: true });
    const setup = prepareDocker(shared);
    setup.teardown();
    expect(shared.ran).toEqual(['scripts/setup-machine.sh', 'scripts/services/docker.sh start']);
  });

  test('not root and nothing installed: skipped, saying why and the one command that runs it', () => {
    const user = machine({ root: false, apt: true, tools: false, engine: false });
    expect(prepareDocker(user).skipped).toBe(
      'not root, so dockerd, docker, docker-registry, htpasswd, busybox cannot be installed; to run it: sudo npm run demo',
    );
    expect(user.ran).toEqual([]);
  });

  test('not root with the tools but no engine running: skipped, as starting one needs root', () => {
    const user = machine({ root: false, apt: true, tools: true, engine: false });
    expect(prepareDocker(user).skipped).toBe('no Docker engine runs and starting one needs root; to run it: sudo npm run demo');
  });

  test('not root with a running engine it may use: runs, and leaves the engine alone', () => {
    const user = machine({ root: false, apt: false, tools: true, engine: true });
    const setup = prepareDocker(user);
    setup.teardown();
    expect(setup.skipped).toBeUndefined();
    expect(user.ran).toEqual(['scripts/services/docker.sh start']);
  });

  test('root without apt-get and without the tools: skipped, naming what is missing', () => {
    const other = machine({ root: true, apt: false, tools: false, engine: false });
    expect(prepareDocker(other).skipped).toBe(
      'no apt-get to install dockerd, docker, docker-registry, htpasswd, busybox; to run it: install Docker, docker-registry, htpasswd and busybox',
    );
  });
});

test('docker.sh stop ends the process its pid file names and removes the file; a second stop does nothing', async () => {
  const standIn = spawn('sleep', ['300'], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => standIn.once('exit', (_, signal) => resolve(signal)));
  const pidFile = join(tempDir('conveyor-dockerd-'), 'docker.pid');
  writeFileSync(pidFile, String(standIn.pid));
  // Asynchronously: the stand-in must be reaped by this process while the script waits for it to go.
  const stop = () =>
    promisify(execFile)('bash', [join(repoRoot, 'scripts/services/docker.sh'), 'stop'], {
      env: { ...process.env, CONVEYOR_DOCKERD_PIDFILE: pidFile },
      encoding: 'utf8',
    });
  expect((await stop()).stdout).toBe(`Stopping dockerd (${standIn.pid})\n`);
  expect(await exited).toBe('SIGTERM');
  expect(existsSync(pidFile)).toBe(false);
  expect((await stop()).stdout).toBe('');
});
