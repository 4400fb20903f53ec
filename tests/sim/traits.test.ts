// KernelTraits: the version model, derived once from the release and the config facts.
import { describe, expect, test } from 'vitest';
import { configEnabled, deriveTraits, kernelConfig, KERNEL_SERIES, pagingGeometry, parseKernelVersion, seriesKeyOfVersion, seriesTraits, versionAtLeast, type KernelVersion } from '../../sim/traits.ts';

const kernel = (release: string, arch: 'x86_64' | 'i386' = 'x86_64', config: Record<string, string> = {}) => ({ id: 't', arch, release, facts: { config } });

describe('parseKernelVersion', () => {
  test.each([
    ['5.10.0-32-amd64', [5, 10]],
    ['6.1.0-56-amd64', [6, 1]],
    ['6.12.115+deb12-amd64', [6, 12]],
    ['7.2.13+deb14-amd64', [7, 2]],
    ['3.0.1', [3, 0]],
    ['2.6.34', [2, 6, 34]],
    ['2.6.11', [2, 6, 11]],
    ['2.6.34-i386', [2, 6, 34]],
  ])('parse_release_%s: expect %j', (release, want) => {
    expect(parseKernelVersion(release)).toEqual(want);
  });

  test('parse_release_2_6_needs_patch: expect a RangeError for "2.6" without its patch level', () => {
    expect(() => parseKernelVersion('2.6')).toThrow(/expected "2\.6\.<patch>…".*got "2\.6"/);
  });

  test.each([
    [[6, 12], '6.12'],
    [[3, 0], '3.0'],
    [[2, 6, 34], '2.6.34'],
  ] as const)('series_key_%j: expect %s', (v, want) => {
    expect(seriesKeyOfVersion(v)).toBe(want);
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

  test.each([
    [[2, 6, 34], 2, 6, 35, false],
    [[2, 6, 34], 2, 6, 34, true],
    [[2, 6, 11], 2, 6, 34, false],
    [[3, 0], 2, 6, 35, true],
    [[2, 6, 34], 3, 0, 0, false],
    [[2, 6, 34], 2, 6, 0, true],
  ] as const)('at_least_patch_%j_vs_%i.%i.%i: expect %s', (v, major, minor, patch, want) => {
    expect(versionAtLeast(v, major, minor, patch)).toBe(want);
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
  // memoised per config object: the same traits for the same (config, arch, release), and each other key its own
  test('derive_traits_memo: expect one object per config, arch and release, equal to a fresh derivation', () => {
    const config = { ZONE_DMA: 'y', ZONE_DMA32: 'y' };
    const a = deriveTraits({ id: '6.1-amd64', arch: 'x86_64', release: '6.1.0-1-amd64', facts: { config } });
    expect(deriveTraits({ id: '6.1-amd64', arch: 'x86_64', release: '6.1.0-1-amd64', facts: { config } })).toBe(a);
    const later = deriveTraits({ id: '6.12-amd64', arch: 'x86_64', release: '6.12.0-1-amd64', facts: { config } });
    expect(later).not.toBe(a);
    expect(later.memoryLineFrom).toBe('page_alloc_init_late');
    expect(a.memoryLineFrom).toBe('mm_init');
    const other = deriveTraits({ id: '6.1-amd64', arch: 'x86_64', release: '6.1.0-1-amd64', facts: { config: { ...config, ZONE_DEVICE: 'y' } } });
    expect(other.zones).toEqual(['DMA', 'DMA32', 'Normal', 'Movable', 'Device']);
    expect(a.zones).toEqual(['DMA', 'DMA32', 'Normal', 'Movable']);
  });

  // Each cut, one version either side of it.
  test.each([
    ['memoryLineFrom', '5.10.0-1-amd64', 'mem_init'],
    ['memoryLineFrom', '6.1.0-1-amd64', 'mm_init'],
    ['memoryLineFrom', '6.11.0-1-amd64', 'mm_init'],
    ['memoryLineFrom', '6.12.0-1-amd64', 'page_alloc_init_late'],
    ['e820Style', '6.18.15+deb13-amd64', 'classic'],
    ['e820Style', '7.0.0-1-amd64', 'named'],
    // the stable backport of the nosave fix: the pinned 6.1 and 6.12 builds have it, 6.5.10 does not
    ['nosaveStyle', '5.10.0-32-amd64', 'walk-entries'],
    ['nosaveStyle', '6.1.0-56-amd64', 'ram-gaps'],
    ['nosaveStyle', '6.5.0-0.deb12.4-686-pae', 'walk-entries'],
    ['nosaveStyle', '6.12.115+deb12-amd64', 'ram-gaps'],
    ['nosaveStyle', '6.14.0-1-amd64', 'walk-entries'],
    ['nosaveStyle', '6.15.0-1-amd64', 'ram-gaps'],
    ['possibleCpusStyle', '6.8.0-1-amd64', 'smpboot'],
    ['possibleCpusStyle', '6.9.0-1-amd64', 'cpu-topo'],
    ['printsUnknownBootoptions', '5.14.0-1-amd64', false],
    ['printsUnknownBootoptions', '5.15.0-1-amd64', true],
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

  test('slab_cache_table_i386: expect the 6.1 and 5.10 tables on the 686 builds of those series (DWARF struct sizes), none on 6.5 686-pae, amd64 unchanged', () => {
    expect(deriveTraits(kernel('6.1.0-50-686-pae', 'i386', { X86_PAE: 'y' })).state.slabCacheTable).toBe('6.1');
    expect(deriveTraits(kernel('6.1.0-50-686', 'i386')).state.slabCacheTable).toBe('6.1');
    expect(deriveTraits(kernel('5.10.0-32-686-pae', 'i386', { X86_PAE: 'y' })).state.slabCacheTable).toBe('5.10');
    expect(deriveTraits(kernel('6.5.0-0.deb12.4-686-pae', 'i386', { X86_PAE: 'y' })).state.slabCacheTable).toBe('unread');
    expect(deriveTraits(kernel('5.10.0-30-amd64', 'x86_64')).state.slabCacheTable).toBe('5.10');
  });

  test('derive_nr_cpus: expect CONFIG_NR_CPUS as a number, undefined when the facts lack it', () => {
    expect(deriveTraits(kernel('6.1.0-1-amd64', 'x86_64', { NR_CPUS: '8192' })).nrCpus).toBe(8192);
    expect(deriveTraits(kernel('6.1.0-1-amd64')).nrCpus).toBeUndefined();
  });
});

describe('seriesTraits', () => {
  // Every cut, at the last version before it and at the version it is placed at.
  const at = (v: KernelVersion, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], seriesTraits(v));
  test.each([
    ['zoneDebugLines', [5, 10], true, [5, 11], false],
    ['unavailableOnFlatmem', [5, 10], false, [5, 11], true],
    ['initOnKeysDeferred', [5, 10], false, [5, 11], true],
    ['mapTopDownProbe', [5, 10], 'find', [5, 11], 'alloc-free'],
    ['zonelists.printsFallback', [5, 11], false, [5, 12], true],
    ['earlyReserveMemory', [5, 12], false, [5, 13], true],
    ['movableIsHighmemConstantWithoutNuma', [5, 13], true, [5, 14], false],
    ['percpu.chunkListsPerType', [5, 13], true, [5, 14], false],
    ['printsUnknownBootoptions', [5, 14], false, [5, 15], true],
    ['memmapAlloc', [5, 14], false, [5, 15], true],
    ['hashes.hugeVmalloc', [5, 17], false, [5, 18], true],
    ['nosaveStyle', [6, 0], 'walk-entries', [6, 1], 'ram-gaps'],
    ['nosaveStyle', [6, 5], 'walk-entries', [6, 12], 'ram-gaps'],
    ['nosaveStyle', [6, 14], 'walk-entries', [6, 15], 'ram-gaps'],
    ['mmCore.swiotlbAreas', [5, 19], false, [6, 0], true],
    ['sysctlAliasesClaimed', [5, 19], false, [6, 1], true],
    ['bootloaderIdsSwallowed', [5, 19], false, [6, 1], true],
    ['pgtBufPerTable', [5, 19], false, [6, 1], true],
    ['percpu.grouping', [5, 19], 'first-fit', [6, 1], 'pop-first'],
    ['percpu.cpumaskBitsAlwaysNrCpuIds', [5, 19], false, [6, 1], true],
    ['memoryLineFrom', [5, 19], 'mem_init', [6, 1], 'mm_init'],
    ['stackDepotEarly', [5, 19], 'none', [6, 1], 'hash-order'],
    ['slubTiny', [6, 1], false, [6, 2], true],
    ['slubCalculateOrder', [6, 7], 'backoff', [6, 8], 'min-order'],
    ['kmallocCgroupOption', [5, 13], 'none', [5, 14], 'MEMCG_KMEM'],
    ['kmallocCgroupOption', [6, 9], 'MEMCG_KMEM', [6, 10], 'MEMCG'],
    ['slabUsercopyUnmergeable', [6, 11], 'always', [6, 12], 'HARDENED_USERCOPY'],
    ['zonelists.where', [6, 3], 'start_kernel', [6, 4], 'mm_core_init'],
    ['mmInitFile', [6, 3], 'mm/page_alloc.c', [6, 4], 'mm/mm_init.c'],
    ['percpu.fourLocalMasks', [6, 4], true, [6, 5], false],
    ['possibleCpusStyle', [6, 8], 'smpboot', [6, 9], 'cpu-topo'],
    ['dmaReserve', [6, 8], true, [6, 9], false],
    ['zonelists.managedAtInit', [6, 8], 'freesize', [6, 9], 'present'],
    ['memoryLineFrom', [6, 11], 'mm_init', [6, 12], 'page_alloc_init_late'],
    ['endPfnCountsAcpi', [6, 11], false, [6, 12], true],
    ['memblockEmptyCnt', [6, 11], 1, [6, 12], 0],
    ['numaMemblks', [6, 11], 'arch', [6, 12], 'generic'],
    ['sratCpuLineInfo', [6, 11], true, [6, 12], false],
    ['numaEmuFixPxm', [6, 11], false, [6, 12], true],
    ['vmAreaEarlyBoundsCheck', [6, 0], false, [6, 1], true],
    ['stackDepotEarly', [6, 11], 'hash-order', [6, 12], 'bucket-order'],
    ['percpu.dynamicSizeShift', [6, 11], false, [6, 12], true],
    ['percpu.moduleReserveGrowsWithMemProfiling', [6, 11], false, [6, 12], true],
    ['fiveLevelAlways', [6, 15], false, [6, 16], true],
    ['pageblockIsolateBit', [6, 16], false, [6, 17], true],
    ['structleakPlugin', [6, 15], true, [6, 16], false],
    ['logBufUsageStats', [6, 15], false, [6, 16], true],
    ['percpu.moduleReserveGrowsWithMemProfiling', [6, 15], true, [6, 16], false],
    ['hashes.hugeSizePerNode', [6, 15], true, [6, 16], false],
    ['mmCore.pciIommuAllocIn', [6, 15], 'mem_init', [6, 16], 'arch_mm_preinit'],
    ['late.rcuTasksKthreads', [6, 15], true, [6, 16], false],
    ['late.taskStructHasFpu', [6, 15], false, [6, 16], true],
    ['late.pgdAllocationOrder', [6, 15], 'config', [6, 16], 'pti-feature'],
    ['e820Style', [6, 19], 'classic', [7, 0], 'named'],
    ['freeAreaInitFrom', [6, 19], 'setup_arch', [7, 0], 'mm_core_init_early'],
    ['smpLocks', [6, 19], 'alternative_instructions', [7, 0], 'arch_initcall'],
    ['smpLocks', [7, 2], 'arch_initcall', [7, 3], 'none'],
    ['sparseBuffer', [6, 19], true, [7, 0], false],
    ['percpu.randomKmallocOption', [6, 19], 'RANDOM_KMALLOC_CACHES', [7, 0], 'KMALLOC_PARTITION_CACHES'],
    ['late.traceMaxBufferOption', [6, 19], 'TRACER_MAX_TRACE', [7, 0], 'TRACER_SNAPSHOT'],
    ['late.kprobeOptimizerThread', [6, 19], false, [7, 0], true],
    ['late.mmCidSize', [6, 12], 'cidmask', [6, 13], 'cpus-allowed-cidmask'],
    ['late.mmCidSize', [6, 19], 'cpus-allowed-cidmask', [7, 0], 'cpus-allowed-bitmap'],
    ['late.slubSheaves', [6, 19], false, [7, 0], true],
    ['late.workqueuesUnboundSplit', [6, 19], false, [7, 0], true],
    ['late.bootSlabCaches', [6, 19], 'unread', [7, 0], '7.2'],
    // 7.3.4 read: no .smp_locks; the boot caches' call sites are 7.2.13's; the post-boot table is 7.2's and the two calls 7.3.4 adds
    ['late.bootSlabCaches', [7, 2], '7.2', [7, 3], '7.2'],
    ['state.slabCacheTable', [7, 2], '7.2', [7, 3], '7.3'],
    // 6.16, 6.17, 6.18: a table each (caches/6.16.ts, 6.17.ts, 6.18.ts); none read for 6.19
    ['state.slabCacheTable', [6, 15], '6.12', [6, 16], '6.16'],
    ['state.slabCacheTable', [6, 16], '6.16', [6, 17], '6.17'],
    ['state.slabCacheTable', [6, 17], '6.17', [6, 18], '6.18'],
    ['state.slabCacheTable', [6, 18], '6.18', [6, 19], 'unread'],
    ['state.swapSubmitEvents', [7, 2], false, [7, 3], true],
    ['state.counters.nrBounce', [6, 12], true, [6, 16], false],
    ['state.counters.nrWritebackTemp', [6, 16], true, [6, 17], false],
    ['state.counters.nrSwapcached', [5, 10], false, [6, 1], true],
    // the late terms take 6.16-6.18's tables too (bounded by the 6.12.117 and 7.2.13 trees their call sites were read in)
    ['late.bootSlabCaches', [6, 15], '6.12', [6, 16], '6.16'],
    ['late.bootSlabCaches', [6, 17], '6.17', [6, 18], '6.18'],
    ['late.bootSlabCaches', [6, 18], '6.18', [6, 19], 'unread'],
    ['earlyAllocator', [2, 6, 11], 'bootmem', [2, 6, 34], 'early_res'],
    ['earlyAllocator', [2, 6, 34], 'early_res', [2, 6, 35], 'nobootmem'],
    ['earlyAllocator', [4, 19], 'nobootmem', [4, 20], 'memblock'],
    ['kmKdbSlot', [2, 6, 34], false, [2, 6, 35], true],
    ['fixLnwVrtc', [2, 6, 34], false, [3, 0], true],
  ] as const)('cut_%s_between_%j_and_%j', (path, before, was, after, is) => {
    expect(at(before, path)).toBe(was);
    expect(at(after, path)).toBe(is);
  });

  test('series_7_3_as_read: expect 7.3 to differ from 7.2 only where 7.3.4 was read to differ (no .smp_locks; its own post-boot cache table; NRSWPIN/NRSWPOUT)', () => {
    // every other cut placed at 7.0 (or earlier) was re-read in 7.3.4 and holds; a new 7.3 cut must say so here
    const diffs = (a: unknown, b: unknown, path: string): string[] => {
      if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a)) {
        const ra = a as Record<string, unknown>;
        const rb = b as Record<string, unknown>;
        return [...new Set([...Object.keys(ra), ...Object.keys(rb)])].flatMap((k) => diffs(ra[k], rb[k], path ? `${path}.${k}` : k));
      }
      return a === b ? [] : [path];
    };
    const { version: _v72, ...t72 } = seriesTraits([7, 2]);
    const { version: _v73, ...t73 } = seriesTraits([7, 3]);
    expect(diffs(t72, t73, '').sort()).toEqual(['smpLocks', 'state.slabCacheTable', 'state.swapSubmitEvents']);
  });

  test('series_list_oldest_first: expect KERNEL_SERIES to be the pinned series in version order', () => {
    const parsed = KERNEL_SERIES.map(parseKernelVersion);
    expect(KERNEL_SERIES).toEqual(['2.6.11', '2.6.34', '3.0', '5.10', '6.1', '6.5', '6.12', '6.16', '6.17', '6.18', '7.2', '7.3']);
    for (let i = 1; i < parsed.length; i++) expect(versionAtLeast(parsed[i]!, ...parsed[i - 1]!)).toBe(true);
  });

  test('derive_keeps_series: expect deriveTraits to carry every series trait of its release unchanged', () => {
    const d = deriveTraits(kernel('6.12.0-1-amd64'));
    for (const [k, v] of Object.entries(seriesTraits([6, 12]))) expect(d[k as keyof typeof d], k).toEqual(v);
  });

  test('derive_combined_cuts: expect 5-level paging from the config before 6.16 and always after; the constant zone_movable_is_highmem only without NUMA', () => {
    expect(deriveTraits(kernel('6.12.0-1-amd64')).fiveLevel).toBe(false);
    expect(deriveTraits(kernel('6.16.0-1-amd64')).fiveLevel).toBe(true);
    expect(deriveTraits(kernel('5.10.0-1-686-pae', 'i386')).movableIsHighmemConstant).toBe(true);
    expect(deriveTraits(kernel('5.10.0-1-amd64', 'x86_64', { NUMA: 'y' })).movableIsHighmemConstant).toBe(false);
    expect(deriveTraits(kernel('6.1.0-1-686-pae', 'i386')).movableIsHighmemConstant).toBe(false);
  });
});
