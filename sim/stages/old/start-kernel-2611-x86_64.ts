// start_kernel() of the 2.6.11 x86_64 prebuilt where it differs from i386 (wyangsc/linux-2.6.11_bzImage_vmlinux):
// setup_per_cpu_areas() (arch/x86_64/kernel/setup64.c: a bootmem copy of .data.percpu for every NR_CPUS), and
// mem_init() (arch/x86_64/mm/init.c): swiotlb_init() (arch/ia64/lib/swiotlb.c, built for x86_64 under
// CONFIG_SWIOTLB; run below 4G only under CONFIG_IOMMU_DEBUG) with its "Placing software IO TLB" line, numa_free_all_bootmem(), and the "Memory:" line
// without a highmem field (DISCONTIGMEM counts no reserved pages). The other start_kernel() stages are the
// i386 ones (start-kernel-2611.ts), whose sizes follow the arch (sizes-2611.ts).
import type { Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine, ExplainTerm } from '../../types.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { withSlice } from '../../state.ts';
import { configEnabled } from '../../traits.ts';
import { legacy2611Of, need2611 } from './state-2611.ts';
import { allocBootmem2611, freeAllBootmem2611, pcpKept2611, setIn2611 } from './bootmem-2611.ts';
import { MAX_DMA_PA_2611, cacheBytes2611 } from './setup-memory-2611.ts';
import { nrCpus2611 } from './setup-memory-2611-x86_64.ts';

const WHERE = 'start_kernel (2.6.11 x86_64)';
const line = (stage: string, fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage, fmt, text, ...(explain ? { explain } : {}) });
const term = (name: string, value: string, source: string): ExplainTerm => ({ name, value, source });
const alignUp = (v: bigint, a: bigint): bigint => ((v + a - 1n) / a) * a;

/** PERCPU_ENOUGH_ROOM (include/linux/percpu.h, 2.6.11, CONFIG_MODULES): the least each CPU's copy takes. */
const PERCPU_ENOUGH_ROOM = 32768n;

/**
 * setup_per_cpu_areas() (arch/x86_64/kernel/setup64.c, 2.6.11): size = ALIGN(__per_cpu_end − __per_cpu_start,
 * SMP_CACHE_BYTES), at least PERCPU_ENOUGH_ROOM with MODULES; one alloc_bootmem_node(NODE_DATA(0), size) for
 * each of the NR_CPUS (not the CPUs present: numa_initmem_init() put them all on node 0).
 */
export const setupPerCpuAreas2611: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'setupPerCpuAreas2611');
  let bm = need2611(l.bootmem, 'setupPerCpuAreas2611', 'bootmem');
  const align = cacheBytes2611(ctx);
  let size = alignUp(symbol30(ctx, '__per_cpu_end', WHERE) - symbol30(ctx, '__per_cpu_start', WHERE), align);
  if (configEnabled(ctx.kernel, 'MODULES') && size < PERCPU_ENOUGH_ROOM) size = PERCPU_ENOUGH_ROOM;
  const n = nrCpus2611(ctx);
  for (let i = 0n; i < n; i++) bm = allocBootmem2611(bm, size, align, MAX_DMA_PA_2611, `per-CPU area of CPU ${i}`).bm;
  return { state: withSlice(state, 'legacy2611', { ...l, bootmem: bm }), lines: [] };
};

/** IO_TLB_SHIFT, IO_TLB_SEGSIZE and io_tlb_overflow (arch/ia64/lib/swiotlb.c, 2.6.11). */
const IO_TLB_SHIFT = 11n;
const IO_TLB_SEGSIZE = 128n;
const IO_TLB_OVERFLOW = 32n * 1024n;

/** 0xffffffff >> PAGE_SHIFT: the end_pfn at which mem_init() and pci_iommu_init() (2.6.11) count memory as reaching 4G. */
const PFN_4G_2611 = 0xffffffffn >> PAGE_SHIFT;

/**
 * Whether mem_init() (arch/x86_64/mm/init.c, 2.6.11) calls swiotlb_init(): built under CONFIG_SWIOTLB (which needs
 * GART_IOMMU), swiotlb_force unset (iommu=soft: the envelope refuses parameters), and, with no GART aperture
 * (iommu_aperture stays 0: setup-memory-2611-x86_64.ts k8MiscFunction2611), end_pfn ≥ 0xffffffff >> PAGE_SHIFT or
 * force_iommu, which arch/x86_64/kernel/pci-gart.c initialises to 1 under CONFIG_IOMMU_DEBUG and to 0 without it.
 */
export function swiotlbWanted2611(ctx: Parameters<Stage30Fn>[1], endPfn: bigint): boolean {
  if (!configEnabled(ctx.kernel, 'SWIOTLB')) return false;
  const forceIommu = configEnabled(ctx.kernel, 'IOMMU_DEBUG');
  return endPfn >= PFN_4G_2611 || forceIommu;
}

/**
 * mem_init() (arch/x86_64/mm/init.c, 2.6.11): when swiotlbWanted2611(), swiotlb_init() → swiotlb_init_with_default_size(64M):
 * io_tlb_nslabs = ALIGN(64M >> PAGE_SHIFT, IO_TLB_SEGSIZE) slabs of 1 << IO_TLB_SHIFT bytes from
 * alloc_bootmem_low_pages(), io_tlb_list (an int per slab) and io_tlb_orig_addr (a pointer per slab) from
 * alloc_bootmem(), the overflow buffer from alloc_bootmem_low(); KERN_INFO "Placing software IO TLB between
 * 0x%lx - 0x%lx". Then numa_free_all_bootmem() (free_all_bootmem_core: 64-pfn words), and "Memory: %luk/%luk
 * available (%dk kernel code, %dk reserved, %dk data, %dk init)": nr_free_pages() (zone->free_pages: not what
 * the hot per-CPU lists still hold), end_pfn, and 0 reserved (DISCONTIGMEM counts none).
 */
export const memInit2611x64: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy2611Of(state, 'memInit2611x64');
  let bm = need2611(l.bootmem, 'memInit2611x64', 'bootmem');
  const endPfn = need2611(l.endPfn, 'memInit2611x64', 'endPfn');
  const zones = need2611(l.zones, 'memInit2611x64', 'zones');
  const src = 'arch/x86_64/mm/init.c mem_init() (2.6.11)';
  const lines: DmesgLine[] = [];
  if (swiotlbWanted2611(ctx, endPfn)) {
    const nslabs = alignUp((64n << 20n) >> PAGE_SHIFT, IO_TLB_SEGSIZE);
    const bytes = nslabs << IO_TLB_SHIFT;
    const align = cacheBytes2611(ctx);
    const r = allocBootmem2611(bm, bytes, PAGE_SIZE, 0n, 'swiotlb: io_tlb_start');
    bm = r.bm;
    bm = allocBootmem2611(bm, nslabs * 4n, align, MAX_DMA_PA_2611, 'swiotlb: io_tlb_list').bm;
    bm = allocBootmem2611(bm, nslabs * 8n, align, MAX_DMA_PA_2611, 'swiotlb: io_tlb_orig_addr').bm;
    bm = allocBootmem2611(bm, IO_TLB_OVERFLOW, align, 0n, 'swiotlb: io_tlb_overflow_buffer').bm;
    lines.push(line('mem-init', 'swiotlb.placing_legacy', `Placing software IO TLB between 0x${r.addr.toString(16)} - 0x${(r.addr + bytes).toString(16)}`, {
      start: [term(`alloc_bootmem_low_pages(${nslabs} slabs × ${1n << IO_TLB_SHIFT})`, `0x${r.addr.toString(16)}`, 'mm/bootmem.c __alloc_bootmem_core() (2.6.11): the first free run from pfn 0')],
    }));
  }
  const freed = freeAllBootmem2611(bm, 64n);
  const kept: ExplainTerm[] = [];
  let keptTotal = 0n;
  for (const z of zones) {
    const n = setIn2611(freed.singlePfns, z.startPfn, z.startPfn + z.size) + setIn2611([freed.bitmapPages], z.startPfn, z.startPfn + z.size);
    const k = pcpKept2611(n, z.batch);
    if (k !== 0n) kept.push(term(`${z.name}: ${n} order-0 frees, hot list high ${6n * z.batch} batch ${z.batch}`, `${k} pages`, 'mm/page_alloc.c free_hot_cold_page() (2.6.11): not in zone->free_pages'));
    keptTotal += k;
  }
  const free = freed.total - keptTotal;
  const kb = (p: bigint): bigint => p << (PAGE_SHIFT - 10n);
  const sym = (n: string): bigint => symbol30(ctx, n, WHERE);
  const code = (sym('_etext') - sym('_text')) >> 10n;
  const data = (sym('_edata') - sym('_etext')) >> 10n;
  const init = (sym('__init_end') - sym('__init_begin')) >> 10n;
  lines.push(line('mem-init', 'mem.summary_legacy_x86_64', `Memory: ${kb(free)}k/${kb(endPfn)}k available (${code}k kernel code, 0k reserved, ${data}k data, ${init}k init)`, {
    available: [
      term('numa_free_all_bootmem(): clear bits of node 0 + its bitmap pages', `${freed.total} pages`, 'mm/bootmem.c free_all_bootmem_core() (2.6.11)'),
      ...kept.map((t) => ({ ...t, name: `− kept on the per-CPU list: ${t.name}` })),
    ],
    physpages: [term('end_pfn', `0x${endPfn.toString(16)}`, `${src}: end_pfn << (PAGE_SHIFT − 10)`)],
    reserved: [term('reservedpages', '0', `${src}: CONFIG_DISCONTIGMEM counts no reserved pages ("should count reserved pages here for all nodes")`),
      ...bm.setBy.filter((x) => x.pages !== 0n).map((x) => term(`(not counted) ${x.what}`, `${x.pages} pages`, 'mm/bootmem.c: the bitmap pages it set (2.6.11)'))],
  }));
  return { state, lines };
};

/**
 * init() → smp_init() → smp_boot_cpus() (arch/x86_64/kernel/smpboot.c, 2.6.11), after mem_init(): each
 * application processor QEMU's MADT lists (the profile's cpus; the envelope refuses more than NR_CPUS, where
 * mp_register_lapic() would drop them) runs start_secondary() → cpu_init(): printk("Initializing CPU#%d\n").
 */
export const smpBootCpus2611x64: Stage30Fn = (state, ctx): Stage30Result => {
  const lines: DmesgLine[] = [];
  for (let cpu = 1; cpu < ctx.spec.cpus; cpu++) lines.push(line('setup_arch', 'cpu.init_legacy', `Initializing CPU#${cpu}`));
  return { state, lines };
};
