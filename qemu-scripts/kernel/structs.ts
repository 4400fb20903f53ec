// Struct sizes the stages need: from .BTF where the build has it (the amd64 builds), else
// derived from the source of that version and the build's config (the 686 builds).
import { FactsError } from './errors.ts';
import { structSize, type Btf } from './btf.ts';
import type { StructSize } from '../../sim/kernel-facts.ts';

/**
 * Structs read from BTF when present, and what needs them:
 * page (memmap, vmemmap, calc_memmap_size); pglist_data (NODE_DATA); zone; mem_section and
 * mem_section_usage (sparse_init); per_cpu_pages/per_cpu_pageset, per_cpu_zonestat,
 * per_cpu_nodestat (percpu boot pagesets); hlist_head, hlist_bl_head (dentry and inode hash
 * buckets); kmem_cache, kmem_cache_node, kmem_cache_cpu (SLUB bootstrap); memblock_region
 * (memblock array doubling); io_tlb_slot, io_tlb_area, io_tlb_mem (swiotlb); page_ext;
 * resource, firmware_map_entry, nosave_region (setup_arch's small memblock allocations);
 * pcpu_chunk, pcpu_block_md (pcpu_alloc_first_chunk); cpu_entry_area (trap_init's fixmap tables).
 */
export const BTF_STRUCTS: readonly string[] = [
  'page', 'pglist_data', 'zone', 'mem_section', 'mem_section_usage',
  'per_cpu_pages', 'per_cpu_pageset', 'per_cpu_zonestat', 'per_cpu_nodestat',
  'hlist_head', 'hlist_bl_head', 'kmem_cache', 'kmem_cache_node', 'kmem_cache_cpu',
  'memblock_region', 'io_tlb_slot', 'io_tlb_area', 'io_tlb_mem', 'page_ext',
  'resource', 'firmware_map_entry', 'nosave_region', 'pcpu_chunk', 'pcpu_block_md', 'cpu_entry_area',
];

/** The BTF_STRUCTS this BTF defines (those a version lacks are left out), each with source 'btf'. */
export function btfStructs(btf: Btf, file = '.BTF'): Record<string, StructSize> {
  const out: Record<string, StructSize> = {};
  for (const name of BTF_STRUCTS) {
    const bytes = structSize(btf, name, file);
    if (bytes !== undefined) out[name] = { bytes, source: 'btf' };
  }
  if (!out.page || !out.pglist_data) throw new FactsError('BTF_INVALID', `.BTF: expected struct page and struct pglist_data, got ${Object.keys(out).join(', ') || 'neither'}`, { pos: { file } });
  return out;
}

/**
 * sizeof(struct page) on a 32-bit x86 build, from include/linux/mm_types.h of 5.10 and 6.1
 * (the layouts were read in 5.10.223 and 6.1.176; other versions must be read before use):
 *   unsigned long flags                                   1 word
 *   the big union: its largest members are five words     5 words
 *     (lru + mapping + index + private; the page_pool, slab and page-table structs; the
 *     ptl is a spinlock_t inline or, with ALLOC_SPLIT_PTLOCKS, a pointer: one word either way)
 *   union { _mapcount; page_type; … }                     4 bytes
 *   atomic_t _refcount                                    4 bytes
 *   memcg_data (6.1) / mem_cgroup (5.10), if MEMCG         1 word
 *   virtual: WANT_PAGE_VIRTUAL is never defined on x86    —
 *   kmsan_shadow/origin: KMSAN is 64-bit only             —
 *   _last_cpupid: only with LAST_CPUPID_NOT_IN_PAGE_FLAGS, which needs NUMA_BALANCING
 * then `} _struct_page_alignment;`: __aligned(2 * sizeof(unsigned long)) = 8 with
 * HAVE_ALIGNED_STRUCT_PAGE, else 4 (5.10: no attribute, natural word alignment).
 */
export function derivePage32(version: string, config: Readonly<Record<string, string>>): StructSize {
  const mm = /^(\d+)\.(\d+)/.exec(version);
  const series = mm ? `${mm[1]}.${mm[2]}` : version;
  if (series !== '5.10' && series !== '6.1') {
    throw new FactsError('LAYOUT_UNEXPECTED', `struct page (32-bit): no derivation for ${series}; read include/linux/mm_types.h of that version and add it to qemu-scripts/kernel/structs.ts`);
  }
  const on = (k: string): boolean => config[k] === 'y';
  if (on('64BIT')) throw new FactsError('LAYOUT_UNEXPECTED', 'struct page (32-bit): expected a config without CONFIG_64BIT, got 64BIT=y');
  if (on('NUMA_BALANCING')) throw new FactsError('LAYOUT_UNEXPECTED', 'struct page (32-bit): NUMA_BALANCING=y may put _last_cpupid in struct page (page-flags-layout.h); derive it before use');
  const parts: Array<[string, number]> = [['flags', 4], ['union', 20], ['_mapcount', 4], ['_refcount', 4]];
  if (on('MEMCG')) parts.push([series === '5.10' ? 'mem_cgroup' : 'memcg_data', 4]);
  const sum = parts.reduce((a, [, n]) => a + n, 0);
  const align = on('HAVE_ALIGNED_STRUCT_PAGE') ? 8 : 4;
  const bytes = Math.ceil(sum / align) * align;
  const terms = parts.map(([n, b]) => `${n} ${b}`).join(' + ');
  const tail = align === 8 ? `, aligned to 8 (HAVE_ALIGNED_STRUCT_PAGE: 2 * sizeof(long)) = ${bytes}` : '';
  return { bytes, source: `include/linux/mm_types.h (${series}), 32-bit: ${terms} = ${sum}${tail}` };
}
