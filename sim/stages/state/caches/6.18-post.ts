// The slab caches the Debian 6.18 build (6.18.15+deb13-amd64) creates after page_alloc_init_late()'s
// late Memory: print and before the state probe reads /proc/slabinfo: 7.2's calls (caches/7.2-post.ts)
// with the edits below.
//
// Source: no Debian suite serves a linux-source-6.18 (trixie-backports, sid, trixie, bookworm-backports
// queried on 2026-12-02), so the tree read is the public GitHub snapshot leftymods/linux-6.18.y at
// 40a9e9f43d449b2211807f1ed30bd485aaff228e: upstream stable 6.18.35 (Makefile SUBLEVEL 35, 20 stable
// releases past the build's 6.18.15) with board-support commits on top (arm64 device trees, rtw88/rtl88x2cs
// Wi-Fi and Bluetooth drivers; none touches mm, kernel, fs, block, net, security, lib, ipc or io_uring).
// Without the Debian patches.
//
// How the edits were found: every kmem_cache_create() / kmem_cache_create_usercopy() / KMEM_CACHE() /
// KMEM_CACHE_USERCOPY() / kmem_buckets_create() / bioset_init() / proto_register() call of the 6.18.35 tree
// (whole statement, under mm, kernel, lib, fs, block, security, init, ipc, io_uring, net, crypto,
// arch/x86, drivers/{acpi,base,dax,dma,iommu,tty,char,virtio,pci}) diffed against the 7.2.13 tree's, each
// differing call of built-in code kept or dropped by the 6.18.15 image's initcall table (785 entries,
// named by its kallsyms in .init.data order as for 7.2: prel32 entries) and its config; then every
// initcall of 7.2's table checked present in 6.18.15's and in the same order (all are, but
// fs_bio_integrity_init and gpu_buddy_module_init, and userfaultfd_init, which 6.18 links from fs/, not
// mm/). The positions in the sites of POST_CALLS_7_2 are the 7.2 image's.
import type { CacheCall, SizeEnv } from '../slab-create.ts';
import { POST_CALLS_6_12, enabled, post, proto, skbExtSize, struct } from './6.12-post.ts';
import { POST_CALLS_7_2 } from './7.2-post.ts';
import { callNamed, editCalls, type CallEdit } from './edits.ts';

const FILE = 'caches/6.18-post.ts';

/** skbuff_ext_cache's size (net/core/skbuff.c 6.18.35 skb_ext_type_len[]): 6.12's extensions and psp_skb_ext with INET_PSP; no can_skb_ext (7.2's). */
const skbExtSize618 = (env: SizeEnv): number | undefined => skbExtSize(env, [[enabled(env, 'INET_PSP'), 'psp_skb_ext']]);

/** The 6.12 table's call named `name` (6.18.35 has 6.12.117's statement for it). */
const from612 = (name: string): CacheCall => callNamed(POST_CALLS_6_12, name, FILE);

/** 7.2's userfaultfd_ctx_cache call, which 6.18 makes from fs/. */
const userfaultfd = callNamed(POST_CALLS_7_2, 'userfaultfd_ctx_cache', FILE);

/** 7.2's post calls changed to 6.18.35's. */
export const EDITS_6_18: readonly CallEdit[] = [
  // fs/notify/fsnotify.c fsnotify_init(): KMEM_CACHE(fsnotify_mark_connector, SLAB_PANIC) itself; no inode mark connector (7.2 fs/notify/mark.c)
  { replace: 'fsnotify_mark_connector', by: [post('fsnotify_mark_connector', 'fs/notify/fsnotify.c: fsnotify_init() (core_initcall) KMEM_CACHE(fsnotify_mark_connector, SLAB_PANIC)', struct('fsnotify_mark_connector'), [], { option: 'FSNOTIFY' })] },
  { drop: 'fsnotify_inode_mark_connector', why: 'no struct fsnotify_inode_mark_connector in 6.18.35 (fs/notify/mark.c)' },
  { replace: 'skbuff_ext_cache', by: [post('skbuff_ext_cache', 'net/core/skbuff.c: skb_init() → skb_extensions_init() kmem_cache_create("skbuff_ext_cache", SKB_EXT_ALIGN_VALUE * skb_ext_total_length(), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', skbExtSize618, ['HWCACHE_ALIGN'], { option: ['NET', 'SKB_EXTENSIONS'] })] },
  { replace: 'sock_inode_cache', by: [post('sock_inode_cache', 'net/socket.c: sock_init() → init_inodecache() kmem_cache_create("sock_inode_cache", sizeof(struct socket_alloc), 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, init_once)', struct('socket_alloc'), ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], { ctor: true, option: 'NET' })] },
  { drop: 'bpf_fs_inode_cache', why: 'kernel/bpf/inode.c bpf_init() 6.18.35 creates no inode cache' },
  { drop: { name: 'bio-<iomap_ioend_split>', pick: () => true }, why: 'fs/iomap/ioend.c iomap_ioend_init() 6.18.35 makes iomap_ioend_bioset only' },
  { drop: 'fs_bio_integrity', why: 'no block/bio-integrity-fs.c in 6.18.35; no fs_bio_integrity_init in the 6.18.15 image' },
  // net/ipv4/af_inet.c inet_init(): 6.18.35's proto_register() is kmem_cache_create_usercopy(prot->name, prot->obj_size, 0, …, prot->useroffset, prot->usersize, NULL): no freeptr_offset (6.12's TCP)
  { replace: 'TCP', by: [from612('TCP')] },
  // udplite4_register() runs after tcp_init() (mptcp_init()) and udp_init(), before ip_mr_init() (inet_init() 6.18.35)
  { before: 'mfc_cache', add: proto({ name: 'UDP-Lite', site: 'net/ipv4/udplite.c: udplite4_register() (from inet_init()) proto_register(&udplite_prot, 1): sizeof(struct udp_sock);', obj: struct('udp_sock'), option: 'INET' }) },
  { replace: 'mfc_cache', by: [post('mfc_cache', 'net/ipv4/ipmr.c: ip_mr_init() (from inet_init()) KMEM_CACHE(mfc_cache, SLAB_HWCACHE_ALIGN | SLAB_PANIC)', struct('mfc_cache'), ['HWCACHE_ALIGN'], { option: ['INET', 'IP_MROUTE'] })] },
  // mm/zsmalloc.c 6.18.35: zs_init() makes no cache; zs_create_pool() makes a pool's "zs_handle-<name>" and "zspage-<name>", and no pool
  // exists at the read (zram is =m; zswap_setup() does not run with CONFIG_ZSWAP_DEFAULT_ON unset)
  { drop: 'zs_handle', why: 'per-pool in 6.18.35 (zs_create_pool())' },
  { drop: 'zspage', why: 'per-pool in 6.18.35 (zs_create_pool())' },
  // fs/userfaultfd.c userfaultfd_init() (6.18: fs/, so after fanotify_user_setup() and before aio_setup() in the 6.18.15 image)
  { drop: 'userfaultfd_ctx_cache', why: 'moved below: fs/userfaultfd.c, not mm/userfaultfd.c' },
  { after: 'fanotify_mnt_event', add: [{ ...userfaultfd, site: 'fs/userfaultfd.c: userfaultfd_init() (device_initcall) kmem_cache_create("userfaultfd_ctx_cache", sizeof(struct userfaultfd_ctx), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, init_once_userfaultfd_ctx)' }] },
  { drop: 'aio_inode_cache', why: 'fs/aio.c aio_setup() 6.18.35 creates no inode cache' },
  { drop: 'gpu_buddy_block', why: 'no drivers/gpu/buddy.c in 6.18.35; drivers/gpu/drm/drm_buddy.c is CONFIG_DRM_BUDDY=m' },
  { replace: 'TCPv6', by: [from612('TCPv6')] },
  // net/ipv6/af_inet6.c inet6_init() 6.18.35: tcpv6, udpv6, udplitev6, rawv6, pingv6
  { before: 'RAWv6', add: [from612('UDPLITEv6')] },
  { replace: 'mfc6_cache', by: [post('mfc6_cache', 'net/ipv6/ip6mr.c: ip6_mr_init() (from inet6_init()) KMEM_CACHE(mfc6_cache, SLAB_HWCACHE_ALIGN)', struct('mfc6_cache'), ['HWCACHE_ALIGN'], { option: ['IPV6', 'IPV6_MROUTE'] })] },
];

export const POST_CALLS_6_18: readonly CacheCall[] = editCalls(POST_CALLS_7_2, EDITS_6_18, FILE);
