import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../../sim/boot.ts';
import { predictState } from '../../../../sim/stages/state/index.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const M = 1024 * 1024;
function ctx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.12-amd64', machine: 'pc', memoryBytes: 1024 * M, memoryText: '1G', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
const fieldsOf = (c: BootContext) => predictState(simulate(c).state, c).fields;
const vmstat = (c: BootContext): Map<string, string> => new Map(fieldsOf(c).filter((f) => f.family === 'vmstat').map((f) => [f.key, f.value]));

describe('predictProbeCounters', () => {
  test('counters_one_node_6_12', () => {
    // expect: on one node every fixed counter is 0 in vmstat (nr_unstable the literal), NUMA misses and balancing included
    const v = vmstat(ctx({}));
    for (const k of ['nr_unstable', 'pswpin', 'pswpout', 'drop_pagecache', 'drop_slab', 'htlb_buddy_alloc_success', 'swap_ra', 'zswpin', 'nr_zspages', 'numa_miss', 'numa_foreign', 'numa_other', 'numa_hint_faults']) expect(v.get(k), k).toBe('0');
    // counters of the run itself are not predicted
    for (const k of ['numa_hit', 'numa_interleave', 'pgfault', 'pgmajfault', 'oom_kill']) expect(v.has(k), k).toBe(false);
  });
  test('counters_two_nodes', () => {
    // expect: on two nodes an allocation may miss its node and NUMA balancing is on: those counters left unmodelled, the rest kept
    const v = vmstat(ctx({ memoryBytes: 4096 * M, memoryText: '4G', numa: [{ cpus: [0], memoryBytes: 2048 * M, memoryText: '2G' }, { cpus: [1], memoryBytes: 2048 * M, memoryText: '2G' }] }));
    for (const k of ['numa_miss', 'numa_foreign', 'numa_other', 'numa_pte_updates']) expect(v.has(k), k).toBe(false);
    expect(v.get('pswpout')).toBe('0');
  });
  test('counters_by_version_and_config', () => {
    // expect: 5.10 has no zswpin (5.19+); the 686 build has no NUMA counters; zoneinfo repeats the zone counters per populated zone
    expect(vmstat(ctx({ kernel: '5.10-amd64' })).has('zswpin')).toBe(false);
    const i386 = vmstat(ctx({ kernel: '6.1-686' }));
    expect(i386.has('numa_miss')).toBe(false);
    expect(i386.get('pswpin')).toBe('0');
    const z = fieldsOf(ctx({})).filter((f) => f.family === 'zoneinfo' && f.key.endsWith(': zone numa_miss')).map((f) => f.key);
    expect(z).toEqual(['Node 0, zone DMA: zone numa_miss', 'Node 0, zone DMA32: zone numa_miss']);
  });
  test('counters_present_by_version', () => {
    // expect: nr_bounce through 6.15 (6.16 removed bounce buffering), nr_writeback_temp through 6.16, nr_swapcached from 6.1 (5.10
    // lacks it), each 0; nr_bounce only without highmem (a 686 build may bounce a highmem page) and from 6.1 (5.10's bounce_pfn rule is not read)
    const has = (kernel: string): string[] => ['nr_bounce', 'nr_writeback_temp', 'nr_swapcached'].filter((k) => vmstat(ctx({ kernel })).get(k) === '0');
    expect(has('6.12-amd64')).toEqual(['nr_bounce', 'nr_writeback_temp', 'nr_swapcached']);
    expect(has('6.16-amd64')).toEqual(['nr_writeback_temp', 'nr_swapcached']);
    expect(has('6.17-amd64')).toEqual(['nr_swapcached']);
    expect(has('5.10-amd64')).toEqual(['nr_writeback_temp']);
    expect(has('6.1-686')).toEqual(['nr_writeback_temp', 'nr_swapcached']);
  });
  test('counters_per_node_first_populated_zone', () => {
    // expect: zoneinfo prints the node counters once per node, in its first populated zone's "per-node stats" (DMA on pc 1G)
    const keys = fieldsOf(ctx({})).filter((f) => f.family === 'zoneinfo' && f.key.includes(': per-node ')).map((f) => f.key);
    expect(keys).toEqual(['Node 0, zone DMA: per-node nr_writeback_temp', 'Node 0, zone DMA: per-node nr_swapcached']);
  });
  test('counters_swap_submit_7_3', () => {
    // expect: 7.3 counts nrswpin/nrswpout per swap I/O submitted (mm/page_io.c swap_read_submit/swap_write_submit): 0 without a
    // swap area; 7.2 has neither counter; pgrotate_anon/file (7.3, reclaim's LRU rotation, like pgscan) stay unpredicted
    const v73 = vmstat(ctx({ kernel: '7.3-amd64' }));
    expect([v73.get('nrswpin'), v73.get('nrswpout')]).toEqual(['0', '0']);
    expect(v73.has('pgrotate_anon')).toBe(false);
    const v72 = vmstat(ctx({ kernel: '7.2-amd64' }));
    expect([v72.has('nrswpin'), v72.has('nrswpout')]).toEqual([false, false]);
  });
});
