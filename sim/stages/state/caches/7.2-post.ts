// The slab caches the Debian 7.2 build (7.2.13, read in the 7.2.13 tree) creates after
// page_alloc_init_late()'s late Memory: print and before the state probe reads /proc/slabinfo: every
// kmem_cache_create() / KMEM_CACHE() / kmem_cache_create_usercopy() / proto_register() /
// kmem_buckets_create() / bioset_init() call of built-in (=y) code that runs there, in creation order,
// the calls that fold into an earlier cache (find_mergeable()) included: they make no slabinfo line but
// raise s->object_size. The probe loads no module, so =m code never runs.
//
// Order: buffer_init() first (mm/mm_init.c page_alloc_init_late(), right after mem_init_print_info()),
// then do_basic_setup() → do_initcalls() in the order the image's initcall table holds them (level by
// level, link order within a level): the 7.2.13+deb14-amd64 vmlinux's kallsyms names each
// __initcall__kmod_<module>__<id>_<line>_<fn><level> entry at its address in .init.data; the number
// after each init function below is its position in that table (0-based among the 797 entries, the
// early ones first). Inside one init function, the order of its calls.
//
// How the calls were found: every creation call of the tree whose enclosing function the image's
// kallsyms names (or whose file it links: the static helpers the compiler inlined), then its
// initcall. Not listed (and why): the SELinux caches (avc_init(), avtab/ebitmap/hashtab): CONFIG_LSM
// lists apparmor before selinux and both are LSM_FLAG_EXCLUSIVE, so selinux_init() never runs
// (security/lsm_init.c lsm_order_append()); zswap_entry: zswap_init() returns before zswap_setup() when
// zswap_enabled is false (CONFIG_ZSWAP_DEFAULT_ON unset); swap_table: swapfile_init() creates it only if
// !SWP_TABLE_USE_PAGE, i.e. sizeof(struct swap_table) differs from PAGE_SIZE (a rule below, `when`);
// thread_stack: CONFIG_VMAP_STACK; page->ptl: ptlock_cache_init() only with ALLOC_SPLIT_PTLOCKS
// (spinlock_t wider than a long: lock debugging); a disk's bio_split bioset (block/genhd.c
// __alloc_disk_node()): no block driver is built in (loop, virtio_blk, ATA, NVMe, brd are =m);
// fgraph_stack: register_ftrace_graph() runs only when a graph tracer is started; the elevator's
// <name>_io_cq: mq-deadline (the one built-in scheduler) has no icq_size; x86_lbr: only on a CPU with
// arch LBR; netlink, packet, xsk and af_alg call proto_register(…, 0): no slab; kvm, the nf_conntrack,
// dm, SCSI and the other module caches: =m.
import type { CacheCall, SizeEnv } from '../slab-create.ts';
import { bioSlab, biovec, buckets, bytes, enabled, mptcp6Sock, post, proto, skbExtSize, skbSmallHeadCacheSize, struct, unmapPool } from './6.12-post.ts';

/** include/linux/bvec.h BIO_MAX_VECS (7.2: 256U). */
const BIO_MAX_VECS = 256;
const L1_CACHE_BYTES = 64;
const PAGE_SIZE = 4096;

/**
 * A bioset's slab (caches/6.12-post.ts bioSlab; block/bio.c 7.2 bio_find_or_create_slab() keeps one
 * "bio-<size>" per size in the bio_slabs xarray): a second bioset of a size already made reuses it.
 */
export const bioSlab72 = (container: string | undefined, site: string, option: string | readonly string[]): CacheCall => ({
  ...bioSlab(container, site, option),
  sharedSlab: { group: 'bio', name: (size) => `bio-${size}` },
});

/**
 * khugepaged's struct mm_slot (mm/mm_slot.h 7.2): hlist_node hash 16 + list_head mm_node 16 + struct
 * mm_struct *mm 8 = 40 on LP64, laid out from the source: the facts do not keep it (5.10's BTF has two
 * struct mm_slot, so the extractor cannot read one by name; caches/5.10.ts lays those out the same way).
 */
const MM_SLOT = 16 + 16 + 8;

/**
 * struct can_skb_ext (include/net/can.h 7.2): int can_iif, u16 can_framelen, u8 can_gw_hops, u8
 * can_ext_flags, u32 can_skb_uid: 12 bytes (4-aligned, no padding). Not in the BTF (only CAN, =m, uses it).
 */
const CAN_SKB_EXT = 4 + 2 + 1 + 1 + 4;

/**
 * skbuff_ext_cache's size (net/core/skbuff.c 7.2 skb_ext_type_len[]): 6.12's extensions, then
 * psp_skb_ext with INET_PSP and can_skb_ext with CAN (=y or =m: IS_ENABLED).
 */
const skbExtSize72 = (env: SizeEnv): number | undefined =>
  skbExtSize(env, [[enabled(env, 'INET_PSP'), 'psp_skb_ext'], [enabled(env, 'CAN'), CAN_SKB_EXT]]);

/** The 7.2 'post' calls in creation order (see the head of this file for how the order was established). */
export const POST_CALLS_7_2: readonly CacheCall[] = [
  // mm/mm_init.c page_alloc_init_late(): mem_init_print_info(), then buffer_init()
  post('buffer_head', 'fs/buffer.c: buffer_init() KMEM_CACHE(buffer_head, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC)', struct('buffer_head'), ['RECLAIM_ACCOUNT']),
  // core_initcall
  post('posix_timers_cache', 'kernel/time/posix-timers.c: posixtimer_init() (core_initcall, 67) kmem_cache_create("posix_timers_cache", sizeof(struct k_itimer), __alignof__(struct k_itimer) (____cacheline_aligned_in_smp: 64), SLAB_ACCOUNT)', struct('k_itimer'), ['ACCOUNT'], { align: L1_CACHE_BYTES, option: 'POSIX_TIMERS' }),
  post('fsnotify_mark_connector', 'fs/notify/fsnotify.c: fsnotify_init() (core_initcall, 86) → fs/notify/mark.c fsnotify_init_connector_caches() KMEM_CACHE(fsnotify_mark_connector, SLAB_PANIC)', struct('fsnotify_mark_connector'), [], { option: 'FSNOTIFY' }),
  post('fsnotify_inode_mark_connector', 'fs/notify/mark.c: fsnotify_init_connector_caches() KMEM_CACHE(fsnotify_inode_mark_connector, SLAB_PANIC)', struct('fsnotify_inode_mark_connector'), [], { option: 'FSNOTIFY' }),
  post('file_lock_ctx', 'fs/locks.c: filelock_init() (core_initcall, 87) kmem_cache_create("file_lock_ctx", sizeof(struct file_lock_context), 0, SLAB_PANIC, NULL)', struct('file_lock_context'), [], { option: 'FILE_LOCKING' }),
  post('file_lock_cache', 'fs/locks.c: filelock_init() kmem_cache_create("file_lock_cache", sizeof(struct file_lock), 0, SLAB_PANIC, NULL)', struct('file_lock'), [], { option: 'FILE_LOCKING' }),
  post('file_lease_cache', 'fs/locks.c: filelock_init() kmem_cache_create("file_lease_cache", sizeof(struct file_lease), 0, SLAB_PANIC, NULL)', struct('file_lease'), [], { option: 'FILE_LOCKING' }),
  post('debugfs_inode_cache', 'fs/debugfs/inode.c: debugfs_init() (core_initcall, 91) kmem_cache_create("debugfs_inode_cache", sizeof(struct debugfs_inode_info), 0, SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, init_once)', struct('debugfs_inode_info'), ['RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'DEBUG_FS' }),
  post('tracefs_inode_cache', 'fs/tracefs/inode.c: tracefs_init() (core_initcall, 92) kmem_cache_create("tracefs_inode_cache", sizeof(struct tracefs_inode), 0, SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT, init_once)', struct('tracefs_inode'), ['RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'TRACING' }),
  post('skbuff_head_cache', 'net/socket.c: sock_init() (core_initcall, 106) → net/core/skbuff.c skb_init() kmem_cache_create_usercopy("skbuff_head_cache", sizeof(struct sk_buff), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|FLAG_SKB_NO_MERGE (SLAB_NO_MERGE without SLUB_TINY), cb)', struct('sk_buff'), ['HWCACHE_ALIGN', 'NO_MERGE'], { usercopy: true, option: 'NET' }),
  post('skbuff_fclone_cache', 'net/core/skbuff.c: skb_init() kmem_cache_create("skbuff_fclone_cache", sizeof(struct sk_buff_fclones), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', struct('sk_buff_fclones'), ['HWCACHE_ALIGN'], { option: 'NET' }),
  post('skbuff_small_head', 'net/core/skbuff.c: skb_init() kmem_cache_create_usercopy("skbuff_small_head", SKB_SMALL_HEAD_CACHE_SIZE, 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, 0, SKB_SMALL_HEAD_HEADROOM) (the 6.12 rule: MAX_TCP_HEADER, GRO_MAX_HEAD_PAD and MAX_HEADER are unchanged in 7.2)', skbSmallHeadCacheSize, ['HWCACHE_ALIGN'], { usercopy: true, option: 'NET' }),
  post('skbuff_ext_cache', 'net/core/skbuff.c: skb_init() → skb_extensions_init() kmem_cache_create("skbuff_ext_cache", SKB_EXT_ALIGN_VALUE * skb_ext_total_length(), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', skbExtSize72, ['HWCACHE_ALIGN'], { option: ['NET', 'SKB_EXTENSIONS'] }),
  post('sock_inode_cache', 'net/socket.c: sock_init() → init_inodecache() kmem_cache_create("sock_inode_cache", sizeof(struct sockfs_inode), 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, init_once)', struct('sockfs_inode'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'NET' }),
  // postcore_initcall
  post('audit_buffer', 'kernel/audit.c: audit_init() (postcore_initcall, 119) KMEM_CACHE(audit_buffer, SLAB_PANIC)', struct('audit_buffer'), [], { option: 'AUDIT' }),
  // arch_initcall: drivers/dma/dmaengine.c dma_bus_init() (169) → dmaengine_init_unmap_pool(), then drivers/iommu/dma-iommu.c iommu_dma_init() (173)
  unmapPool(2), unmapPool(16), unmapPool(128), unmapPool(256),
  post('iommu_iova', 'drivers/iommu/dma-iommu.c: iommu_dma_init() (arch_initcall, 173) → drivers/iommu/iova.c iova_cache_get() kmem_cache_create("iommu_iova", sizeof(struct iova), 0, SLAB_HWCACHE_ALIGN, NULL)', struct('iova'), ['HWCACHE_ALIGN'], { option: 'IOMMU_DMA' }),
  post('iommu_iova_magazine', 'drivers/iommu/iova.c: iova_cache_get() kmem_cache_create("iommu_iova_magazine", sizeof(struct iova_magazine), 0, SLAB_HWCACHE_ALIGN, NULL)', struct('iova_magazine'), ['HWCACHE_ALIGN'], { option: 'IOMMU_DMA' }),
  // subsys_initcall
  post('uid_cache', 'kernel/user.c: uid_cache_init() (subsys_initcall, 183) kmem_cache_create("uid_cache", sizeof(struct user_struct), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', struct('user_struct'), ['HWCACHE_ALIGN']),
  post('user_namespace', 'kernel/user_namespace.c: user_namespaces_init() (subsys_initcall, 198) KMEM_CACHE(user_namespace, SLAB_PANIC | SLAB_ACCOUNT)', struct('user_namespace'), ['ACCOUNT'], { option: 'USER_NS' }),
  ...buckets('memdup_user', 'mm/util.c: init_user_buckets() (subsys_initcall, 210) kmem_buckets_create("memdup_user", 0, 0, INT_MAX, NULL)', [], true),
  post('swap_table', 'mm/swapfile.c: swapfile_init() (subsys_initcall, 221) kmem_cache_create("swap_table", sizeof(struct swap_table), 0, SLAB_PANIC | SLAB_TYPESAFE_BY_RCU, NULL), only if !SWP_TABLE_USE_PAGE (mm/swap_table.h: sizeof(struct swap_table) == PAGE_SIZE)', struct('swap_table'), ['TYPESAFE_BY_RCU'], { option: 'SWAP', when: (env) => bytes(env, 'swap_table') !== PAGE_SIZE }),
  ...(['ksm_rmap_item', 'ksm_stable_node', 'ksm_mm_slot'] as const).map((s) => post(s, `mm/ksm.c: ksm_init() (subsys_initcall, 223) → ksm_slab_init() KMEM_CACHE(${s}, 0)`, struct(s), [], { option: 'KSM' })),
  post('mm_slot', 'mm/huge_memory.c: hugepage_init() (subsys_initcall, 226) → mm/khugepaged.c khugepaged_init() KMEM_CACHE(mm_slot, 0) (struct mm_slot laid out: MM_SLOT)', { bytes: MM_SLOT }, [], { option: 'TRANSPARENT_HUGEPAGE' }),
  post('damon_region', 'mm/damon/core.c: damon_init() (subsys_initcall, 229) KMEM_CACHE(damon_region, 0)', struct('damon_region'), [], { option: 'DAMON' }),
  ...buckets('msg_msg', 'ipc/msgutil.c: init_msg_buckets() (subsys_initcall, 233) kmem_buckets_create("msg_msg", SLAB_ACCOUNT, sizeof(struct msg_msg), DATALEN_MSG, NULL)', ['ACCOUNT'], false),
  biovec(16, '16'), biovec(64, '64'), biovec(128, '128'), biovec(BIO_MAX_VECS, 'max'),
  bioSlab72(undefined, 'block/bio.c: init_bio() (subsys_initcall, 235) bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS | BIOSET_PERCPU_CACHE)', 'BLOCK'),
  post('blkdev_ioc', 'block/blk-ioc.c: blk_ioc_init() (subsys_initcall, 236) kmem_cache_create("blkdev_ioc", sizeof(struct io_context), 0, SLAB_PANIC, NULL)', struct('io_context'), [], { option: 'BLOCK' }),
  post('request_queue', 'block/genhd.c: genhd_device_init() (subsys_initcall, 238) → block/blk-core.c blk_dev_init() KMEM_CACHE(request_queue, SLAB_PANIC)', struct('request_queue'), [], { option: 'BLOCK' }),
  post('bio_integrity_data', 'block/bio-integrity-auto.c: blk_integrity_auto_init() (subsys_initcall, 241) kmem_cache_create("bio_integrity_data", sizeof(struct bio_integrity_data), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)', struct('bio_integrity_data'), ['HWCACHE_ALIGN'], { option: ['BLOCK', 'BLK_DEV_INTEGRITY'] }),
  // lib/sg_pool.c sg_pool_init() (252): "sgpool-<n>" of n scatterlists for SG_CHUNK_SIZE 128 down from 8 (SG_MEMPOOL_NR)
  ...[8, 16, 32, 64, 128].map((n) => post(`sgpool-${n}`, `lib/sg_pool.c: sg_pool_init() (subsys_initcall, 252) kmem_cache_create("sgpool-${n}", ${n} * sizeof(struct scatterlist), 0, SLAB_HWCACHE_ALIGN, NULL)`, (env) => { const s = bytes(env, 'scatterlist'); return s === undefined ? undefined : n * s; }, ['HWCACHE_ALIGN'], { option: 'SG_POOL' })),
  post('dax_cache', 'drivers/dax/super.c: dax_core_init() (subsys_initcall, 284) → dax_fs_init() kmem_cache_create("dax_cache", sizeof(struct dax_device), 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, init_once)', struct('dax_device'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'DAX' }),
  // fs_initcall
  post('bpf_fs_inode_cache', 'kernel/bpf/inode.c: bpf_init() (fs_initcall, 352) kmem_cache_create("bpf_fs_inode_cache", sizeof(struct bpf_fs_inode), 0, SLAB_ACCOUNT, bpf_fs_inode_init_once)', struct('bpf_fs_inode'), ['ACCOUNT'], { ctor: true, option: 'BPF_SYSCALL' }),
  post('inotify_inode_mark', 'fs/notify/inotify/inotify_user.c: inotify_user_setup() (fs_initcall, 363) KMEM_CACHE(inotify_inode_mark, SLAB_PANIC|SLAB_ACCOUNT)', struct('inotify_inode_mark'), ['ACCOUNT'], { option: 'INOTIFY_USER' }),
  post('eventpoll_epi', 'fs/eventpoll.c: eventpoll_init() (fs_initcall, 364) kmem_cache_create("eventpoll_epi", sizeof(struct epitem), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT, NULL)', struct('epitem'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'EPOLL' }),
  post('eventpoll_pwq', 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("eventpoll_pwq", sizeof(struct eppoll_entry), 0, SLAB_PANIC|SLAB_ACCOUNT, NULL)', struct('eppoll_entry'), ['ACCOUNT'], { option: 'EPOLL' }),
  post('ep_head', 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("ep_head", sizeof(struct epitems_head), 0, SLAB_PANIC|SLAB_ACCOUNT, NULL)', struct('epitems_head'), ['ACCOUNT'], { option: 'EPOLL' }),
  post('backing_aio', 'fs/backing-file.c: backing_aio_init() (fs_initcall, 368) KMEM_CACHE(backing_aio, SLAB_HWCACHE_ALIGN)', struct('backing_aio'), ['HWCACHE_ALIGN'], { option: 'FS_STACK' }),
  bioSlab72('iomap_ioend', 'fs/iomap/ioend.c: iomap_ioend_init() (fs_initcall, 371) bioset_init(&iomap_ioend_bioset, 4 * (PAGE_SIZE / SECTOR_SIZE), offsetof(struct iomap_ioend, io_bio), BIOSET_NEED_BVECS)', ['BLOCK', 'FS_IOMAP']),
  { ...bioSlab72('iomap_ioend', 'fs/iomap/ioend.c: iomap_ioend_init() bioset_init(&iomap_ioend_split_bioset, …, offsetof(struct iomap_ioend, io_bio), BIOSET_NEED_BVECS): the size of the bioset before, so bio_find_or_create_slab() reuses its slab', ['BLOCK', 'FS_IOMAP']), name: 'bio-<iomap_ioend_split>' },
  post('dquot', 'fs/quota/dquot.c: dquot_init() (fs_initcall, 372) kmem_cache_create("dquot", sizeof(struct dquot), sizeof(unsigned long) * 4, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_PANIC, NULL)', struct('dquot'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT'], { align: 32, option: 'QUOTA' }),
  post('hugetlbfs_inode_cache', 'fs/hugetlbfs/inode.c: init_hugetlbfs_fs() (fs_initcall, 389) kmem_cache_create("hugetlbfs_inode_cache", sizeof(struct hugetlbfs_inode_info), 0, SLAB_ACCOUNT, init_once)', struct('hugetlbfs_inode_info'), ['ACCOUNT'], { ctor: true, option: 'HUGETLBFS' }),
  post('fs_bio_integrity', 'block/bio-integrity-fs.c: fs_bio_integrity_init() (fs_initcall, 391) kmem_cache_create("fs_bio_integrity", sizeof(struct fs_bio_integrity_buf), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC, NULL)', struct('fs_bio_integrity_buf'), ['HWCACHE_ALIGN'], { option: ['BLOCK', 'BLK_DEV_INTEGRITY'] }),
  // net/ipv4/af_inet.c inet_init() (407): the four protos, then ip_init() → ip_rt_init() (rtable, ip_fib_init() → fib_trie_init(), xfrm_init() → xfrm_net_init(): xfrm_state_init(), xfrm_policy_init()) and inet_initpeers(), tcp_init() (the bind buckets, then mptcp_init()), ip_mr_init(), ipfrag_init(); 7.2 has no UDP-Lite
  ...proto({ name: 'TCP', site: 'net/ipv4/af_inet.c: inet_init() (fs_initcall, 407) proto_register(&tcp_prot, 1): sizeof(struct tcp_sock), SLAB_TYPESAFE_BY_RCU, freeptr_offset (net/ipv4/tcp_ipv4.c);', obj: struct('tcp_sock'), rcu: true, freeptrOffset: true, rsk: struct('tcp_request_sock'), twsk: struct('tcp_timewait_sock'), option: 'INET' }),
  ...proto({ name: 'UDP', site: 'net/ipv4/af_inet.c: inet_init() proto_register(&udp_prot, 1): sizeof(struct udp_sock);', obj: struct('udp_sock'), option: 'INET' }),
  ...proto({ name: 'RAW', site: 'net/ipv4/af_inet.c: inet_init() proto_register(&raw_prot, 1): sizeof(struct raw_sock), usercopy raw_sock.filter;', obj: struct('raw_sock'), usercopy: true, option: 'INET' }),
  ...proto({ name: 'PING', site: 'net/ipv4/af_inet.c: inet_init() proto_register(&ping_prot, 1): sizeof(struct inet_sock);', obj: struct('inet_sock'), option: 'INET' }),
  post('rtable', 'net/ipv4/route.c: ip_rt_init() (inet_init() → ip_init()) KMEM_CACHE(rtable, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', struct('rtable'), ['HWCACHE_ALIGN'], { option: 'INET' }),
  post('ip_fib_alias', 'net/ipv4/fib_trie.c: fib_trie_init() (ip_rt_init() → ip_fib_init()) kmem_cache_create("ip_fib_alias", sizeof(struct fib_alias), 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', struct('fib_alias'), ['ACCOUNT'], { option: 'INET' }),
  // LEAF_SIZE = TNODE_SIZE(1): sizeof(struct tnode) (caches/6.12-post.ts)
  post('ip_fib_trie', 'net/ipv4/fib_trie.c: fib_trie_init() kmem_cache_create("ip_fib_trie", LEAF_SIZE, 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', struct('tnode'), ['ACCOUNT'], { option: 'INET' }),
  post('xfrm_state', 'net/xfrm/xfrm_state.c: xfrm_state_init(&init_net) (ip_rt_init() → xfrm_init() → register_pernet_subsys(&xfrm_net_ops) → xfrm_net_init()) KMEM_CACHE(xfrm_state, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', struct('xfrm_state'), ['HWCACHE_ALIGN'], { option: ['INET', 'XFRM'] }),
  post('xfrm_dst', 'net/xfrm/xfrm_policy.c: xfrm_policy_init(&init_net) (xfrm_net_init(), after xfrm_state_init()) KMEM_CACHE(xfrm_dst, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', struct('xfrm_dst'), ['HWCACHE_ALIGN'], { option: ['INET', 'XFRM'] }),
  post('inet_peer', 'net/ipv4/inetpeer.c: inet_initpeers() (inet_init() → ip_init(), after ip_rt_init()) KMEM_CACHE(inet_peer, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', struct('inet_peer'), ['HWCACHE_ALIGN'], { option: 'INET' }),
  post('tcp_bind_bucket', 'net/ipv4/tcp.c: tcp_init() (from inet_init()) kmem_cache_create("tcp_bind_bucket", sizeof(struct inet_bind_bucket), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', struct('inet_bind_bucket'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'INET' }),
  post('tcp_bind2_bucket', 'net/ipv4/tcp.c: tcp_init() kmem_cache_create("tcp_bind2_bucket", sizeof(struct inet_bind2_bucket), 0, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL)', struct('inet_bind2_bucket'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'INET' }),
  post('request_sock_subflow_v4', 'net/ipv4/tcp.c: tcp_init() → net/mptcp/ctrl.c mptcp_init() → protocol.c mptcp_proto_init() → subflow.c mptcp_subflow_init() → subflow_ops_init() kmem_cache_create("request_sock_subflow_v4", sizeof(struct mptcp_subflow_request_sock), 0, SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU, NULL)', struct('mptcp_subflow_request_sock'), ['ACCOUNT', 'TYPESAFE_BY_RCU'], { option: ['INET', 'MPTCP'] }),
  ...proto({ name: 'MPTCP', site: 'net/mptcp/protocol.c: mptcp_proto_init() proto_register(&mptcp_prot, 1): sizeof(struct mptcp_sock), SLAB_TYPESAFE_BY_RCU;', obj: struct('mptcp_sock'), rcu: true, option: ['INET', 'MPTCP'] }),
  post('mfc_cache', 'net/ipv4/ipmr.c: ip_mr_init() (from inet_init()) KMEM_CACHE(mfc_cache, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT)', struct('mfc_cache'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: ['INET', 'IP_MROUTE'] }),
  post('ip4-frags', 'net/ipv4/ip_fragment.c: ipfrag_init() (from inet_init()) → net/ipv4/inet_fragment.c inet_frags_init(&ip4_frags) kmem_cache_create("ip4-frags", sizeof(struct ipq), 0, 0, NULL)', struct('ipq'), [], { option: 'INET' }),
  ...proto({ name: 'UNIX', site: 'net/unix/af_unix.c: af_unix_init() (fs_initcall, 408) proto_register(&unix_dgram_proto, 1): sizeof(struct unix_sock);', obj: struct('unix_sock'), option: 'UNIX' }),
  ...proto({ name: 'UNIX-STREAM', site: 'net/unix/af_unix.c: af_unix_init() proto_register(&unix_stream_proto, 1): sizeof(struct unix_sock);', obj: struct('unix_sock'), option: 'UNIX' }),
  post('xsk_generic_xmit_cache', 'net/xdp/xsk.c: xsk_init() (fs_initcall, 411) kmem_cache_create("xsk_generic_xmit_cache", sizeof(struct xsk_addrs), 0, SLAB_HWCACHE_ALIGN, NULL)', struct('xsk_addrs'), ['HWCACHE_ALIGN'], { option: 'XDP_SOCKETS' }),
  // device_initcall (module_init / __initcall / device_initcall of built-in code)
  post('pid_namespace', 'kernel/pid_namespace.c: pid_namespaces_init() (__initcall, 457) KMEM_CACHE(pid_namespace, SLAB_PANIC | SLAB_ACCOUNT)', struct('pid_namespace'), ['ACCOUNT'], { option: 'PID_NS' }),
  post('audit_tree_mark', 'kernel/audit_tree.c: audit_tree_init() (__initcall, 460) KMEM_CACHE(audit_tree_mark, SLAB_PANIC)', struct('audit_tree_mark'), [], { option: 'AUDITSYSCALL' }),
  post('zs_handle', 'mm/zsmalloc.c: zs_init() (module_init, 479) → zs_init_caches() kmem_cache_create("zs_handle", ZS_HANDLE_SIZE (sizeof(unsigned long)), 0, 0, NULL)', { bytes: 8 }, [], { option: 'ZSMALLOC' }),
  post('zspage', 'mm/zsmalloc.c: zs_init_caches() kmem_cache_create("zspage", sizeof(struct zspage), 0, 0, NULL)', struct('zspage'), [], { option: 'ZSMALLOC' }),
  post('userfaultfd_ctx_cache', 'mm/userfaultfd.c: userfaultfd_init() (__initcall, 480) kmem_cache_create("userfaultfd_ctx_cache", sizeof(struct userfaultfd_ctx), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, init_once_userfaultfd_ctx)', struct('userfaultfd_ctx'), ['HWCACHE_ALIGN'], { ctor: true, option: 'USERFAULTFD' }),
  post('fasync_cache', 'fs/fcntl.c: fcntl_init() (module_init, 485) kmem_cache_create("fasync_cache", sizeof(struct fasync_struct), 0, SLAB_PANIC | SLAB_ACCOUNT, NULL)', struct('fasync_struct'), ['ACCOUNT']),
  post('dio', 'fs/direct-io.c: dio_init() (module_init, 488) KMEM_CACHE(dio, SLAB_PANIC): __alignof__(struct dio), ____cacheline_aligned_in_smp', struct('dio'), [], { align: L1_CACHE_BYTES, option: 'LEGACY_DIRECT_IO' }),
  post('dnotify_struct', 'fs/notify/dnotify/dnotify.c: dnotify_init() (module_init, 489) KMEM_CACHE(dnotify_struct, SLAB_PANIC|SLAB_ACCOUNT)', struct('dnotify_struct'), ['ACCOUNT'], { option: 'DNOTIFY' }),
  post('dnotify_mark', 'fs/notify/dnotify/dnotify.c: dnotify_init() KMEM_CACHE(dnotify_mark, SLAB_PANIC|SLAB_ACCOUNT)', struct('dnotify_mark'), ['ACCOUNT'], { option: 'DNOTIFY' }),
  post('fanotify_mark', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() (device_initcall, 490) KMEM_CACHE(fanotify_mark, SLAB_PANIC|SLAB_ACCOUNT)', struct('fanotify_mark'), ['ACCOUNT'], { option: 'FANOTIFY' }),
  post('fanotify_fid_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_fid_event, SLAB_PANIC)', struct('fanotify_fid_event'), [], { option: 'FANOTIFY' }),
  post('fanotify_path_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_path_event, SLAB_PANIC)', struct('fanotify_path_event'), [], { option: 'FANOTIFY' }),
  post('fanotify_perm_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_perm_event, SLAB_PANIC) (CONFIG_FANOTIFY_ACCESS_PERMISSIONS)', struct('fanotify_perm_event'), [], { option: ['FANOTIFY', 'FANOTIFY_ACCESS_PERMISSIONS'] }),
  post('fanotify_mnt_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_mnt_event, SLAB_PANIC)', struct('fanotify_mnt_event'), [], { option: 'FANOTIFY' }),
  post('aio_inode_cache', 'fs/aio.c: aio_setup() (__initcall, 491) kmem_cache_create("aio_inode_cache", sizeof(struct aio_inode_info), 0, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_ACCOUNT, init_once)', struct('aio_inode_info'), ['RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'AIO' }),
  post('aio_kiocb', 'fs/aio.c: aio_setup() KMEM_CACHE(aio_kiocb, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('aio_kiocb'), ['HWCACHE_ALIGN'], { option: 'AIO' }),
  post('kioctx', 'fs/aio.c: aio_setup() KMEM_CACHE(kioctx, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('kioctx'), ['HWCACHE_ALIGN'], { option: 'AIO' }),
  post('fuse_inode', 'fs/fuse/inode.c: fuse_init() (module_init, 493) → fuse_fs_init() kmem_cache_create("fuse_inode", sizeof(struct fuse_inode), 0, SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_RECLAIM_ACCOUNT, fuse_inode_init_once)', struct('fuse_inode'), ['HWCACHE_ALIGN', 'ACCOUNT', 'RECLAIM_ACCOUNT'], { ctor: true, option: 'FUSE_FS' }),
  post('fuse_request', 'fs/fuse/inode.c: fuse_init() → fs/fuse/dev.c fuse_dev_init() kmem_cache_create("fuse_request", sizeof(struct fuse_req), 0, 0, NULL)', struct('fuse_req'), [], { option: 'FUSE_FS' }),
  post('mqueue_inode_cache', 'ipc/mqueue.c: init_mqueue_fs() (device_initcall, 497) kmem_cache_create("mqueue_inode_cache", sizeof(struct mqueue_inode_info), 0, SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT, init_once)', struct('mqueue_inode_info'), ['HWCACHE_ALIGN', 'ACCOUNT'], { ctor: true, option: 'POSIX_MQUEUE' }),
  bioSlab72('blkdev_dio', 'block/fops.c: blkdev_init() (module_init, 521) bioset_init(&blkdev_dio_pool, 4, offsetof(struct blkdev_dio, bio), BIOSET_NEED_BVECS|BIOSET_PERCPU_CACHE)', 'BLOCK'),
  post('io_kiocb', 'io_uring/io_uring.c: io_uring_init() (__initcall, 527) kmem_cache_create("io_kiocb", sizeof(struct io_kiocb), &kmem_args { cmd.data usercopy, .use_freeptr_offset }, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU)', struct('io_kiocb'), ['HWCACHE_ALIGN', 'ACCOUNT', 'TYPESAFE_BY_RCU'], { usercopy: true, freeptrOffset: true, option: 'IO_URING' }),
  post('btree_node', 'lib/btree.c: btree_module_init() (module_init, 530) kmem_cache_create("btree_node", NODESIZE = MAX(L1_CACHE_BYTES, 128), 0, SLAB_HWCACHE_ALIGN, NULL)', { bytes: Math.max(L1_CACHE_BYTES, 128) }, ['HWCACHE_ALIGN'], { option: 'BTREE' }),
  post('gpu_buddy_block', 'drivers/gpu/buddy.c: gpu_buddy_module_init() (module_init, 597) KMEM_CACHE(gpu_buddy_block, 0)', struct('gpu_buddy_block'), [], { option: 'GPU_BUDDY' }),
  // net/ipv6/af_inet6.c inet6_init() (module_init, 635): the four protos, ip6_mr_init(), ip6_route_init() (ip6_dst_cache, then fib6_init()), ipv6_frag_init(), tcpv6_init() → mptcpv6_init(); no UDPLITEv6 in 7.2
  ...proto({ name: 'TCPv6', site: 'net/ipv6/af_inet6.c: inet6_init() (module_init, 635) proto_register(&tcpv6_prot, 1): sizeof(struct tcp6_sock), SLAB_TYPESAFE_BY_RCU, freeptr_offset (net/ipv6/tcp_ipv6.c); struct tcp6_request_sock and tcp6_timewait_sock each wrap the IPv4 struct alone (include/linux/ipv6.h), so their sizes are those;', obj: struct('tcp6_sock'), rcu: true, freeptrOffset: true, rsk: struct('tcp_request_sock'), twsk: struct('tcp_timewait_sock'), option: 'IPV6' }),
  ...proto({ name: 'UDPv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&udpv6_prot, 1): sizeof(struct udp6_sock);', obj: struct('udp6_sock'), option: 'IPV6' }),
  ...proto({ name: 'RAWv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&rawv6_prot, 1): sizeof(struct raw6_sock), usercopy raw6_sock.filter;', obj: struct('raw6_sock'), usercopy: true, option: 'IPV6' }),
  ...proto({ name: 'PINGv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&pingv6_prot, 1): sizeof(struct raw6_sock);', obj: struct('raw6_sock'), option: 'IPV6' }),
  post('mfc6_cache', 'net/ipv6/ip6mr.c: ip6_mr_init() (from inet6_init()) KMEM_CACHE(mfc6_cache, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT)', struct('mfc6_cache'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: ['IPV6', 'IPV6_MROUTE'] }),
  post('ip6_dst_cache', 'net/ipv6/route.c: ip6_route_init() (from inet6_init()) kmem_cache_create("ip6_dst_cache", sizeof(struct rt6_info), 0, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL)', struct('rt6_info'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'IPV6' }),
  post('fib6_node', 'net/ipv6/ip6_fib.c: fib6_init() (ip6_route_init()) KMEM_CACHE(fib6_node, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT)', struct('fib6_node'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'IPV6' }),
  post('ip6-frags', 'net/ipv6/reassembly.c: ipv6_frag_init() (from inet6_init()) → net/ipv4/inet_fragment.c inet_frags_init(&ip6_frags) kmem_cache_create("ip6-frags", sizeof(struct frag_queue), 0, 0, NULL)', struct('frag_queue'), [], { option: 'IPV6' }),
  post('request_sock_subflow_v6', 'net/ipv6/tcp_ipv6.c: tcpv6_init() (from inet6_init()) → net/mptcp/ctrl.c mptcpv6_init() → protocol.c mptcp_proto_v6_init() → subflow.c mptcp_subflow_v6_init() → subflow_ops_init() kmem_cache_create("request_sock_subflow_v6", sizeof(struct mptcp_subflow_request_sock), 0, SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU, NULL)', struct('mptcp_subflow_request_sock'), ['ACCOUNT', 'TYPESAFE_BY_RCU'], { option: ['IPV6', 'MPTCP_IPV6'] }),
  ...proto({ name: 'MPTCPv6', site: 'net/mptcp/protocol.c: mptcp_proto_v6_init() proto_register(&mptcp_v6_prot, 1): a copy of mptcp_prot (SLAB_TYPESAFE_BY_RCU) of sizeof(struct mptcp6_sock);', obj: mptcp6Sock, rcu: true, option: ['IPV6', 'MPTCP_IPV6'] }),
  // late_initcall: fs/ (crypto/ before verity/)
  post('fscrypt_inode_info', 'fs/crypto/crypto.c: fscrypt_init() (late_initcall, 738) KMEM_CACHE(fscrypt_inode_info, SLAB_RECLAIM_ACCOUNT)', struct('fscrypt_inode_info'), ['RECLAIM_ACCOUNT'], { option: 'FS_ENCRYPTION' }),
  post('fsverity_info', 'fs/verity/init.c: fsverity_init() (late_initcall, 739) → open.c fsverity_init_info_cache() KMEM_CACHE_USERCOPY(fsverity_info, SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, file_digest)', struct('fsverity_info'), ['RECLAIM_ACCOUNT'], { usercopy: true, option: 'FS_VERITY' }),
];
