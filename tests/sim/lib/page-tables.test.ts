// Tests for sim/lib/page-tables.ts: the table pages a span needs, counted over index ranges.
import { describe, expect, test } from 'vitest';
import { PMD_TABLE, PTE_TABLE, PUD_TABLE, populateTables, type TableSet } from '../../../sim/lib/page-tables.ts';
import { SZ_1G, SZ_2M } from '../../../sim/lib/sizes.ts';

const r = (start: bigint, end: bigint) => ({ start, end });

describe('populateTables', () => {
  // expect a 2M-mapped [0, 1009G): one PUD page per 512G and one PMD page per 1G, in walk order:
  //  PUD 0, PMD ×512 (0–512G), PUD 1, PMD ×497 (512G–1009G); then mapping [1000G, 1010G) adds one PMD
  test('populate_tables_1009g_by_ranges', () => {
    const t: TableSet = new Map();
    expect(populateTables(t, 0n, 1009n * SZ_1G, [PUD_TABLE, PMD_TABLE])).toEqual([
      { level: 'PUD', count: 1n }, { level: 'PMD', count: 512n }, { level: 'PUD', count: 1n }, { level: 'PMD', count: 497n },
    ]);
    expect(populateTables(t, 1000n * SZ_1G, 1010n * SZ_1G, [PUD_TABLE, PMD_TABLE])).toEqual([{ level: 'PMD', count: 1n }]);
  });

  // expect a 4K-mapped piece straddling a 1G boundary to take a PMD and a PTE page on each side:
  //  … 1G−2M ┃ 1G … 1G+2M   →  PTE (1G−2M), PMD (1G), PTE (1G)
  test('populate_tables_4k_piece_across_1g', () => {
    const t: TableSet = new Map([['PUD', [r(0n, 1n)]], ['PMD', [r(0n, 1n)]]]);
    expect(populateTables(t, SZ_1G - SZ_2M, SZ_1G + SZ_2M, [PUD_TABLE, PMD_TABLE, PTE_TABLE])).toEqual([
      { level: 'PTE', count: 1n }, { level: 'PMD', count: 1n }, { level: 'PTE', count: 1n },
    ]);
  });
});
