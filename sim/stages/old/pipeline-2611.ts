// The 2.6.11 pipelines: setup_arch() and start_kernel() of 2.6.11 (wyangsc/linux-2.6.11_bzImage_vmlinux,
// arch/i386 and arch/x86_64) in their order, each stage named after its kernel function. harness/simulate.ts
// runs them for kernels whose traits say earlyAllocator 'bootmem', by arch.
import type { BootState, SliceName } from '../../state.ts';
import type { DmesgLine } from '../../types.ts';
import type { SimulateOptions } from '../../boot.ts';
import type { Boot30Context, Stage30, Stage30Fn } from './context-30.ts';
import { simulate30 } from './pipeline-30.ts';
import { envelope2611 } from './envelope-2611.ts';
import { setupArchMemoryMap2611, setupMemory2611, pagetableInit2611, zoneSizesInit2611, dmiScanMachine2611, registerMemory2611 } from './setup-memory-2611.ts';
import { buildAllZonelists2611, pidhashInit2611, conInit2611, vfsCachesInitEarly2611, memInit2611 } from './start-kernel-2611.ts';
import { kernelCommandLine30, cpuInit30 } from './start-kernel-30.ts';
import { envelope2611x64 } from './envelope-2611-x86_64.ts';
import { initMemoryMapping2611 } from './setup-2611.ts';
import { numaInitmemInit2611, reserveSetupArch2611x64, pagingInit2611x64, acpiBootInit2611x64, e820ReserveResources2611x64 } from './setup-memory-2611-x86_64.ts';
import { setupPerCpuAreas2611, memInit2611x64, smpBootCpus2611x64 } from './start-kernel-2611-x86_64.ts';

const stage = (decl: { readonly name: string; readonly reads: readonly SliceName[]; readonly writes: readonly SliceName[] }, run: Stage30Fn): Stage30 => ({ ...decl, run });

/**
 * The start_kernel() stages both 2.6.11 arches share, in their order: build_all_zonelists(), "Kernel
 * command line:", trap_init() → cpu_init()'s "Initializing CPU#0" (arch/i386/kernel/cpu/common.c and
 * arch/x86_64/kernel/setup64.c print the same line), pidhash_init(), console_init() → con_init() and
 * vfs_caches_init_early() (common code; the sizes follow the arch).
 */
const startKernelCommon2611: readonly Stage30[] = [
  stage({ name: 'buildAllZonelists2611', reads: [], writes: [] }, buildAllZonelists2611),
  stage({ name: 'kernelCommandLine30', reads: [], writes: [] }, kernelCommandLine30),
  stage({ name: 'cpuInit30', reads: [], writes: [] }, cpuInit30),
  stage({ name: 'pidhashInit2611', reads: ['legacy2611'], writes: ['legacy2611'] }, pidhashInit2611),
  stage({ name: 'conInit2611', reads: ['legacy2611'], writes: ['legacy2611'] }, conInit2611),
  stage({ name: 'vfsCachesInitEarly2611', reads: ['legacy2611'], writes: ['legacy2611'] }, vfsCachesInitEarly2611),
];

/** The 2.6.11 i386 pipeline (sim/stages/old/*-2611.ts). */
export const stages2611i386: readonly Stage30[] = [
  stage({ name: 'envelope2611', reads: [], writes: [] }, envelope2611),
  // setup_arch() → machine_specific_memory_setup(), print_memory_map("BIOS-e820")
  stage({ name: 'setupArchMemoryMap2611', reads: [], writes: ['legacy2611'] }, setupArchMemoryMap2611),
  // setup_arch() → setup_memory(): find_max_pfn, find_max_low_pfn, HIGHMEM/LOWMEM available, init_bootmem, reserve_bootmem
  stage({ name: 'setupMemory2611', reads: ['legacy2611'], writes: ['legacy2611'] }, setupMemory2611),
  // setup_arch() → paging_init() → pagetable_init(): the fixmap and pkmap PTE pages
  stage({ name: 'pagetableInit2611', reads: ['legacy2611'], writes: ['legacy2611'] }, pagetableInit2611),
  // paging_init() → zone_sizes_init() → free_area_init(): totalpages, the zone lines, mem_map, wait tables
  stage({ name: 'zoneSizesInit2611', reads: ['legacy2611'], writes: ['legacy2611'] }, zoneSizesInit2611),
  // setup_arch() → dmi_scan_machine(): its string copies
  stage({ name: 'dmiScanMachine2611', reads: ['legacy2611'], writes: ['legacy2611'] }, dmiScanMachine2611),
  // setup_arch() → register_memory(): the e820 resources, "Allocating PCI resources starting at"
  stage({ name: 'registerMemory2611', reads: ['legacy2611'], writes: ['legacy2611'] }, registerMemory2611),
  // start_kernel(): build_all_zonelists(), "Kernel command line:"
  ...startKernelCommon2611,
  // mem_init(): free_all_bootmem(), set_highmem_pages_init(), "Memory:"
  stage({ name: 'memInit2611', reads: ['legacy2611'], writes: [] }, memInit2611),
];

/** The 2.6.11 x86_64 pipeline (setup-2611.ts, *-2611-x86_64.ts, and the i386 stages where the code is common). */
export const stages2611x86_64: readonly Stage30[] = [
  stage({ name: 'envelope2611x64', reads: [], writes: [] }, envelope2611x64),
  // setup_arch() → setup_memory_region(): copy_e820_map(), "BIOS-provided physical RAM map:" and e820_print_map()
  stage({ name: 'setupArchMemoryMap2611', reads: [], writes: ['legacy2611'] }, setupArchMemoryMap2611),
  // e820_end_of_ram(), init_memory_mapping(0, end_pfn_map): the direct-mapping tables (or the qemu64 panic)
  stage({ name: 'initMemoryMapping2611', reads: ['legacy2611'], writes: ['legacy2611'] }, initMemoryMapping2611),
  // numa_initmem_init() → setup_node_bootmem(): the dummy node, its pgdat and bitmap
  stage({ name: 'numaInitmemInit2611', reads: ['legacy2611'], writes: ['legacy2611'] }, numaInitmemInit2611),
  // the reserve_bootmem_generic() calls, acpi_reserve_bootmem(), find_smp_config()
  stage({ name: 'reserveSetupArch2611x64', reads: ['legacy2611'], writes: ['legacy2611'] }, reserveSetupArch2611x64),
  // paging_init() → setup_node_zones() → free_area_init_node(): mem_map, wait tables
  stage({ name: 'pagingInit2611x64', reads: ['legacy2611'], writes: ['legacy2611'] }, pagingInit2611x64),
  // acpi_boot_init(): the first set_fixmap()'s page tables
  stage({ name: 'acpiBootInit2611x64', reads: ['legacy2611'], writes: ['legacy2611'] }, acpiBootInit2611x64),
  // e820_reserve_resources(), iommu_hole_init()
  stage({ name: 'e820ReserveResources2611x64', reads: ['legacy2611'], writes: ['legacy2611'] }, e820ReserveResources2611x64),
  // start_kernel(): setup_per_cpu_areas(), build_all_zonelists(), "Kernel command line:", trap_init() → cpu_init()
  stage({ name: 'setupPerCpuAreas2611', reads: ['legacy2611'], writes: ['legacy2611'] }, setupPerCpuAreas2611),
  ...startKernelCommon2611,
  // mem_init(): swiotlb_init(), numa_free_all_bootmem(), "Memory:"
  stage({ name: 'memInit2611x64', reads: ['legacy2611'], writes: [] }, memInit2611x64),
  // init() → smp_boot_cpus(): each AP's cpu_init()
  stage({ name: 'smpBootCpus2611x64', reads: [], writes: [] }, smpBootCpus2611x64),
];

/** Runs the 2.6.11 stages of the context's arch with the 3.0 pipeline's runner (simulate30), with its observer option. */
export function simulate2611(ctx: Boot30Context, opts: SimulateOptions = {}): { readonly lines: readonly DmesgLine[]; readonly state: BootState } {
  return simulate30(ctx, ctx.traits.arch === 'x86_64' ? stages2611x86_64 : stages2611i386, opts);
}
