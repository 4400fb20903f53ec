// What the 2.6.11 i386 pipeline models, checked before it runs: a UP, non-PAE, FLATMEM X86_32 build of
// 2.6.11 (arch/i386) booted on QEMU's default CPU with the fixed command line and no initrd. Each
// option below adds a bootmem reservation or allocation, or changes a size, the pipeline does not
// make; it is refused by name, never run half-modelled.
import type { Stage30Fn } from './context-30.ts';
import { SimError } from '../../lib/errors.ts';
import { configEnabled } from '../../traits.ts';
import { parseParams } from '../cmdline.ts';

/**
 * Config options refused, with what they would change in 2.6.11's setup_arch()/start_kernel():
 * SMP (setup_memory's trampoline page, smp_alloc_memory), NUMA (discontig.c's setup_memory), X86_PAE
 * and HIGHMEM64G (one_md_table_init's PMD pages, no 4G cap), ACPI (acpi_reserve_bootmem under
 * ACPI_SLEEP, the FIX_ACPI slots of ACPI_BOOT), X86_LOCAL_APIC and X86_IO_APIC (find_smp_config's
 * reservations, apic pages, fixmap slots), X86_F00F_BUG / X86_VISWS_APIC / X86_CYCLONE_TIMER /
 * PCI_MMCONFIG (fixmap slots), EFI (efi_memmap_walk instead of the e820), DEBUG_PAGEALLOC (no PSE
 * lowmem mapping), DEBUG_SPINLOCK and PREEMPT (a spinlock_t with bytes in wait_queue_head_t), BLK_DEV_INITRD
 * (reserve_bootmem of the initrd: only the probe boots one, refused below).
 */
const REFUSED_2611: readonly string[] = ['SMP', 'NUMA', 'X86_PAE', 'HIGHMEM64G', 'ACPI', 'X86_LOCAL_APIC', 'X86_IO_APIC', 'X86_F00F_BUG', 'X86_VISWS_APIC', 'X86_CYCLONE_TIMER', 'PCI_MMCONFIG', 'EFI', 'DEBUG_PAGEALLOC', 'DEBUG_SPINLOCK', 'PREEMPT'];

export const envelope2611: Stage30Fn = (state, ctx) => {
  const where = 'envelope (2.6.11 i386)';
  if (ctx.traits.arch !== 'i386') throw new SimError('SIM_NOT_MODELLED', where, `arch: the 2.6.11 i386 pipeline models X86_32 builds only, got ${ctx.traits.arch}`);
  for (const o of REFUSED_2611) if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', where, `CONFIG_${o}: not modelled for 2.6.11 (its bootmem reservations, allocations or fixmap slots)`);
  // PSE (kernel_physical_mapping_init's 4M pages) and the vendor (setup_memory's AMD errata #56 page) are those of QEMU's default qemu32
  if (ctx.spec.cpu !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `cpu: ${ctx.spec.cpu}: the 2.6.11 pipeline models QEMU's default CPU only (cpu_has_pse in kernel_physical_mapping_init, the AMD K7 page in setup_memory)`);
  if (ctx.spec.numa) throw new SimError('SIM_NOT_MODELLED', where, 'numa: a 2.6.11 build without NUMA under -numa is not modelled');
  if (ctx.spec.probe !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `probe: ${ctx.spec.probe}: the initrd it boots with (setup_memory's reserve_bootmem(INITRD_START, INITRD_SIZE)) is not modelled for 2.6.11`);
  for (const p of parseParams(ctx.spec.cmdline ?? '')) {
    throw new SimError('SIM_NOT_MODELLED', where, `cmdline: ${p.param}${p.val === undefined ? '' : `=${p.val}`} is not modelled for 2.6.11 (no parameter is reviewed: mem=, memmap=, highmem=, vmalloc=, dhash_entries=, ihash_entries= change modelled lines)`);
  }
  return { state, lines: [] };
};
