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
  /** The address of a symbol by name (the first entry of that name), e.g. a linker-script label. */
  readonly addressOf: (name: string) => bigint | undefined;
  /** Every distinct symbol address, ascending: the boundaries kallsyms_lookup_size_offset() sizes a symbol by. */
  readonly addresses: readonly bigint[];
}

/** .rodata's bytes with little-endian readers, and the error every step throws. */
interface RodataReader {
  readonly bytes: Uint8Array;
  readonly dv: DataView;
  readonly u16: (o: number) => number;
  readonly u32: (o: number) => number;
  readonly bad: (what: string) => FactsError;
}

/** Reads the table from .rodata's bytes (`rodata` the section, for addresses). */
export function findKallsyms(bytes: Uint8Array, rodata: ElfSection, offsets: KallsymsOffsets, file = 'vmlinux'): Kallsyms {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r: RodataReader = {
    bytes, dv,
    u16: (o) => dv.getUint16(o, true),
    u32: (o) => dv.getUint32(o, true),
    bad: (what) => new FactsError('LAYOUT_UNEXPECTED', `kallsyms: ${what}`, { pos: { file } }),
  };
  const { index, tokens } = findTokenIndex(r);
  const tokenText: string[] = [];
  for (let i = 0; i < 256; i++) {
    let o = tokens + r.u16(index + 2 * i);
    let s = '';
    while (bytes[o] !== 0) s += String.fromCharCode(bytes[o++]!);
    tokenText.push(s);
  }
  const { markers, markersAt } = readMarkers(r, tokens, rodata);
  const { names, count } = findNames(r, markers, markersAt);
  const symbols: string[] = [];
  for (let i = 0, o = names; i < count; i++) {
    const [len, hdr] = entryLen(bytes, o);
    o += hdr;
    let s = '';
    for (let k = 0; k < len; k++) s += tokenText[bytes[o + k]!]!;
    o += len;
    symbols.push(s.slice(1)); // the type character first
  }
  const { byAddr, byName } = readOffsets(r, index, count, symbols, rodata, offsets);
  const addresses = [...byAddr.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { count, nameAt: (a) => byAddr.get(a), addressOf: (n) => byName.get(n), addresses };
}

/** A kallsyms_names entry's length and its header bytes (a length ≥ 128 takes two, ULEB128-style). */
const entryLen = (bytes: Uint8Array, o: number): [number, number] => (bytes[o]! & 0x80 ? [((bytes[o]! & 0x7f) | (bytes[o + 1]! << 7)), 2] : [bytes[o]!, 1]);

/** kallsyms_token_index (256 increasing u16 from 0) and the kallsyms_token_table of NUL-terminated tokens before it. */
function findTokenIndex(r: RodataReader): { index: number; tokens: number } {
  const { bytes, u16 } = r;
  for (let p = 0; p + 512 <= bytes.length; p += 2) {
    if (u16(p) !== 0) continue;
    let prev = 0;
    let ok = true;
    for (let i = 1; i < 256 && ok; i++) {
      const v = u16(p + 2 * i);
      ok = v >= prev + 2 && v - prev <= 256;
      prev = v;
    }
    if (!ok) continue;
    for (let pad = 0; pad < 8; pad++) {
      const nul = p - pad - 1;
      if (nul < 1 || bytes[nul] !== 0 || bytes[nul - 1] === 0) continue;
      let q = nul - 1;
      while (q >= 0 && bytes[q] !== 0) q--;
      const start = q + 1 - prev;
      if (start < 0) continue;
      let good = true;
      for (let i = 1; i < 256 && good; i++) good = bytes[start + u16(p + 2 * i) - 1] === 0 && bytes[start + u16(p + 2 * i)] !== 0;
      if (good) return { index: p, tokens: start };
    }
  }
  throw r.bad('expected kallsyms_token_index (256 increasing u16 from 0 after a table of NUL-terminated tokens) in .rodata, found none');
}

/** kallsyms_markers: increasing u32 ending before the token table (after ≤ 7 bytes of padding), first 0. */
function readMarkers(r: RodataReader, tokens: number, rodata: ElfSection): { markers: number[]; markersAt: number } {
  let m = tokens - 4;
  while (m >= 0 && tokens - m <= 8 && r.u32(m) === 0) m -= 4;
  const markers: number[] = [];
  for (; m >= 0; m -= 4) {
    const v = r.u32(m);
    if (markers.length > 0 && v >= markers[0]!) throw r.bad(`expected kallsyms_markers to decrease going back from 0x${(rodata.addr + BigInt(tokens)).toString(16)}, got ${v} after ${markers[0]}`);
    markers.unshift(v);
    if (v === 0) break;
  }
  return { markers, markersAt: m };
}

/** kallsyms_names and kallsyms_num_syms before it: the start whose decoding meets every marker. */
function findNames(r: RodataReader, markers: readonly number[], markersAt: number): { names: number; count: number } {
  const last = markers[markers.length - 1]!;
  for (let x = (markersAt - last - 1) & ~3; x > 8 && x > markersAt - last - 256 * 300; x -= 4) {
    for (const back of [8, 4]) {
      const n = r.u32(x - back);
      if (n === 0 || Math.ceil(n / 256) !== markers.length) continue;
      let o = x;
      let ok = true;
      for (let i = 0; i < n && ok; i++) {
        if ((i & 255) === 0) ok = o - x === markers[i >> 8];
        const [len, hdr] = entryLen(r.bytes, o);
        o += hdr + len;
      }
      if (ok && o <= markersAt && markersAt - o < 8) return { names: x, count: n };
    }
  }
  throw r.bad(`expected kallsyms_num_syms and kallsyms_names before the ${markers.length} markers, found none that decode to them`);
}

/** kallsyms_offsets after the token index (and kallsyms_relative_base), decoded as the build stores them: the first name at each address. */
function readOffsets(r: RodataReader, index: number, count: number, symbols: readonly string[], rodata: ElfSection, offsets: KallsymsOffsets): { byAddr: Map<bigint, string>; byName: Map<string, bigint> } {
  let offs = index + 512;
  while ((offs & 3) !== 0) offs++;
  if (offs + 4 * count + 8 > r.bytes.length) throw r.bad(`expected ${count} offsets after kallsyms_token_index, but .rodata ends first`);
  let relBase = 0n;
  if (offsets !== 'pc-relative') {
    let rb = offs + 4 * count;
    while ((rb & 7) !== 0) rb++;
    relBase = r.dv.getBigUint64(rb, true);
  }
  const byAddr = new Map<bigint, string>();
  const byName = new Map<string, bigint>();
  for (let i = 0; i < count; i++) {
    const v = BigInt(r.dv.getInt32(offs + 4 * i, true));
    const a =
      offsets === 'pc-relative' ? rodata.addr + BigInt(offs + 4 * i) + v
      : offsets === 'base-relative' ? relBase + BigInt.asUintN(32, v)
      : v >= 0n ? v : relBase - 1n - v;
    if (!byAddr.has(a)) byAddr.set(a, symbols[i]!);
    if (!byName.has(symbols[i]!)) byName.set(symbols[i]!, a);
  }
  return { byAddr, byName };
}
