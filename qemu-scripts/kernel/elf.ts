// A little-endian ELF32/ELF64 reader, enough for a stripped vmlinux: section headers by
// name and program headers (include/uapi/linux/elf.h). Addresses above 2^53 are bigint.
import { FactsError, hex } from './errors.ts';

export interface ElfSection {
  readonly name: string;
  /** sh_type: 1 PROGBITS, 7 NOTE, 8 NOBITS, … */
  readonly type: number;
  readonly flags: bigint;
  /** sh_addr, the link-time virtual address. */
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  readonly align: number;
}

export interface ElfSegment {
  /** p_type: 1 LOAD, 4 NOTE. */
  readonly type: number;
  readonly offset: number;
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly filesz: number;
  readonly memsz: number;
}

export interface ElfFile {
  readonly elfClass: 32 | 64;
  /** e_machine: 3 EM_386, 62 EM_X86_64. */
  readonly machine: number;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
}

export const SHT_NOBITS = 8;
export const SHF_ALLOC = 2n;
export const PT_LOAD = 1;

/** Parses the ELF header, section headers (with names from .shstrtab) and program headers. */
export function parseElf(buf: Uint8Array, file = 'vmlinux'): ElfFile {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const pos = { file };
  if (buf.length < 16 || buf[0] !== 0x7f || buf[1] !== 0x45 || buf[2] !== 0x4c || buf[3] !== 0x46) {
    throw new FactsError('NOT_ELF', `expected the ELF magic 7f 45 4c 46, got ${Array.from(buf.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ') || 'no bytes'}`, { pos });
  }
  const cls = buf[4];
  if (cls !== 1 && cls !== 2) throw new FactsError('NOT_ELF', `expected EI_CLASS 1 (ELF32) or 2 (ELF64), got ${cls}`, { pos });
  if (buf[5] !== 1) throw new FactsError('NOT_ELF', `expected EI_DATA 1 (little endian), got ${buf[5]}`, { pos });
  const is64 = cls === 2;
  const ehsize = is64 ? 64 : 52;
  need(buf, 0, ehsize, 'the ELF header', file);
  const word = (o: number): bigint => (is64 ? view.getBigUint64(o, true) : BigInt(view.getUint32(o, true)));
  const off = (o: number): number => Number(word(o));
  const machine = view.getUint16(18, true);
  const phoff = off(is64 ? 32 : 28);
  const shoff = off(is64 ? 40 : 32);
  const phentsize = view.getUint16(is64 ? 54 : 42, true);
  const phnum = view.getUint16(is64 ? 56 : 44, true);
  const shentsize = view.getUint16(is64 ? 58 : 46, true);
  const shnum = view.getUint16(is64 ? 60 : 48, true);
  const shstrndx = view.getUint16(is64 ? 62 : 50, true);

  const segments: ElfSegment[] = [];
  need(buf, phoff, phentsize * phnum, 'the program headers', file);
  for (let i = 0; i < phnum; i++) {
    const b = phoff + i * phentsize;
    segments.push(is64
      ? { type: view.getUint32(b, true), offset: off(b + 8), vaddr: word(b + 16), paddr: word(b + 24), filesz: off(b + 32), memsz: off(b + 40) }
      : { type: view.getUint32(b, true), offset: off(b + 4), vaddr: word(b + 8), paddr: word(b + 12), filesz: off(b + 16), memsz: off(b + 20) });
  }

  need(buf, shoff, shentsize * shnum, 'the section headers', file);
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const b = shoff + i * shentsize;
    raw.push(is64
      ? { nameOff: view.getUint32(b, true), type: view.getUint32(b + 4, true), flags: word(b + 8), addr: word(b + 16), offset: off(b + 24), size: off(b + 32), align: off(b + 48) }
      : { nameOff: view.getUint32(b, true), type: view.getUint32(b + 4, true), flags: word(b + 8), addr: word(b + 12), offset: off(b + 16), size: off(b + 20), align: off(b + 32) });
  }
  const strtab = raw[shstrndx];
  if (!strtab) throw new FactsError('NOT_ELF', `expected e_shstrndx below e_shnum ${shnum}, got ${shstrndx}`, { pos });
  need(buf, strtab.offset, strtab.size, 'the section name table', file);
  const sections = raw.map(({ nameOff, ...s }) => ({ name: cstring(buf, strtab.offset + nameOff, strtab.offset + strtab.size), ...s }));
  return { elfClass: is64 ? 64 : 32, machine, sections, segments };
}

function need(buf: Uint8Array, start: number, len: number, what: string, file: string): void {
  if (start + len > buf.length) {
    throw new FactsError('TRUNCATED', `expected ${what} at ${hex(start)}..${hex(start + len)}, but the file ends at ${hex(buf.length)}`, { pos: { file } });
  }
}

function cstring(buf: Uint8Array, start: number, limit: number): string {
  let end = start;
  while (end < limit && buf[end] !== 0) end++;
  return new TextDecoder().decode(buf.subarray(start, end));
}

/** The section called `name`, or undefined. */
export function findSection(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}

/** The section called `name`, or a coded error naming what needed it. */
export function section(elf: ElfFile, name: string, file = 'vmlinux', why = 'the linker script'): ElfSection {
  const s = findSection(elf, name);
  if (!s) throw new FactsError('SECTION_MISSING', `expected a ${name} section (${why}), got sections ${elf.sections.map((x) => x.name).filter(Boolean).join(' ')}`, { pos: { file } });
  return s;
}

/** The bytes of a section in the file (empty for NOBITS). */
export function sectionBytes(buf: Uint8Array, s: ElfSection, file = 'vmlinux'): Uint8Array {
  if (s.type === SHT_NOBITS) return new Uint8Array(0);
  need(buf, s.offset, s.size, `section ${s.name}`, file);
  return buf.subarray(s.offset, s.offset + s.size);
}
