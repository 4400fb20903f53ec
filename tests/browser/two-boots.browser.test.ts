// The two-boot page (`bootsim diff --golden A --against B --html`) in a real browser: the seeded
// field's row, its B line number landing on B's raw line, and nothing wider than a phone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { run as diff } from '../../harness/cli/commands/diff.ts';
import { captureIO, sampleSerial } from '../harness/cli/helpers.ts';
import { launch, shot, shotsDir } from './browser.ts';

let browser: Browser;
const page = path.join(shotsDir, 'two-boots.html');
const patchedLog = path.join(shotsDir, 'two-boots-b.log');
let line = 0;

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true });
  const text = readFileSync(sampleSerial, 'utf8');
  line = text.split('\n').findIndex((l) => /DMA32 +\[mem/.test(l)) + 1;
  // B: the DMA32 zone's end one 64K step lower, as a patched kernel might print it
  writeFileSync(patchedLog, text.replace(/(DMA32 +\[mem 0x0000000001000000-0x00000000[0-9a-f]{3})d(ffff\])/, '$1c$2'));
  expect(await diff(['--golden', sampleSerial, '--against', patchedLog, '--html', page], captureIO().io)).toBe(1);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('two-boot page in Chromium', () => {
  test('seeded_field: expect its row, and its B line number opening B\'s raw log at the patched line', async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await p.goto(`file://${page}`);
    const row = p.locator('#deltas tbody tr[data-key="zones.range[DMA32]"]');
    expect(await row.locator('td[data-label="A"]').textContent()).toBe('0x1ffdffff');
    expect(await row.locator('td[data-label="B"]').textContent()).toBe('0x1ffcffff');
    expect(await p.locator('.view-sbs th.side-label').allTextContents()).toEqual(['A', 'B']);
    await row.locator('td[data-label="B line"] a').click();
    const target = p.locator(`[id="boot-S${line}"]`);
    expect(await target.isVisible()).toBe(true);
    expect(await target.textContent()).toContain('0x000000001ffcffff]');
    await p.screenshot({ path: shot('two-boots-1280') });
    await p.close();
  });

  test('no_overflow_390: expect the page no wider than a phone', async () => {
    const p = await browser.newPage({ viewport: { width: 390, height: 900 }, isMobile: true });
    await p.goto(`file://${page}`);
    const { scroll, client } = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(client).toBe(390);
    expect(scroll).toBeLessThanOrEqual(client);
    expect(await p.locator('.view-lbl').isVisible()).toBe(true);
    await p.screenshot({ path: shot('two-boots-390'), fullPage: true });
    await p.close();
  });
});
