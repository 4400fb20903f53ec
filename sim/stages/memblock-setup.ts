// models the memblock steps of setup_arch() in arch/x86/kernel/setup.c (5.10.223, 6.1.192,
// 6.12.115, 7.2.13), in order: early_reserve_memory (kernel image, low 64K, reserve_bios_regions),
// reserve_brk, e820__memblock_setup, x86_platform.realmode_reserve, and init_mem_mapping's
// memory_map_top_down (arch/x86/mm/init.c, init_64.c), whose page tables come from brk or memblock.
// It prints nothing; later stages read memblockStateOf(state) and pageTablesOf(state).
import type { BootContext, BootState, StageFn, StageResult } from '../boot.ts';
import type { DmesgLine } from '../types.ts';
import { bootCommandLine, cmdlineFindOption } from './cmdline.ts';
import { type KernelTraits, kernelConfig } from '../traits.ts';
import { e820StateOf, type E820State } from './e820.ts';
import { E820_RAM } from '../firmware/qemu-7.2.ts';
import { bootCpu, directGbPages, pgtableL5Enabled } from './boot-cpu.ts';
import { E820_RESERVED_KERN } from './e820.ts';
import { E820_SOFT_RESERVED } from '../firmware/qemu-7.2.ts';
import type { Range } from '../lib/ranges.ts';
import { ALIGN, ISA_END_ADDRESS, PAGE_SIZE, PAGE_SHIFT, PMD_SHIFT_64, PMD_SIZE_64, SZ_1M, SZ_16M, SZ_64K, SZ_1G } from '../lib/sizes.ts';
import { SimError } from '../lib/errors.ts';
import { slice, withSlice } from '../state.ts';
import { earlyPtePages32, initMemMapping32, type PageTables32 } from './init32.ts';
import { maxLowPfnOf } from './lowmem32.ts';
import { memoryMapTopDown, type TopDownProbe } from './init-mapping.ts';
import { earlyReserveInitrd, initrdPlacement, type InitrdState } from './initrd.ts';
import { P4D_TABLE, PMD_TABLE, PTE_TABLE, PUD_TABLE, populateTables, type TableSet } from '../lib/page-tables.ts';
import {
  memblockAdd, memblockAllocRangeNid, memblockAllocRepeat, memblockFindInRangeNode, memblockFree, memblockInit, memblockPhysAllocRange, memblockReserve,
  memblockSetCurrentLimit, memblockTrimMemory, memblockAllowResize, memblockRegionBytes, reservedPagesIn, withMemblock, memblockStateOf, type MemblockState,
} from './memblock.ts';

const STAGE = 'memblock';
/** arch/x86/kernel/ebda.c BIOS_START_MIN / BIOS_START_MAX */
const BIOS_START_MIN = 0x20000n;
const BIOS_START_MAX = 0x9f000n;

/** What init_mem_mapping leaves: the page-table pages of the direct map, by where they came from. */
export interface PageTablesState {
  /** Pages taken from the brk pgt_buf (already inside the brk reservation). */
  readonly brkPages: number;
  /** Pages allocated from memblock by alloc_low_pages (in the ledger; a run of one level is one entry). */
  readonly memblockPages: number;
  /** max_pfn_mapped after init_mem_mapping. */
  readonly maxPfnMapped: bigint;
  /** X86_64: direct_pages_count[] after init_mem_mapping, the leaf entries per page size (meminfo's DirectMap lines). */
  readonly directPages?: DirectPages;
}

/** direct_pages_count[PG_LEVEL_4K], [PG_LEVEL_2M], [PG_LEVEL_1G] (arch/x86/mm/pageattr.c update_page_count). */
export interface DirectPages {
  readonly k4: bigint;
  /** PG_LEVEL_2M leaves: 2M pages, or 4M PSE pages on 2-level i386 (bigKb). */
  readonly m2: bigint;
  /** kB per PG_LEVEL_2M leaf: 2048, or 4096 on 2-level i386 (arch_report_meminfo DirectMap4M). */
  readonly bigKb: bigint;
  readonly g1: bigint;
  /** direct_gbpages after probe_page_size_mask() (cleared without the CPU's GBPAGES): arch_report_meminfo() prints DirectMap1G only then. */
  readonly gbpages: boolean;
}

export function pageTablesOf(state: BootState): PageTablesState {
  return slice(state, 'pageTables', STAGE);
}

/**
 * INIT_PGT_BUF_SIZE in pages (arch/x86/mm/init.c): INIT_PGD_PAGE_COUNT = 2 × INIT_PGD_PAGE_TABLES,
 * doubled with RANDOMIZE_MEMORY. 5.10: 6 (12 with RANDOMIZE_MEMORY); 6.1–6.12: tables 3, or 4 with
 * X86_5LEVEL; 7.2: 4 always.
 */
function initPgtBufPages(ctx: BootContext, traits: KernelTraits): number {
  const randomize = kernelConfig(ctx.kernel, 'RANDOMIZE_MEMORY') === 'y';
  if (!traits.pgtBufPerTable) return randomize ? 12 : 6;
  const tables = traits.fiveLevelAlways || kernelConfig(ctx.kernel, 'X86_5LEVEL') === 'y' ? 4 : 3;
  return (randomize ? 4 : 2) * tables;
}

/**
 * Bytes of brk used before reserve_brk(): the DMI copies (arch/x86/include/asm/dmi.h dmi_alloc →
 * extend_brk(len, sizeof(int))) made by dmi_setup(), then early_alloc_pgt_buf() page-aligned.
 * The DMI part is what dmi_scan_machine saves from QEMU's SMBIOS tables (ident strings, UUID,
 * one memdev per DIMM): a few hundred bytes, so it rounds up to one page. That bound is argued,
 * not computed: a profile with a very large SMBIOS table is refused.
 */
function brkUsed(ctx: BootContext, traits: KernelTraits, smbiosLength: number): bigint {
  if (smbiosLength > Number(PAGE_SIZE)) {
    throw new SimError('SIM_NOT_MODELLED', STAGE, `brk: the DMI copies are taken to fit one page; SMBIOS tables of ${smbiosLength} bytes may not`);
  }
  return PAGE_SIZE + BigInt(initPgtBufPages(ctx, traits)) * PAGE_SIZE;
}

const w = (why: string, source: string, caller: string, notPrinted?: string) => ({ why, source, stage: STAGE, caller, ...(notPrinted !== undefined ? { notPrinted } : {}) });
/** arch/x86/kernel/setup.c setup_arch(): memblock=debug takes effect in parse_early_param(), after these (5.10.223 … 7.2.13). */
const BEFORE_EARLY_PARAM = 'made before parse_early_param() sets memblock_debug (arch/x86/kernel/setup.c setup_arch)';

// ---------------------------------------------------------------------------------------------
// x86_64 direct mapping (arch/x86/mm/init.c split_mem_range, init_64.c kernel_physical_mapping_init)

interface MapState {
  /** Populated page-table pages per level (P4D, PUD, PMD, PTE), as ranges of table indexes. */
  readonly tables: TableSet;
  /** page_size_mask (probe_page_size_mask). */
  readonly pageSizes: PageSizeMask;
  mb: MemblockState;
  pgtBufEnd: bigint; // pfn
  readonly pgtBufTop: bigint; // pfn
  minPfnMapped: bigint;
  maxPfnMapped: bigint;
  canUseBrk: boolean;
  brkPages: number;
  memblockPages: number;
  /** direct_pages_count[] so far. */
  direct: { k4: bigint; m2: bigint; g1: bigint };
}

/**
 * alloc_low_pages(1), `n` times: the brk pgt_buf while it lasts and may be used, else memblock in
 * [min_pfn_mapped, max_pfn_mapped) (neither changes within one piece), as one ledger entry.
 */
function allocLowPages(ms: MapState, what: string, n: bigint): void {
  const fromBrk = ms.canUseBrk && ms.pgtBufTop > ms.pgtBufEnd ? (n < ms.pgtBufTop - ms.pgtBufEnd ? n : ms.pgtBufTop - ms.pgtBufEnd) : 0n;
  ms.pgtBufEnd += fromBrk;
  ms.brkPages += Number(fromBrk);
  const left = n - fromBrk;
  if (left === 0n) return;
  if (ms.minPfnMapped < ms.maxPfnMapped) {
    const r = memblockAllocRepeat(ms.mb, {
      size: PAGE_SIZE, align: PAGE_SIZE, start: ms.minPfnMapped << PAGE_SHIFT, end: ms.maxPfnMapped << PAGE_SHIFT,
      ...w(`direct-map page table (${what})`, 'arch/x86/mm/init.c: alloc_low_pages() → memblock_phys_alloc_range (6.1)', 'alloc_low_pages'),
    }, left, { via: 'phys-range' });
    ms.mb = r.mb;
    ms.memblockPages += Number(left);
    return;
  }
  // the fallback is extend_brk(), which BUG()s once reserve_brk() has closed brk
  throw new SimError('SIM_NOT_MODELLED', STAGE, `init_mem_mapping: page table (${what}) with the brk pgt_buf ${ms.canUseBrk ? 'exhausted' : 'unusable'} and nothing mapped to allocate from`);
}

interface MapRange extends Range {
  /** The largest page size the piece may use: 0 = 4K, 1 = 2M, 2 = 1G (page_size_mask). */
  readonly level: 0 | 1 | 2;
}

/** probe_page_size_mask() (arch/x86/mm/init.c): 2M with PSE, 1G as well with direct GB pages. */
interface PageSizeMask {
  readonly m2: boolean;
  readonly g1: boolean;
}

/**
 * split_mem_range() (X86_64, arch/x86/mm/init.c, the same 5.10–7.2): a 4K head to a 2M boundary,
 * 2M up to a 1G boundary, 1G, a 2M tail, a 4K tail; then adjust_range_page_size_mask() and the merge.
 */
function splitMemRange(mb: MemblockState, start: bigint, end: bigint, mask: PageSizeMask): MapRange[] {
  const out: MapRange[] = [];
  const up = (x: bigint, a: bigint): bigint => ALIGN(x, a);
  const down = (x: bigint, a: bigint): bigint => x - (x % a);
  const m2: 0 | 1 = mask.m2 ? 1 : 0;
  const save = (s: bigint, e: bigint, level: 0 | 1 | 2): void => { if (s < e) out.push({ start: s, end: e, level }); };
  const limit = end;
  let pos = start;
  // head if not big page alignment
  let e = up(pos, PMD_SIZE_64);
  if (e > limit) e = limit;
  if (pos < e) { save(pos, e, 0); pos = e; }
  // big page (2M) range
  let s = up(pos, PMD_SIZE_64);
  e = up(pos, SZ_1G);
  if (e > down(limit, PMD_SIZE_64)) e = down(limit, PMD_SIZE_64);
  if (s < e) { save(s, e, m2); pos = e; }
  // big page (1G) range
  s = up(pos, SZ_1G);
  e = down(limit, SZ_1G);
  if (s < e) { save(s, e, mask.g1 ? 2 : m2); pos = e; }
  // tail is not big page (1G) alignment
  s = up(pos, PMD_SIZE_64);
  e = down(limit, PMD_SIZE_64);
  if (s < e) { save(s, e, m2); pos = e; }
  // tail is not big page (2M) alignment
  save(pos, limit, 0);
  // adjust_range_page_size_mask(): a piece whose 2M- (then 1G-) rounded span is all memory may use the bigger page
  const adjusted = out.map((r) => {
    let level = r.level;
    if (mask.m2 && level < 1 && isRegionMemory(mb, down(r.start, PMD_SIZE_64), up(r.end, PMD_SIZE_64))) level = 1;
    if (mask.g1 && level < 2 && isRegionMemory(mb, down(r.start, SZ_1G), up(r.end, SZ_1G))) level = 2;
    return level === r.level ? r : { ...r, level };
  });
  // "try to merge same page size and continuous"
  const merged: MapRange[] = [];
  for (const r of adjusted) {
    const last = merged[merged.length - 1];
    if (last && last.end === r.start && last.level === r.level) merged[merged.length - 1] = { ...last, end: r.end };
    else merged.push(r);
  }
  return merged;
}

/** memblock_is_region_memory(): [s, e) lies inside one memory region. */
function isRegionMemory(mb: MemblockState, s: bigint, e: bigint): boolean {
  return mb.memory.some((m) => m.start <= s && m.end >= e);
}

/**
 * kernel_physical_mapping_init() for one piece: the table pages its entries need, from low to high
 * addresses: a P4D page (5-level) per 256T, a PUD page per 512G, a PMD page per 1G, and for 4K
 * pieces (phys_pmd_init) a PTE page per 2M entry that is empty. 2M entries need no page of their own.
 */
function mapPiece(ms: MapState, r: MapRange, la57: boolean): void {
  // phys_pud_init(): a 1G piece sets PUD leaves (or continues in a PMD table already there): no PMD page
  const levels = [...(la57 ? [P4D_TABLE] : []), PUD_TABLE, ...(r.level < 2 ? [PMD_TABLE] : []), ...(r.level === 0 ? [PTE_TABLE] : [])];
  for (const run of populateTables(ms.tables, r.start, r.end, levels)) allocLowPages(ms, run.level, run.count);
}

/**
 * update_page_count() of one piece (arch/x86/mm/init_64.c, 5.10 … 7.2): phys_pte_init() counts a 4K
 * entry per page of [start, end); phys_pmd_init() and phys_pud_init() a leaf per 2M or 1G page the
 * piece touches (a piece adjust_range_page_size_mask() raised maps its whole big page). The pieces of
 * one boot never share a big page (memory_map_top_down() steps are PMD-aligned), so nothing counts twice.
 */
function countDirectPages(ms: MapState, r: MapRange): void {
  const size = r.level === 0 ? PAGE_SIZE : r.level === 1 ? PMD_SIZE_64 : SZ_1G;
  const n = (ALIGN(r.end, size) - (r.start - (r.start % size))) / size;
  if (r.level === 0) ms.direct.k4 += n;
  else if (r.level === 1) ms.direct.m2 += n;
  else ms.direct.g1 += n;
}

/** init_memory_mapping(start, end): map, then add_pfn_range_mapped() raises max_pfn_mapped. */
function initMemoryMapping(ms: MapState, start: bigint, end: bigint, la57: boolean): void {
  for (const r of splitMemRange(ms.mb, start, end, ms.pageSizes)) {
    mapPiece(ms, r, la57);
    countDirectPages(ms, r);
  }
  const endPfn = end >> PAGE_SHIFT;
  if (endPfn > ms.maxPfnMapped) ms.maxPfnMapped = endPfn;
}

/** init_range_memory_mapping(): each memory region clipped to [rStart, rEnd); brk only where the mapping does not cover the unused pgt_buf. */
function initRangeMemoryMapping(ms: MapState, rStart: bigint, rEnd: bigint, la57: boolean): bigint {
  let mapped = 0n;
  for (const m of ms.mb.memory) {
    const s = m.start < rStart ? rStart : m.start > rEnd ? rEnd : m.start;
    const e = m.end < rStart ? rStart : m.end > rEnd ? rEnd : m.end;
    if (s >= e) continue;
    const bufLo = ms.pgtBufEnd << PAGE_SHIFT;
    const bufHi = ms.pgtBufTop << PAGE_SHIFT;
    ms.canUseBrk = (s > bufLo ? s : bufLo) >= (e < bufHi ? e : bufHi);
    initMemoryMapping(ms, s, e, la57);
    mapped += e - s;
    ms.canUseBrk = true;
  }
  return mapped;
}

/** memory_map_top_down() on X86_64: 2M PMDs, kernel_physical_mapping_init's tables. */
function memoryMapTopDown64(ms: MapState, mapStart: bigint, mapEnd: bigint, la57: boolean, probe: TopDownProbe): void {
  memoryMapTopDown(ms, mapStart, mapEnd, PMD_SHIFT_64, (start, end) => initRangeMemoryMapping(ms, start, end, la57), STAGE, probe);
}

// ---------------------------------------------------------------------------------------------
// The stage

/**
 * early_reserve_memory() (arch/x86/kernel/setup.c, 6.1+; its reservations are inline in setup_arch
 * on 5.10): the kernel image [_text, __end_of_kernel_reserve), then the first 64K (6.1+) or page 0
 * (5.10), then early_reserve_initrd() (sim/stages/initrd.ts; nothing without -initrd), then
 * reserve_bios_regions() (6.1+). memblock_x86_reserve_range_setup_data(): QEMU 7.2's linuxboot passes no
 * setup_data. reserve_ibft_region(): no iBFT in SeaBIOS.
 */
function earlyReserveMemory(mb: MemblockState, ctx: BootContext, e820: E820State, initrd: InitrdState | undefined): MemblockState {
  const sym = ctx.kernel.facts.image.symbols;
  const earlyReserve = ctx.traits.earlyReserveMemory;
  const text = BigInt(sym._text);
  mb = memblockReserve(mb, text, BigInt(sym.__end_of_kernel_reserve) - text,
    w('kernel image [_text, __end_of_kernel_reserve)', 'arch/x86/kernel/setup.c: early_reserve_memory() (6.1)', earlyReserve ? 'setup_arch > early_reserve_memory' : 'setup_arch', BEFORE_EARLY_PARAM));
  if (earlyReserve) {
    mb = memblockReserve(mb, 0n, SZ_64K, w('first 64K', 'arch/x86/kernel/setup.c: early_reserve_memory() memblock_reserve(0, SZ_64K) (6.1)', 'setup_arch > early_reserve_memory', BEFORE_EARLY_PARAM));
    mb = earlyReserveInitrd(mb, initrd, ctx, BEFORE_EARLY_PARAM);
    return reserveBiosRegions(mb, e820, earlyReserve);
  }
  mb = memblockReserve(mb, 0n, PAGE_SIZE, w('page 0 (L1TF)', 'arch/x86/kernel/setup.c: setup_arch() memblock_reserve(0, PAGE_SIZE) (5.10)', 'setup_arch', BEFORE_EARLY_PARAM));
  return earlyReserveInitrd(mb, initrd, ctx, BEFORE_EARLY_PARAM);
}

/**
 * reserve_bios_regions() (arch/x86/kernel/ebda.c): the BDA's RAM size (SeaBIOS: the EBDA start)
 * capped at BIOS_START_MAX, or the EBDA if lower, up to 1M. 6.1+: from early_reserve_memory(),
 * before parse_early_param(); 5.10: right after e820__memblock_setup().
 */
function reserveBiosRegions(mb: MemblockState, e820: E820State, earlyReserve: boolean): MemblockState {
  const low = e820.firmwareTable.find((e) => e.type === E820_RAM && e.addr === 0n);
  let biosStart = low ? low.addr + low.size : BIOS_START_MAX;
  const ebda = biosStart;
  if (biosStart < BIOS_START_MIN || biosStart > BIOS_START_MAX) biosStart = BIOS_START_MAX;
  if (ebda >= BIOS_START_MIN && ebda < biosStart) biosStart = ebda;
  return memblockReserve(mb, biosStart, SZ_1M - biosStart, earlyReserve
    ? w('BIOS regions (EBDA … 1M)', 'arch/x86/kernel/ebda.c: reserve_bios_regions() (6.1)', 'setup_arch > early_reserve_memory > reserve_bios_regions', BEFORE_EARLY_PARAM)
    : w('BIOS regions (EBDA … 1M)', 'arch/x86/kernel/ebda.c: reserve_bios_regions() (5.10)', 'setup_arch > reserve_bios_regions'));
}

/**
 * reserve_brk() (arch/x86/kernel/setup.c): one memblock_reserve(__pa_symbol(_brk_start), _brk_end −
 * _brk_start) of what dmi_setup() and early_alloc_pgt_buf() took from brk; on X86_32, head32.c
 * mk_early_pgtbl_32 put the early PTE pages at __brk_base first (sim/stages/init32.ts). Returns the
 * early page-table buffer's PFN range too.
 */
function reserveBrk(mb: MemblockState, ctx: BootContext, e820: E820State): { mb: MemblockState; pgtBufStart: bigint; pgtBufTop: bigint } {
  const traits = ctx.traits;
  const sym = ctx.kernel.facts.image.symbols;
  const earlyPte = traits.arch === 'i386' ? earlyPtePages32(ctx) * PAGE_SIZE : 0n;
  const brkBase = BigInt(sym.__brk_base) + earlyPte;
  const brk = brkUsed(ctx, traits, e820.firmware.smbiosLength);
  if (brkBase + brk > BigInt(sym.__brk_limit)) throw new SimError('SIM_NOT_MODELLED', STAGE, 'brk: more used than RESERVE_BRK provides');
  mb = memblockReserve(mb, brkBase - earlyPte, earlyPte + brk, earlyPte > 0n
    ? w('brk (early PTE pages + DMI copies + early page-table buffer)', 'arch/x86/kernel/setup.c: reserve_brk() (6.1); the PTE pages of arch/x86/kernel/head32.c mk_early_pgtbl_32()', 'setup_arch > reserve_brk')
    : w('brk (DMI copies + early page-table buffer)', 'arch/x86/kernel/setup.c: reserve_brk() (6.1)', 'setup_arch > reserve_brk'));
  return { mb, pgtBufStart: (brkBase + PAGE_SIZE) >> PAGE_SHIFT, pgtBufTop: (brkBase + brk) >> PAGE_SHIFT };
}

/**
 * e820__memblock_setup() (arch/x86/kernel/e820.c, 5.10–7.2): memblock_allow_resize(), then
 * memblock_add() of every E820_TYPE_RAM and E820_TYPE_RESERVED_KERN entry whose end fits
 * phys_addr_t, memblock_reserve() of soft-reserved entries, and memblock_trim_memory(PAGE_SIZE).
 * The current limit is still ISA_END_ADDRESS here (setup_arch's memblock_set_current_limit).
 */
export function e820MemblockSetup(mb: MemblockState, e820: E820State): MemblockState {
  mb = memblockSetCurrentLimit(mb, ISA_END_ADDRESS);
  mb = memblockAllowResize(mb);
  for (const e of e820.table) {
    const end = e.addr + e.size;
    if (end >= 1n << 64n) continue;
    if (e.type === E820_SOFT_RESERVED) mb = memblockReserve(mb, e.addr, e.size, w('soft-reserved e820 range', 'arch/x86/kernel/e820.c: e820__memblock_setup() (6.1)', 'setup_arch > e820__memblock_setup'));
    if (e.type !== E820_RAM && e.type !== E820_RESERVED_KERN) continue;
    mb = memblockAdd(mb, e.addr, e.size);
  }
  return memblockTrimMemory(mb, PAGE_SIZE);
}

/**
 * x86_platform.realmode_reserve() = reserve_real_mode() (arch/x86/realmode/init.c): the trampoline,
 * real_mode_size_needed() = PAGE_ALIGN(real_mode_blob_end − real_mode_blob), top-down below 1M; then
 * (6.1+) all of the first 1M. With no room the kernel only says so (pr_info, not modelled). 5.10:
 * memblock_find_in_range(0, 1<<20, size, PAGE_SIZE), then memblock_reserve(mem, size), then
 * crash_reserve_low_1M() (arch/x86/kernel/crash.c, CONFIG_KEXEC_CORE): with a "crashkernel=…" word
 * on the command line (cmdline_find_option), all of the first 1M, and its line.
 */
function reserveRealMode(mb: MemblockState, ctx: BootContext): { mb: MemblockState; lines: DmesgLine[] } {
  const trampoline = { size: ALIGN(BigInt(ctx.kernel.facts.realModeBlobBytes), PAGE_SIZE), align: PAGE_SIZE, start: 0n, end: SZ_1M };
  if (ctx.traits.earlyReserveMemory) {
    const r = memblockAllocRangeNid(mb, { ...trampoline, ...w('real-mode trampoline', 'arch/x86/realmode/init.c: reserve_real_mode() memblock_phys_alloc_range(size, PAGE_SIZE, 0, 1<<20) (6.1)', 'setup_arch > reserve_real_mode') });
    if (r) mb = r.mb;
    return { mb: memblockReserve(mb, 0n, SZ_1M, w('first 1M', 'arch/x86/realmode/init.c: reserve_real_mode() memblock_reserve(0, SZ_1M) (6.1)', 'setup_arch > reserve_real_mode')), lines: [] };
  }
  const lines: DmesgLine[] = [];
  const mem = memblockFindInRangeNode(mb, trampoline);
  if (mem !== undefined) {
    mb = memblockReserve(mb, mem, trampoline.size, w('real-mode trampoline', 'arch/x86/realmode/init.c: reserve_real_mode() (5.10)', 'setup_arch > reserve_real_mode'));
    if (kernelConfig(ctx.kernel, 'KEXEC_CORE') === 'y' && cmdlineFindOption(bootCommandLine(ctx.spec), 'crashkernel')) {
      mb = memblockReserve(mb, 0n, SZ_1M, w('low 1M for crashkernel', 'arch/x86/kernel/crash.c: crash_reserve_low_1M() (5.10)', 'setup_arch > reserve_real_mode > crash_reserve_low_1M'));
      lines.push({ stage: 'memblock', fmt: 'crashkernel.low_1m', text: 'kexec: Reserving the low 1M of memory for crashkernel' });
    }
  }
  return { mb, lines };
}

/**
 * trim_low_memory_range() (arch/x86/kernel/setup.c, 5.10): reserves ALIGN(reserve_low = 64K,
 * PAGE_SIZE). Its 6.1 successor is reserve_real_mode()'s first 1M.
 */
function trimLowMemoryRange(mb: MemblockState): MemblockState {
  return memblockReserve(mb, 0n, ALIGN(SZ_64K, PAGE_SIZE), w('reservelow (64K)', 'arch/x86/kernel/setup.c: trim_low_memory_range() (5.10)', 'setup_arch > trim_low_memory_range'));
}

/**
 * init_mem_mapping() (arch/x86/mm/init.c) on X86_64: the ISA range first ("always mapped regardless
 * of memory holes"), then memory_map_top_down(ISA_END_ADDRESS, max_pfn << PAGE_SHIFT), page tables
 * from the brk pgt_buf, then memblock (kernel_physical_mapping_init). head64.c leaves max_pfn_mapped
 * = KERNEL_IMAGE_SIZE >> PAGE_SHIFT (1G with KASLR configs). X86_32: sim/stages/init32.ts initMemMapping32.
 */
function initMemMapping(mb: MemblockState, ctx: BootContext, maxPfn: bigint, pgtBufStart: bigint, pgtBufTop: bigint): { mb: MemblockState; pageTables: PageTablesState } {
  const traits = ctx.traits;
  const la57 = pgtableL5Enabled(ctx);
  const ms: MapState = {
    // probe_page_size_mask(): 2M with PSE (all the x86_64 CPUs the setup code lets boot have it but
    // -pse, which PARAVIRT_XXL builds do not require), 1G with direct GB pages (sim/stages/boot-cpu.ts)
    tables: new Map(), pageSizes: { m2: bootCpu(ctx).has('pse'), g1: bootCpu(ctx).has('pse') && directGbPages(ctx) }, mb, pgtBufEnd: pgtBufStart, pgtBufTop, minPfnMapped: 0n,
    maxPfnMapped: SZ_1G >> PAGE_SHIFT, canUseBrk: true, brkPages: 0, memblockPages: 0, direct: { k4: 0n, m2: 0n, g1: 0n },
  };
  initMemoryMapping(ms, 0n, ISA_END_ADDRESS, la57);
  memoryMapTopDown64(ms, ISA_END_ADDRESS, maxPfn << PAGE_SHIFT, la57, traits.mapTopDownProbe);
  return { mb: ms.mb, pageTables: { brkPages: ms.brkPages, memblockPages: ms.memblockPages, maxPfnMapped: ms.maxPfnMapped, directPages: { ...ms.direct, bigKb: 2048n, gbpages: ms.pageSizes.g1 } } };
}

/**
 * The memblock steps of setup_arch(), in its order: early_reserve_memory, reserve_brk,
 * e820__memblock_setup, (5.10: reserve_bios_regions), reserve_real_mode, (5.10:
 * trim_low_memory_range), init_mem_mapping and memblock_set_current_limit(get_max_mapped()).
 * trim_snb_memory(): QEMU's VGA is not Sandy Bridge graphics. find_smp_config(): the MP table's
 * reservations lie in the BIOS area at 0xf0000, outside memblock.memory: no page effect.
 */
export const memblockSetup: StageFn = (state, ctx): StageResult => {
  const traits = ctx.traits;
  const e820 = e820StateOf(state);
  if (!ctx.kernel.facts) throw new SimError('SIM_NOT_MODELLED', STAGE, `kernel ${ctx.kernel.id}: facts not extracted (run bootsim kernel facts)`);
  const physBits = traits.arch === 'i386' && !traits.pae ? 32 : 64;
  let mb = memblockInit(physBits, { regionBytes: memblockRegionBytes(physBits, traits.numa, traits.arch), emptyCnt: traits.memblockEmptyCnt });
  const initrd = initrdPlacement(ctx, e820);
  mb = earlyReserveMemory(mb, ctx, e820, initrd);
  const brk = reserveBrk(mb, ctx, e820);
  mb = e820MemblockSetup(brk.mb, e820);
  if (!traits.earlyReserveMemory) mb = reserveBiosRegions(mb, e820, false);
  const realMode = reserveRealMode(mb, ctx);
  mb = realMode.mb;
  if (!traits.earlyReserveMemory) mb = trimLowMemoryRange(mb);

  let pageTables: PageTablesState;
  let pgt32: PageTables32 | undefined;
  const maxPfn = e820.maxPfn;
  if (maxPfn === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, 'state.e820.maxPfn: expected the e820 trim stage to have run first');
  if (traits.arch === 'x86_64') {
    ({ mb, pageTables } = initMemMapping(mb, ctx, maxPfn, brk.pgtBufStart, brk.pgtBufTop));
  } else {
    // X86_32: kernel_physical_mapping_init up to max_low_pfn and the fixmap tables (sim/stages/init32.ts)
    const maxLowPfn = maxLowPfnOf(state);
    const r = initMemMapping32(ctx, mb, maxLowPfn, brk.pgtBufStart << PAGE_SHIFT, brk.pgtBufTop - brk.pgtBufStart);
    mb = r.mb;
    pgt32 = r.pgt;
    pageTables = { brkPages: Number(r.pgt.pgtBufUsed), memblockPages: r.pgt.memblockPages, maxPfnMapped: maxLowPfn, directPages: { k4: r.direct.k4, m2: r.direct.big, bigKb: r.direct.bigKb, g1: 0n, gbpages: false } };
  }
  // memblock_set_current_limit(get_max_mapped())
  mb = memblockSetCurrentLimit(mb, pageTables.maxPfnMapped << PAGE_SHIFT);
  const withRd = initrd ? withSlice(state, 'initrd', initrd) : state;
  const withPt = withSlice(withMemblock(withRd, mb), 'pageTables', pageTables);
  return { state: pgt32 ? withSlice(withPt, 'pgt32', pgt32) : withPt, lines: realMode.lines };
};

/**
 * memblock_find_dma_reserve() (arch/x86/mm/init.c, x86_64, 5.10 and 6.1; gone in 6.12): memory
 * pages below MAX_DMA_PFN (16M) that are not whole free pages, for set_dma_reserve().
 */
export function memblockFindDmaReserve(mb: MemblockState): bigint {
  return reservedPagesIn(mb, 0n, SZ_16M);
}

export { memblockStateOf };
