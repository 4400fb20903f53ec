// What the 3.0 and 2.6.34 pipelines (sim/stages/old/) leave for their later stages: the one slice
// `legacy30` of sim/state.ts. Every field is written by the stage named beside it.
import type { E820Entry } from '../../firmware/qemu-7.2.ts';
import type { BootState } from '../../state.ts';
import { slice } from '../../state.ts';
import { SimError } from '../../lib/errors.ts';
import type { Memblock30 } from './memblock-30.ts';
import type { InitrdState } from '../initrd.ts';

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

/** One entry of kernel/early_res.c's early_res[] (2.6.34): [start, end), its name and overlap_ok. */
export interface EarlyRes34 {
  readonly start: bigint;
  readonly end: bigint;
  readonly name: string;
  readonly overlapOk: boolean;
}

/** A pfn range [start, end). */
export interface PfnRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** bootmem_data_t of node 0 (include/linux/bootmem.h, 2.6.34; sim/stages/old/bootmem-34.ts): node_min_pfn 0, node_low_pfn, the bitmap's set bits, hint_idx, last_end_off. */
export interface Bootmem34 {
  readonly lowPfn: bigint;
  /** The set bits of node_bootmem_map, as sorted disjoint pfn ranges. */
  readonly reserved: readonly PfnRange[];
  readonly hintIdx: bigint;
  readonly lastEndOff: bigint;
  /** Who set which bits: the pages each reservation or allocation newly set (all RAM: only active pfns start clear). */
  readonly setBy: readonly { readonly what: string; readonly pages: bigint }[];
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
  /** 2.6.34: early_res[] in slot order (i386StartKernel34, reserveBrk34, initMemoryMapping34, initmemInit34). */
  readonly earlyRes?: readonly EarlyRes34[];
  /** 2.6.34: bytes dmi_scan_machine() took from brk (dmiScanMachine34). */
  readonly dmiBrkBytes?: bigint;
  /** 2.6.34: max_pfn_mapped after init_memory_mapping() (initMemoryMapping34). */
  readonly maxPfnMapped?: bigint;
  /** 2.6.34: node 0's bootmem (initmemInit34, then every stage that reserves or allocates from it). */
  readonly bootmem?: Bootmem34;
  /** 3.0.1: e820_saved, the sanitised firmware map setup_memory_map() copied before trim_bios_range (i386StartKernel30). */
  readonly e820Saved?: readonly E820Entry[];
  /** 3.0.1: struct memblock (i386StartKernel30, then every stage that reserves or allocates from it). */
  readonly memblock30?: Memblock30;
  /** 3.0.1: the initrd QEMU's loader placed (i386StartKernel30), and its copy when reserve_initrd() moved it (reserveInitrd30). */
  readonly initrd30?: InitrdState;
}

export function legacy30Of(state: BootState, reader: string): Legacy30State {
  return slice(state, 'legacy30', reader);
}

/** A field a stage needs from an earlier one, or the SIM_NOT_MODELLED that names the missing writer. */
export function need<T>(v: T | undefined, reader: string, what: string): T {
  if (v === undefined) throw new SimError('SIM_NOT_MODELLED', reader, `state.legacy30.${what}: expected the stage that writes it to have run first`);
  return v;
}
