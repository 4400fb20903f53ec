// Stage tests for memblock-setup.ts, numa.ts, sparse.ts and mem-init.ts on the pinned kernels' facts.
import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext, type StageFn } from '../../../sim/boot.ts';
import { e820Stages } from '../../../sim/stages/e820.ts';
import { memblockSetup, pageTablesOf } from '../../../sim/stages/memblock-setup.ts';
import { numaInit, numaStateOf } from '../../../sim/stages/numa.ts';
import { sparseInit, sparseStateOf } from '../../../sim/stages/sparse.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec, NumaNodeSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
const G = 1024 * M;
function ctx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
const pipeline: StageFn[] = [...e820Stages, memblockSetup, numaInit, sparseInit];
const node = (bytes: number, cpus: number[]): NumaNodeSpec => ({ memoryBytes: bytes, memoryText: `${bytes / G}G`, cpus });

describe('init_mem_mapping page tables', () => {
  // expect ≤ 3G of RAM to fit the brk pgt_buf: no memblock page tables
  test('page_tables_512m_all_brk', () => {
    const r = simulate(ctx({}), pipeline);
    expect(pageTablesOf(r.state).memblockPages).toBe(0);
  });
  // expect RAM above 4G: the region holding brk maps from memblock, PMD 1G–2G, 2G–3G and the tail PTE,
  // the two PMD pages one ledger entry (one run of alloc_low_pages), each page below the one before
  //  0 ─ brk ─ 3G(hole)4G ─── 9G:  [1M, 3G) mapped last, from [min_pfn_mapped, max_pfn_mapped) at the top
  test('page_tables_8g_three_from_memblock', () => {
    const r = simulate(ctx({ memoryBytes: 8 * G, memoryText: '8G' }), pipeline);
    expect(pageTablesOf(r.state).memblockPages).toBe(3);
    const pts = memblockStateOf(r.state).ledger.filter((e) => e.why.startsWith('direct-map page table'));
    expect(pts.map((e) => [e.why, e.ranges])).toEqual([
      ['direct-map page table (PMD) ×2', [{ start: 0x23fffe000n, end: 0x240000000n }]],
      ['direct-map page table (PTE)', [{ start: 0x23fffd000n, end: 0x23fffe000n }]],
    ]);
  });
});

describe('NODE_DATA', () => {
  test('node_data_fake_node_512m', () => {
    const r = simulate(ctx({}), pipeline);
    expect(r.lines.filter((l) => l.stage === 'numa').map((l) => l.text)).toEqual([
      'No NUMA configuration found',
      'Faking a node at [mem 0x0000000000000000-0x000000001ffdffff]',
      'NODE_DATA(0) allocated [mem 0x1ffb5000-0x1ffdffff]',
    ]);
  });
  // expect 6.12's NODE_DATA not page-rounded: sizeof(pg_data_t) to SMP_CACHE_BYTES
  test('node_data_6_12_cache_rounded', () => {
    const r = simulate(ctx({ kernel: '6.12-amd64', memoryBytes: 4 * G, memoryText: '4G', cpus: 4, numa: [node(G, [0]), node(G, [1]), node(G, [2]), node(G, [3])] }), pipeline);
    expect(r.lines.filter((l) => l.fmt === 'node_data').map((l) => l.text)).toEqual([
      'NODE_DATA(0) allocated [mem 0x3ffd5680-0x3fffffff]',
      'NODE_DATA(1) allocated [mem 0x7ffd5680-0x7fffffff]',
      'NODE_DATA(2) allocated [mem 0xbffb5680-0xbffdffff]',
      'NODE_DATA(3) allocated [mem 0x13ffd2680-0x13fffcfff]',
    ]);
    expect(r.lines.filter((l) => l.fmt === 'numa.srat_cpu')).toEqual([]);
  });
  // expect the SRAT CPU lines (6.1), the memory affinity lines and the merge of each node's two blocks
  test('srat_merge_two_nodes_6_1', () => {
    const r = simulate(ctx({ memoryBytes: 4 * G, memoryText: '4G', cpus: 4, numa: [node(2 * G, [0, 1]), node(2 * G, [2, 3])] }), pipeline);
    const t = r.lines.filter((l) => l.stage === 'numa').map((l) => l.text);
    expect(t).toContain('SRAT: PXM 1 -> APIC 0x03 -> Node 1');
    expect(t).toContain('NUMA: Node 1 [mem 0x80000000-0xbfffffff] + [mem 0x100000000-0x13fffffff] -> [mem 0x80000000-0x13fffffff]');
    expect(t.slice(-2)).toEqual(['NODE_DATA(0) allocated [mem 0x7ffd5000-0x7fffffff]', 'NODE_DATA(1) allocated [mem 0x13ffd2000-0x13fffcfff]']);
    expect(numaStateOf(r.state).nrNodeIds).toBe(2);
  });
  // expect numa=off: no SRAT lines, dummy_numa_init's "NUMA turned off" and one node over all memory
  test('numa_off_ignores_srat_6_1', () => {
    const r = simulate(ctx({ memoryBytes: 2 * G, memoryText: '2G', numa: [node(G, [0]), node(G, [1])], cmdline: 'numa=off' }), pipeline);
    expect(r.lines.filter((l) => l.stage === 'numa').map((l) => l.text)).toEqual([
      'NUMA turned off',
      'Faking a node at [mem 0x0000000000000000-0x000000007ffdffff]',
      'NODE_DATA(0) allocated [mem 0x7ffb5000-0x7ffdffff]',
    ]);
    expect(numaStateOf(r.state).cpuToNode).toEqual([0, 0]);
  });
  // expect acpi=off: acpi_numa_init() fails, so the SRAT of a -numa profile is never read: the dummy node
  test('acpi_off_ignores_srat_6_1', () => {
    const r = simulate(ctx({ memoryBytes: 2 * G, memoryText: '2G', numa: [node(G, [0]), node(G, [1])], cmdline: 'acpi=off' }), pipeline);
    expect(r.lines.filter((l) => l.stage === 'numa').map((l) => l.text).slice(0, 2)).toEqual(['No NUMA configuration found', 'Faking a node at [mem 0x0000000000000000-0x000000007ffdffff]']);
  });
  // expect a memoryless node: its CPU's SRAT line, no memory affinity, no NODE_DATA; possible, so
  // nr_node_ids counts it, and its CPU is on it (init_cpu_to_node)
  test('memoryless_node_no_node_data_6_1', () => {
    const r = simulate(ctx({ memoryBytes: 2 * G, memoryText: '2G', numa: [node(2 * G, [0]), { memoryBytes: 0, memoryText: '0M', cpus: [1] }] }), pipeline);
    const t = r.lines.filter((l) => l.stage === 'numa').map((l) => l.text);
    expect(t).toContain('SRAT: PXM 1 -> APIC 0x01 -> Node 1');
    expect(t.filter((x) => x.startsWith('NODE_DATA'))).toEqual(['NODE_DATA(0) allocated [mem 0x7ffb5000-0x7ffdffff]']);
    const n = numaStateOf(r.state);
    expect(n.nrNodeIds).toBe(2);
    expect(n.nodes.map((x) => [x.nid, x.nodeData === undefined])).toEqual([[0, false], [1, true]]);
    expect(n.cpuToNode).toEqual([0, 1]);
  });
  // expect the i386 build (no CONFIG_NUMA) to ignore QEMU's SRAT: no NUMA lines, every CPU on node 0
  test('i386_numa_profile_ignored', () => {
    const r = simulate(ctx({ kernel: '6.1-686-pae', memoryBytes: G, memoryText: '1G', numa: [node(G / 2, [0]), node(G / 2, [1])] }));
    expect(r.lines.filter((l) => l.stage === 'numa')).toEqual([]);
    expect(numaStateOf(r.state)).toMatchObject({ numa: false, nrNodeIds: 1, cpuToNode: [0, 0] });
  });
  // expect possible_cpus= hotplug CPUs (no APIC ID) to take numa_init_array()'s round-robin node
  test('hotplug_cpus_round_robin_5_10', () => {
    const r = simulate(ctx({ kernel: '5.10-amd64', memoryBytes: 2 * G, memoryText: '2G', numa: [node(G, [0]), node(G, [1])], cmdline: 'possible_cpus=5' }), pipeline);
    expect(numaStateOf(r.state).cpuToNode).toEqual([0, 1, 0, 1, 0]);
  });
  test('dma_reserve_6_1', () => {
    // first 1M: the 158 present pages of [0x1000, 0x9f000), all reserved; + nothing else below 16M
    const r = simulate(ctx({}), pipeline);
    expect(numaStateOf(r.state).dmaReserve).toBe(158n);
  });
});

describe('sparse_init', () => {
  // expect the memmap buffer at the top below the vmemmap tables: 4 sections × 2M = 8M ending at 0x1fe00000
  test('sparse_memmap_buffer_512m', () => {
    const r = simulate(ctx({}), pipeline);
    const mm = memblockStateOf(r.state).ledger.find((e) => e.why === 'memmap (struct pages) of node 0')!;
    expect(mm.ranges).toEqual([{ start: 0x1f600000n, end: 0x1fe00000n }]);
  });
  // expect 1009G counted by ranges: 8072 present sections; root 0 with the first region [1M, 3G), roots
  // 1–63 (128 sections each) with [4G, 1010G) as one entry, each 4K root right below the one before
  //  … | roots 1–63 0xfc7fba8000–0xfc7fbe7000 | root 0 | root array 0xfc7fbe8000 |
  test('sparse_sections_and_roots_1009g', () => {
    const r = simulate(ctx({ memoryBytes: 1009 * G, memoryText: '1009G' }), pipeline);
    expect(sparseStateOf(r.state).sectionsPerNode).toEqual(new Map([[0, 8072n]]));
    const roots = memblockStateOf(r.state).ledger.filter((e) => e.why.startsWith('mem_section root'));
    expect(roots.map((e) => [e.why, e.ranges])).toEqual([
      ['mem_section root array', [{ start: 0xfc7fbe8000n, end: 0xfc7fbf0000n }]],
      ['mem_section root 0', [{ start: 0xfc7fbe7000n, end: 0xfc7fbe8000n }]],
      ['mem_section roots 1–63', [{ start: 0xfc7fba8000n, end: 0xfc7fbe7000n }]],
    ]);
  });
});

describe('mem_init_print_info', () => {
  const full = async () => (await import('../../../sim/boot.ts')).stages;
  // expect the five image fields from the facts, physpages = present pages, and the ledger's shares in explain
  test('memory_line_fields_6_1_512m', async () => {
    const r = simulate(ctx({}), await full());
    const m = r.lines.find((l) => l.fmt === 'mem.summary')!;
    expect(m.text).toMatch(/^Memory: \d+K\/523768K available \(14343K kernel code, 2338K rwdata, 9132K rodata, 2824K init, 17344K bss, \d+K reserved, 0K cma-reserved\)$/);
    expect(m.explain!['reserved']!.map((t) => t.name)).toContain('NODE_DATA(0)');
  });
  // expect the deferral count to run across the holes of the highest zone:
  //  DMA32: [16M, 128M) 28672 pfns | hole (memmap=32M$128M) | [160M, 512M) → deferred from 256M
  test('memory_available_deferred_across_hole', async () => {
    const r = simulate(ctx({ cmdline: 'memmap=32M$0x8000000' }), await full());
    const m = r.lines.find((l) => l.fmt === 'mem.summary')!;
    expect(m.explain!['available']!.some((t) => t.name.startsWith('deferred struct pages [pfn 10000, 1ffe0)'))).toBe(true);
  });
});

describe('init_cpu_to_node (5.10 memoryless nodes)', () => {
  // 5.10: node 0 has all the memory; nodes 1 and 2 only CPUs. init_cpu_to_node() walks the possible CPUs in
  // order and onlines each memoryless node at its first CPU: one NODE_DATA each, node 1 (CPUs 1, 2) before node 2
  // (CPU 3), both falling back to node 0 ("on node 0"), each followed by its Initmem and totalpages lines
  const numa = [node(2 * G, [0]), { memoryBytes: 0, memoryText: '0M', cpus: [1, 2] }, { memoryBytes: 0, memoryText: '0M', cpus: [3] }];
  const run = (kernel: string, cmdline?: string) => simulate(ctx({ kernel, memoryBytes: 2 * G, memoryText: '2G', cpus: 4, numa, ...(cmdline ? { cmdline } : {}) }));

  test('memoryless_nodes_in_cpu_order', () => {
    const r = run('5.10-amd64');
    const texts = r.lines.filter((l) => /NODE_DATA\([12]\)|node [12] |On node [12] /.test(l.text)).map((l) => l.text.replace(/\[mem 0x[0-9a-f]{8}-0x[0-9a-f]{8}\]/, '[mem …]'));
    expect(texts).toEqual([
      'NODE_DATA(1) allocated [mem …]', '    NODE_DATA(1) on node 0', 'Initmem setup node 1 [mem 0x0000000000000000-0x0000000000000000]', 'On node 1 totalpages: 0',
      'NODE_DATA(2) allocated [mem …]', '    NODE_DATA(2) on node 0', 'Initmem setup node 2 [mem 0x0000000000000000-0x0000000000000000]', 'On node 2 totalpages: 0',
    ]);
    const nd = memblockStateOf(r.state).ledger.filter((e) => /^NODE_DATA\([12]\) of memoryless/.test(e.why));
    expect(nd.map((e) => e.why)).toEqual(['NODE_DATA(1) of memoryless node 1', 'NODE_DATA(2) of memoryless node 2']);
    // top-down: node 2's page-rounded pg_data_t just under node 1's
    expect(nd[1]!.ranges[0]!.end).toBeLessThanOrEqual(nd[0]!.ranges[0]!.start);
    expect(numaStateOf(r.state).nodes.map((n) => n.nodeData !== undefined)).toEqual([true, true, true]);
  });

  test('later_series_untouched: expect 6.1 to take the free_area_init path instead (no NODE_DATA line for nodes 1, 2)', () => {
    const r = run('6.1-amd64');
    expect(r.lines.some((l) => /^NODE_DATA\([12]\)/.test(l.text))).toBe(false);
    expect(r.lines.filter((l) => l.text === 'Initializing node 1 as memoryless' || l.text === 'Initializing node 2 as memoryless')).toHaveLength(2);
  });
});

describe('mem_init → preallocate_vmalloc_pages (arch/x86/mm/init_64.c)', () => {
  // expect 4-level: 32T / 512G = 64 PUD pages; 5-level (an LA57 CPU on a CONFIG_X86_5LEVEL build): 12800T / 256T = 50 P4D
  // pages (percpu_alloc=page's filled entry: tests/sim/stages/percpu-page.test.ts)
  const term = (cpu: string | undefined, cmdline?: string) => {
    const r = simulate(ctx({ kernel: '6.1-amd64', memoryBytes: G, memoryText: '1G', ...(cpu ? { cpu } : {}), ...(cmdline ? { cmdline } : {}) }));
    const t = r.lines.find((l) => l.fmt === 'mem.summary')!.explain!['available']!.find((x) => x.name.startsWith('preallocate_vmalloc_pages'));
    return t?.value;
  };
  test.each([
    ['l4', undefined, undefined, -64n * 4n],
    ['l5', 'qemu64,+la57', undefined, -50n * 4n],
  ] as const)('vmalloc_entries_%s', (_n, cpu, cmdline, kbytes) => {
    expect(term(cpu, cmdline)).toBe(kbytes);
  });
});
