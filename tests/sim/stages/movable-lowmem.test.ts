import { describe, expect, test } from 'vitest';
import { earlyPfns, movableFromLowmem } from '../../../sim/stages/movable-lowmem.ts';
import { maxLowPfnOf, maxPfnOf } from '../../../sim/stages/lowmem32.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate } from '../../../sim/boot.ts';
import { slice } from '../../../sim/state.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
const spec = (kernel: string, mib: number, cmdline?: string): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: mib * M, memoryText: `${mib}M`, cpus: 1, cpu: undefined, numa: undefined, cmdline, file: 't.yaml',
});
const ctxOf = (kernel: string, mib: number, cmdline?: string) => bootContext({ spec: spec(kernel, mib, cmdline), kernel: loadKernelWithFacts(kernel) });

describe('earlyPfns: what setup_arch leaves free_area_init, from the early stages alone', () => {
  test.each([
    ['5.10-686-pae', 512, undefined],
    ['5.10-686-pae', 2048, 'movablecore=512M'],
    ['5.10-686-pae', 3072, 'highmem=512M mem=2500M'],
    ['6.1-686', 1024, 'kernelcore=50%'],
  ])('earlyPfns_equals_full_boot %s %iM %s', (kernel, mib, cmdline) => {
    // expect: max_pfn, max_low_pfn and the early node map are those the whole boot's zones stage read
    const ctx = ctxOf(kernel, mib, cmdline);
    const boot = simulate(ctx).state;
    const early = earlyPfns(ctx);
    expect(early).toEqual({ maxPfn: maxPfnOf(boot), maxLowPfn: maxLowPfnOf(boot), memory: slice(boot, 'zones', 'test').memory });
  });
});

describe('movableFromLowmem: a ZONE_MOVABLE that 5.10 i386 frees twice', () => {
  test('movablecore_on_512m_510_pae_is_carved_from_normal', () => {
    // expect: no HighMem at 512M, so movablecore=64M takes the top of Normal, below max_low_pfn
    const low = movableFromLowmem(ctxOf('5.10-686-pae', 512, 'movablecore=64M'));
    expect(low?.zone).toBe('Normal');
    expect(low!.movableStartPfn).toBeLessThan(low!.maxLowPfn);
    // movablecore=64M is 0x4000 pages, rounded up to MAX_ORDER_NR_PAGES from where kernelcore ends
    expect(low!.maxLowPfn - low!.movableStartPfn).toBeLessThanOrEqual(0x4000n);
    expect(low!.maxLowPfn - low!.movableStartPfn).toBeGreaterThan(0x4000n - 1024n);
  });

  test('kernelcore_on_1g_510_pae_leaving_movable_in_lowmem', () => {
    // expect: 1G has HighMem; the pages below it count as kernelcore (find_zone_movable_pfns_for_nodes), so Movable starts in HighMem
    expect(movableFromLowmem(ctxOf('5.10-686-pae', 1024, 'kernelcore=64M'))).toBeUndefined();
  });

  test.each([
    ['5.10-686-pae', 2048, 'movablecore=512M', 'carved from HighMem'],
    ['5.10-686-pae', 512, undefined, 'no kernelcore=/movablecore='],
    ['6.1-686-pae', 512, 'movablecore=64M', 'zone_movable_is_highmem() tests movable_zone on 6.1'],
    ['5.10-amd64', 512, 'movablecore=64M', 'no HIGHMEM on x86_64'],
  ])('not_refused %s %iM %s (%s)', (kernel, mib, cmdline, _why) => {
    expect(movableFromLowmem(ctxOf(kernel, mib, cmdline))).toBeUndefined();
  });
});
