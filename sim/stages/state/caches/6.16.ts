// The kmem_cache_create() calls of the Debian 6.16.12 amd64 build (6.16-amd64) that run before the probe
// reads /proc/slabinfo, in creation order: 6.17's (caches/6.17.ts) with the edits below.
//
// Source: no Debian suite serves a linux-source-6.16 and no public 6.16 tree could be fetched here, so this
// table is 6.17.0's read against the 6.16.12 image itself: its initcall table (772 entries, named by
// kallsyms as for 6.17) holds every init function of the 6.17 table's 'post' calls in the same order, and the
// 6.17.13 image's adds none that creates a cache (bts_init, balloon_init, the *_sysctl, crc/sha library and
// damon_stat_init calls); its BTF decides the two calls below, whose structs differ: no struct pidfs_attr but
// a struct pidfs_inode (648 bytes), and struct xsk_addr_node (24 bytes) but no xsk_addrs. Every other struct
// that sizes a call of the table is in the 6.16.12 BTF. What no image shows (a flag or a kmem_cache_args
// member that changed between 6.16.12 and 6.17.0) is 6.17.0's.
import type { CacheCall } from '../slab-create.ts';
import { CACHES_6_17 } from './6.17.ts';
import { struct } from './6.12-post.ts';
import { callNamed, editCalls, type CallEdit } from './edits.ts';

const FILE = 'caches/6.16.ts';

/** 6.17's calls changed to 6.16's. */
export const EDITS_6_16: readonly CallEdit[] = [
  // fs/pidfs.c pidfs_init() before pidfs_attr (upstream "pidfs: … pidfs_attr" replaced it, with pidfs_xattr_cache after it):
  // kmem_cache_create("pidfs_cache", sizeof(struct pidfs_inode), 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT | SLAB_PANIC, pidfs_inode_init_once)
  { replace: 'pidfs_attr_cache', by: [{ name: 'pidfs_cache', site: 'fs/pidfs.c: pidfs_init() kmem_cache_create("pidfs_cache", sizeof(struct pidfs_inode), 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT | SLAB_PANIC, pidfs_inode_init_once)', size: { struct: 'pidfs_inode' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], ctor: true, phase: 'boot' }] },
  { drop: 'pidfs_xattr_cache', why: 'pidfs xattrs came with pidfs_attr (no struct pidfs_attr in the 6.16.12 BTF)' },
  // net/xdp/xsk.c xsk_init() as in 6.17.0: sizeof(struct xsk_addr_node)
  { replace: 'xsk_generic_xmit_cache', by: [{ ...callNamed(CACHES_6_17, 'xsk_generic_xmit_cache', FILE), site: 'net/xdp/xsk.c: xsk_init() (fs_initcall) kmem_cache_create("xsk_generic_xmit_cache", sizeof(struct xsk_addr_node), 0, SLAB_HWCACHE_ALIGN, NULL)', size: struct('xsk_addr_node') }] },
];

export const CACHES_6_16: readonly CacheCall[] = editCalls(CACHES_6_17, EDITS_6_16, FILE);
