import { describe, expect, test } from 'vitest';
import { pcpuBuildAllocInfo, dumpAllocInfo, groupCpus, pcpuEmbedFirstChunk, pcpuEmbedTry, pcpuSetupFirstChunk, type FirstChunkSetup } from '../../../sim/stages/percpu.ts';
import { memblockAdd, memblockInit, memblockSetCurrentLimit, type MemblockState } from '../../../sim/stages/memblock.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';

const KB = 1024;
const M2 = 2 * 1024 * 1024;
const M = 0x100000n;

/** 64M of memory, current_limit at its top: room for every percpu allocation below. */
const memory64M = (): MemblockState => memblockSetCurrentLimit(memblockAdd(memblockInit(), 0n, 64n * M), 64n * M);
/** The sizes of the allocations a step added to the ledger, in call order. */
const allocSizes = (before: MemblockState, after: MemblockState): number[] =>
  after.ledger.slice(before.ledger.length).map((e) => Number(e.ranges[0]!.end - e.ranges[0]!.start));
/** sizeof(struct pcpu_chunk) and sizeof(struct pcpu_block_md) from a kernel's facts. */
const structsOf = (kernel: string): Omit<FirstChunkSetup, 'chunkTypes'> => {
  const st = loadKernelWithFacts(kernel).facts.structs;
  return { chunkBytes: st['pcpu_chunk']!.bytes, blockMdBytes: st['pcpu_block_md']!.bytes };
};

describe('pcpu_build_alloc_info', () => {
  test('build_x86_64_two_cpus_one_node', () => {
    // expect: s217088 r8192 d28672 → 62 pages; 2M atom holds 8 units, but wastage > 2/3 rejects all but upa 2 → u1048576
    const { ai, sizeSum, upa } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0]);
    expect(sizeSum).toBe(62 * 4096);
    expect(upa).toBe(2);
    expect(ai.unitSize).toBe(1048576);
    expect(ai.dynSize).toBe(28672);
  });

  test('build_i386_page_atom_grows_dynamic', () => {
    // expect: PFN_ALIGN(104276 + 28K) = 33 pages; dyn grows to 30892 to fill them; 4K atom → one unit per alloc
    const { ai, sizeSum, upa } = pcpuBuildAllocInfo(104276, 0, 28 * KB, 4096, 12 * KB, [0, 0]);
    expect(sizeSum).toBe(135168);
    expect(ai.dynSize).toBe(30892);
    expect(upa).toBe(1);
    expect(ai.allocSize / ai.atomSize).toBe(33);
  });

  test('build_four_nodes_one_cpu_each', () => {
    // expect: 4 groups of 1; upa 1 keeps wastage 0 → unit = the whole 2M atom
    const { ai } = pcpuBuildAllocInfo(233472, 8 * KB, 28 * KB, M2, 20 * KB, [0, 1, 2, 3]);
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
    const { ai } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0, 1, 1]);
    expect(dumpAllocInfo(ai, 4)).toEqual(['pcpu-alloc: [0] 0 1 [1] 2 3 ']);
  });

  test('dump_wraps_at_60_columns', () => {
    // expect: upa 1, width 1*(2+1)+1+3 = 7 → 60/7 = 8 allocs per line; 12 CPUs → 8 + 4
    const { ai } = pcpuBuildAllocInfo(104276, 0, 28 * KB, 4096, 12 * KB, new Array(12).fill(0));
    const out = dumpAllocInfo(ai, 12);
    expect(out).toEqual(['pcpu-alloc: [0] 00 [0] 01 [0] 02 [0] 03 [0] 04 [0] 05 [0] 06 [0] 07 ', 'pcpu-alloc: [0] 08 [0] 09 [0] 10 [0] 11 ']);
  });

  test('dump_empty_unit_dashes', () => {
    // expect: 3 CPUs, upa 4 accepted (wasted 1 ≤ 3/3): the 4th unit prints "-"
    const { ai } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0, 0]);
    expect(dumpAllocInfo(ai, 3)).toEqual(['pcpu-alloc: [0] 0 1 2 - ']);
  });
});

describe('pcpu_embed_first_chunk', () => {
  test('embed_group_alloc_then_tails_freed', () => {
    // expect one 2M alloc from 16M up, top-down below alloc_info and areas[] (64M − 8K, both freed at the end);
    // each unit's tail past size_sum (62 pages) given back:
    //   60M |cpu0 248K|free 776K|cpu1 248K|free 776K| 62M
    const { ai, sizeSum } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0]);
    const topo = { possibleCpus: 2, nrNodeIds: 1, cpuToNode: [0, 0], memoryNodes: [0], numa: true, distance: (a: number, b: number) => (a === b ? 10 : 20), explain: [] };
    const mb = pcpuEmbedFirstChunk(memory64M(), ai, sizeSum, topo, true, true);
    expect(mb.reserved.map((r) => [r.start, r.end])).toEqual([
      [60n * M, 60n * M + 253952n],
      [61n * M, 61n * M + 253952n],
    ]);
  });
});

describe('pcpu_embed_first_chunk without room (setup_per_cpu_areas falls back to the page allocator)', () => {
  test('embed_no_room_returns_enomem_and_gives_back', () => {
    // 64 units of 256K (16M, one group) in 12M of memory: pcpu_fc_alloc() returns NULL from 16M up and
    // from 0, so "out_free_areas" frees alloc_info and areas[] and the result is -ENOMEM with nothing
    // left reserved, both made and freed in the ledger
    const cpus = Array.from({ length: 64 }, () => 0);
    const { ai, sizeSum } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, cpus);
    expect(ai.groups.map((g) => g.length * ai.unitSize)).toEqual([16 * 1024 * 1024]);
    const topo = { possibleCpus: 64, nrNodeIds: 1, cpuToNode: cpus, memoryNodes: [0], numa: false, distance: () => 10, explain: [] };
    const before = memblockSetCurrentLimit(memblockAdd(memblockInit(), 0n, 12n * M), 12n * M);
    const r = pcpuEmbedTry(before, ai, sizeSum, topo, true, false);
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.rc).toBe(-12);
    expect(r.mb.reserved).toEqual([]);
    expect(r.mb.ledger.map((e) => [e.why, e.ranges.length, e.made?.length])).toEqual([['percpu alloc_info', 0, 1], ['percpu areas[]', 0, 1]]);
    // expect the throwing form to refuse it with the sizes
    expect(() => pcpuEmbedFirstChunk(before, ai, sizeSum, topo, true, false)).toThrow(/no room for the percpu first chunk \(16777216 bytes, align 2097152\)/);
    // and with room (64M) the same request succeeds
    expect(pcpuEmbedTry(memory64M(), ai, sizeSum, topo, true, false).ok).toBe(true);
  });
});

describe('pcpu_setup_first_chunk', () => {
  // expect 6.1, 2 CPUs, one group: 8, 8, 8, 16, 22 slots × 16, then reserved chunk (2 pages: 144, 256, 264, 64)
  // and dynamic chunk (7 pages: 144, 896, 904, 224) — as x86_64-6.1-pc-512m's memblock=debug capture lists them
  test('setup_first_chunk_sizes_6_1', () => {
    const { ai } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0]);
    const mb = memory64M();
    const after = pcpuSetupFirstChunk(mb, ai, 2, true, { ...structsOf('6.1-amd64'), chunkTypes: undefined });
    expect(allocSizes(mb, after)).toEqual([8, 8, 8, 16, 352, 144, 256, 264, 64, 144, 896, 904, 224]);
  });

  // expect 5.10: (slot + 2) lists per chunk type, two types with MEMCG_KMEM: 20 × 2 × 16 = 640
  test('setup_first_chunk_lists_5_10', () => {
    const { ai } = pcpuBuildAllocInfo(217088, 8 * KB, 28 * KB, M2, 12 * KB, [0, 0]);
    const mb = memory64M();
    expect(allocSizes(mb, pcpuSetupFirstChunk(mb, ai, 2, true, { ...structsOf('5.10-amd64'), chunkTypes: 2 }))[4]).toBe(640);
  });

  const base32 = { staticSize: 104276, reservedSize: 0, atomSize: 4096, groups: [[0, 1]] };
  test('setup_first_chunk_i386_6_1_two_cpus', () => {
    // expect 4, 4, 8, 8, 19 slot lists × 8 = 152; chunk 92 + 4, alloc_map 1024, bound_map 1028, md_blocks 8 × 32
    //   (static 104276 → start_offset 0x754; 0x754 + 30892 = 32768 → 8 pages, 8192 bits)
    const ai = { ...base32, dynSize: 30892, unitSize: 135168, allocSize: 135168 };
    const mb = memory64M();
    const after = pcpuSetupFirstChunk(mb, ai, 2, false, { ...structsOf('6.1-686-pae'), chunkTypes: undefined });
    expect(allocSizes(mb, after)).toEqual([4, 4, 8, 8, 152, 96, 1024, 1028, 256]);
  });

  test('setup_first_chunk_i386_5_10_slot_lists_per_type', () => {
    // expect 5.10: (slot 15 + 2) × 2 chunk types (MEMCG_KMEM) × 8 = 272
    const ai = { ...base32, dynSize: 43180, unitSize: 147456, allocSize: 147456 };
    const mb = memory64M();
    expect(allocSizes(mb, pcpuSetupFirstChunk(mb, ai, 2, false, { ...structsOf('5.10-686-pae'), chunkTypes: 2 }))[4]).toBe(272);
  });
});
