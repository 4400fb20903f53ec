// models mm/slub.c kmem_cache_init() (5.10.223, 6.1.192, 6.12.115, 7.2.13):
// "SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u".
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { configOn, term, topologyOf } from './mm-inputs.ts';
import { cacheLineSize } from './boot-cpu.ts';
import { bootCommandLine, cmdlineRegistrations, parseParams } from './cmdline.ts';
import type { KernelParams } from '../kernel-facts.ts';
import type { KernelTraits } from '../traits.ts';
import { SimError } from '../lib/errors.ts';
import { SLUB_ORDER_CAP, slubOrderValue } from './slub-param.ts';

/** include/linux/mmzone.h: PAGE_ALLOC_COSTLY_ORDER 3 (5.10–7.2). */
const PAGE_ALLOC_COSTLY_ORDER = 3;
/** mm/slub.c slub_min_order, slub_max_order and slub_min_objects as kmem_cache_init() finds them. */
export interface SlubOrders {
  readonly minOrder: number;
  readonly maxOrder: number;
  /** 0: calculate_order() derives it from the CPU count. */
  readonly minObjects: number;
}

type SlubOrderVar = 'min_order' | 'max_order' | 'min_objects';

/** The slab-order parameters the build claims (__setup or core_param, slub_* and 6.12+'s slab_*), in command-line order. */
export function slubOrderArgs(cmdline: string, params: KernelParams, traits: KernelTraits): { readonly which: SlubOrderVar; readonly param: string; readonly val: string | undefined }[] {
  const out: { which: SlubOrderVar; param: string; val: string | undefined }[] = [];
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    for (const r of cmdlineRegistrations(p, params, traits)) {
      const m = /^sl[au]b_(min_order|max_order|min_objects)=?$/.exec(r.name.replace(/-/g, '_'));
      if ((r.kind === 'setup' || r.kind === 'module') && m) {
        out.push({ which: m[1] as SlubOrderVar, param: p.param, val: p.val });
        break;
      }
    }
  }
  return out;
}

/**
 * mm/slub.c: slub_min_order 0, slub_max_order PAGE_ALLOC_COSTLY_ORDER (1 under SLUB_TINY, 6.12+),
 * slub_min_objects 0, then each parameter's handler in command-line order (5.10.223, 6.1.192,
 * 6.12.115, 7.2.13): setup_slub_min_order() sets slub_min_order (and from 6.12 raises
 * slub_max_order to it), setup_slub_max_order() sets slub_max_order capped at SLUB_ORDER_CAP (and
 * from 6.12 lowers slub_min_order to it: traits.slubOrdersCoupled), setup_slub_min_objects() sets
 * slub_min_objects. Values other than one plain number, and a slub_min_order above the cap, are
 * refused in PARAM_REVIEWS (slub-param.ts slubOrderRefusal).
 */
export function slubOrders(ctx: Pick<BootContext, 'spec' | 'traits' | 'kernel'>): SlubOrders {
  // Memo of this pure function on its whole input, the context object (readonly): a boot's slab geometry asks
  // for it once per cache, and each answer walks the command line through the kernel's parameter tables.
  const hit = ordersMemo.get(ctx);
  if (hit !== undefined) return hit;
  const orders = slubOrdersOf(ctx);
  ordersMemo.set(ctx, orders);
  return orders;
}

/** slubOrders' answers by context; an error is not kept (each call meets it again). */
const ordersMemo = new WeakMap<Pick<BootContext, 'spec' | 'traits' | 'kernel'>, SlubOrders>();

function slubOrdersOf(ctx: Pick<BootContext, 'spec' | 'traits' | 'kernel'>): SlubOrders {
  const t = ctx.traits;
  let minOrder = 0;
  let maxOrder = t.slubTiny && configOn(ctx, 'SLUB_TINY') ? 1 : PAGE_ALLOC_COSTLY_ORDER;
  let minObjects = 0;
  for (const a of slubOrderArgs(bootCommandLine(ctx.spec), ctx.kernel.facts.params, t)) {
    const v = slubOrderValue(a.val);
    if (v === undefined) throw new SimError('SIM_NOT_MODELLED', 'slub', `cmdline: ${a.param}: expected one plain number, got ${a.val === undefined ? 'no value' : `"${a.val}"`}`);
    if (a.which === 'min_order') {
      minOrder = v;
      if (t.slubOrdersCoupled && minOrder > maxOrder) maxOrder = minOrder;
    } else if (a.which === 'max_order') {
      maxOrder = Math.min(v, SLUB_ORDER_CAP);
      if (t.slubOrdersCoupled && minOrder > maxOrder) minOrder = maxOrder;
    } else minObjects = v;
  }
  return { minOrder, maxOrder, minObjects };
}

/** mm/slub.c kmem_cache_init(): the "SLUB: HWalign=…" line. */
export function kmemCacheInit(state: BootState, ctx: BootContext): StageResult {
  const topo = topologyOf(state, ctx);
  const hw = cacheLineSize(ctx);
  const { minOrder, maxOrder, minObjects } = slubOrders(ctx);
  return {
    state,
    lines: [
      {
        stage: 'slub',
        fmt: 'slub',
        text: `SLUB: HWalign=${hw.bytes}, Order=${minOrder}-${maxOrder}, MinObjects=${minObjects}, CPUs=${topo.possibleCpus}, Nodes=${topo.nrNodeIds}`,
        explain: {
          hwalign: [term('cache_line_size()', hw.bytes, hw.why)],
          min_order: [term('slub_min_order', minOrder, 'mm/slub.c: 0 unless slub_min_order= (6.12+: lowered by a smaller slub_max_order=)')],
          max_order: [term('slub_max_order', maxOrder, 'mm/slub.c: PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h) unless slub_max_order= (capped at 10; 6.12+: raised by a larger slub_min_order=)')],
          min_objects: [term('slub_min_objects', minObjects, 'mm/slub.c: 0 (computed per cache later) unless slub_min_objects=')],
          cpus: [term('nr_cpu_ids', topo.possibleCpus, 'possible CPUs (ACPI MADT from QEMU -smp)')],
          nodes: [...topo.explain],
        },
      },
    ],
  };
}
