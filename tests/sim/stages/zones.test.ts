import { describe, expect, test } from 'vitest';
import { computeZones, calcMemmapSize, zoneBatchsize, zoneLimits, zoneSizesInit, type ZonesInput } from '../../../sim/stages/zones.ts';
import type { MemPfnRange } from '../../../sim/stages/mem-pfn-ranges.ts';
import { fmtS } from '../../../sim/lib/printk.ts';
import { bootContext, simulate } from '../../../sim/boot.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const r = (startPfn: number, endPfn: number, nid = 0): MemPfnRange => ({ startPfn: BigInt(startPfn), endPfn: BigInt(endPfn), nid });
const X64: Omit<ZonesInput, 'memory' | 'maxLowPfn' | 'maxPfn'> = {
  zones: ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'],
  structPageBytes: 64n,
  memoryModel: 'sparsemem',
  sectionSizeBits: 27,
  chargesMemmap: true,
  dmaReserve: 0n,
  maxMapnr: 0n,
  unavailableCounted: true,
  flatmemTailRound: undefined,
};
const I386: Omit<ZonesInput, 'memory' | 'maxLowPfn' | 'maxPfn' | 'maxMapnr'> = {
  zones: ['DMA', 'Normal', 'HighMem', 'Movable'],
  structPageBytes: 40n,
  memoryModel: 'flatmem',
  sectionSizeBits: 29,
  chargesMemmap: true,
  dmaReserve: 0n,
  unavailableCounted: true,
  flatmemTailRound: undefined,
};

describe('zone limits (free_area_init, zone_sizes_init)', () => {
  test('limits_512m_dma32_ends_at_max_low_pfn', () => {
    // expect: DMA [first pfn, 16M), DMA32 up to max_low_pfn, Normal and Device empty (low == high)
    //   pfn: 1 ....... 0x1000 ............ 0x1ffe0
    //        |  DMA   |      DMA32        |  Normal = empty
    const l = zoneLimits(X64.zones, zoneSizesInit(X64.zones, 0x1ffe0n, 0x1ffe0n), 1n);
    expect(l.map((z) => [z.name, z.lowPfn, z.highPfn])).toEqual([
      ['DMA', 1n, 0x1000n], ['DMA32', 0x1000n, 0x1ffe0n], ['Normal', 0x1ffe0n, 0x1ffe0n], ['Movable', 0n, 0n], ['Device', 0x1ffe0n, 0x1ffe0n],
    ]);
  });

  test('zone_name_width_pads_to_8', () => {
    // expect: "%-8s " — names shorter than 8 are padded, none overflow
    expect(`  ${fmtS('DMA', -8)} `).toBe('  DMA      ');
    expect(`  ${fmtS('HighMem', -8)} `).toBe('  HighMem  ');
  });
});

describe('calc_memmap_size / zone_batchsize (5.10)', () => {
  test.each([
    // [spanned, present, sizeof(struct page), sparse, expect]
    [4095n, 3998n, 64n, true, 64n], // DMA: few holes → spanned
    [1044480n, 782304n, 64n, true, 12224n], // DMA32 with the PCI hole: present (spanned > present × 17/16)
    [221182n, 221182n, 40n, false, 2160n], // i386 Normal, FLATMEM
    [0n, 0n, 64n, true, 0n],
  ])('memmap_%#', (spanned, present, sz, sparse, want) => {
    expect(calcMemmapSize(spanned, present, sz, sparse)).toBe(want);
  });

  test.each([
    [3913n, 0n], // DMA: 3913/1024/4 = 0 → 1 → rounddown_pow2(1) − 1
    [124960n, 31n],
    [770080n, 63n], // capped at 1 MiB of pages
    [36834n, 7n],
  ])('batch_%#', (managed, want) => expect(zoneBatchsize(managed)).toBe(want));
});

describe('memmap_init unavailable ranges', () => {
  test('hole_at_zone_boundary_charged_to_next_zone', () => {
    // expect: a hole straddling 16M (pfn 0x1000) goes to the zone of the range after it (DMA32)
    //   pfn: 1 ...... 0xf00     0x1100 ........ 0x8000
    //        |  RAM   |  hole   |      RAM      |
    //                     ^ 0x1000 (DMA | DMA32)
    const z = computeZones({ ...X64, memory: [r(1, 0xf00), r(0x1100, 0x8000)], maxLowPfn: 0x8000n, maxPfn: 0x8000n });
    expect(z.unavailable).toEqual([
      { nid: 0, zone: 'DMA', pages: 1n },
      { nid: 0, zone: 'DMA32', pages: 0x200n },
    ]);
  });

  test('tail_rounded_to_sparsemem_section', () => {
    // expect: RAM ending 32 pages short of a 128M section: the tail is charged to the last zone
    //   pfn: 1 .......... 0x1ffe0 | 0x20000 (section end)
    const z = computeZones({ ...X64, memory: [r(1, 0x9f), r(0x100, 0x1ffe0)], maxLowPfn: 0x1ffe0n, maxPfn: 0x1ffe0n });
    expect(z.unavailable.map((u) => `${u.zone}:${u.pages}`)).toEqual(['DMA:1', 'DMA:97', 'DMA32:32']);
  });

  test('hole_in_absent_sections_not_counted', () => {
    // expect: only the part of the PCI hole inside a present section counts (32 pages, not 262176)
    //   pfn: 0x100 ... 0xbffe0 |hole (0xc0000 = section end) ... 0x100000| RAM .. 0x140000
    const z = computeZones({ ...X64, memory: [r(1, 0x9f), r(0x100, 0xbffe0), r(0x100000, 0x140000)], maxLowPfn: 0x140000n, maxPfn: 0x140000n });
    expect(z.unavailable.map((u) => `${u.zone}:${u.pages}`)).toEqual(['DMA:1', 'DMA:97', 'Normal:32']);
  });

  test('flatmem_counts_whole_hole_no_tail', () => {
    // expect: FLATMEM pfn_valid is pfn < max_mapnr: the whole 4G hole counts; nothing after the end
    //   pfn: 0x100 ... 0x7ffdf | hole ... 0x100000 | HighMem .. 0x180000
    const z = computeZones({ ...I386, memory: [r(1, 0x9f), r(0x100, 0x7ffdf), r(0x100000, 0x180000)], maxLowPfn: 0x36ffen, maxPfn: 0x180000n, maxMapnr: 0x180000n });
    expect(z.unavailable.map((u) => `${u.zone}:${u.pages}`)).toEqual(['DMA:1', 'DMA:97', 'HighMem:524321']);
  });

  test('flatmem_5_10_prints_none', () => {
    // expect: 5.10 builds init_unavailable_range only without CONFIG_FLAT_NODE_MEM_MAP
    const z = computeZones({ ...I386, unavailableCounted: false, memory: [r(1, 0x9f), r(0x100, 0x3ffe0)], maxLowPfn: 0x36ffen, maxPfn: 0x3ffe0n, maxMapnr: 0x3ffe0n });
    expect(z.unavailable).toEqual([]);
  });
});

describe('free_area_init_core accounting', () => {
  test('totals_686_pae_1g_5_10', () => {
    // expect: the 5.10 i386 numbers: DMA 3998 present, 40 memmap; Normal 221182/2160; HighMem 36834, no memmap charge
    const z = computeZones({ ...I386, memory: [r(1, 0x9f), r(0x100, 0x3ffe0)], maxLowPfn: 0x36ffen, maxPfn: 0x3ffe0n, maxMapnr: 0x3ffe0n });
    const n = z.nodes[0]!;
    expect(n.presentPages).toBe(262014n);
    expect(n.zones.map((x) => [x.name, x.presentPages, x.memmapPages, x.managedAtInit])).toEqual([
      ['DMA', 3998n, 40n, 3958n], ['Normal', 221182n, 2160n, 219022n], ['HighMem', 36834n, 360n, 36834n], ['Movable', 0n, 0n, 0n],
    ]);
    // nr_kernel_pages: lowmem freesize, minus the HighMem memmap (nr_kernel_pages > 2 × memmap)
    expect(z.nrKernelPages).toBe(3958n + 219022n - 360n);
    expect(z.nrAllPages).toBe(3958n + 219022n + 36834n);
  });

  test('two_nodes_split_at_node_boundary', () => {
    // expect: each node's zones are clipped to its own span; node 1 owns Normal above 4G
    //   node0: 1 ...... 0x80000 | node1: 0x80000 .. 0xbffe0, 0x100000 .. 0x140000
    const z = computeZones({ ...X64, chargesMemmap: false, memory: [r(1, 0x9f), r(0x100, 0x80000), r(0x80000, 0xbffe0, 1), r(0x100000, 0x140000, 1)], maxLowPfn: 0x140000n, maxPfn: 0x140000n });
    expect(z.nodes.map((n) => [n.node, n.startPfn, n.endPfn])).toEqual([[0, 1n, 0x80000n], [1, 0x80000n, 0x140000n]]);
    expect(z.nodes[1]!.zones.find((x) => x.name === 'Normal')!.presentPages).toBe(0x40000n);
    expect(z.unavailable.map((u) => `${u.nid}/${u.zone}:${u.pages}`)).toEqual(['0/DMA:1', '0/DMA:97', '1/Normal:32']);
  });
});

describe('free_area_init for a memoryless node', () => {
  const G = 1024 * 1024 * 1024;
  const spec = (kernel: string): MachineSpec => ({
    name: 't', kernel, machine: 'pc', memoryBytes: 2 * G, memoryText: '2G', cpus: 2, cpu: undefined, cmdline: undefined, file: 't/profile.yaml',
    numa: [{ memoryBytes: 2 * G, memoryText: '2G', cpus: [0] }, { memoryBytes: 0, memoryText: '0M', cpus: [1] }],
  });
  const run = (kernel: string) => simulate(bootContext({ spec: spec(kernel), kernel: loadKernelWithFacts(kernel) }));
  test.each([
    // expect 6.1: "Initializing node 1 as memoryless" (arch_alloc_nodedata) before its Initmem line
    ['memoryless_6_1', '6.1-amd64', ['Initmem setup node 0 [mem 0x0000000000001000-0x000000007ffdffff]', 'Initializing node 1 as memoryless', 'Initmem setup node 1 as memoryless']],
    // expect 6.12/7.2: alloc_offline_node_data() is silent; only the Initmem line
    ['memoryless_6_12', '6.12-amd64', ['Initmem setup node 0 [mem 0x0000000000001000-0x000000007ffdffff]', 'Initmem setup node 1 as memoryless']],
    ['memoryless_7_2', '7.2-amd64', ['Initmem setup node 0 [mem 0x0000000000001000-0x000000007ffdffff]', 'Initmem setup node 1 as memoryless']],
  ] as const)('%s', (_n, kernel, lines) => {
    const r = run(kernel);
    expect(r.lines.filter((l) => /^Init(mem setup|ializing) node/.test(l.text)).map((l) => l.text)).toEqual(lines);
    // expect one memblock_alloc(sizeof(pg_data_t), SMP_CACHE_BYTES) for node 1, on node 0's memory
    const nd = memblockStateOf(r.state).ledger.filter((e) => e.why === 'pg_data_t of memoryless node 1');
    expect(nd.map((e) => e.ranges.reduce((n, x) => n + (x.end - x.start), 0n))).toEqual([BigInt(loadKernelWithFacts(kernel).facts.structs['pglist_data']!.bytes)]);
  });
  test('memoryless_5_10_init_cpu_to_node', () => {
    // expect 5.10: free_area_init() walks the online nodes only (node 0); init_cpu_to_node() then onlines
    // node 1 after "smpboot: Allowing" and before the nosave lines: NODE_DATA (on node 0), its Initmem
    // line with the 0-0 range, and the KERN_DEBUG totalpages line
    const r = run('5.10-amd64');
    const texts = r.lines.map((l) => l.text);
    const at = (re: RegExp): number => texts.findIndex((t) => re.test(t));
    const allowing = at(/^smpboot: Allowing 2 CPUs/);
    const nd = at(/^NODE_DATA\(1\) allocated \[mem 0x[0-9a-f]{8}-0x[0-9a-f]{8}\]$/);
    expect(allowing).toBeGreaterThan(at(/^Initmem setup node 0 /));
    expect(nd).toBeGreaterThan(allowing);
    expect(texts.slice(nd + 1, nd + 4)).toEqual(['    NODE_DATA(1) on node 0', 'Initmem setup node 1 [mem 0x0000000000000000-0x0000000000000000]', 'On node 1 totalpages: 0']);
    expect(at(/^PM: hibernation: Registered nosave/)).toBeGreaterThan(nd);
    expect(texts.filter((t) => /^Init(mem setup|ializing) node 1/.test(t))).toHaveLength(1);
    // expect one memblock_phys_alloc_try_nid(roundup(sizeof(pg_data_t), PAGE_SIZE)) on node 0's memory, between
    // the HPET resource and the I/O APIC resources (setup_arch order)
    const ledger = memblockStateOf(r.state).ledger;
    const i = ledger.findIndex((e) => e.why === 'NODE_DATA(1) of memoryless node 1');
    const size = BigInt(Math.ceil(loadKernelWithFacts('5.10-amd64').facts.structs['pglist_data']!.bytes / 4096) * 4096);
    expect(ledger[i]!.ranges.reduce((n, x) => n + (x.end - x.start), 0n)).toBe(size);
    expect(ledger[i - 1]!.why).toBe('HPET resource');
    expect(ledger[i + 1]!.why).toBe('I/O APIC resources');
    expect(r.state.numa!.nodes.find((n) => n.nid === 1)!.nodeData).toBeDefined();
  });
});
