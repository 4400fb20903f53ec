// models the geometry of /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show, 5.10.223 … 7.2.13):
// "Page block order" and "Pages per block" (pageblock_order, pageblock_nr_pages), and how many
// pageblocks pagetypeinfo_showblockcount_print() walks in each zone: from zone_start_pfn to
// zone_end_pfn in pageblock steps, each whose pfn has an online memmap (pfn_to_online_page). Which
// migrate type each block has is decided at run time by fallback stealing: the total per zone is
// predicted, the split is listed as not modelled (harness/catalog/state-families.ts).
import type { BootContext, BootState } from '../../boot.ts';
import type { ExplainTerm } from '../../types.ts';
import type { ZoneName } from '../../traits.ts';
import { slice } from '../../state.ts';
import { pageblockOrder } from '../mm-inputs.ts';
import { PAGE_SHIFT } from '../../lib/sizes.ts';

export interface PagetypeinfoState {
  readonly pageblockOrder: bigint;
  readonly pagesPerBlock: bigint;
  /** Populated zones, in print order: the pageblocks the block-count walk visits. */
  readonly blocks: readonly { readonly node: number; readonly zone: ZoneName; readonly count: bigint; readonly explain: readonly ExplainTerm[] }[];
}

export function predictPagetypeinfo(state: BootState, ctx: BootContext): PagetypeinfoState {
  const zs = slice(state, 'zones', 'state');
  const mb = slice(state, 'memblock', 'state');
  const order = pageblockOrder(ctx, 'state');
  const pb = 1n << order;
  const sectionPages = 1n << (BigInt(ctx.traits.sectionSizeBits) - PAGE_SHIFT);
  // a pfn's memmap is online when its section has memory (sparse_init's present sections); FLATMEM: every pfn of the node
  const sparse = ctx.traits.memoryModel !== 'flatmem';
  const sectionPresent = (pfn: bigint): boolean => {
    const s = (pfn / sectionPages) * sectionPages;
    const lo = s << PAGE_SHIFT;
    const hi = (s + sectionPages) << PAGE_SHIFT;
    return mb.memory.some((m) => m.start < hi && m.end > lo);
  };
  const blocks: PagetypeinfoState['blocks'][number][] = [];
  for (const n of zs.nodes) {
    for (const z of n.zones) {
      if (z.presentPages === 0n) continue;
      const end = z.startPfn + z.spannedPages;
      let count = 0n;
      for (let pfn = z.startPfn; pfn < end; pfn += pb) if (!sparse || sectionPresent(pfn)) count++;
      blocks.push({ node: n.node, zone: z.name, count, explain: [
        { name: `pageblocks from zone_start_pfn ${z.startPfn} to ${end} in steps of ${pb}, each in a present memory section`, value: count, source: 'mm/vmstat.c: pagetypeinfo_showblockcount_print() (6.1)' },
      ] });
    }
  }
  return { pageblockOrder: order, pagesPerBlock: pb, blocks };
}
