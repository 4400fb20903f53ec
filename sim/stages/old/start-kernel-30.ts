// start_kernel() of 3.0.1 after setup_arch(), for a UP X86_32 build: setup_per_cpu_areas() (mm/percpu.c,
// !CONFIG_SMP), "Kernel command line:", and mm_init() → mem_init() (arch/x86/mm/init_32.c:
// set_highmem_pages_init(), the "virtual kernel memory layout:" block, test_wp_bit()) and
// kmem_cache_init() (mm/slub.c: "SLUB: Genslabs=…").
import type { Boot30Context, Stage30Fn, Stage30Result } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import type { DmesgLine } from '../../types.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { hexPad, fmtS } from '../../lib/printk.ts';
import { SimError } from '../../lib/errors.ts';
import { kernelConfig } from '../../traits.ts';
import { bootCommandLine } from '../cmdline.ts';
import { legacy30Of, need } from './state-30.ts';
import { layout30 } from './init-32-30.ts';
import { percpuAllocs30 } from './nobootmem-30.ts';
import { withSlice } from '../../state.ts';

const line = (stage: string, fmt: string, text: string): DmesgLine => ({ stage, fmt, text });

/** PCPU_MIN_UNIT_SIZE PFN_ALIGN(32 << 10); PERCPU_DYNAMIC_RESERVE 20K (32-bit with MODULES) or 12K (include/linux/percpu.h, 3.0.1). */
const PCPU_MIN_UNIT_SIZE = 32n << 10n;

/**
 * setup_per_cpu_areas() for !CONFIG_SMP (mm/percpu.c, 3.0.1): unit_size = roundup_pow_of_two(max(
 * PCPU_MIN_UNIT_SIZE, PERCPU_DYNAMIC_RESERVE)), one group of one unit for CPU 0, static and reserved 0;
 * pcpu_setup_first_chunk() → pcpu_dump_alloc_info(KERN_DEBUG): "pcpu-alloc: s0 r0 d%zu u%zu
 * alloc=1*%zu" and "pcpu-alloc: [0] 0 " (group and CPU widths 1: one group, one possible CPU). Its
 * boot-memory allocations: nobootmem-30.ts percpuAllocs30().
 */
export const setupPerCpuAreas30: Stage30Fn = (state, ctx): Stage30Result => {
  // max(32K, 20K or 12K) is 32K whatever MODULES says, a power of two already
  const unit = PCPU_MIN_UNIT_SIZE;
  const l = legacy30Of(state, 'setupPerCpuAreas30');
  const mb = percpuAllocs30(ctx, need(l.memblock30, 'setupPerCpuAreas30', 'memblock30'), need(l.activeRanges, 'setupPerCpuAreas30', 'activeRanges'), unit);
  return {
    state: withSlice(state, 'legacy30', { ...l, memblock30: mb }),
    lines: [line('percpu', 'percpu.alloc', `pcpu-alloc: s0 r0 d${unit} u${unit} alloc=1*${unit}`), line('percpu', 'percpu.map', 'pcpu-alloc: [0] 0 ')],
  };
};

/** start_kernel(): printk(KERN_NOTICE "Kernel command line: %s\n", boot_command_line) (init/main.c, 3.0.1). */
export const kernelCommandLine30: Stage30Fn = (state, ctx): Stage30Result => ({
  state,
  lines: [line('cmdline', 'cmdline.kernel', `Kernel command line: ${bootCommandLine(ctx.spec)}`)],
});

/** trap_init() → cpu_init() (arch/x86/kernel/cpu/common.c, 3.0.1 X86_32): printk(KERN_INFO "Initializing CPU#%d\n", cpu) for the boot CPU. */
export const cpuInit30: Stage30Fn = (state): Stage30Result => ({ state, lines: [line('setup_arch', 'cpu.init_legacy', 'Initializing CPU#0')] });

/**
 * mem_init() → set_highmem_pages_init() (arch/x86/mm/highmem_32.c, 3.0.1): for every highmem zone
 * (ZONE_HIGHMEM; ZONE_MOVABLE only when movable_zone is ZONE_HIGHMEM, which needs kernelcore=),
 * "Initializing %s for node %d (%08lx:%08lx)" with zone_start_pfn and zone_start_pfn + spanned_pages.
 */
export const setHighmemPagesInit30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'setHighmemPagesInit30');
  const zones = need(l.zones, 'setHighmemPagesInit30', 'zones');
  const lines: DmesgLine[] = [];
  if (ctx.traits.highmem) {
    for (const z of zones.filter((z) => z.name === 'HighMem')) {
      lines.push(line('highmem', 'highmem.init', `Initializing HighMem for node 0 (${hexPad(z.startPfn, 8)}:${hexPad(z.startPfn + z.spanned, 8)})`));
    }
  }
  return { state, lines };
};

/** "0x%08lx". */
const x8 = (v: bigint): string => `0x${hexPad(v, 8)}`;

/**
 * mem_init() (arch/x86/mm/init_32.c, 3.0.1): "virtual kernel memory layout:" then fixmap (FIXADDR_START –
 * FIXADDR_TOP), pkmap (PKMAP_BASE + LAST_PKMAP pages, HIGHMEM), vmalloc (VMALLOC_START = high_memory +
 * VMALLOC_OFFSET 8M – VMALLOC_END), lowmem (__va(0) – high_memory), .init, .data (_etext – _edata) and
 * .text, each "0x%08lx - 0x%08lx   (%4ld kB|MB)". One printk: one family per region line.
 */
/** [VMALLOC_START, VMALLOC_END) (arch/x86/include/asm/pgtable_32_types.h, 3.0.1): high_memory + VMALLOC_OFFSET 8M up to layout30's end. */
export function vmallocRange30(ctx: Boot30Context, highstartPfn: bigint): { readonly start: bigint; readonly end: bigint } {
  const lay = layout30(ctx);
  return { start: lay.pageOffset + highstartPfn * PAGE_SIZE + (8n << 20n), end: lay.vmallocEnd };
}

export function virtualLayout30(ctx: Boot30Context, highstartPfn: bigint): DmesgLine[] {
  const lay = layout30(ctx);
  const v = (name: string): bigint => symbol30(ctx, name, 'mem_init (3.0)') + ctx.kernel.loadOffset;
  const highMemory = lay.pageOffset + highstartPfn * PAGE_SIZE;
  const vmallocStart = vmallocRange30(ctx, highstartPfn).start;
  const row = (name: string, a: bigint, b: bigint, unit: 'kB' | 'MB'): DmesgLine =>
    line('mem-init', 'mem.layout', `${name} : ${x8(a)} - ${x8(b)}   (${fmtS(String((b - a) >> (unit === 'kB' ? 10n : 20n)), 4)} ${unit})`);
  const lines = [line('mem-init', 'mem.layout_header', 'virtual kernel memory layout:'), row('    fixmap ', lay.fixaddrStart, lay.fixaddrTop, 'kB')];
  if (ctx.traits.highmem) lines.push(row('    pkmap  ', lay.pkmapBase, lay.pkmapBase + lay.lastPkmap * PAGE_SIZE, 'kB'));
  lines.push(row('    vmalloc', vmallocStart, lay.vmallocEnd, 'MB'), row('    lowmem ', lay.pageOffset, highMemory, 'MB'));
  lines.push(row('      .init', v('__init_begin'), v('__init_end'), 'kB'), row('      .data', v('_etext'), v('_edata'), 'kB'), row('      .text', v('_text'), v('_etext'), 'kB'));
  return lines;
}

/** mem_init()'s tail: the layout block, then test_wp_bit() (boot_cpu_data.wp_works_ok < 0: every CPU QEMU gives honours WP). */
export const memInitLayout30: Stage30Fn = (state, ctx): Stage30Result => {
  const l = legacy30Of(state, 'memInitLayout30');
  const highstart = need(l.highstartPfn, 'memInitLayout30', 'highstartPfn');
  return {
    state,
    lines: [...virtualLayout30(ctx, highstart), line('mem-init', 'mem.wp_check', 'Checking if this processor honours the WP bit even in supervisor mode...Ok.')],
  };
};

/**
 * kmem_cache_init() (mm/slub.c, 3.0.1): Genslabs counts kmem_cache_node and kmem_cache (2), kmalloc-96
 * when KMALLOC_MIN_SIZE ≤ 32, kmalloc-192 when ≤ 64, and one cache per shift in [KMALLOC_SHIFT_LOW,
 * SLUB_PAGE_SHIFT = PAGE_SHIFT + 2); x86 defines no ARCH_DMA_MINALIGN, so KMALLOC_MIN_SIZE is 8
 * (include/linux/slub_def.h). The dma-kmalloc caches are not counted. HWalign = cache_line_size() =
 * L1_CACHE_BYTES (1 << X86_L1_CACHE_SHIFT); Order slub_min_order 0 – slub_max_order
 * PAGE_ALLOC_COSTLY_ORDER 3; MinObjects 0; CPUs nr_cpu_ids; Nodes nr_node_ids.
 */
export const kmemCacheInit30: Stage30Fn = (state, ctx): Stage30Result => {
  const kmallocMinSize = 8n;
  const shiftLow = 3n; // ilog2(KMALLOC_MIN_SIZE)
  const slubPageShift = PAGE_SHIFT + 2n;
  const genslabs = 2n + (kmallocMinSize <= 32n ? 1n : 0n) + (kmallocMinSize <= 64n ? 1n : 0n) + (slubPageShift - shiftLow);
  const l1 = kernelConfig(ctx.kernel, 'X86_L1_CACHE_SHIFT');
  if (l1 === undefined) throw new SimError('SIM_NOT_MODELLED', 'slub', 'CONFIG_X86_L1_CACHE_SHIFT: expected it in the kernel facts (cache_line_size()), found none');
  // nr_cpu_ids is 1 on a !CONFIG_SMP build (include/linux/cpumask.h); the envelope refuses SMP builds
  const nrCpuIds = 1;
  return {
    state,
    lines: [line('slub', 'slub.genslabs', `SLUB: Genslabs=${genslabs}, HWalign=${1n << BigInt(l1)}, Order=0-3, MinObjects=0, CPUs=${nrCpuIds}, Nodes=1`)],
  };
};
