// Rebuilds every bundle into a scratch directory and fails if the committed output differs:
// changed, missing or extra files. Run after `npm ci`. Usage: node scripts/check-dist.mjs [name ...]
// (with names, only those bundles are compared).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { bundleTargets, root } from './targets.mjs';

/** Where two differing files first differ, with a little of each around it, for the log. */
function firstDifference(fresh, committed) {
  let at = 0;
  while (at < fresh.length && at < committed.length && fresh[at] === committed[at]) at++;
  const around = (buffer) => JSON.stringify(buffer.subarray(Math.max(0, at - 40), at + 40).toString('latin1'));
  return `byte ${at}: committed ${around(committed)}, fresh build ${around(fresh)}`;
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path).map((file) => join(entry, file)) : [entry];
  });
}

const only = process.argv.slice(2);
const selected = (targets) => targets.filter((target) => only.length === 0 || only.includes(target.name));
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-dist-'));
try {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--out', scratch, ...only], { stdio: 'inherit' });
  const problems = [];
  const fresh = selected(bundleTargets(scratch));
  const committed = selected(bundleTargets(root));
  fresh.forEach(({ outDir }, i) => {
    const committedDir = committed[i].outDir;
    const freshFiles = listFiles(outDir);
    const committedFiles = listFiles(committedDir);
    for (const file of new Set([...freshFiles, ...committedFiles])) {
      const shown = relative(root, join(committedDir, file));
      if (!committedFiles.includes(file)) problems.push(`missing: ${shown}`);
      else if (!freshFiles.includes(file)) problems.push(`stale (no source builds it): ${shown}`);
      else {
        const [freshBytes, committedBytes] = [readFileSync(join(outDir, file)), readFileSync(join(committedDir, file))];
        if (!freshBytes.equals(committedBytes)) problems.push(`differs: ${shown} (${firstDifference(freshBytes, committedBytes)})`);
      }
    }
  });
  // A bundle whose action was deleted is stale too.
  const actionDirs = new Set(bundleTargets(root).map((target) => target.outDir));
  for (const entry of existsSync(join(root, 'dist')) ? readdirSync(join(root, 'dist')) : []) {
    if (!actionDirs.has(join(root, 'dist', entry))) problems.push(`stale (no action builds it): dist/${entry}`);
  }
  if (problems.length > 0) {
    console.error(`dist/ is not what the sources build:\n  ${problems.join('\n  ')}\nRun 'npm run build' and commit dist/.`);
    // Not process.exit: the scratch directory is removed below either way.
    process.exitCode = 1;
  } else {
    console.log(`dist/ matches a fresh build (${fresh.length} bundles)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
