import { describe, expect, test } from 'vitest';
import { checkEnvelope, ramFloor } from '../../sim/envelope.ts';
import type { MachineSpec } from '../../sim/types.ts';
import { loadKernelWithFacts } from '../../harness/kernels.ts';
import { SimError } from '../../sim/lib/errors.ts';

const M = 1024 * 1024;
const spec = (p: Partial<MachineSpec>): MachineSpec => ({ name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't.yaml', ...p });
const code = (f: () => void): string | undefined => { try { f(); return undefined; } catch (e) { return e instanceof SimError ? e.code : String(e); } };

describe('profile envelope', () => {
  const amd64 = loadKernelWithFacts('6.1-amd64');
  const i386 = loadKernelWithFacts('6.1-686-pae');
  test('envelope_inside_passes', () => {
    // expect: a 512M pc profile is inside
    expect(code(() => checkEnvelope(spec({}), amd64))).toBeUndefined();
  });
  test('envelope_ram_above_1t_refused', () => {
    // expect: SIM_NOT_MODELLED naming the 1T limit
    expect(() => checkEnvelope(spec({ memoryBytes: 2 * 1024 * 1024 * M, memoryText: '2T' }), amd64)).toThrow(/at most 1T/);
  });
  test('envelope_ram_below_floor_refused', () => {
    // expect: below pref_address + init_size the kernel cannot decompress: refused with the rule
    const floor = ramFloor(amd64.facts);
    expect(floor.bytes).toBe(0x1000000n + BigInt(amd64.facts.bzImage.initSize));
    expect(code(() => checkEnvelope(spec({ memoryBytes: 64 * M, memoryText: '64M' }), amd64))).toBe('SIM_NOT_MODELLED');
    expect(code(() => checkEnvelope(spec({ memoryBytes: 1024 * M, memoryText: '1G', cmdline: 'mem=48M' }), amd64))).toBe('SIM_NOT_MODELLED');
  });
  test('envelope_i386_numa_and_cpus_refused', () => {
    // expect: i386 has no CONFIG_NUMA and NR_CPUS=32: -numa and 33+ CPUs are refused
    const numa = [{ memoryBytes: 256 * M, memoryText: '256M', cpus: [0] }, { memoryBytes: 256 * M, memoryText: '256M', cpus: [1] }];
    expect(() => checkEnvelope(spec({ kernel: '6.1-686-pae', numa }), i386)).toThrow(/no CONFIG_NUMA/);
    expect(() => checkEnvelope(spec({ kernel: '6.1-686-pae', cpus: 33 }), i386)).toThrow(/NR_CPUS=32/);
  });
  test('envelope_unmodelled_param_refused', () => {
    // expect: vmalloc= moves MAXMEM_PFN on i386; not interpreted, so refused
    expect(() => checkEnvelope(spec({ cmdline: 'vmalloc=256M' }), i386)).toThrow(/vmalloc= is not modelled/);
  });
});
