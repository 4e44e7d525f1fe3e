// The README's main command must keep working: run the demo as a newcomer would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../kit/runner';

test('npm run demo runs the whole chain and ends with one line saying what happened', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/demo.ts')], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(result.stderr).not.toMatch(/Demo failed/);
  expect(result.status).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines.at(-1)).toMatch(
    /^Done in [\d.]+ s: frontend image (pushed \(sha256:[0-9a-f]{12}…\)|skipped \(no Docker\)), stack run \d+ success, AWX job \d+ successful, test-\S+ promoted to release-\S+ and published\.$/,
  );
  for (const step of ['[1/6]', '[2/6]', '[3/6]', '[4/6]', '[5/6]', '[6/6]']) expect(result.stdout).toContain(step);
  expect(result.stdout).toContain('job summary:');
  // The AWX job's output has one PLAY RECAP, whose counts are the tasks shown and the summary's.
  const awx = result.stdout.slice(result.stdout.indexOf('[3/6]'), result.stdout.indexOf('[4/6]'));
  expect(awx.match(/PLAY RECAP/g)).toHaveLength(1);
  expect(awx.match(/^ +│ (ok|changed): \[k8s-staging\]$/gm)).toHaveLength(4);
  expect(awx.match(/^ +│ changed: \[k8s-staging\]$/gm)).toHaveLength(2);
  expect(awx).toMatch(/│ k8s-staging +: ok=4 +changed=2 +unreachable=0 +failed=0 +skipped=0 /);
  expect(awx).toMatch(/^ +k8s-staging +4 +2 +0 +0 +0$/m);
});
