// The 3.0.1 pipeline: setup_arch() and start_kernel() of 3.0.1 in their order, each stage named after
// its kernel function. harness/simulate.ts runs it (simulate30) for the kernels whose traits say
// earlyAllocator 'nobootmem'; its declarations are held to the same rules as the modern pipeline's
// (tests/sim/state.test.ts).
import type { BootState, SliceName } from '../../state.ts';
import type { DmesgLine } from '../../types.ts';
import type { SimulateOptions } from '../../boot.ts';
import type { Boot30Context, Stage30, Stage30Fn } from './context-30.ts';
import { envelope30 } from './envelope-30.ts';
import { setupMemoryMap30, trimBiosRange30, e820EndOfRamPfn30, e820SetupGap30 } from './e820-30.ts';
import { findLowPfnRange30, initMemoryMapping30, initmemInit30 } from './init-32-30.ts';
import { reserveInitrd30 } from './initrd-30.ts';
import { buildAllZonelists30, pidhashInit30, vfsCachesInitEarly30 } from './page-alloc-30.ts';
import { i386StartKernel30, reserveBrk30, pagingInit30, freeAreaInitNode30, e820ReserveResources30, setupCommandLine30, earlyHashesMemblock30, memInit30 } from './nobootmem-30.ts';
import { cpuInit30, setupPerCpuAreas30, kernelCommandLine30, setHighmemPagesInit30, memInitLayout30, kmemCacheInit30 } from './start-kernel-30.ts';

const stage = (decl: { readonly name: string; readonly reads: readonly SliceName[]; readonly writes: readonly SliceName[] }, run: Stage30Fn): Stage30 => ({ ...decl, run });

/**
 * The 3.0.1 pipeline (sim/stages/old/), for kernels whose traits say earlyAllocator 'nobootmem':
 * setup_arch() and start_kernel() of 3.0.1 in their order, each stage named after its kernel function.
 */
export const stages30: readonly Stage30[] = [
  stage({ name: 'envelope30', reads: [], writes: [] }, envelope30),
  // setup_arch() → setup_memory_map(): "BIOS-provided physical RAM map:", e820_print_map("BIOS-e820")
  stage({ name: 'setupMemoryMap30', reads: [], writes: ['legacy30'] }, setupMemoryMap30),
  // i386_start_kernel(), before start_kernel(): memblock_init(), TEXT DATA BSS, * BIOS reserved (no lines; run here to extend the slice)
  stage({ name: 'i386StartKernel30', reads: ['legacy30'], writes: ['legacy30'] }, i386StartKernel30),
  // setup_arch() → trim_bios_range(): "e820 update range:", "e820 remove range:"
  stage({ name: 'trimBiosRange30', reads: ['legacy30'], writes: ['legacy30'] }, trimBiosRange30),
  // setup_arch(): max_pfn = e820_end_of_ram_pfn(): last_pfn
  stage({ name: 'e820EndOfRamPfn30', reads: ['legacy30'], writes: ['legacy30'] }, e820EndOfRamPfn30),
  // setup_arch() → find_low_pfn_range() (no lines)
  stage({ name: 'findLowPfnRange30', reads: ['legacy30'], writes: ['legacy30'] }, findLowPfnRange30),
  // setup_arch() → reserve_brk(), memblock_x86_fill() (no lines)
  stage({ name: 'reserveBrk30', reads: ['legacy30'], writes: ['legacy30'] }, reserveBrk30),
  // setup_arch(): "initial memory mapped", setup_trampolines(), init_memory_mapping() and find_early_table_space(), PGTABLE
  stage({ name: 'initMemoryMapping30', reads: ['legacy30'], writes: ['legacy30'] }, initMemoryMapping30),
  // setup_arch() → reserve_initrd(): "RAMDISK:", relocate_initrd()'s "Allocated new RAMDISK" and "Move RAMDISK"
  stage({ name: 'reserveInitrd30', reads: ['legacy30'], writes: ['legacy30'] }, reserveInitrd30),
  // setup_arch() → initmem_init(): HIGHMEM/LOWMEM available, setup_bootmem_allocator()
  stage({ name: 'initmemInit30', reads: ['legacy30'], writes: ['legacy30'] }, initmemInit30),
  // setup_arch() → paging_init() → pagetable_init(): the pkmap PTE page
  stage({ name: 'pagingInit30', reads: ['legacy30'], writes: ['legacy30'] }, pagingInit30),
  // paging_init() → zone_sizes_init() → free_area_init_nodes(), with free_area_init_node()'s mem_map line and allocations
  stage({ name: 'freeAreaInitNodes30', reads: ['legacy30'], writes: ['legacy30'] }, freeAreaInitNode30),
  // setup_arch() → e820_reserve_resources() (and firmware_map_add_early()), e820_setup_gap(): "Allocating PCI resources starting at"
  stage({ name: 'e820ReserveResources30', reads: ['legacy30'], writes: ['legacy30'] }, e820ReserveResources30),
  stage({ name: 'e820SetupGap30', reads: ['legacy30'], writes: [] }, e820SetupGap30),
  // start_kernel(): setup_command_line(), setup_per_cpu_areas() (UP), build_all_zonelists(), "Kernel command line:"
  stage({ name: 'setupCommandLine30', reads: ['legacy30'], writes: ['legacy30'] }, setupCommandLine30),
  stage({ name: 'setupPerCpuAreas30', reads: ['legacy30'], writes: ['legacy30'] }, setupPerCpuAreas30),
  stage({ name: 'buildAllZonelists30', reads: ['legacy30'], writes: [] }, buildAllZonelists30),
  stage({ name: 'kernelCommandLine30', reads: [], writes: [] }, kernelCommandLine30),
  // start_kernel(): pidhash_init(), vfs_caches_init_early()
  stage({ name: 'pidhashInit30', reads: ['legacy30'], writes: [] }, pidhashInit30),
  stage({ name: 'vfsCachesInitEarly30', reads: ['legacy30'], writes: [] }, vfsCachesInitEarly30),
  stage({ name: 'earlyHashesMemblock30', reads: ['legacy30'], writes: ['legacy30'] }, earlyHashesMemblock30),
  // trap_init() → cpu_init(): "Initializing CPU#0"
  stage({ name: 'cpuInit30', reads: [], writes: [] }, cpuInit30),
  // mm_init() → mem_init(): set_highmem_pages_init(), free_all_bootmem() and "Memory:", the layout block, test_wp_bit()
  stage({ name: 'setHighmemPagesInit30', reads: ['legacy30'], writes: [] }, setHighmemPagesInit30),
  stage({ name: 'memInit30', reads: ['legacy30'], writes: [] }, memInit30),
  stage({ name: 'memInitLayout30', reads: ['legacy30'], writes: [] }, memInitLayout30),
  // mm_init() → kmem_cache_init(): "SLUB: Genslabs=…"
  stage({ name: 'kmemCacheInit30', reads: [], writes: [] }, kmemCacheInit30),
];

/**
 * Runs the 3.0 stages (or `pipeline`) in order and gathers their lines. Pure, as sim/boot.ts
 * simulate(), with the same observer (SimulateOptions.observe: each stage's index, name, state
 * before and after, lines), which only looks.
 */
export function simulate30(ctx: Boot30Context, pipeline: readonly Stage30[] = stages30, opts: SimulateOptions = {}): { readonly lines: readonly DmesgLine[]; readonly state: BootState } {
  let state: BootState = {};
  const lines: DmesgLine[] = [];
  pipeline.forEach((st, index) => {
    const r = st.run(state, ctx);
    opts.observe?.({ index, name: st.name, before: state, after: r.state, lines: r.lines });
    state = r.state;
    lines.push(...r.lines);
  });
  return { lines, state };
}
