import { describe, expect, test } from 'vitest';
import { coverageOf } from '../../../harness/compare/result.ts';
import { compareLines, lineKeys } from '../../../harness/compare/compare.ts';
import { formatDelta } from '../../../harness/compare/fields.ts';
import type { CompareLine, FamilyTraits, LineField } from '../../../harness/compare/types.ts';

const families: Record<string, FamilyTraits> = {
  'e820.entry': { id: 'e820.entry', stage: 'e820', volatile: [] },
  'zones.range': { id: 'zones.range', stage: 'zones', volatile: [] },
  'mem.summary': { id: 'mem.summary', stage: 'mem-init', volatile: [] },
  'tsc.mhz': { id: 'tsc.mhz', stage: 'tsc', volatile: ['mhz'] },
};
const family = (id: string): FamilyTraits | undefined => families[id];
const line = (family: string, text: string, fields: LineField[] = []): CompareLine => ({ family, text, fields });
const zone = (name: string, end: bigint): CompareLine =>
  line('zones.range', `  ${name.padEnd(8)} [mem 0x0000000001000000-0x${end.toString(16).padStart(16, '0')}]`, [
    { name: 'zone', kind: 'text', value: name, key: true },
    { name: 'start', kind: 'addr', value: 0x1000000n },
    { name: 'end', kind: 'addr', value: end },
  ]);
const mem = (avail: number): CompareLine =>
  line('mem.summary', `Memory: ${avail}K/523768K available`, [
    { name: 'available', kind: 'kbytes', value: avail },
    { name: 'total', kind: 'kbytes', value: 523768 },
  ]);

describe('compareLines', () => {
  test('classify_all_four: expect exact, mismatched, missing and extra counted', () => {
    const golden = [line('e820.entry', 'a'), zone('DMA32', 0x1ffdffffn), line('e820.entry', 'b'), mem(464212)];
    const sim = [line('e820.entry', 'a'), zone('DMA32', 0x1ffdefffn), mem(464212), line('e820.entry', 'c')];
    const r = compareLines({ golden, sim, family });
    expect(r.counts).toMatchObject({ catalog: 4, exact: 2, mismatched: 1, missing: 1, extra: 1 });
    expect(r.exactness).toBeCloseTo(2 / 4);
  });

  test('mismatch_field_delta: expect a typed, signed delta per field', () => {
    const r = compareLines({ golden: [mem(464212)], sim: [mem(464200)], family });
    const l = r.lines[0]!;
    expect(l.status).toBe('mismatched');
    const d = l.fields!.find((f) => f.name === 'available')!;
    expect(formatDelta(d)).toBe('mem.summary.available: sim 464200K, golden 464212K (\u221212K)');
  });

  test('mismatch_keyed_path: expect the key field in the path', () => {
    const r = compareLines({ golden: [zone('DMA32', 0x1ffdffffn)], sim: [zone('DMA32', 0x1ffdefffn)], family });
    const d = r.lines[0]!.fields!.find((f) => f.name === 'end')!;
    expect(formatDelta(d)).toBe('zones.range[DMA32].end: sim 0x1ffdefff, golden 0x1ffdffff (\u22120x1000)');
  });

  test('volatile_same_shape: expect exact, with the volatile delta kept apart', () => {
    const g = line('tsc.mhz', 'tsc: Detected 2300.002 MHz processor', [{ name: 'mhz', kind: 'text', value: '2300.002' }]);
    const s = line('tsc.mhz', 'tsc: Detected 2112.123 MHz processor', [{ name: 'mhz', kind: 'text', value: '2112.123' }]);
    const r = compareLines({ golden: [g], sim: [s], family });
    expect(r.lines[0]!.status).toBe('exact');
    expect(r.lines[0]!.fields![0]).toMatchObject({ volatile: true, status: 'shape-ok' });
  });

  test('volatile_wrong_shape: expect mismatched', () => {
    const g = line('tsc.mhz', 'tsc: Detected 2300.002 MHz processor', [{ name: 'mhz', kind: 'text', value: '2300.002' }]);
    const s = line('tsc.mhz', 'tsc: Detected 2300 MHz processor', [{ name: 'mhz', kind: 'text', value: '2300' }]);
    expect(compareLines({ golden: [g], sim: [s], family }).lines[0]!.status).toBe('mismatched');
  });

  test('patch_unified: expect a unified diff of the two sides', () => {
    const r = compareLines({ golden: [mem(464212)], sim: [mem(464200)], family, goldenName: 'g', simName: 's' });
    expect(r.patch).toContain('--- g');
    expect(r.patch).toContain('-Memory: 464212K/523768K available');
    expect(r.patch).toContain('+Memory: 464200K/523768K available');
  });

  test('empty_sim: expect every catalog line missing and zero figures', () => {
    const r = compareLines({ golden: [mem(1), zone('DMA', 0xffffffn)], sim: [], family });
    expect(r.counts).toMatchObject({ catalog: 2, exact: 0, missing: 2 });
  });
});

describe('lineKeys', () => {
  test('keys_named: expect family[key] when the key names one line, family[key]#n when shared, family#n without a key', () => {
    const ks = lineKeys([zone('DMA', 1n), zone('DMA32', 2n), line('e820.entry', 'a'), line('e820.entry', 'b'), zone('DMA', 3n)], family);
    expect(ks).toEqual(['zones.range[DMA]#0', 'zones.range[DMA32]', 'e820.entry#0', 'e820.entry#1', 'zones.range[DMA]#1']);
  });
});

describe('coverageOf', () => {
  test('coverage_of_window: expect catalog lines over the deterministic window lines', () => {
    expect(coverageOf({ lines: 82, catalog: 48, masked: 2, deterministic: 80 })).toBeCloseTo(48 / 80);
    expect(coverageOf({ lines: 82, catalog: 48, masked: 2 })).toBeCloseTo(48 / 80);
    expect(coverageOf({ lines: 0, catalog: 0, masked: 0 })).toBe(0);
  });
});
