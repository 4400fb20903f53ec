// What the 3.0 pipeline models, checked before it runs: a UP X86_32 build of 3.0.1 booted with the
// fixed command line (plus memblock=debug). Anything else is refused by name, never run half-modelled.
import type { Stage30Fn } from './context-30.ts';
import { SimError } from '../../lib/errors.ts';
import { configEnabled } from '../../traits.ts';
import { parseParams } from '../cmdline.ts';

/**
 * Parameters the 3.0 pipeline reviews: memblock=debug (mm/memblock.c early_memblock(), 3.0.1) only
 * prints memblock's own KERN_INFO lines and changes no modelled line. Every other parameter given in
 * the profile (mem=, memmap=, highmem=, vmalloc=, reservelow=, kernelcore=, dhash_entries=, …) changes
 * a modelled line and is refused until it is modelled.
 */
const REVIEWED_30: readonly string[] = ['memblock'];

export const envelope30: Stage30Fn = (state, ctx) => {
  const where = 'envelope (3.0)';
  if (ctx.traits.arch !== 'i386') throw new SimError('SIM_NOT_MODELLED', where, `arch: the 3.0 pipeline models X86_32 builds only, got ${ctx.traits.arch}`);
  if (configEnabled(ctx.kernel, 'SMP')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_SMP: the 3.0 pipeline models UP builds (percpu, nr_cpu_ids) only');
  if (configEnabled(ctx.kernel, 'NUMA')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_NUMA: not modelled for 3.0');
  if (configEnabled(ctx.kernel, 'DEBUG_PAGEALLOC')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_DEBUG_PAGEALLOC: its struct page (WANT_PAGE_DEBUG_FLAGS) is not modelled for 3.0');
  // arch/x86/mm/init.c init_memory_mapping() (3.0.1): under DEBUG_PAGEALLOC or KMEMCHECK use_pse = use_gbpages = 0, the whole direct map in 4k pages
  if (configEnabled(ctx.kernel, 'KMEMCHECK')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_KMEMCHECK: init_memory_mapping() without PSE pages (and kmemcheck\'s shadow pages) is not modelled for 3.0');
  // mm/Kconfig (3.0.1): an X86_32 build may choose SPARSEMEM (ARCH_SPARSEMEM_ENABLE with EXPERIMENTAL), whose sparse_init() replaces alloc_node_mem_map()'s one flat mem_map
  if (!configEnabled(ctx.kernel, 'FLATMEM')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_FLATMEM: expected y (FLAT_NODE_MEM_MAP: alloc_node_mem_map()\'s one mem_map), found it not set; SPARSEMEM\'s sparse_init() is not modelled for 3.0');
  // arch/x86/kernel/setup.c (3.0.1): acpi_boot_table_init(), early_acpi_boot_init() and acpi_boot_init() print the ACPI tables and, under HPET_TIMER, acpi_parse_hpet() takes alloc_bootmem() for the HPET resource
  if (configEnabled(ctx.kernel, 'ACPI')) throw new SimError('SIM_NOT_MODELLED', where, 'CONFIG_ACPI: acpi_boot_init()\'s lines and acpi_parse_hpet()\'s boot allocation are not modelled for 3.0');
  // the CPU's features (PSE for init_memory_mapping's big pages, NX for x86_report_nx) are those of QEMU's default qemu32 model
  if (ctx.spec.cpu !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `cpu: ${ctx.spec.cpu}: the 3.0 pipeline models QEMU's default CPU only (use_pse in init_memory_mapping)`);
  // fs/exec.c search_binary_handler() (3.0.1): without CONFIG_BINFMT_ELF no handler takes the probe's ELF /init, and init/main.c panics "No init found"
  if (ctx.spec.probe !== undefined && !configEnabled(ctx.kernel, 'BINFMT_ELF')) throw new SimError('SIM_NOT_MODELLED', where, `probe: ${ctx.spec.probe}: ${ctx.kernel.id} is built without CONFIG_BINFMT_ELF, so it cannot run the probe's ELF /init (init/main.c: "No init found"); the same build with it is 3.0.1-i386-elf`);
  if (ctx.spec.numa) throw new SimError('SIM_NOT_MODELLED', where, 'numa: a 3.0.1 build without CONFIG_NUMA under -numa is not modelled');
  for (const p of parseParams(ctx.spec.cmdline ?? '')) {
    if (REVIEWED_30.includes(p.param) && (p.param !== 'memblock' || p.val === 'debug')) continue;
    throw new SimError('SIM_NOT_MODELLED', where, `cmdline: ${p.param}${p.val === undefined ? '' : `=${p.val}`} is not modelled for 3.0 (only memblock=debug is reviewed)`);
  }
  return { state, lines: [] };
};
