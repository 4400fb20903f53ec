import { describe, expect, test } from 'vitest';
import type { SimResult } from '../../../../sim/boot.ts';
import { predictSlabinfo, predictSlabSysfs } from '../../../../sim/stages/state/slabinfo.ts';
import { predictState } from '../../../../sim/stages/state/index.ts';
import { bootSlabCacheGeometry } from '../../../../sim/stages/late-allocs.ts';
import { LSMS_6_12, lsmInodeBlob } from '../../../../sim/stages/state/caches/lsm-blobs.ts';
import type { MachineSpec } from '../../../../sim/types.ts';
import { handBoot } from '../hand-boot.ts';

const M = 1024 * 1024;
// Each boot is simulated once (../hand-boot.ts) and its predicted fields read once, for the many caches
// the cases ask of it: every case simulated its own boot, most of them the same 6.12 one.
const slabinfoOf = new WeakMap<SimResult, Map<string, string>>();
const sysfsOf = new WeakMap<SimResult, Map<string, string>>();
function fieldsOf(p: Partial<MachineSpec>, kept: WeakMap<SimResult, Map<string, string>>, predict: typeof predictSlabinfo): Map<string, string> {
  const { ctx: c, result } = handBoot(p);
  let m = kept.get(result);
  if (m === undefined) kept.set(result, (m = new Map(predict(result.state, c).map((f) => [f.key, f.value]))));
  return m;
}
/** "<objsize>/<objperslab>/<pagesperslab>" of one cache, or undefined when it is not predicted. */
function row(p: Partial<MachineSpec>, cache: string): string | undefined {
  const m = fieldsOf(p, slabinfoOf, predictSlabinfo);
  const v = ['objsize', 'objperslab', 'pagesperslab'].map((n) => m.get(`${cache}: ${n}`));
  return v.every((x) => x === undefined) ? undefined : v.join('/');
}

describe('slabinfo geometry (objsize = s->size, objperslab and pagesperslab from s->oo)', () => {
  test.each([
    // expect: kmalloc-8k is 8192 B, 4 per order-3 slab → pagesperslab 8; task_struct 6208 B 5 per order 3 (6.12 pc 2 CPUs)
    ['6.12-amd64', 'kmalloc-8k', '8192/4/8'], ['6.12-amd64', 'task_struct', '6208/5/8'], ['6.12-amd64', 'mm_struct', '1408/23/8'],
    ['6.12-amd64', 'cred', '192/21/1'], ['6.12-amd64', 'kmem_cache', '256/16/1'],
    // expect 7.2: task_struct 6720 B 4 per order 3; mem_cgroup 1728 B 18 per order 3; cred is an alias of pid, no line of its own
    ['7.2-amd64', 'task_struct', '6720/4/8'], ['7.2-amd64', 'mem_cgroup', '1728/18/8'], ['7.2-amd64', 'cred', undefined],
    // expect 7.2 'post' calls: TCP (tcp_sock 2432, its free pointer inside by freeptr_offset) 13 per order 3; request_sock_TCP 320 + the
    // RCU free pointer → 328; tracefs_inode_cache 592 + the ctor's → 600, 13 per order 1; request_sock_TCPv6 the same 328 (struct tcp6_request_sock wraps tcp_request_sock alone)
    ['7.2-amd64', 'TCP', '2432/13/8'], ['7.2-amd64', 'request_sock_TCP', '328/12/1'], ['7.2-amd64', 'tracefs_inode_cache', '600/13/2'], ['7.2-amd64', 'request_sock_TCPv6', '328/12/1'],
  ] as const)('%s_%s', (kernel, cache, want) => {
    expect(row({ kernel }, cache)).toBe(want);
  });
  test('nr_cpu_ids_sets_min_objects', () => {
    // expect: calculate_order's min_objects 4 × (fls(nr_cpu_ids) + 1): mm_struct 1408 B is 11 per order 2 with 1 CPU, 23 per order 3 with 2;
    // kmalloc-256 16 per order 0 with 2 CPUs, 32 per order 1 with 64
    expect(row({ cpus: 1 }, 'mm_struct')).toBe('1408/11/4');
    expect(row({ cpus: 2 }, 'kmalloc-256')).toBe('256/16/1');
    expect(row({ cpus: 64, memoryBytes: 1024 * M, memoryText: '1G' }, 'kmalloc-256')).toBe('256/32/2');
  });
  test('slub_max_order_parameter', () => {
    // expect: slub_max_order=0 caps the order: task_struct 6208 B falls back to get_order(6208) = 1, one object, pagesperslab 2
    expect(row({ cmdline: 'slub_max_order=0' }, 'task_struct')).toBe('6208/1/2');
    expect(row({ cmdline: 'slub_max_order=0' }, 'mm_struct')).toBe('1408/2/1');
  });
  test('only_sized_caches', () => {
    // expect: every cache bootSlabCacheGeometry sizes has its three fields, the others none
    const { ctx: c, result: { state } } = handBoot({});
    const sized = bootSlabCacheGeometry(state, c).filter((g) => g.size !== undefined);
    const fields = predictSlabinfo(state, c);
    expect(sized.length).toBeGreaterThan(50);
    const listed = bootSlabCacheGeometry(state, c);
    expect(fields).toHaveLength(sized.length * 3 + listed.length * 4);
    expect(fields.filter((f) => /: (objsize|objperslab|pagesperslab)$/.test(f.key)).map((f) => f.key.replace(/: \w+$/, ''))).toEqual(sized.flatMap((g) => [g.name, g.name, g.name]));
    // expect: predictState carries them in its fields
    expect(predictState(state, c).fields.filter((f) => f.family === 'slabinfo')).toHaveLength(fields.length);
  });
  test('slub_zero_columns', () => {
    // expect: SLUB leaves limit, batchcount, sharedfactor and sharedavail at cache_show()'s memset: 0 for every listed cache
    const { ctx: c, result: { state } } = handBoot({});
    const m = fieldsOf({}, slabinfoOf, predictSlabinfo);
    for (const cache of ['kmalloc-8k', 'lsm_inode_cache']) {
      expect(['limit', 'batchcount', 'sharedfactor', 'sharedavail'].map((n) => m.get(`${cache}: ${n}`))).toEqual(['0', '0', '0', '0']);
    }
    // expect: lsm_inode_cache's object is the LSMs' inode blob (caches/lsm-blobs.ts), a word-aligned slot of its own
    expect(m.get('lsm_inode_cache: objsize')).toBe(String(Math.ceil((lsmInodeBlob({ state, ctx: c }, LSMS_6_12, 'word') ?? NaN) / 8) * 8));
  });
  test.each([
    // expect: a series whose slab cache table was not read predicts the kmalloc caches, kmem_cache(_node) and the unmergeable calls
    // (6.1 task_struct 6208 B: 5 per order 3); 6.1 amd64 has its table, so the mergeable signal_cache too (1152 B, 14 per order 2)
    // (6.18's kmem_cache_node is 128 B in BTF: its barn pointer)
    ['6.1-amd64', 'kmalloc-8k', '8192/4/8'], ['5.10-amd64', 'kmalloc-192', '192/21/1'], ['6.18-amd64', 'kmem_cache_node', '128/32/1'],
    ['6.1-amd64', 'task_struct', '6208/5/8'], ['6.1-amd64', 'signal_cache', '1152/14/4'], ['6.1-686', 'kmalloc-1k', '1024/16/4'],
    // expect: the 686 caches sized from the -dbg DWARF: kmem_cache 140 B in a 160-B slot (the 32-B qemu32 cache line), 25 per order-0 slab
    ['6.1-686', 'kmem_cache', '160/25/1'],
  ] as const)('unread_list_%s_%s', (kernel, cache, want) => {
    expect(row({ kernel }, cache)).toBe(want);
  });
  test('slub_debug_leaves_slab_families_unpredicted', () => {
    // expect: 6.1 accepts slub_debug (its Memory: line comes before the slab caches matter); the debugged layout
    // (mm/slub.c calculate_sizes: red zones, tracking) is not modelled, so predictState leaves both slab
    // families out and still predicts the rest, instead of refusing the whole state
    const { ctx: c, result } = handBoot({ kernel: '6.1-amd64', cmdline: 'slub_debug' });
    const fields = predictState(result.state, c).fields;
    expect(fields.filter((f) => f.family === 'slabinfo' || f.family === 'slab')).toHaveLength(0);
    expect(fields.some((f) => f.family === 'zoneinfo')).toBe(true);
    const plain = handBoot({ kernel: '6.1-amd64' });
    expect(predictState(plain.result.state, plain.ctx).fields.some((f) => f.family === 'slabinfo')).toBe(true);
  });
  test('backoff_order_on_6_1', () => {
    // expect 6.1 ('backoff'): kmalloc-8k 8192 B with 1 CPU: min_objects 8 capped at 4 → order 3, 4 per slab, as with 2
    expect(row({ kernel: '6.1-amd64', cpus: 1 }, 'kmalloc-8k')).toBe('8192/4/8');
  });
});

/** "<object_size>/<slab_size>/<objs_per_slab>/<order>" of one /sys/kernel/slab directory, or undefined when it is not predicted. */
function sysfs(p: Partial<MachineSpec>, dir: string): string | undefined {
  const m = fieldsOf(p, sysfsOf, predictSlabSysfs);
  const v = ['object_size', 'slab_size', 'objs_per_slab', 'order'].map((n) => m.get(`${dir}: ${n}`));
  return v.every((x) => x === undefined) ? undefined : v.join('/');
}

describe('/sys/kernel/slab geometry of the unmergeable caches (sysfs_slab_add names their directory after them)', () => {
  test.each([
    // expect: kmalloc-8k object 8192 = slot, 4 per order 3; kmem_cache's object is offsetof(node) + 1 pointer, its slot 64-aligned
    ['6.12-amd64', 'kmalloc-8k', '8192/8192/4/3'], ['6.12-amd64', 'kmem_cache', '224/256/16/0'], ['6.12-amd64', 'kmem_cache_node', '64/64/64/0'],
    // expect 6.12: kmalloc_buckets is SLAB_NO_MERGE, 14 pointers = 112 B
    ['6.12-amd64', 'kmalloc_buckets', '112/112/36/0'],
    // expect 6.18: kmem_cache_node 72 B (its barn pointer) in a 128-B slot
    ['6.18-amd64', 'kmem_cache_node', '72/128/32/0'],
    // expect 5.10 (usersize always unmergeable): dma-kmalloc-96 under its own name; no kmalloc-cg there
    ['5.10-amd64', 'dma-kmalloc-96', '96/96/42/0'], ['5.10-amd64', 'kmalloc-cg-96', undefined],
    // expect 6.12: task_struct and mm_struct kept apart by their usercopy regions, the object before the 64-B alignment (mm_struct 1360 in 1408);
    // sighand_cache by SLAB_TYPESAFE_BY_RCU and its ctor (2080 + the free pointer → 2112), shmem_inode_cache by its ctor (752 + 8)
    ['6.12-amd64', 'task_struct', '6208/6208/5/3'], ['6.12-amd64', 'mm_struct', '1360/1408/23/3'], ['6.12-amd64', 'sighand_cache', '2080/2112/15/3'],
    ['6.12-amd64', 'shmem_inode_cache', '752/760/21/2'], ['6.12-amd64', 'proc_dir_entry', '192/192/21/0'],
    // expect: a mergeable cache's directory is create_unique_id()'s: signal_cache 1152 B SLAB_ACCOUNT; on 6.12, whose table lists every call,
    // with object_size, the largest of its call and its aliases' (UDP's udp_sock, 1152 B; pool_workqueue 512 B over skbuff_fclone_cache's 472)
    ['6.12-amd64', ':A-0001152', '1152/1152/14/2'], ['6.12-amd64', 'signal_cache', undefined], ['6.12-amd64', ':0000512', '512/512/16/1'],
    // expect: a mergeable cache has no directory of its name (lsm_inode_cache); radix_tree_node's ctor keeps it apart, xa_node 576 + 8;
    // the 686 kmem_cache: 140 B from the -dbg DWARF in a 160-B slot (SLAB_HWCACHE_ALIGN to qemu32's 32-B cache line)
    ['6.12-amd64', 'lsm_inode_cache', undefined], ['6.12-amd64', 'radix_tree_node', '576/584/14/1'], ['6.1-686', 'kmem_cache', '140/160/25/0'], ['6.1-686', 'kmalloc-rcl-4k', '4096/4096/8/3'],
    // expect: 6.1's task_struct (usercopy, always unmergeable before 6.12) and shmem_inode_cache (ctor); 6.1's table is complete, so the
    // mergeable signal_cache's directory has its object_size (1152: no alias is larger); 6.18's mm_struct with mm_cid_size() = 2 × cpumask_size():
    // 1472 + 8 + 16 = 1496 B in a 1536-B slot (traits.late.mmCidSize)
    ['6.1-amd64', 'shmem_inode_cache', '776/784/20/2'], ['6.1-amd64', ':A-0001152', '1152/1152/14/2'], ['6.18-amd64', 'mm_struct', '1496/1536/21/3'],
  ] as const)('%s_%s', (kernel, dir, want) => {
    expect(sysfs({ kernel }, dir)).toBe(want);
  });
  test('kmem_cache_object_grows_with_nodes', () => {
    // expect: 2 NUMA nodes → nr_node_ids 2: kmem_cache's object 224 + 8 = 232 B, still a 256-B slot
    const half = { memoryBytes: 256 * M, memoryText: '256M' };
    expect(sysfs({ numa: [{ ...half, cpus: [0] }, { ...half, cpus: [1] }] }, 'kmem_cache')).toBe('232/256/16/0');
  });
});

describe('/sys/kernel/slab fields are predicted once each', () => {
  test.each(['6.12-amd64', '6.18-amd64', '7.2-amd64'])('predict_sysfs_keys_unique_%s', (kernel) => {
    // expect: no key twice (a mergeable cache's object_size was pushed twice, under one key): as many keys as fields
    const { ctx: c, result } = handBoot({ kernel });
    const keys = predictSlabSysfs(result.state, c).map((f) => f.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the 6.1 table on the 686 builds (struct sizes from the -dbg DWARF; traits.state.slabCacheTable)', () => {
  const G = { memoryBytes: 1024 * M, memoryText: '1G' };
  const low = { memoryBytes: 768 * M, memoryText: '768M' };
  test('lsm_blobs_i386_word', () => {
    // expect: lbs_inode = rcu_head (2 × 4 B) + landlock 4 + bpf 4 = 16 B and lbs_file = apparmor's aa_file_ctx 12 B (apparmor is the
    // exclusive LSM prepared, selinux skipped); lsm_inode_cache merges into lsm_file_cache's 16-B cache, raising its object_size to 16
    expect(row({ kernel: '6.1-686', ...G }, 'lsm_file_cache')).toBe('16/256/1');
    expect(row({ kernel: '6.1-686', ...G }, 'lsm_inode_cache')).toBeUndefined();
    expect(sysfs({ kernel: '6.1-686', ...G }, ':0000016')).toBe('16/16/256/0');
  });
  test('bounce_biosets_with_highmem_only', () => {
    // expect: at 1G the 686 build has highmem (max_pfn > max_low_pfn): block/bounce.c's bounce_bio_split makes bio-96 (struct bio alone,
    // 96 B; SLAB_TYPESAFE_BY_RCU puts the free pointer after it, 100 B, SLAB_HWCACHE_ALIGN to 32 → 128, 32 per page); at 768M all RAM is
    // lowmem, init_emergency_pool() returns first: no bio-96
    expect(sysfs({ kernel: '6.1-686', ...G }, 'bio-96')).toBe('96/128/32/0');
    expect(sysfs({ kernel: '6.1-686', ...low }, 'bio-96')).toBeUndefined();
  });
  test('blkdev_dio_cacheline_aligned_bio', () => {
    // expect: struct blkdev_dio's bio is ____cacheline_aligned_in_smp (64 B, X86_L1_CACHE_SHIFT 6): offsetof 64, so front_pad 64 + bio 96
    // + 4 bio_vecs of 12 = bio-208, + the 4-B free pointer → 224 (sizeof less sizeof(struct bio) would give 192 − 96 = 96 and bio-240)
    expect(sysfs({ kernel: '6.1-686', ...G }, 'bio-208')).toBe('208/224/18/0');
    expect(sysfs({ kernel: '6.1-686', ...G }, 'bio-240')).toBeUndefined();
  });
  test('pgd_cache_pae_without_pti', () => {
    // expect: qemu32 (Intel family 6 model 6) has X86_BUG_CPU_MELTDOWN, so the 686-pae build sets X86_FEATURE_PTI and makes no pgd_cache:
    // vmap_area (32 B) is a cache of its own; an athlon (AMD: NO_MELTDOWN) leaves SHARED_KERNEL_PMD on: pgd_cache (32 B, PGD_ALIGN 32)
    // is created in mm_init() before vmalloc_init(), and vmap_area merges into it; the non-PAE 686 build never makes it
    expect(row({ kernel: '6.1-686-pae', ...G }, 'pgd_cache')).toBeUndefined();
    expect(row({ kernel: '6.1-686-pae', ...G }, 'vmap_area')).toBe('32/128/1');
    expect(row({ kernel: '6.1-686-pae', ...G, cpu: 'athlon' }, 'pgd_cache')).toBe('32/128/1');
    expect(row({ kernel: '6.1-686-pae', ...G, cpu: 'athlon' }, 'vmap_area')).toBeUndefined();
    expect(row({ kernel: '6.1-686', ...G, cpu: 'athlon' }, 'pgd_cache')).toBeUndefined();
    // expect: n270 (Intel family 6 model 0x1c, ATOM_BONNELL: NO_SPECULATION in cpu_vuln_whitelist) has no Meltdown either: pgd_cache;
    // core2duo (6/15) and Cascadelake-Server-v2 (TCG filters its arch-capabilities, so no RDCL_NO is read) have it: PTI, no pgd_cache
    expect(row({ kernel: '6.1-686-pae', ...G, cpu: 'n270' }, 'pgd_cache')).toBe('32/128/1');
    expect(row({ kernel: '6.1-686-pae', ...G, cpu: 'core2duo' }, 'pgd_cache')).toBeUndefined();
    expect(row({ kernel: '6.1-686-pae', ...G, cpu: 'Cascadelake-Server-v2' }, 'pgd_cache')).toBeUndefined();
  });
});

describe('the 5.10 table on 5.10-686-pae', () => {
  test('mm_slot_i386_words', () => {
    // expect: khugepaged's struct mm_slot in 4-B words: hlist_node 8 + list_head 8 + mm 4 + int 4 + pte_mapped_thp[8] 32 = 56 B
    // (112 on LP64): it aliases trace_event_file's 56-B cache (no line of its own, the :0000056 directory's object_size stays 56, 73
    // per page), and no :0000112 directory is made
    const p = { kernel: '5.10-686-pae', memoryBytes: 1024 * M, memoryText: '1G' };
    expect(row(p, 'khugepaged_mm_slot')).toBeUndefined();
    expect(sysfs(p, ':0000056')).toBe('56/56/73/0');
    expect(sysfs(p, ':0000112')).toBeUndefined();
  });
});
