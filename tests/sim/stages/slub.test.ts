// kmem_cache_init()'s "SLUB: HWalign=…, Order=…-…, MinObjects=…, CPUs=…, Nodes=…" line.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { kmemCacheInit } from '../../../sim/stages/slub.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: 512 * 2 ** 20, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
// Each build's entry read once: parsing a facts file costs more than the stage under test.
const entries = new Map<string, BootContext['kernel']>();
const entry = (id: string): BootContext['kernel'] => entries.get(id) ?? entries.set(id, loadKernelWithFacts(id)).get(id)!;
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: entry(kernel) });

// The state kmemCacheInit is handed: every stage before it, run on `earlier` (default: the same context).
function slubLine(ctx: BootContext, earlier: BootContext = ctx): string {
  const before = simulate(earlier, stagesBefore(kmemCacheInit));
  const r = kmemCacheInit(before.state, ctx);
  expect(r.state).toBe(before.state);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toMatchObject({ stage: 'slub', fmt: 'slub' });
  return r.lines[0]!.text;
}

describe('kmemCacheInit', () => {
  test('slub_default: expect Order=0-3, MinObjects=0, the -smp CPUs and one node', () => {
    expect(slubLine(ctxOf('6.1-amd64'))).toBe('SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1');
  });

  test('slub_cpus_and_nodes: expect CPUs from -smp and Nodes from the NUMA topology', () => {
    const numa = [{ memoryText: '256M', memoryBytes: 256 * 2 ** 20, cpus: [0, 1] }, { memoryText: '256M', memoryBytes: 256 * 2 ** 20, cpus: [2, 3] }];
    expect(slubLine(ctxOf('6.1-amd64', { cpus: 4, numa }))).toMatch(/, CPUs=4, Nodes=2$/);
  });

  test('slub_cmdline_6_1: expect slub_min_order=, slub_max_order= and slub_min_objects= printed as given', () => {
    expect(slubLine(ctxOf('6.1-amd64', { cmdline: 'slub_min_order=1 slub_max_order=2 slub_min_objects=8' }))).toContain('Order=1-2, MinObjects=8');
  });

  // 6.12 renamed them slab_* and kept slub_* as aliases; the envelope refuses both in a whole boot
  // (the late Memory: line would move), so kmemCacheInit is given the state of a boot without them.
  test.each([
    ['slab_max_order=5', 'Order=0-5, MinObjects=0'],
    ['slub_max_order=5', 'Order=0-5, MinObjects=0'],
    ['slab_min_objects=4 slub_min_objects=9', 'Order=0-3, MinObjects=4'],
  ])('slub_cmdline_6_12 %s: expect %s', (cmdline, part) => {
    expect(slubLine(ctxOf('6.12-amd64', { cmdline }), ctxOf('6.12-amd64'))).toContain(part);
  });

  test('slub_refused_6_12: expect a whole 6.12 boot with a slab order parameter to be refused, not mis-simulated', () => {
    const ctx = ctxOf('6.12-amd64', { cmdline: 'slab_max_order=5' });
    expect(() => simulate(ctx)).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED' }));
  });

  test('slub_explain: expect each printed number to carry its terms', () => {
    const ctx = ctxOf('6.1-amd64');
    const r = kmemCacheInit(simulate(ctx, stagesBefore(kmemCacheInit)).state, ctx);
    expect(Object.keys(r.lines[0]!.explain ?? {}).sort()).toEqual(['cpus', 'hwalign', 'max_order', 'min_objects', 'min_order', 'nodes']);
  });
});
