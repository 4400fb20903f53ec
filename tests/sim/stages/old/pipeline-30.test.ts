// The 3.0.1 pipeline (sim/stages/old/) end to end on the seeds' build, checked line by line against
// what each 3.0.1 function prints, hand-derived from its source (not from a log), and the catalog's
// view of every line it prints.
import { describe, expect, test } from 'vitest';
import { simulate30, stages30 } from '../../../../sim/stages/old/pipeline-30.ts';
import type { StageStep } from '../../../../sim/boot.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { ctx30, CONFIG_30, SYMBOLS_30 } from './kernel-30.ts';

const run = (o: Parameters<typeof ctx30>[0] = {}, config?: Record<string, string>) => simulate30(ctx30(o, config));
const texts = (o: Parameters<typeof ctx30>[0] = {}, config?: Record<string, string>): string[] => run(o, config).lines.map((l) => l.text);

describe('the 3.0.1 pipeline, pc 1G', () => {
  const lines = texts();
  test('e820_legacy_form: expect e820_print_map\'s "%016Lx - %016Lx (type)" entries, then trim_bios_range\'s two KERN_DEBUG lines', () => {
    expect(lines.slice(0, 10)).toEqual([
      'BIOS-provided physical RAM map:',
      ' BIOS-e820: 0000000000000000 - 000000000009fc00 (usable)',
      ' BIOS-e820: 000000000009fc00 - 00000000000a0000 (reserved)',
      ' BIOS-e820: 00000000000f0000 - 0000000000100000 (reserved)',
      ' BIOS-e820: 0000000000100000 - 000000003ffe0000 (usable)',
      ' BIOS-e820: 000000003ffe0000 - 0000000040000000 (reserved)',
      ' BIOS-e820: 00000000fffc0000 - 0000000100000000 (reserved)',
      // X86_RESERVE_LOW 64 → ALIGN(64K, PAGE_SIZE)
      'e820 update range: 0000000000000000 - 0000000000010000 (usable) ==> (reserved)',
      'e820 remove range: 00000000000a0000 - 0000000000100000 (usable)',
      'last_pfn = 0x3ffe0 max_arch_pfn = 0x100000',
    ]);
  });
  test('init_memory_mapping: expect head_32.S\'s map to roundup(_end + 1M, 4M), the 4k head PMD, big pages, the 4k tail and 5 table pages below it', () => {
    const i = lines.indexOf('initial memory mapped : 0 - 01800000');
    expect(i).toBeGreaterThan(0);
    // puds 222 × 4 → 1 page, pmds 1 page, ptes (0x3fe000 + 4M) / 4K × 4 → 2 pages, 283 fixmap PTEs → 1 page
    expect(lines.slice(i + 1, i + 7)).toEqual([
      // setup_trampolines(): the top free page below the "* BIOS reserved" [0x9fc00, 1M)
      'Base memory trampoline at [c009e000] 9e000 size 4096',
      'init_memory_mapping: 0000000000000000-00000000377fe000',
      ' 0000000000 - 0000400000 page 4k',
      ' 0000400000 - 0037400000 page 2M',
      ' 0037400000 - 00377fe000 page 4k',
      'kernel direct mapping tables up to 377fe000 @ 17fb000-1800000',
    ]);
    expect(lines).toContain('Initializing CPU#0');
  });
  test('highmem_split: expect MAXMEM_PFN 0x377fe (26 permanent fixmap slots, 283 in all, PKMAP_BASE 0xff800000)', () => {
    // 0x3ffe0 − 0x377fe = 34786 pages = 135MB; 0x377fe pages = 887MB
    expect(lines).toContain('135MB HIGHMEM available.');
    expect(lines).toContain('887MB LOWMEM available.');
    expect(lines).toContain('  low ram: 0 - 377fe000');
  });
  test('zone_pfn_ranges: expect DMA from the first active pfn (0x10: the low 64K is reserved) to MAX_DMA_PFN, then Normal, HighMem', () => {
    const i = lines.indexOf('Zone PFN ranges:');
    expect(lines.slice(i, i + 8)).toEqual([
      'Zone PFN ranges:',
      '  DMA      0x00000010 -> 0x00001000',
      '  Normal   0x00001000 -> 0x000377fe',
      '  HighMem  0x000377fe -> 0x0003ffe0',
      'Movable zone start PFN for each node',
      'early_node_map[2] active PFN ranges',
      '    0: 0x00000010 -> 0x0000009f',
      '    0: 0x00000100 -> 0x0003ffe0',
    ]);
  });
  test('zone_sizes: expect memmap = PAGE_ALIGN(spanned × 32) pages and LIFO batch = zone_batchsize(present − memmap)', () => {
    // present: DMA 0x1000 − 0x10 − (0x100 − 0x9f) = 3983; Normal 0x367fe = 223230; HighMem 0x87e2 = 34786
    expect(lines).toContain('On node 0 totalpages: 261999');
    expect(lines).toContain('  DMA zone: 32 pages used for memmap');
    expect(lines).toContain('  DMA zone: 3951 pages, LIFO batch:0');
    expect(lines).toContain('  Normal zone: 1744 pages used for memmap');
    expect(lines).toContain('  Normal zone: 221486 pages, LIFO batch:31');
    expect(lines).toContain('  HighMem zone: 34514 pages, LIFO batch:7');
    expect(lines).toContain('Built 1 zonelists in Zone order, mobility grouping on.  Total pages: 259951');
  });
  test('total_pages_explained: expect Total pages derived as the sum of each zone\'s present pages, and each zone\'s pages as present − memmap', () => {
    const ls = run().lines;
    const built = ls.find((l) => l.fmt === 'zonelists.built_legacy')!;
    const sum = built.explain!.total!.reduce((n, t) => n + BigInt(String(t.value).replace(/ pages$/, '')), 0n);
    expect(built.text).toMatch(new RegExp(`Total pages: ${sum}$`));
    const normal = ls.find((l) => l.fmt === 'zones.batch' && l.text.startsWith('  Normal'))!;
    expect(normal.explain!.pages![0]!.name).toBe('present 223230 − memmap 1744');
  });
  test('hashes: expect nr_kernel_pages 225437 rounded to a MB, scaled by 18, 13 and 14', () => {
    expect(lines).toContain('PID hash table entries: 4096 (order: 2, 16384 bytes)');
    expect(lines).toContain('Dentry cache hash table entries: 131072 (order: 7, 524288 bytes)');
    expect(lines).toContain('Inode-cache hash table entries: 65536 (order: 6, 262144 bytes)');
  });
  test('mem_init_tail: expect the highmem zone, Memory:, the layout block from the fixmap and the image symbols, WP, Genslabs=15', () => {
    const i = lines.indexOf('Initializing HighMem for node 0 (000377fe:0003ffe0)');
    expect(i).toBeGreaterThan(0);
    expect(lines.slice(i + 1)).toEqual([
      // low RAM 143 + 0x376fe = 227213 pages, 2748 of them touched by a reservation (1 TRAMPOLINE, 489
      // TEXT DATA BSS + BRK, 1 PGTABLE, 2257 at the top of lowmem: 0x36f2d–0x377fd); 34786 highmem pages
      'Memory: 1037004k/1048448k available (1142k kernel code, 10992k reserved, 353k data, 216k init, 139144k highmem)',
      'virtual kernel memory layout:',
      '    fixmap  : 0xfffe5000 - 0xfffff000   ( 104 kB)',
      '    pkmap   : 0xff800000 - 0xffc00000   (4096 kB)',
      '    vmalloc : 0xf7ffe000 - 0xff7fe000   ( 120 MB)',
      '    lowmem  : 0xc0000000 - 0xf77fe000   ( 887 MB)',
      '      .init : 0xc1177000 - 0xc11ad000   ( 216 kB)',
      '      .data : 0xc111d973 - 0xc1176160   ( 353 kB)',
      '      .text : 0xc1000000 - 0xc111d973   (1142 kB)',
      'Checking if this processor honours the WP bit even in supervisor mode...Ok.',
      'SLUB: Genslabs=15, HWalign=32, Order=0-3, MinObjects=0, CPUs=1, Nodes=1',
    ]);
  });
});

describe('the 3.0.1 pipeline, other shapes', () => {
  test('pc_256m_no_highmem: expect "HighMem  empty", 0MB HIGHMEM, the zone start and end 0 and no HighMem zone lines', () => {
    const lines = texts({ memoryBytes: 256 * 2 ** 20, memoryText: '256M' });
    expect(lines).toContain('  HighMem  empty');
    expect(lines).toContain('0MB HIGHMEM available.');
    expect(lines).toContain('Initializing HighMem for node 0 (00000000:00000000)');
    expect(lines.filter((l) => l.startsWith('  HighMem zone'))).toEqual([]);
    // Normal 0xefe0 = 61408 spanned → 480 memmap pages, 60928 present; 3951 + 60928
    expect(lines).toContain('Built 1 zonelists in Zone order, mobility grouping on.  Total pages: 64879');
    expect(lines).toContain('    vmalloc : 0xd07e0000 - 0xff7fe000   ( 752 MB)');
  });
  test('fixmap_options: expect X86_LOCAL_APIC to add one fixmap slot (fixmap 108 kB), which moves nothing else below 4M', () => {
    const lines = texts({}, { ...CONFIG_30, X86_LOCAL_APIC: 'y' });
    expect(lines).toContain('    fixmap  : 0xfffe4000 - 0xfffff000   ( 108 kB)');
  });
  test('small_machine_grouping_off: expect mobility grouping off below pageblock_nr_pages × MIGRATE_TYPES (5120 pages)', () => {
    const lines = texts({ memoryBytes: 16 * 2 ** 20, memoryText: '16M' });
    expect(lines.find((l) => l.startsWith('Built 1 zonelists'))).toMatch(/mobility grouping off\./);
  });
});

describe('envelope30', () => {
  test('refused_inputs: expect a kernel parameter other than memblock=debug, -numa, an SMP, SPARSEMEM or ACPI build refused by name', () => {
    expect(simErrorCode(() => run({ cmdline: 'mem=512M' }))).toBe('SIM_NOT_MODELLED');
    expect(() => run({ cmdline: 'highmem=64M' })).toThrow(/highmem=64M/);
    expect(() => run({}, { ...CONFIG_30, SMP: 'y' })).toThrow(/CONFIG_SMP/);
    // expect: a build the pinned one differs from in the memory model or ACPI is refused, not simulated as the pinned one
    const { FLATMEM: _flat, ...sparse } = CONFIG_30;
    expect(simErrorCode(() => run({}, { ...sparse, SPARSEMEM: 'y', SPARSEMEM_STATIC: 'y' }))).toBe('SIM_NOT_MODELLED');
    expect(() => run({}, { ...sparse, SPARSEMEM: 'y' })).toThrow(/CONFIG_FLATMEM: expected y/);
    expect(() => run({}, { ...CONFIG_30, ACPI: 'y' })).toThrow(/CONFIG_ACPI: .*acpi_parse_hpet/);
    const numa = [{ memoryText: '1G', memoryBytes: 2 ** 30, cpus: [0] }];
    expect(() => run({ numa })).toThrow(/numa/);
    // expect: the pinned build has no CONFIG_BINFMT_ELF, so no /init runs: a state probe is refused by name; the -elf build is asked for the image's size
    expect(() => run({ probe: 'state' })).toThrow(/CONFIG_BINFMT_ELF/);
    expect(() => run({ probe: 'state' }, { ...CONFIG_30, BINFMT_ELF: 'y' })).toThrow(/probe: state boots with the probe initramfs: expected its size/);
  });
  test('symbols_absent: expect a build without _edata in its symbols refused by name at the layout block', () => {
    const { _edata: _, ...rest } = SYMBOLS_30;
    expect(() => simulate30(ctx30({}, CONFIG_30, rest))).toThrow(/facts\.symbols\._edata/);
  });
  test('kmemcheck_refused: expect a KMEMCHECK build refused (init_memory_mapping() maps it without PSE pages)', () => {
    expect(simErrorCode(() => run({}, { ...CONFIG_30, KMEMCHECK: 'y' }))).toBe('SIM_NOT_MODELLED');
    expect(() => run({}, { ...CONFIG_30, KMEMCHECK: 'y' })).toThrow(/CONFIG_KMEMCHECK/);
  });
  test('cpu_refused: expect a cpu: model refused (PSE and NX are those of the default qemu32)', () => {
    expect(() => run({ cpu: 'pentium' })).toThrow(/cpu: pentium/);
  });
  test('memblock_debug: expect memblock=debug accepted, echoed by "Kernel command line:"', () => {
    expect(texts({ cmdline: 'memblock=debug' }).find((l) => l.startsWith('Kernel command line:'))).toMatch(/ memblock=debug$/);
  });
});

describe('the observer', () => {
  // expect one step per stage in order, each step's before the previous step's after, the lines the boot's, the output unchanged
  test('observe_30_steps: expect stages30\'s names in order, chained states, the lines of the run, and the same lines and state without an observer', () => {
    const steps: StageStep[] = [];
    const observed = simulate30(ctx30({ memoryBytes: 3 * 2 ** 30, memoryText: '3G' }), stages30, { observe: (s) => steps.push(s) });
    const plain = simulate30(ctx30({ memoryBytes: 3 * 2 ** 30, memoryText: '3G' }));
    expect(steps.map((s) => [s.index, s.name])).toEqual(stages30.map((s, i) => [i, s.name]));
    expect(steps[0]!.before).toEqual({});
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.before).toBe(steps[i - 1]!.after);
    expect(steps.at(-1)!.after).toBe(observed.state);
    expect(steps.flatMap((s) => s.lines.map((l) => l.text))).toEqual(observed.lines.map((l) => l.text));
    expect(observed.lines).toEqual(plain.lines);
    expect(observed.state).toEqual(plain.state);
    // a stage that writes nothing leaves the identical state
    const gap = steps.find((s) => s.name === 'e820SetupGap30')!;
    expect(gap.after).toBe(gap.before);
    expect(gap.lines.map((l) => l.text)).toEqual([expect.stringMatching(/^Allocating PCI resources starting at /)]);
  });
});

describe('the 3.0.1 memblock ledger (sim/stages/old/nobootmem-30.ts)', () => {
  const state = run().state;
  const mb = state.legacy30!.memblock30!;
  const hex = (r: { base: bigint; end: bigint }): string => `${r.base.toString(16)}-${r.end.toString(16)}`;
  test('early_reservations_pc_1g: expect i386_start_kernel\'s two, BRK after the 6 PTE pages and 141 DMI bytes, then TRAMPOLINE and one PGTABLE page', () => {
    expect(mb.log.slice(0, 5).map((r) => `${r.name} ${hex(r)}`)).toEqual([
      'TEXT DATA BSS 1000000-11e2000',
      '* BIOS reserved 9fc00-100000',
      // head_32.S mapped 24M: 6 PTE pages; dmi_alloc: 3 type-0 strings, 4 type-1, 5 type-3 copies
      'BRK 11e2000-11e808d',
      // the top page below the EBDA, under 1M
      'TRAMPOLINE 9e000-9f000',
      // find_early_table_space: 5 pages at the top of the 24M head_32.S mapped; the 4k tail's PMD (0x37400000) is the only one not mapped
      'PGTABLE 17fb000-17fc000',
    ]);
  });
  test('bootmem_top_down_pc_1g: expect the pkmap page at the top of lowmem, mem_map below it, the DMA usemap 32-aligned below that', () => {
    const boot = mb.log.filter((r) => r.name === 'BOOTMEM');
    // pkmap PTE page: round_down(0x377fe000 − 4K, 4K); mem_map 0x40000 pages × 32 = 8M below it; usemap 4 bytes, round_down(0x36ffd000 − 4, 32)
    expect(boot.slice(0, 3).map((r) => `${r.what} ${hex(r)}`)).toEqual([
      'permanent_kmaps_init PTE page 377fd000-377fe000',
      'alloc_node_mem_map 36ffd000-377fd000',
      'setup_usemap DMA 36ffcfe0-36ffcfe4',
    ]);
    // 1 pkmap + 1 mem_map + 3 zones × 2 + resources + 6 firmware map entries + 2 command lines + 8 percpu + 3 hashes
    expect(boot.length).toBe(28);
    expect(run().lines.find((l) => l.fmt === 'zones.node_mem_map_legacy')!.text).toBe('free_area_init_node: node 0, pgdat c1174620, node_mem_map f6ffd200');
  });
  test('percpu_fills_gaps: expect the 4-byte first-chunk tables above the 32K unit, in the gap below the alloc info page', () => {
    const boot = mb.log.filter((r) => r.what.startsWith('pcpu') || r.what === 'percpu first chunk');
    const ai = boot[0]!;
    const unit = boot[1]!;
    expect(ai.end - ai.base).toBe(4096n);
    expect(unit.base % 4096n).toBe(0n);
    for (const t of boot.slice(2, 6)) {
      expect(t.base >= unit.end && t.end <= ai.base).toBe(true);
      expect(t.end - t.base).toBe(4n);
    }
  });
  test('pc_256m_no_highmem: expect no HighMem zone allocations and every low page that no reservation touches free', () => {
    const lines = texts({ memoryBytes: 256 * 2 ** 20, memoryText: '256M' });
    // low RAM 143 + 0xfee0 = 65391 pages; node_mem_map 0x10000 × 32 = 2M
    expect(lines).toContain('free_area_init_node: node 0, pgdat c1174620, node_mem_map cfddf200');
    expect(lines.find((l) => l.startsWith('Memory:'))).toMatch(/^Memory: \d+k\/262016k available \(1142k kernel code, \d+k reserved, 353k data, 216k init, 0k highmem\)$/);
  });
  test('memory_explained: expect available = low RAM − reserved + highmem, and the reserved terms to add up to the reserved field', () => {
    const mem = run().lines.find((l) => l.fmt === 'mem.summary_legacy')!;
    const pages = (v: string | number | bigint): bigint => BigInt(String(v).replace(/ pages$/, ''));
    const reserved = mem.explain!.reserved!.reduce((n, t) => n + pages(t.value), 0n);
    expect(`${reserved * 4n}k reserved`).toBe(mem.text.match(/(\d+k reserved)/)![1]);
    const avail = mem.explain!.available!.reduce((n, t) => n + pages(t.value), 0n);
    expect(mem.text.startsWith(`Memory: ${avail * 4n}k/`)).toBe(true);
  });
  test('pae_refused: expect a PAE build refused by name (its page tables are not modelled for the ledger)', () => {
    expect(() => run({}, { ...CONFIG_30, HIGHMEM4G: 'n', HIGHMEM64G: 'y', X86_PAE: 'y' })).toThrow(/CONFIG_X86_PAE/);
  });
  test('firmware_memmap_off: expect no firmware map entries without FIRMWARE_MEMMAP, so 6 × 64 bytes fewer below the resources', () => {
    const { FIRMWARE_MEMMAP: _, ...cfg } = CONFIG_30;
    const log = simulate30(ctx30({}, cfg)).state.legacy30!.memblock30!.log;
    expect(log.filter((r) => r.what.startsWith('firmware_map_add_early'))).toEqual([]);
    expect(mb.log.filter((r) => r.what.startsWith('firmware_map_add_early')).map((r) => r.end - r.base)).toEqual([64n, 64n, 64n, 64n, 64n, 64n]);
  });
});
