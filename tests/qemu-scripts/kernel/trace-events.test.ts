import { describe, expect, it } from 'vitest';
import { btfMembers, findTraceEventsIn, type ImageMemory, type TraceEventLayout } from '../../../qemu-scripts/kernel/trace-events.ts';

// The x86_64 layout of 6.12/7.2 (CONFIG_PERF_EVENTS): trace_event_call.class at 16,
// trace_event_class.system at 0 and .fields_array at 32, sizeof(trace_event_fields) 40.
const LAYOUT: TraceEventLayout = { callClass: 16, classSystem: 0, classFieldsArray: 32, fieldsSize: 40, callData: 80, metaName: 0, metaNbArgs: 12 };
const DATA = [0x1000_0000n, 0x1100_0000n] as const;
const INIT = [0x2000_0000n, 0x2010_0000n] as const;
const RO = [0x3000_0000n, 0x3010_0000n] as const;
const TEXT = [0x4000_0000n, 0x4100_0000n] as const;
const FUNC = 0xffffffffffffffffn;

interface Spec {
  /** classes: system name, fields_array entries, whether a TRACE_FUNCTION_TYPE entry follows, events. */
  classes: { system: string; fields: number; func?: boolean; events: number }[];
  /** a word that is no event pointer, inserted after this many events */
  breakAfter?: number;
  /** syscall_metadata (name, nb_args): one enter and one exit event each, unless exitEvents says otherwise */
  metas?: [string, number][];
  exitEvents?: number;
  /** sys_call_table: the kallsyms name of each entry's target */
  table?: string[];
}

function image(spec: Spec): ImageMemory {
  const words = new Map<bigint, bigint>();
  const strings = new Map<bigint, string>();
  let data = DATA[0];
  let ro = RO[0] + 0x8000n;
  const str = (t: string): bigint => {
    const a = ro;
    ro += 0x40n;
    strings.set(a, t);
    return a;
  };
  const events: bigint[] = [];
  const metas = (spec.metas ?? []).map(([name, nb]) => {
    const m = data;
    data += 0x80n;
    words.set(m, str(name));
    words.set(m + 8n, -1n & 0xffffffffn | (BigInt(nb) << 32n)); // syscall_nr −1, nb_args
    words.set(m + 12n, BigInt(nb)); // read as the word at nb_args' offset
    return m;
  });
  const classes = [...spec.classes];
  if (spec.metas) classes.push({ system: 'syscalls', fields: 1, func: true, events: metas.length }, { system: 'syscalls', fields: 2, events: spec.exitEvents ?? metas.length });
  for (const c of classes) {
    const cls = data;
    data += 0x100n;
    words.set(cls, str(c.system));
    const arr = data;
    words.set(cls + 32n, arr);
    for (let i = 0; i < c.fields; i++) words.set(arr + BigInt(i) * 40n, str('int'));
    if (c.func) words.set(arr + BigInt(c.fields) * 40n, FUNC);
    words.set(arr + BigInt(c.fields + (c.func ? 1 : 0)) * 40n, 0n);
    data += BigInt(c.fields + 2) * 40n;
    for (let e = 0; e < c.events; e++) {
      words.set(data + 16n, cls);
      if (c.system === 'syscalls') words.set(data + 80n, metas[e % metas.length]!);
      events.push(data);
      data += 0x80n;
    }
  }
  let a = INIT[0];
  words.set(a, 0x1234n);
  a += 8n;
  events.forEach((ev, i) => {
    if (spec.breakAfter === i) {
      words.set(a, 0n);
      a += 8n;
    }
    words.set(a, ev);
    a += 8n;
  });
  const symbols = new Map<bigint, string>();
  const targetOf = new Map<string, bigint>();
  let t = RO[0] + 0x100n;
  for (const sym of spec.table ?? []) {
    if (!targetOf.has(sym)) targetOf.set(sym, TEXT[0] + 0x100n * BigInt(targetOf.size + 1));
    symbols.set(targetOf.get(sym)!, sym);
    words.set(t, targetOf.get(sym)!);
    t += 8n;
  }
  return {
    word: (x) => words.get(x) ?? (x >= DATA[0] && x < RO[1] ? 0n : undefined),
    cstr: (x) => strings.get(x) ?? (x >= RO[0] && x < RO[1] ? '' : undefined),
    data: DATA,
    initData: INIT,
    rodata: RO,
    text: TEXT,
    nameAt: (x) => symbols.get(x),
  };
}

/** A sys_call_table of n entries: the given syscalls first, then sys_ni_syscall. */
const table = (n: number, syms: string[]): string[] => Array.from({ length: n }, (_, i) => syms[i] ?? '__x64_sys_ni_syscall');

describe('findTraceEventsIn', () => {
  it('events_classes_fields: expect the events counted per class and each class\'s fields once', () => {
    const mem = image({ classes: [{ system: 'sched', fields: 3, events: 60 }, { system: 'spi-mem', fields: 2, events: 50 }] });
    // expect: 110 events; 3 + 2 fields (a class's fields are shared by its events); no syscalls
    expect(findTraceEventsIn(mem, LAYOUT)).toEqual({ events: 110, classes: 2, classFields: 5, syscallMetas: 0, syscallEnterClassFields: 0, syscallExitClassFields: 0, syscallsMapped: 0, syscallArgFields: 0 });
  });

  it('syscalls_mapped: expect only the metas a sys_call_table entry names, with their arguments', () => {
    const mem = image({
      classes: [{ system: 'sched', fields: 4, events: 100 }],
      // sys_time32 has no 64-bit entry (init_syscall_trace fails for it); sys_ni_syscall's meta is skipped by name
      metas: [['sys_read', 3], ['sys_write', 3], ['sys_time32', 1], ['sys_ni_syscall', 0], ['sys_mmap', 6]],
      table: table(320, ['__x64_sys_read', '__x64_sys_write', '__x64_sys_mmap', '__x64_sys_mmap']),
    });
    // expect: read, write and mmap (two entries, one meta): 3 mapped, 3 + 3 + 6 argument fields
    expect(findTraceEventsIn(mem, LAYOUT)).toEqual({ events: 100, classes: 1, classFields: 4, syscallMetas: 5, syscallEnterClassFields: 1, syscallExitClassFields: 2, syscallsMapped: 3, syscallArgFields: 12 });
  });

  it('syscall_alias_prefixes: expect __do_sys and plain sys names to match as arch_syscall_match_sym_name does', () => {
    const mem = image({ classes: [{ system: 'sched', fields: 1, events: 100 }], metas: [['sys_exit', 1], ['sys_fork', 0]], table: table(310, ['__do_sys_exit', 'sys_fork', '__x64_sys_nosuch']) });
    expect(findTraceEventsIn(mem, LAYOUT)).toMatchObject({ syscallsMapped: 2, syscallArgFields: 1 });
  });

  it('longest_run: expect a word that is no event call to end the array (the longer part is taken)', () => {
    const mem = image({ classes: [{ system: 'sched', fields: 1, events: 300 }], breakAfter: 120 });
    expect(findTraceEventsIn(mem, LAYOUT)?.events).toBe(180);
  });

  it('absent: expect undefined below 100 event calls (no event tracing)', () => {
    expect(findTraceEventsIn(image({ classes: [{ system: 'sched', fields: 1, events: 99 }] }), LAYOUT)).toBeUndefined();
  });

  it('syscalls_without_table: expect LAYOUT_UNEXPECTED when syscall events exist but no sys_call_table does', () => {
    const mem = image({ classes: [{ system: 'sched', fields: 1, events: 100 }], metas: [['sys_read', 3]] });
    expect(() => findTraceEventsIn(mem, LAYOUT)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('syscall_classes_unpaired: expect LAYOUT_UNEXPECTED when the enter and exit classes differ in events', () => {
    const mem = image({ classes: [{ system: 'sched', fields: 1, events: 100 }], metas: [['sys_read', 3], ['sys_write', 3]], exitEvents: 1, table: table(320, ['__x64_sys_read']) });
    expect(() => findTraceEventsIn(mem, LAYOUT)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('unnamed_target: expect LAYOUT_UNEXPECTED when kallsyms has no name for a table entry', () => {
    const mem = { ...image({ classes: [{ system: 'sched', fields: 1, events: 100 }], metas: [['sys_read', 3]], table: table(320, ['__x64_sys_read']) }), nameAt: () => undefined };
    expect(() => findTraceEventsIn(mem, LAYOUT)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });
});

// A .BTF section: header, an INT, and structs whose members are {name_off, type, offset}.
function btf(structs: { name: string; size: number; kflag?: boolean; members: [string, number][] }[]): Uint8Array {
  const strs: string[] = [''];
  const off = (s: string): number => {
    const at = strs.join('\0').length + 1;
    strs.push(s);
    return at;
  };
  const types: number[] = [];
  types.push(off('int'), (1 << 24) >>> 0, 4, 32); // INT, 4 bytes, 32 bits
  for (const s of structs) {
    types.push(off(s.name), ((s.kflag ? 1 << 31 : 0) | (4 << 24) | s.members.length) >>> 0, s.size);
    for (const [m, bits] of s.members) types.push(off(m), 1, bits);
  }
  const strBytes = new TextEncoder().encode(strs.join('\0') + '\0');
  const buf = new Uint8Array(24 + types.length * 4 + strBytes.length);
  const dv = new DataView(buf.buffer);
  dv.setUint16(0, 0xeb9f, true);
  buf[2] = 1;
  dv.setUint32(4, 24, true);
  dv.setUint32(8, 0, true);
  dv.setUint32(12, types.length * 4, true);
  dv.setUint32(16, types.length * 4, true);
  dv.setUint32(20, strBytes.length, true);
  types.forEach((w, i) => dv.setUint32(24 + i * 4, w, true));
  buf.set(strBytes, 24 + types.length * 4);
  return buf;
}

describe('btfMembers', () => {
  it('member_offsets: expect byte offsets from the bit offsets', () => {
    const b = btf([{ name: 'trace_event_class', size: 72, members: [['system', 0], ['fields_array', 256]] }]);
    expect(btfMembers(b, 'trace_event_class')).toEqual({ size: 72, members: new Map([['system', 0], ['fields_array', 32]]) });
  });

  it('kind_flag_bitfields: expect the low 24 bits as the offset when kind_flag is set', () => {
    // expect: (bitfield size 1 << 24) | 96 bits → 12 bytes
    const b = btf([{ name: 'x', size: 16, kflag: true, members: [['a', 0], ['b', (1 << 24) | 96]] }]);
    expect(btfMembers(b, 'x').members.get('b')).toBe(12);
  });

  it('missing_struct: expect BTF_INVALID when the struct is absent', () => {
    expect(() => btfMembers(btf([{ name: 'x', size: 8, members: [] }]), 'trace_event_call')).toThrow(expect.objectContaining({ code: 'BTF_INVALID' }));
  });
});
