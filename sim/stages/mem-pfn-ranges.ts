// The early node map that free_area_init (sim/stages/zones.ts) and the i386 highmem setup
// (sim/stages/lowmem32.ts) both walk: for_each_mem_pfn_range() over memblock.memory
// (include/linux/memblock.h, mm/memblock.c __next_mem_pfn_range). Its own module, so that the
// two stages need not import each other.
import type { BootContext, BootState } from '../boot.ts';
import { e820StateOf } from './e820.ts';
import { PFN_UP, PFN_DOWN } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { slice } from '../state.ts';

/** One range of the early node map: for_each_mem_pfn_range() (PFN_UP(base), PFN_DOWN(end), nid). */
export interface MemPfnRange {
  readonly startPfn: bigint;
  /** Exclusive. */
  readonly endPfn: bigint;
  readonly nid: number;
}

/**
 * The early node map, from the memblock stage's memblock.memory (what e820__memblock_setup added,
 * sim/stages/memblock-setup.ts e820MemblockSetup). Node ids < 0 (not yet set by a NUMA stage)
 * resolve to 0 without CONFIG_NUMA (initmem_init's memblock_set_node(0, PHYS_ADDR_MAX, …, 0)),
 * else to the SRAT memory affinity QEMU builds.
 */
export function memoryRangesForZones(state: BootState, ctx: BootContext): MemPfnRange[] {
  const traits = ctx.traits;
  const bytes = slice(state, 'memblock', 'zones').memory.map((r) => ({ start: r.start, end: r.end, nid: r.nid }));
  const srat = traits.numa ? e820StateOf(state).firmware.srat : undefined;
  const out: MemPfnRange[] = [];
  for (const r of bytes) {
    const s = PFN_UP(r.start);
    const en = PFN_DOWN(r.end);
    if (s >= en) continue;
    if (r.nid >= 0) { out.push({ startPfn: s, endPfn: en, nid: r.nid }); continue; }
    if (!srat) { out.push({ startPfn: s, endPfn: en, nid: 0 }); continue; }
    // memblock_set_node per SRAT memblk: split the range at node boundaries
    let cur = s;
    for (const m of [...srat].sort((a, b) => (a.start < b.start ? -1 : 1))) {
      const ms = PFN_DOWN(m.start);
      const me = PFN_DOWN(m.end);
      if (me <= cur || ms >= en) continue;
      if (ms > cur) throw new SimError('SIM_NOT_MODELLED', 'zones', `memory [pfn 0x${cur.toString(16)}-0x${ms.toString(16)}) is in no SRAT node ("NUMA: nodes only cover" fallback)`);
      const pe = me < en ? me : en;
      out.push({ startPfn: cur, endPfn: pe, nid: m.node });
      cur = pe;
    }
    if (cur < en) throw new SimError('SIM_NOT_MODELLED', 'zones', `memory [pfn 0x${cur.toString(16)}-0x${en.toString(16)}) is in no SRAT node ("NUMA: nodes only cover" fallback)`);
  }
  // memblock regions are sorted by address; a node split leaves them in order
  return out;
}
