import { describe, expect, test } from 'vitest';
import { parseProfile } from '../../../harness/profile/load.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import { simulate } from '../../../sim/boot.ts';
import { memblockStateOf } from '../../../sim/stages/memblock.ts';

const sim = (kernel: string, memory: string, cmdline?: string) => {
  const yaml = `kernel: ${kernel}\nmachine: pc\nmemory: ${memory}\ncpus: 2\n${cmdline ? `cmdline: "${cmdline}"\n` : ''}`;
  return simulate({ spec: parseProfile(yaml, `t/${kernel.replace(/\./g, '_')}.yaml`), kernel: loadKernelWithFacts(kernel) });
};

describe('stack_depot_early_init', () => {
  // Each row is a real boot captured on 2026-12-01, its serial log and its memblock=debug log: the
  // hash line and where memblock_alloc_try_nid(…, alloc_large_system_hash) put the table.
  test.each([
    ['6.1_1g', '6.1-amd64', '1G', 'slub_debug', 'stackdepot hash table entries: 65536 (order: 7, 524288 bytes, linear)', 0x3ed80000n],
    ['6.1_2g', '6.1-amd64', '2G', 'init_on_alloc=0 slub_debug', 'stackdepot hash table entries: 131072 (order: 8, 1048576 bytes, linear)', 0x7d900000n],
    // i386: a 4-byte struct stack_record * bucket
    ['6.1_686_1g', '6.1-686', '1G', 'slub_debug init_on_alloc=0', 'stackdepot hash table entries: 65536 (order: 6, 262144 bytes, linear)', 0x360b8f00n],
  ])('stackdepot_%s: expect the captured hash line and address', (_n, kernel, memory, cmdline, text, addr) => {
    const r = sim(kernel, memory, cmdline);
    expect(r.lines.filter((l) => l.fmt === 'hash.stackdepot').map((l) => l.text)).toEqual([text]);
    const e = memblockStateOf(r.state).ledger.filter((x) => x.stage === 'stackdepot');
    expect(e.map((x) => (x.made ?? x.ranges)[0]!.start)).toEqual([addr]);
  });

  test('stackdepot_reserved: expect Memory: reserved 512K higher with slub_debug on 6.1 pc 1G (73116K captured, 72604K without)', () => {
    const reserved = (cl?: string): number => Number(/ (\d+)K reserved/.exec(sim('6.1-amd64', '1G', cl).lines.find((l) => l.fmt === 'mem.summary')!.text)![1]);
    expect(reserved()).toBe(72604);
    expect(reserved('slub_debug')).toBe(73116);
  });

  test.each([
    // expect: 5.10 has no stack_depot_early_init (a static table); no slub_debug, no table
    ['5.10', '5.10-amd64', 'slub_debug'],
    ['6.1_none', '6.1-amd64', undefined],
  ])('stackdepot_none_%s: expect no stackdepot allocation or line', (_n, kernel, cmdline) => {
    const r = sim(kernel, '1G', cmdline);
    expect(r.lines.some((l) => l.fmt === 'hash.stackdepot')).toBe(false);
    expect(memblockStateOf(r.state).ledger.some((x) => x.stage === 'stackdepot')).toBe(false);
  });
});
