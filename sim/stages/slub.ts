// models mm/slub.c kmem_cache_init() (5.10.223, 6.1.192, 6.12.115, 7.2.13):
// "SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u".
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { configOn, term, topologyOf } from './mm-inputs.ts';
import { cacheLineSize } from './boot-cpu.ts';
import { cmdlineValue } from './cmdline.ts';

/** include/linux/mmzone.h: PAGE_ALLOC_COSTLY_ORDER 3 (5.10–7.2). */
const PAGE_ALLOC_COSTLY_ORDER = 3;

/** mm/slub.c kmem_cache_init(): the "SLUB: HWalign=…" line. */
export function kmemCacheInit(state: BootState, ctx: BootContext): StageResult {
  const t = ctx.traits;
  const topo = topologyOf(state, ctx);
  const hw = cacheLineSize(ctx);
  // mm/slub.c: slub_min_order 0; slub_max_order PAGE_ALLOC_COSTLY_ORDER (1 under SLUB_TINY, 6.12+); slub_min_objects 0.
  // __setup names: slub_* (≤ 6.1), slab_* with slub_* aliases (6.12+).
  const pick = (n: string): string | undefined => cmdlineValue(ctx.spec, `slab_${n}`) ?? cmdlineValue(ctx.spec, `slub_${n}`);
  const minOrder = Number(pick('min_order') ?? 0);
  const maxOrder = Number(pick('max_order') ?? (t.slubTiny && configOn(ctx, 'SLUB_TINY') ? 1 : PAGE_ALLOC_COSTLY_ORDER));
  const minObjects = Number(pick('min_objects') ?? 0);
  return {
    state,
    lines: [
      {
        stage: 'slub',
        fmt: 'slub',
        text: `SLUB: HWalign=${hw.bytes}, Order=${minOrder}-${maxOrder}, MinObjects=${minObjects}, CPUs=${topo.possibleCpus}, Nodes=${topo.nrNodeIds}`,
        explain: {
          hwalign: [term('cache_line_size()', hw.bytes, hw.why)],
          min_order: [term('slub_min_order', minOrder, 'mm/slub.c: 0 unless slub_min_order=')],
          max_order: [term('slub_max_order', maxOrder, 'mm/slub.c: PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h) unless slub_max_order=')],
          min_objects: [term('slub_min_objects', minObjects, 'mm/slub.c: 0 (computed per cache later) unless slub_min_objects=')],
          cpus: [term('nr_cpu_ids', topo.possibleCpus, 'possible CPUs (ACPI MADT from QEMU -smp)')],
          nodes: [...topo.explain],
        },
      },
    ],
  };
}
