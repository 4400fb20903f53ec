import { describe, expect, test } from 'vitest';
import { alignLines, type Alignable } from '../../../harness/compare/align.ts';

const L = (family: string, match: string): Alignable => ({ family, match });
const statuses = (g: Alignable[], s: Alignable[]): string[] =>
  alignLines(g, s).map((st) => `${st.status}${st.moved ? '(moved)' : ''}:${(st.golden ?? st.sim)!.family}`);

describe('alignLines', () => {
  test('align_identical: expect every step same', () => {
    const g = [L('e820.entry', 'a'), L('zones.range', 'b')];
    expect(statuses(g, [...g])).toEqual(['same:e820.entry', 'same:zones.range']);
  });

  test('align_mismatch: expect the same family at the same place to pair as changed', () => {
    const g = [L('e820.entry', 'a'), L('zones.range', 'DMA32 0x1ffdffff'), L('mem.summary', 'm')];
    const s = [L('e820.entry', 'a'), L('zones.range', 'DMA32 0x1ffdefff'), L('mem.summary', 'm')];
    expect(statuses(g, s)).toEqual(['same:e820.entry', 'changed:zones.range', 'same:mem.summary']);
  });

  test('align_missing: expect a golden line absent from the sim to be missing', () => {
    const g = [L('a', '1'), L('b', '2'), L('c', '3')];
    const s = [L('a', '1'), L('c', '3')];
    expect(statuses(g, s)).toEqual(['same:a', 'missing:b', 'same:c']);
  });

  test('align_extra: expect a sim line absent from the golden to be extra', () => {
    const g = [L('a', '1'), L('c', '3')];
    const s = [L('a', '1'), L('b', '2'), L('c', '3')];
    expect(statuses(g, s)).toEqual(['same:a', 'extra:b', 'same:c']);
  });

  //   golden:  slub  memory        (6.12: Memory: after SLUB)
  //   sim:     memory  slub
  test('align_reordered: expect the moved line as missing + extra, both marked moved', () => {
    const g = [L('slub.info', 's'), L('mem.summary', 'm')];
    const s = [L('mem.summary', 'm'), L('slub.info', 's')];
    const st = statuses(g, s);
    const same = st.filter((x) => x.startsWith('same'));
    expect(same).toHaveLength(1);
    const other = same[0] === 'same:slub.info' ? 'mem.summary' : 'slub.info';
    expect(st).toContain(`missing(moved):${other}`);
    expect(st).toContain(`extra(moved):${other}`);
  });

  test('align_hunk_pairs_by_family: expect pairing inside a hunk to follow family order', () => {
    const g = [L('a', '1'), L('x', 'g1'), L('y', 'g2'), L('b', '9')];
    const s = [L('a', '1'), L('y', 's2'), L('b', '9')];
    expect(statuses(g, s)).toEqual(['same:a', 'missing:x', 'changed:y', 'same:b']);
  });

  test('align_empty_sim: expect every golden line missing', () => {
    expect(statuses([L('a', '1'), L('b', '2')], [])).toEqual(['missing:a', 'missing:b']);
  });

  test('align_repeated_family: expect occurrences to pair in order', () => {
    const g = [L('e', '1'), L('e', '2'), L('e', '3')];
    const s = [L('e', '1'), L('e', 'X'), L('e', '3')];
    expect(statuses(g, s)).toEqual(['same:e', 'changed:e', 'same:e']);
  });
});
