// models the "SMP alternatives" free of arch/x86/kernel/alternative.c (alternative_instructions() in
// 5.10.223, 6.1.192 and 6.12.115; the arch_initcall free_smp_locks() in 7.2.13): free_init_pages()
// of [__smp_locks, __smp_locks_end), whose free_reserved_area() gives the pages to the buddy
// allocator and adds them to totalram ("Freeing SMP alternatives memory: %ldK", not in the catalog).
// When that happens relative to the Memory: line is the trait smpLocksFreedFrom.
import type { BootContext } from '../boot.ts';
import type { KernelTraits } from '../traits.ts';
import { PAGE_SHIFT } from '../lib/sizes.ts';
import { cmdlineValue } from './cmdline.ts';
import { possibleCpuMap } from './possible-cpus.ts';

/**
 * alternative_instructions() (≤ 6.12) / the arch_initcall free_smp_locks() (7.2), arch/x86/kernel/alternative.c:
 * pages of .smp_locks the kernel frees: all of them, unless it patched itself to UP (uniproc_patched =
 * !noreplace_smp && (num_present_cpus() == 1 || setup_max_cpus <= 1)) with more than one CPU possible.
 */
export function freeSmpLocks(ctx: BootContext, traits: KernelTraits): bigint {
  const cpus = possibleCpuMap(ctx);
  const noreplaceSmp = cmdlineValue(ctx.spec, 'noreplace-smp') !== undefined;
  const uniprocPatched = !noreplaceSmp && (cpus.presentCpus === 1 || cpus.setupMaxCpus <= 1);
  if (uniprocPatched && cpus.possible !== 1) return 0n;
  const sym = ctx.kernel.facts.image.symbols;
  return BigInt(sym.__smp_locks_end - sym.__smp_locks) >> PAGE_SHIFT;
}
