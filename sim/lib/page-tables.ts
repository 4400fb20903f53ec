// Which page-table pages a mapping needs, by range arithmetic over each level's index space
// (shared/STYLE.md §3): the x86_64 direct map (arch/x86/mm/init_64.c kernel_physical_mapping_init)
// and the vmemmap (mm/sparse-vmemmap.c vmemmap_populate_hugepages) both populate, from low to high
// addresses, the table pages their span touches that are still empty. Counting those is interval
// arithmetic; only the upper levels (one table per 512 GiB and up) are stepped through.
import { addToSorted, coveredIn, type Range } from './ranges.ts';
import { P4D_SHIFT_64, PGDIR_SHIFT_L5, PMD_SHIFT_64, PUD_SHIFT_64 } from './sizes.ts';

/** One level of tables: a table page of this level maps 2^shift bytes (PTE 21, PMD 30, PUD 39, P4D 48). */
export interface TableLevel {
  /** Its name as the ledger says it, e.g. "PMD". */
  readonly name: string;
  readonly shift: bigint;
}

// a table page of one level maps what one entry of the level above maps (asm/pgtable_64_types.h)
export const P4D_TABLE: TableLevel = { name: 'P4D', shift: PGDIR_SHIFT_L5 };
export const PUD_TABLE: TableLevel = { name: 'PUD', shift: P4D_SHIFT_64 };
export const PMD_TABLE: TableLevel = { name: 'PMD', shift: PUD_SHIFT_64 };
export const PTE_TABLE: TableLevel = { name: 'PTE', shift: PMD_SHIFT_64 };

/** The populated table pages, per level name: sorted [start, end) ranges of table indexes. */
export type TableSet = Map<string, Range[]>;

/** `count` successive new table pages of one level. */
export interface TableRun {
  readonly level: string;
  readonly count: bigint;
}

/**
 * The table pages mapping [start, end) needs and `tables` lacks, in the order an ascending walk
 * allocates them (at each address, the upper level before the lower), as runs of one level; they
 * are added to `tables`. `levels` go from the top down; only the last is counted without stepping.
 */
export function populateTables(tables: TableSet, start: bigint, end: bigint, levels: readonly TableLevel[]): TableRun[] {
  const runs: TableRun[] = [];
  const emit = (level: string, count: bigint): void => {
    if (count === 0n) return;
    const last = runs[runs.length - 1];
    if (last && last.level === level) runs[runs.length - 1] = { level, count: last.count + count };
    else runs.push({ level, count });
  };
  const walk = (i: number, lo: bigint, hi: bigint): void => {
    const { name, shift } = levels[i]!;
    const first = lo >> shift;
    const last = (hi - 1n) >> shift;
    const have = tables.get(name) ?? [];
    if (i === levels.length - 1) {
      emit(name, last + 1n - first - coveredIn(have, first, last + 1n));
      tables.set(name, addToSorted(have, first, last + 1n));
      return;
    }
    for (let idx = first; idx <= last; idx++) {
      const now = tables.get(name) ?? [];
      if (coveredIn(now, idx, idx + 1n) === 0n) {
        emit(name, 1n);
        tables.set(name, addToSorted(now, idx, idx + 1n));
      }
      const s = idx << shift;
      walk(i + 1, lo > s ? lo : s, hi < s + (1n << shift) ? hi : s + (1n << shift));
    }
  };
  if (start < end) walk(0, start, end);
  return runs;
}
