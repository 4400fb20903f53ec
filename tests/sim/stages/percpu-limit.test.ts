// The X86_32 percpu first chunk near its limits: percpu_alloc=page past VMALLOC_END is refused at
// load time on 6.1+ (vm_area_register_early()'s BUG_ON, sim/stages/percpu-limit.ts via sim/envelope.ts)
// and simulated on 5.10 (no bound: the i386-5.10-pae-pc-3g-32cpu-percpupage-vmalloc2m golden), and
// the embed → page fallback is modelled on X86_32 as on x86_64. Property: every profile drawn near
// those limits is refused at load time or simulated to the end.
import { describe, expect, test } from 'vitest';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { setupPerCpuAreas } from '../../../sim/stages/percpu.ts';
import { memblockFree, memblockReserve, memblockStateOf, withMemblock } from '../../../sim/stages/memblock.ts';
import { pageChunkPastVmallocEnd } from '../../../sim/stages/percpu-limit.ts';
import { envelopeLimit } from '../../../sim/envelope.ts';
import { expectLoadRefusalOrSimulation } from '../load-or-simulate.ts';
import { prng } from '../../../harness/profile/draw.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { SimError } from '../../../sim/lib/errors.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
const spec = (kernel: string, mib: number, cpus: number, cmdline?: string): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: mib * M, memoryText: `${mib}M`, cpus, cpu: undefined, numa: undefined, cmdline, file: 't.yaml',
});
const ctxOf = (s: MachineSpec): BootContext => bootContext({ spec: s, kernel: loadKernelWithFacts(s.kernel) });

describe('percpu_alloc=page past VMALLOC_END', () => {
  test('refused_at_load_on_6_1', () => {
    // expect: 32 CPUs × 29 pages do not fit the 2M vmalloc area vmalloc=2M leaves with 3G of RAM:
    // the limit is the cmdline field at percpu_alloc=page, with the area and the chunk's size
    const s = spec('6.1-686-pae', 3072, 32, 'nokaslr percpu_alloc=page vmalloc=2M');
    const past = pageChunkPastVmallocEnd(ctxOf(s));
    expect(past).toBeDefined();
    expect(past!.vmallocEnd - past!.vmallocStart).toBe(2n * BigInt(M));
    expect(past!.vmEnd - past!.vmallocStart).toBe(BigInt(32 * past!.unitSize));
    const l = envelopeLimit(s, loadKernelWithFacts(s.kernel));
    expect(l).toMatchObject({ code: 'SIM_NOT_MODELLED', field: 'cmdline', offset: 8 });
    expect(l?.why).toMatch(/vm_area_register_early\(\): BUG_ON/);
  });
  test('simulated_on_5_10', () => {
    // expect: 5.10's vm_area_register_early() has no bound: inside the envelope, and simulated
    const s = spec('5.10-686-pae', 3072, 32, 'percpu_alloc=page vmalloc=2M');
    expect(pageChunkPastVmallocEnd(ctxOf(s))).toBeUndefined();
    expect(envelopeLimit(s, loadKernelWithFacts(s.kernel))).toBeUndefined();
    expect(simulate(ctxOf(s)).lines.some((l) => l.text === 'percpu: 32 4K pages/cpu s116428 r0 d14644')).toBe(true);
  });
  test.each([
    ['6.1-686-pae', 3072, 8, 'percpu_alloc=page vmalloc=2M'],
    ['6.1-686', 512, 32, 'percpu_alloc=page vmalloc=2M'],
    ['6.1-686', 3072, 32, 'vmalloc=2M'],
  ] as const)('inside %s %iM %i CPUs %s', (kernel, mib, cpus, cmdline) => {
    // expect: fewer CPUs fit; with 512M lowmem is not full and VMALLOC_START sits far below the end;
    // without percpu_alloc=page the embedded chunk lives in the direct map
    expect(envelopeLimit(spec(kernel, mib, cpus, cmdline), loadKernelWithFacts(kernel))).toBeUndefined();
  });
});

describe('property: X86_32 percpu near its limits loads and simulates, or is refused at load', () => {
  const kernels = ['5.10-686-pae', '6.1-686', '6.1-686-pae', '6.5-686-pae'];
  const rnd = prng(4242017);
  const draws = Array.from({ length: 32 }, (_, i) => {
    const kernel = kernels[Math.floor(rnd() * kernels.length)]!;
    // RAM near the floor (the embed fallback's side) or past lowmem (the vmalloc side)
    const mib = rnd() < 0.3 ? 33 + Math.floor(rnd() * 16) : 768 + Math.floor(rnd() * 2560);
    const cpus = [1, 4, 8, 16, 24, 32, 40][Math.floor(rnd() * 7)]!;
    const words = [rnd() < 0.6 ? 'percpu_alloc=page' : '', rnd() < 0.7 ? `vmalloc=${1 + Math.floor(rnd() * 8)}M` : ''].filter((w) => w !== '');
    const cmdline = words.length > 0 ? words.join(' ') : undefined;
    return { name: `draw ${i}: ${kernel} ${mib}M ${cpus} CPUs ${cmdline ?? ''}`, s: spec(kernel, mib, cpus, cmdline) };
  });
  test.each(draws)('$name', ({ s }) => {
    // expect: a load-time limit, or a simulation that reaches its last stage without a SimError
    expectLoadRefusalOrSimulation(s);
  });
  test('the draws reach both outcomes', () => {
    // expect: the property is not vacuous: some draws are refused at load for the vmalloc area, some simulated
    const limits = draws.map(({ s }) => envelopeLimit(s, loadKernelWithFacts(s.kernel)));
    expect(limits.filter((l) => l?.why.includes('vm_area_register_early')).length).toBeGreaterThan(0);
    expect(limits.filter((l) => l === undefined).length).toBeGreaterThan(0);
  });
});

describe('embed → page fallback on X86_32', () => {
  test('fallback_when_no_contiguous_room', () => {
    // expect: with lowmem free only in 64K runs (no room for the 4 × 33-page group the embed asks for
    // in one allocation), pcpu_embed_first_chunk() returns -ENOMEM, setup_per_cpu_areas() warns and
    // builds the page first chunk from single pages (pcpu_page_first_chunk), as percpu_alloc=page does
    const ctx = ctxOf(spec('6.1-686', 512, 4));
    let state = simulate(ctx, stagesBefore(setupPerCpuAreas)).state;
    let mb = memblockStateOf(state);
    const free: { start: bigint; end: bigint }[] = [];
    let at = 0n;
    for (const r of [...mb.reserved, { start: mb.currentLimit, end: mb.currentLimit }]) {
      for (const m of mb.memory) {
        const s = m.start > at ? m.start : at;
        const e = m.end < r.start ? m.end : r.start;
        if (s < e && e <= mb.currentLimit) free.push({ start: s, end: e });
      }
      if (r.end > at) at = r.end;
    }
    const why = { why: 'test: fill lowmem', source: 'tests/sim/stages/percpu-limit.test.ts', stage: 'test' };
    for (const f of free) mb = memblockReserve(mb, f.start, f.end - f.start, why);
    const big = free.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
    const K64 = 64n * 1024n;
    for (let k = 0n; k < 32n; k++) mb = memblockFree(mb, big.start + ((k * 2n * K64 + 0xfffn) & ~0xfffn), K64);
    state = withMemblock(state, mb);
    const r = setupPerCpuAreas(state, ctx);
    const texts = r.lines.map((l) => l.text);
    expect(texts).toContain('setup_percpu: auto allocator failed (-12), falling back to page size');
    expect(texts.some((t) => /^percpu: \d+ 4K pages\/cpu /.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('percpu: Embedded'))).toBe(false);
  });
});
