// The __mcount_loc table ftrace_init() walks (kernel/trace/ftrace.c 6.12.115, 7.2.13):
// [__start_mcount_loc, __stop_mcount_loc) in .init.data (include/asm-generic/vmlinux.lds.h
// MCOUNT_REC inside INIT_DATA), one word per traceable call site. The image keeps no symbol
// table, so the table is found by its shape: with CONFIG_BUILDTIME_MCOUNT_SORT
// (scripts/sorttable.c) it is sorted at build time, so the sites whose functions the linker
// dropped (zeroed by sorttable) come first and every other entry is a strictly increasing
// address inside the kernel's text ([_stext, .init.text end)). No other .init.data object is a
// run of thousands of ascending text addresses.
import { FactsError } from './errors.ts';
import { section, sectionBytes, type ElfFile } from './elf.ts';
import type { McountLoc } from '../../sim/kernel-facts.ts';

/** Shorter runs are not the mcount table (a build with ftrace has tens of thousands of sites). */
const MIN_ENTRIES = 1000;

/**
 * Finds the sorted __mcount_loc table in .init.data: the longest strictly increasing run of
 * words pointing into [.text start, .init.text end), plus the zero words right before it.
 * Returns undefined when there is no such run (a build without dynamic ftrace).
 */
export function findMcountLoc(elf: ElfFile, vmlinux: Uint8Array, file = 'vmlinux'): McountLoc | undefined {
  const text = section(elf, '.text', file, 'the linker script');
  const initText = section(elf, '.init.text', file, 'the linker script');
  const initData = section(elf, '.init.data', file, 'include/asm-generic/vmlinux.lds.h MCOUNT_REC');
  return findMcountRun(sectionBytes(vmlinux, initData, file), elf.elfClass === 64 ? 8 : 4, text.addr, initText.addr + BigInt(initText.size), file);
}

/** The table inside one section's bytes: words of `word` bytes, text addresses in [lo, hi). */
export function findMcountRun(bytes: Uint8Array, word: 4 | 8, lo: bigint, hi: bigint, file = 'vmlinux'): McountLoc | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (off: number): bigint => (word === 8 ? dv.getBigUint64(off, true) : BigInt(dv.getUint32(off, true)));
  const inText = (v: bigint): boolean => v >= lo && v < hi;
  let best = { at: 0, n: 0 };
  let at = 0;
  let n = 0;
  let prev = 0n;
  for (let off = 0; off + word <= bytes.length; off += word) {
    const v = read(off);
    if (inText(v) && (n === 0 || v > prev)) {
      if (n === 0) at = off;
      n++;
    } else {
      if (n > best.n) best = { at, n };
      n = inText(v) ? 1 : 0;
      at = off;
    }
    prev = v;
  }
  if (n > best.n) best = { at, n };
  if (best.n < MIN_ENTRIES) return undefined;
  let zeroed = 0;
  for (let off = best.at - word; off >= 0 && read(off) === 0n; off -= word) zeroed++;
  if (zeroed >= best.n) {
    throw new FactsError('LAYOUT_UNEXPECTED', `__mcount_loc: expected fewer zeroed sites than the ${best.n} live ones before the table at .init.data+0x${best.at.toString(16)}, got ${zeroed}`, { pos: { file } });
  }
  return { entries: best.n + zeroed, zeroed };
}
