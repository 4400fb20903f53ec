import { describe, expect, it } from 'vitest';
import { extractParams, findSetupTable, kernelParamSize, obsKernelParamSize, readParamSection } from '../../../qemu-scripts/kernel/params.ts';
import type { ElfFile, ElfSection } from '../../../qemu-scripts/kernel/elf.ts';
import { FactsError } from '../../../qemu-scripts/kernel/errors.ts';
import { kernelIds, loadKernel } from '../../../harness/kernels.ts';

// A miniature image, one file offset per section (addresses as on the real builds):
//
//   .text       exec   0x1000 bytes  the setup_func targets
//   .rodata            0x1000 bytes  the __param names, the kernel_param_ops ({ flags, … })
//   .init.data         0x1000 bytes  junk, then at +0x100 the .init.setup table, then PREL32 initcalls
//   __param            n × sizeof(struct kernel_param)
interface Arch { ptr: 4 | 8; base: bigint }
const X86_64: Arch = { ptr: 8, base: 0xffffffff81000000n };
const I386: Arch = { ptr: 4, base: 0xc1000000n };

const OFF = { text: 0x0, rodata: 0x1000, init: 0x2000, param: 0x3000 };
const addr = (a: Arch, off: number): bigint => a.base + BigInt(off);

function image(a: Arch, setup: readonly { str: string; early: boolean }[], mods: readonly { name: string; level: number; noarg: boolean }[], opts: { tableAt?: number } = {}) {
  const buf = new Uint8Array(0x4000);
  const v = new DataView(buf.buffer);
  const word = (o: number, x: bigint): void => (a.ptr === 8 ? v.setBigUint64(o, x, true) : v.setUint32(o, Number(x & 0xffffffffn), true));
  let strs = OFF.rodata + 0x100;
  const str = (s: string): bigint => {
    const at = strs;
    buf.set(new TextEncoder().encode(s), at);
    strs += s.length + 1;
    return addr(a, at);
  };
  // kernel_param_ops: one with KERNEL_PARAM_OPS_FL_NOARG, one without
  v.setUint32(OFF.rodata + 0x10, 1, true);
  v.setUint32(OFF.rodata + 0x40, 0, true);
  // junk before the table (a pointer into .rodata, then zero padding), PREL32 offsets after
  for (let o = OFF.init; o < OFF.init + 0x1000; o += 4) v.setUint32(o, 0xffd5c9cc - o, true);
  const at = OFF.init + (opts.tableAt ?? 0x100);
  word(at - 2 * a.ptr, addr(a, OFF.rodata + 0x100));
  const size = obsKernelParamSize(a.ptr);
  setup.forEach((e, i) => {
    const o = at + i * size;
    word(o, str(e.str));
    word(o + a.ptr, addr(a, OFF.text + 0x10 * (i + 1)));
    v.setUint32(o + 2 * a.ptr, e.early ? 1 : 0, true);
    if (a.ptr === 8) v.setUint32(o + 20, 0, true);
  });
  const psize = kernelParamSize(a.ptr);
  mods.forEach((m, i) => {
    const o = OFF.param + i * psize;
    word(o, str(m.name));
    word(o + a.ptr, 0n);
    word(o + 2 * a.ptr, addr(a, OFF.rodata + (m.noarg ? 0x10 : 0x40)));
    v.setUint16(o + 3 * a.ptr, 0o644, true);
    v.setInt8(o + 3 * a.ptr + 2, m.level);
  });
  const s = (name: string, off: number, size: number, flags: bigint): ElfSection => ({ name, type: 1, flags, addr: addr(a, off), offset: off, size, align: 8 });
  const elf: ElfFile = {
    elfClass: a.ptr === 8 ? 64 : 32,
    machine: a.ptr === 8 ? 62 : 3,
    sections: [s('.text', OFF.text, 0x1000, 6n), s('.rodata', OFF.rodata, 0x1000, 3n), s('.init.data', OFF.init, 0x1000, 3n), s('__param', OFF.param, mods.length * psize, 2n)],
    segments: [],
  };
  return { elf, buf };
}

const SETUP = [
  { str: 'rodata', early: true },
  { str: 'console=', early: false },
  { str: 'slub_debug', early: false },
  { str: 'mem', early: true },
];
const MODS = [
  { name: 'initcall_debug', level: -1, noarg: true },
  { name: 'panic', level: -1, noarg: false },
  { name: 'syscall.x32', level: 3, noarg: false },
];

describe('the kernel parameter tables', () => {
  it.each([['x86_64', X86_64], ['i386', I386]] as const)('setup_table_%s: expect the 16-aligned run holding "console=", in table order, without the junk around it', (_n, a) => {
    const { elf, buf } = image(a, SETUP, MODS);
    expect(findSetupTable(elf, buf)).toEqual(SETUP);
  });

  it.each([['x86_64', X86_64], ['i386', I386]] as const)('param_section_%s: expect each kernel_param name, level and the NOARG flag of its ops', (_n, a) => {
    const { elf, buf } = image(a, SETUP, MODS);
    expect(readParamSection(elf, buf)).toEqual(MODS);
    expect(extractParams(elf, buf)).toEqual({ setup: SETUP, module: MODS });
  });

  it('setup_table_noConsole: expect LAYOUT_UNEXPECTED when no run holds "console="', () => {
    const { elf, buf } = image(X86_64, SETUP.filter((e) => e.str !== 'console='), MODS);
    expect(() => findSetupTable(elf, buf)).toThrow(FactsError);
    expect(() => findSetupTable(elf, buf)).toThrow(/expected one run of obs_kernel_param entries in \.init\.data holding "console=".*got none/);
  });

  it('setup_table_misaligned: expect LAYOUT_UNEXPECTED for a table off INIT_SETUP(16)', () => {
    const { elf, buf } = image(X86_64, SETUP, MODS, { tableAt: 0x108 });
    expect(() => findSetupTable(elf, buf)).toThrow(/16-byte aligned/);
  });

  it('setup_table_badEarly: expect an entry whose early is neither 0 nor 1 to end the run (it is not an obs_kernel_param)', () => {
    const { elf, buf } = image(X86_64, SETUP, MODS);
    new DataView(buf.buffer).setUint32(OFF.init + 0x100 + 2 * 24 + 16, 7, true);
    expect(findSetupTable(elf, buf).map((e) => e.str)).toEqual(['rodata', 'console=']);
  });

  it('param_section_partial: expect LAYOUT_UNEXPECTED when __param is not whole entries', () => {
    const { elf, buf } = image(I386, SETUP, MODS);
    const bad = { ...elf, sections: elf.sections.map((s) => (s.name === '__param' ? { ...s, size: s.size - 4 } : s)) };
    expect(() => readParamSection(bad, buf)).toThrow(/whole struct kernel_param entries of 20 bytes, got 56 bytes/);
  });
});

describe('the committed parameter tables', () => {
  // Every build's tables hold what the fixed invocation (console=ttyS0 nokaslr panic=-1 loglevel=8)
  // and the e820 stage rely on, with the registration the source gives: kernel/printk/printk.c
  // __setup("console=", …), init/main.c early_param("loglevel", …), kernel/panic.c
  // core_param(panic, …), arch/x86/kernel/e820.c early_param("mem"/"memmap", …); and none of them
  // registers "nokaslr", which only the decompressor reads.
  // a local build of an old kernel may lack the tables (its facts name why: add.test.ts)
  it.each(kernelIds().filter((id) => loadKernel(id).facts !== undefined))('committed_%s: expect console= (__setup), loglevel/mem/memmap (early), panic (core_param), no nokaslr', (id) => {
    const p = loadKernel(id).facts!.params;
    const setup = (str: string) => p.setup.filter((e) => e.str === str).map((e) => e.early);
    expect(setup('console=')).toEqual([false]);
    for (const n of ['loglevel', 'mem', 'memmap']) expect(setup(n)).toEqual([true]);
    expect(p.module.filter((m) => m.name === 'panic')).toEqual([{ name: 'panic', level: -1, noarg: false }]);
    expect(p.setup.some((e) => e.str.startsWith('nokaslr')) || p.module.some((m) => m.name === 'nokaslr')).toBe(false);
    // built-in module parameters are "modname.param"; a bare name is a core_param (or a module_param in a file without KBUILD_MODNAME prefix)
    expect(p.module.filter((m) => m.name.includes('.')).length).toBeGreaterThan(p.module.length / 2);
  });
});
