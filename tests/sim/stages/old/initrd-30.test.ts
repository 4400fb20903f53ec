// The initrd of a 3.0.1 boot (sim/stages/old/initrd-30.ts): QEMU's placement, i386_start_kernel()'s
// "RAMDISK" reservation and reserve_initrd()/relocate_initrd()'s lines and ledger, each expectation
// hand-derived from 3.0.1 arch/x86/kernel/setup.c and hw/i386/x86.c (QEMU 7.2), not from a log.
import { describe, expect, test } from 'vitest';
import { simulate30 } from '../../../../sim/stages/old/pipeline-30.ts';
import { context30, kernel30Of } from '../../../../sim/stages/old/context-30.ts';
import { legacy30Of } from '../../../../sim/stages/old/state-30.ts';
import type { MachineSpec } from '../../../../sim/types.ts';
import { simErrorCode } from '../../sim-error-code.ts';
import { CONFIG_30_ELF, SYMBOLS_30, spec30 } from './kernel-30.ts';

const boot = (o: Partial<MachineSpec>, bytes: number | undefined, config: Readonly<Record<string, string>> = CONFIG_30_ELF) =>
  simulate30(context30(spec30({ probe: 'state', ...o }), kernel30Of({ id: '3.0.1-i386', arch: 'i386', release: '3.0.1' }, { config, loadOffset: '0xc0000000', symbols: SYMBOLS_30, bzImage: { protocol: '2.10' } }), bytes === undefined ? undefined : { bytes, from: 'test' }));
const initrdLines = (r: ReturnType<typeof boot>): string[] => r.lines.filter((l) => l.stage === 'initrd').map((l) => l.text);
const has = (r: ReturnType<typeof boot>, base: bigint, end: bigint): boolean => legacy30Of(r.state, 't').memblock30!.reserved.some((x) => x.base <= base && end <= x.end);

describe('reserve_initrd (3.0.1)', () => {
  test('relocate_pc_1g: expect an image at the top of RAM, above end_of_lowmem 0x377fe000, copied to the top page below it and the old page freed', () => {
    // QEMU: initrd_max = 0x40000000 − 0x20000 − 1; (0x3ffdffff − 3304) & ~4095 = 0x3ffdf000, ramdisk_end 0x3ffe0000
    // relocate_initrd: PAGE_ALIGN(3304) = 0x1000 top-down below 0x377fe000 → 0x377fd000
    //   0x377fd000 ┌ NEW RAMDISK ┐ 0x377fe000 = end_of_lowmem      0x3ffdf000 ┌ RAMDISK (freed) ┐ 0x3ffe0000
    const r = boot({}, 3304);
    expect(initrdLines(r)).toEqual([
      'RAMDISK: 3ffdf000 - 3ffe0000',
      'Allocated new RAMDISK: 377fd000 - 377fdce8',
      'Move RAMDISK from 000000003ffdf000 - 000000003ffdfce7 to 377fd000 - 377fdce7',
    ]);
    expect(has(r, 0x377fd000n, 0x377fe000n)).toBe(true);
    expect(has(r, 0x3ffdf000n, 0x3ffe0000n)).toBe(false);
    expect(legacy30Of(r.state, 't').initrd30?.relocated).toBe(0x377fd000n);
    // the lines come after init_memory_mapping's and before initmem_init's
    const texts = r.lines.map((l) => l.text);
    expect(texts.indexOf('RAMDISK: 3ffdf000 - 3ffe0000')).toBe(texts.findIndex((t) => t.startsWith('kernel direct mapping tables up to')) + 1);
    expect(texts.indexOf('135MB HIGHMEM available.')).toBe(texts.indexOf('RAMDISK: 3ffdf000 - 3ffe0000') + 3);
  });

  test('in_lowmem_q35_512m: expect an image below end_of_lowmem to stay reserved where QEMU put it, with the RAMDISK line only', () => {
    // q35 512M: the image ends below end_of_lowmem (all RAM is lowmem); QEMU's page is linux-loader.ts's (its own tests)
    const r = boot({ machine: 'q35', memoryBytes: 2 ** 29, memoryText: '512M' }, 3304);
    const lines = initrdLines(r);
    expect(lines).toHaveLength(1);
    const m = /^RAMDISK: ([0-9a-f]{8}) - ([0-9a-f]{8})$/.exec(lines[0]!);
    expect(m).not.toBeNull();
    const [start, end] = [BigInt(`0x${m![1]}`), BigInt(`0x${m![2]}`)];
    expect(end - start).toBe(0x1000n);
    expect(end).toBeLessThanOrEqual(0x20000000n);
    expect(has(r, start, end)).toBe(true);
  });

  test('moves_allocations: expect the mem_map (alloc_node_mem_map, top-down) to land below the copy, a page lower than without an initrd', () => {
    const mm = (r: ReturnType<typeof boot>): string => r.lines.find((l) => l.text.startsWith('free_area_init_node:'))!.text;
    const none = simulate30(context30(spec30({}), kernel30Of({ id: '3.0.1-i386', arch: 'i386', release: '3.0.1' }, { config: CONFIG_30_ELF, loadOffset: '0xc0000000', symbols: SYMBOLS_30, bzImage: { protocol: '2.10' } })));
    const at = (t: string): bigint => BigInt(`0x${/node_mem_map ([0-9a-f]+)/.exec(t)![1]}`);
    expect(at(mm(none)) - at(mm(boot({}, 3304)))).toBe(0x1000n);
  });

  test('refusals: expect probe: state without an image, an image of half the direct map, and a build without BLK_DEV_INITRD each refused with SIM_NOT_MODELLED', () => {
    expect(simErrorCode(() => boot({}, undefined))).toBe('SIM_NOT_MODELLED');
    expect(simErrorCode(() => boot({}, 0x377fe000 / 2))).toBe('SIM_NOT_MODELLED');
    const { BLK_DEV_INITRD: _drop, ...noInitrd } = CONFIG_30_ELF;
    expect(simErrorCode(() => boot({}, 3304, noInitrd))).toBe('SIM_NOT_MODELLED');
  });
});
