import { describe, expect, it, test } from 'vitest';
import { findSection, parseElf, section, sectionBytes } from '../../../qemu-scripts/kernel/elf.ts';

interface SecSpec { name: string; type?: number; flags?: number; addr: bigint; size: number; data?: Uint8Array }
interface SegSpec { type: number; vaddr: bigint; paddr: bigint; offset: number; size: number }

/** Builds a little-endian ELF32 or ELF64 with the given sections (plus NULL and .shstrtab) and program headers. */
function buildElf(cls: 32 | 64, sections: SecSpec[], segments: SegSpec[] = [], machine = cls === 64 ? 62 : 3): Uint8Array {
  const is64 = cls === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const names = ['', ...sections.map((s) => s.name), '.shstrtab'];
  const nameOff: number[] = [];
  let strtab = '';
  for (const n of names) { nameOff.push(strtab.length); strtab += `${n}\0`; }
  const strBytes = new TextEncoder().encode(strtab);
  let p = ehsize + phentsize * segments.length;
  const dataOff: number[] = [];
  for (const s of sections) { dataOff.push(p); p += s.data?.length ?? 0; }
  const strOff = p;
  p += strBytes.length;
  const shoff = (p + 7) & ~7;
  const total = shoff + shentsize * names.length;
  const buf = new Uint8Array(total);
  const v = new DataView(buf.buffer);
  buf.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1]);
  v.setUint16(16, 2, true);
  v.setUint16(18, machine, true);
  const w = (o: number, x: bigint | number): void => (is64 ? v.setBigUint64(o, BigInt(x), true) : v.setUint32(o, Number(x), true));
  w(is64 ? 32 : 28, segments.length ? ehsize : 0);
  w(is64 ? 40 : 32, shoff);
  v.setUint16(is64 ? 52 : 40, ehsize, true);
  v.setUint16(is64 ? 54 : 42, phentsize, true);
  v.setUint16(is64 ? 56 : 44, segments.length, true);
  v.setUint16(is64 ? 58 : 46, shentsize, true);
  v.setUint16(is64 ? 60 : 48, names.length, true);
  v.setUint16(is64 ? 62 : 50, names.length - 1, true);
  segments.forEach((g, i) => {
    const b = ehsize + i * phentsize;
    v.setUint32(b, g.type, true);
    if (is64) { w(b + 8, g.offset); w(b + 16, g.vaddr); w(b + 24, g.paddr); w(b + 32, g.size); w(b + 40, g.size); }
    else { w(b + 4, g.offset); w(b + 8, g.vaddr); w(b + 12, g.paddr); w(b + 16, g.size); w(b + 20, g.size); }
  });
  sections.forEach((s, i) => { if (s.data) buf.set(s.data, dataOff[i]!); });
  buf.set(strBytes, strOff);
  const shdr = (i: number, nOff: number, type: number, flags: number, addr: bigint, off: number, size: number): void => {
    const b = shoff + i * shentsize;
    v.setUint32(b, nOff, true);
    v.setUint32(b + 4, type, true);
    w(b + 8, flags);
    if (is64) { w(b + 16, addr); w(b + 24, off); w(b + 32, size); w(b + 48, 1); }
    else { w(b + 12, addr); w(b + 16, off); w(b + 20, size); w(b + 32, 1); }
  };
  sections.forEach((s, i) => shdr(i + 1, nameOff[i + 1]!, s.type ?? 1, s.flags ?? 2, s.addr, dataOff[i]!, s.data?.length ?? s.size));
  shdr(names.length - 1, nameOff[names.length - 1]!, 3, 0, 0n, strOff, strBytes.length);
  return buf;
}

describe('parseElf', () => {
  it('parseElf_64: expect sections by name with addresses above 2^53 kept exact', () => {
    const buf = buildElf(64, [
      { name: '.text', flags: 6, addr: 0xffffffff81000000n, size: 4, data: new Uint8Array([1, 2, 3, 4]) },
      { name: '.bss', type: 8, flags: 3, addr: 0xffffffff82000000n, size: 0x3000 },
    ], [{ type: 1, vaddr: 0xffffffff81000000n, paddr: 0x1000000n, offset: 0, size: 4 }]);
    const elf = parseElf(buf);
    expect(elf.elfClass).toBe(64);
    expect(elf.machine).toBe(62);
    expect(section(elf, '.text')).toMatchObject({ addr: 0xffffffff81000000n, size: 4, type: 1 });
    expect(section(elf, '.bss')).toMatchObject({ addr: 0xffffffff82000000n, size: 0x3000, type: 8 });
    expect([...sectionBytes(buf, section(elf, '.text'))]).toEqual([1, 2, 3, 4]);
    expect(sectionBytes(buf, section(elf, '.bss')).length).toBe(0);
    expect(elf.segments[0]).toMatchObject({ type: 1, vaddr: 0xffffffff81000000n, paddr: 0x1000000n });
  });

  it('parseElf_32: expect the ELF32 field offsets', () => {
    const elf = parseElf(buildElf(32, [{ name: '.data', flags: 3, addr: 0xc1c39000n, size: 2, data: new Uint8Array([9, 9]) }], [{ type: 1, vaddr: 0xc1000000n, paddr: 0x1000000n, offset: 0, size: 0 }]));
    expect(elf.elfClass).toBe(32);
    expect(elf.machine).toBe(3);
    expect(findSection(elf, '.data')).toMatchObject({ addr: 0xc1c39000n, size: 2 });
    expect(elf.segments[0]!.vaddr - elf.segments[0]!.paddr).toBe(0xc0000000n);
  });

  it('section_missing: expect SECTION_MISSING listing what is there', () => {
    const elf = parseElf(buildElf(64, [{ name: '.text', addr: 0n, size: 0 }]));
    expect(() => section(elf, '.BTF', 'vmlinux', 'CONFIG_DEBUG_INFO_BTF')).toThrow(expect.objectContaining({ code: 'SECTION_MISSING', message: 'vmlinux: expected a .BTF section (CONFIG_DEBUG_INFO_BTF), got sections .text .shstrtab' }));
  });

  test.each([
    ['not ELF', new Uint8Array([0x4d, 0x5a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'NOT_ELF'],
    ['big endian', (() => { const b = buildElf(64, []); b[5] = 2; return b; })(), 'NOT_ELF'],
    ['bad class', (() => { const b = buildElf(32, []); b[4] = 3; return b; })(), 'NOT_ELF'],
    ['section headers cut off', buildElf(64, [{ name: '.text', addr: 0n, size: 0 }]).subarray(0, 100), 'TRUNCATED'],
    ['header cut off', buildElf(32, []).subarray(0, 30), 'TRUNCATED'],
  ])('parseElf_rejects: %s', (_n, buf, code) => {
    expect(() => parseElf(buf)).toThrow(expect.objectContaining({ code }));
  });
});
