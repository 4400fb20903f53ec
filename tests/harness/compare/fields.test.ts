// Tests for harness/compare/fields.ts: the typed per-field deltas of one golden/sim line pair. A stable
// field is equal or differs (with its signed delta); a volatile field (a catalog bound from re-capture
// evidence, harness/catalog/volatile.ts) is within or outside its bound; a field on one side only is
// reported as such, and a pair counts as exact only when it compares something and nothing fails.
import { describe, expect, test } from 'vitest';
import { compareFields, fieldsExact, formatDelta, interestingDeltas, volatileDeltas } from '../../../harness/compare/fields.ts';
import type { FamilyTraits, LineField } from '../../../harness/compare/types.ts';

const MEM: FamilyTraits = { id: 'mem.summary', stage: 'mem-init', volatile: [{ name: 'available', tolerance: 744 }] };
const kb = (name: string, value: number): LineField => ({ name, kind: 'kbytes', value });
const addr = (name: string, value: bigint): LineField => ({ name, kind: 'addr', value });

describe('compareFields', () => {
  // expect equal, differing (sim − golden, signed) and the K unit of the field kind
  test('fields_equal_and_differs: expect reserved equal, physpages −12K', () => {
    const d = compareFields('mem.summary', MEM, [kb('reserved', 63644), kb('physpages', 523768)], [kb('reserved', 63644), kb('physpages', 523756)]);
    expect(d.map((x) => [x.path, x.status, x.delta])).toEqual([['mem.summary.reserved', 'equal', undefined], ['mem.summary.physpages', 'differs', '−12K']]);
    expect(fieldsExact(d)).toBe(false);
  });

  // expect a volatile field within its bound to count as exact (with its delta shown) and one past it to fail
  test('fields_volatile_bound: expect +744K within ±744K, +745K outside', () => {
    const within = compareFields('m', MEM, [kb('available', 207548)], [kb('available', 207548 + 744)]);
    expect([within[0]!.status, within[0]!.delta, within[0]!.tolerance, within[0]!.bound]).toEqual(['within-bound', '+744K', '±744K', { delta: 744, tolerance: 744 }]);
    expect(fieldsExact(within)).toBe(true);
    const outside = compareFields('m', MEM, [kb('available', 207548)], [kb('available', 207548 + 745)]);
    expect(outside[0]!.status).toBe('out-of-bound');
    expect(fieldsExact(outside)).toBe(false);
  });

  // expect addresses compared as bigints and their delta in hex; a field on one side only is named
  test('fields_addr_and_one_sided: expect −0x1000, only-golden and only-sim', () => {
    const fam: FamilyTraits = { id: 'e820.entry', stage: 'e820', volatile: [] };
    const d = compareFields('e820.entry#1', fam, [addr('start', 0x100000n), addr('end', 0x1ffdffffn)], [addr('start', 0xff000n), addr('size', 0x1000n)]);
    expect(d.map((x) => [x.name, x.status, x.delta ?? null])).toEqual([['start', 'differs', '−0x1000'], ['end', 'only-golden', null], ['size', 'only-sim', null]]);
    expect(formatDelta(d[0]!)).toBe('e820.entry#1.start: sim 0xff000, golden 0x100000 (−0x1000)');
    expect(formatDelta(d[1]!)).toBe('e820.entry#1.end: golden 0x1ffdffff, sim has no such field');
  });

  // expect a pair with no fields not to count as exact (a comparison of nothing proves nothing)
  test('fields_none_not_exact: expect fieldsExact([]) false', () => {
    expect(fieldsExact(compareFields('x', MEM, [], []))).toBe(false);
  });
});

describe('interestingDeltas and volatileDeltas', () => {
  // expect the failing deltas apart from the volatile ones within their bound, and only volatile fields listed with their line key
  test('deltas_split_for_reports: expect differs + out-of-bound failing, within-bound apart', () => {
    const d = compareFields('m', { ...MEM, volatile: [{ name: 'available', tolerance: 10 }, { name: 'cma', tolerance: 0 }] }, [kb('available', 100), kb('cma', 0), kb('reserved', 5)], [kb('available', 105), kb('cma', 4), kb('reserved', 6)]);
    const i = interestingDeltas(d);
    expect(i.differing.map((x) => x.name)).toEqual(['cma', 'reserved']);
    expect(i.volatile.map((x) => x.name)).toEqual(['available']);
    expect(volatileDeltas([{ key: 'mem.summary', fields: d }]).map((v) => [v.key, v.field.name, v.field.status])).toEqual([['mem.summary', 'available', 'within-bound'], ['mem.summary', 'cma', 'out-of-bound']]);
  });
});
