// models arch/x86/kernel/setup_percpu.c setup_per_cpu_areas() and mm/percpu.c
// pcpu_embed_first_chunk → pcpu_build_alloc_info, pcpu_dump_alloc_info (5.10.223, 6.1.192,
// 6.12.115, 7.2.13): the "setup_percpu:", "percpu: Embedded" and "pcpu-alloc:" lines, and the
// first chunk's memblock allocations (one per CPU group) with the unused tails given back.
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { sliceIfAny, withSlice } from '../state.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import type { PercpuTraits } from '../traits.ts';
import { configNumber, configOn, configValue, structBytes, term, topologyOf, type Topology } from './mm-inputs.ts';
import { memblockAlloc, memblockAllocTryNid, memblockFree, memblockFreeMany, memblockStateOf, withMemblock, NUMA_NO_NODE, SMP_CACHE_BYTES, type MemblockState } from './memblock.ts';
import { PAGE_SHIFT, SZ_16M } from '../lib/sizes.ts';
import { bootCommandLine } from './cmdline.ts';
import { SimError } from '../lib/errors.ts';
import { chosenFirstChunk, pageFirstChunkLine, pageGroupMap, pcpuPageFirstChunk, PAGE_FC_VMALLOC_PUD_PAGES, VMALLOC_OFFSET_32, type PageFcPtes32 } from './percpu-page.ts';
import { geometry32, pgt32Of } from './init32.ts';
import { lowmem32StateOf } from './lowmem32.ts';

const STAGE = 'percpu';
const PAGE_SIZE = 4096;

/** pcpu_alloc_info as pcpu_build_alloc_info leaves it. */
export interface AllocInfo {
  readonly staticSize: number;
  readonly reservedSize: number;
  readonly dynSize: number;
  readonly unitSize: number;
  readonly atomSize: number;
  readonly allocSize: number;
  /** Per group: its CPUs in unit order, padded with null (NR_CPUS) to a multiple of upa. */
  readonly groups: readonly (readonly (number | null)[])[];
}

export interface PercpuState {
  readonly ai: AllocInfo;
  /** size_sum: the bytes of each unit that stay reserved (static + reserved + dynamic). */
  readonly sizeSum: number;
  /** Top-level vmalloc entries whose PUD page the first chunk already took from memblock (percpu_alloc=page: sim/stages/percpu-page.ts); preallocate_vmalloc_pages() skips them. */
  readonly vmallocPudPages?: bigint;
}

export function percpuStateOf(state: BootState): PercpuState | undefined {
  return sliceIfAny(state, 'percpu');
}

const PFN_ALIGN = (x: number): number => Math.ceil(x / PAGE_SIZE) * PAGE_SIZE;
const roundup = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Builds the groups: the two versions of the "group cpus according to their proximity" loop. */
export function groupCpus(nCpus: number, local: (a: number, b: number) => boolean, grouping: PercpuTraits['grouping']): number[] {
  const groupMap = new Array<number>(nCpus).fill(0);
  if (grouping === 'pop-first') {
    // mm/percpu.c pcpu_build_alloc_info() (6.1): pop the first cpu; take every cpu LOCAL to it both ways
    const left = new Set<number>(Array.from({ length: nCpus }, (_, i) => i));
    for (let group = 0; left.size > 0; group++) {
      const cpu = Math.min(...left);
      left.delete(cpu);
      groupMap[cpu] = group;
      for (const t of [...left].sort((a, b) => a - b)) {
        if (local(cpu, t) && local(t, cpu)) {
          groupMap[t] = group;
          left.delete(t);
        }
      }
    }
  } else {
    // mm/percpu.c pcpu_build_alloc_info() (5.10): lowest group with no remote earlier cpu
    for (let cpu = 0; cpu < nCpus; cpu++) {
      let group = 0;
      for (let t = 0; t < cpu; t++) {
        if (groupMap[t] === group && !(local(cpu, t) && local(t, cpu))) {
          group++;
          t = -1; // goto next_group: rescan from the first cpu
        }
      }
      groupMap[cpu] = group;
    }
  }
  return groupMap;
}

/** mm/percpu.c pcpu_build_alloc_info() (6.1; sizes identical in 5.10–7.2). */
export function pcpuBuildAllocInfo(
  staticSize: number,
  reservedSize: number,
  dynSizeIn: number,
  atomSize: number,
  dynamicEarlySize: number,
  groupMap: readonly number[],
): { ai: AllocInfo; sizeSum: number; upa: number; maxUpa: number } {
  const nCpus = groupMap.length;
  const sizeSum = PFN_ALIGN(staticSize + reservedSize + Math.max(dynSizeIn, dynamicEarlySize));
  const dynSize = sizeSum - staticSize - reservedSize;
  const PCPU_MIN_UNIT_SIZE = PFN_ALIGN(32 << 10);
  const minUnitSize = Math.max(sizeSum, PCPU_MIN_UNIT_SIZE);
  const allocSize = roundup(minUnitSize, atomSize);
  const fits = (u: number): boolean => allocSize % u === 0 && (allocSize / u) % PAGE_SIZE === 0;
  let upa = Math.floor(allocSize / minUnitSize);
  while (!fits(upa)) upa--;
  const maxUpa = upa;
  const nrGroups = Math.max(...groupMap) + 1;
  const groupCnt = new Array<number>(nrGroups).fill(0);
  for (const g of groupMap) groupCnt[g]!++;
  // "Don't accept if wastage is over 1/3 … and then don't consume more memory"
  let lastAllocs = Number.MAX_SAFE_INTEGER;
  let bestUpa = 0;
  for (upa = maxUpa; upa; upa--) {
    if (!fits(upa)) continue;
    let allocs = 0;
    let wasted = 0;
    for (const c of groupCnt) {
      const a = Math.ceil(c / upa);
      allocs += a;
      wasted += a * upa - c;
    }
    if (wasted > Math.floor(nCpus / 3)) continue;
    if (allocs > lastAllocs) break;
    lastAllocs = allocs;
    bestUpa = upa;
  }
  upa = bestUpa;
  const groups = groupCnt.map((_, g) => {
    const cpus: (number | null)[] = [];
    for (let c = 0; c < nCpus; c++) if (groupMap[c] === g) cpus.push(c);
    while (cpus.length % upa) cpus.push(null);
    return cpus;
  });
  return {
    ai: { staticSize, reservedSize, dynSize, unitSize: allocSize / upa, atomSize, allocSize, groups },
    sizeSum,
    upa,
    maxUpa,
  };
}

/** mm/percpu.c pcpu_dump_alloc_info() (identical 5.10–7.2): the lines after the "pcpu-alloc: s… alloc=" head. */
export function dumpAllocInfo(ai: AllocInfo, possibleCpus: number): string[] {
  const digits = (v: number): number => String(v).length;
  const groupWidth = digits(ai.groups.length);
  const cpuWidth = digits(possibleCpus);
  const empty = '-'.repeat(Math.min(cpuWidth, 8));
  const upa = ai.allocSize / ai.unitSize;
  const width = upa * (cpuWidth + 1) + groupWidth + 3;
  const apl = 1 << Math.floor(Math.log2(Math.max(Math.floor(60 / width), 1)));
  const out: string[] = [];
  let cur: string | undefined;
  let alloc = 0;
  ai.groups.forEach((units, group) => {
    for (let a = 0; a < units.length / upa; a++, alloc++) {
      if (alloc % apl === 0) {
        if (cur !== undefined) out.push(cur);
        cur = 'pcpu-alloc: ';
      }
      cur += `[${String(group).padStart(groupWidth, '0')}] `;
      for (let u = a * upa; u < (a + 1) * upa; u++) {
        const cpu = units[u];
        cur += cpu === null || cpu === undefined ? `${empty} ` : `${String(cpu).padStart(cpuWidth, '0')} `;
      }
    }
  });
  if (cur !== undefined) out.push(cur);
  return out;
}

/** The inputs setup_per_cpu_areas() hands pcpu_embed_first_chunk, with their rules. */
export function percpuParams(ctx: BootContext): {
  staticSize: number;
  reserved: number;
  dynSize: number;
  atomSize: number;
  dynamicEarlySize: number;
  explain: Record<string, ExplainTerm[]>;
} {
  const traits = ctx.traits;
  const pt = traits.percpu;
  const facts = ctx.kernel.facts;
  if (!facts) throw new RangeError(`percpu: kernel ${ctx.kernel.id} has no facts`);
  const is64 = traits.arch === 'x86_64';
  const modules = configValue(ctx, 'MODULES');
  const memProf = configValue(ctx, 'MEM_ALLOC_PROFILING');
  // include/linux/percpu.h: PERCPU_MODULE_RESERVE = (8 << 10), or (8 << 13) with MEM_ALLOC_PROFILING (6.12), 0 without MODULES
  const moduleReserve = modules.value !== 'y' ? 0 : pt.moduleReserveGrowsWithMemProfiling && memProf.value === 'y' ? 8 << 13 : 8 << 10;
  // include/linux/percpu.h: PERCPU_DYNAMIC_SIZE_SHIFT 12 with RANDOM_KMALLOC_CACHES (6.12) / KMALLOC_PARTITION_CACHES (7.2), else 10
  const randomKmalloc = configOn(ctx, pt.randomKmallocOption);
  const shift = pt.dynamicSizeShift && randomKmalloc ? 12 : 10;
  // include/linux/percpu.h: PERCPU_DYNAMIC_RESERVE (28 << shift) if BITS_PER_LONG > 32, else (20 << shift)
  const dynamicReserve = (is64 ? 28 : 20) << shift;
  const dynamicEarlySize = pt.dynamicSizeShift ? 20 << shift : 12 << 10;
  // arch/x86/kernel/setup_percpu.c: PERCPU_FIRST_CHUNK_RESERVE = PERCPU_MODULE_RESERVE on X86_64, 0 on X86_32
  const reserved = is64 ? moduleReserve : 0;
  const dynSize = moduleReserve + dynamicReserve - reserved;
  // arch/x86/kernel/setup_percpu.c: atom_size = PMD_SIZE (2M) on X86_64, PAGE_SIZE on X86_32
  const atomSize = is64 ? 2 << 20 : PAGE_SIZE;
  const src = 'arch/x86/kernel/setup_percpu.c: setup_per_cpu_areas()';
  return {
    staticSize: facts.staticPercpuBytes,
    reserved,
    dynSize,
    atomSize,
    dynamicEarlySize,
    explain: {
      static: [term('__per_cpu_end - __per_cpu_start', facts.staticPercpuBytes, `kernel facts staticPercpuBytes (${ctx.kernel.id}); mm/percpu.c pcpu_build_alloc_info()`)],
      reserved: [
        term('PERCPU_FIRST_CHUNK_RESERVE', reserved, is64 ? `${src}: = PERCPU_MODULE_RESERVE on X86_64` : `${src}: 0 on X86_32`),
        term('PERCPU_MODULE_RESERVE', moduleReserve, `include/linux/percpu.h; ${modules.source}`),
      ],
      dynamic: [
        term('dyn_size requested', dynSize, `${src}: PERCPU_MODULE_RESERVE + PERCPU_DYNAMIC_RESERVE - PERCPU_FIRST_CHUNK_RESERVE`),
        term('PERCPU_DYNAMIC_RESERVE', dynamicReserve, `include/linux/percpu.h: (${is64 ? 28 : 20} << ${shift}), BITS_PER_LONG ${is64 ? '> 32' : '= 32'}`),
        term('PERCPU_DYNAMIC_EARLY_SIZE', dynamicEarlySize, 'include/linux/percpu.h'),
        term('grown to fill size_sum', 'size_sum - static - reserved', 'mm/percpu.c pcpu_build_alloc_info(): size_sum = PFN_ALIGN(static + reserved + max(dyn, EARLY))'),
      ],
      atom: [term('atom_size', atomSize, `${src}: PMD_SIZE on X86_64, PAGE_SIZE on X86_32`)],
    },
  };
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: STAGE, fmt, text, ...(explain ? { explain } : {}) });

/** What pcpu_setup_first_chunk's allocations depend on besides alloc_info. */
export interface FirstChunkSetup {
  /** sizeof(struct pcpu_chunk) without its populated[] tail (facts.structs). */
  readonly chunkBytes: number;
  /** sizeof(struct pcpu_block_md) (facts.structs). */
  readonly blockMdBytes: number;
  /** 5.10 keeps one slot list per chunk type (PCPU_NR_CHUNK_TYPES: 2 with MEMCG_KMEM); 6.1+ one, with three extra slots. */
  readonly chunkTypes: number | undefined;
}

/** include/linux/bitops.h fls(): 1-based index of the highest set bit. */
const fls = (x: number): number => (x === 0 ? 0 : 32 - Math.clz32(x));

/** One memblock allocation of the percpu code, placed in place and charged to the ledger. */
function pcpuAlloc(mb: MemblockState, size: number, align: bigint, caller: string, why: string, where: { start?: bigint; nid?: number; api?: string; callerPath?: string } = {}): { mb: MemblockState; addr: bigint } {
  const api = where.api ?? 'memblock_alloc';
  return memblockAlloc(mb, {
    size: BigInt(size), align, start: where.start ?? 0n, nid: where.nid ?? NUMA_NO_NODE, why, source: `mm/percpu.c: ${caller}() via ${api} (6.1)`, stage: STAGE,
    caller: where.callerPath ?? caller,
  });
}

/**
 * mm/percpu.c pcpu_setup_first_chunk() (5.10.223, 6.1.192, 6.12.115, 7.2.13): the memblock_alloc(…,
 * SMP_CACHE_BYTES) calls in order: group_offsets, group_sizes, unit_map, unit_off, the chunk slot
 * lists, then pcpu_alloc_first_chunk() for the reserved region (when there is one) and the dynamic one.
 */
export function pcpuSetupFirstChunk(mb0: MemblockState, ai: AllocInfo, nrCpuIds: number, is64: boolean, s: FirstChunkSetup): MemblockState {
  const long = is64 ? 8 : 4;
  const listHead = 2 * long;
  let mb = mb0;
  const a = (size: number, caller: string, why: string): void => {
    mb = pcpuAlloc(mb, size, SMP_CACHE_BYTES, caller, why).mb;
  };
  const nrGroups = ai.groups.length;
  a(nrGroups * long, 'pcpu_setup_first_chunk', 'percpu group_offsets');
  a(nrGroups * long, 'pcpu_setup_first_chunk', 'percpu group_sizes');
  a(nrCpuIds * 4, 'pcpu_setup_first_chunk', 'percpu unit_map');
  a(nrCpuIds * long, 'pcpu_setup_first_chunk', 'percpu unit_off');
  // __pcpu_size_to_slot(unit_size) = max(fls(size) − PCPU_SLOT_BASE_SHIFT (5) + 2, 1)
  const slot = Math.max(fls(ai.unitSize) - 5 + 2, 1);
  // 5.10: nr_slots = slot + 2, × PCPU_NR_CHUNK_TYPES; 6.1+: sidelined, free, to_depopulate slots after it
  const lists = s.chunkTypes !== undefined ? (slot + 2) * s.chunkTypes : slot + 4;
  a(lists * listHead, 'pcpu_setup_first_chunk', 'percpu chunk slot lists');
  // static_size = ALIGN(ai->static_size, PCPU_MIN_ALLOC_SIZE (4)); dyn_size shrinks by the padding
  const staticSize = Math.ceil(ai.staticSize / 4) * 4;
  const dynSize = ai.dynSize - (staticSize - ai.staticSize);
  const firstChunk = (offset: number, mapSize: number, what: string): void => {
    // pcpu_alloc_first_chunk(): region_size = ALIGN(start_offset + map_size, lcm(PAGE_SIZE, PCPU_BITMAP_BLOCK_SIZE = PAGE_SIZE))
    const startOffset = offset % PAGE_SIZE;
    const pages = Math.ceil((startOffset + mapSize) / PAGE_SIZE);
    const bits = pages * (PAGE_SIZE / 4); // pcpu_chunk_map_bits: one bit per PCPU_MIN_ALLOC_SIZE
    const longs = (n: number): number => Math.ceil(n / (long * 8)) * long;
    a(s.chunkBytes + longs(pages), 'pcpu_alloc_first_chunk', `percpu ${what} chunk`);
    a(longs(bits), 'pcpu_alloc_first_chunk', `percpu ${what} chunk alloc_map`);
    a(longs(bits + 1), 'pcpu_alloc_first_chunk', `percpu ${what} chunk bound_map`);
    a(pages * s.blockMdBytes, 'pcpu_alloc_first_chunk', `percpu ${what} chunk md_blocks`);
  };
  if (ai.reservedSize) {
    firstChunk(staticSize, ai.reservedSize, 'reserved');
    firstChunk(staticSize + ai.reservedSize, dynSize, 'dynamic');
  } else firstChunk(staticSize, dynSize, 'dynamic');
  return mb;
}

/**
 * What pcpu_embed_first_chunk() returns: 0 with the first chunk set up, or -ENOMEM when a group's
 * pcpu_fc_alloc() found no room, after "out_free_areas" gave back what it had taken.
 */
export type EmbedResult = { readonly ok: true; readonly mb: MemblockState } | { readonly ok: false; readonly rc: -12; readonly mb: MemblockState };

/**
 * mm/percpu.c pcpu_embed_first_chunk() (6.1), its memblock calls in order: alloc_info and areas[],
 * one pcpu_fc_alloc per group with each unit's tail past size_sum (and each unused unit) given
 * back, pcpu_setup_first_chunk() when `setup` is known, then alloc_info and areas[] freed.
 */
export function pcpuEmbedFirstChunk(mb0: MemblockState, ai: AllocInfo, sizeSum: number, topo: Topology, is64: boolean, numa: boolean, setup?: FirstChunkSetup): MemblockState {
  const r = pcpuEmbedTry(mb0, ai, sizeSum, topo, is64, numa, setup);
  if (!r.ok) throw new SimError('SIM_NOT_MODELLED', STAGE, `memblock: no room for the percpu first chunk (${ai.groups.map((g) => g.length * ai.unitSize).join(' + ')} bytes, align ${ai.atomSize})`);
  return r.mb;
}

/**
 * pcpu_embed_first_chunk() as setup_per_cpu_areas() calls it: a group whose pcpu_fc_alloc()
 * (memblock_alloc_try_nid / memblock_alloc_from, which return NULL) finds no room makes it take
 * "out_free_areas": the groups allocated so far, then alloc_info (pcpu_free_alloc_info) and
 * areas[] go back, and it returns -ENOMEM (mm/percpu.c, 5.10–7.2).
 */
export function pcpuEmbedTry(mb0: MemblockState, ai: AllocInfo, sizeSum: number, topo: Topology, is64: boolean, numa: boolean, setup?: FirstChunkSetup): EmbedResult {
  const ptr = is64 ? 8 : 4;
  const nrUnits = ai.groups.reduce((n, g) => n + g.length, 0);
  // mm/percpu.c pcpu_alloc_alloc_info(): struct pcpu_alloc_info (7 size_t + int, padded) + groups[] + cpu_map[]
  const base = Math.ceil((8 * ptr + ai.groups.length * 3 * ptr) / 4) * 4;
  const aiSize = PFN_ALIGN(base + nrUnits * 4);
  const areasSize = PFN_ALIGN(ai.groups.length * ptr);
  let r = pcpuAlloc(mb0, aiSize, BigInt(PAGE_SIZE), 'pcpu_build_alloc_info', 'percpu alloc_info', { callerPath: 'pcpu_build_alloc_info > pcpu_alloc_alloc_info' });
  const aiAddr = r.addr;
  r = pcpuAlloc(r.mb, areasSize, SMP_CACHE_BYTES, 'pcpu_embed_first_chunk', 'percpu areas[]');
  const areasAddr = r.addr;
  let mb = r.mb;
  const groupAddrs: bigint[] = [];
  for (const [g, units] of ai.groups.entries()) {
    const first = units.find((c) => c !== null) ?? 0;
    const node = numa ? (topo.cpuToNode[first] ?? 0) : NUMA_NO_NODE;
    // mm/percpu.c pcpu_fc_alloc(): memblock_alloc_try_nid(size, atom, __pa(MAX_DMA_ADDRESS), ACCESSIBLE, node)
    const api = node >= 0 ? 'memblock_alloc_try_nid' : 'memblock_alloc_from';
    const size = units.length * ai.unitSize;
    const got = memblockAllocTryNid(mb, {
      size: BigInt(size), align: BigInt(ai.atomSize), start: SZ_16M, nid: node, why: `percpu first chunk, group ${g}`, source: `mm/percpu.c: pcpu_fc_alloc() via ${api} (6.1)`, stage: STAGE,
      caller: 'pcpu_embed_first_chunk > pcpu_fc_alloc',
    });
    if (!got) {
      // "if (!ptr) { rc = -ENOMEM; goto out_free_areas; }": the groups so far, then alloc_info and areas[]
      groupAddrs.forEach((a, h) => { mb = memblockFree(mb, a, BigInt(ai.groups[h]!.length * ai.unitSize)); });
      mb = memblockFree(mb, aiAddr, BigInt(aiSize));
      return { ok: false, rc: -12, mb: memblockFree(mb, areasAddr, BigInt(areasSize)) };
    }
    mb = got.mb;
    groupAddrs.push(got.addr);
  }
  // pcpu_embed_first_chunk(): "copy and return the unused part", and free whole units no CPU uses
  const frees: { base: bigint; size: bigint }[] = [];
  ai.groups.forEach((units, g) => {
    units.forEach((cpu, i) => {
      const used = cpu === null ? 0 : sizeSum;
      if (ai.unitSize - used > 0) frees.push({ base: groupAddrs[g]! + BigInt(i * ai.unitSize + used), size: BigInt(ai.unitSize - used) });
    });
  });
  // one memblock_phys_free() per entry, in this order (memblockFreeMany is that loop)
  mb = memblockFreeMany(mb, frees);
  // pcpu_setup_first_chunk()/pcpu_alloc_first_chunk(): group offsets, unit maps, chunk lists, chunk structs and bitmaps
  if (setup) mb = pcpuSetupFirstChunk(mb, ai, topo.possibleCpus, is64, setup);
  // then the temporaries go back: pcpu_free_alloc_info(), and areas[]
  mb = memblockFree(mb, aiAddr, BigInt(aiSize));
  return { ok: true, mb: memblockFree(mb, areasAddr, BigInt(areasSize)) };
}

/** start_kernel → setup_per_cpu_areas(): the setup_percpu, percpu: Embedded and pcpu-alloc lines. */
export function setupPerCpuAreas(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  const pt = traits.percpu;
  const topo = topologyOf(state, ctx);
  const nrCpus = configNumber(ctx, 'NR_CPUS');
  const nrCpuIds = topo.possibleCpus;
  // include/linux/cpumask.h: nr_cpumask_bits (CPUMASK_OFFSTACK is selected by MAXSMP, arch/x86/Kconfig)
  const offstack = configOn(ctx, 'MAXSMP') || configOn(ctx, 'CPUMASK_OFFSTACK');
  const cpumaskBits = pt.cpumaskBitsAlwaysNrCpuIds || offstack ? nrCpuIds : nrCpus;
  const lines: DmesgLine[] = [];
  lines.push(
    line('percpu.setup', `setup_percpu: NR_CPUS:${nrCpus} nr_cpumask_bits:${cpumaskBits} nr_cpu_ids:${nrCpuIds} nr_node_ids:${topo.nrNodeIds}`, {
      nr_cpus: [term('NR_CPUS', nrCpus, `CONFIG_NR_CPUS (kernel facts, ${ctx.kernel.id})`)],
      nr_cpumask_bits: [
        term('nr_cpumask_bits', cpumaskBits, pt.cpumaskBitsAlwaysNrCpuIds ? 'include/linux/cpumask.h (6.1): nr_cpu_ids' : `include/linux/cpumask.h (5.10): ${offstack ? 'nr_cpu_ids (CPUMASK_OFFSTACK, selected by MAXSMP)' : 'NR_CPUS (no CPUMASK_OFFSTACK)'}`),
      ],
      nr_cpu_ids: [term('nr_cpu_ids', nrCpuIds, 'possible CPUs: QEMU -smp, ACPI MADT; arch/x86/kernel/smpboot.c prefill_possible_map()')],
      nr_node_ids: [...topo.explain],
    }),
  );

  const p = percpuParams(ctx);
  // arch/x86/kernel/setup_percpu.c pcpu_cpu_distance(): LOCAL_DISTANCE iff same early_cpu_to_node (CONFIG_NUMA)
  const local = (a: number, b: number): boolean => !topo.numa || topo.cpuToNode[a] === topo.cpuToNode[b];
  // percpu_alloc=page: pcpu_page_first_chunk() builds with dyn_size 0, PAGE_SIZE atoms, no cpu_distance_fn (sim/stages/percpu-page.ts)
  const fc = chosenFirstChunk(bootCommandLine(ctx.spec));
  const allocInfo = (page: boolean): ReturnType<typeof pcpuBuildAllocInfo> =>
    pcpuBuildAllocInfo(p.staticSize, p.reserved, page ? 0 : p.dynSize, page ? PAGE_SIZE : p.atomSize, p.dynamicEarlySize, page ? pageGroupMap(nrCpuIds) : groupCpus(nrCpuIds, local, pt.grouping));
  // the first-chunk bookkeeping: struct sizes from the facts (BTF on amd64, qemu-scripts/kernel/structs.ts on 686)
  const setup: FirstChunkSetup = {
    chunkBytes: Number(structBytes(ctx, 'pcpu_chunk', STAGE)),
    blockMdBytes: Number(structBytes(ctx, 'pcpu_block_md', STAGE)),
    chunkTypes: pt.chunkListsPerType ? (configOn(ctx, 'MEMCG_KMEM') ? 2 : 1) : undefined,
  };
  const is64 = traits.arch === 'x86_64';
  // in place, in call order: pcpu_embed_first_chunk (unless percpu_alloc=page), pcpu_page_first_chunk
  // when it is chosen or the embed failed, then setup_per_cpu_areas' cpumasks
  let page = fc === 'page';
  let built = allocInfo(page);
  let mb: MemblockState = memblockStateOf(state);
  if (!page) {
    const r = pcpuEmbedTry(mb, built.ai, built.sizeSum, topo, is64, topo.numa, setup);
    mb = r.mb;
    if (!r.ok) {
      // arch/x86/kernel/setup_percpu.c setup_per_cpu_areas() (5.10–7.2): "if (rc < 0) pr_warn(…); if (rc < 0) rc = pcpu_page_first_chunk(…)"
      const units = built.ai.groups.map((g) => g.length * built.ai.unitSize).join(' + ');
      lines.push(line('percpu.fallback', `setup_percpu: ${fc} allocator failed (${r.rc}), falling back to page size`, {
        fc: [term('pcpu_chosen_fc', fc, 'mm/percpu.c pcpu_fc_names[]: PCPU_FC_AUTO unless percpu_alloc=embed')],
        rc: [term('rc', r.rc, `mm/percpu.c pcpu_embed_first_chunk(): -ENOMEM, no room for ${units} bytes of units (atom ${built.ai.atomSize})`)],
      }));
      // X86_32 as x86_64: the same pcpu_page_first_chunk(PERCPU_FIRST_CHUNK_RESERVE, pcpu_cpu_to_node)
      // call as percpu_alloc=page, with populate_extra_pte() from init_32.c (pageFcPtes32, below)
      page = true;
      built = allocInfo(true);
    }
  }
  const { ai, sizeSum, upa } = built;
  const pageFc = page
    ? pcpuPageFirstChunk(mb, ai, topo, ctx, (m) => pcpuSetupFirstChunk(m, ai, nrCpuIds, is64, setup), is64 ? undefined : pageFcPtes32(state, ctx))
    : undefined;
  if (pageFc) mb = pageFc.mb;
  const unitExplain = [
    term('alloc_size', ai.allocSize, 'mm/percpu.c pcpu_build_alloc_info(): roundup(max(size_sum, PCPU_MIN_UNIT_SIZE), atom_size)'),
    term('units per alloc', upa, 'mm/percpu.c pcpu_build_alloc_info(): largest upa dividing alloc_size into whole pages with wasted units ≤ possible/3, fewest allocs'),
    term('groups', ai.groups.length, 'mm/percpu.c pcpu_build_alloc_info(): CPUs at LOCAL_DISTANCE (arch/x86/kernel/setup_percpu.c pcpu_cpu_distance)'),
  ];
  const ex = { ...p.explain };
  if (page) lines.push(pageFirstChunkLine(ai));
  else lines.push(
    line('percpu.embedded', `percpu: Embedded ${sizeSum / PAGE_SIZE} pages/cpu s${ai.staticSize} r${ai.reservedSize} d${ai.dynSize} u${ai.unitSize}`, {
      pages: [term('size_sum', sizeSum, 'mm/percpu.c pcpu_embed_first_chunk(): PFN_DOWN(static + reserved + dyn)')],
      static: ex.static!,
      reserved: ex.reserved!,
      dynamic: ex.dynamic!,
      unit: unitExplain,
    }),
  );
  lines.push(
    line('percpu.alloc', `pcpu-alloc: s${ai.staticSize} r${ai.reservedSize} d${ai.dynSize} u${ai.unitSize} alloc=${ai.allocSize / ai.atomSize}*${ai.atomSize}`, {
      static: ex.static!,
      reserved: ex.reserved!,
      dynamic: ex.dynamic!,
      unit: unitExplain,
      units: [term('alloc_size / atom_size', ai.allocSize / ai.atomSize, 'mm/percpu.c pcpu_dump_alloc_info()')],
      atom: ex.atom!,
    }),
  );
  for (const t of dumpAllocInfo(ai, nrCpuIds)) {
    lines.push(line('percpu.map', t, { groups: [term('groups', ai.groups.length, 'mm/percpu.c pcpu_dump_alloc_info(): "[%0*d] " per alloc, "%0*d " per unit, 60-column lines')] }));
  }
  mb = cpumaskAllocs(mb, ctx, topo, pt);
  const slice: PercpuState = { ai, sizeSum, ...(page && is64 ? { vmallocPudPages: PAGE_FC_VMALLOC_PUD_PAGES } : {}) };
  const next = withSlice(withMemblock(state, mb), 'percpu', slice);
  return { state: pageFc?.pgt32 ? withSlice(next, 'pgt32', pageFc.pgt32) : next, lines };
}

/**
 * The X86_32 inputs of pcpu_page_first_chunk()'s populate_extra_pte(): the page tables so far and
 * VMALLOC_START = high_memory + VMALLOC_OFFSET, high_memory = __va(highstart_pfn × PAGE_SIZE − 1) + 1
 * (arch/x86/mm/init_32.c initmem_init(), CONFIG_HIGHMEM; max_low_pfn without it).
 */
export function pageFcPtes32(state: BootState, ctx: BootContext): PageFcPtes32 {
  const lm = lowmem32StateOf(state);
  const pageOffset = lm.layout.pageOffset;
  const highMemory = pageOffset + ((ctx.traits.highmem ? lm.highstartPfn : lm.maxLowPfn) << PAGE_SHIFT);
  return { pgt: pgt32Of(state), geometry: geometry32(ctx.traits, pageOffset), vmallocStart: highMemory + VMALLOC_OFFSET_32, vmallocEnd: lm.layout.vmallocEnd };
}

/**
 * arch/x86/kernel/setup_percpu.c setup_per_cpu_areas(): setup_node_to_cpumask_map() (one mask per
 * node id, arch/x86/mm/numa.c) then setup_cpu_local_masks() (arch/x86/kernel/cpu/common.c ≤ 6.1:
 * cpu_initialized, cpu_callin, cpu_callout, cpu_sibling_setup; arch/x86/kernel/smpboot.c 6.12+:
 * cpu_sibling_setup only). alloc_bootmem_cpumask_var() = memblock_alloc(cpumask_size(),
 * SMP_CACHE_BYTES) with CPUMASK_OFFSTACK, nothing without; cpumask_size() = BITS_TO_LONGS(nr_cpu_ids) longs.
 */
function cpumaskAllocs(mb0: MemblockState, ctx: BootContext, topo: Topology, pt: PercpuTraits): MemblockState {
  if (!configOn(ctx, 'CPUMASK_OFFSTACK')) return mb0;
  const long = ctx.traits.arch === 'x86_64' ? 8 : 4;
  const size = BigInt(Math.ceil(topo.possibleCpus / (long * 8)) * long);
  const names = [
    ...(topo.numa ? Array.from({ length: topo.nrNodeIds }, (_, n) => `node_to_cpumask_map[${n}]`) : []),
    ...(pt.fourLocalMasks ? ['cpu_initialized_mask', 'cpu_callin_mask', 'cpu_callout_mask', 'cpu_sibling_setup_mask'] : ['cpu_sibling_setup_mask']),
  ];
  let mb = mb0;
  for (const why of names) {
    mb = memblockAlloc(mb, { size, align: SMP_CACHE_BYTES, why, source: 'lib/cpumask.c: alloc_bootmem_cpumask_var() from setup_per_cpu_areas() (6.1)', stage: STAGE, caller: 'alloc_bootmem_cpumask_var' }).mb;
  }
  return mb;
}
