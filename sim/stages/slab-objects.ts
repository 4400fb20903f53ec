// The slab objects whose size several stages need (the late-allocs terms and the state caches'
// tables, sim/stages/state/caches/): the task_struct, mm_struct and kmem_cache objects and the kmalloc
// caches, each from the kernel facts and a cited rule. A leaf: it imports no stage that reads a cache table.
import type { BootContext, BootState } from '../boot.ts';
import type { KernelTraits } from '../traits.ts';
import { configNumber, configOn, configValue, structBytes, topologyOf } from './mm-inputs.ts';
import { SimError } from '../lib/errors.ts';
import { fpuKernelDefaultSize } from './boot-cpu.ts';

/** The stage the errors name: these sizes were, and are still reported as, the late-allocs stage's. */
const STAGE = 'late-allocs';
const PAGE_SIZE = 4096n;

/** The kmalloc_info[] sizes (mm/slab_common.c), KMALLOC_MIN_SIZE 8 to KMALLOC_MAX_CACHE_SIZE 8192. */
export const KMALLOC_SIZES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192] as const;

/** The task_struct cache's slot: arch_task_struct_size ALIGNed to L1_CACHE_BYTES (see taskStructSlabs). */
export function taskStructSize(ctx: BootContext, traits: KernelTraits): { size: number; task: number; fpu: number; fx: number; fpuWhy: string } {
  const task = Number(structBytes(ctx, 'task_struct', STAGE));
  // fpu_kernel_cfg.default_size: sizeof(struct fxregs_state) without XSAVE, else the XSAVE standard-format size (sim/stages/boot-cpu.ts)
  const fpuDefault = fpuKernelDefaultSize(ctx, Number(structBytes(ctx, 'fxregs_state', STAGE)));
  const fx = fpuDefault.bytes;
  const fpu = traits.late.taskStructHasFpu ? Number(structBytes(ctx, 'fpu', STAGE)) : 0;
  // ALIGN(object, L1_CACHE_BYTES = 64) (calculate_sizes)
  return { size: Math.ceil((task + fpu - Number(PAGE_SIZE) + fx) / 64) * 64, task, fpu, fx, fpuWhy: fpuDefault.why };
}

/** mm_cachep's slot (see mmStructSlab). */
export function mmStructSize(state: BootState, ctx: BootContext, traits: KernelTraits): { size: number; mm: number; cpumask: number; cid: number } {
  const topo = topologyOf(state, ctx);
  const nrCpus = configNumber(ctx, 'NR_CPUS');
  // BITS_PER_LONG: 64 on x86_64, 32 on i386 (include/asm-generic/bitsperlong.h)
  const word = configOn(ctx, '64BIT') ? 8 : 4;
  const bitmapSize = (bits: number): number => Math.ceil(bits / (8 * word)) * word;
  const large = nrCpus > 4 * 8 * word ? topo.possibleCpus : nrCpus;
  const cpumask = bitmapSize(large);
  // mm_cid_size() (include/linux/mm_types.h; traits.late.mmCidSize)
  const cidBytes = { 'cidmask': cpumask, 'cpus-allowed-cidmask': 2 * cpumask, 'cpus-allowed-bitmap': cpumask + bitmapSize(topo.possibleCpus) } as const;
  const cid = !configOn(ctx, 'SCHED_MM_CID') ? 0 : cidBytes[traits.late.mmCidSize];
  const mm = Number(structBytes(ctx, 'mm_struct', STAGE));
  return { size: Math.ceil((mm + cpumask + cid) / 64) * 64, mm, cpumask, cid };
}

/** One cache that gets sheaves before the print, by its slot size (s->size). */
export interface SheafCache {
  readonly name: string;
  readonly size: number;
}

/**
 * The kmalloc caches create_kmalloc_caches() makes (mm/slab_common.c 7.2.13), each with its
 * sheaves from bootstrap_kmalloc_sheaves() (mm/slub.c): one per kmalloc_info size for each type of
 * enum kmalloc_cache_type that is not aliased to KMALLOC_NORMAL (include/linux/slab.h):
 * KMALLOC_RECLAIM unless SLUB_TINY, KMALLOC_DMA with ZONE_DMA, KMALLOC_CGROUP with MEMCG (6.1.192:
 * MEMCG_KMEM, 5.10.223: none; traits.kmallocCgroupOption. 5.10 and 6.1 make the same sizes) (the
 * "cgroup.memory=nokmem" alias is a parameter PARAM_REVIEWS does not accept). KMALLOC_NO_OBJ_EXT is
 * aliased when need_kmalloc_no_objext() is false: mem_alloc_profiling_permanently_disabled() without
 * MEM_ALLOC_PROFILING and KMALLOC_RECLAIM ≠ KMALLOC_NORMAL. The partition (random) copies and
 * memory-allocation profiling are refused. With SLAB_BUCKETS, create_kmalloc_caches() also makes
 * "kmalloc_buckets" (sizeof(kmem_buckets): KMALLOC_SHIFT_HIGH + 1 pointers), a cache with sheaves.
 */
export function kmallocCaches(ctx: BootContext, traits: KernelTraits): SheafCache[] {
  for (const opt of [traits.percpu.randomKmallocOption, 'MEM_ALLOC_PROFILING', 'SLUB_TINY']) {
    if (configOn(ctx, opt)) throw new SimError('SIM_NOT_MODELLED', STAGE, `facts.config: CONFIG_${opt}=y changes the kmalloc caches and their sheaves (mm/slab_common.c create_kmalloc_caches, mm/slub.c calculate_sheaf_capacity); not modelled`);
  }
  const cgroup = traits.kmallocCgroupOption;
  const types = ['kmalloc', 'kmalloc-rcl', ...(configOn(ctx, 'ZONE_DMA') ? ['dma-kmalloc'] : []), ...(cgroup !== 'none' && configOn(ctx, cgroup) ? ['kmalloc-cg'] : [])];
  const out: SheafCache[] = types.flatMap((t) => KMALLOC_SIZES.map((size) => ({ name: `${t}-${size}`, size })));
  if (configOn(ctx, 'SLAB_BUCKETS')) out.push({ name: 'kmalloc_buckets', size: (KMALLOC_SIZES.length + 1) * 8 });
  return out;
}

/** The kmem_cache cache's object before alignment (s->object_size): offsetof the node array plus nr_node_ids entries. */
export function kmemCacheObject(state: BootState, ctx: BootContext, traits: KernelTraits): number {
  const word = configOn(ctx, '64BIT') ? 8 : 4;
  const entry = traits.late.slubSheaves ? 2 * word : word;
  // include/linux/numa.h: NODES_SHIFT is CONFIG_NODES_SHIFT, else 0 (the 686 builds: no NUMA)
  const maxNodes = 2 ** (configValue(ctx, 'NODES_SHIFT').value === undefined ? 0 : configNumber(ctx, 'NODES_SHIFT'));
  const offset = Number(structBytes(ctx, 'kmem_cache', STAGE)) - maxNodes * entry;
  if (offset <= 0) throw new SimError('SIM_NOT_MODELLED', STAGE, `struct kmem_cache: expected its node array of ${maxNodes} × ${entry} B last, got sizeof ${structBytes(ctx, 'kmem_cache', STAGE)}`);
  return offset + topologyOf(state, ctx).nrNodeIds * entry;
}
