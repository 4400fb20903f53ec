// What the 2.6.11 x86_64 pipeline models, checked before it runs: the prebuilt's shape — an SMP, NUMA
// (DISCONTIGMEM with the dummy node) x86_64 build of 2.6.11 without ACPI_NUMA — booted with the fixed command
// line, no initrd and no -numa. Each refusal names what the pipeline would otherwise get wrong.
// The build's IOMMU_DEBUG (force_iommu: swiotlb below 4G), ACPI_SLEEP (the wakeup page) and K8_NUMA (the
// northbridge scan) are read from the facts and modelled either way by the stages that use them
// (start-kernel-2611-x86_64.ts swiotlbWanted2611, setup-memory-2611-x86_64.ts).
import type { Stage30Fn } from './context-30.ts';
import { SimError } from '../../lib/errors.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { parseParams } from '../cmdline.ts';

/**
 * Config options that must be set: SMP (the spinlock_t and pgdat layout of sizes-2611.ts, the trampoline
 * reservations), NUMA (numa_initmem_init() and setup_node_zones(): without DISCONTIGMEM, contig_initmem_init()
 * and a counted reserved field, not modelled), MODULES (PERCPU_ENOUGH_ROOM).
 */
const REQUIRED_2611_X64: readonly string[] = ['SMP', 'NUMA', 'MODULES'];
/** Options refused: ACPI_NUMA (acpi_scan_nodes() over QEMU's SRAT), BLK_DEV_INITRD (bad_addr()'s and setup_arch()'s initrd), EFI. */
const REFUSED_2611_X64: readonly string[] = ['ACPI_NUMA', 'BLK_DEV_INITRD', 'EFI'];

export const envelope2611x64: Stage30Fn = (state, ctx) => {
  const where = 'envelope (2.6.11 x86_64)';
  if (ctx.traits.arch !== 'x86_64') throw new SimError('SIM_NOT_MODELLED', where, `arch: the 2.6.11 x86_64 pipeline models x86_64 builds only, got ${ctx.traits.arch}`);
  for (const o of REQUIRED_2611_X64) if (!configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', where, `CONFIG_${o} unset: the 2.6.11 x86_64 pipeline models the prebuilt's SMP NUMA build only`);
  for (const o of REFUSED_2611_X64) if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', where, `CONFIG_${o}: not modelled for 2.6.11 x86_64`);
  const nr = kernelConfig(ctx.kernel, 'NR_CPUS');
  if (nr === undefined || ctx.spec.cpus > Number(nr)) throw new SimError('SIM_NOT_MODELLED', where, `cpus: ${ctx.spec.cpus} above CONFIG_NR_CPUS ${nr ?? '(none in the facts)'}: mp_register_lapic()'s "NR_CPUS limit" lines and the dropped processors are not modelled for 2.6.11 x86_64`);
  if (ctx.spec.numa) throw new SimError('SIM_NOT_MODELLED', where, 'numa: -numa nodes are not modelled for 2.6.11 x86_64');
  if (ctx.spec.probe !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `probe: ${ctx.spec.probe}: the initrd it boots with is not modelled for 2.6.11 x86_64`);
  for (const p of parseParams(ctx.spec.cmdline ?? '')) {
    throw new SimError('SIM_NOT_MODELLED', where, `cmdline: ${p.param}${p.val === undefined ? '' : `=${p.val}`} is not modelled for 2.6.11 x86_64 (no parameter is reviewed: mem=, numa=, iommu=, swiotlb=, earlyprintk=, debug, dhash_entries=, ihash_entries= change modelled lines)`);
  }
  return { state, lines: [] };
};
