// models the odds and ends of mm_init()/mm_core_init() before SLUB (5.10.223, 6.1.192, 6.12.115,
// 7.2.13): report_meminit() ("mem auto-init:"), and x86 pci_iommu_alloc()
// (arch/x86/kernel/pci-dma.c): gart_iommu_hole_init() ("AGP: Checking aperture...", then
// search_agp_bridge()'s "No AGP bridge found"), pci_swiotlb_detect() and swiotlb_init_remap()
// ("software IO TLB: area num %d.", kernel/dma/swiotlb.c) with the bounce buffer's memblock calls.
// pci_iommu_alloc() runs from mem_init() (≤ 6.12) or arch_mm_preinit() (7.2, before the zonelists).
import type { BootContext, BootState, StageResult } from '../boot.ts';
import { sliceIfAny, withSlice } from '../state.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { amdGartPresent, bootCpu } from './boot-cpu.ts';
import { e820StateOf } from './e820.ts';
import { configOn, configValue, structBytes, term, topologyOf } from './mm-inputs.ts';
import { bootCommandLine, cmdlineValue, parseParams } from './cmdline.ts';
import { memblockAlloc, memblockStateOf, withMemblock, ARCH_LOW_ADDRESS_LIMIT, SMP_CACHE_BYTES } from './memblock.ts';
import { MAX_DMA32_PFN } from './zones.ts';
import { fmtPa } from '../lib/printk.ts';
import { ALIGN, roundupPowOfTwo } from '../lib/sizes.ts';
import { simpleStrtoull } from '../lib/memparse.ts';
import { SimError } from '../lib/errors.ts';

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'mem-init', fmt, text, ...(explain ? { explain } : {}) });

/** include/linux/…/early param parsing of init_on_alloc=/init_on_free= (kstrtobool). */
function boolParam(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (/^(1|y|Y|on)/.test(v)) return true;
  if (/^(0|n|N|off)/.test(v)) return false;
  return undefined;
}

/** init/main.c (≤ 6.1) / mm/mm_init.c (6.12+) report_meminit(). */
export function reportMeminit(state: BootState, ctx: BootContext): StageResult {
  const pattern = configOn(ctx, 'INIT_STACK_ALL_PATTERN');
  const zero = configOn(ctx, 'INIT_STACK_ALL_ZERO');
  const traits = ctx.traits;
  let stack = 'off';
  if (pattern) stack = 'all(pattern)';
  else if (zero) stack = 'all(zero)';
  else if (traits.structleakPlugin) {
    if (configOn(ctx, 'GCC_PLUGIN_STRUCTLEAK_BYREF_ALL')) stack = 'byref_all(zero)';
    else if (configOn(ctx, 'GCC_PLUGIN_STRUCTLEAK_BYREF')) stack = 'byref(zero)';
    else if (configOn(ctx, 'GCC_PLUGIN_STRUCTLEAK_USER')) stack = '__user(zero)';
  }
  // mm/page_alloc.c: DEFINE_STATIC_KEY_MAYBE(CONFIG_INIT_ON_ALLOC_DEFAULT_ON, init_on_alloc); early_param overrides
  const onAlloc = boolParam(cmdlineValue(ctx.spec, 'init_on_alloc')) ?? configOn(ctx, 'INIT_ON_ALLOC_DEFAULT_ON');
  const onFree = boolParam(cmdlineValue(ctx.spec, 'init_on_free')) ?? configOn(ctx, 'INIT_ON_FREE_DEFAULT_ON');
  const lines = [
    line('mem.auto_init', `mem auto-init: stack:${stack}, heap alloc:${onAlloc ? 'on' : 'off'}, heap free:${onFree ? 'on' : 'off'}`, {
      stack: [term('stack', stack, `report_meminit(): ${configValue(ctx, 'INIT_STACK_ALL_ZERO').source}, CONFIG_INIT_STACK_ALL_PATTERN`)],
      alloc: [term('init_on_alloc', onAlloc ? 'on' : 'off', `${configValue(ctx, 'INIT_ON_ALLOC_DEFAULT_ON').source}; init_on_alloc= early_param`)],
      free: [term('init_on_free', onFree ? 'on' : 'off', `${configValue(ctx, 'INIT_ON_FREE_DEFAULT_ON').source}; init_on_free= early_param`)],
    }),
  ];
  // report_meminit(): a second line when init_on_free is on
  if (onFree) lines.push(line('mem.auto_init_free', 'mem auto-init: clearing system memory may take some time...'));
  return { state, lines };
}

/** include/linux/swiotlb.h: IO_TLB_SHIFT 11, IO_TLB_SEGSIZE 128, IO_TLB_DEFAULT_SIZE 64M. */
const IO_TLB_SHIFT = 11n;
const IO_TLB_SEGSIZE = 128n;
const IO_TLB_DEFAULT_SIZE = 64n << 20n;

export interface SwiotlbState {
  readonly nslabs: bigint;
  readonly nareas: number;
  readonly bytes: bigint;
  /** mem->start (io_tlb_start on 5.10): where memblock placed the bounce buffer. */
  readonly start: bigint;
  readonly explain: readonly ExplainTerm[];
}

export function swiotlbStateOf(state: BootState): SwiotlbState | undefined {
  return sliceIfAny(state, 'swiotlb');
}

/** What swiotlb= leaves: the slab count it sets (undefined: the default), after every occurrence. */
export interface SwiotlbParam {
  readonly nslabs: bigint | undefined;
  readonly given: readonly string[];
}

/**
 * kernel/dma/swiotlb.c setup_io_tlb_npages(), called for each swiotlb= in order (early_param):
 * leading digits set io_tlb_nslabs (5.10) / default_nslabs (6.0+) to ALIGN(simple_strtoul(str, 0),
 * IO_TLB_SEGSIZE); then ',' and, from 6.0, a second number for swiotlb_adjust_nareas(), then
 * "force" or "noforce"; any other tail is ignored. The area count (it prints "area num" at parse
 * time), force and noforce are refused by name.
 */
export function swiotlbParam(ctx: BootContext): SwiotlbParam {
  let nslabs: bigint | undefined;
  const given: string[] = [];
  for (const p of parseParams(bootCommandLine(ctx.spec))) {
    if (p.param === '--' && p.val === undefined) break;
    if (p.param !== 'swiotlb') continue;
    const full = p.val === undefined ? 'swiotlb' : `swiotlb=${p.val}`;
    if (p.val === undefined) throw new SimError('SIM_NOT_MODELLED', 'swiotlb', `cmdline: ${full}: setup_io_tlb_npages(NULL) is not modelled`);
    given.push(full);
    let str = p.val;
    if (/^[0-9]/.test(str)) {
      const n = simpleStrtoull(str);
      nslabs = ALIGN(n.value, IO_TLB_SEGSIZE);
      str = n.rest;
    }
    if (str.startsWith(',')) str = str.slice(1);
    if (ctx.traits.mmCore.swiotlbAreas && /^[0-9]/.test(str)) throw new SimError('SIM_NOT_MODELLED', 'swiotlb', `cmdline: ${full}: the area count (swiotlb_adjust_nareas at parse time) is not modelled`);
    if (str === 'force' || str === 'noforce' || (ctx.traits.mmCore.swiotlbAreas && /^[0-9]*,(no)?force$/.test(str))) {
      throw new SimError('SIM_NOT_MODELLED', 'swiotlb', `cmdline: ${full}: swiotlb force/noforce (bounce buffering forced on, or the buffer left out) is not modelled`);
    }
  }
  return { nslabs, given };
}

/** swiotlb_size_or_default() in setup_arch (before swiotlb_init rounds it): the slabs swiotlb= set, or IO_TLB_DEFAULT_SIZE. */
export function swiotlbSizeOrDefault(ctx: BootContext): bigint {
  const n = swiotlbParam(ctx).nslabs;
  // 5.10: size = io_tlb_nslabs << IO_TLB_SHIFT, "size ? size : IO_TLB_DEFAULT_SIZE"; 6.1+: default_nslabs << IO_TLB_SHIFT
  return n === undefined || n === 0n ? IO_TLB_DEFAULT_SIZE : n << IO_TLB_SHIFT;
}

/** arch/x86/kernel/pci-dma.c pci_iommu_alloc(): gart_iommu_hole_init(), then swiotlb_init(). */
function pciIommuAlloc(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  const mt = traits.mmCore;
  const lines: DmesgLine[] = [];
  const cpu = bootCpu(ctx);
  // arch/x86/kernel/aperture_64.c (CONFIG_GART_IOMMU, X86_64) gart_iommu_hole_init(): amd_gart_present(), early_pci_allowed()
  const gart = traits.arch === 'x86_64' && configOn(ctx, 'GART_IOMMU') && amdGartPresent(cpu);
  if (gart) {
    const why = [term('CPU', `${cpu.model}: ${cpu.vendorString} family 0x${cpu.family.toString(16)} model 0x${cpu.modelNumber.toString(16)}`, 'arch/x86/include/asm/amd_nb.h amd_gart_present(); QEMU 7.2 target/i386/cpu.c model table')];
    lines.push(line('agp.checking', 'AGP: Checking aperture...', { cpu: why }));
    // search_agp_bridge(): QEMU's i440fx/q35 have no AGP bridge (no PCI_CLASS_BRIDGE_HOST with AGP cap)
    lines.push(line('agp.none', 'AGP: No AGP bridge found'));
    // no AMD northbridge (amd_nb_bus_dev_ranges) answers on QEMU's PCI bus → no aperture; returns before "Your BIOS doesn't leave…"
  }
  // pci_swiotlb_detect(): x86_swiotlb_enable when !no_iommu && max_possible_pfn > MAX_DMA32_PFN
  // (iommu= is refused in PARAM_REVIEWS, so no_iommu stays 0)
  const maxPfn = e820StateOf(state).maxPfn ?? 0n;
  const swiotlb = configOn(ctx, 'SWIOTLB') && maxPfn > MAX_DMA32_PFN;
  let next: BootState = state;
  if (swiotlb) {
    const cpus = topologyOf(state, ctx).possibleCpus;
    // kernel/dma/swiotlb.c swiotlb_adjust_nareas(num_possible_cpus()): roundup_pow_of_two
    const nareas = Number(roundupPowOfTwo(BigInt(cpus)));
    const param = swiotlbParam(ctx);
    // 5.10 swiotlb_init(): io_tlb_nslabs, or IO_TLB_DEFAULT_SIZE >> IO_TLB_SHIFT when 0; 6.0+: default_nslabs
    let nslabs = param.nslabs ?? IO_TLB_DEFAULT_SIZE >> IO_TLB_SHIFT;
    if (!mt.swiotlbAreas && nslabs === 0n) nslabs = IO_TLB_DEFAULT_SIZE >> IO_TLB_SHIFT;
    const explain: ExplainTerm[] = [
      term('max_possible_pfn', `0x${maxPfn.toString(16)}`, 'arch/x86/kernel/pci-dma.c pci_swiotlb_detect(): > MAX_DMA32_PFN (0x100000)'),
      term('nareas', nareas, `kernel/dma/swiotlb.c swiotlb_adjust_nareas(): roundup_pow_of_two(num_possible_cpus() = ${cpus})`),
      term('nslabs', nslabs, param.nslabs !== undefined ? `kernel/dma/swiotlb.c setup_io_tlb_npages(): ALIGN(${param.given.join(' ')}, IO_TLB_SEGSIZE)` : 'kernel/dma/swiotlb.c default_nslabs = IO_TLB_DEFAULT_SIZE (64M) >> IO_TLB_SHIFT (11)'),
    ];
    let roundup: DmesgLine | undefined;
    if (mt.swiotlbAreas) {
      // swiotlb_adjust_nareas() → round_up_default_nslabs(): at least IO_TLB_SEGSIZE per area, a power of two
      const floor = IO_TLB_SEGSIZE * BigInt(nareas);
      const before = nslabs;
      if (nslabs < floor) nslabs = floor;
      if (nslabs !== before || roundupPowOfTwo(nslabs) !== nslabs) {
        nslabs = roundupPowOfTwo(nslabs);
        explain.push(term('nslabs rounded', nslabs, 'kernel/dma/swiotlb.c round_up_default_nslabs(): roundup_pow_of_two, at least IO_TLB_SEGSIZE × nareas'));
        roundup = line('swiotlb.roundup', `software IO TLB: SWIOTLB bounce buffer size roundup to ${(nslabs << IO_TLB_SHIFT) >> 20n}MB`, { size: explain });
      }
    }
    const bytes = nslabs << IO_TLB_SHIFT;
    if (mt.swiotlbAreas) lines.push(line('swiotlb.area', `software IO TLB: area num ${nareas}.`, { areas: explain }));
    if (roundup) lines.push(roundup);
    let mb = memblockStateOf(state);
    const PAGE = 4096n;
    const pageAlign = (n: bigint): bigint => ((n + PAGE - 1n) / PAGE) * PAGE;
    const src = mt.swiotlbAreas ? 'kernel/dma/swiotlb.c: swiotlb_init_remap() (6.1)' : 'kernel/dma/swiotlb.c: swiotlb_init() / swiotlb_init_with_tbl() (5.10)';
    const alloc = (size: bigint, align: bigint, why: string, caller: string, end?: bigint): bigint => {
      const r = memblockAlloc(mb, { size, align, ...(end !== undefined ? { end } : {}), why, source: src, stage: 'swiotlb', caller });
      mb = r.mb;
      return r.addr;
    };
    // swiotlb_memblock_alloc() (6.1+) / swiotlb_init() (5.10): memblock_alloc_low(PAGE_ALIGN(bytes), PAGE_SIZE),
    // i.e. memblock_alloc_try_nid(…, MEMBLOCK_LOW_LIMIT, ARCH_LOW_ADDRESS_LIMIT 0xffffffff, NUMA_NO_NODE)
    const start = alloc(pageAlign(bytes), PAGE, 'swiotlb bounce buffer', mt.swiotlbAreas ? 'swiotlb_init_remap > swiotlb_memblock_alloc' : 'swiotlb_init', ARCH_LOW_ADDRESS_LIMIT);
    if (mt.swiotlbAreas) {
      // mem->slots = memblock_alloc(PAGE_ALIGN(array_size(sizeof(*mem->slots), nslabs)), PAGE_SIZE)
      alloc(pageAlign(nslabs * structBytes(ctx, 'io_tlb_slot', 'swiotlb')), PAGE, 'swiotlb slots', 'swiotlb_init_remap');
      // mem->areas = memblock_alloc(array_size(sizeof(struct io_tlb_area), nareas), SMP_CACHE_BYTES)
      alloc(BigInt(nareas) * structBytes(ctx, 'io_tlb_area', 'swiotlb'), SMP_CACHE_BYTES, 'swiotlb areas', 'swiotlb_init_remap');
    } else {
      // swiotlb_init_with_tbl(): io_tlb_list (int) and io_tlb_orig_addr (phys_addr_t) per slab, PAGE_ALIGNed, PAGE_SIZE
      alloc(pageAlign(nslabs * 4n), PAGE, 'swiotlb io_tlb_list', 'swiotlb_init > swiotlb_init_with_tbl');
      alloc(pageAlign(nslabs * (traits.arch === 'x86_64' || traits.pae ? 8n : 4n)), PAGE, 'swiotlb io_tlb_orig_addr', 'swiotlb_init > swiotlb_init_with_tbl');
    }
    void IO_TLB_SEGSIZE;
    const slice: SwiotlbState = { nslabs, nareas, bytes, start, explain };
    next = withSlice(withMemblock(state, mb), 'swiotlb', slice);
  }
  return { state: next, lines };
}

/** mm_core_init() → arch_mm_preinit() → pci_iommu_alloc() (7.2): before build_all_zonelists. */
export function pciIommuAllocPreinit(state: BootState, ctx: BootContext): StageResult {
  if (ctx.traits.mmCore.pciIommuAllocIn !== 'arch_mm_preinit') return { state, lines: [] };
  return pciIommuAlloc(state, ctx);
}

/** mm_init()/mm_core_init() → mem_init() → pci_iommu_alloc() (≤ 6.12): after report_meminit. */
export function pciIommuAllocMemInit(state: BootState, ctx: BootContext): StageResult {
  if (ctx.traits.mmCore.pciIommuAllocIn !== 'mem_init') return { state, lines: [] };
  return pciIommuAlloc(state, ctx);
}

/**
 * kernel/dma/swiotlb.c swiotlb_print_info(), which arch/x86/kernel/pci-dma.c pci_iommu_init()
 * (rootfs_initcall, after "Memory:") calls when x86_swiotlb_enable: "mapped [mem %pa-%pa] (%luMB)"
 * with the end exclusive (mem->end = mem->start + bytes; io_tlb_end on 5.10).
 */
export function swiotlbPrintInfo(state: BootState, ctx: BootContext): StageResult {
  const s = swiotlbStateOf(state);
  if (!s) return { state, lines: [] };
  const traits = ctx.traits;
  const wide = traits.arch === 'x86_64' || traits.pae; // sizeof(phys_addr_t)
  const end = s.start + s.bytes;
  const ex = [term('bounce buffer', `${s.bytes} bytes`, 'memblock_alloc_low() top-down below ARCH_LOW_ADDRESS_LIMIT and current_limit (sim/stages/memblock.ts)')];
  return {
    state,
    lines: [line('swiotlb.mapped', `software IO TLB: mapped [mem ${fmtPa(s.start, wide ? 8 : 4)}-${fmtPa(end, wide ? 8 : 4)}] (${s.bytes >> 20n}MB)`, { start: ex, end: ex, size: [term('nslabs << IO_TLB_SHIFT', `${s.bytes >> 20n}MB`, 'kernel/dma/swiotlb.c: bytes >> 20')] })],
  };
}
