// The 2.6.11 i386 pipeline (sim/stages/old/pipeline-2611.ts) end to end on the seeds' build, its lines
// hand-derived from 2.6.11's source (not from a log); the bootmem allocator's merge rule, the per-CPU
// lists, the hash sizes, the envelope's refusals, the harness's choice of pipeline and the catalog's
// view of every line it prints.
import { describe, expect, test } from 'vitest';
import { simulate2611, stages2611i386 } from '../../../../sim/stages/old/pipeline-2611.ts';
import { allocBootmemCore2611, initBootmem2611, freeBootmem2611, reserveBootmem2611, pcpKept2611, freeAllBootmem2611 } from '../../../../sim/stages/old/bootmem-2611.ts';
import { largeSystemHash2611 } from '../../../../sim/stages/old/start-kernel-2611.ts';
import { pteRanges2611, zoneBatch2611, initPgTablesEnd2611 } from '../../../../sim/stages/old/setup-memory-2611.ts';
import { simulateSpec } from '../../../../harness/simulate.ts';
import { classifyLine } from '../../../../harness/catalog/classify.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { ctx2611, spec2611, CONFIG_2611 } from './kernel-2611.ts';

const texts = (o: Parameters<typeof ctx2611>[0] = {}, config?: Record<string, string>): string[] => simulate2611(ctx2611(o, config)).lines.map((l) => l.text);

describe('the 2.6.11 pipeline, pc 128M', () => {
  const lines = texts({ memoryBytes: 2 ** 27, memoryText: '128M' });
  test('no_highmem: expect max_pfn 0x7fe0 (RAM to 0x7fe0000) all low: 0MB HIGHMEM, 127MB LOWMEM', () => {
    expect(lines).toContain('0MB HIGHMEM available.');
    expect(lines).toContain('127MB LOWMEM available.');
  });
  test('hashes: expect pidhash fls(127 MB × 4) = 9 and the doubled power of two of alloc_large_system_hash', () => {
    expect(lines).toContain('PID hash table entries: 512 (order: 9, 8192 bytes)');
    // 32736 kernel pages → 32768 (whole MB) >> 1 = 16384 → 1 << (14 + 1); inode >> 2 → 1 << 14
    expect(lines).toContain('Dentry cache hash table entries: 32768 (order: 5, 131072 bytes)');
    expect(lines).toContain('Inode-cache hash table entries: 16384 (order: 4, 65536 bytes)');
  });
  test('memory_line: expect the bootmem pages and the per-CPU lists derived by hand', () => {
    // set: kernel 0x100–0x227 (295: the 1-page bitmap at 0x225 + the rounding page 0x226), page 0, PTE pages
    // at pfn 1 and 2, mem_map 256 pages at 16M (+ the Normal wait table spilling into 0x1100, the DMI strings
    // merged there), the resources at pfn 3, pid 2, con_init 2, Dentry 32, Inode 16: 608 pages, less the
    // bitmap = 607 reserved (2428k). Freed: 32639 low RAM pages − 608 + 1 = 32032; kept on the hot lists:
    // DMA 85 order-0 frees at high 6 → 6, Normal 11 (batch 6, high 36) → 11: 32015 pages = 128060k.
    expect(lines.at(-1)).toBe('Memory: 128060k/130944k available (670k kernel code, 2428k reserved, 308k data, 92k init, 0k highmem)');
  });
  test('kern_debug_hidden: expect no totalpages or zone lines (KERN_DEBUG under console_loglevel 7; 2.6.11 has no loglevel=)', () => {
    expect(lines.filter((l) => l.startsWith('On node') || / zone: /.test(l))).toEqual([]);
  });
});

describe('the 2.6.11 pipeline with highmem', () => {
  test('pc_1g_split: expect max_low_pfn MAXMEM_PFN 0x38000 (896M) and 0x3ffe0 − 0x38000 pages of highmem', () => {
    const l = texts();
    expect(l).toContain('127MB HIGHMEM available.');
    expect(l).toContain('896MB LOWMEM available.');
  });
  test('above_4g_capped: expect RAM past 4G capped at MAX_NONPAE_PFN with the two warnings before the HIGHMEM line', () => {
    const l = texts({ memoryBytes: 5 * 2 ** 30, memoryText: '5G' });
    const i = l.indexOf('Warning only 4GB will be used.');
    expect(i).toBeGreaterThan(0);
    expect(l.slice(i + 1, i + 3)).toEqual(['Use a PAE enabled kernel.', '3200MB HIGHMEM available.']);
    expect(l.at(-1)).toMatch(/^Memory: \d+k\/4194304k available /);
  });
  test('reserved_terms_sum: expect the pages each reservation set to add up to the reserved field', () => {
    for (const [mem, text] of [[2 ** 27, '128M'], [2 ** 30, '1G'], [3 * 2 ** 30, '3G']] as const) {
      const m = simulate2611(ctx2611({ memoryBytes: mem, memoryText: text })).lines.find((x) => x.fmt === 'mem.summary_legacy')!;
      const kb = Number(/(\d+)k reserved/.exec(m.text)![1]);
      const terms = m.explain!['reserved']!.slice(1);
      const sum = terms.reduce((n, t) => n + (t.name.startsWith('−') ? -1 : 1) * Number(String(t.value).split(' ')[0]), 0);
      expect(sum * 4).toBe(kb);
    }
  });
});

describe('con_init of 2.6.11 and the console options', () => {
  const without = (...names: string[]): Record<string, string> => Object.fromEntries(Object.entries(CONFIG_2611).filter(([k]) => !names.includes(k)));
  const memory = (config: Record<string, string>): string => texts({ memoryBytes: 2 ** 27, memoryText: '128M' }, config).at(-1)!;
  // con_init's 312 + 32 + 4000 bytes take 2 pages above MAX_DMA (the memory_line derivation): without them
  // both pages are freed as order-0 pages in Normal, whose hot list (11 + 2 < high 36) keeps them, so
  // "available" stays and reserved drops by 2 pages = 8k
  test.each([
    ['no_vt', without('VT', 'HW_CONSOLE')],
    ['no_console_switch', without('VGA_CONSOLE', 'DUMMY_CONSOLE')],
  ])('%s: expect no con_init allocations: 2428k − 8k reserved, the same available', (_n, config) => {
    expect(memory(config)).toBe('Memory: 128060k/130944k available (670k kernel code, 2420k reserved, 308k data, 92k init, 0k highmem)');
  });
  test('dummy_console: expect dummycon\'s 80×25 to allocate what vgacon\'s 80×25 does', () => {
    expect(memory(without('VGA_CONSOLE'))).toBe(memory(CONFIG_2611));
    expect(memory(CONFIG_2611)).toContain(' 2428k reserved');
  });
});

describe('bootmem of 2.6.11', () => {
  const fresh = () => freeBootmem2611(initBootmem2611(0x225n, 0x8000n), 0x1000n, 0x7000000n);
  test('merge_small: expect a second small allocation to start in the first one\'s page, aligned, and set no page', () => {
    const a = allocBootmemCore2611(fresh(), 100n, 32n, 0x1000000n, 'a')!;
    const b = allocBootmemCore2611(a.bm, 100n, 32n, 0x1000000n, 'b')!;
    expect(a.addr).toBe(0x1000000n);
    expect(b.addr).toBe(0x1000080n);
    expect(b.bm.setBy.at(-1)).toEqual({ what: 'b', pages: 0n });
  });
  test('no_merge_after_low: expect a goal-0 allocation in between to break the merge (last_pos moves low)', () => {
    const a = allocBootmemCore2611(fresh(), 100n, 32n, 0x1000000n, 'a')!;
    const low = allocBootmemCore2611(a.bm, 28n, 32n, 0n, 'low')!;
    const b = allocBootmemCore2611(low.bm, 100n, 32n, 0x1000000n, 'b')!;
    expect(low.addr).toBe(0x1000n);
    expect(b.addr).toBe(0x1001000n);
  });
  test('reserve_rounds_twice: expect the kernel reservation of setup_memory to end one page past a whole-page bitmap', () => {
    // [1M, PFN_PHYS(0x225) + 0x1000 + PAGE_SIZE − 1) rounded up again by reserve_bootmem_core: to 0x227
    const bm = reserveBootmem2611(fresh(), 0x100000n, 0x225000n + 0x1000n + 0xfffn - 0x100000n, 'k');
    expect(bm.reserved).toContainEqual({ start: 0x100n, end: 0x227n });
  });
  test('free_all_words: expect whole clear words as blocks and only partial words as single frees', () => {
    const f = freeAllBootmem2611(reserveBootmem2611(fresh(), 0n, 0x1000n, 'p0'));
    expect(f.singlePfns[0]).toEqual({ start: 1n, end: 32n });
    expect(f.bitmapPages).toEqual({ start: 0x225n, end: 0x226n });
  });
  test('pcp_kept: expect the hot list to fill to 6 × batch, then give batch back before each add', () => {
    expect(pcpKept2611(6n, 1n)).toBe(6n);
    expect(pcpKept2611(85n, 1n)).toBe(6n);
    expect(pcpKept2611(96n, 16n)).toBe(96n);
    expect(pcpKept2611(97n, 16n)).toBe(81n);
    expect(pcpKept2611(112n, 16n)).toBe(96n);
    expect(pcpKept2611(113n, 16n)).toBe(81n);
  });
  test('zone_batch: expect present/1024 capped at 64 pages, /4, at least 1', () => {
    expect([zoneBatch2611(4096n), zoneBatch2611(225280n), zoneBatch2611(32736n), zoneBatch2611(0n)]).toEqual([1n, 16n, 7n, 1n]);
  });
  test('hash_cap: expect the 1/16-of-memory cap when nr_all_pages is small', () => {
    // 4096 pages: numentries 4096 >> 1 = 2048 → 4096; max (4096 << 12 >> 4) / 4 = 262144: not capped
    expect(largeSystemHash2611(4n, 13n, 4096n, 4096n)).toEqual({ entries: 4096n, order: 2n, bytes: 16384n });
  });
  test('boot_tables: expect head.S to stop after one page table past pg0 (4M mapped ≥ the tables + 128K)', () => {
    expect(initPgTablesEnd2611(ctx2611())).toBe(0x225000n);
    expect(pteRanges2611()).toEqual({ fixmap: 0xffc00000n, pkmapBase: 0xff800000n, pkmapEnd: 0xffc00000n });
  });
});

describe('the envelope of 2.6.11', () => {
  test.each([
    ['cmdline', { cmdline: 'mem=512M' }, /cmdline: mem=512M is not modelled for 2.6.11/],
    ['cpu', { cpu: 'core2duo' }, /cpu: core2duo/],
    ['probe', { probe: 'state' as const }, /probe: state/],
  ])('refuses_%s: expect a coded refusal naming it', (_n, o, re) => {
    expect(simErrorCode(() => simulate2611(ctx2611(o)))).toBe('SIM_NOT_MODELLED');
    expect(() => simulate2611(ctx2611(o))).toThrow(re);
  });
  test('refuses_smp: expect CONFIG_SMP named', () => {
    expect(() => simulate2611(ctx2611({}, { ...CONFIG_2611, SMP: 'y' }))).toThrow(/CONFIG_SMP/);
  });
});

describe('the harness and the catalog', () => {
  test('pipeline_chosen: expect simulateSpec to run the 2.6.11 i386 pipeline for the catalog build', () => {
    expect(simulateSpec(spec2611()).at(-1)?.fmt).toBe('mem.summary_legacy');
    expect(stages2611i386[0]?.name).toBe('envelope2611');
  });
  test('lines_classify: expect every line to parse as the family it declares on 2.6.11 i386', () => {
    for (const l of simulate2611(ctx2611({ memoryBytes: 5 * 2 ** 30, memoryText: '5G' })).lines) {
      const c = classifyLine(l.text, { version: '2.6.11', arch: 'i386' });
      expect(c.cls === 'catalog' ? c.family?.id : c.cls, l.text).toBe(l.fmt);
    }
  });
});
