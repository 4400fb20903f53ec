// The slab caches kmem_cache_init() creates on a UP X86_32 3.0.1 build (mm/slub.c, 3.0.1), as /proc/slabinfo
// and /sys/kernel/slab show them after boot: kmem_cache_node and kmem_cache, the kmalloc caches and, with
// ZONE_DMA, their dma-kmalloc twins. Their geometry is SLUB's calculate_sizes() and calculate_order() over
// sizes that need no struct but kmem_cache's and kmem_cache_node's, laid out here from 3.0.1's headers (no
// BTF on i386). The caches created later (task_struct, dentry, …) are not predicted:
// harness/catalog/state-families.ts classes them.
import type { StateField } from '../state/index.ts';
import type { Boot30Context } from './context-30.ts';
import { calculateOrder } from '../state/slab-create.ts';
import { configEnabled, kernelConfig } from '../../traits.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';
import { SimError } from '../../lib/errors.ts';

const WHERE = 'slab caches (3.0.1)';
const SLUB = 'mm/slub.c (3.0.1)';

/** The creation flags kmem_cache_init() passes that change a cache's geometry or its sysfs name. */
type Flag30 = 'HWCACHE_ALIGN' | 'CACHE_DMA';

/** One cache kmem_cache_init() creates, with its geometry. */
export interface Cache30 {
  readonly name: string;
  /** s->objsize: the size asked for. */
  readonly objsize: number;
  /** s->size: the slot, after calculate_sizes(). */
  readonly size: number;
  readonly order: number;
  readonly objects: number;
  /** Its /sys/kernel/slab directory: the name when slab_unmergeable(), else create_unique_id(). */
  readonly sysfs: string;
  readonly why: string;
}

const align = (v: number, a: number): number => Math.ceil(v / a) * a;

/**
 * offsetof(struct kmem_cache, node) + nr_node_ids × sizeof(struct kmem_cache_node *) (include/linux/slub_def.h,
 * 3.0.1, i386, no NUMA): cpu_slab, flags, min_partial, size, objsize, offset, oo, max, min, allocflags, refcount,
 * ctor, inuse, align, reserved and name (16 × 4 = 64), the list_head (8), under CONFIG_SYSFS the kobject (name,
 * entry 8, parent, kset, ktype, sd, kref and the state bit-fields' word: 36), then node[MAX_NUMNODES = 1].
 */
export function kmemSize30(ctx: Boot30Context): number {
  return 64 + 8 + (configEnabled(ctx.kernel, 'SYSFS') ? 36 : 0) + 4;
}

/**
 * sizeof(struct kmem_cache_node) (include/linux/slub_def.h, 3.0.1, UP): list_lock (spinlock_types_up.h's empty
 * arch_spinlock_t without DEBUG_SPINLOCK or DEBUG_LOCK_ALLOC: 0 bytes), nr_partial, the partial list_head, and
 * under CONFIG_SLUB_DEBUG nr_slabs, total_objects and the full list_head.
 */
export function kmemCacheNodeSize30(ctx: Boot30Context): number {
  for (const o of ['DEBUG_SPINLOCK', 'DEBUG_LOCK_ALLOC']) if (configEnabled(ctx.kernel, o)) throw new SimError('SIM_NOT_MODELLED', WHERE, `CONFIG_${o}: its spinlock_t in struct kmem_cache_node is not laid out for 3.0.1`);
  return 4 + 8 + (configEnabled(ctx.kernel, 'SLUB_DEBUG') ? 4 + 4 + 8 : 0);
}

/**
 * kmem_cache_open() → calculate_sizes() and calculate_order() (mm/slub.c, 3.0.1) for a cache without debug
 * flags, constructor or RCU: size = ALIGN(objsize, sizeof(void *)), the free pointer at offset 0 (no extra
 * word), calculate_alignment(): under SLAB_HWCACHE_ALIGN cache_line_size() halved while the object fits in
 * half, at least the caller's align and ARCH_SLAB_MINALIGN, rounded to a pointer; size = ALIGN(size, align).
 * calculate_order(size, reserved 0): min_objects 4 × (fls(nr_cpu_ids) + 1) capped at order_objects(slub_max_order
 * 3), backing off the waste fraction 16, 8, 4 and then min_objects: the 'backoff' rule of
 * sim/stages/state/slab-create.ts, which 3.0.1's MAX_OBJS_PER_PAGE 65535 (5.10: 32767) cannot tell apart with
 * 4K pages and slub_min_order 0 (at most 512 objects per page at 8 bytes).
 */
function open30(ctx: Boot30Context, name: string, objsize: number, callerAlign: number, flags: readonly Flag30[], unmergeable: boolean, why: string): Cache30 {
  const ptr = 4;
  let size = align(objsize, ptr);
  let a = callerAlign;
  if (flags.includes('HWCACHE_ALIGN')) {
    let ralign = cacheLineSize30(ctx);
    while (objsize <= ralign / 2) ralign /= 2;
    a = Math.max(a, ralign);
  }
  // ARCH_SLAB_MINALIGN is 0 on x86 (include/linux/slub_def.h default)
  a = align(a, ptr);
  size = align(size, a);
  // nr_cpu_ids is 1 on a !CONFIG_SMP build (the envelope refuses SMP)
  const { order, objects } = calculateOrder(size, 1, 1, { minOrder: 0, maxOrder: 3, minObjects: 0 }, 'backoff');
  // create_unique_id(): 'd' for SLAB_CACHE_DMA, 't' as no cache here has SLAB_NOTRACK, then "%07d" of s->size
  const sysfs = unmergeable ? name : `:${flags.includes('CACHE_DMA') ? 'd' : ''}t-${String(size).padStart(7, '0')}`;
  return { name, objsize, size, order, objects, sysfs, why };
}

/** cache_line_size() = L1_CACHE_BYTES = 1 << CONFIG_X86_L1_CACHE_SHIFT (arch/x86/include/asm/cache.h, 3.0.1). */
function cacheLineSize30(ctx: Boot30Context): number {
  const l1 = kernelConfig(ctx.kernel, 'X86_L1_CACHE_SHIFT');
  if (l1 === undefined) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_X86_L1_CACHE_SHIFT: expected it in the kernel facts (cache_line_size()), found none');
  return 2 ** Number(l1);
}

/**
 * kmem_cache_init() (mm/slub.c, 3.0.1): kmem_cache_node (sizeof(struct kmem_cache_node)) and kmem_cache (kmem_size),
 * both SLAB_HWCACHE_ALIGN and made unmergeable by kmem_cache_bootstrap_fixup()'s refcount −1 (slab_unmergeable(),
 * so named in sysfs); create_kmalloc_cache() with ARCH_KMALLOC_MINALIGN (__alignof__(unsigned long long) = 8) and no
 * flags: kmalloc-96 and kmalloc-192 (KMALLOC_MIN_SIZE 8 ≤ 32, ≤ 64), kmalloc-8 … kmalloc-8192 (KMALLOC_SHIFT_LOW 3 to
 * SLUB_PAGE_SHIFT − 1 = 13); under CONFIG_ZONE_DMA "dma-kmalloc-%d" of each with SLAB_CACHE_DMA. The kmalloc caches
 * are mergeable (sysfs :t-/:dt- ids). A merge into one only raises s->objsize to at most s->size, which is their
 * objsize already, so their geometry is as created.
 */
export function kmemCacheInitCaches30(ctx: Boot30Context): Cache30[] {
  if (!configEnabled(ctx.kernel, 'SLUB')) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_SLUB unset: the SLAB and SLOB caches of 3.0.1 are not modelled');
  if (configEnabled(ctx.kernel, 'SLUB_DEBUG_ON')) throw new SimError('SIM_NOT_MODELLED', WHERE, 'CONFIG_SLUB_DEBUG_ON: slub_debug\'s red zones, poisoning and tracking in every cache are not modelled for 3.0.1');
  if (PAGE_SHIFT !== 12n) throw new SimError('SIM_NOT_MODELLED', WHERE, `PAGE_SHIFT ${PAGE_SHIFT}: expected 12`);
  const out: Cache30[] = [
    open30(ctx, 'kmem_cache_node', kmemCacheNodeSize30(ctx), 0, ['HWCACHE_ALIGN'], true, `${SLUB} kmem_cache_init(): sizeof(struct kmem_cache_node)`),
    open30(ctx, 'kmem_cache', kmemSize30(ctx), 0, ['HWCACHE_ALIGN'], true, `${SLUB} kmem_cache_init(): kmem_size = offsetof(struct kmem_cache, node) + nr_node_ids × sizeof(void *)`),
  ];
  const kmalloc = [96, 192, ...Array.from({ length: 11 }, (_, i) => 2 ** (i + 3))];
  for (const n of kmalloc) out.push(open30(ctx, `kmalloc-${n}`, n, 8, [], false, `${SLUB} kmem_cache_init() → create_kmalloc_cache(${n}, ARCH_KMALLOC_MINALIGN 8)`));
  if (configEnabled(ctx.kernel, 'ZONE_DMA')) {
    for (const n of kmalloc) out.push(open30(ctx, `dma-kmalloc-${n}`, n, 8, ['CACHE_DMA'], false, `${SLUB} kmem_cache_init() → create_kmalloc_cache("dma-kmalloc-%d", s->objsize ${n}, SLAB_CACHE_DMA)`));
  }
  return out;
}

/**
 * The slabinfo and /sys/kernel/slab fields of kmem_cache_init()'s caches (mm/slub.c, 3.0.1): s_show() prints
 * s->size, oo_objects(s->oo), 1 << oo_order(s->oo) and the tunables and sharedavail as literal 0s;
 * object_size_show() s->objsize, slab_size_show() s->size, objs_per_slab_show() oo_objects(s->oo),
 * order_show() oo_order(s->oo), under the directory sysfs_slab_add() names.
 */
export function predictSlabs30(ctx: Boot30Context): StateField[] {
  const out: StateField[] = [];
  const show = `${SLUB} s_show()`;
  for (const c of kmemCacheInitCaches30(ctx)) {
    const slot = { name: `s->size of ${c.name}: calculate_sizes(${c.objsize})`, value: c.size, source: c.why };
    const order = { name: `calculate_order(${c.size}): order ${c.order}, ${c.objects} objects`, value: c.order, source: `${SLUB} calculate_order(), nr_cpu_ids 1` };
    out.push(
      { family: 'slabinfo', key: `${c.name}: objsize`, value: String(c.size), explain: [slot] },
      { family: 'slabinfo', key: `${c.name}: objperslab`, value: String(c.objects), explain: [slot, order] },
      { family: 'slabinfo', key: `${c.name}: pagesperslab`, value: String(2 ** c.order), explain: [slot, order] },
    );
    for (const col of ['limit', 'batchcount', 'sharedfactor', 'sharedavail']) out.push({ family: 'slabinfo', key: `${c.name}: ${col}`, value: '0', explain: [{ name: `${col}: a literal 0 under SLUB`, value: 0, source: show }] });
    const dir = { name: `${c.name}: ${c.sysfs === c.name ? 'unmergeable (refcount −1), named' : 'mergeable, create_unique_id()'}`, value: c.sysfs, source: `${SLUB} sysfs_slab_add()` };
    out.push(
      { family: 'slab', key: `${c.sysfs}: object_size`, value: String(c.objsize), explain: [dir, { name: `s->objsize of ${c.name}`, value: c.objsize, source: c.why }] },
      { family: 'slab', key: `${c.sysfs}: slab_size`, value: String(c.size), explain: [dir, slot] },
      { family: 'slab', key: `${c.sysfs}: objs_per_slab`, value: String(c.objects), explain: [dir, slot, order] },
      { family: 'slab', key: `${c.sysfs}: order`, value: String(c.order), explain: [dir, slot, order] },
    );
  }
  return out;
}
