// mm_core_init()'s smaller printers: report_meminit() ("mem auto-init: …"), pci_iommu_alloc()
// (the AGP aperture probe, swiotlb's area count and its memblock allocations) and
// swiotlb_print_info() ("software IO TLB: mapped [mem …]").
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext, type StageFn } from '../../../sim/boot.ts';
import { reportMeminit, pciIommuAllocMemInit, pciIommuAllocPreinit, swiotlbPrintInfo, swiotlbStateOf } from '../../../sim/stages/mm-core-misc.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 512 * 2 ** 20, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
// Each build's entry read once: parsing a facts file costs more than the stage under test.
const entries = new Map<string, BootContext['kernel']>();
const entry = (id: string): BootContext['kernel'] => entries.get(id) ?? entries.set(id, loadKernelWithFacts(id)).get(id)!;
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: entry(kernel) });
const before = (ctx: BootContext, stage: StageFn) => simulate(ctx, stagesBefore(stage)).state;
const texts = (r: { lines: readonly { text: string }[] }): string[] => r.lines.map((l) => l.text);

describe('reportMeminit (report_meminit)', () => {
  test('meminit_debian_default: expect the 6.1 amd64 build line, heap alloc from INIT_ON_ALLOC_DEFAULT_ON', () => {
    const ctx = ctxOf('6.1-amd64');
    const want = ctx.kernel.facts.config.INIT_ON_ALLOC_DEFAULT_ON === 'y' ? 'on' : 'off';
    expect(texts(reportMeminit({}, ctx))).toEqual([expect.stringMatching(new RegExp(`^mem auto-init: stack:\\S+, heap alloc:${want}, heap free:off$`))]);
  });

  test.each([
    ['init_on_alloc=0', 'heap alloc:off, heap free:off', 1],
    ['init_on_alloc=1', 'heap alloc:on, heap free:off', 1],
    ['init_on_free=on', 'heap free:on', 2],
    ['init_on_free=bogus', 'heap free:off', 1],
  ])('meminit_cmdline %s: expect %s', (cmdline, part, n) => {
    const r = reportMeminit({}, ctxOf('6.1-amd64', { cmdline }));
    expect(r.lines[0]!.text).toContain(part);
    expect(r.lines).toHaveLength(n);
    if (n === 2) expect(r.lines[1]!.text).toBe('mem auto-init: clearing system memory may take some time...');
  });

  test('meminit_state_untouched: expect the state passed through as is', () => {
    const state = { logBuf: { len: 1n, replaced: false } };
    expect(reportMeminit(state, ctxOf('6.1-amd64')).state).toBe(state);
  });
});

describe('pciIommuAlloc', () => {
  test('iommu_where_by_version: expect the 6.1 call from mem_init and the 7.2 call from arch_mm_preinit, each a no-op in the other place', () => {
    const c61 = ctxOf('6.1-amd64', { memoryBytes: 8 * GiB, memoryText: '8G' });
    const c72 = ctxOf('7.2-amd64', { memoryBytes: 8 * GiB, memoryText: '8G' });
    const s61 = before(c61, pciIommuAllocMemInit);
    const s72 = before(c72, pciIommuAllocPreinit);
    expect(pciIommuAllocPreinit(s61, c61)).toEqual({ state: s61, lines: [] });
    expect(pciIommuAllocMemInit(s72, c72)).toEqual({ state: s72, lines: [] });
    expect(texts(pciIommuAllocMemInit(s61, c61))).toContain('AGP: Checking aperture...');
  });

  test('iommu_gart_probe_amd_only: expect the AGP probe lines for qemu64 (AMD family 15), none for an Intel model', () => {
    const amd = ctxOf('6.1-amd64');
    expect(texts(pciIommuAllocMemInit(before(amd, pciIommuAllocMemInit), amd)).slice(0, 2)).toEqual(['AGP: Checking aperture...', 'AGP: No AGP bridge found']);
    const i386 = ctxOf('6.1-686-pae');
    expect(texts(pciIommuAllocMemInit(before(i386, pciIommuAllocMemInit), i386))).not.toContain('AGP: Checking aperture...');
  });

  test.each([
    // ≤ 4G of RAM: max_possible_pfn is within DMA32, so no bounce buffer (pci_swiotlb_detect)
    ['512m_no_swiotlb', 512 * 2 ** 20, '512M', 2, undefined, undefined],
    // > 4G: swiotlb on; area num = roundup_pow_of_two(3 CPUs) = 4 (6.0+)
    ['8g_3cpus', 8 * GiB, '8G', 3, undefined, 4],
    ['8g_1cpu', 8 * GiB, '8G', 1, undefined, 1],
  ])('swiotlb_%s: expect the bounce buffer only above 4G, its area count a power of two', (_n, memoryBytes, memoryText, cpus, cmdline, areas) => {
    const ctx = ctxOf('6.1-amd64', { memoryBytes, memoryText, cpus, ...(cmdline ? { cmdline } : {}) });
    const r = pciIommuAllocMemInit(before(ctx, pciIommuAllocMemInit), ctx);
    const s = swiotlbStateOf(r.state);
    if (areas === undefined) {
      expect(s).toBeUndefined();
      expect(texts(r).some((t) => t.startsWith('software IO TLB'))).toBe(false);
      return;
    }
    expect(texts(r)).toContain(`software IO TLB: area num ${areas}.`);
    // 64M of 2K slabs, placed below 4G (memblock_alloc_low)
    expect(s).toMatchObject({ nareas: areas, nslabs: 32768n, bytes: 64n << 20n });
    expect(s!.start + s!.bytes).toBeLessThanOrEqual(2n ** 32n);
    expect(s!.start % 4096n).toBe(0n);
  });

  test.each([
    // setup_io_tlb_npages(): ALIGN(n, IO_TLB_SEGSIZE); 6.0+ round_up_default_nslabs() to a power of two, with its line
    ['6.1-amd64', 'swiotlb=16384', 16384n, undefined],
    ['6.1-amd64', 'swiotlb=10000', 16384n, 'software IO TLB: SWIOTLB bounce buffer size roundup to 32MB'],
    ['6.1-amd64', 'swiotlb=100', 256n, 'software IO TLB: SWIOTLB bounce buffer size roundup to 0MB'],
    ['6.1-amd64', 'swiotlb=8192,junk', 8192n, undefined],
    ['6.1-amd64', 'swiotlb=1024 swiotlb=4096', 4096n, undefined],
    // 5.10: io_tlb_nslabs = ALIGN(n, 128), no power of two; 20000 → 20096 slabs (39MB printed)
    ['5.10-amd64', 'swiotlb=20000', 20096n, undefined],
    ['5.10-amd64', 'swiotlb=0', 32768n, undefined],
  ] as const)('swiotlb_param %s %s: expect %s slabs', (kernel, cmdline, nslabs, roundup) => {
    const ctx = ctxOf(kernel, { memoryBytes: 8 * GiB, memoryText: '8G', cmdline });
    const r = pciIommuAllocMemInit(before(ctx, pciIommuAllocMemInit), ctx);
    expect(swiotlbStateOf(r.state)).toMatchObject({ nslabs, bytes: nslabs << 11n });
    expect(texts(r).filter((t) => t.includes('roundup'))).toEqual(roundup === undefined ? [] : [roundup]);
  });

  test.each(['iommu=off', 'swiotlb=noforce', 'swiotlb=force', 'swiotlb=16384,4', 'swiotlb=16384,4,force', 'swiotlb'])('swiotlb_refused %s: expect a whole boot refused, not one with the default buffer', (cmdline) => {
    const ctx = ctxOf('6.1-amd64', { memoryBytes: 8 * GiB, memoryText: '8G', cmdline });
    expect(() => simulate(ctx)).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED' }));
  });

  test('swiotlb_5_10_no_area_line: expect no "area num" line before 6.0, the buffer still allocated', () => {
    const ctx = ctxOf('5.10-amd64', { memoryBytes: 8 * GiB, memoryText: '8G' });
    const r = pciIommuAllocMemInit(before(ctx, pciIommuAllocMemInit), ctx);
    expect(texts(r).some((t) => t.includes('area num'))).toBe(false);
    expect(swiotlbStateOf(r.state)?.bytes).toBe(64n << 20n);
  });
});

describe('swiotlbPrintInfo', () => {
  // A bounce buffer at 0xbbfdf000, 64M:  [0xbbfdf000 ───── 0xbffdf000)
  const slice = { nslabs: 32768n, nareas: 2, bytes: 64n << 20n, start: 0xbbfdf000n, explain: [] };

  test('print_mapped_exclusive_end: expect the range printed with an exclusive end and the size in MB', () => {
    const r = swiotlbPrintInfo({ swiotlb: slice }, ctxOf('6.1-amd64'));
    expect(texts(r)).toEqual(['software IO TLB: mapped [mem 0x00000000bbfdf000-0x00000000bffdf000] (64MB)']);
  });

  test('print_width_i386: expect 4-byte phys_addr_t without PAE, 8-byte with it', () => {
    expect(texts(swiotlbPrintInfo({ swiotlb: slice }, ctxOf('6.1-686')))[0]).toContain('[mem 0xbbfdf000-0xbffdf000]');
    expect(texts(swiotlbPrintInfo({ swiotlb: slice }, ctxOf('6.1-686-pae')))[0]).toContain('[mem 0x00000000bbfdf000-0x00000000bffdf000]');
  });

  test('print_none_without_buffer: expect no line when swiotlb was not set up', () => {
    expect(swiotlbPrintInfo({}, ctxOf('6.1-amd64')).lines).toEqual([]);
  });
});
