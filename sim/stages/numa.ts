// models x86 initmem_init() → x86_numa_init() → numa_init() (arch/x86/mm/numa.c 5.10.223 and 6.1.192;
// mm/numa_memblks.c and mm/numa.c from 6.12.115 and 7.2.13): the SRAT parse (drivers/acpi/numa/srat.c,
// arch/x86/mm/srat.c) or dummy_numa_init's fake node, numa_cleanup_meminfo's merge lines,
// numa_register_memblks (memblock_set_node on memory and reserved), and alloc_node_data's
// NODE_DATA allocation from memblock. Then memblock_find_dma_reserve() (≤ 6.1), which setup_arch
// runs right after. i386 Debian builds have no CONFIG_NUMA: nothing is printed there.
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { type KernelTraits, kernelConfig } from '../traits.ts';
import { e820StateOf } from './e820.ts';
import { memblockFindDmaReserve } from './memblock-setup.ts';
import {
  memblockAlloc, memblockSetNode, memblockStateOf, withMemblock, memblockStartOfDram, memblockEndOfDram,
  SMP_CACHE_BYTES, NO_NODE, type MemblockState,
} from './memblock.ts';
import { fmt010Lx, fmt018Lx } from '../lib/printk.ts';
import { ALIGN, PAGE_SHIFT, PAGE_SIZE, ULLONG_MAX } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { possibleCpuMap } from './possible-cpus.ts';
import { acpiDisabled, parseParams } from './cmdline.ts';
import { fakeRequest, numaAllocDistance, refuseFake, splitNodesInterleave } from './numa-emulation.ts';
import { slice, withSlice } from '../state.ts';

const STAGE = 'numa';
/** include/linux/numa.h MAX_NUMNODES = 1 << NODES_SHIFT; the model stops at 64 (arch/x86/mm/numa.c MAX_LOCAL_APIC paths untested beyond). */
const MAX_MODELLED_NODES = 64;

/** One node as numa_register_memblks leaves it. */
export interface NumaNode {
  readonly nid: number;
  /** The node's span from numa_meminfo: [min start, max end) of its blocks. */
  readonly start: bigint;
  readonly end: bigint;
  /** Where alloc_node_data put pg_data_t: [start, end). */
  readonly nodeData: { readonly start: bigint; readonly end: bigint } | undefined;
}

export interface NumaState {
  /** False on builds without CONFIG_NUMA (i386): one implicit node 0. */
  readonly numa: boolean;
  /** node_possible_map, ascending. */
  readonly nodes: readonly NumaNode[];
  /** nr_node_ids: highest possible node + 1. */
  readonly nrNodeIds: number;
  /** early_cpu_to_node for each possible CPU. */
  readonly cpuToNode: readonly number[];
  /** dma_reserve (set_dma_reserve from memblock_find_dma_reserve), in pages; 0 where the version has none (≥ 6.12, i386). */
  readonly dmaReserve: bigint;
  /** emu_nid_to_phys[] under numa=fake= (sim/stages/numa-emulation.ts); undefined: nodes are physical. */
  readonly emuToPhys?: readonly number[];
}

/** include/linux/topology.h LOCAL_DISTANCE, REMOTE_DISTANCE. */
export const LOCAL_DISTANCE = 10;
export const REMOTE_DISTANCE = 20;

/**
 * node_distance(a, b): QEMU builds no SLIT without -numa dist, so numa_distance is unset (LOCAL on
 * the diagonal, REMOTE elsewhere), except under numa=fake=, whose numa_emulation() sets LOCAL
 * between emulated nodes of one physical node (physi == physj).
 */
export function nodeDistance(numa: Pick<NumaState, 'emuToPhys'>, a: number, b: number): number {
  const phys = numa.emuToPhys;
  // __node_distance(): a node at or past numa_distance_cnt (max_emu_nid + 1) is LOCAL only to itself
  const pa = phys?.[a];
  const pb = phys?.[b];
  if (pa !== undefined && pb !== undefined) return pa === pb ? LOCAL_DISTANCE : REMOTE_DISTANCE;
  return a === b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

export function numaStateOf(state: BootState): NumaState {
  return slice(state, 'numa', STAGE);
}

/** sizeof(pg_data_t) rounded as alloc_node_data does: PAGE_SIZE in 5.10/6.1 (arch/x86/mm/numa.c), SMP_CACHE_BYTES from 6.12 (mm/numa.c). */
function nodeDataSize(ctx: BootContext, traits: KernelTraits): bigint {
  const s = ctx.kernel.facts.structs['pglist_data'];
  if (!s) throw new SimError('SIM_NOT_MODELLED', STAGE, `kernel ${ctx.kernel.id}: facts.structs.pglist_data missing`);
  return ALIGN(BigInt(s.bytes), traits.numaMemblks === 'generic' ? SMP_CACHE_BYTES : PAGE_SIZE);
}

interface Blk { nid: number; start: bigint; end: bigint }

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => (explain ? { stage: STAGE, fmt, text, explain } : { stage: STAGE, fmt, text });

/** numa_cleanup_meminfo(): trim to [low, high), drop blocks without memory, merge same-node neighbours. */
function cleanupMeminfo(blks: Blk[], mb: MemblockState, low: bigint, high: bigint, lines: DmesgLine[], src: string): Blk[] {
  const mi: Blk[] = [];
  for (const b of blks) {
    // memblock_overlaps_region(&memblock.memory, …): blocks without RAM move to numa_reserved_meminfo
    if (!mb.memory.some((m) => m.start < b.end && b.start < m.end)) continue;
    const start = b.start > low ? b.start : low;
    const end = b.end > high ? high : b.end;
    if (start < end) mi.push({ nid: b.nid, start, end });
  }
  for (let i = 0; i < mi.length; i++) {
    for (let j = i + 1; j < mi.length; j++) {
      const bi = mi[i]!;
      const bj = mi[j]!;
      if (bi.end > bj.start && bi.start < bj.end) {
        throw new SimError('SIM_NOT_MODELLED', STAGE, `SRAT: node ${bi.nid} and node ${bj.nid} overlap (numa_cleanup_meminfo error/warning path)`);
      }
      if (bi.nid !== bj.nid) continue;
      const start = bi.start < bj.start ? bi.start : bj.start;
      const end = bi.end > bj.end ? bi.end : bj.end;
      if (mi.some((bk) => bk.nid !== bi.nid && start < bk.end && end > bk.start)) continue;
      lines.push(line('numa.merge',
        `NUMA: Node ${bi.nid} [mem ${fmt010Lx(bi.start)}-${fmt010Lx(bi.end - 1n)}] + [mem ${fmt010Lx(bj.start)}-${fmt010Lx(bj.end - 1n)}] -> [mem ${fmt010Lx(start)}-${fmt010Lx(end - 1n)}]`,
        { start: [{ name: `node ${bi.nid} merged start`, value: start, source: src }], end: [{ name: `node ${bi.nid} merged end − 1`, value: end - 1n, source: src }] }));
      mi[i] = { nid: bi.nid, start, end };
      mi.splice(j, 1);
      j--;
    }
  }
  return mi;
}

/** The values of each "numa=" on the command line, in order: numa_setup() runs for every one (early_param). */
export function numaParams(ctx: BootContext): string[] {
  const out: string[] = [];
  for (const p of parseParams(ctx.spec.cmdline ?? '')) {
    if (p.param === '--' && p.val === undefined) break;
    if (p.param === 'numa') out.push(p.val ?? '');
  }
  return out;
}

/** numa_init() up to numa_register_memblks(): what the SRAT (or dummy_numa_init) and numa_emulation() leave. */
export interface NumaMeminfo {
  readonly lines: readonly DmesgLine[];
  /** numa_meminfo after numa_cleanup_meminfo() (and numa_emulation()'s commit). */
  readonly mi: readonly Blk[];
  /** numa_nodes_parsed. */
  readonly parsed: ReadonlySet<number>;
  /** __apicid_to_node[] of each present CPU (APIC ID = CPU index), emulated nids under numa=fake=. */
  readonly sratCpuNode: readonly number[];
  /** The emulation, when numa=fake= split the nodes (emu_nid_to_phys[] for the nids 0..max_emu_nid). */
  readonly emulation?: {
    readonly emuToPhys: readonly number[];
    /**
     * The SRAT's physical nodes no emulated node maps to (emu_nid_to_phys[] never names them): a
     * memoryless node, or more physical nodes than numa=fake=N. 6.12+ fix_pxm_node_maps() enables
     * each at the next free nid (traits.numaEmuFixPxm).
     */
    readonly unusedPhys: readonly number[];
  };
}

/**
 * x86_numa_init() → numa_init(): the SRAT parse (acpi_numa_init: processor then memory affinity
 * entries) or dummy_numa_init(), numa_cleanup_meminfo(), then numa_emulation() (numa=fake=N), from
 * memblock.memory alone: nothing is allocated here (numaInit allocates the distance table and NODE_DATA).
 */
export function numaMeminfo(ctx: BootContext, mb: MemblockState, e820: ReturnType<typeof e820StateOf>): NumaMeminfo {
  const traits = ctx.traits;
  const cpus = ctx.spec.cpus;
  const archNuma = traits.numaMemblks === 'arch';
  const maxPfn = e820.maxPfn!;
  const lines: DmesgLine[] = [];
  const memSrc = archNuma ? 'arch/x86/mm/numa.c: numa_cleanup_meminfo() (6.1)' : 'mm/numa_memblks.c: numa_cleanup_meminfo() (6.12)';
  let blks: Blk[];
  /** __apicid_to_node[] from the SRAT's processor entries (APIC ID = CPU index under QEMU). */
  let sratCpuNode: number[] = [];
  const parsed = new Set<number>();
  /** node_to_pxm_map[]: the nodes acpi_map_pxm_to_node() handed out. */
  const pxmToNode = new Map<number, number>();
  const srat = e820.firmware.srat;
  // numa_setup(): "numa=off" (strncmp 3) sets numa_off; x86_numa_init() then skips the SRAT (and
  // amd_numa_init) and goes straight to dummy_numa_init()
  const numaOff = numaParams(ctx).some((v) => v.startsWith('off'));
  // acpi=off: acpi_numa_init() returns -EINVAL (acpi_disabled), so the SRAT is never read
  const dummy = !(ctx.spec.numa && srat && !numaOff && !acpiDisabled(ctx.spec));
  if (!dummy && ctx.spec.numa) {
    if (ctx.spec.numa.length > MAX_MODELLED_NODES) throw new SimError('SIM_NOT_MODELLED', STAGE, `numa: more than ${MAX_MODELLED_NODES} nodes, got ${ctx.spec.numa.length}`);
    // acpi_map_pxm_to_node(): nodes are handed out in the order PXMs are first seen; QEMU's
    // build_srat lists the CPUs (APIC ID = CPU index) first, then the memory ranges, PXM = node index.
    const mapPxm = (pxm: number): number => {
      if (!pxmToNode.has(pxm)) pxmToNode.set(pxm, pxmToNode.size);
      return pxmToNode.get(pxm)!;
    };
    for (let cpu = 0; cpu < cpus; cpu++) {
      const pxm = ctx.spec.numa.findIndex((n) => n.cpus.includes(cpu));
      if (pxm < 0) throw new SimError('SIM_NOT_MODELLED', STAGE, `numa: CPU ${cpu} is in no node (QEMU's default assignment is not modelled)`);
      const node = mapPxm(pxm);
      parsed.add(node);
      sratCpuNode.push(node);
      // acpi_numa_processor_affinity_init(): pr_info on 5.10/6.1, pr_debug from 6.12 (not printed)
      if (traits.sratCpuLineInfo) {
        lines.push(line('numa.srat_cpu', `SRAT: PXM ${pxm} -> APIC 0x${cpu.toString(16).padStart(2, '0')} -> Node ${node}`));
      }
    }
    blks = [];
    for (const r of srat) {
      const node = mapPxm(r.node);
      parsed.add(node);
      // acpi_numa_memory_affinity_init(): "SRAT: Node %u PXM %u [mem %#010Lx-%#010Lx]%s%s" (no hotplug/non-volatile flags from QEMU)
      lines.push(line('numa.srat', `ACPI: SRAT: Node ${node} PXM ${r.node} [mem ${fmt010Lx(r.start)}-${fmt010Lx(r.end - 1n)}]`));
      blks.push({ nid: node, start: r.start, end: r.end });
    }
  } else {
    // dummy_numa_init()
    lines.push(line('numa.none', numaOff ? 'NUMA turned off' : 'No NUMA configuration found'));
    const end = maxPfn << PAGE_SHIFT;
    lines.push(line('numa.fake', `Faking a node at [mem ${fmt018Lx(0n)}-${fmt018Lx(end - 1n)}]`,
      { end: [{ name: 'PFN_PHYS(max_pfn) − 1', value: end - 1n, source: 'arch/x86/mm/numa.c: dummy_numa_init() (6.1)' }] }));
    blks = [{ nid: 0, start: 0n, end }];
    parsed.add(0);
  }

  // numa_cleanup_meminfo(): low = 0, high = PFN_PHYS(max_pfn) ≤ 6.1; memblock_start/end_of_DRAM() from 6.12
  const low = archNuma ? 0n : memblockStartOfDram(mb);
  const high = archNuma ? maxPfn << PAGE_SHIFT : memblockEndOfDram(mb);
  let mi = cleanupMeminfo(blks, mb, low, high, lines, memSrc);

  // numa_emulation(&numa_meminfo, numa_distance_cnt): numa=fake=N splits the nodes (the dummy node,
  // or the SRAT's physical nodes, interleaved) into N emulated ones
  const fakes = numaParams(ctx).filter((v) => v.startsWith('fake='));
  const fake = fakes[fakes.length - 1]?.slice(5);
  if (fake === undefined) return { lines, mi, parsed, sratCpuNode };
  const req = fakeRequest(fake);
  if (req.kind === 'refused') refuseFake(fake, req.why);
  const shift = Number(kernelConfig(ctx.kernel, 'NODES_SHIFT') ?? '0');
  // split_nodes_interleave(&ei, &pi, 0, max_addr, n): physnode_mask = numa_nodes_parsed
  const emu = splitNodesInterleave(mi, mb, maxPfn << PAGE_SHIFT, req.n, 1 << shift);
  if (!emu) return { lines, mi, parsed, sratCpuNode };
  lines.push(...emu.lines);
  const physMi = mi;
  // numa_cleanup_meminfo(&ei) (it can merge an emulated node's blocks), then numa_nodes_parsed
  // holds only the emulated nodes
  mi = cleanupMeminfo([...emu.blocks], mb, low, high, lines, memSrc);
  // setup_emu2phys_nid(): max_emu_nid, and dfl_phys_nid (the first mapped one) for unmapped nids
  const maxEmuNid = emu.emuToPhys.length - 1;
  const dflPhys = emu.emuToPhys.find((p) => p !== undefined) ?? 0;
  const emuToPhys = Array.from({ length: maxEmuNid + 1 }, (_, i) => emu.emuToPhys[i] ?? dflPhys);
  const unusedPhys = [...pxmToNode.values()].sort((a, b) => a - b).filter((p) => !emu.emuToPhys.includes(p));
  // 6.12+: fix_pxm_node_maps() returns -1 under numa_off, and numa_emulation() goes to no_emu after
  // printing the fake nodes: numa_nodes_parsed = physnode_mask, numa_meminfo uncommitted, no distance
  // table (numa_dist_cnt 0: nothing was allocated). ≤ 6.1 has no such check: the dummy node is split
  if (traits.numaEmuFixPxm && numaOff) {
    return { lines, mi: physMi, parsed, sratCpuNode };
  }
  const emuParsed = new Set(mi.map((b) => b.nid));
  // __apicid_to_node[] transform (numa_emulation() ≤ 6.1, numa_emu_update_cpu_to_node() 6.12+): each
  // CPU's physical node becomes the first emulated nid mapped to it, or 0 when none is
  sratCpuNode = sratCpuNode.map((p) => {
    const j = emu.emuToPhys.indexOf(p);
    return j >= 0 ? j : 0;
  });
  return { lines, mi, parsed: emuParsed, sratCpuNode, emulation: { emuToPhys, unusedPhys } };
}

export const numaInit: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  let mb = memblockStateOf(state);
  const e820 = e820StateOf(state);
  const archNuma = traits.numaMemblks === 'arch';
  const dmaReserve = traits.arch === 'x86_64' && traits.dmaReserve ? memblockFindDmaReserve(mb) : 0n;
  if (kernelConfig(ctx.kernel, 'NUMA') !== 'y') {
    // no CONFIG_NUMA: QEMU's SRAT (for a -numa profile) is never parsed; one implicit node 0
    const numa: NumaState = { numa: false, nodes: [], nrNodeIds: 1, cpuToNode: Array.from({ length: possibleCpuMap(ctx).possible }, () => 0), dmaReserve };
    return { state: withSlice(state, 'numa', numa), lines: [] };
  }
  const maxPfn = e820.maxPfn!;
  const info = numaMeminfo(ctx, mb, e820);
  const lines = [...info.lines];
  const mi = info.mi;
  const parsed = info.parsed;
  const sratCpuNode = info.sratCpuNode;
  let emuToPhys: readonly number[] | undefined;
  if (info.emulation) {
    // 6.12+: fix_pxm_node_maps() enables the unused physical nodes at nids past max_emu_nid, and
    // numa_emulation()'s second distance loop then reads the copied physical distance table, which
    // is NULL without a SLIT (numa_dist_cnt 0): the kernel oopses. The envelope refuses it at load
    // time (sim/stages/numa-fake-limit.ts); a spec built by hand stops here
    if (traits.numaEmuFixPxm && info.emulation.unusedPhys.length > 0) {
      throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: numa=fake=: physical node(s) ${info.emulation.unusedPhys.join(', ')} map to no emulated node; fix_pxm_node_maps() enables them and numa_emulation() reads the NULL physical distance table (a kernel oops), which is not modelled`);
    }
    // numa_reset_distance(), then numa_set_distance() for each pair of emulated nodes: the table is
    // allocated once, cnt = the highest nid of numa_nodes_parsed and numa_meminfo + 1
    mb = numaAllocDistance(mb, Math.max(...parsed, ...mi.map((b) => b.nid)) + 1, archNuma);
    emuToPhys = info.emulation.emuToPhys;
  }

  // numa_register_memblks(): nodes of memory, then of reserved (numa_clear_kernel_node_hotplug)
  for (const b of mi) mb = memblockSetNode(mb, b.start, b.end - b.start, 'memory', b.nid);
  for (const b of mi) mb = memblockSetNode(mb, b.start, b.end - b.start, 'reserved', b.nid);
  // numa_meminfo_cover_memory(): every memory region must have a node
  if (mb.memory.some((m) => m.nid === NO_NODE)) throw new SimError('SIM_NOT_MODELLED', STAGE, 'numa: memory not covered by any node ("NUMA: nodes only cover …" → dummy fallback) is not modelled');

  const possible = [...new Set([...parsed, ...mi.map((b) => b.nid)])].sort((a, b) => a - b);
  const ndSize = nodeDataSize(ctx, traits);
  const nodes: NumaNode[] = [];
  const allocSrc = archNuma ? 'arch/x86/mm/numa.c: alloc_node_data() (6.1)' : 'mm/numa.c: alloc_node_data() (6.12)';
  for (const nid of possible) {
    let start = maxPfn << PAGE_SHIFT;
    let end = 0n;
    for (const b of mi) {
      if (b.nid !== nid) continue;
      if (b.start < start) start = b.start;
      if (b.end > end) end = b.end;
    }
    // numa_register_memblks() (≤ 6.1) / numa_register_nodes() (6.12+): "if (start >= end) continue;"
    // a memoryless node (its CPUs in the SRAT, no memory) gets no NODE_DATA here: init_cpu_to_node()
    // onlines it and free_area_init() or init_memory_less_node() gives it one (traits.memorylessNodes)
    if (start >= end) {
      nodes.push({ nid, start: 0n, end: 0n, nodeData: undefined });
      continue;
    }
    // memblock_phys_alloc_try_nid(nd_size, SMP_CACHE_BYTES, nid): node-local first, then any node
    const r = memblockAlloc(mb, { size: ndSize, align: SMP_CACHE_BYTES, nid, why: `NODE_DATA(${nid})`, source: allocSrc, stage: STAGE, caller: 'numa_register_memblks > alloc_node_data' });
    mb = r.mb;
    const ndEnd = r.addr + ndSize;
    const tnid = mb.memory.find((m) => m.start <= r.addr && r.addr < m.end)?.nid;
    if (tnid === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, `NODE_DATA(${nid}) at 0x${r.addr.toString(16)} is in no memblock.memory region (early_pfn_to_nid)`);
    const explain: Record<string, ExplainTerm[]> = {
      start: [
        { name: `top of free memory on node ${nid} (memblock top-down)`, value: ndEnd, source: 'mm/memblock.c: __memblock_find_range_top_down() (6.1)' },
        { name: 'sizeof(pg_data_t), rounded', value: ndSize, source: allocSrc },
      ],
      end: [{ name: 'start + nd_size − 1', value: ndEnd - 1n, source: allocSrc }],
    };
    lines.push(line('node_data', `NODE_DATA(${nid}) allocated [mem ${fmt010Lx(r.addr)}-${fmt010Lx(ndEnd - 1n)}]`, explain));
    // alloc_node_data(): tnid = early_pfn_to_nid(nd_pa >> PAGE_SHIFT); the node-local try failed (its
    // memory all reserved, e.g. under the kernel image) and memblock fell back to any node
    if (tnid !== nid) lines.push(line('node_data.on_node', `    NODE_DATA(${nid}) on node ${tnid}`, { node: [{ name: 'early_pfn_to_nid(nd_pa)', value: tnid, source: allocSrc }] }));
    nodes.push({ nid, start, end, nodeData: { start: r.addr, end: ndEnd } });
  }
  void ULLONG_MAX;
  // numa_init() → numa_init_array(): every CPU id gets the online nodes round robin (nothing has set
  // x86_cpu_to_node_map yet); init_cpu_to_node() then gives each possible CPU with an APIC ID its
  // SRAT node. CPUs without one (possible_cpus= hotplug CPUs) keep the round-robin node.
  const online = nodes.filter((n) => n.nodeData !== undefined).map((n) => n.nid);
  const cpuMap = possibleCpuMap(ctx);
  const cpuToNode = Array.from({ length: cpuMap.possible }, (_, cpu) => (cpu < cpuMap.presentCpus ? sratCpuNode[cpu] : undefined) ?? online[cpu % online.length]!);
  const numa: NumaState = {
    numa: true, nodes, nrNodeIds: (possible[possible.length - 1] ?? 0) + 1, cpuToNode, dmaReserve: traits.arch === 'x86_64' && traits.dmaReserve ? memblockFindDmaReserve(mb) : 0n,
    ...(emuToPhys ? { emuToPhys } : {}),
  };
  return { state: withSlice(withMemblock(state, mb), 'numa', numa), lines };
};

/**
 * arch/x86/mm/numa.c init_cpu_to_node() (5.10.223: traits.memorylessNodes 'init_cpu_to_node'), which
 * setup_arch() calls after prefill_possible_map() and before io_apic_init_mappings(): for each
 * possible CPU in order whose SRAT node (numa_cpu_node(): __apicid_to_node of its APIC ID; a
 * possible_cpus= hotplug CPU has no APIC ID and is skipped) is not online yet, init_memory_less_node():
 *  - alloc_node_data(nid): memblock_phys_alloc_try_nid(roundup(sizeof(pg_data_t), PAGE_SIZE),
 *    SMP_CACHE_BYTES, nid), which falls back to any node (the node has no memory), "NODE_DATA(%d)
 *    allocated [mem …]" and "    NODE_DATA(%d) on node %d" (tnid = early_pfn_to_nid(nd_pa)); node online;
 *  - free_area_init_memoryless_node() → free_area_init_node() (mm/page_alloc.c): get_pfn_range_for_nid()
 *    gives 0-0, "Initmem setup node %d [mem 0x0000000000000000-0x0000000000000000]", and
 *    calculate_node_totalpages()' KERN_DEBUG "On node %d totalpages: 0"; alloc_node_mem_map() and
 *    setup_usemap() allocate nothing on SPARSEMEM, and zone_pcp_init() prints only populated zones.
 * On 6.1+ these nodes get their pg_data_t in free_area_init() instead (sim/stages/zones.ts).
 */
export function initCpuToNode(mb0: MemblockState, numa: NumaState, ctx: BootContext): { mb: MemblockState; numa: NumaState; lines: DmesgLine[] } {
  const traits = ctx.traits;
  const lines: DmesgLine[] = [];
  if (!numa.numa || traits.memorylessNodes !== 'init_cpu_to_node') return { mb: mb0, numa, lines };
  const offline = new Set(numa.nodes.filter((n) => n.nodeData === undefined).map((n) => n.nid));
  if (offline.size === 0) return { mb: mb0, numa, lines };
  const ndSize = nodeDataSize(ctx, traits);
  const src = 'arch/x86/mm/numa.c: alloc_node_data() from init_cpu_to_node() → init_memory_less_node() (5.10)';
  const placed = new Map<number, { start: bigint; end: bigint }>();
  let mb = mb0;
  const cpuMap = possibleCpuMap(ctx);
  for (let cpu = 0; cpu < cpuMap.possible; cpu++) {
    // numa_cpu_node(): only the present CPUs have an APIC ID (x86_cpu_to_apicid) and so an SRAT node
    if (cpu >= cpuMap.presentCpus) continue;
    const nid = numa.cpuToNode[cpu];
    if (nid === undefined || !offline.has(nid) || placed.has(nid)) continue;
    const r = memblockAlloc(mb, { size: ndSize, align: SMP_CACHE_BYTES, nid, why: `NODE_DATA(${nid}) of memoryless node ${nid}`, source: src, stage: STAGE, caller: 'init_cpu_to_node > init_memory_less_node > alloc_node_data' });
    mb = r.mb;
    const ndEnd = r.addr + ndSize;
    const tnid = mb.memory.find((m) => m.start <= r.addr && r.addr < m.end)?.nid;
    if (tnid === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, `NODE_DATA(${nid}) at 0x${r.addr.toString(16)} is in no memblock.memory region (early_pfn_to_nid)`);
    lines.push(line('node_data', `NODE_DATA(${nid}) allocated [mem ${fmt010Lx(r.addr)}-${fmt010Lx(ndEnd - 1n)}]`, {
      start: [
        { name: 'top of free memory (memblock top-down; node-local fails: no memory on the node)', value: ndEnd, source: 'mm/memblock.c: memblock_alloc_range_nid() (5.10)' },
        { name: 'sizeof(pg_data_t), rounded', value: ndSize, source: src },
      ],
      end: [{ name: 'start + nd_size − 1', value: ndEnd - 1n, source: src }],
    }));
    if (tnid !== nid) lines.push(line('node_data.on_node', `    NODE_DATA(${nid}) on node ${tnid}`, { node: [{ name: 'early_pfn_to_nid(nd_pa)', value: tnid, source: src }] }));
    const fai = 'mm/page_alloc.c: free_area_init_memoryless_node() → free_area_init_node() (5.10)';
    lines.push(line('zones.initmem', `Initmem setup node ${nid} [mem ${fmt018Lx(0n)}-${fmt018Lx(0n)}]`, {
      start: [{ name: 'node start pfn', value: '0x0', source: `${fai}: get_pfn_range_for_nid() finds no memory` }],
      end: [{ name: 'end_pfn 0 prints 0', value: '0x0', source: fai }],
    }));
    if (traits.zoneDebugLines) lines.push(line('zones.totalpages', `On node ${nid} totalpages: 0`, { pages: [{ name: 'realtotalpages', value: 0n, source: `${fai}: calculate_node_totalpages()` }] }));
    placed.set(nid, { start: r.addr, end: ndEnd });
  }
  const nodes = numa.nodes.map((n) => (placed.has(n.nid) ? { ...n, nodeData: placed.get(n.nid) } : n));
  return { mb, numa: { ...numa, nodes }, lines };
}
