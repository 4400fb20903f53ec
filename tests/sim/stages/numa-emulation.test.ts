import { describe, expect, test } from 'vitest';
import { fakeRequest, numaAllocDistance, splitNodesInterleave } from '../../../sim/stages/numa-emulation.ts';
import { memblockAdd, memblockInit } from '../../../sim/stages/memblock.ts';

const M = 1n << 20n;
//  0 ─ 4K ─────── 636K ┊ hole ┊ 1M ───────────────────────────── 256M
//  page 0 absent, [0x9f000, 1M) absent: mem_hole_size(0, 256M) = 98 pages
const mb256 = () => memblockAdd(memblockAdd(memblockInit(), 0x1000n, 0x9e000n), 0x100000n, 256n * M - 0x100000n);

describe('numa=fake= forms (numa_emulation)', () => {
  test.each([
    ['count', '4', { kind: 'nodes', n: 4 }],
    ['hex_count', '0x3', { kind: 'nodes', n: 3 }],
    ['uniform', '2U', { kind: 'refused' }],
    ['size_M', '512M', { kind: 'refused' }],
    ['size_G', '1G', { kind: 'refused' }],
    ['distances', '2:10,20,20,10', { kind: 'refused' }],
  ] as const)('%s', (_n, arg, want) => {
    // expect: only the plain node count is modelled; the other forms name their reason
    expect(fakeRequest(arg)).toMatchObject(want);
  });
});

describe('split_nodes_interleave (dummy node, one physical block)', () => {
  test('two_nodes_256m_big_node_first', () => {
    // expect: (256M − 98 pages) / 2 = 32719 pages; rounded down to 32M → 96M, with big = 1 (the
    // remainders add up to one more 32M): node 0 [0, 128M); node 1 takes the rest, [128M, 256M),
    // since less than 96M would be left after 224M
    const e = splitNodesInterleave([{ nid: 0, start: 0n, end: 256n * M }], mb256(), 256n * M, 2, 1024);
    expect(e?.lines.map((l) => l.text)).toEqual([
      'Faking node 0 at [mem 0x0000000000000000-0x0000000007ffffff] (128MB)',
      'Faking node 1 at [mem 0x0000000008000000-0x000000000fffffff] (128MB)',
    ]);
    expect(e?.emuToPhys).toEqual([0, 0]);
  });
  test('too_many_nodes_disables_emulation', () => {
    // expect: 256M / 16 nodes is below FAKE_NODE_MIN_SIZE (32M): "Not enough memory for each node"
    expect(splitNodesInterleave([{ nid: 0, start: 0n, end: 256n * M }], mb256(), 256n * M, 16, 1024)).toBeUndefined();
  });
  test('zero_nodes_no_emulation', () => {
    // expect: nr_nodes <= 0 returns -1: no emulation
    expect(splitNodesInterleave([{ nid: 0, start: 0n, end: 256n * M }], mb256(), 256n * M, 0, 1024)).toBeUndefined();
  });
});

describe('split_nodes_interleave over physical nodes (a numa: profile)', () => {
  //  0 ─ 4K ── 636K ┊ hole ┊ 1M ───── 256M │ 256M ───── 512M: phys 0 and phys 1, 98 pages absent
  const mb512 = () => memblockAdd(memblockAdd(memblockInit(), 0x1000n, 0x9e000n), 0x100000n, 512n * M - 0x100000n);
  const two = [{ nid: 0, start: 0n, end: 256n * M }, { nid: 1, start: 256n * M, end: 512n * M }];
  test('one_emulated_node_per_physical_node', () => {
    // expect: (512M − 98 pages) / 2 = 65487 pages, 224M after the 32M rounding with big = 1: node 0
    // (big) takes 256M = all of phys 0, node 1 starts phys 1 with 224M and takes the rest, since the
    // 32M left would be less than the per-node size
    const e = splitNodesInterleave(two, mb512(), 512n * M, 2, 1024);
    expect(e?.lines.map((l) => l.text)).toEqual([
      'Faking node 0 at [mem 0x0000000000000000-0x000000000fffffff] (256MB)',
      'Faking node 1 at [mem 0x0000000010000000-0x000000001fffffff] (256MB)',
    ]);
    expect(e?.emuToPhys).toEqual([0, 1]);
  });
  test('fewer_emulated_than_physical_nodes_wrap_around', () => {
    // expect: one node of 480M: the first pass gives phys 0 whole to node 0 (256M, end = limit),
    // then phys 1's block is node 1 % 1 = 0 too (the DMA32 rule extends it to 4G, min(end, limit)
    // keeps 256M); emu_nid_to_phys[0] stays phys 0, so phys 1 is named by no emulated node
    const e = splitNodesInterleave(two, mb512(), 512n * M, 1, 1024);
    expect(e?.lines.map((l) => l.text)).toEqual([
      'Faking node 0 at [mem 0x0000000000000000-0x000000000fffffff] (256MB)',
      'Faking node 0 at [mem 0x0000000010000000-0x000000001fffffff] (256MB)',
    ]);
    expect(e?.emuToPhys).toEqual([0]);
  });
  test('a_node_without_blocks_is_skipped', () => {
    // expect: the physical node mask holds only nodes with blocks; a node whose blocks are used up
    // leaves the mask (emu_find_memblk_by_nid() < 0): the same split with phys 1 given no memory
    const e = splitNodesInterleave([{ nid: 0, start: 0n, end: 512n * M }], mb512(), 512n * M, 2, 1024);
    expect(e?.emuToPhys).toEqual([0, 0]);
  });
});

describe('numa_alloc_distance', () => {
  test('one_page_top_down', () => {
    // expect: cnt × cnt bytes, PAGE_SIZE aligned, at the top of memory (under current_limit)
    const mb = numaAllocDistance({ ...mb256(), currentLimit: 256n * M }, 3, true);
    const e = mb.ledger[mb.ledger.length - 1]!;
    expect(e.ranges).toEqual([{ start: 256n * M - 4096n, end: 256n * M - 4096n + 9n }]);
  });
});
