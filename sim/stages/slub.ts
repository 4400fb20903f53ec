// models mm/slub.c kmem_cache_init() (5.10.223, 6.1.192, 6.12.115, 7.2.13):
// "SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u".
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { configOn, term, topologyOf } from './mm-inputs.ts';
import { cacheLineSize } from './boot-cpu.ts';
import { bootCommandLine, cmdlineRegistrations, parseParams } from './cmdline.ts';
import type { KernelParams } from '../kernel-facts.ts';
import type { KernelTraits } from '../traits.ts';
import { SimError } from '../lib/errors.ts';

/** include/linux/mmzone.h: PAGE_ALLOC_COSTLY_ORDER 3 (5.10–7.2). */
const PAGE_ALLOC_COSTLY_ORDER = 3;
/**
 * include/linux/mmzone.h: the cap setup_slub_max_order() applies, MAX_ORDER − 1 (5.10, 6.1: MAX_ORDER
 * 11) or MAX_PAGE_ORDER (6.12, 7.2: 10), without CONFIG_FORCE_MAX_ZONEORDER / ARCH_FORCE_MAX_ORDER
 * (which arch/x86/Kconfig never sets).
 */
const SLUB_ORDER_CAP = 10;
/** The largest value get_option()'s int and kstrtouint() read alike. */
const INT_MAX = 0x7fffffff;

/** mm/slub.c slub_min_order, slub_max_order and slub_min_objects as kmem_cache_init() finds them. */
export interface SlubOrders {
  readonly minOrder: number;
  readonly maxOrder: number;
  /** 0: calculate_order() derives it from the CPU count. */
  readonly minObjects: number;
}

type SlubOrderVar = 'min_order' | 'max_order' | 'min_objects';

/**
 * A slab-order parameter's value as both of its parsers read it the same way: one plain number
 * (decimal, 0x hex or 0 octal) up to INT_MAX. __setup (≤ 6.12): get_option() → simple_strtol(…, 0)
 * ignores what follows the digits and leaves the variable alone without any; core_param /
 * __core_param_cb (7.2): kstrtouint(…, 0) fails on either, and parse_args() prints an error.
 */
export function slubOrderValue(val: string | undefined): number | undefined {
  if (val === undefined || !/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(val)) return undefined;
  const n = /^0[xX]/.test(val) ? parseInt(val.slice(2), 16) : val.length > 1 && val.startsWith('0') ? parseInt(val.slice(1), 8) : parseInt(val, 10);
  return n <= INT_MAX ? n : undefined;
}

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
 * refused in PARAM_REVIEWS (slubOrderRefusal).
 */
export function slubOrders(ctx: Pick<BootContext, 'spec' | 'traits' | 'kernel'>): SlubOrders {
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

/** PARAM_REVIEWS' test for a slab-order parameter as given ("slub_max_order=2"): why it is refused, or undefined. */
export function slubOrderRefusal(arg: string): string | undefined {
  const eq = arg.indexOf('=');
  const v = slubOrderValue(eq < 0 ? undefined : arg.slice(eq + 1));
  if (v === undefined) return 'only one plain number up to INT_MAX is read alike by get_option() (__setup, ≤ 6.12) and kstrtouint() (core_param, 7.2, which prints an error for anything else)';
  if (/^sl[au]b[-_]min[-_]order=/.test(arg) && v > SLUB_ORDER_CAP) return `a slub_min_order above ${SLUB_ORDER_CAP} (MAX_ORDER − 1 / MAX_PAGE_ORDER) makes slabs no zone can allocate`;
  return undefined;
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
