import { describe, expect, it } from 'vitest';
import { findKallsyms, type KallsymsOffsets } from '../../../qemu-scripts/kernel/kallsyms.ts';
import type { ElfSection } from '../../../qemu-scripts/kernel/elf.ts';

const RODATA_ADDR = 0xffffffff82000000n;
const TEXT = 0xffffffff81000000n;
const rodata = (size: number): ElfSection => ({ name: '.rodata', type: 1, flags: 2n, addr: RODATA_ADDR, offset: 0, size, align: 64 });

// Token i is the character i where printable, else "~" + i, so a name's bytes are its characters.
const token = (i: number): string => (i > 32 && i < 127 ? String.fromCharCode(i) : `~${i}`);

/** scripts/kallsyms.c's output for these (address, "t" + name) symbols, sorted by address. */
function blob(syms: [bigint, string][], mode: KallsymsOffsets): Uint8Array {
  const out: number[] = new Array<number>(40).fill(0xaa); // unrelated bytes first
  const align = (n: number): void => {
    while (out.length % n) out.push(0);
  };
  const u32 = (v: number): void => {
    out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  };
  align(8);
  u32(syms.length);
  align(8);
  const names = out.length;
  const markers: number[] = [];
  syms.forEach(([, n], i) => {
    if ((i & 255) === 0) markers.push(out.length - names);
    out.push(n.length, ...[...n].map((c) => c.charCodeAt(0)));
  });
  align(8);
  markers.forEach(u32);
  align(8);
  const offsets: number[] = [];
  for (let i = 0; i < 256; i++) {
    offsets.push(out.length);
    out.push(...[...token(i)].map((c) => c.charCodeAt(0)), 0);
  }
  const tokens = offsets[0]!;
  align(8);
  for (const o of offsets) out.push((o - tokens) & 0xff, (o - tokens) >> 8);
  align(8);
  const base = TEXT;
  syms.forEach(([a]) => {
    if (mode === 'pc-relative') u32(Number(BigInt.asUintN(32, a - (RODATA_ADDR + BigInt(out.length)))));
    else if (mode === 'base-relative') u32(Number(a - base));
    else u32(Number(BigInt.asUintN(32, base - 1n - a)));
  });
  align(8);
  for (let i = 0n; i < 8n; i++) out.push(Number((base >> (8n * i)) & 0xffn));
  out.push(...new Array<number>(16).fill(0x55));
  return Uint8Array.from(out);
}

const SYMS: [bigint, string][] = Array.from({ length: 300 }, (_, i) => [TEXT + 0x1000n + BigInt(i) * 0x40n, `T__x64_sys_s${i}`] as [bigint, string]);
// an alias at s7's address, after it in the table: kallsyms_lookup gives the first
SYMS.splice(8, 0, [TEXT + 0x1000n + 7n * 0x40n, 'T__do_sys_s7']);

describe('findKallsyms', () => {
  for (const mode of ['absolute-percpu', 'base-relative', 'pc-relative'] as const) {
    it(`names_${mode}: expect each address's first symbol, without its type character`, () => {
      const b = blob(SYMS, mode);
      const k = findKallsyms(b, rodata(b.length), mode);
      expect(k.count).toBe(301);
      expect(k.nameAt(TEXT + 0x1000n)).toBe('__x64_sys_s0');
      expect(k.nameAt(TEXT + 0x1000n + 7n * 0x40n)).toBe('__x64_sys_s7');
      expect(k.nameAt(TEXT + 0x1000n + 299n * 0x40n)).toBe('__x64_sys_s299');
      expect(k.nameAt(TEXT + 0x20n)).toBeUndefined();
    });
  }

  it('no_table: expect LAYOUT_UNEXPECTED when .rodata holds no token index', () => {
    const b = new Uint8Array(4096).fill(0x41);
    expect(() => findKallsyms(b, rodata(b.length), 'pc-relative')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });
});
