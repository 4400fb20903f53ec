// The static trace events event_trace_enable() walks (kernel/trace/trace_events.c 6.12.115,
// 7.2.13): [__start_ftrace_events, __stop_ftrace_events) in .init.data (include/asm-generic/
// vmlinux.lds.h FTRACE_EVENTS inside INIT_DATA), one pointer per struct trace_event_call in
// .data. The image keeps no ELF symbol table, so the array is found by its shape: the longest run
// of .init.data words each pointing into .data at a trace_event_call whose ->class points into
// .data at a trace_event_class whose ->system is a TRACE_SYSTEM name (a C identifier, or with '-' as
// in "spi-mem"). No other .init.data object is
// a run of such pointers. The syscall events (class system "syscalls") are counted apart: only
// those whose syscall_metadata init_ftrace_syscalls() maps to a sys_call_table entry pass
// init_syscall_trace(); the table is found in .rodata as the longest run of words pointing into
// .text (arch/x86/entry/syscall_64.c: kept for kernel/trace/trace_syscalls.c) and its targets
// are named by the image's kallsyms table (qemu-scripts/kernel/kallsyms.ts).
import { FactsError } from './errors.ts';
import { section, sectionBytes, SHT_NOBITS, type ElfFile } from './elf.ts';
import { findKallsyms, type KallsymsOffsets } from './kallsyms.ts';
import type { TraceEvents } from '../../sim/kernel-facts.ts';

/** Shorter runs are not the event array (a build with event tracing has hundreds of events). */
const MIN_EVENTS = 100;
/** include/linux/trace_events.h: TRACE_FUNCTION_TYPE ((const char *)~0UL). */
const TRACE_FUNCTION_TYPE = 0xffffffffffffffffn;

/** Byte offsets of the members read, and sizeof(struct trace_event_fields), from the .BTF. */
export interface TraceEventLayout {
  readonly callClass: number;
  readonly classSystem: number;
  readonly classFieldsArray: number;
  readonly fieldsSize: number;
  /** trace_event_call.data (a syscall event's syscall_metadata), syscall_metadata.name and .nb_args. */
  readonly callData: number;
  readonly metaName: number;
  readonly metaNbArgs: number;
}

/**
 * The member offsets of one struct from a little-endian .BTF section (Documentation/bpf/btf.rst
 * §2.2: a STRUCT's members are {name_off, type, offset} triples; offset is in bits, with
 * kind_flag the low 24 bits). Returns byte offsets by member name and the struct size.
 */
export function btfMembers(buf: Uint8Array, name: string, file = '.BTF'): { size: number; members: Map<string, number> } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hdrLen = view.getUint32(4, true);
  const typeStart = hdrLen + view.getUint32(8, true);
  const typeEnd = typeStart + view.getUint32(12, true);
  const strStart = hdrLen + view.getUint32(16, true);
  const str = (off: number): string => {
    let end = strStart + off;
    while (end < buf.length && buf[end] !== 0) end++;
    return new TextDecoder().decode(buf.subarray(strStart + off, end));
  };
  // the tail bytes after the 12-byte btf_type, per kind (btf.rst §2.2)
  const tail = (kind: number, vlen: number): number =>
    kind === 1 || kind === 14 || kind === 17 ? 4 : kind === 3 ? 12 : kind === 4 || kind === 5 || kind === 15 || kind === 19 ? 12 * vlen : kind === 6 || kind === 13 ? 8 * vlen : 0;
  const found: { size: number; members: Map<string, number> }[] = [];
  for (let p = typeStart; p + 12 <= typeEnd;) {
    const info = view.getUint32(p + 4, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    if (kind === 4 && str(view.getUint32(p, true)) === name) {
      const kflag = info >>> 31 === 1;
      const members = new Map<string, number>();
      for (let i = 0; i < vlen; i++) {
        const m = p + 12 + 12 * i;
        const bits = view.getUint32(m + 8, true);
        members.set(str(view.getUint32(m, true)), (kflag ? bits & 0xffffff : bits) / 8);
      }
      found.push({ size: view.getUint32(p + 8, true), members });
    }
    p += 12 + tail(kind, vlen);
  }
  if (found.length !== 1) throw new FactsError('BTF_INVALID', `.BTF: expected one struct ${name}, got ${found.length}`, { pos: { file } });
  return found[0]!;
}

/** The layout from the .BTF: trace_event_call.class, trace_event_class.system/.fields_array. */
export function traceEventLayout(btf: Uint8Array, file = '.BTF'): TraceEventLayout {
  const member = (s: string, m: string): number => {
    const off = btfMembers(btf, s, file).members.get(m);
    if (off === undefined) throw new FactsError('BTF_INVALID', `.BTF: expected struct ${s} to have a member ${m}, got none`, { pos: { file } });
    return off;
  };
  return {
    callClass: member('trace_event_call', 'class'),
    classSystem: member('trace_event_class', 'system'),
    classFieldsArray: member('trace_event_class', 'fields_array'),
    fieldsSize: btfMembers(btf, 'trace_event_fields', file).size,
    callData: member('trace_event_call', 'data'),
    metaName: member('syscall_metadata', 'name'),
    metaNbArgs: member('syscall_metadata', 'nb_args'),
  };
}

/** The loaded image as findTraceEventsIn() reads it: words and C strings at link-time addresses. */
export interface ImageMemory {
  readonly word: (a: bigint) => bigint | undefined;
  readonly cstr: (a: bigint) => string | undefined;
  /** [start, end) of .data, .init.data, .rodata and .text. */
  readonly data: readonly [bigint, bigint];
  readonly initData: readonly [bigint, bigint];
  readonly rodata: readonly [bigint, bigint];
  readonly text: readonly [bigint, bigint];
  /** kallsyms_lookup()'s name of an address (qemu-scripts/kernel/kallsyms.ts). */
  readonly nameAt: (a: bigint) => string | undefined;
}

/** The image's loaded sections as an ImageMemory. */
export function imageMemory(elf: ElfFile, vmlinux: Uint8Array, offsets: KallsymsOffsets, file = 'vmlinux'): ImageMemory {
  const secs = elf.sections.filter((s) => s.type !== SHT_NOBITS && s.addr > 0n && s.size > 0);
  const dv = new DataView(vmlinux.buffer, vmlinux.byteOffset, vmlinux.byteLength);
  const at = (a: bigint, n: number): number | undefined => {
    const s = secs.find((x) => a >= x.addr && a + BigInt(n) <= x.addr + BigInt(x.size));
    return s ? s.offset + Number(a - s.addr) : undefined;
  };
  const span = (name: string, why?: string): readonly [bigint, bigint] => {
    const s = section(elf, name, file, why);
    return [s.addr, s.addr + BigInt(s.size)];
  };
  return {
    word: (a) => {
      const o = at(a, 8);
      return o === undefined ? undefined : dv.getBigUint64(o, true);
    },
    cstr: (a) => {
      let o = at(a, 1);
      if (o === undefined) return undefined;
      let s = '';
      while (o < vmlinux.length && vmlinux[o] !== 0 && s.length < 64) s += String.fromCharCode(vmlinux[o++]!);
      return s;
    },
    data: span('.data'),
    initData: span('.init.data', 'include/asm-generic/vmlinux.lds.h FTRACE_EVENTS'),
    rodata: span('.rodata'),
    text: span('.text'),
    nameAt: findKallsyms(sectionBytes(vmlinux, section(elf, '.rodata', file), file), section(elf, '.rodata', file), offsets, file).nameAt,
  };
}

const within = ([lo, hi]: readonly [bigint, bigint]) => (a: bigint): boolean => a >= lo && a < hi;

/** The longest run of 8-byte words in [lo, hi) that `ok` accepts: its start and length. */
function longestRun(mem: ImageMemory, [lo, hi]: readonly [bigint, bigint], ok: (v: bigint) => boolean): { at: bigint; n: number } {
  let best = { at: lo, n: 0 };
  let start = lo;
  let n = 0;
  for (let a = lo; a + 8n <= hi; a += 8n) {
    const v = mem.word(a);
    if (v !== undefined && ok(v)) {
      if (n === 0) start = a;
      n++;
    } else {
      if (n > best.n) best = { at: start, n };
      n = 0;
    }
  }
  return n > best.n ? { at: start, n } : best;
}

/**
 * Counts the static events and their fields: the non-syscall events (each gets a
 * trace_event_file in __trace_early_add_events), the fields_array entries of their distinct
 * classes (event_define_fields defines a class's fields once, on its shared ->fields list), the
 * syscall events (two per syscall_metadata), the metas mapped to a sys_call_table entry and
 * their arguments. Undefined without the array.
 */
export function findTraceEvents(elf: ElfFile, vmlinux: Uint8Array, layout: TraceEventLayout, offsets: KallsymsOffsets, file = 'vmlinux'): TraceEvents | undefined {
  return findTraceEventsIn(imageMemory(elf, vmlinux, offsets, file), layout, file);
}

/** findTraceEvents() over any ImageMemory (the tests give a synthetic one). */
export function findTraceEventsIn(mem: ImageMemory, layout: TraceEventLayout, file = 'vmlinux'): TraceEvents | undefined {
  const { word, cstr } = mem;
  const inData = within(mem.data);
  const classOf = (call: bigint): bigint | undefined => {
    if (!inData(call)) return undefined;
    const c = word(call + BigInt(layout.callClass));
    if (c === undefined || !inData(c)) return undefined;
    const sys = word(c + BigInt(layout.classSystem));
    const s = sys === undefined ? undefined : cstr(sys);
    return s !== undefined && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? c : undefined;
  };
  const best = longestRun(mem, mem.initData, (v) => classOf(v) !== undefined);
  if (best.n < MIN_EVENTS) return undefined;

  const classes = new Map<bigint, { system: string; fields: number; func: boolean; events: number; calls: bigint[] }>();
  for (let i = 0; i < best.n; i++) {
    const call = word(best.at + BigInt(i * 8))!;
    const c = classOf(call)!;
    let e = classes.get(c);
    if (!e) {
      const arr = word(c + BigInt(layout.classFieldsArray));
      if (arr === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `trace_event_class at 0x${c.toString(16)}: expected a fields_array pointer, got an unreadable word`, { pos: { file } });
      let fields = 0;
      let func = false;
      for (let q = arr; ; q += BigInt(layout.fieldsSize)) {
        const t = word(q);
        if (t === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `fields_array at 0x${arr.toString(16)}: expected entries ending in {}, ran off the image`, { pos: { file } });
        if (t === 0n) break;
        if (t === TRACE_FUNCTION_TYPE) {
          func = true;
          break;
        }
        fields++;
      }
      e = { system: cstr(word(c + BigInt(layout.classSystem))!)!, fields, func, events: 0, calls: [] };
      classes.set(c, e);
    }
    e.events++;
    e.calls.push(call);
  }
  const sys = [...classes.values()].filter((c) => c.system === 'syscalls');
  const other = [...classes.values()].filter((c) => c.system !== 'syscalls');
  // kernel/trace/trace_syscalls.c: event_class_syscall_enter (a define_fields callback) and event_class_syscall_exit
  const enter = sys.filter((c) => c.func);
  const exit = sys.filter((c) => !c.func);
  if (sys.length !== 0 && (enter.length !== 1 || exit.length !== 1 || enter[0]!.events !== exit[0]!.events)) {
    throw new FactsError('LAYOUT_UNEXPECTED', `syscall events: expected one enter and one exit class with as many events each, got ${sys.map((c) => `${c.func ? 'enter' : 'exit'} ×${c.events}`).join(', ')}`, { pos: { file } });
  }
  const out: TraceEvents = {
    events: other.reduce((a, c) => a + c.events, 0),
    classes: other.length,
    classFields: other.reduce((a, c) => a + c.fields, 0),
    syscallMetas: enter[0]?.events ?? 0,
    syscallEnterClassFields: enter[0]?.fields ?? 0,
    syscallExitClassFields: exit[0]?.fields ?? 0,
    ...(sys.length === 0 ? { syscallsMapped: 0, syscallArgFields: 0 } : mappedSyscalls(mem, layout, enter[0]!.calls, file)),
  };
  return out;
}

/**
 * arch/x86/include/asm/ftrace.h arch_syscall_match_sym_name(): a symbol matches a metadata name
 * ("sys_…") past its "__x64_sys", "__ia32_sys", "__do_sys" or "sys" prefix.
 */
export function syscallNameMatches(sym: string, name: string): boolean {
  return sym.slice(3) === name.slice(3) ||
    (sym.startsWith('__x64_') && sym.slice(9) === name.slice(3)) ||
    (sym.startsWith('__ia32_') && sym.slice(10) === name.slice(3)) ||
    (sym.startsWith('__do_sys') && sym.slice(8) === name.slice(3));
}

/**
 * init_ftrace_syscalls() (kernel/trace/trace_syscalls.c 6.12, 7.2): for each sys_call_table
 * entry, find_syscall_meta() takes kallsyms_lookup()'s name of the target, skips
 * sys_ni_syscall, and gives the first syscall_metadata whose name matches its syscall_nr; only
 * those metas pass init_syscall_trace(). The table is the longest run of .rodata words pointing
 * into .text (arch/x86/entry/syscall_64.c, kept for tracing). Returns the metas so mapped and
 * the sum of their nb_args (syscall_enter_define_fields() defines one field per argument; the
 * low 7 bits of nb_args' first byte hold it in both versions: an int on 6.12, a u8:7 on 7.2).
 */
function mappedSyscalls(mem: ImageMemory, layout: TraceEventLayout, enterCalls: readonly bigint[], file: string): { syscallsMapped: number; syscallArgFields: number } {
  const best = longestRun(mem, mem.rodata, within(mem.text));
  if (best.n < 300) throw new FactsError('LAYOUT_UNEXPECTED', `sys_call_table: expected a run of ≥ 300 text pointers in .rodata, got ${best.n}`, { pos: { file } });
  const metas = enterCalls.map((call) => {
    const meta = mem.word(call + BigInt(layout.callData));
    const namePtr = meta === undefined ? undefined : mem.word(meta + BigInt(layout.metaName));
    const name = namePtr === undefined ? undefined : mem.cstr(namePtr);
    const nb = meta === undefined ? undefined : mem.word(meta + BigInt(layout.metaNbArgs));
    if (meta === undefined || name === undefined || nb === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `syscall event at 0x${call.toString(16)}: expected a syscall_metadata with a name, got an unreadable one`, { pos: { file } });
    return { meta, name, nbArgs: Number(nb & 0x7fn) };
  });
  const mapped = new Set<bigint>();
  for (let i = 0; i < best.n; i++) {
    const target = mem.word(best.at + BigInt(i * 8))!;
    const sym = mem.nameAt(target);
    if (sym === undefined) throw new FactsError('LAYOUT_UNEXPECTED', `sys_call_table[${i}]: expected a kallsyms name for 0x${target.toString(16)}, got none`, { pos: { file } });
    if (syscallNameMatches(sym, 'sys_ni_syscall')) continue;
    const m = metas.find((x) => syscallNameMatches(sym, x.name));
    if (m) mapped.add(m.meta);
  }
  const kept = metas.filter((m) => mapped.has(m.meta));
  return { syscallsMapped: kept.length, syscallArgFields: kept.reduce((a, m) => a + m.nbArgs, 0) };
}
