import { describe, expect, test } from 'vitest';
import { hashSize, getOrder } from '../../../sim/stages/hashes.ts';
import { buildZonelists } from '../../../sim/stages/zonelists.ts';
import { deriveTraits } from '../../../sim/traits.ts';

const t612 = deriveTraits({ id: '6.12-amd64', arch: 'x86_64', release: '6.12.115+deb12-amd64' });

describe('alloc_large_system_hash', () => {
  const base = { numentries: 0n, early: true, lowLimit: 0n, is64: true };
  test.each([
    // expect: 6.1-pc-8g: nr_kernel_pages 2064096 → /2 → 1032048 → 2^20 entries × 8 = 8M (order 11)
    ['dentry_8g', { ...base, bucketsize: 8n, scale: 13, lowLimit: 2n, nrKernelPages: 2064096n, nrAllPages: 2064096n }, 20, 8388608n],
    // expect: scale 14 halves it again
    ['inode_8g', { ...base, bucketsize: 8n, scale: 14, nrKernelPages: 2064096n, nrAllPages: 2064096n }, 19, 4194304n],
    // expect: i386 4-byte buckets; nr_kernel_pages (lowmem) ~ 217000 → 2^17
    ['dentry_i386', { ...base, is64: false, bucketsize: 4n, scale: 13, lowLimit: 2n, nrKernelPages: 217000n, nrAllPages: 520000n }, 17, 524288n],
  ])('size_%s', (_n, input, log2, bytes) => {
    const r = hashSize(input);
    expect(r.log2qty).toBe(log2);
    expect(r.bytes).toBe(bytes);
  });

  test('size_capped_at_sixteenth_of_memory', () => {
    // expect: a tiny nr_all_pages caps the table at (pages << 12 >> 4) / bucketsize entries
    const r = hashSize({ ...base, bucketsize: 8n, scale: 13, nrKernelPages: 1n << 20n, nrAllPages: 1024n });
    expect(r.bytes).toBe(262144n);
  });

  test.each([
    [4096n, 0],
    [8192n, 1],
    [8388608n, 11],
    [12288n, 2],
  ])('get_order_%s', (size, order) => {
    expect(getOrder(size)).toBe(order);
  });
});

describe('build_zonelists', () => {
  test('fallback_four_nodes_round_robin', () => {
    // expect: node N prefers N+1 (nodes below are penalised), as in the 6.12 numa4 capture
    const o = buildZonelists([0, 1, 2, 3], new Set([0, 1, 2, 3]), [0, 1, 2, 3], 1024);
    expect([...o.values()]).toEqual([
      [0, 1, 2, 3],
      [1, 2, 3, 0],
      [2, 3, 0, 1],
      [3, 0, 1, 2],
    ]);
  });

  test('fallback_two_nodes', () => {
    const o = buildZonelists([0, 1], new Set([0, 1]), [0, 1], 1024);
    expect(o.get(1)).toEqual([1, 0]);
  });
  test.each([
    // expect 6.1: the memoryless local node first, then the N_MEMORY nodes (node 0 is below: +1)
    ['memoryless_local_first_6_1', true, [1, 2, 0]],
    // expect 6.12+: a memoryless local node is skipped ("for memoryless local node, we should skip it")
    ['memoryless_local_skipped_6_12', false, [2, 0]],
  ] as const)('%s', (_n, localFirst, order) => {
    //  node 0: memory, CPU 0 │ node 1: CPU 1, no memory │ node 2: memory, CPU 2
    const o = buildZonelists([0, 2], new Set([0, 1, 2]), [0, 1, 2], 1024, undefined, localFirst);
    expect(o.get(1)).toEqual(order);
  });
  void t612;
});
