import { describe, expect, test } from 'vitest';
import { parseProfile } from '../../../harness/profile/load.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { simulate } from '../../../sim/boot.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { initrdStateOf } from '../../../sim/stages/initrd.ts';

const sim = (kernel: string, machine: string, memory: string, bytes: number | undefined, cmdline?: string, cpus = 1) => {
  const yaml = `kernel: ${kernel}\nmachine: ${machine}\nmemory: ${memory}\ncpus: ${cpus}\n${cmdline ? `cmdline: "${cmdline}"\n` : ''}`;
  const spec = parseProfile(yaml, `t/${kernel.replace(/\./g, '_')}.yaml`);
  return simulate({ spec, kernel: loadKernelWithFacts(kernel), ...(bytes !== undefined ? { initrd: { bytes, from: 'test' } } : {}) });
};
const initrdLines = (r: ReturnType<typeof sim>): string[] => r.lines.filter((l) => l.stage === 'initrd').map((l) => l.text);
const reservedK = (r: ReturnType<typeof sim>): number => Number(/ (\d+)K reserved/.exec(r.lines.find((l) => l.fmt === 'mem.summary')!.text)![1]);

describe('reserve_initrd', () => {
  // Each row is a boot captured by hand on 2026-12-01 (QEMU 7.2, -initrd of a newc cpio of that
  // many bytes): its RAMDISK lines, a NODE_DATA line the reservation moved down, and Memory: reserved
  test.each([
    ['6_1_pc_512m', '6.1-amd64', 'pc', '512M', 1000000, 1, ['RAMDISK: [mem 0x1feeb000-0x1ffdffff]'], 'NODE_DATA(0) allocated [mem 0x1fec0000-0x1feeafff]', 64376],
    ['6_12_q35_2g', '6.12-amd64', 'q35', '2G', 3000001, 2, ['RAMDISK: [mem 0x7fcf3000-0x7ffcffff]'], 'NODE_DATA(0) allocated [mem 0x7fcc8680-0x7fcf2fff]', 85256],
    // 4G: the image is at the top of RAM below 4G, NODE_DATA at the top of node 0 above 4G stays
    ['5_10_pc_4g', '5.10-amd64', 'pc', '4G', 777777, 2, ['RAMDISK: [mem 0xbff22000-0xbffdffff]'], 'NODE_DATA(0) allocated [mem 0x13ffd3000-0x13fffcfff]', 188400],
    // i386 above max_low_pfn: relocate_initrd copies it top-down below max_pfn_mapped
    ['6_1_686_pc_2g', '6.1-686', 'pc', '2G', 1500000, 1, [
      'RAMDISK: [mem 0x7fe71000-0x7ffdffff]',
      'Allocated new RAMDISK: [mem 0x36a8f000-0x36bfd35f]',
      'Move RAMDISK from [mem 0x7fe71000-0x7ffdf35f] to [mem 0x36a8f000-0x36bfd35f]',
    ], undefined, 38808],
    ['6_1_pae_pc_1g', '6.1-686-pae', 'pc', '1G', 2500000, 1, [
      'RAMDISK: [mem 0x3fd7d000-0x3ffdffff]',
      'Allocated new RAMDISK: [mem 0x36d9b000-0x36ffd59f]',
      'Move RAMDISK from [mem 0x3fd7d000-0x3ffdf59f] to [mem 0x36d9b000-0x36ffd59f]',
    ], undefined, 29736],
    // below_4g 3G: initrd_max is initrd_addr_max (2G) and linuxboot_dma keeps QEMU's address, which ends in 0x7ffff000's page
    ['6_1_pae_pc_3g', '6.1-686-pae', 'pc', '3G', 2000000, 1, [
      'RAMDISK: [mem 0x7fe17000-0x7fffffff]',
      'Allocated new RAMDISK: [mem 0x36e15000-0x36ffd47f]',
      'Move RAMDISK from [mem 0x7fe17000-0x7ffff47f] to [mem 0x36e15000-0x36ffd47f]',
    ], undefined, 49728],
    // 6.18 (memblock_reserve_kern) and 6.1 on 2 nodes: NODE_DATA(0) on node 0's top [0, 2G) is below neither
    ['6_18_q35_1g', '6.18-amd64', 'q35', '1G', 1777777, 1, ['RAMDISK: [mem 0x3fe1d000-0x3ffcffff]'], 'NODE_DATA(0) allocated [mem 0x3fdf2500-0x3fe1cfff]', 72000],
    // 5.10 i386 below max_low_pfn: mapped, stays
    ['5_10_pae_pc_512m', '5.10-686-pae', 'pc', '512M', 1234567, 1, ['RAMDISK: [mem 0x1feb2000-0x1ffdffff]'], undefined, 20660],
  ])('ramdisk_%s: expect the captured lines', (_n, kernel, machine, memory, bytes, cpus, lines, nodeData, reserved) => {
    const r = sim(kernel, machine, memory, bytes, undefined, cpus);
    expect(initrdLines(r)).toEqual(lines);
    if (nodeData) expect(r.lines.map((l) => l.text)).toContain(nodeData);
    expect(reservedK(r)).toBe(reserved);
  });

  test('ramdisk_mem_trimmed: expect x86_64 to relocate an image mem= took out of memblock.memory (6.1 pc 1G mem=512M, captured)', () => {
    const r = sim('6.1-amd64', 'pc', '1G', 1000000, 'mem=512M');
    expect(initrdLines(r)).toEqual([
      'RAMDISK: [mem 0x3feeb000-0x3ffdffff]',
      'Allocated new RAMDISK: [mem 0x1ff0b000-0x1ffff23f]',
      'Move RAMDISK from [mem 0x3feeb000-0x3ffdf23f] to [mem 0x1ff0b000-0x1ffff23f]',
    ]);
    expect(r.lines.map((l) => l.text)).toContain('NODE_DATA(0) allocated [mem 0x1fee0000-0x1ff0afff]');
    expect(reservedK(r)).toBe(64376);
  });

  test('ramdisk_numa2: expect the image at the top of node 1 RAM below 4G, NODE_DATA(0) at the top of node 0 (6.1 pc 4G, 2 nodes, captured)', () => {
    const yaml = 'kernel: 6.1-amd64\nmachine: pc\nmemory: 4G\ncpus: 2\nnuma:\n  - { memory: 2G, cpus: [0] }\n  - { memory: 2G, cpus: [1] }\n';
    const r = simulate({ spec: parseProfile(yaml, 't/numa2.yaml'), kernel: loadKernelWithFacts('6.1-amd64'), initrd: { bytes: 3333333, from: 'test' } });
    expect(initrdLines(r)).toEqual(['RAMDISK: [mem 0xbfcb2000-0xbffdffff]']);
    const text = r.lines.map((l) => l.text);
    expect(text).toContain('NODE_DATA(0) allocated [mem 0x7ffd5000-0x7fffffff]');
    expect(text).toContain('NODE_DATA(1) allocated [mem 0x13ffd2000-0x13fffcfff]');
    expect(reservedK(r)).toBe(189968);
  });

  test('ramdisk_reserved_grows: expect Memory: reserved to grow by PAGE_ALIGN(size) (6.1 pc 512M, 1000000 bytes: 980K)', () => {
    expect(reservedK(sim('6.1-amd64', 'pc', '512M', 1000000)) - reservedK(sim('6.1-amd64', 'pc', '512M', undefined))).toBe(980);
  });

  test('ramdisk_none: expect no initrd line, slice or reservation without -initrd', () => {
    const r = sim('6.1-amd64', 'pc', '512M', undefined);
    expect(initrdLines(r)).toEqual([]);
    expect(initrdStateOf(r.state)).toBeUndefined();
    expect(memblockStateOf(r.state).ledger.some((e) => e.stage === 'initrd')).toBe(false);
  });

  test('relocate_ledger: expect the copy reserved below max_low_pfn and the image given back', () => {
    //   0 … [copy] … max_low_pfn … [image) top of RAM below 4G
    const r = sim('6.1-686', 'pc', '2G', 1500000);
    const entries = memblockStateOf(r.state).ledger.filter((e) => e.stage === 'initrd');
    expect(entries.map((e) => [e.why, e.ranges])).toEqual([
      ['initrd (early_reserve_initrd)', []],
      ['initrd copy (relocate_initrd)', [{ start: 0x36a8f000n, end: 0x36bfe000n }]],
    ]);
    expect(entries[0]!.made).toEqual([{ start: 0x7fe71000n, end: 0x7ffe0000n }]);
    expect(entries[0]!.notPrinted).toBeDefined();
    expect(initrdStateOf(r.state)?.relocated).toBe(0x36a8f000n);
  });
});
