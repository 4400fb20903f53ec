// The kmem_cache_create() calls of the Debian 6.17.13 amd64 build (6.17-amd64) that run before the probe
// reads /proc/slabinfo, in creation order: 6.18's (caches/6.18.ts, 6.18-post.ts) with the edits below.
//
// Source: no Debian suite serves a linux-source-6.17, so the tree read is the public GitHub snapshot
// busysteve/linux-6.17.0-rust-ported-c at 1e9822c103f8b1cbe44c614eb54c6db9b86558f2, folder linux/: upstream
// 6.17.0 (Makefile SUBLEVEL 0, 13 stable releases before the build's 6.17.13) whose Rust code was rewritten in C
// (rust/ and the Rust drivers; the C files of mm, kernel, fs, block, net, security, lib, ipc, io_uring are
// upstream's). Without the Debian patches. Every creation call statement of the 6.17.0 tree, diffed against the
// 6.18.35 tree's (the same folders as caches/6.18-post.ts), differs in the four calls below and in
// net/xdp/xsk.c's xsk_generic_xmit_cache, which 6.17.0 sizes by struct xsk_addr_node and 6.18.35 by struct
// xsk_addrs: the 6.17.13 image's BTF has struct xsk_addrs (152 bytes) and no xsk_addr_node, so the build
// carries the stable backport and 6.18's call stands. The kmem_cache_args initialisers of the two trees
// differ only in the two sheaf_capacity lines (lib/maple_tree.c, mm/vma_init.c); start_kernel() and
// mm_core_init() make the same calls. The 6.17.13 image's initcall table (782 entries) holds every init
// function of the 6.18 table's 'post' calls, in the same order; the 6.18.15 image's adds none that creates a cache.
import type { CacheCall } from '../slab-create.ts';
import { CACHES_6_18 } from './6.18.ts';
import { struct } from './6.12-post.ts';
import { callNamed, editCalls, type CallEdit } from './edits.ts';

const FILE = 'caches/6.17.ts';

/** 6.18's calls changed to 6.17.0's. */
export const EDITS_6_17: readonly CallEdit[] = [
  // lib/maple_tree.c maple_tree_init() 6.17.0: no kmem_cache_args, no sheaves: a mergeable cache (no ctor, no usercopy) of align 256
  { replace: 'maple_node', by: [{ name: 'maple_node', site: 'lib/maple_tree.c: maple_tree_init() kmem_cache_create("maple_node", sizeof(struct maple_node), sizeof(struct maple_node), SLAB_PANIC, NULL)', size: { struct: 'maple_node' }, align: 256, flags: [], phase: 'boot' }] },
  // mm/vma_init.c vma_state_init() 6.17.0: &args { .use_freeptr_offset, .freeptr_offset } without .sheaf_capacity; SLAB_TYPESAFE_BY_RCU keeps it apart (SLAB_NEVER_MERGE)
  { replace: 'vm_area_struct', by: [{ ...callNamed(CACHES_6_18, 'vm_area_struct', FILE), site: 'kernel/fork.c: proc_caches_init() → mm/vma_init.c vma_state_init() kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), &args { .use_freeptr_offset }, SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_TYPESAFE_BY_RCU|SLAB_ACCOUNT)', flags: ['HWCACHE_ALIGN', 'TYPESAFE_BY_RCU', 'ACCOUNT'] }] },
  { drop: 'swap_table', why: 'no mm/swap_table.h in 6.17.0 (swapfile_init() makes no cache); no struct swap_table in the 6.17.13 BTF' },
  // mm/khugepaged.c khugepaged_init() 6.17.0: KMEM_CACHE(khugepaged_mm_slot, 0), struct khugepaged_mm_slot { struct mm_slot slot; } (in the BTF)
  { replace: 'mm_slot', by: [{ ...callNamed(CACHES_6_18, 'mm_slot', FILE), name: 'khugepaged_mm_slot', site: 'mm/huge_memory.c: hugepage_init() (subsys_initcall) → mm/khugepaged.c khugepaged_init() KMEM_CACHE(khugepaged_mm_slot, 0)', size: struct('khugepaged_mm_slot') }] },
];

export const CACHES_6_17: readonly CacheCall[] = editCalls(CACHES_6_18, EDITS_6_17, FILE);
