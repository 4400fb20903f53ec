// The kmem_cache_create() calls of the Debian 6.1.192 amd64 build (6.1-amd64; read in the 6.1.192 tree)
// that run before the probe reads /proc/slabinfo, in creation order. How each position was established:
// 'boot': start_kernel() (init/main.c 6.1: mm_init() → kmem_cache_init(), then the kmalloc caches
// caches/index.ts inserts after the two create_boot_cache() entries, vmalloc_init(), mm_cache_init();
// then sched_init(), radix_tree_init(), maple_tree_init(), workqueue_init_early(), trace_init(),
// perf_event_init(), numa_policy_init(), acpi_early_init(), pid_idr_init(), anon_vma_init(),
// cred_init(), fork_init(), proc_caches_init(), uts_ns_init(), key_init(), security_init(),
// net_ns_init(), vfs_caches_init(), signals_init(), seq_file_init(), proc_root_init(),
// taskstats_init_early(), delayacct_init(), in that order); 'post': kernel_init_freeable()'s
// page_alloc_init_late() → buffer_init(), then the initcalls in the order the image's initcall table
// holds them (level by level, link order within a level: the image's kallsyms names each
// __initcall__kmod_<module>__<id>_<line>_<fn><level> entry at its address in .init.data, read from
// the 6.1.0-56-amd64 vmlinux), each call within its init function in source order. On 6.1 mem_init()
// prints Memory: before any of these, so the phase only orders the table. A call runs where every
// option it names is =y; =m code never runs (the probe loads no module). Caches a call makes only on
// hardware the QEMU machines do not have (x86_lbr: Intel LBR, irq_remap_cache: an AMD IOMMU, a disk's
// bio_split bio-128: no built-in block driver) or at run time (pid_<n>: a nested pid namespace) are
// not listed.
import { kernelConfig } from '../../../traits.ts';
import { sliceIfAny } from '../../../state.ts';
import { bootCpu } from '../../boot-cpu.ts';
import { SimError } from '../../../lib/errors.ts';
import type { CacheCall, SizeEnv } from '../slab-create.ts';
import { LSMS_6_1, lsmFileBlob, lsmInodeBlob } from './lsm-blobs.ts';
import { kmemCacheSize, mmStructObject, pidObject, sizeofPde, taskStructObject } from './sizes.ts';

export const bytes = (env: SizeEnv, struct: string): number | undefined => env.ctx.kernel.facts.structs[struct]?.bytes;
export const sum = (env: SizeEnv, parts: readonly (string | number)[]): number | undefined => {
  let n = 0;
  for (const p of parts) {
    const b = typeof p === 'number' ? p : bytes(env, p);
    if (b === undefined) return undefined;
    n += b;
  }
  return n;
};

/** block/bio.c bs_bio_slab_size(): front_pad + sizeof(struct bio) + back_pad, BIO_INLINE_VECS (4) bio_vecs with BIOSET_NEED_BVECS (6.1). */
export const bioSlab = (env: SizeEnv, frontPad: number | undefined): number | undefined => {
  const bio = bytes(env, 'bio');
  const vec = bytes(env, 'bio_vec');
  return bio === undefined || vec === undefined || frontPad === undefined ? undefined : frontPad + bio + 4 * vec;
};
/** bio_find_or_create_slab() (block/bio.c 6.1): one slab per bs_bio_slab_size(), named "bio-%d" of that size. */
const BIO_SLABS_61 = { group: 'bio_slabs', name: (size: number): string => `bio-${size}` } as const;

/** offsetof(struct <s>, <bio>) where the embedded struct bio is the last member ("must be last"): sizeof less sizeof(struct bio), bio having no tail padding (its size is a multiple of its 8-byte alignment). */
export const bioFrontPad = (env: SizeEnv, struct: string): number | undefined => {
  const s = bytes(env, struct);
  const bio = bytes(env, 'bio');
  return s === undefined || bio === undefined ? undefined : s - bio;
};

/**
 * offsetof(struct <s>, bio) where the embedded bio is last and ____cacheline_aligned_in_smp (block/fops.c 6.1
 * struct blkdev_dio): the bio starts at a multiple of L1_CACHE_BYTES (1 << CONFIG_X86_L1_CACHE_SHIFT,
 * arch/x86/include/asm/cache.h), so sizeof is that offset plus sizeof(struct bio) rounded up to it (the i386
 * bio, 96 B in the 686 builds' DWARF, leaves tail padding; the amd64 one does not).
 */
export const bioFrontPadAligned = (env: SizeEnv, struct: string): number | undefined => {
  const s = bytes(env, struct);
  const bio = bytes(env, 'bio');
  const smp = kernelConfig(env.ctx.kernel, 'SMP') === 'y';
  const l1 = smp ? 2 ** Number(kernelConfig(env.ctx.kernel, 'X86_L1_CACHE_SHIFT')) : 1;
  if (s === undefined || bio === undefined || !Number.isInteger(l1)) return undefined;
  return s - Math.ceil(bio / l1) * l1;
};

/**
 * block/bounce.c init_emergency_pool() (__initcall): without MEMORY_HOTPLUG it returns unless max_pfn > max_low_pfn,
 * i.e. unless the boot has highmem (a HighMem zone, or a Movable one taken from highmem, spans pages).
 */
const bounceRuns = (env: SizeEnv): boolean => {
  if (kernelConfig(env.ctx.kernel, 'MEMORY_HOTPLUG') === 'y') return true;
  const z = sliceIfAny(env.state, 'zones');
  return z !== undefined && z.nodes.some((n) => n.zones.some((zz) => zz.spannedPages > 0n && (zz.name === 'HighMem' || (zz.name === 'Movable' && z.zoneMovable.movableZone === 'HighMem'))));
};

/**
 * X86_FEATURE_PTI on an i386 build (arch/x86/mm/pti.c pti_check_boottime_disable(), 6.1.192 and 5.10.223; pti=, nopti and mitigations= are
 * refused by sim/stages/cmdline.ts): set with CONFIG_PAGE_TABLE_ISOLATION when the boot CPU has X86_BUG_CPU_MELTDOWN, which
 * arch/x86/kernel/cpu/common.c cpu_set_bug_bits() sets unless cpu_vuln_whitelist gives the CPU NO_SPECULATION (any family 4;
 * Intel, Centaur, NSC family 5; Vortex 5 and 6; Intel's Saltwell and Bonnell Atoms) or NO_MELTDOWN (AMD, Hygon), or
 * IA32_ARCH_CAPABILITIES has RDCL_NO: a model with arch-capabilities is refused (its MSR value is not modelled).
 */
export const ptiEnabled32 = (env: SizeEnv): boolean => {
  if (kernelConfig(env.ctx.kernel, 'PAGE_TABLE_ISOLATION') !== 'y') return false;
  const cpu = bootCpu(env.ctx);
  // include/asm/intel-family.h: ATOM_BONNELL 0x1c, ATOM_BONNELL_MID 0x26, ATOM_SALTWELL 0x36, _TABLET 0x35, _MID 0x27
  const atom = [0x1c, 0x26, 0x27, 0x35, 0x36];
  const noSpeculation = cpu.family === 4 || ((cpu.vendor === 'Intel' || cpu.vendor === 'Centaur') && cpu.family === 5) || (cpu.vendor === 'Intel' && cpu.family === 6 && atom.includes(cpu.modelNumber));
  if (noSpeculation || cpu.vendor === 'AMD' || cpu.vendor === 'Hygon') return false;
  if (cpu.has('arch-capabilities')) throw new SimError('SIM_NOT_MODELLED', 'slab caches', `${cpu.model}: IA32_ARCH_CAPABILITIES decides X86_BUG_CPU_MELTDOWN (RDCL_NO), and with it PTI and pgtable_cache_init()'s pgd_cache; not modelled`);
  return true;
};

/** arch/x86/mm/pgtable.c pgtable_cache_init() (5.10.223, 6.1.192: the same code), from mm_init() → pgtable_init() after kmem_cache_init(). */
export const PGD_CACHE: CacheCall = { name: 'pgd_cache', site: 'arch/x86/mm/pgtable.c: pgtable_cache_init() (X86_PAE) kmem_cache_create("pgd_cache", PGD_SIZE (PTRS_PER_PGD 4 × sizeof(pgd_t) 8), PGD_ALIGN 32, SLAB_PANIC, NULL) if SHARED_KERNEL_PMD (!X86_FEATURE_PTI)', size: { bytes: 32 }, align: 32, flags: [], option: 'X86_PAE', when: (env) => !ptiEnabled32(env), phase: 'boot' };

/**
 * sizeof(dma_addr_t): u64 under CONFIG_ARCH_DMA_ADDR_T_64BIT (include/linux/types.h), which is def_bool 64BIT ||
 * PHYS_ADDR_T_64BIT (kernel/dma/Kconfig 6.1; X86_PAE selects PHYS_ADDR_T_64BIT, arch/x86/Kconfig), else u32 (686 without PAE).
 */
export const dmaAddrBytes = (env: SizeEnv): number => (kernelConfig(env.ctx.kernel, '64BIT') === 'y' || kernelConfig(env.ctx.kernel, 'X86_PAE') === 'y' ? 8 : 4);

/** net/core/skbuff.c skb_ext_total_length() (6.1): SKB_EXT_CHUNKSIZEOF(struct skb_ext) and one per extension built (IS_ENABLED), each ALIGN(sizeof, 8) / 8; the cache is SKB_EXT_ALIGN_VALUE (8) times that. */
export const skbExtSize = (env: SizeEnv): number | undefined => {
  const on = (o: string): boolean => ['y', 'm'].includes(kernelConfig(env.ctx.kernel, o) ?? '');
  const chunks = (s: string): number | undefined => {
    const b = bytes(env, s);
    return b === undefined ? undefined : Math.ceil(b / 8);
  };
  const exts: [string, string][] = [['BRIDGE_NETFILTER', 'nf_bridge_info'], ['XFRM', 'sec_path'], ['NET_TC_SKB_EXT', 'tc_skb_ext'], ['MPTCP', 'mptcp_ext'], ['MCTP_FLOWS', 'mctp_flow']];
  let n = chunks('skb_ext');
  for (const [opt, s] of exts) {
    if (!on(opt) || n === undefined) continue;
    const c = chunks(s);
    n = c === undefined ? undefined : n + c;
  }
  return n === undefined ? undefined : 8 * n;
};

/**
 * security/security.c ordered_lsm_init() (6.1.192; 5.10.223 the same): blob_sizes.lbs_file and lbs_inode
 * (caches/lsm-blobs.ts: CONFIG_LSM's order, the first exclusive LSM only, lsm_set_blob_size()'s
 * unaligned running sum, lbs_inode after an rcu_head). No lsm= or security= on the command line: both
 * are refused (sim/stages/cmdline.ts).
 */
export const lsmBlob = (env: SizeEnv, blob: 'file' | 'inode'): number | undefined => (blob === 'file' ? lsmFileBlob : lsmInodeBlob)(env, LSMS_6_1, 'none');

/** A proto_register(prot, 1) slab: kmem_cache_create_usercopy(prot->name, prot->obj_size, 0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT | prot->slab_flags, useroffset, usersize) (net/core/sock.c 6.1). */
export const proto = (name: string, site: string, struct: string, extra: { readonly rcu?: true; readonly usercopy?: true; readonly option?: string | readonly string[] } = {}): CacheCall => ({
  name,
  site: `${site} proto_register() → net/core/sock.c kmem_cache_create_usercopy("${name}", sizeof(struct ${struct}), 0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT${extra.rcu ? ' | SLAB_TYPESAFE_BY_RCU' : ''}${extra.usercopy ? ', the filter usercopy region' : ''})`,
  size: { struct },
  flags: ['HWCACHE_ALIGN', 'ACCOUNT', ...(extra.rcu ? (['TYPESAFE_BY_RCU'] as const) : [])],
  ...(extra.usercopy ? { usercopy: true as const } : {}),
  ...(extra.option ? { option: extra.option } : {}),
  phase: 'post',
});
/** proto_register()'s req_prot_init() / tw_prot_init(): kmem_cache_create("request_sock_<name>" / "tw_sock_<name>", obj_size, 0, SLAB_ACCOUNT | prot->slab_flags, NULL) (net/core/sock.c 6.1). */
export const protoSub = (name: string, site: string, struct: string, option: string | readonly string[], wrapper?: string): CacheCall => ({
  name,
  site: `${site} proto_register() → net/core/sock.c ${name.startsWith('tw_') ? 'tw_prot_init()' : 'req_prot_init()'} kmem_cache_create("${name}", sizeof(struct ${wrapper ?? struct}), 0, SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU, NULL)${wrapper ? ` (include/linux/ipv6.h: struct ${wrapper} is one struct ${struct})` : ''}`,
  size: { struct },
  flags: ['ACCOUNT', 'TYPESAFE_BY_RCU'],
  option,
  phase: 'post',
});


/** The options and init functions the proto caches' rows share (5.10.ts uses them too). */
export const INET = ['NET', 'INET'] as const;
export const IPV6 = ['NET', 'INET', 'IPV6'] as const;
export const AF_INET = 'net/ipv4/af_inet.c: inet_init()';
export const AF_INET6 = 'net/ipv6/af_inet6.c: inet6_init()';

export const CACHES_6_1: readonly CacheCall[] = [
  // start_kernel() → mm_init() → kmem_cache_init() (mm/slub.c 6.1)
  { name: 'kmem_cache_node', site: 'mm/slub.c: kmem_cache_init() create_boot_cache(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node), SLAB_HWCACHE_ALIGN, 0, 0)', size: { struct: 'kmem_cache_node' }, flags: ['HWCACHE_ALIGN'], bootstrap: true, phase: 'boot' },
  { name: 'kmem_cache', site: 'mm/slub.c: kmem_cache_init() create_boot_cache(kmem_cache, "kmem_cache", offsetof(struct kmem_cache, node) + nr_node_ids * sizeof(struct kmem_cache_node *), SLAB_HWCACHE_ALIGN, 0, 0)', size: kmemCacheSize, flags: ['HWCACHE_ALIGN'], bootstrap: true, phase: 'boot' },
  // mm_init() → pgtable_init() → pgtable_cache_init() (i386 PAE only; ptlock_cache_init() makes none: ALLOC_SPLIT_PTLOCKS needs a spinlock_t wider than a long)
  PGD_CACHE,
  { name: 'vmap_area', site: 'mm/vmalloc.c: vmalloc_init() KMEM_CACHE(vmap_area, SLAB_PANIC)', size: { struct: 'vmap_area' }, flags: [], phase: 'boot' },
  { name: 'mm_struct', site: 'kernel/fork.c: mm_cache_init() kmem_cache_create_usercopy("mm_struct", mm_size, ARCH_MIN_MMSTRUCT_ALIGN, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, saved_auxv)', size: mmStructObject, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], usercopy: true, phase: 'boot' },
  // struct task_group's load_avg is ____cacheline_aligned (kernel/sched/sched.h, FAIR_GROUP_SCHED and SMP): __alignof__ 64
  { name: 'task_group', site: 'kernel/sched/core.c: sched_init() KMEM_CACHE(task_group, 0)', size: { struct: 'task_group' }, align: 64, flags: [], option: 'CGROUP_SCHED', phase: 'boot' },
  { name: 'radix_tree_node', site: 'lib/radix-tree.c: radix_tree_init() kmem_cache_create("radix_tree_node", sizeof(struct radix_tree_node), 0, SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, radix_tree_node_ctor)', size: { struct: 'xa_node' }, flags: ['RECLAIM_ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'maple_node', site: 'lib/maple_tree.c: maple_tree_init() kmem_cache_create("maple_node", sizeof(struct maple_node), sizeof(struct maple_node), SLAB_PANIC, NULL)', size: { struct: 'maple_node' }, align: 256, flags: [], phase: 'boot' },
  // struct pool_workqueue is __aligned(1 << WORK_STRUCT_FLAG_BITS): WORK_STRUCT_COLOR_SHIFT 4 + WORK_STRUCT_COLOR_BITS 4 without DEBUG_OBJECTS_WORK (kernel/workqueue.c, include/linux/workqueue.h 6.1)
  { name: 'pool_workqueue', site: 'kernel/workqueue.c: workqueue_init_early() KMEM_CACHE(pool_workqueue, SLAB_PANIC)', size: { struct: 'pool_workqueue' }, align: 256, flags: [], phase: 'boot' },
  { name: 'ftrace_event_field', site: 'kernel/trace/trace.c: trace_init() → trace_events.c event_trace_memsetup() KMEM_CACHE(ftrace_event_field, SLAB_PANIC)', size: { struct: 'ftrace_event_field' }, flags: [], option: 'EVENT_TRACING', phase: 'boot' },
  { name: 'trace_event_file', site: 'kernel/trace/trace.c: trace_init() → trace_events.c event_trace_memsetup() KMEM_CACHE(trace_event_file, SLAB_PANIC)', size: { struct: 'trace_event_file' }, flags: [], option: 'EVENT_TRACING', phase: 'boot' },
  { name: 'perf_event', site: 'kernel/events/core.c: perf_event_init() KMEM_CACHE(perf_event, SLAB_PANIC)', size: { struct: 'perf_event' }, flags: [], option: 'PERF_EVENTS', phase: 'boot' },
  { name: 'numa_policy', site: 'mm/mempolicy.c: numa_policy_init() kmem_cache_create("numa_policy", sizeof(struct mempolicy), 0, SLAB_PANIC, NULL)', size: { struct: 'mempolicy' }, flags: [], option: 'NUMA', phase: 'boot' },
  { name: 'shared_policy_node', site: 'mm/mempolicy.c: numa_policy_init() kmem_cache_create("shared_policy_node", sizeof(struct sp_node), 0, SLAB_PANIC, NULL)', size: { struct: 'sp_node' }, flags: [], option: 'NUMA', phase: 'boot' },
  // acpi_early_init() → acpi_initialize_subsystem() → acpi_ut_init_globals() → acpi_ut_create_caches() → drivers/acpi/osl.c acpi_os_create_cache(): kmem_cache_create(name, size, 0, 0, NULL)
  { name: 'Acpi-Namespace', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-Namespace", sizeof(struct acpi_namespace_node))', size: { struct: 'acpi_namespace_node' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-State', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-State", sizeof(union acpi_generic_state))', size: { struct: 'acpi_generic_state' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-Parse', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-Parse", sizeof(struct acpi_parse_obj_common))', size: { struct: 'acpi_parse_obj_common' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-ParseExt', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-ParseExt", sizeof(struct acpi_parse_obj_named))', size: { struct: 'acpi_parse_obj_named' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-Operand', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-Operand", sizeof(union acpi_operand_object))', size: { struct: 'acpi_operand_object' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'pid', site: 'kernel/pid.c: pid_idr_init() kmem_cache_create("pid", struct_size((struct pid *)NULL, numbers, 1), __alignof__(struct pid), SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: pidObject, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'anon_vma', site: 'mm/rmap.c: anon_vma_init() kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0, SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT, anon_vma_ctor)', size: { struct: 'anon_vma' }, flags: ['TYPESAFE_BY_RCU', 'ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'anon_vma_chain', site: 'mm/rmap.c: anon_vma_init() KMEM_CACHE(anon_vma_chain, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'anon_vma_chain' }, flags: ['ACCOUNT'], phase: 'boot' },
  // thread_stack_cache_init(): no cache with VMAP_STACK (kernel/fork.c 6.1)
  { name: 'cred_jar', site: 'kernel/cred.c: cred_init() kmem_cache_create("cred_jar", sizeof(struct cred), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'cred' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'task_struct', site: 'kernel/fork.c: fork_init() kmem_cache_create_usercopy("task_struct", arch_task_struct_size, max(L1_CACHE_BYTES, ARCH_MIN_TASKALIGN), SLAB_PANIC|SLAB_ACCOUNT, the FPU registers)', size: taskStructObject, align: 64, flags: ['ACCOUNT'], usercopy: true, phase: 'boot' },
  { name: 'sighand_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("sighand_cache", sizeof(struct sighand_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_TYPESAFE_BY_RCU|SLAB_ACCOUNT, sighand_ctor)', size: { struct: 'sighand_struct' }, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU', 'ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'signal_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("signal_cache", sizeof(struct signal_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'signal_struct' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'files_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("files_cache", sizeof(struct files_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'files_struct' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'fs_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("fs_cache", sizeof(struct fs_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'fs_struct' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'vm_area_struct', site: 'kernel/fork.c: proc_caches_init() KMEM_CACHE(vm_area_struct, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'vm_area_struct' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'nsproxy', site: 'kernel/fork.c: proc_caches_init() → kernel/nsproxy.c nsproxy_cache_init() KMEM_CACHE(nsproxy, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'nsproxy' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'uts_namespace', site: 'kernel/utsname.c: uts_ns_init() kmem_cache_create_usercopy("uts_namespace", sizeof(struct uts_namespace), 0, SLAB_PANIC|SLAB_ACCOUNT, name)', size: { struct: 'uts_namespace' }, flags: ['ACCOUNT'], usercopy: true, phase: 'boot' },
  { name: 'key_jar', site: 'security/keys/key.c: key_init() kmem_cache_create("key_jar", sizeof(struct key), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'key' }, flags: ['HWCACHE_ALIGN'], option: 'KEYS', phase: 'boot' },
  // security_init() → ordered_lsm_init(): the two blob caches (each only when its blob is not empty), then each LSM's init: integrity's integrity_iintcache_init()
  { name: 'lsm_file_cache', site: 'security/security.c: ordered_lsm_init() kmem_cache_create("lsm_file_cache", blob_sizes.lbs_file, 0, SLAB_PANIC, NULL) if lbs_file', size: (env) => lsmBlob(env, 'file'), when: (env) => lsmBlob(env, 'file') !== 0, flags: [], option: 'SECURITY', phase: 'boot' },
  { name: 'lsm_inode_cache', site: 'security/security.c: ordered_lsm_init() kmem_cache_create("lsm_inode_cache", blob_sizes.lbs_inode, 0, SLAB_PANIC, NULL) if lbs_inode', size: (env) => lsmBlob(env, 'inode'), when: (env) => lsmBlob(env, 'inode') !== 0, flags: [], option: 'SECURITY', phase: 'boot' },
  { name: 'iint_cache', site: 'security/integrity/iint.c: integrity_iintcache_init() (DEFINE_LSM(integrity)) kmem_cache_create("iint_cache", sizeof(struct integrity_iint_cache), 0, SLAB_PANIC, iint_init_once)', size: { struct: 'integrity_iint_cache' }, flags: [], ctor: true, option: 'INTEGRITY', phase: 'boot' },
  { name: 'net_namespace', site: 'net/core/net_namespace.c: net_ns_init() kmem_cache_create("net_namespace", sizeof(struct net), SMP_CACHE_BYTES, SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'net' }, align: 64, flags: ['ACCOUNT'], option: 'NET', phase: 'boot' },
  // vfs_caches_init() (fs/dcache.c 6.1): names_cache, dcache_init(), inode_init(), files_init(), mnt_init() (mnt_cache, kernfs_init(), sysfs_init(), shmem_init()), bdev_cache_init()
  { name: 'names_cache', site: 'fs/dcache.c: vfs_caches_init() kmem_cache_create_usercopy("names_cache", PATH_MAX, 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, 0, PATH_MAX, NULL)', size: { bytes: 4096 }, flags: ['HWCACHE_ALIGN'], usercopy: true, phase: 'boot' },
  { name: 'dentry', site: 'fs/dcache.c: dcache_init() KMEM_CACHE_USERCOPY(dentry, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD|SLAB_ACCOUNT, d_iname)', size: { struct: 'dentry' }, flags: ['RECLAIM_ACCOUNT', 'ACCOUNT'], usercopy: true, phase: 'boot' },
  { name: 'inode_cache', site: 'fs/inode.c: inode_init() kmem_cache_create("inode_cache", sizeof(struct inode), 0, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD|SLAB_ACCOUNT, init_once)', size: { struct: 'inode' }, flags: ['RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'filp', site: 'fs/file_table.c: files_init() kmem_cache_create("filp", sizeof(struct file), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'file' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'mnt_cache', site: 'fs/namespace.c: mnt_init() kmem_cache_create("mnt_cache", sizeof(struct mount), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'mount' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'kernfs_node_cache', site: 'fs/namespace.c: mnt_init() → fs/kernfs/mount.c kernfs_init() kmem_cache_create("kernfs_node_cache", sizeof(struct kernfs_node), 0, SLAB_PANIC, NULL)', size: { struct: 'kernfs_node' }, flags: [], phase: 'boot' },
  { name: 'kernfs_iattrs_cache', site: 'fs/namespace.c: mnt_init() → fs/kernfs/mount.c kernfs_init() kmem_cache_create("kernfs_iattrs_cache", sizeof(struct kernfs_iattrs), 0, SLAB_PANIC, NULL)', size: { struct: 'kernfs_iattrs' }, flags: [], phase: 'boot' },
  { name: 'shmem_inode_cache', site: 'fs/namespace.c: mnt_init() → mm/shmem.c shmem_init() shmem_init_inodecache() kmem_cache_create("shmem_inode_cache", sizeof(struct shmem_inode_info), 0, SLAB_PANIC|SLAB_ACCOUNT, shmem_init_inode)', size: { struct: 'shmem_inode_info' }, flags: ['ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'bdev_cache', site: 'fs/dcache.c: vfs_caches_init() → block/bdev.c bdev_cache_init() kmem_cache_create("bdev_cache", sizeof(struct bdev_inode), 0, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT|SLAB_PANIC, init_once)', size: { struct: 'bdev_inode' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'BLOCK', phase: 'boot' },
  { name: 'sigqueue', site: 'kernel/signal.c: signals_init() KMEM_CACHE(sigqueue, SLAB_PANIC | SLAB_ACCOUNT)', size: { struct: 'sigqueue' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'seq_file', site: 'fs/seq_file.c: seq_file_init() KMEM_CACHE(seq_file, SLAB_ACCOUNT|SLAB_PANIC)', size: { struct: 'seq_file' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'proc_inode_cache', site: 'fs/proc/root.c: proc_root_init() → fs/proc/inode.c proc_init_kmemcache() kmem_cache_create("proc_inode_cache", sizeof(struct proc_inode), 0, SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT|SLAB_PANIC, init_once)', size: { struct: 'proc_inode' }, flags: ['RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'PROC_FS', phase: 'boot' },
  { name: 'pde_opener', site: 'fs/proc/inode.c: proc_init_kmemcache() kmem_cache_create("pde_opener", sizeof(struct pde_opener), 0, SLAB_ACCOUNT|SLAB_PANIC, NULL)', size: { struct: 'pde_opener' }, flags: ['ACCOUNT'], option: 'PROC_FS', phase: 'boot' },
  { name: 'proc_dir_entry', site: 'fs/proc/inode.c: proc_init_kmemcache() kmem_cache_create_usercopy("proc_dir_entry", SIZEOF_PDE, 0, SLAB_PANIC, inline_name)', size: sizeofPde, flags: [], usercopy: true, option: 'PROC_FS', phase: 'boot' },
  { name: 'taskstats', site: 'kernel/taskstats.c: taskstats_init_early() KMEM_CACHE(taskstats, SLAB_PANIC)', size: { struct: 'taskstats' }, flags: [], option: 'TASKSTATS', phase: 'boot' },
  { name: 'task_delay_info', site: 'kernel/delayacct.c: delayacct_init() KMEM_CACHE(task_delay_info, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'task_delay_info' }, flags: ['ACCOUNT'], option: 'TASK_DELAY_ACCT', phase: 'boot' },
  // kernel_init_freeable() → page_alloc_init_late() → fs/buffer.c buffer_init() (mm/page_alloc.c 6.1)
  { name: 'buffer_head', site: 'mm/page_alloc.c: page_alloc_init_late() → fs/buffer.c buffer_init() kmem_cache_create("buffer_head", sizeof(struct buffer_head), 0, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD, NULL)', size: { struct: 'buffer_head' }, flags: ['RECLAIM_ACCOUNT'], phase: 'post' },
  // core_initcall (level 1): fsnotify_init, filelock_init, sock_init, in the image's order
  { name: 'fsnotify_mark_connector', site: 'fs/notify/fsnotify.c: fsnotify_init() (core_initcall) KMEM_CACHE(fsnotify_mark_connector, SLAB_PANIC)', size: { struct: 'fsnotify_mark_connector' }, flags: [], option: 'FSNOTIFY', phase: 'post' },
  { name: 'file_lock_ctx', site: 'fs/locks.c: filelock_init() (core_initcall) kmem_cache_create("file_lock_ctx", sizeof(struct file_lock_context), 0, SLAB_PANIC, NULL)', size: { struct: 'file_lock_context' }, flags: [], option: 'FILE_LOCKING', phase: 'post' },
  { name: 'file_lock_cache', site: 'fs/locks.c: filelock_init() (core_initcall) kmem_cache_create("file_lock_cache", sizeof(struct file_lock), 0, SLAB_PANIC, NULL)', size: { struct: 'file_lock' }, flags: [], option: 'FILE_LOCKING', phase: 'post' },
  // net/socket.c sock_init() (core_initcall): skb_init() (head, fclone, skb_extensions_init()), then init_inodecache()
  { name: 'skbuff_head_cache', site: 'net/socket.c: sock_init() → net/core/skbuff.c skb_init() kmem_cache_create_usercopy("skbuff_head_cache", sizeof(struct sk_buff), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, cb)', size: { struct: 'sk_buff' }, flags: ['HWCACHE_ALIGN'], usercopy: true, option: 'NET', phase: 'post' },
  { name: 'skbuff_fclone_cache', site: 'net/socket.c: sock_init() → net/core/skbuff.c skb_init() kmem_cache_create("skbuff_fclone_cache", sizeof(struct sk_buff_fclones), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'sk_buff_fclones' }, flags: ['HWCACHE_ALIGN'], option: 'NET', phase: 'post' },
  { name: 'skbuff_ext_cache', site: 'net/core/skbuff.c: skb_init() → skb_extensions_init() kmem_cache_create("skbuff_ext_cache", SKB_EXT_ALIGN_VALUE * skb_ext_total_length(), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: skbExtSize, flags: ['HWCACHE_ALIGN'], option: ['NET', 'SKB_EXTENSIONS'], phase: 'post' },
  { name: 'sock_inode_cache', site: 'net/socket.c: sock_init() → init_inodecache() kmem_cache_create("sock_inode_cache", sizeof(struct socket_alloc), 0, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT, init_once)', size: { struct: 'socket_alloc' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'NET', phase: 'post' },
  // postcore_initcall (level 2): audit_init (audit_initialized is not AUDIT_DISABLED without audit=0, which is refused)
  { name: 'audit_buffer', site: 'kernel/audit.c: audit_init() (postcore_initcall) kmem_cache_create("audit_buffer", sizeof(struct audit_buffer), 0, SLAB_PANIC, NULL)', size: { struct: 'audit_buffer' }, flags: [], option: 'AUDIT', phase: 'post' },
  // arch_initcall (level 3): drivers/dma/dmaengine.c dma_bus_init() → dmaengine_init_unmap_pool(), then drivers/iommu/dma-iommu.c iommu_dma_init() → iova_cache_get()
  ...[2, 16, 128, 256].map((n): CacheCall => ({ name: `dmaengine-unmap-${n}`, site: `drivers/dma/dmaengine.c: dma_bus_init() (arch_initcall) → dmaengine_init_unmap_pool() kmem_cache_create("dmaengine-unmap-${n}", sizeof(struct dmaengine_unmap_data) + sizeof(dma_addr_t) * ${n}, 0, SLAB_HWCACHE_ALIGN, NULL)${n === 2 ? '' : ' (DMA_ENGINE_RAID)'}`, size: (env) => sum(env, ['dmaengine_unmap_data', dmaAddrBytes(env) * n]), flags: ['HWCACHE_ALIGN'], option: n === 2 ? 'DMA_ENGINE' : ['DMA_ENGINE', 'DMA_ENGINE_RAID'], phase: 'post' })),
  { name: 'iommu_iova', site: 'drivers/iommu/dma-iommu.c: iommu_dma_init() (arch_initcall) → drivers/iommu/iova.c iova_cache_get() kmem_cache_create("iommu_iova", sizeof(struct iova), 0, SLAB_HWCACHE_ALIGN, NULL)', size: { struct: 'iova' }, flags: ['HWCACHE_ALIGN'], option: 'IOMMU_DMA', phase: 'post' },
  // subsys_initcall (level 4), in the image's order: uid_cache_init, user_namespaces_init, ksm_init, hugepage_init, init_bio, blk_ioc_init, genhd_device_init, sg_pool_init, dax_core_init
  { name: 'uid_cache', site: 'kernel/user.c: uid_cache_init() (subsys_initcall) kmem_cache_create("uid_cache", sizeof(struct user_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'user_struct' }, flags: ['HWCACHE_ALIGN'], phase: 'post' },
  { name: 'user_namespace', site: 'kernel/user_namespace.c: user_namespaces_init() (subsys_initcall) KMEM_CACHE(user_namespace, SLAB_PANIC | SLAB_ACCOUNT)', size: { struct: 'user_namespace' }, flags: ['ACCOUNT'], option: 'USER_NS', phase: 'post' },
  ...(['ksm_rmap_item', 'ksm_stable_node', 'ksm_mm_slot'] as const).map((s): CacheCall => ({ name: s, site: `mm/ksm.c: ksm_init() (subsys_initcall) → ksm_slab_init() KSM_KMEM_CACHE(${s}, 0): kmem_cache_create("${s}", sizeof(struct ${s}), __alignof__(struct ${s}), 0, NULL)`, size: { struct: s }, flags: [], option: 'KSM', phase: 'post' })),
  { name: 'khugepaged_mm_slot', site: 'mm/huge_memory.c: hugepage_init() (subsys_initcall) → mm/khugepaged.c khugepaged_init() kmem_cache_create("khugepaged_mm_slot", sizeof(struct khugepaged_mm_slot), __alignof__(struct khugepaged_mm_slot), 0, NULL)', size: { struct: 'khugepaged_mm_slot' }, flags: [], option: 'TRANSPARENT_HUGEPAGE', phase: 'post' },
  // block/bio.c init_bio(): bio_integrity_init(), the bvec_slabs[] caches, then bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS | BIOSET_PERCPU_CACHE)
  { name: 'bio_integrity_payload', site: 'block/bio.c: init_bio() (subsys_initcall) → block/bio-integrity.c bio_integrity_init() kmem_cache_create("bio_integrity_payload", sizeof(struct bio_integrity_payload) + sizeof(struct bio_vec) * BIO_INLINE_VECS, 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: (env) => sum(env, ['bio_integrity_payload', 'bio_vec', 'bio_vec', 'bio_vec', 'bio_vec']), flags: ['HWCACHE_ALIGN'], option: ['BLOCK', 'BLK_DEV_INTEGRITY'], phase: 'post' },
  ...([[16, 'biovec-16'], [64, 'biovec-64'], [128, 'biovec-128'], [256, 'biovec-max']] as const).map(([n, name]): CacheCall => ({ name, site: `block/bio.c: init_bio() (subsys_initcall) bvec_slabs[]: kmem_cache_create("${name}", ${n} * sizeof(struct bio_vec), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)`, size: (env) => { const v = bytes(env, 'bio_vec'); return v === undefined ? undefined : n * v; }, flags: ['HWCACHE_ALIGN'], option: 'BLOCK', phase: 'post' })),
  { name: 'bio-<size>', sharedSlab: BIO_SLABS_61, site: 'block/bio.c: init_bio() (subsys_initcall) bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS | BIOSET_PERCPU_CACHE) → create_bio_slab() kmem_cache_create("bio-<size>", size, ARCH_KMALLOC_MINALIGN, SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU, NULL)', size: (env) => bioSlab(env, 0), align: 8, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU'], option: 'BLOCK', phase: 'post' },
  { name: 'blkdev_ioc', site: 'block/blk-ioc.c: blk_ioc_init() (subsys_initcall) kmem_cache_create("blkdev_ioc", sizeof(struct io_context), 0, SLAB_PANIC, NULL)', size: { struct: 'io_context' }, flags: [], option: 'BLOCK', phase: 'post' },
  { name: 'request_queue', site: 'block/genhd.c: genhd_device_init() (subsys_initcall) → block/blk-core.c blk_dev_init() kmem_cache_create("request_queue", sizeof(struct request_queue), 0, SLAB_PANIC, NULL)', size: { struct: 'request_queue' }, flags: [], option: 'BLOCK', phase: 'post' },
  { name: 'request_queue_srcu', site: 'block/genhd.c: genhd_device_init() → block/blk-core.c blk_dev_init() kmem_cache_create("request_queue_srcu", sizeof(struct request_queue) + sizeof(struct srcu_struct), 0, SLAB_PANIC, NULL)', size: (env) => sum(env, ['request_queue', 'srcu_struct']), flags: [], option: 'BLOCK', phase: 'post' },
  // lib/sg_pool.c sg_pools[] with SG_CHUNK_SIZE 128: SP(8), SP(16), SP(32), SP(64), SP(SG_CHUNK_SIZE)
  ...[8, 16, 32, 64, 128].map((n): CacheCall => ({ name: `sgpool-${n}`, site: `lib/sg_pool.c: sg_pool_init() (subsys_initcall) kmem_cache_create("sgpool-${n}", ${n} * sizeof(struct scatterlist), 0, SLAB_HWCACHE_ALIGN, NULL)`, size: (env) => { const s = bytes(env, 'scatterlist'); return s === undefined ? undefined : n * s; }, flags: ['HWCACHE_ALIGN'], option: 'SG_POOL', phase: 'post' })),
  { name: 'dax_cache', site: 'drivers/dax/super.c: dax_core_init() (subsys_initcall) → dax_fs_init() kmem_cache_create("dax_cache", sizeof(struct dax_device), 0, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT, init_once)', size: { struct: 'dax_device' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'DAX', phase: 'post' },
  // fs_initcall (level 5): inotify_user_setup, eventpoll_init, iomap_init, dquot_init, init_hugetlbfs_fs, inet_init, af_unix_init, in the image's order
  { name: 'inotify_inode_mark', site: 'fs/notify/inotify/inotify_user.c: inotify_user_setup() (fs_initcall) KMEM_CACHE(inotify_inode_mark, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'inotify_inode_mark' }, flags: ['ACCOUNT'], option: 'INOTIFY_USER', phase: 'post' },
  { name: 'eventpoll_epi', site: 'fs/eventpoll.c: eventpoll_init() (fs_initcall) kmem_cache_create("eventpoll_epi", sizeof(struct epitem), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'epitem' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: 'EPOLL', phase: 'post' },
  { name: 'eventpoll_pwq', site: 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("eventpoll_pwq", sizeof(struct eppoll_entry), 0, SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'eppoll_entry' }, flags: ['ACCOUNT'], option: 'EPOLL', phase: 'post' },
  { name: 'ep_head', site: 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("ep_head", sizeof(struct epitems_head), 0, SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'epitems_head' }, flags: ['ACCOUNT'], option: 'EPOLL', phase: 'post' },
  { name: 'bio-<size>', sharedSlab: BIO_SLABS_61, site: 'fs/iomap/buffered-io.c: iomap_init() (fs_initcall) bioset_init(&iomap_ioend_bioset, 4 * (PAGE_SIZE / SECTOR_SIZE), offsetof(struct iomap_ioend, io_inline_bio), BIOSET_NEED_BVECS) → create_bio_slab()', size: (env) => bioSlab(env, bioFrontPad(env, 'iomap_ioend')), align: 8, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU'], option: ['BLOCK', 'FS_IOMAP'], phase: 'post' },
  { name: 'dquot', site: 'fs/quota/dquot.c: dquot_init() (fs_initcall) kmem_cache_create("dquot", sizeof(struct dquot), sizeof(unsigned long) * 4, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_PANIC, NULL)', size: { struct: 'dquot' }, align: 32, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT'], option: 'QUOTA', phase: 'post' },
  { name: 'hugetlbfs_inode_cache', site: 'fs/hugetlbfs/inode.c: init_hugetlbfs_fs() (fs_initcall) kmem_cache_create("hugetlbfs_inode_cache", sizeof(struct hugetlbfs_inode_info), 0, SLAB_ACCOUNT, init_once)', size: { struct: 'hugetlbfs_inode_info' }, flags: ['ACCOUNT'], ctor: true, option: 'HUGETLBFS', phase: 'post' },
  // net/ipv4/af_inet.c inet_init() (fs_initcall): proto_register() of tcp, udp, raw, ping; ip_init() (ip_rt_init(): ip_dst_cache, ip_fib_init() → fib_trie_init(), xfrm_init() → xfrm_net_init(&init_net): xfrm_state_init(), xfrm_policy_init(); inet_initpeers()); tcp_init() (the bind buckets, then mptcp_init()); udplite4_register(); ip_mr_init(); ipfrag_init()
  proto('TCP', AF_INET, 'tcp_sock', { rcu: true, option: INET }),
  protoSub('request_sock_TCP', AF_INET, 'tcp_request_sock', INET),
  protoSub('tw_sock_TCP', AF_INET, 'tcp_timewait_sock', INET),
  proto('UDP', AF_INET, 'udp_sock', { option: INET }),
  proto('RAW', AF_INET, 'raw_sock', { usercopy: true, option: INET }),
  proto('PING', AF_INET, 'inet_sock', { option: INET }),
  { name: 'ip_dst_cache', site: 'net/ipv4/route.c: ip_rt_init() kmem_cache_create("ip_dst_cache", sizeof(struct rtable), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'rtable' }, flags: ['HWCACHE_ALIGN'], option: INET, phase: 'post' },
  { name: 'ip_fib_alias', site: 'net/ipv4/route.c: ip_rt_init() → fib_frontend.c ip_fib_init() → fib_trie.c fib_trie_init() kmem_cache_create("ip_fib_alias", sizeof(struct fib_alias), 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'fib_alias' }, flags: ['ACCOUNT'], option: INET, phase: 'post' },
  // LEAF_SIZE = TNODE_SIZE(1) = offsetof(struct tnode, kv[0].tnode[1]): kv[1] is tnode's last member and its last member the 8-byte union, so sizeof(struct tnode) (net/ipv4/fib_trie.c 6.1)
  { name: 'ip_fib_trie', site: 'net/ipv4/fib_trie.c: fib_trie_init() kmem_cache_create("ip_fib_trie", LEAF_SIZE, 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'tnode' }, flags: ['ACCOUNT'], option: INET, phase: 'post' },
  { name: 'xfrm_state', site: 'net/ipv4/route.c: ip_rt_init() → net/xfrm/xfrm_policy.c xfrm_init() → xfrm_net_init(&init_net) → xfrm_state.c xfrm_state_init() KMEM_CACHE(xfrm_state, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', size: { struct: 'xfrm_state' }, flags: ['HWCACHE_ALIGN'], option: [...INET, 'XFRM'], phase: 'post' },
  { name: 'xfrm_dst_cache', site: 'net/xfrm/xfrm_policy.c: xfrm_net_init(&init_net) → xfrm_policy_init() kmem_cache_create("xfrm_dst_cache", sizeof(struct xfrm_dst), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'xfrm_dst' }, flags: ['HWCACHE_ALIGN'], option: [...INET, 'XFRM'], phase: 'post' },
  { name: 'inet_peer_cache', site: 'net/ipv4/ip_output.c: ip_init() → inetpeer.c inet_initpeers() kmem_cache_create("inet_peer_cache", sizeof(struct inet_peer), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)', size: { struct: 'inet_peer' }, flags: ['HWCACHE_ALIGN'], option: INET, phase: 'post' },
  { name: 'tcp_bind_bucket', site: 'net/ipv4/tcp.c: tcp_init() kmem_cache_create("tcp_bind_bucket", sizeof(struct inet_bind_bucket), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'inet_bind_bucket' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: INET, phase: 'post' },
  { name: 'tcp_bind2_bucket', site: 'net/ipv4/tcp.c: tcp_init() kmem_cache_create("tcp_bind2_bucket", sizeof(struct inet_bind2_bucket), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'inet_bind2_bucket' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: INET, phase: 'post' },
  // tcp_init() → net/mptcp/ctrl.c mptcp_init() → protocol.c mptcp_proto_init(): mptcp_subflow_init() (subflow_ops_init()), then proto_register(&mptcp_prot, 1)
  { name: 'request_sock_subflow_v4', site: 'net/mptcp/subflow.c: mptcp_subflow_init() → subflow_ops_init() kmem_cache_create("request_sock_subflow_v4", sizeof(struct mptcp_subflow_request_sock), 0, SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU, NULL)', size: { struct: 'mptcp_subflow_request_sock' }, flags: ['ACCOUNT', 'TYPESAFE_BY_RCU'], option: [...INET, 'MPTCP'], phase: 'post' },
  proto('MPTCP', 'net/mptcp/protocol.c: mptcp_proto_init()', 'mptcp_sock', { rcu: true, option: [...INET, 'MPTCP'] }),
  proto('UDP-Lite', 'net/ipv4/udplite.c: udplite4_register()', 'udp_sock', { option: INET }),
  { name: 'ip_mrt_cache', site: 'net/ipv4/ipmr.c: ip_mr_init() kmem_cache_create("ip_mrt_cache", sizeof(struct mfc_cache), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'mfc_cache' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: [...INET, 'IP_MROUTE'], phase: 'post' },
  { name: 'ip4-frags', site: 'net/ipv4/ip_fragment.c: ipfrag_init() → inet_fragment.c inet_frags_init() kmem_cache_create("ip4-frags", sizeof(struct ipq), 0, 0, NULL)', size: { struct: 'ipq' }, flags: [], option: INET, phase: 'post' },
  proto('UNIX', 'net/unix/af_unix.c: af_unix_init() (fs_initcall)', 'unix_sock', { option: ['NET', 'UNIX'] }),
  proto('UNIX-STREAM', 'net/unix/af_unix.c: af_unix_init()', 'unix_sock', { option: ['NET', 'UNIX'] }),
  // device_initcall (level 6), in the image's order
  { name: 'posix_timers_cache', site: 'kernel/time/posix-timers.c: init_posix_timers() (__initcall) kmem_cache_create("posix_timers_cache", sizeof(struct k_itimer), 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'k_itimer' }, flags: ['ACCOUNT'], option: 'POSIX_TIMERS', phase: 'post' },
  { name: 'pid_namespace', site: 'kernel/pid_namespace.c: pid_namespaces_init() (__initcall) KMEM_CACHE(pid_namespace, SLAB_PANIC | SLAB_ACCOUNT)', size: { struct: 'pid_namespace' }, flags: ['ACCOUNT'], option: 'PID_NS', phase: 'post' },
  { name: 'audit_tree_mark', site: 'kernel/audit_tree.c: audit_tree_init() (__initcall) KMEM_CACHE(audit_tree_mark, SLAB_PANIC)', size: { struct: 'audit_tree_mark' }, flags: [], option: ['AUDIT', 'AUDITSYSCALL'], phase: 'post' },
  { name: 'fasync_cache', site: 'fs/fcntl.c: fcntl_init() (module_init) kmem_cache_create("fasync_cache", sizeof(struct fasync_struct), 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'fasync_struct' }, flags: ['ACCOUNT'], phase: 'post' },
  // struct dio is ____cacheline_aligned_in_smp (fs/direct-io.c 6.1): __alignof__ 64
  { name: 'dio', site: 'fs/direct-io.c: dio_init() (module_init) KMEM_CACHE(dio, SLAB_PANIC)', size: { struct: 'dio' }, align: 64, flags: [], option: 'BLOCK', phase: 'post' },
  { name: 'dnotify_struct', site: 'fs/notify/dnotify/dnotify.c: dnotify_init() (module_init) KMEM_CACHE(dnotify_struct, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'dnotify_struct' }, flags: ['ACCOUNT'], option: 'DNOTIFY', phase: 'post' },
  { name: 'dnotify_mark', site: 'fs/notify/dnotify/dnotify.c: dnotify_init() KMEM_CACHE(dnotify_mark, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'dnotify_mark' }, flags: ['ACCOUNT'], option: 'DNOTIFY', phase: 'post' },
  { name: 'fsnotify_mark', site: 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() (device_initcall) KMEM_CACHE(fsnotify_mark, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'fsnotify_mark' }, flags: ['ACCOUNT'], option: 'FANOTIFY', phase: 'post' },
  { name: 'fanotify_fid_event', site: 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_fid_event, SLAB_PANIC)', size: { struct: 'fanotify_fid_event' }, flags: [], option: 'FANOTIFY', phase: 'post' },
  { name: 'fanotify_path_event', site: 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_path_event, SLAB_PANIC)', size: { struct: 'fanotify_path_event' }, flags: [], option: 'FANOTIFY', phase: 'post' },
  { name: 'fanotify_perm_event', site: 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_perm_event, SLAB_PANIC) (FANOTIFY_ACCESS_PERMISSIONS)', size: { struct: 'fanotify_perm_event' }, flags: [], option: ['FANOTIFY', 'FANOTIFY_ACCESS_PERMISSIONS'], phase: 'post' },
  { name: 'userfaultfd_ctx_cache', site: 'fs/userfaultfd.c: userfaultfd_init() (__initcall) kmem_cache_create("userfaultfd_ctx_cache", sizeof(struct userfaultfd_ctx), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, init_once_userfaultfd_ctx)', size: { struct: 'userfaultfd_ctx' }, flags: ['HWCACHE_ALIGN'], ctor: true, option: 'USERFAULTFD', phase: 'post' },
  { name: 'aio_kiocb', site: 'fs/aio.c: aio_setup() (__initcall) KMEM_CACHE(aio_kiocb, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', size: { struct: 'aio_kiocb' }, flags: ['HWCACHE_ALIGN'], option: 'AIO', phase: 'post' },
  { name: 'kioctx', site: 'fs/aio.c: aio_setup() KMEM_CACHE(kioctx, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', size: { struct: 'kioctx' }, flags: ['HWCACHE_ALIGN'], option: 'AIO', phase: 'post' },
  { name: 'mqueue_inode_cache', site: 'ipc/mqueue.c: init_mqueue_fs() (device_initcall) kmem_cache_create("mqueue_inode_cache", sizeof(struct mqueue_inode_info), 0, SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT, init_once)', size: { struct: 'mqueue_inode_info' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], ctor: true, option: 'POSIX_MQUEUE', phase: 'post' },
  // block/bounce.c init_emergency_pool() (__initcall, CONFIG_BOUNCE: the i386 HIGHMEM builds) → init_bounce_bioset(): bounce_bio_set
  // (0, BIOSET_NEED_BVECS: fs_bio_set's size, that slab reused) and bounce_bio_split (0, 0: the bio alone). Its place among the
  // device_initcalls was not read from an i386 image: both are SLAB_TYPESAFE_BY_RCU slabs (never merged), named by size, so it changes no geometry
  { name: 'bio-<size>', sharedSlab: BIO_SLABS_61, site: 'block/bounce.c: init_emergency_pool() (__initcall) → init_bounce_bioset() bioset_init(&bounce_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS) → create_bio_slab()', size: (env) => bioSlab(env, 0), align: 8, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU'], option: 'BOUNCE', when: bounceRuns, phase: 'post' },
  { name: 'bio-<size>', sharedSlab: BIO_SLABS_61, site: 'block/bounce.c: init_bounce_bioset() bioset_init(&bounce_bio_split, BIO_POOL_SIZE, 0, 0) → create_bio_slab(): sizeof(struct bio), no bio_vecs', size: (env) => bytes(env, 'bio'), align: 8, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU'], option: 'BOUNCE', when: bounceRuns, phase: 'post' },
  { name: 'io_kiocb', site: 'io_uring/io_uring.c: io_uring_init() (__initcall) KMEM_CACHE(io_kiocb, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT)', size: { struct: 'io_kiocb' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: 'IO_URING', phase: 'post' },
  // lib/btree.c NODESIZE = MAX(L1_CACHE_BYTES, 128)
  { name: 'btree_node', site: 'lib/btree.c: btree_module_init() (module_init) kmem_cache_create("btree_node", NODESIZE, 0, SLAB_HWCACHE_ALIGN, NULL)', size: { bytes: 128 }, flags: ['HWCACHE_ALIGN'], option: 'BTREE', phase: 'post' },
  { name: 'bio-<size>', sharedSlab: BIO_SLABS_61, site: 'block/fops.c: blkdev_init() (module_init) bioset_init(&blkdev_dio_pool, 4, offsetof(struct blkdev_dio, bio), BIOSET_NEED_BVECS|BIOSET_PERCPU_CACHE) → create_bio_slab() (a size already made reuses that slab)', size: (env) => bioSlab(env, bioFrontPadAligned(env, 'blkdev_dio')), align: 8, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU'], option: 'BLOCK', phase: 'post' },
  // net/ipv6/af_inet6.c inet6_init() (module_init, built in): proto_register() of tcpv6, udpv6, udplitev6, rawv6, pingv6; ip6_mr_init(); ip6_route_init() (ip6_dst_cache, then fib6_init()); ipv6_frag_init(); tcpv6_init() → mptcpv6_init() → mptcp_proto_v6_init()
  proto('TCPv6', AF_INET6, 'tcp6_sock', { rcu: true, option: IPV6 }),
  protoSub('request_sock_TCPv6', AF_INET6, 'tcp_request_sock', IPV6, 'tcp6_request_sock'),
  protoSub('tw_sock_TCPv6', AF_INET6, 'tcp_timewait_sock', IPV6, 'tcp6_timewait_sock'),
  proto('UDPv6', AF_INET6, 'udp6_sock', { option: IPV6 }),
  proto('UDPLITEv6', AF_INET6, 'udp6_sock', { option: IPV6 }),
  proto('RAWv6', AF_INET6, 'raw6_sock', { usercopy: true, option: IPV6 }),
  proto('PINGv6', AF_INET6, 'raw6_sock', { option: IPV6 }),
  { name: 'ip6_mrt_cache', site: 'net/ipv6/ip6mr.c: ip6_mr_init() kmem_cache_create("ip6_mrt_cache", sizeof(struct mfc6_cache), 0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL)', size: { struct: 'mfc6_cache' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: [...IPV6, 'IPV6_MROUTE'], phase: 'post' },
  { name: 'ip6_dst_cache', site: 'net/ipv6/route.c: ip6_route_init() kmem_cache_create("ip6_dst_cache", sizeof(struct rt6_info), 0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL)', size: { struct: 'rt6_info' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: IPV6, phase: 'post' },
  { name: 'fib6_nodes', site: 'net/ipv6/route.c: ip6_route_init() → ip6_fib.c fib6_init() kmem_cache_create("fib6_nodes", sizeof(struct fib6_node), 0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL)', size: { struct: 'fib6_node' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: IPV6, phase: 'post' },
  { name: 'ip6-frags', site: 'net/ipv6/reassembly.c: ipv6_frag_init() → net/ipv4/inet_fragment.c inet_frags_init() kmem_cache_create("ip6-frags", sizeof(struct frag_queue), 0, 0, NULL)', size: { struct: 'frag_queue' }, flags: [], option: IPV6, phase: 'post' },
  { name: 'request_sock_subflow_v6', site: 'net/ipv6/tcp_ipv6.c: tcpv6_init() → net/mptcp/protocol.c mptcpv6_init() → mptcp_proto_v6_init() → subflow.c mptcp_subflow_v6_init() → subflow_ops_init() kmem_cache_create("request_sock_subflow_v6", sizeof(struct mptcp_subflow_request_sock), 0, SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU, NULL)', size: { struct: 'mptcp_subflow_request_sock' }, flags: ['ACCOUNT', 'TYPESAFE_BY_RCU'], option: [...IPV6, 'MPTCP', 'MPTCP_IPV6'], phase: 'post' },
  // struct mptcp6_sock { struct mptcp_sock msk; struct ipv6_pinfo np; } (net/mptcp/protocol.c 6.1): both 8-aligned, no padding between
  { ...proto('MPTCPv6', 'net/mptcp/protocol.c: mptcp_proto_v6_init()', 'mptcp6_sock', { rcu: true, option: [...IPV6, 'MPTCP', 'MPTCP_IPV6'] }), size: (env) => sum(env, ['mptcp_sock', 'ipv6_pinfo']) },
  // late_initcall (level 7), in the image's order
  { name: 'zswap_entry', site: 'mm/zswap.c: init_zswap() (late_initcall) → zswap_entry_cache_create() KMEM_CACHE(zswap_entry, 0)', size: { struct: 'zswap_entry' }, flags: [], option: 'ZSWAP', phase: 'post' },
  { name: 'fscrypt_info', site: 'fs/crypto/crypto.c: fscrypt_init() (late_initcall) KMEM_CACHE(fscrypt_info, SLAB_RECLAIM_ACCOUNT)', size: { struct: 'fscrypt_info' }, flags: ['RECLAIM_ACCOUNT'], option: 'FS_ENCRYPTION', phase: 'post' },
  { name: 'fsverity_info', site: 'fs/verity/init.c: fsverity_init() (late_initcall) → open.c fsverity_init_info_cache() KMEM_CACHE_USERCOPY(fsverity_info, SLAB_RECLAIM_ACCOUNT, file_digest)', size: { struct: 'fsverity_info' }, flags: ['RECLAIM_ACCOUNT'], usercopy: true, option: 'FS_VERITY', phase: 'post' },
];

