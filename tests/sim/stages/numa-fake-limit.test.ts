// numa=fake=N over the SRAT's physical nodes: what numaMeminfo() leaves (sim/stages/numa.ts), the
// 6.12+ fix_pxm_node_maps() oops refused at load time (sim/stages/numa-fake-limit.ts via
// sim/envelope.ts), and a property: every profile drawn near that limit is refused at load time or
// simulated to the end.
import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../sim/boot.ts';
import { e820Stages, e820StateOf } from '../../../sim/stages/e820.ts';
import { memblockSetup } from '../../../sim/stages/memblock-setup.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import { nodeDistance, numaMeminfo, numaStateOf } from '../../../sim/stages/numa.ts';
import { fakeNumaUnusedPhys } from '../../../sim/stages/numa-fake-limit.ts';
import { envelopeLimit } from '../../../sim/envelope.ts';
import { expectLoadRefusalOrSimulation } from '../load-or-simulate.ts';
import { prng } from '../../../harness/profile/draw.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { SimError } from '../../../sim/lib/errors.ts';
import type { MachineSpec, NumaNodeSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
const node = (mib: number, cpus: number[]): NumaNodeSpec => ({ memoryBytes: mib * M, memoryText: `${mib}M`, cpus });
const spec = (kernel: string, numa: NumaNodeSpec[], cmdline: string): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: numa.reduce((a, n) => a + n.memoryBytes, 0), memoryText: `${numa.reduce((a, n) => a + n.memoryBytes, 0) / M}M`,
  cpus: numa.reduce((a, n) => a + n.cpus.length, 0), cpu: undefined, numa, cmdline, file: 't.yaml',
});
const ctxOf = (s: MachineSpec): BootContext => bootContext({ spec: s, kernel: loadKernelWithFacts(s.kernel) });
function meminfo(ctx: BootContext) {
  let state = {};
  for (const st of [...e820Stages, memblockSetup]) state = st(state, ctx).state;
  return numaMeminfo(ctx, memblockStateOf(state), e820StateOf(state));
}

describe('numaMeminfo: numa=fake= over physical nodes', () => {
  test('memoryless_physical_node_cpus_to_node_0_on_6_1', () => {
    // expect: phys 1 has CPU 1 and no memory; fake=2 makes emulated 0 on phys 0 and 1 on phys 2, and
    // the __apicid_to_node transform finds no emulated node for phys 1: CPU 1 → node 0 (as the
    // x86_64-6.1-pc-3g-numa3-memless-fake2 golden's "pcpu-alloc: [0] 0 1 [1] 2" shows)
    const m = meminfo(ctxOf(spec('6.1-amd64', [node(1024, [0]), node(0, [1]), node(2048, [2])], 'numa=fake=2')));
    expect(m.sratCpuNode).toEqual([0, 0, 1]);
    expect(m.emulation).toEqual({ emuToPhys: [0, 2], unusedPhys: [1] });
    expect([...m.parsed]).toEqual([0, 1]);
  });
  test('wrap_around_cpus_follow_first_emulated_node', () => {
    // expect: fake=2 over three nodes with memory: phys 2's block is emulated node 2 % 2 = 0, so its
    // CPUs map to node 0 (the first emulated node of phys 0, not of phys 2: none is)
    const m = meminfo(ctxOf(spec('5.10-amd64', [node(2048, [0, 1]), node(1024, [2, 3]), node(3072, [4, 5])], 'numa=fake=2')));
    expect(m.emulation?.emuToPhys).toEqual([0, 1]);
    expect(m.emulation?.unusedPhys).toEqual([2]);
    expect(m.sratCpuNode).toEqual([0, 0, 1, 1, 0, 0]);
  });
  test('emulated_nodes_distance_by_physical_node', () => {
    // expect: emulated nodes of one physical node are LOCAL (numa_emulation()'s transformed table), of two REMOTE
    const r = simulate(ctxOf(spec('6.1-amd64', [node(3072, [0, 1]), node(1024, [2, 3])], 'numa=fake=4')));
    const numa = numaStateOf(r.state);
    const phys = numa.emuToPhys ?? [];
    expect(new Set(phys)).toEqual(new Set([0, 1]));
    const same = phys.findIndex((p, i) => i > 0 && p === phys[0]);
    const other = phys.findIndex((p) => p !== phys[0]);
    expect(same).toBeGreaterThan(0);
    expect(nodeDistance(numa, 0, same)).toBe(10);
    expect(nodeDistance(numa, 0, other)).toBe(20);
    // a nid past numa_distance_cnt is LOCAL to itself only (__node_distance)
    expect(nodeDistance(numa, phys.length, phys.length)).toBe(10);
    expect(nodeDistance(numa, 0, phys.length)).toBe(20);
  });
});

describe('numa=off with numa=fake=', () => {
  const plain = (kernel: string): MachineSpec => ({ ...spec(kernel, [node(2048, [0, 1])], 'numa=off numa=fake=2'), numa: undefined });
  test('6_1_splits_the_dummy_node', () => {
    // expect: numa_off only skips the SRAT; numa_emulation() has no numa_off check ≤ 6.1: two emulated nodes
    const m = meminfo(ctxOf(plain('6.1-amd64')));
    expect(m.lines.map((l) => l.text).filter((t) => t.startsWith('Faking node'))).toHaveLength(2);
    expect(m.emulation?.emuToPhys).toEqual([0, 0]);
    expect([...m.parsed]).toEqual([0, 1]);
  });
  test('7_2_prints_the_fake_nodes_then_gives_up', () => {
    // expect: fix_pxm_node_maps() returns -1 under numa_off: the "Faking node" lines are printed, then
    // no_emu restores numa_nodes_parsed and the dummy node's meminfo
    const m = meminfo(ctxOf(plain('7.2-amd64')));
    expect(m.lines.map((l) => l.text).filter((t) => t.startsWith('Faking node'))).toHaveLength(2);
    expect(m.emulation).toBeUndefined();
    expect([...m.parsed]).toEqual([0]);
    expect(m.mi.map((b) => b.nid)).toEqual([0]);
    expect(envelopeLimit(plain('7.2-amd64'), loadKernelWithFacts('7.2-amd64'))).toBeUndefined();
  });
});

describe('fix_pxm_node_maps() oops (6.12+) refused at load time', () => {
  test.each([
    ['7.2-amd64', [node(1024, [0]), node(0, [1]), node(1024, [2])], 'numa=fake=3', [1]],
    ['6.12-amd64', [node(1024, [0]), node(1024, [1]), node(1024, [2])], 'numa=fake=2', [2]],
  ] as const)('refused %s %s', (kernel, numa, cmdline, unused) => {
    // expect: a physical node no emulated node maps to: the load-time limit names it and the
    // numa=fake= parameter's offset in the cmdline field
    const s = spec(kernel, [...numa], cmdline);
    expect(fakeNumaUnusedPhys(ctxOf(s))).toEqual(unused);
    const l = envelopeLimit(s, loadKernelWithFacts(kernel));
    expect(l).toMatchObject({ code: 'SIM_NOT_MODELLED', field: 'cmdline', offset: 0 });
    expect(l?.why).toMatch(/fix_pxm_node_maps\(\).*NULL without a SLIT/);
  });
  test.each([
    ['6.1-amd64', [node(1024, [0]), node(0, [1]), node(1024, [2])], 'numa=fake=3'],
    ['6.12-amd64', [node(1024, [0]), node(1024, [1]), node(1024, [2])], 'numa=fake=3'],
    ['7.2-amd64', [node(64, [0]), node(64, [1])], 'numa=fake=4'],
  ] as const)('inside %s %s', (kernel, numa, cmdline) => {
    // expect: ≤ 6.1 has no fix_pxm_node_maps(); N at least the physical nodes maps each of them;
    // 128M / 4 nodes is below FAKE_NODE_MIN_SIZE, so emulation is disabled and nothing is enabled
    const s = spec(kernel, [...numa], cmdline);
    expect(envelopeLimit(s, loadKernelWithFacts(kernel))).toBeUndefined();
  });
});

describe('property: numa=fake= over physical nodes loads and simulates, or is refused at load', () => {
  const kernels = ['5.10-amd64', '6.1-amd64', '6.12-amd64', '7.2-amd64'];
  const rnd = prng(1010);
  const draws = Array.from({ length: 24 }, (_, i) => {
    const kernel = kernels[Math.floor(rnd() * kernels.length)]!;
    const count = 2 + Math.floor(rnd() * 3);
    const cpusPer = 1 + Math.floor(rnd() * 2);
    let cpu = 0;
    const numa = Array.from({ length: count }, () => {
      // a quarter of the nodes memoryless, the others 96M–2G
      const mib = rnd() < 0.25 ? 0 : 96 + Math.floor(rnd() * 1952);
      const cpus = Array.from({ length: cpusPer }, () => cpu++);
      return node(mib, cpus);
    });
    if (numa.every((n) => n.memoryBytes === 0)) numa[0] = node(512, [...numa[0]!.cpus]);
    const fake = 1 + Math.floor(rnd() * 6);
    return { name: `draw ${i}: ${kernel} ${numa.map((n) => `${n.memoryBytes / M}M`).join('+')} numa=fake=${fake}`, s: spec(kernel, numa, `numa=fake=${fake}`) };
  });
  test.each(draws)('$name', ({ s }) => {
    // expect: a load-time limit, or a simulation that reaches its last stage without a SimError
    expectLoadRefusalOrSimulation(s);
  });
  test('the draws reach both outcomes', () => {
    // expect: the property is not vacuous: some draws are refused, some simulated
    const refused = draws.filter(({ s }) => envelopeLimit(s, loadKernelWithFacts(s.kernel)) !== undefined).length;
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(draws.length);
  });
});
