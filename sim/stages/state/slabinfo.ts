// /proc/slabinfo's and /sys/kernel/slab's geometry for the caches sim/stages/late-allocs.ts
// bootSlabCacheGeometry lists: those sim/stages/state/slab-create.ts creates from the series' table of
// cache calls (sim/stages/state/caches/), or on the series without one the kmalloc caches, kmem_cache(_node)
// and the calls no merge can fold. Pure: a finished boot's state and context in, fields out, keyed as
// harness/compare/state.ts reads a slabinfo line ("<cache>: objsize").
import type { BootContext, BootState } from '../../boot.ts';
import { bootSlabCacheGeometry } from '../late-allocs.ts';
import { configOn } from '../mm-inputs.ts';
import type { StateField } from './index.ts';

const SOURCE_SHOW = 'mm/slab_common.c: cache_show() prints s->size, sinfo.objects_per_slab, 1 << sinfo.cache_order (5.10, 6.1, 6.12, 7.2)';
const SOURCE_INFO = 'mm/slub.c: get_slabinfo() objects_per_slab = oo_objects(s->oo), cache_order = oo_order(s->oo) (5.10, 6.1, 6.12, 7.2)';
const SOURCE_ZERO = 'mm/slab_common.c: cache_show() memset(&sinfo, 0); mm/slub.c get_slabinfo() sets only the object and slab counts, objects_per_slab and cache_order (5.10, 6.1, 6.12, 6.18, 7.2)';

/** The columns SLUB leaves at cache_show()'s memset: the three tunables and the shared-array count of slabdata. */
const SLUB_ZERO_COLUMNS = [['limit', 'sinfo.limit'], ['batchcount', 'sinfo.batchcount'], ['sharedfactor', 'sinfo.shared'], ['sharedavail', 'sinfo.shared_avail']] as const;

/**
 * The objsize, objperslab and pagesperslab of every cache bootSlabCacheGeometry sizes. slabinfo's
 * objsize is s->size (the slot, not s->object_size; cache_show()); objperslab and pagesperslab are
 * s->oo as calculate_order() set it at creation (get_slabinfo()). A cache created later that
 * merges into one of these (__kmem_cache_alias) raises only object_size and inuse, so the three
 * stay as created. An alias makes no kmem_cache (createCaches folds it), so each listed cache has its own
 * slabinfo line. The caches it does not size, and every cache created after the print, are not
 * predicted (harness/catalog/state-families.ts classes them unmodelled). Under SLUB (CONFIG_SLUB) the
 * tunables limit, batchcount and sharedfactor and slabdata's sharedavail are 0 for every cache:
 * cache_show() zeroes its struct slabinfo and SLUB's get_slabinfo() never sets them (SLAB's
 * per-CPU arrays are what they describe), so every listed cache has them, sized or not.
 */
export function predictSlabinfo(state: BootState, ctx: BootContext): StateField[] {
  const caches = bootSlabCacheGeometry(state, ctx);
  const out: StateField[] = [];
  const slub = configOn(ctx, 'SLUB');
  for (const c of caches) {
    if (slub) {
      for (const [col, member] of SLUB_ZERO_COLUMNS) out.push({ family: 'slabinfo', key: `${c.name}: ${col}`, value: '0', explain: [{ name: `${member} of ${c.name}, never set by SLUB`, value: 0, source: SOURCE_ZERO }] });
    }
    if (c.size === undefined || c.order === undefined || c.objectsPerSlab === undefined) continue;
    const slot = { name: `s->size of ${c.name} (${c.site})`, value: c.size, source: SOURCE_SHOW };
    const order = { name: `calculate_order(${c.size}): order`, value: c.order, source: `mm/slub.c: calculate_sizes() → calculate_order(), ${ctx.traits.slubCalculateOrder === 'backoff' ? 'min_objects backing off (5.10, 6.1)' : 'from the min_objects order (6.12, 7.2)'}` };
    const objects = { name: `calculate_order(${c.size}): objects per slab`, value: c.objectsPerSlab, source: SOURCE_INFO };
    out.push(
      { family: 'slabinfo', key: `${c.name}: objsize`, value: String(c.size), explain: [slot] },
      { family: 'slabinfo', key: `${c.name}: objperslab`, value: String(c.objectsPerSlab), explain: [slot, order, objects] },
      { family: 'slabinfo', key: `${c.name}: pagesperslab`, value: String(2 ** c.order), explain: [slot, order] },
    );
  }
  return out;
}

const SOURCE_SYSFS = 'mm/slub.c: sysfs_slab_add() names an unmergeable cache\'s directory after it; object_size_show() s->object_size, slab_size_show() s->size, objs_per_slab_show() oo_objects(s->oo), order_show() oo_order(s->oo) (5.10, 6.1, 6.12, 7.2)';

/**
 * /sys/kernel/slab/<dir>/{object_size,slab_size,objs_per_slab,order} of every cache bootSlabCacheGeometry
 * sizes: an unmergeable one (slab_unmergeable()) under its name, sysfs_slab_add(); a mergeable one
 * whose flags were read under create_unique_id()'s ":<flags>-<size>", without object_size (a later
 * alias raises it to its own, __kmem_cache_alias(), and the aliases are not all modelled). slab_size
 * and the two s->oo fields are the slabinfo geometry; object_size is s->object_size, the size the
 * cache was created with. Keyed as harness/compare/state.ts reads the probe's block ("<dir>: object_size").
 */
export function predictSlabSysfs(state: BootState, ctx: BootContext): StateField[] {
  const out: StateField[] = [];
  for (const c of bootSlabCacheGeometry(state, ctx)) {
    if (c.size === undefined || c.order === undefined || c.objectsPerSlab === undefined) continue;
    if (c.unmergeable === undefined && c.mergeFlags !== undefined) {
      // create_unique_id(): ':', the flag letters and '-' if any, then "%07u" of s->size
      const id = `:${c.mergeFlags ? `${c.mergeFlags}-` : ''}${String(c.size).padStart(7, '0')}`;
      const dir = { name: `${c.name}: mergeable, so its directory is create_unique_id()'s`, value: id, source: 'mm/slub.c: sysfs_slab_add() → create_unique_id() (5.10, 6.12, 7.2)' };
      const slot = { name: `s->size of ${c.name} (${c.site})`, value: c.size, source: SOURCE_SHOW };
      const order = { name: `calculate_order(${c.size}): order`, value: c.order, source: 'mm/slub.c: calculate_sizes() → calculate_order()' };
      // s->object_size: the created size raised by each alias (__kmem_cache_alias()); known where the table lists every call (tablePostComplete)
      if (c.objectSize !== undefined) out.push({ family: 'slab', key: `${id}: object_size`, value: String(c.objectSize), explain: [dir, { name: `s->object_size of ${c.name}: the largest of its own and its aliases' sizes`, value: c.objectSize, source: 'mm/slab_common.c: __kmem_cache_alias() s->object_size = max(s->object_size, size) (5.10, 6.1, 6.12, 7.2)' }] });
      out.push(
        { family: 'slab', key: `${id}: slab_size`, value: String(c.size), explain: [dir, slot] },
        { family: 'slab', key: `${id}: objs_per_slab`, value: String(c.objectsPerSlab), explain: [dir, slot, order, { name: 'oo_objects(s->oo)', value: c.objectsPerSlab, source: SOURCE_SYSFS }] },
        { family: 'slab', key: `${id}: order`, value: String(c.order), explain: [dir, slot, order] },
      );
      continue;
    }
    if (c.objectSize === undefined || c.unmergeable === undefined) continue;
    const dir = { name: `${c.name}: its own directory, unmergeable by ${c.unmergeable}`, value: c.name, source: SOURCE_SYSFS };
    const slot = { name: `s->size of ${c.name} (${c.site})`, value: c.size, source: SOURCE_SHOW };
    const order = { name: `calculate_order(${c.size}): order`, value: c.order, source: 'mm/slub.c: calculate_sizes() → calculate_order()' };
    out.push(
      { family: 'slab', key: `${c.name}: object_size`, value: String(c.objectSize), explain: [dir, { name: `s->object_size of ${c.name}`, value: c.objectSize, source: SOURCE_SYSFS }] },
      { family: 'slab', key: `${c.name}: slab_size`, value: String(c.size), explain: [dir, slot] },
      { family: 'slab', key: `${c.name}: objs_per_slab`, value: String(c.objectsPerSlab), explain: [dir, slot, order, { name: 'oo_objects(s->oo)', value: c.objectsPerSlab, source: SOURCE_SYSFS }] },
      { family: 'slab', key: `${c.name}: order`, value: String(c.order), explain: [dir, slot, order] },
    );
  }
  return out;
}
