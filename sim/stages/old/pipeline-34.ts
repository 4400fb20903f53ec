// The 2.6.34 pipeline: setup_arch() and start_kernel() of 2.6.34 (urbanspr1nter/linux-2.6.34) in their
// order, each stage named after its kernel function. harness/simulate.ts runs it for the kernels whose
// traits say earlyAllocator 'early_res'. Where 2.6.34's source is 3.0.1's (e820 printing and
// end_pfn, find_low_pfn_range, free_area_init_nodes, build_all_zonelists, the hash tables, cpu_init,
// set_highmem_pages_init, mem_init's layout block) the 3.0 stage runs; the early_res stages are its own.
import type { BootState, SliceName } from '../../state.ts';
import type { DmesgLine } from '../../types.ts';
import type { SimulateOptions } from '../../boot.ts';
import type { Boot30Context, Stage30, Stage30Fn } from './context-30.ts';
import { envelope34 } from './envelope-34.ts';
import { simulate30 } from './pipeline-30.ts';
import { setupMemoryMap30, e820EndOfRamPfn30, e820SetupGap30 } from './e820-30.ts';
import { findLowPfnRange30 } from './init-32-30.ts';
import { buildAllZonelists30, pidhashInit30, vfsCachesInitEarly30 } from './page-alloc-30.ts';
import { pagingInit34, freeAreaInitNodes34, e820ReserveResources34, setupCommandLine34, earlyHashesBootmem34, memInit34 } from './bootmem-34.ts';
import { cpuInit30, kernelCommandLine30, setHighmemPagesInit30, memInitLayout30 } from './start-kernel-30.ts';
import { i386StartKernel34, dmiScanMachine34, reserveBrk34, initMemoryMapping34, initmemInit34, earlyResToBootmem34 } from './early-res-34.ts';
import { trimBiosRange34, kmemCacheInit34 } from './setup-34.ts';

const stage = (decl: { readonly name: string; readonly reads: readonly SliceName[]; readonly writes: readonly SliceName[] }, run: Stage30Fn): Stage30 => ({ ...decl, run });

/** The 2.6.34 pipeline (sim/stages/old/), for kernels whose traits say earlyAllocator 'early_res'. */
export const stages34: readonly Stage30[] = [
  stage({ name: 'envelope34', reads: [], writes: [] }, envelope34),
  // setup_arch() → setup_memory_map(): "BIOS-provided physical RAM map:", e820_print_map("BIOS-e820") (3.0.1's code)
  stage({ name: 'setupMemoryMap30', reads: [], writes: ['legacy30'] }, setupMemoryMap30),
  // i386_start_kernel(), before start_kernel(): TEXT DATA BSS, BIOS reserved (no lines; run here to extend the slice)
  stage({ name: 'i386StartKernel34', reads: ['legacy30'], writes: ['legacy30'] }, i386StartKernel34),
  // setup_arch() → dmi_scan_machine(): its copies in brk
  stage({ name: 'dmiScanMachine34', reads: ['legacy30'], writes: ['legacy30'] }, dmiScanMachine34),
  // setup_arch() → trim_bios_range(): "e820 update range:", "e820 remove range:"
  stage({ name: 'trimBiosRange34', reads: ['legacy30'], writes: ['legacy30'] }, trimBiosRange34),
  // setup_arch(): max_pfn = e820_end_of_ram_pfn(): last_pfn; find_low_pfn_range()
  stage({ name: 'e820EndOfRamPfn30', reads: ['legacy30'], writes: ['legacy30'] }, e820EndOfRamPfn30),
  stage({ name: 'findLowPfnRange30', reads: ['legacy30'], writes: ['legacy30'] }, findLowPfnRange30),
  // setup_arch(): "initial memory mapped", reserve_brk()
  stage({ name: 'reserveBrk34', reads: ['legacy30'], writes: ['legacy30'] }, reserveBrk34),
  // setup_arch() → init_memory_mapping(): its ranges, find_early_table_space(), PGTABLE
  stage({ name: 'initMemoryMapping34', reads: ['legacy30'], writes: ['legacy30'] }, initMemoryMapping34),
  // setup_arch() → initmem_init(): HIGHMEM/LOWMEM available, setup_bootmem_allocator() (BOOTMAP)
  stage({ name: 'initmemInit34', reads: ['legacy30'], writes: ['legacy30'] }, initmemInit34),
  // setup_arch() → early_res_to_bootmem(): the "(N/32 early reservations) ==> bootmem" list, reserved in bootmem
  stage({ name: 'earlyResToBootmem34', reads: ['legacy30'], writes: ['legacy30'] }, earlyResToBootmem34),
  // setup_arch() → paging_init() → pagetable_init(): the pkmap PTE page from bootmem
  stage({ name: 'pagingInit34', reads: ['legacy30'], writes: ['legacy30'] }, pagingInit34),
  // paging_init() → zone_sizes_init() → free_area_init_nodes(): 3.0.1's lines, plus free_area_init_node()'s mem_map line and allocations
  stage({ name: 'freeAreaInitNodes34', reads: ['legacy30'], writes: ['legacy30'] }, freeAreaInitNodes34),
  // setup_arch() → e820_reserve_resources(), e820_setup_gap(): "Allocating PCI resources starting at"
  stage({ name: 'e820ReserveResources34', reads: ['legacy30'], writes: ['legacy30'] }, e820ReserveResources34),
  stage({ name: 'e820SetupGap30', reads: ['legacy30'], writes: [] }, e820SetupGap30),
  // start_kernel(): setup_command_line(), setup_per_cpu_areas() is percpu_up.c's (no lines), build_all_zonelists(), "Kernel command line:"
  stage({ name: 'setupCommandLine34', reads: ['legacy30'], writes: ['legacy30'] }, setupCommandLine34),
  stage({ name: 'buildAllZonelists30', reads: ['legacy30'], writes: [] }, buildAllZonelists30),
  stage({ name: 'kernelCommandLine30', reads: [], writes: [] }, kernelCommandLine30),
  // start_kernel(): pidhash_init(), vfs_caches_init_early(), and their bootmem
  stage({ name: 'pidhashInit30', reads: ['legacy30'], writes: [] }, pidhashInit30),
  stage({ name: 'vfsCachesInitEarly30', reads: ['legacy30'], writes: [] }, vfsCachesInitEarly30),
  stage({ name: 'earlyHashesBootmem34', reads: ['legacy30'], writes: ['legacy30'] }, earlyHashesBootmem34),
  // trap_init() → cpu_init(): "Initializing CPU#0"
  stage({ name: 'cpuInit30', reads: [], writes: [] }, cpuInit30),
  // mm_init() → mem_init(): set_highmem_pages_init(), free_all_bootmem() and "Memory:", the layout block, test_wp_bit()
  stage({ name: 'setHighmemPagesInit30', reads: ['legacy30'], writes: [] }, setHighmemPagesInit30),
  stage({ name: 'memInit34', reads: ['legacy30'], writes: [] }, memInit34),
  stage({ name: 'memInitLayout30', reads: ['legacy30'], writes: [] }, memInitLayout30),
  // mm_init() → kmem_cache_init(): "SLUB: Genslabs=13, …"
  stage({ name: 'kmemCacheInit34', reads: [], writes: [] }, kmemCacheInit34),
];

/** Runs the 2.6.34 stages with the 3.0 pipeline's runner (simulate30), with its observer option. */
export function simulate34(ctx: Boot30Context, opts: SimulateOptions = {}): { readonly lines: readonly DmesgLine[]; readonly state: BootState } {
  return simulate30(ctx, stages34, opts);
}
