// The object sizes of the cache calls that are not one struct's sizeof (the per-series tables beside
// this file use them): each a rule of the source over the facts and the boot's topology.
import { kmemCacheObject, mmStructSize, taskStructSize } from '../../slab-objects.ts';
import { topologyOf } from '../../mm-inputs.ts';
import type { SizeEnv } from '../slab-create.ts';

const bytes = (env: SizeEnv, struct: string): number | undefined => env.ctx.kernel.facts.structs[struct]?.bytes;

/** kmem_cache_init()'s kmem_cache: offsetof(struct kmem_cache, node[/per_node]) + nr_node_ids entries (late-allocs.ts kmemCacheObject). */
export const kmemCacheSize = (env: SizeEnv): number | undefined => (bytes(env, 'kmem_cache') === undefined ? undefined : kmemCacheObject(env.state, env.ctx, env.ctx.traits));

/** fork_init(): arch_task_struct_size (arch/x86/kernel/fpu/init.c fpu__init_task_struct_size; late-allocs.ts taskStructSize). */
export const taskStructObject = (env: SizeEnv): number | undefined => {
  if (['task_struct', 'fxregs_state'].some((s) => bytes(env, s) === undefined) || (env.ctx.traits.late.taskStructHasFpu && bytes(env, 'fpu') === undefined)) return undefined;
  const t = taskStructSize(env.ctx, env.ctx.traits);
  return t.task + t.fpu - 4096 + t.fx;
};

/** mm_cache_init(): sizeof(struct mm_struct) + cpumask_size() + mm_cid_size() (kernel/fork.c; late-allocs.ts mmStructSize). */
export const mmStructObject = (env: SizeEnv): number | undefined => {
  if (bytes(env, 'mm_struct') === undefined) return undefined;
  const m = mmStructSize(env.state, env.ctx, env.ctx.traits);
  return m.mm + m.cpumask + m.cid;
};

/** pid_idr_init(): struct_size_t(struct pid, numbers, 1) (kernel/pid.c 6.12, 7.2). */
export const pidObject = (env: SizeEnv): number | undefined => {
  const pid = bytes(env, 'pid');
  const upid = bytes(env, 'upid');
  return pid === undefined || upid === undefined ? undefined : pid + upid;
};

/** proc_init_kmemcache(): SIZEOF_PDE, sizeof(struct proc_dir_entry) rounded up to 128, 192, 256 or 512 (fs/proc/internal.h 6.12, 7.2). */
export const sizeofPde = (env: SizeEnv): number | undefined => {
  const pde = bytes(env, 'proc_dir_entry');
  return pde === undefined ? undefined : [128, 192, 256, 512].find((b) => pde < b);
};

/** mem_cgroup_init(): struct_size_t(struct mem_cgroup, nodeinfo, nr_node_ids) (mm/memcontrol.c 7.2). */
export const memcgObject = (env: SizeEnv): number | undefined => {
  const m = bytes(env, 'mem_cgroup');
  return m === undefined ? undefined : m + topologyOf(env.state, env.ctx).nrNodeIds * 8;
};
