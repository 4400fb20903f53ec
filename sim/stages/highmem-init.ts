// models the i386 lines of mem_init() in arch/x86/mm/init_32.c (5.10.223, 6.1.192, 6.12.115):
// set_highmem_pages_init() (arch/x86/mm/highmem_32.c) "Initializing %s for node %d (%08lx:%08lx)"
// for every highmem zone, and test_wp_bit() "Checking if this processor honours the WP bit even
// in supervisor mode...Ok.". 5.10 prints Memory: inside mem_init() before test_wp_bit(); 6.1+
// print Memory: after mem_init(), so the WP line has two positions, chosen by traits.memoryLineFrom.
import type { BootContext, BootState, StageResult } from '../boot.ts';
import type { DmesgLine } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { configOn, term } from './mm-inputs.ts';
import { sliceIfAny } from '../state.ts';
import { fmt08lx } from '../lib/printk.ts';

/**
 * zone_movable_is_highmem() where it is a compile-time constant (traits.movableIsHighmemConstant:
 * 5.10 without NEED_MULTIPLE_NODES): whether the zone below Movable is HighMem. Undefined where
 * movable_zone decides.
 */
export function movableByZoneLayout(traits: Pick<KernelTraits, 'movableIsHighmemConstant'>, zones: readonly string[]): boolean | undefined {
  if (!traits.movableIsHighmemConstant) return undefined;
  const m = zones.indexOf('Movable');
  return m > 0 && zones[m - 1] === 'HighMem';
}

/** set_highmem_pages_init(): for_each_zone, is_highmem(zone) — HighMem, and Movable when movable_zone is HighMem. */
export function setHighmemPagesInit(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  if (traits.arch !== 'i386' || !configOn(ctx, 'HIGHMEM')) return { state, lines: [] };
  const z = sliceIfAny(state, 'zones');
  if (!z) return { state, lines: [] };
  const lines: DmesgLine[] = [];
  for (const n of z.nodes) {
    // include/linux/mmzone.h (5.10) zone_movable_is_highmem(): without CONFIG_NEED_MULTIPLE_NODES it is
    // the constant (ZONE_MOVABLE - 1) == ZONE_HIGHMEM, true on i386, so Movable always prints there.
    // 6.1: is_highmem_idx() tests movable_zone == ZONE_HIGHMEM, where mm/page_alloc.c
    // find_usable_zone_for_movable() picks the highest zone with an arch range (sim/stages/zone-movable.ts)
    const movableIsHigh = movableByZoneLayout(traits, n.zones.map((zz) => zz.name)) ?? z.zoneMovable.movableZone === 'HighMem';
    for (const zone of n.zones) {
      // include/linux/mmzone.h is_highmem_idx(): ZONE_HIGHMEM, or ZONE_MOVABLE when movable_zone == ZONE_HIGHMEM
      if (!(zone.name === 'HighMem' || (zone.name === 'Movable' && movableIsHigh))) continue;
      // mm/page_alloc.c calculate_node_totalpages(): zone_start_pfn is 0 for an empty zone
      const start = zone.spannedPages > 0n ? zone.startPfn : 0n;
      const end = start + zone.spannedPages;
      lines.push({
        stage: 'highmem',
        fmt: 'highmem.init',
        text: `Initializing ${zone.name} for node ${n.node} (${fmt08lx(start)}:${fmt08lx(end)})`,
        explain: {
          start_pfn: [term('zone_start_pfn', `0x${start.toString(16)}`, 'zones stage; arch/x86/mm/highmem_32.c set_highmem_pages_init()')],
          end_pfn: [term('zone_start_pfn + spanned_pages', `0x${end.toString(16)}`, 'arch/x86/mm/highmem_32.c set_highmem_pages_init()')],
        },
      });
    }
  }
  return { state, lines };
}

const WP = 'Checking if this processor honours the WP bit even in supervisor mode...Ok.';
const wpLine = (): DmesgLine => ({
  stage: 'mem-init',
  fmt: 'mem.wp_check',
  text: WP,
  explain: { result: [term('result', 'Ok', 'arch/x86/mm/init_32.c test_wp_bit(): the write through FIX_WP_TEST faults (TCG honours CR0.WP)')] },
});

/** mem_init() → test_wp_bit() (6.1+): before mm_init() prints Memory:. */
export function wpCheckInMemInit(state: BootState, ctx: BootContext): StageResult {
  const t = ctx.traits;
  if (t.arch !== 'i386' || t.memoryLineFrom === 'mem_init') return { state, lines: [] };
  return { state, lines: [wpLine()] };
}

/** mem_init() → mem_init_print_info(); test_wp_bit() (5.10): after Memory:. */
export function wpCheckAfterMemory(state: BootState, ctx: BootContext): StageResult {
  const t = ctx.traits;
  if (t.arch !== 'i386' || t.memoryLineFrom !== 'mem_init') return { state, lines: [] };
  return { state, lines: [wpLine()] };
}
