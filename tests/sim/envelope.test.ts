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
  test('envelope_i386_numa_and_cpus_inside', () => {
    // i386 has no CONFIG_NUMA and NR_CPUS=32
    const numa = [{ memoryBytes: 256 * M, memoryText: '256M', cpus: [0] }, { memoryBytes: 256 * M, memoryText: '256M', cpus: [1] }];
    // expect: -numa on a kernel without CONFIG_NUMA is inside: the kernel ignores the SRAT (sim/stages/numa.ts)
    expect(code(() => checkEnvelope(spec({ kernel: '6.1-686-pae', numa }), i386))).toBeUndefined();
    // expect: 33+ CPUs on NR_CPUS=32 are inside: the kernel ignores the LAPICs past NR_CPUS (possible-cpus.ts)
    expect(code(() => checkEnvelope(spec({ kernel: '6.1-686-pae', cpus: 33 }), i386))).toBeUndefined();
  });
  test('envelope_unmodelled_param_refused', () => {
    // expect: movable_node (ZONE_MOVABLE from hotpluggable SRAT ranges) is not modelled: refused by name
    expect(() => checkEnvelope(spec({ cmdline: 'movable_node' }), amd64)).toThrow(/movable_node: early_param\("movable_node"\) is not modelled: .*hotpluggable/);
    // expect: kernelcore= sizes ZONE_MOVABLE (sim/stages/zone-movable.ts) and is inside; kernelcore=mirror is refused by name
    expect(code(() => checkEnvelope(spec({ cmdline: 'kernelcore=256M movablecore=10%' }), i386))).toBeUndefined();
    expect(() => checkEnvelope(spec({ cmdline: 'kernelcore=mirror' }), i386)).toThrow(/kernelcore=mirror: early_param\("kernelcore"\) is not modelled here: .*mirror/);
  });
  const k612 = loadKernelWithFacts('6.12-amd64');
  test.each([
    // expect: slub_debug on 6.12 (late Memory: after the debug caches) and with options: refused by name
    ['slub_debug_612', '6.12-amd64', 'slub_debug', /slub_debug: __setup\("slub_debug"\) is not modelled here: .*page_alloc_init_late/],
    ['slub_debug_options', '6.1-amd64', 'slub_debug=FZ', /slub_debug=FZ: __setup\("slub_debug"\) is not modelled here: .*parse_slub_debug_flags/],
    ['mitigations', '6.12-amd64', 'nokaslr mitigations=off', /mitigations=off: early_param\("mitigations"\) is not modelled/],
    // expect: a built-in module parameter nobody reviewed is refused as such, not accepted
    ['module_param', '6.1-amd64', 'printk.time=0', /printk\.time=0: the kernel takes it as module parameter "printk\.time", whose effect .* is not reviewed/],
    // expect: an unreviewed early_param is refused, named
    ['early_unreviewed', '6.12-amd64', 'nopti', /nopti: the kernel takes it as early_param\("nopti"\)/],
    // expect: slab orders print in the SLUB line, but 6.12 prints Memory: after SLUB: refused there only
    // expect: a slab-order value other than one plain number is refused (get_option and kstrtouint read it differently)
    ['slab_order_612', '6.12-amd64', 'slab_max_order=1x', /slab_max_order=1x: __setup\("slab_max_order="\) is not modelled here: .*plain number/],
  ])('envelope_param_refused_%s', (_n, kernel, cmdline, re) => {
    const k = kernel === '6.12-amd64' ? k612 : amd64;
    expect(() => checkEnvelope(spec({ kernel, cmdline }), k)).toThrow(re);
    expect(code(() => checkEnvelope(spec({ kernel, cmdline }), k))).toBe('SIM_NOT_MODELLED');
  });
  test.each([
    // expect: parameters no table claims go to init (the Unknown line models them): accepted
    ['unknown', '6.12-amd64', 'foo=bar quietx noexec=off'],
    // expect: a dotted name of no built-in module is ignored by the kernel: accepted
    ['dotted_unknown_module', '6.1-amd64', 'nosuchmod.x=3'],
    // expect: after "--" everything is init's
    ['after_dashes', '6.1-amd64', '-- mitigations=off log_buf_len=4M'],
    // expect: reviewed and modelled
    ['modelled', '6.1-amd64', 'mem=900M init_on_free=1 noreplace-smp slub_max_order=1'],
    // expect: log_buf_len= (sim/stages/log-buf.ts) and bare slub_debug on 6.1 (its line and the stackdepot hash)
    ['log_buf_len', '6.12-amd64', 'log_buf_len=4M'],
    ['slub_debug_61', '6.1-amd64', 'slub_debug'],
  ])('envelope_param_accepted_%s', (_n, kernel, cmdline) => {
    const k = kernel === '6.12-amd64' ? k612 : amd64;
    expect(code(() => checkEnvelope(spec({ kernel, cmdline }), k))).toBeUndefined();
  });
});
