// The memory map of one simulated boot as regions: what the last boot state (sim/state.ts) says
// about physical memory (the firmware's e820, the kernel's e820 and its edits, memblock.memory,
// every reservation of the memblock ledger, nodes, zones, holes) and, on i386, the kernel's virtual
// layout above PAGE_OFFSET (asm/pgtable_32_areas.h). Each region carries its derivation: the sim
// line that prints its range, with that line's explain terms, or the ledger entry's rule. Pure.
import type { BootState } from '../../../sim/state.ts';
import { sliceIfAny } from '../../../sim/state.ts';
import type { DmesgLine } from '../../../sim/types.ts';
import type { KernelTraits } from '../../../sim/traits.ts';
import { e820TypeName } from '../../../sim/stages/e820.ts';
import { FIXADDR_TOP } from '../../../sim/stages/lowmem32.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../../../sim/lib/sizes.ts';
import { uncoveredIn, type Range } from '../../../sim/lib/ranges.ts';
import type { Legacy30State } from '../../../sim/stages/old/state-30.ts';
import type { Legacy2611State } from '../../../sim/stages/old/state-2611.ts';
import { e820TypeName30 } from '../../../sim/stages/old/e820-30.ts';
import { E820_RAM } from '../../../sim/firmware/qemu-7.2.ts';

/** The columns of the physical map, left to right, and the virtual one. */
export const PHYSICAL_LAYERS = ['e820-bios', 'e820-firmware', 'e820-edit', 'e820', 'hole', 'memblock-memory', 'memblock-reserved', 'node', 'zone'] as const;
export type PhysicalLayer = (typeof PHYSICAL_LAYERS)[number];
export type MapLayer = PhysicalLayer | 'virtual';

/** What each column shows, for its header. */
export const LAYER_TITLES: { readonly [K in MapLayer]: string } = {
  'e820-bios': 'e820 from BIOS (raw)',
  'e820-firmware': 'e820 (sanitised)',
  'e820-edit': 'e820 edits',
  e820: 'e820 (kernel)',
  hole: 'holes',
  'memblock-memory': 'memblock.memory',
  'memblock-reserved': 'memblock.reserved',
  node: 'nodes',
  zone: 'zones',
  virtual: 'virtual (i386)',
};

/** Whether the real boot printed this region's range the same way (set by harness/report/map/golden.ts). */
export type GoldenMark = 'same' | 'differs' | 'unchecked';

export interface MapRegion {
  /** Stable per boot: `<layer>:<n>` in the order the regions are built. */
  readonly id: string;
  readonly layer: MapLayer;
  readonly label: string;
  /** [start, end): first byte and one past the last. */
  readonly start: bigint;
  readonly end: bigint;
  /** A class for colour: the e820 type, the zone name, the ledger entry's stage … */
  readonly kind: string;
  /** The derivation, one row each: what the region is, the rule behind it, the terms of the line that prints it. */
  readonly derivation: readonly string[];
  /** The sim line that prints this range, when one does. */
  readonly printedBy?: string;
  /** For a memblock reservation: its index in the ledger (harness/report/map/golden.ts matches it to memblock=debug). */
  readonly ledgerEntry?: number;
  /** A reservation memblock=debug does not print (LedgerEntry.notPrinted). */
  readonly notPrinted?: boolean;
  /** A reservation the boot gave back whole (nothing of it is reserved at the end). */
  readonly freed?: boolean;
  readonly golden?: GoldenMark;
}

export interface MemoryMap {
  readonly title: string;
  readonly physical: readonly MapRegion[];
  /** i386 only: the kernel's virtual layout, [PAGE_OFFSET, 4G). */
  readonly virtual: readonly MapRegion[];
  /** What the map compared with, when --golden was given. */
  readonly golden?: { readonly file: string; readonly note: string };
  /** Column headers that differ from LAYER_TITLES for this boot (the old pipelines' early_res, early_node_map). */
  readonly layerTitles?: Partial<Record<MapLayer, string>>;
  /** What the boot's state lacks, so the map does not draw it: one sentence each, naming the missing state. */
  readonly notDrawn?: readonly string[];
}

/** A column's header on this map. */
export const layerTitle = (map: MemoryMap, layer: MapLayer): string => map.layerTitles?.[layer] ?? LAYER_TITLES[layer];

/** 0x + 16 hex digits: the address form of the map's data attributes. */
export const hex64 = (v: bigint): string => `0x${v.toString(16).padStart(16, '0')}`;
/** 0x + 8 hex digits, for i386 virtual addresses. */
export const hex32 = (v: bigint): string => `0x${v.toString(16).padStart(8, '0')}`;

/** A size as people say it: 4K, 636K, 12M, 1.5G (binary units). */
export function sizeText(bytes: bigint): string {
  const units: [bigint, string][] = [[1n << 40n, 'T'], [1n << 30n, 'G'], [1n << 20n, 'M'], [1n << 10n, 'K']];
  for (const [u, s] of units) {
    if (bytes >= u) {
      const whole = bytes / u;
      const tenth = ((bytes % u) * 10n) / u;
      return bytes % u === 0n ? `${whole}${s}` : `${whole}.${tenth}${s}`;
    }
  }
  return `${bytes}B`;
}

const MEM_RANGE = /\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]/g;

/** Every `[mem A-B]` a line prints, as [A, B + 1). */
export function printedRanges(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(MEM_RANGE)) out.push({ start: BigInt(m[1]!), end: BigInt(m[2]!) + 1n });
  return out;
}

/** The explain rows of a line: its text, then `field: term = value (source)`. */
function lineRows(l: DmesgLine): string[] {
  const rows = [`printed: ${l.text}  [${l.stage} › ${l.fmt}]`];
  for (const [field, terms] of Object.entries(l.explain ?? {})) {
    for (const t of terms) rows.push(`${field}: ${t.name} = ${String(t.value)}  (${t.source})`);
  }
  return rows;
}

// Each line's printed ranges, read once: lineFor asks for every region of the map (regions × lines).
const printedOf = new WeakMap<DmesgLine, readonly Range[]>();
function printedRangesOf(l: DmesgLine): readonly Range[] {
  let r = printedOf.get(l);
  if (r === undefined) printedOf.set(l, (r = printedRanges(l.text)));
  return r;
}

/** Finds the line that prints [start, end), preferring `fmt` prefixes in order ('' takes any family). */
function lineFor(lines: readonly DmesgLine[], start: bigint, end: bigint, fmts: readonly string[]): DmesgLine | undefined {
  const hits = lines.filter((l) => printedRangesOf(l).some((r) => r.start === start && r.end === end));
  for (const f of fmts) {
    const h = hits.find((l) => f === '' || l.fmt === f || l.fmt.startsWith(`${f}.`));
    if (h) return h;
  }
  return undefined;
}

interface Builder {
  readonly regions: MapRegion[];
  readonly counts: Map<MapLayer, number>;
}

function push(b: Builder, r: Omit<MapRegion, 'id'>): void {
  if (r.end <= r.start) return;
  const n = b.counts.get(r.layer) ?? 0;
  b.counts.set(r.layer, n + 1);
  b.regions.push({ id: `${r.layer}:${n}`, ...r });
}

function withLine(base: Omit<MapRegion, 'id'>, l: DmesgLine | undefined): Omit<MapRegion, 'id'> {
  if (!l) return base;
  return { ...base, printedBy: l.text, derivation: [...base.derivation, ...lineRows(l)] };
}

const rangeRow = (s: bigint, e: bigint): string => `[mem ${hex64(s)}-${hex64(e - 1n)}] ${sizeText(e - s)}`;

/** The map of a boot's last state and its lines. `title` heads the page. */
export function buildMemoryMap(state: BootState, lines: readonly DmesgLine[], traits: KernelTraits, title: string): MemoryMap {
  const legacy = sliceIfAny(state, 'legacy30');
  if (legacy) return buildLegacyMap(legacy, lines, title);
  const l2611 = sliceIfAny(state, 'legacy2611');
  if (l2611) return buildLegacy2611Map(l2611, lines, title);
  const b: Builder = { regions: [], counts: new Map() };
  const e820 = sliceIfAny(state, 'e820');
  if (e820) pushE820(b, e820, lines.filter((l) => l.stage === 'e820'), traits);
  const mb = sliceIfAny(state, 'memblock');
  if (mb) pushMemblock(b, mb, lines);
  const numa = sliceIfAny(state, 'numa');
  const zones = sliceIfAny(state, 'zones');
  if (numa && numa.numa) {
    for (const n of numa.nodes) {
      const l = lineFor(lines, n.start, n.end, ['numa', '']);
      push(b, withLine({ layer: 'node', label: `node ${n.nid} ${sizeText(n.end - n.start)}`, start: n.start, end: n.end, kind: `node-${n.nid % 8}`, derivation: [`node ${n.nid}: ${rangeRow(n.start, n.end)} from numa_meminfo (SRAT)`, 'arch/x86/mm/numa.c: numa_init() → numa_register_memblks()'] }, l));
    }
  } else if (zones) {
    for (const n of zones.nodes) {
      const s = n.startPfn << PAGE_SHIFT;
      const e = n.endPfn << PAGE_SHIFT;
      push(b, { layer: 'node', label: `node ${n.node} ${sizeText(e - s)}`, start: s, end: e, kind: `node-${n.node % 8}`, derivation: [`node ${n.node}: ${rangeRow(s, e)} (no CONFIG_NUMA: the one node spans memblock.memory)`, 'mm/mm_init.c: get_pfn_range_for_nid()'] });
    }
  }
  if (zones) {
    for (const n of zones.nodes) {
      for (const z of n.zones) {
        if (z.spannedPages === 0n) continue;
        const s = z.startPfn << PAGE_SHIFT;
        const e = (z.startPfn + z.spannedPages) << PAGE_SHIFT;
        const l = lineFor(lines, s, e, ['zones', '']);
        push(b, withLine({ layer: 'zone', label: `${z.name} node ${n.node}`, start: s, end: e, kind: `zone-${z.name}`, derivation: [`zone ${z.name} of node ${n.node}: ${rangeRow(s, e)}`, `spanned ${z.spannedPages} pages, present ${z.presentPages}, holes ${z.spannedPages - z.presentPages}`, 'mm/mm_init.c (page_alloc.c ≤ 6.1): zone_spanned_pages_in_node(), zone_absent_pages_in_node()'] }, l));
      }
    }
  }
  // holes inside the nodes: what no memblock.memory region covers within a node's pfn span — the
  // absent pages of its zones (mm/mm_init.c zone_absent_pages_in_node(), __absent_pages_in_range())
  if (zones && mb) {
    const mem = [...mb.memory].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
    for (const n of zones.nodes) {
      for (const h of uncoveredIn(mem, n.startPfn << PAGE_SHIFT, n.endPfn << PAGE_SHIFT)) {
        push(b, { layer: 'hole', label: `absent ${sizeText(h.end - h.start)} node ${n.node}`, start: h.start, end: h.end, kind: 'zone-hole', derivation: [`absent pages in node ${n.node}: ${rangeRow(h.start, h.end)} = ${(h.end - h.start) >> PAGE_SHIFT} pages no memblock.memory region covers`, 'mm/mm_init.c (page_alloc.c ≤ 6.1): zone_absent_pages_in_node() → __absent_pages_in_range(): spanned − present'] });
      }
    }
  }
  const virtual = virtualLayout32(state);
  // column by column, as the SVG draws them (a stable sort keeps each column's build order)
  const col = (l: MapLayer) => (PHYSICAL_LAYERS as readonly MapLayer[]).indexOf(l);
  return { title, physical: [...b.regions].sort((x, y) => col(x.layer) - col(y.layer)), virtual };
}

/** The e820 columns: what int 15h returned, the firmware table, each printed edit, the final table and the holes below its end. */
function pushE820(b: Builder, e820: NonNullable<ReturnType<typeof sliceIfAny<'e820'>>>, e820Lines: readonly DmesgLine[], traits: KernelTraits): void {
  // what int 15h e820 hands the kernel (boot_params.e820_table), in SeaBIOS order: entries may overlap
  for (const e of e820.firmware.e820) {
    const type = e820TypeName(e.type, traits.e820Style).trim();
    push(b, { layer: 'e820-bios', label: `${type} ${sizeText(e.size)}`, start: e.addr, end: e.addr + e.size, kind: `e820-${e.type}`, derivation: [`boot_params.e820_table: ${rangeRow(e.addr, e.addr + e.size)} type ${e.type} (${type})`, 'SeaBIOS 1.16.2 src/e820map.c e820_add() over QEMU 7.2 etc/e820 (hw/i386/pc.c), as int 15h e820 returns it: before arch/x86/kernel/e820.c e820__update_table() resolves overlaps in favour of the highest type'] });
  }
  for (const e of e820.firmwareTable) {
    const type = e820TypeName(e.type, traits.e820Style).trim();
    const l = lineFor(e820Lines, e.addr, e.addr + e.size, ['e820.entry']);
    push(b, withLine({ layer: 'e820-firmware', label: `${type} ${sizeText(e.size)}`, start: e.addr, end: e.addr + e.size, kind: `e820-${e.type}`, derivation: [`e820_table_firmware: ${rangeRow(e.addr, e.addr + e.size)} ${type}`, 'arch/x86/kernel/e820.c: e820__memory_setup() — the firmware map after the first e820__update_table()'] }, l));
  }
  // the edits: e820 lines that print a range and are not the firmware map (update/remove, user:, mem=, memmap=)
  for (const l of e820Lines) {
    if (l.fmt === 'e820.entry' || l.fmt === 'e820.header') continue;
    for (const r of printedRanges(l.text)) {
      push(b, { layer: 'e820-edit', label: l.text.replace(/\[mem [^\]]*\]\s*/, '').slice(0, 60), start: r.start, end: r.end, kind: l.fmt, derivation: [`e820 edit: ${rangeRow(r.start, r.end)}`, ...lineRows(l)], printedBy: l.text });
    }
  }
  for (const e of e820.table) {
    const type = e820TypeName(e.type, traits.e820Style).trim();
    const l = lineFor(e820Lines, e.addr, e.addr + e.size, ['e820']);
    push(b, withLine({ layer: 'e820', label: `${type} ${sizeText(e.size)}`, start: e.addr, end: e.addr + e.size, kind: `e820-${e.type}`, derivation: [`e820_table: ${rangeRow(e.addr, e.addr + e.size)} ${type}`, 'arch/x86/kernel/e820.c: e820_table after the last e820__update_table() (trim_bios_range, mem=, memmap=)'] }, l));
  }
  // holes: the addresses below the table's end that no e820 entry describes
  const sorted = [...e820.table].map((e) => ({ start: e.addr, end: e.addr + e.size })).sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const top = sorted.reduce((m, r) => (r.end > m ? r.end : m), 0n);
  for (const h of uncoveredIn(sorted, 0n, top)) {
    push(b, { layer: 'hole', label: `hole ${sizeText(h.end - h.start)}`, start: h.start, end: h.end, kind: 'hole', derivation: [`no e820 entry: ${rangeRow(h.start, h.end)}`, 'arch/x86/kernel/e820.c: e820__setup_pci_gap() looks for the PCI gap among these'] });
  }
}

/** The memblock columns: memblock.memory by node, and every ledger entry's reserved ranges with why, rule and caller. */
function pushMemblock(b: Builder, mb: NonNullable<ReturnType<typeof sliceIfAny<'memblock'>>>, lines: readonly DmesgLine[]): void {
  for (const m of mb.memory) {
    const l = lineFor(lines, m.start, m.end, ['zones', '']);
    push(b, withLine({ layer: 'memblock-memory', label: `memory ${sizeText(m.end - m.start)}${m.nid >= 0 ? ` node ${m.nid}` : ''}`, start: m.start, end: m.end, kind: 'memory', derivation: [`memblock.memory: ${rangeRow(m.start, m.end)}${m.nid >= 0 ? ` nid=${m.nid}` : ''} flags=0x${m.flags.toString(16)}`, 'mm/memblock.c: memblock_add() from arch/x86/kernel/e820.c e820__memblock_setup(), nodes from memblock_set_node()'] }, l));
  }
  mb.ledger.forEach((e, i) => {
    const made = e.made ?? e.ranges;
    const held = e.ranges.reduce((n, r) => n + (r.end - r.start), 0n);
    const freed = held === 0n;
    made.forEach((r) => {
      const l = lineFor(lines, r.start, r.end, ['']);
      push(b, withLine({
        layer: 'memblock-reserved', label: e.why, start: r.start, end: r.end, kind: e.stage,
        derivation: [
          `reserved: ${rangeRow(r.start, r.end)}${e.count !== undefined ? ` (${e.count} allocations)` : ''}`,
          `why: ${e.why}`, `rule: ${e.source}`, `stage: ${e.stage}`,
          ...(e.caller !== undefined ? [`caller: ${e.caller}`] : []),
          ...(freed ? ['given back whole by memblock_phys_free before the end'] : held < made.reduce((n, x) => n + (x.end - x.start), 0n) ? [`still reserved: ${e.ranges.map((x) => rangeRow(x.start, x.end)).join(', ')}`] : []),
          ...(e.notPrinted !== undefined ? [`memblock=debug does not print it: ${e.notPrinted}`] : []),
        ],
        ledgerEntry: i, ...(e.notPrinted !== undefined ? { notPrinted: true } : {}), ...(freed ? { freed: true } : {}),
      }, l));
    });
  });
}

/**
 * The i386 kernel's virtual layout (arch/x86/include/asm/pgtable_32_areas.h, 5.10–6.1): the direct
 * map from PAGE_OFFSET to high_memory, the VMALLOC_OFFSET gap, vmalloc to VMALLOC_END, pkmap
 * (CONFIG_HIGHMEM), the LDT remap, the cpu_entry_area and the fixmap below FIXADDR_TOP; MAXMEM
 * marks where lowmem must end. Empty on x86_64.
 */
export function virtualLayout32(state: BootState): MapRegion[] {
  const lm = sliceIfAny(state, 'lowmem32');
  if (!lm) return [];
  const L = lm.layout;
  const b: Builder = { regions: [], counts: new Map() };
  const terms = L.explain.map((t) => `${t.name} = ${String(t.value)}  (${t.source})`);
  const pmdMask = ~(L.pmdSize - 1n);
  // arch/x86/mm/init_32.c: high_memory = __va(max_low_pfn * PAGE_SIZE - 1) + 1 (highstart_pfn is max_low_pfn when there is highmem)
  const highMemory = L.pageOffset + (lm.maxLowPfn << PAGE_SHIFT);
  // pgtable_32_areas.h: VMALLOC_OFFSET (8 * 1024 * 1024), VMALLOC_START = high_memory + VMALLOC_OFFSET
  const vmallocStart = highMemory + (8n << 20n);
  const fixaddrTotStart = FIXADDR_TOP - (L.fixaddrTotPages << PAGE_SHIFT);
  const ldtBase = (L.cpuEntryAreaBase - PAGE_SIZE) & pmdMask;
  const highmem = L.vmallocEnd === L.pkmapBase - 2n * PAGE_SIZE;
  // pgtable_32_areas.h: LAST_PKMAP 512 (X86_PAE) or 1024, which is PTRS_PER_PTE = PMD_SIZE / PAGE_SIZE either way
  const lastPkmap = L.pmdSize / PAGE_SIZE;
  // MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE (vmalloc= sets the reserve): the layout's MAXMEM_PFN, in bytes
  const maxmem = L.maxmemPfn << PAGE_SHIFT;
  const area = (label: string, kind: string, s: bigint, e: bigint, rule: string): void => {
    push(b, { layer: 'virtual', label, start: s, end: e, kind, derivation: [`${label}: [${hex32(s)}-${hex32(e - 1n)}] ${sizeText(e - s)}`, rule, ...terms] });
  };
  area('direct map (lowmem)', 'v-direct', L.pageOffset, highMemory, `PAGE_OFFSET to high_memory = PAGE_OFFSET + max_low_pfn (${lm.maxLowPfn}) << PAGE_SHIFT: arch/x86/mm/init_32.c`);
  if (maxmem > 0n && L.pageOffset + maxmem > highMemory) area('lowmem not used (up to MAXMEM)', 'v-maxmem', highMemory, L.pageOffset + maxmem, `MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE: max_low_pfn stops at MAXMEM_PFN = ${L.maxmemPfn}`);
  // MAXMEM: lowmem must end __VMALLOC_RESERVE below VMALLOC_END, so that much vmalloc space is always left
  area('__VMALLOC_RESERVE (from MAXMEM)', 'v-reserve', L.pageOffset + maxmem, L.vmallocEnd, `PAGE_OFFSET + MAXMEM (MAXMEM_PFN ${L.maxmemPfn} pages) to VMALLOC_END: the vmalloc space lowmem may not take (__VMALLOC_RESERVE, arch/x86/mm/pgtable_32.c; vmalloc= changes it)`);
  area('VMALLOC_OFFSET gap', 'v-gap', highMemory, vmallocStart, 'pgtable_32_areas.h: VMALLOC_START = high_memory + VMALLOC_OFFSET (8M)');
  area('vmalloc', 'v-vmalloc', vmallocStart, L.vmallocEnd, 'pgtable_32_areas.h: VMALLOC_START to VMALLOC_END (PKMAP_BASE - 2 pages with HIGHMEM, else LDT_BASE_ADDR - 2 pages)');
  if (highmem) area('pkmap', 'v-pkmap', L.pkmapBase, L.pkmapBase + lastPkmap * PAGE_SIZE, `pgtable_32_areas.h: PKMAP_BASE = (LDT_BASE_ADDR - PAGE_SIZE) & PMD_MASK, LAST_PKMAP = ${lastPkmap} pages`);
  area('LDT remap', 'v-ldt', ldtBase, ldtBase + L.pmdSize, 'pgtable_32_areas.h: LDT_BASE_ADDR = (CPU_ENTRY_AREA_BASE - PAGE_SIZE) & PMD_MASK, one PMD');
  area('cpu_entry_area', 'v-cea', L.cpuEntryAreaBase, L.cpuEntryAreaBase + (L.cpuEntryAreaPages + 1n) * PAGE_SIZE, `pgtable_32_areas.h: CPU_ENTRY_AREA_BASE, CPU_ENTRY_AREA_PAGES (${L.cpuEntryAreaPages}) + the read-only IDT page`);
  area('fixmap', 'v-fixmap', fixaddrTotStart, FIXADDR_TOP, `asm/fixmap.h: FIXADDR_TOT_START = FIXADDR_TOP - __end_of_fixed_addresses (${L.fixaddrTotPages}) pages`);
  return b.regions;
}

// The old pipelines' lines print ranges their own way: e820_print_map and the e820 edits
// "%016Lx - %016Lx", early_res "[%010llx - %010llx]" (both [start, end)), and the zone and
// early_node_map lines pfns "0x%08lx -> 0x%08lx" ([start, end) in pages).
const OLD_BYTES = /\b([0-9a-f]{10,16}) - ([0-9a-f]{10,16})\b/g;
const OLD_PFNS = /0x([0-9a-f]{8}) -> 0x([0-9a-f]{8})/g;

/** Every byte range an old-pipeline line prints, [start, end). */
export function printedRangesOld(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(OLD_BYTES)) out.push({ start: BigInt(`0x${m[1]!}`), end: BigInt(`0x${m[2]!}`) });
  for (const m of text.matchAll(OLD_PFNS)) out.push({ start: BigInt(`0x${m[1]!}`) << PAGE_SHIFT, end: BigInt(`0x${m[2]!}`) << PAGE_SHIFT });
  return out;
}

/** The first old-pipeline line whose fmt is one of `fmts` and that prints [start, end). */
function oldLineFor(lines: readonly DmesgLine[], start: bigint, end: bigint, fmts: readonly string[]): DmesgLine | undefined {
  return lines.find((l) => fmts.includes(l.fmt) && printedRangesOld(l.text).some((r) => r.start === start && r.end === end));
}

/**
 * The map of a 3.0 or 2.6.34 boot (sim/stages/old/): its state is the one legacy30 slice. It holds
 * the e820 map after trim_bios_range() (not the firmware's before it), early_node_map[] (the active
 * ranges), the zones and, on 2.6.34, early_res[] and node 0's bootmem bitmap. The virtual layout
 * is not drawn: the slice has max_low_pfn but not the layout's constants (VMALLOC_END, PKMAP_BASE,
 * the fixmap), which the modern lowmem32 slice holds.
 */
export function buildLegacyMap(lm: Legacy30State, lines: readonly DmesgLine[], title: string): MemoryMap {
  const b: Builder = { regions: [], counts: new Map() };
  const e820Lines = lines.filter((l) => l.stage === 'e820');
  for (const l of e820Lines) {
    if (l.fmt !== 'e820.update_legacy' && l.fmt !== 'e820.remove_legacy') continue;
    for (const r of printedRangesOld(l.text)) {
      push(b, { layer: 'e820-edit', label: l.text.replace(/^e820 /, '').slice(0, 60), start: r.start, end: r.end, kind: l.fmt, derivation: [`e820 edit: ${rangeRow(r.start, r.end)}`, ...lineRows(l)], printedBy: l.text });
    }
  }
  for (const e of lm.e820) {
    const type = e820TypeName30(e.type).replace(/[()]/g, '').trim();
    const l = oldLineFor(e820Lines, e.addr, e.addr + e.size, ['e820.entry_legacy']);
    push(b, withLine({ layer: 'e820', label: `${type} ${sizeText(e.size)}`, start: e.addr, end: e.addr + e.size, kind: `e820-${e.type}`, derivation: [`e820.map: ${rangeRow(e.addr, e.addr + e.size)} ${type}`, 'arch/x86/kernel/e820.c (3.0.1, 2.6.34): e820.map after setup_memory_map() and trim_bios_range() (arch/x86/kernel/setup.c)'] }, l));
  }
  const sorted = [...lm.e820].map((e) => ({ start: e.addr, end: e.addr + e.size })).sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const top = sorted.reduce((m, r) => (r.end > m ? r.end : m), 0n);
  for (const h of uncoveredIn(sorted, 0n, top)) {
    push(b, { layer: 'hole', label: `hole ${sizeText(h.end - h.start)}`, start: h.start, end: h.end, kind: 'hole', derivation: [`no e820 entry: ${rangeRow(h.start, h.end)}`, 'arch/x86/kernel/e820.c (3.0.1, 2.6.34): e820_setup_gap() looks for the PCI gap among these'] });
  }
  const active = [...(lm.activeRanges ?? [])].sort((x, y) => (x.startPfn < y.startPfn ? -1 : x.startPfn > y.startPfn ? 1 : 0));
  for (const r of active) {
    const s = r.startPfn << PAGE_SHIFT;
    const e = r.endPfn << PAGE_SHIFT;
    const l = oldLineFor(lines, s, e, ['zones.early_node_range']);
    push(b, withLine({ layer: 'memblock-memory', label: `active ${sizeText(e - s)} node 0`, start: s, end: e, kind: 'memory', derivation: [`early_node_map: ${rangeRow(s, e)} nid=0 (pfns ${r.startPfn}–${r.endPfn})`, 'mm/page_alloc.c (3.0.1, 2.6.34): add_active_range() from e820 RAM entries (arch/x86/kernel/e820.c e820_register_active_regions; 3.0.1 memblock_x86_register_active_regions)'] }, l));
  }
  (lm.earlyRes ?? []).forEach((r, i) => {
    const l = oldLineFor(lines, r.start, r.end, ['early_res.entry']);
    push(b, withLine({ layer: 'memblock-reserved', label: r.name, start: r.start, end: r.end, kind: 'early_res', derivation: [`early_res[${i}]: ${rangeRow(r.start, r.end)} "${r.name}"${r.overlapOk ? ' (overlap_ok)' : ''}`, 'kernel/early_res.c (2.6.34): reserve_early(); early_res_to_bootmem() hands it to bootmem'] }, l));
  });
  if (lm.bootmem) {
    const setBy = lm.bootmem.setBy.map((x) => `${x.what}: ${x.pages} pages`).join('; ');
    for (const r of lm.bootmem.reserved) {
      const s = r.start << PAGE_SHIFT;
      const e = r.end << PAGE_SHIFT;
      push(b, { layer: 'memblock-reserved', label: `bootmem ${sizeText(e - s)}`, start: s, end: e, kind: 'bootmem', derivation: [`bootmem bitmap of node 0: pfns ${r.start}–${r.end} set, ${rangeRow(s, e)}`, 'mm/bootmem.c (2.6.34): node_bootmem_map after every reserve_bootmem() and alloc_bootmem*() the boot ran', `who set the bits: ${setBy}`] });
    }
  }
  if (active.length > 0) {
    const s = active[0]!.startPfn << PAGE_SHIFT;
    const e = active.reduce((m, r) => (r.endPfn > m ? r.endPfn : m), 0n) << PAGE_SHIFT;
    push(b, { layer: 'node', label: `node 0 ${sizeText(e - s)}`, start: s, end: e, kind: 'node-0', derivation: [`node 0: ${rangeRow(s, e)} (no CONFIG_NUMA: the one node spans early_node_map)`, 'mm/page_alloc.c (3.0.1, 2.6.34): get_pfn_range_for_nid()'] });
  }
  for (const z of lm.zones ?? []) {
    if (z.spanned === 0n) continue;
    const s = z.startPfn << PAGE_SHIFT;
    const e = (z.startPfn + z.spanned) << PAGE_SHIFT;
    const l = oldLineFor(lines, s, e, ['zones.pfn_range']);
    push(b, withLine({ layer: 'zone', label: `${z.name} node 0`, start: s, end: e, kind: `zone-${z.name}`, derivation: [`zone ${z.name} of node 0: ${rangeRow(s, e)}`, `spanned ${z.spanned} pages, present ${z.present}, holes ${z.spanned - z.present}, memmap ${z.memmapPages} pages`, 'mm/page_alloc.c (3.0.1, 2.6.34): zone_spanned_pages_in_node(), zone_absent_pages_in_node()'] }, l));
  }
  if (active.length > 0) {
    const s = active[0]!.startPfn << PAGE_SHIFT;
    const e = active.reduce((m, r) => (r.endPfn > m ? r.endPfn : m), 0n) << PAGE_SHIFT;
    const mem = active.map((r) => ({ start: r.startPfn << PAGE_SHIFT, end: r.endPfn << PAGE_SHIFT }));
    for (const h of uncoveredIn(mem, s, e)) {
      push(b, { layer: 'hole', label: `absent ${sizeText(h.end - h.start)} node 0`, start: h.start, end: h.end, kind: 'zone-hole', derivation: [`absent pages in node 0: ${rangeRow(h.start, h.end)} = ${(h.end - h.start) >> PAGE_SHIFT} pages no early_node_map range covers`, 'mm/page_alloc.c (3.0.1, 2.6.34): zone_absent_pages_in_node() → __absent_pages_in_range()'] });
    }
  }
  const col = (l: MapLayer) => (PHYSICAL_LAYERS as readonly MapLayer[]).indexOf(l);
  const notDrawn = [
    'e820 from BIOS and e820 (sanitised): the legacy30 state keeps e820.map only after trim_bios_range(), not the firmware table before it (its BIOS-e820 lines are the derivation of the kernel column)',
    'virtual (i386): the legacy30 state holds max_low_pfn but not the layout constants (VMALLOC_END, PKMAP_BASE, the fixmap) the virtual layout is drawn from',
    ...(lm.earlyRes === undefined ? ['reservations: the 3.0 pipeline keeps no memblock.reserved ledger in its state (its lines print no reservation)'] : []),
  ];
  return {
    title,
    physical: [...b.regions].sort((x, y) => col(x.layer) - col(y.layer)),
    virtual: [],
    layerTitles: { 'memblock-memory': 'early_node_map (active)', 'memblock-reserved': lm.earlyRes !== undefined ? 'early_res / bootmem' : 'reservations (not in state)', e820: 'e820.map (kernel)' },
    notDrawn,
  };
}

const NODE_RANGE_2611 = /\b([0-9a-f]{16})-([0-9a-f]{16})\b/;

/**
 * The map of a 2.6.11 boot (sim/stages/old/*-2611*.ts, i386 or x86_64): its state is the one legacy2611
 * slice. It holds e820.map after copy_e820_map(), node 0's bootmem (its span, the bitmap's set ranges and who
 * set them) and the zones; RAM is drawn as the ranges setup_arch() freed to bootmem (register_bootmem_low_pages
 * on i386, e820_bootmem_free on x86_64: the E820_RAM entries rounded inwards). The virtual layout is not drawn.
 */
export function buildLegacy2611Map(l: Legacy2611State, lines: readonly DmesgLine[], title: string): MemoryMap {
  const b: Builder = { regions: [], counts: new Map() };
  const e820Lines = lines.filter((x) => x.stage === 'e820');
  for (const e of l.e820) {
    const type = e820TypeName30(e.type).replace(/[()]/g, '').trim();
    const line = oldLineFor(e820Lines, e.addr, e.addr + e.size, ['e820.entry_legacy']);
    push(b, withLine({ layer: 'e820', label: `${type} ${sizeText(e.size)}`, start: e.addr, end: e.addr + e.size, kind: `e820-${e.type}`, derivation: [`e820.map: ${rangeRow(e.addr, e.addr + e.size)} ${type}`, 'arch/i386/kernel/setup.c, arch/x86_64/kernel/e820.c (2.6.11): e820.map after sanitize_e820_map() and copy_e820_map()'] }, line));
  }
  const sorted = l.e820.map((e) => ({ start: e.addr, end: e.addr + e.size })).sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const top = sorted.reduce((m, r) => (r.end > m ? r.end : m), 0n);
  for (const h of uncoveredIn(sorted, 0n, top)) {
    push(b, { layer: 'hole', label: `hole ${sizeText(h.end - h.start)}`, start: h.start, end: h.end, kind: 'hole', derivation: [`no e820 entry: ${rangeRow(h.start, h.end)}`, '2.6.11: the PCI gap is searched among these (i386 register_memory; x86_64 leaves pci_mem_start above RAM)'] });
  }
  for (const e of l.e820) {
    if (e.type !== E820_RAM) continue;
    const s = ((e.addr + PAGE_SIZE - 1n) >> PAGE_SHIFT) << PAGE_SHIFT;
    const end = ((e.addr + e.size) >> PAGE_SHIFT) << PAGE_SHIFT;
    if (end <= s) continue;
    push(b, { layer: 'memblock-memory', label: `RAM ${sizeText(end - s)}`, start: s, end, kind: 'memory', derivation: [`freed to bootmem: ${rangeRow(s, end)} (pfns ${s >> PAGE_SHIFT}–${end >> PAGE_SHIFT})`, '2.6.11: register_bootmem_low_pages() (i386, clipped to max_low_pfn) or e820_bootmem_free() (x86_64): each E820_RAM entry PFN_UP(start) to PFN_DOWN(end)'] });
  }
  if (l.bootmem) {
    const setBy = l.bootmem.setBy.filter((x) => x.pages !== 0n).map((x) => `${x.what}: ${x.pages} pages`).join('; ');
    for (const r of l.bootmem.reserved) {
      const s = r.start << PAGE_SHIFT;
      const e = r.end << PAGE_SHIFT;
      push(b, { layer: 'memblock-reserved', label: `bootmem ${sizeText(e - s)}`, start: s, end: e, kind: 'bootmem', derivation: [`bootmem bitmap of node 0: pfns ${r.start}–${r.end} set, ${rangeRow(s, e)}`, 'mm/bootmem.c (2.6.11): node_bootmem_map after every reserve_bootmem() and alloc_bootmem*() the boot ran, before free_all_bootmem()', `who set the bits: ${setBy}`] });
    }
    const e = l.bootmem.lowPfn << PAGE_SHIFT;
    const printed = lines.find((x) => x.fmt === 'numa.bootmem_setup_legacy' && NODE_RANGE_2611.exec(x.text)?.[2] === e.toString(16).padStart(16, '0'));
    push(b, withLine({ layer: 'node', label: `node 0 ${sizeText(e)}`, start: 0n, end: e, kind: 'node-0', derivation: [`node 0: ${rangeRow(0n, e)}: bootmem's node_boot_start 0 to node_low_pfn ${l.bootmem.lowPfn}`, '2.6.11: init_bootmem() (i386, to max_low_pfn) or setup_node_bootmem() (x86_64 numa_initmem_init(), the dummy node to end_pfn)'] }, printed));
  }
  for (const z of l.zones ?? []) {
    if (z.size === 0n) continue;
    const s = z.startPfn << PAGE_SHIFT;
    const e = (z.startPfn + z.size) << PAGE_SHIFT;
    push(b, { layer: 'zone', label: `${z.name} node 0`, start: s, end: e, kind: `zone-${z.name}`, derivation: [`zone ${z.name} of node 0: ${rangeRow(s, e)}`, `${z.size} pages, no holes counted (zholes_size NULL), LIFO batch ${z.batch}`, 'mm/page_alloc.c free_area_init_core() (2.6.11)'] });
  }
  const col = (x: MapLayer) => (PHYSICAL_LAYERS as readonly MapLayer[]).indexOf(x);
  return {
    title,
    physical: [...b.regions].sort((x, y) => col(x.layer) - col(y.layer)),
    virtual: [],
    layerTitles: { 'memblock-memory': 'RAM freed to bootmem', 'memblock-reserved': 'bootmem (set bits)', e820: 'e820.map (kernel)' },
    notDrawn: [
      'e820 from BIOS and e820 (sanitised): the legacy2611 state keeps e820.map after copy_e820_map() only (its BIOS-e820 lines are the derivation of the kernel column)',
      'virtual: the legacy2611 state holds max_low_pfn but not the layout (i386 VMALLOC and PKMAP, x86_64 the direct mapping) to draw',
    ],
  };
}
