// Stage tests for sim/stages/mem-init.ts: mem_init() → memblock_free_all() and mem_init_print_info()
// (mm/page_alloc.c 5.10/6.1, mm/mm_init.c 6.12+), the "Memory:" line. reserved = physpages − totalram,
// where memblock_free_all() frees every whole page memblock has not reserved, so a reservation of any
// stage is in it; available = nr_free_pages(), on 6.1 less defer_init()'s pages and the 64 PUD pages of
// preallocate_vmalloc_pages(). The lines expected are the ones the real kernels printed for the same
// profiles (goldens/x86_64-6.1-pc-512m and goldens/i386-6.1-pae-pc-2g, serial.log).
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { memInitPrintEarly, memInitPrintLate } from '../../../sim/stages/mem-init.ts';
import { freeRanges, memblockReserve, memblockStateOf } from '../../../sim/stages/memblock.ts';
import { slice, withSlice } from '../../../sim/state.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const MiB = 2 ** 20;
const spec = (kernel: string, mib: number, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: mib * MiB, memoryText: `${mib}M`, cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ctxOf = (kernel: string, mib: number): BootContext => bootContext({ spec: spec(kernel, mib), kernel: loadKernelWithFacts(kernel) });
const before = (ctx: BootContext, run: typeof memInitPrintEarly) => simulate(ctx, stagesBefore(run)).state;
/** The numbers of a Memory: line: available, physpages, reserved (K). */
const fields = (text: string): { available: number; physpages: number; reserved: number } => {
  const m = /^Memory: (\d+)K\/(\d+)K available \(.*, (\d+)K reserved, /.exec(text);
  if (!m) throw new Error(`not a Memory: line: ${text}`);
  return { available: Number(m[1]), physpages: Number(m[2]), reserved: Number(m[3]) };
};

describe('memInitPrintEarly (6.1-amd64, pc, 512M)', () => {
  const ctx = ctxOf('6.1-amd64', 512);
  const state = before(ctx, memInitPrintEarly);

  // expect the line the 6.1 kernel printed for this boot, character for character
  test('memory_line_6_1_512m: expect the captured line', () => {
    const r = memInitPrintEarly(state, ctx);
    expect(r.lines.map((l) => l.text)).toEqual(['Memory: 207548K/523768K available (14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss, 63644K reserved, 0K cma-reserved)']);
    const m = slice(r.state, 'memInit');
    expect((m.physpages - m.totalram) * 4n).toBe(63644n);
  });

  // expect defer_init()'s cut where the rule puts it: DMA32 starts at pfn 0x1000, PAGES_PER_SECTION (0x8000)
  // pfns are initialised, the next section boundary is pfn 0x10000, and the rest of the node (to 0x1ffe0) is deferred;
  // and preallocate_vmalloc_pages()'s 64 PUD pages (VMALLOC_SIZE_TB_L4 32T / PGDIR_SIZE 512G)
  test('memory_available_defer_init_and_vmalloc: expect [pfn 10000, 1ffe0) deferred and 256K for the PUD pages', () => {
    const avail = memInitPrintEarly(state, ctx).lines[0]!.explain!['available']!;
    expect(avail.map((t) => t.name)).toContain('deferred struct pages [pfn 10000, 1ffe0)');
    expect(avail.find((t) => t.name.startsWith('preallocate_vmalloc_pages'))?.value).toBe(-256n);
  });

  // expect a reservation made by any stage to move exactly its pages from available to reserved
  // (1M at a free, page-aligned place below the deferred pfns: memblock_free_all() does not free it)
  test('memory_reserved_is_the_ledger: expect 1M more reserved to add 1024K reserved and take 1024K from available', () => {
    const mb = memblockStateOf(state);
    // the first page-aligned 1M of free memory in [16M, 256M) (pfn 0x1000 … 0x10000: initialised, not deferred)
    const lo = 0x1000000n;
    const hi = 0x10000000n;
    const room = freeRanges(mb).map((f) => ((f.start > lo ? f.start : lo) + 0xfffn) & ~0xfffn).find((b, i) => b + 0x100000n <= (freeRanges(mb)[i]!.end < hi ? freeRanges(mb)[i]!.end : hi));
    expect(room).toBeDefined();
    const base = room!;
    const more = withSlice(state, 'memblock', memblockReserve(mb, base, 0x100000n, { why: 'test', source: 'test', stage: 'test' }));
    const a = fields(memInitPrintEarly(state, ctx).lines[0]!.text);
    const b = fields(memInitPrintEarly(more, ctx).lines[0]!.text);
    expect(b).toEqual({ available: a.available - 1024, physpages: a.physpages, reserved: a.reserved + 1024 });
  });

  // expect 6.1 to print from mm_init(), not page_alloc_init_late()
  test('memory_position_6_1: expect nothing from memInitPrintLate', () => {
    expect(memInitPrintLate(before(ctx, memInitPrintLate), ctx).lines).toEqual([]);
  });
});

describe('memInitPrintLate (6.12-amd64)', () => {
  // expect 6.12 the other way round: page_alloc_init_late() prints it, mm_init's place prints nothing
  test('memory_position_6_12: expect nothing early, one Memory: line late', () => {
    const ctx = ctxOf('6.12-amd64', 512);
    expect(memInitPrintEarly(before(ctx, memInitPrintEarly), ctx).lines).toEqual([]);
    expect(memInitPrintLate(before(ctx, memInitPrintLate), ctx).lines.map((l) => l.fmt)).toEqual(['mem.summary']);
  });
});

describe('memInitPrintEarly (6.1-686-pae, pc, 2G)', () => {
  // expect the i386 line with its highmem field (set_highmem_pages_init's free pages above max_low_pfn), as captured
  test('memory_line_i386_highmem: expect the captured line, 1195912K highmem', () => {
    const ctx = ctxOf('6.1-686-pae', 2048);
    expect(memInitPrintEarly(before(ctx, memInitPrintEarly), ctx).lines.map((l) => l.text)).toEqual([
      'Memory: 2058968K/2096632K available (9423K kernel code, 1265K rwdata, 3188K rodata, 928K init, 476K bss, 37664K reserved, 0K cma-reserved, 1195912K highmem)',
    ]);
  });
});
