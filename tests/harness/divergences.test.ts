import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { DivergenceError, findDivergence, markKnown, parseDivergences, readDivergences, divergencesFile } from '../../harness/divergences.ts';
import { familyIds } from '../../harness/compare/catalog-port.ts';
import type { ComparedLine } from '../../harness/compare/types.ts';

const F = 'goldens/divergences.yaml';
const mismatched = (family: string, key: string): ComparedLine => ({ family, key, stage: 's', status: 'mismatched' });

describe('divergence register', () => {
  test('register_in_tree: expect the committed register to be valid', () => {
    expect(() => readDivergences(familyIds, divergencesFile)).not.toThrow();
    expect(readFileSync(divergencesFile, 'utf8')).toMatch(/^# Known divergences/);
  });

  test('parse_entries: expect globs on profile and kernel, and an optional key', () => {
    const r = parseDivergences('- profile: x86_64-6.12-*\n  family: mem.summary\n  reason: timing\n- kernel: "5.10-*"\n  family: zones.range\n  key: zones.range[DMA32]\n  reason: r\n', F, familyIds);
    expect(r).toHaveLength(2);
    expect(findDivergence(r, 'x86_64-6.12-pc-512m', '6.12-amd64', mismatched('mem.summary', 'mem.summary#0'))?.reason).toBe('timing');
    expect(findDivergence(r, 'x86_64-6.1-pc-512m', '6.1-amd64', mismatched('mem.summary', 'mem.summary#0'))).toBeUndefined();
    expect(findDivergence(r, 'i386-5.10-pae-pc-1g', '5.10-686-pae', mismatched('zones.range', 'zones.range[DMA32]'))).toBeDefined();
    expect(findDivergence(r, 'i386-5.10-pae-pc-1g', '5.10-686-pae', mismatched('zones.range', 'zones.range[DMA]'))).toBeUndefined();
  });

  test('mark_known: expect exact lines left alone', () => {
    const r = parseDivergences('- profile: "*"\n  family: zones.range\n  reason: r\n', F, familyIds);
    const out = markKnown(r, 'p', 'k', [mismatched('zones.range', 'a'), { ...mismatched('zones.range', 'b'), status: 'exact' }]);
    expect(out.map((l) => l.known)).toEqual(['r', undefined]);
  });

  test('empty_register: expect [] and an empty document both to be empty', () => {
    expect(parseDivergences('[]\n', F, familyIds)).toEqual([]);
    expect(parseDivergences('# only a comment\n', F, familyIds)).toEqual([]);
  });

  test('unknown_family: expect a coded error at the family value, with suggestions', () => {
    const src = '- profile: x86_64-*\n  family: zones.rnage\n  reason: typo\n';
    expect(() => parseDivergences(src, F, familyIds)).toThrow(DivergenceError);
    expect(() => parseDivergences(src, F, familyIds)).toThrow('goldens/divergences.yaml:2:11: family: expected a catalog family (e.g. zones.header, zones.range');
  });

  test.each([
    ['no pattern', '- family: zones.range\n  reason: r\n', 'DIVERGENCE_ENTRY_INVALID', ':1:3: expected a profile or a kernel pattern, got neither'],
    ['no reason', '- kernel: 6.1-amd64\n  family: zones.range\n', 'DIVERGENCE_ENTRY_INVALID', 'reason: expected a non-empty string, got nothing'],
    ['empty reason', '- kernel: 6.1-amd64\n  family: zones.range\n  reason: ""\n', 'DIVERGENCE_ENTRY_INVALID', ':3:11: reason: expected a non-empty string, got ""'],
    ['unknown field', '- kernel: 6.1-amd64\n  family: zones.range\n  reason: r\n  reasn: r\n', 'DIVERGENCE_ENTRY_INVALID', ':4:3: reasn: expected one of'],
    ['not a list', 'family: zones.range\n', 'DIVERGENCE_FILE_INVALID', 'expected a list of entries'],
    ['bad yaml', '- [\n', 'DIVERGENCE_FILE_INVALID', 'expected valid YAML'],
  ])('invalid_%s: expect %s', (_n, src, code, msg) => {
    let err: unknown;
    try { parseDivergences(src, F, familyIds); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).code).toBe(code);
    expect((err as Error).message).toContain(msg);
  });
});
