import { DIRECT_MAP_SUM } from '../../../sim/stages/state/meminfo.ts';
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareState, iomemFields, meminfoFields, pagetypeinfoFields, slabGeometryFields, slabinfoFields, vmstatFields, zoneinfoFields } from '../../../harness/compare/state.ts';
import { bootContext, simulate } from '../../../sim/boot.ts';
import { predictState } from '../../../sim/stages/state/index.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { repoRoot } from '../../../sim/base/paths.ts';
import type { MachineSpec } from '../../../sim/types.ts';

// A real boot's /proc files: 6.1-amd64, pc, 512M, 2 CPUs, booted (QEMU 7.2 TCG, the capture's argv) with a
// 687272-byte initramfs whose static /init printed these three files between the state.log markers.
const FIXTURE = path.join(repoRoot, 'tests/fixtures/state/x86_64-6.1-pc-512m-2cpu.state.log');

/** The blocks of a state.log (the format of qemu-scripts/initramfs/), for this test only. */
function blocksOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/@@bootsim-state begin (\S+)@@\n([\s\S]*?)@@bootsim-state end \1@@\n/g)) out.set(m[1]!, m[2]!);
  return out;
}

describe('state.log field readers', () => {
  const blocks = blocksOf(readFileSync(FIXTURE, 'utf8'));
  test('zoneinfo_fields', () => {
    // expect: the watermarks, protection, each CPU's pageset and start_pfn under their zone; counters apart
    const f = new Map(zoneinfoFields(blocks.get('/proc/zoneinfo')!).map((x) => [x.key, x.value]));
    expect(f.get('Node 0, zone DMA32: min')).toBe('654');
    expect(f.get('Node 0, zone DMA: protection')).toBe('(0, 433, 433, 433, 433)');
    expect(f.get('Node 0, zone DMA32: cpu 1 high')).toBe('408');
    expect(f.get('Node 0, zone DMA32: cpu 0 vm stats threshold')).toBe('12');
    expect(f.get('Node 0, zone DMA: per-node nr_inactive_anon')).toBe('168');
    expect(f.get('Node 0, zone DMA: zone nr_free_pages')).toBe('3808');
    expect(f.get('Node 0, zone Device: managed')).toBe('0');
    expect([...f.keys()].filter((k) => k.includes('unparsed'))).toEqual([]);
  });
  test('meminfo_pagetypeinfo_fields', () => {
    // expect: "Name: value kB" with one space; block counts per zone summed over the migrate types
    const m = new Map(meminfoFields(blocks.get('/proc/meminfo')!).map((x) => [x.key, x.value]));
    expect(m.get('MemTotal')).toBe('468168 kB');
    expect(m.get('HugePages_Total')).toBe('0');
    const p = new Map(pagetypeinfoFields(blocks.get('/proc/pagetypeinfo')!).map((x) => [x.key, x.value]));
    expect(p.get('Node 0, zone DMA32: blocks')).toBe('248');
    expect(p.get('Node 0, zone DMA32: blocks Movable')).toBe('229');
    expect(p.get('Node 0, zone DMA, type Movable: free')).toBe('0 0 0 0 0 0 0 0 0 1 3');
    expect([...p.keys()].filter((k) => k.includes('unparsed'))).toEqual([]);
  });
  test('slab_fields', () => {
    // expect: slabinfo 2.1 rows split into counts and geometry per cache; the /sys/kernel/slab block per cache
    const t = 'slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\nkmalloc-32           637   1280     32  128    1 : tunables    0    0    0 : slabdata     10     10      0\n';
    const f = new Map(slabinfoFields(t).map((x) => [x.key, x.value]));
    expect([f.get('kmalloc-32: active_objs'), f.get('kmalloc-32: objperslab'), f.get('kmalloc-32: num_slabs')]).toEqual(['637', '128', '10']);
    expect(f.size).toBe(11);
    const g = new Map(slabGeometryFields(':0000024 24 24 170 0\n').map((x) => [x.key, x.value]));
    expect([g.get(':0000024: objs_per_slab'), g.get(':0000024: order')]).toEqual(['170', '0']);
    expect(slabinfoFields('garbage\n')[0]!.key).toBe('unparsed line 1');
  });
  test('iomem_fields', () => {
    // expect: the kernel image's resources keyed by name with their range, every other line by its text with its depth
    const f = iomemFields('00100000-1ffdffff : System RAM\n  01000000-01e01d31 : Kernel code\n  03310000-043fffff : Kernel bss\n');
    expect(f.map((x) => [x.key, x.value])).toEqual([['00100000-1ffdffff : System RAM', 'depth 0'], ['Kernel code', '01000000-01e01d31'], ['Kernel bss', '03310000-043fffff']]);
  });
  test('meminfo_unparsed_reported', () => {
    // expect: a line the reader does not know is a field of its own, which no rule classes
    expect(meminfoFields('MemTotal: 1 kB\ngarbage here\n').map((x) => x.key)).toEqual(['MemTotal', 'unparsed line 2']);
  });
  test('vmstat_fields_by_name', () => {
    // expect: one field per counter keyed by its name, the value as printed; a line that is not "name value" unparsed
    const f = vmstatFields('nr_free_pages 113550\npswpin 0\nnr_unstable 0\nnot a counter\n');
    expect(f.map((x) => [x.key, x.value, x.line])).toEqual([['nr_free_pages', '113550', 1], ['pswpin', '0', 2], ['nr_unstable', '0', 3], ['unparsed line 4', 'not a counter', 4]]);
  });
});

describe('compareState', () => {
  test('real_boot_6_1_pc_512m_exact', () => {
    // expect: every predicted zoneinfo, meminfo and pagetypeinfo field of the real boot exact; nothing unclassified
    const M = 1024 * 1024;
    const spec: MachineSpec = { name: 't', kernel: '6.1-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml' };
    const ctx = bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel), initrd: { bytes: 687272, from: 'the fixture boot' } });
    const p = predictState(simulate(ctx).state, ctx);
    const r = compareState(p.fields, blocksOf(readFileSync(FIXTURE, 'utf8')));
    expect(r.fields.filter((f) => f.status === 'mismatched' || f.status === 'missing' || f.status === 'unclassified')).toEqual([]);
    const zi = r.families.find((f) => f.family === 'zoneinfo')!;
    expect(zi.exact).toBe(p.fields.filter((f) => f.family === 'zoneinfo').length);
    expect(zi.unmodelled).toBeGreaterThan(0);
  });
  test('mismatch_and_missing', () => {
    // expect: a wrong prediction is mismatched with both values; a predicted field the file lacks is missing
    const blocks = new Map([['/proc/meminfo', 'MemTotal:   100 kB\nMemFree:   50 kB\n']]);
    const r = compareState([
      { family: 'meminfo', key: 'MemTotal', value: '104 kB', explain: [] },
      { family: 'meminfo', key: 'CommitLimit', value: '52 kB', explain: [] },
      { family: 'zoneinfo', key: 'Node 0, zone DMA: min', value: '1', explain: [] },
    ], blocks);
    expect(r.fields.map((f) => [f.key, f.status])).toEqual([['MemTotal', 'mismatched'], ['MemFree', 'unmodelled'], ['CommitLimit', 'missing']]);
    expect(r.fields[0]).toMatchObject({ sim: '104 kB', golden: '100 kB', delta: '-4 kB' });
    expect(r.families).toEqual([{ family: 'meminfo', exact: 0, within: 0, mismatched: 1, missing: 1, unmodelled: 1, unmodelledDeterministic: 0, unclassified: 0 }]);
  });
  test('slabinfo_geometry_predicted_others_unmodelled', () => {
    // expect: a predicted cache's objsize/objperslab/pagesperslab compared (a wrong one mismatched); an unpredicted cache's geometry
    // and every tunable unmodelled with their own reasons; the counts unmodelled too
    const head = 'slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n';
    const blocks = new Map([['/proc/slabinfo', `${head}kmalloc-8k            20     20   8192    4    8 : tunables    0    0    0 : slabdata      5      5      0\nradix_tree_node      100    112    576   14    2 : tunables    0    0    0 : slabdata      8      8      0\n`]]);
    const r = compareState([
      { family: 'slabinfo', key: 'kmalloc-8k: objsize', value: '8192', explain: [] },
      { family: 'slabinfo', key: 'kmalloc-8k: objperslab', value: '4', explain: [] },
      { family: 'slabinfo', key: 'kmalloc-8k: pagesperslab', value: '4', explain: [] },
    ], blocks);
    const st = new Map(r.fields.map((f) => [f.key, f]));
    expect(['objsize', 'objperslab', 'pagesperslab'].map((n) => st.get(`kmalloc-8k: ${n}`)?.status)).toEqual(['exact', 'exact', 'mismatched']);
    expect(st.get('kmalloc-8k: pagesperslab')).toMatchObject({ sim: '4', golden: '8' });
    expect(st.get('radix_tree_node: objsize')).toMatchObject({ status: 'unmodelled', reason: expect.stringContaining('does not size') });
    expect(st.get('kmalloc-8k: limit')).toMatchObject({ status: 'unmodelled', reason: expect.stringContaining('tunables') });
    expect(st.get('kmalloc-8k: num_objs')).toMatchObject({ status: 'unmodelled', reason: expect.stringContaining('object counts') });
    expect(st.get('kmalloc-8k: sharedavail')).toMatchObject({ status: 'unmodelled', reason: expect.stringContaining('sharedavail') });
    expect(r.families).toEqual([{ family: 'slabinfo', exact: 2, within: 0, mismatched: 1, missing: 0, unmodelled: 19, unmodelledDeterministic: 0, unclassified: 0 }]);
  });
  test('range_within_and_outside', () => {
    // expect: a field predicted as a range is within when the golden is one of `also` or inside [lo, hi], else mismatched with the delta to the nearest end
    const zi = (high: number): Map<string, string> => new Map([['/proc/zoneinfo', `Node 0, zone    DMA32\n  pagesets\n    cpu: 0\n              count: 5\n              high:  ${high}\n              batch: 31\n  vm stats threshold: 12\n`]]);
    const range = { lo: 124n, hi: 15000n, also: [0n] };
    const p = [{ family: 'zoneinfo' as const, key: 'Node 0, zone DMA32: cpu 0 high', value: '0 or 124..15000', explain: [], range }];
    const status = (h: number) => compareState(p, zi(h)).fields.find((f) => f.key.endsWith('cpu 0 high'));
    expect([0, 124, 539, 15000].map((h) => status(h)?.status)).toEqual(['within', 'within', 'within', 'within']);
    expect(status(123)).toMatchObject({ status: 'mismatched', delta: '-1', sim: '0 or 124..15000', golden: '123' });
    expect(status(15002)).toMatchObject({ status: 'mismatched', delta: '+2' });
    expect(compareState(p, zi(539)).families[0]).toMatchObject({ within: 1, exact: 0, mismatched: 0 });
  });
  test('unmodelled_deterministic_over_the_reboots', () => {
    // expect: an unmodelled field identical in the golden and every re-boot, over at least 3 boots, is unmodelled-deterministic;
    // one that differs in a re-boot, or with fewer than 3 boots, stays unmodelled, and the reason says what the evidence showed
    const m = (free: number, cached: number): Map<string, string> => new Map([['/proc/meminfo', `MemFree: ${free} kB\nCached: ${cached} kB\n`]]);
    const three = compareState([], m(10, 7), [m(12, 7), m(10, 7)]);
    expect(three.boots).toBe(3);
    expect(three.fields.map((f) => [f.key, f.status])).toEqual([['MemFree', 'unmodelled'], ['Cached', 'unmodelled-deterministic']]);
    expect(three.fields[0]!.reason).toMatch(/differs in 1 of 2 re-boot\(s\)\)$/);
    expect(three.fields[1]!.reason).toMatch(/identical in 3 boots\)$/);
    expect(three.families).toEqual([{ family: 'meminfo', exact: 0, within: 0, mismatched: 0, missing: 0, unmodelled: 1, unmodelledDeterministic: 1, unclassified: 0 }]);
    const two = compareState([], m(10, 7), [m(10, 7)]);
    expect(two.fields.map((f) => f.status)).toEqual(['unmodelled', 'unmodelled']);
    expect(compareState([], m(10, 7)).fields[0]!.reason).toMatch(/no re-boot evidence\)$/);
  });
  test('range_steps_and_kb_and_direct_map_sum', () => {
    // expect: a kB range with a step takes only lo + k × step; off a step the delta is the distance to the step below, outside the range to its end;
    // the sum of the DirectMap lines is derived from the log as one more field
    const mi = (k4: number, m2: number): Map<string, string> => new Map([['/proc/meminfo', `DirectMap4k:       ${k4} kB\nDirectMap2M:      ${m2} kB\n`]]);
    const range = { lo: 3968n, hi: 524160n, also: [], step: 2048n, unit: 'kB' as const };
    const p = [
      { family: 'meminfo' as const, key: 'DirectMap4k', value: '3968..524160 kB in steps of 2048', explain: [], range },
      { family: 'meminfo' as const, key: DIRECT_MAP_SUM, value: '524160 kB', explain: [] },
    ];
    const r = (k4: number, m2: number) => new Map(compareState(p, mi(k4, m2)).fields.map((f) => [f.key, f]));
    // DirectMap2M is not predicted here and no rule names a DirectMap line: unclassified
    expect([...r(22400, 501760).values()].map((f) => [f.key, f.status])).toEqual([['DirectMap4k', 'within'], ['DirectMap2M', 'unclassified'], [DIRECT_MAP_SUM, 'exact']]);
    expect(r(22404, 501756).get('DirectMap4k')).toMatchObject({ status: 'mismatched', delta: '+4 kB' });
    expect(r(1920, 522240).get('DirectMap4k')).toMatchObject({ status: 'mismatched', delta: '-2048 kB' });
    expect(r(22400, 503808).get(DIRECT_MAP_SUM)).toMatchObject({ status: 'mismatched', golden: '526208 kB', delta: '+2048 kB' });
    // a range in kB does not take a bare number
    expect(new Map(compareState(p, new Map([['/proc/meminfo', 'DirectMap4k: 22400\n']])).fields.map((f) => [f.key, f.status])).get('DirectMap4k')).toBe('mismatched');
  });
});
