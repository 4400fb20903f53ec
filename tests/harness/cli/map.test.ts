// Tests for `bootsim map` (harness/cli/commands/map.ts): it writes the page or the SVG atomically
// where --out says, and refuses bad input with a code: an --out of another kind, an unreadable
// --golden, a kernel whose pipeline the map does not draw, a profile that is not there.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { outKind, run } from '../../../harness/cli/commands/map.ts';
import { captureIO, sampleProfile } from './helpers.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { scratchDir } from '../../scratch.ts';

const tmp = () => scratchDir('bootsim-map-');
/** A profile of the 2.6.11 x86_64 prebuilt under the default (AMD) qemu64 vCPU, whose boot panics before any zone: the map refuses it with the simulator's coded refusal. */
const profile2611 = (): string => {
  const file = path.join(scratchDir('bootsim-map-p-'), 'profile.yaml');
  writeFileSync(file, 'name: x86_64-2.6.11-pc-1g\nkernel: 2.6.11-x86_64\nmachine: pc\nmemory: 1G\ncpus: 1\n');
  return file;
};

describe('bootsim map', () => {
  // expect an HTML page with the SVG inline, and with .svg the SVG alone; nothing else left in the folder
  test('map_writes_html_and_svg: expect map.html with <svg and the derivation panel, map.svg starting with <svg, no temporary left', async () => {
    const dir = tmp();
    const c = captureIO();
    expect(await run([sampleProfile, '--out', path.join(dir, 'm.html')], c.io)).toBe(0);
    const html = readFileSync(path.join(dir, 'm.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="memory-map"');
    expect(c.out()).toMatch(/^wrote .*m\.html: \d+ regions\n$/);
    expect(await run(['x86_64-6.1-pc-512m', '--out', path.join(dir, 'm.svg')], captureIO().io)).toBe(0);
    expect(readFileSync(path.join(dir, 'm.svg'), 'utf8')).toMatch(/^<svg xmlns/);
    expect(readdirSync(dir).sort()).toEqual(['m.html', 'm.svg']);
  });

  // expect --golden to say how many regions agree and differ
  test('map_golden_note: expect the note with same/differ counts against the profile\'s serial-memblock.log', async () => {
    const dir = tmp();
    const c = captureIO();
    expect(await run([sampleProfile, '--golden', path.join(goldensDir, 'x86_64-6.1-pc-512m', 'serial-memblock.log'), '--out', path.join(dir, 'm.html')], c.io)).toBe(0);
    expect(c.out()).toMatch(/; \d+ regions as the real boot printed them, 0 differ, \d+ unchecked/);
    expect(readFileSync(path.join(dir, 'm.html'), 'utf8')).toContain('class="golden-note"');
  });

  // expect coded refusals, exit 2, and no output file
  test('map_refusals: expect REPORT_OUT_KIND, REPORT_GOLDEN_UNREADABLE, the qemu64 2.6.11 panic (SIM_NOT_MODELLED) and a usage error, exit 2, nothing written', async () => {
    const dir = tmp();
    const cases: [string[], RegExp][] = [
      [[sampleProfile, '--out', path.join(dir, 'm.png')], /REPORT_OUT_KIND: --out: expected a file name ending in \.html, \.htm or \.svg, got ".*m\.png"/],
      [[sampleProfile, '--golden', path.join(dir, 'none.log'), '--out', path.join(dir, 'a.html')], /REPORT_GOLDEN_UNREADABLE: .*none\.log: --golden: expected a readable serial log, got ENOENT/],
      [[profile2611(), '--out', path.join(dir, 'b.html')], /SIM_NOT_MODELLED: setup_arch \(2\.6\.11 x86_64\): the kernel panics "Cannot find space for the kernel page tables"/],
      [['no-such-profile', '--out', path.join(dir, 'c.html')], /expected a profile name in goldens\/ or a profile file, got "no-such-profile"/],
    ];
    for (const [argv, err] of cases) {
      const c = captureIO();
      expect(await run(argv, c.io)).toBe(2);
      expect(c.err()).toMatch(err);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'a.html'))).toBe(false);
  });

  // expect the old pipelines' goldens drawn: a 3.0 one and a 2.6.34 one, each with its regions
  test('map_old_pipelines: expect exit 0 and an SVG for a 3.0 and a 2.6.34 golden, the 2.6.34 one with its early_res column', async () => {
    const dir = tmp();
    for (const name of ['i386-3.0-pc-1g', 'i386-2.6.34-pc-1g']) {
      const c = captureIO();
      expect(await run([name, '--out', path.join(dir, `${name}.svg`)], c.io)).toBe(0);
      expect(c.out()).toMatch(/^wrote .*\.svg: \d+ regions\n$/);
    }
    expect(readFileSync(path.join(dir, 'i386-2.6.34-pc-1g.svg'), 'utf8')).toContain('early_res / bootmem');
    expect(readFileSync(path.join(dir, 'i386-3.0-pc-1g.svg'), 'utf8')).toContain('reservations (not in state)');
  });

  test('out_kind: expect html for .html/.HTM, svg for .svg', () => {
    expect(outKind('a.html')).toBe('html');
    expect(outKind('A.HTM')).toBe('html');
    expect(outKind('x/y.svg')).toBe('svg');
  });
});
