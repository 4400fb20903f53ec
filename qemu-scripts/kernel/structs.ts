// Struct sizes the stages need: from .BTF where the build has it (the amd64 builds), else
// derived from the source of that version and the build's config (the 686 builds).
import { FactsError } from './errors.ts';
import { structSize, type Btf } from './btf.ts';
import type { DwarfSizes } from './dwarf.ts';
import type { StructSize } from '../../sim/kernel-facts.ts';

/**
 * Structs read from BTF when present, and what needs them:
 * page (memmap, vmemmap, calc_memmap_size); pglist_data (NODE_DATA); zone; mem_section and
 * mem_section_usage (sparse_init); per_cpu_pages/per_cpu_pageset, per_cpu_zonestat,
 * per_cpu_nodestat (percpu boot pagesets); hlist_head, hlist_bl_head (dentry and inode hash
 * buckets); kmem_cache, kmem_cache_node, kmem_cache_cpu (SLUB bootstrap); memblock_region
 * (memblock array doubling); io_tlb_slot, io_tlb_area, io_tlb_mem (swiotlb); page_ext;
 * resource, firmware_map_entry, nosave_region (setup_arch's small memblock allocations);
 * pcpu_chunk, pcpu_block_md (pcpu_alloc_first_chunk); cpu_entry_area (trap_init's fixmap tables);
 * dyn_ftrace, saved_cmdlines_buffer (ftrace_init's records, tracer_alloc_buffers' savedcmd);
 * task_struct, fpu, fxregs_state (fpu__init_task_struct_size: the task_struct slab object);
 * sighand_struct, signal_struct (the per-task sighand_cache and signal_cache objects);
 * prb_desc, printk_info (setup_log_buf's descriptor and info arrays); trace_event_file,
 * ftrace_event_field (the trace event caches' objects, event_trace_memsetup); mm_struct
 * (poking_init's mm_alloc); pool_workqueue (the pwq_cache objects); slab_sheaf, node_barn (7.2's
 * SLUB percpu sheaves and per-node barns); cred, pid, upid (the per-task cred_jar and pid
 * objects), kthread and worker (the per-kthread and per-kworker kmallocs), vm_struct and
 * vmap_area (one per vmalloc area: the thread stacks), files_struct (kernel_init's dup_fd); dentry,
 * mount, shmem_inode_info, bdev_inode, kernfs_node, mempolicy, proc_dir_entry (the first objects of
 * the caches mnt_init(), bdev_cache_init(), numa_policy_init() and proc_root_init() fill);
 * mem_cgroup, mem_cgroup_per_node, memcg_vmstats, lruvec_stats (the root memory cgroup cgroup_init()
 * allocates); mce_evt_llist … ddebug_table (start_kernel()'s and the early initcalls' kmallocs:
 * the MCE pool, kernfs' locks, tty1, the boot super_blocks, the legacy irq_descs, the workqueues, the
 * kprobe blacklist and the dynamic-debug tables); the structs that size the slab caches 6.12 creates after the late Memory: print
 * (buffer_head … fsverity_info: sim/stages/state/caches/6.12-post.ts, one per cache call), and the LSM
 * inode blobs that size lsm_inode_cache (landlock_inode_security … evm_iint_cache: caches/lsm-blobs.ts), and
 * skbuff_ext_cache's extensions (skb_ext … mctp_flow).
 */
export const BTF_STRUCTS: readonly string[] = [
  'page', 'pglist_data', 'zone', 'mem_section', 'mem_section_usage',
  'per_cpu_pages', 'per_cpu_pageset', 'per_cpu_zonestat', 'per_cpu_nodestat',
  'hlist_head', 'hlist_bl_head', 'kmem_cache', 'kmem_cache_node', 'kmem_cache_cpu',
  'memblock_region', 'io_tlb_slot', 'io_tlb_area', 'io_tlb_mem', 'page_ext',
  'resource', 'firmware_map_entry', 'nosave_region', 'pcpu_chunk', 'pcpu_block_md', 'cpu_entry_area',
  'dyn_ftrace', 'saved_cmdlines_buffer', 'task_struct', 'fpu', 'fxregs_state', 'sighand_struct', 'signal_struct',
  'prb_desc', 'printk_info', 'trace_event_file', 'ftrace_event_field', 'mm_struct',
  'pool_workqueue', 'slab_sheaf', 'node_barn', 'cred', 'pid', 'upid', 'kthread', 'worker', 'vm_struct', 'vmap_area', 'files_struct',
  'dentry', 'mount', 'shmem_inode_info', 'bdev_inode', 'kernfs_node', 'mempolicy', 'proc_dir_entry',
  'mem_cgroup', 'mem_cgroup_per_node', 'memcg_vmstats', 'lruvec_stats',
  // the 6.12 slab caches created after the late Memory: print (sim/stages/state/caches/6.12-post.ts)
  'aio_kiocb', 'audit_buffer', 'audit_tree_mark', 'backing_aio', 'bio', 'bio_integrity_payload', 'bio_vec',
  'blkdev_dio', 'buffer_head', 'damon_region', 'dax_device', 'dio', 'dmaengine_unmap_data', 'dnotify_mark',
  'dnotify_struct', 'dquot', 'epitem', 'epitems_head', 'eppoll_entry', 'fanotify_fid_event', 'fanotify_mark',
  'fanotify_path_event', 'fanotify_perm_event', 'fasync_struct', 'fib6_node', 'fib_alias', 'file_lease',
  'file_lock', 'file_lock_context', 'frag_queue', 'fscrypt_inode_info', 'fsnotify_mark_connector',
  'fsverity_info', 'fuse_inode', 'fuse_req', 'hugetlbfs_inode_info', 'inet_bind2_bucket', 'inet_bind_bucket',
  'inet_peer', 'inet_sock', 'inotify_inode_mark', 'io_context', 'io_kiocb', 'iomap_ioend', 'iova',
  'iova_magazine', 'ipq', 'ipv6_pinfo', 'k_itimer', 'khugepaged_mm_slot', 'kioctx', 'ksm_mm_slot',
  'ksm_rmap_item', 'ksm_stable_node', 'mfc6_cache', 'mfc_cache', 'mptcp_sock', 'mptcp_subflow_request_sock',
  'mqueue_inode_info', 'pid_namespace', 'raw6_sock', 'raw_sock', 'request_queue', 'rt6_info', 'rtable',
  'scatterlist', 'sk_buff', 'sk_buff_fclones', 'skb_shared_info', 'socket_alloc', 'tcp6_sock',
  'tcp_request_sock', 'tcp_sock', 'tcp_timewait_sock', 'tnode', 'tracefs_inode', 'udp6_sock', 'udp_sock',
  'unix_sock', 'user_namespace', 'user_struct', 'userfaultfd_ctx', 'xfrm_dst', 'xfrm_state',
  // the LSM inode blobs behind lsm_inode_cache's size (sim/stages/state/caches/lsm-blobs.ts)
  'landlock_inode_security', 'inode_security_struct', 'inode_smack', 'bpf_storage_blob', 'ipe_inode', 'evm_iint_cache',
  // 7.2's lsm_backing_file_cache blob (selinux's; caches/lsm-blobs.ts LSMS_7_2)
  'backing_file_security_struct',
  // the 7.2 slab caches created after the late Memory: print that 6.12's list lacks (sim/stages/state/caches/7.2-post.ts)
  'fsnotify_inode_mark_connector', 'debugfs_inode_info', 'sockfs_inode', 'swap_table', 'bio_integrity_data',
  'bpf_fs_inode', 'fs_bio_integrity_buf', 'xsk_addrs', 'zspage', 'fanotify_mnt_event', 'aio_inode_info', 'gpu_buddy_block',
  'psp_skb_ext',
  // the 7.3 slab caches created after the late Memory: print that 7.2's list lacks (sim/stages/state/caches/7.3-post.ts)
  'bio_crypt_ctx', 'iomap_dio_simple',
  // the 6.16-6.18 calls 7.2's list lacks (sim/stages/state/caches/6.18.ts, 6.16.ts): 6.17/6.18's pidfs_xattr_cache,
  // 6.16's pidfs_cache and xsk_generic_xmit_cache
  'simple_xattrs', 'pidfs_inode', 'xsk_addr_node',
  // skb_ext_type_len[]'s extensions (skbuff_ext_cache, caches/6.12-post.ts)
  'skb_ext', 'nf_bridge_info', 'sec_path', 'tc_skb_ext', 'mptcp_ext', 'mctp_flow',
  // 6.12 boot calls folded into earlier caches, and lsm_file_cache's blobs (caches/6.12.ts, caches/lsm-blobs.ts)
  'acpi_namespace_node', 'acpi_parse_obj_common', 'acpi_parse_obj_named', 'fs_struct', 'kernfs_iattrs', 'landlock_file_security', 'aa_file_ctx', 'file_security_struct',
  // the objects of the kmem_cache_create() calls of sim/stages/state/caches/<series>.ts (their slabinfo geometry)
  'maple_node', 'task_group', 'xa_node', 'perf_event', 'sp_node', 'anon_vma', 'anon_vma_chain', 'task_exec_state',
  'vm_area_struct', 'vma_lock', 'nsproxy', 'uts_namespace', 'key', 'ima_iint_cache', 'net', 'filename', 'inode', 'file',
  'backing_file', 'sigqueue', 'seq_file', 'proc_inode', 'pde_opener', 'pidfs_attr', 'taskstats', 'task_delay_info',
  // start_kernel()'s and the early initcalls' kmallocs alive at the late Memory: print (sim/stages/late-allocs.ts bootKmallocs)
  'mce_evt_llist', 'kernfs_global_locks', 'vc_data', 'super_block', 'irq_desc', 'workqueue_struct', 'wq_node_nr_active',
  'kprobe_blacklist_entry', 'ddebug_table',
  // the 6.1 and 5.10 slab cache tables (sim/stages/state/caches/6.1.ts, 5.10.ts)
  'aa_file_ctx', 'acpi_namespace_node', 'acpi_parse_obj_common',
  'acpi_parse_obj_named', 'aio_kiocb', 'anon_vma', 'anon_vma_chain', 'audit_buffer', 'audit_tree_mark', 'bio',
  'bio_integrity_payload', 'bio_vec', 'blkdev_dio', 'bpf_storage_blob', 'buffer_head', 'callback_head', 'dax_device',
  'dio', 'dmaengine_unmap_data', 'dnotify_mark', 'dnotify_struct', 'dquot', 'epitem', 'epitems_head', 'eppoll_entry',
  'fanotify_fid_event', 'fanotify_path_event', 'fanotify_perm_event', 'fasync_struct', 'fib6_node', 'fib_alias',
  'file', 'file_lock', 'file_lock_context', 'file_security_struct', 'frag_queue', 'fs_struct', 'fscrypt_info',
  'fsnotify_mark', 'fsnotify_mark_connector', 'fsverity_info', 'hugetlbfs_inode_info', 'inet_bind2_bucket',
  'inet_bind_bucket', 'inet_peer', 'inet_sock', 'inode', 'inode_security_struct', 'inode_smack',
  'inotify_inode_mark', 'integrity_iint_cache', 'io_context', 'io_kiocb', 'iomap_ioend', 'iova', 'ipq', 'k_itimer',
  'kernfs_iattrs', 'key', 'khugepaged_mm_slot', 'kioctx', 'ksm_mm_slot', 'ksm_rmap_item', 'ksm_stable_node',
  'landlock_inode_security', 'maple_node', 'mctp_flow', 'mfc6_cache', 'mfc_cache', 'ipv6_pinfo', 'mptcp_ext',
  'mptcp_sock', 'mptcp_subflow_request_sock', 'mqueue_inode_info', 'net', 'nf_bridge_info', 'nsproxy', 'pde_opener',
  'perf_event', 'pid_namespace', 'proc_inode', 'xa_node', 'raw6_sock', 'raw_sock', 'request_queue',
  'rt6_info', 'rtable', 'scatterlist', 'sec_path', 'seq_file', 'sigqueue', 'sk_buff', 'sk_buff_fclones', 'skb_ext',
  'socket_alloc', 'sp_node', 'srcu_struct', 'task_delay_info', 'task_group', 'taskstats', 'tc_skb_ext',
  'tcp6_sock', 'tcp_request_sock', 'tcp_sock', 'tcp_timewait_sock',
  'tnode', 'udp6_sock', 'udp_sock', 'unix_sock', 'user_namespace', 'user_struct', 'userfaultfd_ctx', 'uts_namespace',
  'vm_area_struct', 'xfrm_dst', 'xfrm_state', 'zswap_entry', 'rmap_item', 'stable_node',
];

/** Unions read from BTF, stored under their name beside the structs: acpi_generic_state and acpi_operand_object (the "Acpi-State" and "Acpi-Operand" caches, drivers/acpi/acpica/utalloc.c). */
export const BTF_UNIONS: readonly string[] = [
  'acpi_generic_state',
  'acpi_operand_object',
];

/** The BTF_STRUCTS this BTF defines (those a version lacks are left out), each with source 'btf'. */
export function btfStructs(btf: Btf, file = '.BTF'): Record<string, StructSize> {
  const out: Record<string, StructSize> = {};
  for (const name of BTF_STRUCTS) {
    const bytes = structSize(btf, name, file);
    if (bytes !== undefined) out[name] = { bytes, source: 'btf' };
  }
  for (const name of BTF_UNIONS) {
    const bytes = structSize(btf, name, file, 'union');
    if (bytes === undefined) continue;
    if (out[name]) throw new FactsError('BTF_INVALID', `.BTF: union ${name} has the name of a struct read too`, { pos: { file } });
    out[name] = { bytes, source: 'btf' };
  }
  if (!out.page || !out.pglist_data) throw new FactsError('BTF_INVALID', `.BTF: expected struct page and struct pglist_data, got ${Object.keys(out).join(', ') || 'neither'}`, { pos: { file } });
  return out;
}

/**
 * The BTF_STRUCTS and BTF_UNIONS a debug vmlinux's DWARF defines (dwarfSizes), each with source
 * 'dwarf': the same names the BTF builds give, for the builds without BTF (the 686 flavours).
 */
export function dwarfStructs(sizes: DwarfSizes, file = 'vmlinux (DWARF)'): Record<string, StructSize> {
  const out: Record<string, StructSize> = {};
  const one = (kind: 'struct' | 'union', name: string): number | undefined => {
    const set = sizes[kind].get(name);
    if (!set) return undefined;
    if (set.size > 1) throw new FactsError('DWARF_INVALID', `${file}: expected one ${kind} ${name}, got sizes ${[...set].join(', ')}`, { pos: { file } });
    return set.values().next().value;
  };
  // An empty struct is 0 bytes (a GNU C extension): the stand-in of a feature not built, e.g.
  // include/linux/mempolicy.h's `struct mempolicy {};` without CONFIG_NUMA. Left out like an absent one.
  for (const name of BTF_STRUCTS) {
    const bytes = one('struct', name);
    if (bytes !== undefined && bytes > 0) out[name] = { bytes, source: 'dwarf' };
  }
  for (const name of BTF_UNIONS) {
    const bytes = one('union', name);
    if (bytes === undefined || bytes === 0) continue;
    if (out[name]) throw new FactsError('DWARF_INVALID', `${file}: union ${name} has the name of a struct read too`, { pos: { file } });
    out[name] = { bytes, source: 'dwarf' };
  }
  if (!out.page) throw new FactsError('DWARF_INVALID', `${file}: expected struct page, got ${Object.keys(out).join(', ') || 'no struct read'}`, { pos: { file } });
  return out;
}

/**
 * sizeof(struct page) on a 32-bit x86 build, from include/linux/mm_types.h of 5.10 and 6.1
 * (the layouts were read in 5.10.223 and 6.1.176; other versions must be read before use):
 *   unsigned long flags                                   1 word
 *   the big union: its largest members are five words     5 words
 *     (lru + mapping + index + private; the page_pool, slab and page-table structs; the
 *     ptl is a spinlock_t inline or, with ALLOC_SPLIT_PTLOCKS, a pointer: one word either way)
 *   union { _mapcount; page_type; … }                     4 bytes
 *   atomic_t _refcount                                    4 bytes
 *   memcg_data (6.1) / mem_cgroup (5.10), if MEMCG         1 word
 *   virtual: WANT_PAGE_VIRTUAL is never defined on x86    —
 *   kmsan_shadow/origin: KMSAN is 64-bit only             —
 *   _last_cpupid: only with LAST_CPUPID_NOT_IN_PAGE_FLAGS, which needs NUMA_BALANCING
 * then `} _struct_page_alignment;`: __aligned(2 * sizeof(unsigned long)) = 8 with
 * HAVE_ALIGNED_STRUCT_PAGE, else 4 (5.10: no attribute, natural word alignment).
 */
export function derivePage32(version: string, config: Readonly<Record<string, string>>): StructSize {
  const series = seriesOf(version, 'page', 'include/linux/mm_types.h');
  const on = (k: string): boolean => config[k] === 'y';
  if (on('64BIT')) throw new FactsError('LAYOUT_UNEXPECTED', 'struct page (32-bit): expected a config without CONFIG_64BIT, got 64BIT=y');
  if (on('NUMA_BALANCING')) throw new FactsError('LAYOUT_UNEXPECTED', 'struct page (32-bit): NUMA_BALANCING=y may put _last_cpupid in struct page (page-flags-layout.h); derive it before use');
  const parts: Array<[string, number]> = [['flags', 4], ['union', 20], ['_mapcount', 4], ['_refcount', 4]];
  // 6.5: the union's largest members are five words in 6.1.176 and 6.12.117 alike (lru..private, the
  // page_pool struct), and memcg_data stays under MEMCG
  if (on('MEMCG')) parts.push([series === '5.10' ? 'mem_cgroup' : 'memcg_data', 4]);
  const sum = parts.reduce((a, [, n]) => a + n, 0);
  const align = on('HAVE_ALIGNED_STRUCT_PAGE') ? 8 : 4;
  const bytes = Math.ceil(sum / align) * align;
  const terms = parts.map(([n, b]) => `${n} ${b}`).join(' + ');
  const tail = align === 8 ? `, aligned to 8 (HAVE_ALIGNED_STRUCT_PAGE: 2 * sizeof(long)) = ${bytes}` : '';
  return { bytes, source: `include/linux/mm_types.h (${series}), 32-bit: ${terms} = ${sum}${tail}` };
}

/**
 * The kernel series a 32-bit derivation was read for; refuses any other. 6.5 (the bookworm-backports
 * 686-pae build) has no tree here (the mirror serves no 6.5 source): its layouts are those of 6.1.176
 * where 6.1 and 6.12.117 agree, which every struct below does except pcpu_chunk (deriveStructLayouts)
 * and io_tlb_slot (pad_slots: "swiotlb: extend buffer pre-padding to alloc_align_mask if necessary",
 * Petr Tesarik, 6.9, after 6.5).
 */
function seriesOf(version: string, struct: string, file: string): '5.10' | '6.1' | '6.5' {
  const mm = /^(\d+)\.(\d+)/.exec(version);
  const series = mm ? `${mm[1]}.${mm[2]}` : version;
  if (series !== '5.10' && series !== '6.1' && series !== '6.5') {
    throw new FactsError('LAYOUT_UNEXPECTED', `struct ${struct} (32-bit): no derivation for ${series}; read ${file} of that version and add it to qemu-scripts/kernel/structs.ts`);
  }
  return series;
}

// ---------------------------------------------------------------------------------------------
// C struct layout on the two x86 ABIs, for the structs the 686 builds have no BTF for

/** The x86 ABIs: i386 (ILP32; 8-byte scalars are 4-aligned inside structs) and x86_64 (LP64). */
export type Abi = 'i386' | 'x86_64';

/** A C type as an ABI lays it out. */
interface CType {
  readonly size: number;
  readonly align: number;
  /** How a nested struct was laid out, for the derivation text. */
  readonly terms?: string;
}

type Member = readonly [name: string, type: CType];

/** Lays members out as the C compiler does: each at its alignment, the whole rounded to the largest. */
function cStruct(members: readonly Member[], flexibleArrayAlign = 1): Required<CType> {
  let off = 0;
  let align = flexibleArrayAlign;
  const terms: string[] = [];
  for (const [name, t] of members) {
    const at = Math.ceil(off / t.align) * t.align;
    if (at > off) terms.push(`pad ${at - off}`);
    terms.push(t.terms ? `${name} ${t.size} (${t.terms})` : `${name} ${t.size}`);
    off = at + t.size;
    align = Math.max(align, t.align);
  }
  const size = Math.ceil(off / align) * align;
  if (size > off) terms.push(`tail pad ${size - off}`);
  return { size, align, terms: terms.join(' + ') };
}

/** The scalar types of an ABI, with phys_addr_t (resource_size_t) from the config. */
function cTypes(abi: Abi, config: Readonly<Record<string, string>>) {
  const word = abi === 'x86_64' ? 8 : 4;
  const u64: CType = { size: 8, align: abi === 'x86_64' ? 8 : 4 };
  const ptr: CType = { size: word, align: word };
  return {
    int: { size: 4, align: 4 } as CType,
    bool: { size: 1, align: 1 } as CType,
    /** unsigned long, size_t and pointers. */
    long: ptr,
    ptr,
    u64,
    // mm/Kconfig PHYS_ADDR_T_64BIT: def_bool 64BIT; arch/x86/Kconfig X86_PAE selects it
    phys: abi === 'x86_64' || config['X86_PAE'] === 'y' ? u64 : ({ size: 4, align: 4 } as CType),
    /** include/linux/types.h struct list_head { next, prev; }. */
    listHead: { size: 2 * word, align: word } as CType,
  };
}

/** One derived struct: its size, with the layout spelled out (the source string of the facts). */
function derived(file: string, series: string, abi: Abi, members: readonly Member[], flexibleArrayAlign = 1): StructSize {
  const s = cStruct(members, flexibleArrayAlign);
  return { bytes: s.size, source: `${file} (${series}), ${abi === 'i386' ? '32-bit' : '64-bit'}: ${s.terms} = ${s.size}` };
}

/**
 * The structs besides page that the stages need and the 686 builds carry no BTF for, laid out from
 * the source of 5.10 (read in 5.10.223) and 6.1 (6.1.176) for `abi`. The x86_64 layouts exist so
 * the member lists can be checked against the amd64 builds' BTF of the same versions.
 */
export function deriveStructLayouts(version: string, config: Readonly<Record<string, string>>, abi: Abi): Record<string, StructSize> {
  const on = (k: string): boolean => config[k] === 'y';
  const t = cTypes(abi, config);
  const series = seriesOf(version, 'resource, firmware_map_entry, nosave_region, pcpu_chunk, …', 'the headers named in deriveStructLayouts');
  if (on('DEBUG_KOBJECT_RELEASE')) throw new FactsError('LAYOUT_UNEXPECTED', 'struct kobject: DEBUG_KOBJECT_RELEASE=y adds a struct delayed_work (include/linux/kobject.h); derive it before use');
  if (on('DEBUG_SPINLOCK') || on('DEBUG_LOCK_ALLOC')) throw new FactsError('LAYOUT_UNEXPECTED', 'spinlock_t: DEBUG_SPINLOCK/DEBUG_LOCK_ALLOC grow it past one int (include/linux/spinlock_types.h); derive it before use');
  const out: Record<string, StructSize> = {};
  // include/linux/ioport.h: start, end (resource_size_t = phys_addr_t), name, flags, desc, parent, sibling, child
  out.resource = derived('include/linux/ioport.h', series, abi, [
    ['start', t.phys], ['end', t.phys], ['name', t.ptr], ['flags', t.long], ['desc', t.long], ['parent', t.ptr], ['sibling', t.ptr], ['child', t.ptr],
  ]);
  // include/linux/kobject.h: struct kref is one refcount_t (an atomic_t); the five state bits share an unsigned int
  const kobject = cStruct([
    ['name', t.ptr], ['entry', t.listHead], ['parent', t.ptr], ['kset', t.ptr], ['ktype', t.ptr], ['sd', t.ptr], ['kref', t.int], ['state bits', t.int],
  ]);
  // drivers/firmware/memmap.c: u64 start, end (not resource_size_t: e820 ranges above 4G); type; list; kobj
  out.firmware_map_entry = derived('drivers/firmware/memmap.c', series, abi, [
    ['start', t.u64], ['end', t.u64], ['type', t.ptr], ['list', t.listHead], ['kobj', kobject],
  ]);
  // kernel/power/snapshot.c: list, start_pfn, end_pfn (unsigned long)
  out.nosave_region = derived('kernel/power/snapshot.c', series, abi, [['list', t.listHead], ['start_pfn', t.long], ['end_pfn', t.long]]);
  // mm/percpu-internal.h: eight ints
  const blockMdMembers = ['scan_hint', 'scan_hint_start', 'contig_hint', 'contig_hint_start', 'left_free', 'right_free', 'first_free', 'nr_bits'].map((n): Member => [n, t.int]);
  const blockMd = cStruct(blockMdMembers);
  out.pcpu_block_md = derived('mm/percpu-internal.h', series, abi, blockMdMembers);
  // mm/percpu-internal.h struct pcpu_chunk, without its populated[] tail (unsigned long, flexible):
  // 5.14 added `isolated` after `immutable`; obj_cgroups only with MEMCG_KMEM; nr_alloc and
  // max_alloc_size first with PERCPU_STATS. 6.12.117 moves bound_map before base_addr and aligns
  // base_addr ____cacheline_aligned_in_smp (L1_CACHE_BYTES, 1 << X86_L1_CACHE_SHIFT, on SMP):
  // upstream "percpu-internal/pcpu_chunk: re-layout pcpu_chunk structure to reduce false sharing"
  // (Yu Ma). No 6.5 tree was read: the 6.5.10 memblock=debug goldens allocate 132 bytes for the first
  // chunk (this 128 + one populated word; 6.1.176's layout gives 96), so 6.5 has the re-layout
  const common: Member[] = [
    ...(on('PERCPU_STATS') ? [['nr_alloc (PERCPU_STATS)', t.int], ['max_alloc_size (PERCPU_STATS)', t.long]] as Member[] : []),
    ['list', t.listHead], ['free_bytes', t.int], ['chunk_md', { size: blockMd.size, align: blockMd.align }],
  ];
  const tailMembers: Member[] = [
    ['data', t.ptr], ['immutable', t.bool], ...(series !== '5.10' ? [['isolated', t.bool] as Member] : []), ['start_offset', t.int], ['end_offset', t.int],
    ...(on('MEMCG_KMEM') ? [['obj_cgroups (MEMCG_KMEM)', t.ptr] as Member] : []),
    ['nr_pages', t.int], ['nr_populated', t.int], ['nr_empty_pop_pages', t.int],
  ];
  if (series === '6.5') {
    const l1 = on('SMP') ? 1 << Number(config['X86_L1_CACHE_SHIFT'] ?? Number.NaN) : t.ptr.align;
    if (!Number.isInteger(l1)) throw new FactsError('LAYOUT_UNEXPECTED', 'struct pcpu_chunk: ____cacheline_aligned_in_smp needs CONFIG_X86_L1_CACHE_SHIFT, got none');
    out.pcpu_chunk = derived('mm/percpu-internal.h', series, abi, [
      ...common, ['bound_map', t.ptr], [`base_addr (aligned ${l1})`, { size: t.ptr.size, align: l1 }], ['alloc_map', t.ptr], ['md_blocks', t.ptr], ...tailMembers,
    ], t.long.align);
  } else {
    out.pcpu_chunk = derived('mm/percpu-internal.h', series, abi, [
      ...common, ['base_addr', t.ptr], ['alloc_map', t.ptr], ['bound_map', t.ptr], ['md_blocks', t.ptr], ...tailMembers,
    ], t.long.align);
  }
  // include/linux/types.h hlist_head and include/linux/list_bl.h hlist_bl_head: one pointer each
  out.hlist_head = derived('include/linux/types.h', series, abi, [['first', t.ptr]]);
  out.hlist_bl_head = derived('include/linux/list_bl.h', series, abi, [['first', t.ptr]]);
  // kernel/printk/printk_ringbuffer.h (5.10, 6.1): state_var (atomic_long_t), then
  // text_blk_lpos (struct prb_data_blk_lpos { unsigned long begin, next; })
  out.prb_desc = derived('kernel/printk/printk_ringbuffer.h', series, abi, [['state_var', t.long], ['text_blk_lpos.begin', t.long], ['text_blk_lpos.next', t.long]]);
  // kernel/printk/printk_ringbuffer.h (5.10, 6.1): seq, ts_nsec, text_len (u16), facility (u8),
  // flags:5 + level:3 (one u8), caller_id (u32), dev_info (include/linux/dev_printk.h: char
  // subsystem[16], device[48])
  out.printk_info = derived('kernel/printk/printk_ringbuffer.h', series, abi, [
    ['seq', t.u64], ['ts_nsec', t.u64], ['text_len', { size: 2, align: 2 }], ['facility', { size: 1, align: 1 }], ['flags:5 level:3', { size: 1, align: 1 }],
    ['caller_id', t.int], ['dev_info', { size: 64, align: 1 }],
  ]);
  if (series !== '5.10') {
    // kernel/dma/swiotlb.c (6.1 and 6.5; 5.10 keeps io_tlb_list/io_tlb_orig_addr arrays instead)
    out.io_tlb_slot = derived('kernel/dma/swiotlb.c', series, abi, [['orig_addr', t.phys], ['alloc_size', t.long], ['list', t.int]]);
    out.io_tlb_area = derived('kernel/dma/swiotlb.c', series, abi, [['used', t.long], ['index', t.int], ['lock (spinlock_t)', t.int]]);
  }
  return out;
}

/**
 * Every struct the stages need, for a 32-bit build without BTF: page (derivePage32) and the
 * i386 layouts of deriveStructLayouts. pglist_data is not needed (no NUMA: NODE_DATA is static).
 */
export function deriveStructs32(version: string, config: Readonly<Record<string, string>>): Record<string, StructSize> {
  if (config['64BIT'] === 'y') throw new FactsError('LAYOUT_UNEXPECTED', 'struct layouts (32-bit): expected a config without CONFIG_64BIT, got 64BIT=y');
  return { page: derivePage32(version, config), ...deriveStructLayouts(version, config, 'i386') };
}
