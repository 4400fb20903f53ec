import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../../sim/boot.ts';
import { predictState } from '../../../../sim/stages/state/index.ts';
import { DIRECT_MAP_SUM } from '../../../../sim/stages/state/meminfo.ts';
import { lowmem32StateOf } from '../../../../sim/stages/lowmem32.ts';
import { lateFrees, bssDecryptedUsedPages } from '../../../../sim/stages/state/late-frees.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import type { MachineSpec } from '../../../../sim/types.ts';
import { simErrorCode } from '../../sim-error-code.ts';

const M = 1024 * 1024;
function ctx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
const field = (fields: readonly { key: string; value: string }[], key: string): string | undefined => fields.find((f) => f.key === key)?.value;

describe('late frees', () => {
  test('frees_6_1_amd64', () => {
    // expect: 6.1-amd64's image: initmem = init 2824K, the text/rodata and rodata/data gaps from the symbols,
    // .bss..decrypted's 3 used pages leave 509 of its PMD (2036K), SMP alternatives 36K with 2 CPUs
    const c = ctx({});
    const { state } = simulate(c);
    const k = new Map(lateFrees(state, c).map((f) => [f.name, (f.endPfn - f.startPfn) * 4n]));
    expect(k.get('unused kernel image (initmem)')).toBe(BigInt(c.kernel.facts.image.initK));
    expect(k.get('unused decrypted')).toBe(2036n);
    expect(bssDecryptedUsedPages(c).pages).toBe(3n);
    expect(k.get('SMP alternatives')).toBe(36n);
    expect(k.get('unused kernel image (text/rodata gap)')).toBe(2040n);
    expect(k.get('unused kernel image (rodata/data gap)')).toBe(1108n);
  });
  test('frees_6_12_decrypted', () => {
    // expect: 6.12 adds hyperv's ap_start_input_arg and tsc_pg to .bss..decrypted (HYPERV=m): 5 pages used, 2028K freed
    const c = ctx({ kernel: '6.12-amd64' });
    const f = lateFrees(simulate(c).state, c).find((x) => x.name === 'unused decrypted')!;
    expect((f.endPfn - f.startPfn) * 4n).toBe(2028n);
  });
  test('frees_7_3_no_smp_alternatives', () => {
    // expect: 7.3 has no .smp_locks (traits.smpLocks 'none'), so no "SMP alternatives" free, with 1 or 2 CPUs;
    // 7.2 frees its table from the arch_initcall
    for (const cpus of [1, 2]) {
      const c = ctx({ kernel: '7.3-amd64', cpus });
      expect(lateFrees(simulate(c).state, c).map((f) => f.name), `${cpus} CPUs`).not.toContain('SMP alternatives');
    }
    const c72 = ctx({ kernel: '7.2-amd64' });
    expect(lateFrees(simulate(c72).state, c72).find((f) => f.name === 'SMP alternatives')?.when).toBe('arch_initcall');
  });
  test('frees_i386_no_gaps', () => {
    // expect: i386's mark_rodata_ro frees no gaps and there is no .bss..decrypted
    const c = ctx({ kernel: '6.1-686-pae', memoryBytes: 1024 * M, memoryText: '1G' });
    const { state } = simulate(c);
    expect(lateFrees(state, c).map((f) => f.name).sort()).toEqual(['SMP alternatives', 'unused kernel image (initmem)']);
  });
});

describe('predictState', () => {
  test.each([
    ['6.1-amd64', 'pc', 512, 2], ['6.1-amd64', 'q35', 2048, 4], ['5.10-amd64', 'pc', 1024, 1], ['6.12-amd64', 'pc', 4096, 2],
    ['7.2-amd64', 'q35', 1024, 3], ['6.1-686-pae', 'pc', 3072, 2], ['5.10-686-pae', 'pc', 1024, 2],
  ] as const)('memtotal_rule_%s_%s_%sm_%scpu', (kernel, machine, mem, cpus) => {
    // expect: the MemTotal rule: Σ managed = totalram at the Memory: line + every later free; CommitLimit = half
    const c = ctx({ kernel, machine, memoryBytes: mem * M, memoryText: `${mem}M`, cpus });
    const { state } = simulate(c);
    const p = predictState(state, c);
    const sumManaged = p.zoneinfo.zones.reduce((n, z) => n + z.managed, 0n);
    const frees = p.zoneinfo.frees.reduce((n, f) => n + f.endPfn - f.startPfn, 0n);
    const memInit = state.memInit!;
    // ≥ 6.12 prints Memory: after alternative_instructions() freed SMP alternatives: already in totalram
    const after = c.traits.memoryLineFrom === 'page_alloc_init_late' ? p.zoneinfo.frees.filter((f) => f.name !== 'SMP alternatives' || f.when !== 'start_kernel') : p.zoneinfo.frees;
    expect(sumManaged).toBe(memInit.totalram + after.reduce((n, f) => n + f.endPfn - f.startPfn, 0n));
    expect(frees).toBeGreaterThan(0n);
    expect(field(p.fields, 'MemTotal')).toBe(`${sumManaged * 4n} kB`);
    expect(field(p.fields, 'CommitLimit')).toBe(`${(sumManaged / 2n) * 4n} kB`);
    // every populated zone: min ≤ low ≤ high, batch ≥ 1
    for (const z of p.zoneinfo.zones.filter((x) => x.populated)) {
      expect(z.min <= z.low && z.low <= z.high).toBe(true);
      expect(z.batch).toBeGreaterThanOrEqual(1n);
    }
  });
  test('thp_raise_above_512m', () => {
    // expect: at 2G hugepage_init() raises min_free_kbytes to 512 × 2 zones × 11 pages = 45056K
    // (nr_free_buffer_pages / 20 is larger); at 512M totalram is below 512M and THP stays off
    const big = ctx({ memoryBytes: 2048 * M, memoryText: '2G' });
    expect(predictState(simulate(big).state, big).zoneinfo.minFreeKbytes).toBe(45056n);
    const small = ctx({});
    expect(predictState(simulate(small).state, small).zoneinfo.minFreeKbytes).toBeLessThan(4096n);
  });
  test('pagesets_by_version', () => {
    // expect: 5.10 prints high = 6 × batch; 6.1 the low watermark split over the CPUs; 7.2 high_min/high_max, no fixed high
    const c510 = ctx({ kernel: '5.10-amd64' });
    const z510 = predictState(simulate(c510).state, c510).zoneinfo.zones.find((z) => z.zone === 'DMA32')!;
    expect(z510.pagesetHigh).toBe(6n * z510.batch);
    // expect: a zone whose zone_batchsize() is 0 (DMA) prints high 0 and batch 1 (pageset_set_batch: 6 × 0, max(1, 0))
    const dma510 = predictState(simulate(c510).state, c510).zoneinfo.zones.find((z) => z.zone === 'DMA')!;
    expect([dma510.pagesetHigh, dma510.batch]).toEqual([0n, 1n]);
    const c72 = ctx({ kernel: '7.2-amd64' });
    const p72 = predictState(simulate(c72).state, c72);
    // 7.2 tunes high at run time: predicted as a range, 0 (never used) or [4 × the earliest batch, managed / 8]; DMA32 is
    // node 0's last zone, whose pages the deferred-init threads free after setup_per_cpu_pageset(): its earliest batch is ≥ 1
    const h72 = p72.fields.find((f) => f.key === 'Node 0, zone DMA32: cpu 0 high')!;
    const z72 = p72.zoneinfo.zones.find((z) => z.zone === 'DMA32')!;
    expect(h72.range).toEqual({ lo: 4n, hi: z72.managed / 8n, also: [0n] });
    expect(h72.value).toBe(`0 or 4..${z72.managed / 8n}`);
    expect(z72.highMin! >= h72.range!.lo && z72.highMax! <= h72.range!.hi).toBe(true);
    expect(field(p72.fields, 'Node 0, zone DMA32: cpu 1 high_min')).toBeDefined();
    expect(field(p72.fields, 'Node 0, zone DMA32: promo')).toBeDefined();
  });
  test('pcp_high_range_deferred_zone', () => {
    // expect: 6.12 q35 4G: the node's last zone (Normal) is left to the deferred-init threads, so its earliest batch is not
    // modelled and its range starts at 4 × 1; DMA32 before it starts at 4 × its batch at memblock_free_all()
    const c = ctx({ kernel: '6.12-amd64', machine: 'q35', memoryBytes: 4096 * M, memoryText: '4G', cpus: 4 });
    const p = predictState(simulate(c).state, c);
    expect(p.fields.find((f) => f.key === 'Node 0, zone Normal: cpu 3 high')?.range?.lo).toBe(4n);
    const dma32 = p.zoneinfo.zones.find((z) => z.zone === 'DMA32')!;
    expect(p.fields.find((f) => f.key === 'Node 0, zone DMA32: cpu 0 high')?.range?.lo).toBe(4n * dma32.batch);
  });
  test('direct_map_pc_512m', () => {
    // expect: x86_64 pc 512M (RAM to 0x1ffe0000): init_mem_mapping maps [0, 1M) (ISA, 256 4K), [1M, 2M) (head, 256 4K),
    // [2M, 510M) in 254 2M pages and the tail [510M, 0x1ffe0000) in 480 4K: the sum exact, each line a range in whole 2M pages
    const c = ctx({ kernel: '6.12-amd64' });
    const f = new Map(predictState(simulate(c).state, c).fields.map((x) => [x.key, x]));
    const k4 = (256n + 256n + 480n) * 4n;
    const m2 = 254n * 2048n;
    expect(f.get(DIRECT_MAP_SUM)?.value).toBe(`${k4 + m2} kB`);
    expect(f.get('DirectMap4k')?.range).toEqual({ lo: k4, hi: k4 + m2, also: [], step: 2048n, unit: 'kB' });
    expect(f.get('DirectMap2M')?.range).toEqual({ lo: 0n, hi: m2, also: [], step: 2048n, unit: 'kB' });
    expect(f.has('DirectMap1G')).toBe(false);
    // i386 pc 1G: the direct map is lowmem, all of it RAM, so the sum is max_low_pfn pages; PAE steps in 2M, 2-level paging in 4M (DirectMap4M)
    for (const [kernel, big, step] of [['6.1-686-pae', 'DirectMap2M', 2048n], ['6.1-686', 'DirectMap4M', 4096n]] as const) {
      const c32 = ctx({ kernel, memoryBytes: 1024 * M, memoryText: '1G' });
      const r = simulate(c32);
      const f32 = new Map(predictState(r.state, c32).fields.map((x) => [x.key, x]));
      expect(f32.get(DIRECT_MAP_SUM)?.value, kernel).toBe(`${lowmem32StateOf(r.state).maxLowPfn * 4n} kB`);
      expect(f32.get('DirectMap4k')?.range?.step, kernel).toBe(step);
      expect(f32.get(big)?.range?.step, kernel).toBe(step);
      expect(f32.has(big === 'DirectMap2M' ? 'DirectMap4M' : 'DirectMap2M'), kernel).toBe(false);
    }
  });
  test('pagesets_5_10_after_deferred_init', () => {
    // expect: 5.10 q35 4G: the 2G Normal zone is mostly deferred at setup_per_cpu_pageset(), but page_alloc_init_late()
    // sets the pagesets again from the whole zone: batch at the 1 MiB cap (256 / 4 = 64 → 63), high 6 × 63
    const c = ctx({ kernel: '5.10-amd64', machine: 'q35', memoryBytes: 4096 * M, memoryText: '4G', cpus: 4 });
    const n = predictState(simulate(c).state, c).zoneinfo.zones.find((z) => z.zone === 'Normal')!;
    expect([n.batch, n.pagesetHigh]).toEqual([63n, 378n]);
  });
  test('cma_area_managed_7_2', () => {
    // expect: cma=64M on 7.2: cma_activate_area() gives the area's 16384 pages to its zone's managed; CmaTotal 65536 kB;
    // MemTotal still Memory:'s totalram (which leaves the area out) plus the area plus every later free
    const c = ctx({ kernel: '7.2-amd64', memoryBytes: 1024 * M, memoryText: '1G', cmdline: 'cma=64M' });
    const { state } = simulate(c);
    const p = predictState(state, c);
    expect(field(p.fields, 'CmaTotal')).toBe('65536 kB');
    expect(p.zoneinfo.zones.reduce((n, z) => n + z.cma, 0n)).toBe(16384n);
    const frees = p.zoneinfo.frees.reduce((n, f) => n + f.endPfn - f.startPfn, 0n);
    expect(p.zoneinfo.totalram).toBe(state.memInit!.totalram + 16384n + frees);
  });
  test('iomem_kernel_resources', () => {
    // expect: 6.1-amd64's image: Kernel code [_text, _etext − 1] = 01000000-01e01d31 … bss [__bss_start, __bss_stop − 1]
    const c = ctx({});
    const p = predictState(simulate(c).state, c);
    expect(['Kernel code', 'Kernel rodata', 'Kernel data', 'Kernel bss'].map((k) => field(p.fields, k))).toEqual(['01000000-01e01d31', '02000000-028eafff', '02a00000-02c4897f', '03310000-043fffff']);
  });
  test('iomem_e820_entries', () => {
    // expect: one top-level resource per e820_table entry named by type; on q35 the MCFG window's reserved entry sits
    // under PCI MMCONFIG (depth 1); with acpi=off there is no MCFG window and it stays at the top (as a q35 acpi=off boot shows)
    const pc = ctx({});
    const ppc = predictState(simulate(pc).state, pc);
    expect(field(ppc.fields, '00100000-1ffdffff : System RAM')).toBe('depth 0');
    const q = ctx({ machine: 'q35', memoryBytes: 2048 * M, memoryText: '2G' });
    expect(field(predictState(simulate(q).state, q).fields, 'b0000000-bfffffff : Reserved')).toBe('depth 1');
    const off = ctx({ machine: 'q35', memoryBytes: 2048 * M, memoryText: '2G', cmdline: 'acpi=off' });
    expect(field(predictState(simulate(off).state, off).fields, 'b0000000-bfffffff : Reserved')).toBe('depth 0');
  });
  test('vm_sysctl_refused', () => {
    // expect: sysctl.vm.min_free_kbytes= (do_sysctl_args) would change the watermarks: refused by name
    const c = ctx({ cmdline: 'sysctl.vm.min_free_kbytes=8192' });
    expect(simErrorCode(() => predictState(simulate(c).state, c))).toBe('SIM_NOT_MODELLED');
  });
  test.each([
    // kernel, Zswap printed (CONFIG_ZSWAP, 5.19+), Bounce predicted (no CONFIG_HIGHMEM, 6.1+: 5.10's bounce rule unread)
    ['5.10-amd64', false, false], ['6.1-amd64', true, true], ['7.2-amd64', true, true], ['6.1-686-pae', true, false],
  ] as const)('probe_zeros_%s', (kernel, zswap, bounce) => {
    // expect: SwapCached, NFS_Unstable, WritebackTmp and VmallocChunk are 0 kB on every kernel; Zswap/Zswapped only
    // where meminfo prints them; Bounce only where no highmem page can be bounced (absent, i.e. unmodelled, on PAE)
    const c = ctx({ kernel });
    const f = predictState(simulate(c).state, c).fields;
    for (const k of ['SwapCached', 'NFS_Unstable', 'WritebackTmp', 'VmallocChunk']) expect(field(f, k)).toBe('0 kB');
    expect(field(f, 'Zswap')).toBe(zswap ? '0 kB' : undefined);
    expect(field(f, 'Zswapped')).toBe(zswap ? '0 kB' : undefined);
    expect(field(f, 'Bounce')).toBe(bounce ? '0 kB' : undefined);
    expect(f.find((x) => x.key === 'SwapCached')?.explain[0]?.source).toMatch(/add_to_swap_cache/);
  });
  test('hugepages_refused', () => {
    // expect: hugepages= changes HugePages_* and CommitLimit after boot: refused by name
    const c = ctx({ cmdline: 'hugepages=16', memoryBytes: 1024 * M, memoryText: '1G' });
    expect(simErrorCode(() => predictState(simulate(c).state, c))).toBe('SIM_NOT_MODELLED');
  });
});
