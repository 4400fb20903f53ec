// The memory map (`bootsim map`) in a real browser: one element per region with the model's
// labels and addresses, hover shows the region's derivation, the golden's differences are marked,
// and nothing overflows the page at 390 px (the map scrolls inside its own pane).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { mapOf, run } from '../../harness/cli/commands/map.ts';
import { loadProfile } from '../../harness/profile/load.ts';
import { hex64, type MemoryMap } from '../../harness/report/map/model.ts';
import { goldensDir } from '../../sim/base/paths.ts';
import { captureIO } from '../harness/cli/helpers.ts';
import { launch, shot, shotsDir } from './browser.ts';

const PROFILE = path.join(goldensDir, 'x86_64-6.1-pc-512m', 'profile.yaml');
// another size's memblock=debug capture: many regions differ
const GOLDEN = path.join(goldensDir, 'x86_64-6.1-pc-256m', 'serial-memblock.log');
const PROFILE32 = path.join(goldensDir, 'i386-6.1-686-pc-2g', 'profile.yaml');

let browser: Browser;
let page64: string;
let page32: string;
let model: MemoryMap;

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  page64 = path.join(shotsDir, 'map.html');
  page32 = path.join(shotsDir, 'map-i386.html');
  expect(await run([PROFILE, '--golden', GOLDEN, '--out', page64], captureIO().io)).toBe(0);
  expect(await run([PROFILE32, '--out', page32], captureIO().io)).toBe(0);
  model = mapOf(loadProfile(PROFILE), { raw: readFileSync(GOLDEN), file: 'g' }).map;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('map in a browser', () => {
  // expect one g.region per model region, in order, with its id, label, start and end
  test('map_dom_regions: expect each region once with data-region, data-label, data-start, data-end as the model has them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${page64}`);
    const dom = await page.$$eval('g.region', (gs) => gs.map((g) => [g.getAttribute('data-region'), g.getAttribute('data-label'), g.getAttribute('data-start'), g.getAttribute('data-end'), g.getAttribute('data-golden')]));
    expect(dom).toEqual([...model.physical, ...model.virtual].map((r) => [r.id, r.label, hex64(r.start), hex64(r.end), r.golden ?? null]));
    // each drawn rect has a visible height
    const heights = await page.$$eval('g.region rect', (rs) => rs.map((r) => (r as SVGGraphicsElement).getBBox().height));
    expect(heights.every((h) => h >= 1)).toBe(true);
    await page.screenshot({ path: shot('map-1400') });
    await page.close();
  });

  // expect hovering NODE_DATA to put its range and rule in #derivation
  test('map_hover_derivation: expect #derivation to show the hovered region\'s range and rule', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${page64}`);
    const node = model.physical.find((r) => r.label.startsWith('NODE_DATA'))!;
    await page.locator(`g.region[data-region="${node.id}"]`).scrollIntoViewIfNeeded();
    await page.hover(`g.region[data-region="${node.id}"] rect`, { force: true });
    expect(await page.getAttribute('#derivation', 'data-region')).toBe(node.id);
    const text = (await page.textContent('#derivation')) ?? '';
    expect(text).toContain(`[${hex64(node.start)}-${hex64(node.end - 1n)}]`);
    expect(text).toContain('rule: ');
    // the keyboard reaches a region too: focus shows it
    const e820 = model.physical.find((r) => r.layer === 'e820-firmware')!;
    await page.mouse.move(5, 5); // off the map (the header), so no region under the pointer takes the panel back when focus scrolls
    await page.focus(`g.region[data-region="${e820.id}"]`);
    expect(await page.getAttribute('#derivation', 'data-region')).toBe(e820.id);
    expect(await page.textContent('#derivation')).toContain('BIOS-e820: [mem ');
    await page.close();
  });

  // expect as many regions marked as differing as the comparison found, drawn dashed
  test('map_golden_marks: expect data-golden=differs on the regions the comparison marked, with a dashed outline', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${page64}`);
    const differs = [...model.physical, ...model.virtual].filter((r) => r.golden === 'differs').length;
    expect(differs).toBeGreaterThan(0);
    expect(await page.locator('g.region[data-golden="differs"]').count()).toBe(differs);
    const dash = await page.$eval('g.region[data-golden="differs"] rect', (r) => getComputedStyle(r).strokeDasharray);
    expect(dash).not.toBe('none');
    await page.close();
  });

  // expect the i386 page's virtual panel, and no page-wide horizontal overflow at 390 px
  test('map_i386_and_390px: expect the virtual panel with vmalloc and fixmap, and the page no wider than 390 px', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`file://${page32}`);
    expect(await page.locator('g.panel[data-panel="virtual"] g.region').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('g.region[data-label="vmalloc"]').count()).toBe(1);
    expect(await page.locator('g.region[data-label="fixmap"]').count()).toBe(1);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
    // a tap shows the derivation as a hover does
    await page.tap('g.region[data-layer="e820-firmware"] rect');
    expect(await page.getAttribute('#derivation', 'data-region')).toMatch(/^e820-firmware:/);
    await page.screenshot({ path: shot('map-i386-390') });
    await page.close();
  });
});
