/** A scripted `docker` on PATH for in-process tests of the CLI wrapper and the logins (the real engine is exercised end to end). */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeDocker {
  /** The environment that puts this docker first on PATH. */
  env: NodeJS.ProcessEnv;
  /** Each call's arguments, one call per entry. */
  calls(): string[];
  /** Each call's DOCKER_CONFIG ('' when unset). */
  configs(): string[];
  /** Everything the calls read on stdin, concatenated. */
  stdin(): string;
}

/** A fake docker that records its call and then runs `script` (sh, with the call's arguments as "$@"). */
export function fakeDocker(script: string): FakeDocker {
  const dir = mkdtempSync(join(tmpdir(), 'fake-docker-'));
  const log = join(dir, 'calls');
  const configs = join(dir, 'configs');
  const input = join(dir, 'stdin');
  writeFileSync(log, '');
  writeFileSync(configs, '');
  writeFileSync(
    join(dir, 'docker'),
    `#!/bin/sh\necho "$*" >> '${log}'\necho "\${DOCKER_CONFIG:-}" >> '${configs}'\ncat >> '${input}'\n${script}\n`,
  );
  chmodSync(join(dir, 'docker'), 0o755);
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').slice(0, -1);
  return {
    env: { PATH: `${dir}:/usr/bin:/bin` },
    calls: () => lines(log),
    configs: () => lines(configs),
    stdin: () => readFileSync(input, 'utf8'),
  };
}
