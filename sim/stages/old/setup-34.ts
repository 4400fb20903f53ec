// setup_arch() and start_kernel() steps of 2.6.34 (urbanspr1nter/linux-2.6.34) whose code differs from
// 3.0.1's: trim_bios_range() (arch/x86/kernel/setup.c) and kmem_cache_init()'s Genslabs count
// (mm/slub.c). The rest of the 2.6.34 pipeline reuses the 3.0 stages where the source is the same.
import type { Stage30Fn, Stage30Result } from './context-30.ts';
import type { DmesgLine } from '../../types.ts';
import { E820_RAM, E820_RESERVED } from '../../firmware/qemu-7.2.ts';
import { e820UpdateTable, rangeExplain, rangeRemove, rangeUpdate, type Mut } from '../e820.ts';
import { hexPad } from '../../lib/printk.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { withSlice } from '../../state.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { legacy30Of } from './state-30.ts';
import { e820TypeName30 } from './e820-30.ts';

const line = (stage: string, fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage, fmt, text, ...(explain ? { explain } : {}) });
const x16 = (v: bigint): string => hexPad(v, 16);

/**
 * setup_arch() → trim_bios_range() (2.6.34): e820_update_range(0, PAGE_SIZE, E820_RAM, E820_RESERVED)
 * ("the first 4Kb of memory … BIOS owned"; 3.0.1 reserves CONFIG_X86_RESERVE_LOW instead),
 * e820_remove_range(BIOS_BEGIN, BIOS_END − BIOS_BEGIN, E820_RAM, 1), sanitize_e820_map(). The e820
 * helpers and their KERN_DEBUG lines are 3.0.1's, the same code in 2.6.34 (compared function by function).
 */
export const trimBiosRange34: Stage30Fn = (state): Stage30Result => {
  const l = legacy30Of(state, 'trimBiosRange34');
  const t: Mut[] = l.e820.map((e) => ({ ...e }));
  const lines = [
    line('e820', 'e820.update_legacy', `e820 update range: ${x16(0n)} - ${x16(PAGE_SIZE)} ${e820TypeName30(E820_RAM)} ==> ${e820TypeName30(E820_RESERVED)}`,
      rangeExplain(0n, PAGE_SIZE, `${e820TypeName30(E820_RAM)} ==> ${e820TypeName30(E820_RESERVED)}`, [], 'arch/x86/kernel/setup.c trim_bios_range() (2.6.34): e820_update_range(0, PAGE_SIZE, E820_RAM, E820_RESERVED)')),
  ];
  rangeUpdate(t, 0n, PAGE_SIZE, E820_RAM, E820_RESERVED);
  lines.push(line('e820', 'e820.remove_legacy', `e820 remove range: ${x16(0xa0000n)} - ${x16(0x100000n)} ${e820TypeName30(E820_RAM)}`,
    rangeExplain(0xa0000n, 0x100000n, e820TypeName30(E820_RAM), [], 'arch/x86/kernel/setup.c trim_bios_range() (2.6.34): BIOS_BEGIN 0xa0000 – BIOS_END 0x100000')));
  rangeRemove(t, 0xa0000n, 0x100000n - 0xa0000n, E820_RAM, true);
  const table = e820UpdateTable(t.filter((e) => e.size !== 0n)) ?? t;
  return { state: withSlice(state, 'legacy30', { ...l, e820: table }), lines };
};

/**
 * kmem_cache_init() (mm/slub.c, 2.6.34): Genslabs counts kmem_cache_node only with CONFIG_NUMA (the
 * bootstrap kmalloc_caches[0]; 3.0.1 counts kmem_cache and kmem_cache_node always), kmalloc-96 when
 * KMALLOC_MIN_SIZE ≤ 32, kmalloc-192 when ≤ 64, and one cache per shift in [KMALLOC_SHIFT_LOW,
 * SLUB_PAGE_SHIFT = PAGE_SHIFT + 2) (include/linux/slub_def.h: KMALLOC_MIN_SIZE 8 without
 * ARCH_KMALLOC_MINALIGN > 8). HWalign = cache_line_size() = L1_CACHE_BYTES; Order slub_min_order 0 –
 * slub_max_order PAGE_ALLOC_COSTLY_ORDER 3; MinObjects 0; CPUs nr_cpu_ids (1 on a UP build); Nodes 1.
 */
export const kmemCacheInit34: Stage30Fn = (state, ctx): Stage30Result => {
  const kmallocMinSize = 8n;
  const shiftLow = 3n;
  const slubPageShift = PAGE_SHIFT + 2n;
  const genslabs = (configEnabled(ctx.kernel, 'NUMA') ? 1n : 0n) + (kmallocMinSize <= 32n ? 1n : 0n) + (kmallocMinSize <= 64n ? 1n : 0n) + (slubPageShift - shiftLow);
  const l1 = kernelConfig(ctx.kernel, 'X86_L1_CACHE_SHIFT');
  if (l1 === undefined) throw new SimError('SIM_NOT_MODELLED', 'slub', 'CONFIG_X86_L1_CACHE_SHIFT: expected it in the kernel facts (cache_line_size()), found none');
  return { state, lines: [line('slub', 'slub.genslabs', `SLUB: Genslabs=${genslabs}, HWalign=${1n << BigInt(l1)}, Order=0-3, MinObjects=0, CPUs=1, Nodes=1`)] };
};
