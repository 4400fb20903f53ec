// Marks the regions of a simulated memory map against a real boot's serial log. Two rules, each
// over what the log prints (the simulator never reads a golden; this module compares):
//  - a region whose range a sim line prints (MapRegion.printedBy) is 'same' when the golden's
//    normalised lines hold that text byte for byte, else 'differs';
//  - a memblock reservation is matched with the log's memblock=debug operations
//    (harness/memblock-log.ts memblockOperations) by start and size: 'same' when one reserved that
//    range, 'differs' when none did; 'unchecked' when memblock=debug does not print it
//    (LedgerEntry.notPrinted) or the log has no memblock=debug lines at all.
// Every other region (holes, memblock.memory, the virtual layout: ranges no line prints) is
// 'unchecked'. Pure: the caller reads the file.
import { normaliseLog } from '../../normalise.ts';
import { memblockOperations, parseMemblockLog } from '../../memblock-log.ts';
import type { MapRegion, MemoryMap } from './model.ts';

export interface GoldenMarks {
  readonly map: MemoryMap;
  readonly counts: { readonly same: number; readonly differs: number; readonly unchecked: number };
  /** Whether the log had memblock=debug lines (else reservations stay unchecked). */
  readonly memblockDebug: boolean;
}

/** The map with every region marked against the raw golden log `raw` (shown as `file`). */
export function markAgainstGolden(map: MemoryMap, raw: Uint8Array | string, file: string): GoldenMarks {
  const log = normaliseLog(raw, file);
  const texts = new Set(log.lines.map((l) => l.text));
  const ops = memblockOperations(parseMemblockLog(raw, file)).ops;
  const reserved = new Set(ops.filter((o) => o.start !== undefined).map((o) => `${o.start!.toString(16)}+${o.size.toString(16)}`));
  const memblockDebug = ops.length > 0;
  const counts = { same: 0, differs: 0, unchecked: 0 };
  const mark = (r: MapRegion): MapRegion => {
    let golden: MapRegion['golden'];
    if (r.layer === 'memblock-reserved' && memblockDebug && !r.notPrinted) golden = reserved.has(`${r.start.toString(16)}+${(r.end - r.start).toString(16)}`) ? 'same' : 'differs';
    else if (r.printedBy !== undefined) golden = texts.has(r.printedBy) ? 'same' : 'differs';
    else golden = 'unchecked';
    counts[golden]++;
    return { ...r, golden };
  };
  const physical = map.physical.map(mark);
  const virtual = map.virtual.map(mark);
  // a reservation goes unchecked only where neither memblock=debug nor a line of its own prints it (2.6.34's early_res slots print theirs)
  const reservationsUnchecked = physical.filter((r) => r.layer === 'memblock-reserved' && r.golden === 'unchecked').length;
  const note = `${counts.same} regions as the real boot printed them, ${counts.differs} differ, ${counts.unchecked} unchecked (no line prints their range${memblockDebug || reservationsUnchecked === 0 ? '' : `; the log has no memblock=debug lines, so ${reservationsUnchecked} reservation${reservationsUnchecked === 1 ? ' is' : 's are'} unchecked`})`;
  return { map: { ...map, physical, virtual, golden: { file, note } }, counts, memblockDebug };
}
