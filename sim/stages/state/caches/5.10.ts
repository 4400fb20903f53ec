// The kmem_cache_create() calls of the Debian 5.10.223 amd64 build (5.10-amd64; read in the 5.10.223 tree)
// that run before the probe reads /proc/slabinfo, in creation order, established as for 6.1 (caches/6.1.ts):
// 'boot': start_kernel() (init/main.c 5.10: mm_init() → kmem_cache_init(), the kmalloc caches, vmalloc_init(),
// mm_cache_init(); sched_init(), radix_tree_init(), workqueue_init_early(), trace_init(), numa_policy_init(),
// acpi_early_init(), pid_idr_init(), anon_vma_init(), cred_init(), fork_init(), proc_caches_init(),
// uts_ns_init(), buffer_init(), key_init(), security_init(), vfs_caches_init(), signals_init(),
// seq_file_init(), proc_root_init(), taskstats_init_early(), delayacct_init(), in that order); 'post': the
// initcalls in the order the 5.10.0-32-amd64 image's initcall table holds them (its kallsyms names each
// __initcall_<fn><level> entry at its address), each call within its init function in source order. 5.10
// against 6.1: no maple tree, no perf_event cache (perf_event_init() makes none), buffer_init() in
// start_kernel(), net_ns_init() a pure_initcall, no MPTCP (CONFIG_MPTCP unset), one "UNIX" proto, the bio
// slabs named "bio-<index>" and mergeable (SLAB_HWCACHE_ALIGN only), sg_pool_init() a device initcall, and
// fewer SLAB_ACCOUNT flags. Left out as on 6.1: hardware the QEMU machines lack (x86_lbr, irq_remap_cache),
// dcookie_cache (dcookie_register(): oprofile only), pid_<n>.
import { kernelConfig } from '../../../traits.ts';
import type { CacheCall, SizeEnv } from '../slab-create.ts';
import { kmemCacheSize, mmStructObject, sizeofPde, taskStructObject } from './sizes.ts';
import { AF_INET, AF_INET6, bioFrontPad, bioSlab, bytes, dmaAddrBytes, INET, IPV6, lsmBlob, PGD_CACHE, proto, protoSub, skbExtSize, sum } from './6.1.ts';

/** block/bio.c 5.10 bioset_init(): back_pad BIO_INLINE_VECS bio_vecs always; bio_find_or_create_slab(front_pad + back_pad) makes "bio-<entry>" of sizeof(struct bio) + that, SLAB_HWCACHE_ALIGN, align ARCH_KMALLOC_MINALIGN. */
const bioSet = (site: string, frontPad: (env: SizeEnv) => number | undefined): CacheCall => ({
  name: 'bio-<entry>',
  // bio_slabs[]: an entry per size, "bio-%d" of its index (nothing frees one before the probe)
  sharedSlab: { group: 'bio_slabs', name: (_size, index) => `bio-${index}` },
  site: `${site} → block/bio.c bio_find_or_create_slab() kmem_cache_create("bio-<entry>", sizeof(struct bio) + front_pad + BIO_INLINE_VECS * sizeof(struct bio_vec), ARCH_KMALLOC_MINALIGN, SLAB_HWCACHE_ALIGN, NULL) (a size already made reuses that slab)`,
  size: (env) => bioSlab(env, frontPad(env)),
  align: 8,
  flags: ['HWCACHE_ALIGN'],
  option: 'BLOCK',
  phase: 'post',
});

/**
 * The two struct mm_slot of 5.10 (mm/khugepaged.c and mm/ksm.c each define one; BTF and DWARF hold both,
 * so the facts keep neither): laid out from the source in words w (8 on LP64, 4 on i386). khugepaged's:
 * hlist_node hash 2w + list_head mm_node 2w + mm w + int nr_pte_mapped_thp 4 (padded to the next long) +
 * unsigned long pte_mapped_thp[MAX_PTE_MAPPED_THP 8] 8w = 112 (LP64), 56 (i386); ksm's: hlist_node link
 * 2w + list_head mm_list 2w + rmap_list w + mm w = 48 (LP64), 24 (i386).
 */
const wordOf = (env: SizeEnv): number => (kernelConfig(env.ctx.kernel, '64BIT') === 'y' ? 8 : 4);
const khugepagedMmSlot = (env: SizeEnv): number => {
  const w = wordOf(env);
  return Math.ceil((5 * w + 4) / w) * w + 8 * w;
};
const ksmMmSlot = (env: SizeEnv): number => 6 * wordOf(env);


export const CACHES_5_10: readonly CacheCall[] = [
  { name: 'kmem_cache_node', site: 'mm/slub.c: kmem_cache_init() create_boot_cache(kmem_cache_node, "kmem_cache_node", sizeof(struct kmem_cache_node), SLAB_HWCACHE_ALIGN, 0, 0)', size: { struct: 'kmem_cache_node' }, flags: ['HWCACHE_ALIGN'], bootstrap: true, phase: 'boot' },
  { name: 'kmem_cache', site: 'mm/slub.c: kmem_cache_init() create_boot_cache(kmem_cache, "kmem_cache", offsetof(struct kmem_cache, node) + nr_node_ids * sizeof(struct kmem_cache_node *), SLAB_HWCACHE_ALIGN, 0, 0)', size: kmemCacheSize, flags: ['HWCACHE_ALIGN'], bootstrap: true, phase: 'boot' },
  // mm_init() → pgtable_init() → pgtable_cache_init() (i386 PAE only). block/bounce.c init_emergency_pool()'s two biosets (HIGHMEM,
  // max_pfn > max_low_pfn) add no slab on 5.10: bioset_init() always adds BIO_INLINE_VECS bio_vecs, so both are fs_bio_set's size
  PGD_CACHE,
  { name: 'vmap_area', site: 'mm/vmalloc.c: vmalloc_init() KMEM_CACHE(vmap_area, SLAB_PANIC)', size: { struct: 'vmap_area' }, flags: [], phase: 'boot' },
  { name: 'mm_struct', site: 'kernel/fork.c: mm_cache_init() kmem_cache_create_usercopy("mm_struct", mm_size, ARCH_MIN_MMSTRUCT_ALIGN, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, saved_auxv)', size: mmStructObject, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], usercopy: true, phase: 'boot' },
  // struct task_group's load_avg is ____cacheline_aligned (kernel/sched/sched.h 5.10): __alignof__ 64
  { name: 'task_group', site: 'kernel/sched/core.c: sched_init() KMEM_CACHE(task_group, 0)', size: { struct: 'task_group' }, align: 64, flags: [], option: 'CGROUP_SCHED', phase: 'boot' },
  { name: 'radix_tree_node', site: 'lib/radix-tree.c: radix_tree_init() kmem_cache_create("radix_tree_node", sizeof(struct radix_tree_node), 0, SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, radix_tree_node_ctor)', size: { struct: 'xa_node' }, flags: ['RECLAIM_ACCOUNT'], ctor: true, phase: 'boot' },
  // __aligned(1 << WORK_STRUCT_FLAG_BITS), 8 bits without DEBUG_OBJECTS_WORK (kernel/workqueue.c, include/linux/workqueue.h 5.10)
  { name: 'pool_workqueue', site: 'kernel/workqueue.c: workqueue_init_early() KMEM_CACHE(pool_workqueue, SLAB_PANIC)', size: { struct: 'pool_workqueue' }, align: 256, flags: [], phase: 'boot' },
  { name: 'ftrace_event_field', site: 'kernel/trace/trace.c: trace_init() → trace_events.c event_trace_memsetup() KMEM_CACHE(ftrace_event_field, SLAB_PANIC)', size: { struct: 'ftrace_event_field' }, flags: [], option: 'EVENT_TRACING', phase: 'boot' },
  { name: 'trace_event_file', site: 'kernel/trace/trace.c: trace_init() → trace_events.c event_trace_memsetup() KMEM_CACHE(trace_event_file, SLAB_PANIC)', size: { struct: 'trace_event_file' }, flags: [], option: 'EVENT_TRACING', phase: 'boot' },
  { name: 'numa_policy', site: 'mm/mempolicy.c: numa_policy_init() kmem_cache_create("numa_policy", sizeof(struct mempolicy), 0, SLAB_PANIC, NULL)', size: { struct: 'mempolicy' }, flags: [], option: 'NUMA', phase: 'boot' },
  { name: 'shared_policy_node', site: 'mm/mempolicy.c: numa_policy_init() kmem_cache_create("shared_policy_node", sizeof(struct sp_node), 0, SLAB_PANIC, NULL)', size: { struct: 'sp_node' }, flags: [], option: 'NUMA', phase: 'boot' },
  { name: 'Acpi-Namespace', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-Namespace", sizeof(struct acpi_namespace_node)) → drivers/acpi/osl.c kmem_cache_create(name, size, 0, 0, NULL)', size: { struct: 'acpi_namespace_node' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-State', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-State", sizeof(union acpi_generic_state))', size: { struct: 'acpi_generic_state' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-Parse', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-Parse", sizeof(struct acpi_parse_obj_common))', size: { struct: 'acpi_parse_obj_common' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-ParseExt', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-ParseExt", sizeof(struct acpi_parse_obj_named))', size: { struct: 'acpi_parse_obj_named' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  { name: 'Acpi-Operand', site: 'drivers/acpi/acpica/utalloc.c: acpi_ut_create_caches() acpi_os_create_cache("Acpi-Operand", sizeof(union acpi_operand_object))', size: { struct: 'acpi_operand_object' }, flags: [], option: 'ACPI', acpi: true, phase: 'boot' },
  // struct pid ends in numbers[1] on 5.10 (include/linux/pid.h), so KMEM_CACHE's sizeof already holds one upid
  { name: 'pid', site: 'kernel/pid.c: pid_idr_init() KMEM_CACHE(pid, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT)', size: { struct: 'pid' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'anon_vma', site: 'mm/rmap.c: anon_vma_init() kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0, SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT, anon_vma_ctor)', size: { struct: 'anon_vma' }, flags: ['TYPESAFE_BY_RCU', 'ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'anon_vma_chain', site: 'mm/rmap.c: anon_vma_init() KMEM_CACHE(anon_vma_chain, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'anon_vma_chain' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'cred_jar', site: 'kernel/cred.c: cred_init() kmem_cache_create("cred_jar", sizeof(struct cred), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'cred' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'task_struct', site: 'kernel/fork.c: fork_init() kmem_cache_create_usercopy("task_struct", arch_task_struct_size, max(L1_CACHE_BYTES, ARCH_MIN_TASKALIGN), SLAB_PANIC|SLAB_ACCOUNT, the FPU registers)', size: taskStructObject, align: 64, flags: ['ACCOUNT'], usercopy: true, phase: 'boot' },
  { name: 'sighand_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("sighand_cache", sizeof(struct sighand_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_TYPESAFE_BY_RCU|SLAB_ACCOUNT, sighand_ctor)', size: { struct: 'sighand_struct' }, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU', 'ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'signal_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("signal_cache", sizeof(struct signal_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'signal_struct' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'files_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("files_cache", sizeof(struct files_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'files_struct' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'fs_cache', site: 'kernel/fork.c: proc_caches_init() kmem_cache_create("fs_cache", sizeof(struct fs_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'fs_struct' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'vm_area_struct', site: 'kernel/fork.c: proc_caches_init() KMEM_CACHE(vm_area_struct, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'vm_area_struct' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'nsproxy', site: 'kernel/fork.c: proc_caches_init() → kernel/nsproxy.c nsproxy_cache_init() KMEM_CACHE(nsproxy, SLAB_PANIC)', size: { struct: 'nsproxy' }, flags: [], phase: 'boot' },
  { name: 'uts_namespace', site: 'kernel/utsname.c: uts_ns_init() kmem_cache_create_usercopy("uts_namespace", sizeof(struct uts_namespace), 0, SLAB_PANIC|SLAB_ACCOUNT, name)', size: { struct: 'uts_namespace' }, flags: ['ACCOUNT'], usercopy: true, phase: 'boot' },
  { name: 'buffer_head', site: 'init/main.c: start_kernel() → fs/buffer.c buffer_init() kmem_cache_create("buffer_head", sizeof(struct buffer_head), 0, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD, NULL)', size: { struct: 'buffer_head' }, flags: ['RECLAIM_ACCOUNT'], phase: 'boot' },
  { name: 'key_jar', site: 'security/keys/key.c: key_init() kmem_cache_create("key_jar", sizeof(struct key), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'key' }, flags: ['HWCACHE_ALIGN'], option: 'KEYS', phase: 'boot' },
  // security_init() → ordered_lsm_init() (security/security.c 5.10, the same blob rule as 6.1: lsmBlob)
  { name: 'lsm_file_cache', site: 'security/security.c: ordered_lsm_init() kmem_cache_create("lsm_file_cache", blob_sizes.lbs_file, 0, SLAB_PANIC, NULL) if lbs_file', size: (env) => lsmBlob(env, 'file'), when: (env) => lsmBlob(env, 'file') !== 0, flags: [], option: 'SECURITY', phase: 'boot' },
  { name: 'lsm_inode_cache', site: 'security/security.c: ordered_lsm_init() kmem_cache_create("lsm_inode_cache", blob_sizes.lbs_inode, 0, SLAB_PANIC, NULL) if lbs_inode', size: (env) => lsmBlob(env, 'inode'), when: (env) => lsmBlob(env, 'inode') !== 0, flags: [], option: 'SECURITY', phase: 'boot' },
  { name: 'iint_cache', site: 'security/integrity/iint.c: integrity_iintcache_init() (DEFINE_LSM(integrity)) kmem_cache_create("iint_cache", sizeof(struct integrity_iint_cache), 0, SLAB_PANIC, iint_init_once)', size: { struct: 'integrity_iint_cache' }, flags: [], ctor: true, option: 'INTEGRITY', phase: 'boot' },
  { name: 'names_cache', site: 'fs/dcache.c: vfs_caches_init() kmem_cache_create_usercopy("names_cache", PATH_MAX, 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, 0, PATH_MAX, NULL)', size: { bytes: 4096 }, flags: ['HWCACHE_ALIGN'], usercopy: true, phase: 'boot' },
  { name: 'dentry', site: 'fs/dcache.c: dcache_init() KMEM_CACHE_USERCOPY(dentry, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD|SLAB_ACCOUNT, d_iname)', size: { struct: 'dentry' }, flags: ['RECLAIM_ACCOUNT', 'ACCOUNT'], usercopy: true, phase: 'boot' },
  { name: 'inode_cache', site: 'fs/inode.c: inode_init() kmem_cache_create("inode_cache", sizeof(struct inode), 0, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD|SLAB_ACCOUNT, init_once)', size: { struct: 'inode' }, flags: ['RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'filp', site: 'fs/file_table.c: files_init() kmem_cache_create("filp", sizeof(struct file), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', size: { struct: 'file' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], phase: 'boot' },
  { name: 'mnt_cache', site: 'fs/namespace.c: mnt_init() kmem_cache_create("mnt_cache", sizeof(struct mount), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)', size: { struct: 'mount' }, flags: ['HWCACHE_ALIGN'], phase: 'boot' },
  { name: 'kernfs_node_cache', site: 'fs/namespace.c: mnt_init() → fs/kernfs/mount.c kernfs_init() kmem_cache_create("kernfs_node_cache", sizeof(struct kernfs_node), 0, SLAB_PANIC, NULL)', size: { struct: 'kernfs_node' }, flags: [], phase: 'boot' },
  { name: 'kernfs_iattrs_cache', site: 'fs/namespace.c: mnt_init() → fs/kernfs/mount.c kernfs_init() kmem_cache_create("kernfs_iattrs_cache", sizeof(struct kernfs_iattrs), 0, SLAB_PANIC, NULL)', size: { struct: 'kernfs_iattrs' }, flags: [], phase: 'boot' },
  { name: 'shmem_inode_cache', site: 'fs/namespace.c: mnt_init() → mm/shmem.c shmem_init() shmem_init_inodecache() kmem_cache_create("shmem_inode_cache", sizeof(struct shmem_inode_info), 0, SLAB_PANIC|SLAB_ACCOUNT, shmem_init_inode)', size: { struct: 'shmem_inode_info' }, flags: ['ACCOUNT'], ctor: true, phase: 'boot' },
  { name: 'bdev_cache', site: 'fs/dcache.c: vfs_caches_init() → fs/block_dev.c bdev_cache_init() kmem_cache_create("bdev_cache", sizeof(struct bdev_inode), 0, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT|SLAB_PANIC, init_once)', size: { struct: 'bdev_inode' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'BLOCK', phase: 'boot' },
  { name: 'sigqueue', site: 'kernel/signal.c: signals_init() KMEM_CACHE(sigqueue, SLAB_PANIC)', size: { struct: 'sigqueue' }, flags: [], phase: 'boot' },
  { name: 'seq_file', site: 'fs/seq_file.c: seq_file_init() KMEM_CACHE(seq_file, SLAB_ACCOUNT|SLAB_PANIC)', size: { struct: 'seq_file' }, flags: ['ACCOUNT'], phase: 'boot' },
  { name: 'proc_inode_cache', site: 'fs/proc/root.c: proc_root_init() → fs/proc/inode.c proc_init_kmemcache() kmem_cache_create("proc_inode_cache", sizeof(struct proc_inode), 0, SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT|SLAB_PANIC, init_once)', size: { struct: 'proc_inode' }, flags: ['RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'PROC_FS', phase: 'boot' },
  { name: 'pde_opener', site: 'fs/proc/inode.c: proc_init_kmemcache() kmem_cache_create("pde_opener", sizeof(struct pde_opener), 0, SLAB_ACCOUNT|SLAB_PANIC, NULL)', size: { struct: 'pde_opener' }, flags: ['ACCOUNT'], option: 'PROC_FS', phase: 'boot' },
  { name: 'proc_dir_entry', site: 'fs/proc/inode.c: proc_init_kmemcache() kmem_cache_create_usercopy("proc_dir_entry", SIZEOF_PDE, 0, SLAB_PANIC, inline_name)', size: sizeofPde, flags: [], usercopy: true, option: 'PROC_FS', phase: 'boot' },
  { name: 'taskstats', site: 'kernel/taskstats.c: taskstats_init_early() KMEM_CACHE(taskstats, SLAB_PANIC)', size: { struct: 'taskstats' }, flags: [], option: 'TASKSTATS', phase: 'boot' },
  { name: 'task_delay_info', site: 'kernel/delayacct.c: delayacct_init() KMEM_CACHE(task_delay_info, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'task_delay_info' }, flags: ['ACCOUNT'], option: 'TASK_DELAY_ACCT', phase: 'boot' },
  // pure_initcall (level 0)
  { name: 'net_namespace', site: 'net/core/net_namespace.c: net_ns_init() (pure_initcall) kmem_cache_create("net_namespace", sizeof(struct net), SMP_CACHE_BYTES, SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'net' }, align: 64, flags: ['ACCOUNT'], option: 'NET', phase: 'post' },
  // core_initcall (level 1): fsnotify_init, filelock_init, sock_init
  { name: 'fsnotify_mark_connector', site: 'fs/notify/fsnotify.c: fsnotify_init() (core_initcall) KMEM_CACHE(fsnotify_mark_connector, SLAB_PANIC)', size: { struct: 'fsnotify_mark_connector' }, flags: [], option: 'FSNOTIFY', phase: 'post' },
  { name: 'file_lock_ctx', site: 'fs/locks.c: filelock_init() (core_initcall) kmem_cache_create("file_lock_ctx", sizeof(struct file_lock_context), 0, SLAB_PANIC, NULL)', size: { struct: 'file_lock_context' }, flags: [], option: 'FILE_LOCKING', phase: 'post' },
  { name: 'file_lock_cache', site: 'fs/locks.c: filelock_init() kmem_cache_create("file_lock_cache", sizeof(struct file_lock), 0, SLAB_PANIC, NULL)', size: { struct: 'file_lock' }, flags: [], option: 'FILE_LOCKING', phase: 'post' },
  { name: 'skbuff_head_cache', site: 'net/socket.c: sock_init() → net/core/skbuff.c skb_init() kmem_cache_create_usercopy("skbuff_head_cache", sizeof(struct sk_buff), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, cb)', size: { struct: 'sk_buff' }, flags: ['HWCACHE_ALIGN'], usercopy: true, option: 'NET', phase: 'post' },
  { name: 'skbuff_fclone_cache', site: 'net/core/skbuff.c: skb_init() kmem_cache_create("skbuff_fclone_cache", sizeof(struct sk_buff_fclones), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'sk_buff_fclones' }, flags: ['HWCACHE_ALIGN'], option: 'NET', phase: 'post' },
  { name: 'skbuff_ext_cache', site: 'net/core/skbuff.c: skb_init() → skb_extensions_init() kmem_cache_create("skbuff_ext_cache", SKB_EXT_ALIGN_VALUE * skb_ext_total_length(), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL) (the same extensions as 6.1, 5.10.223)', size: skbExtSize, flags: ['HWCACHE_ALIGN'], option: ['NET', 'SKB_EXTENSIONS'], phase: 'post' },
  { name: 'sock_inode_cache', site: 'net/socket.c: sock_init() → init_inodecache() kmem_cache_create("sock_inode_cache", sizeof(struct socket_alloc), 0, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT, init_once)', size: { struct: 'socket_alloc' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'NET', phase: 'post' },
  { name: 'audit_buffer', site: 'kernel/audit.c: audit_init() (postcore_initcall) kmem_cache_create("audit_buffer", sizeof(struct audit_buffer), 0, SLAB_PANIC, NULL)', size: { struct: 'audit_buffer' }, flags: [], option: 'AUDIT', phase: 'post' },
  ...[2, 16, 128, 256].map((n): CacheCall => ({ name: `dmaengine-unmap-${n}`, site: `drivers/dma/dmaengine.c: dma_bus_init() (arch_initcall) → dmaengine_init_unmap_pool() kmem_cache_create("dmaengine-unmap-${n}", sizeof(struct dmaengine_unmap_data) + sizeof(dma_addr_t) * ${n}, 0, SLAB_HWCACHE_ALIGN, NULL)${n === 2 ? '' : ' (DMA_ENGINE_RAID)'}`, size: (env) => sum(env, ['dmaengine_unmap_data', dmaAddrBytes(env) * n]), flags: ['HWCACHE_ALIGN'], option: n === 2 ? 'DMA_ENGINE' : ['DMA_ENGINE', 'DMA_ENGINE_RAID'], phase: 'post' })),
  { name: 'iommu_iova', site: 'drivers/iommu/dma-iommu.c: iommu_dma_init() (arch_initcall) → drivers/iommu/iova.c iova_cache_get() kmem_cache_create("iommu_iova", sizeof(struct iova), 0, SLAB_HWCACHE_ALIGN, NULL)', size: { struct: 'iova' }, flags: ['HWCACHE_ALIGN'], option: 'IOMMU_DMA', phase: 'post' },
  // subsys_initcall (level 4), in the image's order
  { name: 'uid_cache', site: 'kernel/user.c: uid_cache_init() (subsys_initcall) kmem_cache_create("uid_cache", sizeof(struct user_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'user_struct' }, flags: ['HWCACHE_ALIGN'], phase: 'post' },
  { name: 'user_namespace', site: 'kernel/user_namespace.c: user_namespaces_init() (subsys_initcall) KMEM_CACHE(user_namespace, SLAB_PANIC)', size: { struct: 'user_namespace' }, flags: [], option: 'USER_NS', phase: 'post' },
  { name: 'ksm_rmap_item', site: 'mm/ksm.c: ksm_init() (subsys_initcall) → ksm_slab_init() KSM_KMEM_CACHE(rmap_item, 0): kmem_cache_create("ksm_rmap_item", sizeof(struct rmap_item), __alignof__(struct rmap_item), 0, NULL)', size: { struct: 'rmap_item' }, flags: [], option: 'KSM', phase: 'post' },
  { name: 'ksm_stable_node', site: 'mm/ksm.c: ksm_slab_init() KSM_KMEM_CACHE(stable_node, 0)', size: { struct: 'stable_node' }, flags: [], option: 'KSM', phase: 'post' },
  { name: 'ksm_mm_slot', site: 'mm/ksm.c: ksm_slab_init() KSM_KMEM_CACHE(mm_slot, 0) (ksm\'s struct mm_slot, laid out: ksmMmSlot)', size: ksmMmSlot, flags: [], option: 'KSM', phase: 'post' },
  { name: 'khugepaged_mm_slot', site: 'mm/huge_memory.c: hugepage_init() (subsys_initcall) → mm/khugepaged.c khugepaged_init() kmem_cache_create("khugepaged_mm_slot", sizeof(struct mm_slot), __alignof__(struct mm_slot), 0, NULL) (khugepaged\'s struct mm_slot, laid out: khugepagedMmSlot)', size: khugepagedMmSlot, flags: [], option: 'TRANSPARENT_HUGEPAGE', phase: 'post' },
  // block/bio.c init_bio(): bio_integrity_init(), biovec_init_slabs() (biovec-1 and biovec-4 are within BIO_INLINE_VECS: no slab), bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS)
  { name: 'bio_integrity_payload', site: 'block/bio.c: init_bio() (subsys_initcall) → block/bio-integrity.c bio_integrity_init() kmem_cache_create("bio_integrity_payload", sizeof(struct bio_integrity_payload) + sizeof(struct bio_vec) * BIP_INLINE_VECS, 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: (env) => sum(env, ['bio_integrity_payload', 'bio_vec', 'bio_vec', 'bio_vec', 'bio_vec']), flags: ['HWCACHE_ALIGN'], option: ['BLOCK', 'BLK_DEV_INTEGRITY'], phase: 'post' },
  ...([[16, 'biovec-16'], [64, 'biovec-64'], [128, 'biovec-128'], [256, 'biovec-max']] as const).map(([n, name]): CacheCall => ({ name, site: `block/bio.c: init_bio() → biovec_init_slabs() kmem_cache_create("${name}", ${n} * sizeof(struct bio_vec), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)`, size: (env) => { const v = bytes(env, 'bio_vec'); return v === undefined ? undefined : n * v; }, flags: ['HWCACHE_ALIGN'], option: 'BLOCK', phase: 'post' })),
  bioSet('block/bio.c: init_bio() bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS)', () => 0),
  { name: 'blkdev_ioc', site: 'block/blk-ioc.c: blk_ioc_init() (subsys_initcall) kmem_cache_create("blkdev_ioc", sizeof(struct io_context), 0, SLAB_PANIC, NULL)', size: { struct: 'io_context' }, flags: [], option: 'BLOCK', phase: 'post' },
  { name: 'request_queue', site: 'block/genhd.c: genhd_device_init() (subsys_initcall) → block/blk-core.c blk_dev_init() kmem_cache_create("request_queue", sizeof(struct request_queue), 0, SLAB_PANIC, NULL)', size: { struct: 'request_queue' }, flags: [], option: 'BLOCK', phase: 'post' },
  { name: 'dax_cache', site: 'drivers/dax/super.c: dax_core_init() (subsys_initcall) → dax_fs_init() kmem_cache_create("dax_cache", sizeof(struct dax_device), 0, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_ACCOUNT, init_once)', size: { struct: 'dax_device' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, option: 'DAX', phase: 'post' },
  // fs_initcall (level 5), in the image's order
  { name: 'inotify_inode_mark', site: 'fs/notify/inotify/inotify_user.c: inotify_user_setup() (fs_initcall) KMEM_CACHE(inotify_inode_mark, SLAB_PANIC|SLAB_ACCOUNT)', size: { struct: 'inotify_inode_mark' }, flags: ['ACCOUNT'], option: 'INOTIFY_USER', phase: 'post' },
  { name: 'eventpoll_epi', site: 'fs/eventpoll.c: eventpoll_init() (fs_initcall) kmem_cache_create("eventpoll_epi", sizeof(struct epitem), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'epitem' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: 'EPOLL', phase: 'post' },
  { name: 'eventpoll_pwq', site: 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("eventpoll_pwq", sizeof(struct eppoll_entry), 0, SLAB_PANIC|SLAB_ACCOUNT, NULL)', size: { struct: 'eppoll_entry' }, flags: ['ACCOUNT'], option: 'EPOLL', phase: 'post' },
  bioSet('fs/iomap/buffered-io.c: iomap_init() (fs_initcall) bioset_init(&iomap_ioend_bioset, 4 * (PAGE_SIZE / SECTOR_SIZE), offsetof(struct iomap_ioend, io_inline_bio), BIOSET_NEED_BVECS)', (env) => bioFrontPad(env, 'iomap_ioend')),
  { name: 'dquot', site: 'fs/quota/dquot.c: dquot_init() (fs_initcall) kmem_cache_create("dquot", sizeof(struct dquot), sizeof(unsigned long) * 4, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_MEM_SPREAD|SLAB_PANIC, NULL)', size: { struct: 'dquot' }, align: 32, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT'], option: 'QUOTA', phase: 'post' },
  { name: 'hugetlbfs_inode_cache', site: 'fs/hugetlbfs/inode.c: init_hugetlbfs_fs() (fs_initcall) kmem_cache_create("hugetlbfs_inode_cache", sizeof(struct hugetlbfs_inode_info), 0, SLAB_ACCOUNT, init_once)', size: { struct: 'hugetlbfs_inode_info' }, flags: ['ACCOUNT'], ctor: true, option: 'HUGETLBFS', phase: 'post' },
  // inet_init() (fs_initcall): the four protos, ip_init() (ip_rt_init(): ip_dst_cache, ip_fib_init() → fib_trie_init(), xfrm_init(); inet_initpeers()), tcp_init(), udplite4_register(), ip_mr_init(), ipfrag_init()
  proto('TCP', AF_INET, 'tcp_sock', { rcu: true, option: INET }),
  protoSub('request_sock_TCP', AF_INET, 'tcp_request_sock', INET),
  protoSub('tw_sock_TCP', AF_INET, 'tcp_timewait_sock', INET),
  proto('UDP', AF_INET, 'udp_sock', { option: INET }),
  proto('RAW', AF_INET, 'raw_sock', { usercopy: true, option: INET }),
  proto('PING', AF_INET, 'inet_sock', { option: INET }),
  { name: 'ip_dst_cache', site: 'net/ipv4/route.c: ip_rt_init() kmem_cache_create("ip_dst_cache", sizeof(struct rtable), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'rtable' }, flags: ['HWCACHE_ALIGN'], option: INET, phase: 'post' },
  { name: 'ip_fib_alias', site: 'net/ipv4/fib_trie.c: fib_trie_init() kmem_cache_create("ip_fib_alias", sizeof(struct fib_alias), 0, SLAB_PANIC, NULL)', size: { struct: 'fib_alias' }, flags: [], option: INET, phase: 'post' },
  { name: 'ip_fib_trie', site: 'net/ipv4/fib_trie.c: fib_trie_init() kmem_cache_create("ip_fib_trie", LEAF_SIZE, 0, SLAB_PANIC, NULL) (LEAF_SIZE: sizeof(struct tnode), as on 6.1)', size: { struct: 'tnode' }, flags: [], option: INET, phase: 'post' },
  { name: 'xfrm_state', site: 'net/xfrm/xfrm_policy.c: xfrm_init() → xfrm_net_init(&init_net) → xfrm_state.c xfrm_state_init() KMEM_CACHE(xfrm_state, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', size: { struct: 'xfrm_state' }, flags: ['HWCACHE_ALIGN'], option: [...INET, 'XFRM'], phase: 'post' },
  { name: 'xfrm_dst_cache', site: 'net/xfrm/xfrm_policy.c: xfrm_net_init(&init_net) → xfrm_policy_init() kmem_cache_create("xfrm_dst_cache", sizeof(struct xfrm_dst), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'xfrm_dst' }, flags: ['HWCACHE_ALIGN'], option: [...INET, 'XFRM'], phase: 'post' },
  { name: 'inet_peer_cache', site: 'net/ipv4/ip_output.c: ip_init() → inetpeer.c inet_initpeers() kmem_cache_create("inet_peer_cache", sizeof(struct inet_peer), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)', size: { struct: 'inet_peer' }, flags: ['HWCACHE_ALIGN'], option: INET, phase: 'post' },
  { name: 'tcp_bind_bucket', site: 'net/ipv4/tcp.c: tcp_init() kmem_cache_create("tcp_bind_bucket", sizeof(struct inet_bind_bucket), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', size: { struct: 'inet_bind_bucket' }, flags: ['HWCACHE_ALIGN'], option: INET, phase: 'post' },
  proto('UDP-Lite', 'net/ipv4/udplite.c: udplite4_register()', 'udp_sock', { option: INET }),
  { name: 'ip_mrt_cache', site: 'net/ipv4/ipmr.c: ip_mr_init() kmem_cache_create("ip_mrt_cache", sizeof(struct mfc_cache), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)', size: { struct: 'mfc_cache' }, flags: ['HWCACHE_ALIGN'], option: [...INET, 'IP_MROUTE'], phase: 'post' },
  { name: 'ip4-frags', site: 'net/ipv4/ip_fragment.c: ipfrag_init() → inet_fragment.c inet_frags_init() kmem_cache_create("ip4-frags", sizeof(struct ipq), 0, 0, NULL)', size: { struct: 'ipq' }, flags: [], option: INET, phase: 'post' },
  proto('UNIX', 'net/unix/af_unix.c: af_unix_init() (fs_initcall)', 'unix_sock', { option: ['NET', 'UNIX'] }),
  // device_initcall (level 6), in the image's order
  { name: 'posix_timers_cache', site: 'kernel/time/posix-timers.c: init_posix_timers() (__initcall) kmem_cache_create("posix_timers_cache", sizeof(struct k_itimer), 0, SLAB_PANIC, NULL)', size: { struct: 'k_itimer' }, flags: [], option: 'POSIX_TIMERS', phase: 'post' },
  { name: 'pid_namespace', site: 'kernel/pid_namespace.c: pid_namespaces_init() (__initcall) KMEM_CACHE(pid_namespace, SLAB_PANIC)', size: { struct: 'pid_namespace' }, flags: [], option: 'PID_NS', phase: 'post' },
  { name: 'audit_tree_mark', site: 'kernel/audit_tree.c: audit_tree_init() (__initcall) KMEM_CACHE(audit_tree_mark, SLAB_PANIC)', size: { struct: 'audit_tree_mark' }, flags: [], option: ['AUDIT', 'AUDITSYSCALL'], phase: 'post' },
  { name: 'fasync_cache', site: 'fs/fcntl.c: fcntl_init() (module_init) kmem_cache_create("fasync_cache", sizeof(struct fasync_struct), 0, SLAB_PANIC, NULL)', size: { struct: 'fasync_struct' }, flags: [], phase: 'post' },
  bioSet('fs/block_dev.c: blkdev_init() (module_init) bioset_init(&blkdev_dio_pool, 4, offsetof(struct blkdev_dio, bio), BIOSET_NEED_BVECS)', (env) => bioFrontPad(env, 'blkdev_dio')),
  // struct dio is ____cacheline_aligned_in_smp (fs/direct-io.c 5.10)
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
  { name: 'io_kiocb', site: 'fs/io_uring.c: io_uring_init() (__initcall) KMEM_CACHE(io_kiocb, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT)', size: { struct: 'io_kiocb' }, flags: ['HWCACHE_ALIGN', 'ACCOUNT'], option: 'IO_URING', phase: 'post' },
  { name: 'btree_node', site: 'lib/btree.c: btree_module_init() (module_init) kmem_cache_create("btree_node", NODESIZE, 0, SLAB_HWCACHE_ALIGN, NULL) (NODESIZE = MAX(L1_CACHE_BYTES, 128))', size: { bytes: 128 }, flags: ['HWCACHE_ALIGN'], option: 'BTREE', phase: 'post' },
  ...[8, 16, 32, 64, 128].map((n): CacheCall => ({ name: `sgpool-${n}`, site: `lib/sg_pool.c: sg_pool_init() (module_init) kmem_cache_create("sgpool-${n}", ${n} * sizeof(struct scatterlist), 0, SLAB_HWCACHE_ALIGN, NULL) (SG_CHUNK_SIZE 128: SP(8), SP(16), SP(32), SP(64), SP(SG_CHUNK_SIZE))`, size: (env) => { const s = bytes(env, 'scatterlist'); return s === undefined ? undefined : n * s; }, flags: ['HWCACHE_ALIGN'], option: 'SG_POOL', phase: 'post' })),
  // inet6_init() (module_init, built in): the five protos, ip6_mr_init(), ip6_route_init() (ip6_dst_cache, fib6_init()), ipv6_frag_init()
  proto('TCPv6', AF_INET6, 'tcp6_sock', { rcu: true, option: IPV6 }),
  protoSub('request_sock_TCPv6', AF_INET6, 'tcp_request_sock', IPV6, 'tcp6_request_sock'),
  protoSub('tw_sock_TCPv6', AF_INET6, 'tcp_timewait_sock', IPV6, 'tcp6_timewait_sock'),
  proto('UDPv6', AF_INET6, 'udp6_sock', { option: IPV6 }),
  proto('UDPLITEv6', AF_INET6, 'udp6_sock', { option: IPV6 }),
  proto('RAWv6', AF_INET6, 'raw6_sock', { usercopy: true, option: IPV6 }),
  proto('PINGv6', AF_INET6, 'raw6_sock', { option: IPV6 }),
  { name: 'ip6_mrt_cache', site: 'net/ipv6/ip6mr.c: ip6_mr_init() kmem_cache_create("ip6_mrt_cache", sizeof(struct mfc6_cache), 0, SLAB_HWCACHE_ALIGN, NULL)', size: { struct: 'mfc6_cache' }, flags: ['HWCACHE_ALIGN'], option: [...IPV6, 'IPV6_MROUTE'], phase: 'post' },
  { name: 'ip6_dst_cache', site: 'net/ipv6/route.c: ip6_route_init() kmem_cache_create("ip6_dst_cache", sizeof(struct rt6_info), 0, SLAB_HWCACHE_ALIGN, NULL)', size: { struct: 'rt6_info' }, flags: ['HWCACHE_ALIGN'], option: IPV6, phase: 'post' },
  { name: 'fib6_nodes', site: 'net/ipv6/route.c: ip6_route_init() → ip6_fib.c fib6_init() kmem_cache_create("fib6_nodes", sizeof(struct fib6_node), 0, SLAB_HWCACHE_ALIGN, NULL)', size: { struct: 'fib6_node' }, flags: ['HWCACHE_ALIGN'], option: IPV6, phase: 'post' },
  { name: 'ip6-frags', site: 'net/ipv6/reassembly.c: ipv6_frag_init() → net/ipv4/inet_fragment.c inet_frags_init() kmem_cache_create("ip6-frags", sizeof(struct frag_queue), 0, 0, NULL)', size: { struct: 'frag_queue' }, flags: [], option: IPV6, phase: 'post' },
  // late_initcall (level 7)
  { name: 'zswap_entry', site: 'mm/zswap.c: init_zswap() (late_initcall) → zswap_entry_cache_create() KMEM_CACHE(zswap_entry, 0)', size: { struct: 'zswap_entry' }, flags: [], option: 'ZSWAP', phase: 'post' },
  { name: 'fscrypt_info', site: 'fs/crypto/crypto.c: fscrypt_init() (late_initcall) KMEM_CACHE(fscrypt_info, SLAB_RECLAIM_ACCOUNT)', size: { struct: 'fscrypt_info' }, flags: ['RECLAIM_ACCOUNT'], option: 'FS_ENCRYPTION', phase: 'post' },
  { name: 'fsverity_info', site: 'fs/verity/init.c: fsverity_init() (late_initcall) → open.c fsverity_init_info_cache() KMEM_CACHE_USERCOPY(fsverity_info, SLAB_RECLAIM_ACCOUNT, measurement)', size: { struct: 'fsverity_info' }, flags: ['RECLAIM_ACCOUNT'], usercopy: true, option: 'FS_VERITY', phase: 'post' },
];
