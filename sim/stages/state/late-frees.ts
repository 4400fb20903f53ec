// models the pages the kernel gives back to the buddy allocator after memblock_free_all(), each a
// free_init_pages()/free_reserved_area() that adds its pages to the zone's managed_pages
// (adjust_managed_page_count) and prints "Freeing … memory: NK": alternative_instructions()'s
// "SMP alternatives" (arch/x86/kernel/alternative.c; 7.2's arch_initcall free_smp_locks(); none on 7.3),
// free_initmem()'s mem_encrypt_free_decrypted_mem() and "unused kernel image (initmem)"
// (arch/x86/mm/init.c, 5.10.223 … 7.2.13), mark_rodata_ro()'s text/rodata and rodata/data gaps
// (arch/x86/mm/init_64.c; i386's frees none) and populate_rootfs()'s free_initrd_mem()
// (init/initramfs.c). When each happens decides which watermark computation sees it.
import type { BootContext, BootState } from '../../boot.ts';
import { configEnabled } from '../../traits.ts';
import { PAGE_SHIFT, PAGE_SIZE, ALIGN, ALIGN_DOWN, PMD_SIZE_64 } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';
import { freeSmpLocks } from '../alternatives.ts';

const STAGE = 'state';

/**
 * When a free happens, in boot order: 'start_kernel' before the initcalls; 'arch_initcall' after
 * postcore's init_per_zone_wmark_min() and before subsys' hugepage_init(); 'late' after every initcall
 * that computes watermarks (rootfs_initcall's initrd, kernel_init's free_initmem and mark_rodata_ro).
 */
export type FreeWhen = 'start_kernel' | 'arch_initcall' | 'late';

/** One range the kernel frees to the buddy allocator after memblock_free_all(). */
export interface LateFree {
  /** The name its "Freeing %s memory" line prints. */
  readonly name: string;
  /** The pages freed, [startPfn, endPfn): free_reserved_area() rounds start up and end down to pages. */
  readonly startPfn: bigint;
  readonly endPfn: bigint;
  readonly when: FreeWhen;
  readonly source: string;
}

/** free_reserved_area(start, end): PAGE_ALIGN(start) up to end & PAGE_MASK (mm/page_alloc.c 6.1). */
function freed(name: string, start: bigint, end: bigint, when: FreeWhen, source: string): LateFree {
  return { name, startPfn: ALIGN(start, PAGE_SIZE) >> PAGE_SHIFT, endPfn: ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT, when, source };
}

/**
 * The pages of .bss..decrypted that hold objects (arch/x86/kernel/vmlinux.lds.S BSS_DECRYPTED: the
 * section starts PMD-aligned; __start_bss_decrypted_unused is the page after its objects and
 * __end_bss_decrypted the next PMD boundary). Its objects: kvmclock.c's hv_clock_boot (one
 * page-aligned page, CONFIG_KVM_GUEST) and wall_clock (a few bytes, which the page-aligned objects
 * around it leave a page of its own), sev's boot_ghcb_page (one page-aligned page,
 * CONFIG_AMD_MEM_ENCRYPT), and from 6.12 hyperv/ivm.c's ap_start_input_arg (one page; arch/x86/Kbuild
 * builds hyperv/ into the image for CONFIG_HYPERV=y or =m) and hyperv_timer.c's tsc_pg (one page).
 */
export function bssDecryptedUsedPages(ctx: BootContext): { pages: bigint; why: string[] } {
  const why: string[] = [];
  let pages = 0n;
  if (configEnabled(ctx.kernel, 'KVM_GUEST')) {
    pages += 2n;
    why.push('kvmclock.c hv_clock_boot (1 page) and wall_clock (its own page)');
  }
  pages += 1n;
  why.push('sev boot_ghcb_page (1 page)');
  const hyperv = ctx.kernel.facts.config['HYPERV'];
  if (ctx.traits.state.hypervDecryptedPage && (hyperv === 'y' || hyperv === 'm')) {
    // drivers/hv/Kconfig: HYPERV_TIMER is def_bool HYPERV && X86, so hyperv_timer.c is built in with HYPERV=m too
    pages += 2n;
    why.push('hyperv/ivm.c ap_start_input_arg (1 page)', 'drivers/clocksource/hyperv_timer.c tsc_pg (1 page)');
  }
  return { pages, why };
}

/**
 * Every free after memblock_free_all() that the boot makes without a driver's say, in boot order.
 * `initrd` is the page-aligned range of the initramfs image that reserve_initrd() kept, when the boot
 * has one; free_initrd_mem() frees it whole (x86: free_reserved_area(PAGE_ALIGN_DOWN(start), PAGE_ALIGN(end))).
 */
export function lateFrees(_state: BootState, ctx: BootContext, initrd?: { readonly start: bigint; readonly end: bigint }): LateFree[] {
  const out: LateFree[] = [];
  const traits = ctx.traits;
  const sym = ctx.kernel.facts.image.symbols;
  // none on 7.3, which has no .smp_locks (traits.smpLocks 'none'); freeSmpLocks() checks the symbols are there otherwise
  const smp = freeSmpLocks(ctx, traits);
  if (smp > 0n && sym.__smp_locks !== undefined && sym.__smp_locks_end !== undefined) {
    const when: FreeWhen = traits.smpLocks === 'alternative_instructions' ? 'start_kernel' : 'arch_initcall';
    out.push(freed('SMP alternatives', BigInt(sym.__smp_locks), BigInt(sym.__smp_locks_end), when, 'arch/x86/kernel/alternative.c: free_init_pages("SMP alternatives", __smp_locks, __smp_locks_end) (6.1; arch_initcall free_smp_locks() in 7.2)'));
  }
  if (initrd) {
    out.push(freed('initrd', ALIGN_DOWN(initrd.start, PAGE_SIZE), ALIGN(initrd.end, PAGE_SIZE), 'late', 'init/initramfs.c: populate_rootfs() → free_initrd_mem() (rootfs_initcall, 6.1)'));
  }
  if (traits.arch === 'x86_64' && configEnabled(ctx.kernel, 'AMD_MEM_ENCRYPT')) {
    const end = BigInt(sym.__bss_stop);
    if (end % PMD_SIZE_64 !== 0n) throw new SimError('SIM_NOT_MODELLED', STAGE, `__bss_stop ${end.toString(16)}: expected PMD-aligned (BSS_DECRYPTED ends .bss with ALIGN(PMD_SIZE) under CONFIG_AMD_MEM_ENCRYPT)`);
    const used = bssDecryptedUsedPages(ctx);
    out.push(freed('unused decrypted', end - PMD_SIZE_64 + (used.pages << PAGE_SHIFT), end, 'late', `arch/x86/mm/mem_encrypt_amd.c: mem_encrypt_free_decrypted_mem() frees [__start_bss_decrypted_unused, __end_bss_decrypted) (6.1): ${used.why.join(', ')}`));
  }
  out.push(freed('unused kernel image (initmem)', BigInt(sym.__init_begin), BigInt(sym.__init_end), 'late', 'arch/x86/mm/init.c: free_initmem() → free_kernel_image_pages(__init_begin, __init_end) (6.1)'));
  if (traits.arch === 'x86_64') {
    const pfnAlign = (x: number): bigint => ALIGN(BigInt(x), PAGE_SIZE);
    out.push(freed('unused kernel image (text/rodata gap)', pfnAlign(sym._etext), pfnAlign(sym.__start_rodata), 'late', 'arch/x86/mm/init_64.c: mark_rodata_ro() frees [PFN_ALIGN(_etext), PFN_ALIGN(__start_rodata)) (6.1)'));
    out.push(freed('unused kernel image (rodata/data gap)', pfnAlign(sym.__end_rodata), BigInt(sym._sdata), 'late', 'arch/x86/mm/init_64.c: mark_rodata_ro() frees [PFN_ALIGN(__end_rodata), _sdata) (6.1)'));
  }
  return out.filter((f) => f.endPfn > f.startPfn);
}
