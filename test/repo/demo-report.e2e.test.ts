// The demo's report as a person sees it, in Debian's headless Chromium: every step there, the job
// summaries' tables drawn as tables, and no script run although the page carries values that would
// run one if they were not escaped or sanitized. Rendered by the demo's own report code from a
// recorded run (test/fixtures/demo/steps.json, written by `npm run demo`), so it takes seconds.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { reportHtml, type DemoRecord } from '../../scripts/demo/report';
import { repoRoot, tempDir } from '../kit/runner';

const ARTIFACTS = join(repoRoot, 'artifacts', 'test');
const recorded = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/demo/steps.json'), 'utf8')) as DemoRecord;

// Each would set window.pwned (or open a dialog) if it reached the page as markup.
const SCRIPT = '<script>window.pwned = "script"</script>';
const IMAGE = '<img src=x onerror="window.pwned = \'onerror\'">';
const LINK = '[click me](javascript:window.pwned=1)';

/** The recorded run with hostile values planted where outside text reaches the page. */
function plantedRecord(): DemoRecord {
  const steps = recorded.steps.map((step) => ({ ...step, outputs: { ...step.outputs } }));
  const awx = steps[2] as DemoRecord['steps'][number];
  // Raw markup in a summary (as an action that forgot to escape would write it): the sanitizer's job.
  awx.summary += `\n\n${SCRIPT}\n\n${IMAGE} ${LINK} <a href="javascript:window.pwned=2">raw link</a>\n`;
  // Outputs and titles are the report's own escaping.
  awx.outputs.status = `successful ${IMAGE}`;
  (steps[5] as DemoRecord['steps'][number]).title += ` ${SCRIPT}`;
  return { ...recorded, steps };
}

let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const screenshot = join(ARTIFACTS, 'demo-report.png');

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'demo-report.html');
  writeFileSync(file, reportHtml(plantedRecord()));
  // Debian's Chromium, never a downloaded one; no background connections (the network is closed).
  context = await chromium.launchPersistentContext(tempDir('conveyor-chromium-'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}, 60_000);

afterAll(async () => {
  await context?.close();
});

test('every step is there, in order, with its outputs and its timing', async () => {
  const titles = await page.locator('section.step > h2').allInnerTexts();
  expect(titles.map((title) => title.replace(/^\S+\s+/, ''))).toEqual(
    plantedRecord().steps.map((step, index) => `${index + 1}. ${step.title}`),
  );
  for (const [index, step] of recorded.steps.entries()) {
    const section = page.locator(`#step-${index + 1}`);
    await expect(section.locator('.meta').innerText()).resolves.toMatch(/ · succeeded · started at \d+\.\d s · took \d+\.\d s$/);
    expect(await section.locator('table.outputs th').allInnerTexts()).toEqual(Object.keys(step.outputs));
  }
  const runUrl = recorded.steps[1]?.outputs['run-url'] as string;
  await expect(page.locator('#step-2 table.outputs a').first().getAttribute('href')).resolves.toBe(runUrl);
});

test("each job summary's tables are drawn as tables, with their cells side by side", async () => {
  for (const index of recorded.steps.keys()) {
    expect(await page.locator(`#step-${index + 1} .markdown-body table`).count()).toBeGreaterThan(0);
  }
  const hosts = page.locator('#step-3 .markdown-body table').nth(1);
  expect(await hosts.locator('th').allInnerTexts()).toEqual(['Host', 'ok', 'changed', 'unreachable', 'failed', 'skipped']);
  const [hostCell, okCell] = await Promise.all([hosts.locator('td').nth(0).boundingBox(), hosts.locator('td').nth(1).boundingBox()]);
  expect(hostCell && okCell && okCell.x > hostCell.x && Math.abs(okCell.y - hostCell.y) < 2).toBe(true);
  await expect(hosts.locator('td').nth(0).innerText()).resolves.toBe('k8s-staging');
});

test('no planted value ran a script or became a javascript: link; the escaped ones read as text', async () => {
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`Screenshot of the demo report: ${screenshot}`);
  expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await page.locator('script, [onerror], a[href^="javascript:"]').count()).toBe(0);
  await expect(page.locator('#step-3 table.outputs td').filter({ hasText: 'onerror' }).innerText()).resolves.toBe(`successful ${IMAGE}`);
  await expect(page.locator('#step-6 > h2').innerText()).resolves.toContain(SCRIPT);
});
