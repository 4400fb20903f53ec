// models direct_pages_count[] of a 2-level X86_32 3.0.1 boot (arch/x86/mm/pageattr.c, 3.0.1), as
// arch_report_meminfo() prints it in DirectMap4k and DirectMap4M: update_page_count() from the first
// pass of kernel_physical_mapping_init() (arch/x86/mm/init_32.c) over init_memory_mapping(0,
// max_low_pfn)'s ranges (init-32-30.ts mapRanges30), then split_page_count() for each 4M page a later
// set_memory_rw() splits: free_init_pages() (arch/x86/mm/init.c) calls it on every range it frees.
// head_32.S's early page tables count nothing: update_page_count() has no caller but
// kernel_physical_mapping_init(), whose 4M pages replace them.
import type { ExplainTerm } from '../../types.ts';
import type { Boot30Context } from './context-30.ts';
import { symbol30 } from './context-30.ts';
import { mapRanges30 } from './init-32-30.ts';
import { configEnabled } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';

const READER = 'pageattr (3.0.1)';
/** PTRS_PER_PTE on 2-level paging (arch/x86/include/asm/pgtable-2level_types.h, 3.0.1): pages per 4M PMD. */
const PTRS_PER_PTE = 1024n;

/** One range free_init_pages() frees after boot: [start, end) in bytes, physical. */
export interface FreedRange30 {
  readonly what: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly source: string;
}

/** direct_pages_count[PG_LEVEL_4K] and [PG_LEVEL_2M] (4M pages on 2-level paging) at the read. */
export interface DirectPages30 {
  readonly k4: bigint;
  readonly m4: bigint;
  /** The start pfns of the 4M pages set_memory_rw() split, in the order it split them. */
  readonly split: readonly bigint[];
  readonly explain: readonly ExplainTerm[];
}

/**
 * The direct map's page counts at the read (update_page_count, split_page_count; arch/x86/mm/pageattr.c
 * 3.0.1). Boot: kernel_physical_mapping_init()'s first pass counts each 4k PTE and each 4M PMD of
 * mapRanges30. After it, the only set_memory_*() calls this pipeline's builds reach on the direct map
 * are free_init_pages()'s (the image's other callers: configure_trampolines()' set_memory_x and
 * set_memory_nx return at once without _PAGE_NX in __supported_pte_mask, which 2-level paging lacks;
 * ioremap() of RAM needs a driver the refused ACPI/PCI would bring; mark_rodata_ro() needs
 * DEBUG_RODATA, refused). set_memory_rw() (change_page_attr_set_clr → __change_page_attr) splits a 4M
 * page when try_preserve_large_page() finds static_protections() giving one of its 1024 pages another
 * pgprot than the first page asked: on 2-level paging only the .rodata pfns differ (_PAGE_RW
 * forbidden; _PAGE_NX is 0 and PCI_BIOS needs PCI). A 4M page with no .rodata keeps its mapping:
 * PAGE_KERNEL_LARGE(_EXEC) already has _PAGE_RW, so the new pgprot equals the old. 4k pages never split.
 */
export function directPagesCount30(ctx: Boot30Context, maxLowPfn: bigint, freed: readonly FreedRange30[]): DirectPages30 {
  if (ctx.traits.pae) throw new SimError('SIM_NOT_MODELLED', READER, 'CONFIG_X86_PAE: 2M PMDs, DirectMap2M and set_memory_nx() with _PAGE_NX are not modelled for 3.0.1');
  // arch/x86/mm/init_32.c mark_rodata_ro() (3.0.1, CONFIG_DEBUG_RODATA): set_pages_ro() over the text and .rodata splits more pages
  if (configEnabled(ctx.kernel, 'DEBUG_RODATA')) throw new SimError('SIM_NOT_MODELLED', READER, 'CONFIG_DEBUG_RODATA: mark_rodata_ro()\'s set_pages_ro() and set_pages_nx() splits are not modelled for 3.0.1');
  const ranges = mapRanges30(ctx, maxLowPfn << PAGE_SHIFT);
  let k4 = 0n;
  let m4 = 0n;
  for (const r of ranges) {
    const pages = (r.end - r.start) >> PAGE_SHIFT;
    if (r.big) m4 += pages / PTRS_PER_PTE;
    else k4 += pages;
  }
  const mr = ranges.map((r) => `0x${r.start.toString(16)}-0x${r.end.toString(16)} ${r.big ? '4M' : '4k'}`).join(', ');
  const explain: ExplainTerm[] = [
    { name: `kernel_physical_mapping_init() first pass over ${mr}: 4k PTEs, 4M PMDs`, value: `${k4} × 4k, ${m4} × 4M`, source: 'arch/x86/mm/init_32.c: kernel_physical_mapping_init() update_page_count() (3.0.1)' },
  ];
  // static_protections(): within(pfn, __pa(__start_rodata) >> PAGE_SHIFT, __pa(__end_rodata) >> PAGE_SHIFT) forbids _PAGE_RW
  const roStart = symbol30(ctx, '__start_rodata', READER) >> PAGE_SHIFT;
  const roEnd = symbol30(ctx, '__end_rodata', READER) >> PAGE_SHIFT;
  const split: bigint[] = [];
  for (const f of freed) {
    // free_init_pages(): begin PAGE_ALIGNed up, end down; nothing when begin >= end
    const begin = (f.start + (1n << PAGE_SHIFT) - 1n) >> PAGE_SHIFT;
    const end = f.end >> PAGE_SHIFT;
    if (begin >= end) continue;
    for (const r of ranges) {
      if (!r.big) continue;
      const rs = r.start >> PAGE_SHIFT;
      const re = r.end >> PAGE_SHIFT;
      const lo = begin > rs ? begin : rs;
      const hi = end < re ? end : re;
      if (lo >= hi) continue;
      for (let b = rs + ((lo - rs) / PTRS_PER_PTE) * PTRS_PER_PTE; b < hi; b += PTRS_PER_PTE) {
        if (split.includes(b)) continue;
        const roLo = roStart > b ? roStart : b;
        const roHi = roEnd < b + PTRS_PER_PTE ? roEnd : b + PTRS_PER_PTE;
        if (roLo >= roHi) continue;
        if (roLo === b && roHi === b + PTRS_PER_PTE) throw new SimError('SIM_NOT_MODELLED', READER, `${f.what}: the 4M page at pfn 0x${b.toString(16)} is all .rodata: try_preserve_large_page()'s whole-page change is not modelled`);
        split.push(b);
        k4 += PTRS_PER_PTE;
        m4 -= 1n;
        explain.push({ name: `${f.what} [0x${(begin << PAGE_SHIFT).toString(16)}, 0x${(end << PAGE_SHIFT).toString(16)}): set_memory_rw() splits the 4M page at 0x${(b << PAGE_SHIFT).toString(16)}, which holds .rodata [0x${(roLo << PAGE_SHIFT).toString(16)}, 0x${(roHi << PAGE_SHIFT).toString(16)}) (static_protections drops _PAGE_RW there)`, value: '−1 × 4M, +1024 × 4k', source: `${f.source}; arch/x86/mm/pageattr.c: try_preserve_large_page(), split_page_count() (3.0.1)` });
      }
    }
  }
  if (split.length === 0) explain.push({ name: 'no freed range shares a 4M page with .rodata: set_memory_rw() changes nothing and splits none', value: 0, source: 'arch/x86/mm/pageattr.c: try_preserve_large_page() (3.0.1)' });
  return { k4, m4, split, explain };
}
