import { describe, expect, test } from 'vitest';
import { bootContext, type BootContext } from '../../../sim/boot.ts';
import { bootSlabCacheGeometry, ftraceAllocatePages, lateAllocations, onlineCpus, calculateOrder, sheafBytes } from '../../../sim/stages/late-allocs.ts';
import { deriveTraits } from '../../../sim/traits.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import { simErrorCode } from '../sim-error-code.ts';
import { handBoot } from './hand-boot.ts';

const M = 1024 * 1024;
function ctx(p: Partial<MachineSpec>): BootContext {
  const spec: MachineSpec = { name: 't', kernel: '6.12-amd64', machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
// Each boot is simulated once (./hand-boot.ts): the cases ask some twenty times for the same two boots (6.12 and 7.2).
function allocs(p: Partial<MachineSpec>): Map<string, bigint> {
  const { ctx: c, result: { state } } = handBoot(p);
  return new Map(lateAllocations(state, c, deriveTraits(c.kernel)).map((a) => [a.name, a.pages]));
}
const sumWhere = (m: Map<string, bigint>, f: (name: string) => boolean): bigint => [...m].filter(([n]) => f(n)).reduce((a, [, v]) => a + v, 0n);

describe('ftrace_allocate_pages / ftrace_process_locs', () => {
  test.each([
    // expect: 45913 × 16 B → 180 pages in 4 groups: order 7 (32768 entries), 5 (8192), 4 (4096), 2 (1024 ≥ 857 left)
    ['groups_6_12', 45913, 664, 180n, 4],
    // expect: 50092 × 16 B → 196 pages in 3 groups: order 7 (32768), 6 (16384), 2 (1024 ≥ 940 left)
    ['groups_7_2', 50092, 681, 196n, 3],
    // expect: 4097 entries → order 4 (4096) + order 0 (1); one zeroed site leaves 4096 live, so the order-0 group is freed
    ['unused_group_freed', 4097, 1, 16n, 1],
    // expect: the same table with no zeroed site keeps both groups
    ['no_zeroed_keeps_all', 4097, 0, 17n, 2],
  ] as const)('%s', (_n, entries, zeroed, pages, groups) => {
    expect(ftraceAllocatePages(entries, zeroed, 16)).toEqual({ pages, groups });
  });
});

describe('calculate_order (mm/slub.c)', () => {
  test.each([
    // expect: 6.12 task_struct 6208 B, 2 CPUs: min_objects 12 capped at 5 (order 3) → order 3, 5 per slab (/proc/slabinfo: 5 objs per 8 pages)
    ['task_struct_6_12', 6208, 2, 3, 5],
    // expect: 7.2's 6720 B: 4 per order-3 slab
    ['task_struct_7_2', 6720, 2, 3, 4],
    // expect: 64 B objects: min_objects 12 fit in one page with no leftover → order 0, 64 per slab
    ['kmalloc_64', 64, 2, 0, 64],
    // expect: 1152 B (signal_cache) on 4 CPUs: min_objects 16 → get_order(18432) = 3, leftover 512 ≤ 32K/16 → order 3, 28 per slab
    ['signal_cache_4cpu', 1152, 4, 3, 28],
    // expect: one present CPU falls back to nr_cpu_ids (here 1): min_objects 8 → 2112 × 8 → order 3, 15 per slab
    ['one_cpu_uses_nr_cpu_ids', 2112, 1, 3, 15],
  ] as const)('%s', (_n, size, cpus, order, objects) => {
    expect(calculateOrder(size, cpus, cpus)).toEqual({ order, objects });
  });

  test.each([
    // expect slub_max_order=1: max_objects = 8192 / 6208 = 1, min_order get_order(6208) = 1; leftover 1984 passes only at
    // fraction 4 (≤ 2048) → order 1, 1 per slab
    ['max_order_1_task_struct', 6208, { minOrder: 0, maxOrder: 1, minObjects: 0 }, 1, 1],
    // expect slub_min_objects=32: capped at order_objects(3) = 5 → as with no parameter, order 3, 5 per slab
    ['min_objects_32_capped', 6208, { minOrder: 0, maxOrder: 3, minObjects: 32 }, 3, 5],
    // expect slub_min_objects=2000 on 64 B: capped at 512 → get_order(32768) = 3, 512 per slab
    ['min_objects_2000_64b', 64, { minOrder: 0, maxOrder: 3, minObjects: 2000 }, 3, 512],
    // expect slub_min_order=2 on 64 B: min_order max(2, get_order(768) = 0) → order 2, 256 per slab
    ['min_order_2_64b', 64, { minOrder: 2, maxOrder: 3, minObjects: 0 }, 2, 256],
    // expect slub_max_order=0 on 6208 B: nothing fits in one page at any fraction → get_order(6208) = 1, 1 per slab
    ['max_order_0_too_big', 6208, { minOrder: 0, maxOrder: 0, minObjects: 0 }, 1, 1],
  ] as const)('with_parameters_%s', (_n, size, orders, order, objects) => {
    expect(calculateOrder(size, 2, 2, orders)).toEqual({ order, objects });
  });

  const DEFAULT_ORDERS = { minOrder: 0, maxOrder: 3, minObjects: 0 };
  test.each([
    // expect 12000 B, 2 CPUs: max_objects 2; at min_objects 2 get_order(24000) = 3 leaves 8768 > 32K/4, so 'backoff' drops to
    // min_objects 1 and takes one object at get_order(12000) = 2 (leftover 4384 ≤ 16K/1); 'min-order' keeps order 3 at fraction 2
    ['gives_up_min_objects', 12000, 2, DEFAULT_ORDERS, { order: 2, objects: 1 }, { order: 3, objects: 2 }],
    // expect 192 B, 2 CPUs: min_objects 12 → order 0 leaves 64 ≤ 4K/16 in both
    ['same_when_first_fraction_fits', 192, 2, DEFAULT_ORDERS, { order: 0, objects: 21 }, { order: 0, objects: 21 }],
    // expect 6208 B with slub_max_order=0: nothing fits one page → one object within MAX_ORDER, get_order(6208) = 1
    ['max_order_0', 6208, 2, { minOrder: 0, maxOrder: 0, minObjects: 0 }, { order: 1, objects: 1 }, { order: 1, objects: 1 }],
  ] as const)('backoff_%s', (_n, size, cpus, orders, backoff, minOrder) => {
    expect(calculateOrder(size, cpus, cpus, orders, 'backoff')).toEqual(backoff);
    expect(calculateOrder(size, cpus, cpus, orders, 'min-order')).toEqual(minOrder);
  });
});

describe('smp_init: online CPUs', () => {
  test.each([
    ['all_possible', undefined, 4, 4n],
    ['nosmp_boot_cpu_only', 'nosmp', 4, 1n],
    ['maxcpus_2', 'maxcpus=2', 4, 2n],
    ['maxcpus_above_possible', 'maxcpus=8', 4, 4n],
  ] as const)('%s', (_n, cmdline, possible, n) => {
    // expect: min(possible, setup_max_cpus), at least the boot CPU
    expect(onlineCpus(ctx({ cmdline, cpus: possible })).n).toBe(n);
  });
});

describe('late allocations before page_alloc_init_late() prints Memory: (6.12)', () => {
  test('pc_512m_two_cpus', () => {
    const m = allocs({});
    // expect: the 6.12 build's 45913-entry __mcount_loc → 180 pages (its log: "allocated 180 pages with 4 groups")
    expect(sumWhere(m, (n) => n.startsWith('ftrace records'))).toBe(180n);
    // expect: savedcmd 131096 + 128 × 16 B → order 6; 3 ring buffers × 2 CPUs × 3 pages
    expect(sumWhere(m, (n) => n.startsWith('tracer savedcmd'))).toBe(64n);
    expect(sumWhere(m, (n) => n.startsWith('tracer ring buffers'))).toBe(18n);
    // expect: 17 boot-time threads, 6 per online CPU × 2, one idle task, one pgdatinit: 31 stacks of 4 pages
    expect(sumWhere(m, (n) => n.startsWith('thread stack'))).toBe(124n);
    // expect: no hashdist on one node: mount tables are alloc_pages_exact, 1024 buckets × 8 B = 2 pages each
    expect(sumWhere(m, (n) => n.includes('Dentry') || n.includes('Inode'))).toBe(0n);
    expect(sumWhere(m, (n) => n.startsWith('Mount-cache') || n.startsWith('Mountpoint-cache'))).toBe(4n);
    // expect: 31 task_structs of 9792 − 4096 + 512 = 6208 B, 5 per order-3 slab → 7 slabs of 8 pages
    expect(sumWhere(m, (n) => n.startsWith('task_struct slabs'))).toBe(56n);
    // expect: 31 sighand_structs of ALIGN(2080 + 8, 64) = 2112 B, 15 per order-3 slab → 3 slabs;
    // 31 signal_structs of 1152 B, 14 per order-2 slab → 3 slabs
    expect(sumWhere(m, (n) => n.startsWith('sighand_cache'))).toBe(3n * 8n);
    expect(sumWhere(m, (n) => n.startsWith('signal_cache'))).toBe(3n * 4n);
  });

  test('trace_event_caches', () => {
    const m = allocs({});
    // expect: 778 events + 2 × 358 mapped syscalls = 1494 trace_event_files of 96 B, 42 per page → 36 slabs,
    // the 36 slabs gdb read in the trace_event_file kmem_cache_node at the print (6.12 pc 512M, 2 CPUs)
    expect(sumWhere(m, (n) => n.startsWith('trace_event_file'))).toBe(36n);
    // expect: 7 + 4 + 2422 + 2 + 358 + 1022 arguments = 3815 fields of 56 B, 73 per page → 53 slabs, as gdb read
    expect(sumWhere(m, (n) => n.startsWith('ftrace_event_field'))).toBe(53n);
    // expect: 7.2: 855 + 2 × 367 = 1589 files → 38 slabs (gdb read 39); 2885 + 11 + 2 + 367 + 1064 = 4329 fields
    // → 60 slabs (gdb 62: the user_mask "__<arg>_val" fields are not modelled)
    const m7 = allocs({ kernel: '7.2-amd64' });
    expect(sumWhere(m7, (n) => n.startsWith('trace_event_file'))).toBe(38n);
    expect(sumWhere(m7, (n) => n.startsWith('ftrace_event_field'))).toBe(60n);
  });

  test('poking_mm', () => {
    // expect: 6.12: 1344 + 8 + 8 → 1408 B (gdb: mm_struct size=1408, 23 per order-3 slab, 1 slab at the print)
    expect(sumWhere(allocs({}), (n) => n.startsWith('mm_struct slab') && n.includes('→ 1408 B, 23 per order-3'))).toBe(8n);
    // expect: 7.2 adds the possible-CPUs bitmap: 1728 + 8 + 16 → 1792 B (gdb: size=1792, 18 per order-3 slab)
    expect(sumWhere(allocs({ kernel: '7.2-amd64' }), (n) => n.startsWith('mm_struct slab') && n.includes('→ 1792 B, 18 per order-3'))).toBe(8n);
  });

  test('poking_mm_page_tables', () => {
    // expect: 6.12 built with PAGE_TABLE_ISOLATION: an order-1 PGD + PUD, PMD, PTE = 5 pages; la57 adds a P4D
    expect(sumWhere(allocs({}), (n) => n.startsWith('poking_mm page tables'))).toBe(5n);
    expect(sumWhere(allocs({ cpu: 'qemu64,+la57' }), (n) => n.startsWith('poking_mm page tables'))).toBe(6n);
    // expect: 7.2 sizes the PGD at run time: PTI is off on qemu64 (AMD, no Meltdown) → 1 + 3 pages
    expect(sumWhere(allocs({ kernel: '7.2-amd64' }), (n) => n.startsWith('poking_mm page tables'))).toBe(4n);
    // expect: pti=on on 7.2 would double the PGD: refused, not guessed
    expect(() => allocs({ kernel: '7.2-amd64', cmdline: 'pti=on' })).toThrow(expect.objectContaining({ code: 'SIM_NOT_MODELLED' }));
  });

  test.each([
    // expect: FXSAVE (qemu64): 9792 − 4096 + 512 = 6208 B, 5 per order-3 slab → 31 tasks in 7 slabs
    ['qemu64', 6208, 56n],
    // expect: XSAVE with AVX (Skylake-Client): + 832 → 6528 B, still 5 per slab
    ['Skylake-Client', 6528, 56n],
    // expect: PKRU on top (Skylake-Server, AVX-512 filtered by TCG): + 2696 → 8392, ALIGN 64 = 8448 B, 3 per slab → 11 slabs
    ['Skylake-Server', 8448, 88n],
  ] as const)('task_struct_xstate_%s: expect %i-byte objects and %i pages', (cpu, size, pages) => {
    const m = allocs({ cpu });
    expect([...m.keys()].find((n) => n.startsWith('task_struct slabs'))).toContain(`of ${size} B`);
    expect(sumWhere(m, (n) => n.startsWith('task_struct slabs'))).toBe(pages);
  });

  test('one_cpu', () => {
    const m = allocs({ cpus: 1 });
    // expect: 17 + 6 for the boot CPU + no idle task to fork + 1 pgdatinit = 24 stacks; ring buffers for the boot CPU only
    expect(sumWhere(m, (n) => n.startsWith('thread stack'))).toBe(96n);
    expect(sumWhere(m, (n) => n.startsWith('tracer ring buffers'))).toBe(9n);
  });

  test('four_nodes_hashdist', () => {
    const numa = [0, 1, 2, 3].map((i) => ({ memoryBytes: 1024 * M, memoryText: '1G', cpus: [i] }));
    const m = allocs({ memoryBytes: 4096 * M, memoryText: '4G', cpus: 4, numa });
    // expect: hashdist vmallocs the 4M dentry and 2M inode tables (1024 + 512 pages), plus the dentry table's 8K pages array
    expect(sumWhere(m, (n) => n.startsWith('Dentry cache'))).toBe(1024n + 2n);
    expect(sumWhere(m, (n) => n.startsWith('Inode-cache'))).toBe(512n);
    // expect: 8192 mount buckets × 8 B = 64K vmalloc'ed each (16 pages), 16 pointers fit in one kmalloc'ed array
    expect(sumWhere(m, (n) => n.startsWith('Mount-cache'))).toBe(16n);
    // expect: four pgdatinit threads and four per-node unbound workers on top of 17 + 6 × 4 + 3 idle
    expect(sumWhere(m, (n) => n.startsWith('thread stack'))).toBe((17n + 24n + 3n + 4n + 4n) * 4n);
    // expect: task_structs per node: node 0 holds the 17 global, CPU 0's 6, the 4 pgdatinit and its worker (28 → 6 slabs);
    // nodes 1–3 each their CPU's 6, its idle task and a worker (8 → 2 slabs)
    expect(sumWhere(m, (n) => n.startsWith('task_struct slabs on node 0'))).toBe(6n * 8n);
    expect(sumWhere(m, (n) => n.startsWith('task_struct slabs on node 3'))).toBe(2n * 8n);
  });

  test('seven_two_thread_set', () => {
    const m = allocs({ kernel: '7.2-amd64' });
    // expect: 7.2 spawns the RCU tasks kthreads later and adds kprobe-optimizer: 15 boot-time threads
    expect([...m.keys()].some((n) => n.includes('rcu_tasks'))).toBe(false);
    expect([...m.keys()].some((n) => n.includes('kprobe-optimizer'))).toBe(true);
    expect(sumWhere(m, (n) => n.startsWith('thread stack'))).toBe((15n + 12n + 1n + 1n) * 4n);
    // expect: the 7.2 build's table → 196 pages
    expect(sumWhere(m, (n) => n.startsWith('ftrace records'))).toBe(196n);
    // expect: 7.2 adds struct fpu back: 6080 + 4224 − 4096 + 512 = 6720 B, 4 per slab, 29 tasks → 8 slabs
    expect(sumWhere(m, (n) => n.startsWith('task_struct slabs'))).toBe(64n);
  });
});

describe('SLUB percpu sheaves (mm/slub.c 7.2)', () => {
  test.each([
    // expect: s->size < 256 → capacity 60: 32 + 480 = 512 B, already a kmalloc bucket (gdb: sheaf_capacity 60)
    ['kmalloc_8', 8, 512],
    ['ftrace_event_field', 56, 512],
    ['kmalloc_192', 192, 512],
    // expect: 256 ≤ s->size < 1024 → 26: 32 + 208 = 240 → kmalloc-256 (the capacity grows to 28, as gdb read)
    ['kmalloc_256', 256, 256],
    ['pool_workqueue', 512, 256],
    // expect: 1024 ≤ s->size < PAGE_SIZE → 12: 32 + 96 = 128 B exactly (sighand 2112, signal 1152, mm_struct 1792)
    ['kmalloc_1k', 1024, 128],
    ['sighand_cache', 2112, 128],
    // expect: s->size ≥ PAGE_SIZE → 4: 32 + 32 = 64 B (task_struct 6720, kmalloc-8k)
    ['kmalloc_4k', 4096, 64],
    ['task_struct', 6720, 64],
  ] as const)('sheaf_bytes_%s', (_n, size, bytes) => {
    // sizeof(struct slab_sheaf) = 32 (.BTF of 7.2.13)
    expect(sheafBytes(size, 32)).toBe(bytes);
  });

  test('none_on_6_12', () => {
    // expect: 6.12 has per-CPU kmem_cache_cpu slabs, no sheaves
    expect([...allocs({}).keys()].some((n) => n.startsWith('SLUB sheaves'))).toBe(false);
  });

  test('pc_512m_two_cpus_7_2', () => {
    const m = allocs({ kernel: '7.2-amd64' });
    // expect: 4 kmalloc types (normal, rcl, dma, cg: ZONE_DMA, MEMCG) × 13 sizes + kmalloc_buckets + 7 modelled caches
    // + pid + 11 first-object caches + vmap_area + mem_cgroup and mem_cgroup_per_node = 75, and the 24 other caches of the
    // 7.2 table's boot calls the creation model sizes = 99 (kmem_cache: 53 kmalloc + 48 others, less the two SLAB_NO_SHEAVES
    // bootstrap caches); each of the 22 non-kmalloc ones this stage fills also kmallocs a new sheaf
    // for the boot CPU's refill. 512-B sheaves (s->size < 256): 51 caches × 2 CPUs + 7 refills = 109, with bootKmallocs' 16
    // legacy irq_descs (512 B) and 14 + 6 workqueue_structs (320 B; 320 + 2 × 32 unbound) = 145 → 10 order-1 slabs of 16
    expect(sumWhere(m, (n) => n.startsWith('SLUB sheaves in kmalloc-512: 145 objects (51 caches\' sheaves × 2 possible CPUs'))).toBe(20n);
    // expect: 256-B sheaves (256 ≤ s->size < 1024): 23 caches × 2 + 7 = 53 → 4 pages of 16
    expect(sumWhere(m, (n) => n.startsWith('SLUB sheaves in kmalloc-256: 53 objects'))).toBe(4n);
    // expect: 128-B sheaves (1024 ≤ s->size < PAGE_SIZE): 15 caches × 2 + 7 = 37 → 2 pages of 32
    expect(sumWhere(m, (n) => n.startsWith('SLUB sheaves in kmalloc-128: 37 objects'))).toBe(2n);
    // expect: 64-B: 10 page-sized caches' sheaves × 2 + 1 refill, 99 barns (48 B) on the one node, and bootKmallocs'
    // 732 kprobe_blacklist_entries (48 B) and 289 ddebug_tables (56 B) = 1141 → 18 pages
    expect(sumWhere(m, (n) => n.startsWith('SLUB sheaves in kmalloc-64: 1141 objects'))).toBe(18n);
  });

  test('scales_with_possible_cpus_and_nodes', () => {
    const numa = [0, 1].map((i) => ({ memoryBytes: 1024 * M, memoryText: '1G', cpus: Array.from({ length: 8 }, (_, c) => i * 8 + c) }));
    const m = allocs({ kernel: '7.2-amd64', memoryBytes: 2048 * M, memoryText: '2G', cpus: 16, numa });
    // expect: 51 × 16 + 7 = 823 512-B sheaves and 36 irq_descs and workqueue_structs; 16 CPUs raise min_objects to 24, so
    // kmalloc-512 is order 2 with 32 per slab (gdb at the print of a 16-CPU 7.2 boot: kmalloc-512 order=2 per=32) → 27 slabs of 4 pages
    expect(sumWhere(m, (n) => n.startsWith('SLUB sheaves in kmalloc-512: 859 objects') && n.includes('32 per order-2 slab'))).toBe(108n);
    // expect: 10 × 16 sheaves + 1 refill + 99 caches' barns × 2 nodes + 1021 kprobe and dynamic-debug entries = 1380 64-B objects → 22 pages of 64
    expect(sumWhere(m, (n) => n.startsWith('SLUB sheaves in kmalloc-64: 1380 objects'))).toBe(22n);
  });

});

describe('pool_workqueue objects (kernel/workqueue.c alloc_and_link_pwqs)', () => {
  test.each([
    // expect: 6.12: 13 per-CPU wqs × 2 + 4 unbound × 3 + netns = 39 pwqs, 16 per order-1 slab → 3 slabs
    // (gdb at the print, 6.12 pc 512M 2 CPUs: pool_workqueue 3 slabs, 48 objects)
    ['6_12_two_cpus', '6.12-amd64', 2, '39 pwqs', 6n],
    // expect: 16 CPUs: 208 + 68 + 1 = 277; calculate_order(512) on 16 CPUs is order 2, 32 per slab → 9 slabs
    // (gdb, 6.12 pc 1G 16 CPUs: 288 objects in 36 pages)
    ['6_12_sixteen_cpus', '6.12-amd64', 16, '277 pwqs', 36n],
    // expect: 7.2 adds events_dfl_long and memcg, and sync_wq is unbound: 13 × 2 + 6 × 3 + 1 = 45 → 3 slabs
    ['7_2_two_cpus', '7.2-amd64', 2, '45 pwqs', 6n],
  ] as const)('%s', (_n, kernel, cpus, what, pages) => {
    const m = allocs({ kernel, cpus });
    const key = [...m.keys()].find((n) => n.startsWith('pool_workqueue slabs'));
    expect(key).toContain(what);
    expect(sumWhere(m, (n) => n.startsWith('pool_workqueue slabs'))).toBe(pages);
  });
});

describe('pages left on the secondary CPUs\' per-CPU lists (6.12, one node)', () => {
  const pcp = (m: Map<string, bigint>): bigint => sumWhere(m, (n) => n.startsWith('per-CPU page lists'));
  test('pc_512m_two_cpus', () => {
    const m = allocs({});
    // expect: DMA32 [4096, 65536) initialised before deferred init (the first section-aligned pfn after 32768),
    // less the kernel image: 50159 managed → zone_batchsize 15; the one AP keeps 14 (gdb: cpu 1 count 14, batch 15)
    expect([...m.keys()].find((n) => n.startsWith('per-CPU page lists'))).toContain('50159 managed');
    expect(pcp(m)).toBe(14n);
  });
  test('sixteen_cpus', () => {
    // expect: 15 APs × 14 (gdb, 6.12 pc 1G 16 CPUs: every AP's DMA32 list 14 or more)
    expect(pcp(allocs({ cpus: 16, memoryBytes: 1024 * M, memoryText: '1G' }))).toBe(15n * 14n);
  });
  test('none_without_secondary_cpus_or_on_7_2_or_numa', () => {
    expect(pcp(allocs({ cpus: 1 }))).toBe(0n);
    // expect: 7.2 has no cpu slabs: the AP's kmalloc takes objects from the node's partial slabs through its sheaf
    expect(pcp(allocs({ kernel: '7.2-amd64' }))).toBe(0n);
    // expect: two nodes: get_any_partial() may take a remote slab, a timing choice; not counted
    const numa = [0, 1].map((i) => ({ memoryBytes: 1024 * M, memoryText: '1G', cpus: [i] }));
    expect(pcp(allocs({ memoryBytes: 2048 * M, memoryText: '2G', numa }))).toBe(0n);
  });
  test('normal_zone_above_4g', () => {
    // expect: with RAM above 4G the highest zone is Normal, initialised for one section (32768 pages, nothing
    // reserved there) before deferred init: batch 7, so 6 pages per AP
    const m = allocs({ memoryBytes: 6144 * M, memoryText: '6G', cpus: 4 });
    expect([...m.keys()].find((n) => n.startsWith('per-CPU page lists'))).toContain('batch 7 − 1 pages each on Normal');
    expect(pcp(m)).toBe(3n * 6n);
  });
});

describe('kmem_cache and kmem_cache_node slabs (kmem_cache_init, the tables\' boot calls)', () => {
  const pages = (m: Map<string, bigint>, cache: string): bigint => sumWhere(m, (n) => n.startsWith(`${cache} slabs:`));
  const nameOf = (m: Map<string, bigint>, cache: string): string | undefined => [...m.keys()].find((n) => n.startsWith(`${cache} slabs:`));
  test.each([
    // expect: 6.12: 53 kmalloc caches (4 types × 13 sizes + kmalloc_buckets) + 43 others = 96 objects of
    // ALIGN(216 + 8, 64) = 256 B, 16 per page → 6 slabs; 96 kmem_cache_node of 64 B → 2 slabs (gdb at the print: 6 and 2)
    ['6_12_one_node', '6.12-amd64', undefined, '96 caches (53 kmalloc + 43 others) of 256 B', 6n, '96 caches × 1 slab nodes', 2n],
    // expect: 7.2: cred_jar is an alias, bfilp, key_jar, pde_opener, pidfs_attr_cache, mem_cgroup(_per_node) and
    // task_exec_state are new: 53 + 48 = 101 → 7 slabs of ALIGN(208 + 16, 64) = 256 B (gdb: 7 and 2)
    ['7_2_one_node', '7.2-amd64', undefined, '101 caches (53 kmalloc + 48 others) of 256 B', 7n, '101 caches × 1 slab nodes', 2n],
    // expect: four nodes: 216 + 4 × 8 = 248 → still 256 B; 96 × 4 = 384 kmem_cache_node → 6 slabs
    ['6_12_four_nodes', '6.12-amd64', 4, '96 caches (53 kmalloc + 43 others) of 256 B', 6n, '96 caches × 4 slab nodes', 6n],
  ] as const)('%s', (_n, kernel, nodes, what, kc, whatNode, kcn) => {
    const numa = nodes === undefined ? undefined : Array.from({ length: nodes }, (_, i) => ({ memoryBytes: 512 * M, memoryText: '512M', cpus: [i % 2] }));
    const m = allocs(numa ? { kernel, numa, memoryBytes: nodes! * 512 * M, memoryText: `${nodes! * 512}M` } : { kernel });
    expect(nameOf(m, 'kmem_cache')).toContain(what);
    expect(pages(m, 'kmem_cache')).toBe(kc);
    expect(nameOf(m, 'kmem_cache_node')).toContain(whatNode);
    expect(pages(m, 'kmem_cache_node')).toBe(kcn);
  });
  test('list_of_6_16', () => {
    // expect: 6.16 (traits.late.bootSlabCaches '6.16', caches/6.16.ts): the kmem_cache, pid and cred terms from its table
    const m = allocs({ kernel: '6.16-amd64' });
    expect(nameOf(m, 'kmem_cache')).toBeDefined();
    expect([...m.keys()].some((n) => n.startsWith('pid') || n.startsWith('cred'))).toBe(true);
  });
});

describe('pid and cred objects (copy_process: alloc_pid, copy_creds)', () => {
  test('6_12_two_caches', () => {
    // expect: 31 tasks at 2 CPUs, one idle: 30 pids of 112 + 16 → 128 B, 32 per page → 1 slab;
    // 31 creds of ALIGN(184, 64) = 192 B, 21 per page → 2 slabs (gdb at the print: 1 and 2)
    const m = allocs({});
    expect([...m.keys()].find((n) => n.startsWith('pid slabs:'))).toContain('30 pids of 128 B');
    expect(sumWhere(m, (n) => n.startsWith('pid slabs:'))).toBe(1n);
    expect([...m.keys()].find((n) => n.startsWith('cred slabs:'))).toContain('31 creds of 192 B');
    expect(sumWhere(m, (n) => n.startsWith('cred slabs:'))).toBe(2n);
  });
  test('7_2_cred_merged_into_pid', () => {
    // expect: 7.2's pid slot is 128 + 16 → 192 B, cred's ALIGN(184, 64) = 192: find_mergeable() folds cred_jar
    // into pid; 28 pids + 29 creds = 57, taken in whole 60-object sheaves → 3 slabs (gdb: one cache "pid" with refcount 2)
    const m = allocs({ kernel: '7.2-amd64' });
    expect([...m.keys()].find((n) => n.startsWith('pid (with cred_jar merged in) slabs:'))).toContain('28 pids + 29 creds (60 in whole sheaves) of 192 B');
    expect(sumWhere(m, (n) => n.startsWith('pid (with cred_jar merged in)'))).toBe(3n);
    expect([...m.keys()].some((n) => n.startsWith('cred slabs:'))).toBe(false);
  });
});

describe('first objects of the boot caches (mnt_init, bdev_cache_init, proc_root_init, numa_policy_init, rest_init)', () => {
  const first = (m: Map<string, bigint>, cache: string): bigint => sumWhere(m, (n) => n.startsWith(`${cache} slabs: the first object`));
  test.each([
    // expect 6.12: one slab each (gdb at the print, pc 512M 2 CPUs: the same pages): bdev ALIGN(1600 + 8, 64) = 1664 B,
    // order 3; shmem 752 + 8 = 760 B, order 2; mount ALIGN(336, 64) = 384 B, order 1; SIZEOF_PDE(176) = 192 B, order 0
    ['6.12-amd64', 'bdev_cache', 8n], ['6.12-amd64', 'shmem_inode_cache', 4n], ['6.12-amd64', 'mnt_cache', 2n],
    ['6.12-amd64', 'proc_dir_entry', 1n], ['6.12-amd64', 'files_cache', 4n], ['6.12-amd64', 'numa_policy', 1n],
    // expect 7.2: the boot CPU's refill fills a sheaf: dentry 192 B holds 60 → 3 order-0 slabs of 21; files 704 B holds
    // 28 → 2 order-2 slabs of 23; bdev 1600 B holds 12 → 1 order-3 slab of 20 (gdb: 3, 8 and 8 pages)
    ['7.2-amd64', 'dentry', 3n], ['7.2-amd64', 'files_cache', 8n], ['7.2-amd64', 'bdev_cache', 8n],
    ['7.2-amd64', 'kernfs_node_cache', 2n], ['7.2-amd64', 'mnt_cache', 4n],
  ] as const)('%s_%s', (kernel, cache, pages) => {
    expect(first(allocs({ kernel }), cache)).toBe(pages);
  });
  test('list_of_6_17', () => {
    // expect: 6.17 (caches/6.17.ts): the first-object, vmap_area and kmalloc terms as on 6.12
    const m = allocs({ kernel: '6.17-amd64' });
    expect([...m.keys()].some((n) => n.includes('the first object'))).toBe(true);
    expect([...m.keys()].some((n) => n.startsWith('vmap_area'))).toBe(true);
    expect([...m.keys()].some((n) => /^kmalloc-\d+ slabs/.test(n))).toBe(true);
  });
});

describe('per-task kmalloc objects and vmap_areas (set_kthread_struct, alloc_worker, the stacks\' vmalloc)', () => {
  test('6_12_two_cpus', () => {
    // expect: 31 tasks: 30 kthreads of 112 B → kmalloc-128 (1 slab), 12 workers of 168 B → kmalloc-192 (1),
    // 31 vm_structs of 72 B → kmalloc-96 (1), 31 arrays of 4 page pointers → kmalloc-32 (1), 31 vmap_areas (1)
    const m = allocs({});
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-128 slabs:'))).toContain('30 struct kthread');
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-192 slabs:'))).toContain('12 struct worker');
    for (const b of [32, 96, 128, 192]) expect(sumWhere(m, (n) => n.startsWith(`kmalloc-${b} slabs:`))).toBe(1n);
    expect(sumWhere(m, (n) => n.startsWith('vmap_area slabs:'))).toBe(1n);
  });
  test('6_12_sixteen_cpus', () => {
    // expect: 16 CPUs: 24 + 15 × 7 = 129 tasks → 129 vmap_areas of 72 B, 56 per slab → 3 slabs; 128 kthreads → 4 slabs of 32
    const m = allocs({ cpus: 16, memoryBytes: 1024 * M, memoryText: '1G' });
    expect(sumWhere(m, (n) => n.startsWith('vmap_area slabs:'))).toBe(3n);
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-128 slabs:'))).toContain('128 struct kthread');
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-128 slabs:'))).toBe(4n);
  });
  test('7_2_vmap_area_refilled_and_kthread_with_worker', () => {
    // expect 7.2: 29 stacks but the boot CPU's sheaf holds 60 vmap_areas → 2 slabs; kthread 152 B and worker 176 B share kmalloc-192
    const m = allocs({ kernel: '7.2-amd64' });
    expect(sumWhere(m, (n) => n.startsWith('vmap_area slabs:'))).toBe(2n);
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-192 slabs:'))).toContain('28 struct kthread + 12 struct worker = 40 objects');
  });
});

describe('the root memory cgroup (cgroup_init → mem_cgroup_css_alloc)', () => {
  const memcg = (m: Map<string, bigint>): [string, bigint][] => [...m].filter(([n]) => n.startsWith('root memory cgroup:'));
  test('6_12_one_node', () => {
    // expect: memcg_vmstats 1520 B → kmalloc-cg-2k (1 slab), lruvec_stats 744 B → kmalloc-cg-1k (1 order-2 slab): 12 pages
    // (gdb: 8, 4); mem_cgroup 1728 + 8 and the 1920-B mem_cgroup_per_node go to kmalloc-2k with the super_blocks (kmallocObjects)
    const m = allocs({});
    const r = memcg(m);
    expect(r.map(([n]) => n.split(',')[0])).toEqual(['root memory cgroup: kmalloc-cg-2048 on node 0', 'root memory cgroup: kmalloc-cg-1024 on node 0']);
    expect(r.reduce((a, [, p]) => a + p, 0n)).toBe(12n);
    // expect: 5 super_blocks of 1408 B + the two memcg objects = 7 in one order-3 slab of 16 (gdb: kmalloc-2k 1 slab)
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-2048 slabs:'))).toContain('5 super_blocks + 1 root mem_cgroup + 1 root mem_cgroup_per_node = 7 objects');
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-2048 slabs:'))).toBe(8n);
  });
  test('7_2_caches_refilled', () => {
    // expect 7.2: memcg_cachep (1664 + 8 → 1728 B) and memcg_pn_cachep (1920 B) each fill a 12-object sheaf on the
    // boot CPU: one order-3 slab each; vmstats 1784 B and lruvec_stats 1128 B share kmalloc-cg-2k: 24 pages (gdb: 8, 8, 8)
    const r = memcg(allocs({ kernel: '7.2-amd64' }));
    expect(r.find(([n]) => n.includes('mem_cgroup on node 0'))?.[0]).toContain('12 objects of 1728 B');
    expect(r.reduce((a, [, p]) => a + p, 0n)).toBe(24n);
  });
  test('6_12_per_node_objects', () => {
    // expect: four memory nodes: a mem_cgroup_per_node and a lruvec_stats on each, in that node's slabs
    const numa = Array.from({ length: 4 }, (_, i) => ({ memoryBytes: 512 * M, memoryText: '512M', cpus: [i % 2] }));
    const r = memcg(allocs({ numa, memoryBytes: 2048 * M, memoryText: '2048M' }));
    expect(r.filter(([n]) => n.startsWith('root memory cgroup: kmalloc-cg-1024 on node'))).toHaveLength(4);
    // (node 0's mem_cgroup and mem_cgroup_per_node are packed with the other kmalloc-2k objects)
    expect(r.reduce((a, [, p]) => a + p, 0n)).toBe(3n * 8n + 8n + 4n * 4n);
  });
});

describe('bootSlabCacheGeometry (every cache alive at the print, for the /proc state)', () => {
  const geometry = (kernel: string) => {
    const { ctx: c, result: { state } } = handBoot({ kernel });
    return bootSlabCacheGeometry(state, c);
  };
  test.each([
    // expect: the slot, order and objects per slab gdb read from each kmem_cache at the print (6.12 pc 512M 2 CPUs)
    ['kmalloc-8k', 8192, 3, 4], ['kmalloc-1k', 1024, 2, 16], ['kmalloc-512', 512, 1, 16], ['kmalloc-cg-192', 192, 0, 21],
    ['kmem_cache', 256, 0, 16], ['task_struct', 6208, 3, 5], ['sighand_cache', 2112, 3, 15], ['signal_cache', 1152, 2, 14],
    ['mm_struct', 1408, 3, 23], ['pool_workqueue', 512, 1, 16], ['pid', 128, 0, 32], ['cred', 192, 0, 21],
    ['bdev_cache', 1664, 3, 19], ['shmem_inode_cache', 760, 2, 21], ['mnt_cache', 384, 1, 21], ['files_cache', 704, 2, 23],
  ] as const)('6_12_%s', (name, size, order, objectsPerSlab) => {
    expect(geometry('6.12-amd64')?.find((g) => g.name === name)).toMatchObject({ size, order, objectsPerSlab });
  });
  test('counts_and_unknown_slots', () => {
    const g6 = geometry('6.12-amd64');
    // expect: 53 kmalloc + 43 others at the print + the 82 caches of their own created after it on 6.12 (caches/6.12-post.ts: the
    // probe's 178 slabinfo lines), 53 + 48 + the 91 caches of their own its 'post' calls make on 7.2 (caches/7.2-post.ts: the probe's
    // 192 slabinfo lines); 6.12's lsm_inode_cache is the LSMs' inode blob (caches/lsm-blobs.ts), 88 B, 46 per order-0 slab
    expect(g6).toHaveLength(96 + 82);
    expect(geometry('7.2-amd64')).toHaveLength(101 + 91);
    expect(g6?.find((g) => g.name === 'lsm_inode_cache')).toMatchObject({ size: 88, order: 0, objectsPerSlab: 46 });
    // expect: radix_tree_node is sizeof(struct xa_node) 576 + the ctor's free pointer → 584 B, 14 per order-1 slab (6.12, 2 CPUs)
    expect(g6?.find((g) => g.name === 'radix_tree_node')).toMatchObject({ size: 584, order: 1, objectsPerSlab: 14 });
    // expect 7.2: mem_cgroup 1664 + 8 → 1728 B, 18 per order-3 slab (gdb: size=1728 order=3 per=18)
    expect(geometry('7.2-amd64')?.find((g) => g.name === 'mem_cgroup')).toMatchObject({ size: 1728, order: 3, objectsPerSlab: 18 });
  });
  test.each([
    // expect: 5.10 has no kmalloc-cg (traits.kmallocCgroupOption 'none'), 6.1 has them under MEMCG_KMEM. 6.1, 5.10 and 6.18 amd64 have
    // their tables (caches/6.1.ts, 5.10.ts, 6.18.ts): every cache at the probe's read, 145, 120 and 187 on pc 512M 2 CPUs (6.18: as many
    // as the 6.18 state golden's slabinfo lists; before its table, 13 × 4 kmalloc + kmalloc_buckets + kmem_cache_init()'s two + the 7
    // calls of UNMERGEABLE_EVERYWHERE = 62)
    ['6.18-amd64', 187, 'kmalloc-cg-8'], ['6.1-amd64', 145, 'kmalloc-cg-8'], ['5.10-amd64', 120, undefined],
  ] as const)('table_list_%s', (kernel, n, cg) => {
    const g = geometry(kernel);
    expect(g).toHaveLength(n);
    expect(g.find((x) => x.name.startsWith('kmalloc-cg-'))?.name).toBe(cg);
    // expect: kmem_cache = offsetof(node) + 1 node pointer, HWCACHE-aligned → 256 B, 16 per order-0 slab on 64-bit BTF
    expect(g.find((x) => x.name === 'kmem_cache')).toMatchObject({ size: 256, order: 0, objectsPerSlab: 16 });
  });
  test('mm_cid_size_6_18', () => {
    // expect: 6.18 mm_cid_size() = 2 × cpumask_size() (mm_cpus_allowed, mm_cidmask): BTF 1472 + cpu_bitmap 8 + 2 × 8 = 1496 B
    // (NR_CPUS 8192 > 256: bitmap_size(nr_cpu_ids 2) = 8), HWCACHE-aligned to 1536; 6.12's one cidmask would give 1488 → 1536 too,
    // 7.2's cpus-allowed + bitmap_size(possible) 8 + 8 the same 1496: the object size tells the forms apart only against 6.12
    const m = geometry('6.18-amd64').find((g) => g.name === 'mm_struct');
    expect(m).toMatchObject({ size: 1536, objectSize: 1496 });
  });
  test('acpi_off_no_acpi_state', () => {
    // expect: acpi=off returns from acpi_early_init() before acpi_ut_create_caches(): no Acpi-State cache, so kernfs_init()'s
    // kernfs_iattrs_cache (80 B, no flags), an alias of Acpi-State otherwise, is a cache of its own; every other cache kept
    const names = (cmdline: string | undefined): string[] => {
      const { ctx: c, result: { state } } = handBoot({ kernel: '6.12-amd64', cmdline });
      return bootSlabCacheGeometry(state, c).map((g) => g.name);
    };
    const on = names(undefined);
    const off = names('acpi=off');
    expect(on).toContain('Acpi-State');
    expect(on).not.toContain('kernfs_iattrs_cache');
    expect(off).toContain('kernfs_iattrs_cache');
    expect(off.filter((n) => n !== 'kernfs_iattrs_cache')).toEqual(on.filter((n) => n !== 'Acpi-State'));
  });
  test('slub_debug_refused', () => {
    // expect: slub_debug changes every cache's layout (calculate_sizes' red zones and tracking): refused on 6.1 too, where the boot itself is modelled
    const { ctx: c, result: { state } } = handBoot({ kernel: '6.1-amd64', cmdline: 'slub_debug' });
    expect(simErrorCode(() => bootSlabCacheGeometry(state, c))).toBe('SIM_NOT_MODELLED');
  });
  test('i386_kmem_cache_from_dwarf', () => {
    // expect: the 686 builds' struct kmem_cache is 140 B in the -dbg DWARF, its node[] one 4-B pointer (no NODES_SHIFT: MAX_NUMNODES 1),
    // so the object is 140 B; SLAB_HWCACHE_ALIGN to the qemu32 cache line, 32 B (no CLFLUSH: early_identify_cpu's X86_32 default),
    // gives a 160-B slot, 25 to an order-0 slab; the kmalloc caches as before
    const g = geometry('6.1-686');
    expect(g.find((x) => x.name === 'kmem_cache')).toMatchObject({ size: 160, order: 0, objectsPerSlab: 25 });
    expect(g.find((x) => x.name === 'kmalloc-96')).toMatchObject({ size: 96, order: 0, objectsPerSlab: 42 });
  });
});

describe('the secondary CPUs\' first kmalloc slabs (6.12, one node)', () => {
  const slab = (m: Map<string, bigint>): bigint => sumWhere(m, (n) => n.startsWith("the secondary CPUs' first kmalloc"));
  test('one_page_per_ap', () => {
    // expect: NR_CPUS 8192 > 256, so cpumask_size() is bitmap_size(nr_cpu_ids = 2) = 8 B → kmalloc-8, order 0: one page on
    // the one AP (gdb census at the print: kmalloc-8 2 slabs at 2 CPUs, 9 at 8, 17 at 16)
    const m = allocs({});
    expect([...m.keys()].find((n) => n.startsWith("the secondary CPUs' first kmalloc"))).toContain('kmalloc-8 slabs (a 8-B cpumask): 1 × order 0');
    expect(slab(m)).toBe(1n);
    expect(slab(allocs({ cpus: 16, memoryBytes: 1024 * M, memoryText: '1G' }))).toBe(15n);
    expect(slab(allocs({ kernel: '7.2-amd64' }))).toBe(0n);
  });
});

describe('start_kernel()\'s kmallocs alive at the print (bootKmallocs)', () => {
  test('6_12_pools_and_first_slabs', () => {
    const m = allocs({});
    // expect: max(80, 2 × 2) MCE records of 2^order_base_2(136) = 256 B = 20480 B > KMALLOC_MAX_CACHE_SIZE → kmalloc_large
    // order 3; struct kernfs_global_locks 32768 B (1024 mutexes) → order 3 (a kmem:kmalloc trace: both bytes_alloc=32768)
    expect(sumWhere(m, (n) => n.startsWith('kmalloc_large: MCE record pool (80 records of 2^8 B), 20480 B → order 3'))).toBe(8n);
    expect(sumWhere(m, (n) => n.startsWith('kmalloc_large: kernfs_global_locks, 32768 B → order 3'))).toBe(8n);
    // expect: 2 + RESERVE_COUNT AppArmor buffers of 8192 B fill one order-3 kmalloc-8k slab; tty1's 824-B vc_data one
    // order-2 kmalloc-1k slab; its 80 × 25 × 2 = 4000-B screen one order-3 kmalloc-4k slab (gdb at the print: 1, 2, 1 slabs)
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-8192 slabs:'))).toContain('4 AppArmor path buffers');
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-8192 slabs:'))).toBe(8n);
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-1024 slabs:'))).toBe(4n);
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-4096 slabs: 1 tty1 screen buffer (80 × 25 × 2)'))).toBe(8n);
    // expect: 16 legacy irq_descs of 448 B and 14 + 4 workqueue_structs (320 B; 320 + 2 × 32 unbound) = 34 → 3 order-1 slabs
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-512 slabs:'))).toContain('16 legacy irq_descs + 14 per-CPU and ordered workqueue_structs + 4 unbound workqueue_structs = 34 objects');
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-512 slabs:'))).toBe(6n);
    // expect: 221 NOKPROBE_SYMBOL words + 502 noinstr and entry text symbols = 723 kprobe_blacklist_entries of 48 B and 274
    // ddebug_tables of 56 B (the kmem:kmalloc trace: kprobe_add_ksym_blacklist × 723, ddebug_add_module × 274) → kmalloc-64:
    // 997 objects, 64 per page → 16 pages (gdb at the print: 19 kmalloc-64 slabs)
    expect([...m.keys()].find((n) => n.startsWith('kmalloc-64 slabs:'))).toContain('723 kprobe_blacklist_entries (221 NOKPROBE_SYMBOL words + 502 symbols of the kprobes, noinstr and entry text) + 274 ddebug_tables');
    expect(sumWhere(m, (n) => n.startsWith('kmalloc-64 slabs:'))).toBe(16n);
    // expect: nsfs_init()'s root inode from inode_cache (624 B + the ctor's free pointer = 632, 25 per order-2 slab): 4 pages
    expect(sumWhere(m, (n) => n.startsWith('inode_cache slabs: the first object of 632 B'))).toBe(4n);
  });
  test('7_2_whole_sheaves', () => {
    // expect 7.2: the boot CPU takes objects a sheaf at a time: 29 task_structs in 4-object sheaves → 32 (8 slabs of 4),
    // 29 sighand_structs in 12-object sheaves → 36 → 3 order-3 slabs of 15 (gdb at the print of a pc 512M boot: 8 and 3 slabs)
    const m = allocs({ kernel: '7.2-amd64' });
    expect([...m.keys()].find((n) => n.startsWith('task_struct slabs'))).toContain('29 tasks (32 in whole sheaves)');
    expect(sumWhere(m, (n) => n.startsWith('task_struct slabs'))).toBe(64n);
    expect(sumWhere(m, (n) => n.startsWith('sighand_cache slabs: 29 tasks\' sighand_struct (36 in whole sheaves)'))).toBe(24n);
  });
  test('7_2_nullfs_mount', () => {
    // expect 7.2: init_mount_tree() mounts nullfs under rootfs: 6 super_blocks
    const m = allocs({ kernel: '7.2-amd64' });
    expect([...m.keys()].some((n) => n.includes('6 super_blocks'))).toBe(true);
  });
  test('no_mce_pool_without_mca', () => {
    // expect: mcheck_cpu_init() returns before mce_gen_pool_init() on a CPU without MCA
    const m = allocs({ cpu: 'qemu64,-mca' });
    expect([...m.keys()].some((n) => n.includes('MCE record pool'))).toBe(false);
    expect(sumWhere(m, (n) => n.startsWith('kmalloc_large: kernfs_global_locks'))).toBe(8n);
  });
  test('first_objects_6_12', () => {
    // expect: the lockup detector's perf_event (1312 B, 12 per order-2 slab) and the boot CPU's idr_preload pool of 21
    // radix_tree_nodes (576 + 8 B, 14 per order-1 slab → 2 slabs); gdb at the print: perf_event 1 slab, radix_tree_node 4 (the nodes in use are not modelled)
    const m = allocs({});
    expect(sumWhere(m, (n) => n.startsWith('perf_event slabs: the first object of 1312 B'))).toBe(4n);
    expect(sumWhere(m, (n) => n.startsWith('radix_tree_node slabs: 21 objects of 584 B, 14 per order-1 slab → 2 slabs'))).toBe(4n);
  });
});

describe('the boot CPU\'s per-CPU lists after one refill each (rmqueue_pcplist → nr_pcp_alloc)', () => {
  const pcp = (m: Map<string, bigint>): [string, bigint] | undefined => [...m].find(([n]) => n.startsWith("the boot CPU's per-CPU lists"));
  test('pc_512m_orders_0_to_3', () => {
    // expect: batch 15 on DMA32 (50159 managed pages before deferred init): 14 of order 0, max(15 >> 1, 2) − 1 = 6 of order 1,
    // 3 − 1 = 2 of order 2, max(1, 2) − 1 = 1 of order 3 → 14 + 12 + 8 + 8 = 42 pages (gdb at the print: orders 1–3 held 12, 12, 8)
    const r = pcp(allocs({}));
    expect(r?.[0]).toContain('orders 0, 1, 2, 3 on DMA32 (batch 15: 14 × 2^0 + 6 × 2^1 + 2 × 2^2 + 1 × 2^3 pages)');
    expect(r?.[1]).toBe(42n);
  });
  test('slub_max_order_1', () => {
    // expect: slub_max_order=1 keeps every slab at order ≤ 1: orders 0 and 1 only, 14 + 12 pages
    expect(pcp(allocs({ cmdline: 'slub_max_order=1' }))?.[1]).toBe(26n);
  });
  test('normal_zone_above_4g', () => {
    // expect: 6G: GFP_KERNEL's zone is Normal, whose first section-limited managed pages give batch 7: 6 + 2 × 2 + 1 × 8 (+ order 2 where a cache has it)
    const r = pcp(allocs({ memoryBytes: 6144 * M, memoryText: '6G', cpus: 4 }));
    expect(r?.[0]).toContain('on Normal (batch 7');
  });
});
