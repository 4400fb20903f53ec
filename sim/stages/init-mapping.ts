// models memory_map_top_down() of arch/x86/mm/init.c (the same in 5.10–7.2, on X86_32 and X86_64):
// map [map_start, map_end) from the top down in growing steps, so each step's page tables can be
// allocated from memory the previous steps have already mapped.
import { memblockFindInRangeNode, memblockFree, memblockPhysAllocRange, type MemblockState } from './memblock.ts';
import { SimError } from '../lib/errors.ts';
import { PAGE_SHIFT } from '../lib/sizes.ts';

/** What memory_map_top_down reads and updates; each arch's mapping state has these fields. */
export interface TopDownTarget {
  mb: MemblockState;
  minPfnMapped: bigint;
  maxPfnMapped: bigint;
}

/**
 * How memory_map_top_down finds its first block: 5.10 asks memblock_find_in_range() (no
 * reservation); 5.11+ reserves it with memblock_phys_alloc_range() and frees it again.
 */
export type TopDownProbe = 'find' | 'alloc-free';

/**
 * memory_map_top_down(map_start, map_end). `mapRange(start, end)` is the arch's
 * init_range_memory_mapping() and returns the bytes it mapped.
 */
export function memoryMapTopDown(t: TopDownTarget, mapStart: bigint, mapEnd: bigint, pmdShift: bigint, mapRange: (start: bigint, end: bigint) => bigint, stage: string, probeBy: TopDownProbe): void {
  const pmdSize = 1n << pmdShift;
  // probe the top-most free PMD-sized block (6.1: and free it again): it is where the first step maps
  let probeAddr: bigint;
  if (probeBy === 'alloc-free') {
    const probe = memblockPhysAllocRange(t.mb, { size: pmdSize, align: pmdSize, start: mapStart, end: mapEnd, why: 'init_mem_mapping probe', source: 'arch/x86/mm/init.c: memory_map_top_down() (6.1)', stage, caller: 'init_mem_mapping > memory_map_top_down' });
    t.mb = memblockFree(probe.mb, probe.addr, pmdSize);
    probeAddr = probe.addr;
  } else {
    // arch/x86/mm/init.c memory_map_top_down() (5.10): memblock_find_in_range(map_start, map_end, PMD_SIZE, PMD_SIZE)
    const found = memblockFindInRangeNode(t.mb, { size: pmdSize, align: pmdSize, start: mapStart, end: mapEnd });
    if (found === undefined) throw new SimError('SIM_NOT_MODELLED', stage, 'memory_map_top_down: no free PMD-sized block to start mapping from');
    probeAddr = found;
  }
  const realEnd = probeAddr + pmdSize;
  let stepSize = pmdSize;
  t.maxPfnMapped = 0n;
  t.minPfnMapped = realEnd >> PAGE_SHIFT;
  let lastStart = realEnd;
  let mapped = 0n;
  while (lastStart > mapStart) {
    let start = lastStart > stepSize ? (lastStart - 1n) - ((lastStart - 1n) % stepSize) : mapStart;
    if (start < mapStart) start = mapStart;
    mapped += mapRange(start, lastStart);
    lastStart = start;
    t.minPfnMapped = lastStart >> PAGE_SHIFT;
    // get_new_step_size(): step_size << (PMD_SHIFT - PAGE_SHIFT - 1)
    if (mapped >= stepSize) stepSize <<= pmdShift - PAGE_SHIFT - 1n;
  }
  if (realEnd < mapEnd) mapRange(realEnd, mapEnd);
}
