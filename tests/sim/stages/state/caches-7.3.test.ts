import { describe, expect, test } from 'vitest';
import { simulate } from '../../../../sim/boot.ts';
import { structOf, tableBootCtx, withConfig } from './table-boot.ts';
import { slabCachesOf } from '../../../../sim/stages/state/caches/index.ts';
import { CACHES_7_2 } from '../../../../sim/stages/state/caches/7.2.ts';
import { CACHES_7_3 } from '../../../../sim/stages/state/caches/7.3.ts';
import type { MachineSpec } from '../../../../sim/types.ts';

const M = 1024 * 1024;
const ctxOf = (p: Partial<MachineSpec> = {}) => tableBootCtx('7.3-amd64', { bytes: 1024 * M, text: '1G' }, p);
const ctx = ctxOf();
const { state } = simulate(ctx);
const struct = structOf(ctx);
const post = slabCachesOf(state, ctx, '7.3', 'post');
const names = (calls: readonly { readonly name: string }[]): string[] => calls.map((c) => c.name);

describe('7.3 table (caches/7.3.ts, 7.3-post.ts): 7.2\'s calls and the two the 7.3.4 image adds', () => {
  test('table_7_3_boot_is_7_2', () => {
    // expect: the boot calls are 7.2's, call for call, in order
    expect(names(CACHES_7_3.filter((c) => c.phase === 'boot'))).toEqual(names(CACHES_7_2.filter((c) => c.phase === 'boot')));
  });
  test('table_7_3_post_adds_two_in_initcall_order', () => {
    // expect: bio_crypt_ctx right after bio_integrity_data (subsys 241 → 242), iomap_dio_simple's bioset right before
    // iomap_ioend's (fs 373 → 374), and nothing else added or dropped
    const p72 = names(CACHES_7_2.filter((c) => c.phase === 'post'));
    const p73 = names(CACHES_7_3.filter((c) => c.phase === 'post'));
    expect(p73.filter((n) => !p72.includes(n))).toEqual(['bio_crypt_ctx', 'bio-<iomap_dio_simple>']);
    expect(p72.filter((n) => !p73.includes(n))).toEqual([]);
    expect(p73[p73.indexOf('bio_integrity_data') + 1]).toBe('bio_crypt_ctx');
    expect(p73[p73.indexOf('bio-<iomap_ioend>') - 1]).toBe('bio-<iomap_dio_simple>');
  });
  test('create_post_none_undetermined', () => {
    // expect: every post call is sized, so no mergeable call is left undecided
    expect(post?.undetermined.map((u) => u.name)).toEqual([]);
  });
  test('bio_crypt_ctx_only_with_inline_encryption', () => {
    // expect: the cache is made under CONFIG_BLK_INLINE_ENCRYPTION (7.3's config), not without it (7.2's)
    expect(post?.calls.some((c) => c.name === 'bio_crypt_ctx')).toBe(true);
    const off = withConfig(ctx, { BLK_INLINE_ENCRYPTION: undefined });
    expect(slabCachesOf(state, off, '7.3', 'post')?.calls.some((c) => c.name === 'bio_crypt_ctx')).toBe(false);
  });
  test('bioset_cacheline_aligned_bio_front_pad', () => {
    // expect: 7.3.4's struct bio is 136 bytes, not a multiple of 64, so a container ending in a ____cacheline_aligned_in_smp
    // bio has tail padding: front_pad = sizeof(container) − ALIGN(136, 64) = 256 − 192 = 64 for blkdev_dio and
    // iomap_dio_simple alike, and both biosets share one "bio-264" slab (64 + 136 + 4 × 16); fs_bio_set's is bio-200
    expect([struct('bio'), struct('blkdev_dio'), struct('iomap_dio_simple'), struct('bio_vec')]).toEqual([136, 256, 256, 16]);
    const bios = post?.caches.filter((c) => c.name.startsWith('bio-')).map((c) => c.name).sort();
    expect(bios).toEqual(['bio-200', 'bio-264', 'bio-288']);
  });
});
