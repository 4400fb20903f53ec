import { describe, expect, test } from 'vitest';
import { e820Add, e820Remove, placeZoneHigh, seabiosE820 } from '../../../sim/firmware/seabios.ts';
import { qemuMemoryLayout, E820_RAM, E820_RESERVED, type E820Entry } from '../../../sim/firmware/qemu-7.2.ts';
import { firmwareTable } from '../../../sim/firmware/e820-table.ts';
import { smbiosTableLength } from '../../../sim/firmware/smbios.ts';
import { QEMU_7_2 } from '../../../sim/firmware/qemu-7.2.ts';
import { SZ_1M, SZ_1G, SZ_4G } from '../../../sim/lib/sizes.ts';
import { SimError } from '../../../sim/lib/errors.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const RAM = E820_RAM;
const RES = E820_RESERVED;
const e = (addr: bigint, size: bigint, type: number): E820Entry => ({ addr, size, type });
const G = Number(SZ_1G);
const M = Number(SZ_1M);

function spec(p: Partial<MachineSpec>): MachineSpec {
  return { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
}

describe('seabios e820_add', () => {
  test('e820_add_overwrites_middle', () => {
    // expect: a reserved range inside RAM splits it in three
    //   before: |RAM 0..........100|
    //   add:          |RES 40..60|
    //   after:  |RAM 0..40|RES|RAM 60..100|
    const l = e820Add([e(0n, 100n, RAM)], 40n, 20n, RES);
    expect(l).toEqual([e(0n, 40n, RAM), e(40n, 20n, RES), e(60n, 40n, RAM)]);
  });

  test('e820_add_merges_same_type_neighbours', () => {
    // expect: RAM added over the tail of RAM and the head of a reserved entry merges with the RAM
    //   before: |RAM 0..50|      |RES 60..100|
    //   add:          |RAM 40..........80|
    //   after:  |RAM 0..80|RES 80..100|
    const l = e820Add([e(0n, 50n, RAM), e(60n, 40n, RES)], 40n, 40n, RAM);
    expect(l).toEqual([e(0n, 80n, RAM), e(80n, 20n, RES)]);
  });

  test('e820_remove_cuts_hole', () => {
    // expect: malloc_preinit's 0xa0000–0xf0000 removal leaves two RAM pieces
    //   |RAM 0..............1M|  →  |RAM 0..a0000|   |RAM f0000..1M|
    const l = e820Remove([e(0n, SZ_1M, RAM)], 0xa0000n, 0x50000n);
    expect(l).toEqual([e(0n, 0xa0000n, RAM), e(0xf0000n, 0x10000n, RAM)]);
  });

  test('zonehigh_place_small_and_large', () => {
    // expect: ≥ 33 MiB of RAM above 1M gets a 16 MiB ZoneHigh; 2 MiB gets the 256 KiB minimum
    expect(placeZoneHigh([e(SZ_1M, 64n * SZ_1M, RAM)])).toEqual({ start: 65n * SZ_1M - 16n * SZ_1M, size: 16n * SZ_1M });
    expect(placeZoneHigh([e(SZ_1M, 2n * SZ_1M, RAM)])).toEqual({ start: 3n * SZ_1M - 0x40000n, size: 0x40000n });
  });

  test('seabios_pc_512m_reserves_acpi_only', () => {
    // expect: 0x20000 of ZoneHigh stays reserved at the top of low RAM (ACPI tables only)
    const r = seabiosE820({ qemuE820: [e(0n, 512n * SZ_1M, RAM)], highAllocs: [{ what: 'acpi', size: 0x20000n, align: 64n }], mmconfig: undefined, rcba: undefined });
    expect(r.zoneHighKept).toBe(0x20000n);
    expect(r.e820).toContainEqual(e(0x1ffe0000n, 0x20000n, RES));
  });
});

describe('qemu 7.2 split and 1 TiB hole', () => {
  test.each([
    // expect: pc splits at 0xe0000000 (3.5G) to a 3G low part; q35 splits at 0xb0000000 to 2G
    ['pc', 0xe0000000 - M, 0xe0000000n - SZ_1M, 0n],
    ['pc', 0xe0000000, 0xc0000000n, 0x20000000n],
    ['q35', 0xb0000000 - M, 0xb0000000n - SZ_1M, 0n],
    ['q35', 0xb0000000, 0x80000000n, 0x30000000n],
  ] as const)('split_%s_at_%d', (machine, mem, below, above) => {
    const l = qemuMemoryLayout({ arch: 'x86_64', machine, memoryBytes: mem, cpu: undefined });
    expect([l.belowGb4, l.above4g]).toEqual([below, above]);
  });

  test('amd_hole_present_for_qemu64', () => {
    // expect: qemu64 (AMD, 40 phys bits) gets [0xfd00000000, 0x10000000000) reserved, first in etc/e820
    const l = qemuMemoryLayout({ arch: 'x86_64', machine: 'pc', memoryBytes: 512 * M, cpu: undefined });
    expect(l.e820[0]).toEqual(e(0xfd00000000n, 0x300000000n, RES));
  });

  test('amd_hole_present_with_la57', () => {
    // expect: +la57 changes neither vendor nor phys-bits
    const l = qemuMemoryLayout({ arch: 'x86_64', machine: 'pc', memoryBytes: 512 * M, cpu: 'qemu64,+la57' });
    expect(l.e820[0]?.addr).toBe(0xfd00000000n);
  });

  test('amd_hole_absent_for_qemu32', () => {
    // expect: qemu32 is Intel: no HT hole
    const l = qemuMemoryLayout({ arch: 'i386', machine: 'pc', memoryBytes: 4 * G, cpu: undefined });
    expect(l.e820).toEqual([e(0n, 0xc0000000n, RAM), e(SZ_4G, SZ_1G, RAM)]);
  });

  test('qemu_refuses_1t_pc', () => {
    // expect: 1 TiB on pc relocates high RAM past 1 TiB, beyond 40 phys bits: QEMU exits
    try {
      qemuMemoryLayout({ arch: 'x86_64', machine: 'pc', memoryBytes: 1024 * G, cpu: undefined });
      expect.unreachable();
    } catch (err) {
      expect((err as SimError).code).toBe('SIM_QEMU_REFUSES');
      expect((err as SimError).message).toContain('phys-bits too low (40)');
    }
  });

  test('qemu_accepts_1000g_pc', () => {
    // expect: 1000 GiB still ends below the HT hole with the 2 GiB hole64: high RAM at 4G
    const l = qemuMemoryLayout({ arch: 'x86_64', machine: 'pc', memoryBytes: 1000 * G, cpu: undefined });
    expect(l.above4gStart).toBe(SZ_4G);
  });

  test('cpu_unknown_flag_not_modelled', () => {
    // expect: a flag QEMU 7.2 does not know is refused (QEMU exits: "Property … not found")
    expect(() => qemuMemoryLayout({ arch: 'x86_64', machine: 'pc', memoryBytes: G, cpu: 'qemu64,+nosuchflag' })).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED' }));
  });

  test.each([
    ['EPYC', 'AMD', 40, true], ['Skylake-Client', 'Intel', 40, false], ['max', 'AMD', 40, true], ['Dhyana', 'Hygon', 40, false],
  ])('cpu_vendor_hole_%s: expect vendor %s, %i phys bits, the AMD 1T-hole entry %s', (cpu, vendor, bits, hole) => {
    const l = qemuMemoryLayout({ arch: 'x86_64', machine: 'pc', memoryBytes: G, cpu });
    expect({ vendor: l.vendor, physBits: l.physBits, hole: l.e820.some((e) => e.addr === 0xfd00000000n) }).toEqual({ vendor, physBits: bits, hole });
  });

  test('cpu_lm_model_on_i386: expect a long-mode model under qemu-system-i386 to run with 36 phys bits (LM filtered, PSE36)', () => {
    const l = qemuMemoryLayout({ arch: 'i386', machine: 'pc', memoryBytes: G, cpu: 'Skylake-Client' });
    expect(l.physBits).toBe(36);
  });
});

describe('firmware table', () => {
  test('q35_keeps_acpi_plus_ahci', () => {
    // expect: q35 keeps 0x21000 (ACPI 0x20000 + AHCI list/fis/cmd 0x600, page-rounded), MMCONFIG and RCBA reserved
    //   ...|RAM 1M..3ffdefff|RES 3ffdf000..3fffffff| … |RES b0000000..bfffffff| … |RES fed1c000..fed1ffff|
    const t = firmwareTable(spec({ machine: 'q35', memoryBytes: G, memoryText: '1G' }), 'x86_64');
    expect(t.seabios.zoneHighKept).toBe(0x21000n);
    expect(t.e820).toContainEqual(e(0xb0000000n, 0x10000000n, RES));
    expect(t.e820).toContainEqual(e(0xfed1c000n, 0x4000n, RES));
  });

  test('numa_does_not_change_e820', () => {
    // expect: -numa only feeds the SRAT; the SRAT cuts 640K–1M and the PCI hole
    const plain = firmwareTable(spec({ memoryBytes: 4 * G, memoryText: '4G', cpus: 4 }), 'x86_64');
    const numa = firmwareTable(spec({ memoryBytes: 4 * G, memoryText: '4G', cpus: 4, numa: [
      { memoryBytes: 2 * G, memoryText: '2G', cpus: [0, 1] }, { memoryBytes: 2 * G, memoryText: '2G', cpus: [2, 3] }] }), 'x86_64');
    expect(numa.e820).toEqual(plain.e820);
    //   node0: [0, 640K) [1M, 2G)      node1: [2G, 3G) [4G, 5G)
    expect(numa.srat).toEqual([
      { start: 0n, end: 0xa0000n, node: 0 }, { start: SZ_1M, end: 2n * SZ_1G, node: 0 },
      { start: 2n * SZ_1G, end: 3n * SZ_1G, node: 1 }, { start: SZ_4G, end: SZ_4G + SZ_1G, node: 1 }]);
  });

  test('smbios_moves_high_above_64g', () => {
    // expect: pc with 2 RAM areas fits 4 type-17 DIMMs (≤ 64 GiB) in 600 bytes; 5 push it into ZoneHigh
    const pc = QEMU_7_2.machines.pc;
    expect(smbiosTableLength({ machine: pc, ramBytes: 64n * SZ_1G, sockets: 1, ramAreas: 2 })).toBeLessThanOrEqual(600);
    expect(smbiosTableLength({ machine: pc, ramBytes: 65n * SZ_1G, sockets: 1, ramAreas: 2 })).toBeGreaterThan(600);
    const t = firmwareTable(spec({ memoryBytes: 65 * G, memoryText: '65G' }), 'x86_64');
    expect(t.seabios.zoneHighKept).toBe(0x21000n);
  });

  test('acpi_blob_one_step_up_to_tcg_max', () => {
    // expect: the tables of 255 vCPUs still fit one 0x20000 step (tests/sim/firmware/acpi-blob.test.ts
    // checks the captured ones); past QEMU's TCG maximum nothing is claimed
    expect(() => firmwareTable(spec({ cpus: 255 }), 'x86_64')).not.toThrow();
    expect(() => firmwareTable(spec({ cpus: 256 }), 'x86_64')).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED' }));
  });
});
