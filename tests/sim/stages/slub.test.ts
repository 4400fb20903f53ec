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

  // 6.12 renamed them slab_* and kept slub_* as aliases: both names set one variable, in command-line order
  test.each([
    ['slab_min_order=1', 'Order=1-3, MinObjects=0'],
    ['slab_max_order=5', 'Order=0-5, MinObjects=0'],
    ['slub_max_order=5', 'Order=0-5, MinObjects=0'],
    // expect: the last of the two names wins (both reach setup_slub_min_objects())
    ['slab_min_objects=4 slub_min_objects=9', 'Order=0-3, MinObjects=9'],
  ])('slub_cmdline_6_12 %s: expect %s', (cmdline, part) => {
    expect(slubLine(ctxOf('6.12-amd64', { cmdline }))).toContain(part);
  });

  test.each([
    // expect 6.12/7.2: setup_slub_min_order() raises slub_max_order, setup_slub_max_order() lowers slub_min_order;
    // 5.10/6.1: each stands alone
    ['6.1-amd64', 'slub_min_order=5', 'Order=5-3'],
    ['6.12-amd64', 'slub_min_order=5', 'Order=5-5'],
    ['7.2-amd64', 'slub_min_order=5', 'Order=5-5'],
    ['6.1-amd64', 'slub_min_order=2 slub_max_order=1', 'Order=2-1'],
    ['6.12-amd64', 'slub_min_order=2 slub_max_order=1', 'Order=1-1'],
    ['6.12-amd64', 'slub_max_order=1 slub_min_order=2', 'Order=2-2'],
    // expect: slub_max_order capped at MAX_ORDER − 1 / MAX_PAGE_ORDER = 10; 0x and 0 (octal) forms read by base 0
    ['5.10-amd64', 'slub_max_order=20', 'Order=0-10'],
    ['7.2-amd64', 'slub_max_order=20', 'Order=0-10'],
    ['6.1-amd64', 'slub_max_order=0x2 slub_min_objects=010', 'Order=0-2, MinObjects=8'],
    // expect 5.10/6.1: no slab_* entry in the build's tables, so slab_max_order= goes to init and changes nothing
    ['6.1-amd64', 'slab_max_order=1', 'Order=0-3'],
  ] as const)('slub_orders_%s %s: expect %s', (kernel, cmdline, part) => {
    expect(slubLine(ctxOf(kernel, { cmdline }))).toContain(part);
  });

  test('slub_orders_reach_late_slabs_6_12: expect a whole 6.12 boot simulated, its task_struct slabs at the order calculate_order() gives under slub_max_order=0', () => {
    const slabsOf = (cmdline?: string) => {
      const r = simulate(ctxOf('6.12-amd64', cmdline ? { cmdline } : {}));
      const late = r.lines.find((l) => l.fmt === 'mem.summary');
      expect(late).toBeDefined();
      return r.lines.find((l) => l.fmt === 'slub')!.text;
    };
    expect(slabsOf('slub_max_order=0')).toContain('Order=0-0');
    expect(slabsOf()).toContain('Order=0-3');
  });

  test('slub_explain: expect each printed number to carry its terms', () => {
    const ctx = ctxOf('6.1-amd64');
    const r = kmemCacheInit(simulate(ctx, stagesBefore(kmemCacheInit)).state, ctx);
    expect(Object.keys(r.lines[0]!.explain ?? {}).sort()).toEqual(['cpus', 'hwalign', 'max_order', 'min_objects', 'min_order', 'nodes']);
  });
});
