// models mm/slab_common.c kmem_cache_create() → __kmem_cache_create_args() (calculate_alignment,
// find_mergeable, __kmem_cache_alias, create_cache) and mm/slub.c calculate_sizes(),
// calculate_order() and sysfs_slab_add() → create_unique_id() (7.2.13 and 6.12.115; the 5.10.223 and
// 6.1.192 differences behind traits: slab_unmergeable()'s usersize test, calculate_order()'s
// min_objects back-off). Pure: an ordered table of creation calls in, the caches on slab_caches out,
// each with its slot, order, objects per slab, aliases and /sys/kernel/slab directory.
import type { BootContext, BootState } from '../../boot.ts';
import type { KernelTraits } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import { getOrder } from '../hashes.ts';
import type { SlubOrders } from '../slub.ts';
import { cacheLineSize } from '../boot-cpu.ts';

const STAGE = 'slab-create';
const PAGE_SIZE = 4096;

/**
 * The creation flags that decide a cache's layout, its merging or its sysfs name (include/linux/slab.h):
 * SLAB_HWCACHE_ALIGN; SLAB_MERGE_SAME's SLAB_ACCOUNT, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA,
 * SLAB_CACHE_DMA32; SLAB_NEVER_MERGE's SLAB_TYPESAFE_BY_RCU, SLAB_NO_MERGE (6.8+), SLAB_NOLEAKTRACE,
 * SLAB_FAILSLAB. Flags that change none of these (SLAB_PANIC, SLAB_MEM_SPREAD, SLAB_NO_OBJ_EXT …) are not listed.
 */
export type SlabFlag = 'HWCACHE_ALIGN' | 'ACCOUNT' | 'RECLAIM_ACCOUNT' | 'CACHE_DMA' | 'CACHE_DMA32' | 'TYPESAFE_BY_RCU' | 'NO_MERGE' | 'NOLEAKTRACE' | 'FAILSLAB';

/** mm/slab_common.c SLAB_MERGE_SAME (5.10.223 … 7.2.13). */
const MERGE_SAME: readonly SlabFlag[] = ['RECLAIM_ACCOUNT', 'CACHE_DMA', 'CACHE_DMA32', 'ACCOUNT'];
/** mm/slab_common.c SLAB_NEVER_MERGE without the debug flags (slab_debug is refused: slubLayoutNotModelled). */
const NEVER_MERGE: readonly SlabFlag[] = ['TYPESAFE_BY_RCU', 'NO_MERGE', 'NOLEAKTRACE', 'FAILSLAB'];

/** Where a call's object size comes from: a struct of the facts (plus bytes), a number the source fixes, or a rule over the boot. */
export type CacheSize =
  | { readonly struct: string; readonly plus?: number }
  | { readonly bytes: number }
  | ((env: SizeEnv) => number | undefined);

/** What a size rule may read: the finished boot's state (topology, nr_node_ids) and its context (facts, config). */
export interface SizeEnv {
  readonly state: BootState;
  readonly ctx: BootContext;
}

/**
 * One kmem_cache_create() (KMEM_CACHE(), kmem_cache_create_usercopy(), create_boot_cache()) call a
 * built-in init function makes before the probe reads /proc/slabinfo.
 */
export interface CacheCall {
  /** kmem_cache_create()'s name. */
  readonly name: string;
  /** A name the call prints from the object size (block/bio.c create_bio_slab()'s "bio-%d"); `name` stands for it where unsized. */
  readonly nameBySize?: (objectSize: number) => string;
  /** The call and the init function that runs it, e.g. 'net/ipv4/af_inet.c: inet_init() proto_register(&tcp_prot, 1)'. */
  readonly site: string;
  /** The object size passed (s->object_size); a rule returning undefined leaves the cache unsized (the facts lack a struct). */
  readonly size: CacheSize;
  /** The align argument (KMEM_CACHE: __alignof__(struct); 0 when absent). Only matters where it exceeds the word or the cache-line rule. */
  readonly align?: number;
  readonly flags: readonly SlabFlag[];
  /** A constructor: the cache never merges, and without freeptrOffset its free pointer sits after the object. */
  readonly ctor?: true;
  /** kmem_cache_create_usercopy() / KMEM_CACHE_USERCOPY() with usersize > 0 (the kmalloc caches: the whole object). */
  readonly usercopy?: true;
  /** kmem_cache_args.freeptr_offset with use_freeptr_offset (6.12+): a ctor or RCU cache keeps its free pointer inside. */
  readonly freeptrOffset?: true;
  /** create_boot_cache() (mm/slab_common.c): refcount −1, "exempt from merging". */
  readonly bootstrap?: true;
  /** CONFIG_ options (all =y) without which the call does not run. */
  readonly option?: string | readonly string[];
  /** Made only while ACPI is enabled: acpi=off returns from acpi_early_init() first (drivers/acpi/bus.c, 6.12.115, 7.2.13). */
  readonly acpi?: true;
  /** A condition of the source besides the options, e.g. security/security.c ordered_lsm_init()'s "if (blob_sizes.lbs_inode)": false, the call is not made. */
  readonly when?: (env: SizeEnv) => boolean;
  /**
   * A slab several calls share by object size (block/bio.c bio_find_or_create_slab(): a bioset whose size an
   * earlier one of the group made reuses that slab, no kmem_cache_create()): the call is made only for a size
   * new to its group, and named `name(size, how many sizes the group made before)`.
   */
  readonly sharedSlab?: { readonly group: string; readonly name: (size: number, index: number) => string };
  /** 'boot': before page_alloc_init_late()'s late Memory: print; 'post': after it, before the probe's read. */
  readonly phase: 'boot' | 'post';
}

/** A call with its size resolved (undefined: not sized by the facts). */
export interface ResolvedCall extends Omit<CacheCall, 'size'> {
  readonly objectSize: number | undefined;
}

/** The rules of one kernel that createCaches follows. */
export interface CreateEnv {
  /** sizeof(void *): 8 on x86_64, 4 on i386. */
  readonly word: number;
  /** cache_line_size() (x86: boot_cpu_data.x86_cache_alignment, 64 on the CPUs QEMU models). */
  readonly cacheLine: number;
  /** arch_slab_minalign(): ARCH_SLAB_MINALIGN = __alignof__(unsigned long long), 8 (include/linux/slab.h). */
  readonly minAlign: number;
  /** slab_nomerge: !CONFIG_SLAB_MERGE_DEFAULT. */
  readonly nomerge: boolean;
  /**
   * Whether a usercopy region keeps a cache apart: 'always' (5.10.223, 6.1.192 slab_unmergeable()
   * s->usersize; kmem_cache_create_usercopy() skips __kmem_cache_alias() when usersize is set) or
   * only under CONFIG_HARDENED_USERCOPY, which otherwise zeroes usersize (6.12.115, 7.2.13).
   */
  readonly usercopyKeepsApart: boolean;
  /** calculate_order(): the order and objects per slab of a slot (see calculateOrder). */
  readonly geometry: (size: number) => { order: number; objects: number };
}

/** One call folded into a cache by __kmem_cache_alias(). */
export interface CacheAlias {
  readonly name: string;
  readonly site: string;
  readonly phase: 'boot' | 'post';
  readonly objectSize: number;
}

/** One kmem_cache on slab_caches, as created and as its aliases left it. */
export interface SlabCache {
  readonly name: string;
  readonly site: string;
  readonly phase: 'boot' | 'post';
  readonly flags: readonly SlabFlag[];
  /** s->object_size as created; undefined where unsized. */
  readonly createdSize: number | undefined;
  /** s->object_size at the read: max over the created size and its aliases' (__kmem_cache_alias); undefined where unsized or an undetermined call may have raised it. */
  readonly objectSize: number | undefined;
  /** s->size, the slot (calculate_sizes). */
  readonly size: number | undefined;
  readonly align: number | undefined;
  readonly order: number | undefined;
  readonly objects: number | undefined;
  readonly aliases: readonly CacheAlias[];
  /** Why slab_unmergeable() holds (its sysfs directory is its name), or undefined when mergeable. */
  readonly unmergeable: string | undefined;
  /** sysfs_slab_add()'s directory: the name if unmergeable, else create_unique_id()'s ":<flags>-<size>"; undefined where unsized and mergeable. */
  readonly sysfsDir: string | undefined;
}

/** A call whose outcome (its own cache, or an alias of which) the model cannot tell, and why. */
export interface UndeterminedCall {
  readonly name: string;
  readonly site: string;
  readonly why: string;
}

export interface CreateResult {
  /** slab_caches in creation order (/proc/slabinfo prints them newest first). */
  readonly caches: readonly SlabCache[];
  readonly undetermined: readonly UndeterminedCall[];
}

const ALIGN = (x: number, a: number): number => Math.ceil(x / a) * a;
const has = (c: { readonly flags: readonly SlabFlag[] }, f: SlabFlag): boolean => c.flags.includes(f);
const mergeClass = (flags: readonly SlabFlag[]): string => MERGE_SAME.filter((f) => flags.includes(f)).join(',');

/**
 * calculate_alignment() (mm/slab_common.c 5.10.223 … 7.2.13): with SLAB_HWCACHE_ALIGN,
 * cache_line_size() halved while the object fits in half of it, at least the align argument; then at
 * least arch_slab_minalign(), ALIGNed to sizeof(void *).
 */
export function calculateAlignment(flags: readonly SlabFlag[], align: number, size: number, env: Pick<CreateEnv, 'word' | 'cacheLine' | 'minAlign'>): number {
  let a = align;
  if (flags.includes('HWCACHE_ALIGN')) {
    let ralign = env.cacheLine;
    while (size <= ralign / 2) ralign /= 2;
    a = Math.max(a, ralign);
  }
  a = Math.max(a, env.minAlign);
  return ALIGN(a, env.word);
}

/**
 * calculate_sizes() (mm/slub.c 7.2.13, 6.12.115; the same without debug flags in 5.10.223 and 6.1.192):
 * the object ALIGNed to a word; a TYPESAFE_BY_RCU or ctor cache without a freeptr_offset puts the free
 * pointer after it (one more word); then ALIGN to s->align. KASAN (kasan_cache_create) is refused by the caller.
 */
export function calculateSizes(call: Pick<CacheCall, 'flags' | 'ctor' | 'freeptrOffset'>, objectSize: number, align: number, word: number): number {
  let size = ALIGN(objectSize, word);
  if ((has(call, 'TYPESAFE_BY_RCU') || call.ctor) && !call.freeptrOffset) size += word;
  return ALIGN(size, align);
}

/** slab_args_unmergeable() (7.2.13; the early returns of find_mergeable() in 5.10.223 … 6.12.115): why a call can never alias, or undefined. */
export function argsUnmergeable(call: Pick<CacheCall, 'flags' | 'ctor' | 'usercopy'>, env: Pick<CreateEnv, 'nomerge' | 'usercopyKeepsApart'>): string | undefined {
  if (env.nomerge) return 'slab_nomerge (CONFIG_SLAB_MERGE_DEFAULT unset)';
  if (call.ctor) return 'a constructor';
  if (call.usercopy && env.usercopyKeepsApart) return 'a usercopy region (s->usersize)';
  const never = NEVER_MERGE.find((f) => call.flags.includes(f));
  if (never) return `SLAB_${never}`;
  return undefined;
}

/** The caches on slab_caches so far, with what find_mergeable() reads of each. */
interface Listed {
  readonly call: ResolvedCall;
  readonly size: number | undefined;
  readonly align: number | undefined;
  readonly unmergeable: string | undefined;
  objectSize: number | undefined;
  readonly aliases: CacheAlias[];
}

/**
 * find_mergeable() (mm/slab_common.c): the oldest cache on slab_caches (list_for_each_entry_reverse
 * walks from the first created) that is mergeable, has the same SLAB_MERGE_SAME flags, a slot at least
 * the new ALIGNed size and less than a word above it, and a slot that is a multiple of the new
 * alignment. 'unknown' where an unsized mergeable cache of the same flags comes before any that matches.
 */
function findMergeable(size: number, align: number, flags: readonly SlabFlag[], listed: readonly Listed[], word: number): Listed | 'unknown' | undefined {
  const cls = mergeClass(flags);
  for (const s of listed) {
    if (s.unmergeable !== undefined) continue;
    if (mergeClass(s.call.flags) !== cls) continue;
    if (s.size === undefined) return 'unknown';
    if (size > s.size) continue;
    if ((s.size & ~(align - 1)) !== s.size) continue;
    if (s.size - size >= word) continue;
    return s;
  }
  return undefined;
}

/**
 * __kmem_cache_create_args() over the calls in creation order (mm/slab_common.c 7.2.13; 6.12.115 and
 * 5.10.223/6.1.192 kmem_cache_create_usercopy() alike without debug flags): a call find_mergeable()
 * matches becomes an alias of that cache (__kmem_cache_alias(): its object_size raised to the
 * alias's), any other creates a cache (create_cache(): list_add to slab_caches, calculate_sizes(),
 * calculate_order()). A mergeable call whose match depends on an unsized cache is undetermined and
 * left out, as is every later mergeable call of its SLAB_MERGE_SAME class whose match could be it.
 */
export function createCaches(calls: readonly ResolvedCall[], env: CreateEnv): CreateResult {
  const listed: Listed[] = [];
  const undetermined: UndeterminedCall[] = [];
  // per SLAB_MERGE_SAME class, where on slab_caches each undetermined call came (listed.length then): it may
  // have made a cache there, or raised the object_size of one listed before
  const open = new Map<string, number[]>();
  const own = (call: ResolvedCall, never: string | undefined): void => {
    const size = call.objectSize;
    const align = size === undefined ? undefined : calculateAlignment(call.flags, call.align ?? 0, size, env);
    const slot = size === undefined || align === undefined ? undefined : calculateSizes(call, size, align, env.word);
    listed.push({ call, size: slot, align, unmergeable: never, objectSize: size, aliases: [] });
  };
  // an undetermined call: left out, and named
  const leave = (call: ResolvedCall, cls: string, why: string): void => {
    undetermined.push({ name: call.name, site: call.site, why });
    open.set(cls, [...(open.get(cls) ?? []), listed.length]);
  };
  for (const call of calls) {
    const cls = mergeClass(call.flags);
    const never = call.bootstrap ? 'refcount −1 (mm/slab_common.c create_boot_cache(), "exempt from merging")' : argsUnmergeable(call, env);
    const size = call.objectSize;
    if (never === undefined) {
      if (size === undefined) {
        // an unsized mergeable call: its own cache (an 'unknown' candidate later) or an alias of an earlier one
        if (listed.some((s) => s.unmergeable === undefined && mergeClass(s.call.flags) === cls)) {
          leave(call, cls, 'unsized (the facts lack its struct): whether find_mergeable() folds it into an earlier cache is not known');
          continue;
        }
      } else {
        const w = ALIGN(size, env.word);
        const align = calculateAlignment(call.flags, call.align ?? 0, w, env);
        const found = findMergeable(ALIGN(w, align), align, call.flags, listed, env.word);
        // an undetermined call's own cache would come before any cache listed after it, and so be matched first
        const firstOpen = open.get(cls)?.[0];
        const at = found === undefined || found === 'unknown' ? listed.length : listed.indexOf(found);
        if (found === 'unknown' || (firstOpen !== undefined && firstOpen <= at)) {
          leave(call, cls, 'find_mergeable() may match an unsized or undetermined earlier cache of its flags');
          continue;
        }
        if (found) {
          found.aliases.push({ name: call.name, site: call.site, phase: call.phase, objectSize: size });
          if (found.objectSize !== undefined) found.objectSize = Math.max(found.objectSize, size);
          continue;
        }
      }
    }
    own(call, never);
  }
  const caches = listed.map((s, i): SlabCache => {
    const g = s.size === undefined ? undefined : env.geometry(s.size);
    // an undetermined call after it, of its class, may have been folded in and raised its object_size
    const raised = s.unmergeable === undefined && (open.get(mergeClass(s.call.flags)) ?? []).some((p) => p > i);
    return {
      name: s.call.name,
      site: s.call.site,
      phase: s.call.phase,
      flags: s.call.flags,
      createdSize: s.call.objectSize,
      objectSize: raised ? undefined : s.objectSize,
      size: s.size,
      align: s.align,
      order: g?.order,
      objects: g?.objects,
      aliases: s.aliases,
      unmergeable: s.unmergeable,
      sysfsDir: s.unmergeable !== undefined ? s.call.name : s.size === undefined ? undefined : createUniqueId(s.call.flags, s.size),
    };
  });
  return { caches, undetermined };
}

/**
 * create_unique_id() (mm/slub.c 5.10.223 … 7.2.13): ':', then 'd' SLAB_CACHE_DMA, 'D' SLAB_CACHE_DMA32,
 * 'a' SLAB_RECLAIM_ACCOUNT, 'A' SLAB_ACCOUNT ('F' SLAB_CONSISTENCY_CHECKS is a debug flag, refused), a '-'
 * if any, then s->size as "%07u": the directory sysfs_slab_add() gives a mergeable cache.
 */
export function createUniqueId(flags: readonly SlabFlag[], size: number): string {
  const letters = ([['CACHE_DMA', 'd'], ['CACHE_DMA32', 'D'], ['RECLAIM_ACCOUNT', 'a'], ['ACCOUNT', 'A']] as const).filter(([f]) => flags.includes(f)).map(([, l]) => l).join('');
  return `:${letters ? `${letters}-` : ''}${String(size).padStart(7, '0')}`;
}

/** The CreateEnv of a boot: the word, the cache line, slab_nomerge from the config, the usercopy rule of its traits. */
export function createEnvOf(ctx: BootContext, traits: KernelTraits, geometry: CreateEnv['geometry'], configOn: (name: string) => boolean): CreateEnv {
  return {
    word: configOn('64BIT') ? 8 : 4,
    cacheLine: cacheLineSize(ctx).bytes,
    minAlign: 8,
    nomerge: !configOn('SLAB_MERGE_DEFAULT'),
    usercopyKeepsApart: traits.slabUsercopyUnmergeable === 'always' || configOn('HARDENED_USERCOPY'),
    geometry,
  };
}

/** Whether a call runs on this boot: every option it names is =y, and ACPI is on where it needs it. */
export function callRuns(call: Pick<CacheCall, 'option' | 'acpi'>, configOn: (name: string) => boolean, acpiOff: boolean): boolean {
  const opts = call.option === undefined ? [] : typeof call.option === 'string' ? [call.option] : call.option;
  return opts.every((o) => configOn(o)) && !(call.acpi && acpiOff);
}

/** The calls with each sharedSlab group's repeated sizes dropped and the others named (CacheCall.sharedSlab); an unsized call is kept as it is. */
export function shareSlabs(calls: readonly ResolvedCall[]): ResolvedCall[] {
  const made = new Map<string, number[]>();
  const out: ResolvedCall[] = [];
  for (const c of calls) {
    if (c.sharedSlab === undefined || c.objectSize === undefined) {
      out.push(c);
      continue;
    }
    const sizes = made.get(c.sharedSlab.group) ?? [];
    if (sizes.includes(c.objectSize)) continue;
    out.push({ ...c, name: c.sharedSlab.name(c.objectSize, sizes.length) });
    made.set(c.sharedSlab.group, [...sizes, c.objectSize]);
  }
  return out;
}

/** A call's object size: the struct's BTF size (plus bytes), a fixed number, or its rule; undefined where the facts lack the struct. */
export function resolveSize(call: CacheCall, env: SizeEnv): number | undefined {
  const s = call.size;
  if (typeof s === 'function') return s(env);
  if ('bytes' in s) return s.bytes;
  const st = env.ctx.kernel.facts.structs[s.struct];
  return st === undefined ? undefined : st.bytes + (s.plus ?? 0);
}

/**
 * mm/slub.c calculate_order() (6.8+, traits.slubCalculateOrder 'min-order'; 6.12.115, 7.2.13): the order and
 * objects of a cache's slabs under the slab-order parameters as kmem_cache_init() found them
 * (sim/stages/slub.ts slubOrders; the defaults slub_min_order 0, slub_max_order PAGE_ALLOC_COSTLY_ORDER,
 * slub_min_objects 0). MAX_OBJS_PER_PAGE 32767. 'backoff': the pre-6.8 rule (calculateOrderBackoff).
 */
export function calculateOrder(size: number, presentCpus: number, nrCpuIds: number, orders: SlubOrders = { minOrder: 0, maxOrder: 3, minObjects: 0 }, variant: KernelTraits['slubCalculateOrder'] = 'min-order'): { order: number; objects: number } {
  if (variant === 'backoff') return calculateOrderBackoff(size, presentCpus, nrCpuIds, orders);
  const { maxOrder } = orders;
  const page = PAGE_SIZE;
  // order_objects(): (PAGE_SIZE << order) / size, in unsigned int
  const orderObjects = (order: number): number => Math.floor((page * 2 ** order) / size);
  const fls = (x: number): number => 32 - Math.clz32(x);
  let minObjects = orders.minObjects;
  if (!minObjects) {
    // "don't trust the number if it's just 1": num_present_cpus(), else nr_cpu_ids
    const nrCpus = presentCpus <= 1 ? nrCpuIds : presentCpus;
    minObjects = 4 * (fls(nrCpus) + 1);
  }
  // "min_objects can't be 0 because get_order(0) is undefined"
  minObjects = Math.min(minObjects, Math.max(orderObjects(maxOrder), 1));
  const minOrder = Math.max(orders.minOrder, getOrder(BigInt(minObjects) * BigInt(size)));
  if (orderObjects(minOrder) > 32767) {
    const order = getOrder(BigInt(size * 32767)) - 1;
    return { order, objects: orderObjects(order) };
  }
  for (let fraction = 16; fraction > 1; fraction /= 2) {
    // calc_slab_order(): the first order from min_order whose leftover is at most slab_size / fraction
    let order = minOrder;
    for (; order <= maxOrder; order++) {
      const slab = page * 2 ** order;
      if (slab % size <= slab / fraction) break;
    }
    if (order <= maxOrder) return { order, objects: orderObjects(order) };
  }
  // "Doh this slab cannot be placed using slab_max_order"
  const order = getOrder(BigInt(size));
  return { order, objects: orderObjects(order) };
}

/** include/linux/mmzone.h MAX_ORDER (5.10.223, 6.1.192: 11, the orders run 0 … MAX_ORDER − 1). */
const MAX_ORDER_BACKOFF = 11;

/**
 * mm/slub.c calculate_order() before 6.8 (traits.slubCalculateOrder 'backoff', 5.10.223, 6.1.192):
 * for min_objects from 4 × (fls(nr_cpus) + 1) (capped at what fits in slub_max_order) down to 2,
 * the first of the waste fractions 1/16, 1/8, 1/4 for which calc_slab_order() finds an order within
 * slub_max_order; then one object within slub_max_order; then one within MAX_ORDER. calc_slab_order()
 * (slab_order() in 5.10): from max(slub_min_order, get_order(min_objects × size)) the first order whose
 * leftover is at most slab_size / fraction, or get_order(size × MAX_OBJS_PER_PAGE) − 1 when
 * slub_min_order already holds more than MAX_OBJS_PER_PAGE. 6.1 takes num_present_cpus() unless it is
 * 1, 5.10 nr_cpu_ids: the callers here pass nr_cpu_ids for both (every possible CPU is present).
 */
function calculateOrderBackoff(size: number, presentCpus: number, nrCpuIds: number, orders: SlubOrders): { order: number; objects: number } {
  const page = PAGE_SIZE;
  const orderObjects = (order: number): number => Math.floor((page * 2 ** order) / size);
  const fls = (x: number): number => 32 - Math.clz32(x);
  const calcSlabOrder = (minObjects: number, maxOrder: number, fraction: number): number => {
    if (orderObjects(orders.minOrder) > 32767) return getOrder(BigInt(size * 32767)) - 1;
    let order = Math.max(orders.minOrder, getOrder(BigInt(minObjects) * BigInt(size)));
    for (; order <= maxOrder; order++) {
      const slab = page * 2 ** order;
      if (slab % size <= Math.floor(slab / fraction)) break;
    }
    return order;
  };
  const done = (order: number): { order: number; objects: number } => ({ order, objects: orderObjects(order) });
  let minObjects = orders.minObjects || 4 * (fls(presentCpus <= 1 ? nrCpuIds : presentCpus) + 1);
  minObjects = Math.min(minObjects, orderObjects(orders.maxOrder));
  for (; minObjects > 1; minObjects--) {
    for (let fraction = 16; fraction >= 4; fraction /= 2) {
      const order = calcSlabOrder(minObjects, orders.maxOrder, fraction);
      if (order <= orders.maxOrder) return done(order);
    }
  }
  const one = calcSlabOrder(1, orders.maxOrder, 1);
  if (one <= orders.maxOrder) return done(one);
  const last = calcSlabOrder(1, MAX_ORDER_BACKOFF, 1);
  if (last < MAX_ORDER_BACKOFF) return done(last);
  throw new SimError('SIM_NOT_MODELLED', STAGE, `calculate_order(${size}): expected an order below MAX_ORDER ${MAX_ORDER_BACKOFF}, got none (-ENOSYS)`);
}
