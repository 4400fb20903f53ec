// The 2.6.34 pipeline (sim/stages/old/pipeline-34.ts) end to end on the seeds' build, its distinctive
// lines hand-derived from 2.6.34's source (not from a log), the envelope's refusals, the harness's
// choice of pipeline and the catalog's view of every line it prints.
import { describe, expect, test } from 'vitest';
import { simulate34, stages34 } from '../../../../sim/stages/old/pipeline-34.ts';
import { badBiosMatch34 } from '../../../../sim/stages/old/early-res-34.ts';
import type { StageStep } from '../../../../sim/boot.ts';
import { simulateSpec } from '../../../../harness/simulate.ts';
import { classifyLine } from '../../../../harness/catalog/classify.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { ctx34, spec34, CONFIG_34 } from './kernel-34.ts';

const texts = (o: Parameters<typeof ctx34>[0] = {}, config?: Record<string, string>): string[] => simulate34(ctx34(o, config)).lines.map((l) => l.text);

describe('the 2.6.34 pipeline, pc 1G', () => {
  const lines = texts();
  test('trim_bios_range_first_page: expect e820_update_range(0, PAGE_SIZE) (3.0.1 reserves X86_RESERVE_LOW instead)', () => {
    expect(lines).toContain('e820 update range: 0000000000000000 - 0000000000001000 (usable) ==> (reserved)');
  });
  test('early_res_list: expect TEXT DATA BSS, BIOS reserved, BRK, PGTABLE and BOOTMAP handed to bootmem in slot order', () => {
    const i = lines.indexOf('(5/32 early reservations) ==> bootmem [0000000000 - 00377fe000]');
    expect(i).toBeGreaterThan(0);
    expect(lines.slice(i + 1, i + 6)).toEqual([
      // _text – __bss_stop
      '  #0 [0001000000 - 00011b8ae0]    TEXT DATA BSS ==> [0001000000 - 00011b8ae0]',
      // reserve_ebda_region(): SeaBIOS's EBDA at 0x9fc00 to 1M
      '  #1 [000009fc00 - 0000100000]    BIOS reserved ==> [000009fc00 - 0000100000]',
      // __brk_base + 5 head_32.S PTE pages (0x1400000 / 4M) + 141 DMI bytes
      '  #2 [00011b9000 - 00011be08d]              BRK ==> [00011b9000 - 00011be08d]',
      // find_e820_area(0x7000, …) bottom-up; one PTE page for the 4k tail 0x37400000-0x377fe000
      '  #3 [0000007000 - 0000008000]          PGTABLE ==> [0000007000 - 0000008000]',
      // 0x377fe pages / 8 = 0x6f00 bytes → 7 pages, first fit from 0x1000 past PGTABLE
      '  #4 [0000008000 - 000000f000]          BOOTMAP ==> [0000008000 - 000000f000]',
    ]);
  });
  test('tables_and_bootmap_lines: expect the table estimate at 0x7000 (5 pages) and the bootmap line with bootmap_bytes()', () => {
    expect(lines).toContain('kernel direct mapping tables up to 377fe000 @ 7000-c000');
    expect(lines).toContain('  node 0 low ram: 00000000 - 377fe000');
    expect(lines).toContain('  node 0 bootmap 00008000 - 0000ef00');
  });
  test('zones_from_page_1: expect DMA and early_node_map from pfn 1 (only the first page is reserved in e820)', () => {
    expect(lines).toContain('  DMA      0x00000001 -> 0x00001000');
    expect(lines).toContain('    0: 0x00000001 -> 0x0000009f');
  });
  test('fixmap_and_genslabs: expect 25 permanent fixmap slots (KM_TYPE_NR 19, no FIX_LNW_VRTC): 100 kB, and Genslabs=13 (no kmem_cache_node without NUMA)', () => {
    expect(lines).toContain('    fixmap  : 0xfffe6000 - 0xfffff000   ( 100 kB)');
    expect(lines.at(-1)).toBe('SLUB: Genslabs=13, HWalign=32, Order=0-3, MinObjects=0, CPUs=1, Nodes=1');
  });
  test('node_mem_map: expect &contig_page_data and the mem_map first fit from 16M past TEXT DATA BSS, BRK and the pkmap PTE page', () => {
    // pkmap PTE page at 0x11bf000 (the first clear pfn from 0x1000 after BRK ends at 0x11be08d);
    // mem_map (0x40000 − 0) × 32 = 8M at 0x11c0000, + node_start_pfn 1 × 32
    expect(lines).toContain('free_area_init_node: node 0, pgdat c114f360, node_mem_map c11c0020');
    expect(lines.indexOf('free_area_init_node: node 0, pgdat c114f360, node_mem_map c11c0020')).toBe(lines.indexOf('On node 0 totalpages: 262014') + 1);
  });
  test('memory_line: expect free_all_bootmem\'s count: low RAM 227228 − 2696 reserved + 34786 HighMem pages', () => {
    // reserved: TEXT DATA BSS 441 + BRK 6 + PGTABLE 1 + pkmap 1 + mem_map 2048 + DMA usemap/wait 1 + Normal
    // wait 2 (the small ones packed into the page before) + PID 4 + Dentry 128 + Inode 64 = 2696 pages
    // (BOOTMAP freed, pfn 0x9f of "BIOS reserved" not RAM); (227228 − 2696) × 4 + 34786 × 4 = 1037272
    expect(lines).toContain('Memory: 1037272k/1048448k available (1030k kernel code, 10784k reserved, 314k data, 200k init, 139144k highmem)');
  });
  test('no_percpu_no_trampoline: expect no pcpu-alloc lines (percpu_up.c) and no trampoline line on this UP build', () => {
    expect(lines.filter((l) => l.startsWith('pcpu-alloc') || l.startsWith('Base memory trampoline'))).toEqual([]);
  });
});

describe('the 2.6.34 pipeline at other sizes', () => {
  test('small_no_pgtable: expect no PGTABLE slot when the 4k tail lies inside what head_32.S mapped (16M)', () => {
    // 16M of RAM ends inside head_32.S's mapping (0x1400000): no PTE page is taken, no PGTABLE slot
    const l = texts({ memoryBytes: 2 ** 24, memoryText: '16M' });
    expect(l.some((x) => x.includes('PGTABLE'))).toBe(false);
    expect(l.find((x) => x.includes('early reservations'))).toMatch(/^\(4\/32 early reservations\)/);
  });
});

describe('the Memory: reserved explain', () => {
  test.each([[2 ** 27, '128M'], [2 ** 30, '1G'], [3 * 2 ** 30, '3G']] as const)('reserved_terms_sum_%s: expect the pages each reservation set first to add up to the reserved field', (mem, text) => {
    const l = simulate34(ctx34({ memoryBytes: mem, memoryText: text })).lines.find((x) => x.fmt === 'mem.summary_legacy')!;
    const kb = Number(/(\d+)k reserved/.exec(l.text)![1]);
    const terms = l.explain!['reserved']!;
    expect(terms.map((t) => t.name)).toContain('alloc_node_mem_map');
    expect(terms.reduce((n, t) => n + Number(String(t.value).split(' ')[0]), 0) * 4).toBe(kb);
  });
});

describe('envelope34', () => {
  test.each(['SMP', 'NUMA', 'X86_PAE', 'NO_BOOTMEM', 'X86_MPPARSE', 'ACPI', 'PARAVIRT', 'EFI', 'KMEMCHECK'])('refused_config_%s: expect SIM_NOT_MODELLED naming CONFIG_%s', (o) => {
    expect(simErrorCode(() => simulate34(ctx34({}, { ...CONFIG_34, [o]: 'y' })))).toBe('SIM_NOT_MODELLED');
    expect(() => simulate34(ctx34({}, { ...CONFIG_34, [o]: 'y' }))).toThrow(`CONFIG_${o}`);
  });
  test('refused_profile: expect a cpu:, a -numa, probe: state (its initrd) and any parameter refused by name', () => {
    expect(() => simulate34(ctx34({ cpu: 'pentium3' }))).toThrow(/cpu: pentium3/);
    expect(simErrorCode(() => simulate34(ctx34({ probe: 'state' })))).toBe('SIM_NOT_MODELLED');
    expect(() => simulate34(ctx34({ probe: 'state' }))).toThrow(/probe: state: the initrd/);
    expect(() => simulate34(ctx34({ cmdline: 'mem=64M' }))).toThrow(/cmdline: mem=64M is not modelled for 2.6.34/);
    const { HAVE_EARLY_RES: _, ...noEarlyRes } = CONFIG_34;
    expect(() => simulate34(ctx34({}, noEarlyRes))).toThrow(/CONFIG_HAVE_EARLY_RES/);
  });
  test('reserve_low_64k_seabios: expect X86_RESERVE_LOW_64K to match no bad_bios_dmi_table entry on SeaBIOS (vendor "SeaBIOS", no board name): the same lines', () => {
    expect(simulate34(ctx34({}, { ...CONFIG_34, X86_RESERVE_LOW_64K: 'y' })).lines.map((l) => l.text)).toEqual(simulate34(ctx34()).lines.map((l) => l.text));
    expect(badBiosMatch34({ biosVendor: 'SeaBIOS' })).toBeUndefined();
    expect(badBiosMatch34({ biosVendor: 'Phoenix Technologies LTD' })).toBe('Phoenix BIOS');
    expect(badBiosMatch34({ biosVendor: 'Intel Corp.', boardName: 'DG45FC' })).toBe('AMI BIOS');
    expect(badBiosMatch34({})).toBeUndefined();
  });
  test('sparsemem_refused: expect a SPARSEMEM build (mm/Kconfig lets X86_32 choose it) refused naming CONFIG_FLATMEM, not simulated as the flat one', () => {
    const { FLATMEM: _flat, ...sparse } = CONFIG_34;
    expect(simErrorCode(() => simulate34(ctx34({}, { ...sparse, SPARSEMEM: 'y', SPARSEMEM_STATIC: 'y' })))).toBe('SIM_NOT_MODELLED');
    expect(() => simulate34(ctx34({}, { ...sparse, SPARSEMEM: 'y' }))).toThrow(/CONFIG_FLATMEM: expected y/);
  });
});

describe('the 2.6.34 pipeline in the harness', () => {
  test('simulate_spec_dispatch: expect the registered 2.6.34-i386 build to run the 2.6.34 stages (the early_res list)', () => {
    expect(simulateSpec(spec34()).map((l) => l.fmt)).toContain('early_res.to_bootmem');
  });
  test('catalog_self: expect every line of a 2.6.34 boot to classify, on 2.6.34 i386, as the family its stage printed it as', () => {
    for (const [mem, text] of [[2 ** 30, '1G'], [2 ** 28, '256M'], [3 * 2 ** 30, '3G']] as const) {
      const lines = simulate34(ctx34({ memoryBytes: mem, memoryText: text })).lines;
      expect(lines.length).toBeGreaterThan(40);
      for (const l of lines) expect(classifyLine(l.text, { version: '2.6.34', arch: 'i386' }).family?.id, l.text).toBe(l.fmt);
    }
  });
});

describe('the observer', () => {
  // expect simulate34 to pass the observer on: one step per stage of stages34, the lines and state of the plain run
  test('observe_34_steps: expect stages34\'s names in order, chained states, and the plain run\'s lines and state', () => {
    const steps: StageStep[] = [];
    const observed = simulate34(ctx34(), { observe: (s) => steps.push(s) });
    const plain = simulate34(ctx34());
    expect(steps.map((s) => s.name)).toEqual(stages34.map((s) => s.name));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.before).toBe(steps[i - 1]!.after);
    expect(steps.flatMap((s) => s.lines.map((l) => l.text))).toEqual(plain.lines.map((l) => l.text));
    expect(observed.state).toEqual(plain.state);
    // early_res_to_bootmem() is the step that prints the early reservations
    const e = steps.find((s) => s.name === 'earlyResToBootmem34')!;
    expect(e.lines[0]!.text).toMatch(/^\(\d+\/32 early reservations\) ==> bootmem \[/);
  });
});
