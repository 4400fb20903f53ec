// `bootsim diff --golden A.log --against B.log [--profile P]`: two captures, field by field.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { run as diff } from '../../../harness/cli/commands/diff.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { captureIO, SAMPLE, sampleSerial, tempFile } from './helpers.ts';

const lateSerial = path.join(goldensDir, 'x86_64-6.12-pc-512m', 'serial.log');
const patched = (edit: (s: string) => string): string => tempFile('serial.log', edit(readFileSync(sampleSerial, 'utf8')));
const lowerDma32 = (s: string): string => s.replace(/(DMA32 +\[mem 0x0000000001000000-0x00000000[0-9a-f]{3})d(ffff\])/, '$1c$2');

describe('diff of two boots', () => {
  test('same_log: expect exit 0 and no difference', async () => {
    const c = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', sampleSerial], c.io)).toBe(0);
    expect(c.out()).toMatch(/; 4\d the same, 0 differ, 0 moved, 0 only in A, 0 only in B\n/);
    expect(c.out()).toContain('no difference in the catalog lines');
  });

  test('seeded_difference: expect exit 1 and the field under its family', async () => {
    const c = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', patched(lowerDma32)], c.io)).toBe(1);
    expect(c.out()).toMatch(/\nzones\.range \(1 line\)\n  zones\.range\[DMA32\]\.end: A 0x1ffdffff, B 0x1ffcffff \(\u22120x10000\) \[A:\d+ B:\d+\]\n/);
  });

  test('two_kernels: expect each log read as its own kernel, and the moved lines paired', async () => {
    const c = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', lateSerial, '--json'], c.io)).toBe(1);
    const j = JSON.parse(c.out());
    expect([j.a.kernel, j.b.kernel]).toEqual(['6.1-amd64', '6.12-amd64']);
    expect(j.families.map((g: { family: string }) => g.family)).toEqual(expect.arrayContaining(['mem.summary', 'zonelists.built']));
    expect(j.counts).toMatchObject({ onlyA: 0, onlyB: 0 });
  });

  test('patched_kernel: expect a release outside the catalog read as --profile\'s kernel, refused without it', async () => {
    const b = patched((s) => lowerDma32(s.replace('Linux version 6.1.0-56-amd64', 'Linux version 6.1.0-56-amd64+dma')));
    const c = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', b, '--profile', SAMPLE], c.io)).toBe(1);
    expect(c.out()).toContain('(read as 6.1-amd64, Linux 6.1.0-56-amd64+dma, the profile\'s kernel)');
    const e = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', b], e.io)).toBe(2);
    expect(e.err()).toMatch(/^bootsim diff: BOOT_DIFF_KERNEL_UNKNOWN: .*serial\.log:\d+: expected a banner naming a catalog kernel/);
  });

  test.each([
    ['--against alone', ['--against', sampleSerial], /expected --golden <A serial\.log> with --against/],
    ['a positional too', [SAMPLE, '--golden', sampleSerial, '--against', sampleSerial], /expected no profile argument with --against/],
    ['--json without --against', [SAMPLE, '--json'], /expected --profile, --json and --html only with --against/],
    ['--html without --against', [SAMPLE, '--html', 'x.html'], /got --html without it/],
    ['an unknown --profile', ['--golden', sampleSerial, '--against', sampleSerial, '--profile', 'no-such'], /--profile: expected a profile name/],
  ])('usage %s: expect exit 2', async (_w, argv, message) => {
    const c = captureIO();
    expect(await diff(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(message);
  });

  test('html_page: expect the page written beside the text, and a bad path refused before anything is read', async () => {
    const out = tempFile('x', '').replace(/x$/, 'sub/boots.html');
    const c = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', patched(lowerDma32), '--html', out], c.io)).toBe(1);
    expect(c.out()).toMatch(/\nHTML page: .*sub\/boots\.html\n$/);
    expect(readFileSync(out, 'utf8')).toContain('data-key="zones.range[DMA32]"');
    const e = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', sampleSerial, '--html', '/proc/x.html'], e.io)).toBe(2);
    expect(e.err()).toMatch(/^bootsim diff: OUTPUT_SPECIAL_FS: --html: /);
  });

  test('unreadable: expect exit 2 with the golden error', async () => {
    const c = captureIO();
    expect(await diff(['--golden', sampleSerial, '--against', tempFile('serial.log', 'SeaBIOS\n')], c.io)).toBe(2);
    expect(c.err()).toMatch(/^bootsim diff: GOLDEN_/);
  });
});
