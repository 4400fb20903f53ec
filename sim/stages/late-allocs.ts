// models the buddy allocations between memblock_free_all() and page_alloc_init_late()'s
// mem_init_print_info() (mm/mm_init.c 6.12.115, 7.2.13): from 6.12 "available" is
// nr_free_pages() after start_kernel's allocators and kernel_init_freeable's threads have run.
// Each term is one kernel function's allocation, counted in pages, from the source and the
// kernel facts: ftrace's records, the tracer's savedcmd and ring buffers, the trace event file
// and field slabs, the non-early system hash tables, thread stacks and the task_struct, sighand
// and signal slabs, poking_init()'s mm_struct and page tables, the pool_workqueues of every
// workqueue, SLUB's percpu sheaves and barns (7.2), the pages the secondary CPUs' first slab
// page leaves on their per-CPU lists (6.12, one node), the kmem_cache and kmem_cache_node slabs of
// every cache alive at the print (bootCaches: the boot calls of sim/stages/state/caches/), the per-task pid, cred, kthread, worker and stack
// vmalloc objects, the first objects of the caches start_kernel() fills (on 7.2 a whole sheaf),
// cgroup_init()'s root memory cgroup, the kmallocs of start_kernel() and the early initcalls by call
// site (bootKmallocs: the MCE pool, kernfs' locks, AppArmor's buffers, tty1, the boot super_blocks,
// the legacy irq_descs, the workqueue_structs, the kprobe blacklist, the dynamic-debug tables) and
// the boot CPU's per-CPU lists as one refill of each order leaves them.
// Not modelled (gdb at the print: nr_free_pages, every cache's nr_slabs and each CPU's pcp lists;
// 6.12 and 7.2, pc and q35, 512M to 40G, 1 to 4 nodes): the rest of the slab caches (6.12 ~55 pages,
// 7.2 ~150 on one node: partial slabs the frees leave in kmalloc-*, whose callers are many, the
// sheaves of the ~30 other 7.2 caches, the refills of the secondary CPUs' sheaves, the radix tree
// nodes in use …), the longer order-0 list alloc_factor's doubling leaves on the boot CPU (~60–190
// pages, timing-dependent: pcp->high and alloc_factor follow every allocation and free; ~1400 on 4
// nodes, where the boot task's MPOL_INTERLEAVE policy leaves CPU 0 a list on every node), the
// unfolded vm_stat_diff and the other kernel page tables (~5).
import type { BootContext, BootState } from '../boot.ts';
import type { ExplainTerm } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { configNumber, configOn, configValue, deferInitStartPfn, structBytes, topologyOf } from './mm-inputs.ts';
import { sliceIfAny } from '../state.ts';
import { cmdlineValue } from './cmdline.ts';
import { slubOrders, type SlubOrders } from './slub.ts';
import { possibleCpuMap } from './possible-cpus.ts';
import { freeRanges, memblockStateOf, wholePages } from './memblock.ts';
import { zoneBatchsize } from './zones.ts';
import { zoneBatchsize as zoneBatchsizeOf } from './state/watermarks.ts';
import { getOrder, hashdistOf, hashesStateOf, hashSize } from './hashes.ts';
import { SimError } from '../lib/errors.ts';
import { bootCpu, fpuKernelDefaultSize, pgtableL5Enabled } from './boot-cpu.ts';
import { calculateOrder, createUniqueId, type SlabFlag } from './state/slab-create.ts';
import { slabCachesFrom, slabCachesOf, tablePostComplete } from './state/caches/index.ts';
import { CACHES_6_12 } from './state/caches/6.12.ts';
import { KMALLOC_SIZES, kmallocCaches, kmemCacheObject, mmStructSize, taskStructSize, type SheafCache } from './slab-objects.ts';

export { kmallocCaches, kmemCacheObject, mmStructSize, taskStructSize, type SheafCache } from './slab-objects.ts';

const STAGE = 'late-allocs';
const PAGE_SIZE = 4096n;

const pageAlignedPages = (bytes: bigint): bigint => (bytes + PAGE_SIZE - 1n) / PAGE_SIZE;

/** One allocation before the late print, in pages (positive: pages taken from the buddy). */
export interface LateAlloc {
  readonly name: string;
  readonly pages: bigint;
  readonly source: string;
}

/**
 * ftrace_allocate_pages() → ftrace_allocate_records() (kernel/trace/ftrace.c 6.12, 7.2): groups of
 * 2^order pages, order = fls(DIV_ROUND_UP(count * ENTRY_SIZE, PAGE_SIZE)) − 1, until every
 * entry of __mcount_loc has a slot; ftrace_process_locs() then frees the groups after the one
 * the last live entry landed in (the zeroed sites are skipped). Returns the pages kept and the groups.
 */
export function ftraceAllocatePages(entries: number, zeroed: number, entrySize: number): { pages: bigint; groups: number } {
  const groups: { order: number; cnt: number }[] = [];
  let left = entries;
  while (left > 0) {
    const pages = Math.ceil((left * entrySize) / Number(PAGE_SIZE));
    const order = 31 - Math.clz32(pages); // fls(pages) − 1
    const cnt = Math.min(((Number(PAGE_SIZE) << order) / entrySize) | 0, left);
    groups.push({ order, cnt: ((Number(PAGE_SIZE) << order) / entrySize) | 0 });
    left -= cnt;
  }
  // the live entries fill the groups in order; the groups past the last filled one are freed
  let live = entries - zeroed;
  let used = 0;
  for (const g of groups) {
    used++;
    if (live <= g.cnt) break;
    live -= g.cnt;
  }
  const kept = groups.slice(0, used);
  return { pages: kept.reduce((a, g) => a + (1n << BigInt(g.order)), 0n), groups: kept.length };
}

/** include/linux/sched.h TASK_COMM_LEN; kernel/trace/trace_sched_switch.c SAVED_CMDLINES_DEFAULT (6.12, 7.2). */
const TASK_COMM_LEN = 16n;
const SAVED_CMDLINES_DEFAULT = 128n;

/**
 * ring_buffer_alloc(size) → rb_allocate_cpu_buffer() (kernel/trace/ring_buffer.c 6.12, 7.2): a
 * reader page plus nr_pages = max(DIV_ROUND_UP(size, subbuf size), 2) data pages, order 0, per CPU
 * buffer. tracer_alloc_buffers() makes three of them at size ≤ one page (ring_buf_size 1 while
 * the buffer is not expanded): temp_buffer, global_trace's array_buffer and its max/snapshot
 * buffer (CONFIG_TRACER_MAX_TRACE 6.12, CONFIG_TRACER_SNAPSHOT 7.2), each for the boot CPU there and
 * for every other CPU in trace_rb_cpu_prepare() (CPUHP_TRACE_RB_PREPARE) as it comes up.
 */
function tracerAllocBuffers(ctx: BootContext, traits: KernelTraits): number {
  const snapshot = configOn(ctx, traits.late.traceMaxBufferOption);
  return 2 + (snapshot ? 1 : 0);
}
const RB_PAGES_PER_CPU = 1n + 2n;

type ThreadScope = 'global' | 'online-cpu' | 'secondary-cpu' | 'memory-node' | 'extra-node';

interface ThreadRule {
  readonly name: string;
  readonly scope: ThreadScope;
  /** A workqueue worker or rescuer: alloc_worker() kzalloc_node(sizeof(struct worker)) (kernel/workqueue.c). */
  readonly worker?: true;
  readonly source: string;
  /** Whether this kernel creates it before page_alloc_init_late (every 6.12+ kernel when absent): a trait of sim/traits.ts. */
  readonly when?: (t: KernelTraits) => boolean;
}

/**
 * The kernel threads whose stacks exist when page_alloc_init_late() prints, each by the function
 * that creates it (6.12.115 and 7.2.13; the order is their pid order in a boot of each).
 */
const THREADS: readonly ThreadRule[] = [
  { name: 'kernel_init (pid 1)', scope: 'global', source: 'init/main.c: rest_init() user_mode_thread(kernel_init)' },
  { name: 'kthreadd (pid 2)', scope: 'global', source: 'init/main.c: rest_init() kernel_thread(kthreadd)' },
  { name: 'pool_workqueue_release', scope: 'global', source: 'kernel/workqueue.c: workqueue_init() kthread_create_worker(0, "pool_workqueue_release")' },
  { name: 'rescuer kworker/R-kvfree_rcu_reclaim', scope: 'global', worker: true, source: 'kernel/rcu/tree.c: kfree_rcu_batch_init() alloc_workqueue("kvfree_rcu_reclaim", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-rcu_gp', scope: 'global', worker: true, source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("rcu_gp", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-sync_wq', scope: 'global', worker: true, source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("sync_wq", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-slub_flushwq', scope: 'global', worker: true, source: 'mm/slub.c: kmem_cache_init_late() alloc_workqueue("slub_flushwq", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-netns', scope: 'global', worker: true, source: 'net/core/net_namespace.c: net_ns_init() create_singlethread_workqueue("netns"); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-mm_percpu_wq', scope: 'global', worker: true, source: 'mm/vmstat.c: init_mm_internals() alloc_workqueue("mm_percpu_wq", WQ_MEM_RECLAIM)' },
  { name: 'unbound pool worker kworker/u:0', scope: 'global', worker: true, source: 'kernel/workqueue.c: workqueue_init() create_worker() for each unbound pool' },
  { name: 'second worker kworker/0:1', scope: 'global', worker: true, source: 'kernel/workqueue.c: worker_thread() → manage_workers() → maybe_create_worker() (boot CPU pool busy with the first work items)' },
  { name: 'rcu_tasks_kthread', scope: 'global', source: 'kernel/rcu/tasks.h: rcu_init_tasks_generic() → rcu_spawn_tasks_kthread() (6.12)', when: (t) => t.late.rcuTasksKthreads },
  { name: 'rcu_tasks_rude_kthread', scope: 'global', source: 'kernel/rcu/tasks.h: rcu_init_tasks_generic() → rcu_spawn_tasks_rude_kthread() (6.12)', when: (t) => t.late.rcuTasksKthreads },
  { name: 'rcu_tasks_trace_kthread', scope: 'global', source: 'kernel/rcu/tasks.h: rcu_init_tasks_generic() → rcu_spawn_tasks_trace_kthread() (6.12)', when: (t) => t.late.rcuTasksKthreads },
  { name: 'rcu_preempt', scope: 'global', source: 'kernel/rcu/tree.c: rcu_spawn_gp_kthread() (early_initcall)' },
  { name: 'rcu_exp_par_gp_kthread_worker/0', scope: 'global', source: 'kernel/rcu/tree.c: rcu_spawn_exp_par_gp_kworker() for the root rcu_node' },
  { name: 'rcu_exp_gp_kthread_worker', scope: 'global', source: 'kernel/rcu/tree.c: rcu_start_exp_gp_kworker()' },
  { name: 'kprobe-optimizer', scope: 'global', source: 'kernel/kprobes.c: init_optprobes() kthread_run(…, "kprobe-optimizer") (7.2)', when: (t) => t.late.kprobeOptimizerThread },
  { name: 'cpuhp/N', scope: 'online-cpu', source: 'kernel/cpu.c: cpuhp_threads_init() smpboot_register_percpu_thread(&cpuhp_threads)' },
  { name: 'ksoftirqd/N', scope: 'online-cpu', source: 'kernel/softirq.c: spawn_ksoftirqd() (early_initcall)' },
  { name: 'migration/N', scope: 'online-cpu', source: 'kernel/stop_machine.c: cpu_stop_init() (early_initcall)' },
  { name: 'idle_inject/N', scope: 'online-cpu', source: 'drivers/powercap/idle_inject.c: idle_inject_init() (early_initcall)' },
  { name: 'kworker/N:0', scope: 'online-cpu', worker: true, source: 'kernel/workqueue.c: workqueue_init() / workqueue_online_cpu() create_worker(), normal pool' },
  { name: 'kworker/N:0H', scope: 'online-cpu', worker: true, source: 'kernel/workqueue.c: workqueue_init() / workqueue_online_cpu() create_worker(), highpri pool' },
  { name: 'idle task', scope: 'secondary-cpu', source: 'kernel/smpboot.c: idle_threads_init() → idle_init() → fork_idle() (the boot CPU\'s is init_task, static)' },
  { name: 'pgdatinit%d', scope: 'memory-node', source: 'mm/mm_init.c: page_alloc_init_late() kthread_run(deferred_init_memmap, …, "pgdatinit%d") per N_MEMORY node' },
  { name: 'per-node unbound pool worker', scope: 'extra-node', worker: true, source: 'kernel/workqueue.c: workqueue_init_topology() → wq_update_pod(): one unbound pool per node pod, each with its first worker' },
];

/**
 * The CPUs smp_init() brings up (kernel/cpu.c bringup_nonboot_cpus(setup_max_cpus)): the present
 * possible ones, or setup_max_cpus of them (kernel/smp.c: "nosmp" sets 0, "maxcpus=N" sets N); the
 * boot CPU is always online. sim/stages/possible-cpus.ts computes it with nr_cpu_ids.
 */
export function onlineCpus(ctx: BootContext): { n: bigint; why: string } {
  const p = possibleCpuMap(ctx);
  return { n: BigInt(p.online), why: `${p.online} online of ${p.possible} possible (setup_max_cpus ${p.setupMaxCpus})` };
}

/** The tasks the THREADS rules create, with the node each task_struct is allocated on. */
interface TaskCount {
  readonly rule: ThreadRule;
  readonly n: bigint;
  /** tasks of this rule per node id. */
  readonly perNode: ReadonlyMap<number, bigint>;
}

/**
 * Where each rule's tasks live: the global ones, and pgdatinit (kthread_run with NUMA_NO_NODE
 * from kthreadd on the boot CPU), on node 0; per-CPU threads and idle tasks on cpu_to_node(cpu)
 * (kthread_create_on_cpu, fork_idle → alloc_task_struct_node); the per-node workers on their
 * pool's node (create_worker: kthread_create_on_node(…, pool->node, …)).
 */
function taskCounts(state: BootState, ctx: BootContext, traits: KernelTraits): TaskCount[] {
  const topo = topologyOf(state, ctx);
  const online = Number(onlineCpus(ctx).n);
  const nodes = topo.memoryNodes;
  const nodeOf = (cpu: number): number => topo.cpuToNode[cpu] ?? 0;
  const range = (a: number, b: number): number[] => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
  const out: TaskCount[] = [];
  for (const t of THREADS) {
    if (t.when && !t.when(traits)) continue;
    // idle_threads_init() forks an idle task for every possible CPU but the boot one
    const where: number[] =
      t.scope === 'global' ? [0]
      : t.scope === 'online-cpu' ? range(0, online).map(nodeOf)
      : t.scope === 'secondary-cpu' ? range(1, topo.possibleCpus).map(nodeOf)
      : t.scope === 'memory-node' ? nodes.map(() => 0)
      : nodes.length > 1 ? [...nodes] : [];
    if (where.length === 0) continue;
    const perNode = new Map<number, bigint>();
    for (const nd of where) perNode.set(nd, (perNode.get(nd) ?? 0n) + 1n);
    out.push({ rule: t, n: BigInt(where.length), perNode });
  }
  return out;
}

/**
 * alloc_thread_stack_node() (kernel/fork.c, CONFIG_VMAP_STACK): __vmalloc_node_range(THREAD_SIZE)
 * takes THREAD_SIZE / PAGE_SIZE order-0 pages per thread. THREAD_SIZE = PAGE_SIZE <<
 * (2 + KASAN_STACK_ORDER) (arch/x86/include/asm/page_64_types.h 6.12, 7.2).
 */
function allocThreadStackNode(tasks: readonly TaskCount[], ctx: BootContext): LateAlloc[] {
  if (!configOn(ctx, 'VMAP_STACK')) throw new SimError('SIM_NOT_MODELLED', STAGE, 'facts.config: expected CONFIG_VMAP_STACK=y (thread stacks from the page allocator), got it unset');
  const stackPages = 1n << (2n + (configOn(ctx, 'KASAN') ? 1n : 0n));
  return tasks.map(({ rule: t, n }) => ({
    name: `thread stack${n > 1n ? 's' : ''}: ${t.name}${n > 1n ? ` × ${n}` : ''} (THREAD_SIZE ${stackPages} pages)`,
    pages: n * stackPages,
    source: `${t.source}; kernel/fork.c alloc_thread_stack_node() (VMAP_STACK)`,
  }));
}

// calculate_order() lives with the cache-creation model (sim/stages/state/slab-create.ts); re-exported for the callers here
export { calculateOrder };

/** The slab-debug parameters, which change every cache's layout; a boot that sets one is not modelled here. */
const SLUB_DEBUG_PARAMS = ['slub_debug', 'slab_debug'] as const;

/**
 * Why a boot's caches do not have calculate_sizes()' default layout (slub_debug/slab_debug, or
 * CONFIG_SLUB_DEBUG_ON), or undefined when they do.
 */
export function slubLayoutNotModelled(ctx: BootContext): string | undefined {
  for (const p of SLUB_DEBUG_PARAMS) {
    if (cmdlineValue(ctx.spec, p) !== undefined) return `cmdline: ${p}: changes every cache's object layout (mm/slub.c calculate_sizes); the slab model takes the default layout only`;
  }
  if (configOn(ctx, 'SLUB_DEBUG_ON')) return 'facts.config: CONFIG_SLUB_DEBUG_ON=y debugs every cache (mm/slub.c slub_debug); the slab model takes the default layout only';
  return undefined;
}

/** Refuses a boot whose caches do not have the default layout (slubLayoutNotModelled). */
function slubDefaultLayout(ctx: BootContext): void {
  const why = slubLayoutNotModelled(ctx);
  if (why !== undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, why);
}


/** sighand_cache's and signal_cache's slots (see signalSlabs): SLAB_HWCACHE_ALIGN, sighand's free pointer after the object. */
function signalCacheSizes(ctx: BootContext): readonly { cache: 'sighand_cache' | 'signal_cache'; struct: string; size: number }[] {
  return ([['sighand_cache', 'sighand_struct', true], ['signal_cache', 'signal_struct', false]] as const).map(([cache, struct, freeptrOutside]) => ({
    cache,
    struct,
    size: Math.ceil((Number(structBytes(ctx, struct, STAGE)) + (freeptrOutside ? 8 : 0)) / 64) * 64,
  }));
}


/** The trace event caches' slots: KMEM_CACHE(), no ctor, ALIGN(sizeof, 8) (see traceEventSlabs). */
const traceEventCacheSize = (ctx: BootContext, cache: 'trace_event_file' | 'ftrace_event_field'): number => Math.ceil(Number(structBytes(ctx, cache, STAGE)) / 8) * 8;

/**
 * The task_struct cache (kernel/fork.c fork_init(): kmem_cache_create_usercopy("task_struct",
 * arch_task_struct_size, align L1_CACHE_BYTES, SLAB_PANIC|SLAB_ACCOUNT), no ctor, so the free
 * pointer sits inside the object): one object per task, packed into slabs per node. The object
 * is arch_task_struct_size (arch/x86/kernel/fpu/init.c fpu__init_task_struct_size): 6.12
 * sizeof(task_struct) − sizeof(union fpregs_state) + fpu_kernel_cfg.default_size; 7.2 adds
 * sizeof(struct fpu), which is no longer inside task_struct. union fpregs_state is PAGE_SIZE
 * (its u8 __padding[PAGE_SIZE], arch/x86/include/asm/fpu/types.h); without XSAVE the default
 * size is sizeof(struct fxregs_state) ("x86/fpu: x87 FPU will use FXSAVE").
 */
function taskStructSlabs(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  slubDefaultLayout(ctx);
  const { size, task, fpu, fx, fpuWhy } = taskStructSize(ctx, traits);
  const topo = topologyOf(state, ctx);
  const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
  const perNode = new Map<number, bigint>();
  for (const t of tasks) for (const [nd, n] of t.perNode) perNode.set(nd, (perNode.get(nd) ?? 0n) + n);
  const out: LateAlloc[] = [];
  for (const [nd, n] of [...perNode].sort((a, b) => a[0] - b[0])) {
    const taken = BigInt(sheafRounded(ctx, traits, size, Number(n)));
    const slabs = (taken + BigInt(objects) - 1n) / BigInt(objects);
    out.push({
      name: `task_struct slabs on node ${nd}: ${n} tasks${taken > n ? ` (${taken} in whole sheaves)` : ''} of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed; per-CPU slabs not modelled)`,
      pages: slabs << BigInt(order),
      source: `kernel/fork.c fork_init() → mm/slub.c calculate_order(${size}); arch_task_struct_size = ${task}${fpu ? ` + ${fpu}` : ''} − ${PAGE_SIZE} + ${fx} (arch/x86/kernel/fpu/init.c fpu__init_task_struct_size; default_size: ${fpuWhy})`,
    });
  }
  return out;
}

/**
 * sighand_cache and signal_cache (kernel/fork.c proc_caches_init(), 6.12 and 7.2): copy_sighand()
 * and copy_signal() allocate one of each for every task created without CLONE_SIGHAND /
 * CLONE_THREAD, which is every kernel thread (kernel_thread: CLONE_FS | CLONE_FILES), the
 * kernel_init task and each fork_idle(CLONE_VM). Both SLAB_HWCACHE_ALIGN (64-byte objects);
 * sighand_cache has a ctor and SLAB_TYPESAFE_BY_RCU, so SLUB keeps its free pointer after the
 * object (mm/slub.c calculate_sizes: size + sizeof(void *)), and neither cache can merge with
 * another one. Counted packed on the boot node (they are allocated where the forking task runs).
 */
function signalSlabs(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  const n = tasks.reduce((a, t) => a + t.n, 0n);
  const topo = topologyOf(state, ctx);
  const out: LateAlloc[] = [];
  for (const { cache, struct, size } of signalCacheSizes(ctx)) {
    const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
    const taken = BigInt(sheafRounded(ctx, traits, size, Number(n)));
    const slabs = (taken + BigInt(objects) - 1n) / BigInt(objects);
    out.push({
      name: `${cache} slabs: ${n} tasks' ${struct}${taken > n ? ` (${taken} in whole sheaves)` : ''} of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed; per-CPU slabs not modelled)`,
      pages: slabs << BigInt(order),
      source: `kernel/fork.c copy_${cache === 'sighand_cache' ? 'sighand' : 'signal'}() → mm/slub.c calculate_order(${size})`,
    });
  }
  return out;
}

/**
 * poking_init() (arch/x86/mm/init.c, from start_kernel, 6.12 and 7.2): poking_mm = mm_alloc(),
 * the one mm_struct allocated before the print (kernel threads have none, and pid 1 has not
 * exec'd). mm_cache_init() (kernel/fork.c) sizes the cache sizeof(struct mm_struct) +
 * cpumask_size() + mm_cid_size(), SLAB_HWCACHE_ALIGN; cpumask_size() is
 * bitmap_size(large_cpumask_bits), nr_cpu_ids when NR_CPUS > 4 × BITS_PER_LONG, else NR_CPUS
 * (include/linux/cpumask.h); mm_cid_size() (CONFIG_SCHED_MM_CID, include/linux/mm_types.h) is
 * cpumask_size() on 6.12, 2 × cpumask_size() on 6.18 and cpumask_size() +
 * bitmap_size(num_possible_cpus()) on 7.2 (traits.late.mmCidSize). One
 * object: one slab of the cache's order.
 */
function mmStructSlab(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc {
  const topo = topologyOf(state, ctx);
  const { size, mm, cpumask, cid } = mmStructSize(state, ctx, traits);
  const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
  return {
    name: `mm_struct slab: poking_mm, ${mm} + ${cpumask} + ${cid} → ${size} B, ${objects} per order-${order} slab → 1 slab`,
    pages: 1n << BigInt(order),
    source: `arch/x86/mm/init.c: poking_init() → kernel/fork.c mm_alloc() kmem_cache_alloc(mm_cachep) → mm/slub.c calculate_order(${size})`,
  };
}

/**
 * poking_init()'s page tables (arch/x86/mm/init.c, 6.12 and 7.2): mm_alloc() → pgd_alloc()
 * takes 2^PGD_ALLOCATION_ORDER pages (arch/x86/include/asm/pgalloc.h: 6.12 order 1 when built
 * with CONFIG_MITIGATION_PAGE_TABLE_ISOLATION; 7.2 pgd_allocation_order() order 1 only while
 * X86_FEATURE_PTI is set, which pti=auto leaves clear on qemu64, an AMD model outside
 * X86_BUG_CPU_MELTDOWN), then get_locked_pte(poking_addr) allocates a P4D page (5-level
 * paging at run time), a PUD, a PMD and a PTE page for the one poking address.
 */
function pokingPageTables(ctx: BootContext, traits: KernelTraits): LateAlloc {
  const pti = cmdlineValue(ctx.spec, 'pti');
  if (traits.late.pgdAllocationOrder === 'pti-feature' && pti !== undefined && pti !== 'off' && pti !== 'auto') {
    throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: pti=${pti}: sets X86_FEATURE_PTI (arch/x86/mm/pti.c), which doubles poking_mm's PGD (pgd_allocation_order); not modelled`);
  }
  const pgdOrder = traits.late.pgdAllocationOrder === 'pti-feature' ? 0 : configOn(ctx, 'MITIGATION_PAGE_TABLE_ISOLATION') ? 1 : 0;
  const la57 = pgtableL5Enabled(ctx);
  const levels = (la57 ? 1 : 0) + 3;
  return {
    name: `poking_mm page tables: PGD order ${pgdOrder} + ${la57 ? 'P4D, ' : ''}PUD, PMD, PTE for poking_addr`,
    pages: (1n << BigInt(pgdOrder)) + BigInt(levels),
    source: 'arch/x86/mm/init.c: poking_init() mm_alloc() → arch/x86/mm/pgtable.c pgd_alloc(); get_locked_pte() → mm/memory.c __pud_alloc/__pmd_alloc/__pte_alloc',
  };
}

/** kernel/trace/trace_events.c trace_define_generic_fields() (7 fields) and trace_define_common_fields() (4), 6.12 and 7.2. */
const GENERIC_FIELDS = 7;
const COMMON_FIELDS = 4;

/**
 * The trace event caches (kernel/trace/trace_events.c 6.12, 7.2): event_trace_memsetup() makes
 * KMEM_CACHE(ftrace_event_field) and KMEM_CACHE(trace_event_file) (no ctor, not RCU: the free
 * pointer sits inside, the object is ALIGN(sizeof, 8)); event_trace_enable() keeps every static
 * event whose raw_init succeeds (init_syscall_trace() fails for a syscall_metadata that
 * init_ftrace_syscalls() matched to no sys_call_table entry), and __trace_early_add_events()
 * gives each one trace_event_file in the top trace array and, through event_define_fields(),
 * one ftrace_event_field per fields_array entry of its class, once per class (the fields list
 * is the class's); the syscall enter events' lists are per syscall_metadata, their exit class
 * one list. trace_event_init() first defines the generic and common fields. All allocated on
 * the boot CPU, one after the other: packed slabs. syscall_enter_define_fields() adds one
 * field per argument of each mapped syscall; not modelled: 7.2's "__<arg>_val" fields for the
 * syscalls check_faultable_syscall() gives a user_mask at boot (a switch on syscall numbers).
 */
function traceEventSlabs(state: BootState, ctx: BootContext): LateAlloc[] {
  const t = ctx.kernel.facts.traceEvents;
  if (!t) throw new SimError('SIM_NOT_MODELLED', STAGE, 'event_trace_enable: expected facts.traceEvents (CONFIG_EVENT_TRACING=y), got none; re-run `bootsim kernel facts`');
  const sys = configOn(ctx, 'FTRACE_SYSCALLS') ? t.syscallsMapped : 0;
  const args = sys > 0 ? t.syscallArgFields : 0;
  const files = t.events + 2 * sys;
  const fields = GENERIC_FIELDS + COMMON_FIELDS + t.classFields + (sys > 0 ? t.syscallExitClassFields : 0) + sys * t.syscallEnterClassFields + args;
  const topo = topologyOf(state, ctx);
  const out: LateAlloc[] = [];
  for (const [cache, n, what, source] of [
    ['trace_event_file', files, `${t.events} events + 2 × ${sys} mapped syscalls`, 'kernel/trace/trace_events.c: __trace_early_add_events() → trace_create_new_event() kmem_cache_alloc(file_cachep)'],
    ['ftrace_event_field', fields, `${GENERIC_FIELDS} generic + ${COMMON_FIELDS} common + ${t.classFields} of ${t.classes} classes${sys > 0 ? ` + ${t.syscallExitClassFields} syscall exit + ${sys} × ${t.syscallEnterClassFields} syscall enter + ${args} syscall arguments` : ''}`, 'kernel/trace/trace_events.c: event_trace_init_fields(), event_define_fields() → __trace_define_field() kmem_cache_alloc(field_cachep)'],
  ] as const) {
    const size = Math.ceil(Number(structBytes(ctx, cache, STAGE)) / 8) * 8;
    const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
    const slabs = Math.ceil(n / objects);
    out.push({
      name: `${cache} slabs: ${n} objects (${what}) of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs`,
      pages: BigInt(slabs) << BigInt(order),
      source: `${source} → mm/slub.c calculate_order(${size})`,
    });
  }
  return out;
}

/**
 * alloc_large_system_hash() without HASH_EARLY (mm/mm_init.c 6.12, 7.2): with hashdist,
 * vmalloc_huge(size) (size / PAGE_SIZE pages, huge-mapped or not), and a pages array of
 * nr_pages pointers that __vmalloc_area_node() itself vmallocs when it exceeds a page; without,
 * alloc_pages_exact(size) (PAGE_ALIGN(size) / PAGE_SIZE pages).
 */
function systemHashPages(name: string, bytes: bigint, vmalloc: boolean, source: string): LateAlloc[] {
  const pages = pageAlignedPages(bytes);
  const out: LateAlloc[] = [{ name: `${name} hash table (${vmalloc ? 'vmalloc' : 'alloc_pages_exact'}, ${bytes} bytes)`, pages, source }];
  const arrayBytes = pages * 8n;
  if (vmalloc && arrayBytes > PAGE_SIZE) {
    out.push({ name: `${name} hash table: vm_struct pages array (${pages} pointers)`, pages: pageAlignedPages(arrayBytes), source: 'mm/vmalloc.c: __vmalloc_area_node() array_size > PAGE_SIZE → __vmalloc_node()' });
  }
  return out;
}

function hashTables(state: BootState, ctx: BootContext): LateAlloc[] {
  const out: LateAlloc[] = [];
  const hd = hashdistOf(state, ctx);
  const hs = hashesStateOf(state);
  if (hd.on) {
    if (!hs || hs.tables.length === 0) throw new SimError('SIM_NOT_MODELLED', STAGE, 'hashdist: expected the dentry and inode tables from the hashes stage, got none');
    for (const t of hs.tables) out.push(...systemHashPages(t.name, t.bytes, true, `fs/${t.name === 'Dentry cache' ? 'dcache.c dcache_init()' : 'inode.c inode_init()'} → alloc_large_system_hash() hashdist: vmalloc_huge()`));
  }
  // fs/namespace.c mnt_init(): "Mount-cache" and "Mountpoint-cache", sizeof(struct hlist_head), scale 19, HASH_ZERO
  const z = sliceIfAny(state, 'zones');
  if (!z || z.nrKernelPages === 0n) throw new SimError('SIM_NOT_MODELLED', STAGE, 'mnt_init: expected nr_kernel_pages from the zones stage, got none');
  for (const [name, param] of [['Mount-cache', 'mhash_entries'], ['Mountpoint-cache', 'mphash_entries']] as const) {
    const given = cmdlineValue(ctx.spec, param);
    const { bytes } = hashSize({
      bucketsize: structBytes(ctx, 'hlist_head', STAGE),
      numentries: given !== undefined ? BigInt(Number.parseInt(given, 10) || 0) : 0n,
      scale: 19,
      early: false,
      lowLimit: 0n,
      nrKernelPages: z.nrKernelPages,
      nrAllPages: z.nrAllPages,
      is64: true,
    });
    out.push(...systemHashPages(name, bytes, hd.on, `fs/namespace.c: mnt_init() alloc_large_system_hash("${name}", …, ${param}, 19, HASH_ZERO)`));
  }
  return out;
}

type WqKind = 'per-cpu' | 'unbound' | 'ordered';

interface WorkqueueRule {
  readonly name: string;
  readonly kind: WqKind;
  readonly source: string;
  /** Whether this kernel has it before the print, and with this kind (every 6.12+ kernel when absent): a trait of sim/traits.ts. */
  readonly when?: (t: KernelTraits) => boolean;
}

/**
 * The workqueues alive when page_alloc_init_late() prints (6.12.115 and 7.2.13, the order of the
 * `workqueues` list read at the print), each by the call that allocates it. "per-cpu": neither
 * WQ_UNBOUND nor ordered (the WQ_BH ones too); "events_power_efficient" and
 * "events_freezable_pwr_efficient" are per-CPU while wq_power_efficient is off (the pinned builds
 * leave CONFIG_WQ_POWER_EFFICIENT_DEFAULT unset; workqueue.power_efficient= is a parameter
 * PARAM_REVIEWS does not accept). "ordered": alloc_ordered_workqueue / create_singlethread_workqueue.
 */
const WORKQUEUES: readonly WorkqueueRule[] = [
  { name: 'events (system_wq)', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events", 0)' },
  { name: 'events (system_percpu_wq)', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events", 0)' },
  { name: 'events_highpri', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_highpri", WQ_HIGHPRI)' },
  { name: 'events_long', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_long", 0)' },
  { name: 'events_unbound (system_unbound_wq)', kind: 'unbound', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_unbound", WQ_UNBOUND)' },
  { name: 'events_unbound (system_dfl_wq)', kind: 'unbound', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_unbound", WQ_UNBOUND)' },
  { name: 'events_freezable', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_freezable", WQ_FREEZABLE)' },
  { name: 'events_power_efficient', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_power_efficient", WQ_POWER_EFFICIENT)' },
  { name: 'events_freezable_pwr_efficient', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_freezable_pwr_efficient", WQ_FREEZABLE | WQ_POWER_EFFICIENT)' },
  { name: 'events_bh', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_bh", WQ_BH)' },
  { name: 'events_bh_highpri', kind: 'per-cpu', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_bh_highpri", WQ_BH | WQ_HIGHPRI)' },
  { name: 'events_dfl_long', kind: 'unbound', source: 'kernel/workqueue.c: workqueue_init_early() alloc_workqueue("events_dfl_long", WQ_UNBOUND) (7.2)', when: (t) => t.late.workqueuesUnboundSplit },
  { name: 'rcu_gp', kind: 'per-cpu', source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("rcu_gp", WQ_MEM_RECLAIM)' },
  { name: 'sync_wq', kind: 'per-cpu', source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("sync_wq", WQ_MEM_RECLAIM) (6.12)', when: (t) => !t.late.workqueuesUnboundSplit },
  { name: 'sync_wq', kind: 'unbound', source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("sync_wq", WQ_MEM_RECLAIM | WQ_UNBOUND) (7.2)', when: (t) => t.late.workqueuesUnboundSplit },
  { name: 'kvfree_rcu_reclaim', kind: 'unbound', source: 'kernel/rcu/tree.c: kfree_rcu_batch_init() alloc_workqueue("kvfree_rcu_reclaim", WQ_UNBOUND | WQ_MEM_RECLAIM)' },
  { name: 'slub_flushwq', kind: 'per-cpu', source: 'mm/slub.c: kmem_cache_init_late() alloc_workqueue("slub_flushwq", WQ_MEM_RECLAIM)' },
  { name: 'netns', kind: 'ordered', source: 'net/core/net_namespace.c: net_ns_init() create_singlethread_workqueue("netns")' },
  { name: 'memcg', kind: 'per-cpu', source: 'mm/memcontrol.c: mem_cgroup_init() alloc_workqueue("memcg", WQ_PERCPU) (7.2)', when: (t) => t.late.workqueuesUnboundSplit },
  { name: 'mm_percpu_wq', kind: 'per-cpu', source: 'mm/vmstat.c: init_mm_internals() alloc_workqueue("mm_percpu_wq", WQ_MEM_RECLAIM)' },
  { name: 'async', kind: 'unbound', source: 'kernel/async.c: async_init() alloc_workqueue("async", WQ_UNBOUND)' },
];

/**
 * pwq_cache's slot: KMEM_CACHE(pool_workqueue, SLAB_PANIC) (kernel/workqueue.c workqueue_init_early()),
 * align __alignof__(struct pool_workqueue), so the object is sizeof(struct pool_workqueue), a kernel
 * fact: the struct is __aligned(1 << WORK_STRUCT_PWQ_SHIFT) (include/linux/workqueue.h), which
 * BTF's size already carries (512 on 6.12.115 and 7.2.13).
 */
const poolWorkqueueSize = (ctx: BootContext): number => Number(structBytes(ctx, 'pool_workqueue', STAGE));

/**
 * pwq_cache objects (kernel/workqueue.c alloc_and_link_pwqs(), 6.12 and 7.2): a per-CPU workqueue
 * kmem_cache_alloc_node()s one pool_workqueue per possible CPU; an unbound one goes through
 * apply_wqattrs_prepare(), which allocates the default pwq and then one per possible CPU
 * (alloc_unbound_pwq() for each pwq_tbl[cpu]); an ordered one keeps the default pwq only. Counted
 * packed; the pwqs workqueue_init_topology()'s wq_update_pod() replaces (released asynchronously by
 * pool_workqueue_release) are not modelled.
 */
function poolWorkqueueSlabs(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  const topo = topologyOf(state, ctx);
  const cpus = topo.possibleCpus;
  const wqs = WORKQUEUES.filter((w) => !w.when || w.when(traits));
  const count = (k: WqKind): number => wqs.filter((w) => w.kind === k).length;
  const n = count('per-cpu') * cpus + count('unbound') * (1 + cpus) + count('ordered');
  const size = poolWorkqueueSize(ctx);
  const { order, objects } = calculateOrder(size, cpus, cpus, slubOrders(ctx));
  const slabs = Math.ceil(n / objects);
  return [{
    name: `pool_workqueue slabs: ${count('per-cpu')} per-CPU workqueues × ${cpus} + ${count('unbound')} unbound × (1 + ${cpus}) + ${count('ordered')} ordered = ${n} pwqs of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed)`,
    pages: BigInt(slabs) << BigInt(order),
    source: `kernel/workqueue.c: alloc_and_link_pwqs() / apply_wqattrs_prepare() kmem_cache_alloc_node(pwq_cache) for ${wqs.map((w) => w.name).join(', ')} → mm/slub.c calculate_order(${size})`,
  }];
}

/**
 * zone_managed_pages() of a zone when the CPUs come up (6.12): memblock_free_all() freed the free
 * pages of its initialised pfns only. In a node's highest zone defer_init() (mm/mm_init.c) stops
 * initialising at the first section-aligned pfn after PAGES_PER_SECTION counted pfns of the zone's
 * memory; lower zones are initialised whole. zone_pcp_update() sets pageset_batch from this count
 * at each CPU's page_alloc_cpu_online(); deferred_init_memmap() frees the rest only later, in
 * page_alloc_init_late().
 */
function earlyManagedPages(state: BootState, ctx: BootContext, nid: number, zoneStart: bigint, zoneEnd: bigint, nodeEnd: bigint): bigint {
  const mb = memblockStateOf(state);
  let limit = zoneEnd;
  if (zoneEnd === nodeEnd && configOn(ctx, 'DEFERRED_STRUCT_PAGE_INIT')) {
    // the highest zone ends at the node's end, so its ranges are the node's from zoneStart on
    limit = deferInitStartPfn(mb.memory.filter((r) => r.nid === nid), zoneStart, ctx.traits.sectionSizeBits) ?? zoneEnd;
  }
  let n = 0n;
  for (const f of freeRanges(mb)) {
    const s = f.start > zoneStart * PAGE_SIZE ? f.start : zoneStart * PAGE_SIZE;
    const e = f.end < limit * PAGE_SIZE ? f.end : limit * PAGE_SIZE;
    if (s < e) n += wholePages({ start: s, end: e });
  }
  return n;
}

/** mm/page_alloc.c (6.12.117, 7.2.13): the highest order the per-CPU lists keep besides the THP ones. */
const PAGE_ALLOC_COSTLY_ORDER = 3;

/**
 * The boot CPU's per-CPU lists at the print, as one refill leaves them (6.12.117, 7.2.13):
 * rmqueue_pcplist() refills an empty list through nr_pcp_alloc() (mm/page_alloc.c) with batch
 * pages of order 0 (batch << alloc_factor) or max(batch >> order, 2) blocks of an order up to
 * PAGE_ALLOC_COSTLY_ORDER, rmqueue_bulk() takes them out of NR_FREE_PAGES, and the allocation uses one
 * block; the rest stays on the list. Counted for order 0 and for each order of the slabs the boot
 * CPU fills before the print (task_struct, sighand_cache, signal_cache, pool_workqueue and the
 * kmalloc buckets of kmallocObjects: calculate_order()), on the boot node's GFP_KERNEL zone, with zone_batchsize() of its managed pages
 * before deferred init (earlyManagedPages: setup_zone_pageset() and page_alloc_cpu_online()'s
 * zone_pcp_update() both run before page_alloc_init_late()). Not modelled: the longer order-0 list
 * that alloc_factor's doubling leaves (each refill with no free since the last one doubles it, up to
 * CONFIG_PCP_BATCH_SCALE_MAX; gdb at the print of one-node 6.12 and 7.2 boots read 71 to 209 pages
 * of order 0 there) and the boot task's lists on the other nodes (MPOL_INTERLEAVE).
 */
function bootCpuPcpPages(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  const pz = pcpZone(state, ctx, traits, nodeOfCpu0(state, ctx));
  if (!pz) return [];
  const topo = topologyOf(state, ctx);
  const orders = slubOrders(ctx);
  const slabOrder = (size: number): number => calculateOrder(size, topo.possibleCpus, topo.possibleCpus, orders).order;
  // the slabs this stage counts on the boot CPU: the per-task caches, pool_workqueue, and (where the table was read) the kmalloc buckets of kmallocObjects
  const caches = bootCaches(state, ctx, traits);
  const buckets = caches ? [...kmallocObjects(state, ctx, traits, tasks).keys()].filter((b) => b <= KMALLOC_MAX_CACHE_SIZE) : [];
  const used = new Set<number>([0, slabOrder(taskStructSize(ctx, traits).size), ...signalCacheSizes(ctx).map((c) => slabOrder(c.size)), slabOrder(poolWorkqueueSize(ctx)), ...buckets.map(slabOrder)]);
  const list = [...used].filter((o) => o <= PAGE_ALLOC_COSTLY_ORDER).sort((a, b) => a - b);
  // nr_pcp_alloc(): batch for order 0; for a higher order max(batch >> order, 2) while batch > 1; one block each allocation takes
  const refill = (order: number): bigint => (order === 0 || pz.batch <= 1n ? pz.batch : pz.batch >> BigInt(order) > 2n ? pz.batch >> BigInt(order) : 2n);
  const blocks = (order: number): bigint => refill(order) - 1n;
  const pages = list.reduce((a, o) => a + (blocks(o) << BigInt(o)), 0n);
  return [{
    name: `the boot CPU's per-CPU lists after one refill each: orders ${list.join(', ')} on ${pz.zone} (batch ${pz.batch}: ${list.map((o) => `${blocks(o)} × 2^${o}`).join(' + ')} pages)`,
    pages,
    source: 'mm/page_alloc.c: rmqueue_pcplist() → nr_pcp_alloc() → rmqueue_bulk(zone, order, batch or max(batch >> order, 2)) (6.12, 7.2); zone_batchsize() of the managed pages before deferred init',
  }];
}

/** cpu_to_node(0): the boot CPU's node. */
const nodeOfCpu0 = (state: BootState, ctx: BootContext): number => topologyOf(state, ctx).cpuToNode[0] ?? 0;

/**
 * A node's GFP_KERNEL zone (its highest populated zone below ZONE_MOVABLE) and the per-CPU list batch of
 * it when the CPUs come up: zone_batchsize() (traits.state.batchsize) of earlyManagedPages.
 */
function pcpZone(state: BootState, ctx: BootContext, traits: KernelTraits, nid: number): { zone: string; managed: bigint; batch: bigint } | undefined {
  const z = sliceIfAny(state, 'zones');
  const node = z?.nodes.find((n) => n.node === nid);
  const zone = node?.zones.filter((zz) => zz.presentPages > 0n && zz.name !== 'Movable' && zz.name !== 'HighMem').at(-1);
  if (!node || !zone) return undefined;
  const managed = earlyManagedPages(state, ctx, node.node, zone.startPfn, zone.startPfn + zone.spannedPages, node.endPfn);
  return { zone: zone.name, managed, batch: zoneBatchsizeOf(managed, traits.state.batchsize) };
}

/**
 * Pages left on the per-CPU lists of the secondary CPUs (6.12, one node; traits.late.slubSheaves
 * off). Each AP's cpuhp thread runs rcutree_online_cpu() → rcutree_affinity_setting(), which
 * zalloc_cpumask_var(GFP_KERNEL)s a cpumask for the rcu_node's exp_par_gp kworker (kernel/rcu/tree.c).
 * The AP has no cpu slab yet, and the one node's kmalloc partial list holds no slab (with
 * SLUB_CPU_PARTIAL a slab a free makes partial goes to the freeing CPU's own partial list,
 * mm/slub.c __slab_free → put_cpu_partial; gdb at allocate_slab saw a new kmalloc-8 slab on every
 * AP of 2-, 3-, 4-, 8- and 16-CPU boots): new_slab() takes one order-0 page on the AP. Its empty
 * pcp list refills through nr_pcp_alloc() with batch << alloc_factor (0) pages
 * (mm/page_alloc.c rmqueue_pcplist → rmqueue_bulk), and batch − 1 stay on the list, out of
 * nr_free_pages(); the slab page itself is a second term. batch is zone_batchsize() of the node's highest zone's managed pages at the
 * time (earlyManagedPages). With more nodes get_any_partial() may take a remote partial slab
 * instead, as get_cycles() % 1024 against remote_node_defrag_ratio decides: not modelled, nor the
 * boot CPU's list or the longer lists of the APs kthreadd runs on.
 */
function secondaryCpuPcpPages(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  if (traits.late.slubSheaves) return [];
  const topo = topologyOf(state, ctx);
  const aps = Number(onlineCpus(ctx).n) - 1;
  const z = sliceIfAny(state, 'zones');
  if (aps <= 0 || !z || topo.memoryNodes.length !== 1 || numaNodeCount(state, ctx) !== 1) return [];
  const node = z.nodes.find((n) => n.node === topo.memoryNodes[0]);
  // GFP_KERNEL's preferred zone: the node's highest populated zone below ZONE_MOVABLE
  const zone = node?.zones.filter((zz) => zz.presentPages > 0n && zz.name !== 'Movable' && zz.name !== 'HighMem').at(-1);
  if (!node || !zone) return [];
  // zalloc_cpumask_var() allocates only with CPUMASK_OFFSTACK (include/linux/cpumask.h), cpumask_size() bytes:
  // bitmap_size(large_cpumask_bits), nr_cpu_ids when NR_CPUS > 4 × BITS_PER_LONG, else NR_CPUS
  if (!configOn(ctx, 'CPUMASK_OFFSTACK')) return [];
  const nrCpus = configNumber(ctx, 'NR_CPUS');
  const cpumaskBytes = Math.ceil((nrCpus > 4 * 64 ? topo.possibleCpus : nrCpus) / 64) * 8;
  const bucket = kmallocBucket(cpumaskBytes);
  const { order } = calculateOrder(bucket, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
  const managed = earlyManagedPages(state, ctx, node.node, zone.startPfn, zone.startPfn + zone.spannedPages, node.endPfn);
  const batch = zoneBatchsize(managed);
  const source = 'kernel/rcu/tree.c: rcutree_online_cpu() → rcutree_affinity_setting() zalloc_cpumask_var() on the AP → mm/slub.c new_slab() → mm/page_alloc.c rmqueue_pcplist() nr_pcp_alloc() → rmqueue_bulk(batch) (6.12)';
  return [{
    name: `per-CPU page lists of the ${aps} secondary CPUs: batch ${batch} − 1 pages each on ${zone.name} (zone_batchsize of ${managed} managed pages before deferred init)`,
    pages: BigInt(aps) * (batch - 1n),
    source,
  }, {
    name: `the secondary CPUs' first kmalloc-${bucket} slabs (a ${cpumaskBytes}-B cpumask): ${aps} × order ${order}`,
    pages: BigInt(aps) << BigInt(order),
    source,
  }];
}

/**
 * kmalloc_info[] (mm/slab_common.c 7.2.13): the kmalloc cache sizes create_kmalloc_caches() makes
 * for each type, 96 and 192 (KMALLOC_MIN_SIZE 8 ≤ 32, ≤ 64) and 2^KMALLOC_SHIFT_LOW (3: x86's
 * ARCH_KMALLOC_MINALIGN 8) to 2^KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1), in ascending order.
 */

/** kmalloc_size_roundup() for a size ≤ KMALLOC_MAX_CACHE_SIZE: the size of the kmalloc bucket kmalloc_index() picks. */
function kmallocBucket(bytes: number): number {
  const b = KMALLOC_SIZES.find((s) => s >= bytes);
  if (b === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, `kmalloc: expected at most ${KMALLOC_SIZES[KMALLOC_SIZES.length - 1]} bytes (KMALLOC_MAX_CACHE_SIZE), got ${bytes}`);
  return b;
}

/**
 * calculate_sheaf_capacity() (mm/slub.c 7.2.13) with no explicit args->sheaf_capacity: 4 objects
 * for s->size ≥ PAGE_SIZE, 12 from 1024, 26 from 256, else 60, then grown to fill the kmalloc
 * bucket struct_size(slab_sheaf, objects, capacity) rounds up to. Returns that bucket: the bytes
 * __alloc_empty_sheaf() kmallocs for one sheaf. sheafHeader: sizeof(struct slab_sheaf) (mm/slub.c:
 * the header before the flexible void *objects[], a kernel fact).
 */
export function sheafBytes(slotSize: number, sheafHeader: number): number {
  const capacity = slotSize >= Number(PAGE_SIZE) ? 4 : slotSize >= 1024 ? 12 : slotSize >= 256 ? 26 : 60;
  return kmallocBucket(sheafHeader + 8 * capacity);
}

/** The kmalloc buckets sheaves and barns come from (7.2): one per capacity class of calculateSheafCapacity, and the barns'. */
function sheafBucketsOf(ctx: BootContext): Set<number> {
  const header = Number(structBytes(ctx, 'slab_sheaf', STAGE));
  return new Set([...[Number(PAGE_SIZE), 1024, 256, 8].map((size) => sheafBytes(size, header)), kmallocBucket(Number(structBytes(ctx, 'node_barn', STAGE)))]);
}



/**
 * SLUB's percpu sheaves (mm/slub.c 7.2.13, traits.late.slubSheaves): every cache with a sheaf
 * capacity kmallocs, when it is created, one empty sheaf per possible CPU (init_percpu_sheaves(),
 * or bootstrap_cache_sheaves() for the kmalloc caches) and one node_barn per online node
 * (init_kmem_cache_nodes(), for_each_node_mask(slab_barn_nodes): kmem_cache_init() sets it from
 * for_each_online_node). kmem_cache and kmem_cache_node are SLAB_NO_SHEAVES. The caches counted
 * are the kmalloc ones and those this stage models the objects of (task_struct, sighand_cache,
 * signal_cache, mm_struct, pool_workqueue, trace_event_file, ftrace_event_field), pid, vmap_area and
 * FIRST_OBJECT_CACHES, and every other cache of the series' table alive at the print whose slot
 * sim/stages/state/slab-create.ts sizes (calculate_sheaf_capacity() gives every cache but the
 * SLAB_NO_SHEAVES bootstrap two and SLAB_NOLEAKTRACE ones a capacity; an unsized one is left out).
 * Each of the non-kmalloc ones this stage fills also kmallocs the new sheaf of
 * the boot CPU's first refill (firstObjectSlabs), and the per-task kmalloc objects that fall in a
 * sheaf bucket are packed with them. The sheaves and barns are kmalloc objects on the boot CPU,
 * counted packed into the slabs of their kmalloc bucket.
 */
function slubSheaves(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  const topo = topologyOf(state, ctx);
  const nodes = numaNodeCount(state, ctx);
  const listed = bootCaches(state, ctx, traits);
  const caches: SheafCache[] = [
    ...kmallocCaches(ctx, traits),
    { name: 'task_struct', size: taskStructSize(ctx, traits).size },
    ...signalCacheSizes(ctx).map((c) => ({ name: c.cache, size: c.size })),
    { name: 'mm_struct', size: mmStructSize(state, ctx, traits).size },
    { name: 'pool_workqueue', size: poolWorkqueueSize(ctx) },
  ];
  if (configOn(ctx, 'TRACING') && configOn(ctx, 'EVENT_TRACING')) {
    for (const c of ['trace_event_file', 'ftrace_event_field'] as const) caches.push({ name: c, size: traceEventCacheSize(ctx, c) });
  }
  if (listed) {
    caches.push({ name: 'pid', size: pidSlot(ctx) }, ...bootCpuRefilledSlots(ctx, traits, listed));
    if (listed.some((c) => c.name === 'vmap_area')) caches.push({ name: 'vmap_area', size: Math.ceil(Number(structBytes(ctx, 'vmap_area', STAGE)) / 8) * 8 });
    // the root memory cgroup's caches (see rootMemcgSlabs), each refilled on the boot CPU
    if (listed.some((c) => c.name === 'mem_cgroup')) caches.push({ name: 'mem_cgroup', size: hwcacheAlign(Number(structBytes(ctx, 'mem_cgroup', STAGE)) + topo.nrNodeIds * 8) });
    if (listed.some((c) => c.name === 'mem_cgroup_per_node')) caches.push({ name: 'mem_cgroup_per_node', size: hwcacheAlign(Number(structBytes(ctx, 'mem_cgroup_per_node', STAGE))) });
  }
  // every other cache of the table alive at the print whose slot the creation model sizes (not the two SLAB_NO_SHEAVES boot caches)
  const sized = new Map((slabCachesOf(state, ctx, traits.late.bootSlabCaches, 'boot')?.caches ?? []).map((c) => [c.name, c.size]));
  const others: SheafCache[] = [];
  for (const c of listed ?? []) {
    const size = sized.get(c.name);
    if (size === undefined || KMEM_CACHE_INIT.includes(c.name) || caches.some((x) => x.name === c.name)) continue;
    others.push({ name: c.name, size });
  }
  const kmallocs = kmallocCaches(ctx, traits).length;
  // struct slab_sheaf and struct node_barn (mm/slub.c 7.2.13): kernel facts
  const sheafHeader = Number(structBytes(ctx, 'slab_sheaf', STAGE));
  const barnBytes = Number(structBytes(ctx, 'node_barn', STAGE));
  const objects = new Map<number, number>();
  const add = (bucket: number, n: number): void => void objects.set(bucket, (objects.get(bucket) ?? 0) + n);
  for (const c of [...caches, ...others]) {
    add(sheafBytes(c.size, sheafHeader), topo.possibleCpus);
    add(kmallocBucket(barnBytes), nodes);
  }
  // the new sheaf the boot CPU's first allocation from each non-kmalloc cache here kmallocs (see firstObjectSlabs)
  const refilled = caches.slice(kmallocs);
  for (const c of refilled) add(sheafBytes(c.size, sheafHeader), 1);
  // per-task kmalloc objects that share a bucket with the sheaves are packed with them
  const perTask = listed ? kmallocObjects(state, ctx, traits, tasks) : new Map<number, { n: number; what: string[] }>();
  const buckets = sheafBucketsOf(ctx);
  for (const [bucket, e] of perTask) if (buckets.has(bucket)) add(bucket, e.n);
  const out: LateAlloc[] = [];
  for (const [bucket, n] of [...objects].sort((a, b) => a[0] - b[0])) {
    const { order, objects: per } = calculateOrder(bucket, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
    const slabs = Math.ceil(n / per);
    const sheaves = [...caches, ...others].filter((c) => sheafBytes(c.size, sheafHeader) === bucket).length;
    const spares = refilled.filter((c) => sheafBytes(c.size, sheafHeader) === bucket).length;
    const what = [
      sheaves > 0 ? `${sheaves} caches' sheaves × ${topo.possibleCpus} possible CPUs` : '',
      spares > 0 ? `${spares} boot-CPU refills' new sheaves` : '',
      bucket === kmallocBucket(barnBytes) ? `${caches.length + others.length} caches' barns × ${nodes} nodes` : '',
      ...(buckets.has(bucket) ? perTask.get(bucket)?.what ?? [] : []),
    ].filter(Boolean).join(' + ');
    out.push({
      name: `SLUB sheaves in kmalloc-${bucket}: ${n} objects (${what}), ${per} per order-${order} slab → ${slabs} slabs (packed)`,
      pages: BigInt(slabs) << BigInt(order),
      source: `mm/slub.c: init_percpu_sheaves() / bootstrap_kmalloc_sheaves() → __alloc_empty_sheaf() kmalloc(struct_size(sheaf, objects, calculate_sheaf_capacity())); init_kmem_cache_nodes() kmalloc_node(sizeof(struct node_barn)) (7.2) → calculate_order(${bucket})`,
    });
  }
  return out;
}

interface BootCache {
  readonly name: string;
  /** The kmem_cache_create() / KMEM_CACHE() call and the init function that runs it before the print. */
  readonly site: string;
}

/**
 * The slab caches of their own alive when page_alloc_init_late() prints, besides the kmalloc ones
 * (kmallocCaches): the 'boot' calls of the series' table (sim/stages/state/caches/<series>.ts, chosen by
 * traits.late.bootSlabCaches) run through mm/slab_common.c's creation model
 * (sim/stages/state/slab-create.ts createCaches): a call find_mergeable() folds into an earlier cache
 * makes no kmem_cache (6.12: key_jar into maple_node, pde_opener into vma_lock; 7.2: cred_jar into pid).
 * A call the model cannot decide is refused.
 */
function bootCacheList(state: BootState, ctx: BootContext, traits: KernelTraits): readonly BootCache[] | undefined {
  const r = slabCachesOf(state, ctx, traits.late.bootSlabCaches, 'boot');
  if (!r) return undefined;
  const first = r.undetermined[0];
  if (first) throw new SimError('SIM_NOT_MODELLED', STAGE, `${first.name}: ${first.why} (${first.site}); the kmem_cache count at the print needs it`);
  const kmalloc = new Set(r.calls.filter((c) => c.site.startsWith('mm/slab_common.c: create_kmalloc_caches()')).map((c) => c.name));
  return r.caches.filter((c) => !kmalloc.has(c.name)).map((c) => ({ name: c.name, site: c.site }));
}

/** mm/slub.c kmem_cache_init(): the two caches create_boot_cache() makes first and bootstrap() copies (5.10.223 … 7.2.13). */
const KMEM_CACHE_INIT: readonly string[] = ['kmem_cache_node', 'kmem_cache'];

/**
 * The cache calls whose cache slab_unmergeable() keeps apart in every tree read (5.10.223,
 * 6.1.192, 6.12.115, 6.18, 7.2.13: a usercopy region, a ctor or SLAB_TYPESAFE_BY_RCU, with the same
 * name and flags), so __kmem_cache_alias() never folds them and each is a cache of its own wherever
 * its call runs: listed on the series without a table (traits.state.slabCacheTable unread) too, where the facts have
 * the structs that size it. mm_struct's object adds cpumask_size() + mm_cid_size(), whose three
 * forms (6.12.115, 6.18, 7.2.13) traits.late.mmCidSize follows, so it is sized with CONFIG_SCHED_MM_CID too.
 */
const UNMERGEABLE_EVERYWHERE: readonly { readonly name: string; readonly structs: readonly string[] }[] = [
  { name: 'task_struct', structs: ['task_struct', 'fxregs_state', 'fpu'] },
  { name: 'mm_struct', structs: ['mm_struct'] },
  { name: 'sighand_cache', structs: ['sighand_struct'] },
  { name: 'dentry', structs: ['dentry'] },
  { name: 'shmem_inode_cache', structs: ['shmem_inode_info'] },
  { name: 'bdev_cache', structs: ['bdev_inode'] },
  { name: 'proc_dir_entry', structs: ['proc_dir_entry'] },
];

/** The caches of their own this build has created at the print (bootCacheList), besides the kmalloc ones; undefined where no table was read (traits.late.bootSlabCaches). */
export function bootCaches(state: BootState, ctx: BootContext, traits: KernelTraits): readonly BootCache[] | undefined {
  return bootCacheList(state, ctx, traits);
}

/**
 * The nodes kmem_cache_init() gives every cache a kmem_cache_node on (slab_nodes, mm/slub.c):
 * for_each_node_state(N_NORMAL_MEMORY) on 6.12.115, a node with memory below ZONE_MOVABLE (x86_64
 * has no highmem); for_each_node_state(N_MEMORY) on 7.2.13.
 */
function slabNodes(state: BootState, ctx: BootContext, traits: KernelTraits): number {
  const topo = topologyOf(state, ctx);
  if (traits.late.bootSlabCaches !== '6.12') return topo.memoryNodes.length;
  const z = sliceIfAny(state, 'zones');
  if (!z) return topo.memoryNodes.length;
  return Math.max(1, z.nodes.filter((n) => n.zones.some((zz) => zz.presentPages > 0n && zz.name !== 'Movable')).length);
}

/**
 * The kmem_cache and kmem_cache_node slabs (mm/slub.c 6.12.115, 7.2.13): kmem_cache_init()'s
 * bootstrap() copies the two boot caches into kmem_cache objects, and every cache created after
 * (the kmalloc ones, create_kmalloc_caches(), and bootCaches) takes one more; an alias takes none.
 * The kmem_cache object is offsetof(struct kmem_cache, node) + nr_node_ids pointers (6.12) or
 * offsetof(per_node) + nr_node_ids × sizeof(struct kmem_cache_per_node_ptrs) (7.2: node and barn
 * pointers), SLAB_HWCACHE_ALIGN; the node array is the struct's last member, MAX_NUMNODES
 * (1 << CONFIG_NODES_SHIFT) long, so the offset is sizeof less the array. Every cache gets one
 * kmem_cache_node per slab node (init_kmem_cache_nodes()). All on the boot CPU: packed.
 */
function kmemCacheSlabs(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  const caches = bootCaches(state, ctx, traits);
  if (!caches) return [];
  const topo = topologyOf(state, ctx);
  const n = caches.length + kmallocCaches(ctx, traits).length;
  const kmemCacheSize = kmemCacheSlot(state, ctx, traits);
  const nodeSize = hwcacheAlign(Number(structBytes(ctx, 'kmem_cache_node', STAGE)));
  const nodes = slabNodes(state, ctx, traits);
  const orders = slubOrders(ctx);
  const out: LateAlloc[] = [];
  for (const [cache, objs, size, what] of [
    ['kmem_cache', n, kmemCacheSize, `${n} caches (${kmallocCaches(ctx, traits).length} kmalloc + ${caches.length} others)`],
    ['kmem_cache_node', n * nodes, nodeSize, `${n} caches × ${nodes} slab nodes`],
  ] as const) {
    const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus, orders);
    const slabs = Math.ceil(objs / objects);
    out.push({
      name: `${cache} slabs: ${what} of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed)`,
      pages: BigInt(slabs) << BigInt(order),
      source: `mm/slub.c: kmem_cache_init() bootstrap(), __kmem_cache_create() → kmem_cache_zalloc(kmem_cache); init_kmem_cache_nodes() → calculate_order(${size})`,
    });
  }
  return out;
}

/** The kmem_cache cache's slot (see kmemCacheSlabs). */
function kmemCacheSlot(state: BootState, ctx: BootContext, traits: KernelTraits): number {
  return hwcacheAlign(kmemCacheObject(state, ctx, traits));
}


/** One slab cache alive at the late print, with its geometry where its slot size is derived here. */
export interface BootSlabCache {
  readonly name: string;
  /** The call that creates it (kmalloc caches: create_kmalloc_caches()). */
  readonly site: string;
  /** s->size, the slot; undefined where this stage does not derive it yet. */
  readonly size: number | undefined;
  /** calculate_order() with nr_cpu_ids and the slab-order parameters: the slab order and objects per slab. */
  readonly order: number | undefined;
  readonly objectsPerSlab: number | undefined;
  /** s->object_size, the size the cache was created with (before alignment); undefined where not derived. */
  readonly objectSize: number | undefined;
  /**
   * Why mm/slab_common.c slab_unmergeable() holds for it, so that sysfs_slab_add() names its
   * /sys/kernel/slab directory after the cache (mm/slub.c); undefined where its flags were not read.
   */
  readonly unmergeable: string | undefined;
  /**
   * For a mergeable cache whose creation flags were read: the letters mm/slub.c create_unique_id()
   * puts before its size in the directory name (d SLAB_CACHE_DMA, D SLAB_CACHE_DMA32, a
   * SLAB_RECLAIM_ACCOUNT, F SLAB_CONSISTENCY_CHECKS, A SLAB_ACCOUNT); undefined otherwise.
   */
  readonly mergeFlags: string | undefined;
}

/**
 * Every slab cache the kernel has created when the probe reads /proc/slabinfo, each with its slot,
 * mm/slub.c calculate_order()'s order and objects per slab, and how sysfs_slab_add() names it: the
 * caches sim/stages/state/slab-create.ts createCaches() makes from the series' table
 * (traits.state.slabCacheTable: every call of sim/stages/state/caches/<series>.ts, 'boot' and 'post',
 * and the kmalloc caches); a call it cannot decide is left out. For a series whose table was not read,
 * the kmalloc caches, kmem_cache_init()'s two and the calls no merge can fold (UNMERGEABLE_EVERYWHERE),
 * as the 6.12 table has them. A cache whose struct the facts lack (the 6.5 686-pae build: no BTF, no -dbg DWARF read) is unsized.
 */
export function bootSlabCacheGeometry(state: BootState, ctx: BootContext): readonly BootSlabCache[] {
  const traits = ctx.traits;
  slubDefaultLayout(ctx);
  const table = traits.state.slabCacheTable;
  const has = (...structs: readonly string[]): boolean => structs.every((n) => ctx.kernel.facts.structs[n] !== undefined);
  // where no table was read: the two caches kmem_cache_init() bootstraps, which every SLUB kernel makes, and the
  // calls no merge can fold (UNMERGEABLE_EVERYWHERE) whose structs the facts have
  const everywhere = (name: string): boolean => UNMERGEABLE_EVERYWHERE.some((u) => u.name === name && has(...u.structs));
  const r = slabCachesOf(state, ctx, table, 'post') ?? slabCachesFrom(state, ctx, CACHES_6_12.filter((c) => KMEM_CACHE_INIT.includes(c.name) || everywhere(c.name)));
  // a mergeable cache's object_size is known only where no unlisted call can have been folded into it
  const complete = tablePostComplete(table);
  return r.caches.map((c): BootSlabCache => ({
    name: c.name,
    site: c.site,
    size: c.size,
    order: c.order,
    objectsPerSlab: c.objects,
    objectSize: c.unmergeable !== undefined ? c.createdSize : complete ? c.objectSize : undefined,
    unmergeable: c.unmergeable,
    mergeFlags: c.unmergeable === undefined && c.size !== undefined ? mergeLetters(c.flags) : undefined,
  }));
}

/** create_unique_id()'s flag letters of a mergeable cache (slab-create.ts createUniqueId without the size). */
const mergeLetters = (flags: readonly SlabFlag[]): string => createUniqueId(flags, 0).slice(1).replace(/-?0+$/, '');

/**
 * calculate_alignment() with SLAB_HWCACHE_ALIGN (mm/slab_common.c 6.12, 7.2): cache_line_size()
 * (64 on x86_64), halved while the object fits in half of it, and the slot rounded up to that.
 */
function hwcacheAlign(size: number): number {
  let ralign = 64;
  while (size <= ralign / 2) ralign /= 2;
  return Math.ceil(size / ralign) * ralign;
}

/** The pid cache's slot: struct_size(struct pid, numbers, 1), SLAB_HWCACHE_ALIGN (kernel/pid.c pid_idr_init). */
const pidSlot = (ctx: BootContext): number => hwcacheAlign(Number(structBytes(ctx, 'pid', STAGE)) + Number(structBytes(ctx, 'upid', STAGE)));
/** cred_jar's slot: KMEM_CACHE(cred, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT) (kernel/cred.c cred_init). */
const credSlot = (ctx: BootContext): number => hwcacheAlign(Number(structBytes(ctx, 'cred', STAGE)));

/**
 * Whether cred_init()'s cache is an alias of the pid cache: find_mergeable() (mm/slab_common.c)
 * takes an earlier mergeable cache with the same SLAB_MERGE_SAME flags whose s->size is the new
 * slot to within a pointer; pid_idr_init() runs before cred_init() in start_kernel(), both
 * SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, no ctor, no usercopy region. Checked against bootCaches (slab-create.ts decides it from the same slots),
 * which lists cred as a cache of its own only where it is not merged.
 */
function credPidMerged(ctx: BootContext, caches: readonly BootCache[]): boolean {
  const pid = pidSlot(ctx);
  const cred = credSlot(ctx);
  const merged = cred <= pid && pid - cred < 8;
  if (merged === caches.some((c) => c.name === 'cred')) {
    throw new SimError('SIM_NOT_MODELLED', STAGE, `cred_jar: the slots (cred ${cred} B, pid ${pid} B) say ${merged ? 'an alias of pid' : 'a cache of its own'}, but bootCaches has ${merged ? 'cred listed' : 'no cred'}; re-read kernel/cred.c and kernel/pid.c`);
  }
  return merged;
}

/**
 * The per-task pid and cred objects (6.12.115, 7.2.13): copy_process() → alloc_pid() for every task
 * but the idle ones (fork_idle() passes &init_struct_pid), and copy_creds() → prepare_creds() for
 * every task not created with CLONE_THREAD, which is every kernel thread, kernel_init and each idle
 * task. Counted packed on the boot node, in one cache where cred_jar is an alias of pid.
 */
function pidCredSlabs(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  const caches = bootCaches(state, ctx, traits);
  if (!caches) return [];
  const all = Number(tasks.reduce((a, t) => a + t.n, 0n));
  const idle = Number(tasks.filter((t) => t.rule.scope === 'secondary-cpu').reduce((a, t) => a + t.n, 0n));
  const pids = all - idle;
  const topo = topologyOf(state, ctx);
  const orders = slubOrders(ctx);
  const groups: [string, number, number, string][] = credPidMerged(ctx, caches)
    ? [['pid (with cred_jar merged in)', pids + all, pidSlot(ctx), `${pids} pids + ${all} creds`]]
    : [['pid', pids, pidSlot(ctx), `${pids} pids`], ['cred', all, credSlot(ctx), `${all} creds`]];
  return groups.map(([cache, n, size, what]) => {
    const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus, orders);
    const taken = sheafRounded(ctx, traits, size, n);
    const slabs = Math.ceil(taken / objects);
    return {
      name: `${cache} slabs: ${what}${taken > n ? ` (${taken} in whole sheaves)` : ''} of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed; per-CPU slabs and sheaves not modelled)`,
      pages: BigInt(slabs) << BigInt(order),
      source: `kernel/fork.c: copy_process() → kernel/pid.c alloc_pid(), kernel/cred.c copy_creds() → prepare_creds() → mm/slub.c calculate_order(${size})`,
    };
  });
}

/** A cache whose first object is allocated on the boot CPU before the print, at a call this stage cites. */
interface FirstObjectCache {
  readonly cache: string;
  readonly struct: string;
  /** SLAB_HWCACHE_ALIGN. */
  readonly hwcache?: true;
  /** A constructor: calculate_sizes() puts the free pointer after the object. */
  readonly ctor?: true;
  /** fs/proc/internal.h SIZEOF_PDE: sizeof rounded up to 128, 192, 256 or 512. */
  readonly pde?: true;
  /** The objects the boot CPU takes at the site (1 when absent). */
  readonly objects?: number;
  /** The kernel option that builds the site (always when absent). */
  readonly option?: string;
  readonly site: string;
}

/**
 * lib/radix-tree.c RADIX_TREE_PRELOAD_SIZE: RADIX_TREE_MAX_PATH × 2 − 1, the path DIV_ROUND_UP(64,
 * RADIX_TREE_MAP_SHIFT 6) = 11 nodes long on 64-bit (include/linux/radix-tree.h, xarray.h XA_CHUNK_SHIFT).
 */
const RADIX_TREE_PRELOAD_SIZE = 2 * Math.ceil(64 / 6) - 1;

/**
 * The caches bootCaches lists whose first object start_kernel() allocates on the boot CPU, each by
 * that allocation (6.12.115, 7.2.13): the mounts of mnt_init() (shmem_init()'s kern_mount, then
 * init_rootfs()/init_mount_tree()'s rootfs, tmpfs when CONFIG_TMPFS and no root=), bdev_cache_init()'s
 * blockdev mount (both from vfs_caches_init()), proc_root_init(), numa_policy_init() and rest_init()'s
 * kernel_init fork. Other objects of these caches (further inodes, dentries, proc entries) are not
 * counted.
 */
const FIRST_OBJECT_CACHES: readonly FirstObjectCache[] = [
  { cache: 'kernfs_node_cache', struct: 'kernfs_node', site: 'fs/sysfs/mount.c: sysfs_init() (from mnt_init()) → fs/kernfs/dir.c kernfs_create_root() → __kernfs_new_node()' },
  { cache: 'shmem_inode_cache', struct: 'shmem_inode_info', ctor: true, site: 'mm/shmem.c: shmem_init() (from mnt_init()) kern_mount(&shmem_fs_type) → shmem_fill_super() → shmem_alloc_inode()' },
  { cache: 'mnt_cache', struct: 'mount', hwcache: true, site: 'fs/namespace.c: mnt_init() → shmem_init() kern_mount() → vfs_kern_mount() → alloc_vfsmnt()' },
  { cache: 'dentry', struct: 'dentry', site: 'fs/namespace.c: mnt_init() → shmem_init() kern_mount() → shmem_fill_super() → d_make_root() → fs/dcache.c __d_alloc()' },
  { cache: 'bdev_cache', struct: 'bdev_inode', hwcache: true, ctor: true, site: 'block/bdev.c: bdev_cache_init() (from vfs_caches_init()) kern_mount(&bd_type) → init_pseudo() root inode → bdev_alloc_inode()' },
  { cache: 'proc_dir_entry', struct: 'proc_dir_entry', pde: true, site: 'fs/proc/root.c: proc_root_init() proc_symlink("mounts", …) → fs/proc/generic.c __proc_create()' },
  { cache: 'numa_policy', struct: 'mempolicy', site: 'mm/mempolicy.c: numa_policy_init() do_set_mempolicy(MPOL_INTERLEAVE, 0, &interleave_nodes) → mpol_new() (kept until kernel_init()\'s numa_default_policy(), after the print)' },
  { cache: 'files_cache', struct: 'files_struct', hwcache: true, site: 'init/main.c: rest_init() user_mode_thread(kernel_init, NULL, CLONE_FS) → kernel/fork.c copy_files() → dup_fd()' },
  { cache: 'perf_event', struct: 'perf_event', option: 'HARDLOCKUP_DETECTOR_PERF', site: 'kernel/watchdog.c: lockup_detector_init() (kernel_init_freeable(), before smp_init()) → watchdog_perf.c watchdog_hardlockup_probe() → hardlockup_detector_event_create() → kernel/events/core.c perf_event_alloc() kmem_cache_alloc_node(perf_event_cache) (the probe frees it; its slab stays the boot CPU\'s)' },
  { cache: 'radix_tree_node', struct: 'xa_node', ctor: true, objects: RADIX_TREE_PRELOAD_SIZE, site: 'kernel/pid.c: alloc_pid() idr_preload(GFP_KERNEL) on the boot CPU, where kthreadd forks → lib/radix-tree.c __radix_tree_preload() fills the CPU\'s radix_tree_preloads to RADIX_TREE_PRELOAD_SIZE nodes' },
  { cache: 'inode_cache', struct: 'inode', ctor: true, site: 'fs/nsfs.c: nsfs_init() kern_mount(&nsfs) → fs/libfs.c pseudo root inode new_inode() → fs/inode.c alloc_inode() (no s_op->alloc_inode: inode_cachep)' },
];

/** mm/slub.c calculate_sizes() for a cache created without debug flags: ALIGN(size, sizeof(void *)), the free pointer after the object with a ctor, then the alignment. */
function slotOf(ctx: BootContext, c: FirstObjectCache): number {
  let size = Number(structBytes(ctx, c.struct, STAGE));
  if (c.pde) {
    const pde = [128, 192, 256, 512].find((b) => size < b);
    if (pde === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, `struct proc_dir_entry: expected below 512 B (fs/proc/internal.h SIZEOF_PDE), got ${size}`);
    size = pde;
  }
  size = Math.ceil(size / 8) * 8;
  if (c.ctor) size += 8;
  return c.hwcache ? hwcacheAlign(size) : size;
}

/** calculate_sheaf_capacity() (mm/slub.c 7.2.13, see sheafBytes): the objects a sheaf of this slot holds once grown to its kmalloc bucket. */
const sheafCapacity = (slot: number, sheafHeader: number): number => (sheafBytes(slot, sheafHeader) - sheafHeader) / 8;

/**
 * The objects n allocations on the boot CPU take out of a cache's slabs (mm/slub.c 7.2.13,
 * traits.late.slubSheaves): each allocation that finds the CPU's main sheaf empty refills a sheaf to
 * s->sheaf_capacity (__pcs_replace_empty_main() → refill_sheaf(), see firstObjectSlabs), so whole
 * sheaves, ceil(n / capacity) × capacity; n itself where there are no sheaves (6.12).
 */
function sheafRounded(ctx: BootContext, traits: KernelTraits, slot: number, n: number): number {
  if (!traits.late.slubSheaves || n === 0) return n;
  const cap = sheafCapacity(slot, Number(structBytes(ctx, 'slab_sheaf', STAGE)));
  return Math.ceil(n / cap) * cap;
}

/**
 * The first objects of FIRST_OBJECT_CACHES: one slab each on 6.12 (its cpu slab). On 7.2
 * (traits.late.slubSheaves) an allocation finds the CPU's main sheaf empty, and
 * __pcs_replace_empty_main() kmallocs a new sheaf (alloc_empty_sheaf(): the old one becomes the
 * spare) and refill_sheaf() fills it to s->sheaf_capacity objects from the slabs, so the boot CPU's
 * first allocation takes that many objects out of the slabs (mm/slub.c 7.2.13). The new sheaf
 * itself is counted with the other sheaves (slubSheaves).
 */
function firstObjectSlabs(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  const caches = bootCaches(state, ctx, traits);
  if (!caches) return [];
  const topo = topologyOf(state, ctx);
  const orders = slubOrders(ctx);
  const out: LateAlloc[] = [];
  for (const c of firstObjectCaches(ctx, caches)) {
    const slot = slotOf(ctx, c);
    const want = c.objects ?? 1;
    // each sheaf the allocations empty is refilled to capacity from the slabs
    const cap = traits.late.slubSheaves ? sheafCapacity(slot, Number(structBytes(ctx, 'slab_sheaf', STAGE))) : 0;
    const n = cap > 0 ? Math.ceil(want / cap) * cap : want;
    const { order, objects } = calculateOrder(slot, topo.possibleCpus, topo.possibleCpus, orders);
    const slabs = Math.ceil(n / objects);
    const what = want > 1 ? `${want} objects${n > want ? ` (${n} with the boot CPU's refilled sheaves)` : ''}` : `the first object${n > 1 ? `, and the ${n - 1} more the boot CPU's refilled sheaf holds,` : ''}`;
    out.push({
      name: `${c.cache} slabs: ${what} of ${slot} B, ${objects} per order-${order} slab → ${slabs} slab${slabs > 1 ? 's' : ''}`,
      pages: BigInt(slabs) << BigInt(order),
      source: `${c.site} → mm/slub.c ${n > 1 ? '__pcs_replace_empty_main() refill_sheaf(), ' : ''}calculate_order(${slot})`,
    });
  }
  return out;
}

/** The caches the boot CPU allocates from before the print, each refilling one new sheaf on 7.2 (see firstObjectSlabs), by slot size. */
function bootCpuRefilledSlots(ctx: BootContext, traits: KernelTraits, caches: readonly BootCache[]): { name: string; size: number }[] {
  return firstObjectCaches(ctx, caches).map((c) => ({ name: c.cache, size: slotOf(ctx, c) }));
}

/** The FIRST_OBJECT_CACHES this build has: the cache among bootCaches and the site's option set. */
const firstObjectCaches = (ctx: BootContext, caches: readonly BootCache[]): readonly FirstObjectCache[] =>
  FIRST_OBJECT_CACHES.filter((c) => caches.some((b) => b.name === c.cache) && (c.option === undefined || configOn(ctx, c.option)));

/**
 * The per-task kmalloc objects (6.12.115, 7.2.13), by kmalloc bucket: copy_process() →
 * set_kthread_struct() kzalloc(sizeof(struct kthread)) for every task created with args->kthread
 * (kernel_thread(), kthreadd and the threads it makes, fork_idle(); not kernel_init's
 * user_mode_thread()); alloc_worker() kzalloc_node(sizeof(struct worker)) for every kworker and
 * rescuer (kernel/workqueue.c); and each thread stack's vmalloc: __get_vm_area_node()
 * kzalloc_node(sizeof(struct vm_struct)) and __vmalloc_area_node()'s pages array, THREAD_SIZE /
 * PAGE_SIZE pointers kmalloc_node()ed while it fits in a page (mm/vmalloc.c). Counted packed.
 */
function perTaskKmalloc(ctx: BootContext, tasks: readonly TaskCount[]): Map<number, { n: number; what: string[] }> {
  const all = Number(tasks.reduce((a, t) => a + t.n, 0n));
  const kthreads = all - Number(tasks.filter((t) => t.rule.name === 'kernel_init (pid 1)').reduce((a, t) => a + t.n, 0n));
  const workers = Number(tasks.filter((t) => t.rule.worker).reduce((a, t) => a + t.n, 0n));
  const stackPages = 1 << (2 + (configOn(ctx, 'KASAN') ? 1 : 0));
  const out = new Map<number, { n: number; what: string[] }>();
  const add = (bytes: number, n: number, what: string): void => {
    const b = kmallocBucket(bytes);
    const e = out.get(b) ?? { n: 0, what: [] };
    out.set(b, { n: e.n + n, what: [...e.what, `${n} ${what}`] });
  };
  add(Number(structBytes(ctx, 'kthread', STAGE)), kthreads, 'struct kthread');
  add(Number(structBytes(ctx, 'worker', STAGE)), workers, 'struct worker');
  add(Number(structBytes(ctx, 'vm_struct', STAGE)), all, 'stack vm_struct');
  add(stackPages * 8, all, 'stack pages arrays');
  return out;
}

/** include/uapi/linux/limits.h PATH_MAX; security/apparmor/lsm.c aa_g_path_max = 2 * PATH_MAX and RESERVE_COUNT (6.12.117, 7.2.13). */
const PATH_MAX = 4096;
const AA_RESERVE_COUNT = 2;
/** arch/x86/kernel/cpu/mce/internal.h MCE_MIN_ENTRIES, MCE_PER_CPU (6.12.117, 7.2.13). */
const MCE_MIN_ENTRIES = 80;
const MCE_PER_CPU = 2;
/**
 * include/asm-generic/irq.h NR_IRQS_LEGACY: early_irq_init() (kernel/irq/irqdesc.c, CONFIG_SPARSE_IRQ)
 * preallocates arch_probe_nr_irqs() descriptors, which on x86 is legacy_pic->probe()
 * (arch/x86/kernel/apic/vector.c): the 8259A's 16 lines, which QEMU's pc and q35 both have (i8259.c probe_8259A).
 */
const NR_IRQS_LEGACY = 16;
/** KMALLOC_MAX_CACHE_SIZE (include/linux/slab.h, SLUB: 1 << KMALLOC_SHIFT_HIGH, PAGE_SHIFT + 1): a larger kmalloc() is kmalloc_large(), whole pages of get_order(size). */
const KMALLOC_MAX_CACHE_SIZE = 2 * Number(PAGE_SIZE);

/** One kmalloc() call site of start_kernel() or kernel_init_freeable() whose objects are alive at the late print. */
interface BootKmalloc {
  readonly what: string;
  readonly bytes: number;
  readonly n: number;
  readonly source: string;
}

/**
 * The mounts start_kernel() makes, each alloc_super() → kzalloc(sizeof(struct super_block))
 * (fs/super.c): shmem_init()'s and bdev_cache_init()'s kern_mount(), init_mount_tree()'s rootfs
 * (from mnt_init()), nsfs_init() and pidfs_init() (init/main.c, 6.12.117); 7.2.13's
 * init_mount_tree() mounts nullfs under rootfs first (traits.late.nullfsRootMount).
 */
const bootMounts = (traits: KernelTraits): readonly string[] => [
  'shmem_init() kern_mount(&shmem_fs_type)',
  ...(traits.late.nullfsRootMount ? ['init_mount_tree() vfs_kern_mount(&nullfs_fs_type)'] : []),
  'init_mount_tree() vfs_kern_mount(&rootfs_fs_type)',
  'bdev_cache_init() kern_mount(&bd_type)',
  'nsfs_init() kern_mount(&nsfs)',
  'pidfs_init() kern_mount(&pidfs_type)',
];

/**
 * The kmalloc()s of start_kernel() and kernel_init_freeable() whose objects are alive at the print,
 * by call site (6.12.117, 7.2.13; each seen in a kmem:kmalloc trace of a boot): the MCE record
 * pool, kernfs' global locks, AppArmor's path buffers, the first virtual console, the
 * super_blocks of the boot mounts, the legacy IRQ descriptors and the workqueue_structs of
 * WORKQUEUES. Sizes from the facts; a pool above KMALLOC_MAX_CACHE_SIZE is whole pages
 * (bootKmallocLarge), the rest is packed with the per-task objects (kmallocObjects).
 */
function bootKmallocs(state: BootState, ctx: BootContext, traits: KernelTraits): BootKmalloc[] {
  const topo = topologyOf(state, ctx);
  const out: BootKmalloc[] = [];
  const cpu = bootCpu(ctx);
  // identify_boot_cpu() → mcheck_cpu_init() returns before mce_gen_pool_init() unless mce_available(): X86_FEATURE_MCE and MCA
  if (configOn(ctx, 'X86_MCE') && cpu.has('mce') && cpu.has('mca')) {
    const llist = Number(structBytes(ctx, 'mce_evt_llist', STAGE));
    const order = Math.ceil(Math.log2(llist)); // order_base_2()
    const records = Math.max(MCE_MIN_ENTRIES, topo.possibleCpus * MCE_PER_CPU);
    out.push({ what: `MCE record pool (${records} records of 2^${order} B)`, bytes: records << order, n: 1, source: 'arch/x86/kernel/cpu/mce/core.c: mcheck_cpu_init() → genpool.c mce_gen_pool_create() kmalloc(mce_poolsz)' });
  }
  out.push({ what: 'kernfs_global_locks', bytes: Number(structBytes(ctx, 'kernfs_global_locks', STAGE)), n: 1, source: 'fs/kernfs/mount.c: kernfs_init() (from mnt_init(), vfs_caches_init()) → kernfs_lock_init() kmalloc(sizeof(struct kernfs_global_locks))' });
  // security_init() runs AppArmor's init with one CPU online: alloc_buffers() takes 2 + RESERVE_COUNT buffers
  if (configOn(ctx, 'SECURITY_APPARMOR') && (configValue(ctx, 'LSM').value ?? '').split(',').includes('apparmor')) {
    out.push({ what: 'AppArmor path buffers (aa_g_path_max = 2 × PATH_MAX)', bytes: 2 * PATH_MAX, n: 2 + AA_RESERVE_COUNT, source: 'security/apparmor/lsm.c: apparmor_init() (from security_init()) → alloc_buffers() kmalloc(aa_g_path_max) × (2 + RESERVE_COUNT) while num_online_cpus() is 1' });
  }
  // con_init() is the console_initcall of every CONFIG_VT build
  if (configOn(ctx, 'VT')) {
    // vc_init(): vc_screenbuf_size = rows × cols × 2, vgacon's 80 × 25 from SeaBIOS's text mode 3 (arch/x86/kernel/setup.c vgacon_register_screen(&screen_info))
    if (!configOn(ctx, 'VGA_CONSOLE')) throw new SimError('SIM_NOT_MODELLED', STAGE, 'con_init: expected CONFIG_VGA_CONSOLE=y (vgacon sizes tty1\'s screen buffer), got it unset: dummycon\'s size is not modelled');
    const [cols, rows] = [80, 25];
    out.push({ what: 'struct vc_data of tty1', bytes: Number(structBytes(ctx, 'vc_data', STAGE)), n: 1, source: 'drivers/tty/vt/vt.c: con_init() (console_init()) kzalloc(sizeof(struct vc_data))' });
    out.push({ what: `tty1 screen buffer (${cols} × ${rows} × 2)`, bytes: cols * rows * 2, n: 1, source: 'drivers/tty/vt/vt.c: con_init() kzalloc(vc->vc_screenbuf_size)' });
  }
  // init_kprobes() (early_initcall) → populate_kprobe_blacklist(); dynamic_debug_init() (early_initcall) → ddebug_add_module()
  if (configOn(ctx, 'KPROBES')) {
    const k = ctx.kernel.facts.bootLists?.kprobeBlacklist;
    if (!k) throw new SimError('SIM_NOT_MODELLED', STAGE, 'init_kprobes: expected facts.bootLists (CONFIG_KPROBES=y), got none; re-run `bootsim kernel facts`');
    out.push({ what: `kprobe_blacklist_entries (${k.sectionEntries} NOKPROBE_SYMBOL words + ${k.areaEntries} symbols of the kprobes, noinstr and entry text)`, bytes: Number(structBytes(ctx, 'kprobe_blacklist_entry', STAGE)), n: k.sectionEntries + k.areaEntries, source: 'kernel/kprobes.c: init_kprobes() → populate_kprobe_blacklist() → kprobe_add_ksym_blacklist() kmalloc(sizeof(*ent)) per entry' });
  }
  if (configOn(ctx, 'DYNAMIC_DEBUG')) {
    const n = ctx.kernel.facts.bootLists?.dyndbgModules;
    if (n === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, 'dynamic_debug_init: expected facts.bootLists (CONFIG_DYNAMIC_DEBUG=y), got none; re-run `bootsim kernel facts`');
    out.push({ what: 'ddebug_tables (one per __dyndbg module)', bytes: Number(structBytes(ctx, 'ddebug_table', STAGE)), n, source: 'lib/dynamic_debug.c: dynamic_debug_init() → ddebug_add_module() kzalloc(sizeof(*dt)) per run of one modname' });
  }
  const mounts = bootMounts(traits);
  out.push({ what: 'super_blocks', bytes: Number(structBytes(ctx, 'super_block', STAGE)), n: mounts.length, source: `fs/super.c: alloc_super() kzalloc(sizeof(struct super_block)) for ${mounts.join(', ')}` });
  if (configOn(ctx, 'SPARSE_IRQ')) out.push({ what: 'legacy irq_descs', bytes: Number(structBytes(ctx, 'irq_desc', STAGE)), n: NR_IRQS_LEGACY, source: 'kernel/irq/irqdesc.c: early_irq_init() → alloc_desc() kzalloc_node(sizeof(*desc)) for the NR_IRQS_LEGACY preallocated irqs' });
  // alloc_workqueue(): struct_size(wq, node_nr_active, nr_node_ids + 1) when WQ_UNBOUND, else sizeof(*wq)
  const wqs = WORKQUEUES.filter((w) => !w.when || w.when(traits));
  const wq = Number(structBytes(ctx, 'workqueue_struct', STAGE));
  const unboundWq = wq + (topo.nrNodeIds + 1) * Number(structBytes(ctx, 'wq_node_nr_active', STAGE));
  const unbound = wqs.filter((w) => w.kind === 'unbound').length;
  out.push({ what: 'per-CPU and ordered workqueue_structs', bytes: wq, n: wqs.length - unbound, source: 'kernel/workqueue.c: alloc_workqueue() kzalloc(sizeof(*wq)) for each of WORKQUEUES' });
  out.push({ what: 'unbound workqueue_structs', bytes: unboundWq, n: unbound, source: 'kernel/workqueue.c: alloc_workqueue() kzalloc(struct_size(wq, node_nr_active, nr_node_ids + 1)) for each WQ_UNBOUND one of WORKQUEUES' });
  return out.filter((k) => k.n > 0);
}

/** bootKmallocs' objects above KMALLOC_MAX_CACHE_SIZE: mm/slub.c kmalloc_large() → alloc_pages(get_order(size)) each. */
function bootKmallocLarge(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  if (!bootCaches(state, ctx, traits)) return [];
  return bootKmallocs(state, ctx, traits).filter((k) => k.bytes > KMALLOC_MAX_CACHE_SIZE).map((k) => {
    const order = getOrder(BigInt(k.bytes));
    return { name: `kmalloc_large: ${k.what}, ${k.bytes} B → order ${order}${k.n > 1 ? ` × ${k.n}` : ''}`, pages: BigInt(k.n) << BigInt(order), source: `${k.source} → mm/slub.c kmalloc_large() (> KMALLOC_MAX_CACHE_SIZE)` };
  });
}

/** Every kmalloc object counted packed (per-task and bootKmallocs), by bucket. */
function kmallocObjects(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): Map<number, { n: number; what: string[] }> {
  const out = perTaskKmalloc(ctx, tasks);
  for (const k of [...bootKmallocs(state, ctx, traits), ...rootMemcgKmallocs(state, ctx, traits)]) {
    if (k.bytes > KMALLOC_MAX_CACHE_SIZE) continue;
    const b = kmallocBucket(k.bytes);
    const e = out.get(b) ?? { n: 0, what: [] };
    out.set(b, { n: e.n + k.n, what: [...e.what, `${k.n} ${k.what}`] });
  }
  return out;
}

/** The kmalloc objects packed into their buckets (when no sheaves share the buckets; see slubSheaves). */
function perTaskKmallocSlabs(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  if (!bootCaches(state, ctx, traits)) return [];
  const topo = topologyOf(state, ctx);
  // on 7.2 the buckets the sheaves use are counted with them (slubSheaves)
  const sheafBuckets = traits.late.slubSheaves ? sheafBucketsOf(ctx) : new Set<number>();
  return [...kmallocObjects(state, ctx, traits, tasks)].filter(([b]) => !sheafBuckets.has(b)).sort((a, b) => a[0] - b[0]).map(([bucket, { n, what }]) => {
    const { order, objects } = calculateOrder(bucket, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
    const taken = sheafRounded(ctx, traits, bucket, n);
    const slabs = Math.ceil(taken / objects);
    return {
      name: `kmalloc-${bucket} slabs: ${what.join(' + ')} = ${n} objects${taken > n ? ` (${taken} in whole sheaves)` : ''}, ${objects} per order-${order} slab → ${slabs} slabs (packed)`,
      pages: BigInt(slabs) << BigInt(order),
      source: `kernel/fork.c copy_process() set_kthread_struct(); kernel/workqueue.c alloc_worker(); mm/vmalloc.c __get_vm_area_node(), __vmalloc_area_node(); bootKmallocs' call sites → mm/slub.c calculate_order(${bucket})`,
    };
  });
}

/**
 * The thread stacks' vmap_area objects (mm/vmalloc.c alloc_vmap_area(): the per-node pools are empty
 * before anything is freed, so kmem_cache_alloc_node(vmap_area_cachep), KMEM_CACHE(vmap_area)):
 * one per stack; on 7.2 at least one sheaf's capacity (the boot CPU's refill, see firstObjectSlabs).
 */
function vmapAreaSlabs(state: BootState, ctx: BootContext, traits: KernelTraits, tasks: readonly TaskCount[]): LateAlloc[] {
  const caches = bootCaches(state, ctx, traits);
  if (!caches || !caches.some((c) => c.name === 'vmap_area')) return [];
  const topo = topologyOf(state, ctx);
  const slot = Math.ceil(Number(structBytes(ctx, 'vmap_area', STAGE)) / 8) * 8;
  const stacks = Number(tasks.reduce((a, t) => a + t.n, 0n));
  const cap = traits.late.slubSheaves ? sheafCapacity(slot, Number(structBytes(ctx, 'slab_sheaf', STAGE))) : 0;
  const n = Math.max(stacks, cap);
  const { order, objects } = calculateOrder(slot, topo.possibleCpus, topo.possibleCpus, slubOrders(ctx));
  const slabs = Math.ceil(n / objects);
  return [{
    name: `vmap_area slabs: ${stacks} thread stacks${n > stacks ? ` (the boot CPU's refilled sheaf: ${n})` : ''} of ${slot} B, ${objects} per order-${order} slab → ${slabs} slabs (packed)`,
    pages: BigInt(slabs) << BigInt(order),
    source: `kernel/fork.c alloc_thread_stack_node() → mm/vmalloc.c __vmalloc_node_range() → alloc_vmap_area() → calculate_order(${slot})`,
  }];
}

/** rootMemcgSlabs' plain kmalloc objects on the first memory node (6.12: no memcg caches), packed with the other kmalloc objects. */
function rootMemcgKmallocs(state: BootState, ctx: BootContext, traits: KernelTraits): BootKmalloc[] {
  if (traits.late.slubSheaves || !configOn(ctx, 'MEMCG') || !bootCaches(state, ctx, traits)) return [];
  const topo = topologyOf(state, ctx);
  const source = 'kernel/cgroup/cgroup.c: cgroup_init() → mm/memcontrol.c mem_cgroup_alloc() kzalloc(struct_size(memcg, nodeinfo, nr_node_ids)), alloc_mem_cgroup_per_node_info() kzalloc_node()';
  return [
    { what: 'root mem_cgroup', bytes: Number(structBytes(ctx, 'mem_cgroup', STAGE)) + topo.nrNodeIds * 8, n: 1, source },
    { what: 'root mem_cgroup_per_node', bytes: Number(structBytes(ctx, 'mem_cgroup_per_node', STAGE)), n: 1, source },
  ];
}

/**
 * The root memory cgroup (CONFIG_MEMCG; 6.12.115, 7.2.13): start_kernel() → cgroup_init() →
 * cgroup_init_subsys(memory) → mem_cgroup_css_alloc(NULL) → mem_cgroup_alloc() (mm/memcontrol.c):
 * the mem_cgroup of struct_size(nodeinfo, nr_node_ids) (6.12 kzalloc; 7.2 memcg_cachep, which
 * mem_cgroup_init() creates just before cgroup_init(), SLAB_HWCACHE_ALIGN), its memcg_vmstats
 * (kzalloc GFP_KERNEL_ACCOUNT: a kmalloc-cg bucket), and for_each_node() a mem_cgroup_per_node
 * (6.12 kzalloc_node; 7.2 kmem_cache_alloc_node(memcg_pn_cachep)) and its lruvec_stats (kzalloc_node
 * GFP_KERNEL_ACCOUNT). Counted on the memory nodes only (a memoryless node's objects fall back to
 * another node's slabs), packed per cache and node; on 7.2 the boot CPU's first allocation from
 * memcg_cachep, and from memcg_pn_cachep for its own node (alloc_from_pcs() takes the sheaf only for
 * numa_mem_id()), fills a sheaf (see firstObjectSlabs).
 */
function rootMemcgSlabs(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  const caches = bootCaches(state, ctx, traits);
  if (!caches || !configOn(ctx, 'MEMCG')) return [];
  const topo = topologyOf(state, ctx);
  const orders = slubOrders(ctx);
  const sheaves = traits.late.slubSheaves;
  const header = sheaves ? Number(structBytes(ctx, 'slab_sheaf', STAGE)) : 0;
  const bootNode = topo.cpuToNode[0] ?? 0;
  const nodes = topo.memoryNodes;
  // cache name → node → [objects, slot]
  const groups = new Map<string, Map<number, { n: number; slot: number }>>();
  const put = (cache: string, node: number, slot: number, n: number): void => {
    const g = groups.get(cache) ?? new Map<number, { n: number; slot: number }>();
    g.set(node, { n: (g.get(node)?.n ?? 0) + n, slot });
    groups.set(cache, g);
  };
  const memcgBytes = Number(structBytes(ctx, 'mem_cgroup', STAGE)) + topo.nrNodeIds * 8;
  const pnBytes = Number(structBytes(ctx, 'mem_cgroup_per_node', STAGE));
  const cg = (bytes: number): string => `kmalloc-cg-${kmallocBucket(bytes)}`;
  if (sheaves) {
    const memcgSlot = hwcacheAlign(memcgBytes);
    const pnSlot = hwcacheAlign(pnBytes);
    put('mem_cgroup', nodes[0] ?? 0, memcgSlot, sheafCapacity(memcgSlot, header));
    for (const nd of nodes) put('mem_cgroup_per_node', nd, pnSlot, nd === bootNode ? sheafCapacity(pnSlot, header) : 1);
  } else {
    // the first memory node's plain kmalloc objects are packed with the others (kmallocObjects, rootMemcgKmallocs)
    for (const nd of nodes.slice(1)) put(`kmalloc-${kmallocBucket(pnBytes)}`, nd, kmallocBucket(pnBytes), 1);
  }
  put(cg(Number(structBytes(ctx, 'memcg_vmstats', STAGE))), nodes[0] ?? 0, kmallocBucket(Number(structBytes(ctx, 'memcg_vmstats', STAGE))), 1);
  const lruvec = Number(structBytes(ctx, 'lruvec_stats', STAGE));
  for (const nd of nodes) put(cg(lruvec), nd, kmallocBucket(lruvec), 1);
  const out: LateAlloc[] = [];
  for (const [cache, byNode] of groups) {
    for (const [nd, { n, slot }] of [...byNode].sort((a, b) => a[0] - b[0])) {
      const { order, objects } = calculateOrder(slot, topo.possibleCpus, topo.possibleCpus, orders);
      const slabs = Math.ceil(n / objects);
      out.push({
        name: `root memory cgroup: ${cache} on node ${nd}, ${n} object${n > 1 ? 's' : ''} of ${slot} B, ${objects} per order-${order} slab → ${slabs} slab${slabs > 1 ? 's' : ''}`,
        pages: BigInt(slabs) << BigInt(order),
        source: `kernel/cgroup/cgroup.c: cgroup_init() → mm/memcontrol.c mem_cgroup_css_alloc() → mem_cgroup_alloc(), alloc_mem_cgroup_per_node_info() → mm/slub.c calculate_order(${slot})`,
      });
    }
  }
  return out;
}

/** for_each_online_node at kmem_cache_init(): every node of the SRAT is online by then (x86 numa_init, init_cpu_to_node() onlines the memoryless ones); one without NUMA. */
function numaNodeCount(state: BootState, ctx: BootContext): number {
  const n = sliceIfAny(state, 'numa');
  if (!configOn(ctx, 'NUMA') || !n) return 1;
  return Math.max(1, n.nodes.length);
}

/** The pages taken from the buddy between memblock_free_all() and the late Memory: print (x86_64, ≥ 6.12). */
export function lateAllocations(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc[] {
  const out: LateAlloc[] = [];
  const facts = ctx.kernel.facts;
  // kernel/trace/ftrace.c: ftrace_init() → ftrace_process_locs(NULL, __start_mcount_loc, __stop_mcount_loc)
  if (configOn(ctx, 'DYNAMIC_FTRACE')) {
    const m = facts.mcountLoc;
    if (!m) throw new SimError('SIM_NOT_MODELLED', STAGE, 'ftrace_init: expected facts.mcountLoc (CONFIG_DYNAMIC_FTRACE=y), got none; re-run `bootsim kernel facts`');
    const entrySize = Number(structBytes(ctx, 'dyn_ftrace', STAGE));
    const r = ftraceAllocatePages(m.entries, m.zeroed, entrySize);
    out.push({ name: `ftrace records: ${m.entries - m.zeroed} entries of ${entrySize} B in ${r.groups} groups`, pages: r.pages, source: 'kernel/trace/ftrace.c: ftrace_process_locs() → ftrace_allocate_pages(), unused groups freed (6.12, 7.2)' });
  }
  if (configOn(ctx, 'TRACING')) {
    // trace_create_savedcmd() → allocate_cmdlines_buffer(SAVED_CMDLINES_DEFAULT): alloc_pages(get_order(size))
    const size = structBytes(ctx, 'saved_cmdlines_buffer', STAGE) + SAVED_CMDLINES_DEFAULT * TASK_COMM_LEN;
    out.push({ name: `tracer savedcmd (sizeof(saved_cmdlines_buffer) + 128 × TASK_COMM_LEN = ${size} B, order ${getOrder(size)})`, pages: 1n << BigInt(getOrder(size)), source: 'kernel/trace/trace_sched_switch.c: allocate_cmdlines_buffer() (6.12, 7.2)' });
    const n = tracerAllocBuffers(ctx, traits);
    const cpus = onlineCpus(ctx).n;
    out.push({ name: `tracer ring buffers: ${n} buffers × ${cpus} online CPUs × (reader + 2 pages)`, pages: BigInt(n) * cpus * RB_PAGES_PER_CPU, source: 'kernel/trace/trace.c: tracer_alloc_buffers(), trace_rb_cpu_prepare() → ring_buffer.c rb_allocate_cpu_buffer() (6.12, 7.2)' });
    if (configOn(ctx, 'EVENT_TRACING')) out.push(...traceEventSlabs(state, ctx));
  }
  out.push(...hashTables(state, ctx));
  const tasks = taskCounts(state, ctx, traits);
  out.push(...allocThreadStackNode(tasks, ctx));
  out.push(...taskStructSlabs(state, ctx, traits, tasks));
  out.push(...signalSlabs(state, ctx, traits, tasks));
  out.push(...pidCredSlabs(state, ctx, traits, tasks));
  out.push(mmStructSlab(state, ctx, traits));
  out.push(pokingPageTables(ctx, traits));
  out.push(...poolWorkqueueSlabs(state, ctx, traits));
  out.push(...secondaryCpuPcpPages(state, ctx, traits));
  out.push(...bootCpuPcpPages(state, ctx, traits, tasks));
  if (traits.late.slubSheaves) out.push(...slubSheaves(state, ctx, traits, tasks));
  out.push(...kmemCacheSlabs(state, ctx, traits));
  out.push(...firstObjectSlabs(state, ctx, traits));
  out.push(...vmapAreaSlabs(state, ctx, traits, tasks));
  out.push(...perTaskKmallocSlabs(state, ctx, traits, tasks));
  out.push(...bootKmallocLarge(state, ctx, traits));
  out.push(...rootMemcgSlabs(state, ctx, traits));
  return out;
}

export const lateAllocTerms = (allocs: readonly LateAlloc[], K: (pages: bigint) => bigint): ExplainTerm[] => allocs.map((a) => ({ name: a.name, value: -K(a.pages), source: a.source }));

