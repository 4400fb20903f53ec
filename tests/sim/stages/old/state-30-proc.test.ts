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
import { simErrorCode } from '../../sim-error-code.ts';

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

  test('directMap: expect 4k 12280 kB and 4M 897024 kB, summing to the direct map', () => {
    // max_low_pfn 0x377fe: [0, 4M) 1024 PTEs, [4M, 0x37400000) 220 PMDs, [0x37400000, 0x377fe000) 1022 PTEs;
    // boot 4k (1024 + 1022) × 4 = 8184 kB; free_initmem() splits the 16M page (.rodata beside .init): + 4096 kB,
    // 4M (220 − 1) × 4096 = 897024 kB; the initrd (relocated to 0x377fd000, in the 4k tail) splits nothing
    expect([fields.get('DirectMap4k'), fields.get('DirectMap4M')]).toEqual(['12280 kB', '897024 kB']);
    expect(12280 + 897024).toBe(0x377fe000 / 1024);
  });

  test('vmalloc and the probe zeros: expect VmallocUsed 0 and VmallocChunk VMALLOC_TOTAL (empty vmlist); SwapCached, Mlocked, Shmem, Dirty, Writeback, NFS_Unstable, WritebackTmp 0; no Bounce or Buffers', () => {
    expect(['VmallocUsed', 'VmallocChunk'].map((k) => fields.get(k))).toEqual(['0 kB', '122880 kB']);
    expect(['SwapCached', 'Mlocked', 'Shmem', 'Dirty', 'Writeback', 'NFS_Unstable', 'WritebackTmp'].map((k) => fields.get(k))).toEqual(Array(7).fill('0 kB'));
    expect([fields.has('Bounce'), fields.has('Buffers')]).toEqual([false, false]);
  });

  test('smpLocks: expect a non-empty .smp_locks (free_init_pages "SMP alternatives") refused with SIM_NOT_MODELLED', () => {
    const c = context30(spec30({ probe: 'state' }), kernel30Of({ id: '3.0.1-i386', arch: 'i386', release: '3.0.1' }, { config: CONFIG_30_ELF, loadOffset: '0xc0000000', symbols: { ...SYMBOLS_30, __smp_locks_end: 0x11ae000 }, bzImage: { protocol: '2.10' } }), { bytes: 3304, from: 'test' });
    expect(simErrorCode(() => predictState30(simulate30(c).state, c))).toBe('SIM_NOT_MODELLED');
    expect(() => predictState30(simulate30(c).state, c)).toThrow(/SMP alternatives/);
  });

  test('counters: expect each zero zone counter once per populated zone (DMA, Normal, HighMem) and once in vmstat; none for Movable', () => {
    const all = predictState30(run.state, ctx);
    const zoneKeys = all.filter((f) => f.family === 'zoneinfo' && / zone nr_dirty$/.test(f.key)).map((f) => f.key);
    expect(zoneKeys).toEqual(['Node 0, zone DMA: zone nr_dirty', 'Node 0, zone Normal: zone nr_dirty', 'Node 0, zone HighMem: zone nr_dirty']);
    expect(all.filter((f) => f.family === 'vmstat').map((f) => `${f.key} ${f.value}`)).toContain('nr_written 0');
  });

  test('unpopulated: expect no Movable zone fields (walk_zones_in_node skips unpopulated zones)', () => {
    expect([...fields.keys()].some((k) => k.includes('zone Movable'))).toBe(false);
  });
});
