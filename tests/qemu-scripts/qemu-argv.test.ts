// The fixed QEMU invocation: one exact argv per profile shape. Goldens depend on these bytes.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir } from '../../sim/base/paths.ts';
import { loadProfile, parseProfile } from '../../harness/profile/load.ts';
import { loadKernel } from '../../harness/kernels.ts';
import { buildQemuInvocation, cpuRuns } from '../../qemu-scripts/qemu-argv.ts';
import { FIXED_APPEND } from '../../sim/base/cmdline.ts';
import type { Arch, MachineSpec } from '../../sim/types.ts';

const VMLINUZ = '/cache/vmlinuz-6.1.0-56-amd64';
const HEAD = ['-accel', 'tcg', '-nographic', '-no-reboot'];
const golden = (name: string): MachineSpec => loadProfile(path.join(goldensDir, name, 'profile.yaml'));

describe('buildQemuInvocation on golden shapes', () => {
  // [golden, arch, memblockDebug, binary, args before -kernel, append]
  test.each<[string, Arch, boolean, string, string[], string]>([
    ['x86_64-6.1-pc-512m', 'x86_64', false, 'qemu-system-x86_64', ['-M', 'pc', '-m', '512M', '-smp', '2', ...HEAD], FIXED_APPEND],
    ['x86_64-6.1-q35-4g', 'x86_64', false, 'qemu-system-x86_64', ['-M', 'q35', '-m', '4G', '-smp', '4', ...HEAD], FIXED_APPEND],
    ['x86_64-6.12-pc-2g-la57', 'x86_64', false, 'qemu-system-x86_64', ['-M', 'pc', '-m', '2G', '-smp', '2', '-cpu', 'qemu64,+la57', ...HEAD], FIXED_APPEND],
    [
      'x86_64-6.1-pc-4g-numa2', 'x86_64', false, 'qemu-system-x86_64',
      [
        '-M', 'pc', '-m', '4G', '-smp', '4', ...HEAD,
        '-object', 'memory-backend-ram,id=m0,size=2G', '-numa', 'node,nodeid=0,cpus=0-1,memdev=m0',
        '-object', 'memory-backend-ram,id=m1,size=2G', '-numa', 'node,nodeid=1,cpus=2-3,memdev=m1',
      ],
      FIXED_APPEND,
    ],
    [
      'x86_64-6.12-pc-4g-numa4', 'x86_64', false, 'qemu-system-x86_64',
      [
        '-M', 'pc', '-m', '4G', '-smp', '4', ...HEAD,
        '-object', 'memory-backend-ram,id=m0,size=1G', '-numa', 'node,nodeid=0,cpus=0,memdev=m0',
        '-object', 'memory-backend-ram,id=m1,size=1G', '-numa', 'node,nodeid=1,cpus=1,memdev=m1',
        '-object', 'memory-backend-ram,id=m2,size=1G', '-numa', 'node,nodeid=2,cpus=2,memdev=m2',
        '-object', 'memory-backend-ram,id=m3,size=1G', '-numa', 'node,nodeid=3,cpus=3,memdev=m3',
      ],
      FIXED_APPEND,
    ],
    ['x86_64-6.1-pc-512m-memmap', 'x86_64', false, 'qemu-system-x86_64', ['-M', 'pc', '-m', '512M', '-smp', '2', ...HEAD], `${FIXED_APPEND} memmap=32M$0x8000000`],
    ['x86_64-6.1-pc-1g-mem384m', 'x86_64', false, 'qemu-system-x86_64', ['-M', 'pc', '-m', '1G', '-smp', '2', ...HEAD], `${FIXED_APPEND} mem=384M`],
    ['i386-6.1-pae-q35-4g', 'i386', false, 'qemu-system-i386', ['-M', 'q35', '-m', '4G', '-smp', '2', ...HEAD], FIXED_APPEND],
    ['i386-6.1-686-pc-1g', 'i386', false, 'qemu-system-i386', ['-M', 'pc', '-m', '1G', '-smp', '1', ...HEAD], FIXED_APPEND],
    ['x86_64-6.1-pc-512m', 'x86_64', true, 'qemu-system-x86_64', ['-M', 'pc', '-m', '512M', '-smp', '2', ...HEAD], `${FIXED_APPEND} memblock=debug`],
    ['x86_64-6.1-pc-512m-memmap', 'x86_64', true, 'qemu-system-x86_64', ['-M', 'pc', '-m', '512M', '-smp', '2', ...HEAD], `${FIXED_APPEND} memmap=32M$0x8000000 memblock=debug`],
  ])('buildQemuInvocation_%s (%s, memblockDebug=%s)', (name, arch, memblockDebug, binary, head, append) => {
    const inv = buildQemuInvocation(golden(name), arch, VMLINUZ, { memblockDebug });
    expect(inv).toEqual({ binary, args: [...head, '-kernel', VMLINUZ, '-append', append], append, memoryBackend: 'machine' });
  });

  test('buildQemuInvocation_defaultOptions: expect no memblock=debug without options', () => {
    expect(buildQemuInvocation(golden('x86_64-6.1-pc-512m'), 'x86_64', VMLINUZ).append).toBe(FIXED_APPEND);
  });

  test('buildQemuInvocation_catalogArch: expect the binary to follow the catalog arch of each kernel', () => {
    for (const name of ['i386-5.10-pae-pc-1g', 'x86_64-7.2-q35-8g']) {
      const spec = golden(name);
      const inv = buildQemuInvocation(spec, loadKernel(spec.kernel).arch, VMLINUZ);
      expect(inv.binary).toBe(name.startsWith('i386') ? 'qemu-system-i386' : 'qemu-system-x86_64');
    }
  });

  test('buildQemuInvocation_noShell: expect $ and spaces to stay inside one argv word', () => {
    const inv = buildQemuInvocation(golden('x86_64-6.1-pc-512m-memmap'), 'x86_64', '/path with space/vmlinuz');
    expect(inv.args.at(-1)).toBe(`${FIXED_APPEND} memmap=32M$0x8000000`);
    expect(inv.args.at(-3)).toBe('/path with space/vmlinuz');
  });
});

describe('buildQemuInvocation on numa cpus', () => {
  const base = 'kernel: 6.1-amd64\nmachine: q35\nmemory: 3G\ncpus: 6\nnuma:\n';
  test.each([
    ['noncontiguous', '  - { memory: 2G, cpus: [0, 2, 3, 5] }\n  - { memory: 1G, cpus: [1, 4] }\n', ['node,nodeid=0,cpus=0,cpus=2-3,cpus=5,memdev=m0', 'node,nodeid=1,cpus=1,cpus=4,memdev=m1']],
    ['unsorted', '  - { memory: 2G, cpus: [5, 4, 3] }\n  - { memory: 1G, cpus: [2, 0, 1] }\n', ['node,nodeid=0,cpus=3-5,memdev=m0', 'node,nodeid=1,cpus=0-2,memdev=m1']],
    ['single node', '  - { memory: 3G, cpus: [0, 1, 2, 3, 4, 5] }\n', ['node,nodeid=0,cpus=0-5,memdev=m0']],
  ])('buildQemuInvocation_numa %s', (_title, nodes, numaValues) => {
    const { args } = buildQemuInvocation(parseProfile(base + nodes, 'numa.yaml', { kernelIds: ['6.1-amd64'] }), 'x86_64', VMLINUZ);
    expect(args.filter((_, i) => args[i - 1] === '-numa')).toEqual(numaValues);
  });

  test.each<[number[], Array<[number, number]>]>([
    [[], []],
    [[7], [[7, 7]]],
    [[0, 1, 2], [[0, 2]]],
    [[0, 2, 3, 5], [[0, 0], [2, 3], [5, 5]]],
    [[3, 1, 2, 9, 8], [[1, 3], [8, 9]]],
  ])('cpuRuns_%j: expect %j', (cpus, runs) => {
    expect(cpuRuns(cpus)).toEqual(runs);
  });
});

describe('buildQemuInvocation refuses unvalidated specs', () => {
  const ok = golden('x86_64-6.1-pc-512m');
  test.each<[string, Partial<MachineSpec>]>([
    ['memory with a comma', { memoryText: '512M,share=on' }],
    ['cpu with an injected option', { cpu: 'qemu64 -device x' }],
    ['cmdline with a newline', { cmdline: 'a\nb' }],
    ['machine not pc or q35', { machine: 'isapc' as MachineSpec['machine'] }],
    ['numa size with a comma', { numa: [{ memoryBytes: 1, memoryText: '512M,x=y', cpus: [0, 1] }] }],
    ['zero cpus', { cpus: 0 }],
  ])('buildQemuInvocation_rejects %s', (_title, patch) => {
    expect(() => buildQemuInvocation({ ...ok, ...patch }, 'x86_64', VMLINUZ)).toThrow(/did not come from a validated profile/);
  });

  test('buildQemuInvocation_emptyVmlinuz: expect a throw', () => {
    expect(() => buildQemuInvocation(ok, 'x86_64', '')).toThrow(/vmlinuz/);
  });

  test('buildQemuInvocation_initrd: expect -initrd <image> between -kernel and -append for probe: state, and nothing else changed', () => {
    const probe: MachineSpec = { ...ok, probe: 'state' };
    const plain = buildQemuInvocation(ok, 'x86_64', VMLINUZ);
    const inv = buildQemuInvocation(probe, 'x86_64', VMLINUZ, { initrd: '/cache/initramfs/x.cpio' });
    const k = plain.args.indexOf('-kernel');
    expect(inv.args).toEqual([...plain.args.slice(0, k + 2), '-initrd', '/cache/initramfs/x.cpio', ...plain.args.slice(k + 2)]);
    expect(inv.append).toBe(plain.append);
  });

  test('buildQemuInvocation_initrdMismatch: expect a throw for probe: state without an image, and for an image without the probe', () => {
    expect(() => buildQemuInvocation({ ...ok, probe: 'state' }, 'x86_64', VMLINUZ)).toThrow(/probe: state profile boots with its initrd/);
    expect(() => buildQemuInvocation(ok, 'x86_64', VMLINUZ, { initrd: '/x.cpio' })).toThrow(/probe: state profile boots with its initrd/);
  });
});

describe('buildQemuInvocation: where guest RAM comes from', () => {
  const small = golden('x86_64-6.1-pc-512m');
  const numa2 = golden('x86_64-6.1-pc-4g-numa2');
  const big: MachineSpec = { ...small, memoryBytes: 64 * 2 ** 30, memoryText: '64G' };
  test('memoryBackend_auto: QEMU RAM up to 8G, so no golden at or below it changes its argv', () => {
    const at8g = buildQemuInvocation({ ...small, memoryBytes: 8 * 2 ** 30, memoryText: '8G' }, 'x86_64', VMLINUZ);
    expect(at8g.memoryBackend).toBe('machine');
    expect(at8g.args).not.toContain('-object');
    expect(buildQemuInvocation(small, 'x86_64', VMLINUZ).memoryBackend).toBe('machine');
  });
  test('memoryBackend_auto_big: above 8G a memory-backend-ram with reserve=off is the machine RAM, -m unchanged', () => {
    const inv = buildQemuInvocation(big, 'x86_64', VMLINUZ);
    expect(inv.memoryBackend).toBe('noreserve');
    expect(inv.args.slice(0, 10)).toEqual(['-M', 'pc', '-m', '64G', '-smp', '2', '-object', 'memory-backend-ram,id=pc.ram,size=64G,reserve=off', '-machine', 'memory-backend=pc.ram']);
  });
  test('memoryBackend_forced: noreserve on a small guest; machine on a big one; numa nodes get reserve=off on their own backends', () => {
    expect(buildQemuInvocation(small, 'x86_64', VMLINUZ, { memoryBackend: 'noreserve' }).args).toContain('memory-backend-ram,id=pc.ram,size=512M,reserve=off');
    expect(buildQemuInvocation(big, 'x86_64', VMLINUZ, { memoryBackend: 'machine' }).args).not.toContain('-object');
    const n = buildQemuInvocation(numa2, 'x86_64', VMLINUZ, { memoryBackend: 'noreserve' });
    expect(n.args.filter((a) => a.startsWith('memory-backend-ram'))).toEqual(['memory-backend-ram,id=m0,size=2G,reserve=off', 'memory-backend-ram,id=m1,size=2G,reserve=off']);
    expect(n.args).not.toContain('memory-backend=pc.ram');
  });
});
