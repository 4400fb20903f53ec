import { describe, expect, test } from 'vitest';
import { envelopeLimit } from '../../sim/envelope.ts';
import type { MachineSpec } from '../../sim/types.ts';
import { loadKernelWithFacts } from '../../harness/kernels.ts';

const M = 1024 * 1024;
const spec = (p: Partial<MachineSpec>): MachineSpec => ({ name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't.yaml', ...p });

describe('envelopeLimit memo', () => {
  const amd64 = loadKernelWithFacts('6.1-amd64');
  test('envelopeLimit_same_spec_kept', () => {
    // expect: the loader's check and the first stage's on the same spec and kernel objects get the one limit computed first
    const s = spec({ cmdline: 'movable_node' });
    const first = envelopeLimit(s, amd64);
    expect(first?.field).toBe('cmdline');
    expect(envelopeLimit(s, amd64)).toBe(first);
    // expect: an equal spec that is another object is computed afresh, to the same limit
    const again = envelopeLimit(spec({ cmdline: 'movable_node' }), amd64);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
  test('envelopeLimit_inside_kept_as_inside', () => {
    // expect: a profile inside the envelope stays inside on the second call (undefined is kept, not recomputed into something else)
    const s = spec({});
    expect(envelopeLimit(s, amd64)).toBeUndefined();
    expect(envelopeLimit(s, amd64)).toBeUndefined();
  });
  test('envelopeLimit_other_kernel_not_shared', () => {
    // expect: one spec checked against two kernels gets each kernel's answer: 64M is below the amd64 image's RAM floor
    // (pref_address + init_size) and inside for the i386 one, whichever is asked first
    const s = spec({ memoryBytes: 64 * M, memoryText: '64M' });
    const i386 = loadKernelWithFacts('6.1-686-pae');
    expect(envelopeLimit(s, amd64)?.field).toBe('memory');
    expect(envelopeLimit(s, i386)).toBeUndefined();
    expect(envelopeLimit(s, amd64)?.field).toBe('memory');
  });
});
