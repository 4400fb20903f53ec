// The 3.0.1 post-boot state (sim/stages/old/state-30-proc.ts) on the seeds' build at pc 1G with a
// 3304-byte initrd, each value hand-derived from 3.0.1 mm/page_alloc.c, not from a log:
//   present DMA 3951, Normal 221486, HighMem 34514 (the zone lines); lowmem 225437 pages
//   min_free_kbytes = int_sqrt(225437 × 4 × 16) = 3798, pages_min 949
//   DMA tmp = 949 × 3951 / 225437 = 16 → 16/20/24; Normal 932 → 932/1165/1398;
//   HighMem min = 34514 / 1024 = 33 (≥ SWAP_CLUSTER_MAX 32), tmp 145 → 33/69/105
import { describe, expect, test } from 'vitest';
import { simulate30 } from '../../../../sim/stages/old/pipeline-30.ts';
import { context30, kernel30Of } from '../../../../sim/stages/old/context-30.ts';
import { predictState30 } from '../../../../sim/stages/old/state-30-proc.ts';
import { CONFIG_30_ELF, SYMBOLS_30, spec30 } from './kernel-30.ts';

const ctx = context30(spec30({ probe: 'state' }), kernel30Of({ id: '3.0.1-i386', arch: 'i386', release: '3.0.1' }, { config: CONFIG_30_ELF, loadOffset: '0xc0000000', symbols: SYMBOLS_30, bzImage: { protocol: '2.10' } }), { bytes: 3304, from: 'test' });
const run = simulate30(ctx);
const fields = new Map(predictState30(run.state, ctx).map((f) => [f.key, f.value]));
const z = (zone: string, k: string): string | undefined => fields.get(`Node 0, zone ${zone}: ${k}`);

describe('predictState30, pc 1G', () => {
  test.each([
    ['DMA', '16', '20', '24', '(0, 865, 1000, 1000)', '0', '1', '4'],
    ['Normal', '932', '1165', '1398', '(0, 0, 1078, 1078)', '186', '31', '218'],
    ['HighMem', '33', '69', '105', '(0, 0, 0, 0)', '42', '7', '34'],
  ])('zone_%s: expect min/low/high, lowmem_reserve, pageset high/batch (6 × zone_batchsize, max(1, …)) and ceil(spanned / 1024) blocks', (zone, min, low, high, prot, pcpHigh, batch, blocks) => {
    expect([z(zone, 'min'), z(zone, 'low'), z(zone, 'high'), z(zone, 'protection'), z(zone, 'cpu 0 high'), z(zone, 'cpu 0 batch'), fields.get(`Node 0, zone ${zone}: blocks`), z(zone, 'inactive_ratio')]).toEqual([min, low, high, prot, pcpHigh, batch, blocks, '1']);
  });

  test('meminfo: expect MemTotal = the Memory: line\'s available + the initrd page + the 216k of init, HighTotal its highmem, LowTotal the rest, CommitLimit half', () => {
    const mem = run.lines.find((l) => l.fmt === 'mem.summary_legacy')!.text;
    const [, avail, high] = /^Memory: (\d+)k\/\d+k available .* (\d+)k highmem\)$/.exec(mem)!;
    const total = Number(avail) + 4 + 216;
    expect(fields.get('MemTotal')).toBe(`${total} kB`);
    expect(fields.get('HighTotal')).toBe(`${high} kB`);
    expect(fields.get('LowTotal')).toBe(`${total - Number(high)} kB`);
    expect(fields.get('CommitLimit')).toBe(`${Math.floor((total / 4) * 50 / 100) * 4} kB`);
    // vmalloc : 0xf7ffe000 - 0xff7fe000 (120 MB); the direct map 0 – 0x377fe000
    expect([fields.get('VmallocTotal'), fields.get('DirectMap (sum of the DirectMap lines)')]).toEqual(['122880 kB', `${0x377fe000 / 1024} kB`]);
  });

  test('unpopulated: expect no Movable zone fields (walk_zones_in_node skips unpopulated zones)', () => {
    expect([...fields.keys()].some((k) => k.includes('zone Movable'))).toBe(false);
  });
});
