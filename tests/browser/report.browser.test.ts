// The conformance report in a real browser. A scratch goldens tree is judged by the real simulator
// through `bootsim conformance --html`: one golden recorded exact and then altered (a regression),
// one altered golden the baseline does not record (a plain difference), one exact, one with a
// registered divergence, one without a log and one whose log is not a boot.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { run } from '../../harness/cli/commands/conformance.ts';
import { goldensDir } from '../../sim/base/paths.ts';
import { divergencesFile, readDivergences } from '../../harness/divergences.ts';
import { familyIds } from '../../harness/compare/catalog-port.ts';
import { captureIO, scratchGoldens } from '../harness/cli/helpers.ts';
import { launch, shot, shotsDir } from './browser.ts';

const REGRESSED = 'x86_64-6.1-pc-512m';
const DIFFERS = 'x86_64-6.1-pc-256m';
const EXACT = 'x86_64-6.1-pc-1g-nosmp';
// A golden with a registered divergence: the register's first entry that names one plain golden's line, so
// that the test follows goldens/divergences.yaml as lines come within bound (x86_64-6.12-pc-512m's late
// Memory: line did in session 10, and its row turned exact).
const KNOWN = readDivergences(familyIds).find((d) => d.key !== undefined && d.profile !== undefined && !/[*?[]/.test(d.profile) && existsSync(path.join(goldensDir, d.profile, 'serial.log')) && !existsSync(path.join(goldensDir, d.profile, 'state.log')))!.profile!;
const UNCAPTURED = 'x86_64-6.1-pc-128m';
const BROKEN = 'x86_64-6.1-pc-2g';

// The DMA32 zone's end, one 64K step lower than the kernel printed: the seeded mismatch.
function alter(dir: string, name: string): { line: number; text: string } {
  const file = path.join(dir, name, 'serial.log');
  const raw = readFileSync(file, 'utf8').split('\n');
  // The serial console ends its lines with CR LF.
  const i = raw.findIndex((l) => /^\[[ .0-9]+\]   DMA32    \[mem 0x0000000001000000-0x00000000[0-9a-f]{8}\]\r?$/.test(l));
  expect(i).toBeGreaterThan(0);
  raw[i] = raw[i]!.replace(/([0-9a-f])ffff\](\r?)$/, (_, d: string, cr: string) => `${(parseInt(d, 16) - 1).toString(16)}ffff]${cr}`);
  writeFileSync(file, raw.join('\n'));
  return { line: i + 1, text: raw[i]!.replace(/^\[[ .0-9]+\] /, '').replace(/\r$/, '') };
}

let browser: Browser;
let report: string;
let seeded: { line: number; text: string };

beforeAll(async () => {
  const dir = scratchGoldens([REGRESSED, EXACT, KNOWN]);
  const opts = { goldens: dir, baseline: path.join(dir, 'baseline.json'), divergences: divergencesFile, commit: 'feedface', now: () => new Date(Date.UTC(2026, 11, 1, 12)) };
  expect(await run(['--update-baseline'], captureIO().io, opts)).toBe(0);
  seeded = alter(dir, REGRESSED);
  for (const n of [DIFFERS, UNCAPTURED, BROKEN]) {
    mkdirSync(path.join(dir, n));
    cpSync(path.join(goldensDir, n, 'profile.yaml'), path.join(dir, n, 'profile.yaml'));
  }
  cpSync(path.join(goldensDir, DIFFERS, 'serial.log'), path.join(dir, DIFFERS, 'serial.log'));
  alter(dir, DIFFERS);
  writeFileSync(path.join(dir, BROKEN, 'serial.log'), 'SeaBIOS (version 1.16.2)\nBooting from ROM...\n');
  report = path.join(shotsDir, 'report.html');
  mkdirSync(shotsDir, { recursive: true });
  const c = captureIO();
  // 2: the broken golden is bad input; the report is written all the same.
  expect(await run(['--html', report], c.io, opts), c.out() + c.err()).toBe(2);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

// Below 600 px the page is opened as a phone opens it: without the viewport meta tag its layout would be 980 px wide.
async function open(width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, ...(width < 600 ? { isMobile: true, hasTouch: true } : {}) });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${report}`);
  expect(errors).toEqual([]);
  return page;
}

const rowStatus = (page: Page, profile: string): Promise<string | null> => page.locator(`#profiles tbody tr[data-profile="${profile}"]`).getAttribute('data-status');
const background = (page: Page, profile: string): Promise<string> => page.locator(`#profiles tbody tr[data-profile="${profile}"] td`).nth(1).evaluate((td) => getComputedStyle(td).backgroundColor);

describe('conformance report in Chromium', () => {
  test('seeded_mismatch_highlighted: expect the altered golden regressed and shaded, the exact row plain, the others listed', async () => {
    const page = await open(1280);
    expect(await rowStatus(page, REGRESSED)).toBe('regressed');
    expect(await rowStatus(page, DIFFERS)).toBe('differs');
    expect(await rowStatus(page, EXACT)).toBe('exact');
    expect(await rowStatus(page, KNOWN)).toBe('known');
    expect(await rowStatus(page, UNCAPTURED)).toBe('uncaptured');
    expect(await rowStatus(page, BROKEN)).toBe('broken');
    const plain = await background(page, EXACT);
    expect(plain).toBe('rgba(0, 0, 0, 0)');
    for (const p of [REGRESSED, DIFFERS, KNOWN]) expect(await background(page, p), p).not.toBe(plain);
    expect(await background(page, REGRESSED)).not.toBe(await background(page, DIFFERS));
    // The differing section is open, the exact one collapsed, and the header names the commit and date.
    expect(await page.locator(`details[id="p-${REGRESSED}"]`).getAttribute('open')).toBe('');
    expect(await page.locator(`details[id="p-${EXACT}"]`).getAttribute('open')).toBeNull();
    expect(await page.locator(`details[id="p-${EXACT}"] .d2h-file-wrapper`).count()).toBe(0);
    expect(await page.locator('#commit').textContent()).toBe('feedface');
    expect(await page.locator('#date').textContent()).toBe('2026-12-01T12:00:00.000Z');
    expect(await page.locator('#not-compared').textContent()).toContain(BROKEN);
    await page.screenshot({ path: shot('report-1280'), fullPage: false });
    await page.close();
  });

  test('delta_and_diff: expect the field delta and the diff at the seeded line, its number linking to the raw golden line', async () => {
    const page = await open(1280);
    const section = page.locator(`details[id="p-${REGRESSED}"]`);
    const row = section.locator('table.deltas tbody tr[data-key="zones.range[DMA32]"]');
    expect(await row.locator('td[data-label="field"]').textContent()).toBe('zones.range[DMA32].end');
    expect(await row.locator('td[data-label="golden"]').textContent()).toBe(seeded.text.match(/-(0x[0-9a-f]+)\]$/)![1]!.replace(/^0x0*/, '0x'));
    // The wide view is side by side; its golden column holds the altered line under its serial-log number.
    expect(await section.locator('.view-sbs').isVisible()).toBe(true);
    expect(await section.locator('.view-lbl').isVisible()).toBe(false);
    const del = section.locator('.view-sbs tr').filter({ has: page.locator('td.d2h-del'), hasText: 'DMA32' });
    expect(await del.count()).toBe(1);
    expect(await del.locator('td.d2h-code-side-linenumber a.ln').textContent()).toBe(String(seeded.line));
    expect(await del.locator('del').textContent()).toMatch(/^0x[0-9a-f]{16}$/);
    expect(await section.locator('.view-sbs th.side-label').allTextContents()).toEqual(['golden', 'sim']);
    // Following the link opens the collapsed raw log at that line, and the browser targets it.
    await row.locator('td[data-label="golden line"] a').click();
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toBe(`#p-${REGRESSED}-L${seeded.line}`);
    const target = page.locator(`[id="p-${REGRESSED}-L${seeded.line}"]`);
    expect(await target.isVisible()).toBe(true);
    expect(await target.textContent()).toBe(`[    0.000000] ${seeded.text}`);
    expect(await page.locator(':target').getAttribute('id')).toBe(`p-${REGRESSED}-L${seeded.line}`);
    await page.screenshot({ path: shot('report-raw-line') });
    await page.close();
  });

  test('filter_only_differences: expect exact rows and sections hidden, the others kept, and back', async () => {
    const page = await open(1280);
    const exactRow = page.locator(`#profiles tbody tr[data-profile="${EXACT}"]`);
    expect(await exactRow.isVisible()).toBe(true);
    await page.locator('#only-diff').check();
    expect(await exactRow.isVisible()).toBe(false);
    expect(await page.locator(`details[id="p-${EXACT}"]`).isVisible()).toBe(false);
    for (const p of [REGRESSED, DIFFERS, KNOWN, BROKEN, UNCAPTURED]) expect(await page.locator(`#profiles tbody tr[data-profile="${p}"]`).isVisible(), p).toBe(true);
    await page.locator('#only-diff').uncheck();
    expect(await exactRow.isVisible()).toBe(true);
    await page.close();
  });

  test('sort_columns: expect a click on a header to order the rows by it, and a second click to reverse them', async () => {
    const page = await open(1280);
    const order = (): Promise<string[]> => page.locator('#profiles tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-profile') ?? ''));
    const header = (name: string) => page.locator('#profiles thead th', { hasText: name }).locator('button');
    await header('exactness').click();
    const exactness = await page.locator('#profiles tbody tr td:nth-child(11)').evaluateAll((cs) => cs.map((c) => Number((c as HTMLElement).dataset.sort)));
    expect(exactness).toEqual([...exactness].sort((a, b) => a - b));
    expect(new Set(exactness).size).toBeGreaterThan(1);
    await header('exactness').click();
    const back = await page.locator('#profiles tbody tr td:nth-child(11)').evaluateAll((cs) => cs.map((c) => Number((c as HTMLElement).dataset.sort)));
    expect(back).toEqual([...exactness].sort((a, b) => b - a));
    await header('status').click();
    expect((await order())[0]).toBe(REGRESSED);
    await header('profile').click();
    const names = await order();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(await page.locator('#profiles thead th[aria-sort]').count()).toBe(1);
    await page.close();
  });

  test.each([390, 1280])('no_overflow_%i: expect the page no wider than the viewport, with the diff view for the width', async (width) => {
    const page = await open(width);
    await page.locator('#only-diff').check();
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(client).toBe(width);
    expect(scroll).toBeLessThanOrEqual(client);
    const section = page.locator(`details[id="p-${REGRESSED}"]`);
    expect(await section.locator('.view-lbl').isVisible()).toBe(width < 900);
    expect(await section.locator('.view-sbs').isVisible()).toBe(width >= 900);
    // No element sticks out of the viewport except inside a box that scrolls.
    const outside = await page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      const scrolls = (el: Element): boolean => { for (let e = el.parentElement; e; e = e.parentElement) { const o = getComputedStyle(e).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; } return false; };
      return [...document.body.querySelectorAll('*')].filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > w + 1 && !scrolls(el); }).map((el) => `${el.tagName}.${el.className}`).slice(0, 5);
    });
    expect(outside).toEqual([]);
    await page.screenshot({ path: shot(`report-${width}-full`), fullPage: true });
    await page.close();
  });
});
