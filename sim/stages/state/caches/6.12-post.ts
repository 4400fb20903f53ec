// The slab caches the Debian 6.12 build (6.12.115; read in the 6.12.117 tree) creates after
// page_alloc_init_late()'s late Memory: print and before the state probe reads /proc/slabinfo: every
// kmem_cache_create() / KMEM_CACHE() / kmem_cache_create_usercopy() / proto_register() /
// kmem_buckets_create() / bioset_init() call of built-in (=y) code that runs there, in creation order.
// The probe loads no module, so =m code never runs. The calls that fold into an earlier cache
// (find_mergeable()) are listed too: they make no slabinfo line but raise s->object_size.
//
// Order (it decides which call of a SLAB_MERGE_SAME class and slot size names the cache; the others
// alias it): buffer_init() first (mm/mm_init.c page_alloc_init_late(), right after
// mem_init_print_info()), then do_basic_setup() → do_initcalls() level by level (include/linux/init.h:
// core 1, postcore 2, arch 3, subsys 4, fs 5, device 6 (module_init and __initcall of built-in code),
// late 7), and within a level in link order: the top Kbuild's obj-y order (init, arch, kernel, mm, fs,
// ipc, security, crypto, block, io_uring, drivers, net, then lib/ as libs-y), each directory's Makefile
// (fs/Makefile: fcntl.o, direct-io.o, notify/, eventpoll.o, userfaultfd.o, aio.o, crypto/, verity/,
// locks.o, backing-file.o, iomap/, quota/, hugetlbfs/, fuse/, tracefs/; drivers/Makefile: dma/, iommu/,
// dax/; net/Makefile: core/, ipv4/, xfrm/, unix/, ipv6/; block/Makefile: bio.o, blk-ioc.o, genhd.o,
// fops.o), and inside one init function the order of its calls.
//
// Not listed (and why): the SELinux caches (avc_init(), hashtab/ebitmap/avtab): CONFIG_LSM lists
// apparmor before selinux and both are LSM_FLAG_EXCLUSIVE, so selinux_init() never runs
// (security/security.c ordered_lsm_init()); zswap_entry: zswap_init() returns before zswap_setup()
// without CONFIG_ZSWAP_DEFAULT_ON (mm/zswap.c); nf_conntrack, kvm_vcpu, the fs/nfs caches, the BFQ
// icq cache: =m; x86_lbr: only on a CPU with arch LBR (arch/x86/events/intel/lbr.c), which QEMU's
// models lack.
import { configOn, configValue } from '../../mm-inputs.ts';
import type { CacheCall, SizeEnv } from '../slab-create.ts';

export const struct = (name: string, plus?: number): CacheCall['size'] => (plus === undefined ? { struct: name } : { struct: name, plus });
export const bytes = (env: SizeEnv, name: string): number | undefined => env.ctx.kernel.facts.structs[name]?.bytes;
/** IS_ENABLED(): =y or =m. */
export const enabled = (env: SizeEnv, name: string): boolean => { const v = configValue(env.ctx, name).value; return v === 'y' || v === 'm'; };

/** include/linux/bio.h BIO_INLINE_VECS (6.12). */
const BIO_INLINE_VECS = 4;
/** include/linux/bvec.h BIO_MAX_VECS (6.12). */
const BIO_MAX_VECS = 256;
/** dma_addr_t on x86_64 (CONFIG_ARCH_DMA_ADDR_T_64BIT). */
const DMA_ADDR_T = 8;
const L1_CACHE_BYTES = 64;
const align = (x: number, a: number): number => Math.ceil(x / a) * a;

/**
 * SKB_SMALL_HEAD_CACHE_SIZE (net/core/skbuff.c 6.12): SKB_HEAD_ALIGN(max(MAX_TCP_HEADER,
 * GRO_MAX_HEAD_PAD)), plus L1_CACHE_BYTES if that is a power of two. MAX_TCP_HEADER =
 * L1_CACHE_ALIGN(128 + MAX_HEADER) (include/net/tcp.h); GRO_MAX_HEAD_PAD = GRO_MAX_HEAD (MAX_HEADER + 128,
 * include/net/gro.h) + NET_SKB_PAD (max(32, L1_CACHE_BYTES)) + NET_IP_ALIGN (0 on x86); MAX_HEADER =
 * LL_MAX_HEADER, + 48 if any of the IPIP/GRE/SIT/IPv6 tunnels is enabled; LL_MAX_HEADER 128 with
 * CONFIG_HYPERV_NET=y, else 128 with WLAN or AX25 and MAC80211_MESH, 96 with WLAN or AX25, else 32
 * (include/linux/netdevice.h); SKB_HEAD_ALIGN(X) = SKB_DATA_ALIGN(X) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)).
 */
export function skbSmallHeadCacheSize(env: SizeEnv): number | undefined {
  const shinfo = bytes(env, 'skb_shared_info');
  if (shinfo === undefined) return undefined;
  const wlan = configOn(env.ctx, 'WLAN') || enabled(env, 'AX25');
  const llMaxHeader = configOn(env.ctx, 'HYPERV_NET') ? 128 : wlan ? (configOn(env.ctx, 'MAC80211_MESH') ? 128 : 96) : 32;
  const tunnels = ['NET_IPIP', 'NET_IPGRE', 'IPV6_SIT', 'IPV6_TUNNEL'].some((o) => enabled(env, o));
  const maxHeader = llMaxHeader + (tunnels ? 48 : 0);
  const maxTcpHeader = align(128 + maxHeader, L1_CACHE_BYTES);
  const groMaxHeadPad = maxHeader + 128 + Math.max(32, L1_CACHE_BYTES) + 0;
  const head = align(Math.max(maxTcpHeader, groMaxHeadPad), L1_CACHE_BYTES) + align(shinfo, L1_CACHE_BYTES);
  return (head & (head - 1)) === 0 ? head + L1_CACHE_BYTES : head;
}

/**
 * skbuff_ext_cache's size (net/core/skbuff.c 6.12 skb_extensions_init()): SKB_EXT_ALIGN_VALUE (8) ×
 * skb_ext_total_length(), the SKB_EXT_CHUNKSIZEOF (8-byte chunks) of struct skb_ext plus those of each
 * extension skb_ext_type_len[] has: nf_bridge_info with BRIDGE_NETFILTER (=y or =m), sec_path with
 * XFRM, tc_skb_ext with NET_TC_SKB_EXT, mptcp_ext with MPTCP, mctp_flow with MCTP_FLOWS; `more`: a later
 * series' extensions after those (a struct name, or a size the source fixes), each with whether it is enabled.
 */
export function skbExtSize(env: SizeEnv, more: readonly (readonly [boolean, string | number])[] = []): number | undefined {
  const chunks = (s: string | number): number | undefined => { const b = typeof s === 'number' ? s : bytes(env, s); return b === undefined ? undefined : Math.ceil(b / 8); };
  const parts: readonly (readonly [boolean, string | number])[] = [
    [true, 'skb_ext'], [enabled(env, 'BRIDGE_NETFILTER'), 'nf_bridge_info'], [configOn(env.ctx, 'XFRM'), 'sec_path'],
    [enabled(env, 'NET_TC_SKB_EXT'), 'tc_skb_ext'], [enabled(env, 'MPTCP'), 'mptcp_ext'], [enabled(env, 'MCTP_FLOWS'), 'mctp_flow'],
    ...more,
  ];
  let total = 0;
  for (const [on, s] of parts) {
    if (!on) continue;
    const c = chunks(s);
    if (c === undefined) return undefined;
    total += c;
  }
  return 8 * total;
}

/** drivers/dma/dmaengine.c dmaengine_init_unmap_pool(): sizeof(struct dmaengine_unmap_data) + n dma_addr_t. */
export const unmapPool = (n: number): CacheCall => ({
  name: `dmaengine-unmap-${n}`,
  site: `drivers/dma/dmaengine.c: dma_bus_init() (arch_initcall) → dmaengine_init_unmap_pool() kmem_cache_create("dmaengine-unmap-${n}")`,
  size: (env) => { const d = bytes(env, 'dmaengine_unmap_data'); return d === undefined ? undefined : d + DMA_ADDR_T * n; },
  flags: ['HWCACHE_ALIGN'],
  option: n === 2 ? 'DMA_ENGINE' : ['DMA_ENGINE', 'DMA_ENGINE_RAID'],
  phase: 'post',
});

/** block/bio.c init_bio(): bvec_slabs[] "biovec-16", "-64", "-128", "-max" (BIO_MAX_VECS), nr_vecs × sizeof(struct bio_vec). */
export const biovec = (nr: number, label: string): CacheCall => ({
  name: `biovec-${label}`,
  site: `block/bio.c: init_bio() (subsys_initcall) kmem_cache_create(bvec_slabs[].name = "biovec-${label}", ${nr} * sizeof(struct bio_vec))`,
  size: (env) => { const v = bytes(env, 'bio_vec'); return v === undefined ? undefined : v * nr; },
  flags: ['HWCACHE_ALIGN'],
  option: 'BLOCK',
  phase: 'post',
});

/**
 * kmem_buckets_create() (mm/slab_common.c 6.12): one cache "<name>-<kmalloc size>" per KMALLOC_NORMAL
 * cache, in kmalloc_caches[] index order (96, 192, then 8 … 8k: include/linux/slab.h __kmalloc_index()),
 * of that cache's object_size, flags | SLAB_NO_MERGE. SLAB_NO_MERGE keeps each apart whatever its
 * usercopy region (memdup_user: the whole object; msg_msg: from sizeof(struct msg_msg) on, none where
 * that is past the object), so the region is marked only where it is the whole object. Without
 * CONFIG_SLAB_BUCKETS it creates nothing.
 */
export function buckets(prefix: string, site: string, flags: CacheCall['flags'], wholeObjectUsercopy: boolean): CacheCall[] {
  const sizes: readonly (readonly [number, string])[] = [[96, '96'], [192, '192'], [8, '8'], [16, '16'], [32, '32'], [64, '64'], [128, '128'], [256, '256'], [512, '512'], [1024, '1k'], [2048, '2k'], [4096, '4k'], [8192, '8k']];
  return sizes.map(([size, label]): CacheCall => ({
    name: `${prefix}-${label}`,
    site: `${site} → mm/slab_common.c kmem_buckets_create() kmem_cache_create_usercopy("${prefix}-${label}", ${size})`,
    size: { bytes: size },
    flags: [...flags, 'NO_MERGE'],
    ...(wholeObjectUsercopy ? { usercopy: true as const } : {}),
    option: 'SLAB_BUCKETS',
    phase: 'post',
  }));
}

/**
 * A bioset's slab (block/bio.c bioset_init() → bio_find_or_create_slab() → create_bio_slab()):
 * "bio-<size>" of front_pad + sizeof(struct bio) + back_pad (BIO_INLINE_VECS bio_vecs with
 * BIOSET_NEED_BVECS), align ARCH_KMALLOC_MINALIGN, SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU; one slab
 * per size. front_pad is offsetof(<container>, bio), the bio being the container's last member
 * ("the bio must be embedded at the END of that structure always"), so front_pad + sizeof(struct bio)
 * is sizeof(<container>) where the bio ends the struct without tail padding (checked: the bio's size is
 * a multiple of the container's alignment); fs_bio_set has no container (front_pad 0).
 */
export const bioSlab = (container: string | undefined, site: string, option: string | readonly string[]): CacheCall => {
  const size = (env: SizeEnv): number | undefined => {
    const bio = bytes(env, 'bio');
    const vec = bytes(env, 'bio_vec');
    if (bio === undefined || vec === undefined) return undefined;
    const front = container === undefined ? bio : bytes(env, container);
    return front === undefined ? undefined : front + BIO_INLINE_VECS * vec;
  };
  return { name: `bio-<${container ?? 'fs_bio_set'}>`, nameBySize: (objectSize) => `bio-${objectSize}`, site, size, align: 8, flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU'], option, phase: 'post' };
};

/**
 * proto_register(prot, 1) (net/core/sock.c 6.12): prot->name of prot->obj_size, SLAB_HWCACHE_ALIGN |
 * SLAB_ACCOUNT | prot->slab_flags with prot's usercopy region; then req_prot_init(): "request_sock_<name>"
 * of rsk_prot->obj_size, SLAB_ACCOUNT | prot->slab_flags; then tw_prot_init(): "tw_sock_<name>" of
 * twsk_obj_size, the same flags. `freeptrOffset`: prot->freeptr_offset set (7.2 tcp_prot, tcpv6_prot: kmem_cache_args
 * use_freeptr_offset).
 */
export function proto(p: { name: string; site: string; obj: CacheCall['size']; rcu?: true; usercopy?: true; freeptrOffset?: true; rsk?: CacheCall['size']; twsk?: CacheCall['size']; option: string | readonly string[] }): CacheCall[] {
  const rcu: CacheCall['flags'] = p.rcu ? ['TYPESAFE_BY_RCU'] : [];
  const site = `${p.site} proto_register() (net/core/sock.c)`;
  return [
    { name: p.name, site, size: p.obj, flags: ['HWCACHE_ALIGN', 'ACCOUNT', ...rcu], ...(p.usercopy ? { usercopy: true as const } : {}), ...(p.freeptrOffset ? { freeptrOffset: true as const } : {}), option: p.option, phase: 'post' },
    ...(p.rsk ? [{ name: `request_sock_${p.name}`, site: `${site} → req_prot_init()`, size: p.rsk, flags: ['ACCOUNT', ...rcu] as CacheCall['flags'], option: p.option, phase: 'post' as const }] : []),
    ...(p.twsk ? [{ name: `tw_sock_${p.name}`, site: `${site} → tw_prot_init()`, size: p.twsk, flags: ['ACCOUNT', ...rcu] as CacheCall['flags'], option: p.option, phase: 'post' as const }] : []),
  ];
}

/** struct mptcp6_sock { struct mptcp_sock msk; struct ipv6_pinfo np; } (net/mptcp/protocol.c 6.12; not in the BTF: only its sizeof is used). */
export const mptcp6Sock = (env: SizeEnv): number | undefined => {
  const msk = bytes(env, 'mptcp_sock');
  const np = bytes(env, 'ipv6_pinfo');
  return msk === undefined || np === undefined ? undefined : align(msk + np, 8);
};

export const post = (name: string, site: string, size: CacheCall['size'], flags: CacheCall['flags'], more: Partial<Pick<CacheCall, 'align' | 'ctor' | 'usercopy' | 'freeptrOffset' | 'option' | 'when'>> = {}): CacheCall => ({ name, site, size, flags, ...more, phase: 'post' });

/** The 6.12 'post' calls in creation order (see the head of this file for how the order was established). */
export const POST_CALLS_6_12: readonly CacheCall[] = [
  // mm/mm_init.c page_alloc_init_late(): mem_init_print_info(), then buffer_init()
  post('buffer_head', 'fs/buffer.c: buffer_init() KMEM_CACHE(buffer_head, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC)', struct('buffer_head'), ['RECLAIM_ACCOUNT']),
  // core_initcall: fs/ (notify/ before locks.o before tracefs/), then net/ (socket.o)
  post('fsnotify_mark_connector', 'fs/notify/fsnotify.c: fsnotify_init() (core_initcall) KMEM_CACHE(fsnotify_mark_connector, SLAB_PANIC)', struct('fsnotify_mark_connector'), [], { option: 'FSNOTIFY' }),
  post('file_lock_ctx', 'fs/locks.c: filelock_init() (core_initcall) kmem_cache_create("file_lock_ctx", SLAB_PANIC)', struct('file_lock_context'), [], { option: 'FILE_LOCKING' }),
  post('file_lock_cache', 'fs/locks.c: filelock_init() kmem_cache_create("file_lock_cache", SLAB_PANIC)', struct('file_lock'), [], { option: 'FILE_LOCKING' }),
  post('file_lease_cache', 'fs/locks.c: filelock_init() kmem_cache_create("file_lease_cache", SLAB_PANIC)', struct('file_lease'), [], { option: 'FILE_LOCKING' }),
  post('tracefs_inode_cache', 'fs/tracefs/inode.c: tracefs_init() (core_initcall) kmem_cache_create("tracefs_inode_cache", SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT, init_once)', struct('tracefs_inode'), ['RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'TRACING' }),
  post('skbuff_head_cache', 'net/socket.c: sock_init() (core_initcall) → net/core/skbuff.c skb_init() kmem_cache_create_usercopy("skbuff_head_cache", SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_NO_MERGE, cb)', struct('sk_buff'), ['HWCACHE_ALIGN', 'NO_MERGE'], { usercopy: true, option: 'NET' }),
  post('skbuff_fclone_cache', 'net/core/skbuff.c: skb_init() kmem_cache_create("skbuff_fclone_cache", SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('sk_buff_fclones'), ['HWCACHE_ALIGN'], { option: 'NET' }),
  post('skbuff_small_head', 'net/core/skbuff.c: skb_init() kmem_cache_create_usercopy("skbuff_small_head", SKB_SMALL_HEAD_CACHE_SIZE, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', skbSmallHeadCacheSize, ['HWCACHE_ALIGN'], { usercopy: true, option: 'NET' }),
  post('skbuff_ext_cache', 'net/core/skbuff.c: skb_init() → skb_extensions_init() kmem_cache_create("skbuff_ext_cache", SKB_EXT_ALIGN_VALUE * skb_ext_total_length(), SLAB_HWCACHE_ALIGN|SLAB_PANIC)', skbExtSize, ['HWCACHE_ALIGN'], { option: ['NET', 'SKB_EXTENSIONS'] }),
  post('sock_inode_cache', 'net/socket.c: sock_init() → init_inodecache() kmem_cache_create("sock_inode_cache", SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT, init_once)', struct('socket_alloc'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'NET' }),
  // postcore_initcall: kernel/audit.c
  post('audit_buffer', 'kernel/audit.c: audit_init() (postcore_initcall) KMEM_CACHE(audit_buffer, SLAB_PANIC)', struct('audit_buffer'), [], { option: 'AUDIT' }),
  // arch_initcall: drivers/dma/ before drivers/iommu/
  unmapPool(2), unmapPool(16), unmapPool(128), unmapPool(256),
  post('iommu_iova', 'drivers/iommu/dma-iommu.c: iommu_dma_init() (arch_initcall) → drivers/iommu/iova.c iova_cache_get() kmem_cache_create("iommu_iova", SLAB_HWCACHE_ALIGN)', struct('iova'), ['HWCACHE_ALIGN'], { option: 'IOMMU_DMA' }),
  post('iommu_iova_magazine', 'drivers/iommu/iova.c: iova_cache_get() kmem_cache_create("iommu_iova_magazine", SLAB_HWCACHE_ALIGN)', struct('iova_magazine'), ['HWCACHE_ALIGN'], { option: 'IOMMU_DMA' }),
  // subsys_initcall: kernel/ (user.o before user_namespace.o), mm/ (util.o before huge_memory.o before damon/), ipc/, block/ (bio.o, blk-ioc.o, genhd.o), drivers/dax/, lib/ (libs-y, last)
  post('uid_cache', 'kernel/user.c: uid_cache_init() (subsys_initcall) kmem_cache_create("uid_cache", SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('user_struct'), ['HWCACHE_ALIGN']),
  post('user_namespace', 'kernel/user_namespace.c: user_namespaces_init() (subsys_initcall) KMEM_CACHE(user_namespace, SLAB_PANIC|SLAB_ACCOUNT)', struct('user_namespace'), ['ACCOUNT'], { option: 'USER_NS' }),
  ...buckets('memdup_user', 'mm/util.c: init_user_buckets() (subsys_initcall) kmem_buckets_create("memdup_user", 0, 0, INT_MAX)', [], true),
  ...(['ksm_rmap_item', 'ksm_stable_node', 'ksm_mm_slot'] as const).map((s) => post(s, `mm/ksm.c: ksm_init() (subsys_initcall) → ksm_slab_init() KMEM_CACHE(${s}, 0)`, struct(s), [], { option: 'KSM' })),
  post('khugepaged_mm_slot', 'mm/huge_memory.c: hugepage_init() (subsys_initcall) → mm/khugepaged.c khugepaged_init() KMEM_CACHE(khugepaged_mm_slot, 0)', struct('khugepaged_mm_slot'), [], { option: 'TRANSPARENT_HUGEPAGE' }),
  post('damon_region', 'mm/damon/core.c: damon_init() (subsys_initcall) KMEM_CACHE(damon_region, 0)', struct('damon_region'), [], { option: 'DAMON' }),
  ...buckets('msg_msg', 'ipc/msgutil.c: init_msg_buckets() (subsys_initcall) kmem_buckets_create("msg_msg", SLAB_ACCOUNT, sizeof(struct msg_msg), DATALEN_MSG)', ['ACCOUNT'], false),
  post('bio_integrity_payload', 'block/bio.c: init_bio() (subsys_initcall) → block/bio-integrity.c bio_integrity_init() kmem_cache_create("bio_integrity_payload", sizeof(struct bio_integrity_payload) + BIO_INLINE_VECS bio_vecs, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', (env) => { const b = bytes(env, 'bio_integrity_payload'); const v = bytes(env, 'bio_vec'); return b === undefined || v === undefined ? undefined : b + BIO_INLINE_VECS * v; }, ['HWCACHE_ALIGN'], { option: ['BLOCK', 'BLK_DEV_INTEGRITY'] }),
  biovec(16, '16'), biovec(64, '64'), biovec(128, '128'), biovec(BIO_MAX_VECS, 'max'),
  bioSlab(undefined, 'block/bio.c: init_bio() bioset_init(&fs_bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS | BIOSET_PERCPU_CACHE)', 'BLOCK'),
  post('blkdev_ioc', 'block/blk-ioc.c: blk_ioc_init() (subsys_initcall) kmem_cache_create("blkdev_ioc", SLAB_PANIC)', struct('io_context'), [], { option: 'BLOCK' }),
  post('request_queue', 'block/genhd.c: genhd_device_init() (subsys_initcall) → block/blk-core.c blk_dev_init() KMEM_CACHE(request_queue, SLAB_PANIC)', struct('request_queue'), [], { option: 'BLOCK' }),
  post('dax_cache', 'drivers/dax/super.c: dax_core_init() (subsys_initcall) → dax_fs_init() kmem_cache_create("dax_cache", SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT, init_once)', struct('dax_device'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'DAX' }),
  // lib/sg_pool.c sg_pool_init(): "sgpool-<n>" of n scatterlists for SG_CHUNK_SIZE 128 down from 8 (SG_MEMPOOL_NR)
  ...[8, 16, 32, 64, 128].map((n) => post(`sgpool-${n}`, `lib/sg_pool.c: sg_pool_init() (subsys_initcall; lib/ is linked last) kmem_cache_create("sgpool-${n}", ${n} * sizeof(struct scatterlist), SLAB_HWCACHE_ALIGN)`, (env) => { const s = bytes(env, 'scatterlist'); return s === undefined ? undefined : n * s; }, ['HWCACHE_ALIGN'], { option: 'SG_POOL' })),
  // fs_initcall: fs/ (notify/inotify, eventpoll.o, backing-file.o, iomap/, quota/, hugetlbfs/), then net/ (ipv4/ before unix/)
  post('inotify_inode_mark', 'fs/notify/inotify/inotify_user.c: inotify_user_setup() (fs_initcall) KMEM_CACHE(inotify_inode_mark, SLAB_PANIC|SLAB_ACCOUNT)', struct('inotify_inode_mark'), ['ACCOUNT'], { option: 'INOTIFY_USER' }),
  post('eventpoll_epi', 'fs/eventpoll.c: eventpoll_init() (fs_initcall) kmem_cache_create("eventpoll_epi", SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT)', struct('epitem'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'EPOLL' }),
  post('eventpoll_pwq', 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("eventpoll_pwq", SLAB_PANIC|SLAB_ACCOUNT)', struct('eppoll_entry'), ['ACCOUNT'], { option: 'EPOLL' }),
  post('ep_head', 'fs/eventpoll.c: eventpoll_init() kmem_cache_create("ep_head", SLAB_PANIC|SLAB_ACCOUNT)', struct('epitems_head'), ['ACCOUNT'], { option: 'EPOLL' }),
  post('backing_aio', 'fs/backing-file.c: backing_aio_init() (fs_initcall) KMEM_CACHE(backing_aio, SLAB_HWCACHE_ALIGN)', struct('backing_aio'), ['HWCACHE_ALIGN'], { option: 'FS_STACK' }),
  bioSlab('iomap_ioend', 'fs/iomap/buffered-io.c: iomap_buffered_init() (fs_initcall) bioset_init(&iomap_ioend_bioset, offsetof(struct iomap_ioend, io_bio), BIOSET_NEED_BVECS)', 'BLOCK'),
  post('dquot', 'fs/quota/dquot.c: dquot_init() (fs_initcall) kmem_cache_create("dquot", align sizeof(unsigned long) * 4, SLAB_HWCACHE_ALIGN|SLAB_RECLAIM_ACCOUNT|SLAB_PANIC)', struct('dquot'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT'], { align: 32, option: 'QUOTA' }),
  post('hugetlbfs_inode_cache', 'fs/hugetlbfs/inode.c: init_hugetlbfs_fs() (fs_initcall) kmem_cache_create("hugetlbfs_inode_cache", SLAB_ACCOUNT, init_once)', struct('hugetlbfs_inode_info'), ['ACCOUNT'], { ctor: true, option: 'HUGETLBFS' }),
  // net/ipv4/af_inet.c inet_init(): the four protos, then ip_init() → ip_rt_init() (rtable, ip_fib_init() → fib_trie_init(), xfrm_init() → xfrm_net_init(): xfrm_state_init(), xfrm_policy_init()) and inet_initpeers(), tcp_init() (the bind buckets, then mptcp_init()), udplite4_register(), ip_mr_init(), ipfrag_init()
  ...proto({ name: 'TCP', site: 'net/ipv4/af_inet.c: inet_init() (fs_initcall) proto_register(&tcp_prot, 1): sizeof(struct tcp_sock), SLAB_TYPESAFE_BY_RCU;', obj: struct('tcp_sock'), rcu: true, rsk: struct('tcp_request_sock'), twsk: struct('tcp_timewait_sock'), option: 'INET' }),
  ...proto({ name: 'UDP', site: 'net/ipv4/af_inet.c: inet_init() proto_register(&udp_prot, 1): sizeof(struct udp_sock);', obj: struct('udp_sock'), option: 'INET' }),
  ...proto({ name: 'RAW', site: 'net/ipv4/af_inet.c: inet_init() proto_register(&raw_prot, 1): sizeof(struct raw_sock), usercopy raw_sock.filter;', obj: struct('raw_sock'), usercopy: true, option: 'INET' }),
  ...proto({ name: 'PING', site: 'net/ipv4/af_inet.c: inet_init() proto_register(&ping_prot, 1): sizeof(struct inet_sock);', obj: struct('inet_sock'), option: 'INET' }),
  post('rtable', 'net/ipv4/route.c: ip_rt_init() (from inet_init() → ip_init()) KMEM_CACHE(rtable, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('rtable'), ['HWCACHE_ALIGN'], { option: 'INET' }),
  post('ip_fib_alias', 'net/ipv4/fib_trie.c: fib_trie_init() (ip_rt_init() → ip_fib_init()) kmem_cache_create("ip_fib_alias", SLAB_PANIC|SLAB_ACCOUNT)', struct('fib_alias'), ['ACCOUNT'], { option: 'INET' }),
  // LEAF_SIZE = TNODE_SIZE(1) = offsetof(struct tnode, kv[0].tnode[1]): struct tnode ends in kv[1], a struct key_vector whose last member is the one-pointer union of leaf and tnode[], so the offset is sizeof(struct tnode)
  post('ip_fib_trie', 'net/ipv4/fib_trie.c: fib_trie_init() kmem_cache_create("ip_fib_trie", LEAF_SIZE, SLAB_PANIC|SLAB_ACCOUNT)', struct('tnode'), ['ACCOUNT'], { option: 'INET' }),
  post('xfrm_state', 'net/xfrm/xfrm_state.c: xfrm_state_init(&init_net) (ip_rt_init() → xfrm_init() → register_pernet_subsys(&xfrm_net_ops) → xfrm_net_init()) KMEM_CACHE(xfrm_state, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('xfrm_state'), ['HWCACHE_ALIGN'], { option: ['INET', 'XFRM'] }),
  post('xfrm_dst', 'net/xfrm/xfrm_policy.c: xfrm_policy_init(&init_net) (xfrm_net_init(), after xfrm_state_init()) KMEM_CACHE(xfrm_dst, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('xfrm_dst'), ['HWCACHE_ALIGN'], { option: ['INET', 'XFRM'] }),
  post('inet_peer', 'net/ipv4/inetpeer.c: inet_initpeers() (inet_init() → ip_init(), after ip_rt_init()) KMEM_CACHE(inet_peer, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('inet_peer'), ['HWCACHE_ALIGN'], { option: 'INET' }),
  post('tcp_bind_bucket', 'net/ipv4/tcp.c: tcp_init() (from inet_init()) kmem_cache_create("tcp_bind_bucket", SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT)', struct('inet_bind_bucket'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'INET' }),
  post('tcp_bind2_bucket', 'net/ipv4/tcp.c: tcp_init() kmem_cache_create("tcp_bind2_bucket", SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT)', struct('inet_bind2_bucket'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'INET' }),
  post('request_sock_subflow_v4', 'net/ipv4/tcp.c: tcp_init() → net/mptcp/ctrl.c mptcp_init() → protocol.c mptcp_proto_init() → subflow.c mptcp_subflow_init() → subflow_ops_init() kmem_cache_create("request_sock_subflow_v4", SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU)', struct('mptcp_subflow_request_sock'), ['ACCOUNT', 'TYPESAFE_BY_RCU'], { option: ['INET', 'MPTCP'] }),
  ...proto({ name: 'MPTCP', site: 'net/mptcp/protocol.c: mptcp_proto_init() proto_register(&mptcp_prot, 1): sizeof(struct mptcp_sock), SLAB_TYPESAFE_BY_RCU;', obj: struct('mptcp_sock'), rcu: true, option: ['INET', 'MPTCP'] }),
  ...proto({ name: 'UDP-Lite', site: 'net/ipv4/udplite.c: udplite4_register() (from inet_init()) proto_register(&udplite_prot, 1): sizeof(struct udp_sock);', obj: struct('udp_sock'), option: 'INET' }),
  post('mfc_cache', 'net/ipv4/ipmr.c: ip_mr_init() (from inet_init()) KMEM_CACHE(mfc_cache, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT)', struct('mfc_cache'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: ['INET', 'IP_MROUTE'] }),
  post('ip4-frags', 'net/ipv4/ip_fragment.c: ipfrag_init() (from inet_init()) → net/ipv4/inet_fragment.c inet_frags_init(&ip4_frags) kmem_cache_create("ip4-frags", sizeof(struct ipq), 0)', struct('ipq'), [], { option: 'INET' }),
  ...proto({ name: 'UNIX', site: 'net/unix/af_unix.c: af_unix_init() (fs_initcall) proto_register(&unix_dgram_proto, 1): sizeof(struct unix_sock);', obj: struct('unix_sock'), option: 'UNIX' }),
  ...proto({ name: 'UNIX-STREAM', site: 'net/unix/af_unix.c: af_unix_init() proto_register(&unix_stream_proto, 1): sizeof(struct unix_sock);', obj: struct('unix_sock'), option: 'UNIX' }),
  // device_initcall (module_init / __initcall of built-in code): kernel/ (time/posix-timers, pid_namespace, audit_tree), fs/ (fcntl.o, direct-io.o, notify/, userfaultfd.o, aio.o, fuse/), ipc/, block/ (fops.o), io_uring/, net/ipv6/, lib/
  post('posix_timers_cache', 'kernel/time/posix-timers.c: init_posix_timers() (__initcall) kmem_cache_create("posix_timers_cache", SLAB_PANIC|SLAB_ACCOUNT)', struct('k_itimer'), ['ACCOUNT'], { option: 'POSIX_TIMERS' }),
  post('pid_namespace', 'kernel/pid_namespace.c: pid_namespaces_init() (__initcall) KMEM_CACHE(pid_namespace, SLAB_PANIC|SLAB_ACCOUNT)', struct('pid_namespace'), ['ACCOUNT'], { option: 'PID_NS' }),
  post('audit_tree_mark', 'kernel/audit_tree.c: audit_tree_init() (__initcall) KMEM_CACHE(audit_tree_mark, SLAB_PANIC)', struct('audit_tree_mark'), [], { option: 'AUDITSYSCALL' }),
  post('fasync_cache', 'fs/fcntl.c: fcntl_init() (module_init) kmem_cache_create("fasync_cache", SLAB_PANIC|SLAB_ACCOUNT)', struct('fasync_struct'), ['ACCOUNT']),
  post('dio', 'fs/direct-io.c: dio_init() (module_init) KMEM_CACHE(dio, SLAB_PANIC)', struct('dio'), [], { option: 'LEGACY_DIRECT_IO' }),
  post('dnotify_struct', 'fs/notify/dnotify/dnotify.c: dnotify_init() (module_init) KMEM_CACHE(dnotify_struct, SLAB_PANIC|SLAB_ACCOUNT)', struct('dnotify_struct'), ['ACCOUNT'], { option: 'DNOTIFY' }),
  post('dnotify_mark', 'fs/notify/dnotify/dnotify.c: dnotify_init() KMEM_CACHE(dnotify_mark, SLAB_PANIC|SLAB_ACCOUNT)', struct('dnotify_mark'), ['ACCOUNT'], { option: 'DNOTIFY' }),
  post('fanotify_mark', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() (device_initcall) KMEM_CACHE(fanotify_mark, SLAB_PANIC|SLAB_ACCOUNT)', struct('fanotify_mark'), ['ACCOUNT'], { option: 'FANOTIFY' }),
  post('fanotify_fid_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_fid_event, SLAB_PANIC)', struct('fanotify_fid_event'), [], { option: 'FANOTIFY' }),
  post('fanotify_path_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_path_event, SLAB_PANIC)', struct('fanotify_path_event'), [], { option: 'FANOTIFY' }),
  post('fanotify_perm_event', 'fs/notify/fanotify/fanotify_user.c: fanotify_user_setup() KMEM_CACHE(fanotify_perm_event, SLAB_PANIC) (CONFIG_FANOTIFY_ACCESS_PERMISSIONS)', struct('fanotify_perm_event'), [], { option: ['FANOTIFY', 'FANOTIFY_ACCESS_PERMISSIONS'] }),
  post('userfaultfd_ctx_cache', 'fs/userfaultfd.c: userfaultfd_init() (__initcall) kmem_cache_create("userfaultfd_ctx_cache", SLAB_HWCACHE_ALIGN|SLAB_PANIC, init_once_userfaultfd_ctx)', struct('userfaultfd_ctx'), ['HWCACHE_ALIGN'], { ctor: true, option: 'USERFAULTFD' }),
  post('aio_kiocb', 'fs/aio.c: aio_setup() (__initcall) KMEM_CACHE(aio_kiocb, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('aio_kiocb'), ['HWCACHE_ALIGN'], { option: 'AIO' }),
  post('kioctx', 'fs/aio.c: aio_setup() KMEM_CACHE(kioctx, SLAB_HWCACHE_ALIGN|SLAB_PANIC)', struct('kioctx'), ['HWCACHE_ALIGN'], { option: 'AIO' }),
  post('fuse_inode', 'fs/fuse/inode.c: fuse_init() (module_init) → fuse_fs_init() kmem_cache_create("fuse_inode", SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT|SLAB_RECLAIM_ACCOUNT, fuse_inode_init_once)', struct('fuse_inode'), ['HWCACHE_ALIGN', 'ACCOUNT', 'RECLAIM_ACCOUNT'], { ctor: true, option: 'FUSE_FS' }),
  post('fuse_request', 'fs/fuse/inode.c: fuse_init() → fs/fuse/dev.c fuse_dev_init() kmem_cache_create("fuse_request", 0)', struct('fuse_req'), [], { option: 'FUSE_FS' }),
  post('mqueue_inode_cache', 'ipc/mqueue.c: init_mqueue_fs() (device_initcall) kmem_cache_create("mqueue_inode_cache", SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT, init_once)', struct('mqueue_inode_info'), ['HWCACHE_ALIGN', 'ACCOUNT'], { ctor: true, option: 'POSIX_MQUEUE' }),
  bioSlab('blkdev_dio', 'block/fops.c: blkdev_init() (module_init) bioset_init(&blkdev_dio_pool, offsetof(struct blkdev_dio, bio), BIOSET_NEED_BVECS|BIOSET_PERCPU_CACHE)', 'BLOCK'),
  post('io_kiocb', 'io_uring/io_uring.c: io_uring_init() (__initcall) kmem_cache_create("io_kiocb", &kmem_args (usercopy cmd.data), SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU)', struct('io_kiocb'), ['HWCACHE_ALIGN', 'ACCOUNT', 'TYPESAFE_BY_RCU'], { usercopy: true, option: 'IO_URING' }),
  // net/ipv6/af_inet6.c inet6_init() (module_init): the five protos, ip6_mr_init(), ip6_route_init() (ip6_dst_cache, then fib6_init()), ipv6_frag_init(), tcpv6_init() → mptcpv6_init()
  ...proto({ name: 'TCPv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&tcpv6_prot, 1): sizeof(struct tcp6_sock), SLAB_TYPESAFE_BY_RCU; tcp6_request_sock and tcp6_timewait_sock wrap the IPv4 structs (include/linux/ipv6.h);', obj: struct('tcp6_sock'), rcu: true, rsk: struct('tcp_request_sock'), twsk: struct('tcp_timewait_sock'), option: 'IPV6' }),
  ...proto({ name: 'UDPv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&udpv6_prot, 1): sizeof(struct udp6_sock);', obj: struct('udp6_sock'), option: 'IPV6' }),
  ...proto({ name: 'UDPLITEv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&udplitev6_prot, 1): sizeof(struct udp6_sock);', obj: struct('udp6_sock'), option: 'IPV6' }),
  ...proto({ name: 'RAWv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&rawv6_prot, 1): sizeof(struct raw6_sock), usercopy raw6_sock.filter;', obj: struct('raw6_sock'), usercopy: true, option: 'IPV6' }),
  ...proto({ name: 'PINGv6', site: 'net/ipv6/af_inet6.c: inet6_init() proto_register(&pingv6_prot, 1): sizeof(struct raw6_sock);', obj: struct('raw6_sock'), option: 'IPV6' }),
  post('mfc6_cache', 'net/ipv6/ip6mr.c: ip6_mr_init() (from inet6_init()) KMEM_CACHE(mfc6_cache, SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT)', struct('mfc6_cache'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: ['IPV6', 'IPV6_MROUTE'] }),
  post('ip6_dst_cache', 'net/ipv6/route.c: ip6_route_init() (from inet6_init()) kmem_cache_create("ip6_dst_cache", SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT)', struct('rt6_info'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'IPV6' }),
  post('fib6_node', 'net/ipv6/ip6_fib.c: fib6_init() (ip6_route_init()) KMEM_CACHE(fib6_node, SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT)', struct('fib6_node'), ['HWCACHE_ALIGN', 'ACCOUNT'], { option: 'IPV6' }),
  post('ip6-frags', 'net/ipv6/reassembly.c: ipv6_frag_init() (from inet6_init()) → net/ipv4/inet_fragment.c inet_frags_init(&ip6_frags) kmem_cache_create("ip6-frags", sizeof(struct frag_queue), 0)', struct('frag_queue'), [], { option: 'IPV6' }),
  post('request_sock_subflow_v6', 'net/ipv6/tcp_ipv6.c: tcpv6_init() (from inet6_init()) → net/mptcp/ctrl.c mptcpv6_init() → protocol.c mptcp_proto_v6_init() → subflow.c mptcp_subflow_v6_init() → subflow_ops_init() kmem_cache_create("request_sock_subflow_v6", SLAB_ACCOUNT|SLAB_TYPESAFE_BY_RCU)', struct('mptcp_subflow_request_sock'), ['ACCOUNT', 'TYPESAFE_BY_RCU'], { option: ['IPV6', 'MPTCP_IPV6'] }),
  ...proto({ name: 'MPTCPv6', site: 'net/mptcp/protocol.c: mptcp_proto_v6_init() proto_register(&mptcp_v6_prot, 1): a copy of mptcp_prot (SLAB_TYPESAFE_BY_RCU) of sizeof(struct mptcp6_sock);', obj: mptcp6Sock, rcu: true, option: ['IPV6', 'MPTCP_IPV6'] }),
  post('btree_node', 'lib/btree.c: btree_module_init() (module_init; lib/ is linked last) kmem_cache_create("btree_node", NODESIZE = MAX(L1_CACHE_BYTES, 128), SLAB_HWCACHE_ALIGN)', { bytes: Math.max(L1_CACHE_BYTES, 128) }, ['HWCACHE_ALIGN'], { option: 'BTREE' }),
  // late_initcall: fs/ (crypto/ before verity/)
  post('fscrypt_inode_info', 'fs/crypto/crypto.c: fscrypt_init() (late_initcall) KMEM_CACHE(fscrypt_inode_info, SLAB_RECLAIM_ACCOUNT)', struct('fscrypt_inode_info'), ['RECLAIM_ACCOUNT'], { option: 'FS_ENCRYPTION' }),
  post('fsverity_info', 'fs/verity/init.c: fsverity_init() (late_initcall) → open.c fsverity_init_info_cache() KMEM_CACHE_USERCOPY(fsverity_info, SLAB_RECLAIM_ACCOUNT|SLAB_PANIC, file_digest)', struct('fsverity_info'), ['RECLAIM_ACCOUNT'], { usercopy: true, option: 'FS_VERITY' }),
];
