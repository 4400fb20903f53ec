// Tests for qemu-scripts/kernel/structs.ts: the struct layouts derived for the 686 builds (no BTF).
// The same member lists laid out for x86_64 must give the amd64 builds' BTF sizes of that version.
import { describe, expect, it, test } from 'vitest';
import { deriveStructLayouts, deriveStructs32 } from '../../../qemu-scripts/kernel/structs.ts';
import { loadKernel } from '../../../harness/kernels.ts';

const PAE = { X86_PAE: 'y', MEMCG: 'y', MEMCG_KMEM: 'y', HAVE_ALIGNED_STRUCT_PAGE: 'y' };

describe('deriveStructLayouts against BTF', () => {
  test.each(['5.10-amd64', '6.1-amd64'])('layouts64_matchBtf_%s: expect every x86_64 layout to equal the build\'s BTF size', (id) => {
    const k = loadKernel(id);
    const derived = deriveStructLayouts(k.version, k.facts!.config, 'x86_64');
    for (const [name, s] of Object.entries(derived)) expect([name, s.bytes]).toEqual([name, k.facts!.structs[name]?.bytes]);
  });
});

describe('deriveStructs32', () => {
  it('structs32_61_pae: expect the 686-pae sizes, each with its layout spelled out', () => {
    const s = deriveStructs32('6.1.176-1', PAE);
    expect(Object.fromEntries(Object.entries(s).map(([n, v]) => [n, v.bytes]))).toEqual({
      page: 40, resource: 40, firmware_map_entry: 64, nosave_region: 16, pcpu_block_md: 32, pcpu_chunk: 92,
      hlist_head: 4, hlist_bl_head: 4, io_tlb_slot: 16, io_tlb_area: 12, prb_desc: 12, printk_info: 88,
    });
    expect(s.pcpu_chunk!.source).toBe('mm/percpu-internal.h (6.1), 32-bit: list 8 + free_bytes 4 + chunk_md 32 + base_addr 4 + alloc_map 4 + bound_map 4 + md_blocks 4 + data 4 + immutable 1 + isolated 1 + pad 2 + start_offset 4 + end_offset 4 + obj_cgroups (MEMCG_KMEM) 4 + nr_pages 4 + nr_populated 4 + nr_empty_pop_pages 4 = 92');
  });

  test.each([
    // expect resource_size_t of 4 bytes without PAE: start 4 + end 4 + 6 words = 32
    ['resource_noPae', '6.1.176-1', {}, 'resource', 32],
    // expect 5.10's pcpu_chunk without `isolated` (added in 5.14) still 92: immutable pads to 4 either way
    ['chunk_510', '5.10.223-1', { MEMCG_KMEM: 'y' }, 'pcpu_chunk', 92],
    // expect no obj_cgroups pointer without MEMCG_KMEM
    ['chunk_noMemcgKmem', '6.1.176-1', {}, 'pcpu_chunk', 88],
    // expect PERCPU_STATS to put nr_alloc and max_alloc_size first
    ['chunk_percpuStats', '6.1.176-1', { PERCPU_STATS: 'y' }, 'pcpu_chunk', 96],
    // expect u64 start/end of firmware_map_entry whatever phys_addr_t is
    ['fme_noPae', '6.1.176-1', {}, 'firmware_map_entry', 64],
  ] as const)('structs32_%s', (_n, version, config, name, bytes) => {
    expect(deriveStructs32(version, config)[name]?.bytes).toBe(bytes);
  });

  it('structs32_65_pae: expect 6.1\'s layouts except pcpu_chunk, re-laid out with base_addr on its own cache line', () => {
    const s = deriveStructs32('6.5.10-1~bpo12+1', { ...PAE, SMP: 'y', X86_L1_CACHE_SHIFT: '6' });
    const s61 = deriveStructs32('6.1.176-1', PAE);
    for (const name of Object.keys(s61).filter((n) => n !== 'pcpu_chunk')) expect([name, s[name]?.bytes]).toEqual([name, s61[name]!.bytes]);
    // 48 bytes before base_addr, padded to 64; 44 from base_addr on; rounded to the 64-byte alignment
    expect(s.pcpu_chunk!.bytes).toBe(128);
    // without SMP, ____cacheline_aligned_in_smp is empty: 92 as on 6.1, with bound_map moved
    expect(deriveStructs32('6.5.10-1~bpo12+1', PAE).pcpu_chunk!.bytes).toBe(92);
  });

  it('structs32_510_noSwiotlbSlots: expect no io_tlb_slot or io_tlb_area (5.10 keeps io_tlb_list arrays)', () => {
    const s = deriveStructs32('5.10.223-1', PAE);
    expect(s.io_tlb_slot).toBeUndefined();
    expect(s.io_tlb_area).toBeUndefined();
  });

  test.each([
    ['6.12.1-1', {}],
    ['6.1.176-1', { DEBUG_KOBJECT_RELEASE: 'y' }],
    ['6.1.176-1', { DEBUG_SPINLOCK: 'y' }],
    ['6.1.176-1', { '64BIT': 'y' }],
  ])('structs32_refuses: %s %o', (v, cfg) => {
    expect(() => deriveStructs32(v, cfg)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });
});
