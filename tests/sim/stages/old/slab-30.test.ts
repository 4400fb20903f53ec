// kmem_cache_init()'s caches on the seeds' 3.0.1 build (sim/stages/old/slab-30.ts), each geometry hand-derived from
// 3.0.1 mm/slub.c and include/linux/slub_def.h (not from a log): calculate_sizes() with a 32-byte cache line
// (CONFIG_X86_L1_CACHE_SHIFT 5), calculate_order() with nr_cpu_ids 1 (min_objects 4 × (fls(1) + 1) = 8).
import { describe, expect, test } from 'vitest';
import { context30, kernel30Of } from '../../../../sim/stages/old/context-30.ts';
import { kmemCacheInitCaches30, kmemCacheNodeSize30, kmemSize30, predictSlabs30 } from '../../../../sim/stages/old/slab-30.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { CONFIG_30_ELF, SYMBOLS_30, spec30 } from './kernel-30.ts';

const ctx = (config: Readonly<Record<string, string>> = CONFIG_30_ELF) =>
  context30(spec30({}), kernel30Of({ id: '3.0.1-i386-elf', arch: 'i386', release: '3.0.1' }, { config, loadOffset: '0xc0000000', symbols: SYMBOLS_30, bzImage: { protocol: '2.10' } }));
const byName = (config?: Readonly<Record<string, string>>) => new Map(kmemCacheInitCaches30(ctx(config)).map((c) => [c.name, c]));
const geo = (config: Readonly<Record<string, string>> | undefined, name: string) => {
  const c = byName(config).get(name)!;
  return [c.objsize, c.size, c.objects, c.order, c.sysfs];
};

describe('kmem_cache_init (3.0.1)', () => {
  test('struct_sizes: expect kmem_cache 112 (15 words + name, list_head 8, kobject 36, node[1]) and kmem_cache_node 28 (nr_partial, partial, SLUB_DEBUG\'s two counters and full list)', () => {
    expect([kmemSize30(ctx()), kmemCacheNodeSize30(ctx())]).toEqual([112, 28]);
    // without SYSFS no kobject; without SLUB_DEBUG no counters and no full list
    const { SYSFS: _s, SLUB_DEBUG: _d, ...bare } = CONFIG_30_ELF;
    expect([kmemSize30(ctx(bare)), kmemCacheNodeSize30(ctx(bare))]).toEqual([76, 12]);
  });
  test.each([
    // HWCACHE_ALIGN: 112 > 16, align 32 → 128, 32 per page; 28 > 16 → 32, 128 per page; both unmergeable (refcount −1), named
    ['kmem_cache', [112, 128, 32, 0, 'kmem_cache']],
    ['kmem_cache_node', [28, 32, 128, 0, 'kmem_cache_node']],
    // 96 × 8 = 768 ≤ 4096, 4096 mod 96 = 64 ≤ 256 → order 0, 42; 192: 4096 mod 192 = 64 → 21
    ['kmalloc-96', [96, 96, 42, 0, ':t-0000096']],
    ['kmalloc-192', [192, 192, 21, 0, ':t-0000192']],
    ['kmalloc-8', [8, 8, 512, 0, ':t-0000008']],
    // 1024 × 8 = 8192 → order 1 (get_order), no waste: 8 objects
    ['kmalloc-1024', [1024, 1024, 8, 1, ':t-0001024']],
    // min_objects capped at order_objects(3) = 4: 4 × 8192 → order 3
    ['kmalloc-8192', [8192, 8192, 4, 3, ':t-0008192']],
    ['dma-kmalloc-512', [512, 512, 8, 0, ':dt-0000512']],
  ])('geometry_%s: expect objsize, s->size, objects, order and the sysfs directory', (name, want) => {
    expect(geo(undefined, name)).toEqual(want);
  });
  test('cache_list: expect 2 + 13 kmalloc + 13 dma-kmalloc caches, and no dma ones without ZONE_DMA', () => {
    expect(byName().size).toBe(28);
    const { ZONE_DMA: _z, ...noDma } = CONFIG_30_ELF;
    expect([...byName(noDma).keys()].filter((n) => n.startsWith('dma-'))).toEqual([]);
    expect(byName(noDma).size).toBe(15);
  });
  test('cache_line_64: expect kmem_cache_node still 32 (28 ≤ 64 / 2 halves the line) and kmem_cache 128 (align 64)', () => {
    const l1 = { ...CONFIG_30_ELF, X86_L1_CACHE_SHIFT: '6' };
    expect(geo(l1, 'kmem_cache_node').slice(0, 3)).toEqual([28, 32, 128]);
    expect(geo(l1, 'kmem_cache').slice(0, 3)).toEqual([112, 128, 32]);
    // without SYSFS: 76 → ALIGN(76, 32) = 96 at a 32-byte line, 42 per page
    const { SYSFS: _s, ...noSysfs } = CONFIG_30_ELF;
    expect(geo(noSysfs, 'kmem_cache').slice(0, 3)).toEqual([76, 96, 42]);
  });
  test('fields: expect seven slabinfo and four /sys/kernel/slab fields per cache, the tunables 0, keyed by the sysfs directory', () => {
    const f = new Map(predictSlabs30(ctx()).map((x) => [x.key, x]));
    expect(f.size).toBe(28 * 11);
    expect(['kmalloc-192: objsize', 'kmalloc-192: objperslab', 'kmalloc-192: pagesperslab', 'kmalloc-192: limit'].map((k) => f.get(k)?.value)).toEqual(['192', '21', '1', '0']);
    expect([':dt-0008192: object_size', ':dt-0008192: order', 'kmem_cache: object_size', 'kmem_cache: slab_size'].map((k) => f.get(k)?.value)).toEqual(['8192', '3', '112', '128']);
    expect(f.get('kmem_cache: slab_size')?.family).toBe('slab');
  });
  test('refusals: expect SLUB_DEBUG_ON, a debug spinlock and a non-SLUB build refused by name', () => {
    expect(simErrorCode(() => kmemCacheInitCaches30(ctx({ ...CONFIG_30_ELF, SLUB_DEBUG_ON: 'y' })))).toBe('SIM_NOT_MODELLED');
    expect(() => kmemCacheInitCaches30(ctx({ ...CONFIG_30_ELF, DEBUG_SPINLOCK: 'y' }))).toThrow(/CONFIG_DEBUG_SPINLOCK/);
    const { SLUB: _s, ...slab } = CONFIG_30_ELF;
    expect(() => kmemCacheInitCaches30(ctx({ ...slab, SLAB: 'y' }))).toThrow(/CONFIG_SLUB unset/);
  });
});
