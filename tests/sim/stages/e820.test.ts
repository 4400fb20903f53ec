import { describe, expect, test } from 'vitest';
import { simulate, type BootContext } from '../../../sim/boot.ts';
import { e820Stages, e820UpdateTable, e820StateOf, endPfn } from '../../../sim/stages/e820.ts';
import { deriveTraits, kernelConfig } from '../../../sim/traits.ts';
import { E820_RAM, E820_RESERVED, E820_ACPI, type E820Entry } from '../../../sim/firmware/qemu-7.2.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import type { KernelEntry } from '../../../sim/kernel-facts.ts';

const M = 1024 * 1024;
const G = 1024 * M;
const RAM = E820_RAM;
const RES = E820_RESERVED;
const e = (addr: bigint, size: bigint, type: number): E820Entry => ({ addr, size, type });

// facts.config as the extractor writes it (only the options the e820 stage reads): the traits
// come from the config, never from the release string (sim/traits.ts kernelConfig).
const AMD64 = { config: { X86_64: 'y', X86_5LEVEL: 'y' } };
const KERNELS: Record<string, Pick<KernelEntry, 'id' | 'arch' | 'release'> & { facts: { config: Record<string, string> } }> = {
  '6.1-amd64': { id: '6.1-amd64', arch: 'x86_64', release: '6.1.0-56-amd64', facts: AMD64 },
  '6.12-amd64': { id: '6.12-amd64', arch: 'x86_64', release: '6.12.115+deb12-amd64', facts: AMD64 },
  '7.2-amd64': { id: '7.2-amd64', arch: 'x86_64', release: '7.2.13+deb14-amd64', facts: AMD64 },
  '6.1-686-pae': { id: '6.1-686-pae', arch: 'i386', release: '6.1.0-50-686-pae', facts: { config: { X86_32: 'y', X86_PAE: 'y', HIGHMEM64G: 'y' } } },
  '6.1-686': { id: '6.1-686', arch: 'i386', release: '6.1.0-50-686', facts: { config: { X86_32: 'y', HIGHMEM4G: 'y' } } },
};

function ctx(p: Partial<MachineSpec> & { kernel?: string }): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return { spec, kernel: { ...KERNELS[spec.kernel]! } } as unknown as BootContext;
}
const run = (c: BootContext) => simulate(c, e820Stages);
const texts = (c: BootContext, fmt?: string) => run(c).lines.filter((l) => !fmt || l.fmt === fmt).map((l) => l.text);

describe('e820__update_table', () => {
  test('sanitize_overlap_highest_type_wins', () => {
    // expect: the reserved range wins where it overlaps RAM; RAM pieces either side survive
    //   in:  |RAM 0.............100|
    //               |RES 40..60|
    //   out: |RAM 0..40|RES 40..60|RAM 60..100|
    expect(e820UpdateTable([e(0n, 100n, RAM), e(40n, 20n, RES)])).toEqual([e(0n, 40n, RAM), e(40n, 20n, RES), e(60n, 40n, RAM)]);
  });

  test('sanitize_merges_adjacent_same_type', () => {
    // expect: two touching RAM entries (in any order) become one
    //   in:  |RAM 50..100|  |RAM 0..50|   out: |RAM 0..100|
    expect(e820UpdateTable([e(50n, 50n, RAM), e(0n, 50n, RAM)])).toEqual([e(0n, 100n, RAM)]);
  });

  test('sanitize_single_entry_untouched', () => {
    // expect: fewer than two entries: "don't bother" (-1)
    expect(e820UpdateTable([e(0n, 100n, RAM)])).toBeUndefined();
  });

  test('sanitize_drops_zero_size', () => {
    // expect: a removed (zeroed) entry vanishes
    expect(e820UpdateTable([e(0n, 0n, 0), e(0n, 10n, RAM), e(20n, 10n, RES)])).toEqual([e(0n, 10n, RAM), e(20n, 10n, RES)]);
  });
});

describe('e820 stage text', () => {
  test('setup_pc_512m_6.1', () => {
    // expect: the SeaBIOS map for pc 512M, then trim_bios_range's two lines and last_pfn
    expect(texts(ctx({}))).toEqual([
      'BIOS-provided physical RAM map:',
      'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
      'BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
      'BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved',
      'BIOS-e820: [mem 0x0000000000100000-0x000000001ffdffff] usable',
      'BIOS-e820: [mem 0x000000001ffe0000-0x000000001fffffff] reserved',
      'BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved',
      'BIOS-e820: [mem 0x000000fd00000000-0x000000ffffffffff] reserved',
      'e820: update [mem 0x00000000-0x00000fff] usable ==> reserved',
      'e820: remove [mem 0x000a0000-0x000fffff] usable',
      'last_pfn = 0x1ffe0 max_arch_pfn = 0x400000000',
    ]);
  });

  test('setup_named_style_7.2_gaps', () => {
    // expect: 7.2 names types after a second space, prints [gap …] lines and "]==>"-less spacing
    const t = texts(ctx({ kernel: '7.2-amd64' }));
    expect(t[1]).toBe('BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff]  System RAM');
    expect(t[3]).toBe('BIOS-e820: [gap 0x00000000000a0000-0x00000000000effff]');
    expect(t).toContain('e820: update [mem 0x00000000-0x00000fff] System RAM ==> device reserved');
    expect(t).toContain('e820: remove [mem 0x000a0000-0x000fffff] System RAM');
  });

  test('last_pfn_second_line_above_4g', () => {
    // expect: with RAM above 4G, max_pfn from the high end, then max_low_pfn from the low end
    expect(texts(ctx({ memoryBytes: 8 * G, memoryText: '8G' }), 'last_pfn')).toEqual([
      'last_pfn = 0x240000 max_arch_pfn = 0x400000000',
      'last_pfn = 0xbffe0 max_arch_pfn = 0x400000000',
    ]);
  });

  test.each([
    // expect: max_arch_pfn per arch/PAE/5-level
    ['6.1-686', undefined, '0x100000'],
    ['6.1-686-pae', undefined, '0x1000000'],
    ['6.12-amd64', undefined, '0x400000000'],
    ['6.12-amd64', 'qemu64,+la57', '0x10000000000'],
  ])('max_arch_pfn_%s_%s', (kernel, cpu, want) => {
    const t = texts(ctx({ kernel, cpu }), 'last_pfn');
    expect(t[0]).toMatch(new RegExp(`max_arch_pfn = ${want}$`));
  });

  test('i386_no_low_pfn_line', () => {
    // expect: i386 leaves max_low_pfn to find_low_pfn_range (not modelled): one last_pfn line
    const r = run(ctx({ kernel: '6.1-686-pae', machine: 'q35', memoryBytes: 4 * G, memoryText: '4G' }));
    expect(r.lines.filter((l) => l.fmt === 'last_pfn').map((l) => l.text)).toEqual(['last_pfn = 0x180000 max_arch_pfn = 0x1000000']);
    expect(e820StateOf(r.state).maxLowPfn).toBeUndefined();
  });
});

describe('mem= and memmap=', () => {
  test('mem_trims_ram_above', () => {
    // expect: mem=384M removes RAM from 384M to the end of u64 and prints the user map
    //   BIOS: |RAM 1M..........1G-128K|RES|      user: |RAM 1M..384M|   |RES 1G-128K..1G|
    const r = run(ctx({ memoryBytes: G, memoryText: '1G', cmdline: 'mem=384M' }));
    const t = r.lines.map((l) => l.text);
    expect(t).toContain('e820: remove [mem 0x18000000-0xfffffffffffffffe] usable');
    expect(t).toContain('user-defined physical RAM map:');
    expect(t).toContain('user: [mem 0x0000000000100000-0x0000000017ffffff] usable');
    expect(t).toContain('user: [mem 0x000000003ffe0000-0x000000003fffffff] reserved');
    expect(e820StateOf(r.state).maxPfn).toBe(0x18000n);
  });

  test.each([
    // expect: each memmap form adds its type over RAM; '$' reserved, '#' ACPI data, '!' persistent (type 12)
    ['32M$0x8000000', 'user: [mem 0x0000000008000000-0x0000000009ffffff] reserved'],
    ['32M#0x8000000', 'user: [mem 0x0000000008000000-0x0000000009ffffff] ACPI data'],
    ['32M!0x8000000', 'user: [mem 0x0000000008000000-0x0000000009ffffff] persistent (type 12)'],
    //   '@' adds RAM in a hole:  |RES fffc0000..| + |RAM 0x100000000..+1M|
    ['1M@0x100000000', 'user: [mem 0x0000000100000000-0x00000001000fffff] usable'],
  ])('memmap_form_%s', (arg, want) => {
    //   |RAM 1M......................512M-128K|
    //           |X 128M..160M|
    const t = texts(ctx({ cmdline: `memmap=${arg}` }), 'e820.user');
    expect(t).toContain(want);
  });

  test('memmap_dollar_prints_no_remove', () => {
    // expect: memmap=nn$ss only adds: no "e820: remove" before the user map
    const t = texts(ctx({ cmdline: 'memmap=32M$0x8000000' }));
    expect(t.filter((x) => x.startsWith('e820: remove'))).toEqual(['e820: remove [mem 0x000a0000-0x000fffff] usable']);
  });

  test('memmap_bare_is_mem', () => {
    // expect: memmap=256M behaves like mem=256M
    expect(texts(ctx({ cmdline: 'memmap=256M' }), 'e820.remove')[0]).toBe('e820: remove [mem 0x10000000-0xfffffffffffffffe] usable');
  });

  test('memmap_acpi_counts_for_last_pfn_from_6.12', () => {
    // expect: ACPI data at the top of RAM counts toward last_pfn on 6.12, not on 6.1
    const table = [e(0n, 0x1000n, RAM), e(0x1000n, 0x1000n, E820_ACPI)];
    expect(endPfn(table, 1n << 34n, 1n << 34n, deriveTraits(KERNELS['6.12-amd64']!).endPfnCountsAcpi)).toBe(2n);
    expect(endPfn(table, 1n << 34n, 1n << 34n, deriveTraits(KERNELS['6.1-amd64']!).endPfnCountsAcpi)).toBe(1n);
  });

  test('memmap_over_kernel_not_modelled', () => {
    // expect: without _end in the facts, a user map hiding [16M, 80M) is refused, not guessed
    try {
      run(ctx({ cmdline: 'memmap=16M$0x1000000' }));
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe('SIM_NOT_MODELLED');
      expect((err as Error).message).toContain('_end');
    }
  });

  test('memmap_over_kernel_with_facts', () => {
    // expect: with _text/_end known, hiding the image takes e820_add_kernel_range()'s path: the warning, a
    // type-less remove over [_text, _end), the span added back as RAM (merged by the sanitize after trim_bios_range)
    //   |RAM 1M.........|image 16M.._end|.........512M|
    //                   |RES 16M..32M|
    //   out: |RAM 1M......................512M| apart from the trims
    const c = ctx({ cmdline: 'memmap=16M$0x1000000' });
    const withFacts = { ...c, kernel: { ...c.kernel, facts: { config: AMD64.config, image: { symbols: { _text: 0x1000000, _end: 0x4430000 } } } } } as unknown as BootContext;
    const t = texts(withFacts);
    const warn = t.indexOf('.text .data .bss are not marked as E820_TYPE_RAM!');
    expect(warn).toBeGreaterThan(0);
    expect(t[warn + 1]).toBe('e820: remove [mem 0x01000000-0x0442ffff] ');
    expect(t[warn + 2]).toBe('e820: update [mem 0x00000000-0x00000fff] usable ==> reserved');
    const table = e820StateOf(run(withFacts).state).table;
    // the user's 16M..32M reserved entry is gone: 16M.._end is RAM again and merges with the RAM after it
    expect(table.some((x) => x.type === RES && x.addr === 0x1000000n)).toBe(false);
    expect(table.find((x) => x.addr <= 0x1000000n && x.addr + x.size >= 0x4430000n)?.type).toBe(RAM);
    const clear = { ...withFacts, spec: { ...withFacts.spec, cmdline: 'memmap=16M$0x8000000' } } as BootContext;
    expect(texts(clear)).not.toContain('.text .data .bss are not marked as E820_TYPE_RAM!');
  });

  test('memmap_bad_operator', () => {
    expect(() => run(ctx({ cmdline: 'memmap=32M^0x8000000' }))).toThrow(expect.objectContaining({ code: 'SIM_BAD_CMDLINE' }));
  });

  test('highmem_param_not_e820s: expect highmem= to leave the e820 map alone (parse_highmem is X86_32 init_32.c: sim/stages/lowmem32.ts)', () => {
    expect(run(ctx({ cmdline: 'highmem=512M' })).lines).toEqual(run(ctx({ cmdline: 'foo' })).lines);
  });
});

describe('traits', () => {
  test('traits_from_release_and_config', () => {
    // expect: PAE from facts.config only (absent means not set), never from the flavour in the release
    expect(deriveTraits(KERNELS['6.1-686-pae']!).pae).toBe(true);
    expect(deriveTraits(KERNELS['6.1-686']!).pae).toBe(false);
    expect(deriveTraits(KERNELS['7.2-amd64']!)).toMatchObject({ version: [7, 2], e820Style: 'named', endPfnCountsAcpi: true });
    expect(kernelConfig({ ...KERNELS['6.1-686']!, facts: { config: { X86_PAE: 'y' } } }, 'X86_PAE')).toBe('y');
    expect(kernelConfig({ ...KERNELS['6.1-686-pae']!, facts: { config: { X86_32: 'y' } } }, 'X86_PAE')).toBeUndefined();
    expect(deriveTraits({ ...KERNELS['6.1-686-pae']!, facts: undefined }).pae).toBe(false);
  });
});
