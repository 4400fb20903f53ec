// /proc/slabinfo's geometry columns for the caches whose slot the late-allocs stage derives from the
// facts (sim/stages/late-allocs.ts bootSlabCacheGeometry: 6.12 and 7.2, every cache alive at the late
// Memory: print). Pure: a finished boot's state and context in, fields out, keyed as
// harness/compare/state.ts reads a slabinfo line ("<cache>: objsize").
import type { BootContext, BootState } from '../../boot.ts';
import { bootSlabCacheGeometry } from '../late-allocs.ts';
import type { StateField } from './index.ts';

const SOURCE_SHOW = 'mm/slab_common.c: cache_show() prints s->size, sinfo.objects_per_slab, 1 << sinfo.cache_order (6.12, 7.2)';
const SOURCE_INFO = 'mm/slub.c: get_slabinfo() objects_per_slab = oo_objects(s->oo), cache_order = oo_order(s->oo) (6.12, 7.2)';

/**
 * The objsize, objperslab and pagesperslab of every cache bootSlabCacheGeometry sizes. slabinfo's
 * objsize is s->size (the slot, not s->object_size; cache_show()); objperslab and pagesperslab are
 * s->oo as calculate_order() set it at creation (get_slabinfo()). A cache created later that
 * merges into one of these (__kmem_cache_alias) raises only object_size and inuse, so the three
 * stay as created. BOOT_CACHES lists only caches of their own, never an alias, so each has its own
 * slabinfo line. The caches it does not size, and every cache created after the print, are not
 * predicted (harness/catalog/state-families.ts classes them unmodelled).
 */
export function predictSlabinfo(state: BootState, ctx: BootContext): StateField[] {
  const caches = bootSlabCacheGeometry(state, ctx);
  if (!caches) return [];
  const out: StateField[] = [];
  for (const c of caches) {
    if (c.size === undefined || c.order === undefined || c.objectsPerSlab === undefined) continue;
    const slot = { name: `s->size of ${c.name} (${c.site})`, value: c.size, source: SOURCE_SHOW };
    const order = { name: `calculate_order(${c.size}): order`, value: c.order, source: 'mm/slub.c: calculate_sizes() → calculate_order() (6.12, 7.2)' };
    const objects = { name: `calculate_order(${c.size}): objects per slab`, value: c.objectsPerSlab, source: SOURCE_INFO };
    out.push(
      { family: 'slabinfo', key: `${c.name}: objsize`, value: String(c.size), explain: [slot] },
      { family: 'slabinfo', key: `${c.name}: objperslab`, value: String(c.objectsPerSlab), explain: [slot, order, objects] },
      { family: 'slabinfo', key: `${c.name}: pagesperslab`, value: String(2 ** c.order), explain: [slot, order] },
    );
  }
  return out;
}
