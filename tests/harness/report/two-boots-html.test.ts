import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bootKernel, compareBoots } from '../../../harness/report/two-boots.ts';
import { renderBootDiffHtml } from '../../../harness/report/two-boots-html.ts';
import { splitRawLines } from '../../../harness/report/raw-log.ts';
import { normaliseLog } from '../../../harness/normalise.ts';
import { goldensDir } from '../../../sim/base/paths.ts';

const catalog = [{ id: '6.1-amd64', release: '6.1.0-56-amd64' }];
const text = readFileSync(path.join(goldensDir, 'x86_64-6.1-pc-512m', 'serial.log'), 'utf8');
const patched = text.replace(/(DMA32 +\[mem 0x0000000001000000-0x00000000[0-9a-f]{3})d(ffff\])/, '$1c$2');
const n = text.split('\n').findIndex((l) => /DMA32 +\[mem/.test(l)) + 1;
const boot = (t: string, f: string) => bootKernel(f, normaliseLog(t, f), catalog, undefined);
const enc = (t: string) => splitRawLines(new TextEncoder().encode(t));

describe('two-boot page', () => {
  const c = compareBoots(boot(text, 'a.log'), boot(patched, 'b.log'));
  const html = renderBootDiffHtml(c, enc(text), enc(patched), '2026-12-01T00:00:00.000Z');

  test('seeded_row: expect the field under its family, A and B linked to their raw lines, B − A', () => {
    expect(html).toContain('catalog lines: A 49, B 49; 48 the same, 1 differ, 0 moved, 0 only in A, 0 only in B');
    expect(html).toContain(`<tr class="bad" data-key="zones.range[DMA32]"><td data-label="family" class="key"><code>zones.range</code></td><td data-label="A line" class="n"><a class="ln" href="#boot-L${n}">${n}</a></td><td data-label="B line" class="n"><a class="ln" href="#boot-S${n}">${n}</a></td><td data-label="field" class="key"><code>zones.range[DMA32].end</code></td><td data-label="A">0x1ffdffff</td><td data-label="B">0x1ffcffff</td><td data-label="delta (B − A)" class="n">\u22120x10000</td>`);
    expect(html).toContain(`A lines `);
    expect(html).toContain(`<div class="diff" id="boot-L${n}" data-n="${n}">`);
    expect(html).toContain(`<div class="diff" id="boot-S${n}" data-n="${n}">`);
  });

  test('links_resolve: expect every #fragment to name an element, and ids unique', () => {
    const all = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    const ids = new Set(all);
    expect(all.length).toBe(ids.size);
    const hrefs = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(10);
    expect(hrefs.filter((h) => !ids.has(h))).toEqual([]);
  });

  test('same_boot: expect no table and no diff', () => {
    const same = renderBootDiffHtml(compareBoots(boot(text, 'a'), boot(text, 'b')), enc(text), enc(text), 'd');
    expect(same).toContain('No difference in the catalog lines.');
    expect(same).not.toContain('class="d2h-file-wrapper"');
  });
});
