// models the buddy allocations between memblock_free_all() and page_alloc_init_late()'s
// mem_init_print_info() (mm/mm_init.c 6.12.115, 7.2.13): from 6.12 "available" is
// nr_free_pages() after start_kernel's allocators and kernel_init_freeable's threads have run.
// Each term is one kernel function's allocation, counted in pages, from the source and the
// kernel facts: ftrace's records, the tracer's savedcmd and ring buffers, the trace event file
// and field slabs, the non-early system hash tables, thread stacks and the task_struct, sighand
// and signal slabs, and poking_init()'s mm_struct and page tables.
// Not modelled (measured at the print on 6.12 pc 512M, 2 CPUs, by reading the kernel's counters
// under gdb): the other slab caches (~225 pages: sighand and
// signal beyond the packed count ~12, kmalloc-*, pool_workqueue …), pages left on the per-CPU page lists (~117; ~1425 on
// 4 nodes, where the boot task's MPOL_INTERLEAVE policy leaves CPU 0 a list on every node), the
// unfolded vm_stat_diff and the other kernel page tables (~35).
import type { BootContext, BootState } from '../boot.ts';
import type { ExplainTerm } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { configNumber, configOn, structBytes, topologyOf } from './mm-inputs.ts';
import { sliceIfAny } from '../state.ts';
import { cmdlineValue } from './cmdline.ts';
import { possibleCpuMap } from './possible-cpus.ts';
import { getOrder, hashdistOf, hashesStateOf, hashSize } from './hashes.ts';
import { SimError } from '../lib/errors.ts';
import { fpuKernelDefaultSize, pgtableL5Enabled } from './boot-cpu.ts';

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
  { name: 'rescuer kworker/R-kvfree_rcu_reclaim', scope: 'global', source: 'kernel/rcu/tree.c: kfree_rcu_batch_init() alloc_workqueue("kvfree_rcu_reclaim", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-rcu_gp', scope: 'global', source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("rcu_gp", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-sync_wq', scope: 'global', source: 'kernel/rcu/tree.c: rcu_init() alloc_workqueue("sync_wq", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-slub_flushwq', scope: 'global', source: 'mm/slub.c: kmem_cache_init_late() alloc_workqueue("slub_flushwq", WQ_MEM_RECLAIM); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-netns', scope: 'global', source: 'net/core/net_namespace.c: net_ns_init() create_singlethread_workqueue("netns"); rescuer from workqueue_init()' },
  { name: 'rescuer kworker/R-mm_percpu_wq', scope: 'global', source: 'mm/vmstat.c: init_mm_internals() alloc_workqueue("mm_percpu_wq", WQ_MEM_RECLAIM)' },
  { name: 'unbound pool worker kworker/u:0', scope: 'global', source: 'kernel/workqueue.c: workqueue_init() create_worker() for each unbound pool' },
  { name: 'second worker kworker/0:1', scope: 'global', source: 'kernel/workqueue.c: worker_thread() → manage_workers() → maybe_create_worker() (boot CPU pool busy with the first work items)' },
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
  { name: 'kworker/N:0', scope: 'online-cpu', source: 'kernel/workqueue.c: workqueue_init() / workqueue_online_cpu() create_worker(), normal pool' },
  { name: 'kworker/N:0H', scope: 'online-cpu', source: 'kernel/workqueue.c: workqueue_init() / workqueue_online_cpu() create_worker(), highpri pool' },
  { name: 'idle task', scope: 'secondary-cpu', source: 'kernel/smpboot.c: idle_threads_init() → idle_init() → fork_idle() (the boot CPU\'s is init_task, static)' },
  { name: 'pgdatinit%d', scope: 'memory-node', source: 'mm/mm_init.c: page_alloc_init_late() kthread_run(deferred_init_memmap, …, "pgdatinit%d") per N_MEMORY node' },
  { name: 'per-node unbound pool worker', scope: 'extra-node', source: 'kernel/workqueue.c: workqueue_init_topology() → wq_update_pod(): one unbound pool per node pod, each with its first worker' },
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

/** mm/slub.c (6.12, 7.2): the order and objects of a cache's slabs, calculate_order() with no slab_* parameters. */
export function calculateOrder(size: number, presentCpus: number, nrCpuIds: number): { order: number; objects: number } {
  // slub_min_order 0, slub_max_order PAGE_ALLOC_COSTLY_ORDER (3), slub_min_objects 0; MAX_OBJS_PER_PAGE 32767
  const maxOrder = 3;
  const page = Number(PAGE_SIZE);
  const orderObjects = (order: number): number => Math.floor((page << order) / size);
  const fls = (x: number): number => 32 - Math.clz32(x);
  const nrCpus = presentCpus <= 1 ? nrCpuIds : presentCpus;
  let minObjects = 4 * (fls(nrCpus) + 1);
  minObjects = Math.min(minObjects, Math.max(orderObjects(maxOrder), 1));
  const minOrder = getOrder(BigInt(minObjects * size));
  if (orderObjects(minOrder) > 32767) {
    const order = getOrder(BigInt(size * 32767)) - 1;
    return { order, objects: orderObjects(order) };
  }
  for (let fraction = 16; fraction > 1; fraction /= 2) {
    // calc_slab_order(): the first order whose leftover is at most slab_size / fraction
    let order = minOrder;
    for (; order <= maxOrder; order++) {
      const slab = page << order;
      if (slab % size <= slab / fraction) break;
    }
    if (order <= maxOrder) return { order, objects: orderObjects(order) };
  }
  const order = getOrder(BigInt(size));
  return { order, objects: orderObjects(order) };
}

/** The slab-size parameters calculate_order() reads; a boot that sets one is not modelled here. */
const SLUB_ORDER_PARAMS = ['slub_min_order', 'slub_max_order', 'slub_min_objects', 'slab_min_order', 'slab_max_order', 'slab_min_objects', 'slub_debug', 'slab_debug'] as const;

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
  for (const p of SLUB_ORDER_PARAMS) {
    if (cmdlineValue(ctx.spec, p) !== undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: ${p}: changes the slab orders calculate_order() gives (mm/slub.c); the late Memory: model takes the defaults only`);
  }
  const task = Number(structBytes(ctx, 'task_struct', STAGE));
  // fpu_kernel_cfg.default_size: sizeof(struct fxregs_state) without XSAVE, else the XSAVE standard-format size (sim/stages/boot-cpu.ts)
  const fpuDefault = fpuKernelDefaultSize(ctx, Number(structBytes(ctx, 'fxregs_state', STAGE)));
  const fx = fpuDefault.bytes;
  const fpu = traits.late.taskStructHasFpu ? Number(structBytes(ctx, 'fpu', STAGE)) : 0;
  const objSize = task + fpu - Number(PAGE_SIZE) + fx;
  // ALIGN(object, L1_CACHE_BYTES = 64) (calculate_sizes)
  const size = Math.ceil(objSize / 64) * 64;
  const topo = topologyOf(state, ctx);
  const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus);
  const perNode = new Map<number, bigint>();
  for (const t of tasks) for (const [nd, n] of t.perNode) perNode.set(nd, (perNode.get(nd) ?? 0n) + n);
  const out: LateAlloc[] = [];
  for (const [nd, n] of [...perNode].sort((a, b) => a[0] - b[0])) {
    const slabs = (n + BigInt(objects) - 1n) / BigInt(objects);
    out.push({
      name: `task_struct slabs on node ${nd}: ${n} tasks of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed; per-CPU slabs not modelled)`,
      pages: slabs << BigInt(order),
      source: `kernel/fork.c fork_init() → mm/slub.c calculate_order(${size}); arch_task_struct_size = ${task}${fpu ? ` + ${fpu}` : ''} − ${PAGE_SIZE} + ${fx} (arch/x86/kernel/fpu/init.c fpu__init_task_struct_size; default_size: ${fpuDefault.why})`,
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
function signalSlabs(state: BootState, ctx: BootContext, tasks: readonly TaskCount[]): LateAlloc[] {
  const n = tasks.reduce((a, t) => a + t.n, 0n);
  const topo = topologyOf(state, ctx);
  const out: LateAlloc[] = [];
  for (const [cache, struct, freeptrOutside] of [['sighand_cache', 'sighand_struct', true], ['signal_cache', 'signal_struct', false]] as const) {
    const obj = Number(structBytes(ctx, struct, STAGE)) + (freeptrOutside ? 8 : 0);
    const size = Math.ceil(obj / 64) * 64;
    const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus);
    const slabs = (n + BigInt(objects) - 1n) / BigInt(objects);
    out.push({
      name: `${cache} slabs: ${n} tasks' ${struct} of ${size} B, ${objects} per order-${order} slab → ${slabs} slabs (packed; per-CPU slabs not modelled)`,
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
 * cpumask_size() on 6.12 and cpumask_size() + bitmap_size(num_possible_cpus()) on 7.2. One
 * object: one slab of the cache's order.
 */
function mmStructSlab(state: BootState, ctx: BootContext, traits: KernelTraits): LateAlloc {
  const topo = topologyOf(state, ctx);
  const nrCpus = configNumber(ctx, 'NR_CPUS');
  const bitmapSize = (bits: number): number => Math.ceil(bits / 64) * 8;
  const large = nrCpus > 4 * 64 ? topo.possibleCpus : nrCpus;
  const cpumask = bitmapSize(large);
  const cid = !configOn(ctx, 'SCHED_MM_CID') ? 0 : traits.late.mmCidBitmap ? cpumask + bitmapSize(topo.possibleCpus) : cpumask;
  const mm = Number(structBytes(ctx, 'mm_struct', STAGE));
  const size = Math.ceil((mm + cpumask + cid) / 64) * 64;
  const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus);
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
    const { order, objects } = calculateOrder(size, topo.possibleCpus, topo.possibleCpus);
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
  out.push(...signalSlabs(state, ctx, tasks));
  out.push(mmStructSlab(state, ctx, traits));
  out.push(pokingPageTables(ctx, traits));
  return out;
}

export const lateAllocTerms = (allocs: readonly LateAlloc[], K: (pages: bigint) => bigint): ExplainTerm[] => allocs.map((a) => ({ name: a.name, value: -K(a.pages), source: a.source }));

