// The 2.6.11 x86_64 prebuilt's setup_arch() up to init_memory_mapping() (sim/stages/old/setup-2611.ts):
// the page-table panic QEMU 7.2's AMD 1T-hole e820 entry causes, hand-derived from 2.6.11's source.
import { describe, expect, test } from 'vitest';
import { copyE820Map2611, endOfRam2611, findEarlyTableSpace2611 } from '../../../../sim/stages/old/setup-2611.ts';
import { simulateSpec } from '../../../../harness/simulate.ts';
import { E820_RAM, E820_RESERVED } from '../../../../sim/firmware/qemu-7.2.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const spec = (o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel: '2.6.11-x86_64', machine: 'pc', memoryBytes: 2 ** 30, memoryText: '1G', cpus: 1, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const ram = (addr: bigint, size: bigint) => ({ addr, size, type: E820_RAM });
const res = (addr: bigint, size: bigint) => ({ addr, size, type: E820_RESERVED });

describe('e820 of 2.6.11 x86_64', () => {
  test('copy_cuts_isa_hole: expect RAM reaching into 640K–1M cut at 0xa0000 and restarted at 1M', () => {
    expect(copyE820Map2611([ram(0n, 0x200000n), res(0x200000n, 0x1000n)])).toEqual([ram(0n, 0xa0000n), ram(0x100000n, 0x100000n), res(0x200000n, 0x1000n)]);
  });
  test('end_pfn_map_counts_reserved: expect end_pfn over RAM and end_pfn_map over every entry', () => {
    const t = [ram(0x1000n, 0x9e000n), ram(0x100000n, 0x3fee0000n), res(0xfffc0000n, 0x40000n), res(0xfd00000000n, 0x300000000n)];
    expect(endOfRam2611(t)).toEqual({ endPfn: 0x3ffe0n, endPfnMap: 0x10000000n });
  });
  test('tables_below_text: expect 8 bytes per PUD (1G) and PMD (2M) entry, placed from 0x8000 below _text', () => {
    const t = [ram(0n, 0x9fc00n), ram(0x100000n, 0x3fee0000n)];
    // 4G: 4 PUDs → 1 page, 2048 PMDs → 4 pages
    expect(findEarlyTableSpace2611(t, 1n << 32n, 0x100000n, 0x618000n)).toEqual({ tables: 0x5000n, start: 0x8000n });
    // 1T: 1024 PUDs → 2 pages, 524288 PMDs → 1024 pages: no room below 1M
    expect(findEarlyTableSpace2611(t, 1n << 40n, 0x100000n, 0x618000n)).toEqual({ tables: 0x402000n, start: undefined });
  });
});

describe('the refusal', () => {
  test('qemu64_panics: expect the default (AMD) vCPU refused with the kernel\'s panic and the 1T-hole entry named', () => {
    expect(simErrorCode(() => simulateSpec(spec()))).toBe('SIM_NOT_MODELLED');
    expect(() => simulateSpec(spec())).toThrow(/the kernel panics "Cannot find space for the kernel page tables": end_pfn_map 0x10000000 counts the e820 entry \[0xfd00000000, 0x10000000000\)/);
  });
  test('core2duo_gets_past: expect an Intel vCPU past the tables (20K for the 4G reserved top) and simulated to its Memory: line', () => {
    expect(simulateSpec(spec({ cpu: 'core2duo' })).map((l) => l.fmt)).toContain('mem.summary_legacy_x86_64');
  });
});
