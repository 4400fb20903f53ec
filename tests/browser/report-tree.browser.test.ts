// The report of the committed goldens, as `npm start -- --html` writes it, in a real browser: one
// row per golden, no script error, every line link lands on an element, nothing wider than a phone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { goldensDir, repoRoot } from '../../sim/base/paths.ts';
import { launch, shot, shotsDir } from './browser.ts';

let browser: Browser;
const report = path.join(shotsDir, 'conformance.html');

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'harness/cli/bin.cjs'), 'conformance', '--html', report], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  // 0, or 1 for a regression: the report is written either way (the ratchet is CI's conformance step)
  expect([0, 1], r.stderr).toContain(r.status);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function open(width: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, ...(width < 600 ? { isMobile: true } : {}) });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${report}`);
  return { page, errors };
}

describe('the goldens\' report in Chromium', () => {
  test('rows_and_links: expect a row per golden and every line number linking to an element of the page', async () => {
    const { page, errors } = await open(1280);
    const goldens = readdirSync(goldensDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(goldensDir, d.name, 'profile.yaml'))).map((d) => d.name).sort();
    const rows = await page.locator('#profiles tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-profile')));
    expect([...rows].sort()).toEqual(goldens);
    // the post-boot state section: a row per state golden, each linking to its profile's section
    const stateRows = await page.locator('#state-goldens tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-profile')));
    expect([...stateRows].sort()).toEqual(goldens.filter((g) => existsSync(path.join(goldensDir, g, 'state.log'))));
    expect(await page.locator('#state-goldens tbody tr a[href^="#"]').count()).toBe(stateRows.length);
    const dangling = await page.evaluate(() => [...document.querySelectorAll('a[href^="#"]')].map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1))).filter((id) => !document.getElementById(id)).slice(0, 5));
    expect(dangling).toEqual([]);
    // every profile that differs shows its diff; no exact one does
    const bad = await page.evaluate(() => [...document.querySelectorAll('details.profile')].filter((d) => (d.getAttribute('data-status') === 'exact') === (d.querySelector('.d2h-file-wrapper') !== null)).map((d) => d.id).slice(0, 5));
    expect(bad).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test.each([390, 1280])('fits_%i: expect no overflow, all rows shown and only the differing ones filtered', async (width) => {
    const { page, errors } = await open(width);
    for (const only of [false, true]) {
      if (only) await page.locator('#only-diff').check();
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(client).toBe(width);
      expect(scroll, `only differences: ${only}`).toBeLessThanOrEqual(client);
    }
    const shown = await page.locator('#profiles tbody tr').evaluateAll((rs) => rs.filter((r) => (r as HTMLElement).offsetParent !== null).map((r) => r.getAttribute('data-status')));
    expect(shown).not.toContain('exact');
    expect(errors).toEqual([]);
    await page.screenshot({ path: shot(`conformance-${width}`) });
    await page.close();
  });
});
