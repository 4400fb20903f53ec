// What the 3.0 pipeline (sim/stages/old/) leaves for its later stages: the one slice `legacy30` of
// sim/state.ts. Every field is written by the stage named beside it.
import type { E820Entry } from '../../firmware/qemu-7.2.ts';
import type { BootState } from '../../state.ts';
import { slice } from '../../state.ts';
import { SimError } from '../../lib/errors.ts';

/** One zone after 3.0.1 mm/page_alloc.c free_area_init_core(). */
export interface Zone30 {
  readonly name: 'DMA' | 'Normal' | 'HighMem' | 'Movable';
  readonly startPfn: bigint;
  /** zone->spanned_pages: zone_spanned_pages_in_node(). */
  readonly spanned: bigint;
  /** zone_spanned − zone_absent_pages_in_node(). */
  readonly present: bigint;
  readonly memmapPages: bigint;
  /** zone->present_pages: realsize less the memmap (and dma_reserve on ZONE_DMA). */
  readonly realsize: bigint;
}

export interface Legacy30State {
  /** e820.map after trim_bios_range() (setupMemoryMap30, trimBiosRange30). */
  readonly e820: readonly E820Entry[];
  /** max_pfn after find_low_pfn_range() (findLowPfnRange30). */
  readonly maxPfn?: bigint;
  readonly maxLowPfn?: bigint;
  /** early_node_map[] (initmemInit30: memblock_x86_register_active_regions()). */
  readonly activeRanges?: readonly { readonly startPfn: bigint; readonly endPfn: bigint }[];
  readonly highstartPfn?: bigint;
  readonly highendPfn?: bigint;
  /** free_area_init_nodes() (freeAreaInitNodes30). */
  readonly zones?: readonly Zone30[];
  readonly nrKernelPages?: bigint;
  readonly nrAllPages?: bigint;
}

export function legacy30Of(state: BootState, reader: string): Legacy30State {
  return slice(state, 'legacy30', reader);
}

/** A field a stage needs from an earlier one, or the SIM_NOT_MODELLED that names the missing writer. */
export function need<T>(v: T | undefined, reader: string, what: string): T {
  if (v === undefined) throw new SimError('SIM_NOT_MODELLED', reader, `state.legacy30.${what}: expected the stage that writes it to have run first`);
  return v;
}
