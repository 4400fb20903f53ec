import { describe, expect, test } from 'vitest';
import {
  adjustZoneRangeForZoneMovable, cmdlineParseCore, coreParamProblem, coreParamRefusal, findUsableZoneForMovable, findZoneMovablePfnsForNodes,
  NO_CORE_REQUEST, type CoreRequest, type PfnRange, type ZoneLimit,
} from '../../../sim/stages/zone-movable.ts';
import { computeZones, type ZonesInput } from '../../../sim/stages/zones.ts';
import { parseParams } from '../../../sim/stages/cmdline.ts';
import { simErrorCode } from '../sim-error-code.ts';

const r = (startPfn: number, endPfn: number, nid = 0): PfnRange => ({ startPfn: BigInt(startPfn), endPfn: BigInt(endPfn), nid });
const lim = (name: ZoneLimit['name'], lowPfn: number, highPfn: number): ZoneLimit => ({ name, lowPfn: BigInt(lowPfn), highPfn: BigInt(highPfn) });
const req = (o: Partial<CoreRequest>): CoreRequest => ({ ...NO_CORE_REQUEST, ...o });

// x86_64 pc 2G: DMA [1, 16M), DMA32 [16M, 0x7ffe0), Normal empty
const PC_2G = [lim('DMA', 1, 0x1000), lim('DMA32', 0x1000, 0x7ffe0), lim('Normal', 0x7ffe0, 0x7ffe0), lim('Movable', 0, 0), lim('Device', 0x7ffe0, 0x7ffe0)];
const PC_2G_MEM = [r(1, 0x9f), r(0x100, 0x7ffe0)];
// x86_64 pc 4G, two 2G nodes: DMA32 up to 3G (the PCI hole), Normal [4G, 5G)
const PC_4G = [lim('DMA', 1, 0x1000), lim('DMA32', 0x1000, 0x100000), lim('Normal', 0x100000, 0x140000), lim('Movable', 0, 0), lim('Device', 0x140000, 0x140000)];
const PC_4G_NUMA2 = [r(1, 0x9f), r(0x100, 0x80000), r(0x80000, 0xbffe0, 1), r(0x100000, 0x140000, 1)];

describe('cmdline_parse_core (kernelcore=, movablecore=)', () => {
  test('parse_size_then_percent_keeps_core_and_sets_percent', () => {
    // expect: the size form sets *core (pages) and clears *percent; the percent form sets only *percent
    const p = cmdlineParseCore(parseParams('kernelcore=512M kernelcore=30% movablecore=0x10000000'), 64);
    expect(p).toEqual(req({ requiredKernelcore: 0x20000n, requiredKernelcorePercent: 30n, requiredMovablecore: 0x10000n }));
  });

  test('parse_percent_then_size_clears_percent', () => {
    // expect: a later size replaces an earlier percentage
    expect(cmdlineParseCore(parseParams('movablecore=25% movablecore=1G'), 64)).toEqual(req({ requiredMovablecore: 0x40000n }));
  });

  test('parse_stops_at_double_dash', () => {
    // expect: parse_args() stops at "--": what follows goes to init, not to the early params
    expect(cmdlineParseCore(parseParams('quiet -- kernelcore=1G'), 64)).toEqual(NO_CORE_REQUEST);
  });

  test.each([
    ['kernelcore=mirror', /kernelcore=mirror/],
    ['kernelcore', /Malformed early option/],
    ['movablecore=1Gx', /nothing after it/],
    ['movablecore=mirror', /nothing after it/],
    ['kernelcore=150%', /WARN_ON\(coremem > 100\)/],
  ])('refuse_%s', (arg, why) => {
    // expect: forms the model does not follow are refused with the kernel's reason
    expect(coreParamRefusal(arg, 64)).toMatch(why);
    expect(simErrorCode(() => cmdlineParseCore(parseParams(arg), 64))).toBe('SIM_NOT_MODELLED');
  });

  test.each([
    ['kernelcore=mirror,foo', 'mirror'],
    ['movablecore=', 'malformed'],
    ['kernelcore=0x%', 'malformed'],
    ['movablecore=101%', 'percent_over_100'],
    ['kernelcore=16T', 'pages_over_ulong'],
    ['kernelcore=0x40000000', undefined],
    ['movablecore=010%', undefined],
  ] as const)('problem_%s', (arg, want) => {
    // expect: each refused form has its own reason (the envelope names that one); 32-bit unsigned long
    expect(coreParamProblem(arg, 32)).toBe(want);
  });

  test('refuse_size_past_ulong_max_pages_on_32_bit_only', () => {
    // expect: 32T is 2^33 pages: more than an i386 unsigned long holds, fine on x86_64
    expect(coreParamRefusal('kernelcore=32T', 32)).toMatch(/ULONG_MAX/);
    expect(coreParamRefusal('kernelcore=32T', 64)).toBeUndefined();
    expect(coreParamRefusal('kernelcore=100%', 32)).toBeUndefined();
  });
});

describe('find_usable_zone_for_movable', () => {
  test.each([
    ['x86_64 below 4G: Normal is empty, DMA32', PC_2G, 'DMA32'],
    ['x86_64 above 4G: Normal', PC_4G, 'Normal'],
    ['i386 with highmem: HighMem', [lim('DMA', 1, 0x1000), lim('Normal', 0x1000, 0x36ffe), lim('HighMem', 0x36ffe, 0xbffe0), lim('Movable', 0, 0)], 'HighMem'],
    ['i386 512M: HighMem empty, Normal', [lim('DMA', 1, 0x1000), lim('Normal', 0x1000, 0x1ffe0), lim('HighMem', 0x1ffe0, 0x1ffe0), lim('Movable', 0, 0)], 'Normal'],
  ])('usable_zone %s', (_n, limits, want) => {
    // expect: the highest zone other than Movable whose arch range is not empty
    expect(limits[findUsableZoneForMovable(limits)]!.name).toBe(want);
  });
});

describe('find_zone_movable_pfns_for_nodes', () => {
  test('kernelcore_1g_of_2g_one_node', () => {
    // expect: the pages below DMA32's lowest pfn count as kernelcore, the rest of 1G is taken from
    // DMA32, and the end is rounded up to MAX_ORDER_NR_PAGES:
    //   0x1000 + (262144 − 158 − 3840) = 0x40062 → 0x40400
    //   pfn: 1 . 0x9f  0x100 ... 0x1000 ............ 0x40400 ............ 0x7ffe0
    //        |kernel|  |kernel |   DMA32 (kernel)   |  Movable           |
    const z = findZoneMovablePfnsForNodes(PC_2G, PC_2G_MEM, req({ requiredKernelcore: 0x40000n }), 64);
    expect(z.movableZone).toBe('DMA32');
    expect(z.zoneMovablePfn).toEqual([{ nid: 0, pfn: 0x40400n }]);
  });

  test('movablecore_25pct_two_nodes_kernelcore_below_4g', () => {
    // expect: movablecore 25% of 1048446 pages = 262111, rounded up to 262144; kernelcore the rest;
    // every pfn below Normal's start (4G) counts as kernelcore, so node 1's Movable starts at 4G and
    // node 0 keeps none (its pushed zone_movable_pfn is its end)
    const z = findZoneMovablePfnsForNodes(PC_4G, PC_4G_NUMA2, req({ requiredMovablecorePercent: 25n }), 64);
    expect(z.movableZone).toBe('Normal');
    expect(z.zoneMovablePfn).toEqual([{ nid: 1, pfn: 0x100000n }]);
  });

  test('kernelcore_restart_pass_on_fewer_nodes', () => {
    // expect: node 0 (1G, all below 4G) cannot take its half of 2G; the second pass, on one node,
    // gives node 1 the 0x100 pages left: 0x140000 + 0x100 → rounded up to 0x140400
    //   node 0: [0x100, 0x40000) kernel      node 1: [0x100000 ... 0x140400 | Movable ... 0x200000)
    const limits = [lim('DMA', 1, 0x1000), lim('DMA32', 0x1000, 0x100000), lim('Normal', 0x100000, 0x200000), lim('Movable', 0, 0)];
    const z = findZoneMovablePfnsForNodes(limits, [r(0x100, 0x40000), r(0x100000, 0x200000, 1)], req({ requiredKernelcore: 0x80000n }), 64);
    expect(z.zoneMovablePfn).toEqual([{ nid: 1, pfn: 0x140400n }]);
  });

  test.each([
    ['none given', NO_CORE_REQUEST],
    ['kernelcore at least totalpages', req({ requiredKernelcore: 0x80000n })],
    ['kernelcore=0', req({ requiredKernelcore: 0n })],
    ['movablecore=0', req({ requiredMovablecore: 0n })],
  ])('no_zone_movable_%s', (_n, request) => {
    // expect: "If kernelcore was not specified or kernelcore size is larger than totalpages, there is no ZONE_MOVABLE"
    expect(findZoneMovablePfnsForNodes(PC_2G, PC_2G_MEM, request, 64).zoneMovablePfn).toEqual([]);
  });

  test('percent_wraps_in_32_bit_unsigned_long', () => {
    // expect: (totalpages * 100 * percent) / 10000UL in an i386 unsigned long: 0x180000 pages × 100 × 50
    // = 7864320000 wraps to 3569352704, so kernelcore=50% asks for 356935 pages, not 786432
    const limits = [lim('DMA', 0, 0x1000), lim('Normal', 0x1000, 0x36ffe), lim('HighMem', 0x36ffe, 0x180000), lim('Movable', 0, 0)];
    const mem = [r(0, 0x180000)];
    const on32 = findZoneMovablePfnsForNodes(limits, mem, req({ requiredKernelcorePercent: 50n }), 32);
    const on64 = findZoneMovablePfnsForNodes(limits, mem, req({ requiredKernelcorePercent: 50n }), 64);
    // 356935 = 0x57247 → rounded up to 0x57400; 786432 = 0xc0000
    expect(on32.zoneMovablePfn).toEqual([{ nid: 0, pfn: 0x57400n }]);
    expect(on64.zoneMovablePfn).toEqual([{ nid: 0, pfn: 0xc0000n }]);
  });
});

describe('adjust_zone_range_for_zone_movable', () => {
  test.each([
    // [zone, zone_movable_pfn, zone range, expect]
    ['Movable', 0x40400, [0, 0], [0x40400, 0x7ffe0]], // from zone_movable_pfn to min(node end, movable_zone's high)
    ['DMA32', 0x40400, [0x1000, 0x7ffe0], [0x1000, 0x40400]], // starts below it: ends there
    ['Normal', 0x100000, [0x100000, 0x140000], [0x140000, 0x140000]], // wholly above it: emptied
    ['DMA', 0x40400, [1, 0x1000], [1, 0x1000]], // below it: unchanged
    ['DMA32', undefined, [0x1000, 0x7ffe0], [0x1000, 0x7ffe0]], // no ZONE_MOVABLE on the node
  ] as const)('adjust_%s_%#', (zone, zmp, [s, e], [ws, we]) => {
    const got = adjustZoneRangeForZoneMovable(zone, zmp === undefined ? undefined : BigInt(zmp), 0x7ffe0n, 0x7ffe0n, BigInt(s), BigInt(e));
    expect(got).toEqual({ startPfn: BigInt(ws), endPfn: BigInt(we) });
  });
});

describe('free_area_init with ZONE_MOVABLE (computeZones)', () => {
  const X64: ZonesInput = {
    zones: ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'], memory: PC_2G_MEM, maxLowPfn: 0x7ffe0n, maxPfn: 0x7ffe0n,
    structPageBytes: 64n, memoryModel: 'sparsemem', sectionSizeBits: 27, chargesMemmap: true, dmaReserve: 0n, maxMapnr: 0n,
    unavailableCounted: true, flatmemTailRound: undefined,
  };
  test('zones_kernelcore_1g_splits_dma32', () => {
    // expect: DMA32 ends at 0x40400, Movable spans the rest of the node; both count as kernel pages on x86_64
    const z = computeZones({ ...X64, coreRequest: req({ requiredKernelcore: 0x40000n }) });
    const byName = new Map(z.nodes[0]!.zones.map((x) => [x.name, x]));
    expect([byName.get('DMA32')!.startPfn, byName.get('DMA32')!.spannedPages]).toEqual([0x1000n, 0x40400n - 0x1000n]);
    expect([byName.get('Movable')!.startPfn, byName.get('Movable')!.spannedPages, byName.get('Movable')!.presentPages]).toEqual([0x40400n, 0x7ffe0n - 0x40400n, 0x7ffe0n - 0x40400n]);
    const plain = computeZones(X64);
    // the memmap of two zones instead of one: each rounded up to a page
    expect(z.nrKernelPages).toBeLessThanOrEqual(plain.nrKernelPages);
    expect(plain.nrKernelPages - z.nrKernelPages).toBeLessThanOrEqual(1n);
    // memmap_init: the tail hole after 0x7ffe0 goes to the last zone with pages, Movable
    expect(z.unavailable.map((u) => u.zone)).toEqual(['DMA', 'DMA', 'Movable']);
  });

  const I386_510: ZonesInput = {
    zones: ['DMA', 'Normal', 'HighMem', 'Movable'], memory: [r(1, 0x9f), r(0x100, 0xbffe0)], maxLowPfn: 0x36ffen, maxPfn: 0xbffe0n,
    structPageBytes: 40n, memoryModel: 'flatmem', sectionSizeBits: 29, chargesMemmap: true, dmaReserve: 0n, maxMapnr: 0xbffe0n,
    unavailableCounted: false, flatmemTailRound: undefined, wordBits: 32, movableHighmem: 'constant',
  };
  test('zones_i386_movable_from_highmem_is_highmem', () => {
    // expect: movablecore=512M: Movable [0xa0000, 0xbffe0) out of HighMem, no memmap charged (is_highmem_idx)
    const z = computeZones({ ...I386_510, coreRequest: req({ requiredMovablecore: 0x20000n }) });
    const m = z.nodes[0]!.zones.find((x) => x.name === 'Movable')!;
    expect([m.startPfn, m.spannedPages, m.managedAtInit]).toEqual([0xa0000n, 0x1ffe0n, 0x1ffe0n]);
    expect(z.nodes[0]!.zones.find((x) => x.name === 'HighMem')!.spannedPages).toBe(0xa0000n - 0x36ffen);
  });

  test('zones_i386_510_movable_from_lowmem_refused', () => {
    // expect: 5.10 without HighMem: zone_movable_is_highmem() is still the constant true, refused
    const low: ZonesInput = { ...I386_510, memory: [r(1, 0x9f), r(0x100, 0x1ffe0)], maxLowPfn: 0x1ffe0n, maxPfn: 0x1ffe0n, maxMapnr: 0x1ffe0n };
    expect(simErrorCode(() => computeZones({ ...low, coreRequest: req({ requiredMovablecore: 0x8000n }) }))).toBe('SIM_NOT_MODELLED');
    expect(simErrorCode(() => computeZones({ ...low, movableHighmem: 'movable_zone', coreRequest: req({ requiredMovablecore: 0x8000n }) }))).toBeUndefined();
  });
});
