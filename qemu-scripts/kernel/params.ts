// Recovers the kernel parameters a build knows from its stripped vmlinux: the .init.setup table
// (__setup and early_param, include/linux/init.h) and the __param section (module_param of the
// built-in modules and core_param, include/linux/moduleparam.h). Layouts read in 5.10.223, 6.1.192,
// 6.12.117 (the pinned build is 6.12.115) and 7.2.13; the same in all four:
//   struct obs_kernel_param { const char *str; int (*setup_func)(char *); int early; };
//   struct kernel_param { const char *name; struct module *mod; const struct kernel_param_ops *ops;
//                         const u16 perm; s8 level; u8 flags; union { void *arg; … }; };
//   struct kernel_param_ops { unsigned int flags; … };  KERNEL_PARAM_OPS_FL_NOARG = 1 << 0
// so obs_kernel_param is 24 bytes on x86_64 (4 of tail padding) and 12 on i386; kernel_param 40 and 20.
//
// Where the tables are: __param is an output section of its own (vmlinux.lds.h RO_DATA:
// `__param : AT(…) { __start___param = .; KEEP(*(__param)) __stop___param = .; }`), every byte of it
// entries. .init.setup has no output section: INIT_DATA_SECTION puts INIT_SETUP(16) inside .init.data
// (`. = ALIGN(16); __setup_start = .; KEEP(*(.init.setup)) __setup_end = .;`), and the image has no
// symbols (arch/x86/boot/compressed/Makefile strips it; the 686 builds have no KALLSYMS_ALL either).
// So the table is found by its shape: the one run of well-formed entries in .init.data that holds
// "console=" (kernel/printk/printk.c __setup("console=", console_setup), built into every kernel),
// each entry's str a printable NUL-terminated string in an allocated section, setup_func an address
// in an executable section, early 0 or 1, the padding zero. Data around it is not such a run: before
// __setup_start come other init tables, after __setup_end the initcall tables (4-byte PREL32 offsets
// on x86_64, bare function pointers on i386, whose "str" would point into text).
import { FactsError, hex } from './errors.ts';
import { SHF_ALLOC, SHT_NOBITS, section, type ElfFile, type ElfSection } from './elf.ts';
import type { KernelParams, ModuleParam, SetupParam } from '../../sim/kernel-facts.ts';

const SHF_EXECINSTR = 4n;
/** include/linux/moduleparam.h */
const KERNEL_PARAM_OPS_FL_NOARG = 1;
/** A longest name the extractor accepts; kernel parameter names are short identifiers. */
const MAX_NAME = 128;

interface Reader {
  readonly ptr: number;
  word(off: number): bigint;
  u32(off: number): number;
  /** The section holding virtual address `addr` with file bytes, if any. */
  at(addr: bigint): ElfSection | undefined;
  /** The printable NUL-terminated string at `addr`, or undefined. */
  cstring(addr: bigint): string | undefined;
}

function reader(elf: ElfFile, vmlinux: Uint8Array): Reader {
  const view = new DataView(vmlinux.buffer, vmlinux.byteOffset, vmlinux.byteLength);
  const ptr = elf.elfClass === 64 ? 8 : 4;
  const placed = elf.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0n && s.type !== SHT_NOBITS && s.size > 0 && s.addr !== 0n);
  const at = (addr: bigint): ElfSection | undefined => placed.find((s) => s.addr <= addr && addr < s.addr + BigInt(s.size));
  return {
    ptr,
    word: (off) => (ptr === 8 ? view.getBigUint64(off, true) : BigInt(view.getUint32(off, true))),
    u32: (off) => view.getUint32(off, true),
    at,
    cstring(addr) {
      const s = at(addr);
      if (!s) return undefined;
      const start = s.offset + Number(addr - s.addr);
      const limit = Math.min(s.offset + s.size, start + MAX_NAME + 1);
      let end = start;
      while (end < limit && vmlinux[end] !== 0) {
        const c = vmlinux[end]!;
        if (c < 0x21 || c > 0x7e) return undefined;
        end++;
      }
      if (end === start || end === limit) return undefined;
      return new TextDecoder().decode(vmlinux.subarray(start, end));
    },
  };
}

/** sizeof(struct obs_kernel_param): two pointers and an int, padded to pointer alignment. */
export function obsKernelParamSize(ptr: number): number {
  return ptr === 8 ? 24 : 12;
}

/** sizeof(struct kernel_param): three pointers, u16 + s8 + u8, padded, then the union pointer. */
export function kernelParamSize(ptr: number): number {
  return ptr === 8 ? 40 : 20;
}

/** One obs_kernel_param at file offset `off`, or undefined when it is not well formed. */
function setupEntry(r: Reader, off: number): SetupParam | undefined {
  const str = r.word(off);
  const fn = r.word(off + r.ptr);
  const early = r.u32(off + 2 * r.ptr);
  if (early > 1) return undefined;
  if (r.ptr === 8 && r.u32(off + 20) !== 0) return undefined;
  const name = r.cstring(str);
  if (name === undefined) return undefined;
  const text = r.at(fn);
  if (!text || (text.flags & SHF_EXECINSTR) === 0n) return undefined;
  return { str: name, early: early === 1 };
}

/**
 * init/main.c __setup_start[]..__setup_end[], in table (link) order: the order obsolete_checksetup()
 * and do_early_param() walk it.
 */
export function findSetupTable(elf: ElfFile, vmlinux: Uint8Array, file = 'vmlinux'): SetupParam[] {
  const r = reader(elf, vmlinux);
  const init = section(elf, '.init.data', file, 'INIT_DATA_SECTION holding INIT_SETUP');
  const size = obsKernelParamSize(r.ptr);
  const end = init.offset + init.size;
  const runs: { off: number; entries: SetupParam[] }[] = [];
  // entries are pointer-aligned (__aligned(__alignof__(struct obs_kernel_param))); step by that
  for (let off = init.offset; off + size <= end; ) {
    const first = setupEntry(r, off);
    if (!first) { off += r.ptr; continue; }
    const entries = [first];
    let next = off + size;
    for (let e; next + size <= end && (e = setupEntry(r, next)); next += size) entries.push(e);
    runs.push({ off, entries });
    off = next;
  }
  const table = runs.filter((run) => run.entries.some((e) => e.str === 'console=' && !e.early));
  const addr = (off: number): string => hex(init.addr + BigInt(off - init.offset));
  if (table.length !== 1) {
    throw new FactsError('LAYOUT_UNEXPECTED', `expected one run of obs_kernel_param entries in .init.data holding "console=" (the .init.setup table), got ${table.length === 0 ? 'none' : table.map((t) => `${t.entries.length} at ${addr(t.off)}`).join(', ')}`, { pos: { file } });
  }
  const t = table[0]!;
  // INIT_SETUP(16): __setup_start is 16-byte aligned
  if ((init.addr + BigInt(t.off - init.offset)) % 16n !== 0n) {
    throw new FactsError('LAYOUT_UNEXPECTED', `expected the .init.setup table 16-byte aligned (INIT_SETUP(16)), got it at ${addr(t.off)}`, { pos: { file } });
  }
  return t.entries;
}

/** __start___param[]..__stop___param[]: the built-in module parameters and core_param. */
export function readParamSection(elf: ElfFile, vmlinux: Uint8Array, file = 'vmlinux'): ModuleParam[] {
  const r = reader(elf, vmlinux);
  const sec = section(elf, '__param', file, 'RO_DATA: the kernel_param table');
  const size = kernelParamSize(r.ptr);
  if (sec.size % size !== 0) {
    throw new FactsError('LAYOUT_UNEXPECTED', `expected __param to hold whole struct kernel_param entries of ${size} bytes, got ${sec.size} bytes`, { pos: { file } });
  }
  const out: ModuleParam[] = [];
  for (let off = sec.offset; off < sec.offset + sec.size; off += size) {
    const at = hex(sec.addr + BigInt(off - sec.offset));
    const name = r.cstring(r.word(off));
    if (name === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `kernel_param at ${at}: expected name to point at a printable string, got ${hex(r.word(off))}`, { pos: { file } });
    const ops = r.word(off + 2 * r.ptr);
    const opsSec = r.at(ops);
    if (!opsSec) throw new FactsError('LAYOUT_UNEXPECTED', `kernel_param ${name} at ${at}: expected ops to point into the image, got ${hex(ops)}`, { pos: { file } });
    const flags = r.u32(opsSec.offset + Number(ops - opsSec.addr));
    const level = new DataView(vmlinux.buffer, vmlinux.byteOffset, vmlinux.byteLength).getInt8(off + 3 * r.ptr + 2);
    out.push({ name, level, noarg: (flags & KERNEL_PARAM_OPS_FL_NOARG) !== 0 });
  }
  return out;
}

/** Both tables, as the facts carry them. */
export function extractParams(elf: ElfFile, vmlinux: Uint8Array, file = 'vmlinux'): KernelParams {
  return { setup: findSetupTable(elf, vmlinux, file), module: readParamSection(elf, vmlinux, file) };
}
