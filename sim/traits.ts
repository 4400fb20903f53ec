// KernelTraits: what the stages may branch on, derived once per boot from the kernel's version and
// config (shared/STYLE.md §2; sim/boot.ts bootContext()). Stages never look at profile or catalog
// names, and never compare versions: every version cut is a named trait of SeriesTraits below,
// whose doc comment names the kernel change behind it. The catalog (harness/catalog/families.ts)
// takes its version ranges from the same SeriesTraits, evaluated per series of KERNEL_SERIES.
//
// Sources read: 3.0.1 (eastmoutain/Linux-3.0.1, the seeds' i386 build), 5.10.223, 6.1.192, 6.12.117
// (the pinned build is 6.12.115), 6.18.15 (upstream tarball, without the Debian patches), 7.2.13 and 7.3.4
// (trixie-backports linux-source-7.3: every cut placed at 7.0 re-read there and found to hold, except smpLocks,
// and state.slabCacheTable, which gains the two calls 7.3.4's image adds; tests/sim/traits.test.ts series_7_3_as_read).
// 6.5, 6.16 and 6.17 are pinned builds whose source the mirror no longer serves: where their goldens
// measure a cut, its comment says so. state.slabCacheTable alone also read 6.17.0 and 6.18.35 from public
// GitHub trees (sim/stages/state/caches/6.17.ts, 6.18-post.ts name them). Where a cut
// says "bounded by the trees read", only those four versions place it: the change is somewhere in
// (older, newer], and the cut is put at the newer series (or at a named upstream release when the
// upstream change is known; those are from upstream history, not from the four trees).
import type { Arch } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';
import { isKeptOption } from './kept-options.ts';
import { PMD_SHIFT_64 } from './lib/sizes.ts';

/**
 * A kernel version as the cuts need it: [major, minor], and for the 2.6 series the patch level too
 * ([2, 6, 34]): 2.6 was one series for seven years (2.6.11 boots on bootmem alone, 2.6.34 on early_res
 * handing over to bootmem, 2.6.35 on memblock), so its cuts fall between patch levels. Later series
 * carry no patch level (their stable updates are not cuts).
 */
export type KernelVersion = readonly [major: number, minor: number, patch?: number];

/**
 * The kernel series the simulator and the catalog know, oldest first. Adding a series is one entry
 * here plus the facts of its builds (goldens/kernels/<id>.yaml): seriesTraits() places every series
 * by its version alone, and the catalog's version lists are evaluated from it.
 */
export const KERNEL_SERIES = ['2.6.11', '2.6.34', '3.0', '5.10', '6.1', '6.5', '6.12', '6.16', '6.17', '6.18', '7.2', '7.3'] as const;

/** A series key such as '6.12' (or '2.6.34': seriesKeyOfVersion()): one of KERNEL_SERIES, or a synthetic one given to the catalog builder. */
export type SeriesKey = string;

/** The traits that depend on the kernel version alone: the version cuts. */
export interface SeriesTraits {
  readonly version: KernelVersion;
  /**
   * e820 message style. 'classic': "usable"/"reserved" after one space (5.10, 6.1, 6.12).
   * 'named': " System RAM"/" device reserved" after the space, `[gap …]` lines in tables and in the
   * PCI gap line, no trailing space before " ==>" (arch/x86/kernel/e820.c of 7.2). Upstream "x86/boot/e820"
   * cleanup series (Ingo Molnar): not in 6.18.15 (e820_print_type() still prints "usable", and the
   * 6.16 and 6.18 goldens print the classic form), so bounded by the trees read to (6.18, 7.2], placed at 7.0.
   * 'legacy' (3.0.1 arch/x86/kernel/e820.c e820_print_map): " %s: %016Llx - %016Llx " + "(usable)"…,
   * and "e820 update range:"/"e820 remove range:" in the same form. Bounded by the trees read:
   * (3.0.1, 5.10.223], placed at 5.10.
   */
  readonly e820Style: 'legacy' | 'classic' | 'named';
  /**
   * e820__end_ram_pfn counts E820_TYPE_ACPI as well as RAM (6.12.115 e820__end_ram_pfn; 6.1.192
   * e820_end_pfn(limit, E820_TYPE_RAM) counts RAM only). Bounded by the trees read: placed at 6.12.
   */
  readonly endPfnCountsAcpi: boolean;
  /**
   * X86_5LEVEL is no longer a config option: every x86_64 build can run 5-level paging with LA57
   * (7.2.13 arch/x86/Kconfig has no X86_5LEVEL; 6.12.115 has it). Upstream "x86/mm: Remove
   * CONFIG_X86_5LEVEL" (Kirill A. Shutemov), 6.16.
   */
  readonly fiveLevelAlways: boolean;
  /**
   * 5.10 prints "On node N totalpages", "  Z zone: N pages used for memmap", "… pages reserved",
   * "… pages, LIFO batch:N" (KERN_DEBUG in calculate_node_totalpages, free_area_init_core,
   * zone_pcp_init); 6.1.192 has none of them. Bounded by the trees read: placed at 5.11.
   */
  readonly zoneDebugLines: boolean;
  /**
   * memmap_init's init_unavailable_range() is built on FLATMEM too: 5.10.223 compiles it only
   * #if !defined(CONFIG_FLAT_NODE_MEM_MAP) (an empty stub on FLATMEM); 6.1 builds it always.
   * Bounded by the trees read: placed at 5.11.
   */
  readonly unavailableOnFlatmem: boolean;
  /**
   * Where free_area_init() runs: from setup_arch via paging_init → zone_sizes_init (5.10–6.12.115),
   * or from start_kernel → mm_core_init_early() after setup_arch (7.2.13; 6.18.15 has no
   * mm_core_init_early, and the 6.16–6.18 goldens print the zones before the percpu lines). Bounded
   * by the trees read to (6.18, 7.2]: placed at 7.0.
   */
  readonly freeAreaInitFrom: 'setup_arch' | 'mm_core_init_early';
  /**
   * e820__register_nosave_regions(): 5.10 walks every entry (gaps and non-RAM entries, stopping at
   * limit_pfn); 6.1/6.12 register only the gaps between RAM entries, then [last RAM end, limit_pfn).
   * Upstream "x86/e820: Fix handling of subpage regions when calculating nosave ranges in
   * e820__register_nosave_regions()" (Myrrh Periwinkle), 6.15, backported to the stable series:
   * 6.1.192 and 6.12.117 have it (read), 5.10.223 predates its backport and the 6.5.10 goldens walk
   * every entry (6.5 was end-of-life first). The cut is by the pinned build of each series: 6.1 and
   * 6.12 by their backport, 6.15 on upstream (6.18.15 has it).
   */
  readonly nosaveStyle: 'walk-entries' | 'ram-gaps';
  /**
   * "smpboot: Allowing %d CPUs, %d hotplug CPUs" (prefill_possible_map, 6.1.192) or "CPU topo: …"
   * (topology_init_possible_cpus, 6.12.115). Upstream x86 CPU topology rework (Thomas Gleixner), 6.9.
   */
  readonly possibleCpusStyle: 'smpboot' | 'cpu-topo';
  /**
   * The SMP alternatives' table of LOCK prefixes, .smp_locks (arch/x86/kernel/alternative.c), and who
   * frees it with free_init_pages("SMP alternatives", __smp_locks, __smp_locks_end):
   * alternative_instructions(), from start_kernel's check_bugs()/arch_cpu_finalize_init() (5.10.223,
   * 6.1.192, 6.12.115, 6.18.15), or the arch_initcall free_smp_locks(), after deferred struct page init
   * (7.2.13); bounded by the trees read to (6.18, 7.2], placed at 7.0. 'none': 7.3.4 has no table, so
   * nothing is freed and no "Freeing SMP alternatives memory" line is printed: LOCK_PREFIX is a plain
   * "lock " under CONFIG_SMP (arch/x86/include/asm/alternative.h), vmlinux.lds.S has no .smp_locks
   * output section (`.init.end { __init_end = .; }` is followed by .data_nosave and .bss) and
   * alternative.c names no __smp_locks (the UP lock-prefix patching retired, as Linus Torvalds proposed
   * on LKML in March 2025). Bounded by the trees read to (7.2, 7.3]: placed at 7.3. The kernel facts
   * extractor reads the linker script this trait names (qemu-scripts/kernel/layout.ts).
   */
  readonly smpLocks: 'alternative_instructions' | 'arch_initcall' | 'none';
  /**
   * init/main.c print_unknown_bootoptions() (absent in 5.10.223, present in 6.1.192). Upstream
   * "init: print out unknown kernel parameters" (Andrew Halaney), 5.15. This was cut at 5.14 here and
   * at 6.1 in the catalog; both now read this trait.
   */
  readonly printsUnknownBootoptions: boolean;
  /**
   * arch/x86/kernel/cpu/common.c get_cpu_address_sizes() also sets x86_clflush_size (the default
   * without CPUID 0x80000008, 32 when CPUID.1 gave none) and x86_cache_alignment: "x86/cpu: Provide
   * default cache line size if not enumerated" (6.7). Absent in 6.1.192, present in 6.12.115.
   */
  readonly clflushFromAddressSizes: boolean;
  /**
   * init/main.c unknown_bootoption(): sysctl aliases (sysctl_is_alias(), fs/proc/proc_sysctl.c) are
   * claimed, not passed to init (6.1.192; 5.10.223 has no sysctl_is_alias). Bounded by the trees read:
   * placed at 6.1.
   */
  readonly sysctlAliasesClaimed: boolean;
  /**
   * init/main.c unknown_bootoption(): bootloader[] = { "BOOT_IMAGE=", "kexec" } are swallowed
   * (6.1.192, 6.12.117, 7.2.13; not in 5.10.223). Upstream "init: handle bootloader identifier in
   * kernel parameters" (Huacai Chen, 6.17), backported to the stable series: 6.1.192 has it, and
   * 5.10.223 predates its 5.10 backport, so the cut is by the pinned build of each series, placed at 6.1.
   */
  readonly bootloaderIdsSwallowed: boolean;
  /**
   * init_on_alloc=/init_on_free= only set _init_on_*_enabled_early, and the static keys keep their
   * config default until mem_debugging_and_hardening_init() (6.1.192); 5.10.223 flips the keys in the
   * early_param. Upstream "mm, page_alloc: do not rely on the order of page_poison and
   * init_on_alloc/free parameters" (Vlastimil Babka), 5.11.
   */
  readonly initOnKeysDeferred: boolean;
  /**
   * report_meminit() names the GCC structleak plugin's stack init ("byref_all(zero)" …) (5.10.223 –
   * 6.12.115); 6.18.15 and 7.2.13 have no GCC_PLUGIN_STRUCTLEAK (scripts/gcc-plugins/ without
   * structleak_plugin.c). Bounded by the trees read to (6.12, 6.18]: placed at 6.16, the first pinned
   * series after 6.12 (the Debian 6.16–6.18 builds have no GCC plugins, so no golden tells).
   */
  readonly structleakPlugin: boolean;
  /**
   * Who prints "Memory:" (mem_init_print_info): mem_init() itself on 5.10.223 (arch/x86/mm/init_*.c,
   * then test_wp_bit() on X86_32), mm_init() right after mem_init() on 6.1.192, page_alloc_init_late()
   * after deferred init and SLUB on 6.12.115 and 7.2.13 (mm/mm_init.c). Bounded by the trees read:
   * placed at 6.1 and 6.12; the 6.5.10 goldens print it before SLUB (from mm_core_init), so the second
   * cut lies in (6.5, 6.12].
   */
  readonly memoryLineFrom: 'mem_init' | 'mm_init' | 'page_alloc_init_late';
  /**
   * zone_movable_is_highmem() is the compile-time constant (ZONE_MOVABLE − 1 == ZONE_HIGHMEM) on a
   * build without CONFIG_NEED_MULTIPLE_NODES (5.10.223); 6.1.192 tests CONFIG_NUMA, and movable_zone
   * decides there (include/linux/mmzone.h). Upstream "mm: replace CONFIG_NEED_MULTIPLE_NODES with
   * CONFIG_NUMA" (Mike Rapoport), 5.14. Combined with CONFIG_NUMA in KernelTraits.
   */
  readonly movableIsHighmemConstantWithoutNuma: boolean;
  /**
   * What memblock.<type>.cnt reads for an empty array: 1 where mm/memblock.c keeps an "empty dummy
   * entry" (5.10.223, 6.1.192), 0 where it does not (6.12.115, 7.2.13). Bounded by the trees read:
   * placed at 6.12.
   */
  readonly memblockEmptyCnt: 0 | 1;
  /**
   * Who reserves crashkernel=: arch/x86/kernel/setup.c reserve_crashkernel() ('x86', 5.10.223,
   * 6.1.192) or kernel/crash_reserve.c reserve_crashkernel_generic() ('generic', 6.12.115, 7.2.13;
   * upstream "x86: kdump: use generic interface to simplify crashkernel reservation code", 6.7).
   */
  readonly crashkernel: 'x86' | 'generic';
  /** parse_crashkernel_mem() rounds system_ram up to 128M (6.1.192 on; not in 5.10.223; only the versions read bound it). */
  readonly crashkernelMemRoundup: boolean;
  /** The ",cma" suffix of crashkernel= (7.2.13; not in 6.12.115: upstream "kdump: implement reserve_crashkernel_cma", 6.16). */
  readonly crashkernelCmaSuffix: boolean;
  /**
   * How a memoryless node (CPUs in the SRAT, no memory) gets its pg_data_t: 'init_cpu_to_node'
   * (5.10.223: init_memory_less_node() → alloc_node_data(), "NODE_DATA(%d) allocated", page-rounded),
   * 'initializing' (6.1.192: free_area_init() "Initializing node %d as memoryless",
   * generic_alloc_nodedata = memblock_alloc(sizeof(pg_data_t), SMP_CACHE_BYTES); upstream "mm: handle
   * uninitialized numa nodes gracefully", 5.17) or 'offline' (6.12.115, 7.2.13: free_area_init() →
   * alloc_offline_node_data(), silent; the numa_memblks series, 6.12). Only the versions read bound them.
   */
  readonly memorylessNodes: 'init_cpu_to_node' | 'initializing' | 'offline';
  /**
   * arch/x86/kernel/setup.c early reservations (6.1.192): early_reserve_memory() reserves the kernel
   * and the first 64K before e820 setup, reserve_bios_regions() runs there, and reserve_real_mode()
   * is followed by memblock_reserve of the whole first 1M; 5.10.223 reserves page 0 in setup_arch,
   * runs reserve_bios_regions() after e820__memblock_setup() and trim_low_memory_range() reserves
   * 64K. Upstream "x86/setup: always reserve the first 1M of RAM" and "x86/setup: Move early memory
   * reservations into a separate function" (Mike Rapoport), 5.13.
   */
  readonly earlyReserveMemory: boolean;
  /**
   * arch/x86/mm/init.c memory_map_top_down(): 6.1.192 allocates and frees a PMD-sized probe
   * (memblock_phys_alloc_range + memblock_phys_free) to find the first chunk; 5.10.223 only finds
   * one (memblock_find_in_range). Bounded by the trees read: placed at 5.11.
   */
  readonly mapTopDownProbe: 'find' | 'alloc-free';
  /**
   * INIT_PGT_BUF_SIZE (arch/x86/mm/init.c): 5.10.223 a fixed 6 pages (12 with RANDOMIZE_MEMORY);
   * 6.1.192 on, 2 × INIT_PGD_PAGE_TABLES (3 tables, 4 with 5-level paging built), doubled with
   * RANDOMIZE_MEMORY. Bounded by the trees read: placed at 6.1.
   */
  readonly pgtBufPerTable: boolean;
  /**
   * The NUMA memblks code (numa_cleanup_meminfo, numa_register_meminfo, alloc_node_data) lives in
   * arch/x86/mm/numa.c (6.1.192) or in the generic mm/numa_memblks.c and mm/numa.c (6.12.115):
   * alloc_node_data() then rounds NODE_DATA to SMP_CACHE_BYTES, not PAGE_SIZE, and the node is
   * placed in [memblock_start_of_DRAM, memblock_end_of_DRAM). Upstream "mm: introduce numa_memblks"
   * series (Mike Rapoport), 6.12.
   */
  readonly numaMemblks: 'arch' | 'generic';
  /**
   * arch/x86/mm/srat.c acpi_numa_processor_affinity_init() prints "SRAT: PXM %u -> APIC 0x%02x -> Node
   * %u" with KERN_INFO (5.10.223, 6.1.192) or pr_debug, not printed (6.12.115). Bounded by the trees
   * read: placed at 6.12.
   */
  readonly sratCpuLineInfo: boolean;
  /**
   * numa_emulation() (mm/numa_emulation.c 6.12.117, 7.2.13) calls fix_pxm_node_maps()
   * (drivers/acpi/numa/srat.c): the SRAT's physical nodes no emulated node maps to are enabled in
   * numa_nodes_parsed at the next free nids, and a second distance loop reads the copied physical
   * distance table for them. Absent from arch/x86/mm/numa_emulation.c 6.1.192; the pinned 6.12.115
   * image holds fix_pxm_node_maps()'s WARN strings ("Node %d is already binded to PXM %d").
   * Bounded by the trees read: placed at 6.12.
   */
  readonly numaEmuFixPxm: boolean;
  /**
   * mm/vmalloc.c vm_area_register_early() (6.1.192, 6.12.117, 7.2.13) places the area in vmlist's
   * first gap from VMALLOC_START and BUG_ON(addr > VMALLOC_END - vm->size); 5.10.223 only bumps a
   * static vm_init_off from VMALLOC_START, with no bound, so an X86_32 percpu_alloc=page first chunk
   * larger than the vmalloc area runs on past VMALLOC_END (a 5.10-686-pae boot with vmalloc=2M and 32
   * CPUs goes on to SLUB). Bounded by the trees read: placed at 6.1.
   */
  readonly vmAreaEarlyBoundsCheck: boolean;
  /**
   * dma_reserve: memblock_find_dma_reserve() (arch/x86/mm/init.c) charged to ZONE_DMA, and
   * free_area_init_core() subtracts the memmap and dma_reserve from managed pages (6.1.192); gone in
   * 6.12.115. Upstream "mm/mm_init.c: remove the useless dma_reserve" and "mm/mm_init.c: remove
   * meaningless calculation of zone->managed_pages in free_area_init_core()" (Baoquan He), 6.9.
   */
  readonly dmaReserve: boolean;
  /**
   * The file of the core mm init code (free_area_init, alloc_large_system_hash …): mm/page_alloc.c
   * (5.10.223, 6.1.192) or mm/mm_init.c (6.12.115). Upstream "mm: move most of core MM
   * initialization to mm/mm_init.c" (Mike Rapoport), 6.4. Names sources in explanations only.
   */
  readonly mmInitFile: 'mm/page_alloc.c' | 'mm/mm_init.c';
  /**
   * FLATMEM alloc_node_mem_map() allocates through memmap_alloc() (6.1.192) or memblock_alloc_node()
   * (5.10.223). Upstream "mm: introduce memmap_alloc() to unify memory map allocation" (Mike
   * Rapoport), 5.15. Names the ledger's source only.
   */
  readonly memmapAlloc: boolean;
  /**
   * include/linux/pageblock-flags.h: NR_PAGEBLOCK_BITS 4 (6.12.115); 6.18.15 and 7.2.13 add
   * PB_migrate_isolate under MEMORY_ISOLATION and round to a power of two. Upstream "mm/page_isolation:
   * make page isolation a standalone bit" (Zi Yan), 6.17: measured, the 6.16.12 memblock=debug goldens
   * allocate the 4-bit usemaps and the 6.17.13 ones the 8-bit.
   */
  readonly pageblockIsolateBit: boolean;
  /**
   * mm/sparse.c sparse_buffer_init(): in 6.12.115 and 6.18.15 (the 6.16–6.18 memblock=debug goldens
   * allocate its buffer), gone in 7.2.13. Bounded by the trees read to (6.18, 7.2]: placed at 7.0.
   */
  readonly sparseBuffer: boolean;
  /**
   * lib/stackdepot.c stack_depot_early_init(): 'none' (5.10.223 has no early init), 'hash-order'
   * (6.1.192: STACK_HASH_SCALE / STACK_HASH_ORDER_MIN/MAX, modelled) or 'bucket-order' (6.12.115:
   * stack_bucket_number_order and the stack pools, not modelled; slub_debug= is refused there).
   * Bounded by the trees read: placed at 6.1 and 6.12.
   */
  readonly stackDepotEarly: 'none' | 'hash-order' | 'bucket-order';
  /**
   * kernel/printk/printk.c setup_log_buf(): prints "log_buf_len: %u bytes" (≤ 6.12.115) or, through
   * print_log_buf_usage_stats(), "log buffer data + meta data: …" also for the static buffer (6.18.15,
   * 7.2.13; the 6.16 goldens print it). Bounded by the goldens to (6.12, 6.16]: placed at 6.16.
   */
  readonly logBufUsageStats: boolean;
  /**
   * mm/slub.c: slub_max_order defaults to 1 under CONFIG_SLUB_TINY (6.12.115; no SLUB_TINY in 6.1.192).
   * Upstream "mm, slub: add CONFIG_SLUB_TINY" (Vlastimil Babka), 6.2.
   */
  readonly slubTiny: boolean;
  /**
   * mm/slub.c exists and kmem_cache_init() prints "SLUB: …": 2.6.11 has mm/slab.c only (its boot prints
   * nothing about the slab allocator before init), so its memory-init window ends at mem_init()'s
   * "Memory:" line (harness/normalise.ts findWindow, qemu-scripts/capture.ts windowComplete).
   * Upstream "SLUB core" (Christoph Lameter), 2.6.22.
   */
  readonly slubAllocator: boolean;
  /**
   * mm/slub.c setup_slub_min_order() raises slub_max_order to a larger slub_min_order, and
   * setup_slub_max_order() lowers slub_min_order to a smaller slub_max_order (6.12.115, 6.18.15, 7.2.13); in
   * 5.10.223 and 6.1.192 each sets its own variable alone (the max clamped to MAX_ORDER − 1).
   * Bounded by the trees read: placed at 6.12.
   */
  readonly slubOrdersCoupled: boolean;
  /**
   * mm/slub.c calculate_order(): 'backoff' (5.10.223, 6.1.192) tries calc_slab_order() with waste
   * fractions 1/16, 1/8, 1/4 for min_objects, then min_objects − 1, … down to 2, then one object
   * within slub_max_order, then up to MAX_ORDER; 'min-order' (6.12.115, 6.18, 7.2.13) starts every
   * fraction 1/16 … 1/2 at max(slub_min_order, get_order(min_objects × size)), then get_order(size).
   * Upstream "mm/slub: attempt to find layouts up to 1/2 waste in calculate_order()" (Vlastimil
   * Babka), 6.8; bounded by the trees read (6.1, 6.12): placed at 6.8.
   */
  readonly slubCalculateOrder: 'backoff' | 'min-order';
  /**
   * The config option that gives create_kmalloc_caches() its KMALLOC_CGROUP copies ("kmalloc-cg-*",
   * include/linux/slab.h enum kmalloc_cache_type): none in 5.10.223; CONFIG_MEMCG_KMEM in 6.1.192;
   * CONFIG_MEMCG in 6.12.115, 6.18 and 7.2.13. Upstream "mm: memcg/slab: create a new set of
   * kmalloc-cg-<n> caches" (Waiman Long), 5.14, and "mm: kmem: remove CONFIG_MEMCG_KMEM" (Roman
   * Gushchin), 6.10; bounded by the trees read (5.10, 6.1, 6.12): placed at 5.14 and 6.10.
   */
  readonly kmallocCgroupOption: 'none' | 'MEMCG_KMEM' | 'MEMCG';
  /**
   * mm/slab_common.c slab_unmergeable(): a cache with a usercopy region (s->usersize) is never merged
   * 'always' (5.10.223, 6.1.192), or only under CONFIG_HARDENED_USERCOPY ('HARDENED_USERCOPY': 6.12.115,
   * 6.18, 7.2.13, `#ifdef CONFIG_HARDENED_USERCOPY`). Bounded by the trees read: placed at 6.12 (the
   * 6.5 build in between has HARDENED_USERCOPY=y, where both agree).
   */
  readonly slabUsercopyUnmergeable: 'always' | 'HARDENED_USERCOPY';
  /**
   * The early allocator: 'nobootmem' (3.0.1: memblock, with mm/nobootmem.c giving the bootmem API over
   * it under CONFIG_NO_BOOTMEM; mem_init's free_all_bootmem() frees memblock's free ranges) or
   * 'memblock' (5.10.223 on: no bootmem API, memblock_free_all()). Upstream "mm: remove bootmem
   * allocator implementation" (Mike Rapoport), 4.20. harness/simulate.ts runs the 3.0 pipeline
   * (sim/stages/old/) for 'nobootmem'. 'early_res' (2.6.34: kernel/early_res.c's reserve_early() list,
   * handed to bootmem by early_res_to_bootmem() in setup_bootmem_allocator(); CONFIG_NO_BOOTMEM, which
   * 2.6.34 offers on x86, keeps early_res to the end and is refused by the 2.6.34 pipeline). x86 moved to
   * memblock with the nobootmem wrapper in 2.6.35 ("x86: Use memblock to replace early_res", Yinghai Lu).
   * 'bootmem': bootmem alone, from init_bootmem() on (2.6.11 arch/i386/mm/discontig.c/setup.c); bounded by
   * the trees read, (2.6.11, 2.6.34], placed at 2.6.34.
   */
  readonly earlyAllocator: 'bootmem' | 'early_res' | 'nobootmem' | 'memblock';
  /**
   * include/asm-generic/kmap_types.h: KM_KDB before KM_TYPE_NR (3.0.1: KM_TYPE_NR 20; 2.6.34: 19), which
   * sizes the X86_32 fixmap's FIX_KMAP slots (sim/stages/old/init-32-30.ts fixmap30). Upstream "kdb: core
   * for kgdb back end" (Jason Wessel), 2.6.35. From 5.11 KMAP_LOCAL replaces the enum (sim/stages/lowmem32.ts).
   */
  readonly kmKdbSlot: boolean;
  /**
   * arch/x86/include/asm/fixmap.h: FIX_LNW_VRTC (CONFIG_X86_MRST) after FIX_TEXT_POKE0 (3.0.1; not in 2.6.34).
   * Bounded by the trees read: (2.6.34, 3.0.1], placed at 3.0.
   */
  readonly fixLnwVrtc: boolean;
  readonly legacy: LegacyPrintTraits;
  readonly percpu: PercpuTraits;
  readonly zonelists: ZonelistTraits;
  readonly hashes: HashTraits;
  readonly mmCore: MmCoreTraits;
  readonly late: LateTraits;
  /** The post-boot state the kernel reports in /proc (sim/stages/state/). */
  readonly state: StateTraits;
}

/** The traits of one build: its series traits, its arch and what its config says. */
export interface KernelTraits extends SeriesTraits {
  readonly arch: Arch;
  /** CONFIG_X86_PAE (i386 only; x86_64 is always 64-bit physical). */
  readonly pae: boolean;
  /** The build can run 5-level paging when the CPU has LA57: CONFIG_X86_5LEVEL, or always (fiveLevelAlways). */
  readonly fiveLevel: boolean;
  /** CONFIG_NR_CPUS; undefined when the kernel has no facts. */
  readonly nrCpus: number | undefined;
  /** CONFIG_NUMA: SRAT is parsed and memory gets node ids (the i386 builds have none). */
  readonly numa: boolean;
  /** CONFIG_HIGHMEM (i386): ZONE_HIGHMEM exists and find_low_pfn_range splits at MAXMEM_PFN. */
  readonly highmem: boolean;
  /** CONFIG_FLATMEM or CONFIG_SPARSEMEM (include/linux/mmzone.h pfn_valid); undefined without facts. */
  readonly memoryModel: 'flatmem' | 'sparsemem' | undefined;
  /** arch/x86/include/asm/sparsemem.h SECTION_SIZE_BITS: 27 on x86_64, 29 with PAE, 26 without. */
  readonly sectionSizeBits: number;
  /** PMD_SHIFT (PGDIR_SHIFT on 2-level i386): what one PMD-level entry maps. See pagingGeometry(). */
  readonly pmdShift: bigint;
  /** PTRS_PER_PTE: entries in one PTE page. See pagingGeometry(). */
  readonly ptrsPerPte: bigint;
  /** enum zone_type in order (include/linux/mmzone.h), from CONFIG_ZONE_DMA/DMA32/HIGHMEM/ZONE_DEVICE. */
  readonly zones: readonly ZoneName[];
  /** CONFIG_GART_IOMMU: arch/x86/kernel/aperture_64.c is built and early_gart_iommu_check() runs. */
  readonly gartIommu: boolean;
  /** movableIsHighmemConstantWithoutNuma on a build without CONFIG_NUMA. */
  readonly movableIsHighmemConstant: boolean;
}

/**
 * The memory-init messages 3.0.1 prints in a form 5.10.223 no longer has. Each is bounded by the trees
 * read, (3.0.1, 5.10.223], and placed at 5.10 unless the upstream change is named.
 */
export interface LegacyPrintTraits {
  /**
   * mm/page_alloc.c free_area_init_nodes() (3.0.1): "Zone PFN ranges:" with "  %-8s %0#10lx -> %0#10lx",
   * "Movable zone start PFN for each node" and "early_node_map[%i] active PFN ranges" with
   * "    %3d: %0#10lx -> %0#10lx". Upstream "memblock: Kill early_node_map[]" (Tejun Heo), 3.3, and the
   * "[mem …]" forms of 5.10.223.
   */
  readonly zonePfnRanges: boolean;
  /**
   * mm/page_alloc.c build_all_zonelists() (3.0.1): "Built %i zonelists in %s order, mobility grouping
   * %s.  Total pages: %ld". Upstream "mm, page_alloc: remove zonelist ordering" (Michal Hocko, 4.14)
   * dropped "in %s order".
   */
  readonly zonelistOrder: boolean;
  /**
   * mm/page_alloc.c build_all_zonelists() (2.6.11): printk("Built %i zonelists\n"), no order, grouping or
   * "Total pages" (2.6.34 prints all three). Bounded by the trees read, (2.6.11, 2.6.34]: placed at 2.6.34.
   */
  readonly zonelistsCountOnly: boolean;
  /**
   * arch/i386/kernel/setup.c find_max_low_pfn() (2.6.11, HIGHMEM without PAE, RAM above 4G):
   * printk(KERN_WARNING "Warning only 4GB will be used.\n") then "Use a PAE enabled kernel.\n"; 2.6.34's
   * arch/x86/mm/init_32.c prints MSG_HIGHMEM_TRIMMED instead. Bounded by the trees read, (2.6.11, 2.6.34]:
   * placed at 2.6.34.
   */
  readonly highmemTrimmedTwoLines: boolean;
  /**
   * mm/page_alloc.c alloc_large_system_hash() (3.0.1): "%s hash table entries: %ld (order: %d, %lu
   * bytes)", without 5.10.223's ", linear"/", vmalloc"; and kernel/pid.c pidhash_init()'s "PID hash
   * table" (gone with the pid idr, 4.15).
   */
  readonly hashNoAllocKind: boolean;
  /**
   * arch/x86/mm/init_32.c mem_init() (3.0.1) prints "Memory: %luk/%luk available (%dk kernel code, %dk
   * reserved, %dk data, %dk init, %ldk highmem)" and then the "virtual kernel memory layout:" block;
   * 5.10.223 prints mem_init_print_info()'s "%luK/%luK" form (upstream "mm: introduce common
   * help functions to deal with reserved/managed pages", Jiang Liu, 3.14) and no layout block.
   */
  readonly memInitLegacy: boolean;
  /**
   * mm/slub.c kmem_cache_init() (3.0.1): "SLUB: Genslabs=%d, HWalign=%d, …"; 5.10.223 has no Genslabs.
   */
  readonly slubGenslabs: boolean;
  /**
   * setup_arch() (3.0.1): "initial memory mapped : 0 - %08lx", and arch/x86/mm/init.c
   * init_memory_mapping()'s "init_memory_mapping: %016lx-%016lx", its " %010lx - %010lx page %s" ranges
   * and find_early_table_space()'s "kernel direct mapping tables up to %lx @ %lx-%lx"; 5.10.223 prints
   * "[mem …]" forms and no table line (the pgt_buf of init_mem_mapping()).
   */
  readonly initMappingPrints: boolean;
  /** arch/x86/kernel/cpu/common.c cpu_init() (3.0.1 X86_32): printk(KERN_INFO "Initializing CPU#%d\n"); pr_debug in 5.10.223. */
  readonly cpuInitLine: boolean;
  /**
   * The x86_64 memory lines of 2.6.11 (arch/x86_64): numa.c's "Faking a node at %016lx-%016lx" and "Bootmem
   * setup node %d %016lx-%016lx", aperture.c's "Checking aperture..." (no "AGP: "), swiotlb.c's "Placing
   * software IO TLB between 0x%lx - 0x%lx" and init.c mem_init()'s "Memory: %luk/%luk available (…, %dk init)";
   * 5.10.223 prints the "[mem …]" node forms, no bootmem line, "AGP: Checking aperture..." and
   * "software IO TLB: mapped". No x86_64 tree between was read: bounded by (2.6.11, 5.10], placed at 2.6.34 as
   * the other 2.6.11 cuts (no x86_64 2.6.34 build is in the catalog to measure it).
   */
  readonly x8664BootmemLines: boolean;
}

/** Version differences of the percpu code (mm/percpu.c, include/linux/percpu.h, cpumask.h). */
export interface PercpuTraits {
  /**
   * pcpu_build_alloc_info grouping. 'first-fit' (5.10.223): each CPU takes the lowest group with no
   * remote CPU in it (goto next_group). 'pop-first' (6.1.192): pop the first ungrouped CPU, add every
   * CPU local to it. Bounded by the trees read: placed at 6.1.
   */
  readonly grouping: 'first-fit' | 'pop-first';
  /**
   * include/linux/cpumask.h: nr_cpumask_bits is nr_cpu_ids (6.1.192 "#define nr_cpumask_bits
   * nr_cpu_ids"), or NR_CPUS without CPUMASK_OFFSTACK (5.10.223). Bounded by the trees read: placed at 6.1.
   */
  readonly cpumaskBitsAlwaysNrCpuIds: boolean;
  /**
   * include/linux/percpu.h: PERCPU_DYNAMIC_EARLY_SIZE is (20 << PERCPU_DYNAMIC_SIZE_SHIFT) (6.12.115);
   * (12 << 10) before (6.1.192). Bounded by the trees read: placed at 6.12; the 6.5.10 goldens print
   * the 12 << 10 dynamic size ("percpu: Embedded … d…"), so the cut lies in (6.5, 6.12].
   */
  readonly dynamicSizeShift: boolean;
  /**
   * include/linux/percpu.h: PERCPU_MODULE_RESERVE is (8 << 13) with MEM_ALLOC_PROFILING (6.12.115);
   * 6.18.15 and 7.2.13 keep (8 << 10). Bounded by the trees read to (6.12, 6.18]: placed at 6.16 (the
   * Debian 6.16–6.18 builds have no MEM_ALLOC_PROFILING, so no golden tells).
   */
  readonly moduleReserveGrowsWithMemProfiling: boolean;
  /**
   * The option that widens PERCPU_DYNAMIC_SIZE_SHIFT to 12: RANDOM_KMALLOC_CACHES (6.12.115), renamed
   * KMALLOC_PARTITION_CACHES (7.2.13; 6.18.15 mm/Kconfig still has RANDOM_KMALLOC_CACHES). Bounded by
   * the trees read to (6.18, 7.2]: placed at 7.0.
   */
  readonly randomKmallocOption: 'RANDOM_KMALLOC_CACHES' | 'KMALLOC_PARTITION_CACHES';
  /**
   * mm/percpu.c (5.10.223): pcpu_nr_slots = slot + 2 lists per chunk type (PCPU_NR_CHUNK_TYPES);
   * 6.1.192 one set with sidelined/free/to_depopulate slots. Upstream "percpu: use reclaim threshold
   * instead of running for every page" series (Dennis Zhou), 5.14.
   */
  readonly chunkListsPerType: boolean;
  /**
   * setup_cpu_local_masks() allocates four masks (5.10.223, 6.1.192) or only cpu_sibling_setup_mask
   * (6.12.115). Upstream x86 SMP hotplug rework (Thomas Gleixner), 6.5.
   */
  readonly fourLocalMasks: boolean;
}

/** Version differences of build_all_zonelists (mm/page_alloc.c, mm/mm_init.c). */
export interface ZonelistTraits {
  /**
   * build_all_zonelists() runs in start_kernel before the command line and the early hashes
   * (6.1.192), or in mm_core_init() after vfs_caches_init_early() and trap_init() (6.12.115; a real
   * 6.5 kernel already prints the zonelists after the hash tables). Upstream "init: fold
   * build_all_zonelists() and page_alloc_init_cpuhp() to mm_init()" (Mike Rapoport), 6.4.
   */
  readonly where: 'start_kernel' | 'mm_core_init';
  /**
   * mm/page_alloc.c build_zonelists() prints "Fallback order for Node %d: " (6.1.192; absent in
   * 5.10.223). Upstream "mm/page_alloc: print node fallback order" (Bharata B Rao), 5.12. This was cut
   * at 5.12 here and at 6.1 in the catalog; both now read this trait.
   */
  readonly printsFallback: boolean;
  /**
   * zone->managed_pages when the zonelists are built: free_area_init_core() sets freesize = present −
   * memmap − dma_reserve (6.1.192); zone_init_internals(…, present_pages) (6.12.115). The same upstream
   * change as SeriesTraits.dmaReserve, 6.9.
   */
  readonly managedAtInit: 'freesize' | 'present';
  /**
   * find_next_best_node() takes the local node first even when it is memoryless (6.1.192), or only
   * when it has memory (6.12.115, 7.2.13: "for memoryless local node, we should skip it"). Only the
   * versions read bound it: the switch is placed at 6.12.
   */
  readonly memorylessLocalFirst: boolean;
}

/** Version differences of alloc_large_system_hash (mm/page_alloc.c ≤ 6.1, mm/mm_init.c 6.12+). */
export interface HashTraits {
  /**
   * 5.10.223 prints order as ilog2(size) − PAGE_SHIFT and never "vmalloc hugepage"; 6.1.192 get_order()
   * and vmalloc_huge(). Upstream "mm: vmalloc: introduce vmalloc_huge()"/"page_alloc: use
   * vmalloc_huge for large system hash" (Song Liu), 5.18.
   */
  readonly hugeVmalloc: boolean;
  /**
   * __vmalloc_node_range() compares size / num_online_nodes() with PMD_SIZE (6.12.115); 6.18.15 and
   * 7.2.13 compare the whole size (`size >= PMD_SIZE`), and a 6.16 two-node golden maps its 2M inode
   * hash with a huge page. Bounded by the goldens to (6.12, 6.16]: placed at 6.16.
   */
  readonly hugeSizePerNode: boolean;
}

/** Version differences of mm_core_init()'s x86 pieces (arch/x86/kernel/pci-dma.c, kernel/dma/swiotlb.c). */
export interface MmCoreTraits {
  /**
   * pci_iommu_alloc() from arch_mm_preinit() before build_all_zonelists (6.18.15, 7.2.13; the 6.16
   * goldens print the AGP and swiotlb lines there) or from mem_init() (≤ 6.12.115). Upstream
   * arch_mm_preinit() (Mike Rapoport's mem_init() consolidation); bounded by the goldens to (6.12, 6.16]:
   * placed at 6.16.
   */
  readonly pciIommuAllocIn: 'mem_init' | 'arch_mm_preinit';
  /**
   * kernel/dma/swiotlb.c swiotlb_adjust_nareas() prints "area num %d." (6.1.192; absent in 5.10.223).
   * Upstream "swiotlb: split up the global swiotlb lock" (Tianyu Lan), 6.0. This was cut at 6.0 here
   * and at 6.1 in the catalog; both now read this trait.
   */
  readonly swiotlbAreas: boolean;
}

/** Version differences of what is allocated between mm_core_init() and page_alloc_init_late() (6.12+ "Memory:"). */
export interface LateTraits {
  /**
   * kernel/trace/trace.c allocates global_trace's max/snapshot buffer under CONFIG_TRACER_MAX_TRACE
   * (6.12.115, 6.18.15) or CONFIG_TRACER_SNAPSHOT (7.2.13). Bounded by the trees read to (6.18, 7.2]:
   * placed at 7.0.
   */
  readonly traceMaxBufferOption: 'TRACER_MAX_TRACE' | 'TRACER_SNAPSHOT';
  /**
   * kernel/rcu/tasks.h rcu_init_tasks_generic() spawns the rcu_tasks, rcu_tasks_rude and
   * rcu_tasks_trace kthreads before page_alloc_init_late() (6.12.115, called from kernel_init_freeable;
   * 6.18.15 and 7.2.13 make it a core_initcall, after). Bounded by the trees read to (6.12, 6.18]:
   * placed at 6.16 (only the late Memory: line, outside its bound, would tell).
   */
  readonly rcuTasksKthreads: boolean;
  /**
   * kernel/kprobes.c init_optprobes() starts "kprobe-optimizer" before page_alloc_init_late() (7.2.13;
   * not in a 6.12.115 boot; 6.18.15 kernel/kprobes.c starts no such thread). Bounded by the trees read
   * to (6.18, 7.2]: placed at 7.0.
   */
  readonly kprobeOptimizerThread: boolean;
  /**
   * arch_task_struct_size includes struct fpu (6.18.15 and 7.2.13 fpu__init_task_struct_size: task_size
   * += sizeof(struct fpu)); 6.12.115 ends task_struct at thread.fpu. Upstream "x86/fpu: Make
   * task_struct::thread constant size" (Ingo Molnar); bounded by the trees read to (6.12, 6.18]: placed
   * at 6.16 (only the late Memory: line, outside its bound, would tell).
   */
  readonly taskStructHasFpu: boolean;
  /**
   * include/linux/mm_types.h mm_cid_size() under CONFIG_SCHED_MM_CID: cpumask_size() (6.12.115,
   * 'cidmask'); 2 × cpumask_size() for mm_cpus_allowed() and mm_cidmask() (6.18, 'cpus-allowed-cidmask'),
   * from "sched: Improve cache locality of RSEQ concurrency IDs for intermittent workloads" (Mathieu
   * Desnoyers, tip sched/core 7e019dcc470f, 2024-10-18: the 6.13 merge window); cpumask_size() +
   * bitmap_size(num_possible_cpus()) (7.2.13, 'cpus-allowed-bitmap'), from "sched/mmcid: Convert mm CID
   * mask to a bitmap" (Thomas Gleixner, tip core/rseq 472931e757fb, 2025-11-20, after 6.18): bounded by
   * the trees read to (6.18, 7.2], placed at 7.0.
   */
  readonly mmCidSize: 'cidmask' | 'cpus-allowed-cidmask' | 'cpus-allowed-bitmap';
  /**
   * arch/x86/include/asm/pgalloc.h: PGD_ALLOCATION_ORDER is 1 when built with
   * CONFIG_MITIGATION_PAGE_TABLE_ISOLATION (6.12.115, 'config'), or pgd_allocation_order() is 1 only
   * while X86_FEATURE_PTI is set (6.18.15, 7.2.13, 'pti-feature'). Bounded by the trees read to
   * (6.12, 6.18]: placed at 6.16 (only the late Memory: line, outside its bound, would tell).
   */
  readonly pgdAllocationOrder: 'config' | 'pti-feature';
  /**
   * mm/slub.c gives every cache with a sheaf capacity one empty percpu sheaf per possible CPU and a
   * barn per online node when it is created (init_percpu_sheaves(), init_kmem_cache_nodes()), and the
   * kmalloc caches theirs in bootstrap_kmalloc_sheaves() (7.2.13); 6.12.115 has no sheaves (per-CPU
   * kmem_cache_cpu slabs instead). Bounded by the trees read: placed at 7.0.
   */
  readonly slubSheaves: boolean;
  /**
   * The workqueues alive at the print: 7.2.13 adds system_dfl_long_wq "events_dfl_long" (WQ_UNBOUND,
   * kernel/workqueue.c workqueue_init_early()), allocates rcu_init()'s "sync_wq" WQ_UNBOUND
   * (kernel/rcu/tree.c) and mm/memcontrol.c mem_cgroup_init()'s per-CPU "memcg" workqueue; 6.12.115
   * has neither and a per-CPU sync_wq. Upstream workqueue per-CPU/unbound split (WQ_PERCPU,
   * system_dfl_wq). Bounded by the trees read: placed at 7.0.
   */
  readonly workqueuesUnboundSplit: boolean;
  /**
   * fs/namespace.c init_mount_tree() mounts an immutable nullfs as the namespace root and rootfs on top
   * (7.2.13: two vfs_kern_mount() calls, two super_blocks before the print); 6.12.117 mounts rootfs
   * only. Bounded by the trees read: placed at 7.0.
   */
  readonly nullfsRootMount: boolean;
  /**
   * Which series table's 'boot' calls are the slab caches alive at the print (sim/stages/state/caches/<series>.ts,
   * read by sim/stages/late-allocs.ts bootCacheList: each a kmem_cache_create() call site that runs before page_alloc_init_late(), read in 6.12.115
   * and in 7.2.13, where 6.12's cred_jar and vma_lock caches are gone and bfilp, pidfs_attr_cache,
   * mem_cgroup and task_exec_state are new). 'unread': the 6.16–6.18 trees were not read for it, and
   * the terms that need the list (the kmem_cache and kmem_cache_node slabs) are left out there.
   * '6.12' covers [6.12, 6.16) and '7.2' is placed at 7.0, bounded by the trees read. '6.16', '6.17'
   * and '6.18' are those series' tables (sim/stages/state/caches/6.16.ts … 6.18.ts: the 6.18.35 and
   * 6.17.0 trees, the 6.16.12 image's BTF and initcalls); the late terms that read the list (late-allocs.ts
   * bootKmallocs, FIRST_OBJECT_CACHES, the per-task and kmem_cache slabs) were read in 6.12.117 and 7.2.13,
   * and are taken for 6.16-6.18 as bounded by those two trees (slabNodes: N_MEMORY as on 7.2). 7.3.4 keeps '7.2':
   * its kmem_cache_create()/KMEM_CACHE() call lines under mm, kernel, lib, fs, block, security, init,
   * drivers/acpi and arch/x86 are 7.2.13's but for five module caches (ext4, f2fs, nfsd, efs, vxfs), and
   * start_kernel()'s order before mm_core_init() and kernel_init_freeable() is unchanged; net/ was not read.
   */
  readonly bootSlabCaches: 'unread' | '6.12' | '6.16' | '6.17' | '6.18' | '7.2';
}

/** What differs in the state /proc shows after boot (sim/stages/state/: zoneinfo, meminfo). */
export interface StateTraits {
  /**
   * zone_batchsize(): 'quarter-mb' min(managed >> 10, SZ_1M / PAGE_SIZE) / 4, then
   * rounddown_pow_of_two(b + b/2) − 1 (mm/page_alloc.c 5.10.223 … 6.18); 'small' min(managed >> 12,
   * SZ_256K / PAGE_SIZE), 1 when ≤ 1, then the same rounding (7.2.13). Bounded by the trees read
   * (6.18 quarter-mb, 7.2 small): placed at 7.0.
   */
  readonly batchsize: 'quarter-mb' | 'small';
  /**
   * The pageset high /proc/zoneinfo prints: 'six-batch' 6 × batch (5.10.223 pageset_set_batch);
   * 'low-split' zone_highsize() = low watermark / (the node's CPUs), at least 4 × batch, fixed after
   * the last setup_per_zone_wmarks() (6.1.192; upstream "mm/page_alloc: scale the number of pages that
   * are batch freed" / "… adjust pcp->high after CPU hotplug events", 5.14); 'tuned' pcp->high moves
   * between high_min and high_max at run time (6.12.115, 7.2.13; upstream "mm, pcp: reduce lock
   * contention … auto-tune pcp->high", 6.7): volatile.
   */
  readonly pagesetHigh: 'six-batch' | 'low-split' | 'tuned';
  /**
   * __setup_per_zone_wmarks(): ZONE_MOVABLE is left out of lowmem_pages and its min is capped as
   * highmem's is (6.12.115, 7.2.13; 6.1.192 counts it as lowmem). Bounded by the trees read: placed
   * at 6.12 (6.5 is the only build between, i386, and its goldens have no ZONE_MOVABLE state yet).
   */
  readonly wmarkMovableAsHighmem: boolean;
  /**
   * .bss..decrypted holds arch/x86/hyperv/ivm.c's ap_start_input_arg page and
   * drivers/clocksource/hyperv_timer.c's tsc_pg (CONFIG_HYPERV, with CONFIG_AMD_MEM_ENCRYPT): absent in
   * 6.1.192, present in 6.12.117 and 7.2.13. Bounded by the trees read: placed at 6.12.
   */
  readonly hypervDecryptedPage: boolean;
  /**
   * adjust_managed_page_count() calls setup_per_zone_lowmem_reserve() (6.18, 7.2.13; not 6.12.117),
   * so the protection /proc/zoneinfo shows follows every page freed after init_per_zone_wmark_min.
   * Bounded by the trees read: placed at 6.13.
   */
  readonly lowmemReserveFollowsManaged: boolean;
  /**
   * The state probe's /init: 'busybox', the pinned Debian bookworm busybox-static, built against glibc
   * 2.36, whose ELF note ABI-tag gives 3.2.0 as the oldest kernel it supports; 'mini',
   * qemu-scripts/initramfs/mini-init.ts (int 0x80 system calls that 2.6.11 already has), for the
   * kernels below that. Seen once: busybox did run on 3.0.1-i386-elf, but outside glibc's supported
   * range, and its poweroff -f halts there (3.0.1 kernel/sys.c turns POWER_OFF into HALT without
   * pm_power_off), leaving QEMU running. A userspace bound, not a kernel change: placed at 3.2.
   */
  readonly probeImage: 'busybox' | 'mini';
  /**
   * The lines zoneinfo_show_print() (mm/vmstat.c) prints beyond 5.10.223's min/low/high/spanned/
   * present/managed: 'boost' and 'cma' (6.1.192 on), 'promo' (6.12.117 on), the pagesets' high_min
   * and high_max (6.18, 7.2.13; 6.12.117 has neither). Each bounded by the trees read: placed at
   * 6.1, 6.12 and 6.16 (the 6.16 and 6.17 builds are unread).
   */
  readonly zoneinfoPrints: { readonly boostCma: boolean; readonly promo: boolean; readonly highMinMax: boolean };
  /**
   * meminfo_proc_show() (fs/proc/meminfo.c) prints "Zswap:" and "Zswapped:" under CONFIG_ZSWAP, and
   * vm_event_item.h has ZSWPIN/ZSWPOUT (vmstat's zswpin, zswpout) under it: in
   * 6.1.176, 6.12.117 and 7.2.13 (the trees read); they came with "mm: zswap: add basic meminfo and
   * vmstat coverage" (5.19), so 5.10 has neither. Placed at 5.19 from that commit, not from a tree read.
   */
  readonly zswapStats: boolean;
  /**
   * vm_event_item.h has NRSWPIN/NRSWPOUT (vmstat's nrswpin, nrswpout) under CONFIG_SWAP, counted once per
   * swap read or write submitted (mm/page_io.c swap_read_submit(), swap_write_submit()) in 7.3.4; not in
   * 7.2.13, 6.18.35 or 6.17.0 (the trees read). Placed at 7.3, bounded by the trees read.
   */
  readonly swapSubmitEvents: boolean;
  /**
   * block/bounce.c __blk_queue_bounce() bounces only a PageHighMem() page (6.1.176, 6.12.117; 7.2.13
   * prints Bounce as a constant 0), so a kernel without CONFIG_HIGHMEM never raises NR_BOUNCE. 5.10's
   * rule (a page above the queue's bounce_pfn, ISA bounce included) is not read: placed at 6.1, the
   * oldest tree read that has the highmem-only rule.
   */
  readonly bounceHighmemOnly: boolean;
  /**
   * Which of three mm/vmstat.c vmstat_text counters the build prints (each fixed at 0 by the probe boot:
   * sim/stages/state/vmstat.ts). `nrBounce`: the NR_BOUNCE zone stat, in 5.10.262, 6.1.192 and 6.12.117, not in
   * 6.17.0 and not in the 6.16.12 image's strings (upstream removed block bounce buffering in 6.16): ends at
   * 6.16. `nrWritebackTemp`: the NR_WRITEBACK_TEMP node stat, in 5.10.262 … 6.12.117 and the 6.16.12 image,
   * not in 6.17.0, 6.18.35, 7.2.13 (FUSE stopped writing back through temporary pages): ends at 6.17.
   * `nrSwapcached`: the NR_SWAPCACHE node stat (#ifdef CONFIG_SWAP), in 6.1.192 … 7.3.4, not in 5.10.262:
   * placed at 6.1, bounded by the trees read.
   */
  readonly counters: { readonly nrBounce: boolean; readonly nrWritebackTemp: boolean; readonly nrSwapcached: boolean };
  /**
   * The /proc/iomem resources that differ (sim/stages/state/iomem.ts). `lapicAt`: lapic_insert_resource()
   * inserts [apic_phys, +PAGE_SIZE) (arch/x86/kernel/apic/apic.c 5.10.223, 6.1.192), or 'fixmap'
   * [apic_mmio_base, …) with apic_mmio_base = APIC_BASE, the fixmap's virtual address, which lies above
   * iomem_resource.end on x86_64 so insert_resource() fails (6.12.117, 7.2.13). `mmcfgName`: the
   * MCFG resource's name, "PCI MMCONFIG %04x [bus %02x-%02x]" (arch/x86/pci/mmconfig-shared.c 5.10.223,
   * 6.1.192) or "PCI ECAM …" (6.12.117, 7.2.13). `motherboardResources`: who reserves a PNP0C01/PNP0C02
   * device's ranges, drivers/pnp/system.c as "pnp <dev>" (5.10.223 … 6.12.117) or drivers/acpi/scan.c
   * acpi_scan_claim_resources() as the ACPI device's name, "PNP0C01:00" (7.2.13). Each bounded by the
   * trees read: placed at 6.12, 6.12 and 7.0.
   */
  readonly iomem: { readonly lapicAt: 'phys' | 'fixmap'; readonly mmcfgName: 'PCI MMCONFIG' | 'PCI ECAM'; readonly motherboardResources: 'pnp-system' | 'acpi-scan' };
  /**
   * Which table of kmem_cache_create() calls (sim/stages/state/caches/<table>.ts, run by
   * sim/stages/state/slab-create.ts) the slab caches at the probe's read come from: each read in its tree
   * (6.12.117 for the 6.12.115 build, 7.2.13), with the calls and their flags that tree has (7.2 drops
   * cred_jar's and vma_lock's own caches, adds bfilp, pidfs_attr_cache, mem_cgroup, task_exec_state, and
   * SLAB_NO_MERGE from a sheaf_capacity). '5.10' and '6.1': the 5.10.223 and 6.1.192 trees, each with
   * the initcall order of its amd64 image (5.10 covers [5.10, 6.1), 6.1 covers [6.1, 6.2): no 6.5 tree was
   * read). 'unread': the other trees were not read for it; '6.12' covers [6.12, 6.16) and '7.2' is placed
   * at 7.0, bounded by the trees read, and ends at 7.3: the 7.2 table's 'post' calls are the 7.2.13 image's
   * initcalls (caches/7.2-post.ts); '7.3' is 7.2's with the two calls the 7.3.4 image's initcalls add
   * (caches/7.3-post.ts). '6.16', '6.17', '6.18' (each its own series: the changes that need a table apiece are
   * 6.18's slab sheaves, a sheaf_capacity on maple_node and vm_area_struct that keeps them unmerged
   * (mm/slab_common.c 6.18 slab_unmergeable() cpu_sheaves), with swap_table and khugepaged's mm_slot, and 6.17's
   * pidfs_attr_cache and pidfs_xattr_cache, which replace 6.16's pidfs_cache): 7.2's table edited to the 6.18.35
   * and 6.17.0 trees' calls and to the three images' initcall tables and BTF (caches/6.18-post.ts, 6.17.ts,
   * 6.16.ts; no 6.16 tree was read). 7.3.4 also tags every cache SLAB_MAY_ACCOUNT when memcg kmem is on
   * (mm/slab_common.c, a SLAB_MERGE_SAME flag), which changes no merge: the kmalloc caches that lack it
   * (KMALLOC_NORMAL) are SLAB_NO_MERGE there, and create_unique_id() prints no letter for it.
   * Every table is an LP64 amd64 reading: computeTraits() gives the i386 builds 'unread' (their facts have no BTF).
   */
  readonly slabCacheTable: 'unread' | '5.10' | '6.1' | '6.12' | '6.16' | '6.17' | '6.18' | '7.2' | '7.3';
}

export type ZoneName = 'DMA' | 'DMA32' | 'Normal' | 'HighMem' | 'Movable' | 'Device';

/**
 * The PMD-level page size and PTE-page fan-out: 3/4/5-level paging (X86_64, X86_PAE) has PMD_SHIFT 21
 * and PTRS_PER_PTE 512 (asm/pgtable_64_types.h, asm/pgtable-3level_types.h); 2-level X86_32 folds the
 * PMD into the PGD, PGDIR_SHIFT 22, PTRS_PER_PTE 1024 (asm/pgtable-2level_types.h).
 */
export function pagingGeometry(wideEntries: boolean): { pmdShift: bigint; ptrsPerPte: bigint } {
  return wideEntries ? { pmdShift: PMD_SHIFT_64, ptrsPerPte: 512n } : { pmdShift: 22n, ptrsPerPte: 1024n };
}

/** Major.minor whose series is told apart by the patch level (KernelVersion). */
const PATCH_SERIES = [2, 6] as const;

/**
 * Version of the build, from `release` ("6.1.0-56-amd64", "7.2.13+deb14-amd64", "2.6.34") or a series
 * key ("6.12", "2.6.34"). A 2.6 release keeps its patch level and needs one; others drop theirs.
 */
export function parseKernelVersion(release: string): KernelVersion {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!m) throw new RangeError(`kernel release: expected "<major>.<minor>…", got ${JSON.stringify(release)}`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== PATCH_SERIES[0] || minor !== PATCH_SERIES[1]) return [major, minor];
  if (m[3] === undefined) throw new RangeError(`kernel release: expected "2.6.<patch>…" (the 2.6 series is told apart by its patch level), got ${JSON.stringify(release)}`);
  return [major, minor, Number(m[3])];
}

/** The series key of a version: "6.12" for [6, 12], "2.6.34" for [2, 6, 34]. */
export function seriesKeyOfVersion(v: KernelVersion): SeriesKey {
  return v[2] === undefined ? `${v[0]}.${v[1]}` : `${v[0]}.${v[1]}.${v[2]}`;
}

/** The one version comparison: v is major.minor(.patch) or later (a version without a patch level is at .0). Used by seriesTraits() only. */
export const versionAtLeast = (v: KernelVersion, major: number, minor: number, patch = 0): boolean =>
  v[0] > major || (v[0] === major && (v[1] > minor || (v[1] === minor && (v[2] ?? 0) >= patch)));

/** Every version cut, for one version. Pure in the version: the catalog evaluates it per series. */
export function seriesTraits(version: KernelVersion): SeriesTraits {
  const from = (major: number, minor: number, patch = 0): boolean => versionAtLeast(version, major, minor, patch);
  return {
    version,
    e820Style: from(7, 0) ? 'named' : from(5, 10) ? 'classic' : 'legacy',
    endPfnCountsAcpi: from(6, 12),
    fiveLevelAlways: from(6, 16),
    zoneDebugLines: !from(5, 11),
    unavailableOnFlatmem: from(5, 11),
    freeAreaInitFrom: from(7, 0) ? 'mm_core_init_early' : 'setup_arch',
    nosaveStyle: from(6, 15) || (from(6, 1) && !from(6, 2)) || (from(6, 12) && !from(6, 13)) ? 'ram-gaps' : 'walk-entries',
    possibleCpusStyle: from(6, 9) ? 'cpu-topo' : 'smpboot',
    smpLocks: from(7, 3) ? 'none' : from(7, 0) ? 'arch_initcall' : 'alternative_instructions',
    printsUnknownBootoptions: from(5, 15),
    sysctlAliasesClaimed: from(6, 1),
    bootloaderIdsSwallowed: from(6, 1),
    initOnKeysDeferred: from(5, 11),
    structleakPlugin: !from(6, 16),
    memoryLineFrom: from(6, 12) ? 'page_alloc_init_late' : from(6, 1) ? 'mm_init' : 'mem_init',
    movableIsHighmemConstantWithoutNuma: !from(5, 14),
    memblockEmptyCnt: from(6, 12) ? 0 : 1,
    earlyReserveMemory: from(5, 13),
    mapTopDownProbe: from(5, 11) ? 'alloc-free' : 'find',
    pgtBufPerTable: from(6, 1),
    numaMemblks: from(6, 12) ? 'generic' : 'arch',
    sratCpuLineInfo: !from(6, 12),
    numaEmuFixPxm: from(6, 12),
    vmAreaEarlyBoundsCheck: from(6, 1),
    dmaReserve: !from(6, 9),
    mmInitFile: from(6, 4) ? 'mm/mm_init.c' : 'mm/page_alloc.c',
    memmapAlloc: from(5, 15),
    pageblockIsolateBit: from(6, 17),
    sparseBuffer: !from(7, 0),
    stackDepotEarly: from(6, 12) ? 'bucket-order' : from(6, 1) ? 'hash-order' : 'none',
    logBufUsageStats: from(6, 16),
    slubTiny: from(6, 2),
    slubAllocator: from(2, 6, 22),
    slubOrdersCoupled: from(6, 12),
    slubCalculateOrder: from(6, 8) ? 'min-order' : 'backoff',
    kmallocCgroupOption: from(6, 10) ? 'MEMCG' : from(5, 14) ? 'MEMCG_KMEM' : 'none',
    slabUsercopyUnmergeable: from(6, 12) ? 'HARDENED_USERCOPY' : 'always',
    clflushFromAddressSizes: from(6, 7),
    crashkernel: from(6, 7) ? 'generic' : 'x86',
    crashkernelMemRoundup: from(6, 1),
    crashkernelCmaSuffix: from(6, 16),
    memorylessNodes: from(6, 12) ? 'offline' : from(5, 17) ? 'initializing' : 'init_cpu_to_node',
    earlyAllocator: from(4, 20) ? 'memblock' : from(2, 6, 35) ? 'nobootmem' : from(2, 6, 34) ? 'early_res' : 'bootmem',
    kmKdbSlot: from(2, 6, 35),
    fixLnwVrtc: from(3, 0),
    legacy: {
      zonePfnRanges: !from(5, 10),
      zonelistOrder: !from(4, 14),
      zonelistsCountOnly: !from(2, 6, 34),
      highmemTrimmedTwoLines: !from(2, 6, 34),
      hashNoAllocKind: !from(5, 10),
      memInitLegacy: !from(5, 10),
      slubGenslabs: !from(5, 10),
      initMappingPrints: !from(5, 10),
      cpuInitLine: !from(5, 10),
      x8664BootmemLines: !from(2, 6, 34),
    },
    percpu: {
      grouping: from(6, 1) ? 'pop-first' : 'first-fit',
      cpumaskBitsAlwaysNrCpuIds: from(6, 1),
      dynamicSizeShift: from(6, 12),
      moduleReserveGrowsWithMemProfiling: from(6, 12) && !from(6, 16),
      randomKmallocOption: from(7, 0) ? 'KMALLOC_PARTITION_CACHES' : 'RANDOM_KMALLOC_CACHES',
      chunkListsPerType: !from(5, 14),
      fourLocalMasks: !from(6, 5),
    },
    zonelists: {
      where: from(6, 4) ? 'mm_core_init' : 'start_kernel',
      printsFallback: from(5, 12),
      managedAtInit: from(6, 9) ? 'present' : 'freesize',
      memorylessLocalFirst: !from(6, 12),
    },
    hashes: { hugeVmalloc: from(5, 18), hugeSizePerNode: !from(6, 16) },
    mmCore: { pciIommuAllocIn: from(6, 16) ? 'arch_mm_preinit' : 'mem_init', swiotlbAreas: from(6, 0) },
    late: {
      traceMaxBufferOption: from(7, 0) ? 'TRACER_SNAPSHOT' : 'TRACER_MAX_TRACE',
      rcuTasksKthreads: !from(6, 16),
      kprobeOptimizerThread: from(7, 0),
      taskStructHasFpu: from(6, 16),
      mmCidSize: from(7, 0) ? 'cpus-allowed-bitmap' : from(6, 13) ? 'cpus-allowed-cidmask' : 'cidmask',
      pgdAllocationOrder: from(6, 16) ? 'pti-feature' : 'config',
      slubSheaves: from(7, 0),
      workqueuesUnboundSplit: from(7, 0),
      nullfsRootMount: from(7, 0),
      bootSlabCaches: from(7, 0) ? '7.2' : from(6, 19) ? 'unread' : from(6, 18) ? '6.18' : from(6, 17) ? '6.17' : from(6, 16) ? '6.16' : from(6, 12) ? '6.12' : 'unread',
    },
    state: {
      batchsize: from(7, 0) ? 'small' : 'quarter-mb',
      pagesetHigh: from(6, 7) ? 'tuned' : from(5, 14) ? 'low-split' : 'six-batch',
      wmarkMovableAsHighmem: from(6, 12),
      hypervDecryptedPage: from(6, 12),
      lowmemReserveFollowsManaged: from(6, 13),
      probeImage: from(3, 2) ? 'busybox' : 'mini',
      zoneinfoPrints: { boostCma: from(6, 1), promo: from(6, 12), highMinMax: from(6, 16) },
      zswapStats: from(5, 19),
      swapSubmitEvents: from(7, 3),
      bounceHighmemOnly: from(6, 1),
      counters: { nrBounce: !from(6, 16), nrWritebackTemp: !from(6, 17), nrSwapcached: from(6, 1) },
      iomem: { lapicAt: from(6, 12) ? 'fixmap' : 'phys', mmcfgName: from(6, 12) ? 'PCI ECAM' : 'PCI MMCONFIG', motherboardResources: from(7, 0) ? 'acpi-scan' : 'pnp-system' },
      slabCacheTable: from(7, 3) ? '7.3' : from(7, 0) ? '7.2' : from(6, 19) ? 'unread' : from(6, 18) ? '6.18' : from(6, 17) ? '6.17' : from(6, 16) ? '6.16' : from(6, 12) ? '6.12' : from(6, 2) ? 'unread' : from(6, 1) ? '6.1' : from(5, 10) ? '5.10' : 'unread',
    },
  };
}

type KernelLike = Pick<KernelEntry, 'id' | 'arch' | 'release'> & { readonly facts?: Pick<KernelFacts, 'config'> | undefined };

/**
 * One config option, without CONFIG_, from `facts.config` (extracted from the package by
 * qemu-scripts/kernel/facts.ts). An option that is absent is "is not set"; a kernel without facts
 * knows no options at all (the harness always loads facts: harness/kernels.ts loadKernelWithFacts).
 */
export function kernelConfig(kernel: KernelLike, name: string): string | undefined {
  // The facts keep only some options; any other would read as "not set" whatever the build says.
  if (!isKeptOption(name)) throw new RangeError(`CONFIG_${name}: not among the options the facts keep (sim/kept-options.ts KEPT_OPTIONS); add it there and re-run \`bootsim kernel facts\``);
  const cfg = kernel.facts?.config;
  return cfg && Object.prototype.hasOwnProperty.call(cfg, name) ? cfg[name] : undefined;
}

export const configEnabled = (kernel: KernelLike, name: string): boolean => kernelConfig(kernel, name) === 'y';

/** The traits of a build. Called once per boot, by sim/boot.ts bootContext() (and by the envelope). */
export function deriveTraits(kernel: KernelLike): KernelTraits {
  // pure over (config, arch, release): memoised per config object, as every profile of a kernel asks again
  const config = kernel.facts?.config;
  if (config === undefined) return computeTraits(kernel);
  let byKernel = traitsMemo.get(config);
  if (!byKernel) {
    byKernel = new Map();
    traitsMemo.set(config, byKernel);
  }
  const key = `${kernel.arch} ${kernel.release}`;
  let t = byKernel.get(key);
  if (!t) {
    t = computeTraits(kernel);
    byKernel.set(key, t);
  }
  return t;
}

const traitsMemo = new WeakMap<object, Map<string, KernelTraits>>();

function computeTraits(kernel: KernelLike): KernelTraits {
  const series = seriesTraits(parseKernelVersion(kernel.release));
  return {
    ...series,
    // the slab cache tables are amd64 readings (StateTraits.slabCacheTable); 5.10's and 6.1's also serve the 686 builds, whose struct
    // sizes come from their -dbg DWARF: their calls are gated by each build's config, arch/x86's one i386 call (pgtable_cache_init()'s
    // pgd_cache: PAE with SHARED_KERNEL_PMD) and block/bounce.c's (HIGHMEM) read in 5.10.223 and 6.1.192. 6.5 686-pae has no table
    state: { ...series.state, slabCacheTable: kernel.arch === 'x86_64' || series.state.slabCacheTable === '6.1' || series.state.slabCacheTable === '5.10' ? series.state.slabCacheTable : 'unread' },
    arch: kernel.arch,
    pae: kernel.arch === 'i386' && configEnabled(kernel, 'X86_PAE'),
    fiveLevel: kernel.arch === 'x86_64' && (configEnabled(kernel, 'X86_5LEVEL') || series.fiveLevelAlways),
    nrCpus: kernelConfig(kernel, 'NR_CPUS') === undefined ? undefined : Number(kernelConfig(kernel, 'NR_CPUS')),
    numa: configEnabled(kernel, 'NUMA'),
    highmem: configEnabled(kernel, 'HIGHMEM'),
    memoryModel: configEnabled(kernel, 'FLATMEM') ? 'flatmem' : configEnabled(kernel, 'SPARSEMEM') ? 'sparsemem' : undefined,
    // arch/x86/include/asm/sparsemem.h: SECTION_SIZE_BITS 27 (X86_64), 29 (X86_PAE), 26 (2-level X86_32)
    sectionSizeBits: kernel.arch === 'x86_64' ? 27 : configEnabled(kernel, 'X86_PAE') ? 29 : 26,
    ...pagingGeometry(kernel.arch === 'x86_64' || configEnabled(kernel, 'X86_PAE')),
    zones: [
      ...(configEnabled(kernel, 'ZONE_DMA') ? ['DMA' as const] : []),
      ...(configEnabled(kernel, 'ZONE_DMA32') ? ['DMA32' as const] : []),
      'Normal' as const,
      ...(configEnabled(kernel, 'HIGHMEM') ? ['HighMem' as const] : []),
      'Movable' as const,
      ...(configEnabled(kernel, 'ZONE_DEVICE') ? ['Device' as const] : []),
    ],
    gartIommu: kernel.arch === 'x86_64' && configEnabled(kernel, 'GART_IOMMU'),
    movableIsHighmemConstant: series.movableIsHighmemConstantWithoutNuma && !configEnabled(kernel, 'NUMA'),
  };
}
