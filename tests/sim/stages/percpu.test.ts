import { describe, expect, test } from 'vitest';
import { buildAllocInfo, dumpAllocInfo, groupCpus, firstChunkMemblock } from '../../../sim/stages/percpu.ts';

const KB = 1024;
const M2 = 2 * 1024 * 1024;

describe('pcpu_build_alloc_info', () => {
  test('build_x86_64_two_cpus_one_node', () => {
    // expect: s217088 r8192 d28672 → 62 pages; 2M atom holds 8 units, but wastage > 2/3 rejects all but upa 2 → u1048576
    const { ai, sizeSum, upa } = buildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0]);
    expect(sizeSum).toBe(62 * 4096);
    expect(upa).toBe(2);
    expect(ai.unitSize).toBe(1048576);
    expect(ai.dynSize).toBe(28672);
  });

  test('build_i386_page_atom_grows_dynamic', () => {
    // expect: PFN_ALIGN(104276 + 28K) = 33 pages; dyn grows to 30892 to fill them; 4K atom → one unit per alloc
    const { ai, sizeSum, upa } = buildAllocInfo(104276, 0, 28 * KB, 4096, 12 * KB, [0, 0]);
    expect(sizeSum).toBe(135168);
    expect(ai.dynSize).toBe(30892);
    expect(upa).toBe(1);
    expect(ai.allocSize / ai.atomSize).toBe(33);
  });

  test('build_four_nodes_one_cpu_each', () => {
    // expect: 4 groups of 1; upa 1 keeps wastage 0 → unit = the whole 2M atom
    const { ai } = buildAllocInfo(233472, 8 * KB, 28 * KB, M2, 20 * KB, [0, 1, 2, 3]);
    expect(ai.unitSize).toBe(M2);
    expect(ai.groups).toEqual([[0], [1], [2], [3]]);
  });
});

describe('grouping', () => {
  const interleaved = (a: number, b: number) => a % 2 === b % 2; // cpus 0,2 on node 0; 1,3 on node 1
  test.each([
    // expect: both versions give the same groups for these maps
    ['pop-first', [0, 1, 0, 1]],
    ['first-fit', [0, 1, 0, 1]],
  ] as const)('group_interleaved_nodes_%s', (mode, want) => {
    expect(groupCpus(4, interleaved, mode)).toEqual(want);
  });
});

describe('pcpu_dump_alloc_info', () => {
  test('dump_groups_on_one_line', () => {
    // expect: "[0] 0 1 [1] 2 3 " — trailing space kept
    const { ai } = buildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0, 1, 1]);
    expect(dumpAllocInfo(ai, 4)).toEqual(['pcpu-alloc: [0] 0 1 [1] 2 3 ']);
  });

  test('dump_wraps_at_60_columns', () => {
    // expect: upa 1, width 1*(2+1)+1+3 = 7 → 60/7 = 8 allocs per line; 12 CPUs → 8 + 4
    const { ai } = buildAllocInfo(104276, 0, 28 * KB, 4096, 12 * KB, new Array(12).fill(0));
    const out = dumpAllocInfo(ai, 12);
    expect(out).toEqual(['pcpu-alloc: [0] 00 [0] 01 [0] 02 [0] 03 [0] 04 [0] 05 [0] 06 [0] 07 ', 'pcpu-alloc: [0] 08 [0] 09 [0] 10 [0] 11 ']);
  });

  test('dump_empty_unit_dashes', () => {
    // expect: 3 CPUs, upa 4 accepted (wasted 1 ≤ 3/3): the 4th unit prints "-"
    const { ai } = buildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0, 0]);
    expect(dumpAllocInfo(ai, 3)).toEqual(['pcpu-alloc: [0] 0 1 2 - ']);
  });
});

describe('first chunk memblock', () => {
  test('memblock_group_alloc_then_tails_freed', () => {
    // expect: one 2M alloc on node 0 from 16M; each unit's tail past size_sum given back
    //   group 0: |cpu0 248K|free 776K|cpu1 248K|free 776K|
    const { ai, sizeSum } = buildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0]);
    const ops = firstChunkMemblock(ai, sizeSum, { possibleCpus: 2, nrNodeIds: 1, cpuToNode: [0, 0], memoryNodes: [0], numa: true, explain: [] }, true, true);
    const group = ops.find((o) => o.caller === 'pcpu_fc_alloc')!;
    expect(group).toMatchObject({ size: 2097152n, align: 2097152n, nid: 0, minAddr: 0x1000000n });
    const tails = ops.filter((o) => o.op === 'free' && o.caller === 'pcpu_embed_first_chunk' && o.why.startsWith('percpu unit tail'));
    expect(tails.map((t) => [t.of!.offset, t.size])).toEqual([
      [253952n, 794624n],
      [1048576n + 253952n, 794624n],
    ]);
  });
});
