import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext, type BootState } from '../../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import type { MachineSpec } from '../../../../sim/types.ts';
import { cacheTable, slabCachesFrom, slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';

const M = 1024 * 1024;
function boot(kernel: string, p: Partial<MachineSpec> = {}): { state: BootState; ctx: BootContext } {
  const spec: MachineSpec = { name: 't', kernel, machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  const ctx = bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
  return { state: simulate(ctx).state, ctx };
}

describe('slabCachesOf memo', () => {
  test('slabCachesOf_same_input_kept', () => {
    // expect: the same state, context, table and phase give the very result of the first call, equal to the unmemoised slabCachesFrom
    const { state, ctx } = boot('6.12-amd64');
    const table = ctx.traits.state.slabCacheTable;
    for (const phase of ['boot', 'post'] as const) {
      const first = slabCachesOf(state, ctx, table, phase);
      expect(first).toBeDefined();
      expect(slabCachesOf(state, ctx, table, phase)).toBe(first);
      expect(first).toEqual(slabCachesFrom(state, ctx, cacheTable(table)!.filter((c) => phase === 'post' || c.phase === 'boot')));
    }
    // expect: the two phases are kept apart ('post' has the calls after the print too)
    expect(slabCachesOf(state, ctx, table, 'post')!.calls.length).toBeGreaterThan(slabCachesOf(state, ctx, table, 'boot')!.calls.length);
  });

  test('slabCachesOf_other_state_recomputed', () => {
    // expect: a state that is another object is computed afresh (keyed by identity, never by a part of the input)
    const { state, ctx } = boot('6.12-amd64');
    const table = ctx.traits.state.slabCacheTable;
    const first = slabCachesOf(state, ctx, table, 'post');
    const copy = slabCachesOf({ ...state }, ctx, table, 'post');
    expect(copy).not.toBe(first);
    expect(copy).toEqual(first);
  });

  test('slabCachesOf_boots_not_shared', () => {
    // expect: 2 and 64 CPUs boot different slab geometry (calculate_order()'s min_objects grows with nr_cpu_ids); the memo of one boot never answers the other
    const a = boot('6.12-amd64', { cpus: 2 });
    const b = boot('6.12-amd64', { cpus: 64 });
    const table = a.ctx.traits.state.slabCacheTable;
    const ra = slabCachesOf(a.state, a.ctx, table, 'post')!;
    const rb = slabCachesOf(b.state, b.ctx, table, 'post')!;
    expect(rb).toEqual(slabCachesFrom(b.state, b.ctx, cacheTable(table)!));
    expect(ra.caches.map((c) => c.order)).not.toEqual(rb.caches.map((c) => c.order));
  });
});
