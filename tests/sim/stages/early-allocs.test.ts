// Stage tests for the in-place memblock allocations between paging_init and mem_init:
// sim/stages/setup-arch-allocs.ts, start-kernel.ts, zones.ts (calc_nr_kernel_pages),
// mm-core-misc.ts (swiotlb placement); percpu.ts's are in percpu.test.ts.
import { describe, expect, test } from 'vitest';
import { memblockInit, memblockAdd, memblockReserve, memblockAlloc, memblockSetCurrentLimit, SMP_CACHE_BYTES } from '../../../sim/stages/memblock.ts';
import { ceaMappedBytes, cpuEntryAreaTablePages } from '../../../sim/stages/start-kernel.ts';
import { calcNrKernelPages } from '../../../sim/stages/zones.ts';
import { bootContext, simulate, stages, type BootContext } from '../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const w = (why: string) => ({ why, source: 'test', stage: 'test' });
const M = 0x100000n;

describe('small setup_arch / start_kernel allocations', () => {
  // expect sub-page SMP_CACHE_BYTES allocations to stack downwards inside one page, 64-byte aligned:
  //   page 0xfff000: | … | 104 @0xffff00 | 73 @0xffff80 |  (top of memory 16M)
  test('memblock_alloc_subpage_stack_top_down', () => {
    let mb = memblockAdd(memblockInit(), 0n, 16n * M);
    mb = memblockSetCurrentLimit(mb, 16n * M);
    const a = memblockAlloc(mb, { size: 73n, align: SMP_CACHE_BYTES, ...w('hpet') });
    const b = memblockAlloc(a.mb, { size: 104n, align: SMP_CACHE_BYTES, ...w('fme') });
    expect(a.addr).toBe(16n * M - 128n);
    expect(b.addr).toBe(16n * M - 256n);
  });

  test.each([
    // expect 2 CPUs (2 × 236K + 4K) in one 2M PTE page: PUD + PMD + 1 PTE = 3 (every captured profile)
    ['2cpus', 2, 3n],
    // expect 8 CPUs still fit one 2M span; 9 need a second PTE page
    ['8cpus', 8, 3n],
    ['9cpus', 9, 4n],
  ])('cpu_entry_area_tables_%s', (_n, cpus, pages) => {
    expect(cpuEntryAreaTablePages(cpus, 241664n)).toBe(pages);
  });
  test.each([
    // expect: the last CPU's Intel debug store (1 + 32 pages) and the VC stacks' tail (7 pages) are
    // never mapped on an AMD boot CPU: 19 of 59 pages; an Intel boot CPU maps the debug store too
    ['amd', 'AMD', 77824n],
    ['hygon', 'Hygon', 77824n],
    ['intel', 'Intel', 241664n],
  ])('cpu_entry_area_mapped_%s', (_n, vendor, bytes) => {
    expect(ceaMappedBytes(241664n, vendor)).toBe(bytes);
  });
  test.each([
    // expect (captured, 5.10 q35, 200 vCPUs, qemu64): 25 page-table pages, not the 26 of whole structs
    ['200cpus_amd', 200, 'AMD', 25n],
    ['200cpus_intel', 200, 'Intel', 26n],
    // expect: 255 vCPUs either way 32 (captured on 6.1 pc)
    ['255cpus_amd', 255, 'AMD', 32n],
  ])('cpu_entry_area_tables_last_mapped_%s', (_n, cpus, vendor, pages) => {
    expect(cpuEntryAreaTablePages(cpus, 241664n, ceaMappedBytes(241664n, vendor))).toBe(pages);
  });
});

describe('calc_nr_kernel_pages', () => {
  // expect whole free pages of memory minus reserved, PFN_UP(start)…PFN_DOWN(end):
  //   memory |0 ............................ 16M|
  //   reserved   |1M..2M|         |15M+64 .. 16M|
  //   free   |0..1M|   |2M ..... 15M+64|  → 256 + 3328 pages (the partial page at 15M is not counted)
  test('nr_kernel_pages_free_ranges', () => {
    let mb = memblockAdd(memblockInit(), 0n, 16n * M);
    mb = memblockReserve(mb, M, M, w('a'));
    mb = memblockReserve(mb, 15n * M + 64n, M - 64n, w('b'));
    expect(calcNrKernelPages(mb, undefined)).toEqual({ nrKernelPages: 256n + 3328n, nrAllPages: 256n + 3328n });
    // expect the HIGHMEM clamp to keep nr_all_pages and cut nr_kernel_pages at the highmem start (pfn 0x800)
    expect(calcNrKernelPages(mb, 0x800n)).toEqual({ nrKernelPages: 256n + 1536n, nrAllPages: 256n + 3328n });
  });
});

describe('swiotlb placement', () => {
  function ctx(p: Partial<MachineSpec>): BootContext {
    const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 8 * 1024 ** 3, memoryText: '8G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
    return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
  }
  // expect memblock_alloc_low() top-down below 4G: the 64M buffer ends at the top of low RAM (3G on pc,
  // less the page QEMU keeps at 0xbffe0000 for the ACPI tables), after every earlier allocation
  //   | … RAM … | swiotlb 64M |0xbffe0000 (e820 reserved) … 4G PCI hole | RAM above 4G (percpu, hashes …)
  test('swiotlb_mapped_below_4g_top_down', () => {
    const r = simulate(ctx({}), stages);
    const line = r.lines.find((l) => l.fmt === 'swiotlb.mapped')!;
    expect(line.text).toBe('software IO TLB: mapped [mem 0x00000000bbfe0000-0x00000000bffe0000] (64MB)');
  });
});
