// models the "SMP alternatives" free of arch/x86/kernel/alternative.c (alternative_instructions() in
// 5.10.223, 6.1.192 and 6.12.115; the arch_initcall free_smp_locks() in 7.2.13): free_init_pages()
// of [__smp_locks, __smp_locks_end), whose free_reserved_area() gives the pages to the buddy
// allocator and adds them to totalram ("Freeing SMP alternatives memory: %ldK", not in the catalog).
// When that happens relative to the Memory: line is the trait smpLocks; 7.3 has no .smp_locks to free.
import type { BootContext } from '../boot.ts';
import type { KernelTraits } from '../traits.ts';
import { PAGE_SHIFT } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { cmdlineValue } from './cmdline.ts';
import { possibleCpuMap } from './possible-cpus.ts';

/**
 * alternative_instructions() (≤ 6.12) / the arch_initcall free_smp_locks() (7.2), arch/x86/kernel/alternative.c:
 * pages of .smp_locks the kernel frees: all of them, unless it patched itself to UP (uniproc_patched =
 * !noreplace_smp && (num_present_cpus() == 1 || setup_max_cpus <= 1)) with more than one CPU possible.
 * None on a build without the table (traits.smpLocks 'none', 7.3).
 */
export function freeSmpLocks(ctx: BootContext, traits: KernelTraits): bigint {
  if (traits.smpLocks === 'none') return 0n;
  const cpus = possibleCpuMap(ctx);
  const noreplaceSmp = cmdlineValue(ctx.spec, 'noreplace-smp') !== undefined;
  const uniprocPatched = !noreplaceSmp && (cpus.presentCpus === 1 || cpus.setupMaxCpus <= 1);
  if (uniprocPatched && cpus.possible !== 1) return 0n;
  const { __smp_locks: start, __smp_locks_end: end } = ctx.kernel.facts.image.symbols;
  // qemu-scripts/kernel/layout.ts keeps both symbols exactly when traits.smpLocks names a free
  if (start === undefined || end === undefined) throw new SimError('SIM_NOT_MODELLED', 'alternatives', `kernel ${ctx.kernel.id}: expected facts image.symbols.__smp_locks/__smp_locks_end (traits.smpLocks '${traits.smpLocks}'), got none; re-run \`bootsim kernel facts ${ctx.kernel.id}\``);
  return BigInt(end - start) >> PAGE_SHIFT;
}
