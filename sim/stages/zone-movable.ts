// models ZONE_MOVABLE as free_area_init() sizes it (mm/page_alloc.c in 5.10.223 and 6.1.192,
// mm/mm_init.c in 6.12.115 and 7.2.13): the early params kernelcore= and movablecore=
// (cmdline_parse_kernelcore / cmdline_parse_movablecore → cmdline_parse_core), then
// find_zone_movable_pfns_for_nodes() with find_usable_zone_for_movable() and
// early_calculate_totalpages(), and adjust_zone_range_for_zone_movable(), which the zones stage
// (sim/stages/zones.ts computeZones) applies to every zone of every node. The four functions are the
// same in the four trees apart from the kernelcore=mirror path, which is refused (sim/stages/cmdline.ts).
// Pure over pfn ranges; the arithmetic is the kernel's unsigned long (32 bits on i386).
import type { ZoneName } from '../traits.ts';
import { simpleStrtoull, memparse } from '../lib/memparse.ts';
import { PAGE_SHIFT } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';

/** include/linux/mmzone.h MAX_ORDER_NR_PAGES: 1 << (MAX_ORDER − 1) (5.10, 6.1: MAX_ORDER 11), 1 << MAX_PAGE_ORDER (6.12, 7.2: 10); x86 sets no ARCH_FORCE_MAX_ORDER. */
export const MAX_ORDER_NR_PAGES = 1024n;

/** The four __initdata variables cmdline_parse_core() fills: pages and percentages, 0 when not given. */
export interface CoreRequest {
  readonly requiredKernelcore: bigint;
  readonly requiredKernelcorePercent: bigint;
  readonly requiredMovablecore: bigint;
  readonly requiredMovablecorePercent: bigint;
}

export const NO_CORE_REQUEST: CoreRequest = { requiredKernelcore: 0n, requiredKernelcorePercent: 0n, requiredMovablecore: 0n, requiredMovablecorePercent: 0n };

/** One value of kernelcore=/movablecore=, as cmdline_parse_core() reads it: a percentage, or bytes (memparse). */
export type CoreValue = { readonly kind: 'percent'; readonly percent: bigint } | { readonly kind: 'bytes'; readonly bytes: bigint };

/**
 * The forms the model follows: a number (simple_strtoull base 0) with '%', or a memparse size with
 * an optional K/M/G/T/P/E suffix, and nothing after it. Anything else is `undefined`: kernelcore=mirror
 * (parse_option_str, mirrored_kernelcore), no value (-EINVAL, "Malformed early option"), or trailing
 * text the kernel would silently ignore.
 */
export function coreValueOf(val: string | undefined): CoreValue | undefined {
  if (val === undefined) return undefined;
  const n = simpleStrtoull(val);
  if (n.empty) return undefined;
  if (n.rest === '%') return { kind: 'percent', percent: n.value };
  const m = memparse(val);
  if (m.rest !== '') return undefined;
  return { kind: 'bytes', bytes: m.value };
}

/** Why the model refuses a kernelcore=/movablecore= argument, one reason per form (coreParamProblem). */
export const CORE_PARAM_WHY = {
  mirror: 'mm/mm_init.c cmdline_parse_kernelcore(): kernelcore=mirror (mirrored_kernelcore: MEMBLOCK_MIRROR allocations and overlap_memmap_init) is not modelled',
  malformed: 'cmdline_parse_core(): only a size (memparse, K/M/G/T/P/E) or a percentage "N%" with nothing after it is modelled (no value is -EINVAL, "Malformed early option")',
  percent_over_100: 'cmdline_parse_core(): a percentage above 100 trips WARN_ON(coremem > 100), whose splat is not modelled',
  pages_over_ulong: 'cmdline_parse_core(): a size whose page count exceeds ULONG_MAX trips WARN_ON, whose splat is not modelled',
} as const;
export type CoreParamProblem = keyof typeof CORE_PARAM_WHY;

/**
 * What the model does not follow in one kernelcore=/movablecore= argument ("kernelcore=…" as given),
 * or undefined when it follows it. `wordBits` is BITS_PER_LONG of the build.
 */
export function coreParamProblem(arg: string, wordBits: 32 | 64): CoreParamProblem | undefined {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? arg : arg.slice(0, eq);
  const val = eq < 0 ? undefined : arg.slice(eq + 1);
  // parse_option_str(p, "mirror"): "mirror" as one item of a comma-separated list
  if (name === 'kernelcore' && val !== undefined && /(^|,)mirror(,|$)/.test(val)) return 'mirror';
  const v = coreValueOf(val);
  if (v === undefined) return 'malformed';
  if (v.kind === 'percent' && v.percent > 100n) return 'percent_over_100';
  if (v.kind === 'bytes' && v.bytes >> PAGE_SHIFT > (1n << BigInt(wordBits)) - 1n) return 'pages_over_ulong';
  return undefined;
}

/** coreParamProblem() as its reason, or undefined. */
export function coreParamRefusal(arg: string, wordBits: 32 | 64): string | undefined {
  const p = coreParamProblem(arg, wordBits);
  return p === undefined ? undefined : CORE_PARAM_WHY[p];
}

/**
 * parse_early_param() → cmdline_parse_kernelcore() / cmdline_parse_movablecore() for each
 * kernelcore=/movablecore= in command-line order: the percentage form sets only *percent, the size
 * form sets *core and clears *percent (mm/mm_init.c cmdline_parse_core, 6.12; the same in 5.10–7.2).
 * `params` are the parsed parameters (sim/stages/cmdline.ts parseParams), up to "--".
 */
export function cmdlineParseCore(params: readonly { readonly param: string; readonly val: string | undefined }[], wordBits: 32 | 64): CoreRequest {
  const ul = (x: bigint) => BigInt.asUintN(wordBits, x);
  let r = NO_CORE_REQUEST;
  for (const p of params) {
    // kernel/params.c parse_args(): "Stop at --"
    if (p.param === '--' && p.val === undefined) break;
    if (p.param !== 'kernelcore' && p.param !== 'movablecore') continue;
    const refused = coreParamRefusal(p.val === undefined ? p.param : `${p.param}=${p.val}`, wordBits);
    if (refused !== undefined) throw new SimError('SIM_NOT_MODELLED', 'zones', `${p.param}=${p.val ?? ''}: ${refused}`);
    const v = coreValueOf(p.val)!;
    const kernel = p.param === 'kernelcore';
    if (v.kind === 'percent') {
      r = kernel ? { ...r, requiredKernelcorePercent: ul(v.percent) } : { ...r, requiredMovablecorePercent: ul(v.percent) };
    } else {
      const pages = ul(v.bytes >> PAGE_SHIFT);
      r = kernel ? { ...r, requiredKernelcore: pages, requiredKernelcorePercent: 0n } : { ...r, requiredMovablecore: pages, requiredMovablecorePercent: 0n };
    }
  }
  return r;
}

/** One zone's arch_zone_lowest_possible_pfn / arch_zone_highest_possible_pfn (Movable: 0, 0). */
export interface ZoneLimit {
  readonly name: ZoneName;
  readonly lowPfn: bigint;
  readonly highPfn: bigint;
}

/** A range of the early node map (for_each_mem_pfn_range). */
export interface PfnRange {
  readonly startPfn: bigint;
  readonly endPfn: bigint;
  readonly nid: number;
}

/**
 * find_usable_zone_for_movable(): the highest zone other than ZONE_MOVABLE whose arch range is not
 * empty (movable_zone, the zone ZONE_MOVABLE's pages are taken from). Index into `limits`.
 */
export function findUsableZoneForMovable(limits: readonly ZoneLimit[]): number {
  for (let i = limits.length - 1; i >= 0; i--) {
    const z = limits[i]!;
    if (z.name === 'Movable') continue;
    if (z.highPfn > z.lowPfn) return i;
  }
  throw new SimError('SIM_NOT_MODELLED', 'zones', 'find_usable_zone_for_movable(): no zone has pages (VM_BUG_ON(zone_index == -1))');
}

export interface ZoneMovable {
  /** movable_zone: the zone ZONE_MOVABLE is carved from. */
  readonly movableZone: ZoneName;
  /** zone_movable_pfn[nid], only the nodes where it is not 0, ascending by node. */
  readonly zoneMovablePfn: readonly { readonly nid: number; readonly pfn: bigint }[];
  /** arch_zone_highest_possible_pfn[movable_zone]: where ZONE_MOVABLE ends at the latest. */
  readonly movableZoneHighPfn: bigint;
}

/**
 * find_zone_movable_pfns_for_nodes() (mm/page_alloc.c 5.10, 6.1; mm/mm_init.c 6.12, 7.2) without
 * movable_node and kernelcore=mirror: the kernelcore pages are spread over the N_MEMORY nodes, the
 * pages below movable_zone's lowest pfn counting as kernelcore, each node's zone_movable_pfn set where
 * its share ends, with passes on fewer nodes while some is left; then each is rounded up to
 * MAX_ORDER_NR_PAGES and dropped when at or past its node's end.
 */
export function findZoneMovablePfnsForNodes(limits: readonly ZoneLimit[], memory: readonly PfnRange[], request: CoreRequest, wordBits: 32 | 64): ZoneMovable {
  const ul = (x: bigint) => BigInt.asUintN(wordBits, x);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const max = (a: bigint, b: bigint) => (a > b ? a : b);
  const roundup = (x: bigint, y: bigint) => ul(((x + y - 1n) / y) * y);
  const movableIdx = findUsableZoneForMovable(limits);
  const movableZone = limits[movableIdx]!.name;
  const movableZoneHighPfn = limits[movableIdx]!.highPfn;
  const none: ZoneMovable = { movableZone, zoneMovablePfn: [], movableZoneHighPfn };
  // early_calculate_totalpages(): every range's pages, and N_MEMORY for each node with some
  let totalpages = 0n;
  const memoryNodes = new Set<number>();
  for (const r of memory) {
    totalpages = ul(totalpages + (r.endPfn - r.startPfn));
    if (r.endPfn > r.startPfn) memoryNodes.add(r.nid);
  }
  const nodes = [...memoryNodes].sort((a, b) => a - b);
  let usableNodes = BigInt(nodes.length);
  let requiredKernelcore = request.requiredKernelcore;
  let requiredMovablecore = request.requiredMovablecore;
  // "If kernelcore=nn% or movablecore=nn% was specified": (totalpages * 100 * percent) / 10000UL in unsigned long
  if (request.requiredKernelcorePercent) requiredKernelcore = ul(ul(totalpages * 100n) * request.requiredKernelcorePercent) / 10000n;
  if (request.requiredMovablecorePercent) requiredMovablecore = ul(ul(totalpages * 100n) * request.requiredMovablecorePercent) / 10000n;
  if (requiredMovablecore) {
    // "Round-up so that ZONE_MOVABLE is at least as large as what was requested by the user"
    requiredMovablecore = min(totalpages, roundup(requiredMovablecore, MAX_ORDER_NR_PAGES));
    requiredKernelcore = max(requiredKernelcore, totalpages - requiredMovablecore);
  }
  // "If kernelcore was not specified or kernelcore size is larger than totalpages, there is no ZONE_MOVABLE"
  if (!requiredKernelcore || requiredKernelcore >= totalpages) return none;
  const usableStartpfn = limits[movableIdx]!.lowPfn;
  const zmp = new Map<number, bigint>(nodes.map((n) => [n, 0n]));
  for (;;) {
    // restart: "Spread kernelcore memory as evenly as possible throughout nodes"
    let kernelcoreNode = requiredKernelcore / usableNodes;
    for (const nid of nodes) {
      if (requiredKernelcore < kernelcoreNode) kernelcoreNode = requiredKernelcore / usableNodes;
      let kernelcoreRemaining = kernelcoreNode;
      for (const r of memory) {
        if (r.nid !== nid) continue;
        let startPfn = max(r.startPfn, zmp.get(nid)!);
        const endPfn = r.endPfn;
        if (startPfn >= endPfn) continue;
        // "Account for what is only usable for kernelcore"
        if (startPfn < usableStartpfn) {
          const kernelPages = min(endPfn, usableStartpfn) - startPfn;
          kernelcoreRemaining -= min(kernelPages, kernelcoreRemaining);
          requiredKernelcore -= min(kernelPages, requiredKernelcore);
          if (endPfn <= usableStartpfn) {
            // "Push zone_movable_pfn to the end so that if we have to rebalance kernelcore across nodes, we will not double account here"
            zmp.set(nid, endPfn);
            continue;
          }
          startPfn = usableStartpfn;
        }
        const sizePages = min(endPfn - startPfn, kernelcoreRemaining);
        zmp.set(nid, startPfn + sizePages);
        requiredKernelcore -= min(requiredKernelcore, sizePages);
        kernelcoreRemaining -= sizePages;
        if (!kernelcoreRemaining) break;
      }
    }
    // "If there is still required_kernelcore, we do another pass with one less node in the count"
    usableNodes--;
    if (!(usableNodes && requiredKernelcore > usableNodes)) break;
  }
  // out2: "Align start of ZONE_MOVABLE on all nids to MAX_ORDER_NR_PAGES"
  const out: { nid: number; pfn: bigint }[] = [];
  for (const nid of nodes) {
    const pfn = roundup(zmp.get(nid)!, MAX_ORDER_NR_PAGES);
    // get_pfn_range_for_nid(): the node's last pfn
    const end = memory.filter((r) => r.nid === nid).reduce((m, r) => (r.endPfn > m ? r.endPfn : m), 0n);
    if (pfn !== 0n && pfn < end) out.push({ nid, pfn });
  }
  return { movableZone, zoneMovablePfn: out, movableZoneHighPfn };
}

/**
 * adjust_zone_range_for_zone_movable() (without mirrored_kernelcore): on a node with a
 * zone_movable_pfn, ZONE_MOVABLE runs from it to min(node end, movable_zone's highest pfn); a zone
 * it starts inside ends there, and a zone wholly above it is emptied (start = end).
 */
export function adjustZoneRangeForZoneMovable(
  zone: ZoneName, zoneMovablePfn: bigint | undefined, nodeEndPfn: bigint, movableZoneHighPfn: bigint, zoneStartPfn: bigint, zoneEndPfn: bigint,
): { startPfn: bigint; endPfn: bigint } {
  if (!zoneMovablePfn) return { startPfn: zoneStartPfn, endPfn: zoneEndPfn };
  if (zone === 'Movable') return { startPfn: zoneMovablePfn, endPfn: nodeEndPfn < movableZoneHighPfn ? nodeEndPfn : movableZoneHighPfn };
  if (zoneStartPfn < zoneMovablePfn && zoneEndPfn > zoneMovablePfn) return { startPfn: zoneStartPfn, endPfn: zoneMovablePfn };
  if (zoneStartPfn >= zoneMovablePfn) return { startPfn: zoneEndPfn, endPfn: zoneEndPfn };
  return { startPfn: zoneStartPfn, endPfn: zoneEndPfn };
}
