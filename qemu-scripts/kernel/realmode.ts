// Recovers the size of the real-mode blob (real_mode_blob_end − real_mode_blob) from the
// .init.data of a stripped vmlinux, for reserve_real_mode()'s real_mode_size_needed()
// (arch/x86/include/asm/realmode.h, the same in 5.10.223, 6.1, 6.12.115 and 7.2.13).
//
// Why not kallsyms: only the amd64 builds have KALLSYMS_ALL; the 686 builds keep text symbols
// only, and real_mode_blob is data. The blob instead carries its own framing, fixed by the
// build (read in 5.10.223, 6.12.115 and 7.2.13, unchanged in these parts):
//  - arch/x86/realmode/rmpiggy.S: `.section ".init.data"; .balign PAGE_SIZE; real_mode_blob:
//    .incbin realmode.bin; real_mode_blob_end:` then, with no alignment (SYM_DATA_START is
//    SYM_A_NONE), `real_mode_relocs: .incbin realmode.relocs`.
//  - realmode.bin is `objcopy -O binary` of realmode.elf, linked by rm/realmode.lds.S from 0:
//    .header (real_mode_header: text_start, ro_end, …), .rodata, `. = ALIGN(PAGE_SIZE);
//    pa_text_start`, the text, `pa_ro_end`, `. = ALIGN(PAGE_SIZE)` .data, .bss, and last
//    `. = ALIGN(4); .signature` holding end_signature = REALMODE_END_SIGNATURE (rm/header.S,
//    rm/realmode.h). So the blob ends with that 4-byte signature, at an offset ≥ PAGE_ALIGN(ro_end).
//  - realmode.relocs is `relocs --realmode` (arch/x86/tools/relocs.c emit_relocs): a u32 count
//    of 16-bit segment relocations, their sorted u32 offsets into the blob, then the same for
//    32-bit linear relocations. A segment relocation's site holds real_mode_seg, which
//    realmode.lds.S sets to 0.
// A (start, end) pair is accepted only if all of that holds, and exactly one pair may: the
// signature's value also appears as an immediate in the wakeup code (wakeup_asm.S compares it),
// which the checks reject.
import { FactsError, hex } from './errors.ts';

/** arch/x86/realmode/rm/realmode.h */
export const REALMODE_END_SIGNATURE = 0x65a22c82;
const PAGE_SIZE = 4096;

export interface RealModeBlob {
  /** Link-time virtual address of real_mode_blob. */
  readonly start: bigint;
  /** real_mode_blob_end − real_mode_blob. */
  readonly bytes: number;
  /** Entries in the two lists of real_mode_relocs. */
  readonly relocs16: number;
  readonly relocs32: number;
}

interface Relocs {
  readonly r16: readonly number[];
  readonly r32: readonly number[];
}

/** Reads real_mode_relocs at `at`: two count-prefixed lists of ascending u32 offsets; undefined if it does not fit. */
function readRelocs(view: DataView, at: number): Relocs | undefined {
  const lists: number[][] = [];
  let p = at;
  for (let k = 0; k < 2; k++) {
    if (p + 4 > view.byteLength) return undefined;
    const n = view.getUint32(p, true);
    p += 4;
    if (p + 4 * n > view.byteLength) return undefined;
    const list: number[] = [];
    for (let i = 0; i < n; i++, p += 4) {
      const off = view.getUint32(p, true);
      if (list.length > 0 && off <= list[list.length - 1]!) return undefined; // sort_relocs(): ascending, one per site
      list.push(off);
    }
    lists.push(list);
  }
  return { r16: lists[0]!, r32: lists[1]! };
}

/** Whether [s, e) of the section can be realmode.bin with `relocs` after it. */
function isBlob(view: DataView, s: number, e: number, relocs: Relocs): boolean {
  const len = e - s;
  if (len < 8) return false;
  // real_mode_header: text_start (pa_text_start, page-aligned and after .header) then ro_end
  const textStart = view.getUint32(s, true);
  const roEnd = view.getUint32(s + 4, true);
  if (textStart === 0 || textStart % PAGE_SIZE !== 0 || roEnd <= textStart) return false;
  // .signature comes after `. = ALIGN(PAGE_SIZE); .data`
  if (Math.ceil(roEnd / PAGE_SIZE) * PAGE_SIZE + 4 > len) return false;
  for (const off of relocs.r32) if (off + 4 > len) return false;
  // each segment relocation's site holds real_mode_seg = 0 until setup_real_mode() patches it
  for (const off of relocs.r16) if (off + 2 > len || view.getUint16(s + off, true) !== 0) return false;
  return true;
}

/**
 * Finds real_mode_blob in the bytes of .init.data (linked at `addr`). Throws LAYOUT_UNEXPECTED
 * unless exactly one place fits the framing described at the top of this file.
 */
export function findRealModeBlob(initData: Uint8Array, addr: bigint, file = 'vmlinux'): RealModeBlob {
  const view = new DataView(initData.buffer, initData.byteOffset, initData.byteLength);
  const buf = Buffer.from(initData.buffer, initData.byteOffset, initData.byteLength);
  const sig = Buffer.alloc(4);
  sig.writeUInt32LE(REALMODE_END_SIGNATURE);
  // section offset of the first page boundary (rmpiggy.S: .balign PAGE_SIZE, in link addresses)
  const firstPage = Number((BigInt(PAGE_SIZE) - (addr % BigInt(PAGE_SIZE))) % BigInt(PAGE_SIZE));
  const found: Array<{ s: number; e: number; relocs: Relocs }> = [];
  for (let at = buf.indexOf(sig); at >= 0; at = buf.indexOf(sig, at + 1)) {
    if ((addr + BigInt(at)) % 4n !== 0n) continue; // `. = ALIGN(4); .signature`, from a page-aligned start
    const e = at + 4;
    const relocs = readRelocs(view, e);
    if (!relocs) continue;
    for (let s = firstPage; s + 8 <= e; s += PAGE_SIZE) if (isBlob(view, s, e, relocs)) found.push({ s, e, relocs });
  }
  const where = `.init.data at ${hex(addr)}`;
  if (found.length !== 1) {
    const got = found.length === 0 ? 'none' : found.map((f) => `[${hex(addr + BigInt(f.s))}, ${hex(addr + BigInt(f.e))})`).join(', ');
    throw new FactsError('LAYOUT_UNEXPECTED', `${where}: expected one real_mode_blob (page-aligned real_mode_header, ending in REALMODE_END_SIGNATURE ${hex(REALMODE_END_SIGNATURE)}, followed by real_mode_relocs), got ${got}`, { pos: { file } });
  }
  const f = found[0]!;
  return { start: addr + BigInt(f.s), bytes: f.e - f.s, relocs16: f.relocs.r16.length, relocs32: f.relocs.r32.length };
}
