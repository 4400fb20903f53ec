import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bootCounts, bootDiffJson, bootDiffText, bootKernel, compareBoots, familyGroups } from '../../../harness/report/two-boots.ts';
import { normaliseLog } from '../../../harness/normalise.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { BootDiffError } from '../../../harness/report/two-boots.ts';

// The code of the BootDiffError a call throws.
function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof BootDiffError ? e.code : 'not a BootDiffError';
  }
  return undefined;
}

const raw = (name: string): string => readFileSync(path.join(goldensDir, name, 'serial.log'), 'utf8');
const log = (text: string, file = 'x.log') => normaliseLog(text, file);
const A61 = 'x86_64-6.1-pc-512m';
const A612 = 'x86_64-6.12-pc-512m';
const catalog = [
  { id: '6.1-amd64', release: '6.1.0-56-amd64' },
  { id: '6.12-amd64', release: '6.12.115+deb12-amd64' },
  { id: '2.6.11-i386', release: '2.6.11' },
  { id: '2.6.11-x86_64', release: '2.6.11' },
];
// The DMA32 zone's end one 64K step lower, as a patched kernel might print it.
const lowerDma32 = (text: string): string => text.replace(/(DMA32 +\[mem 0x0000000001000000-0x00000000[0-9a-f]{3})d(ffff\])/, '$1c$2');

describe('bootKernel', () => {
  test('banner: expect the catalog kernel whose release the banner names', () => {
    expect(bootKernel('a', log(raw(A612)), catalog, undefined)).toMatchObject({ kernel: '6.12-amd64', release: '6.12.115+deb12-amd64', by: 'banner' });
  });

  test('patched_build: expect a release no catalog kernel has read as the profile\'s kernel, and refused without one', () => {
    const patched = log(raw(A61).replace('Linux version 6.1.0-56-amd64', 'Linux version 6.1.0-56-amd64+patched'));
    expect(bootKernel('a', patched, catalog, '6.1-amd64')).toMatchObject({ kernel: '6.1-amd64', release: '6.1.0-56-amd64+patched', by: 'profile' });
    expect(codeOf(() => bootKernel('a', patched, catalog, undefined))).toBe('BOOT_DIFF_KERNEL_UNKNOWN');
    expect(() => bootKernel('a.log', patched, catalog, undefined)).toThrow(/^a\.log:\d+: expected a banner naming a catalog kernel \(.*\), got Linux 6\.1\.0-56-amd64\+patched, which no catalog kernel is; pass --profile/);
  });

  test('ambiguous: expect a release two catalog kernels share told apart by the profile, else refused', () => {
    const old = log(raw(A61).replace(/Linux version \S+/, 'Linux version 2.6.11'));
    expect(bootKernel('a', old, catalog, '2.6.11-x86_64').kernel).toBe('2.6.11-x86_64');
    expect(codeOf(() => bootKernel('a', old, catalog, undefined))).toBe('BOOT_DIFF_KERNEL_AMBIGUOUS');
  });
});

describe('compareBoots', () => {
  test('same_boot: expect no family listed and every line the same', () => {
    const a = bootKernel('a', log(raw(A61)), catalog, undefined);
    const c = compareBoots(a, a);
    expect(familyGroups(c)).toEqual([]);
    expect(bootCounts(c)).toMatchObject({ differ: 0, moved: 0, onlyA: 0, onlyB: 0 });
    expect(bootDiffText(c).at(-1)).toBe('no difference in the catalog lines');
  });

  test('seeded_field: expect one family, one field, its delta B − A and both raw lines', () => {
    const text = raw(A61);
    const n = text.split('\n').findIndex((l) => /DMA32 +\[mem/.test(l)) + 1;
    const c = compareBoots(bootKernel('a', log(text), catalog, undefined), bootKernel('b', log(lowerDma32(text)), catalog, undefined));
    const groups = familyGroups(c);
    expect(groups.map((g) => g.family)).toEqual(['zones.range']);
    expect(groups[0]!.lines[0]).toMatchObject({ key: 'zones.range[DMA32]', status: 'mismatched', a: { line: n }, b: { line: n } });
    expect(groups[0]!.lines[0]!.fields.map((f) => [f.path, f.golden, f.sim, f.delta])).toEqual([['zones.range[DMA32].end', '0x1ffdffff', '0x1ffcffff', '\u22120x10000']]);
    expect(bootDiffText(c)).toContain(`  zones.range[DMA32].end: A 0x1ffdffff, B 0x1ffcffff (\u22120x10000) [A:${n} B:${n}]`);
    expect(bootDiffJson(c)).toMatchObject({ a: { kernel: '6.1-amd64', kernelBy: 'banner' }, counts: { differ: 1 }, families: [{ family: 'zones.range' }] });
  });

  // expect the lines 6.12 prints later than 6.1 paired as moved, with their own field deltas, none left "only in" one boot
  test('two_kernels_moved: expect zonelists and Memory: paired across the two orders', () => {
    const c = compareBoots(bootKernel('a', log(raw(A61)), catalog, undefined), bootKernel('b', log(raw(A612)), catalog, undefined));
    const moved = familyGroups(c).flatMap((g) => g.lines.filter((l) => l.status === 'moved').map((l) => [g.family, l.fields.map((f) => f.name)]));
    expect(moved).toContainEqual(['zonelists.policy', []]);
    expect(moved).toContainEqual(['mem.summary', expect.arrayContaining(['available', 'reserved'])]);
    expect(bootCounts(c)).toMatchObject({ onlyA: 0, onlyB: 0 });
    expect(bootDiffText(c)).toContain('the boots are of two kernels (6.1-amd64, 6.12-amd64): volatile fields are compared within 6.1-amd64\'s bounds');
  });
});
