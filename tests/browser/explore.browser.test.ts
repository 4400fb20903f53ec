// The boot explorer (`bootsim explore`) in a real browser: the keyboard steps through every stage
// in boot order and back, both boots show each step side by side, and nothing overflows at 390 px.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { run } from '../../harness/cli/commands/explore.ts';
import { stages } from '../../sim/boot.ts';
import { goldensDir } from '../../sim/base/paths.ts';
import { captureIO } from '../harness/cli/helpers.ts';
import { launch, shot, shotsDir } from './browser.ts';

const PROFILE = path.join(goldensDir, 'x86_64-6.1-pc-512m', 'profile.yaml');

let browser: Browser;
let file: string;

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  file = path.join(shotsDir, 'explore.html');
  expect(await run([PROFILE, '--against', '5.10-amd64', '--out', file], captureIO().io)).toBe(0);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('explorer in a browser', () => {
  // expect → and j to visit every stage in order, one section shown at a time, then ← and k to come back
  test('explore_keyboard_steps: expect every stage in boot order with →/j, the first again with ←/k, one visible section', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${file}`);
    const names = stages.map((s) => s.name);
    const seen: (string | null)[] = [await page.getAttribute('body', 'data-current')];
    for (let i = 1; i < names.length; i++) {
      await page.keyboard.press(i % 2 === 0 ? 'j' : 'ArrowRight');
      seen.push(await page.getAttribute('body', 'data-current'));
    }
    expect(seen).toEqual(names);
    expect(await page.textContent('#position')).toBe(`${names.length} / ${names.length}`);
    expect(await page.locator('section.step:visible').count()).toBe(1);
    await page.keyboard.press('ArrowRight'); // past the end: stays
    expect(await page.getAttribute('body', 'data-current')).toBe(names[names.length - 1]);
    await page.keyboard.press('k');
    expect(await page.getAttribute('body', 'data-current')).toBe(names[names.length - 2]);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft'); // before the start: stays
    expect(await page.getAttribute('body', 'data-current')).toBe(names[0]);
    await page.close();
  });

  // expect the memblock step to show both kernels with their reservations, and a stage list item to jump there
  test('explore_side_by_side: expect memblockSetup with a 6.1 and a 5.10 column, each listing the reservations made', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${file}`);
    await page.click('#stages li[data-stage="memblockSetup"]');
    expect(await page.getAttribute('body', 'data-current')).toBe('memblockSetup');
    const cur = page.locator('section.step.current');
    expect(await cur.locator('div.boot').evaluateAll((ds) => ds.map((d) => d.getAttribute('data-kernel')))).toEqual(['6.1-amd64', '5.10-amd64']);
    for (const k of ['6.1-amd64', '5.10-amd64']) {
      expect(await cur.locator(`div.boot[data-kernel="${k}"] div.change[data-slice="memblock"] tr.added`).count()).toBeGreaterThan(3);
    }
    await page.screenshot({ path: shot('explore-memblock-1400') });
    await page.close();
  });

  // expect no page-wide horizontal overflow at 390 px
  test('explore_390px: expect the page no wider than the viewport', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`file://${file}#step-10`);
    expect(await page.getAttribute('body', 'data-current')).toBe(stages[9]!.name);
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
    await page.screenshot({ path: shot('explore-390') });
    await page.close();
  });
});
