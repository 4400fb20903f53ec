import { describe, expect, test } from 'vitest';
import { simulate, type BootContext } from '../../../../sim/boot.ts';
import { structOf, tableBootCtx, withConfig } from './table-boot.ts';
import { slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import { LSMS_7_2, lsmBackingFileBlob, lsmFileBlob, lsmInodeBlob } from '../../../../sim/stages/state/caches/lsm-blobs.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const M = 1024 * 1024;
const ctxOf = (p: Partial<MachineSpec> = {}): BootContext => tableBootCtx('7.2-amd64', { bytes: 1024 * M, text: '1G' }, p);
const ctx = ctxOf();
const { state } = simulate(ctx);
const struct = structOf(ctx);
const word = (x: number): number => Math.ceil(x / 8) * 8;
const boot = slabCachesOf(state, ctx, '7.2', 'boot');
const post = slabCachesOf(state, ctx, '7.2', 'post');
const aliasOf = (name: string): string | undefined => post?.caches.find((c) => c.aliases.some((a) => a.name === name))?.name;

describe('7.2 LSM blobs (security/lsm_init.c security_init())', () => {
  test('lsm_inode_blob_ipe_builtin_sig', () => {
    // expect: rcu_head 16, landlock, bpf, ipe's 1-byte ipe_inode (CONFIG_IPE_PROP_FS_VERITY_BUILTIN_SIG=y), then
    // the LSM_ORDER_LAST ima pointer and evm, each at the next word-aligned offset; selinux is exclusive after apparmor
    let blob = 16 + struct('landlock_inode_security') + struct('bpf_storage_blob');
    blob = word(blob) + struct('ipe_inode');
    blob = word(blob) + 8;
    blob = word(blob) + struct('evm_iint_cache');
    expect(lsmInodeBlob({ state, ctx }, LSMS_7_2, 'word')).toBe(blob);
  });
  test('lsm_inode_blob_without_ipe_sig', () => {
    // expect: without the option ipe_blobs has no lbs_inode: rcu_head, landlock, bpf, ima, evm
    const c = withConfig(ctx, { IPE_PROP_FS_VERITY_BUILTIN_SIG: undefined });
    expect(lsmInodeBlob({ state, ctx: c }, LSMS_7_2, 'word')).toBe(word(16 + struct('landlock_inode_security') + struct('bpf_storage_blob')) + 8 + struct('evm_iint_cache'));
  });
  test('lsm_file_and_backing_file_blobs', () => {
    // expect: lbs_file landlock then apparmor (no rcu_head); lbs_backing_file only selinux's, excluded after apparmor: 0
    expect(lsmFileBlob({ state, ctx }, LSMS_7_2, 'word')).toBe(word(struct('landlock_file_security')) + struct('aa_file_ctx'));
    expect(lsmBackingFileBlob({ state, ctx }, LSMS_7_2, 'word')).toBe(0);
    // expect: with selinux first it is the exclusive one and brings its backing-file blob
    const sel = withConfig(ctx, { LSM: 'selinux,apparmor' });
    expect(lsmBackingFileBlob({ state, ctx: sel }, LSMS_7_2, 'word')).toBe(struct('backing_file_security_struct'));
  });
});

describe('7.2 boot table: the engine decides every call by rule', () => {
  test('create_boot_caches_none_undetermined', () => {
    // expect: with lsm_inode_cache sized, no boot call depends on an unsized one
    expect(boot?.undetermined.map((u) => u.name)).toEqual([]);
  });
  test.each([
    // expect: the five calls once settled by a boot's reading are caches of their own by find_mergeable()'s rule
    'lsm_inode_cache', 'kernfs_node_cache', 'mem_cgroup', 'mem_cgroup_per_node', 'taskstats',
  ])('create_boot_cache_own_%s', (name) => {
    expect(boot?.caches.some((c) => c.name === name)).toBe(true);
  });
  test('create_boot_no_backing_file_cache', () => {
    // expect: security_init() creates no lsm_backing_file_cache when lbs_backing_file is 0
    expect(boot?.calls.some((c) => c.name === 'lsm_backing_file_cache')).toBe(false);
  });
  test.each([
    // expect: the 56-byte file blob folds into ftrace_event_field, kernfs_iattrs_cache into Acpi-State (80), fs_cache into anon_vma_chain (:A-64)
    ['lsm_file_cache', 'ftrace_event_field'], ['kernfs_iattrs_cache', 'Acpi-State'], ['fs_cache', 'anon_vma_chain'],
  ] as const)('create_boot_alias_%s', (name, into) => {
    expect(aliasOf(name)).toBe(into);
  });
  test('create_boot_acpi_off_kernfs_iattrs_own', () => {
    // expect: under acpi=off no Acpi-State exists, so kernfs_iattrs_cache finds no 80-byte cache to fold into
    const off = ctxOf({ cmdline: 'acpi=off' });
    const r = slabCachesOf(simulate(off).state, off, '7.2', 'boot');
    expect(r?.caches.some((c) => c.name === 'kernfs_iattrs_cache')).toBe(true);
  });
});

describe('7.2 post calls (caches/7.2-post.ts)', () => {
  const postCalls = post?.calls ?? [];
  const withStruct = (c: BootContext, name: string, b: number): BootContext => ({ ...c, kernel: { ...c.kernel, facts: { ...c.kernel.facts, structs: { ...c.kernel.facts.structs, [name]: { bytes: b, source: 'btf' } } } } });
  test('create_post_none_undetermined', () => {
    // expect: every post call is sized, so no mergeable call is left undecided
    expect(post?.undetermined.map((u) => u.name)).toEqual([]);
  });
  test('skb_ext_size_counts_can', () => {
    // expect: 8-byte chunks of skb_ext, nf_bridge_info (=m), sec_path, mptcp_ext and can_skb_ext (CAN=m: 12 bytes, 2 chunks); no tc_skb_ext, mctp_flow or psp_skb_ext
    const chunks = (s: string): number => Math.ceil(struct(s) / 8);
    const want = 8 * (chunks('skb_ext') + chunks('nf_bridge_info') + chunks('sec_path') + chunks('mptcp_ext') + 2);
    expect(postCalls.find((c) => c.name === 'skbuff_ext_cache')?.objectSize).toBe(want);
    const noCan = withConfig(ctx, { CAN: undefined });
    const r = slabCachesOf(state, noCan, '7.2', 'post');
    expect(r?.calls.find((c) => c.name === 'skbuff_ext_cache')?.objectSize).toBe(want - 16);
  });
  test.each([
    // expect: a bioset's slab is "bio-<front_pad + sizeof(struct bio) + 4 bio_vecs>"
    ['fs_bio_set', undefined], ['iomap_ioend_bioset', 'iomap_ioend'], ['blkdev_dio_pool', 'blkdev_dio'],
  ] as const)('bioset_slab_named_by_size_%s', (_set, container) => {
    const size = (container === undefined ? struct('bio') : struct(container)) + 4 * struct('bio_vec');
    expect(postCalls.filter((c) => c.name === `bio-${size}`).length).toBe(1);
  });
  test('bioset_same_size_reuses_slab', () => {
    // expect: iomap_ioend_split_bioset has iomap_ioend_bioset's size: bio_find_or_create_slab() finds that slab, no second kmem_cache_create()
    const size = struct('iomap_ioend') + 4 * struct('bio_vec');
    expect(post?.caches.filter((c) => c.name === `bio-${size}`).length).toBe(1);
  });
  test('swap_table_only_below_page_size', () => {
    // expect: sizeof(struct swap_table) == PAGE_SIZE (SWP_TABLE_USE_PAGE): no cache; a smaller table makes one
    expect(struct('swap_table')).toBe(4096);
    expect(postCalls.some((c) => c.name === 'swap_table')).toBe(false);
    const small = withStruct(ctx, 'swap_table', 2048);
    expect(slabCachesOf(state, small, '7.2', 'post')?.calls.some((c) => c.name === 'swap_table')).toBe(true);
  });
  test.each([
    // expect: posix_timers_cache (k_itimer, ____cacheline_aligned_in_smp, SLAB_ACCOUNT) folds into the 64-aligned :A-384 mnt_cache,
    // fasync_cache (48, SLAB_ACCOUNT) into ip_fib_trie (:A-48, inet_init() runs at fs_initcall, before fcntl_init()'s module_init),
    // khugepaged's mm_slot (40, no flags) into fsnotify_inode_mark_connector (a core_initcall)
    ['posix_timers_cache', 'mnt_cache'], ['fasync_cache', 'ip_fib_trie'], ['mm_slot', 'fsnotify_inode_mark_connector'],
  ] as const)('create_post_alias_%s', (name, into) => {
    expect(aliasOf(name)).toBe(into);
  });
  test('create_post_dio_own_cache_aligned', () => {
    // expect: KMEM_CACHE(dio) aligns to __alignof__(struct dio), 64: its slot is a multiple of 64
    const dio = post?.caches.find((c) => c.name === 'dio');
    expect(dio?.align).toBe(64);
    expect((dio?.size ?? 1) % 64).toBe(0);
  });
});
