import { describe, expect, test } from 'vitest';
import { simulate } from '../../../../sim/boot.ts';
import { tableBootCtx } from './table-boot.ts';
import { slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import { CACHES_7_2 } from '../../../../sim/stages/state/caches/7.2.ts';
import { CACHES_6_16 } from '../../../../sim/stages/state/caches/6.16.ts';
import { CACHES_6_17 } from '../../../../sim/stages/state/caches/6.17.ts';
import { CACHES_6_18 } from '../../../../sim/stages/state/caches/6.18.ts';
import { editCalls } from '../../../../sim/stages/state/caches/edits.ts';
import type { CacheCall } from '../../../../sim/stages/state/slab-create.ts';

const M = 1024 * 1024;
const names = (calls: readonly { readonly name: string }[]): string[] => calls.map((c) => c.name);
const added = (from: readonly CacheCall[], to: readonly CacheCall[]): string[] => names(to).filter((n) => !names(from).includes(n));
const dropped = (from: readonly CacheCall[], to: readonly CacheCall[]): string[] => names(from).filter((n) => !names(to).includes(n));

describe('6.16, 6.17, 6.18 tables (caches/6.16.ts, 6.17.ts, 6.18.ts, 6.18-post.ts): 7.2\'s, edited to the 6.18.35 and 6.17.0 trees and the images', () => {
  test('table_6_18_edits_of_7_2', () => {
    // expect: 6.18 adds pidfs_xattr_cache and the two UDP-Lite protos, and drops the calls the 6.18.35 tree lacks
    expect(added(CACHES_7_2, CACHES_6_18)).toEqual(['pidfs_xattr_cache', 'UDP-Lite', 'UDPLITEv6']);
    expect(dropped(CACHES_7_2, CACHES_6_18).sort()).toEqual(['aio_inode_cache', 'bio-<iomap_ioend_split>', 'bpf_fs_inode_cache', 'fs_bio_integrity', 'fsnotify_inode_mark_connector', 'gpu_buddy_block', 'lsm_backing_file_cache', 'task_exec_state', 'zs_handle', 'zspage']);
  });
  test('table_6_18_userfaultfd_after_fanotify', () => {
    // expect: fs/userfaultfd.c's initcall runs after fanotify_user_setup() and before aio_setup() (the 6.18.15 image's order)
    const n = names(CACHES_6_18);
    expect(n[n.indexOf('userfaultfd_ctx_cache') - 1]).toBe('fanotify_mnt_event');
    expect(n[n.indexOf('userfaultfd_ctx_cache') + 1]).toBe('aio_kiocb');
  });
  test('table_6_17_no_sheaves', () => {
    // expect: 6.17's maple_node and vm_area_struct have no sheaf_capacity, so neither carries NO_MERGE; khugepaged's slot is its own struct
    const by = (n: string): CacheCall | undefined => CACHES_6_17.find((c) => c.name === n);
    expect(by('maple_node')?.flags).toEqual([]);
    expect(by('vm_area_struct')?.flags).not.toContain('NO_MERGE');
    expect(added(CACHES_6_18, CACHES_6_17)).toEqual(['khugepaged_mm_slot']);
    expect(dropped(CACHES_6_18, CACHES_6_17).sort()).toEqual(['mm_slot', 'swap_table']);
  });
  test('table_6_16_pidfs_cache', () => {
    // expect: 6.16 has pidfs_cache (struct pidfs_inode, a ctor) where 6.17 has pidfs_attr_cache and pidfs_xattr_cache
    expect(added(CACHES_6_17, CACHES_6_16)).toEqual(['pidfs_cache']);
    expect(dropped(CACHES_6_17, CACHES_6_16).sort()).toEqual(['pidfs_attr_cache', 'pidfs_xattr_cache']);
    expect(CACHES_6_16.find((c) => c.name === 'pidfs_cache')?.ctor).toBe(true);
  });
  test('edit_absent_call_throws', () => {
    // expect: an edit naming a call the table lacks is an error, not a silent no-op
    expect(() => editCalls(CACHES_7_2, [{ drop: 'no_such_cache', why: 'test' }], 'test')).toThrow(RangeError);
  });
  test.each(['6.16', '6.17', '6.18'] as const)('create_post_none_undetermined_%s', (v) => {
    // expect: every call is sized by the build's facts, so no mergeable call is left undecided
    const ctx = tableBootCtx(`${v}-amd64`, { bytes: 1024 * M, text: '1G' });
    const { state } = simulate(ctx);
    const post = slabCachesOf(state, ctx, v, 'post');
    expect(post?.undetermined.map((u) => u.name)).toEqual([]);
    expect(post?.calls.filter((c) => c.objectSize === undefined && c.when === undefined).map((c) => c.name)).toEqual([]);
  });
});
