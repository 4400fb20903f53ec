// The kmem_cache_create() calls of the Debian 6.18.15 amd64 build (6.18-amd64) that run before the probe
// reads /proc/slabinfo, in creation order. 'boot': 7.2's (caches/7.2.ts) with the edits below, read in the
// 6.18.35 tree (caches/6.18-post.ts says which tree and how close it is): start_kernel() and mm_core_init()
// call in 7.2.13's order (init/main.c, mm/mm_init.c 6.18.35: the same calls, less mm_core_init_early() and
// vdso_setup_data_pages(), which create no cache); 'post': caches/6.18-post.ts.
import type { CacheCall } from '../slab-create.ts';
import { CACHES_6_12 } from './6.12.ts';
import { CACHES_7_2 } from './7.2.ts';
import { POST_CALLS_6_18 } from './6.18-post.ts';
import { callNamed, editCalls, type CallEdit } from './edits.ts';

const FILE = 'caches/6.18.ts';

/** 7.2's boot calls changed to 6.18.35's. */
export const BOOT_EDITS_6_18: readonly CallEdit[] = [
  // lib/maple_tree.c maple_tree_init() 6.18.35: &args { .align = sizeof(struct maple_node), .sheaf_capacity = 32 }; 6.18 sets no
  // SLAB_NO_MERGE for it, but __kmem_cache_create_args() skips __kmem_cache_alias() when args->sheaf_capacity is set and
  // slab_unmergeable() refuses a cache with s->cpu_sheaves (mm/slab_common.c 6.18.35): neither merges, as with NO_MERGE
  { replace: 'maple_node', by: [{ ...callNamed(CACHES_7_2, 'maple_node', FILE), site: 'lib/maple_tree.c: maple_tree_init() kmem_cache_create("maple_node", sizeof(struct maple_node), &args { .align = sizeof(struct maple_node), .sheaf_capacity = 32 }, SLAB_PANIC): no alias with a sheaf_capacity, and slab_unmergeable() with cpu_sheaves (mm/slab_common.c 6.18)' }] },
  { replace: 'vm_area_struct', by: [{ ...callNamed(CACHES_7_2, 'vm_area_struct', FILE), site: 'kernel/fork.c: proc_caches_init() → mm/vma_init.c vma_state_init() kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), &args { .use_freeptr_offset, .sheaf_capacity = 32 }, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_TYPESAFE_BY_RCU|SLAB_ACCOUNT): unmergeable (TYPESAFE_BY_RCU; cpu_sheaves)' }] },
  { drop: 'task_exec_state', why: 'no kernel/exec_state.c in 6.18.35' },
  { replace: 'key_jar', by: [{ ...callNamed(CACHES_7_2, 'key_jar', FILE), site: 'security/keys/key.c: key_init() kmem_cache_create("key_jar", sizeof(struct key), 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, NULL)', flags: ['HWCACHE_ALIGN'] }] },
  // security/security.c security_init() → ordered_lsm_init() 6.18.35: 6.12's walk and blobs (caches/lsm-blobs.ts LSMS_6_12), no lsm_backing_file_cache
  { replace: 'lsm_file_cache', by: [{ ...callNamed(CACHES_6_12, 'lsm_file_cache', FILE), site: 'security/security.c: security_init() → ordered_lsm_init() kmem_cache_create("lsm_file_cache", blob_sizes.lbs_file, 0, SLAB_PANIC, NULL) (the active LSMs\' file blobs: caches/lsm-blobs.ts)' }] },
  { drop: 'lsm_backing_file_cache', why: 'no lbs_backing_file in 6.18.35' },
  { replace: 'lsm_inode_cache', by: [callNamed(CACHES_6_12, 'lsm_inode_cache', FILE)] },
  // fs/dcache.c vfs_caches_init() 6.18.35 makes names_cache of PATH_MAX itself (7.2: fs/namei.c filename_init(), sizeof(struct filename))
  { replace: 'names_cache', by: [callNamed(CACHES_6_12, 'names_cache', FILE)] },
  { after: 'pidfs_attr_cache', add: [{ name: 'pidfs_xattr_cache', site: 'fs/pidfs.c: pidfs_init() kmem_cache_create("pidfs_xattr_cache", sizeof(struct simple_xattrs), 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT | SLAB_PANIC, NULL)', size: { struct: 'simple_xattrs' }, flags: ['HWCACHE_ALIGN', 'RECLAIM_ACCOUNT', 'ACCOUNT'], phase: 'boot' }] },
];

export const CACHES_6_18: readonly CacheCall[] = [...editCalls(CACHES_7_2.filter((c) => c.phase === 'boot'), BOOT_EDITS_6_18, FILE), ...POST_CALLS_6_18];
