// The slab caches the Debian 7.3 build (7.3.4, read in the 7.3.4 tree) creates after
// page_alloc_init_late()'s late Memory: print and before the state probe reads /proc/slabinfo:
// 7.2's calls (caches/7.2-post.ts), which 7.3.4 keeps call for call and in the same order, and the
// two calls 7.3.4 adds.
//
// How that was established: the 7.3.4+deb13-amd64 image's initcall table (802 entries, named by its
// kallsyms in .init.data order, as for 7.2) is the 7.2.13+deb14-amd64 image's (797) but for
// ipc_ns_tree_init (pure), blk_crypto's bio_crypt_ctx_init and blk_crypto_sysfs_init (subsys, 242
// and 243: CONFIG_BLK_INLINE_ENCRYPTION is set in 7.3's config, not in 7.2's), iomap_dio_init (fs,
// 373), mxpcie8250_pci_driver_init, syscall_user_dispatch_sysctl_init, bpf_ksock_kfunc_init and
// security_initcall_late_sync added, and free_smp_locks (traits.smpLocks), libaesgcm_init and
// panic_force_cpu_late_init gone; of those only bio_crypt_ctx_init and iomap_dio_init create a
// cache. Every kmem_cache_create() / KMEM_CACHE() / kmem_buckets_create() / bioset_init() /
// proto_register() call line of the 7.3.4 tree's mm, kernel, lib, fs, block, security, init, ipc,
// io_uring, net, drivers/{dax,dma,iommu,gpu} is 7.2.13's but for module code (ext4, f2fs, nfsd,
// ntfs =m; efs and vxfs gone) and iomap_dio_init's bioset. The positions in the sites of
// POST_CALLS_7_2 are the 7.2 image's.
import type { CacheCall, SizeEnv } from '../slab-create.ts';
import { bytes, post, struct } from './6.12-post.ts';
import { POST_CALLS_7_2, bioSlab72 } from './7.2-post.ts';
import { editCalls } from './edits.ts';

/** include/linux/bio.h BIO_INLINE_VECS (7.3: 4), and x86_64's L1_CACHE_BYTES (____cacheline_aligned_in_smp). */
const BIO_INLINE_VECS = 4;
const L1_CACHE_BYTES = 64;

/**
 * A bioset whose front_pad is offsetof(struct <container>, bio), the bio its last member and
 * ____cacheline_aligned_in_smp: a "bio-<size>" slab of front_pad + sizeof(struct bio) + BIO_INLINE_VECS
 * bio_vecs (block/bio.c bs_bio_slab_size(), BIOSET_NEED_BVECS). offsetof(bio) is then a multiple of 64 and
 * sizeof(container) = offsetof(bio) + ALIGN(sizeof(struct bio), 64), so front_pad = sizeof(container) −
 * ALIGN(sizeof(bio), 64). caches/6.12-post.ts bioSlab takes sizeof(container) as front_pad + sizeof(bio),
 * which holds only while sizeof(struct bio) is a multiple of 64 (128 in 7.2.13; 136 in 7.3.4, whose bio has
 * bi_crypt_context under BLK_INLINE_ENCRYPTION).
 */
function bioSlabAlignedBio(container: string, site: string, option: readonly string[]): CacheCall {
  return {
    ...bioSlab72(container, site, option),
    size: (env: SizeEnv): number | undefined => {
      const outer = bytes(env, container);
      const bio = bytes(env, 'bio');
      const vec = bytes(env, 'bio_vec');
      if (outer === undefined || bio === undefined || vec === undefined) return undefined;
      return outer - Math.ceil(bio / L1_CACHE_BYTES) * L1_CACHE_BYTES + bio + BIO_INLINE_VECS * vec;
    },
  };
}

/** fs/iomap/direct-io.c iomap_dio_init() (fs_initcall, 373 in 7.3.4's table): struct iomap_dio_simple ends in its cacheline-aligned bio. */
const iomapDioSimple = bioSlabAlignedBio('iomap_dio_simple', 'fs/iomap/direct-io.c: iomap_dio_init() (fs_initcall, 373 in 7.3.4) bioset_init(&iomap_dio_simple_pool, 4, offsetof(struct iomap_dio_simple, bio), BIOSET_NEED_BVECS | BIOSET_PERCPU_CACHE)', ['BLOCK', 'FS_IOMAP']);

/** block/fops.c blkdev_init() (module_init): 7.2's call, whose struct blkdev_dio also ends in a cacheline-aligned bio. */
const blkdevDio = bioSlabAlignedBio('blkdev_dio', 'block/fops.c: blkdev_init() (module_init) bioset_init(&blkdev_dio_pool, 4, offsetof(struct blkdev_dio, bio), BIOSET_NEED_BVECS|BIOSET_PERCPU_CACHE): struct blkdev_dio { …; struct bio bio ____cacheline_aligned_in_smp; }', ['BLOCK']);

/** block/blk-crypto.c bio_crypt_ctx_init() (subsys_initcall, 242 in 7.3.4): KMEM_CACHE(bio_crypt_ctx, 0), then a mempool of it. */
const bioCryptCtx = post('bio_crypt_ctx', 'block/blk-crypto.c: bio_crypt_ctx_init() (subsys_initcall, 242 in 7.3.4) KMEM_CACHE(bio_crypt_ctx, 0)', struct('bio_crypt_ctx'), [], { option: ['BLOCK', 'BLK_INLINE_ENCRYPTION'] });

/**
 * The 7.3 'post' calls in creation order: bio_crypt_ctx_init (242) runs right after blk_integrity_auto_init (241),
 * and iomap_dio_init (373) between backing_aio_init (370) and iomap_ioend_init (374); blkdev_init's bioset is
 * sized by its bio's offset.
 */
export const POST_CALLS_7_3: readonly CacheCall[] = editCalls(POST_CALLS_7_2, [
  { after: 'bio_integrity_data', add: [bioCryptCtx] },
  { before: 'bio-<iomap_ioend>', add: [iomapDioSimple] },
  { replace: 'bio-<blkdev_dio>', by: [blkdevDio] },
], 'caches/7.3-post.ts');
