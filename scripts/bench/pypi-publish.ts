// pypi-publish: peak memory (RSS high-water mark) of the action uploading a 200 MB wheel, against
// Debian's twine uploading the same file to the same PyPI stand-in (which streams uploads to disk),
// with the wall time of each; and the action's peak for a 20 MB wheel, to show that its memory does
// not follow the file size (what remains is Node's baseline and garbage-collection lag).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startBundle, tempDir } from '../../test/kit/runner';
import { HttpClient } from '@conveyor/core';
import { attestDistributions } from '../../actions/pypi-publish/src/attestations';
import { recordingLogger } from '../../test/kit/logger';
import { githubClaims, GITHUB_ISSUER, OidcIssuerStandIn } from '../../test/standins/pypi/oidc-issuer';
import { PyPIStandIn } from '../../test/standins/pypi/server';
import { FulcioStandIn } from '../../test/standins/sigstore/fulcio';
import { RekorStandIn } from '../../test/standins/sigstore/rekor';

const TOKEN = 'pypi-bench-token';
const print = (metric: string, value: number, unit: string) => console.log(JSON.stringify({ bench: 'pypi-publish', metric, value, unit }));
const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

/** Polls the process's VmHWM (its RSS high-water mark, which only grows) until it exits; resolves with it in MB. */
function peakRss(child: ChildProcess): Promise<{ peakMb: number; exitCode: number | null }> {
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process has just exited
    }
  }, 10);
  return new Promise((resolve) =>
    child.on('exit', (exitCode) => {
      clearInterval(timer);
      resolve({ peakMb: Math.round(peakKb / 1024), exitCode });
    }),
  );
}

const work = tempDir('pypi-bench-');

/** A project dir whose dist/ holds one wheel with `sizeMb` of random (incompressible) data, stored. */
function wheelProject(version: string, sizeMb: number): { dir: string; wheel: string } {
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
  return { dir, wheel };
}

const index = new PyPIStandIn({ tokens: [TOKEN] });
await index.start();

async function actionPeak(dir: string): Promise<number> {
  const step = startBundle({
    action: 'actions/pypi-publish',
    inputs: { 'working-directory': dir, build: 'none', 'repository-url': `${index.url}/legacy/`, password: TOKEN },
    timeoutMs: 600_000,
  });
  const { peakMb, exitCode } = await peakRss(step.process);
  const result = await step.done;
  if (exitCode !== 0) throw new Error(`the action failed:\n${result.log}`);
  return peakMb;
}

try {
  const small = wheelProject('0.1.0', 20);
  const large = wheelProject('1.0.0', 200);
  print('file-size', Math.round(statSync(large.wheel).size / 1024 / 1024), 'MB');

  print('peak-rss-action-20mb-file', await actionPeak(small.dir), 'MB');
  let started = Date.now();
  const action = await actionPeak(large.dir);
  print('peak-rss-action', action, 'MB');
  print('upload-seconds-action', seconds(started), 's');

  // twine re-sends the identical file: the stand-in reads, hashes and stores the whole body, then answers 200 (a no-op).
  started = Date.now();
  const twine = spawn(
    'twine',
    ['upload', '--disable-progress-bar', '--repository-url', `${index.url}/legacy/`, '-u', '__token__', '-p', TOKEN, large.wheel],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  twine.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  twine.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const twineRun = await peakRss(twine);
  if (twineRun.exitCode !== 0) throw new Error(`twine failed:\n${output}`);
  print('peak-rss-twine', twineRun.peakMb, 'MB');
  print('upload-seconds-twine', seconds(started), 's');
  if (index.stored.length !== 2) throw new Error(`expected 2 files on the stand-in, found ${index.stored.length}`);

  await attestationCost();
} finally {
  await index.stop();
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
