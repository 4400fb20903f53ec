// Tests for sim/boot.ts: the pipeline runner. simulate() threads the state through the stages in order
// and gathers their lines; stagesBefore() cuts the pipeline before a stage; bootContext() derives the
// traits once per boot; the pipeline runs the kernel's order (setup_arch before start_kernel's stages).
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../harness/kernels.ts';
import { bootContext, defineStage, simulate, stages, stagesBefore, type StageFn } from '../../sim/boot.ts';
import { memInitPrintEarly } from '../../sim/stages/mem-init.ts';
import { e820Setup } from '../../sim/stages/e820.ts';
import { withSlice, sliceIfAny } from '../../sim/state.ts';
import type { MachineSpec } from '../../sim/types.ts';

const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 2 ** 29, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml' };
const ctx = bootContext({ spec, kernel: loadKernelWithFacts('6.1-amd64') });

describe('simulate', () => {
  // expect the stages run in order, each seeing the state the one before returned, the lines concatenated
  test('simulate_threads_state_in_order: expect the second stage to read the first one\'s slice, lines a then b', () => {
    const seen: string[] = [];
    const a: StageFn = (state) => { seen.push('a'); return { state: withSlice(state, 'memInit', { physpages: 1n, totalram: 1n, available: 1n }), lines: [{ stage: 'a', fmt: 'a', text: 'a' }] }; };
    const b: StageFn = (state) => { seen.push(`b saw ${sliceIfAny(state, 'memInit')?.physpages}`); return { state, lines: [{ stage: 'b', fmt: 'b', text: 'b' }] }; };
    const r = simulate(ctx, [a, defineStage({ name: 'b', reads: ['memInit'], writes: [] }, b)]);
    expect(seen).toEqual(['a', 'b saw 1']);
    expect(r.lines.map((l) => l.text)).toEqual(['a', 'b']);
  });

  // expect a bare input to get its traits derived (the same as bootContext's), and the same lines as with the context
  test('simulate_bare_input: expect the same lines from {spec, kernel} as from its context', () => {
    const bare = simulate({ spec, kernel: ctx.kernel }).lines.map((l) => l.text);
    expect(bare).toEqual(simulate(ctx).lines.map((l) => l.text));
    expect(bare[0]).toMatch(/^Command line: /);
  });
});

describe('simulate observe', () => {
  // expect one step per stage, in order, each step's before the previous step's after, the lines the same as without an observer
  test('simulate_observe_steps: expect a step per stage chained before → after, and output identical to an unobserved run', () => {
    const steps: { index: number; name: string; before: object; after: object; lines: number }[] = [];
    const r = simulate(ctx, stages, { observe: (s) => steps.push({ index: s.index, name: s.name, before: s.before, after: s.after, lines: s.lines.length }) });
    expect(steps.map((s) => s.name)).toEqual(stages.map((s) => s.name));
    expect(steps.map((s) => s.index)).toEqual(stages.map((_, i) => i));
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.before).toBe(steps[i - 1]!.after);
    expect(steps[steps.length - 1]!.after).toBe(r.state);
    expect(steps.reduce((n, s) => n + s.lines, 0)).toBe(r.lines.length);
    expect(r.lines).toEqual(simulate(ctx).lines);
  });
});

describe('stagesBefore and the pipeline order', () => {
  // expect the stages up to, not including, the one given; the whole pipeline for a function not in it
  test('stages_before: expect e820Setup after envelopeStage and cmdlineArch, memInitPrintEarly late, all for a stranger', () => {
    expect(stagesBefore(e820Setup).map((s) => s.name)).toEqual(['envelopeStage', 'cmdlineArch']);
    const late = stagesBefore(memInitPrintEarly).map((s) => s.name);
    for (const s of ['memblockSetup', 'zonesFromSetupArch', 'setupPerCpuAreas', 'hashesEarly']) expect(late).toContain(s);
    expect(stagesBefore(() => ({ state: {}, lines: [] })).length).toBe(stages.length);
  });

  // expect the kernel's order: setup_arch's stages before start_kernel's, the envelope first; names unique
  test('pipeline_kernel_order: expect memblockSetup < numaInit < zonesFromSetupArch < setupPerCpuAreas < memInitPrintEarly < kmemCacheInit', () => {
    const names = stages.map((s) => s.name);
    expect(names[0]).toBe('envelopeStage');
    const order = ['memblockSetup', 'numaInit', 'zonesFromSetupArch', 'setupPerCpuAreas', 'memInitPrintEarly', 'kmemCacheInit'].map((n) => names.indexOf(n));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  // expect bootContext to derive the traits of the kernel: x86_64, and 6.1's Memory: line from mm_init
  test('boot_context_traits: expect arch x86_64 and the early Memory: position', () => {
    expect(ctx.traits.arch).toBe('x86_64');
    expect(ctx.traits.memoryLineFrom).not.toBe('page_alloc_init_late');
  });
});
