// models what hugepages=, hugepagesz= and default_hugepagesz= do before the Memory: line
// (mm/hugetlb.c hugepages_setup(), hugepagesz_setup(), default_hugepagesz_setup(): __setup handlers
// in 5.10.223, 6.1.192 and 6.12.115; recorded by hugetlb_early_param() and replayed by
// hugetlb_parse_params() from mm_core_init_early() → hugetlb_bootmem_alloc() in 7.2.13). Only a
// gigantic hstate (order > MAX_ORDER: the 1G PUD size on x86_64) takes its pages at boot, from
// memblock (hugetlb_hstate_alloc_pages → alloc_bootmem_huge_page); those are refused here. Pages of
// the 2M PMD size come from the buddy allocator in hugetlb_init() (subsys_initcall), after
// mem_init_print_info() on every version read (6.12+ print it from page_alloc_init_late(), which
// kernel_init_freeable() runs before do_basic_setup()): no modelled line changes. A size that
// arch_hugetlb_valid_size() rejects (arch/x86/mm/hugetlbpage.c: PMD_SIZE, or PUD_SIZE with
// X86_FEATURE_GBPAGES) is only reported ("HugeTLB: unsupported hugepagesz=…") and ignored.
import type { BootContext, StageFn, StageResult } from '../boot.ts';
import { bootCommandLine, parseParams } from './cmdline.ts';
import { memparse } from '../lib/memparse.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'hugetlb';
/** PUD_SIZE on x86_64 (1 << 30): the only gigantic hstate x86 offers (X86_64 only). */
const PUD_SIZE = 1n << 30n;

/**
 * The hugetlb parameters of the command line, in order; a size that would be a gigantic hstate
 * with boot-time pages (1G: valid whenever the CPU has GBPAGES) is refused by name, whatever the
 * CPU, as the boot-time memblock allocation of gigantic pages is not modelled.
 */
export function hugetlbRefusal(ctx: BootContext): string | undefined {
  if (ctx.traits.arch !== 'x86_64') return undefined;
  for (const p of parseParams(bootCommandLine(ctx.spec))) {
    if (p.param === '--' && p.val === undefined) break;
    if ((p.param === 'hugepagesz' || p.param === 'default_hugepagesz') && p.val !== undefined && memparse(p.val).value === PUD_SIZE) {
      return `${p.param}=${p.val}: a gigantic (1G) hstate takes its pages from memblock at boot (mm/hugetlb.c hugetlb_hstate_alloc_pages → alloc_bootmem_huge_page), which is not modelled`;
    }
  }
  return undefined;
}

/** parse_args() (≤ 6.12) / mm_core_init_early() (7.2): the hugetlb parameters, which print no modelled line. */
export const hugetlbParams: StageFn = (state, ctx): StageResult => {
  const why = hugetlbRefusal(ctx);
  if (why) throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: ${why}`);
  return { state, lines: [] };
};
