import { describe, expect, test } from 'vitest';
import { bootInputFor, initrdFor } from '../../harness/simulate.ts';
import { parseProfile } from '../../harness/profile/load.ts';
import { readInitramfsFacts } from '../../qemu-scripts/initramfs/image.ts';
import { simulate } from '../../sim/boot.ts';
import { loadKernelWithFacts } from '../../harness/kernels.ts';
import { simErrorCode } from '../sim/sim-error-code.ts';

const spec = (probe: boolean, kernel = '6.1-amd64') => parseProfile(`kernel: ${kernel}\nmachine: pc\nmemory: 512M\ncpus: 1\n${probe ? 'probe: state\n' : ''}`, 't/p.yaml');

describe('the boot input of a profile', () => {
  test.each([['x86_64', '6.1-amd64'], ['i386', '6.1-686']] as const)('initrd_for_state_%s: expect the probe initramfs size from goldens/initramfs/state-<arch>.yaml', (arch, kernel) => {
    const rd = initrdFor(spec(true, kernel), arch);
    expect(rd?.bytes).toBe(readInitramfsFacts(arch).bytes);
    expect(rd?.from).toContain(`state-${arch}.yaml`);
    expect(bootInputFor(spec(true, kernel)).initrd).toEqual(rd);
  });

  test('initrd_for_none: expect no -initrd without a probe', () => {
    expect(initrdFor(spec(false), 'x86_64')).toBeUndefined();
    expect('initrd' in bootInputFor(spec(false))).toBe(false);
  });

  test('probe_without_initrd: expect the simulator to refuse a probe: state boot given no initrd size', () => {
    expect(simErrorCode(() => simulate({ spec: spec(true), kernel: loadKernelWithFacts('6.1-amd64') }))).toBe('SIM_NOT_MODELLED');
    expect(simulate(bootInputFor(spec(true))).lines.some((l) => l.fmt === 'initrd.ramdisk')).toBe(true);
  });
});
