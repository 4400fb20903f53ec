// mm/bootmem.c (2.6.34) as sim/stages/old/bootmem-34.ts models it: the bitmap as pfn ranges, first fit
// from the goal, hint_idx and last_end_off packing small allocations into the page before.
import { describe, expect, test } from 'vitest';
import { allocBootmem34, initBootmem34, reserveBootmem34, usemapSize34, waitTableEntries34 } from '../../../../sim/stages/old/bootmem-34.ts';
import { simErrorCode } from '../../sim-error-code.ts';

const GOAL = 16n << 20n;
// 64M of RAM from pfn 1, the bitmap freed over [1, 0x4000)
const fresh = () => initBootmem34(0x4000n, [{ startPfn: 1n, endPfn: 0x4000n }]);

describe('init and reserve', () => {
  test('init_frees_active_only: expect everything outside the active ranges still set, and reserve to set PFN_DOWN..PFN_UP', () => {
    const bm = initBootmem34(0x4000n, [{ startPfn: 1n, endPfn: 0x9fn }, { startPfn: 0x100n, endPfn: 0x4000n }]);
    expect(bm.reserved).toEqual([{ start: 0n, end: 1n }, { start: 0x9fn, end: 0x100n }]);
    // [0x1000800, 0x1001800) covers pfns 0x1000 and 0x1001
    expect(reserveBootmem34(bm, 0x1000800n, 0x1000n).reserved.at(-1)).toEqual({ start: 0x1000n, end: 0x1002n });
  });
});

describe('alloc_bootmem_core', () => {
  //   0x1000 (goal)   0x1002                    hint
  //   |--reserved-----|page alloc|small,small→ packed into the page the last one ended in
  test('alloc_first_fit_from_goal: expect the first clear run at or above the goal', () => {
    const bm = reserveBootmem34(fresh(), 0x1000000n, 0x2000n);
    const a = allocBootmem34(bm, 0x1000n, 0x1000n, GOAL, 't');
    expect(a.addr).toBe(0x1002000n);
    expect(a.bm.hintIdx).toBe(0x1003n);
  });
  test('alloc_packs_small: expect an allocation after one that ended mid-page to start at last_end_off aligned, in that page', () => {
    const a = allocBootmem34(fresh(), 4n, 32n, GOAL, 'a');
    expect(a.addr).toBe(0x1000000n);
    const b = allocBootmem34(a.bm, 128n, 32n, GOAL, 'b');
    expect(b.addr).toBe(0x1000020n);
    // the page is not set twice: still one reserved page
    expect(b.bm.reserved).toEqual([{ start: 0n, end: 1n }, { start: 0x1000n, end: 0x1001n }]);
    // a page-sized one starts in the same page and takes the next two
    const c = allocBootmem34(b.bm, 0x2000n, 32n, GOAL, 'c');
    expect(c.addr).toBe(0x10000a0n);
    expect(c.bm.reserved.at(-1)).toEqual({ start: 0x1000n, end: 0x1003n });
  });
  test('alloc_falls_back_below_goal: expect the search to retry from 0 when nothing fits above the goal', () => {
    const bm = reserveBootmem34(fresh(), 0x1000000n, 0x3000000n);
    expect(allocBootmem34(bm, 0x1000n, 0x1000n, GOAL, 't').addr).toBe(0x1000n);
  });
  test('alloc_out_of_memory: expect a coded refusal naming the allocation', () => {
    expect(simErrorCode(() => allocBootmem34(fresh(), 0x8000000n, 32n, GOAL, 'huge'))).toBe('SIM_NOT_MODELLED');
  });
});

describe('free_area_init_core sizes', () => {
  test.each([
    [4095n, 4n], // 4 pageblocks × 3 bits → 32 bits → 4 bytes
    [223230n, 84n], // 219 × 3 = 657 → 672 bits
    [34786n, 16n], // 35 blocks × 3 = 105 → 128 bits
  ])('usemap_size_%s: expect %s bytes', (pages, bytes) => {
    expect(usemapSize34(pages)).toBe(bytes);
  });
  test.each([
    [4095n, 16n],
    [223230n, 1024n],
    [500n, 4n],
    [20000000n, 4096n],
  ])('wait_table_entries_%s: expect %s', (pages, n) => {
    expect(waitTableEntries34(pages)).toBe(n);
  });
});
