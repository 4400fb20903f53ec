// What the 2.6.34 pipeline models, checked before it runs: a UP, non-PAE X86_32 build of 2.6.34 whose
// early_res list is handed to bootmem (CONFIG_NO_BOOTMEM not set), booted with the fixed command line.
// Each option below adds an early reservation or allocation the pipeline does not make; it is refused
// by name, never run half-modelled.
import type { Stage30Fn } from './context-30.ts';
import { SimError } from '../../lib/errors.ts';
import { configEnabled } from '../../traits.ts';
import { parseParams } from '../cmdline.ts';

/**
 * Config options refused, with what they would add before or during setup_arch() (2.6.34):
 * SMP (X86_TRAMPOLINE's "EX TRAMPOLINE"/trampoline reservations, the percpu first chunk), NUMA,
 * X86_PAE (one_md_table_init()'s PMD pages), NO_BOOTMEM (early_res kept to the end, no bootmem),
 * X86_MPPARSE (early_reserve_e820_mpc_new, find_smp_config's reservations), ACPI (acpi_reserve_wakeup_memory
 * under ACPI_SLEEP), X86_CHECK_BIOS_CORRUPTION (setup_bios_corruption_check), PARAVIRT (vmi, kvmclock),
 * EFI (efi_reserve_early), KEXEC (reserve_crashkernel), DEBUG_PAGEALLOC (no PSE mapping, struct page debug),
 * KMEMCHECK (no PSE mapping: init_memory_mapping()'s use_pse 0, as under DEBUG_PAGEALLOC).
 */
const REFUSED_34: readonly string[] = ['SMP', 'NUMA', 'X86_PAE', 'NO_BOOTMEM', 'X86_MPPARSE', 'ACPI', 'X86_CHECK_BIOS_CORRUPTION', 'PARAVIRT', 'EFI', 'KEXEC', 'DEBUG_PAGEALLOC', 'KMEMCHECK'];

export const envelope34: Stage30Fn = (state, ctx) => {
  const where = 'envelope (2.6.34)';
  if (ctx.traits.arch !== 'i386') throw new SimError('SIM_NOT_MODELLED', where, `arch: the 2.6.34 pipeline models X86_32 builds only, got ${ctx.traits.arch}`);
  if (!configEnabled(ctx.kernel, 'HAVE_EARLY_RES')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_HAVE_EARLY_RES: expected y (kernel/early_res.c), found it not set');
  for (const o of REFUSED_34) if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', where, `CONFIG_${o}: not modelled for 2.6.34 (its early reservations or allocations)`);
  // mm/Kconfig (2.6.34): an X86_32 build may choose SPARSEMEM (ARCH_SPARSEMEM_ENABLE with EXPERIMENTAL), whose sparse_init() replaces alloc_node_mem_map()'s one flat mem_map
  if (!configEnabled(ctx.kernel, 'FLATMEM')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_FLATMEM: expected y (FLAT_NODE_MEM_MAP: alloc_node_mem_map()\'s one mem_map from bootmem), found it not set; SPARSEMEM\'s sparse_init() is not modelled for 2.6.34');
  // the CPU's features (PSE for init_memory_mapping's big pages) are those of QEMU's default qemu32 model
  if (ctx.spec.cpu !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `cpu: ${ctx.spec.cpu}: the 2.6.34 pipeline models QEMU's default CPU only (use_pse in init_memory_mapping)`);
  if (ctx.spec.numa) throw new SimError('SIM_NOT_MODELLED', where, 'numa: a 2.6.34 build without CONFIG_NUMA under -numa is not modelled');
  if (ctx.spec.probe !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `probe: ${ctx.spec.probe}: the initrd it boots with (2.6.34 arch/x86/kernel/setup.c reserve_initrd, an early_res entry) is not modelled for 2.6.34`);
  for (const p of parseParams(ctx.spec.cmdline ?? '')) {
    throw new SimError('SIM_NOT_MODELLED', where, `cmdline: ${p.param}${p.val === undefined ? '' : `=${p.val}`} is not modelled for 2.6.34 (no parameter is reviewed)`);
  }
  return { state, lines: [] };
};
