// direct_pages_count[] of a 3.0.1 2-level boot (sim/stages/old/pageattr-30.ts), each number worked by
// hand from 3.0.1 arch/x86/mm/init.c init_memory_mapping() and pageattr.c try_preserve_large_page().
// The seeds' build (tests/sim/stages/old/kernel-30.ts): .rodata [0x111f000, 0x115f000), .init
// [0x1177000, 0x11ad000), both in the 4M page at 16M. pc 128M: max_low_pfn 0x7fe0 (RAM to 0x7fe0000).
//
//   0        4M                                 16M      20M                        124M   0x7fe0000
//   |  4k    |                4M pages          |rodata..init|        4M pages       | 4k   |
//   1024 PTEs  30 PMDs [4M, 124M)                  ^ split                         992 PTEs
//
//   boot: 4k (1024 + 992) × 4 = 8064 kB, 4M 30 × 4096 = 122880 kB (sum 130944 kB = 0x7fe0000 / 1024)
//   free_initmem(): set_memory_rw(.init) asks _PAGE_RW on a 4M page whose .rodata pages
//   static_protections() keeps read-only: the page splits, 4k 8064 + 4096 = 12160 kB, 4M 118784 kB.
import { describe, expect, test } from 'vitest';
import { directPagesCount30, type FreedRange30 } from '../../../../sim/stages/old/pageattr-30.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { CONFIG_30, SYMBOLS_30, ctx30 } from './kernel-30.ts';

const MAX_LOW_128M = 0x7fe0n;
const init: FreedRange30 = { what: 'unused kernel memory', start: 0x1177000n, end: 0x11ad000n, source: 'test' };
const initrdAt = (start: bigint): FreedRange30 => ({ what: 'initrd memory', start, end: start + 0x1000n, source: 'test' });
const kb = (d: { k4: bigint; m4: bigint }): [bigint, bigint] => [d.k4 << 2n, d.m4 << 12n];

describe('directPagesCount30', () => {
  test('directPagesCount30_pc128m: expect 4k 12160 kB and 4M 118784 kB (boot 8064/122880, the 16M page split by free_initmem)', () => {
    const d = directPagesCount30(ctx30(), MAX_LOW_128M, [initrdAt(0x7fdf000n), init]);
    expect(kb(d)).toEqual([12160n, 118784n]);
    expect(d.split).toEqual([0x1000n]);
  });

  test('directPagesCount30_nothingFreed: expect the boot counts, 8064 kB of 4k and 30 × 4M', () => {
    expect(kb(directPagesCount30(ctx30(), MAX_LOW_128M, []))).toEqual([8064n, 122880n]);
  });

  test('directPagesCount30_initrdOutsideRodataPage: expect no split (PAGE_KERNEL_LARGE already has _PAGE_RW; no .rodata in [64M, 68M))', () => {
    const d = directPagesCount30(ctx30(), MAX_LOW_128M, [initrdAt(0x4000000n)]);
    expect([kb(d), d.split]).toEqual([[8064n, 122880n], []]);
  });

  test('directPagesCount30_initrdInKernelPage: expect one split, the 16M page counted once though the initrd and .init both free in it', () => {
    const d = directPagesCount30(ctx30(), MAX_LOW_128M, [initrdAt(0x1300000n), init]);
    expect([kb(d), d.split]).toEqual([[12160n, 118784n], [0x1000n]]);
  });

  test('directPagesCount30_rangeOverTwoRodataPages: expect both 4M pages split when .rodata [0x13ff000, 0x1401000) straddles 20M and the freed range covers both', () => {
    //   16M            20M            24M
    //   |     ..ro|ro..     |
    //        [freed 0x13fe000 - 0x1402000)
    const ctx = ctx30({}, CONFIG_30, { ...SYMBOLS_30, __start_rodata: 0x13ff000, __end_rodata: 0x1401000 });
    const d = directPagesCount30(ctx, MAX_LOW_128M, [{ what: 'unused kernel memory', start: 0x13fe000n, end: 0x1402000n, source: 'test' }]);
    expect([kb(d), d.split]).toEqual([[8064n + 8192n, 122880n - 8192n], [0x1000n, 0x1400n]]);
  });

  test('directPagesCount30_emptyRange: expect free_init_pages(begin >= end) to change nothing (an empty .smp_locks)', () => {
    const d = directPagesCount30(ctx30(), MAX_LOW_128M, [{ what: 'SMP alternatives', start: 0x11ad000n, end: 0x11ad000n, source: 'test' }]);
    expect(kb(d)).toEqual([8064n, 122880n]);
  });

  test('directPagesCount30_tailFree: expect a range in the 4k tail [124M, 0x7fe0000) to split nothing', () => {
    expect(directPagesCount30(ctx30(), MAX_LOW_128M, [initrdAt(0x7c00000n)]).split).toEqual([]);
  });

  test.each([
    ['X86_PAE', 'CONFIG_X86_PAE'],
    ['DEBUG_RODATA', 'CONFIG_DEBUG_RODATA'],
  ])('directPagesCount30_refuses_%s: expect SIM_NOT_MODELLED naming %s', (opt, text) => {
    const run = (): unknown => directPagesCount30(ctx30({}, { ...CONFIG_30, [opt]: 'y' }), MAX_LOW_128M, [init]);
    expect(simErrorCode(run)).toBe('SIM_NOT_MODELLED');
    expect(run).toThrow(text);
  });
});
