import { describe, expect, test } from 'vitest';
import { calculateAlignment, calculateOrder, calculateSizes, createCaches, createUniqueId, type CreateEnv, type ResolvedCall, type SlabFlag } from '../../../../sim/stages/state/slab-create.ts';
import { bootContext, simulate } from '../../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import { cacheTable, slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import type { MachineSpec } from '../../../../sim/types.ts';
import { simErrorCode } from '../../sim-error-code.ts';

/** x86_64 with HARDENED_USERCOPY and SLAB_MERGE_DEFAULT, as the Debian amd64 builds are; 2 CPUs. */
const ENV: CreateEnv = { word: 8, cacheLine: 64, minAlign: 8, nomerge: false, usercopyKeepsApart: true, geometry: (size) => calculateOrder(size, 2, 2) };
const call = (name: string, objectSize: number | undefined, flags: readonly SlabFlag[] = [], more: Partial<ResolvedCall> = {}): ResolvedCall => ({ name, site: `test: ${name}`, objectSize, flags, phase: 'boot', ...more });
const names = (calls: readonly ResolvedCall[], env: CreateEnv = ENV): string[] => createCaches(calls, env).caches.map((c) => c.name);

describe('calculate_alignment / calculate_sizes', () => {
  test.each([
    // expect: SLAB_HWCACHE_ALIGN halves the cache line while the object fits in half: 24 B → 32, 40 B → 64, 8 B → 8
    [['HWCACHE_ALIGN'], 0, 24, 32], [['HWCACHE_ALIGN'], 0, 40, 64], [['HWCACHE_ALIGN'], 0, 8, 8],
    // expect: without it, arch_slab_minalign() 8; a larger align argument wins (maple_node's 256)
    [[], 0, 3, 8], [[], 256, 256, 256], [['HWCACHE_ALIGN'], 128, 40, 128],
  ] as const)('hwcache_align_halves_small_objects_%#', (flags, align, size, want) => {
    expect(calculateAlignment(flags, align, size, ENV)).toBe(want);
  });
  test('ctor_moves_free_pointer_out', () => {
    // expect: a ctor (or TYPESAFE_BY_RCU) puts the free pointer after the word-aligned object: 576 → 584; 2080 with HWCACHE 64 → 2112
    expect(calculateSizes({ flags: [], ctor: true }, 576, 8, 8)).toBe(584);
    expect(calculateSizes({ flags: ['TYPESAFE_BY_RCU'], ctor: true }, 2080, 64, 8)).toBe(2112);
    // expect: a freeptr_offset keeps it inside: filp 176 B, HWCACHE 64 → 192, not 256
    expect(calculateSizes({ flags: ['TYPESAFE_BY_RCU'], freeptrOffset: true }, 176, 64, 8)).toBe(192);
    // expect: no ctor: only the word and the alignment, 1104 → 1152 at 64
    expect(calculateSizes({ flags: [] }, 1104, 64, 8)).toBe(1152);
  });
});

describe('find_mergeable / __kmem_cache_alias', () => {
  test('find_mergeable_takes_first_created', () => {
    // expect: c (64 B) walks slab_caches from the first created: a's 72-B slot is a word too big, b's 64-B slot
    // (b kept apart from a by its 64 alignment: 72 is not a multiple of 64) takes it
    const r = createCaches([call('a', 72), call('b', 64, [], { align: 64 }), call('c', 64)], ENV);
    expect(r.caches.map((c) => [c.name, c.aliases.map((x) => x.name).join()])).toEqual([['a', ''], ['b', 'c']]);
    // expect: with two same-slot candidates impossible (the second would have folded into the first), the first created
    // is the one later calls find: d (60 B) into a (64), and e (60 B) into a too, not into d
    const r2 = createCaches([call('a', 64), call('d', 60), call('e', 60)], ENV);
    expect(r2.caches.map((c) => [c.name, c.aliases.map((x) => x.name).join()])).toEqual([['a', 'd,e']]);
  });
  test('alias_raises_object_size', () => {
    // expect: e (57 B → 64) does not fit a's 56-B slot; c (52 B) folds into a, whose object_size stays 56;
    // d (60 B → 64) skips a and folds into e, raising e's object_size from 57 to 60
    const r = createCaches([call('a', 56), call('e', 57), call('c', 52), call('d', 60)], ENV);
    expect(r.caches.map((c) => [c.name, c.size, c.objectSize, c.aliases.map((x) => x.name).join()])).toEqual([['a', 56, 56, 'c'], ['e', 64, 60, 'd']]);
  });
  test('within_a_word_only', () => {
    // expect: a 48-B call does not fold into a 64-B slot (64 − 48 ≥ sizeof(void *)); a 57-B call does (ALIGN 64)
    expect(names([call('a', 64), call('b', 48)])).toEqual(['a', 'b']);
    expect(names([call('a', 64), call('b', 57)])).toEqual(['a']);
  });
  test('merge_same_flags_must_match', () => {
    // expect: SLAB_ACCOUNT differs → no alias; SLAB_HWCACHE_ALIGN is not in SLAB_MERGE_SAME → alias (192 B cred into 192 B pid)
    expect(names([call('a', 64), call('b', 64, ['ACCOUNT'])])).toEqual(['a', 'b']);
    expect(names([call('pid', 184, ['HWCACHE_ALIGN', 'ACCOUNT']), call('cred', 188, ['ACCOUNT'])])).toEqual(['pid']);
  });
  test('alignment_must_divide_the_slot', () => {
    // expect: a 250-B call with a 256 alignment needs a slot that is a multiple of 256: a 256-B slot takes it, a 256-B-object cache of 264 does not exist
    expect(names([call('a', 256), call('b', 250, [], { align: 256 })])).toEqual(['a']);
    // expect: a 40-B HWCACHE call (align 64, size 64) cannot fold into a 72-B slot (72 is not a multiple of 64; 72 − 64 ≥ 8 too)
    expect(names([call('a', 72), call('b', 40, ['HWCACHE_ALIGN'])])).toEqual(['a', 'b']);
  });
  test.each([
    // expect: a ctor, a usercopy region (HARDENED_USERCOPY), SLAB_TYPESAFE_BY_RCU, SLAB_NO_MERGE and create_boot_cache() keep a cache
    // apart both ways: neither an alias nor a target
    ['ctor', { ctor: true as const }], ['usercopy', { usercopy: true as const }], ['rcu', { flags: ['TYPESAFE_BY_RCU'] as SlabFlag[] }], ['no_merge', { flags: ['NO_MERGE'] as SlabFlag[] }], ['bootstrap', { bootstrap: true as const }],
  ] as const)('unmergeable_%s', (_, more) => {
    expect(names([call('a', 64, [], more), call('b', 64)])).toEqual(['a', 'b']);
    expect(names([call('a', 64), call('b', 64, [], more)])).toEqual(['a', 'b']);
    expect(createCaches([call('a', 64, [], more)], ENV).caches[0]?.sysfsDir).toBe('a');
  });
  test('usercopy_merges_without_hardened_usercopy', () => {
    // expect 6.12+ without CONFIG_HARDENED_USERCOPY: usersize is zeroed, so the region keeps nothing apart
    expect(names([call('a', 64), call('b', 64, [], { usercopy: true })], { ...ENV, usercopyKeepsApart: false })).toEqual(['a']);
  });
  test('slab_nomerge_keeps_all_apart', () => {
    expect(names([call('a', 64), call('b', 64)], { ...ENV, nomerge: true })).toEqual(['a', 'b']);
  });
  test('unsized_call_leaves_its_class_undetermined', () => {
    // expect: u (unsized, mergeable) after a: whether it folds into a is unknown, so it is left out; b after it, of the same
    // flags, too (u may have made a cache b would fold into); c of other flags is decided; a's object_size is not known
    const r = createCaches([call('a', 64), call('u', undefined), call('b', 200), call('c', 64, ['ACCOUNT'])], ENV);
    expect(r.caches.map((c) => c.name)).toEqual(['a', 'c']);
    expect(r.undetermined.map((u) => u.name)).toEqual(['u', 'b']);
    expect(r.caches[0]?.objectSize).toBeUndefined();
    expect(r.caches[1]?.objectSize).toBe(64);
  });
  test('undetermined_does_not_shadow_an_earlier_match', () => {
    // expect: b matches a, which was created before the undetermined u: a wins whatever u did
    const r = createCaches([call('a', 64), call('u', undefined), call('b', 60)], ENV);
    expect(r.caches.find((c) => c.name === 'a')?.aliases.map((x) => x.name)).toEqual(['b']);
    expect(r.undetermined.map((u) => u.name)).toEqual(['u']);
  });
});

describe('sysfs_slab_add / create_unique_id', () => {
  test.each([
    // expect: ':' flag letters d D a A, '-' when any, then %07u of s->size
    [[], 64, ':0000064'], [['ACCOUNT'], 1152, ':A-0001152'], [['RECLAIM_ACCOUNT', 'ACCOUNT'], 64, ':aA-0000064'], [['CACHE_DMA'], 8, ':d-0000008'], [['HWCACHE_ALIGN'], 4096, ':0004096'],
  ] as const)('create_unique_id_%s', (flags, size, want) => {
    expect(createUniqueId(flags, size)).toBe(want);
  });
  test('mergeable_cache_dir_is_its_unique_id', () => {
    const r = createCaches([call('signal_cache', 1144, ['HWCACHE_ALIGN', 'ACCOUNT'])], ENV);
    expect(r.caches[0]).toMatchObject({ size: 1152, sysfsDir: ':A-0001152', unmergeable: undefined, order: 2, objects: 14 });
  });
});

const M = 1024 * 1024;
function boot(kernel: string) {
  const spec: MachineSpec = { name: 't', kernel, machine: 'pc', memoryBytes: 1024 * M, memoryText: '1G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml' };
  const ctx = bootContext({ spec, kernel: loadKernelWithFacts(kernel) });
  return { ctx, state: simulate(ctx).state };
}

describe('the series tables through the engine (pc 1G, 2 CPUs)', () => {
  test.each([
    // expect 7.2: cred_jar (184 B, HWCACHE_ALIGN|ACCOUNT) folds into pid (192 B slot); 6.12: key_jar into maple_node (256), pde_opener into vma_lock (40)
    ['7.2-amd64', 'pid', 'cred'], ['6.12-amd64', 'maple_node', 'key_jar'], ['6.12-amd64', 'vma_lock', 'pde_opener'],
  ] as const)('boot_aliases_%s_%s', (kernel, target, alias) => {
    const { ctx, state } = boot(kernel);
    const r = slabCachesOf(state, ctx, ctx.traits.state.slabCacheTable, 'boot');
    expect(r?.caches.find((c) => c.name === target)?.aliases.map((a) => a.name)).toContain(alias);
    expect(r?.caches.some((c) => c.name === alias)).toBe(false);
  });
  test('table_order_is_creation_order', () => {
    // expect: every table starts with kmem_cache_init()'s two create_boot_cache() calls, kmem_cache_node first; names are unique
    for (const t of ['6.12', '7.2'] as const) {
      const calls = cacheTable(t) ?? [];
      expect(calls.slice(0, 2).map((c) => c.name)).toEqual(['kmem_cache_node', 'kmem_cache']);
      expect(new Set(calls.map((c) => c.name)).size).toBe(calls.length);
      // expect: the 'boot' calls come before the 'post' ones
      const firstPost = calls.findIndex((c) => c.phase === 'post');
      expect(firstPost === -1 || calls.slice(firstPost).every((c) => c.phase === 'post')).toBe(true);
    }
  });
  test('kmalloc_caches_after_the_boot_caches', () => {
    const { ctx, state } = boot('7.2-amd64');
    const r = slabCachesOf(state, ctx, '7.2', 'boot');
    expect(r?.caches.slice(0, 3).map((c) => c.name)).toEqual(['kmem_cache_node', 'kmem_cache', 'kmalloc-8']);
    expect(r?.undetermined).toEqual([]);
  });
});
