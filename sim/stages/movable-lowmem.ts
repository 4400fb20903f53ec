// ZONE_MOVABLE carved from lowmem on a build where is_highmem_idx(ZONE_MOVABLE) is a constant
// (sim/stages/zones.ts movableFromLowmemAsHighmem): the kernel frees those pages twice ("BUG: Bad
// page state"), which is not modelled. Whether a profile does that depends on the profile and the
// kernel facts alone, so the envelope (sim/envelope.ts) refuses it at load time: this module runs
// the stages that give max_pfn, max_low_pfn and memblock.memory (the e820 stages, find_low_pfn_range,
// e820__memblock_setup) and sizes ZONE_MOVABLE as free_area_init() does, by the zones stage's own
// functions. It imports the stages, not sim/boot.ts (which imports the envelope).
import type { BootContext, BootState, StageFn } from '../boot.ts';
import type { ZoneName } from '../traits.ts';
import { e820Setup, e820Trim, e820MaxPfn, e820LowPfn } from './e820.ts';
import { findLowPfnRange, maxLowPfnOf, maxPfnOf } from './lowmem32.ts';
import { memblockSetup } from './memblock-setup.ts';
import { memoryRangesForZones, type MemPfnRange } from './mem-pfn-ranges.ts';
import { movableFromLowmemAsHighmem, zoneMovableOf } from './zones.ts';
import { cmdlineParseCore } from './zone-movable.ts';
import { bootCommandLine, parseParams } from './cmdline.ts';

/** What setup_arch() leaves for free_area_init(): max_pfn, max_low_pfn and the early node map. */
export interface EarlyPfns {
  readonly maxPfn: bigint;
  readonly maxLowPfn: bigint;
  readonly memory: readonly MemPfnRange[];
}

/** The pipeline's stages from e820__memory_setup to e820__memblock_setup that write the slices read here (sim/boot.ts order). */
const EARLY_STAGES: readonly StageFn[] = [e820Setup, e820Trim, e820MaxPfn, e820LowPfn, findLowPfnRange, memblockSetup];

/**
 * max_pfn, max_low_pfn and memblock.memory as the zones stage reads them (sim/stages/zones.ts
 * freeAreaInit: maxPfnOf, maxLowPfnOf, memoryRangesForZones), by running the stages that make them.
 * X86_32 only: on x86_64 init_mem_mapping() raises max_low_pfn to max_pfn after these stages.
 * Throws the stages' own SimErrors.
 */
export function earlyPfns(ctx: BootContext): EarlyPfns {
  let state: BootState = {};
  for (const stage of EARLY_STAGES) state = stage(state, ctx).state;
  return { maxPfn: maxPfnOf(state), maxLowPfn: maxLowPfnOf(state), memory: memoryRangesForZones(state, ctx) };
}

/** A ZONE_MOVABLE the kernel would free twice: the lowmem zone it comes from, and where it starts. */
export interface MovableFromLowmem extends EarlyPfns {
  readonly zone: ZoneName;
  readonly movableStartPfn: bigint;
}

/**
 * The profile's ZONE_MOVABLE when it is carved from lowmem on a build whose is_highmem_idx() calls it
 * highmem (traits.movableIsHighmemConstant with CONFIG_HIGHMEM), else undefined. Only such builds
 * with a kernelcore= or movablecore= run the early stages; without either there is no ZONE_MOVABLE
 * (find_zone_movable_pfns_for_nodes: "if (!required_kernelcore || required_kernelcore >= totalpages)
 * goto out", required_movablecore first turned into a kernelcore).
 */
export function movableFromLowmem(ctx: BootContext): MovableFromLowmem | undefined {
  const traits = ctx.traits;
  if (traits.arch !== 'i386' || !traits.highmem || !traits.movableIsHighmemConstant) return undefined;
  const params = parseParams(bootCommandLine(ctx.spec));
  if (!params.some((p) => p.param === 'kernelcore' || p.param === 'movablecore')) return undefined;
  const early = earlyPfns(ctx);
  // sim/stages/zones.ts freeAreaInit: the same request, word width and zones
  const wordBits = 32;
  const { zm } = zoneMovableOf({ zones: traits.zones, memory: early.memory, maxLowPfn: early.maxLowPfn, maxPfn: early.maxPfn, coreRequest: cmdlineParseCore(params, wordBits), wordBits });
  const zone = movableFromLowmemAsHighmem(traits.zones, 'constant', zm);
  if (zone === undefined) return undefined;
  return { ...early, zone, movableStartPfn: zm.zoneMovablePfn.reduce((m, z) => (z.pfn < m ? z.pfn : m), zm.zoneMovablePfn[0]!.pfn) };
}
