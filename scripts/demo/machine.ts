/**
 * What the demo's first step needs from the machine, set up the way `npm test` does: as root on
 * Debian, the Debian packages of scripts/apt-packages.txt (scripts/setup-machine.sh) and the Docker
 * engine (scripts/services/docker.sh start). An engine the demo started is stopped at the end; one
 * that was already running is left running. Where that cannot be done, one line says why and which
 * command would do it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What the set-up asks of the machine (a test gives its own). */
export interface Machine {
  isRoot: boolean;
  has(command: string): boolean;
  engineRunning(): boolean;
  /** Runs a script of this repository (`scripts/…`) with bash; throws when it fails. */
  run(script: string, args?: string[]): void;
}

export interface DockerSetup {
  /** Why the Docker step is skipped and the one command that would run it; unset when it runs. */
  skipped?: string;
  /** Undoes what the set-up started: the engine, when it was not running before. */
  teardown(): void;
}

/** What docker-build-push's step needs: the engine, its client, the registry, htpasswd, the base image's busybox. */
const TOOLS = ['dockerd', 'docker', 'docker-registry', 'htpasswd', 'busybox'];
const AS_ROOT = 'sudo npm run demo';

export function prepareDocker(machine: Machine): DockerSetup {
  const skip = (reason: string, command: string): DockerSetup => ({
    skipped: `${reason}; to run it: ${command}`,
    teardown: () => undefined,
  });
  if (machine.isRoot && machine.has('apt-get')) machine.run('scripts/setup-machine.sh');
  const missing = TOOLS.filter((tool) => !machine.has(tool));
  if (missing.length > 0) {
    if (!machine.isRoot) return skip(`not root, so ${missing.join(', ')} cannot be installed`, AS_ROOT);
    if (!machine.has('apt-get'))
      return skip(`no apt-get to install ${missing.join(', ')}`, 'install Docker, docker-registry, htpasswd and busybox');
  }
  const wasRunning = machine.engineRunning();
  if (!wasRunning && !machine.isRoot) return skip('no Docker engine runs and starting one needs root', AS_ROOT);
  // Also when the engine runs: it imports the offline base image the demo's Dockerfile builds on.
  machine.run('scripts/services/docker.sh', ['start']);
  return { teardown: () => (wasRunning ? undefined : machine.run('scripts/services/docker.sh', ['stop'])) };
}

/** This machine. */
export function thisMachine(repoRoot: string): Machine {
  return {
    isRoot: process.getuid?.() === 0,
    has: (command) => spawnSync('which', [command], { stdio: 'ignore' }).status === 0,
    engineRunning: () => spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0,
    run: (script, args = []) => {
      const result = spawnSync('bash', [join(repoRoot, script), ...args], { stdio: 'inherit' });
      if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (exit code ${result.status ?? result.signal})`);
    },
  };
}
