// The README's main command must keep working: run the demo as a newcomer would. Tests run as root on
// Debian (scripts/setup-machine.sh), where the demo sets up Docker itself, so all six steps run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../kit/runner';

test('npm run demo runs the whole chain, says what happened and where its report is', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/demo.ts')], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(result.stderr).not.toMatch(/Demo failed/);
  expect(result.status).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines.at(-2)).toMatch(
    /^Done in [\d.]+ s: frontend image pushed \(sha256:[0-9a-f]{12}…\), stack run \d+ success, AWX job \d+ successful, test-\S+ promoted to release-\S+ and published\.$/,
  );
  expect(lines.at(-1)).toBe(`Report: ${join(repoRoot, 'artifacts/demo-report.html')}`);
  for (const step of ['[1/6]', '[2/6]', '[3/6]', '[4/6]', '[5/6]', '[6/6]']) expect(result.stdout).toContain(step);
  expect(result.stdout).toContain('job summary:');
  // The AWX job's output has one PLAY RECAP, whose counts are the tasks shown and the summary's.
  const awx = result.stdout.slice(result.stdout.indexOf('[3/6]'), result.stdout.indexOf('[4/6]'));
  expect(awx.match(/PLAY RECAP/g)).toHaveLength(1);
  expect(awx.match(/^ +│ (ok|changed): \[k8s-staging\]$/gm)).toHaveLength(4);
  expect(awx.match(/^ +│ changed: \[k8s-staging\]$/gm)).toHaveLength(2);
  expect(awx).toMatch(/│ k8s-staging +: ok=4 +changed=2 +unreachable=0 +failed=0 +skipped=0 /);
  expect(awx).toMatch(/^ +k8s-staging +4 +2 +0 +0 +0$/m);
  const report = readFileSync(join(repoRoot, 'artifacts/demo-report.html'), 'utf8');
  expect(report.match(/<section class="step succeeded"/g)).toHaveLength(6);
});
