import { describe, expect, test } from 'vitest';
import { bootContext, simulate, type BootContext } from '../../../sim/boot.ts';
import { kmallocCaches, kmemCacheObject, mmStructSize, taskStructSize, KMALLOC_SIZES } from '../../../sim/stages/slab-objects.ts';
import { loadKernelWithFacts } from '../../../harness/kernels.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const M = 1024 * 1024;
const G = 1024 * M;
function ctx(kernel: string, p: Partial<MachineSpec> = {}): BootContext {
  const spec: MachineSpec = { name: 't', kernel, machine: 'pc', memoryBytes: 512 * M, memoryText: '512M', cpus: 2, cpu: undefined, numa: undefined, cmdline: undefined, file: 't/profile.yaml', ...p };
  return bootContext({ spec, kernel: loadKernelWithFacts(spec.kernel) });
}
const TWO_NODES: Partial<MachineSpec> = { memoryBytes: 2 * G, memoryText: '2G', numa: [{ memoryBytes: G, memoryText: '1G', cpus: [0] }, { memoryBytes: G, memoryText: '1G', cpus: [1] }] };
const struct = (c: BootContext, name: string): number => Number(c.kernel.facts.structs[name]?.bytes ?? NaN);

describe('create_kmalloc_caches (mm/slab_common.c)', () => {
  test('kmalloc_caches_no_cgroup_type_on_5_10', () => {
    // expect: 5.10 has no KMALLOC_CGROUP type: kmalloc, kmalloc-rcl and (ZONE_DMA) dma-kmalloc, each in every kmalloc_info size
    const c = ctx('5.10-amd64');
    const names = kmallocCaches(c, c.traits).map((k) => k.name);
    expect(names.filter((n) => n.startsWith('kmalloc-cg-'))).toEqual([]);
    expect(names.filter((n) => n.startsWith('kmalloc-rcl-'))).toHaveLength(KMALLOC_SIZES.length);
  });
  test('kmalloc_caches_cgroup_type_under_memcg_6_12', () => {
    // expect: 6.12 with MEMCG adds kmalloc-cg-<size> for every size, and each cache's size is its kmalloc_info size
    const c = ctx('6.12-amd64');
    const caches = kmallocCaches(c, c.traits);
    expect(caches.filter((k) => k.name.startsWith('kmalloc-cg-')).map((k) => k.size)).toEqual([...KMALLOC_SIZES]);
    expect(caches.filter((k) => /^kmalloc-\d+$/.test(k.name)).every((k) => k.name === `kmalloc-${k.size}`)).toBe(true);
  });
});

describe('the slab objects several stages size', () => {
  test('task_struct_size_cache_aligned', () => {
    // expect: arch_task_struct_size (sizeof less the PAGE_SIZE fpregs union, plus the FPU default size) rounded up to 64
    const c = ctx('6.12-amd64');
    const t = taskStructSize(c, c.traits);
    expect(t.task).toBe(struct(c, 'task_struct'));
    expect(t.size % 64).toBe(0);
    expect(t.size - (t.task + t.fpu - 4096 + t.fx)).toBeGreaterThanOrEqual(0);
    expect(t.size - (t.task + t.fpu - 4096 + t.fx)).toBeLessThan(64);
  });
  test.each([
    // expect: mm_cid_size() is one cpumask on 6.12, a cpumask plus a possible-CPU bitmap on 7.2 (traits.late.mmCidSize)
    ['mm_struct_cid_one_cpumask_6_12', '6.12-amd64', (cpumask: number): number => cpumask],
    ['mm_struct_cid_cpumask_and_bitmap_7_2', '7.2-amd64', (cpumask: number): number => cpumask + 8],
  ] as const)('%s', (_n, kernel, cid) => {
    const c = ctx(kernel);
    const { state } = simulate(c);
    const m = mmStructSize(state, c, c.traits);
    expect(m.mm).toBe(struct(c, 'mm_struct'));
    expect(m.cid).toBe(cid(m.cpumask));
    expect(m.size).toBe(Math.ceil((m.mm + m.cpumask + m.cid) / 64) * 64);
  });
  test.each([
    // expect: kmem_cache's object ends in its per-node array: one more node adds a pointer (6.12), a pointer pair (7.2: node and barn)
    ['kmem_cache_object_per_node_pointer_6_12', '6.12-amd64', 8],
    ['kmem_cache_object_per_node_pair_7_2', '7.2-amd64', 16],
  ] as const)('%s', (_n, kernel, entry) => {
    const one = ctx(kernel, { memoryBytes: 2 * G, memoryText: '2G' });
    const two = ctx(kernel, TWO_NODES);
    expect(kmemCacheObject(simulate(two).state, two, two.traits) - kmemCacheObject(simulate(one).state, one, one.traits)).toBe(entry);
  });
});
