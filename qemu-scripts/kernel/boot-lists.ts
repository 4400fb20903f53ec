// Two lists early initcalls build from tables in the image, each a kmalloc() per entry before the
// late Memory: print (sim/stages/late-allocs.ts bootKmallocs), read through kallsyms (kallsyms.ts):
// kernel/kprobes.c init_kprobes() → populate_kprobe_blacklist() (6.12.117, 7.2.13) adds one
// kprobe_blacklist_entry for each word of [__start_kprobe_blacklist, __stop_kprobe_blacklist)
// (NOKPROBE_SYMBOL) and, through kprobe_add_area_blacklist(), one for each symbol of
// [__kprobes_text_start, __kprobes_text_end), [__noinstr_text_start, __noinstr_text_end) and (x86
// arch_populate_kprobe_blacklist()) [__entry_text_start, __entry_text_end): the loop steps by
// kallsyms_lookup_size_offset()'s size, the distance to the next distinct symbol address.
// lib/dynamic_debug.c dynamic_debug_init() calls ddebug_add_module() (one kzalloc'd ddebug_table) for each
// run of struct _ddebug entries in [__start___dyndbg, __stop___dyndbg) with the same modname string.
import { FactsError } from './errors.ts';
import { SHT_NOBITS, type ElfFile } from './elf.ts';
import type { Kallsyms } from './kallsyms.ts';
import type { BootLists } from '../../sim/kernel-facts.ts';

const WORD = 8n;

/** kprobe_add_area_blacklist(start, end): one entry for the symbol holding start, then one per symbol address after it. */
export function areaSymbols(addresses: readonly bigint[], start: bigint, end: bigint): number {
  if (start >= end) return 0;
  let n = 0;
  for (const a of addresses) if (a >= start && a < end) n++;
  return addresses.includes(start) ? n : n + 1;
}

/** The bytes of the loaded image at a link-time virtual address: the PROGBITS section holding it. */
function bytesAt(elf: ElfFile, vmlinux: Uint8Array, addr: bigint, len: number, file: string): Uint8Array {
  const s = elf.sections.find((x) => x.type !== SHT_NOBITS && x.addr !== 0n && addr >= x.addr && addr + BigInt(len) <= x.addr + BigInt(x.size));
  if (!s) throw new FactsError('LAYOUT_UNEXPECTED', `expected a section holding 0x${addr.toString(16)}+${len}, got none`, { pos: { file } });
  const off = s.offset + Number(addr - s.addr);
  return vmlinux.subarray(off, off + len);
}

/** The NUL-terminated string at a link-time virtual address. */
function cstringAt(elf: ElfFile, vmlinux: Uint8Array, addr: bigint, file: string): string {
  const b = bytesAt(elf, vmlinux, addr, 1, file);
  const start = b.byteOffset;
  let end = start;
  while (end < vmlinux.length && vmlinux[end] !== 0) end++;
  return new TextDecoder().decode(vmlinux.subarray(start, end));
}

/** Both counts; ddebugSize is sizeof(struct _ddebug) from the .BTF (its modname pointer comes first). */
export function findBootLists(elf: ElfFile, vmlinux: Uint8Array, ks: Kallsyms, ddebugSize: number, file = 'vmlinux'): BootLists {
  const at = (name: string): bigint => {
    const a = ks.addressOf(name);
    if (a === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `kallsyms: expected the linker-script symbol ${name}, got none`, { pos: { file } });
    return a;
  };
  const sectionEntries = Number((at('__stop_kprobe_blacklist') - at('__start_kprobe_blacklist')) / WORD);
  const areas = [['__kprobes_text_start', '__kprobes_text_end'], ['__noinstr_text_start', '__noinstr_text_end'], ['__entry_text_start', '__entry_text_end']] as const;
  const areaEntries = areas.reduce((a, [s, e]) => a + areaSymbols(ks.addresses, at(s), at(e)), 0);
  const start = at('__start___dyndbg');
  const stop = at('__stop___dyndbg');
  const size = BigInt(ddebugSize);
  if ((stop - start) % size !== 0n) throw new FactsError('LAYOUT_UNEXPECTED', `__dyndbg: expected a whole number of ${ddebugSize}-byte struct _ddebug, got ${stop - start} bytes`, { pos: { file } });
  let modules = 0;
  let prev: string | undefined;
  for (let a = start; a < stop; a += size) {
    const p = new DataView(bytesAt(elf, vmlinux, a, 8, file).slice().buffer).getBigUint64(0, true);
    const name = cstringAt(elf, vmlinux, p, file);
    if (name !== prev) modules++;
    prev = name;
  }
  return { kprobeBlacklist: { sectionEntries, areaEntries }, dyndbgModules: modules };
}
