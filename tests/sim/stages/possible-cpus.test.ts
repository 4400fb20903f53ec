import { describe, expect, test } from 'vitest';
import { getOption, possibleCpuMap } from '../../../sim/stages/possible-cpus.ts';
import { bootContext, type BootContext } from '../../../sim/boot.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';

const M = 1024 * 1024;
function ctx(kernel: string, cpus: number, cmdline?: string): BootContext {
  const spec: MachineSpec = { name: 't', kernel, machine: 'pc', memoryBytes: 1024 * M, memoryText: '1G', cpus, cpu: undefined, numa: undefined, cmdline, file: 't/profile.yaml' };
  return bootContext({ spec, kernel: loadKernelWithFacts(kernel) });
}

describe('get_option (lib/cmdline.c)', () => {
  test.each([
    ['decimal', '12', 12],
    ['hex_base_0', '0x10', 16],
    ['octal_base_0', '010', 8],
    ['negative', '-1', -1],
    ['stops_at_non_digit', '3abc', 3],
    ['no_digits', 'abc', undefined],
    ['empty', '', undefined],
  ] as const)('%s', (_n, s, v) => {
    // expect: simple_strtoull(base 0) as an int; undefined when cur == *str
    expect(getOption(s)).toBe(v);
  });
});

// [name, kernel, -smp, cmdline, possible (nr_cpu_ids), "Allowing" present, hotplug, online]
describe('prefill_possible_map (arch/x86/kernel/smpboot.c, 5.10 and 6.1)', () => {
  test.each([
    // expect: QEMU's MADT gives -smp LAPICs, none disabled: all possible, none hotplug
    ['default', '6.1-amd64', 4, undefined, 4, 4, 0, 4],
    // expect: nr_cpus=2 caps num_processors at 2 (2 LAPICs ignored, counted disabled); possible 4 → NR_CPUS limit 2
    ['nr_cpus_below', '6.1-amd64', 4, 'nr_cpus=2', 2, 2, 0, 2],
    // expect: nr_cpus= at or above nr_cpu_ids is ignored by nrcpus()
    ['nr_cpus_above', '6.1-amd64', 4, 'nr_cpus=9000', 4, 4, 0, 4],
    // expect: possible_cpus=4 with 2 LAPICs: 4 possible, 2 of them hotplug; only the 2 present come online
    ['possible_cpus_more', '5.10-amd64', 2, 'possible_cpus=4', 4, 4, 2, 2],
    // expect: possible_cpus=1 below the LAPIC count: 1 possible, none hotplug
    ['possible_cpus_fewer', '6.1-amd64', 2, 'possible_cpus=1', 1, 1, 0, 1],
    // expect: nosmp (setup_max_cpus 0): "2 Processors exceeds max_cpus limit of 0" → 1 CPU
    ['nosmp', '6.1-amd64', 2, 'nosmp', 1, 1, 0, 1],
    // expect: maxcpus=0 is nosmp
    ['maxcpus_0', '5.10-amd64', 3, 'maxcpus=0', 1, 1, 0, 1],
    // expect: maxcpus=1 keeps every CPU possible (CONFIG_HOTPLUG_CPU), one online
    ['maxcpus_1', '6.1-amd64', 4, 'maxcpus=1', 4, 4, 0, 1],
    // expect: the i386 NR_CPUS cap: 40 LAPICs on NR_CPUS=32 → 32 possible
    ['i386_nr_cpus_cap', '6.1-686-pae', 40, undefined, 32, 32, 0, 32],
    // expect: acpi=off: the MP table lists one processor per package, and QEMU puts every -smp CPU in one socket
    ['acpi_off_one_processor', '6.1-amd64', 4, 'acpi=off', 1, 1, 0, 1],
    // expect: the last of two early parameters wins (do_early_param runs them in order)
    ['nosmp_then_maxcpus', '6.1-amd64', 4, 'nosmp maxcpus=2', 4, 4, 0, 2],
  ] as const)('%s', (_n, kernel, cpus, cmdline, possible, present, hotplug, online) => {
    const p = possibleCpuMap(ctx(kernel, cpus, cmdline));
    expect({ possible: p.possible, present: p.present, hotplug: p.hotplug, online: p.online }).toEqual({ possible, present, hotplug, online });
  });
});

describe('topology_init_possible_cpus (arch/x86/kernel/cpu/topology.c, 6.12 and 7.2)', () => {
  test.each([
    ['default', '6.12-amd64', 4, undefined, 4, 4, 0, 4],
    // expect: nr_cpus=3 rejects LAPICs past 3 ("CPU limit of 3 reached")
    ['nr_cpus_below', '7.2-amd64', 8, 'nr_cpus=3', 3, 3, 0, 3],
    // expect: possible_cpus= only lowers nr_cpu_ids; with 2 LAPICs "Allowing 2 present CPUs plus 0 hotplug CPUs"
    ['possible_cpus_more', '7.2-amd64', 2, 'possible_cpus=6', 2, 2, 0, 2],
    ['possible_cpus_fewer', '6.12-amd64', 4, 'possible_cpus=2', 2, 2, 0, 2],
    // expect: nosmp/maxcpus=0: topology_apply_cmdline_limits_early limits to 1 possible CPU
    ['nosmp', '6.12-amd64', 4, 'nosmp', 1, 1, 0, 1],
    // expect: maxcpus=1 does not touch the possible map; one CPU online
    ['maxcpus_1', '6.12-amd64', 4, 'maxcpus=1', 4, 4, 0, 1],
    ['acpi_off_one_processor', '6.12-amd64', 2, 'acpi=off', 1, 1, 0, 1],
  ] as const)('%s', (_n, kernel, cpus, cmdline, possible, present, hotplug, online) => {
    const p = possibleCpuMap(ctx(kernel, cpus, cmdline));
    expect({ possible: p.possible, present: p.present, hotplug: p.hotplug, online: p.online }).toEqual({ possible, present, hotplug, online });
  });

  test('possible_cpus_0_refused', () => {
    // expect: a coded refusal naming the parameter
    expect(() => possibleCpuMap(ctx('6.1-amd64', 2, 'possible_cpus=0'))).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED', message: expect.stringContaining('possible_cpus=0') }));
  });
});

// The limit lines around "Allowing", and the ACPI processor driver's late ones (≤ 6.1)
describe('possible-CPU limit lines', () => {
  const texts = (kernel: string, cpus: number, cmdline?: string): { before: string[]; after: string[]; hotadd: string[] } => {
    const p = possibleCpuMap(ctx(kernel, cpus, cmdline));
    return { before: p.before.map((l) => l.text), after: p.after.map((l) => l.text), hotadd: p.hotadd.map((l) => l.text) };
  };
  test('nr_cpus_2_of_4_on_6.1: expect two MADT LAPICs ignored, the NR_CPUS limit line, and the hot-add pair numbered on from disabled_cpus', () => {
    expect(texts('6.1-amd64', 4, 'nr_cpus=2')).toEqual({
      before: ['APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 2/0x2 ignored.', 'APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 3/0x3 ignored.', 'smpboot: 4 Processors exceeds NR_CPUS limit of 2'],
      after: [],
      hotadd: ['APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 4/0x2 ignored.', 'APIC: NR_CPUS/possible_cpus limit of 2 reached. Processor 5/0x3 ignored.'],
    });
  });
  test('nosmp_on_5.10: expect no MADT line (nr_cpu_ids is NR_CPUS then), the max_cpus line, one hot-add line with limit 1', () => {
    expect(texts('5.10-amd64', 2, 'nosmp')).toEqual({
      before: ['smpboot: 2 Processors exceeds max_cpus limit of 0'], after: [], hotadd: ['APIC: NR_CPUS/possible_cpus limit of 1 reached. Processor 1/0x1 ignored.'],
    });
  });
  test('possible_cpus_below_the_lapics_on_6.1: expect no boot-time line, hot-add lines for the CPUs past possible_cpus', () => {
    expect(texts('6.1-amd64', 4, 'possible_cpus=3')).toEqual({ before: [], after: [], hotadd: ['APIC: NR_CPUS/possible_cpus limit of 3 reached. Processor 3/0x3 ignored.'] });
  });
  test('maxcpus_1_on_6.1: expect no line (every CPU stays possible)', () => {
    expect(texts('6.1-amd64', 4, 'maxcpus=1')).toEqual({ before: [], after: [], hotadd: [] });
  });
  test('acpi_off_on_6.1: expect no line (one MP-table processor, no ACPI processor driver)', () => {
    expect(texts('6.1-amd64', 4, 'acpi=off nr_cpus=2')).toEqual({ before: [], after: [], hotadd: [] });
  });
  test('i386_nr_cpus_cap: expect 8 LAPICs ignored at limit 32 (Processor 32/0x20 …), then 8 hot-add lines from 40', () => {
    const t = texts('6.1-686-pae', 40);
    expect(t.before).toHaveLength(9);
    expect(t.before[0]).toBe('APIC: NR_CPUS/possible_cpus limit of 32 reached. Processor 32/0x20 ignored.');
    expect(t.before[8]).toBe('smpboot: 40 Processors exceeds NR_CPUS limit of 32');
    expect(t.hotadd[0]).toBe('APIC: NR_CPUS/possible_cpus limit of 32 reached. Processor 40/0x20 ignored.');
    expect(t.hotadd[7]).toBe('APIC: NR_CPUS/possible_cpus limit of 32 reached. Processor 47/0x27 ignored.');
  });
  test('nr_cpus_3_of_8_on_7.2: expect the once-only CPU limit line and "Rejected CPUs 5" after Allowing, no hot-add lines', () => {
    expect(texts('7.2-amd64', 8, 'nr_cpus=3')).toEqual({ before: ['CPU topo: CPU limit of 3 reached. Ignoring further CPUs'], after: ['CPU topo: Rejected CPUs 5'], hotadd: [] });
  });
  test('nosmp_on_6.12: expect "Limiting to 1 possible CPUs", then the CPU limit line and one rejected CPU', () => {
    expect(texts('6.12-amd64', 2, 'nosmp')).toEqual({ before: ['CPU topo: Limiting to 1 possible CPUs', 'CPU topo: CPU limit of 1 reached. Ignoring further CPUs'], after: ['CPU topo: Rejected CPUs 1'], hotadd: [] });
  });
  test('possible_cpus_above_the_lapics_on_7.2: expect "Limiting to 8" below NR_CPUS, and nothing rejected', () => {
    expect(texts('7.2-amd64', 2, 'possible_cpus=8')).toEqual({ before: ['CPU topo: Limiting to 8 possible CPUs'], after: [], hotadd: [] });
  });
});
