// models arch/x86/kernel/e820.c and the e820 steps of setup_arch() in arch/x86/kernel/setup.c
// (5.10.223, 6.1.192, 6.12.115, 7.2.13): e820__memory_setup (copy + e820__update_table + print),
// the mem=/memmap= early params and e820__finish_early_params, e820_add_kernel_range,
// trim_bios_range, and e820__end_of_ram_pfn / e820__end_of_low_ram_pfn (the last_pfn lines).
// Three stages, because the kernel prints other lines (NX, DMI, tsc; PAT) between them.
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { SEABIOS } from '../firmware/seabios.ts';
import { QEMU_7_2 } from '../firmware/qemu-7.2.ts';
import { maxPhysmemBits, pgtableL5Enabled } from './boot-cpu.ts';
import type { MachineType as QemuMachineType } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { firmwareTable, type FirmwareTable } from '../firmware/e820-table.ts';
import { E820_RAM, E820_RESERVED, E820_ACPI, E820_NVS, E820_UNUSABLE, E820_PMEM, E820_PRAM, E820_SOFT_RESERVED, type E820Entry } from '../firmware/qemu-7.2.ts';
import { fmt018Lx, fmt010Lx, fmtLx } from '../lib/printk.ts';
import { memparse, simpleStrtoull } from '../lib/memparse.ts';
import { PAGE_SHIFT, PAGE_SIZE, ULLONG_MAX, SZ_16M, u64 } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { parseParams } from './cmdline.ts';
import { slice, withSlice } from '../state.ts';

/** arch/x86/include/asm/e820/types.h: E820_TYPE_RESERVED_KERN (gone in 7.2, where it is never produced here). */
export const E820_RESERVED_KERN = 128;

/** arch/x86/include/asm/e820/types.h E820_MAX_ENTRIES (no EFI, so E820_MAX_ENTRIES_ZEROPAGE = 128 bounds it). */
const E820_MAX_ENTRIES = 128;

/** arch/x86/include/asm/e820/types.h: ISA_START_ADDRESS/BIOS_BEGIN 0xa0000, BIOS_END 0x100000. */
const BIOS_BEGIN = 0xa0000n;
const BIOS_END = 0x100000n;

/** What the e820 stages leave for memblock and later stages. */
export interface E820State {
  readonly firmware: FirmwareTable;
  /** The kernel's e820_table after the last sanitize, sorted and non-overlapping. */
  readonly table: readonly E820Entry[];
  /** The table as the firmware gave it, after the first sanitize (e820_table_firmware). */
  readonly firmwareTable: readonly E820Entry[];
  readonly userDefined: boolean;
  readonly maxArchPfn?: bigint;
  readonly maxPfn?: bigint;
  /** x86_64: set by the low last_pfn step; i386: find_low_pfn_range, not modelled yet (undefined). */
  readonly maxLowPfn?: bigint;
}

export function e820StateOf(state: BootState): E820State {
  return slice(state, 'e820');
}

// ---------------------------------------------------------------------------------------------
// Table operations, each as the kernel function of the same name (6.1 shape; identical in 5.10–7.2).

export type Mut = { addr: bigint; size: bigint; type: number };

/** e820__update_table(): sanitize — resolve overlaps in favour of the highest type, merge equal neighbours. */
export function e820UpdateTable(entries: readonly E820Entry[]): E820Entry[] | undefined {
  if (entries.length < 2) return undefined; // "If there's only one memory region, don't bother"
  for (const e of entries) if (u64(e.addr + e.size) < e.addr) return undefined;
  type Cp = { addr: bigint; entry: E820Entry; isStart: boolean };
  const cps: Cp[] = [];
  for (const e of entries) {
    if (e.size !== 0n) {
      cps.push({ addr: e.addr, entry: e, isStart: true });
      cps.push({ addr: e.addr + e.size, entry: e, isStart: false });
    }
  }
  // cpcompare(): by address; at equal addresses a start sorts before an end. (The kernel's sort() is a
  // heapsort; ties between two starts or two ends only reorder zero-size intermediates, see tests.)
  cps.sort((a, b) => (a.addr !== b.addr ? (a.addr > b.addr ? 1 : -1) : (a.isStart ? 0 : 1) - (b.isStart ? 0 : 1)));
  const nomerge = (t: number) => t === E820_PRAM || t === E820_SOFT_RESERVED;
  const overlap: E820Entry[] = [];
  const out: Mut[] = [];
  let cur: Mut = { addr: 0n, size: 0n, type: 0 };
  let lastType = 0;
  let lastAddr = 0n;
  for (const cp of cps) {
    if (cp.isStart) overlap.push(cp.entry);
    else overlap.splice(overlap.indexOf(cp.entry), 1);
    let currentType = 0;
    for (const e of overlap) if (e.type > currentType) currentType = e.type;
    if (currentType !== lastType || nomerge(currentType)) {
      if (lastType !== 0) {
        cur.size = cp.addr - lastAddr;
        if (cur.size !== 0n) {
          out.push(cur);
          if (out.length >= E820_MAX_ENTRIES) break;
          cur = { addr: 0n, size: 0n, type: 0 };
        }
      }
      if (currentType !== 0) {
        cur = { addr: cp.addr, size: 0n, type: currentType };
        lastAddr = cp.addr;
      }
      lastType = currentType;
    }
  }
  return out;
}

/** __e820__range_add(): append (the table is sanitized later). */
function rangeAdd(t: Mut[], start: bigint, size: bigint, type: number, where: string): void {
  if (t.length >= E820_MAX_ENTRIES) {
    throw new SimError('SIM_NOT_MODELLED', 'e820', `${where}: more than ${E820_MAX_ENTRIES} e820 entries ("too many entries" path)`);
  }
  t.push({ addr: start, size, type });
}

/** __e820__range_update(): entries of old_type inside [start, start+size) become new_type. */
export function rangeUpdate(t: Mut[], start: bigint, sizeIn: bigint, oldType: number, newType: number): void {
  const size = sizeIn > ULLONG_MAX - start ? ULLONG_MAX - start : sizeIn;
  const end = start + size;
  // the C loop re-reads nr_entries, so pieces appended here are visited too (and skipped)
  for (let i = 0; i < t.length; i++) {
    const e = t[i]!;
    if (e.type !== oldType) continue;
    const eEnd = e.addr + e.size;
    if (e.addr >= start && eEnd <= end) {
      e.type = newType;
      continue;
    }
    if (e.addr < start && eEnd > end) {
      rangeAdd(t, start, size, newType, 'e820__range_update');
      rangeAdd(t, end, eEnd - end, e.type, 'e820__range_update');
      e.size = start - e.addr;
      continue;
    }
    const fs = start > e.addr ? start : e.addr;
    const fe = end < eEnd ? end : eEnd;
    if (fs >= fe) continue;
    rangeAdd(t, fs, fe - fs, newType, 'e820__range_update');
    e.size -= fe - fs;
    if (e.addr < fs) continue;
    e.addr = fe;
  }
}

/** e820__range_remove(): drop [start, start+size) from entries (of old_type when check_type). */
export function rangeRemove(t: Mut[], start: bigint, sizeIn: bigint, oldType: number, checkType: boolean): void {
  const size = sizeIn > ULLONG_MAX - start ? ULLONG_MAX - start : sizeIn;
  const end = start + size;
  for (let i = 0; i < t.length; i++) {
    const e = t[i]!;
    if (checkType && e.type !== oldType) continue;
    const eEnd = e.addr + e.size;
    if (e.addr >= start && eEnd <= end) {
      e.addr = 0n;
      e.size = 0n;
      e.type = 0;
      continue;
    }
    if (e.addr < start && eEnd > end) {
      rangeAdd(t, end, eEnd - end, e.type, 'e820__range_remove');
      e.size = start - e.addr;
      continue;
    }
    const fs = start > e.addr ? start : e.addr;
    const fe = end < eEnd ? end : eEnd;
    if (fs >= fe) continue;
    e.size -= fe - fs;
    if (e.addr < fs) continue;
    e.addr = fe;
  }
}

// ---------------------------------------------------------------------------------------------
// Message text, per traits.e820Style.

/** e820_print_type() */
export function e820TypeName(type: number, style: KernelTraits['e820Style']): string {
  if (style === 'classic') {
    switch (type) {
      case E820_RAM:
      case E820_RESERVED_KERN: return 'usable';
      case E820_RESERVED: return 'reserved';
      case E820_SOFT_RESERVED: return 'soft reserved';
      case E820_ACPI: return 'ACPI data';
      case E820_NVS: return 'ACPI NVS';
      case E820_UNUSABLE: return 'unusable';
      case E820_PMEM:
      case E820_PRAM: return `persistent (type ${type})`;
      default: return `type ${type}`;
    }
  }
  switch (type) {
    case E820_RAM: return ' System RAM';
    case E820_RESERVED: return ' device reserved';
    case E820_SOFT_RESERVED: return ' soft reserved';
    case E820_ACPI: return ' ACPI data';
    case E820_NVS: return ' ACPI NVS';
    case E820_UNUSABLE: return ' unusable';
    case E820_PMEM:
    case E820_PRAM: return ` persistent RAM (type ${type})`;
    default: return ` type ${type}`;
  }
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'e820', fmt, text, ...(explain ? { explain } : {}) });

// ---------------------------------------------------------------------------------------------
// explain: where each printed number comes from, with its unit.

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const kib = (v: bigint): string => (v % 1024n === 0n ? `${v / 1024n} KiB` : `${v} bytes`);

/** The firmware steps that put bytes of [start, end) in the map, each with its source (sim/firmware). */
export function firmwareOrigins(fw: FirmwareTable, start: bigint, end: bigint, machine: QemuMachineType): ExplainTerm[] {
  const out: ExplainTerm[] = [];
  const overlaps = (a: bigint, b: bigint): boolean => a < end && b > start;
  for (const e of fw.qemu.e820) {
    if (overlaps(e.addr, e.addr + e.size)) out.push({ name: `QEMU etc/e820 entry [${hex(e.addr)}, ${hex(e.addr + e.size)}) type ${e.type}`, value: `${kib(e.size)}`, source: 'hw/i386/pc.c pc_memory_init() e820_add_entry (QEMU 7.2), replayed by SeaBIOS qemu_early_e820()' });
  }
  const fixed: Array<[string, bigint, bigint, string]> = [
    ['SeaBIOS EBDA', SEABIOS.EBDA_START, SEABIOS.BUILD_LOWRAM_END, 'src/post.c bda_init() (SeaBIOS 1.16.2)'],
    ['SeaBIOS f-segment', SEABIOS.BUILD_BIOS_ADDR, SEABIOS.BUILD_BIOS_ADDR + SEABIOS.BUILD_BIOS_SIZE, 'src/malloc.c malloc_preinit() (SeaBIOS 1.16.2)'],
    ['BIOS ROM at the end of 4 GiB', SEABIOS.BIOS_ROM_BASE, SEABIOS.BIOS_ROM_BASE + SEABIOS.BIOS_ROM_SIZE, 'src/fw/paravirt.c qemu_preinit() (SeaBIOS 1.16.2)'],
  ];
  const m = QEMU_7_2.machines[machine];
  if (m.mmconfig) fixed.push(['q35 MMCONFIG (PCIe ECAM)', m.mmconfig.base, m.mmconfig.base + m.mmconfig.size, 'src/fw/pciinit.c mch_mmconfig_setup() (SeaBIOS 1.16.2)']);
  if (m.rcba) fixed.push(['ICH9 RCBA', m.rcba.base, m.rcba.base + m.rcba.size, 'src/fw/pciinit.c ich9_lpc setup (SeaBIOS 1.16.2)']);
  for (const [name, a, b, source] of fixed) if (overlaps(a, b)) out.push({ name, value: `[${hex(a)}, ${hex(b)}) ${kib(b - a)}`, source });
  const z = fw.seabios.zoneHigh;
  if (z && overlaps(z.start + z.size - fw.seabios.zoneHighKept, z.start + z.size)) {
    out.push({ name: 'SeaBIOS ZoneHigh kept after malloc_prepboot', value: `${kib(fw.seabios.zoneHighKept)} of ${kib(z.size)}`, source: 'src/malloc.c malloc_preinit()/malloc_prepboot() (SeaBIOS 1.16.2)' });
  }
  return out;
}

/** One printed [mem start-end] range: its bounds, size and type, and what put it there. */
export function rangeExplain(start: bigint, endExcl: bigint, type: string, origins: readonly ExplainTerm[], rule: string): NonNullable<DmesgLine['explain']> {
  return {
    start: [{ name: 'first byte', value: `${hex(start)} (address)`, source: rule }],
    end: [{ name: 'last byte = start + size - 1', value: `${hex(endExcl - 1n)} (address)`, source: rule }],
    size: [{ name: 'size', value: `${endExcl - start} bytes = ${kib(endExcl - start)}`, source: rule }],
    type: [{ name: 'type', value: type, source: 'arch/x86/kernel/e820.c e820_print_type()' }, ...origins],
  };
}

/** e820__print_table(who) */
export function printTable(table: readonly E820Entry[], who: string, fmt: string, style: KernelTraits['e820Style'], fw?: { readonly table: FirmwareTable; readonly machine: QemuMachineType }): DmesgLine[] {
  const out: DmesgLine[] = [];
  let prevEnd = 0n;
  for (const e of table) {
    const end = e.addr + e.size;
    if (style === 'named') {
      // 7.2: FW_BUG "out of order" is unreachable after sanitize; gaps are printed between entries
      if (e.addr > prevEnd) out.push(line(who === 'user' ? 'e820.user_gap' : 'e820.gap', `${who}: [gap ${fmt018Lx(prevEnd)}-${fmt018Lx(e.addr - 1n)}]`, rangeExplain(prevEnd, e.addr, 'gap', [{ name: 'between the entries', value: `[${hex(prevEnd)}, ${hex(e.addr)})`, source: 'arch/x86/kernel/e820.c e820__print_table() (7.2): a gap between two sorted entries' }], 'arch/x86/kernel/e820.c e820__print_table() (7.2)')));
      prevEnd = end;
    }
    const origins = fw ? firmwareOrigins(fw.table, e.addr, end, fw.machine) : [{ name: 'user map entry', value: `${kib(e.size)}`, source: 'arch/x86/kernel/e820.c parse_memmap_one() / parse_memopt(), then e820__update_table()' }];
    out.push(line(fmt, `${who}: [mem ${fmt018Lx(e.addr)}-${fmt018Lx(end - 1n)}] ${e820TypeName(e.type, style)}`, rangeExplain(e.addr, end, e820TypeName(e.type, style), origins, 'arch/x86/kernel/e820.c e820__print_table() after e820__update_table() (sanitised)')));
  }
  return out;
}

function updateLine(start: bigint, size: bigint, from: number, to: number, style: KernelTraits['e820Style'], why: string): DmesgLine {
  const end = start + (size > ULLONG_MAX - start ? ULLONG_MAX - start : size);
  const head = `e820: update [mem ${fmt010Lx(start)}-${fmt010Lx(end - 1n)}]`;
  const ex = rangeExplain(start, end, `${e820TypeName(from, style)} ==> ${e820TypeName(to, style)}`, [{ name: 'the call', value: `e820__range_update(${hex(start)}, ${hex(size)}, ${from}, ${to})`, source: why }], 'arch/x86/kernel/e820.c __e820__range_update(): end = start + size, clamped to ULLONG_MAX');
  return line('e820.update', style === 'classic'
    ? `${head} ${e820TypeName(from, style)} ==> ${e820TypeName(to, style)}`
    : `${head}${e820TypeName(from, style)} ==>${e820TypeName(to, style)}`, ex);
}

function removeLine(start: bigint, size: bigint, type: number, checkType: boolean, style: KernelTraits['e820Style'], why: string): DmesgLine {
  const end = start + (size > ULLONG_MAX - start ? ULLONG_MAX - start : size);
  const head = `e820: remove [mem ${fmt010Lx(start)}-${fmt010Lx(end - 1n)}]`;
  const ex = rangeExplain(start, end, checkType ? e820TypeName(type, style) : '(any type)', [{ name: 'the call', value: `e820__range_remove(${hex(start)}, ${hex(size)}, ${type}, ${checkType ? 1 : 0})`, source: why }], 'arch/x86/kernel/e820.c e820__range_remove(): end = start + size, clamped to ULLONG_MAX');
  if (style === 'classic') return line('e820.remove', `${head} ${checkType ? e820TypeName(type, style) : ''}`, ex);
  return line('e820.remove', `${head}${checkType ? e820TypeName(type, style) : ''}`, ex);
}

// ---------------------------------------------------------------------------------------------
// The kernel command line: only the early params that edit e820 are interpreted here.

// The parameters this stage does not follow (elfcorehdr=, add_efi_memmap, no5lvl,
// mem_encrypt=, efi_fake_mem=) are refused before it runs, by sim/stages/cmdline.ts PARAM_REVIEWS
// and RAW_CMDLINE_REVIEWS.

/** The profile's own parameters, split as the kernel does (cmdline.ts parseParams); quoted ones are refused. */
export function cmdlineParams(cmdline: string | undefined): { key: string; value: string | undefined }[] {
  if (!cmdline) return [];
  if (cmdline.includes('"')) throw new SimError('SIM_NOT_MODELLED', 'e820', `cmdline: quoted parameters are not modelled, got ${JSON.stringify(cmdline)}`);
  return parseParams(cmdline).map((p) => ({ key: p.param, value: p.val }));
}

/** MAX_ARCH_PFN: i386 1<<(36-12) with PAE, 1<<(32-12) without; x86_64 MAXMEM>>PAGE_SHIFT, i.e.
 *  1 << (MAX_PHYSMEM_BITS − PAGE_SHIFT) on both (sim/stages/boot-cpu.ts maxPhysmemBits). */
export function maxArchPfn(traits: KernelTraits, l5: boolean): bigint {
  return 1n << (maxPhysmemBits(traits, l5) - PAGE_SHIFT);
}

/**
 * The kernel image's physical span [_text, _end) for e820_add_kernel_range(), from the image facts.
 * Without them we only know CONFIG_PHYSICAL_START = 0x1000000 (every Debian x86 config; nokaslr keeps
 * it), so a user map that makes anything in [16M, 80M) non-RAM is refused rather than guessed.
 */
function kernelSpan(ctx: BootContext): { start: bigint; end: bigint; known: boolean } {
  // facts.image.symbols are already link-time physical (virtual − LOAD_OFFSET): __pa_symbol() under nokaslr
  const sym = ctx.kernel.facts?.image?.symbols;
  if (sym) return { start: BigInt(sym._text), end: BigInt(sym._end), known: true };
  return { start: SZ_16M, end: SZ_16M + 4n * SZ_16M, known: false };
}

// ---------------------------------------------------------------------------------------------
// Stage 1: e820__memory_setup() … e820__finish_early_params()

export const e820Setup: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  const style = traits.e820Style;
  const fw = firmwareTable(ctx.spec, traits.arch);
  const lines: DmesgLine[] = [];

  // e820__memory_setup_default(): append_e820_table() ignores a map of fewer than 2 entries
  if (fw.e820.length < 2) throw new SimError('SIM_NOT_MODELLED', 'e820', 'firmware map with fewer than 2 entries (BIOS-88/e801 fallback)');
  const sanitized = e820UpdateTable(fw.e820)!;
  lines.push(line('e820.header', 'BIOS-provided physical RAM map:'));
  lines.push(...printTable(sanitized, 'BIOS-e820', 'e820.entry', style, { table: fw, machine: ctx.spec.machine }));

  // parse_early_param(): mem= and memmap= in command-line order (arch/x86/kernel/e820.c)
  const t: Mut[] = sanitized.map((e) => ({ ...e }));
  let userdef = false;
  for (const { key, value } of cmdlineParams(ctx.spec.cmdline)) {
    if (key === 'mem') {
      if (value === undefined) continue; // parse_memopt(NULL) → -EINVAL, no change
      if (value === 'nopentium') throw new SimError('SIM_NOT_MODELLED', 'e820', 'cmdline: mem=nopentium is not modelled');
      const p = memparse(value);
      if (p.value === 0n) throw new SimError('SIM_NOT_MODELLED', 'e820', `cmdline: mem=${value} parses to 0 ("Malformed early option") — not modelled`);
      userdef = true;
      // parse_memopt(): e820__range_remove(mem_size, ULLONG_MAX - mem_size, E820_TYPE_RAM, 1)
      lines.push(removeLine(p.value, ULLONG_MAX - p.value, E820_RAM, true, style, `arch/x86/kernel/e820.c parse_memopt(): mem=${value}`));
      rangeRemove(t, p.value, ULLONG_MAX - p.value, E820_RAM, true);
    } else if (key === 'memmap') {
      if (value === undefined) continue;
      for (const one of value.split(',')) {
        if (one.startsWith('exactmap')) {
          t.length = 0;
          userdef = true;
          continue;
        }
        const p = memparse(one);
        if (p.empty) throw new SimError('SIM_BAD_CMDLINE', 'e820', `cmdline: memmap=${one}: expected nn[KMG]…, got no number (the kernel ignores it: -EINVAL)`);
        userdef = true;
        const op = p.rest[0];
        const size = p.value;
        if (op === '@' || op === '#' || op === '$' || op === '!') {
          const at = memparse(p.rest.slice(1));
          if (at.rest !== '') throw new SimError('SIM_BAD_CMDLINE', 'e820', `cmdline: memmap=${one}: trailing "${at.rest}" (the kernel applies the range, then returns -EINVAL) — not modelled`);
          const type = op === '@' ? E820_RAM : op === '#' ? E820_ACPI : op === '$' ? E820_RESERVED : E820_PRAM;
          rangeAdd(t, at.value, size, type, `memmap=${one}`);
        } else if (op === '%') {
          const at = memparse(p.rest.slice(1));
          let rest = at.rest;
          let from = 0n;
          let to = 0n;
          if (rest[0] === '-') { const f = simpleStrtoull(rest.slice(1)); from = f.value; rest = f.rest; }
          if (rest[0] === '+') { const f = simpleStrtoull(rest.slice(1)); to = f.value; rest = f.rest; }
          if (rest !== '') throw new SimError('SIM_BAD_CMDLINE', 'e820', `cmdline: memmap=${one}: expected nn%ss[-old][+new], got trailing "${rest}"`);
          if (from && to) {
            lines.push(updateLine(at.value, size, Number(from), Number(to), style, `arch/x86/kernel/e820.c parse_memmap_one(): memmap=${one}`));
            rangeUpdate(t, at.value, size, Number(from), Number(to));
          } else if (to) {
            rangeAdd(t, at.value, size, Number(to), `memmap=${one}`);
          } else {
            lines.push(removeLine(at.value, size, Number(from), from !== 0n, style, `arch/x86/kernel/e820.c parse_memmap_one(): memmap=${one}`));
            rangeRemove(t, at.value, size, Number(from), from !== 0n);
          }
        } else if (op === undefined) {
          // bare memmap=nn: like mem=
          lines.push(removeLine(size, ULLONG_MAX - size, E820_RAM, true, style, `arch/x86/kernel/e820.c parse_memmap_one(): memmap=${one} (like mem=)`));
          rangeRemove(t, size, ULLONG_MAX - size, E820_RAM, true);
        } else {
          throw new SimError('SIM_BAD_CMDLINE', 'e820', `cmdline: memmap=${one}: expected one of @ # $ ! % after the size, got "${op}"`);
        }
      }
    }
  }

  // e820__reserve_setup_data(): QEMU 7.2's linuxboot passes no setup_data, so nothing to do.
  // e820__finish_early_params()
  let table: E820Entry[] = t.filter(() => true);
  if (userdef) {
    const s = e820UpdateTable(t);
    if (!s) throw new SimError('SIM_BAD_CMDLINE', 'e820', 'cmdline: the user map has fewer than 2 entries: the kernel panics "Invalid user supplied memory map"');
    table = s;
    lines.push(line('e820.user_header', 'user-defined physical RAM map:'));
    lines.push(...printTable(table, 'user', 'e820.user', style));
  }
  const e820: E820State = { firmware: fw, table, firmwareTable: sanitized, userDefined: userdef };
  return { state: withSlice(state, 'e820', e820), lines };
};

// ---------------------------------------------------------------------------------------------
// Stage 2: e820_add_kernel_range(), trim_bios_range(), max_pfn = e820__end_of_ram_pfn()

/** e820__mapped_all(start, end, RAM): every byte of [start, end) lies in RAM entries (table is sorted). */
function mappedAll(table: readonly E820Entry[], start: bigint, end: bigint, type: number): boolean {
  let s = start;
  for (const e of table) {
    if (e.type !== type) continue;
    if (s >= end) break;
    if (e.addr + e.size <= s || e.addr > s) continue;
    s = e.addr + e.size;
  }
  return s >= end;
}

/** e820_end_pfn / e820__end_ram_pfn(limit_pfn) */
export function endPfn(table: readonly E820Entry[], limitPfn: bigint, maxArch: bigint, countsAcpi: boolean): bigint {
  let last = 0n;
  for (const e of table) {
    if (e.type !== E820_RAM && !(countsAcpi && e.type === E820_ACPI)) continue;
    const s = e.addr >> PAGE_SHIFT;
    const en = (e.addr + e.size) >> PAGE_SHIFT;
    if (s >= limitPfn) continue;
    if (en > limitPfn) { last = limitPfn; break; }
    if (en > last) last = en;
  }
  return last > maxArch ? maxArch : last;
}

/** max_arch_pfn as a power of two: 1 << (MAX_PHYSMEM_BITS - PAGE_SHIFT). */
function maxArchWhy(maxArch: bigint): string {
  const bits = maxArch.toString(2).length - 1;
  return 1n << BigInt(bits) === maxArch ? `1 << (MAX_PHYSMEM_BITS ${bits + 12} - PAGE_SHIFT 12)` : `${maxArch}`;
}

/** last_pfn with its derivation: the RAM entry whose end it is (or the limit that clamps it), and max_arch_pfn. */
function lastPfnLine(last: bigint, maxArch: bigint, table: readonly E820Entry[], limitPfn: bigint, maxArchWhy: string, countsAcpi: boolean): DmesgLine {
  const src = 'arch/x86/kernel/e820.c e820_end_pfn(): the highest end PFN of an E820_TYPE_RAM entry below limit_pfn, capped at max_arch_pfn';
  const from = table.find((e) => (e.type === E820_RAM || (countsAcpi && e.type === E820_ACPI)) && (e.addr + e.size) >> PAGE_SHIFT === last && e.addr >> PAGE_SHIFT < limitPfn);
  const terms: ExplainTerm[] = from
    ? [{ name: `end of RAM entry [${hex(from.addr)}, ${hex(from.addr + from.size)})`, value: `${hex(from.addr + from.size)} bytes >> PAGE_SHIFT 12 = ${hex(last)} (pages)`, source: src }]
    : [{ name: last === maxArch ? 'max_arch_pfn (the cap)' : 'limit_pfn (the clamp)', value: `${hex(last)} (pages)`, source: src }];
  terms.push({ name: 'limit_pfn', value: `${hex(limitPfn)} (pages)${limitPfn === 1n << (32n - PAGE_SHIFT) ? ' = 4 GiB >> 12' : ' = max_arch_pfn'}`, source: 'arch/x86/kernel/e820.c e820__end_of_ram_pfn() / e820__end_of_low_ram_pfn()' });
  return line('last_pfn', `last_pfn = ${fmtLx(last)} max_arch_pfn = ${fmtLx(maxArch)}`, {
    last_pfn: terms,
    max_arch_pfn: [{ name: 'MAX_ARCH_PFN', value: `${hex(maxArch)} (pages) = ${maxArchWhy}`, source: 'arch/x86/include/asm/page_types.h / sparsemem.h MAX_PHYSMEM_BITS' }],
  });
}

export const e820Trim: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  const style = traits.e820Style;
  const prev = e820StateOf(state);
  const t: Mut[] = prev.table.map((e) => ({ ...e }));
  const lines: DmesgLine[] = [];

  const k = kernelSpan(ctx);
  if (!mappedAll(prev.table, k.start, k.end, E820_RAM)) {
    if (!k.known) {
      throw new SimError('SIM_NOT_MODELLED', 'e820', `the user map makes part of [16M, 80M) non-RAM; where the kernel image ends (_end) is not in the facts, so e820_add_kernel_range cannot be decided`);
    }
    // arch/x86/kernel/setup.c e820_add_kernel_range() (5.10-7.2): warn, drop every entry over [_text, _end)
    // whatever its type (check_type 0; 7.2: filter_type 0), then add the span back as RAM; the sanitize
    // after trim_bios_range() below merges it
    const why = 'arch/x86/kernel/setup.c e820_add_kernel_range(): the user map leaves part of [_text, _end) outside RAM';
    lines.push(line('e820.kernel_not_ram', '.text .data .bss are not marked as E820_TYPE_RAM!', { _text: [{ name: '__pa_symbol(_text)', value: hex(k.start), source: why }], _end: [{ name: '__pa_symbol(_end)', value: hex(k.end), source: why }] }));
    lines.push(removeLine(k.start, k.end - k.start, E820_RAM, false, style, why));
    rangeRemove(t, k.start, k.end - k.start, E820_RAM, false);
    rangeAdd(t, k.start, k.end - k.start, E820_RAM, 'e820_add_kernel_range');
  }

  // trim_bios_range(): the first page, then the legacy BIOS area, then sanitize
  lines.push(updateLine(0n, PAGE_SIZE, E820_RAM, E820_RESERVED, style, 'arch/x86/kernel/setup.c trim_bios_range(): the first page is reserved for the BIOS (it may corrupt it)'));
  rangeUpdate(t, 0n, PAGE_SIZE, E820_RAM, E820_RESERVED);
  lines.push(removeLine(BIOS_BEGIN, BIOS_END - BIOS_BEGIN, E820_RAM, true, style, 'arch/x86/kernel/setup.c trim_bios_range(): the legacy BIOS area [BIOS_BEGIN 0xa0000, BIOS_END 0x100000) is not RAM'));
  rangeRemove(t, BIOS_BEGIN, BIOS_END - BIOS_BEGIN, E820_RAM, true);
  const table = e820UpdateTable(t) ?? t;
  return { state: withSlice(state, 'e820', { ...prev, table }), lines };
};

// arch/x86/kernel/setup.c setup_arch(): max_pfn = e820__end_of_ram_pfn(), after early_gart_iommu_check()
// on x86_64, which prints between the trim lines and last_pfn.
export const e820MaxPfn: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  const prev = e820StateOf(state);
  const table = prev.table;
  const lines: DmesgLine[] = [];
  // max_pfn = e820__end_of_ram_pfn(). mtrr_trim_uncached_memory() never trims here: SeaBIOS's
  // mtrr_setup() covers all RAM with WB (src/fw/mtrr.c), so no second call.
  const maxArch = maxArchPfn(traits, pgtableL5Enabled(ctx));
  const maxPfn = endPfn(table, maxArch, maxArch, traits.endPfnCountsAcpi);
  lines.push(lastPfnLine(maxPfn, maxArch, table, maxArch, maxArchWhy(maxArch), traits.endPfnCountsAcpi));
  const e820: E820State = { ...prev, table, maxArchPfn: maxArch, maxPfn };
  return { state: withSlice(state, 'e820', e820), lines };
};

// ---------------------------------------------------------------------------------------------
// Stage 3 (x86_64, after the PAT lines): max_low_pfn. i386's find_low_pfn_range() needs MAXMEM_PFN
// (VMALLOC_END and the fixmap size, i.e. NR_CPUS and the config), which is not derived yet.

export const e820LowPfn: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  const prev = e820StateOf(state);
  if (prev.maxPfn === undefined || prev.maxArchPfn === undefined) throw new SimError('SIM_NOT_MODELLED', 'e820', 'state.e820.maxPfn: expected the trim stage to have run first');
  if (traits.arch !== 'x86_64') return { state, lines: [] };
  const lines: DmesgLine[] = [];
  let maxLowPfn = prev.maxPfn;
  // setup_arch(): "if (max_pfn > (1UL<<(32 - PAGE_SHIFT))) max_low_pfn = e820__end_of_low_ram_pfn()"
  if (prev.maxPfn > 1n << (32n - PAGE_SHIFT)) {
    const limit = 1n << (32n - PAGE_SHIFT);
    maxLowPfn = endPfn(prev.table, limit, prev.maxArchPfn, traits.endPfnCountsAcpi);
    lines.push(lastPfnLine(maxLowPfn, prev.maxArchPfn, prev.table, limit, maxArchWhy(prev.maxArchPfn), traits.endPfnCountsAcpi));
  }
  const e820: E820State = { ...prev, maxLowPfn };
  return { state: withSlice(state, 'e820', e820), lines };
};

export const e820Stages: readonly StageFn[] = [e820Setup, e820Trim, e820MaxPfn, e820LowPfn];
