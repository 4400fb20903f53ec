// One version model: the catalog's version lists are the series traits of sim/traits.ts evaluated
// per series, and a new series needs only its traits entry (KERNEL_SERIES) and its facts.
import { describe, expect, test } from 'vitest';
import { catalogFor, families, versionKeys, versionKeyOf } from '../../../harness/catalog/index.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { simulate } from '../../../sim/boot.ts';
import { KERNEL_SERIES, parseKernelVersion, seriesTraits } from '../../../sim/traits.ts';
import type { MachineSpec } from '../../../sim/types.ts';

// A series between the pinned ones that no golden has: 6.8 (after the 6.4 mm_core_init fold, before
// the 6.9 dma_reserve removal and the 6.12 memblks move).
const SYNTHETIC = '6.8';
const extended = catalogFor([...KERNEL_SERIES, SYNTHETIC]);
const fam = (id: string) => {
  const f = extended.find((x) => x.id === id);
  if (!f) throw new Error(`no family ${id}`);
  return f;
};

describe('the catalog takes its versions from the traits', () => {
  test('catalog_series_are_the_traits_series: expect the catalog to know exactly KERNEL_SERIES', () => {
    expect(versionKeys).toEqual(KERNEL_SERIES);
    expect(() => versionKeyOf(SYNTHETIC)).toThrow(`kernel series "${SYNTHETIC}" is not in the catalog`);
  });

  test('family_versions_are_its_trait: expect each family with a condition to hold exactly on the series where its trait does', () => {
    for (const f of families) {
      const want = KERNEL_SERIES.filter((v) => !f.when || f.when(seriesTraits(parseKernelVersion(v))));
      expect(f.versions, f.id).toEqual(want);
    }
  });

  test.each([
    // the known disagreements, now one cut each: "Fallback order" 5.12, unknown boot options 5.15, swiotlb "area num" 6.0
    ['zonelists.fallback', ['6.1', '6.5', '6.12', '6.16', '6.17', '6.18', '7.2', '7.3']],
    ['cmdline.unknown', ['6.1', '6.5', '6.12', '6.16', '6.17', '6.18', '7.2', '7.3']],
    ['swiotlb.area', ['6.1', '6.5', '6.12', '6.16', '6.17', '6.18', '7.2', '7.3']],
    ['zones.totalpages', ['2.6.11', '2.6.34', '3.0', '5.10']],
    ['numa.srat_cpu', ['2.6.11', '2.6.34', '3.0', '5.10', '6.1', '6.5']],
    // "log buffer data + meta data" also for the static buffer: measured in the 6.16 goldens
    ['printk.log_buf_len', ['2.6.11', '2.6.34', '3.0', '5.10', '6.1', '6.5', '6.12']],
    ['printk.log_buf_meta', ['6.16', '6.17', '6.18', '7.2', '7.3']],
    ['e820.gap', ['7.2', '7.3']],
  ] as const)('pinned_versions_%s: expect %j', (id, want) => {
    expect(families.find((f) => f.id === id)?.versions).toEqual(want);
  });

  test.each([
    ['zonelists.fallback', true],
    ['cmdline.unknown', true],
    ['swiotlb.area', true],
    ['hash.stackdepot', true],
    ['printk.log_buf_len', true],
    ['printk.log_buf_meta', false],
    ['zones.totalpages', false],
    ['numa.srat_cpu', true],
    ['e820.gap', false],
  ] as const)('synthetic_series_%s: expect %s on 6.8 from its trait alone', (id, want) => {
    expect(fam(id).versions.includes(SYNTHETIC)).toBe(want);
  });

  test('synthetic_series_spellings: expect 6.8 to take the classic e820 and the smpboot spellings', () => {
    const spelling = (id: string) => fam(id).variants.filter((v) => !v.versions || v.versions.includes(SYNTHETIC)).map((v) => v.re.source);
    expect(spelling('e820.entry')).toEqual([fam('e820.entry').variants[0]!.re.source]);
    expect(spelling('smp.possible')).toEqual([expect.stringContaining('smpboot: Allowing')]);
  });
});

describe('a synthetic series is simulated from its traits', () => {
  // The 6.1 build's facts under a 6.8 release: what the traits decide comes from the version alone.
  const base = loadKernelWithFacts('6.1-amd64');
  const kernel = { ...base, id: `${SYNTHETIC}-amd64`, release: `${SYNTHETIC}.0-1-amd64` };
  const spec: MachineSpec = { name: 't', kernel: kernel.id, machine: 'pc', memoryBytes: 6 * 2 ** 30, memoryText: '6G', cpus: 2, cpu: undefined, numa: undefined, cmdline: 'nokaslr', file: 't/profile.yaml' };
  const { lines } = simulate({ spec, kernel });

  test('synthetic_lines_are_catalogued: expect every simulated line to match a spelling of its family that applies to 6.8', () => {
    expect(lines.length).toBeGreaterThan(30);
    for (const l of lines) {
      const f = fam(l.fmt);
      expect(f.versions, l.fmt).toContain(SYNTHETIC);
      const spellings = f.variants.filter((v) => !v.versions || v.versions.includes(SYNTHETIC));
      expect(spellings.some((v) => v.re.test(l.text)), `${l.fmt}: ${l.text}`).toBe(true);
    }
  });

  test('synthetic_order_from_traits: expect 6.8 to print the zonelists after the hash tables (mm_core_init, 6.4), and Memory: before SLUB', () => {
    const at = (fmt: string) => lines.findIndex((l) => l.fmt === fmt);
    expect(at('hash.dentry')).toBeGreaterThan(-1);
    expect(at('zonelists.built')).toBeGreaterThan(at('hash.dentry'));
    expect(at('mem.summary')).toBeLessThan(at('slub'));
    // 6.1 itself prints them the other way round
    const v61 = simulate({ spec: { ...spec, kernel: base.id }, kernel: base }).lines;
    expect(v61.findIndex((l) => l.fmt === 'zonelists.built')).toBeLessThan(v61.findIndex((l) => l.fmt === 'hash.dentry'));
  });
});
