import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readKernelFile } from '../../../harness/kernels.ts';
import { findBanner, withDerivations, writeFacts } from '../../../qemu-scripts/kernel/facts.ts';
import type { KernelFacts } from '../../../sim/kernel-facts.ts';
import { scratchDir } from '../../scratch.ts';

const header = `# Pinned kernel build. The header is written by hand; "facts" is written by
# \`bootsim kernel facts 6.1-686\` from the package alone, never from a log.
id: 6.1-686
arch: i386
package: linux-image-6.1.0-50-686-unsigned
version: 6.1.176-1
suite: bookworm
sha256: 66da497253e9515b8101b7c94cf06a44574e63891cb29a323cf597de069e81d0
release: 6.1.0-50-686
image: boot/vmlinuz-6.1.0-50-686
config:
  package: linux-image-6.1.0-50-686-unsigned
  sha256: 66da497253e9515b8101b7c94cf06a44574e63891cb29a323cf597de069e81d0
  path: boot/config-6.1.0-50-686  # beside the image
`;

const facts: KernelFacts = {
  banner: 'Linux version 6.1.0-50-686 (x) (gcc) #1 SMP PREEMPT_DYNAMIC Debian 6.1.176-1 (2026-07-02)',
  compression: 'xz',
  bzImage: { protocol: '2.15', setupSects: 39, prefAddress: 0x1000000, kernelAlignment: 0x1000000, relocatable: true, initSize: 0x100b000 },
  image: {
    loadOffset: '0xc0000000',
    percpuZeroBased: false,
    symbols: {
      _text: 0x1000000, _stext: 0x1000000, _etext: 0x191bc80, __start_rodata: 0x191c000, __end_rodata: 0x1c39000, _sdata: 0x1c39000, _edata: 0x1d70bc0,
      __init_begin: 0x1d86000, __per_cpu_load: 0x1e50000, __init_end: 0x1e6a000, __smp_locks: 0x1e6a000, __smp_locks_end: 0x1e72000, __bss_start: 0x1e72000, __bss_stop: 0x1ee6000,
      __end_of_kernel_reserve: 0x1ee6000, __brk_base: 0x1ee6000, __brk_limit: 0x200c000, _end: 0x200c000,
    },
    codeK: 9327, rwdataK: 1246, rodataK: 3188, initK: 912, bssK: 464, brkBytes: 0x126000,
  },
  staticPercpuBytes: 103316,
  realModeBlobBytes: 13124,
  structs: { page: { bytes: 40, source: 'include/linux/mm_types.h (6.1), 32-bit: … = 40' } },
  params: { setup: [{ str: 'console=', early: false }, { str: 'mem', early: true }], module: [{ name: 'printk.time', level: -1, noarg: true }] },
  configSha256: '0'.repeat(64),
  config: { HIGHMEM4G: 'y', NR_CPUS: '32', PAGE_OFFSET: '3221225472' },
};

const scratch = (): string => scratchDir('bootsim-facts-');

function tempEntry(): string {
  const dir = scratch();
  const file = path.join(dir, '6.1-686.yaml');
  writeFileSync(file, header);
  return file;
}

describe('writeFacts', () => {
  it('writeFacts_appends: expect the header byte for byte, then facts the catalog reads back equal', () => {
    const file = tempEntry();
    writeFacts(file, facts);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(header)).toBe(true);
    expect(text).toContain('    _text: 0x1000000\n');
    expect(text).toContain('  loadOffset: "0xc0000000"\n');
    expect(readKernelFile(file).facts).toEqual(facts);
    expect(readdirSync(path.dirname(file))).toEqual(['6.1-686.yaml']);
  });

  it('writeFacts_replaces: expect one facts block holding the new values, the header kept', () => {
    const file = tempEntry();
    writeFacts(file, facts);
    const next = { ...facts, staticPercpuBytes: 1, structs: {} };
    writeFacts(file, next);
    const text = readFileSync(file, 'utf8');
    expect(text.match(/^facts:/gm)).toHaveLength(1);
    expect(text.startsWith(header)).toBe(true);
    expect(readKernelFile(file).facts).toEqual(next);
  });

  it('writeFacts_keysAfterFacts: expect a key written after the facts block to survive a rewrite', () => {
    const file = tempEntry();
    writeFileSync(file, `${header}facts: {}\nnote: kept  # by hand\n`);
    writeFacts(file, facts);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(header)).toBe(true);
    expect(text.endsWith('note: kept  # by hand\n')).toBe(true);
    expect(readKernelFile(file).facts).toEqual(facts);
  });

  it('writeFacts_notAnEntry: expect ENTRY_INVALID and the file untouched', () => {
    const file = tempEntry();
    writeFileSync(file, '- a list\n');
    expect(() => writeFacts(file, facts)).toThrow(expect.objectContaining({ code: 'ENTRY_INVALID' }));
    expect(readFileSync(file, 'utf8')).toBe('- a list\n');
  });
});

describe('findBanner', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  it('banner_strongOverWeak: expect the banner with a build number, not the __weak placeholder (6.1+ init/version.c)', () => {
    const img = enc('\0junk\0Linux version 6.1.0-50-686 (a@b) (gcc) # SMP Debian\n\0xx\0Linux version 6.1.0-50-686 (a@b) (gcc) #1 SMP Debian\n\0%s version %s (a@b) (gcc) %s\n\0');
    expect(findBanner(img, '6.1.0-50-686')).toBe('Linux version 6.1.0-50-686 (a@b) (gcc) #1 SMP Debian');
  });

  it('banner_missing: expect BANNER_MISSING when no string names the release', () => {
    expect(() => findBanner(enc('Linux version 6.1.0-49-686 (a) #1\n\0'), '6.1.0-50-686')).toThrow(expect.objectContaining({ code: 'BANNER_MISSING' }));
  });
});

describe('withDerivations (a 686 build: DWARF sizes and the source derivations)', () => {
  const derivation = (bytes: number) => ({ bytes, source: 'kernel/dma/swiotlb.c (6.1), 32-bit: … = 16' });
  it('derivation_agrees: expect the DWARF entry kept, with its source', () => {
    expect(withDerivations({ io_tlb_slot: { bytes: 16, source: 'dwarf' } }, { io_tlb_slot: derivation(16) }, 'vmlinux')).toEqual({ io_tlb_slot: { bytes: 16, source: 'dwarf' } });
  });
  it('derivation_only: expect a struct the DWARF lacks (its file not built) to keep its derivation', () => {
    expect(withDerivations({ page: { bytes: 40, source: 'dwarf' } }, { io_tlb_slot: derivation(16) }, 'vmlinux')).toEqual({ page: { bytes: 40, source: 'dwarf' }, io_tlb_slot: derivation(16) });
  });
  it('derivation_disagrees: expect DWARF_INVALID naming the struct, both sizes and the file to fix', () => {
    expect(() => withDerivations({ io_tlb_slot: { bytes: 20, source: 'dwarf' } }, { io_tlb_slot: derivation(16) }, 'vmlinux-6.1.0-50-686'))
      .toThrow(expect.objectContaining({ code: 'DWARF_INVALID', message: expect.stringMatching(/struct io_tlb_slot: the DWARF gives 20 bytes, the derivation 16 .*qemu-scripts\/kernel\/structs\.ts/) }));
  });
});
