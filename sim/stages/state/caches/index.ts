// The per-series tables of cache creation calls (caches/<series>.ts), and the slab caches a boot has
// from them: the engine of ../slab-create.ts run over the table traits.state.slabCacheTable names
// (the boot phase: traits.late.bootSlabCaches), with the kmalloc caches create_kmalloc_caches() makes
// inserted after kmem_cache_init()'s two create_boot_cache() calls (mm/slub.c kmem_cache_init(),
// 6.12.115 and 7.2.13: create_boot_cache(kmem_cache_node), create_boot_cache(kmem_cache), then
// create_kmalloc_caches()).
import type { BootContext, BootState } from '../../../boot.ts';
import type { KernelTraits } from '../../../traits.ts';
import { configOn, topologyOf } from '../../mm-inputs.ts';
import { slubOrders } from '../../slub.ts';
import { acpiDisabled } from '../../cmdline.ts';
import { kmallocCaches } from '../../slab-objects.ts';
import { calculateOrder, callRuns, createCaches, createEnvOf, resolveSize, shareSlabs, type CacheCall, type CreateResult, type ResolvedCall, type SlabFlag } from '../slab-create.ts';
import { CACHES_5_10 } from './5.10.ts';
import { CACHES_6_1 } from './6.1.ts';
import { CACHES_6_12 } from './6.12.ts';
import { CACHES_6_16 } from './6.16.ts';
import { CACHES_6_17 } from './6.17.ts';
import { CACHES_6_18 } from './6.18.ts';
import { CACHES_7_2 } from './7.2.ts';
import { CACHES_7_3 } from './7.3.ts';

/** The table each traits.state.slabCacheTable value names. */
const TABLES: Readonly<Partial<Record<KernelTraits['state']['slabCacheTable'], readonly CacheCall[]>>> = {
  '5.10': CACHES_5_10,
  '6.1': CACHES_6_1,
  '6.12': CACHES_6_12,
  '6.16': CACHES_6_16,
  '6.17': CACHES_6_17,
  '6.18': CACHES_6_18,
  '7.2': CACHES_7_2,
  '7.3': CACHES_7_3,
};

/** The creation calls of a table, or undefined where none was read. */
export function cacheTable(name: KernelTraits['state']['slabCacheTable']): readonly CacheCall[] | undefined {
  return TABLES[name];
}

/**
 * create_kmalloc_caches() (mm/slab_common.c 6.12.115, 7.2.13) as calls: each kmalloc cache is
 * create_kmalloc_cache() → create_boot_cache(…, useroffset 0, usersize = size): a usercopy region of the
 * whole object; KMALLOC_RECLAIM SLAB_RECLAIM_ACCOUNT, KMALLOC_DMA SLAB_CACHE_DMA, KMALLOC_CGROUP
 * SLAB_ACCOUNT (kmalloc_cache_flags, include/linux/slab.h); "kmalloc_buckets" SLAB_NO_MERGE
 * (kmem_buckets_create()'s cache). Named as kmalloc_info[] names them: "-1k" … "-8k" from 1024 B.
 */
function kmallocCalls(ctx: BootContext, traits: KernelTraits): CacheCall[] {
  return kmallocCaches(ctx, traits).map((k): CacheCall => {
    const name = k.name.replace(/-(\d+)$/, (_, b: string) => `-${Number(b) >= 1024 ? `${Number(b) / 1024}k` : b}`);
    if (k.name === 'kmalloc_buckets') return { name, site: 'mm/slab_common.c: create_kmalloc_caches() → kmem_buckets_create() kmem_cache_create("kmalloc_buckets", sizeof(kmem_buckets), 0, SLAB_NO_MERGE, NULL)', size: { bytes: k.size }, flags: ['NO_MERGE'], phase: 'boot' };
    const flags: SlabFlag[] = name.startsWith('kmalloc-rcl-') ? ['RECLAIM_ACCOUNT'] : name.startsWith('dma-kmalloc-') ? ['CACHE_DMA'] : name.startsWith('kmalloc-cg-') ? ['ACCOUNT'] : [];
    return { name, site: 'mm/slab_common.c: create_kmalloc_caches() → create_kmalloc_cache()', size: { bytes: k.size }, flags, usercopy: true, phase: 'boot' };
  });
}

/** Whether a table lists every built-in call before the probe's read ('post' complete): only then can no unlisted alias have raised a mergeable cache's object_size. */
const POST_COMPLETE: Readonly<Partial<Record<KernelTraits['state']['slabCacheTable'], boolean>>> = {
  // 6.12: every kmem_cache_create()/KMEM_CACHE()/kmem_cache_create_usercopy()/proto_register()/kmem_buckets_create()/
  // bioset_init() call of the 6.12.117 tree whose init function the build links (=y) and runs before the read (caches/6.12-post.ts)
  '6.12': true,
  // caches/5.10.ts and 6.1.ts: every built-in call, aliases included, read from start_kernel() and the image's initcall table
  '5.10': true,
  '6.1': true,
  // 7.2: every built-in call of the 7.2.13 tree before the read (caches/7.2.ts, 7.2-post.ts: found from the image's kallsyms)
  '7.2': true,
  // 7.3: 7.2's, with the two calls the 7.3.4 image's initcall table adds (caches/7.3-post.ts: how they were found)
  '7.3': true,
  // 6.16, 6.17, 6.18: 7.2's edited to every differing creation call of the 6.18.35 and 6.17.0 trees and to the
  // 6.16.12, 6.17.13 and 6.18.15 images' initcall tables and BTF (caches/6.18-post.ts, 6.17.ts, 6.16.ts say how)
  '6.16': true,
  '6.17': true,
  '6.18': true,
};

/** Whether the table `table` names has every 'post' call (POST_COMPLETE). */
export const tablePostComplete = (table: KernelTraits['state']['slabCacheTable']): boolean => POST_COMPLETE[table] ?? false;

export type BootSlabCaches = CreateResult & { readonly calls: readonly ResolvedCall[] };

/**
 * The caches on slab_caches of a boot from the table `table` names, up to `phase` ('boot': at the late
 * Memory: print; 'post': at the probe's read), or undefined where no table was read.
 */
export function slabCachesOf(state: BootState, ctx: BootContext, table: KernelTraits['state']['slabCacheTable'], phase: 'boot' | 'post'): BootSlabCaches | undefined {
  const calls = cacheTable(table);
  if (!calls) return undefined;
  // Memo of this pure function on its whole input: the state and context objects (immutable; withSlice makes a new
  // state), the table and the phase. One boot's late allocations and state read the same caches about five times.
  const byCtx = slabCachesMemo.get(state) ?? new WeakMap<BootContext, Map<string, BootSlabCaches>>();
  slabCachesMemo.set(state, byCtx);
  const byKey = byCtx.get(ctx) ?? new Map<string, BootSlabCaches>();
  byCtx.set(ctx, byKey);
  const key = `${table}:${phase}`;
  const hit = byKey.get(key);
  if (hit !== undefined) return hit;
  const r = slabCachesFrom(state, ctx, calls.filter((c) => phase === 'post' || c.phase === 'boot'));
  byKey.set(key, r);
  return r;
}

/** slabCachesOf's results by state, context, then table and phase; an error is not kept (each call meets it again). */
const slabCachesMemo = new WeakMap<BootState, WeakMap<BootContext, Map<string, BootSlabCaches>>>();

/** The caches `calls` (in creation order, the kmalloc caches inserted after the create_boot_cache() ones) make on this boot. */
export function slabCachesFrom(state: BootState, ctx: BootContext, calls: readonly CacheCall[]): BootSlabCaches {
  const traits = ctx.traits;
  const on = (name: string): boolean => configOn(ctx, name);
  const acpiOff = acpiDisabled(ctx.spec);
  const env = { state, ctx };
  const running = calls.filter((c) => callRuns(c, on, acpiOff) && (c.when === undefined || c.when(env)));
  const lastBoot = running.reduce((at, c, i) => (c.bootstrap ? i : at), -1);
  const ordered = [...running.slice(0, lastBoot + 1), ...kmallocCalls(ctx, traits), ...running.slice(lastBoot + 1)];
  const resolved = shareSlabs(ordered.map((c): ResolvedCall => {
    const { size: _size, ...rest } = c;
    const objectSize = resolveSize(c, env);
    return { ...rest, ...(c.nameBySize && objectSize !== undefined ? { name: c.nameBySize(objectSize) } : {}), objectSize };
  }));
  const topo = topologyOf(state, ctx);
  const orders = slubOrders(ctx);
  const geometry = (size: number): { order: number; objects: number } => calculateOrder(size, topo.possibleCpus, topo.possibleCpus, orders, traits.slubCalculateOrder);
  return { ...createCaches(resolved, createEnvOf(ctx, traits, geometry, on)), calls: resolved };
}

/** Whether a call is one of create_kmalloc_caches()'s (kmallocCalls). */
export const isKmallocCall = (c: Pick<CacheCall, 'site'>): boolean => c.site.startsWith('mm/slab_common.c: create_kmalloc_caches()');
