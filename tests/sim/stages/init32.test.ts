// Stage tests for sim/stages/init32.ts: the i386 page tables (mk_early_pgtbl_32, init_mem_mapping,
// the fixmap and pkmap tables, the cpu_entry_area PTE pages), the FLATMEM mem_map and usemaps.
import { describe, expect, test } from 'vitest';
import { earlyPtePages32, initMemMapping32, usemapSize32 } from '../../../sim/stages/init32.ts';
import { memblockAdd, memblockInit, memblockReserve, memblockTrimMemory } from '../../../sim/stages/memblock.ts';
import { bootContext, simulate, stages, type BootContext } from '../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 0x100000n;

function ctx(kernel: string, memoryBytes = 2 * 1024 * 1024 * 1024, cpus = 2): BootContext {
  const spec: MachineSpec = {
    name: `test-${kernel}`, kernel, machine: 'pc', memoryBytes, memoryText: `${memoryBytes}`, cpus, cpu: undefined, numa: undefined, cmdline: undefined, file: 'test',
  };
  return bootContext({ spec, kernel: loadKernelWithFacts(kernel) });
}

describe('early page tables (head32.c mk_early_pgtbl_32)', () => {
  test.each([
    // expect PAE: __pa(_end) 0x2135000 + (0x40000/512 + 4) pages → 0x2339000, whole 2M PTE pages → 18 (0x2400000)
    ['6.1-686-pae', 18n],
    // expect 2-level: + 0x40000/1024 pages, whole 4M PTE pages → 9 (0x2400000)
    ['6.1-686', 9n],
  ])('early_pte_pages_%s', (kernel, pages) => {
    expect(earlyPtePages32(ctx(kernel))).toBe(pages);
  });
});

describe('init_mem_mapping (X86_32)', () => {
  // expect 2G PAE, max_low_pfn 0x36ffe: one 4K tail PTE page (0x36e00000 … 0x36ffe000, not memory to the
  // 2M boundary past max_low_pfn); fixmap PMDs 0xff8 (new), 0xffa (bm_pte), 0xffc (kmap: new + copy),
  // 0xffe (initial_pg_fixmap + copy) → 1 + 4 = 5 of the 6 pgt_buf pages, nothing from memblock:
  //   virt 0xc0000000 ├─ 18 early PTE pages ─┤ … large pages … ├ tail PTE ┤ 0xf6ffe000
  test('init_mem_mapping_pae_2g', () => {
    const c = ctx('6.1-686-pae');
    let mb = memblockAdd(memblockInit(64), 0x1000n, 0x9e000n);
    mb = memblockAdd(mb, M, 0x7fee0000n);
    mb = memblockTrimMemory(mb, 0x1000n);
    mb = memblockReserve(mb, 0n, M, { why: 'low', source: 'test', stage: 'test' });
    const r = initMemMapping32(c, mb, 0x36ffen, 0x1f1e000n, 6n);
    expect(r.pgt.pgtBufUsed).toBe(5n);
    expect(r.pgt.memblockPages).toBe(0);
    expect(r.pgt.minPfnMapped).toBe(0x100n);
    expect(r.pgt.maxPfnMapped).toBe(0x36ffen);
  });
});

describe('FLATMEM (mm/page_alloc.c)', () => {
  test.each([
    // expect DMA [1, 0x1000) with 2M pageblocks: 8 blocks × 4 bits → one long = 4 bytes
    ['dma_pae', 1n, 0xfffn, 9n, 4n],
    // expect Normal [0x1000, 0x36ffe): 0x35ffe pages → 432 blocks → 1728 bits (whole longs) → 216 bytes
    ['normal_pae', 0x1000n, 0x35ffen, 9n, 216n],
    // expect HighMem 686 starts mid-block (0x36bfe & 1023 = 1022): 38 blocks → 152 bits → 160 → 20 bytes
    ['highmem_686', 0x36bfen, 0x93e2n, 10n, 20n],
  ])('usemap_size_%s', (_n, start, size, order, bytes) => {
    expect(usemapSize32(start, size, order)).toBe(bytes);
  });
});

describe('the i386 Memory: line', () => {
  test('memory_summary_pae_2g', () => {
    // expect the captured 6.1-686-pae 2G line: reserved = low 1M + image + brk 25 pages + mem_map 20M +
    // sub-page page + 2 cpu_entry_area PTE pages + percpu 66 pages + hashes straddling 193 pages
    const r = simulate(ctx('6.1-686-pae'), stages);
    const line = r.lines.find((l) => l.fmt === 'mem.summary')!;
    expect(line.text).toContain('2058968K/2096632K available');
    expect(line.text).toContain('37664K reserved');
    expect(line.text).toContain('1195912K highmem');
  });
});
