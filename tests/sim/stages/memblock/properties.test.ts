// Properties the kernel's memblock suite (tools/testing/memblock, 6.12) implies, checked at scale on
// sim/stages/memblock.ts with fast-check: random sequences of memblock_add / memblock_add_node (up to
// 8 nodes, MEMBLOCK_HOTPLUG or not) / memblock_reserve / memblock_remove / memblock_phys_free /
// memblock_set_node / memblock_mark_hotplug / _clear_hotplug / memblock_mark_nomap / _clear_nomap, long enough to go
// past INIT_MEMBLOCK_REGIONS (128) in both arrays. After every call:
// - each array is sorted and never overlaps, and cnt ≤ max;
// - no two neighbours touch with the same nid and flags (memblock_merge_regions keeps it minimal);
// - total_size is the sum of the region sizes;
// - the bytes each array covers, with their node and flags, are what the calls say (an oracle kept
//   per 64-byte unit, independent of the model's region arithmetic);
// - memblock_double_array ran exactly when mm/memblock.c would run it: memblock_add_range when
//   cnt + (pieces to insert) > max, memblock_isolate_range when cnt + 2 > max (6.12).
// The per-call checks compare plainly and fail through expect.fail with the call and the values:
// some 17,000 calls × a dozen checks through expect() were most of this file's time.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  memblockInit, memblockAdd, memblockAddNode, memblockReserve, memblockRemove, memblockFree, memblockSetNode,
  memblockMarkHotplug, memblockClearHotplug, memblockMarkNomap, memblockClearNomap, memblockAllowResize, memblockTrimMemory,
  MEMBLOCK_HOTPLUG, MEMBLOCK_NOMAP, MEMBLOCK_NONE, NO_NODE, INIT_MEMBLOCK_REGIONS,
  type MemblockState, type MemblockRegion, type Which,
} from '../../../../sim/stages/memblock.ts';

/** The oracle's granule: every call's base and size are whole units. */
const UNIT = 64n;
/** The address space the calls work in: [0, SPACE units). */
const SPACE = 4096;
/** Where memblock_double_array finds room: 1M of memory far above the calls' space, never touched by them. */
const ROOM = { start: 0x40000000n, size: 0x100000n };

type Op =
  | { k: 'add'; base: number; size: number }
  | { k: 'add_node'; base: number; size: number; nid: number; hotplug: boolean }
  | { k: 'reserve'; base: number; size: number }
  | { k: 'remove'; base: number; size: number }
  | { k: 'free'; base: number; size: number }
  | { k: 'set_node'; which: Which; base: number; size: number; nid: number }
  | { k: 'flag'; base: number; size: number; set: boolean; flag: number };

/** Calls land in the first 512 units, so that they overlap each other often. */
const span = { base: fc.integer({ min: 0, max: 511 }), size: fc.integer({ min: 1, max: 12 }) };
const nid = fc.integer({ min: 0, max: 7 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('add' as const), ...span }),
  fc.record({ k: fc.constant('add_node' as const), ...span, nid, hotplug: fc.boolean() }),
  fc.record({ k: fc.constant('reserve' as const), ...span }),
  fc.record({ k: fc.constant('remove' as const), ...span }),
  fc.record({ k: fc.constant('free' as const), ...span }),
  fc.record({ k: fc.constant('set_node' as const), which: fc.constantFrom<Which>('memory', 'reserved'), ...span, nid }),
  fc.record({ k: fc.constant('flag' as const), ...span, set: fc.boolean(), flag: fc.constantFrom(MEMBLOCK_HOTPLUG, MEMBLOCK_NOMAP) }),
);
/** Many small disjoint adds and reservations first (past 128 regions in each array), then anything. */
const manyArb: fc.Arbitrary<Op[]> = fc.tuple(
  fc.array(fc.record({ k: fc.constantFrom('add_node' as const), base: fc.integer({ min: 0, max: SPACE / 2 - 1 }), size: fc.constant(1), nid, hotplug: fc.boolean() }), { minLength: 130, maxLength: 200 }),
  fc.array(fc.record({ k: fc.constant('reserve' as const), base: fc.integer({ min: 0, max: SPACE / 2 - 1 }), size: fc.constant(1) }), { minLength: 130, maxLength: 200 }),
  fc.array(opArb, { maxLength: 80 }),
).map(([a, r, rest]) => [...a.map((o) => ({ ...o, base: o.base * 2 })), ...r.map((o) => ({ ...o, base: o.base * 2 })), ...rest]);

/** Arrays right at the edge (124 … 132 regions), then a few calls: where memblock_isolate_range's cnt + 2 > max and memblock_add_range's cnt + nr_new > max part ways. */
const edgeArb: fc.Arbitrary<Op[]> = fc.tuple(
  fc.integer({ min: 124, max: 132 }), fc.constantFrom<Which>('memory', 'reserved'), fc.array(opArb, { minLength: 1, maxLength: 6 }),
).map(([n, which, rest]) => [
  ...Array.from({ length: n }, (_, i): Op => (which === 'memory' ? { k: 'add_node', base: 2 * i, size: 1, nid: i % 8, hotplug: false } : { k: 'reserve', base: 2 * i, size: 1 })),
  ...rest,
]);

/** Per-unit oracle of one array: NONE_CELL = not covered, else cell(nid, flags) of that byte. */
const NONE_CELL = -1;
const cell = (nid: number, flags: number): number => (nid + 8) * 256 + flags;
interface Oracle { memory: Int32Array; reserved: Int32Array }
const blank = (): Int32Array => new Int32Array(SPACE).fill(NONE_CELL);
const nidOf = (c: number): number => Math.floor(c / 256) - 8;
const flagsOf = (c: number): number => c % 256;

const U = (n: number): bigint => BigInt(n) * UNIT;
const end = (o: { base: number; size: number }): number => Math.min(o.base + o.size, SPACE);

function applyOracle(or: Oracle, op: Op): void {
  const fill = (cells: Int32Array, b: number, e: number, f: (c: number) => number): void => {
    for (let i = b; i < e; i++) cells[i] = f(cells[i]!);
  };
  const e = end(op);
  const ifNone = (v: number) => (c: number): number => (c === NONE_CELL ? v : c);
  const ifSome = (f: (c: number) => number) => (c: number): number => (c === NONE_CELL ? c : f(c));
  switch (op.k) {
    case 'add': return fill(or.memory, op.base, e, ifNone(cell(NO_NODE, MEMBLOCK_NONE)));
    case 'add_node': return fill(or.memory, op.base, e, ifNone(cell(op.nid, op.hotplug ? MEMBLOCK_HOTPLUG : MEMBLOCK_NONE)));
    case 'reserve': return fill(or.reserved, op.base, e, ifNone(cell(NO_NODE, MEMBLOCK_NONE)));
    case 'remove': return fill(or.memory, op.base, e, () => NONE_CELL);
    case 'free': return fill(or.reserved, op.base, e, () => NONE_CELL);
    case 'set_node': return fill(or[op.which], op.base, e, ifSome((c) => cell(op.nid, flagsOf(c))));
    case 'flag': return fill(or.memory, op.base, e, ifSome((c) => cell(nidOf(c), op.set ? flagsOf(c) | op.flag : flagsOf(c) & ~op.flag)));
  }
}

function applyModel(mb: MemblockState, op: Op): MemblockState {
  const b = U(op.base);
  const s = U(end(op) - op.base);
  switch (op.k) {
    case 'add': return memblockAdd(mb, b, s);
    case 'add_node': return memblockAddNode(mb, b, s, op.nid, op.hotplug ? MEMBLOCK_HOTPLUG : MEMBLOCK_NONE);
    case 'reserve': return memblockReserve(mb, b, s, { why: 'property', source: 'test', stage: 'test' });
    case 'remove': return memblockRemove(mb, b, s);
    case 'free': return memblockFree(mb, b, s);
    case 'set_node': return memblockSetNode(mb, b, s, op.which, op.nid);
    case 'flag':
      if (op.flag === MEMBLOCK_NOMAP) return op.set ? memblockMarkNomap(mb, b, s) : memblockClearNomap(mb, b, s);
      return op.set ? memblockMarkHotplug(mb, b, s) : memblockClearHotplug(mb, b, s);
  }
}

/** The array an op works on, and whether mm/memblock.c goes through memblock_add_range (else memblock_isolate_range). */
const target = (op: Op): { which: Which; adds: boolean } => {
  switch (op.k) {
    case 'add': case 'add_node': return { which: 'memory', adds: true };
    case 'reserve': return { which: 'reserved', adds: true };
    case 'remove': case 'flag': return { which: 'memory', adds: false };
    case 'free': return { which: 'reserved', adds: false };
    case 'set_node': return { which: op.which, adds: false };
  }
};

/** memblock_add_range's first pass: the pieces of [b, e) no region covers (nr_new). */
function piecesToInsert(rs: readonly MemblockRegion[], b: bigint, e: bigint): number {
  let n = 0;
  let at = b;
  for (const r of rs) {
    if (r.start >= e) break;
    if (r.end <= at) continue;
    if (r.start > at) n++;
    at = r.end < e ? r.end : e;
  }
  return at < e ? n + 1 : n;
}

function checkArray(mb: MemblockState, which: Which): void {
  const rs = mb[which];
  if (rs.length > mb.max[which]) expect.fail(`memblock.${which}: ${rs.length} regions, over max ${mb.max[which]}`);
  let sum = 0n;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i]!;
    if (r.start >= r.end) expect.fail(`memblock.${which}[${i}]: empty or inverted [${r.start}, ${r.end})`);
    sum += r.end - r.start;
    if (i === 0) continue;
    const p = rs[i - 1]!;
    // sorted, never overlapping
    if (p.end > r.start) expect.fail(`memblock.${which}[${i - 1}] [${p.start}, ${p.end}) and [${i}] [${r.start}, ${r.end}) overlap or are out of order`);
    // touching neighbours differ in node or flags, else memblock_merge_regions would have merged them
    if (p.end === r.start && p.nid === r.nid && p.flags === r.flags) expect.fail(`memblock.${which}[${i - 1}] and [${i}] touch at ${r.start} with nid ${r.nid} flags ${r.flags}: not merged`);
  }
  if (mb.totalSize[which] !== sum) expect.fail(`memblock.${which}: total_size ${mb.totalSize[which]}, the regions sum to ${sum}`);
}

function checkOracle(mb: MemblockState, or: Oracle, which: Which): void {
  const got = blank();
  for (const r of mb[which]) {
    if (r.start >= U(SPACE)) continue;
    if (r.start % UNIT !== 0n || r.end % UNIT !== 0n) expect.fail(`memblock.${which}: [${r.start}, ${r.end}) is not made of whole ${UNIT}-byte units`);
    for (let i = Number(r.start / UNIT); i < Number(r.end / UNIT) && i < SPACE; i++) got[i] = cell(r.nid, r.flags);
  }
  const want = or[which];
  for (let i = 0; i < SPACE; i++) {
    if (got[i] !== want[i]) expect.fail(`memblock.${which} at ${U(i)}: model ${got[i] === NONE_CELL ? 'absent' : `nid ${nidOf(got[i]!)} flags ${flagsOf(got[i]!)}`}, oracle ${want[i] === NONE_CELL ? 'absent' : `nid ${nidOf(want[i]!)} flags ${flagsOf(want[i]!)}`}`);
  }
}

function run(ops: readonly Op[]): void {
  let mb = memblockAllowResize(memblockInit(64));
  mb = memblockAdd(mb, ROOM.start, ROOM.size);
  const or: Oracle = { memory: blank(), reserved: blank() };
  for (const op of ops) {
    const { which, adds } = target(op);
    const other: Which = which === 'memory' ? 'reserved' : 'memory';
    const before = mb;
    const b = U(op.base);
    const e = U(end(op));
    // memblock_add_range: doubles while cnt + nr_new > max; memblock_isolate_range: while cnt + 2 > max
    const expectDouble = adds ? before[which].length + piecesToInsert(before[which], b, e) > before.max[which] : before[which].length + 2 > before.max[which];
    mb = applyModel(mb, op);
    applyOracle(or, op);
    const wantMax = expectDouble ? before.max[which] * 2 : before.max[which];
    if (mb.max[which] !== wantMax) expect.fail(`${op.k} [${b}, ${e}): memblock.${which} max ${mb.max[which]}, expected ${wantMax} (${expectDouble ? '' : 'no '}memblock_double_array)`);
    // the other array changes size only through a doubling's own memblock_reserve / memblock_free
    if (mb.max[other] !== before.max[other]) {
      expect(expectDouble && other === 'reserved').toBe(true);
      expect(mb.max[other]).toBe(before.max[other] * 2);
      expect(before[other].length + 2).toBeGreaterThan(before.max[other]);
    }
    // a doubled array is reserved where it lives, in the room above the calls' space
    for (const w of ['memory', 'reserved'] as const) {
      const a = mb.arrays[w];
      if (mb.max[w] === INIT_MEMBLOCK_REGIONS) {
        if (a !== undefined) expect.fail(`memblock.${w}: a doubled array at ${a.start} while max is ${INIT_MEMBLOCK_REGIONS}`);
      } else {
        if (a === undefined) expect.fail(`memblock.${w}: max ${mb.max[w]} but no doubled array`);
        if (a.start < ROOM.start) expect.fail(`memblock.${w}: doubled array at ${a.start}, below the room at ${ROOM.start}`);
        if (!mb.reserved.some((r) => r.start <= a.start && a.end <= r.end)) expect.fail(`memblock.${w}: doubled array [${a.start}, ${a.end}) not reserved`);
      }
    }
    checkArray(mb, 'memory');
    checkArray(mb, 'reserved');
    checkOracle(mb, or, 'memory');
    checkOracle(mb, or, 'reserved');
  }
}

describe('memblock region arrays at scale (properties of tools/testing/memblock, 6.12)', () => {
  // expect every invariant after every call of random sequences
  test('regions_sorted_merged_total_size_and_coverage_random_calls', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 100, maxLength: 300 }), (ops) => run(ops)), { numRuns: 25 });
  }, 60_000);

  // expect the same past INIT_MEMBLOCK_REGIONS in both arrays, with memblock_double_array where the kernel doubles
  test('regions_past_128_double_exactly_when_the_kernel_does', () => {
    fc.assert(fc.property(manyArb, (ops) => run(ops)), { numRuns: 10 });
  }, 60_000);

  // expect the doubling rule at the edge of a full array, for every kind of call
  test('regions_at_the_edge_double_exactly_when_the_kernel_does', () => {
    fc.assert(fc.property(edgeArb, (ops) => run(ops)), { numRuns: 60 });
  }, 60_000);

  // expect the doublings to have happened at all in the many-regions runs (a property that never doubles proves nothing)
  test('many_disjoint_regions_double_both_arrays', () => {
    const ops: Op[] = [];
    for (let i = 0; i < 140; i++) ops.push({ k: 'add_node', base: 2 * i, size: 1, nid: i % 8, hotplug: i % 3 === 0 });
    for (let i = 0; i < 140; i++) ops.push({ k: 'reserve', base: 2 * i + 1000, size: 1 });
    let mb = memblockAdd(memblockAllowResize(memblockInit(64)), ROOM.start, ROOM.size);
    for (const op of ops) mb = applyModel(mb, op);
    expect(mb.max).toEqual({ memory: 256, reserved: 256 });
    expect(mb.memory.length).toBe(141);
  });

  // expect memblock_trim_memory to change regions and leave total_size as it was, except for removed regions (6.12)
  test('trim_memory_keeps_total_size_but_for_removed_regions', () => {
    fc.assert(fc.property(fc.array(fc.record({ base: fc.integer({ min: 0, max: 4000 }), size: fc.integer({ min: 1, max: 300 }) }), { minLength: 1, maxLength: 60 }), fc.constantFrom(8n, 64n, 4096n), (adds, align) => {
      let mb = memblockInit(64);
      for (const a of adds) mb = memblockAdd(mb, BigInt(a.base) * 16n, BigInt(a.size) * 16n);
      const before = mb;
      mb = memblockTrimMemory(mb, align);
      const removed = before.memory.filter((r) => ((r.start + align - 1n) & ~(align - 1n)) >= (r.end & ~(align - 1n)));
      expect(mb.totalSize.memory).toBe(before.totalSize.memory - removed.reduce((n, r) => n + (r.end - r.start), 0n));
      expect(mb.memory.length).toBe(before.memory.length - removed.length);
      for (const r of mb.memory) expect(r.start % align === 0n && r.end % align === 0n).toBe(true);
    }), { numRuns: 100 });
  });
});
