// The 2.6.11 x86_64 pipeline (sim/stages/old/pipeline-2611.ts stages2611x86_64) end to end on the prebuilt, its
// numbers hand-derived from 2.6.11's source (not from a log): find_e820_area() and the direct-mapping tables,
// the struct sizes laid out by hand, the bootmem pages of a 128M boot, the swiotlb placement, the per-CPU lists,
// the envelope's refusals, the harness's choice of pipeline and the catalog's view of every line.
import { describe, expect, test } from 'vitest';
import { simulate2611, stages2611x86_64 } from '../../../../sim/stages/old/pipeline-2611.ts';
import { directMappingPages2611, e820Mapped2611 } from '../../../../sim/stages/old/setup-2611.ts';
import { findE820Area2611, findNorthbridge2611, k8MiscFunction2611 } from '../../../../sim/stages/old/setup-memory-2611-x86_64.ts';
import { swiotlbWanted2611 } from '../../../../sim/stages/old/start-kernel-2611-x86_64.ts';
import { BUS0_FUNCTIONS, pciIdRegister } from '../../../../sim/firmware/qemu-7.2-pci.ts';
import { pgdatSize2611x64, vcData2611, vtStruct2611, waitQueueHead2611 } from '../../../../sim/stages/old/sizes-2611.ts';
import { context30, kernel30Of, type Boot30Context } from '../../../../sim/stages/old/context-30.ts';
import { E820_RAM, E820_RESERVED } from '../../../../sim/firmware/qemu-7.2.ts';
import { simulateSpec } from '../../../../harness/simulate.ts';
import { classifyLine } from '../../../../harness/catalog/classify.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

/** The kept options of the prebuilt's .config that these stages read (goldens/kernels/2.6.11-x86_64.yaml). */
const CONFIG: Readonly<Record<string, string>> = {
  '64BIT': 'y', X86_64: 'y', SMP: 'y', NR_CPUS: '8', NUMA: 'y', NUMA_EMU: 'y', MODULES: 'y', PREEMPT: 'y', DEBUG_SPINLOCK: 'y',
  GART_IOMMU: 'y', SWIOTLB: 'y', IOMMU_DEBUG: 'y', ACPI: 'y', ACPI_SLEEP: 'y', K8_NUMA: 'y', X86_L1_CACHE_SHIFT: '7', X86_LOCAL_APIC: 'y', X86_IO_APIC: 'y', VT: 'y', HW_CONSOLE: 'y', VGA_CONSOLE: 'y', DUMMY_CONSOLE: 'y',
};
/** Its System.map symbols (virtual − 0xffffffff80000000). */
const SYMBOLS: Readonly<Record<string, number>> = {
  _text: 0x100000, _etext: 0x37ce48, _edata: 0x52be98, __init_begin: 0x5e2000, __init_end: 0x617000, __per_cpu_start: 0x60f0a0, __per_cpu_end: 0x616960, _end: 0x618000,
  wakeup_start: 0x118b80, wakeup_end: 0x119b70,
};
const spec = (o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel: '2.6.11-x86_64', machine: 'pc', memoryBytes: 2 ** 27, memoryText: '128M', cpus: 1, cpu: 'core2duo', numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctx = (o: Partial<MachineSpec> = {}, config: Readonly<Record<string, string>> = CONFIG): Boot30Context =>
  context30(spec(o), kernel30Of({ id: '2.6.11-x86_64', arch: 'x86_64', release: '2.6.11' }, { config, loadOffset: '0xffffffff80000000', symbols: SYMBOLS }));
const texts = (o: Partial<MachineSpec> = {}): string[] => simulate2611(ctx(o)).lines.map((l) => l.text);
const ram = (addr: bigint, size: bigint) => ({ addr, size, type: E820_RAM });
const res = (addr: bigint, size: bigint) => ({ addr, size, type: E820_RESERVED });
// pc 128M after copy_e820_map(): RAM to 0x9fc00 and 1M–0x7fe0000, the EBDA, the F segment, QEMU's top 128K and the BIOS ROM
const PC_128M = [ram(0n, 0x9fc00n), res(0x9fc00n, 0x400n), res(0xf0000n, 0x10000n), ram(0x100000n, 0x7ee0000n), res(0x7fe0000n, 0x20000n), res(0xfffc0000n, 0x40000n)];

describe('init_memory_mapping and find_e820_area of 2.6.11 x86_64', () => {
  test('mapped_touching: expect e820_mapped() to count an entry that ends exactly at the start', () => {
    expect(e820Mapped2611(PC_128M, 0x8000000n, 0x9000000n)).toBe(true);
    expect(e820Mapped2611(PC_128M, 0x40000000n, 0x80000000n)).toBe(false);
  });
  test('direct_mapping_pages: expect one PUD page and a PMD page for each mapped 1G below end_pfn_map', () => {
    // 0–4G: GB 0 (RAM) and GB 3 (the BIOS ROM entry) mapped, GB 1 and 2 empty → 1 + 2
    expect(directMappingPages2611(PC_128M, 1n << 32n)).toBe(3n);
    // a 1G pc: the reserved top 128K ends exactly at 1G, so GB 1 is mapped too → 1 + 3
    expect(directMappingPages2611([ram(0x100000n, 0x3fee0000n), res(0x3ffe0000n, 0x20000n), res(0xfffc0000n, 0x40000n)], 1n << 32n)).toBe(4n);
  });
  test('find_e820_area_bad_addr: expect the candidate moved past 0x8000, then the tables, then the kernel from 640K', () => {
    const tables = { start: 0x8000n, end: 0xb000n };
    //   0      0x8000  0xb000   0xe000         640K   1M        0x618000
    //   |gunk  |tables |pgdat   |...           |      |kernel   |
    expect(findE820Area2611(PC_128M, 0n, 0x7fe0000n, 0x3000n, tables, 0x618000n)).toBe(0xb000n);
    // 0x9f000 bytes cannot fit below 640K once past the tables: the next RAM entry, past _end
    expect(findE820Area2611(PC_128M, 0n, 0x7fe0000n, 0x9f000n, tables, 0x618000n)).toBe(0x618000n);
    expect(findE820Area2611(PC_128M, 0n, 0x7fe0000n, 0x8000000n, tables, 0x618000n)).toBeUndefined();
  });
});

describe('struct sizes of the prebuilt', () => {
  test('hand_layouts: expect the x86_64 SMP spinlock (12 bytes) to make wait_queue_head_t 32 and vt_struct 56; vc_data 392', () => {
    expect([waitQueueHead2611(ctx()), vtStruct2611(ctx()), vcData2611(ctx())]).toEqual([32n, 56n, 392n]);
  });
  test('pgdat_three_pages: expect pg_data_t between 8K and 12K (three zones of 1792, three zonelists of 193 pointers)', () => {
    const n = pgdatSize2611x64(ctx(), 8n);
    expect(n).toBe(10240n);
  });
  test('pgdat_cache_line_from_config: expect a 64-byte L1 (CONFIG_X86_L1_CACHE_SHIFT 6) to lay pg_data_t out in 9792 bytes', () => {
    // zone: 56 → 64, eight 128-byte pagesets to 1088, lock 1100, free_area to 1368, pad 1408 + lock 1420, lists and
    // counters 1424 + 84 = 1508, pad 1536 + 72 = 1608 → 1664; pgdat: 3 × 1664 + 3 × 193 × 8 = 9624, nr_zones 9628,
    // five longs 9632 + 40 + node_id 9676, pgdat_next, kswapd_wait (32), kswapd, kswapd_max_order 9680 + 52 = 9732 → 9792
    expect(pgdatSize2611x64(ctx({}, { ...CONFIG, X86_L1_CACHE_SHIFT: '6' }), 8n)).toBe(9792n);
  });
  test('up_refused: expect a UP x86_64 build refused (its spinlock_t is not laid out)', () => {
    const { SMP: _smp, ...up } = CONFIG;
    expect(simErrorCode(() => simulate2611(ctx({}, up)))).toBe('SIM_NOT_MODELLED');
  });
});

describe('the 2.6.11 x86_64 pipeline, pc 128M', () => {
  const lines = texts();
  test('node_lines: expect the dummy node over [0, end_pfn) and bootmem from 0', () => {
    expect(lines).toContain('No NUMA configuration found');
    expect(lines).toContain('Faking a node at 0000000000000000-0000000007fe0000');
    expect(lines).toContain('Bootmem setup node 0 0000000000000000-0000000007fe0000');
  });
  test('hashes: expect pidhash fls(127 MB × 4) = 9 with 8-byte hlist heads, and the doubled powers of two', () => {
    expect(lines).toContain('PID hash table entries: 512 (order: 9, 16384 bytes)');
    expect(lines).toContain('Dentry cache hash table entries: 32768 (order: 6, 262144 bytes)');
    expect(lines).toContain('Inode-cache hash table entries: 16384 (order: 5, 131072 bytes)');
  });
  test('swiotlb_after_the_goal_allocations: expect the 32M low-pages buffer at the first 8192 free pages from pfn 0', () => {
    // From 16M (pfn 0x1000): mem_map (32737 × 56 bytes: 448 pages, 2360 bytes in the last) with the DMA (16 × 32)
    // and Normal (128 × 32) wait tables spilling into 0x11c0, the fixmap PMD and PTE pages 0x11c1–0x11c2, eight
    // 32K per-CPU copies 0x11c3–0x1202, four 4K pid hashes to 0x1206, con_init's 392 + 56 + 4000 bytes over
    // 0x1207–0x1208, Dentry (64 pages from offset 640 of 0x1208) and Inode (32 more) to 0x1268. Below 16M the
    // largest free run is 0x618–0xfff (2536 pages): too small, so the buffer starts at 0x1269.
    expect(lines).toContain('Placing software IO TLB between 0x1269000 - 0x3269000');
  });
  test('memory_line: expect the freed pages less the per-CPU lists, derived by hand', () => {
    // RAM pfns 0–0x9e and 0x100–0x7fdf: 32639. Set: pages 0, 1 (SMP), 2 (wakeup), 3 (the six resources), 6
    // (trampoline), 8–10 (tables), 11–13 (pgdat), 14 (bitmap), 15–22 (the swiotlb overflow buffer): 20; the kernel
    // 0x100–0x617: 1304; from 16M to 0x1268 (see above) 617, the swiotlb 8192, io_tlb_list 16 and io_tlb_orig_addr 32
    // to 0x3298: 8857. Freed 32639 − 10181 + the bitmap page = 22459. Order-0 frees: DMA 44 + 31 + 40 in partial
    // 64-pfn words + the bitmap = 116 at batch 1 (high 6) → 6 kept; Normal 39 after 0x3298 + the last 32 pfns =
    // 71 at batch 6 (high 36) → 35 kept. 22459 − 41 = 22418 pages = 89672k; end_pfn 0x7fe0 = 130944k.
    expect(lines.find((l) => l.startsWith('Memory:'))).toBe('Memory: 89672k/130944k available (2547k kernel code, 0k reserved, 1724k data, 212k init)');
  });
  test('kern_debug_hidden: expect no totalpages or zone lines (KERN_DEBUG under console_loglevel 7)', () => {
    expect(lines.filter((l) => l.startsWith('On node') || / zone: /.test(l))).toEqual([]);
  });
  test('aps: expect one "Initializing CPU#N" per application processor after Memory:', () => {
    const l = texts({ cpus: 3 });
    const m = l.findIndex((x) => x.startsWith('Memory:'));
    expect(l.slice(m + 1)).toEqual(['Initializing CPU#1', 'Initializing CPU#2']);
    expect(l.filter((x) => x === 'Initializing CPU#0')).toHaveLength(1);
  });
  test('above_4g: expect the node and memmap to span the hole (physpages 5G for 3G + 2G above 4G)', () => {
    const l = texts({ memoryBytes: 4 * 2 ** 30, memoryText: '4G' });
    expect(l).toContain('Faking a node at 0000000000000000-0000000140000000');
    expect(l.find((x) => x.startsWith('Memory:'))).toMatch(/^Memory: \d+k\/5242880k available /);
  });
});

describe('the build options the prebuilt sets, read from the facts', () => {
  const without = (name: string): Readonly<Record<string, string>> => Object.fromEntries(Object.entries(CONFIG).filter(([k]) => k !== name));
  const memoryKb = (l: readonly string[]): number => Number(/^Memory: (\d+)k/.exec(l.find((x) => x.startsWith('Memory:'))!)![1]);
  test('iommu_debug_unset: expect no swiotlb below 4G without force_iommu, its 32M + 48K + 32K and 4 pages the per-CPU lists no longer keep back in Memory:; above 4G swiotlb either way', () => {
    const l = simulate2611(ctx({}, without('IOMMU_DEBUG'))).lines.map((x) => x.text);
    expect(l.filter((x) => x.startsWith('Placing software IO TLB'))).toEqual([]);
    // 8192 slab pages, io_tlb_list 16 and io_tlb_orig_addr 32 pages, the 8-page overflow buffer (pfns 15–22) come back.
    // The per-CPU lists: DMA's order-0 frees grow by those 8 to 124, still 6 kept at batch 1; Normal's last allocation
    // (the Inode hash) now ends in pfn 0x1268, not 0x3298, so 0x1269–0x127f (23) + the last 32 pfns = 55 order-0 frees
    // at batch 6 keep 31 + (55 − 37) mod 6 = 31, not 35: 4 pages more in nr_free_pages()
    expect(memoryKb(l) - memoryKb(texts())).toBe((8192 + 16 + 32 + 8 + 4) * 4);
    const big = { memoryBytes: 4 * 2 ** 30, memoryText: '4G' };
    expect(simulate2611(ctx(big, without('IOMMU_DEBUG'))).lines.some((x) => x.text.startsWith('Placing software IO TLB'))).toBe(true);
    expect(swiotlbWanted2611(ctx({}, without('IOMMU_DEBUG')), 0xffffen)).toBe(false);
    expect(swiotlbWanted2611(ctx({}, without('IOMMU_DEBUG')), 0xfffffn)).toBe(true);
    expect(swiotlbWanted2611(ctx({}, without('SWIOTLB')), 0x140000n)).toBe(false);
  });
  test('acpi_sleep_unset: expect no wakeup page from alloc_bootmem_low, one page more in Memory:', () => {
    const l = simulate2611(ctx({}, without('ACPI_SLEEP'))).lines.map((x) => x.text);
    expect(memoryKb(l) - memoryKb(texts())).toBe(4);
  });
  test('acpi_sleep_wakeup_too_big: expect wakeup code past one page refused with the KERN_CRIT line named', () => {
    const big = context30(spec(), kernel30Of({ id: '2.6.11-x86_64', arch: 'x86_64', release: '2.6.11' }, { config: CONFIG, loadOffset: '0xffffffff80000000', symbols: { ...SYMBOLS, wakeup_end: SYMBOLS.wakeup_start! + 0x1001 } }));
    expect(simErrorCode(() => simulate2611(big))).toBe('SIM_NOT_MODELLED');
    expect(() => simulate2611(big)).toThrow(/Wakeup code way too big/);
    const { wakeup_start: _s, ...noSym } = SYMBOLS;
    expect(() => simulate2611(context30(spec(), kernel30Of({ id: '2.6.11-x86_64', arch: 'x86_64', release: '2.6.11' }, { config: CONFIG, loadOffset: '0xffffffff80000000', symbols: noSym })))).toThrow(/facts\.symbols\.wakeup_start/);
  });
  test.each(['pc', 'q35'] as const)('k8_numa_either_way_%s: expect the same lines with and without K8_NUMA: find_northbridge() finds no AMD 1022:1100 on the board', (machine) => {
    expect(findNorthbridge2611(BUS0_FUNCTIONS[machine])).toBe(-1);
    expect(k8MiscFunction2611(BUS0_FUNCTIONS[machine])).toBe(false);
    expect(simulate2611(ctx({ machine }, without('K8_NUMA'))).lines.map((x) => x.text)).toEqual(texts({ machine }));
  });
  test('k8_northbridge_found: expect a K8 at slot 0x18 found by both scans, and a board with one refused', () => {
    // an Opteron's bus 0: HyperTransport 18.0, address map 18.1, DRAM 18.2, misc 18.3
    const k8 = [0x1100, 0x1101, 0x1102, 0x1103].map((device, func) => ({ slot: 0x18, func, vendor: 0x1022, device }));
    expect(pciIdRegister(k8, 0x18, 3)).toBe(0x11031022);
    expect(pciIdRegister(k8, 0x19, 0)).toBe(0xffffffff);
    expect(findNorthbridge2611(k8)).toBe(0x18);
    expect(k8MiscFunction2611(k8)).toBe(true);
    expect(findNorthbridge2611(k8.filter((f) => f.func !== 1))).toBe(-1);
  });
});

describe('the envelope and the qemu64 panic', () => {
  test.each([
    ['cmdline', { cmdline: 'mem=512M' }, /cmdline: mem=512M is not modelled for 2.6.11 x86_64/],
    ['probe', { probe: 'state' as const }, /probe: state/],
    ['cpus', { cpus: 9 }, /cpus: 9 above CONFIG_NR_CPUS 8/],
  ])('refuses_%s: expect a coded refusal naming it', (_n, o, re) => {
    expect(simErrorCode(() => simulate2611(ctx(o)))).toBe('SIM_NOT_MODELLED');
    expect(() => simulate2611(ctx(o))).toThrow(re);
  });
  test('qemu64_panics_core2duo_boots: expect the AMD default vCPU refused with the page-table panic, core2duo simulated to Memory:', () => {
    expect(() => simulate2611(ctx({ cpu: undefined }))).toThrow(/Cannot find space for the kernel page tables/);
    expect(texts().some((l) => l.startsWith('Memory:'))).toBe(true);
  });
});

describe('the harness and the catalog', () => {
  test('pipeline_chosen: expect simulateSpec to run the x86_64 stages for the prebuilt', () => {
    expect(simulateSpec(spec()).find((l) => l.fmt === 'mem.summary_legacy_x86_64')).toBeDefined();
    expect(stages2611x86_64[0]?.name).toBe('envelope2611x64');
  });
  test('lines_classify: expect every line to parse as the family it declares on 2.6.11 x86_64', () => {
    for (const l of simulate2611(ctx({ memoryBytes: 4 * 2 ** 30, memoryText: '4G', cpus: 2 })).lines) {
      const c = classifyLine(l.text, { version: '2.6.11', arch: 'x86_64' });
      expect(c.cls === 'catalog' ? c.family?.id : c.cls, l.text).toBe(l.fmt);
    }
  });
});
