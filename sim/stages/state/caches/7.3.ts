// The kmem_cache_create() calls of the Debian 7.3.4 amd64 build (7.3-amd64) that run before the probe
// reads /proc/slabinfo, in creation order. 'boot': 7.2's (caches/7.2.ts), which 7.3.4 keeps call for call
// (every creation call line of the tree is 7.2.13's but module code, and start_kernel()'s order is
// unchanged: traits.late.bootSlabCaches); 'post': caches/7.3-post.ts. Read in 7.3.4.
import type { CacheCall } from '../slab-create.ts';
import { CACHES_7_2 } from './7.2.ts';
import { POST_CALLS_7_3 } from './7.3-post.ts';

export const CACHES_7_3: readonly CacheCall[] = [...CACHES_7_2.filter((c) => c.phase === 'boot'), ...POST_CALLS_7_3];
