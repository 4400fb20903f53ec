// The boot state's one registry of named slices (shared/STYLE.md §2): each slice name maps to the
// type its writer leaves, and slice()/sliceIfAny()/withSlice() are the only ways to read or write
// one. The imports are type-only, so no stage module needs another at run time for a slice type.
import type { E820State } from './stages/e820.ts';
import type { MemblockState } from './stages/memblock.ts';
import type { PageTablesState } from './stages/memblock-setup.ts';
import type { PageTables32 } from './stages/init32.ts';
import type { NumaState } from './stages/numa.ts';
import type { SparseState } from './stages/sparse.ts';
import type { Lowmem32State } from './stages/lowmem32.ts';
import type { ZonesState } from './stages/zones.ts';
import type { PercpuState } from './stages/percpu.ts';
import type { LogBufState } from './stages/log-buf.ts';
import type { HashesState } from './stages/hashes.ts';
import type { SwiotlbState } from './stages/mm-core-misc.ts';
import type { Legacy30State } from './stages/old/state-30.ts';
import type { Legacy2611State } from './stages/old/state-2611.ts';
import type { InitrdState } from './stages/initrd.ts';
import { SimError } from './lib/errors.ts';

/** What mem_init_print_info() counted (sim/stages/mem-init.ts). */
export interface MemInitState {
  readonly physpages: bigint;
  readonly totalram: bigint;
  readonly available: bigint;
}

/** Every named slice of the boot state and its type. */
export interface BootSlices {
  readonly e820: E820State;
  readonly memblock: MemblockState;
  readonly pageTables: PageTablesState;
  readonly pgt32: PageTables32;
  readonly numa: NumaState;
  readonly sparse: SparseState;
  readonly lowmem32: Lowmem32State;
  readonly zones: ZonesState;
  readonly percpu: PercpuState;
  readonly logBuf: LogBufState;
  readonly hashes: HashesState;
  readonly swiotlb: SwiotlbState;
  readonly memInit: MemInitState;
  /** The -initrd image: where the loader put it, and relocate_initrd's copy (sim/stages/initrd.ts). */
  readonly initrd: InitrdState;
  /** The 3.0 pipeline's state (sim/stages/old/). */
  readonly legacy30: Legacy30State;
  /** The 2.6.11 i386 pipeline's state (sim/stages/old/*-2611.ts). */
  readonly legacy2611: Legacy2611State;
}

export type SliceName = keyof BootSlices;

/** Named state threaded through the stages. Stages add slices; none are positional. */
export type BootState = Readonly<Partial<BootSlices>>;

/** The kernel step that writes each slice: what a SIM_NOT_MODELLED names when it is absent. */
export const SLICE_WRITERS: { readonly [K in SliceName]: string } = {
  e820: 'the e820 setup stage',
  memblock: 'the memblock setup stage (e820__memblock_setup)',
  pageTables: 'the memblock setup stage',
  pgt32: 'init_mem_mapping (X86_32)',
  numa: 'the NUMA stage (initmem_init)',
  sparse: 'sparse_init',
  lowmem32: 'find_low_pfn_range (X86_32)',
  zones: 'the free_area_init stage',
  percpu: 'setup_per_cpu_areas',
  logBuf: 'setup_log_buf',
  hashes: 'vfs_caches_init_early',
  swiotlb: 'pci_iommu_alloc',
  memInit: 'mem_init_print_info',
  initrd: 'the memblock setup stage (early_reserve_initrd)',
  legacy30: 'the 3.0 setup_memory_map stage (sim/stages/old/)',
  legacy2611: 'the 2.6.11 setup_arch memory-map stage (sim/stages/old/setup-memory-2611.ts)',
};

/** The slice `key`, or a SIM_NOT_MODELLED from `reader` naming the stage that should have written it. */
export function slice<K extends SliceName>(state: BootState, key: K, reader: string = key): BootSlices[K] {
  const s = state[key];
  if (s === undefined) throw new SimError('SIM_NOT_MODELLED', reader, `state.${key}: expected ${SLICE_WRITERS[key]} to have run first`);
  return s;
}

/** The slice `key`, or undefined while its writer has not run (or does not run on this kernel). */
export function sliceIfAny<K extends SliceName>(state: BootState, key: K): BootSlices[K] | undefined {
  return state[key];
}

/** The state with slice `key` set to `value`. */
export function withSlice<K extends SliceName>(state: BootState, key: K, value: BootSlices[K]): BootState {
  return { ...state, [key]: value };
}
