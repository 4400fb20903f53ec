import { describe, expect, test } from 'vitest';
import { simLines } from '../../../harness/compare/catalog-port.ts';
import type { DmesgLine } from '../../../sim/types.ts';

const line = (text: string, fmt?: string): DmesgLine => ({ stage: 'zones', text, ...(fmt !== undefined ? { fmt } : {}) }) as DmesgLine;

describe('simLines memo of the catalog parse', () => {
  test('simLines_repeat_equal', () => {
    // expect: a second boot's same lines parse to the same families, fields and keys (the memo by kernel and text), and a line
    // that is no catalog line keeps its declared family either way
    const lines = [line('Zone ranges:'), line('  DMA      [mem 0x0000000000001000-0x0000000000ffffff]', 'zones.range'), line('not a catalog line', 'zones.range')];
    const first = simLines(lines, '6.12-amd64');
    const second = simLines(lines, '6.12-amd64');
    expect(second).toEqual(first);
    expect(first[1]).toMatchObject({ family: 'zones.range', key: 'DMA' });
    expect(first[2]).toMatchObject({ family: 'zones.range', fields: [] });
  });

  test('simLines_per_kernel', () => {
    // expect: the memo is per kernel: the old hash line without its ", linear" is 2.6.11's hash.dentry_legacy and no catalog
    // line of 5.10, whichever kernel's boot parses it first
    const legacy = [line('Dentry cache hash table entries: 65536 (order: 7, 524288 bytes)', 'hash.dentry')];
    expect(simLines(legacy, '5.10-amd64')[0]!.fields).toEqual([]);
    expect(simLines(legacy, '2.6.11-i386')[0]).toMatchObject({ family: 'hash.dentry_legacy', declared: 'hash.dentry' });
    expect(simLines(legacy, '5.10-amd64')[0]!.fields).toEqual([]);
  });
});
