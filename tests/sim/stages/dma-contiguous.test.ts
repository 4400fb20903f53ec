// setup_arch() → dma_contiguous_reserve(): cma= on the 7.2 build (CONFIG_DMA_CMA), where the CMA
// areas go in memblock, their "cma: Reserved" lines and the Memory: line's cma-reserved.
import { describe, expect, test } from 'vitest';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { bootContext, simulate, stagesBefore, type BootContext } from '../../../sim/boot.ts';
import { cmaCmdline, dmaContiguousReserve, totalcmaPages } from '../../../sim/stages/dma-contiguous.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const MiB = 2n ** 20n;
const GiB = 2 ** 30;
const spec = (kernel: string, o: Partial<MachineSpec> = {}): MachineSpec => ({
  name: 't', kernel, machine: 'pc', memoryBytes: GiB, memoryText: '1G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...o,
});
const entries = new Map<string, BootContext['kernel']>();
const entry = (id: string): BootContext['kernel'] => entries.get(id) ?? entries.set(id, loadKernelWithFacts(id)).get(id)!;
const ctxOf = (kernel: string, o: Partial<MachineSpec> = {}): BootContext => bootContext({ spec: spec(kernel, o), kernel: entry(kernel) });
const run = (ctx: BootContext) => dmaContiguousReserve(simulate(ctx, stagesBefore(dmaContiguousReserve)).state, ctx);
const areas = (r: ReturnType<typeof run>) => memblockStateOf(r.state).ledger.filter((e) => e.stage === 'cma').flatMap((e) => e.ranges);

describe('early_cma', () => {
  test.each([
    ['cma=64M', { size: 64n * MiB, base: 0n, limit: 0n }],
    ['cma=64M@512M', { size: 64n * MiB, base: 512n * MiB, limit: 576n * MiB }],
    ['cma=64M@0-1G', { size: 64n * MiB, base: 0n, limit: 1n << 30n }],
    // each call keeps what it does not set: the second sets only the size
    ['cma=32M@256M cma=16M', { size: 16n * MiB, base: 256n * MiB, limit: 288n * MiB }],
  ] as const)('%s', (cl, want) => {
    expect(cmaCmdline(cl)).toMatchObject(want);
  });
});

describe('dma_contiguous_reserve', () => {
  test('top_down_below_4g: expect 64M 2M-aligned at the top of a 1G guest, one line, counted in totalcma_pages', () => {
    const r = run(ctxOf('7.2-amd64', { cmdline: 'cma=64M' }));
    const [a] = areas(r);
    expect(a!.end - a!.start).toBe(64n * MiB);
    expect(a!.start % (2n * MiB)).toBe(0n);
    expect(a!.end).toBeLessThanOrEqual(1n << 30n);
    expect(r.lines.map((l) => l.text)).toEqual([`cma: Reserved 64 MiB at 0x${a!.start.toString(16).padStart(16, '0')}`]);
    expect(totalcmaPages(memblockStateOf(r.state))).toBe((64n * MiB) >> 12n);
  });

  test('bottom_up_from_4g: expect an area from 4G up when the limit leaves room above 4G', () => {
    const [a] = areas(run(ctxOf('7.2-amd64', { memoryBytes: 8 * GiB, memoryText: '8G', cmdline: 'cma=100M' })));
    // 100M aligned up to 2M stays 100M
    expect(a).toEqual({ start: 1n << 32n, end: (1n << 32n) + 100n * MiB });
  });

  test('fixed_base: expect cma=32M@512M exactly there', () => {
    expect(areas(run(ctxOf('7.2-amd64', { cmdline: 'cma=32M@512M' })))).toEqual([{ start: 512n * MiB, end: 544n * MiB }]);
  });

  test('per_node: expect one more area per online node with two nodes (CONFIG_CMA_SIZE_PERNUMA)', () => {
    const numa = [{ memoryBytes: 3 * GiB, memoryText: '3G', cpus: [0] }, { memoryBytes: 3 * GiB, memoryText: '3G', cpus: [1] }];
    const r = run(ctxOf('7.2-amd64', { memoryBytes: 6 * GiB, memoryText: '6G', numa, cmdline: 'cma=128M' }));
    expect(r.lines).toHaveLength(3);
    expect(areas(r)).toHaveLength(3);
  });

  test('no_cma_build: expect nothing on 6.1 (no CONFIG_DMA_CMA: cma= goes to init)', () => {
    const r = run(ctxOf('6.1-amd64', { cmdline: 'cma=64M' }));
    expect(r.lines).toEqual([]);
    expect(areas(r)).toEqual([]);
  });

  test('memory_line: expect cma-reserved to be the area and reserved to leave it out', () => {
    const plain = simulate(ctxOf('7.2-amd64')).lines.find((l) => l.fmt === 'mem.summary')!.text;
    const cma = simulate(ctxOf('7.2-amd64', { cmdline: 'cma=64M' })).lines.find((l) => l.fmt === 'mem.summary')!.text;
    const f = (t: string) => /(\d+)K reserved, (\d+)K cma-reserved/.exec(t)!.slice(1).map(Number);
    expect(f(cma)[1]).toBe(65536);
    expect(f(plain)[1]).toBe(0);
  });
});
