import { describe, expect, test } from 'vitest';
import { chosenFirstChunk, pageFirstChunkLine, pageGroupMap, pcpuPageFirstChunk } from '../../../sim/stages/percpu-page.ts';
import { pcpuBuildAllocInfo } from '../../../sim/stages/percpu.ts';
import { memblockAdd, memblockInit, memblockSetCurrentLimit, memblockSetNode, type MemblockState } from '../../../sim/stages/memblock.ts';
import { paramRefusal } from '../../../sim/stages/cmdline.ts';
import { parseProfile } from '../../../harness/profile/load.ts';
import { simulate } from '../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { deriveTraits } from '../../../sim/traits.ts';
import { populateExtraPteRange32, type PageTables32 } from '../../../sim/stages/init32.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { simErrorCode } from '../sim-error-code.ts';

const KB = 1024;
const PAGE = 4096n;
const M = 0x100000n;

/** 64M of memory, current_limit at its top; with `split`, node 0 below 32M and node 1 above. */
const memory64M = (split = false): MemblockState => {
  let mb = memblockSetCurrentLimit(memblockAdd(memblockInit(), 0n, 64n * M), 64n * M);
  if (split) mb = memblockSetNode(memblockSetNode(mb, 0n, 32n * M, 'memory', 0), 32n * M, 32n * M, 'memory', 1);
  return mb;
};
const topo = (cpuToNode: number[]) => ({
  possibleCpus: cpuToNode.length, nrNodeIds: Math.max(...cpuToNode) + 1, cpuToNode, memoryNodes: [...new Set(cpuToNode)], numa: true,
  distance: (a: number, b: number) => (a === b ? 10 : 20), explain: [],
});
/** A context with a qemu64 CPU (no LA57): what pgtable_l5_enabled() reads. */
const ctxOf = (kernel: string, cpu?: string) => {
  const k = loadKernelWithFacts(kernel);
  const spec = parseProfile(`kernel: ${kernel}\nmachine: pc\nmemory: 1G\ncpus: 2\n${cpu ? `cpu: "${cpu}"\n` : ''}`, 't.yaml');
  return { spec, traits: deriveTraits(k) };
};
const pagesOf = (mb: MemblockState): bigint => mb.reserved.reduce((n, r) => n + (r.end - r.start), 0n) / PAGE;
const codeOf = simErrorCode;

describe('percpu_alloc_setup', () => {
  test.each([
    // expect: the last percpu_alloc= wins; '-' and '_' are one (parameq); no parameter leaves PCPU_FC_AUTO
    ['', 'auto'],
    ['percpu_alloc=page', 'page'],
    ['percpu-alloc=page', 'page'],
    ['percpu_alloc=page percpu_alloc=embed', 'embed'],
    ['nokaslr percpu_alloc=embed percpu_alloc=page', 'page'],
  ] as const)('chosen_%s', (cl, want) => expect(chosenFirstChunk(cl)).toBe(want));

  const k = loadKernelWithFacts('6.1-amd64');
  test.each([
    // expect: page and embed accepted; other values (the kernel warns "unknown allocator") and no value refused by name
    ['percpu_alloc=page', undefined],
    ['percpu_alloc=embed', undefined],
    ['percpu_alloc=lpage', /^percpu_alloc=lpage: .*only percpu_alloc=embed and percpu_alloc=page/],
    ['percpu_alloc', /^percpu_alloc: .*only percpu_alloc=embed and percpu_alloc=page/],
  ])('review_%s', (cl, want) => {
    const r = paramRefusal(cl, k.facts.params, deriveTraits(k));
    if (want === undefined) expect(r).toBeUndefined();
    else expect(r).toMatch(want);
  });

  test.each(['5.10-686-pae', '6.1-686', '6.1-686-pae'])('review_i386_page_accepted_%s: expect X86_32 percpu_alloc=page inside the envelope, lpage still refused', (id) => {
    const k32 = loadKernelWithFacts(id);
    expect(paramRefusal('percpu_alloc=page', k32.facts.params, deriveTraits(k32))).toBeUndefined();
    expect(paramRefusal('percpu_alloc=lpage', k32.facts.params, deriveTraits(k32))).toMatch(/only percpu_alloc=embed and percpu_alloc=page/);
  });
});

describe('pcpu_page_first_chunk', () => {
  // 6.1 amd64 sizes: s217088 r8192, PERCPU_DYNAMIC_EARLY_SIZE 12K; dyn_size 0 → size_sum PFN_ALIGN(237568) = 58 pages
  const build = (cpus: number) => pcpuBuildAllocInfo(217088, 8 * KB, 0, 4096, 12 * KB, pageGroupMap(cpus));

  test('alloc_info_one_group_of_page_units', () => {
    // expect: one group with every CPU, one unit per 4K alloc, unit = size_sum, dyn = the early size
    const { ai } = build(3);
    expect(ai.groups).toEqual([[0, 1, 2]]);
    expect(ai.unitSize).toBe(237568);
    expect(ai.allocSize).toBe(237568);
    expect(ai.dynSize).toBe(12288);
    expect(pageFirstChunkLine(ai).text).toBe('percpu: 58 4K pages/cpu s217088 r8192 d12288');
  });

  test('allocs_in_order_then_temporaries_freed', () => {
    // expect: alloc_info (one page), pages[] (PFN_ALIGN(58 × 2 × 8) = one page), 2 × 58 unit pages, then PUD + PMD + one
    // PTE page (2 × 232K < 2M), the setup hook, then pages[] and alloc_info freed: 116 + 3 pages stay reserved
    const { ai } = build(2);
    const before = memory64M();
    let hookSaw = -1;
    const mb = pcpuPageFirstChunk(before, ai, topo([0, 0]), ctxOf('6.1-amd64'), (m) => {
      hookSaw = m.ledger.length;
      return m;
    }).mb;
    const sizes = mb.ledger.slice(before.ledger.length).map((e) => [Number((e.made ?? e.ranges).reduce((n, r) => n + (r.end - r.start), 0n)), Number(e.count ?? 1n)]);
    expect(sizes).toEqual([[4096, 1], [4096, 1], [116 * 4096, 116], [3 * 4096, 3]]);
    expect(hookSaw).toBe(before.ledger.length + 4);
    expect(pagesOf(mb)).toBe(119n);
  });

  test('unit_pages_on_their_node', () => {
    // expect: cpu 0's 58 pages top-down from 32M (node 0's top); cpu 1's on node 1 under alloc_info and pages[],
    // which took 64M's top two pages (NUMA_NO_NODE)
    const { ai } = build(2);
    const mb = pcpuPageFirstChunk(memory64M(true), ai, topo([0, 1]), ctxOf('6.1-amd64'), (m) => m).mb;
    const units = mb.ledger.filter((e) => e.why.startsWith('percpu unit page'));
    expect(units.map((e) => e.ranges.map((r) => [r.start, r.end]))).toEqual([
      [[32n * M - 58n * PAGE, 32n * M]],
      [[64n * M - 2n * PAGE - 58n * PAGE, 64n * M - 2n * PAGE]],
    ]);
  });

  test('page_tables_per_2M_of_area', () => {
    // expect: 20 CPUs × 232K = 4640K spans 3 PTE pages → PUD + PMD + 3
    const { ai } = build(20);
    const mb = pcpuPageFirstChunk(memory64M(), ai, topo(new Array<number>(20).fill(0)), ctxOf('6.1-amd64'), (m) => m).mb;
    expect(mb.ledger.find((e) => e.why.startsWith('percpu vm area page table'))?.count).toBe(5n);
  });

  test('la57_p4d_page: expect a 5-level build with an LA57 CPU to take a P4D page first (fill_p4d), 4-level not', () => {
    const { ai } = build(2);
    const tables = (cpu?: string) => pcpuPageFirstChunk(memory64M(), ai, topo([0, 0]), ctxOf('6.12-amd64', cpu), (m) => m).mb.ledger.find((e) => e.why.includes('percpu vm area page table'))?.count;
    expect(tables('qemu64,+la57')).toBe(4n);
    expect(tables()).toBe(3n);
  });
});

describe('setup_per_cpu_areas with percpu_alloc=page', () => {
  const run = (cmdline: string) => {
    const k = loadKernelWithFacts('6.1-amd64');
    const spec = parseProfile(`kernel: 6.1-amd64\nmachine: pc\nmemory: 1G\ncpus: 2\n${cmdline ? `cmdline: "${cmdline}"\n` : ''}`, 't.yaml');
    return simulate({ spec, kernel: k }).lines.filter((l) => l.stage === 'percpu').map((l) => l.text);
  };
  test('stage_lines_page_vs_embed: expect the page line and a 4K-atom dump in place of Embedded', () => {
    const page = run('percpu_alloc=page');
    expect(page.some((t) => /^percpu: \d+ 4K pages\/cpu s\d+ r\d+ d\d+$/.test(t))).toBe(true);
    expect(page.some((t) => t.startsWith('percpu: Embedded'))).toBe(false);
    expect(page.find((t) => t.startsWith('pcpu-alloc: s'))).toMatch(/ alloc=\d+\*4096$/);
    expect(page).toContain('pcpu-alloc: [0] 0 [0] 1 ');
    const embed = run('percpu_alloc=embed');
    expect(embed.some((t) => t.startsWith('percpu: Embedded'))).toBe(true);
    expect(embed).toEqual(run(''));
  });
});

describe('populate_extra_pte on X86_32 (init_32.c one_page_table_init)', () => {
  // PAE: PMD_SHIFT 21; pgt_buf of 6 pages with 5 used, memory mapped below 64M
  const pae = { pae: true, pmdShift: 21n, ptrsPerPte: 512n, pageOffset: 0xc0000000n };
  const pgt = (present: bigint[] = []): PageTables32 => ({
    present, pgtBufUsed: 5n, pgtBufPages: 6n, pgtBufStart: 8n * M, minPfnMapped: 0x100n, maxPfnMapped: (64n * M) >> 12n, memblockPages: 0,
  });
  const mapped = memory64M();

  test('one_pte_page_per_pmd_spanned: expect pgt_buf first, then memblock below max_pfn_mapped', () => {
    // [2M − 4K, 2M + 4K) above 0xf8000000 touches 2 PMD slots: the last pgt_buf page, then one page from memblock
    const start = 0xf8000000n + 2n * M - PAGE;
    const r = populateExtraPteRange32(pgt(), mapped, pae, start, start + 2n * PAGE, 'test');
    expect(r.pgt.present).toEqual([start >> 21n, (start >> 21n) + 1n]);
    expect(r.pgt.pgtBufUsed).toBe(6n);
    expect(r.pgt.memblockPages).toBe(1);
    const added = r.mb.ledger.slice(mapped.ledger.length);
    expect(added.map((e) => e.ranges.map((x) => [x.start, x.end]))).toEqual([[[64n * M - PAGE, 64n * M]]]);
  });

  test('present_pmd_takes_nothing: expect no page where the PMD entry has its PTE page', () => {
    const start = 0xf8000000n;
    const r = populateExtraPteRange32(pgt([start >> 21n]), mapped, pae, start, start + 2n * M, 'test');
    expect(r.pgt.pgtBufUsed).toBe(5n);
    expect(r.mb.ledger.length).toBe(mapped.ledger.length);
  });
});

describe('setup_per_cpu_areas with percpu_alloc=page on X86_32', () => {
  const sim = (kernel: string, memory: string, cpus: number, cmdline: string) => {
    const k = loadKernelWithFacts(kernel);
    const spec = parseProfile(`kernel: ${kernel}\nmachine: pc\nmemory: ${memory}\ncpus: ${cpus}\n${cmdline ? `cmdline: "${cmdline}"\n` : ''}`, 't.yaml');
    return simulate({ spec, kernel: k });
  };
  test.each([
    // expect: 2-level paging (4M PMDs) and PAE (2M PMDs); the vm area at high_memory + 8M is new, so one PTE page per PMD it spans
    ['6.1-686', '1G', 4, 22n],
    ['6.1-686-pae', '3G', 8, 21n],
    ['5.10-686-pae', '2G', 3, 21n],
  ] as const)('vm_area_pte_pages_%s_%s_%icpus', (kernel, memory, cpus, shift) => {
    const page = sim(kernel, memory, cpus, 'percpu_alloc=page');
    const embed = sim(kernel, memory, cpus, '');
    const percpu = page.lines.find((l) => l.fmt === 'percpu.page');
    expect(percpu?.text).toMatch(/^percpu: \d+ 4K pages\/cpu s\d+ r0 d\d+$/);
    expect(page.lines.some((l) => l.fmt === 'percpu.embedded')).toBe(false);
    const ai = page.state.percpu!.ai;
    const lm = page.state.lowmem32!;
    const vmStart = lm.layout.pageOffset + (lm.highstartPfn << 12n) + 8n * M;
    const vmEnd = vmStart + BigInt(cpus * ai.unitSize);
    const slots = ((vmEnd - 1n) >> shift) - (vmStart >> shift) + 1n;
    // the PTE pages of the area appear in pgt32 (before trap_init's cpu_entry_area ones, which follow in both boots)
    const vmSlots = page.state.pgt32!.present.filter((s) => s >= vmStart >> shift && s < (vmEnd + (1n << shift) - 1n) >> shift);
    expect(BigInt(vmSlots.length)).toBe(slots);
    expect(embed.state.pgt32!.present.filter((s) => s >= vmStart >> shift && s < (vmEnd + (1n << shift) - 1n) >> shift)).toEqual([]);
    // no x86_64 PUD bookkeeping on X86_32; every unit page is a 4K memblock page from 16M up
    expect(page.state.percpu!.vmallocPudPages).toBeUndefined();
    const units = memblockStateOf(page.state).ledger.filter((e) => e.why.startsWith('percpu unit page'));
    expect(units.reduce((n, e) => n + (e.count ?? 1n), 0n)).toBe(BigInt(cpus * (ai.unitSize / 4096)));
    expect(units.every((e) => e.ranges.every((x) => x.start >= 16n * M))).toBe(true);
  });
});

describe('mem_init → preallocate_vmalloc_pages after percpu_alloc=page', () => {
  // expect: the first chunk filled VMALLOC_START's top-level entry from memblock, so one page fewer from the buddy
  // allocator: 63 of 64 PUD pages (4-level), 49 of 50 P4D pages (5-level)
  const term = (cpu?: string) => {
    const spec = parseProfile(`kernel: 6.1-amd64\nmachine: pc\nmemory: 1G\ncpus: 2\n${cpu ? `cpu: "${cpu}"\n` : ''}cmdline: "percpu_alloc=page"\n`, 't.yaml');
    const r = simulate({ spec, kernel: loadKernelWithFacts('6.1-amd64') });
    return r.lines.find((l) => l.fmt === 'mem.summary')!.explain!['available']!.find((x) => x.name.startsWith('preallocate_vmalloc_pages'))?.value;
  };
  test.each([['l4', undefined, -63n * 4n], ['l5', 'qemu64,+la57', -49n * 4n]] as const)('vmalloc_entries_%s', (_n, cpu, kbytes) => {
    expect(term(cpu)).toBe(kbytes);
  });
});
