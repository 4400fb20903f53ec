// Stage tests for sim/stages/hashes.ts: alloc_large_system_hash() (mm/page_alloc.c ≤ 6.1, mm/mm_init.c
// 6.12+) for fs/dcache.c ("Dentry cache", scale 13, low_limit 2) and fs/inode.c ("Inode-cache", scale
// 14), HASH_EARLY from vfs_caches_init_early() or, under hashdist, vmalloc'ed from vfs_caches_init().
// The lines expected are the ones the real 6.1 kernel printed for the same profiles
// (goldens/x86_64-6.1-pc-512m and goldens/x86_64-6.1-pc-4g-numa2, serial.log).
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { getOrder, hashSize, hashesEarly, hashesLate, type HashInput } from '../../../sim/stages/hashes.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: GiB / 2, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: loadKernelWithFacts(kernel) });
const dentry = (o: Partial<HashInput>): HashInput => ({ bucketsize: 8n, numentries: 0n, scale: 13, early: true, lowLimit: 2n, nrKernelPages: 0n, nrAllPages: 1n << 20n, is64: true, ...o });

describe('hashSize (the arithmetic of alloc_large_system_hash)', () => {
  // expect one bucket per 2^scale bytes of low memory rounded up to 1M, then to a power of two:
  // 116000 pages → 116224 (1M = 256 pages) → >> (13 − 12) = 58112 → 65536 buckets of 8 bytes
  test('hash_size_from_kernel_pages: expect log2qty 16 and 524288 bytes from 116000 pages', () => {
    const r = hashSize(dentry({ nrKernelPages: 116000n }));
    expect([r.log2qty, r.bytes]).toEqual([16, 524288n]);
  });

  // expect ADAPT_SCALE (64-bit): scale + 1 per ×4 of memory past 64G, so 128G of pages gives scale 14: 2^25 >> 2 = 2^23
  test('hash_size_adapt_scale: expect 128G of kernel pages to take scale 14 (2^23 buckets), not 13 (2^24)', () => {
    const pages = (128n << 30n) >> 12n;
    expect(hashSize(dentry({ nrKernelPages: pages, nrAllPages: pages })).log2qty).toBe(23);
    // a 32-bit kernel does not adapt: 2^25 >> 1 = 2^24
    expect(hashSize(dentry({ nrKernelPages: pages, nrAllPages: pages, is64: false })).log2qty).toBe(24);
  });

  // expect dhash_entries= to be taken as given, rounded up to a power of two (3000 → 4096)
  test('hash_size_entries_given: expect 3000 entries to give 4096', () => {
    expect(hashSize(dentry({ numentries: 3000n, nrKernelPages: 116000n })).log2qty).toBe(12);
  });

  // expect the 1/16-of-memory cap: 2^20 entries asked on 16M of memory (4096 pages) → 16M / 16 / 8 bytes = 2^17
  test('hash_size_capped_at_a_sixteenth: expect 2^20 entries on 16M of memory capped at 2^17', () => {
    expect(hashSize(dentry({ numentries: 1n << 20n, nrAllPages: 4096n })).log2qty).toBe(17);
  });

  // expect a table smaller than a page to grow to one page of buckets (PAGE_SIZE / bucketsize), and low_limit to hold
  test('hash_size_at_least_a_page: expect 8 pages of memory to give 512 buckets of 8 bytes', () => {
    expect(hashSize(dentry({ nrKernelPages: 8n })).bytes).toBe(4096n);
  });

  // expect get_order(): the smallest order whose pages hold the size
  test('get_order: expect 0 up to a page, 1 for a page and a byte, 7 for 512K', () => {
    expect([getOrder(1n), getOrder(4096n), getOrder(4097n), getOrder(524288n), getOrder(524289n)]).toEqual([0, 0, 1, 7, 8]);
  });
});

describe('hash stages on the real pipeline (6.1-amd64)', () => {
  // expect the HASH_EARLY tables of a one-node 512M boot as the kernel printed them, allocated from memblock
  test('hashes_early_one_node: expect the captured lines and two memblock allocations of their sizes', () => {
    const ctx = ctxOf('6.1-amd64');
    const state = simulate(ctx, stagesBefore(hashesEarly)).state;
    const r = hashesEarly(state, ctx);
    expect(r.lines.map((l) => l.text)).toEqual([
      'Dentry cache hash table entries: 65536 (order: 7, 524288 bytes, linear)',
      'Inode-cache hash table entries: 32768 (order: 6, 262144 bytes, linear)',
    ]);
    const added = memblockStateOf(r.state).ledger.slice(memblockStateOf(state).ledger.length);
    expect(added.map((e) => e.ranges.reduce((n, x) => n + (x.end - x.start), 0n))).toEqual([524288n, 262144n]);
    expect(hashesLate(r.state, ctx).lines).toEqual([]);
  });

  // expect hashdist with two memory nodes: nothing early; vmalloc'ed late, PMD-mapped ("vmalloc hugepage")
  // when size / num_online_nodes() ≥ PMD_SIZE (4M / 2 = 2M yes; 2M / 2 = 1M no), as the kernel printed them
  test('hashes_hashdist_two_nodes: expect no early lines and the captured late ones', () => {
    const ctx = ctxOf('6.1-amd64', { memoryBytes: 4 * GiB, memoryText: '4G', cpus: 4, numa: [{ memoryBytes: 2 * GiB, memoryText: '2G', cpus: [0, 1] }, { memoryBytes: 2 * GiB, memoryText: '2G', cpus: [2, 3] }] });
    const early = hashesEarly(simulate(ctx, stagesBefore(hashesEarly)).state, ctx);
    expect(early.lines).toEqual([]);
    expect(hashesLate(simulate(ctx, stagesBefore(hashesLate)).state, ctx).lines.map((l) => l.text)).toEqual([
      'Dentry cache hash table entries: 524288 (order: 10, 4194304 bytes, vmalloc hugepage)',
      'Inode-cache hash table entries: 262144 (order: 9, 2097152 bytes, vmalloc)',
    ]);
  });
});
