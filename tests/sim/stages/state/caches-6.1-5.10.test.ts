import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../../sim/boot.ts';
import type { BootState } from '../../../../sim/boot.ts';
import { loadKernelWithFacts } from '../../../../harness/kernels.ts';
import type { MachineSpec } from '../../../../sim/types.ts';
import { slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import { CACHES_6_1, lsmBlob } from '../../../../sim/stages/state/caches/6.1.ts';
import { CACHES_5_10 } from '../../../../sim/stages/state/caches/5.10.ts';
import { resolveSize } from '../../../../sim/stages/state/slab-create.ts';

const M = 1024 * 1024;
function boot(kernel: string, p: Partial<MachineSpec> = {}): { state: BootState; ctx: BootContext } {
  const spec: MachineSpec = { name: 't', kernel, machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  const ctx = bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
  return { state: simulate(ctx).state, ctx };
}
const caches = (kernel: string, p: Partial<MachineSpec> = {}) => {
  const { state, ctx } = boot(kernel, p);
  const r = slabCachesOf(state, ctx, ctx.traits.state.slabCacheTable, 'post');
  if (!r) throw new Error(`${kernel}: no slab cache table`);
  return r;
};

describe('the 6.1 and 5.10 amd64 cache tables', () => {
  test.each([['6.1-amd64', CACHES_6_1], ['5.10-amd64', CACHES_5_10]] as const)('every_call_sized_%s', (kernel, table) => {
    // expect: the BTF facts (or a layout rule of the source) size every call of the table: no cache is left unsized or undetermined
    const { state, ctx } = boot(kernel);
    const unsized = table.filter((c) => resolveSize(c, { state, ctx }) === undefined).map((c) => c.name);
    expect(unsized.filter((n) => !['inode_smack'].includes(n))).toEqual([]);
    expect(caches(kernel).undetermined).toEqual([]);
  });

  test('pool_workqueue_folds_into_maple_node_6_1', () => {
    // expect: 6.1 maple_tree_init() makes maple_node (256 B, align 256, no flags) before workqueue_init_early()'s
    // pool_workqueue (256 B, __aligned(256)): find_mergeable() folds it in; 5.10 has no maple tree, so it stays its own
    const c61 = caches('6.1-amd64');
    expect(c61.caches.find((c) => c.name === 'pool_workqueue')).toBeUndefined();
    expect(c61.caches.find((c) => c.name === 'maple_node')?.aliases.map((a) => a.name)).toContain('pool_workqueue');
    expect(caches('5.10-amd64').caches.find((c) => c.name === 'pool_workqueue')?.size).toBe(256);
  });

  test('lsm_blobs_follow_config_lsm', () => {
    // expect: 6.1's CONFIG_LSM lists landlock and bpf (inode blobs: rcu_head 16 + 8 + 8 = 32) and AppArmor first of the
    // exclusive ones (file blob aa_file_ctx); 5.10's lists no inode LSM: no lsm_inode_cache call at all
    const b61 = boot('6.1-amd64');
    expect(lsmBlob(b61, 'inode')).toBe(16 + 8 + 8);
    expect(lsmBlob(b61, 'file')).toBe(b61.ctx.kernel.facts.structs['aa_file_ctx']?.bytes);
    const b510 = boot('5.10-amd64');
    expect(lsmBlob(b510, 'inode')).toBe(0);
    expect(caches('5.10-amd64').calls.some((c) => c.name === 'lsm_inode_cache')).toBe(false);
  });

  test('bio_slabs_shared_by_size', () => {
    // expect: bio_find_or_create_slab() makes one slab per size. 6.1 names it bio-<size>: fs_bio_set 128 + 64 = 192, iomap's
    // 64 + 128 + 64 = 256, and the blkdev dio bioset (blkdev_dio 192 B, bio last) is 256 too, so it reuses bio-256.
    // 5.10 names them bio-<index>: 192, 256 and blkdev_dio's 24 + 128 + 64 = 216 are three sizes
    const names61 = caches('6.1-amd64').caches.map((c) => c.name).filter((n) => /^bio-\d+$/.test(n));
    expect(names61).toEqual(['bio-192', 'bio-256']);
    const calls510 = caches('5.10-amd64').calls.map((c) => c.name).filter((n) => /^bio-\d+$/.test(n));
    expect(calls510).toEqual(['bio-0', 'bio-1', 'bio-2']);
  });

  test('nr_cpu_ids_sets_min_objects_backoff', () => {
    // expect: calculate_order()'s back-off (5.10, 6.1) from 4 × (fls(nr_cpu_ids) + 1) min objects: task_group's 640 B slot is
    // 12 per order 1 with 2 CPUs (12 × 640 fits 8K), 25 per order 2 with 8 (20 × 640 needs 16K; 384 B left over, within 1/16)
    const tg = (cpus: number) => caches('6.1-amd64', { cpus }).caches.find((c) => c.name === 'task_group');
    expect([tg(2)?.objects, tg(2)?.order]).toEqual([12, 1]);
    expect([tg(8)?.objects, tg(8)?.order]).toEqual([25, 2]);
  });
});
