// setup_arch() of the 2.6.11 x86_64 prebuilt after init_memory_mapping() (wyangsc/linux-2.6.11_bzImage_vmlinux,
// arch/x86_64/kernel/setup.c, CONFIG_DISCONTIGMEM, no ACPI_NUMA): numa_initmem_init() with no NUMA found
// (arch/x86_64/mm/numa.c: K8_NUMA's northbridge scan, the dummy node, setup_node_bootmem()'s pgdat and bitmap placed by
// find_e820_area(), e820_bootmem_free()), the reserve_bootmem_generic() calls in setup_arch()'s order,
// acpi_reserve_bootmem(), paging_init() → setup_node_zones() → free_area_init_node() (mem_map, wait tables),
// the fixmap page tables the first set_fixmap() takes (spp_getpage), e820_reserve_resources() and
// iommu_hole_init()'s "Checking aperture...".
import type { Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import { E820_RAM, type E820Entry } from '../../firmware/qemu-7.2.ts';
import { BUS0_FUNCTIONS, pciIdRegister, type PciFunctionId } from '../../firmware/qemu-7.2-pci.ts';
import { SEABIOS } from '../../firmware/seabios.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { legacy2611Of, need2611, type Bootmem2611, type Zone2611 } from './state-2611.ts';
import { allocBootmem2611, freeBootmem2611, initBootmem2611, reserveBootmem2611 } from './bootmem-2611.ts';
import { MAX_DMA_PA_2611, cacheBytes2611, waitTableSize2611, zoneBatch2611 } from './setup-memory-2611.ts';
import { pgdatSize2611x64, structPage2611, structResource2611, waitQueueHead2611 } from './sizes-2611.ts';

const WHERE = 'setup_arch (2.6.11 x86_64)';
const line = (stage: string, fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage, fmt, text, ...(explain ? { explain } : {}) });
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });
const x16 = (v: bigint): string => v.toString(16).padStart(16, '0');
const roundUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/** HIGH_MEMORY (include/asm-x86_64/e820.h, 2.6.11): 1M, where setup_arch()'s kernel reservation starts. */
const HIGH_MEMORY = 0x100000n;
/** SMP_TRAMPOLINE_BASE (include/asm-x86_64/smp.h, 2.6.11). */
const SMP_TRAMPOLINE_BASE = 0x6000n;
/** ZONE_ALIGN (arch/x86_64/mm/numa.c, 2.6.11: 1 << (MAX_ORDER + PAGE_SHIFT)): the node start is rounded up to it. */
const ZONE_ALIGN = 1n << (11n + PAGE_SHIFT);

/** PCI_VENDOR_ID_AMD (include/linux/pci_ids.h, 2.6.11). */
const PCI_VENDOR_ID_AMD = 0x1022;

/**
 * find_northbridge() (arch/x86_64/mm/k8topology.c, 2.6.11): the first slot of bus 0 whose function 0 reads
 * AMD 0x1100 and function 1 AMD 0x1101 (the K8 HyperTransport and address-map functions), or −1. QEMU's boards
 * have no AMD function (firmware/qemu-7.2-pci.ts BUS0_FUNCTIONS), so −1 and k8_scan_nodes() returns it silently.
 */
export function findNorthbridge2611(fns: readonly PciFunctionId[]): number {
  for (let num = 0; num < 32; num++) {
    if (pciIdRegister(fns, num, 0) !== ((0x1100 << 16) | PCI_VENDOR_ID_AMD)) continue;
    if (pciIdRegister(fns, num, 1) !== ((0x1101 << 16) | PCI_VENDOR_ID_AMD)) continue;
    return num;
  }
  return -1;
}

/**
 * iommu_hole_init()'s scan (arch/x86_64/kernel/aperture.c, 2.6.11): whether any of slots 24–31 of bus 0 reads
 * NB_ID_3 (AMD 0x1103, the K8 misc function 3) and so sets iommu_aperture. None on QEMU's boards.
 */
export function k8MiscFunction2611(fns: readonly PciFunctionId[]): boolean {
  for (let num = 24; num < 32; num++) if (pciIdRegister(fns, num, 3) === ((0x1103 << 16) | PCI_VENDOR_ID_AMD)) return true;
  return false;
}

/** NR_CPUS of the build (the pagesets in struct zone, setup_per_cpu_areas()'s copies), or a coded refusal. */
export function nrCpus2611(ctx: Parameters<Stage30Fn>[1]): bigint {
  const n = kernelConfig(ctx.kernel, 'NR_CPUS');
  if (n === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_NR_CPUS: expected it in the kernel facts, found none');
  return BigInt(n);
}

/**
 * bad_addr() (arch/x86_64/kernel/e820.c, 2.6.11): the SMP gunk below 0x8000, the direct-mapping tables
 * [table_start, table_end) and the kernel from 640K to _end (no initrd: the build has no BLK_DEV_INITRD)
 * move the candidate past them; undefined when it is not bad.
 */
function badAddr(addr: bigint, size: bigint, tables: { readonly start: bigint; readonly end: bigint }, kernelEnd: bigint): bigint | undefined {
  const last = addr + size;
  if (addr < 0x8000n) return 0x8000n;
  if (last >= tables.start && addr < tables.end) return tables.end;
  if (last >= 640n * 1024n && addr < kernelEnd) return kernelEnd;
  return undefined;
}

/**
 * find_e820_area(start, end, size) (arch/x86_64/kernel/e820.c, 2.6.11): the first E820_RAM entry, from `start`,
 * where bad_addr() stops moving the candidate and [addr, addr + size) fits in the entry and below `end`.
 */
export function findE820Area2611(table: readonly E820Entry[], start: bigint, end: bigint, size: bigint, tables: { readonly start: bigint; readonly end: bigint }, kernelEnd: bigint): bigint | undefined {
  for (const e of table) {
    if (e.type !== E820_RAM) continue;
    let addr = e.addr < start ? start : e.addr;
    const eEnd = e.addr + e.size;
    if (addr > eEnd) continue;
    for (;;) {
      const moved = badAddr(addr, size, tables, kernelEnd);
      if (moved === undefined) break;
      addr = moved;
      if (!(addr + size < eEnd)) break;
    }
    const last = addr + size;
    if (last > eEnd || last > end) continue;
    return addr;
  }
  return undefined;
}

/**
 * e820_bootmem_free(pgdat, start, end) (arch/x86_64/kernel/e820.c, 2.6.11): each E820_RAM entry overlapping
 * the node, page-rounded inwards and clipped to it, freed when at least a page is left.
 */
function e820BootmemFree(bm: Bootmem2611, table: readonly E820Entry[], start: bigint, end: bigint): Bootmem2611 {
  let b = bm;
  for (const e of table) {
    if (e.type !== E820_RAM || e.addr + e.size <= start || e.addr > end) continue;
    let addr = roundUp(e.addr, PAGE_SIZE);
    if (addr < start) addr = start;
    let last = ((e.addr + e.size) >> PAGE_SHIFT) << PAGE_SHIFT;
    if (last >= end) last = end;
    if (last > addr && last - addr >= PAGE_SIZE) b = freeBootmem2611(b, addr, last - addr);
  }
  return b;
}

/**
 * setup_arch() → numa_initmem_init(0, end_pfn) (arch/x86_64/mm/numa.c, 2.6.11): no numa=fake (the envelope
 * refuses parameters), no ACPI_NUMA in the build, and k8_scan_nodes() (built under CONFIG_K8_NUMA) finds no AMD
 * northbridge (findNorthbridge2611), so with K8_NUMA or without it KERN_INFO "No NUMA configuration found" and "Faking a node at %016lx-%016lx", then
 * setup_node_bootmem(0, 0, end_pfn << PAGE_SHIFT): "Bootmem setup node %d %016lx-%016lx" (start rounded up to
 * ZONE_ALIGN), the pgdat (round_up(sizeof(pg_data_t), PAGE_SIZE)) at find_e820_area(start, end), the bitmap
 * (bootmem_bootmap_pages) at find_e820_area() after it, init_bootmem_node(), e820_bootmem_free(), and the
 * pgdat and bitmap reserved.
 */
export const numaInitmemInit2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'numaInitmemInit2611');
  const endPfn = need2611(l.endPfn, 'numaInitmemInit2611', 'endPfn');
  const tables = { start: need2611(l.tableStartPfn, 'numaInitmemInit2611', 'tableStartPfn') << PAGE_SHIFT, end: need2611(l.tableEndPfn, 'numaInitmemInit2611', 'tableEndPfn') << PAGE_SHIFT };
  const kernelEnd = symbol30(ctx, '_end', WHERE);
  const src = 'arch/x86_64/mm/numa.c (2.6.11)';
  const end = endPfn << PAGE_SHIFT;
  const start = roundUp(0n, ZONE_ALIGN);
  if (configEnabled(ctx.kernel, 'K8_NUMA')) {
    const nb = findNorthbridge2611(BUS0_FUNCTIONS[ctx.spec.machine]);
    if (nb >= 0) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_K8_NUMA: k8_scan_nodes() would read the AMD northbridge at 00:${nb.toString(16).padStart(2, '0')} ("Scanning NUMA topology in Northbridge %d"), not modelled`);
  }
  const lines: DmesgLine[] = [
    line('numa', 'numa.none', 'No NUMA configuration found'),
    line('numa', 'numa.fake_legacy', `Faking a node at ${x16(0n)}-${x16(end)}`, { end: [term('end_pfn << PAGE_SHIFT', `0x${end.toString(16)}`, `${src} numa_initmem_init(): e820_end_of_ram(), the end of the last E820_RAM page`)] }),
    line('numa', 'numa.bootmem_setup_legacy', `Bootmem setup node 0 ${x16(start)}-${x16(end)}`),
  ];
  const pgdatBytes = roundUp(pgdatSize2611x64(ctx, nrCpus2611(ctx)), PAGE_SIZE);
  const pgdat = findE820Area2611(l.e820, start, end, pgdatBytes, tables, kernelEnd);
  if (pgdat === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, `no room for the ${pgdatBytes}-byte pgdat (the kernel panics "Cannot find memory pgdat in node 0")`);
  const pages = endPfn - (start >> PAGE_SHIFT);
  const mapPages = ((pages + 7n) / 8n + PAGE_SIZE - 1n) >> PAGE_SHIFT;
  const map = findE820Area2611(l.e820, roundUp(pgdat + pgdatBytes, PAGE_SIZE), end, mapPages << PAGE_SHIFT, tables, kernelEnd);
  if (map === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, `no room for the ${mapPages}-page bootmem bitmap (the kernel panics "Not enough continuous space for bootmap on node 0")`);
  let bm = initBootmem2611(map >> PAGE_SHIFT, endPfn);
  bm = e820BootmemFree(bm, l.e820, start, end);
  bm = reserveBootmem2611(bm, pgdat, pgdatBytes, 'reserve_bootmem_node: NODE_DATA(0)');
  bm = reserveBootmem2611(bm, map, mapPages << PAGE_SHIFT, 'reserve_bootmem_node: the bootmem bitmap');
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines };
};

/**
 * setup_arch()'s reservations after numa_initmem_init() (arch/x86_64/kernel/setup.c, 2.6.11), in order: the
 * direct-mapping tables, the kernel [HIGH_MEMORY, round_up(_end)), page 0, the EBDA page (reserve_ebda_region:
 * the BDA word at 0x40E, SeaBIOS's EBDA segment), SMP's page at 4K and the trampoline page; under CONFIG_ACPI_SLEEP
 * acpi_reserve_bootmem() (arch/x86_64/kernel/acpi/sleep.c): alloc_bootmem_low(PAGE_SIZE) for the wakeup code, with
 * KERN_CRIT "ACPI: Wakeup code way too big" when wakeup_end − wakeup_start exceeds the page (refused); find_smp_config()'s
 * reserve_bootmem_generic() of SeaBIOS's MP floating pointer and config table, both in the F segment, which
 * the e820 marks reserved (bits already set: no page changes).
 */
export const reserveSetupArch2611x64: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'reserveSetupArch2611x64');
  let bm = need2611(l.bootmem, 'reserveSetupArch2611x64', 'bootmem');
  const ts = need2611(l.tableStartPfn, 'reserveSetupArch2611x64', 'tableStartPfn');
  const te = need2611(l.tableEndPfn, 'reserveSetupArch2611x64', 'tableEndPfn');
  bm = reserveBootmem2611(bm, ts << PAGE_SHIFT, (te - ts) << PAGE_SHIFT, 'reserve_bootmem_generic: the direct-mapping tables');
  const kernelEnd = roundUp(symbol30(ctx, '_end', WHERE), PAGE_SIZE);
  bm = reserveBootmem2611(bm, HIGH_MEMORY, kernelEnd - HIGH_MEMORY, 'reserve_bootmem_generic(HIGH_MEMORY, kernel)');
  bm = reserveBootmem2611(bm, 0n, PAGE_SIZE, 'reserve_bootmem_generic(0, PAGE_SIZE): page 0');
  bm = reserveBootmem2611(bm, SEABIOS.EBDA_START, PAGE_SIZE, 'reserve_ebda_region');
  bm = reserveBootmem2611(bm, PAGE_SIZE, PAGE_SIZE, 'reserve_bootmem_generic(PAGE_SIZE): SMP');
  bm = reserveBootmem2611(bm, SMP_TRAMPOLINE_BASE, PAGE_SIZE, 'reserve_bootmem_generic(SMP_TRAMPOLINE_BASE)');
  if (configEnabled(ctx.kernel, 'ACPI_SLEEP')) {
    const code = symbol30(ctx, 'wakeup_end', WHERE) - symbol30(ctx, 'wakeup_start', WHERE);
    if (code > PAGE_SIZE) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_ACPI_SLEEP: the ${code}-byte wakeup code exceeds PAGE_SIZE, so acpi_reserve_bootmem() prints "ACPI: Wakeup code way too big, will crash on attempt to suspend", not modelled`);
    bm = allocBootmem2611(bm, PAGE_SIZE, cacheBytes2611(ctx), 0n, 'acpi_reserve_bootmem: the wakeup page').bm;
  }
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines: [] };
};

/**
 * paging_init() → setup_node_zones(0) (arch/x86_64/mm/numa.c, 2.6.11): ZONE_DMA to __pa(MAX_DMA_ADDRESS) 16M,
 * ZONE_NORMAL to end_pfn, HighMem empty; free_area_init_node(): node_alloc_mem_map() takes
 * alloc_bootmem_node((spanned + 1) × sizeof(struct page)), free_area_init_core() a wait table
 * (wait_table_size × sizeof(wait_queue_head_t)) for each zone with pages. Its KERN_DEBUG "On node 0
 * totalpages" and zone lines stay below console_loglevel 7 (2.6.11 has no loglevel=; "debug" is refused).
 */
export const pagingInit2611x64: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'pagingInit2611x64');
  let bm = need2611(l.bootmem, 'pagingInit2611x64', 'bootmem');
  const endPfn = need2611(l.endPfn, 'pagingInit2611x64', 'endPfn');
  const dmaEnd = MAX_DMA_PA_2611 >> PAGE_SHIFT;
  if (endPfn <= dmaEnd) throw new SimError('SIM_NOT_MODELLED', WHERE, `end_pfn 0x${endPfn.toString(16)} at or below 16M: setup_node_zones() would size ZONE_DMA past the node`);
  const sizes = [dmaEnd, endPfn - dmaEnd, 0n];
  const names = ['DMA', 'Normal', 'HighMem'] as const;
  const align = cacheBytes2611(ctx);
  bm = allocBootmem2611(bm, (endPfn + 1n) * structPage2611(ctx), align, MAX_DMA_PA_2611, 'node_alloc_mem_map').bm;
  const zones: Zone2611[] = [];
  let start = 0n;
  sizes.forEach((size, j) => {
    const name = names[j]!;
    zones.push({ name, startPfn: start, size, batch: zoneBatch2611(size) });
    if (size !== 0n) bm = allocBootmem2611(bm, waitTableSize2611(size) * waitQueueHead2611(ctx), align, MAX_DMA_PA_2611, `${name} wait table`).bm;
    start += size;
  });
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm, zones, nrKernelPages: endPfn, nrAllPages: endPfn }), lines: [] };
};

/**
 * setup_arch() → acpi_boot_init() → … mp_register_lapic_address() / mp_register_ioapic(): the first
 * set_fixmap_nocache() (arch/x86_64/mm/init.c set_pte_phys) finds level3_kernel_pgt's last PUD entry empty
 * (arch/x86_64/kernel/head.S, 2.6.11: only entry 510 maps the kernel) and takes a PMD page and a PTE page by
 * spp_getpage() → alloc_bootmem_pages(PAGE_SIZE); every later boot fixmap (APIC, IO-APIC, HPET, VSYSCALL_HPET)
 * lies in the same 2M below FIXADDR_TOP, so takes none.
 */
export const acpiBootInit2611x64: Stage30Fn = (state): Stage30Result => {
  const l = legacy2611Of(state, 'acpiBootInit2611x64');
  let bm = need2611(l.bootmem, 'acpiBootInit2611x64', 'bootmem');
  bm = allocBootmem2611(bm, PAGE_SIZE, PAGE_SIZE, MAX_DMA_PA_2611, 'spp_getpage: the fixmap PMD page').bm;
  bm = allocBootmem2611(bm, PAGE_SIZE, PAGE_SIZE, MAX_DMA_PA_2611, 'spp_getpage: the fixmap PTE page').bm;
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines: [] };
};

/**
 * setup_arch() → e820_reserve_resources() (arch/x86_64/kernel/e820.c, 2.6.11): alloc_bootmem_low(sizeof(struct
 * resource)) for each e820 entry ending at or below 4G; then iommu_hole_init() (arch/x86_64/kernel/aperture.c,
 * GART_IOMMU): "Checking aperture..." and no AMD northbridge at 0:24–31.3 (k8MiscFunction2611: QEMU has none), so
 * iommu_aperture stays 0 and `fix` 0: it returns before force_iommu is read.
 */
export const e820ReserveResources2611x64: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'e820ReserveResources2611x64');
  let bm = need2611(l.bootmem, 'e820ReserveResources2611x64', 'bootmem');
  const align = cacheBytes2611(ctx);
  for (const e of l.e820) {
    if (e.addr + e.size > 0x100000000n) continue;
    bm = allocBootmem2611(bm, structResource2611(ctx), align, 0n, 'e820_reserve_resources resource').bm;
  }
  const gart = configEnabled(ctx.kernel, 'GART_IOMMU');
  if (gart && k8MiscFunction2611(BUS0_FUNCTIONS[ctx.spec.machine])) throw new SimError('SIM_NOT_MODELLED', WHERE, 'iommu_hole_init(): an AMD K8 northbridge (NB_ID_3) would set iommu_aperture and print its aperture, not modelled');
  const lines = gart ? [line('setup_arch', 'agp.checking_legacy', 'Checking aperture...')] : [];
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines };
};
