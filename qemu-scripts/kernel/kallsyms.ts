// The kernel's own symbol table (scripts/kallsyms.c 6.12.115, 7.2.13), read from .rodata of a
// stripped image: kallsyms_num_syms, kallsyms_names (ULEB128 length + token bytes per symbol,
// the first byte of each expanded name its type), kallsyms_markers (the names offset of every
// 256th symbol), kallsyms_token_table (256 NUL-terminated tokens), kallsyms_token_index (256
// u16 offsets into it), kallsyms_offsets (one s32 per symbol), each label .balign'ed. The
// offsets are 6.12's base-relative form with --absolute-percpu (x86_64 SMP: a value ≥ 0 is
// absolute, else the address is relative_base − 1 − value; relative_base follows the offsets),
// 6.18's plain base-relative form (no --absolute-percpu: every offset is an unsigned
// addr − relative_base, scripts/kallsyms.c 6.18.15 write_src()) and 7.2's --pc-relative form
// (CONFIG_64BIT: the address is the entry's own address + value).
// The token index is found by its shape: 256 increasing u16 from 0, right after a table whose
// every indexed token ends in a NUL.
import { FactsError } from './errors.ts';
import type { ElfSection } from './elf.ts';

/** 'absolute-percpu': 6.12 with --absolute-percpu; 'base-relative': 6.18 without it; 'pc-relative': 7.2. */
export type KallsymsOffsets = 'absolute-percpu' | 'base-relative' | 'pc-relative';

export interface Kallsyms {
  readonly count: number;
  /** kallsyms_lookup()'s name for an address: the first symbol at it in address order (get_symbol_pos). */
  readonly nameAt: (addr: bigint) => string | undefined;
}

/** Reads the table from .rodata's bytes (`rodata` the section, for addresses). */
export function findKallsyms(bytes: Uint8Array, rodata: ElfSection, offsets: KallsymsOffsets, file = 'vmlinux'): Kallsyms {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string): FactsError => new FactsError('LAYOUT_UNEXPECTED', `kallsyms: ${what}`, { pos: { file } });
  const u16 = (o: number): number => dv.getUint16(o, true);
  const u32 = (o: number): number => dv.getUint32(o, true);

  // kallsyms_token_index and the token table before it
  let index = -1;
  let tokens = -1;
  for (let p = 0; p + 512 <= bytes.length && index < 0; p += 2) {
    if (u16(p) !== 0) continue;
    let prev = 0;
    let ok = true;
    for (let i = 1; i < 256 && ok; i++) {
      const v = u16(p + 2 * i);
      ok = v >= prev + 2 && v - prev <= 256;
      prev = v;
    }
    if (!ok) continue;
    for (let pad = 0; pad < 8 && index < 0; pad++) {
      const nul = p - pad - 1;
      if (nul < 1 || bytes[nul] !== 0 || bytes[nul - 1] === 0) continue;
      let q = nul - 1;
      while (q >= 0 && bytes[q] !== 0) q--;
      const start = q + 1 - prev;
      if (start < 0) continue;
      let good = true;
      for (let i = 1; i < 256 && good; i++) good = bytes[start + u16(p + 2 * i) - 1] === 0 && bytes[start + u16(p + 2 * i)] !== 0;
      if (good) {
        index = p;
        tokens = start;
      }
    }
  }
  if (index < 0) throw bad('expected kallsyms_token_index (256 increasing u16 from 0 after a table of NUL-terminated tokens) in .rodata, found none');
  const tokenText: string[] = [];
  for (let i = 0; i < 256; i++) {
    let o = tokens + u16(index + 2 * i);
    let s = '';
    while (bytes[o] !== 0) s += String.fromCharCode(bytes[o++]!);
    tokenText.push(s);
  }

  // kallsyms_markers: increasing u32 ending before the token table (after ≤ 7 bytes of padding), first 0
  let m = tokens - 4;
  while (m >= 0 && tokens - m <= 8 && u32(m) === 0) m -= 4;
  const markers: number[] = [];
  for (; m >= 0; m -= 4) {
    const v = u32(m);
    if (markers.length > 0 && v >= markers[0]!) throw bad(`expected kallsyms_markers to decrease going back from 0x${(rodata.addr + BigInt(tokens)).toString(16)}, got ${v} after ${markers[0]}`);
    markers.unshift(v);
    if (v === 0) break;
  }
  const markersAt = m;
  const entryLen = (o: number): [number, number] => (bytes[o]! & 0x80 ? [((bytes[o]! & 0x7f) | (bytes[o + 1]! << 7)), 2] : [bytes[o]!, 1]);

  // kallsyms_names and kallsyms_num_syms before it: the start whose decoding meets every marker
  const last = markers[markers.length - 1]!;
  let names = -1;
  let count = 0;
  for (let x = (markersAt - last - 1) & ~3; x > 8 && x > markersAt - last - 256 * 300 && names < 0; x -= 4) {
    for (const back of [8, 4]) {
      const n = u32(x - back);
      if (n === 0 || Math.ceil(n / 256) !== markers.length) continue;
      let o = x;
      let ok = true;
      for (let i = 0; i < n && ok; i++) {
        if ((i & 255) === 0) ok = o - x === markers[i >> 8];
        const [len, hdr] = entryLen(o);
        o += hdr + len;
      }
      if (ok && o <= markersAt && markersAt - o < 8) {
        names = x;
        count = n;
        break;
      }
    }
  }
  if (names < 0) throw bad(`expected kallsyms_num_syms and kallsyms_names before the ${markers.length} markers, found none that decode to them`);
  const symbols: string[] = [];
  for (let i = 0, o = names; i < count; i++) {
    const [len, hdr] = entryLen(o);
    o += hdr;
    let s = '';
    for (let k = 0; k < len; k++) s += tokenText[bytes[o + k]!]!;
    o += len;
    symbols.push(s.slice(1)); // the type character first
  }

  // kallsyms_offsets after the token index
  let offs = index + 512;
  while ((offs & 3) !== 0) offs++;
  if (offs + 4 * count + 8 > bytes.length) throw bad(`expected ${count} offsets after kallsyms_token_index, but .rodata ends first`);
  let relBase = 0n;
  if (offsets !== 'pc-relative') {
    let rb = offs + 4 * count;
    while ((rb & 7) !== 0) rb++;
    relBase = dv.getBigUint64(rb, true);
  }
  const byAddr = new Map<bigint, string>();
  for (let i = 0; i < count; i++) {
    const v = BigInt(dv.getInt32(offs + 4 * i, true));
    const a =
      offsets === 'pc-relative' ? rodata.addr + BigInt(offs + 4 * i) + v
      : offsets === 'base-relative' ? relBase + BigInt.asUintN(32, v)
      : v >= 0n ? v : relBase - 1n - v;
    if (!byAddr.has(a)) byAddr.set(a, symbols[i]!);
  }
  return { count, nameAt: (a) => byAddr.get(a) };
}
