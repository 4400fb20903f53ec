import { describe, expect, test } from 'vitest';
import { fixmap32, layout32, initialMappedPfn, mappedLowPfn, vmallocReserve32, highmemPages32, findLowPfnRange, CPU_ENTRY_AREA_PAGES_PER_CPU_32, VMALLOC_RESERVE } from '../../../sim/stages/lowmem32.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore } from '../../../sim/boot.ts';
import { fmt08lx } from '../../../sim/lib/printk.ts';

// Debian 686 / 686-pae: VMSPLIT_3G, NR_CPUS=32, X86_LOCAL_APIC, X86_IO_APIC (64), PCI_MMCONFIG, ACPI_APEI_GHES
const base = { highmem: true, pageOffset: 0xc0000000n, nrCpus: 32n, extraPermanentSlots: 1n + 64n + 1n + 2n, extraTailSlots: 0n };

describe('MAXMEM_PFN (pgtable_32_areas.h)', () => {
  test('maxmem_pae_vs_686', () => {
    // expect: PAE rounds to 2 MiB PMDs, 686 to 4 MiB: PKMAP_BASE 0xff000000 vs 0xfec00000
    //   FIXADDR_TOT_START 0xff9fe000 ─ CPU_ENTRY_AREA (32 × 43 + 1 pages) ─ & PMD_MASK → 0xff400000
    //   → LDT_BASE − PMD → PKMAP_BASE − PMD; VMALLOC_END = PKMAP_BASE − 2 pages; − PAGE_OFFSET − 128M
    const pae = layout32({ ...base, pae: true, kmapSlotsPerCpu: 16n });
    const np = layout32({ ...base, pae: false, kmapSlotsPerCpu: 16n });
    expect(pae.pkmapBase).toBe(0xff000000n);
    expect(np.pkmapBase).toBe(0xfec00000n);
    expect(pae.maxmemPfn).toBe(0x36ffen); // "879MB LOWMEM available", low ram 0 - 36ffe000
    expect(np.maxmemPfn).toBe(0x36bfen); // "875MB LOWMEM available"
  });

  test('maxmem_5_10_kmap_types', () => {
    // expect: 5.10's KM_TYPE_NR 20 per CPU still fits below the same btmap boundary: same result
    expect(layout32({ ...base, pae: true, kmapSlotsPerCpu: 20n }).maxmemPfn).toBe(0x36ffen);
  });

  test('maxmem_small_fixmap_options_absorbed', () => {
    // expect: the one- and two-slot fixmap options do not move MAXMEM (btmaps round to 512 slots)
    const lo = layout32({ ...base, pae: true, kmapSlotsPerCpu: 16n, extraPermanentSlots: 0n });
    const hi = layout32({ ...base, pae: true, kmapSlotsPerCpu: 16n, extraPermanentSlots: 1n + 1n + 64n + 1n + 1n + 1n + 2n, extraTailSlots: 1n });
    expect(lo.maxmemPfn).toBe(hi.maxmemPfn);
  });

  test('cpu_entry_area_per_cpu', () => {
    // expect: 43 pages per CPU on X86_32 (5 single pages, tss 5, debug_store 1, buffers 32)
    expect(CPU_ENTRY_AREA_PAGES_PER_CPU_32).toBe(43n);
  });
});

describe('fixmap (asm/fixmap.h, X86_32)', () => {
  test('fixmap_indices_6_1_pae', () => {
    // expect HOLE, DBGP, EARLYCON, APIC, 64 IO_APIC → FIX_KMAP_BEGIN 68; 16 × 32 kmaps → END 579;
    //   PCIE_MCFG, 2 GHES → 583, btmaps rounded to 1024…1535, FIX_WP_TEST 1536 → __end 1537
    const spec = { name: 't', kernel: '6.1-686-pae', machine: 'pc' as const, memoryBytes: 2 ** 31, memoryText: '2G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't' };
    expect(fixmap32(bootContext({ spec, kernel: loadKernelWithFacts('6.1-686-pae') }))).toEqual({ kmapBegin: 68n, kmapEnd: 579n, btmapBegin: 1535n, endOfFixed: 1537n });
  });
});

describe('early mappings', () => {
  test('initial_mapped_rounds_to_pte_page', () => {
    // expect: _end + page tables for LOWMEM, rounded up to 4 MiB (686) or 2 MiB (PAE) PTE pages
    //   686:  0x200c000 + 0x100000 = 0x210c000 → 0x2400000
    //   PAE 5.10: 0x1f76000 + 0x204000 = 0x217a000 → 0x2200000
    expect(initialMappedPfn(0x200c000n, 0xc0000000n, false).pfn).toBe(0x2400n);
    expect(initialMappedPfn(0x1f76000n, 0xc0000000n, true).pfn).toBe(0x2200n);
    expect(initialMappedPfn(0x2135000n, 0xc0000000n, true).pfn).toBe(0x2400n);
  });

  test('mapped_low_ram_stops_at_max_low_pfn', () => {
    // expect: init_mem_mapping maps RAM up to max_low_pfn; below it, the end of the last RAM range
    //   RAM: 0x100 ......... 0x3ffe0      max_low_pfn 0x36ffe → 0x36ffe
    //   RAM: 0x100 .. 0x1ffe0             max_low_pfn 0x1ffe0 → 0x1ffe0
    const ram = (e: number) => [{ startPfn: 1n, endPfn: 0x9fn }, { startPfn: 0x100n, endPfn: BigInt(e) }];
    expect(mappedLowPfn(ram(0x3ffe0), 0x36ffen)).toBe(0x36ffen);
    expect(mappedLowPfn(ram(0x1ffe0), 0x1ffe0n)).toBe(0x1ffe0n);
  });

  test('fmt08lx_widths', () => {
    // expect: %08lx pads to 8, a 9-digit value overflows the width
    expect(fmt08lx(0n)).toBe('00000000');
    expect(fmt08lx(0x36ffe000n)).toBe('36ffe000');
    expect(fmt08lx(0x100000000n)).toBe('100000000');
  });
});

describe('vmalloc= (parse_vmalloc)', () => {
  test.each([
    ['console=ttyS0', VMALLOC_RESERVE],
    ['vmalloc=256M', (256n + 8n) << 20n],
    ['vmalloc=64M vmalloc=512M', (512n + 8n) << 20n],
    // memparse("abc") is 0: only the guard hole is left
    ['vmalloc=abc', 8n << 20n],
  ] as const)('reserve %s', (cl, bytes) => {
    expect(vmallocReserve32(cl).bytes).toBe(bytes);
  });

  test('maxmem_moves_with_reserve: expect MAXMEM_PFN lower by the extra reserve (256M + 8M − 128M)', () => {
    const dflt = layout32({ ...base, pae: true, kmapSlotsPerCpu: 16n });
    const big = layout32({ ...base, pae: true, kmapSlotsPerCpu: 16n, vmallocReserve: vmallocReserve32('vmalloc=256M') });
    expect(dflt.maxmemPfn - big.maxmemPfn).toBe(((256n + 8n - 128n) << 20n) >> 12n);
  });

  test('maxmem_below_kernel: expect a reserve that leaves no lowmem for the image refused', () => {
    expect(() => layout32({ ...base, pae: true, kmapSlotsPerCpu: 16n, vmallocReserve: vmallocReserve32('vmalloc=1G') })).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED' }));
  });
});

describe('highmem= (parse_highmem, lowmem_pfn_init)', () => {
  const k = loadKernelWithFacts('6.1-686-pae');
  const spec = (memoryBytes: number, cmdline: string) => ({ name: 't', kernel: k.id, machine: 'pc' as const, memoryBytes, memoryText: 'x', cpus: 1, cpu: undefined, numa: undefined, cmdline, file: 't/profile.yaml' });
  const lowOf = (memoryBytes: number, cmdline: string) => {
    const ctx = bootContext({ spec: spec(memoryBytes, cmdline), kernel: k });
    const st = simulate(ctx, stagesBefore(findLowPfnRange)).state;
    return findLowPfnRange(st, ctx).state.lowmem32!.maxLowPfn;
  };

  test.each([
    ['highmem=128M', (128n << 20n) >> 12n],
    ['highmem=1G highmem=64M', (64n << 20n) >> 12n],
  ] as const)('pages %s', (cl, pages) => {
    expect(highmemPages32(cl)).toBe(pages);
  });

  test('lowmem_split: expect a 512M guest (all lowmem) to lose highmem= pages of lowmem', () => {
    expect(lowOf(2 ** 29, 'foo') - lowOf(2 ** 29, 'highmem=128M')).toBe((128n << 20n) >> 12n);
  });

  const runOf = (memoryBytes: number, cmdline: string) => {
    const ctx = bootContext({ spec: spec(memoryBytes, cmdline), kernel: k });
    const st = simulate(ctx, stagesBefore(findLowPfnRange)).state;
    const r = findLowPfnRange(st, ctx);
    return { e820MaxPfn: st.e820!.maxPfn!, lm: r.state.lowmem32!, texts: r.lines.map((l) => l.text) };
  };
  const mb = (pages: bigint) => pages >> 8n;

  test('lowmem_too_big: expect highmem= of all RAM or more printed as MSG_HIGHMEM_TOO_BIG and ignored', () => {
    const plain = runOf(2 ** 29, 'foo');
    const r = runOf(2 ** 29, 'highmem=512M');
    expect(r.texts).toEqual([`highmem size (512MB) is bigger than pages available (${mb(plain.lm.maxPfn)}MB)!`]);
    expect(r.lm.maxLowPfn).toBe(plain.lm.maxLowPfn);
    expect(r.lm.highstartPfn).toBe(r.lm.highendPfn);
  });

  test('lowmem_too_small: expect highmem= leaving < 64MB of lowmem printed as MSG_LOWMEM_TOO_SMALL and ignored', () => {
    const plain = runOf(2 ** 29, 'foo');
    const r = runOf(2 ** 29, 'highmem=480M');
    expect(r.texts).toEqual(['highmem size (480MB) results in <64MB lowmem, ignoring it!']);
    expect(r.lm.maxLowPfn).toBe(plain.lm.maxLowPfn);
  });

  test('lowmem_split_prints_nothing: expect the modelled split silent in find_low_pfn_range', () => {
    expect(runOf(2 ** 29, 'highmem=128M').texts).toEqual([]);
  });

  test('highmem_too_small: expect highmem= above what lies over MAXMEM printed as MSG_HIGHMEM_TOO_SMALL, max_pfn kept', () => {
    const r = runOf(2 ** 31, 'highmem=3G');
    const above = r.e820MaxPfn - r.lm.layout.maxmemPfn;
    expect(r.texts).toEqual([`only ${mb(above)}MB highmem pages available, ignoring highmem size of 3072MB!`]);
    expect(r.lm.maxPfn).toBe(r.e820MaxPfn);
    expect(r.lm.maxLowPfn).toBe(r.lm.layout.maxmemPfn);
  });

  test('highmem_exact: expect highmem= of exactly what lies over MAXMEM silent, max_pfn kept', () => {
    const plain = runOf(2 ** 31, 'foo');
    const above = plain.e820MaxPfn - plain.lm.layout.maxmemPfn;
    const r = runOf(2 ** 31, `highmem=${above * 4n}K`);
    expect(r.texts).toEqual([]);
    expect(r.lm.maxPfn).toBe(plain.lm.maxPfn);
  });

  test('highmem_trim: expect highmem= below what lies over MAXMEM to lower max_pfn and highend_pfn to MAXMEM_PFN + highmem_pages', () => {
    const r = runOf(2 ** 31, 'highmem=64M');
    expect(r.texts).toEqual([]);
    expect(r.lm.maxPfn).toBe(r.lm.layout.maxmemPfn + ((64n << 20n) >> 12n));
    expect(r.lm.maxPfn).toBeLessThan(r.e820MaxPfn);
    expect(r.lm.highendPfn).toBe(r.lm.maxPfn);
    expect(r.lm.highstartPfn).toBe(r.lm.layout.maxmemPfn);
  });

  test.each([
    // static unsigned int highmem_pages: 16T >> PAGE_SHIFT is 2^32, truncated to 0
    ['highmem=16T', 0n],
    // 0xffffffff pages is the −1 "no highmem=" value
    [`highmem=${(2n ** 32n - 1n) * 4n}K`, undefined],
  ] as const)('pages_u32 %s: expect unsigned int truncation', (cl, pages) => {
    expect(highmemPages32(cl)).toBe(pages);
  });
});
