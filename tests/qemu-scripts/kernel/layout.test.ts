import { describe, expect, it } from 'vitest';
import { deriveLayout } from '../../../qemu-scripts/kernel/layout.ts';
import type { ElfFile, ElfSection } from '../../../qemu-scripts/kernel/elf.ts';

const sec = (name: string, addr: bigint, size: number, type = 1): ElfSection => ({ name, type, flags: 2n, addr, offset: 0, size, align: 1 });

// A miniature x86_64 ≤ 6.14 image, laid out as vmlinux.lds.S places it (K = 0xffffffff80000000):
//
//   K+0x1000000 .text ──┐ _etext                   K+0x1400000 .data ─ _edata   .vvar ─┐
//   K+0x1200000 .rodata  .notes .BTF .BTF_ids ─┐   (__end_rodata = page-aligned end)   │
//   __init_begin = K+0x1412000 = __per_cpu_load  [.data..percpu linked at 0, 0x3000]   │
//   K+0x1415000 .init.text … .exit.text (ends K+0x141fd5c) ─┐ ALIGN → __init_end = K+0x1420000 = .smp_locks
//   K+0x1422000 .bss (0x5000)  K+0x1427000 .brk (0x11000) → _end K+0x1438000
function x86_64Elf(overrides: Partial<Record<string, ElfSection>> = {}): ElfFile {
  const K = 0xffffffff80000000n;
  const list = [
    sec('.text', K + 0x1000000n, 0x100800),
    sec('.rodata', K + 0x1200000n, 0x80000),
    sec('.notes', K + 0x1280000n, 0x1f8, 7),
    sec('.BTF', K + 0x12801f8n, 0x4000),
    sec('.BTF_ids', K + 0x12841f8n, 0x7f8),
    sec('.data', K + 0x1400000n, 0x10980),
    sec('.vvar', K + 0x1411000n, 0x1000),
    { ...sec('.data..percpu', 0n, 0x3000), offset: 0x500000 },
    sec('.init.text', K + 0x1415000n, 0x4c04),
    sec('.init.data', K + 0x141a000n, 0x4070),
    sec('.exit.text', K + 0x141f070n, 0xcec),
    sec('.smp_locks', K + 0x1420000n, 0x1000),
    sec('.data_nosave', K + 0x1421000n, 0x1000),
    sec('.bss', K + 0x1422000n, 0x5000, 8),
    sec('.brk', K + 0x1427000n, 0x11000, 8),
  ].map((s) => overrides[s.name] ?? s);
  return {
    elfClass: 64,
    machine: 62,
    sections: list,
    segments: [
      { type: 1, offset: 0x200000, vaddr: K + 0x1000000n, paddr: 0x1000000n, filesz: 0x284a00, memsz: 0x284a00 },
      { type: 1, offset: 0x500000, vaddr: 0n, paddr: 0x1412000n, filesz: 0x3000, memsz: 0x3000 },
    ],
  };
}

// A miniature i386 image: LOAD_OFFSET = 0xc0000000, percpu inside the init region.
function i386Elf(): ElfFile {
  return {
    elfClass: 32,
    machine: 3,
    sections: [
      sec('.text', 0xc1000000n, 0x91bc80),
      sec('.rodata', 0xc191c000n, 0x2000),
      sec('.notes', 0xc191e000n, 0x60, 7),
      sec('.data', 0xc1920000n, 0x3bc0),
      sec('__bug_table', 0xc1923bc0n, 0x100),
      sec('.vvar', 0xc1924000n, 0x1000),
      sec('.init.text', 0xc1925000n, 0x1000),
      sec('.exit.text', 0xc1926000n, 0x10),
      sec('.data..percpu', 0xc1927000n, 0x19394),
      sec('.smp_locks', 0xc1941000n, 0x1000),
      sec('.bss', 0xc1942000n, 0x74000, 8),
      sec('.brk', 0xc19b6000n, 0x126000, 8),
    ],
    segments: [{ type: 1, offset: 0x1000, vaddr: 0xc1000000n, paddr: 0x1000000n, filesz: 0x91e060, memsz: 0x91e060 }],
  };
}

describe('deriveLayout', () => {
  it('layout_x86_64ZeroBasedPercpu: expect symbols as link-time physical addresses and K sizes as printed', () => {
    const l = deriveLayout(x86_64Elf(), 'alternative_instructions');
    expect(l.loadOffset).toBe('0xffffffff80000000');
    expect(l.percpuZeroBased).toBe(true);
    expect(l.symbols).toEqual({
      _text: 0x1000000, _stext: 0x1000000, _etext: 0x1100800,
      __start_rodata: 0x1200000, __end_rodata: 0x1285000,
      _sdata: 0x1400000, _edata: 0x1410980,
      __init_begin: 0x1412000, __per_cpu_load: 0x1412000, __init_end: 0x1420000, __smp_locks: 0x1420000, __smp_locks_end: 0x1421000,
      __bss_start: 0x1422000, __bss_stop: 0x1427000, __end_of_kernel_reserve: 0x1427000,
      __brk_base: 0x1427000, __brk_limit: 0x1438000, _end: 0x1438000,
    });
    expect([l.codeK, l.rwdataK, l.rodataK, l.initK, l.bssK, l.brkBytes]).toEqual([1026, 66, 532, 56, 20, 0x11000]);
  });

  // 6.16.12: .head.text is an orphan output section between .text and .rodata, ahead of `_etext = .`
  //   K+0x1000000 .text (0x100800) │ K+0x1100810 .head.text (0x1763) ─ _etext = K+0x1101f73 │ K+0x1200000 .rodata
  it('layout_orphanAfterText: expect _etext at the end of an orphan section placed between .text and .rodata', () => {
    const K = 0xffffffff80000000n;
    const elf = x86_64Elf();
    const sections = [...elf.sections];
    sections.splice(1, 0, sec('.head.text', K + 0x1100810n, 0x1763));
    const l = deriveLayout({ ...elf, sections }, 'alternative_instructions');
    expect(l.symbols._etext).toBe(0x1101f73);
    expect(l.codeK).toBe(1031); // 0x101f73 = 1056627 bytes; without the orphan 1026
  });

  it('layout_i386PercpuInInit: expect LOAD_OFFSET 0xc0000000 and __per_cpu_load at the section', () => {
    const l = deriveLayout(i386Elf(), 'alternative_instructions');
    expect(l.loadOffset).toBe('0xc0000000');
    expect(l.percpuZeroBased).toBe(false);
    expect(l.symbols.__init_begin).toBe(0x1925000);
    expect(l.symbols.__per_cpu_load).toBe(0x1927000);
    expect(l.symbols.__init_end).toBe(0x1941000);
    expect(l.symbols.__end_rodata).toBe(0x191f000);
    expect(l.codeK).toBe(9327);
    expect(l.symbols._end).toBe(0x1adc000);
  });

  it('layout_percpuLoadDisagrees: expect LAYOUT_UNEXPECTED when the percpu LMA is not __init_begin', () => {
    const elf = x86_64Elf();
    const bad: ElfFile = { ...elf, segments: [elf.segments[0]!, { ...elf.segments[1]!, paddr: 0x1413000n }] };
    expect(() => deriveLayout(bad, 'alternative_instructions', 'vmlinux')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED', message: 'vmlinux: expected __per_cpu_load (the load address of .data..percpu, 0xffffffff81413000) to equal __init_begin 0xffffffff81412000' }));
  });

  it('layout_smpLocksMisplaced: expect LAYOUT_UNEXPECTED when .smp_locks is not at the aligned init end', () => {
    const K = 0xffffffff80000000n;
    expect(() => deriveLayout(x86_64Elf({ '.smp_locks': sec('.smp_locks', K + 0x1421000n, 0) }), 'alternative_instructions')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('layout_smpLocksUnaligned: expect LAYOUT_UNEXPECTED when .smp_locks does not end on a page (__smp_locks_end)', () => {
    const K = 0xffffffff80000000n;
    expect(() => deriveLayout(x86_64Elf({ '.smp_locks': sec('.smp_locks', K + 0x1420000n, 0x800) }), 'alternative_instructions')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('layout_missingSection: expect SECTION_MISSING for a 5.10–7.2 image without .smp_locks', () => {
    const elf = x86_64Elf();
    expect(() => deriveLayout({ ...elf, sections: elf.sections.filter((s) => s.name !== '.smp_locks') }, 'arch_initcall')).toThrow(expect.objectContaining({ code: 'SECTION_MISSING' }));
  });

  // 7.3.4's vmlinux.lds.S: PERCPU_SECTION, the runtime constants, `. = ALIGN(PAGE_SIZE); .init.end { __init_end = .; }`
  // (empty: no section header), then .data_nosave on X86_64:
  //   … .exit.text (ends K+0x141fd5c) ─┐ ALIGN → __init_end = K+0x1420000 = .data_nosave (0x1000) │ K+0x1421000 .bss
  const noLocks64 = (): ElfFile => {
    const K = 0xffffffff80000000n;
    const elf = x86_64Elf();
    const sections = elf.sections.filter((s) => s.name !== '.smp_locks' && s.name !== '.data_nosave' && s.name !== '.bss' && s.name !== '.brk');
    return { ...elf, sections: [...sections, sec('.data_nosave', K + 0x1420000n, 0x1000), sec('.bss', K + 0x1421000n, 0x5000, 8), sec('.brk', K + 0x1426000n, 0x11000, 8)] };
  };

  it('layout_noSmpLocks: expect __init_end at .data_nosave and no __smp_locks symbols on a 7.3 image', () => {
    const l = deriveLayout(noLocks64(), 'none');
    expect(l.symbols.__init_end).toBe(0x1420000);
    expect(l.symbols.__bss_start).toBe(0x1421000);
    expect('__smp_locks' in l.symbols || '__smp_locks_end' in l.symbols).toBe(false);
    expect(l.initK).toBe(56);
  });

  it('layout_noSmpLocksI386: expect __init_end at the page-aligned .bss of a 32-bit image without .smp_locks', () => {
    const elf = i386Elf();
    const l = deriveLayout({ ...elf, sections: elf.sections.filter((s) => s.name !== '.smp_locks').map((s) => (s.name === '.bss' ? { ...s, addr: 0xc1941000n } : s)) }, 'none');
    expect(l.symbols.__init_end).toBe(0x1941000);
    expect(l.symbols.__smp_locks).toBeUndefined();
  });

  it('layout_strayLocks: expect LAYOUT_UNEXPECTED when the trait says no table but the image has .smp_locks', () => {
    expect(() => deriveLayout(x86_64Elf(), 'none', 'vmlinux')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED', message: "vmlinux: expected no .smp_locks section (traits.smpLocks 'none': 7.3's vmlinux.lds.S has none), got one at 0xffffffff81420000" }));
  });

  it('layout_noSmpLocksNosaveMisplaced: expect LAYOUT_UNEXPECTED when .data_nosave is not at the aligned init end', () => {
    const K = 0xffffffff80000000n;
    const elf = noLocks64();
    const sections = elf.sections.map((s) => (s.name === '.data_nosave' ? sec('.data_nosave', K + 0x1420800n, 0x800) : s));
    expect(() => deriveLayout({ ...elf, sections }, 'none')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('layout_noSmpLocksNoNosave: expect SECTION_MISSING for a 64-bit 7.3 image without .data_nosave', () => {
    const elf = noLocks64();
    expect(() => deriveLayout({ ...elf, sections: elf.sections.filter((s) => s.name !== '.data_nosave') }, 'none')).toThrow(expect.objectContaining({ code: 'SECTION_MISSING' }));
  });
});
