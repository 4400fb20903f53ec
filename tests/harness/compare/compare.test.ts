import { createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareLines, countLines, lineKeys, patchOf } from '../../../harness/compare/compare.ts';
import { formatDelta } from '../../../harness/compare/fields.ts';
import type { CompareLine, FamilyTraits, LineField } from '../../../harness/compare/types.ts';

const families: Record<string, FamilyTraits> = {
  'e820.entry': { id: 'e820.entry', stage: 'e820', volatile: [] },
  'zones.range': { id: 'zones.range', stage: 'zones', volatile: [] },
  'mem.summary': { id: 'mem.summary', stage: 'mem-init', volatile: [] },
  'tsc.mhz': { id: 'tsc.mhz', stage: 'tsc', volatile: [{ name: 'mhz', tolerance: 0 }] },
  'late.summary': { id: 'late.summary', stage: 'mem-init', volatile: [{ name: 'available', tolerance: 744 }] },
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

  const late = (avail: number): CompareLine => ({ ...mem(avail), family: 'late.summary' });

  test.each([
    ['equal', 464448, 464448, 'exact', 'within-bound', 'mem.summary.available (volatile): sim 464448K, golden 464448K (no difference, within ±744K)'],
    ['inside', 465192, 464448, 'exact', 'within-bound', 'mem.summary.available (volatile): sim 465192K, golden 464448K (+744K, within ±744K)'],
    ['inside below', 463704, 464448, 'exact', 'within-bound', 'mem.summary.available (volatile): sim 463704K, golden 464448K (\u2212744K, within ±744K)'],
    ['just outside', 465196, 464448, 'mismatched', 'out-of-bound', 'mem.summary.available (volatile): sim 465196K, golden 464448K (+748K, outside ±744K)'],
    ['far outside', 468072, 464448, 'mismatched', 'out-of-bound', 'mem.summary.available (volatile): sim 468072K, golden 464448K (+3624K, outside ±744K)'],
  ])('volatile_bound_%s: expect the line %s, the field %s, delta and bound shown', (_what, sim, golden, status, field, text) => {
    const r = compareLines({ golden: [late(golden)], sim: [late(sim)], family });
    const l = r.lines[0]!;
    expect(l.status).toBe(status);
    const d = l.fields!.find((f) => f.name === 'available')!;
    expect(d).toMatchObject({ volatile: true, status: field, tolerance: '±744K', bound: { delta: sim - golden, tolerance: 744 } });
    // The path the report prints is the field's, whichever family id the test gave it.
    expect(formatDelta({ ...d, path: 'mem.summary.available' })).toBe(text);
    // A stable field still fails the line, however close the volatile one is.
    const otherTotal: CompareLine = { ...late(sim), text: `Memory: ${sim}K/1K available`, fields: [late(sim).fields[0]!, { name: 'total', kind: 'kbytes', value: 1 }] };
    expect(compareLines({ golden: [late(golden)], sim: [otherTotal], family }).lines[0]!.status).toBe('mismatched');
  });

  test('volatile_text_bound: expect a non-numeric volatile field compared as text, so that it can fail', () => {
    const g = line('tsc.mhz', 'tsc: Detected 2300.002 MHz processor', [{ name: 'mhz', kind: 'text', value: '2300.002' }]);
    const s = line('tsc.mhz', 'tsc: Detected 2112.123 MHz processor', [{ name: 'mhz', kind: 'text', value: '2112.123' }]);
    expect(compareLines({ golden: [g], sim: [s], family }).lines[0]!).toMatchObject({ status: 'mismatched', fields: [{ status: 'out-of-bound' }] });
    expect(compareLines({ golden: [g], sim: [g], family }).lines[0]!.status).toBe('exact');
  });

  test('patch_unified: expect a unified diff of the two sides', () => {
    const patch = patchOf(compareLines({ golden: [mem(464212)], sim: [mem(464200)], family }).lines, 'g', 's');
    expect(patch).toContain('--- g');
    expect(patch).toContain('-Memory: 464212K/523768K available');
    expect(patch).toContain('+Memory: 464200K/523768K available');
  });

  // patchOf rebuilds both sides from the compared lines: it must give the diff of the two inputs
  // themselves, whatever the alignment did (moved, missing and extra lines, repeated texts).
  test('patch_of_inputs: expect patchOf of the compared lines to be the unified diff of the two input sequences', () => {
    const arbLine = fc.tuple(fc.constantFrom('e820.entry', 'zones.range', 'tsc.mhz'), fc.constantFrom('a', 'b', 'c', 'd')).map(([f, t]) => line(f, `${f} ${t}`));
    const body = (ls: readonly CompareLine[]): string => ls.map((l) => `${l.text}\n`).join('');
    fc.assert(fc.property(fc.array(arbLine, { maxLength: 12 }), fc.array(arbLine, { maxLength: 12 }), (g, s) => {
      expect(patchOf(compareLines({ golden: g, sim: s, family }).lines, 'g', 's')).toBe(createTwoFilesPatch('g', 's', body(g), body(s), undefined, undefined, { context: 3 }));
    }), { seed: 9, numRuns: 100 });
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

describe('known divergences', () => {
  const golden = [line('e820.entry', 'a'), zone('DMA32', 0x1ffdffffn), mem(464212)];
  const sim = [line('e820.entry', 'a'), zone('DMA32', 0x1ffdefffn)];
  const register = (l: { family: string }): string | undefined => (l.family === 'e820.entry' || l.family === 'zones.range' ? 'zones: under review' : undefined);

  test('known_counted_after_marking: expect counts.known to be the lines the register marked', () => {
    // The old order took the counts before the register was applied, so known was always 0.
    const r = compareLines({ golden, sim, family, known: register });
    expect(r.lines.map((l) => [l.key, l.status, l.known])).toEqual([
      ['e820.entry#0', 'exact', undefined],
      ['zones.range[DMA32]', 'mismatched', 'zones: under review'],
      ['mem.summary#0', 'missing', undefined],
    ]);
    expect(r.counts).toEqual({ catalog: 3, exact: 1, mismatched: 1, missing: 1, extra: 0, known: 1 });
  });

  test('known_never_exact: expect an exact line left unmarked even when the register covers its family', () => {
    const r = compareLines({ golden: [line('e820.entry', 'a')], sim: [line('e820.entry', 'a')], family, known: () => 'everything' });
    expect(r.lines[0]!.known).toBeUndefined();
    expect(r.counts.known).toBe(0);
  });

  test('known_default_none: expect no line known without a register', () => {
    expect(compareLines({ golden, sim, family }).counts.known).toBe(0);
  });

  test('count_lines_known: expect known counted from the lines, apart from their status counts', () => {
    const r = compareLines({ golden, sim, family, known: register });
    expect(countLines(3, r.lines)).toEqual(r.counts);
    expect(countLines(3, r.lines.map((l) => ({ ...l, known: undefined }))).known).toBe(0);
  });
});
