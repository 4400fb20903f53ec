// setup_arch()'s crash kernel reservation: the crashkernel= parse of kernel/crash_core.c (≤ 6.1)
// and kernel/crash_reserve.c (6.12+), and where memblock_phys_alloc_range() puts the region.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { crashkernelRequest, lastCrashkernel, reserveCrashkernel, CRASH_ALIGN } from '../../../sim/stages/crashkernel.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { deriveTraits } from '../../../sim/traits.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import { simErrorCode } from '../sim-error-code.ts';

const MiB = 2n ** 20n;
const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 2 * GiB, memoryText: '2G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const entries = new Map<string, BootContext['kernel']>();
const entry = (id: string): BootContext['kernel'] => entries.get(id) ?? entries.set(id, loadKernelWithFacts(id)).get(id)!;
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: entry(kernel) });
const run = (ctx: BootContext) => reserveCrashkernel(simulate(ctx, stagesBefore(reserveCrashkernel)).state, ctx);
const made = (r: ReturnType<typeof run>) => memblockStateOf(r.state).ledger.filter((e) => e.stage === 'crashkernel').flatMap((e) => e.ranges);
const traitsOf = (id: string) => deriveTraits(entry(id));
const codeOf = simErrorCode;

describe('get_last_crashkernel', () => {
  const known = [',high', ',low'] as const;
  test.each([
    ['crashkernel=64M crashkernel=128M', undefined, '128M'],
    ['crashkernel=64M crashkernel=256M,high', undefined, '64M crashkernel=256M,high'],
    ['crashkernel=256M,high crashkernel=64M,low', ',high', '256M,high crashkernel=64M,low'],
    ['crashkernel=256M,high crashkernel=64M,low', ',low', '64M,low'],
    ['foo crashkernel=1G-:128M', undefined, '1G-:128M'],
  ] as const)('last_hit %j suffix %s: expect %j', (cl, suffix, want) => {
    expect(lastCrashkernel(cl, suffix, known)).toBe(want);
  });

  test('no_hit: expect undefined (-ENOENT) when only suffixed forms are given and none is asked for', () => {
    expect(lastCrashkernel('crashkernel=1G,high', undefined, known)).toBeUndefined();
  });
});

describe('parse_crashkernel', () => {
  const ram = 2047n * MiB;
  test.each([
    ['6.1-amd64', 'crashkernel=256M', { size: 256n * MiB, base: 0n, high: false }],
    ['6.1-amd64', 'crashkernel=64M@768M', { size: 64n * MiB, base: 768n * MiB, high: false }],
    ['6.12-amd64', 'crashkernel=256M,high', { size: 256n * MiB, base: 0n, high: true, lowSize: undefined }],
    ['6.12-amd64', 'crashkernel=256M,high crashkernel=0,low', { size: 256n * MiB, high: true, lowSize: 0n }],
    // the extended syntax: 2047M rounds up to 2048M from 6.1, which falls in "2G-"; 5.10 compares 2047M as is
    ['6.1-amd64', 'crashkernel=512M-2G:64M,2G-:128M', { size: 128n * MiB }],
    ['5.10-amd64', 'crashkernel=512M-2G:64M,2G-:128M', { size: 64n * MiB }],
    ['7.2-amd64', 'crashkernel=1G-4G:192M,4G-:256M@1G', { size: 192n * MiB, base: 1n << 30n }],
  ] as const)('%s %s', (k, cl, want) => {
    expect(crashkernelRequest(cl, ram, traitsOf(k))).toMatchObject(want);
  });

  test.each([
    // 6.12+: a size not below system RAM is -EINVAL and nothing is printed
    ['6.12-amd64', 'crashkernel=4G'],
    ['6.12-amd64', 'crashkernel=0'],
    ['6.1-amd64', 'crashkernel=0'],
    ['6.1-amd64', 'crashkernel=64M,low'],
  ] as const)('nothing_reserved %s %s: expect undefined', (k, cl) => {
    expect(crashkernelRequest(cl, ram, traitsOf(k))).toBeUndefined();
  });

  test.each([
    ['6.1-amd64', 'crashkernel=64Mx'],
    ['6.1-amd64', 'crashkernel=512M-1G:64M'],
    ['6.12-amd64', 'crashkernel=256M,hig'],
    ['7.2-amd64', 'crashkernel=64M,cma'],
  ] as const)('refused %s %s: expect SIM_NOT_MODELLED (the kernel warns, or the form is not modelled)', (k, cl) => {
    expect(codeOf(() => crashkernelRequest(cl, ram, traitsOf(k)))).toBe('SIM_NOT_MODELLED');
  });
});

describe('reserve_crashkernel', () => {
  test('low_first_x86: expect 6.1 to place 256M 16M-aligned at the top of RAM below 4G, and print the old line', () => {
    const r = run(ctxOf('6.1-amd64', { cmdline: 'crashkernel=256M' }));
    const [c] = made(r);
    expect(c!.end - c!.start).toBe(256n * MiB);
    expect(c!.start % CRASH_ALIGN).toBe(0n);
    expect(c!.end).toBeLessThanOrEqual(2n ** 31n);
    expect(r.lines.map((l) => l.text)).toEqual([`Reserving 256MB of memory at ${c!.start >> 20n}MB for crashkernel (System RAM: 2047MB)`]);
  });

  test('fixed_base: expect crashkernel=64M@768M to land exactly at 768M', () => {
    const r = run(ctxOf('5.10-amd64', { cmdline: 'crashkernel=64M@768M' }));
    expect(made(r)).toEqual([{ start: 768n * MiB, end: 832n * MiB }]);
  });

  test('fixed_base_unaligned_generic: expect 6.12 (CRASH_ALIGN for a fixed base too) to fail at 8M-aligned 776M, 6.1 (1M) to reserve it', () => {
    const r = run(ctxOf('6.12-amd64', { cmdline: 'crashkernel=64M@776M' }));
    expect(r.lines.map((l) => l.text)).toEqual(['crashkernel reservation failed - memory is in use.']);
    expect(made(r)).toEqual([]);
    expect(run(ctxOf('6.1-amd64', { cmdline: 'crashkernel=64M@776M' })).lines[0]!.text).toBe('Reserving 64MB of memory at 776MB for crashkernel (System RAM: 2047MB)');
  });

  test('high_with_default_low: expect 6.12 ,high on 6G to reserve above 4G plus 256M low, the low line first', () => {
    const r = run(ctxOf('6.12-amd64', { memoryBytes: 6 * GiB, memoryText: '6G', cmdline: 'crashkernel=256M,high' }));
    // reserve_crashkernel_generic() allocates the high region first, then reserve_crashkernel_low()
    const [high, low] = made(r);
    expect(low!.end - low!.start).toBe(256n * MiB);
    expect(low!.end).toBeLessThanOrEqual(2n ** 32n);
    expect(high!.start).toBeGreaterThanOrEqual(2n ** 32n);
    expect(r.lines.map((l) => l.fmt)).toEqual(['crashkernel.low_generic', 'crashkernel.reserved_generic']);
  });

  test('high_below_4g: expect ,high on a 2G guest to land below 4G with no low part', () => {
    const r = run(ctxOf('6.12-amd64', { cmdline: 'crashkernel=128M,high' }));
    expect(made(r)).toHaveLength(1);
    expect(r.lines.map((l) => l.fmt)).toEqual(['crashkernel.reserved_generic']);
  });

  test('i386_512m_limit: expect 686-pae to keep the region below CRASH_ADDR_LOW_MAX (512M) on a 1G guest', () => {
    const r = run(ctxOf('6.1-686-pae', { memoryBytes: GiB, memoryText: '1G', cmdline: 'crashkernel=64M' }));
    const [c] = made(r);
    expect(c!.end).toBeLessThanOrEqual(512n * MiB);
    expect(c!.end).toBe(512n * MiB);
  });

  test('no_param: expect nothing reserved and no line without crashkernel=', () => {
    const r = run(ctxOf('6.1-amd64'));
    expect(made(r)).toEqual([]);
    expect(r.lines).toEqual([]);
  });

  test('too_big_x86: expect 6.1 (no size check) to try low then high and print "No suitable area found"', () => {
    const r = run(ctxOf('6.1-amd64', { cmdline: 'crashkernel=3G' }));
    expect(r.lines.map((l) => l.text)).toEqual(['crashkernel reservation failed - No suitable area found.']);
    expect(made(r)).toEqual([]);
  });

  test('no_room_generic: expect 6.12 with 2000M of a 2G guest to retry above 4G and print the size it could not place', () => {
    const r = run(ctxOf('6.12-amd64', { cmdline: 'crashkernel=2000M' }));
    expect(r.lines.map((l) => l.text)).toEqual([`cannot allocate crashkernel (size:0x${(2000n * MiB).toString(16)})`]);
  });

  test('in_use: expect a fixed base over the kernel image (16M) to fail on both codes', () => {
    for (const k of ['6.1-amd64', '7.2-amd64']) expect(run(ctxOf(k, { cmdline: 'crashkernel=64M@16M' })).lines.map((l) => l.text)).toEqual(['crashkernel reservation failed - memory is in use.']);
  });
});
