// The comparison's one door to the normaliser and the catalog: a golden classified once into
// compare lines and window counts, the simulator's lines parsed by the same catalog, family traits.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { classifyGolden, familyIds, familyTraits, goldenLines, readGoldenLog, simLines, simProblems } from '../../../harness/compare/catalog-port.ts';

const fixture = (name: string): string => new URL(`../../fixtures/logs/${name}`, import.meta.url).pathname;

describe('classifyGolden', () => {
  test('classify_golden_normal: expect window counts that add up, coverage = catalog / deterministic, and compare lines with raw line numbers', () => {
    const g = classifyGolden(readGoldenLog(fixture('normal-6.1-x86_64-pc-512m.log')), '6.1-amd64');
    expect(g.window).toMatchObject({ lines: 80, catalog: 48, masked: 0, firmware: 28, unmodelled: 4, deterministic: 80, catalogOutside: 1 });
    expect(g.window.coverage).toBeCloseTo(48 / 80);
    expect(g.lines).toHaveLength(g.window.catalog + g.window.catalogOutside!);
    expect(g.lines[0]).toMatchObject({ family: 'cmdline.x86', line: 11 });
    expect(goldenLines(readGoldenLog(fixture('normal-6.1-x86_64-pc-512m.log')), '6.1-amd64')).toEqual(g.lines);
  });

  test('read_golden_unreadable: expect GOLDEN_UNREADABLE naming the file', () => {
    expect(() => readGoldenLog('/no/such/serial.log')).toThrow(expect.objectContaining({ code: 'GOLDEN_UNREADABLE', message: expect.stringContaining('/no/such/serial.log') }));
  });
});

describe('simLines', () => {
  test('sim_lines_parsed_like_golden: expect the same family and fields as the golden line of the same text', () => {
    const golden = classifyGolden(readGoldenLog(fixture('normal-6.1-x86_64-pc-512m.log')), '6.1-amd64').lines;
    const zone = golden.find((l) => l.family === 'zones.range')!;
    const [s] = simLines([{ stage: 'zones', fmt: 'zones.range', text: zone.text }], '6.1-amd64');
    expect(s).toMatchObject({ family: zone.family, fields: zone.fields, stage: 'zones', index: 0 });
    expect(s).not.toHaveProperty('declared');
  });

  test('sim_lines_unparsed_keep_fmt: expect a line that parses as nothing to keep its declared family, with no fields', () => {
    const [s] = simLines([{ stage: 'zones', fmt: 'zones.range', text: 'Zone garbage' }], '6.1-amd64');
    expect(s).toMatchObject({ family: 'zones.range', fields: [] });
  });

  test('sim_lines_misdeclared: expect the parsed family, and the declared one kept apart', () => {
    const [s] = simLines([{ stage: 'zones', fmt: 'e820.entry', text: 'Zone ranges:' }], '6.1-amd64');
    expect(s!.family).not.toBe('e820.entry');
    expect(s!.declared).toBe('e820.entry');
  });

  test('sim_problems_control_chars: expect a control character in a simulated line reported', () => {
    expect(simProblems([{ stage: 'x', fmt: 'e820.entry', text: 'bad\u0007bell' }]).length).toBeGreaterThan(0);
  });
});

describe('familyTraits', () => {
  test('family_traits_volatile_by_version: expect mem.summary volatile on 6.12 and not on 6.1, unknown ids undefined', () => {
    expect(familyTraits('6.12-amd64')('mem.summary')!.volatile.map((v) => v.name)).toContain('available');
    expect(familyTraits('6.1-amd64')('mem.summary')!.volatile).toEqual([]);
    expect(familyTraits('6.1-amd64')('no.such.family')).toBeUndefined();
    expect(familyIds.has('zones.range')).toBe(true);
  });
});
