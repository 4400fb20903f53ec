import { describe, expect, test } from 'vitest';
import { simulate, type BootContext } from '../../../../sim/boot.ts';
import { structOf, tableBootCtx, withConfig } from './table-boot.ts';
import { slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import { POST_CALLS_6_12 } from '../../../../sim/stages/state/caches/6.12-post.ts';
import { LSMS_6_12, lsmInodeBlob } from '../../../../sim/stages/state/caches/lsm-blobs.ts';
import { resolveSize } from '../../../../sim/stages/state/slab-create.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const M = 1024 * 1024;
const ctxOf = (p: Partial<MachineSpec> = {}): BootContext => tableBootCtx('6.12-amd64', { bytes: 512 * M, text: '512M' }, p);
const ctx = ctxOf();
const { state } = simulate(ctx);
const struct = structOf(ctx);
const post = slabCachesOf(state, ctx, '6.12', 'post');
const cache = (name: string) => post?.caches.find((c) => c.name === name);
const aliasOf = (name: string): string | undefined => post?.caches.find((c) => c.aliases.some((a) => a.name === name))?.name;
const sizeOf = (name: string): number | undefined => {
  const c = POST_CALLS_6_12.find((x) => typeof x.name === 'string' && x.name === name);
  return c === undefined ? undefined : resolveSize(c, { state, ctx });
};

describe('6.12 post calls: sizes from the source rules', () => {
  test('skb_small_head_cache_size_debian_config', () => {
    // expect: WLAN + MAC80211_MESH → LL_MAX_HEADER 128, the =m tunnels → MAX_HEADER 176; max(MAX_TCP_HEADER 320,
    // GRO_MAX_HEAD_PAD 176 + 128 + 64) = 368 → 384, plus SKB_DATA_ALIGN(skb_shared_info)
    expect(sizeOf('skbuff_small_head')).toBe(384 + Math.ceil(struct('skb_shared_info') / 64) * 64);
  });
  test('skb_small_head_cache_size_no_wlan_no_tunnels', () => {
    // expect: LL_MAX_HEADER 32, MAX_HEADER 32: max(L1_CACHE_ALIGN(160) 192, 32 + 128 + 64 = 224) → 256
    const bare = withConfig(ctx, { WLAN: undefined, AX25: undefined, MAC80211_MESH: undefined, HYPERV_NET: undefined, NET_IPIP: undefined, NET_IPGRE: undefined, IPV6_SIT: undefined, IPV6_TUNNEL: undefined });
    const c = POST_CALLS_6_12.find((x) => x.name === 'skbuff_small_head');
    expect(c && resolveSize(c, { state, ctx: bare })).toBe(256 + Math.ceil(struct('skb_shared_info') / 64) * 64);
  });
  test('skb_ext_size_counts_enabled_extensions', () => {
    // expect: 8-byte chunks of skb_ext, nf_bridge_info (BRIDGE_NETFILTER=m counts: IS_ENABLED), sec_path (XFRM) and mptcp_ext; no tc_skb_ext or mctp_flow
    const chunks = (s: string): number => Math.ceil(struct(s) / 8);
    expect(sizeOf('skbuff_ext_cache')).toBe(8 * (chunks('skb_ext') + chunks('nf_bridge_info') + chunks('sec_path') + chunks('mptcp_ext')));
    // expect: it folds into the first 192-byte cache of no merge flags (file_lock_cache, a core_initcall before sock_init()'s net/)
    expect(aliasOf('skbuff_ext_cache')).toBe('file_lock_cache');
  });
  test('lsm_inode_blob_apparmor_excludes_selinux', () => {
    // expect: rcu_head 16, landlock at 16, bpf, ipe (1 B), then the LSM_ORDER_LAST ima pointer and evm at word-aligned offsets; selinux and smack
    // are exclusive after apparmor and add nothing
    let blob = 16 + struct('landlock_inode_security') + struct('bpf_storage_blob');
    blob = Math.ceil(blob / 8) * 8 + struct('ipe_inode');
    blob = Math.ceil(blob / 8) * 8 + 8;
    blob = Math.ceil(blob / 8) * 8 + struct('evm_iint_cache');
    expect(lsmInodeBlob({ state, ctx }, LSMS_6_12, 'word')).toBe(blob);
  });
  test('lsm_inode_blob_selinux_first', () => {
    // expect: with CONFIG_LSM="selinux,apparmor" selinux is the exclusive one: 16 + inode_security_struct, then ima and evm
    const sel = withConfig(ctx, { LSM: 'selinux,apparmor' });
    let blob = 16 + struct('inode_security_struct');
    blob = Math.ceil(blob / 8) * 8 + 8;
    blob = Math.ceil(blob / 8) * 8 + struct('evm_iint_cache');
    expect(lsmInodeBlob({ state, ctx: sel }, LSMS_6_12, 'word')).toBe(blob);
  });
  test.each([
    // expect: a bioset's slab is "bio-<front_pad + sizeof(struct bio) + 4 bio_vecs>", front_pad the container less its trailing bio
    ['fs_bio_set', undefined], ['iomap_ioend_bioset', 'iomap_ioend'], ['blkdev_dio_pool', 'blkdev_dio'],
  ] as const)('bioset_slab_named_by_size_%s', (_set, container) => {
    const size = (container === undefined ? struct('bio') : struct(container)) + 4 * struct('bio_vec');
    const c = cache(`bio-${size}`);
    // expect: SLAB_TYPESAFE_BY_RCU keeps it apart and puts the free pointer after the object: ALIGN(size + 8, 64)
    expect(c?.unmergeable).toBeDefined();
    expect(c?.size).toBe(Math.ceil((size + 8) / 64) * 64);
  });
});

describe('6.12 post calls: which call names a cache, which alias it', () => {
  test('tcp_typesafe_rcu_free_pointer', () => {
    // expect: TCP is SLAB_TYPESAFE_BY_RCU: its own directory, the slot the object plus the free pointer, cache-line aligned
    expect(cache('TCP')?.size).toBe(Math.ceil((struct('tcp_sock') + 8) / 64) * 64);
    expect(cache('TCP')?.sysfsDir).toBe('TCP');
    expect(cache('request_sock_TCP')?.size).toBe(Math.ceil((struct('tcp_request_sock') + 8) / 8) * 8);
  });
  test('ping_names_the_account_1k_cache_unix_aliases_it', () => {
    // expect: inet_init() (net/ipv4/) runs before af_unix_init() (net/unix/): PING's slot is the first SLAB_ACCOUNT one of its size,
    // so UNIX and UNIX-STREAM fold into it and raise its object_size to sizeof(struct unix_sock)
    expect(cache('PING')?.sysfsDir).toMatch(/^:A-/);
    expect(aliasOf('UNIX')).toBe('PING');
    expect(aliasOf('UNIX-STREAM')).toBe('PING');
  });
  test('udp_folds_into_signal_cache', () => {
    // expect: sizeof(struct udp_sock) has signal_cache's slot and flags (HWCACHE_ALIGN | ACCOUNT): no UDP line in slabinfo
    expect(cache('UDP')).toBeUndefined();
    expect(aliasOf('UDP')).toBe('signal_cache');
  });
  test('kmem_buckets_one_unmergeable_cache_per_kmalloc_size', () => {
    // expect: 13 memdup_user and 13 msg_msg caches, in kmalloc_caches[] index order (96, 192, 8 … 8k), each its own directory (SLAB_NO_MERGE)
    for (const prefix of ['memdup_user', 'msg_msg']) {
      const mine = post?.caches.filter((c) => c.name.startsWith(`${prefix}-`)) ?? [];
      expect(mine.map((c) => c.name.slice(prefix.length + 1))).toEqual(['96', '192', '8', '16', '32', '64', '128', '256', '512', '1k', '2k', '4k', '8k']);
      expect(mine.every((c) => c.sysfsDir === c.name)).toBe(true);
    }
  });
  test('post_calls_never_reach_the_boot_phase', () => {
    // expect: the late Memory: print sees none of them (traits.late.bootSlabCaches terms count only 'boot')
    expect(POST_CALLS_6_12.every((c) => c.phase === 'post')).toBe(true);
    const boot = slabCachesOf(state, ctx, '6.12', 'boot');
    expect(boot?.caches.some((c) => c.name === 'buffer_head')).toBe(false);
  });
});
