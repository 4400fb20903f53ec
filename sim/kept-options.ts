// Which kernel config options the facts keep (qemu-scripts/kernel/kconfig.ts selects them from the
// package's .config; sim/traits.ts refuses to read any other): the one contract between the two.

/**
 * The options kept: what e820, memblock, NUMA, zones, percpu, zonelists, the hash tables,
 * swiotlb, the Memory: line and SLUB depend on, plus what changes struct sizes. Names end
 * with `*` for a prefix.
 */
export const KEPT_OPTIONS: readonly string[] = [
  // architecture and address space
  'X86_64', 'X86_32', '64BIT', 'X86_PAE', 'HIGHMEM', 'HIGHMEM4G', 'HIGHMEM64G', 'NOHIGHMEM', 'HIGHPTE', 'BOUNCE',
  'VMSPLIT_*', 'PAGE_OFFSET', 'X86_5LEVEL', 'PGTABLE_LEVELS', 'DYNAMIC_MEMORY_LAYOUT',
  'RANDOMIZE_BASE', 'RANDOMIZE_MEMORY', 'RANDOMIZE_MEMORY_PHYSICAL_PADDING',
  'PHYSICAL_START', 'PHYSICAL_ALIGN', 'RELOCATABLE', 'AMD_MEM_ENCRYPT', 'PAGE_TABLE_ISOLATION', 'MITIGATION_PAGE_TABLE_ISOLATION',
  // CPUs
  'SMP', 'NR_CPUS', 'NR_CPUS_*', 'MAXSMP', 'CPUMASK_OFFSTACK', 'HOTPLUG_CPU', 'SCHED_SMT', 'SCHED_MC', 'X86_X2APIC', 'X86_MPPARSE',
  // NUMA and the memory model
  'NUMA', 'NODES_SHIFT', 'NUMA_EMU', 'AMD_NUMA', 'X86_64_ACPI_NUMA', 'ACPI_NUMA', 'NUMA_BALANCING', 'NUMA_KEEP_MEMINFO',
  'FLATMEM', 'SPARSEMEM', 'SPARSEMEM_EXTREME', 'SPARSEMEM_VMEMMAP', 'SPARSEMEM_STATIC',
  'HAVE_MEMBLOCK_PHYS_MAP', 'ARCH_KEEP_MEMBLOCK', 'MEMORY_HOTPLUG', 'MEMORY_HOTREMOVE', 'MHP_MEMMAP_ON_MEMORY',
  'DEFERRED_STRUCT_PAGE_INIT', 'ZONE_DMA', 'ZONE_DMA32', 'ZONE_DEVICE', 'HAVE_ALIGNED_STRUCT_PAGE', 'HAVE_CMPXCHG_DOUBLE',
  'SPLIT_PTLOCK_CPUS', 'ARCH_ENABLE_SPLIT_PMD_PTLOCK', 'PAGE_EXTENSION', 'PAGE_OWNER', 'PAGE_IDLE_FLAG', 'PAGE_POOL',
  'SHUFFLE_PAGE_ALLOCATOR', 'TRANSPARENT_HUGEPAGE', 'TRANSPARENT_HUGEPAGE_*', 'HUGETLBFS', 'HUGETLB_PAGE', 'HUGETLB_PAGE_OPTIMIZE_VMEMMAP',
  'CMA', 'CMA_AREAS', 'CMA_SIZE_MBYTES', 'DMA_CMA', 'CONTIG_ALLOC', 'COMPACTION', 'MIGRATION', 'MEMORY_ISOLATION', 'MEMORY_FAILURE',
  'HAVE_ARCH_HUGE_VMAP', 'KMAP_LOCAL',
  // firmware tables and early reservations
  'ACPI', 'EFI', 'DMI', 'X86_PMEM_LEGACY', 'X86_CHECK_BIOS_CORRUPTION', 'X86_BOOTPARAM_MEMORY_CORRUPTION_CHECK', 'X86_RESERVE_LOW',
  'CRASH_DUMP', 'CRASH_RESERVE', 'KEXEC', 'KEXEC_CORE', 'KEXEC_FILE', 'BLK_DEV_INITRD', 'HIBERNATION', 'MTRR', 'X86_PAT',
  // firmware_map_add_early()'s boot allocations in e820_reserve_resources() (3.0.1, sim/stages/old/nobootmem-30.ts)
  'FIRMWARE_MEMMAP',
  'X86_INTEL_MEMORY_PROTECTION_KEYS', 'PARAVIRT', 'KVM_GUEST', 'HYPERV', 'XEN', 'GART_IOMMU', 'AGP', 'AGP_AMD64', 'INTEL_IOMMU', 'AMD_IOMMU',
  'SWIOTLB', 'SWIOTLB_DYNAMIC', 'ISA_DMA_API', 'PCI',
  // the 2.6.34 early allocator: early_res handed to bootmem, or kept to the end (sim/stages/old/envelope-34.ts)
  'NO_BOOTMEM', 'HAVE_EARLY_RES',
  // 2.6.34's bad_bios_dmi_table entries, matched against the firmware's DMI strings (sim/stages/old/early-res-34.ts)
  'X86_RESERVE_LOW_64K',
  // printk buffers (memblock allocations when log_buf_len grows with CPUs)
  'LOG_BUF_SHIFT', 'LOG_CPU_MAX_BUF_SHIFT', 'PRINTK_SAFE_LOG_BUF_SHIFT',
  // percpu first chunk
  'NEED_PER_CPU_EMBED_FIRST_CHUNK', 'NEED_PER_CPU_PAGE_FIRST_CHUNK', 'HAVE_SETUP_PER_CPU_AREA',
  // slab
  'SLUB', 'SLAB', 'SLOB', 'SLUB_TINY', 'SLUB_DEBUG', 'SLUB_DEBUG_ON', 'SLUB_CPU_PARTIAL', 'SLAB_MERGE_DEFAULT',
  'SLAB_FREELIST_RANDOM', 'SLAB_FREELIST_HARDENED', 'HARDENED_USERCOPY', 'SLAB_BUCKETS', 'RANDOM_KMALLOC_CACHES', 'MEMCG', 'MEMCG_KMEM',
  // mem auto-init and debugging that changes sizes or reservations
  'INIT_ON_ALLOC_DEFAULT_ON', 'INIT_ON_FREE_DEFAULT_ON', 'INIT_STACK_*', 'KASAN', 'KFENCE', 'KFENCE_NUM_OBJECTS', 'KMSAN', 'KCSAN',
  'DEBUG_PAGEALLOC', 'DEBUG_PAGEALLOC_ENABLE_DEFAULT', 'PAGE_TABLE_CHECK', 'DEBUG_VM', 'DEBUG_VIRTUAL',
  'DEBUG_SPINLOCK', 'DEBUG_LOCK_ALLOC', 'LOCKDEP', 'GENERIC_LOCKBREAK',
  // timing and the banner
  'HZ', 'PREEMPT', 'PREEMPT_NONE', 'PREEMPT_VOLUNTARY', 'PREEMPT_DYNAMIC', 'PREEMPT_RT',
  // percpu reserves, cache-line alignment, report_meminit() (sim/stages/mm-inputs.ts)
  'MODULES', 'MEM_ALLOC_PROFILING', 'KMALLOC_PARTITION_CACHES', 'X86_L1_CACHE_SHIFT', 'GCC_PLUGIN_STRUCTLEAK*',
  // the i386 fixmap, which decides MAXMEM_PFN (sim/stages/lowmem32.ts)
  'DEBUG_KMAP_LOCAL', 'DEBUG_HIGHMEM', 'X86_LOCAL_APIC', 'X86_VISWS_APIC', 'X86_F00F_BUG', 'X86_CYCLONE_TIMER', 'X86_MRST', 'X86_IO_APIC', 'PCI_MMCONFIG', 'ACPI_APEI_GHES',
  'PROVIDE_OHCI1394_DMA_INIT', 'PARAVIRT_XXL', 'X86_INTEL_MID', 'INTEL_TXT',
  // the 32-bit struct layouts derived without BTF (qemu-scripts/kernel/structs.ts): kobject's
  // delayed_work, pcpu_chunk's statistics
  'DEBUG_KOBJECT_RELEASE', 'PERCPU_STATS',
  // allocations between memblock_free_all() and the late Memory: line (sim/stages/late-allocs.ts)
  'VMAP_STACK', 'DYNAMIC_FTRACE', 'FTRACE_MCOUNT_RECORD', 'BUILDTIME_MCOUNT_SORT', 'TRACING', 'TRACER_MAX_TRACE', 'TRACER_SNAPSHOT', 'EVENT_TRACING', 'FTRACE_SYSCALLS', 'SCHED_MM_CID',
  // the slab caches created before it (the 'boot' calls of sim/stages/state/caches/<series>.ts)
  'CGROUP_SCHED', 'PERF_EVENTS', 'KEYS', 'SECURITY', 'IMA', 'NET', 'BLOCK', 'PROC_FS', 'TASKSTATS', 'TASK_DELAY_ACCT',
  // console_init() → con_init()'s bootmem copies on 2.6.11 (drivers/char/vt.c, built under HW_CONSOLE;
  // setup_arch()'s conswitchp under VT: vga_con with VGA_CONSOLE, else dummy_con; sim/stages/old/start-kernel-2611.ts)
  'VT', 'HW_CONSOLE', 'VGA_CONSOLE', 'DUMMY_CONSOLE',
  // start_kernel()'s kmallocs before the late Memory: print (sim/stages/late-allocs.ts bootKmallocs): the MCE pool, the legacy irq_descs
  'X86_MCE', 'SPARSE_IRQ',
  // init_kprobes()' blacklist and dynamic_debug_init()'s module tables (qemu-scripts/kernel/boot-lists.ts)
  'KPROBES', 'DYNAMIC_DEBUG',
  // lockup_detector_init()'s perf event (sim/stages/late-allocs.ts FIRST_OBJECT_CACHES)
  'HARDLOCKUP_DETECTOR_PERF',
  // the 2.6.11 x86_64 prebuilt's setup_arch() and mem_init() (sim/stages/old/*-2611-x86_64.ts): IOMMU_DEBUG sets
  // force_iommu (arch/x86_64/kernel/pci-gart.c: swiotlb at any size), ACPI_SLEEP reserves the wakeup page
  // (arch/x86_64/kernel/acpi/sleep.c acpi_reserve_bootmem), K8_NUMA runs k8_scan_nodes() in numa_initmem_init()
  'IOMMU_DEBUG', 'ACPI_SLEEP', 'K8_NUMA',
  // the state probe's /init is an ELF executable: without a binfmt for it the kernel finds no init (fs/exec.c search_binary_handler; sim/stages/old/envelope-30.ts)
  'BINFMT_ELF',
  // 3.0.1 mark_rodata_ro()'s set_pages_ro() splits the direct map's 4M pages (sim/stages/old/pageattr-30.ts; gone in 4.11, so no
  // newer build sets it); KMEMCHECK turns init_memory_mapping()'s use_pse off as DEBUG_PAGEALLOC does (2.6.31–4.14;
  // sim/stages/old/envelope-30.ts, envelope-34.ts)
  'DEBUG_RODATA', 'KMEMCHECK',
  // struct kmem_cache's kobject (3.0.1 include/linux/slub_def.h; sim/stages/old/slab-30.ts)
  'SYSFS',
  // the slab caches created after it, before the state probe reads /proc/slabinfo (sim/stages/state/caches/6.12-post.ts)
  'AIO', 'AUDIT', 'AUDITSYSCALL', 'BLK_DEV_INTEGRITY', 'BTREE', 'DAMON', 'DAX', 'DMA_ENGINE', 'DMA_ENGINE_RAID', 'DNOTIFY', 'EPOLL',
  'FANOTIFY', 'FANOTIFY_ACCESS_PERMISSIONS', 'FILE_LOCKING', 'FSNOTIFY', 'FS_ENCRYPTION', 'FS_STACK', 'FS_VERITY', 'FUSE_FS', 'INET',
  'INOTIFY_USER', 'IOMMU_DMA', 'IO_URING', 'IPV6', 'IPV6_MROUTE', 'IP_MROUTE', 'KSM', 'LEGACY_DIRECT_IO', 'MPTCP', 'MPTCP_IPV6',
  'PID_NS', 'POSIX_MQUEUE', 'POSIX_TIMERS', 'QUOTA', 'SG_POOL', 'SLAB_BUCKETS', 'UNIX', 'USERFAULTFD', 'USER_NS', 'XFRM',
  // include/linux/netdevice.h LL_MAX_HEADER and MAX_HEADER (skbuff_small_head's size)
  'HYPERV_NET', 'WLAN', 'AX25', 'MAC80211_MESH', 'NET_IPIP', 'NET_IPGRE', 'IPV6_SIT', 'IPV6_TUNNEL',
  // net/core/skbuff.c skb_ext_type_len[] (skbuff_ext_cache's size)
  'SKB_EXTENSIONS', 'BRIDGE_NETFILTER', 'NET_TC_SKB_EXT', 'MCTP_FLOWS',
  // 7.2's skb_ext_type_len[] adds SKB_EXT_PSP and SKB_EXT_CAN; the 7.2 post-print calls' options (caches/7.2-post.ts)
  'INET_PSP', 'CAN', 'SWAP', 'ZSMALLOC', 'BPF_SYSCALL', 'XDP_SOCKETS', 'GPU_BUDDY', 'DEBUG_FS', 'TRANSPARENT_HUGEPAGE',
  // 7.3's bio_crypt_ctx cache (block/blk-crypto.c bio_crypt_ctx_init(), built under it: caches/7.3-post.ts)
  'BLK_INLINE_ENCRYPTION',
  // mm/vmstat.c vmstat_text prints the vm_event_item counters under it (sim/stages/state/vmstat.ts)
  'VM_EVENT_COUNTERS',
  // the LSMs ordered_lsm_init() prepares and their inode blobs (lsm_inode_cache's size: sim/stages/state/caches/lsm-blobs.ts)
  'LSM', 'SECURITY_LANDLOCK', 'SECURITY_LOCKDOWN_LSM', 'SECURITY_YAMA', 'SECURITY_LOADPIN', 'SECURITY_SAFESETID', 'SECURITY_APPARMOR',
  'SECURITY_SELINUX', 'SECURITY_SMACK', 'SECURITY_TOMOYO', 'BPF_LSM', 'SECURITY_IPE', 'EVM',
  // 7.2's ipe_blobs.lbs_inode is under this #ifdef (security/ipe/ipe.c; caches/lsm-blobs.ts LSMS_7_2)
  'IPE_PROP_FS_VERITY_BUILTIN_SIG',
  // the CPU the kernel requires (arch/x86/include/asm/required-features.h, 7.2 Kconfig.cpufeatures;
  // arch/x86/boot/cpucheck.c check_cpu), and what it uses of it (sim/stages/cpu.ts)
  'X86_MINIMUM_CPU_FAMILY', 'X86_CMPXCHG64', 'X86_CMOV', 'X86_P6_NOP', 'MATOM', 'MATH_EMULATION', 'X86_REQUIRED_FEATURE_*',
  'X86_DIRECT_GBPAGES', 'X86_FEATURE_NAMES',
  // the slab caches the 6.1 and 5.10 tables create (sim/stages/state/caches/6.1.ts, 5.10.ts): the calls' options,
  // the LSMs whose blobs size lsm_file_cache / lsm_inode_cache, the skb extensions sizing skbuff_ext_cache
  'AIO', 'AUDIT', 'AUDITSYSCALL', 'BLK_DEV_INTEGRITY', 'BPF_LSM', 'BRIDGE_NETFILTER', 'BTREE', 'DAX', 'DMA_ENGINE',
  'DMA_ENGINE_RAID', 'DNOTIFY', 'EPOLL', 'FANOTIFY', 'FANOTIFY_ACCESS_PERMISSIONS', 'FILE_LOCKING', 'FSNOTIFY',
  'FS_ENCRYPTION', 'FS_IOMAP', 'FS_VERITY', 'INET', 'INOTIFY_USER', 'INTEGRITY', 'IOMMU_DMA', 'IO_URING', 'IPV6',
  'IPV6_MROUTE', 'IP_MROUTE', 'KSM', 'LSM', 'MCTP_FLOWS', 'MPTCP', 'MPTCP_IPV6', 'NET_TC_SKB_EXT', 'PID_NS',
  'POSIX_MQUEUE', 'POSIX_TIMERS', 'QUOTA', 'SECURITY_APPARMOR', 'SECURITY_LANDLOCK', 'SECURITY_SELINUX',
  'SECURITY_SMACK', 'SG_POOL', 'SKB_EXTENSIONS', 'UNIX', 'USERFAULTFD', 'USER_NS', 'XFRM', 'ZSWAP',
  // what the extractor itself relies on
  'DEBUG_INFO_BTF', 'KALLSYMS', 'KALLSYMS_ALL', 'BASE_SMALL',
];

const KEPT_EXACT = new Set(KEPT_OPTIONS.filter((k) => !k.endsWith('*')));
const KEPT_PREFIXES = KEPT_OPTIONS.filter((k) => k.endsWith('*')).map((k) => k.slice(0, -1));

/** Whether the facts keep `name` (without CONFIG_): a KEPT_OPTIONS entry, exact or by `*` prefix. */
export function isKeptOption(name: string): boolean {
  return KEPT_EXACT.has(name) || KEPT_PREFIXES.some((p) => name.startsWith(p));
}
