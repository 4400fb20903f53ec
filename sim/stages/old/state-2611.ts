// What the 2.6.11 pipelines (sim/stages/old/*-2611*.ts, i386 and x86_64) leave for its later stages: the one slice
// `legacy2611` of sim/state.ts. Every field is written by the stage named beside it.
import type { E820Entry } from '../../firmware/qemu-7.2.ts';
import type { BootState } from '../../state.ts';
import { slice } from '../../state.ts';
import { SimError } from '../../lib/errors.ts';
import type { PfnRange } from './state-30.ts';

/** One zone of 2.6.11 mm/page_alloc.c free_area_init_core(): zones_size[j] (no holes: zholes_size is NULL on i386). */
export interface Zone2611 {
  readonly name: 'DMA' | 'Normal' | 'HighMem';
  readonly startPfn: bigint;
  /** zone->spanned_pages = zone->present_pages = zones_size[j]. */
  readonly size: bigint;
  /** zone_batchsize in free_area_init_core(): present / 1024, at most 256K of pages, / 4, at least 1. */
  readonly batch: bigint;
}

/**
 * bootmem_data_t of node 0 (include/linux/bootmem.h, 2.6.11): node_boot_start 0, node_low_pfn, the
 * bitmap at mapStartPfn, and __alloc_bootmem_core()'s cursor: last_success (an address), last_pos (a pfn)
 * and last_offset (bytes used of last_pos's page).
 */
export interface Bootmem2611 {
  readonly lowPfn: bigint;
  readonly mapStartPfn: bigint;
  /** The set bits of node_bootmem_map below node_low_pfn, as sorted disjoint pfn ranges. */
  readonly reserved: readonly PfnRange[];
  readonly lastSuccess: bigint;
  readonly lastPos: bigint;
  readonly lastOffset: bigint;
  /** Who set which bits: the RAM pages each reservation or allocation newly set, in call order. */
  readonly setBy: readonly { readonly what: string; readonly pages: bigint }[];
}

export interface Legacy2611State {
  /** e820 after sanitize_e820_map() and copy_e820_map() (setupArchMemoryMap2611). */
  readonly e820: readonly E820Entry[];
  /** find_max_pfn(), find_max_low_pfn() (setupMemory2611). */
  readonly maxPfn?: bigint;
  readonly maxLowPfn?: bigint;
  readonly highstartPfn?: bigint;
  readonly highendPfn?: bigint;
  /** node 0's bootmem (setupMemory2611, then every stage that reserves or allocates from it). */
  readonly bootmem?: Bootmem2611;
  /** zone_sizes_init() → free_area_init() (zoneSizesInit2611). */
  readonly zones?: readonly Zone2611[];
  /** nr_kernel_pages (DMA + Normal) and nr_all_pages, summed by free_area_init_core(). */
  readonly nrKernelPages?: bigint;
  readonly nrAllPages?: bigint;
  /** x86_64 only (setup-2611.ts initMemoryMapping2611): e820_end_of_ram()'s end_pfn_map and end_pfn, and the direct-mapping tables [table_start, table_end) in pfns. */
  readonly endPfnMap?: bigint;
  readonly endPfn?: bigint;
  readonly tableStartPfn?: bigint;
  readonly tableEndPfn?: bigint;
}

export function legacy2611Of(state: BootState, reader: string): Legacy2611State {
  return slice(state, 'legacy2611', reader);
}

/** A field a stage needs from an earlier one, or the SIM_NOT_MODELLED that names the missing writer. */
export function need2611<T>(v: T | undefined, reader: string, what: string): T {
  if (v === undefined) throw new SimError('SIM_NOT_MODELLED', reader, `state.legacy2611.${what}: expected the stage that writes it to have run first`);
  return v;
}
