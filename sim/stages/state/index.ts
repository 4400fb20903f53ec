// The post-boot state the simulator predicts (issue 13 item 4): /proc/zoneinfo per node and zone,
// the deterministic /proc/meminfo lines, the /proc/pagetypeinfo geometry, the zoneinfo and /proc/vmstat
// counters the probe boot fixes at 0 (vmstat.ts), the /proc/iomem tree (iomem.ts)
// and /proc/slabinfo and /sys/kernel/slab geometry of the caches late-allocs sizes (slabinfo.ts), each number a field
// with the terms it was built from. Pure: a finished boot's state and context in, fields out.
// Field keys are the ones harness/compare/state.ts reads from a state.log, e.g.
// "Node 0, zone DMA32: min", "MemTotal", "Node 0, zone DMA32: blocks".
import type { BootContext, BootState } from '../../boot.ts';
import type { ExplainTerm } from '../../types.ts';
import { sliceIfAny } from '../../state.ts';
import { predictZoneinfo, type ZoneinfoState } from './zoneinfo.ts';
import { predictDirectMap, predictMeminfo, type MeminfoField } from './meminfo.ts';
import { predictPagetypeinfo, type PagetypeinfoState } from './pagetypeinfo.ts';
import { predictSlabinfo, predictSlabSysfs } from './slabinfo.ts';
import { iomemResources } from './iomem.ts';
import { predictProbeCounters } from './vmstat.ts';
import { slubLayoutNotModelled } from '../late-allocs.ts';

export type StateFamily = 'zoneinfo' | 'meminfo' | 'pagetypeinfo' | 'vmstat' | 'iomem' | 'slabinfo' | 'slab';

/** One predicted state number, as the /proc file prints it. */
export interface StateField {
  readonly family: StateFamily;
  /** e.g. "Node 0, zone DMA32: min", "Node 0, zone DMA32: cpu 1 batch", "MemTotal". */
  readonly key: string;
  /** The value as printed: "654", "(0, 433, 433, 433, 433)", "468168 kB". */
  readonly value: string;
  readonly explain: readonly ExplainTerm[];
  /**
   * A number the kernel leaves to run time, bounded by a source rule: the printed value is one of
   * `also` or lies in [lo, hi] (inclusive). `value` then shows the bound, e.g. "0 or 124..15625".
   */
  readonly range?: StateRange;
}

/** The values a run-time-tuned field may print (StateField.range). */
export interface StateRange {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly also: readonly bigint[];
  /** In [lo, hi] only lo + k × step (e.g. whole 2M pages of DirectMap4k); default 1. */
  readonly step?: bigint;
  /** The unit the value prints with, e.g. 'kB' for "22400 kB". */
  readonly unit?: 'kB';
}

/** How a range reads: "0 or 124..15625", "3968..524160 kB in steps of 2048". */
export const rangeText = (r: StateRange): string => [...r.also.map(String), `${r.lo}..${r.hi}${r.unit ? ` ${r.unit}` : ''}${r.step !== undefined && r.step !== 1n ? ` in steps of ${r.step}` : ''}`].join(' or ');

export interface PostBootState {
  readonly zoneinfo: ZoneinfoState;
  readonly meminfo: readonly MeminfoField[];
  readonly pagetypeinfo: PagetypeinfoState;
  readonly fields: readonly StateField[];
}

/** The range reserve_initrd() kept for the image, when the boot had one (sim/stages/initrd.ts). */
export interface InitrdRange {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The initramfs pages free_initrd_mem() gives back: [initrd_start, initrd_end) of reserve_initrd(),
 * the relocated copy when relocate_initrd() moved it (arch/x86/kernel/setup.c, init/initramfs.c 6.1).
 */
export function initrdFreed(state: BootState): InitrdRange | undefined {
  const rd = sliceIfAny(state, 'initrd');
  if (!rd) return undefined;
  const start = rd.relocated ?? rd.image;
  return { start, end: start + rd.size };
}

/** Predicts the post-boot state of a finished boot; the initrd freed is the boot's own unless given. */
export function predictState(state: BootState, ctx: BootContext, initrd: InitrdRange | undefined = initrdFreed(state)): PostBootState {
  const zoneinfo = predictZoneinfo(state, ctx, initrd);
  const meminfo = predictMeminfo(state, ctx, zoneinfo);
  const pagetypeinfo = predictPagetypeinfo(state, ctx);
  return { zoneinfo, meminfo, pagetypeinfo, fields: stateFields(state, ctx, zoneinfo, meminfo, pagetypeinfo).map(countTerms) };
}

/** Page and kbyte counts as numbers (JSON reports print a bigint as an address); addresses stay strings. */
function countTerms(f: StateField): StateField {
  return { ...f, explain: f.explain.map((t) => (typeof t.value === 'bigint' && t.value <= BigInt(Number.MAX_SAFE_INTEGER) && t.value >= -BigInt(Number.MAX_SAFE_INTEGER) ? { ...t, value: Number(t.value) } : t)) };
}

/** The zone heading zoneinfo_show_print() prints: "Node %d, zone %8s", keyed without the padding. */
export const zoneKey = (node: number, zone: string): string => `Node ${node}, zone ${zone}`;

function stateFields(state: BootState, ctx: BootContext, zi: ZoneinfoState, mi: readonly MeminfoField[], pt: PagetypeinfoState): StateField[] {
  const out: StateField[] = [];
  const prints = ctx.traits.state.zoneinfoPrints;
  for (const z of zi.zones) {
    const k = zoneKey(z.node, z.zone);
    const f = (name: string, value: bigint | string, explainKey = name): void => {
      out.push({ family: 'zoneinfo', key: `${k}: ${name}`, value: String(value), explain: z.explain[explainKey] ?? [] });
    };
    if (prints.boostCma) f('boost', z.boost);
    f('min', z.min);
    f('low', z.low);
    f('high', z.high);
    if (prints.promo) f('promo', z.promo);
    f('spanned', z.spanned);
    f('present', z.present);
    f('managed', z.managed);
    if (prints.boostCma) f('cma', z.cma);
    f('protection', `(${z.protection.join(', ')})`);
    if (!z.populated) continue;
    for (let cpu = 0; cpu < Number(zi.onlineCpus); cpu++) {
      if (z.pagesetHigh !== undefined) f(`cpu ${cpu} high`, z.pagesetHigh, 'pageset_high');
      else if (z.highRange !== undefined) {
        // 6.7+: decay_pcp_high()/nr_pcp_high() tune pcp->high at run time; zoneinfo.ts pcpHighRange() bounds it
        const range: StateRange = { lo: z.highRange.lo, hi: z.highRange.hi, also: [0n] };
        out.push({ family: 'zoneinfo', key: `${k}: cpu ${cpu} high`, value: rangeText(range), explain: z.explain['pageset_high'] ?? [], range });
      }
      f(`cpu ${cpu} batch`, z.batch, 'batch');
      if (prints.highMinMax && z.highMin !== undefined && z.highMax !== undefined) {
        f(`cpu ${cpu} high_min`, z.highMin, 'high_min');
        f(`cpu ${cpu} high_max`, z.highMax, 'high_max');
      }
      f(`cpu ${cpu} vm stats threshold`, z.statThreshold, 'vm_stats_threshold');
    }
    f('start_pfn', z.startPfn);
  }
  // the zone and vmstat counters the probe boot fixes at 0 (vmstat.ts)
  out.push(...predictProbeCounters(ctx, zi));
  for (const m of mi) out.push({ family: 'meminfo', key: m.name, value: m.unit === 'kB' ? `${m.value} kB` : String(m.value), explain: m.explain });
  for (const d of predictDirectMap(state) ?? []) {
    if (!d.range) { out.push({ family: 'meminfo', key: d.name, value: `${d.kb} kB`, explain: d.explain }); continue; }
    const range: StateRange = { lo: d.range.lo, hi: d.range.hi, also: [], step: d.range.step, unit: 'kB' };
    out.push({ family: 'meminfo', key: d.name, value: rangeText(range), explain: d.explain, range });
  }
  out.push({ family: 'pagetypeinfo', key: 'Page block order', value: String(pt.pageblockOrder), explain: [{ name: 'pageblock_order: HPAGE_SHIFT − PAGE_SHIFT (CONFIG_HUGETLB_PAGE)', value: pt.pageblockOrder, source: 'include/linux/pageblock-flags.h (6.1)' }] });
  out.push({ family: 'pagetypeinfo', key: 'Pages per block', value: String(pt.pagesPerBlock), explain: [{ name: '1 << pageblock_order', value: pt.pagesPerBlock, source: 'include/linux/pageblock-flags.h pageblock_nr_pages (6.1)' }] });
  for (const b of pt.blocks) out.push({ family: 'pagetypeinfo', key: `${zoneKey(b.node, b.zone)}: blocks`, value: String(b.count), explain: b.explain });
  out.push(...kernelResources(ctx));
  out.push(...iomemResources(state, ctx));
  // a debugged cache layout leaves both slab families unpredicted (their fields class unmodelled), not the whole state refused
  if (slubLayoutNotModelled(ctx) === undefined) {
    out.push(...predictSlabinfo(state, ctx));
    out.push(...predictSlabSysfs(state, ctx));
  }
  return out;
}

/**
 * The image's four /proc/iomem resources (arch/x86/kernel/setup.c setup_arch, 5.10 … 7.2): "Kernel
 * code" [_text, _etext − 1], "Kernel rodata" [__start_rodata, __end_rodata − 1], "Kernel data"
 * [_sdata, _edata − 1], "Kernel bss" [__bss_start, __bss_stop − 1], as __pa_symbol() gives them, printed
 * "%0*llx-%0*llx" with width 8 (kernel/resource.c r_show: the iomem root ends above 0x10000).
 */
function kernelResources(ctx: BootContext): StateField[] {
  const sym = ctx.kernel.facts.image.symbols;
  const hex = (x: number): string => x.toString(16).padStart(8, '0');
  const res = (name: string, start: number, end: number, a: string, b: string): StateField => ({
    family: 'iomem', key: name, value: `${hex(start)}-${hex(end - 1)}`,
    explain: [{ name: `[${a}, ${b} − 1] (__pa_symbol)`, value: `${hex(start)}-${hex(end - 1)}`, source: 'arch/x86/kernel/setup.c: setup_arch() code/rodata/data/bss_resource (6.1)' }],
  });
  return [
    res('Kernel code', sym._text, sym._etext, '_text', '_etext'),
    res('Kernel rodata', sym.__start_rodata, sym.__end_rodata, '__start_rodata', '__end_rodata'),
    res('Kernel data', sym._sdata, sym._edata, '_sdata', '_edata'),
    res('Kernel bss', sym.__bss_start, sym.__bss_stop, '__bss_start', '__bss_stop'),
  ];
}
