// pypi-publish: the committed bundle (under Node 24) against Debian's twine, uploading the same
// wheels (1 MB and 200 MB, made once) to the same PyPI stand-in, and beside them a minimal Node
// uploader (minimal-upload.cjs, Node's own floor for the work): wall time and peak RSS of each
// process, 3 runs alternating which goes first, medians. A fresh stand-in per upload, so each
// one stores the file anew; the stand-in streams the body to disk, hashing as it arrives, and its
// own CPU time per upload is printed to show it is not what sets the pace.
// Then what PEP 740 attestations cost per file (the action's attesting step against the Sigstore
// stand-ins).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24 } from '../../test/kit/node24';
import { startBundle, tempDir } from '../../test/kit/runner';
import { HttpClient } from '@conveyor/core';
import { attestDistributions } from '../../actions/pypi-publish/src/attestations';
import { recordingLogger } from '../../test/kit/logger';
import { githubClaims, GITHUB_ISSUER, OidcIssuerStandIn } from '../../test/standins/pypi/oidc-issuer';
import { PyPIStandIn } from '../../test/standins/pypi/server';
import { FulcioStandIn } from '../../test/standins/sigstore/fulcio';
import { RekorStandIn } from '../../test/standins/sigstore/rekor';
import { figurePrinter, median, round } from '../figures';

const TOKEN = 'pypi-bench-token';
const MINIMAL_UPLOADER = fileURLToPath(new URL('minimal-upload.cjs', import.meta.url));
const RUNS = 3;
const SIZES_MB = [1, 200] as const;
const print = figurePrinter('pypi-publish');

/** Polls the process's VmHWM (its RSS high-water mark, which only grows) until it exits; resolves with it in MiB. */
function peakRss(child: ChildProcess): Promise<{ peakMiB: number; exitCode: number | null }> {
  let peakKiB = 0;
  const poll = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
    } catch {
      // the process has just exited
    }
  };
  const timer = setInterval(poll, 5);
  return new Promise((resolve) =>
    child.on('exit', (exitCode) => {
      clearInterval(timer);
      resolve({ peakMiB: peakKiB / 1024, exitCode });
    }),
  );
}

const work = tempDir('pypi-bench-');

/** A project dir whose dist/ holds one wheel with `sizeMb` of random (incompressible) data, stored. */
interface Project {
  dir: string;
  wheel: string;
  version: string;
}

function wheelProject(version: string, sizeMb: number): Project {
  const dir = join(work, version);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const wheel = join(dir, 'dist', `views3_bench-${version}-py3-none-any.whl`);
  const script = [
    'import os, sys, zipfile',
    'path, version, size = sys.argv[1], sys.argv[2], int(sys.argv[3]) * 1024 * 1024',
    'info = f"views3_bench-{version}.dist-info"',
    'with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:',
    '    z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\\nName: views3-bench\\nVersion: {version}\\nSummary: bench\\n\\n")',
    '    z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\\nGenerator: bench\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")',
    '    with z.open("views3_bench/blob.bin", "w", force_zip64=True) as out:',
    '        for _ in range(size // (1 << 20)): out.write(os.urandom(1 << 20))',
  ].join('\n');
  execFileSync('/usr/bin/python3', ['-c', script, wheel, version, String(sizeMb)]);
  return { dir, wheel, version };
}

interface Measured {
  seconds: number;
  peakMiB: number;
  /** CPU seconds the stand-in (this process) spent while the client ran. */
  standInCpu: number;
}

/** `node-floor`: scripts/bench/minimal-upload.cjs, the same upload with nothing else (Node's own floor). */
type Client = 'conveyor' | 'twine' | 'node-floor';

/** One upload of `project`'s wheel by `client` to a fresh stand-in. */
async function upload(client: Client, project: Project): Promise<Measured> {
  const index = new PyPIStandIn({ tokens: [TOKEN] });
  await index.start();
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    let run: { peakMiB: number; exitCode: number | null };
    let output: () => string;
    if (client === 'conveyor') {
      const step = startBundle({
        action: 'actions/pypi-publish',
        inputs: { 'working-directory': project.dir, build: 'none', 'repository-url': `${index.url}/legacy/`, password: TOKEN },
        timeoutMs: 600_000,
      });
      run = await peakRss(step.process);
      const { log } = await step.done;
      output = () => log;
    } else {
      const child =
        client === 'twine'
          ? spawn(
              'twine',
              [
                'upload',
                '--disable-progress-bar',
                '--repository-url',
                `${index.url}/legacy/`,
                '-u',
                '__token__',
                '-p',
                TOKEN,
                project.wheel,
              ],
              { stdio: ['ignore', 'pipe', 'pipe'] },
            )
          : spawn(node24(), [MINIMAL_UPLOADER, `${index.url}/legacy/`, TOKEN, project.wheel, 'views3-bench', project.version], {
              stdio: ['ignore', 'pipe', 'pipe'],
            });
      let text = '';
      child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
      run = await peakRss(child);
      output = () => text;
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (run.exitCode !== 0) throw new Error(`${client} failed:\n${output()}`);
    if (index.stored.length !== 1) throw new Error(`${client}: expected 1 file on the stand-in, found ${index.stored.length}`);
    return { seconds, peakMiB: run.peakMiB, standInCpu: (used.user + used.system) / 1e6 };
  } finally {
    await index.stop();
  }
}

try {
  const projects = Object.fromEntries(SIZES_MB.map((size) => [size, wheelProject(`${size}.0.0`, size)])) as Record<
    (typeof SIZES_MB)[number],
    Project
  >;
  for (const size of SIZES_MB) print(`wheel-${size}mb-size`, round(statSync(projects[size].wheel).size / 2 ** 20, 2), 'MiB');

  const results: Record<string, Measured[]> = {};
  for (let run = 1; run <= RUNS; run++) {
    // Alternate who goes first, so neither always gets the warmer page cache or the quieter moment.
    const order: Client[] = run % 2 === 1 ? ['conveyor', 'twine', 'node-floor'] : ['node-floor', 'twine', 'conveyor'];
    for (const size of SIZES_MB) {
      for (const client of order) {
        const measured = await upload(client, projects[size]);
        (results[`${client}-${size}`] ??= []).push(measured);
        print(`run-${run}-${client}-${size}mb`, round(measured.seconds, 2), 's', {
          peakRssMiB: round(measured.peakMiB),
          standInCpuSeconds: round(measured.standInCpu, 2),
        });
      }
    }
  }
  const medianOf = (key: string, field: keyof Measured) => median((results[key] ?? []).map((measured) => measured[field]));
  for (const key of Object.keys(results).sort()) {
    print(`median-${key}mb-seconds`, round(medianOf(key, 'seconds'), 2), 's');
    print(`median-${key}mb-peak-rss`, round(medianOf(key, 'peakMiB')), 'MiB');
  }

  const wall = { value: medianOf('conveyor-200', 'seconds'), yardstick: medianOf('twine-200', 'seconds') };
  print('200 MB wheel upload: wall time', round(wall.value, 2), 's', {
    yardstick: 'twine (Debian)',
    yardstickValue: round(wall.yardstick, 2),
    ratio: round(wall.value / wall.yardstick, 2),
    goal: '≤ 1.0× twine',
    met: wall.value <= wall.yardstick,
  });
  const rss = { value: medianOf('conveyor-200', 'peakMiB'), yardstick: medianOf('twine-200', 'peakMiB') };
  print('200 MB wheel upload: peak RSS', round(rss.value), 'MiB', {
    yardstick: 'twine (Debian)',
    yardstickValue: round(rss.yardstick),
    ratio: round(rss.value / rss.yardstick, 2),
    goal: '≤ 1.5× twine',
    met: rss.value <= 1.5 * rss.yardstick,
  });
  const floor = medianOf('node-floor-200', 'peakMiB');
  // No goal: what a Node process doing only this upload needs, for reading the line above.
  print('200 MB wheel upload: peak RSS of a minimal Node uploader (scripts/bench/minimal-upload.cjs)', round(floor), 'MiB', {
    yardstick: 'twine (Debian)',
    yardstickValue: round(rss.yardstick),
    ratio: round(floor / rss.yardstick, 2),
  });
  const growth = rss.value - medianOf('conveyor-1', 'peakMiB');
  print('peak RSS growth, 1 MB → 200 MB wheel', round(growth), 'MiB', { goal: '≤ +8 MiB', met: growth <= 8 });

  await attestationCost();
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * What PEP 740 attestations cost per file: the action's attesting step (trust material, signing,
 * verification, writing) against the Sigstore stand-ins on this machine, for 1 file (cold: with
 * loading the Sigstore libraries; warm) and 10 files. The marginal time per file is the difference
 * divided by 9; requests are counted by the stand-ins (Fulcio's and Rekor's include the trust reads).
 * Against the public instance add each request's round trip (Fulcio and Rekor are typically 0.2–1 s).
 */
async function attestationCost(): Promise<void> {
  const repository = 'views3/views3-bench';
  const issuer = new OidcIssuerStandIn(githubClaims({ repository, workflowFile: 'release.yml' }));
  const fulcio = new FulcioStandIn([{ issuer: GITHUB_ISSUER, publicKey: issuer.publicKey }]);
  const rekor = new RekorStandIn();
  await Promise.all([issuer.start(), fulcio.start(), rekor.start()]);
  const dir = join(work, 'attest');
  mkdirSync(dir, { recursive: true });
  try {
    const timed: Record<string, number> = {};
    // The first run also loads the Sigstore libraries (once per step); the next two are warm.
    for (const [label, count] of [
      ['cold-1', 1],
      ['1', 1],
      ['10', 10],
    ] as const) {
      const files = Array.from({ length: count }, (_, i) => {
        const fileName = `views3_bench-${label}.${i}-py3-none-any.whl`;
        return { fileName, sha256: `${i}`.padStart(64, '0'), path: join(dir, fileName) };
      });
      for (const standIn of [issuer, fulcio, rekor]) standIn.reset();
      const started = performance.now();
      const attested = await attestDistributions(files, {
        required: true,
        fulcioUrl: fulcio.url,
        rekorUrl: rekor.url,
        retries: 0,
        timeoutMs: 10_000,
        signal: new AbortController().signal,
        identity: { repository, workflowRef: `${repository}/.github/workflows/release.yml@refs/heads/main` },
        http: new HttpClient({ retries: 0 }),
        logger: recordingLogger(),
        getIdToken: async (audience) => {
          const response = await fetch(`${issuer.url}/idtoken?audience=${audience}`, {
            headers: { authorization: `Bearer ${issuer.requestToken}` },
          });
          return ((await response.json()) as { value: string }).value;
        },
      });
      timed[label] = performance.now() - started;
      if (attested?.size !== count) throw new Error(`expected ${count} attestations`);
      print(`attest-ms-${label}-files`, Math.round(timed[label]), 'ms');
      if (label === 'cold-1') continue;
      print(`attest-requests-${count}-files-oidc`, issuer.journal.length, 'requests');
      print(`attest-requests-${count}-files-fulcio`, fulcio.journal.length, 'requests');
      print(`attest-requests-${count}-files-rekor`, rekor.journal.length, 'requests');
    }
    print('attest-ms-per-additional-file', Math.round(((timed['10'] ?? 0) - (timed['1'] ?? 0)) / 9), 'ms');
  } finally {
    await Promise.all([issuer.stop(), fulcio.stop(), rekor.stop()]);
  }
}
