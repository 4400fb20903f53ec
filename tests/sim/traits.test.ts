// KernelTraits: the version model, derived once from the release and the config facts.
import { describe, expect, test } from 'vitest';
import { configEnabled, deriveTraits, kernelConfig, pagingGeometry, parseKernelVersion, versionAtLeast } from '../../sim/traits.ts';

const kernel = (release: string, arch: 'x86_64' | 'i386' = 'x86_64', config: Record<string, string> = {}) => ({ id: 't', arch, release, facts: { config } });

describe('parseKernelVersion', () => {
  test.each([
    ['5.10.0-32-amd64', [5, 10]],
    ['6.1.0-56-amd64', [6, 1]],
    ['6.12.115+deb12-amd64', [6, 12]],
    ['7.2.13+deb14-amd64', [7, 2]],
  ])('parse_release_%s: expect %j', (release, want) => {
    expect(parseKernelVersion(release)).toEqual(want);
  });

  test('parse_release_garbage: expect a RangeError naming what was found', () => {
    expect(() => parseKernelVersion('linux-6')).toThrow(/expected "<major>\.<minor>…", got "linux-6"/);
  });
});

describe('versionAtLeast', () => {
  test.each([
    [[6, 12], 6, 12, true],
    [[6, 11], 6, 12, false],
    [[7, 0], 6, 12, true],
    [[5, 10], 6, 1, false],
    [[6, 1], 5, 14, true],
  ] as const)('at_least_%j_vs_%i.%i: expect %s', (v, major, minor, want) => {
    expect(versionAtLeast(v, major, minor)).toBe(want);
  });
});

describe('pagingGeometry', () => {
  test('geometry_wide_and_two_level: expect PMD 2M × 512 with 8-byte entries, 4M × 1024 on 2-level i386', () => {
    expect(pagingGeometry(true)).toEqual({ pmdShift: 21n, ptrsPerPte: 512n });
    expect(pagingGeometry(false)).toEqual({ pmdShift: 22n, ptrsPerPte: 1024n });
  });
});

describe('kernelConfig', () => {
  test('config_absent_is_unset: expect undefined for a kept option the build does not set, and its value when set', () => {
    expect(kernelConfig(kernel('6.1.0-1-amd64', 'x86_64', { NUMA: 'y' }), 'NUMA')).toBe('y');
    expect(kernelConfig(kernel('6.1.0-1-amd64'), 'NUMA')).toBeUndefined();
    expect(configEnabled(kernel('6.1.0-1-amd64', 'x86_64', { NUMA: 'm' }), 'NUMA')).toBe(false);
  });

  test('config_not_kept: expect a RangeError for an option the facts do not keep, not a silent "not set"', () => {
    expect(() => kernelConfig(kernel('6.1.0-1-amd64'), 'NO_SUCH_OPTION_KEPT')).toThrow(/not among the options the facts keep/);
  });
});

describe('deriveTraits', () => {
  // Each cut, one version either side of it.
  test.each([
    ['memoryLineFrom', '5.10.0-1-amd64', 'mem_init'],
    ['memoryLineFrom', '6.1.0-1-amd64', 'mm_init'],
    ['memoryLineFrom', '6.11.0-1-amd64', 'mm_init'],
    ['memoryLineFrom', '6.12.0-1-amd64', 'page_alloc_init_late'],
    ['e820Style', '6.15.0-1-amd64', 'classic'],
    ['e820Style', '6.16.0-1-amd64', 'named'],
    ['nosaveStyle', '5.19.0-1-amd64', 'walk-entries'],
    ['nosaveStyle', '6.0.0-1-amd64', 'ram-gaps'],
    ['possibleCpusStyle', '6.8.0-1-amd64', 'smpboot'],
    ['possibleCpusStyle', '6.9.0-1-amd64', 'cpu-topo'],
    ['printsUnknownBootoptions', '5.13.0-1-amd64', false],
    ['printsUnknownBootoptions', '5.14.0-1-amd64', true],
    ['freeAreaInitFrom', '6.12.0-1-amd64', 'setup_arch'],
    ['freeAreaInitFrom', '7.0.0-1-amd64', 'mm_core_init_early'],
    ['memblockEmptyCnt', '6.11.0-1-amd64', 1],
    ['memblockEmptyCnt', '6.12.0-1-amd64', 0],
  ] as const)('derive_%s_on_%s: expect %j', (trait, release, want) => {
    expect(deriveTraits(kernel(release))[trait]).toBe(want);
  });

  test('derive_zones_from_config: expect the zone list the config builds, Normal and Movable always', () => {
    expect(deriveTraits(kernel('6.1.0-1-amd64', 'x86_64', { ZONE_DMA: 'y', ZONE_DMA32: 'y', ZONE_DEVICE: 'y' })).zones).toEqual(['DMA', 'DMA32', 'Normal', 'Movable', 'Device']);
    expect(deriveTraits(kernel('6.1.0-1-686-pae', 'i386', { ZONE_DMA: 'y', HIGHMEM: 'y', X86_PAE: 'y' })).zones).toEqual(['DMA', 'Normal', 'HighMem', 'Movable']);
    expect(deriveTraits(kernel('6.1.0-1-amd64')).zones).toEqual(['Normal', 'Movable']);
  });

  test('derive_i386_geometry: expect PAE to widen entries and the section size, 2-level i386 to keep 4M PMDs', () => {
    const pae = deriveTraits(kernel('6.1.0-1-686-pae', 'i386', { X86_PAE: 'y' }));
    const flat = deriveTraits(kernel('6.1.0-1-686', 'i386'));
    expect([pae.pae, pae.pmdShift, pae.sectionSizeBits]).toEqual([true, 21n, 29]);
    expect([flat.pae, flat.pmdShift, flat.sectionSizeBits]).toEqual([false, 22n, 26]);
    expect(deriveTraits(kernel('6.1.0-1-amd64')).sectionSizeBits).toBe(27);
  });

  test('derive_arch_only_traits: expect GART and 5-level paging only on x86_64, PAE only on i386', () => {
    expect(deriveTraits(kernel('6.1.0-1-amd64', 'x86_64', { GART_IOMMU: 'y' })).gartIommu).toBe(true);
    expect(deriveTraits(kernel('6.1.0-1-686', 'i386', { GART_IOMMU: 'y' })).gartIommu).toBe(false);
    expect(deriveTraits(kernel('6.1.0-1-amd64', 'x86_64', { X86_5LEVEL: 'y' })).fiveLevel).toBe(true);
    expect(deriveTraits(kernel('6.1.0-1-686', 'i386', { X86_PAE: 'y' })).fiveLevel).toBe(false);
    expect(deriveTraits(kernel('6.1.0-1-amd64', 'x86_64', { X86_PAE: 'y' })).pae).toBe(false);
  });

  test('derive_nr_cpus: expect CONFIG_NR_CPUS as a number, undefined when the facts lack it', () => {
    expect(deriveTraits(kernel('6.1.0-1-amd64', 'x86_64', { NR_CPUS: '8192' })).nrCpus).toBe(8192);
    expect(deriveTraits(kernel('6.1.0-1-amd64')).nrCpus).toBeUndefined();
  });
});
