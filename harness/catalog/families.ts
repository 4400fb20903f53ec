// The line catalog: every message family the simulator claims to model, in boot order.
// The list was drawn from the real serial logs of all 24 profiles (5.10, 6.1, 6.12, 7.2;
// x86_64 and i386), between "BIOS-provided physical RAM map:" and SLUB (or the later
// Memory: line), plus the catalog lines that print outside that window (x86_64
// "Command line:", hashes under hashdist, i386 highmem init, swiotlb mapped).
// Each regex copies the printk format of the version that prints it; the format is
// quoted in `printk`, with the kernel function that prints it.
// The versions a family or a spelling applies to are not listed here: each declares the trait of
// sim/traits.ts it depends on (`when`), and catalogFor() evaluates it per kernel series, so the
// simulator and the catalog cut at the same kernel change.
import type { Arch } from '../../sim/types.ts';
import { KERNEL_SERIES, parseKernelVersion, seriesTraits, type SeriesTraits } from '../../sim/traits.ts';
import type { FieldSpec } from './fields.ts';
import type { VersionKey } from './versions.ts';

/** The sim stage module that owns a family (sim/stages/<stage>.ts). */
export type Stage =
  | 'firmware'
  | 'e820'
  | 'memblock'
  | 'initrd'
  | 'numa'
  | 'zones'
  | 'setup_arch'
  | 'percpu'
  | 'zonelists'
  | 'cmdline'
  | 'log-buf'
  | 'stackdepot'
  | 'hashes'
  | 'mem-init'
  | 'highmem'
  | 'slub';

/** A version condition: a predicate over the series traits (sim/traits.ts), e.g. `(t) => t.e820Style === 'named'`. */
export type SeriesCondition = (t: SeriesTraits) => boolean;

/** One spelling of a family, as declared: the series traits that select it. */
export interface FamilyVariantDecl {
  /** The series that use this spelling; default: all of the family's versions. */
  readonly when?: SeriesCondition;
  /** Matches the whole normalised line (no timestamp); named groups feed `fields`. */
  readonly re: RegExp;
}

/** One spelling of a family, for the versions that print it that way. */
export interface FamilyVariant {
  /** Versions that use this spelling (evaluated from `when`); default: all of the family's versions. */
  readonly versions?: readonly VersionKey[];
  /** Matches the whole normalised line (no timestamp); named groups feed `fields`. */
  readonly re: RegExp;
}

/** A family as declared: `when` (default: every series) instead of a version list. */
export interface FamilyDecl extends Omit<Family, 'versions' | 'variants'> {
  /** The series whose kernels print it (given a profile that triggers it); default: all. */
  readonly when?: SeriesCondition;
  readonly variants: readonly FamilyVariantDecl[];
}

export interface Family {
  /** Stable id, also the `fmt` of a sim DmesgLine. */
  readonly id: string;
  readonly stage: Stage;
  /** Versions whose kernels print it (given a profile that triggers it): the family's `when`, evaluated per series. */
  readonly versions: readonly VersionKey[];
  /** The series condition it was declared with (sim/traits.ts); absent: every series. */
  readonly when?: SeriesCondition;
  /** Architectures whose kernels print it. */
  readonly arches: readonly Arch[];
  /** The printk format and the function that prints it. */
  readonly printk: string;
  readonly variants: readonly FamilyVariant[];
  readonly fields: readonly FieldSpec[];
  /**
   * The literal start that marks a line as meant to be this family, for spotting lines
   * damaged in capture. Default: the literal start of each variant's regex.
   */
  readonly anchor?: string;
}

const BOTH: readonly Arch[] = ['x86_64', 'i386'];
const X86_64: readonly Arch[] = ['x86_64'];
const I386: readonly Arch[] = ['i386'];

// Pieces of printk conversions.
const H16 = '0x[0-9a-f]{16}'; // %#018Lx
const H = '0x[0-9a-f]+'; // %#010Lx and friends (at least 8 digits, more when wider)
const range = (w: string, a = 'start', b = 'end'): string => `\\[mem (?<${a}>${w})-(?<${b}>${w})\\]`;
const addrFields = (a = 'start', b = 'end'): FieldSpec[] => [
  { group: a, kind: 'addr' },
  { group: b, kind: 'addr' },
];
const re = (src: string): RegExp => new RegExp(`^${src}$`);

const DECLS: readonly FamilyDecl[] = [
  // ── e820 (arch/x86/kernel/e820.c) ──────────────────────────────────────────
  {
    id: 'e820.header',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820__memory_setup: pr_info("BIOS-provided physical RAM map:\\n")',
    variants: [{ re: re('BIOS-provided physical RAM map:') }],
    fields: [],
  },
  {
    id: 'e820.entry',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820__print_table: "%s: [mem %#018Lx-%#018Lx] " + e820_print_type (7.2: two spaces, "System RAM"/"device reserved")',
    variants: [
      { when: (t) => t.e820Style === 'classic', re: re(`BIOS-e820: ${range(H16)} (?<type>\\S.*)`) },
      { when: (t) => t.e820Style === 'named', re: re(`BIOS-e820: ${range(H16)}  (?<type>\\S.*)`) },
    ],
    fields: [...addrFields(), { group: 'type', kind: 'text' }],
  },
  {
    id: 'e820.entry_legacy',
    stage: 'e820',
    when: (t) => t.e820Style === 'legacy',
    arches: BOTH,
    printk: 'e820_print_map (3.0.1): printk(KERN_INFO " %s: %016Lx - %016Lx ", who, …) + e820_print_type(): "(usable)", "(reserved)", …',
    variants: [{ re: re(' BIOS-e820: (?<start>[0-9a-f]{16}) - (?<end>[0-9a-f]{16}) (?<type>\\S.*)') }],
    fields: [...addrFields(), { group: 'type', kind: 'text' }],
  },
  {
    id: 'e820.update_legacy',
    stage: 'e820',
    when: (t) => t.e820Style === 'legacy',
    arches: BOTH,
    printk: '__e820_update_range (3.0.1): printk(KERN_DEBUG "e820 update range: %016Lx - %016Lx ") + old type + " ==> " + new type',
    variants: [{ re: re('e820 update range: (?<start>[0-9a-f]{16}) - (?<end>[0-9a-f]{16}) (?<from>\\S.*?) ==> (?<to>\\S.*)') }],
    fields: [...addrFields(), { group: 'from', kind: 'text' }, { group: 'to', kind: 'text' }],
  },
  {
    id: 'e820.remove_legacy',
    stage: 'e820',
    when: (t) => t.e820Style === 'legacy',
    arches: BOTH,
    printk: 'e820_remove_range (3.0.1): printk(KERN_DEBUG "e820 remove range: %016Lx - %016Lx ") + the type when checktype',
    variants: [{ re: re('e820 remove range: (?<start>[0-9a-f]{16}) - (?<end>[0-9a-f]{16}) ?(?<type>\\S.*)?') }],
    fields: [...addrFields(), { group: 'type', kind: 'text', optional: true }],
  },
  {
    id: 'e820.gap',
    stage: 'e820',
    when: (t) => t.e820Style === 'named',
    arches: BOTH,
    printk: 'e820__print_table (7.2): "%s: [gap %#018Lx-%#018Lx]" between non-adjacent entries',
    variants: [{ re: re(`BIOS-e820: \\[gap (?<start>${H16})-(?<end>${H16})\\]`) }],
    fields: addrFields(),
  },
  {
    id: 'e820.user_gap',
    stage: 'e820',
    when: (t) => t.e820Style === 'named',
    arches: BOTH,
    printk: 'e820__print_table("user") (7.2): "%s: [gap %#018Lx-%#018Lx]" between non-adjacent entries of the user-defined map',
    variants: [{ re: re(`user: \\[gap (?<start>${H16})-(?<end>${H16})\\]`) }],
    fields: addrFields(),
  },
  {
    id: 'e820.remove',
    stage: 'e820',
    arches: BOTH,
    printk: '__e820__range_remove: "e820: remove [mem %#010Lx-%#010Lx] " + type',
    // check_type 0 (e820_add_kernel_range) prints no type: 5.10-6.12 then keep the format's trailing space
    variants: [{ re: re(`e820: remove ${range(H)}(?: (?<type>\\S.*))? ?`) }],
    fields: [...addrFields(), { group: 'type', kind: 'text', optional: true }],
  },
  {
    id: 'e820.user_header',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820__finish_early_params / parse_memmap: pr_info("user-defined physical RAM map:\\n")',
    variants: [{ re: re('user-defined physical RAM map:') }],
    fields: [],
  },
  {
    id: 'e820.user',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820__print_table("user"): "user: [mem %#018Lx-%#018Lx] " + type',
    variants: [
      { when: (t) => t.e820Style === 'classic', re: re(`user: ${range(H16)} (?<type>\\S.*)`) },
      { when: (t) => t.e820Style === 'named', re: re(`user: ${range(H16)}  (?<type>\\S.*)`) },
    ],
    fields: [...addrFields(), { group: 'type', kind: 'text' }],
  },
  {
    id: 'e820.kernel_not_ram',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820_add_kernel_range: pr_warn(".text .data .bss are not marked as E820_TYPE_RAM!\\n")',
    variants: [{ re: re('\\.text \\.data \\.bss are not marked as E820_TYPE_RAM!') }],
    fields: [],
  },
  {
    id: 'e820.update',
    stage: 'e820',
    arches: BOTH,
    printk: '__e820__range_update: "e820: update [mem %#010Lx-%#010Lx] " + old type + " ==> " + new type',
    variants: [{ re: re(`e820: update ${range(H)} (?<from>\\S.*?) ==> (?<to>\\S.*)`) }],
    fields: [...addrFields(), { group: 'from', kind: 'text' }, { group: 'to', kind: 'text' }],
  },
  {
    id: 'last_pfn',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820__end_of_ram_pfn: pr_info("last_pfn = %#lx max_arch_pfn = %#lx\\n") — twice above 4G (high, then low)',
    variants: [{ re: re(`last_pfn = (?<last_pfn>${H}) max_arch_pfn = (?<max_arch_pfn>${H})`) }],
    fields: [
      { group: 'last_pfn', kind: 'pfn' },
      { group: 'max_arch_pfn', kind: 'pfn' },
    ],
  },
  // ── setup_arch odds and ends (arch/x86/kernel/setup.c, aperture_64.c, init_32.c) ──
  {
    id: 'agp.none',
    stage: 'setup_arch',
    arches: X86_64,
    printk: 'early_gart_iommu_check / gart_iommu_hole_init (aperture_64.c): pr_info("No AGP bridge found\\n") with pr_fmt "AGP: "',
    variants: [{ re: re('AGP: No AGP bridge found') }],
    fields: [],
  },
  {
    id: 'i386.initial_mapped',
    stage: 'setup_arch',
    arches: I386,
    printk: 'setup_arch (X86_32): printk(KERN_DEBUG "initial memory mapped: [mem 0x00000000-%#010lx]\\n")',
    variants: [{ re: re(`initial memory mapped: ${range(H)}`) }],
    fields: addrFields(),
  },
  {
    id: 'i386.initial_mapped_legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.initMappingPrints,
    arches: I386,
    printk: 'setup_arch (3.0.1): printk(KERN_DEBUG "initial memory mapped : 0 - %08lx\\n", max_pfn_mapped << PAGE_SHIFT)',
    variants: [{ re: re('initial memory mapped : 0 - (?<end>[0-9a-f]{8,})') }],
    fields: [{ group: 'end', kind: 'addr' }],
  },
  {
    id: 'trampoline.base_legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.initMappingPrints,
    arches: I386,
    printk: 'setup_trampolines (arch/x86/kernel/trampoline.c, 3.0.1): printk(KERN_DEBUG "Base memory trampoline at [%p] %llx size %zu\\n")',
    variants: [{ re: re('Base memory trampoline at \\[(?<va>[0-9a-f]{8})\\] (?<pa>[0-9a-f]+) size (?<size>\\d+)') }],
    fields: [{ group: 'va', kind: 'addr' }, { group: 'pa', kind: 'addr' }, { group: 'size', kind: 'bytes' }],
  },
  {
    id: 'init_mapping.legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.initMappingPrints,
    arches: BOTH,
    printk: 'init_memory_mapping (arch/x86/mm/init.c, 3.0.1): printk(KERN_INFO "init_memory_mapping: %016lx-%016lx\\n")',
    variants: [{ re: re('init_memory_mapping: (?<start>[0-9a-f]{16})-(?<end>[0-9a-f]{16})') }],
    fields: addrFields(),
  },
  {
    id: 'init_mapping.range_legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.initMappingPrints,
    arches: BOTH,
    printk: 'init_memory_mapping (3.0.1): printk(KERN_DEBUG " %010lx - %010lx page %s\\n") per map_range, "1G", "2M" or "4k"',
    variants: [{ re: re(' (?<start>[0-9a-f]{10}) - (?<end>[0-9a-f]{10}) page (?<size>1G|2M|4k)') }],
    fields: [...addrFields(), { group: 'size', kind: 'text' }],
  },
  {
    id: 'init_mapping.tables_legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.initMappingPrints,
    arches: BOTH,
    printk: 'find_early_table_space (arch/x86/mm/init.c, 3.0.1): printk(KERN_DEBUG "kernel direct mapping tables up to %lx @ %lx-%lx\\n")',
    variants: [{ re: re('kernel direct mapping tables up to (?<end>[0-9a-f]+) @ (?<base>[0-9a-f]+)-(?<top>[0-9a-f]+)') }],
    fields: [{ group: 'end', kind: 'addr' }, { group: 'base', kind: 'addr' }, { group: 'top', kind: 'addr' }],
  },
  {
    id: 'highmem.available',
    stage: 'highmem',
    arches: I386,
    printk: 'highmem_pfn_init (arch/x86/mm/init_32.c): printk(KERN_NOTICE "%ldMB HIGHMEM available.\\n")',
    variants: [{ re: re('(?<size>\\d+)MB HIGHMEM available\\.') }],
    fields: [{ group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'highmem.too_big',
    stage: 'highmem',
    arches: I386,
    printk: 'lowmem_pfn_init (arch/x86/mm/init_32.c): printk(KERN_ERR MSG_HIGHMEM_TOO_BIG) "highmem size (%luMB) is bigger than pages available (%luMB)!\\n"',
    variants: [{ re: re('highmem size \\((?<size>\\d+)MB\\) is bigger than pages available \\((?<avail>\\d+)MB\\)!') }],
    fields: [{ group: 'size', kind: 'mbytes' }, { group: 'avail', kind: 'mbytes' }],
  },
  {
    id: 'highmem.lowmem_too_small',
    stage: 'highmem',
    arches: I386,
    printk: 'lowmem_pfn_init (arch/x86/mm/init_32.c): printk(KERN_ERR MSG_LOWMEM_TOO_SMALL) "highmem size (%luMB) results in <64MB lowmem, ignoring it!\\n"',
    variants: [{ re: re('highmem size \\((?<size>\\d+)MB\\) results in <64MB lowmem, ignoring it!') }],
    fields: [{ group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'highmem.too_small',
    stage: 'highmem',
    arches: I386,
    printk: 'highmem_pfn_init (arch/x86/mm/init_32.c): printk(KERN_WARNING MSG_HIGHMEM_TOO_SMALL) "only %luMB highmem pages available, ignoring highmem size of %luMB!\\n"',
    variants: [{ re: re('only (?<avail>\\d+)MB highmem pages available, ignoring highmem size of (?<size>\\d+)MB!') }],
    fields: [{ group: 'avail', kind: 'mbytes' }, { group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'highmem.trimmed_legacy',
    stage: 'highmem',
    when: (t) => t.legacy.highmemTrimmedTwoLines,
    arches: I386,
    printk: 'find_max_low_pfn (arch/i386/kernel/setup.c, 2.6.11, HIGHMEM without PAE): printk(KERN_WARNING "Warning only 4GB will be used.\\n")',
    variants: [{ re: re('Warning only 4GB will be used\\.') }],
    fields: [],
  },
  {
    id: 'highmem.pae_hint_legacy',
    stage: 'highmem',
    when: (t) => t.legacy.highmemTrimmedTwoLines,
    arches: I386,
    printk: 'find_max_low_pfn (arch/i386/kernel/setup.c, 2.6.11): printk(KERN_WARNING "Use a PAE enabled kernel.\\n") after the 4GB warning',
    variants: [{ re: re('Use a PAE enabled kernel\\.') }],
    fields: [],
  },
  {
    id: 'lowmem.available',
    stage: 'highmem',
    arches: I386,
    printk: 'find_low_pfn_range (arch/x86/mm/init_32.c): printk(KERN_NOTICE "%ldMB LOWMEM available.\\n")',
    variants: [{ re: re('(?<size>\\d+)MB LOWMEM available\\.') }],
    fields: [{ group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'i386.mapped_low',
    stage: 'highmem',
    arches: I386,
    printk: 'initmem_init (arch/x86/mm/init_32.c): printk(KERN_DEBUG "  mapped low ram: 0 - %08lx\\n")',
    variants: [{ re: re('  mapped low ram: 0 - (?<end>[0-9a-f]{8,})') }],
    fields: [{ group: 'end', kind: 'addr' }],
  },
  {
    id: 'i386.low_ram',
    stage: 'highmem',
    arches: I386,
    printk: 'initmem_init (arch/x86/mm/init_32.c): printk(KERN_DEBUG "  low ram: 0 - %08lx\\n")',
    variants: [{ re: re('  low ram: 0 - (?<end>[0-9a-f]{8,})') }],
    fields: [{ group: 'end', kind: 'addr' }],
  },
  // ── 2.6.34: setup_bootmem_allocator's node lines and early_res_to_bootmem (kernel/early_res.c) ──
  {
    id: 'bootmem.node_low_ram',
    stage: 'highmem',
    when: (t) => t.earlyAllocator === 'early_res',
    arches: I386,
    printk: 'setup_node_bootmem (arch/x86/mm/init_32.c, 2.6.34): printk(KERN_INFO "  node %d low ram: %08lx - %08lx\\n")',
    variants: [{ re: re('  node (?<node>\\d+) low ram: (?<start>[0-9a-f]{8,}) - (?<end>[0-9a-f]{8,})') }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields()],
  },
  {
    id: 'bootmem.node_bootmap',
    stage: 'highmem',
    when: (t) => t.earlyAllocator === 'early_res',
    arches: I386,
    printk: 'setup_node_bootmem (arch/x86/mm/init_32.c, 2.6.34): printk(KERN_INFO "  node %d bootmap %08lx - %08lx\\n") — the bitmap find_e820_area() placed, bootmap_bytes() long',
    variants: [{ re: re('  node (?<node>\\d+) bootmap (?<start>[0-9a-f]{8,}) - (?<end>[0-9a-f]{8,})') }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields()],
  },
  {
    id: 'early_res.to_bootmem',
    stage: 'setup_arch',
    when: (t) => t.earlyAllocator === 'early_res',
    arches: BOTH,
    printk: 'early_res_to_bootmem (kernel/early_res.c, 2.6.34): printk(KERN_INFO "(%d/%d early reservations) ==> bootmem [%010llx - %010llx]\\n")',
    variants: [{ re: re('\\((?<count>\\d+)/(?<max>\\d+) early reservations\\) ==> bootmem \\[(?<start>[0-9a-f]{10,}) - (?<end>[0-9a-f]{10,})\\]') }],
    fields: [{ group: 'count', kind: 'count' }, { group: 'max', kind: 'count' }, ...addrFields()],
  },
  {
    id: 'early_res.entry',
    stage: 'setup_arch',
    when: (t) => t.earlyAllocator === 'early_res',
    arches: BOTH,
    printk: 'early_res_to_bootmem (kernel/early_res.c, 2.6.34): printk(KERN_INFO "  #%d [%010llx - %010llx] %16s") + " ==> [%010llx - %010llx]\\n" when it meets [start, end)',
    variants: [{ re: re('  #(?<slot>\\d+) \\[(?<start>[0-9a-f]{10,}) - (?<end>[0-9a-f]{10,})\\] +(?<name>\\S(?:.*?\\S)?)(?: ==> \\[(?<bstart>[0-9a-f]{10,}) - (?<bend>[0-9a-f]{10,})\\])?') }],
    fields: [
      { group: 'slot', kind: 'count', key: true },
      ...addrFields(),
      { group: 'name', kind: 'text' },
      { group: 'bstart', kind: 'addr', optional: true },
      { group: 'bend', kind: 'addr', optional: true },
    ],
  },
  // ── setup_log_buf (kernel/printk/printk.c, pr_fmt "printk: "), with log_buf_len= or many CPUs ──
  {
    id: 'printk.log_buf_cpu_max',
    stage: 'log-buf',
    arches: BOTH,
    printk: 'log_buf_add_cpu: pr_info("log_buf_len individual max cpu contribution: %d bytes\\n", __LOG_CPU_MAX_BUF_LEN)',
    variants: [{ re: re('printk: log_buf_len individual max cpu contribution: (?<bytes>\\d+) bytes') }],
    fields: [{ group: 'bytes', kind: 'bytes' }],
  },
  {
    id: 'printk.log_buf_cpu_extra',
    stage: 'log-buf',
    arches: BOTH,
    printk: 'log_buf_add_cpu: pr_info("log_buf_len total cpu_extra contributions: %d bytes\\n", cpu_extra)',
    variants: [{ re: re('printk: log_buf_len total cpu_extra contributions: (?<bytes>\\d+) bytes') }],
    fields: [{ group: 'bytes', kind: 'bytes' }],
  },
  {
    id: 'printk.log_buf_min',
    stage: 'log-buf',
    arches: BOTH,
    printk: 'log_buf_add_cpu: pr_info("log_buf_len min size: %d bytes\\n", __LOG_BUF_LEN)',
    variants: [{ re: re('printk: log_buf_len min size: (?<bytes>\\d+) bytes') }],
    fields: [{ group: 'bytes', kind: 'bytes' }],
  },
  {
    id: 'printk.log_buf_len',
    stage: 'log-buf',
    when: (t) => !t.logBufUsageStats,
    arches: BOTH,
    printk: 'setup_log_buf: pr_info("log_buf_len: %u bytes\\n", log_buf_len)',
    variants: [{ re: re('printk: log_buf_len: (?<bytes>\\d+) bytes') }],
    fields: [{ group: 'bytes', kind: 'bytes' }],
  },
  {
    id: 'printk.log_buf_meta',
    stage: 'log-buf',
    when: (t) => t.logBufUsageStats,
    arches: BOTH,
    printk: 'setup_log_buf → print_log_buf_usage_stats: pr_info("log buffer data + meta data: %u + %zu = %zu bytes\\n")',
    variants: [{ re: re('printk: log buffer data \\+ meta data: (?<data>\\d+) \\+ (?<meta>\\d+) = (?<total>\\d+) bytes') }],
    fields: [{ group: 'data', kind: 'bytes' }, { group: 'meta', kind: 'bytes' }, { group: 'total', kind: 'bytes' }],
  },
  // ── NUMA (arch/x86/mm/numa.c, srat.c, drivers/acpi/numa/srat.c; mm/numa.c on 6.12+) ──
  {
    id: 'numa.srat_cpu',
    stage: 'numa',
    when: (t) => t.sratCpuLineInfo,
    arches: X86_64,
    printk: 'acpi_numa_processor_affinity_init (arch/x86/mm/srat.c): pr_info("SRAT: PXM %u -> APIC 0x%02x -> Node %u\\n") (pr_debug from 6.12: not printed)',
    variants: [{ re: re(`SRAT: PXM (?<pxm>\\d+) -> APIC (?<apic>${H}) -> Node (?<node>\\d+)`) }],
    fields: [
      { group: 'pxm', kind: 'node' },
      { group: 'apic', kind: 'addr' },
      { group: 'node', kind: 'node' },
    ],
  },
  {
    id: 'numa.srat',
    stage: 'numa',
    arches: X86_64,
    printk: 'acpi_numa_memory_affinity_init: pr_info("SRAT: Node %u PXM %u [mem %#010Lx-%#010Lx]%s%s\\n") with pr_fmt "ACPI: "',
    variants: [{ re: re(`ACPI: SRAT: Node (?<node>\\d+) PXM (?<pxm>\\d+) ${range(H)}(?<flags>(?: \\S+)*)`) }],
    fields: [{ group: 'node', kind: 'node', key: true }, { group: 'pxm', kind: 'node' }, ...addrFields(), { group: 'flags', kind: 'text' }],
  },
  {
    id: 'numa.merge',
    stage: 'numa',
    arches: X86_64,
    printk: 'numa_cleanup_meminfo: pr_info("NUMA: Node %d [mem %#010Lx-%#010Lx] + [mem %#010Lx-%#010Lx] -> [mem %#010Lx-%#010Lx]\\n")',
    variants: [
      {
        re: re(`NUMA: Node (?<node>\\d+) ${range(H, 'a_start', 'a_end')} \\+ ${range(H, 'b_start', 'b_end')} -> ${range(H)}`),
      },
    ],
    fields: [
      { group: 'node', kind: 'node', key: true },
      ...addrFields('a_start', 'a_end'),
      ...addrFields('b_start', 'b_end'),
      ...addrFields(),
    ],
  },
  {
    id: 'numa.none',
    stage: 'numa',
    arches: X86_64,
    printk: 'dummy_numa_init: printk(KERN_INFO "%s\\n", numa_off ? "NUMA turned off" : "No NUMA configuration found")',
    variants: [{ re: re('No NUMA configuration found') }, { re: re('NUMA turned off') }],
    fields: [],
  },
  {
    id: 'numa.fake',
    stage: 'numa',
    arches: X86_64,
    printk: 'dummy_numa_init: pr_info("Faking a node at [mem %#018Lx-%#018Lx]\\n")',
    variants: [{ re: re(`Faking a node at ${range(H16)}`) }],
    fields: addrFields(),
  },
  {
    id: 'numa.fake_legacy',
    stage: 'numa',
    when: (t) => t.legacy.x8664BootmemLines,
    arches: X86_64,
    printk: 'numa_initmem_init (arch/x86_64/mm/numa.c, 2.6.11): printk(KERN_INFO "Faking a node at %016lx-%016lx\\n")',
    variants: [{ re: re('Faking a node at (?<start>[0-9a-f]{16})-(?<end>[0-9a-f]{16})') }],
    fields: addrFields(),
  },
  {
    id: 'numa.bootmem_setup_legacy',
    stage: 'numa',
    when: (t) => t.legacy.x8664BootmemLines,
    arches: X86_64,
    printk: 'setup_node_bootmem (arch/x86_64/mm/numa.c, 2.6.11): printk("Bootmem setup node %d %016lx-%016lx\\n")',
    variants: [{ re: re('Bootmem setup node (?<node>\\d+) (?<start>[0-9a-f]{16})-(?<end>[0-9a-f]{16})') }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields()],
  },
  {
    id: 'numa.fake_node',
    stage: 'numa',
    arches: X86_64,
    printk: 'emu_setup_memblk (numa=fake=): printk(KERN_INFO "Faking node %d at [mem %#018Lx-%#018Lx] (%LuMB)\\n")',
    variants: [{ re: re(`Faking node (?<node>\\d+) at ${range(H16)} \\((?<mb>\\d+)MB\\)`) }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields(), { group: 'mb', kind: 'mbytes' }],
  },
  {
    id: 'node_data',
    stage: 'numa',
    arches: X86_64,
    printk: 'alloc_node_data: pr_info("NODE_DATA(%d) allocated [mem %#010Lx-%#010Lx]\\n") (6.1 page-rounded; 6.12 sizeof(pg_data_t))',
    variants: [{ re: re(`NODE_DATA\\((?<node>\\d+)\\) allocated ${range(H)}`) }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields()],
  },
  {
    id: 'node_data.on_node',
    stage: 'numa',
    arches: X86_64,
    printk: 'alloc_node_data: printk(KERN_INFO "    NODE_DATA(%d) on node %d\\n") (6.12+ pr_info), when memblock fell back to another node',
    variants: [{ re: re('    NODE_DATA\\((?<node>\\d+)\\) on node (?<on>\\d+)') }],
    fields: [{ group: 'node', kind: 'node', key: true }, { group: 'on', kind: 'node' }],
  },
  // ── CMA (kernel/dma/contiguous.c, mm/cma.c; CONFIG_DMA_CMA: 7.2) ──────────────
  {
    id: 'cma.reserved',
    stage: 'setup_arch',
    // every series that builds CONFIG_DMA_CMA prints it (of the builds read, 7.2 only): a config cut, not a version cut
    arches: X86_64,
    printk: 'cma_declare_contiguous_nid: pr_info("Reserved %ld MiB at %pa\\n") with pr_fmt "cma: "',
    variants: [{ re: re(`cma: Reserved (?<size>\\d+) MiB at (?<base>${H16})`) }],
    fields: [{ group: 'size', kind: 'mbytes' }, { group: 'base', kind: 'addr' }],
  },
  // ── crash kernel (arch/x86/kernel/setup.c ≤ 6.1; kernel/crash_reserve.c 6.12+) ──
  {
    id: 'crashkernel.low_1m',
    stage: 'memblock',
    // gone with "x86/setup: always reserve the first 1M of RAM" (5.13), as earlyReserveMemory
    when: (t) => !t.earlyReserveMemory,
    arches: BOTH,
    printk: 'crash_reserve_low_1M (arch/x86/kernel/crash.c, from reserve_real_mode): pr_info("Reserving the low 1M of memory for crashkernel\\n") with pr_fmt "kexec: "',
    variants: [{ re: re('kexec: Reserving the low 1M of memory for crashkernel') }],
    fields: [],
  },
  {
    id: 'crashkernel.reserved',
    stage: 'setup_arch',
    when: (t) => t.crashkernel === 'x86',
    arches: BOTH,
    printk: 'reserve_crashkernel: pr_info("Reserving %ldMB of memory at %ldMB for crashkernel (System RAM: %ldMB)\\n")',
    variants: [{ re: re('Reserving (?<size>\\d+)MB of memory at (?<base>\\d+)MB for crashkernel \\(System RAM: (?<ram>\\d+)MB\\)') }],
    fields: [{ group: 'size', kind: 'mbytes' }, { group: 'base', kind: 'mbytes' }, { group: 'ram', kind: 'mbytes' }],
  },
  {
    id: 'crashkernel.low',
    stage: 'setup_arch',
    when: (t) => t.crashkernel === 'x86',
    arches: X86_64,
    printk: 'reserve_crashkernel_low: pr_info("Reserving %ldMB of low memory at %ldMB for crashkernel (low RAM limit: %ldMB)\\n")',
    variants: [{ re: re('Reserving (?<size>\\d+)MB of low memory at (?<base>\\d+)MB for crashkernel \\(low RAM limit: (?<limit>\\d+)MB\\)') }],
    fields: [{ group: 'size', kind: 'mbytes' }, { group: 'base', kind: 'mbytes' }, { group: 'limit', kind: 'mbytes' }],
  },
  {
    id: 'crashkernel.failed',
    stage: 'setup_arch',
    arches: BOTH,
    printk: 'reserve_crashkernel (≤ 6.1): pr_info("crashkernel reservation failed - No suitable area found.\\n" / "… - memory is in use.\\n"); reserve_crashkernel_generic (6.12+): pr_warn("crashkernel reservation failed - memory is in use.\\n" / "cannot allocate crashkernel (size:0x%llx)\\n")',
    variants: [
      { when: (t) => t.crashkernel === 'x86', re: re('crashkernel reservation failed - (?<why>No suitable area found|memory is in use)\\.') },
      { when: (t) => t.crashkernel === 'generic', re: re('crashkernel reservation failed - (?<why>memory is in use)\\.') },
      { when: (t) => t.crashkernel === 'generic', re: re('cannot allocate crashkernel \\(size:0x(?<size>[0-9a-f]+)\\)') },
    ],
    fields: [{ group: 'why', kind: 'text', optional: true }, { group: 'size', kind: 'text', optional: true }],
  },
  {
    id: 'crashkernel.reserved_generic',
    stage: 'setup_arch',
    when: (t) => t.crashkernel === 'generic',
    arches: BOTH,
    printk: 'reserve_crashkernel_generic: pr_info("crashkernel reserved: 0x%016llx - 0x%016llx (%lld MB)\\n")',
    variants: [{ re: re('crashkernel reserved: 0x(?<start>[0-9a-f]{16}) - 0x(?<end>[0-9a-f]{16}) \\((?<size>\\d+) MB\\)') }],
    fields: [...addrFields(), { group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'crashkernel.low_generic',
    stage: 'setup_arch',
    when: (t) => t.crashkernel === 'generic',
    arches: X86_64,
    printk: 'reserve_crashkernel_low: pr_info("crashkernel low memory reserved: 0x%08llx - 0x%08llx (%lld MB)\\n")',
    variants: [{ re: re('crashkernel low memory reserved: 0x(?<start>[0-9a-f]{8,}) - 0x(?<end>[0-9a-f]{8,}) \\((?<size>\\d+) MB\\)') }],
    fields: [...addrFields(), { group: 'size', kind: 'mbytes' }],
  },
  // ── zones (mm/page_alloc.c free_area_init; mm/mm_init.c on 6.12+) ──────────
  {
    id: 'zones.header',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init: pr_info("Zone ranges:\\n")',
    variants: [{ re: re('Zone ranges:') }],
    fields: [],
  },
  {
    id: 'zones.range',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init: pr_info("  %-8s ", zone_names[i]) then "[mem %#018Llx-%#018Llx]\\n" or "empty\\n"',
    variants: [{ re: re(`  (?<zone>[A-Za-z0-9]+) +(?:\\[mem (?<start>${H16})-(?<end>${H16})\\]|(?<state>empty))`) }],
    fields: [
      { group: 'zone', kind: 'text', key: true },
      { group: 'start', kind: 'addr', optional: true },
      { group: 'end', kind: 'addr', optional: true },
      { group: 'state', kind: 'text', optional: true },
    ],
  },
  {
    id: 'zones.pfn_header',
    stage: 'zones',
    when: (t) => t.legacy.zonePfnRanges,
    arches: BOTH,
    printk: 'free_area_init_nodes (3.0.1): printk("Zone PFN ranges:\\n")',
    variants: [{ re: re('Zone PFN ranges:') }],
    fields: [],
  },
  {
    id: 'zones.pfn_range',
    stage: 'zones',
    when: (t) => t.legacy.zonePfnRanges,
    arches: BOTH,
    printk: 'free_area_init_nodes (3.0.1): printk("  %-8s ", zone_names[i]) then "%0#10lx -> %0#10lx\\n" ("empty\\n" is the zones.range line, the same text in every series)',
    variants: [{ re: re(`  (?<zone>[A-Za-z0-9]+) +(?<start>${H}) -> (?<end>${H})`) }],
    fields: [
      { group: 'zone', kind: 'text', key: true },
      { group: 'start', kind: 'pfn' },
      { group: 'end', kind: 'pfn' },
    ],
  },
  {
    id: 'zones.movable_pfn_header',
    stage: 'zones',
    when: (t) => t.legacy.zonePfnRanges,
    arches: BOTH,
    printk: 'free_area_init_nodes (3.0.1): printk("Movable zone start PFN for each node\\n")',
    variants: [{ re: re('Movable zone start PFN for each node') }],
    fields: [],
  },
  {
    id: 'zones.early_node_map',
    stage: 'zones',
    when: (t) => t.legacy.zonePfnRanges,
    arches: BOTH,
    printk: 'free_area_init_nodes (3.0.1): printk("early_node_map[%d] active PFN ranges\\n", nr_nodemap_entries)',
    variants: [{ re: re('early_node_map\\[(?<entries>\\d+)\\] active PFN ranges') }],
    fields: [{ group: 'entries', kind: 'count' }],
  },
  {
    id: 'zones.early_node_range',
    stage: 'zones',
    when: (t) => t.legacy.zonePfnRanges,
    arches: BOTH,
    printk: 'free_area_init_nodes (3.0.1): printk("  %3d: %0#10lx -> %0#10lx\\n", nid, start_pfn, end_pfn)',
    variants: [{ re: re(`  +(?<node>\\d+): (?<start>${H}) -> (?<end>${H})`) }],
    fields: [{ group: 'node', kind: 'node' }, { group: 'start', kind: 'pfn' }, { group: 'end', kind: 'pfn' }],
  },
  {
    id: 'zones.node_mem_map_legacy',
    stage: 'zones',
    when: (t) => t.legacy.memInitLegacy,
    arches: I386,
    printk: 'free_area_init_node (mm/page_alloc.c, 2.6.34, FLAT_NODE_MEM_MAP): printk(KERN_DEBUG "free_area_init_node: node %d, pgdat %08lx, node_mem_map %08lx\\n") — 3.0.1 prints it too; modelled for 2.6.34 only (the 3.0.1 mem_map comes from memblock: goldens/divergences.yaml)',
    variants: [{ re: re('free_area_init_node: node (?<node>\\d+), pgdat (?<pgdat>[0-9a-f]{8}), node_mem_map (?<mem_map>[0-9a-f]{8})') }],
    fields: [{ group: 'node', kind: 'node', key: true }, { group: 'pgdat', kind: 'addr' }, { group: 'mem_map', kind: 'addr' }],
  },
  {
    id: 'zones.movable_header',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init: pr_info("Movable zone start for each node\\n")',
    variants: [{ re: re('Movable zone start for each node') }],
    fields: [],
  },
  {
    id: 'zones.movable_node',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init: pr_info("  Node %d: %#018Lx\\n") for each node with a zone_movable_pfn (kernelcore=/movablecore=)',
    variants: [{ re: re(`  Node (?<node>\\d+): (?<start>${H16})`) }],
    fields: [
      { group: 'node', kind: 'node', key: true },
      { group: 'start', kind: 'addr' },
    ],
  },
  {
    id: 'zones.early_header',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init: pr_info("Early memory node ranges\\n")',
    variants: [{ re: re('Early memory node ranges') }],
    fields: [],
  },
  {
    id: 'zones.node_range',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init: pr_info("  node %3d: [mem %#018Lx-%#018Lx]\\n")',
    variants: [{ re: re(`  node +(?<node>\\d+): ${range(H16)}`) }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields()],
  },
  {
    id: 'zones.initmem',
    stage: 'zones',
    arches: BOTH,
    printk: 'free_area_init_node: pr_info("Initmem setup node %d [mem %#018Lx-%#018Lx]\\n")',
    variants: [{ re: re(`Initmem setup node (?<node>\\d+) ${range(H16)}`) }],
    fields: [{ group: 'node', kind: 'node', key: true }, ...addrFields()],
  },
  {
    id: 'zones.memoryless_init',
    stage: 'zones',
    when: (t) => t.memorylessNodes === 'initializing',
    arches: X86_64,
    printk: 'free_area_init: pr_info("Initializing node %d as memoryless\\n") (6.1; 6.12+ alloc_offline_node_data() is silent)',
    variants: [{ re: re('Initializing node (?<node>\\d+) as memoryless') }],
    fields: [{ group: 'node', kind: 'node', key: true }],
  },
  {
    id: 'zones.initmem_memoryless',
    stage: 'zones',
    when: (t) => t.memorylessNodes !== 'init_cpu_to_node',
    arches: X86_64,
    printk: 'free_area_init_node: pr_info("Initmem setup node %d as memoryless\\n") (5.10 prints the [mem 0-0] form)',
    variants: [{ re: re('Initmem setup node (?<node>\\d+) as memoryless') }],
    fields: [{ group: 'node', kind: 'node', key: true }],
  },
  {
    id: 'zones.totalpages',
    stage: 'zones',
    when: (t) => t.zoneDebugLines,
    arches: BOTH,
    printk: 'calculate_node_totalpages (5.10): printk(KERN_DEBUG "On node %d totalpages: %lu\\n")',
    variants: [{ re: re('On node (?<node>\\d+) totalpages: (?<pages>\\d+)') }],
    fields: [
      { group: 'node', kind: 'node', key: true },
      { group: 'pages', kind: 'pages' },
    ],
  },
  {
    id: 'zones.memmap',
    stage: 'zones',
    when: (t) => t.zoneDebugLines,
    arches: BOTH,
    printk: 'free_area_init_core (5.10): printk(KERN_DEBUG "  %s zone: %lu pages used for memmap\\n")',
    variants: [{ re: re('  (?<zone>[A-Za-z0-9]+) zone: (?<pages>\\d+) pages used for memmap') }],
    fields: [
      { group: 'zone', kind: 'text', key: true },
      { group: 'pages', kind: 'pages' },
    ],
  },
  {
    id: 'zones.dma_reserved',
    stage: 'zones',
    when: (t) => t.zoneDebugLines,
    arches: BOTH,
    printk: 'free_area_init_core (5.10): printk(KERN_DEBUG "  %s zone: %lu pages reserved\\n") (dma_reserve)',
    variants: [{ re: re('  (?<zone>[A-Za-z0-9]+) zone: (?<pages>\\d+) pages reserved') }],
    fields: [
      { group: 'zone', kind: 'text', key: true },
      { group: 'pages', kind: 'pages' },
    ],
  },
  {
    id: 'zones.batch',
    stage: 'zones',
    when: (t) => t.zoneDebugLines,
    arches: BOTH,
    printk: 'free_area_init_core (5.10): printk(KERN_DEBUG "  %s zone: %lu pages, LIFO batch:%u\\n")',
    variants: [{ re: re('  (?<zone>[A-Za-z0-9]+) zone: (?<pages>\\d+) pages, LIFO batch:(?<batch>\\d+)') }],
    fields: [
      { group: 'zone', kind: 'text', key: true },
      { group: 'pages', kind: 'pages' },
      { group: 'batch', kind: 'count' },
    ],
  },
  {
    id: 'zones.unavailable',
    stage: 'zones',
    arches: BOTH,
    printk: 'init_unavailable_range: pr_info("On node %d, zone %s: %lld pages in unavailable ranges\\n")',
    variants: [{ re: re('On node (?<node>\\d+), zone (?<zone>[A-Za-z0-9]+): (?<pages>\\d+) pages in unavailable ranges') }],
    fields: [
      { group: 'node', kind: 'node', key: true },
      { group: 'zone', kind: 'text', key: true },
      { group: 'pages', kind: 'pages' },
    ],
  },
  // ── after ACPI MADT: possible CPUs, nosave regions, the PCI gap ────────────
  {
    id: 'smp.apic_limit',
    stage: 'setup_arch',
    when: (t) => t.possibleCpusStyle === 'smpboot',
    arches: BOTH,
    printk: 'generic_processor_info (arch/x86/kernel/apic/apic.c): pr_warn("APIC: NR_CPUS/possible_cpus limit of %i reached. Processor %d/0x%x ignored.\\n", max, thiscpu, apicid) for each MADT LAPIC past nr_cpu_ids',
    variants: [{ re: re('APIC: NR_CPUS/possible_cpus limit of (?<limit>\\d+) reached\\. Processor (?<cpu>\\d+)/0x(?<apicid>[0-9a-f]+) ignored\\.') }],
    fields: [
      { group: 'limit', kind: 'count' },
      { group: 'cpu', kind: 'count', key: true },
      { group: 'apicid', kind: 'text' },
    ],
  },
  {
    id: 'topo.limiting',
    stage: 'setup_arch',
    when: (t) => t.possibleCpusStyle === 'cpu-topo',
    arches: BOTH,
    printk: 'topology_apply_cmdline_limits_early (arch/x86/kernel/cpu/topology.c): pr_info("Limiting to %u possible CPUs\\n") with pr_fmt "CPU topo: " (nosmp, maxcpus=0, possible_cpus= below nr_cpu_ids)',
    variants: [{ re: re('CPU topo: Limiting to (?<cpus>\\d+) possible CPUs') }],
    fields: [{ group: 'cpus', kind: 'count' }],
  },
  {
    id: 'topo.cpu_limit',
    stage: 'setup_arch',
    when: (t) => t.possibleCpusStyle === 'cpu-topo',
    arches: BOTH,
    printk: 'topology_register_apic (arch/x86/kernel/cpu/topology.c): pr_warn_once("CPU limit of %d reached. Ignoring further CPUs\\n", nr_cpu_ids) with pr_fmt "CPU topo: "',
    variants: [{ re: re('CPU topo: CPU limit of (?<limit>\\d+) reached\\. Ignoring further CPUs') }],
    fields: [{ group: 'limit', kind: 'count' }],
  },
  {
    id: 'smp.nr_cpus_limit',
    stage: 'setup_arch',
    when: (t) => t.possibleCpusStyle === 'smpboot',
    arches: BOTH,
    printk: 'prefill_possible_map (arch/x86/kernel/smpboot.c): pr_warn("%d Processors exceeds NR_CPUS limit of %u\\n", possible, nr_cpu_ids) with pr_fmt "smpboot: "',
    variants: [{ re: re('smpboot: (?<cpus>\\d+) Processors exceeds NR_CPUS limit of (?<limit>\\d+)') }],
    fields: [
      { group: 'cpus', kind: 'count' },
      { group: 'limit', kind: 'count' },
    ],
  },
  {
    id: 'smp.max_cpus_limit',
    stage: 'setup_arch',
    when: (t) => t.possibleCpusStyle === 'smpboot',
    arches: BOTH,
    printk: 'prefill_possible_map (arch/x86/kernel/smpboot.c): pr_warn("%d Processors exceeds max_cpus limit of %u\\n", possible, setup_max_cpus) with pr_fmt "smpboot: " (nosmp, maxcpus=0)',
    variants: [{ re: re('smpboot: (?<cpus>\\d+) Processors exceeds max_cpus limit of (?<limit>\\d+)') }],
    fields: [
      { group: 'cpus', kind: 'count' },
      { group: 'limit', kind: 'count' },
    ],
  },
  {
    id: 'smp.possible',
    stage: 'setup_arch',
    arches: BOTH,
    printk:
      'prefill_possible_map: pr_info("Allowing %d CPUs, %d hotplug CPUs\\n") with pr_fmt "smpboot: " (≤ 6.1); topology_init_possible_cpus: pr_info("Allowing %u present CPUs plus %u hotplug CPUs\\n") with pr_fmt "CPU topo: " (≥ 6.12)',
    variants: [
      { when: (t) => t.possibleCpusStyle === 'smpboot', re: re('smpboot: Allowing (?<cpus>\\d+) CPUs, (?<hotplug>\\d+) hotplug CPUs') },
      { when: (t) => t.possibleCpusStyle === 'cpu-topo', re: re('CPU topo: Allowing (?<cpus>\\d+) present CPUs plus (?<hotplug>\\d+) hotplug CPUs') },
    ],
    fields: [
      { group: 'cpus', kind: 'count' },
      { group: 'hotplug', kind: 'count' },
    ],
  },
  {
    id: 'topo.rejected',
    stage: 'setup_arch',
    when: (t) => t.possibleCpusStyle === 'cpu-topo',
    arches: BOTH,
    printk: 'topology_init_possible_cpus (arch/x86/kernel/cpu/topology.c): pr_info("Rejected CPUs %u\\n", topo_info.nr_rejected_cpus) with pr_fmt "CPU topo: "',
    variants: [{ re: re('CPU topo: Rejected CPUs (?<cpus>\\d+)') }],
    fields: [{ group: 'cpus', kind: 'count' }],
  },
  {
    id: 'pm.nosave',
    stage: 'e820',
    arches: BOTH,
    printk: 'register_nosave_region (kernel/power/snapshot.c): pr_debug/pr_info("Registered nosave memory: [mem %#010llx-%#010llx]\\n") with pr_fmt "PM: hibernation: ", from e820__register_nosave_regions',
    variants: [{ re: re(`PM: hibernation: Registered nosave memory: ${range(H)}`) }],
    fields: addrFields(),
  },
  {
    id: 'pci.gap',
    stage: 'e820',
    arches: BOTH,
    printk: 'e820__setup_pci_gap: pr_info("[mem %#010lx-%#010lx] available for PCI devices\\n") (7.2: "[gap …]")',
    variants: [
      { when: (t) => t.e820Style === 'classic', re: re(`${range(H)} available for PCI devices`) },
      { when: (t) => t.e820Style === 'named', re: re(`\\[gap (?<start>${H})-(?<end>${H})\\] available for PCI devices`) },
    ],
    fields: addrFields(),
  },
  {
    id: 'pci.gap_legacy',
    stage: 'e820',
    when: (t) => t.e820Style === 'legacy',
    arches: BOTH,
    printk: 'e820_setup_gap (3.0.1): printk(KERN_INFO "Allocating PCI resources starting at %lx (gap: %lx:%lx)\\n")',
    variants: [{ re: re('Allocating PCI resources starting at (?<start>[0-9a-f]+) \\(gap: (?<gap>[0-9a-f]+):(?<size>[0-9a-f]+)\\)') }],
    fields: [{ group: 'start', kind: 'addr' }, { group: 'gap', kind: 'addr' }, { group: 'size', kind: 'addr' }],
  },
  // ── percpu (arch/x86/kernel/setup_percpu.c, mm/percpu.c) ───────────────────
  {
    id: 'percpu.setup',
    stage: 'percpu',
    arches: BOTH,
    printk: 'setup_per_cpu_areas: pr_info("NR_CPUS:%d nr_cpumask_bits:%d nr_cpu_ids:%u nr_node_ids:%u\\n") with pr_fmt "setup_percpu: "',
    variants: [
      {
        re: re(
          'setup_percpu: NR_CPUS:(?<nr_cpus>\\d+) nr_cpumask_bits:(?<nr_cpumask_bits>\\d+) nr_cpu_ids:(?<nr_cpu_ids>\\d+) nr_node_ids:(?<nr_node_ids>\\d+)',
        ),
      },
    ],
    fields: [
      { group: 'nr_cpus', kind: 'count' },
      { group: 'nr_cpumask_bits', kind: 'count' },
      { group: 'nr_cpu_ids', kind: 'count' },
      { group: 'nr_node_ids', kind: 'count' },
    ],
  },
  {
    id: 'percpu.fallback',
    stage: 'percpu',
    arches: X86_64,
    printk: 'setup_per_cpu_areas (arch/x86/kernel/setup_percpu.c): pr_warn("%s allocator failed (%d), falling back to page size\\n", pcpu_fc_names[pcpu_chosen_fc], rc) with pr_fmt "setup_percpu: ", when pcpu_embed_first_chunk() returns -ENOMEM (a group\'s pcpu_fc_alloc found no room)',
    variants: [{ re: re('setup_percpu: (?<fc>auto|embed) allocator failed \\((?<rc>-\\d+)\\), falling back to page size') }],
    fields: [
      { group: 'fc', kind: 'text' },
      { group: 'rc', kind: 'text' },
    ],
  },
  {
    id: 'percpu.embedded',
    stage: 'percpu',
    arches: BOTH,
    printk: 'pcpu_embed_first_chunk: pr_info("Embedded %zu pages/cpu s%zu r%zu d%zu u%zu\\n") with pr_fmt "percpu: "',
    variants: [{ re: re('percpu: Embedded (?<pages>\\d+) pages/cpu s(?<static>\\d+) r(?<reserved>\\d+) d(?<dynamic>\\d+) u(?<unit>\\d+)') }],
    fields: [
      { group: 'pages', kind: 'pages' },
      { group: 'static', kind: 'bytes' },
      { group: 'reserved', kind: 'bytes' },
      { group: 'dynamic', kind: 'bytes' },
      { group: 'unit', kind: 'bytes' },
    ],
  },
  {
    id: 'percpu.page',
    stage: 'percpu',
    arches: BOTH,
    printk: 'pcpu_page_first_chunk: pr_info("%d %s pages/cpu s%zu r%zu d%zu\\n") with pr_fmt "percpu: " and psize_str "4K" (percpu_alloc=page)',
    variants: [{ re: re('percpu: (?<pages>\\d+) 4K pages/cpu s(?<static>\\d+) r(?<reserved>\\d+) d(?<dynamic>\\d+)') }],
    fields: [
      { group: 'pages', kind: 'pages' },
      { group: 'static', kind: 'bytes' },
      { group: 'reserved', kind: 'bytes' },
      { group: 'dynamic', kind: 'bytes' },
    ],
  },
  {
    id: 'percpu.alloc',
    stage: 'percpu',
    arches: BOTH,
    printk: 'pcpu_dump_alloc_info: printk("%spcpu-alloc: s%zu r%zu d%zu u%zu alloc=%zu*%zu")',
    variants: [
      { re: re('pcpu-alloc: s(?<static>\\d+) r(?<reserved>\\d+) d(?<dynamic>\\d+) u(?<unit>\\d+) alloc=(?<units>\\d+)\\*(?<atom>\\d+)') },
    ],
    fields: [
      { group: 'static', kind: 'bytes' },
      { group: 'reserved', kind: 'bytes' },
      { group: 'dynamic', kind: 'bytes' },
      { group: 'unit', kind: 'bytes' },
      { group: 'units', kind: 'count' },
      { group: 'atom', kind: 'bytes' },
    ],
  },
  {
    id: 'percpu.map',
    stage: 'percpu',
    arches: BOTH,
    printk: 'pcpu_dump_alloc_info: "pcpu-alloc: " then "[%0*d] " per group and "%0*d " per unit, or empty_str (cpu_width dashes) for a unit with no CPU (trailing space kept)',
    variants: [{ re: re('pcpu-alloc: (?<groups>(?:\\[\\d+\\] (?:(?:\\d+|-+) )+)+)') }],
    fields: [{ group: 'groups', kind: 'text' }],
  },
  // ── zonelists (mm/page_alloc.c build_all_zonelists) ────────────────────────
  {
    id: 'zonelists.fallback',
    stage: 'zonelists',
    when: (t) => t.zonelists.printsFallback,
    arches: X86_64,
    printk: 'build_zonelists: pr_info("Fallback order for Node %d: ") then pr_cont("%d ") per node (NUMA kernels; upstream 5.12: sim/traits.ts zonelists.printsFallback)',
    variants: [{ re: re('Fallback order for Node (?<node>\\d+): (?<order>(?:\\d+ )+)') }],
    fields: [
      { group: 'node', kind: 'node', key: true },
      { group: 'order', kind: 'text' },
    ],
  },
  {
    id: 'zonelists.built',
    stage: 'zonelists',
    when: (t) => !t.legacy.zonelistOrder,
    arches: BOTH,
    printk: 'build_all_zonelists: pr_info("Built %u zonelists, mobility grouping %s.  Total pages: %ld\\n")',
    variants: [{ re: re('Built (?<zonelists>\\d+) zonelists, mobility grouping (?<grouping>on|off)\\.  Total pages: (?<total>\\d+)') }],
    fields: [
      { group: 'zonelists', kind: 'count' },
      { group: 'grouping', kind: 'text' },
      { group: 'total', kind: 'pages' },
    ],
  },
  {
    id: 'zonelists.built_legacy',
    stage: 'zonelists',
    when: (t) => t.legacy.zonelistOrder && !t.legacy.zonelistsCountOnly,
    arches: BOTH,
    printk: 'build_all_zonelists (3.0.1): printk("Built %i zonelists in %s order, mobility grouping %s.  Total pages: %ld\\n")',
    variants: [{ re: re('Built (?<zonelists>\\d+) zonelists in (?<order>Zone|Node) order, mobility grouping (?<grouping>on|off)\\.  Total pages: (?<total>\\d+)') }],
    fields: [
      { group: 'zonelists', kind: 'count' },
      { group: 'order', kind: 'text' },
      { group: 'grouping', kind: 'text' },
      { group: 'total', kind: 'pages' },
    ],
  },
  {
    id: 'zonelists.built_count',
    stage: 'zonelists',
    when: (t) => t.legacy.zonelistsCountOnly,
    arches: BOTH,
    printk: 'build_all_zonelists (2.6.11): printk("Built %i zonelists\\n", num_online_nodes())',
    variants: [{ re: re('Built (?<zonelists>\\d+) zonelists') }],
    fields: [{ group: 'zonelists', kind: 'count' }],
  },
  {
    id: 'zonelists.policy',
    stage: 'zonelists',
    arches: X86_64,
    printk: 'build_all_zonelists (CONFIG_NUMA): pr_info("Policy zone: %s\\n")',
    variants: [{ re: re('Policy zone: (?<zone>[A-Za-z0-9]+)') }],
    fields: [{ group: 'zone', kind: 'text' }],
  },
  // ── command line (arch/x86/kernel/setup.c, init/main.c) ────────────────────
  {
    id: 'cmdline.x86',
    stage: 'cmdline',
    arches: X86_64,
    printk: 'setup_arch (X86_64): pr_info("Command line: %s\\n", boot_command_line) — before the window',
    variants: [{ re: re('Command line: (?<cmdline>.*)') }],
    fields: [{ group: 'cmdline', kind: 'text' }],
  },
  {
    id: 'cmdline.kernel',
    stage: 'cmdline',
    arches: BOTH,
    printk: 'start_kernel / print_kernel_cmdline: pr_notice("Kernel command line: %s\\n")',
    variants: [{ re: re('Kernel command line: (?<cmdline>.*)') }],
    fields: [{ group: 'cmdline', kind: 'text' }],
  },
  {
    id: 'cmdline.unknown',
    stage: 'cmdline',
    when: (t) => t.printsUnknownBootoptions,
    arches: BOTH,
    printk: 'print_unknown_bootoptions: pr_notice("Unknown kernel command line parameters \\"%s\\", will be passed to user space.\\n") (upstream 5.15: sim/traits.ts printsUnknownBootoptions)',
    variants: [{ re: re('Unknown kernel command line parameters "(?<params>.*)", will be passed to user space\\.') }],
    fields: [{ group: 'params', kind: 'text' }],
  },
  // ── hashes (fs/dcache.c, fs/inode.c via alloc_large_system_hash) ────────────
  {
    id: 'hash.dentry',
    stage: 'hashes',
    when: (t) => !t.legacy.hashNoAllocKind,
    arches: BOTH,
    printk:
      'alloc_large_system_hash: pr_info("%s hash table entries: %ld (order: %d, %lu bytes, %s)\\n") for "Dentry cache"; later (vmalloc) under hashdist',
    variants: [
      { re: re('Dentry cache hash table entries: (?<entries>\\d+) \\(order: (?<order>-?\\d+), (?<bytes>\\d+) bytes, (?<alloc>[a-z ]+)\\)') },
    ],
    fields: [
      { group: 'entries', kind: 'count' },
      { group: 'order', kind: 'count' },
      { group: 'bytes', kind: 'bytes' },
      { group: 'alloc', kind: 'text' },
    ],
  },
  {
    id: 'hash.inode',
    stage: 'hashes',
    when: (t) => !t.legacy.hashNoAllocKind,
    arches: BOTH,
    printk: 'alloc_large_system_hash: as hash.dentry, for "Inode-cache"',
    variants: [
      { re: re('Inode-cache hash table entries: (?<entries>\\d+) \\(order: (?<order>-?\\d+), (?<bytes>\\d+) bytes, (?<alloc>[a-z ]+)\\)') },
    ],
    fields: [
      { group: 'entries', kind: 'count' },
      { group: 'order', kind: 'count' },
      { group: 'bytes', kind: 'bytes' },
      { group: 'alloc', kind: 'text' },
    ],
  },
  {
    id: 'hash.pid',
    stage: 'hashes',
    when: (t) => t.legacy.hashNoAllocKind,
    arches: BOTH,
    printk: 'alloc_large_system_hash (3.0.1) from kernel/pid.c pidhash_init: printk(KERN_INFO "%s hash table entries: %ld (order: %d, %lu bytes)\\n")',
    variants: [{ re: re('PID hash table entries: (?<entries>\\d+) \\(order: (?<order>-?\\d+), (?<bytes>\\d+) bytes\\)') }],
    fields: [
      { group: 'entries', kind: 'count' },
      { group: 'order', kind: 'count' },
      { group: 'bytes', kind: 'bytes' },
    ],
  },
  {
    id: 'hash.dentry_legacy',
    stage: 'hashes',
    when: (t) => t.legacy.hashNoAllocKind,
    arches: BOTH,
    printk: 'alloc_large_system_hash (3.0.1) from fs/dcache.c dcache_init_early: printk(KERN_INFO "%s hash table entries: %ld (order: %d, %lu bytes)\\n")',
    variants: [{ re: re('Dentry cache hash table entries: (?<entries>\\d+) \\(order: (?<order>-?\\d+), (?<bytes>\\d+) bytes\\)') }],
    fields: [
      { group: 'entries', kind: 'count' },
      { group: 'order', kind: 'count' },
      { group: 'bytes', kind: 'bytes' },
    ],
  },
  {
    id: 'hash.inode_legacy',
    stage: 'hashes',
    when: (t) => t.legacy.hashNoAllocKind,
    arches: BOTH,
    printk: 'alloc_large_system_hash (3.0.1) from fs/inode.c inode_init_early: printk(KERN_INFO "%s hash table entries: %ld (order: %d, %lu bytes)\\n")',
    variants: [{ re: re('Inode-cache hash table entries: (?<entries>\\d+) \\(order: (?<order>-?\\d+), (?<bytes>\\d+) bytes\\)') }],
    fields: [
      { group: 'entries', kind: 'count' },
      { group: 'order', kind: 'count' },
      { group: 'bytes', kind: 'bytes' },
    ],
  },
  // ── mm_core_init / mem_init (mm/page_alloc.c, mm/mm_init.c, arch/x86/mm) ────
  {
    id: 'mem.auto_init',
    stage: 'mem-init',
    arches: BOTH,
    printk: 'report_meminit: pr_info("mem auto-init: stack:%s, heap alloc:%s, heap free:%s\\n")',
    variants: [{ re: re('mem auto-init: stack:(?<stack>[^,]+), heap alloc:(?<alloc>on|off), heap free:(?<free>on|off)') }],
    fields: [
      { group: 'stack', kind: 'text' },
      { group: 'alloc', kind: 'text' },
      { group: 'free', kind: 'text' },
    ],
  },
  {
    id: 'mem.auto_init_slab_poison',
    stage: 'cmdline',
    arches: BOTH,
    printk: 'setup_slub_debug (mm/slub.c, from parse_args): pr_info("mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free\\n")',
    variants: [{ re: re('mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free') }],
    fields: [],
  },
  {
    id: 'hash.stackdepot',
    stage: 'stackdepot',
    when: (t) => t.stackDepotEarly !== 'none',
    arches: BOTH,
    printk: 'alloc_large_system_hash from stack_depot_early_init (lib/stackdepot.c): pr_info("%s hash table entries: %ld (order: %d, %lu bytes, %s)\\n") for "stackdepot"',
    variants: [{ re: re('stackdepot hash table entries: (?<entries>\\d+) \\(order: (?<order>-?\\d+), (?<bytes>\\d+) bytes, (?<alloc>[a-z ]+)\\)') }],
    fields: [
      { group: 'entries', kind: 'count' },
      { group: 'order', kind: 'count' },
      { group: 'bytes', kind: 'bytes' },
      { group: 'alloc', kind: 'text' },
    ],
  },
  {
    id: 'agp.checking',
    stage: 'mem-init',
    arches: X86_64,
    printk: 'gart_iommu_hole_init (aperture_64.c, via pci_iommu_alloc): pr_info("Checking aperture...\\n") with pr_fmt "AGP: "',
    variants: [{ re: re('AGP: Checking aperture\\.\\.\\.') }],
    fields: [],
  },
  {
    id: 'agp.checking_legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.x8664BootmemLines,
    arches: X86_64,
    printk: 'iommu_hole_init (arch/x86_64/kernel/aperture.c, 2.6.11, from setup_arch): printk("Checking aperture...\\n")',
    variants: [{ re: re('Checking aperture\\.\\.\\.') }],
    fields: [],
  },
  {
    id: 'swiotlb.placing_legacy',
    stage: 'mem-init',
    when: (t) => t.legacy.x8664BootmemLines,
    arches: X86_64,
    printk: 'swiotlb_init_with_default_size (arch/ia64/lib/swiotlb.c, 2.6.11, from x86_64 mem_init): printk(KERN_INFO "Placing software IO TLB between 0x%lx - 0x%lx\\n")',
    variants: [{ re: re('Placing software IO TLB between (?<start>0x[0-9a-f]+) - (?<end>0x[0-9a-f]+)') }],
    fields: addrFields(),
  },
  {
    id: 'swiotlb.area',
    stage: 'mem-init',
    when: (t) => t.mmCore.swiotlbAreas,
    arches: BOTH,
    printk: 'swiotlb_init_remap: pr_info("area num %d.\\n") with pr_fmt "software IO TLB: " (only when swiotlb is set up, RAM above 4G)',
    variants: [{ re: re('software IO TLB: area num (?<areas>\\d+)\\.') }],
    fields: [{ group: 'areas', kind: 'count' }],
  },
  {
    id: 'swiotlb.roundup',
    stage: 'mem-init',
    when: (t) => t.mmCore.swiotlbAreas,
    arches: BOTH,
    printk: 'swiotlb_adjust_nareas → round_up_default_nslabs: pr_info("SWIOTLB bounce buffer size roundup to %luMB") with pr_fmt "software IO TLB: " (no newline; the next record ends it)',
    variants: [{ re: re('software IO TLB: SWIOTLB bounce buffer size roundup to (?<size>\\d+)MB') }],
    fields: [{ group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'swiotlb.mapped',
    stage: 'mem-init',
    arches: BOTH,
    printk: 'swiotlb_print_info: pr_info("mapped [mem %pa-%pa] (%luMB)\\n") with pr_fmt "software IO TLB: " — printed late (pci_swiotlb_late_init)',
    variants: [{ re: re(`software IO TLB: mapped ${range(H16)} \\((?<size>\\d+)MB\\)`) }],
    fields: [...addrFields(), { group: 'size', kind: 'mbytes' }],
  },
  {
    id: 'cpu.init_legacy',
    stage: 'setup_arch',
    when: (t) => t.legacy.cpuInitLine,
    arches: BOTH,
    printk: 'cpu_init (arch/x86/kernel/cpu/common.c, 3.0.1 X86_32, from trap_init; arch/x86_64/kernel/setup64.c, 2.6.11): printk(KERN_INFO "Initializing CPU#%d\\n")',
    variants: [{ re: re('Initializing CPU#(?<cpu>\\d+)') }],
    fields: [{ group: 'cpu', kind: 'count' }],
  },
  {
    id: 'highmem.init',
    stage: 'highmem',
    arches: I386,
    anchor: 'Initializing HighMem for node ',
    printk: 'add_highpages_with_active_regions / set_highmem_pages_init (arch/x86/mm/highmem_32.c): printk(KERN_INFO "Initializing %s for node %d (%08lx:%08lx)\\n")',
    variants: [{ re: re('Initializing (?<zone>HighMem|Movable) for node (?<node>\\d+) \\((?<start_pfn>[0-9a-f]{8,}):(?<end_pfn>[0-9a-f]{8,})\\)') }],
    fields: [
      { group: 'zone', kind: 'text', key: true },
      { group: 'node', kind: 'node', key: true },
      { group: 'start_pfn', kind: 'pfn' },
      { group: 'end_pfn', kind: 'pfn' },
    ],
  },
  {
    id: 'mem.wp_check',
    stage: 'mem-init',
    arches: I386,
    printk: 'test_wp_bit (arch/x86/mm/init_32.c mem_init): printk(KERN_INFO "Checking if this processor honours the WP bit even in supervisor mode...") + "Ok.\\n" (5.10: after Memory:; 6.1: before)',
    variants: [{ re: re('Checking if this processor honours the WP bit even in supervisor mode\\.\\.\\.(?<result>Ok|No)\\.') }],
    fields: [{ group: 'result', kind: 'text' }],
  },
  {
    id: 'mem.summary',
    stage: 'mem-init',
    when: (t) => !t.legacy.memInitLegacy,
    arches: BOTH,
    printk:
      'mem_init_print_info: pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, %luK bss, %luK reserved, %luK cma-reserved%s%luK highmem)\\n") — highmem part on i386 only; after SLUB on ≥ 6.12',
    variants: [
      {
        re: re(
          'Memory: (?<available>\\d+)K/(?<physpages>\\d+)K available \\((?<code>\\d+)K kernel code, (?<rwdata>\\d+)K rwdata, (?<rodata>\\d+)K rodata, (?<init>\\d+)K init, (?<bss>\\d+)K bss, (?<reserved>\\d+)K reserved, (?<cma_reserved>\\d+)K cma-reserved(?:, (?<highmem>\\d+)K highmem)?\\)',
        ),
      },
    ],
    fields: [
      { group: 'available', kind: 'kbytes' },
      { group: 'physpages', kind: 'kbytes' },
      { group: 'code', kind: 'kbytes' },
      { group: 'rwdata', kind: 'kbytes' },
      { group: 'rodata', kind: 'kbytes' },
      { group: 'init', kind: 'kbytes' },
      { group: 'bss', kind: 'kbytes' },
      { group: 'reserved', kind: 'kbytes' },
      { group: 'cma_reserved', kind: 'kbytes' },
      { group: 'highmem', kind: 'kbytes', optional: true },
    ],
  },
  {
    id: 'mem.summary_legacy',
    stage: 'mem-init',
    when: (t) => t.legacy.memInitLegacy,
    arches: I386,
    printk: 'mem_init (arch/x86/mm/init_32.c, 2.6.34): printk(KERN_INFO "Memory: %luk/%luk available (%dk kernel code, %dk reserved, %dk data, %dk init, %ldk highmem)\\n") — 3.0.1 prints the same; modelled for 2.6.34 only (the 3.0.1 reservations are memblock ones: goldens/divergences.yaml)',
    variants: [{ re: re('Memory: (?<available>\\d+)k/(?<physpages>\\d+)k available \\((?<code>\\d+)k kernel code, (?<reserved>\\d+)k reserved, (?<data>\\d+)k data, (?<init>\\d+)k init, (?<highmem>\\d+)k highmem\\)') }],
    fields: [
      { group: 'available', kind: 'kbytes' },
      { group: 'physpages', kind: 'kbytes' },
      { group: 'code', kind: 'kbytes' },
      { group: 'reserved', kind: 'kbytes' },
      { group: 'data', kind: 'kbytes' },
      { group: 'init', kind: 'kbytes' },
      { group: 'highmem', kind: 'kbytes' },
    ],
  },
  {
    id: 'mem.summary_legacy_x86_64',
    stage: 'mem-init',
    when: (t) => t.legacy.x8664BootmemLines,
    arches: X86_64,
    printk: 'mem_init (arch/x86_64/mm/init.c, 2.6.11): printk("Memory: %luk/%luk available (%dk kernel code, %dk reserved, %dk data, %dk init)\\n")',
    variants: [{ re: re('Memory: (?<available>\\d+)k/(?<physpages>\\d+)k available \\((?<code>\\d+)k kernel code, (?<reserved>\\d+)k reserved, (?<data>\\d+)k data, (?<init>\\d+)k init\\)') }],
    fields: [
      { group: 'available', kind: 'kbytes' },
      { group: 'physpages', kind: 'kbytes' },
      { group: 'code', kind: 'kbytes' },
      { group: 'reserved', kind: 'kbytes' },
      { group: 'data', kind: 'kbytes' },
      { group: 'init', kind: 'kbytes' },
    ],
  },
  {
    id: 'mem.layout_header',
    stage: 'mem-init',
    when: (t) => t.legacy.memInitLegacy,
    arches: I386,
    printk: 'mem_init (arch/x86/mm/init_32.c, 3.0.1): printk(KERN_INFO "virtual kernel memory layout:\\n" …) — one printk, one line per region',
    variants: [{ re: re('virtual kernel memory layout:') }],
    fields: [],
  },
  {
    id: 'mem.layout',
    stage: 'mem-init',
    when: (t) => t.legacy.memInitLegacy,
    arches: I386,
    printk: 'mem_init (arch/x86/mm/init_32.c, 3.0.1): "    %s : 0x%08lx - 0x%08lx   (%4ld kB|MB)" for fixmap, pkmap, vmalloc, lowmem, .init, .data, .text',
    variants: [{ re: re('    (?<region>fixmap |pkmap  |vmalloc|lowmem |  \\.init|  \\.data|  \\.text) : 0x(?<start>[0-9a-f]{8}) - 0x(?<end>[0-9a-f]{8})   \\( *(?<size>\\d+) (?<unit>kB|MB)\\)') }],
    fields: [
      { group: 'region', kind: 'text', key: true },
      ...addrFields(),
      { group: 'size', kind: 'count' },
      { group: 'unit', kind: 'text' },
    ],
  },
  // ── SLUB (mm/slub.c kmem_cache_init) ───────────────────────────────────────
  {
    id: 'slub.genslabs',
    stage: 'slub',
    when: (t) => t.legacy.slubGenslabs,
    arches: BOTH,
    printk: 'kmem_cache_init (3.0.1): printk(KERN_INFO "SLUB: Genslabs=%d, HWalign=%d, Order=%d-%d, MinObjects=%d, CPUs=%d, Nodes=%d\\n")',
    variants: [
      {
        re: re(
          'SLUB: Genslabs=(?<genslabs>\\d+), HWalign=(?<hwalign>\\d+), Order=(?<min_order>\\d+)-(?<max_order>\\d+), MinObjects=(?<min_objects>\\d+), CPUs=(?<cpus>\\d+), Nodes=(?<nodes>\\d+)',
        ),
      },
    ],
    fields: [
      { group: 'genslabs', kind: 'count' },
      { group: 'hwalign', kind: 'bytes' },
      { group: 'min_order', kind: 'count' },
      { group: 'max_order', kind: 'count' },
      { group: 'min_objects', kind: 'count' },
      { group: 'cpus', kind: 'count' },
      { group: 'nodes', kind: 'count' },
    ],
  },
  {
    id: 'slub',
    stage: 'slub',
    when: (t) => !t.legacy.slubGenslabs,
    arches: BOTH,
    printk: 'kmem_cache_init: pr_info("SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u\\n")',
    variants: [
      {
        re: re(
          'SLUB: HWalign=(?<hwalign>\\d+), Order=(?<min_order>\\d+)-(?<max_order>\\d+), MinObjects=(?<min_objects>\\d+), CPUs=(?<cpus>\\d+), Nodes=(?<nodes>\\d+)',
        ),
      },
    ],
    fields: [
      { group: 'hwalign', kind: 'bytes' },
      { group: 'min_order', kind: 'count' },
      { group: 'max_order', kind: 'count' },
      { group: 'min_objects', kind: 'count' },
      { group: 'cpus', kind: 'count' },
      { group: 'nodes', kind: 'count' },
    ],
  },
  // ── the initrd (arch/x86/kernel/setup.c reserve_initrd/relocate_initrd, 5.10–7.2 alike; sim/stages/initrd.ts) ──
  {
    id: 'initrd.ramdisk',
    stage: 'initrd',
    // 3.0.1 prints "RAMDISK: %08llx - %08llx" and its pipeline takes no initrd
    when: (t) => t.earlyAllocator === 'memblock',
    arches: BOTH,
    printk: 'reserve_initrd: printk(KERN_INFO "RAMDISK: [mem %#010llx-%#010llx]\\n", ramdisk_image, ramdisk_end - 1)',
    variants: [{ re: re(`RAMDISK: ${range(H)}`) }],
    fields: addrFields(),
  },
  {
    id: 'initrd.allocated',
    stage: 'initrd',
    when: (t) => t.earlyAllocator === 'memblock',
    arches: BOTH,
    printk: 'relocate_initrd: printk(KERN_INFO "Allocated new RAMDISK: [mem %#010llx-%#010llx]\\n", relocated_ramdisk, relocated_ramdisk + ramdisk_size - 1)',
    variants: [{ re: re(`Allocated new RAMDISK: ${range(H)}`) }],
    fields: addrFields(),
  },
  {
    id: 'initrd.move',
    stage: 'initrd',
    when: (t) => t.earlyAllocator === 'memblock',
    arches: BOTH,
    printk: 'relocate_initrd: printk(KERN_INFO "Move RAMDISK from [mem %#010llx-%#010llx] to [mem %#010llx-%#010llx]\\n", ramdisk_image, ramdisk_image + ramdisk_size - 1, relocated_ramdisk, relocated_ramdisk + ramdisk_size - 1)',
    variants: [{ re: re(`Move RAMDISK from ${range(H, 'from_start', 'from_end')} to ${range(H, 'to_start', 'to_end')}`) }],
    fields: [...addrFields('from_start', 'from_end'), ...addrFields('to_start', 'to_end')],
  },
  // 3.0.1's spellings (arch/x86/kernel/setup.c reserve_initrd/relocate_initrd; sim/stages/old/initrd-30.ts)
  {
    id: 'initrd.ramdisk_30',
    stage: 'initrd',
    when: (t) => t.earlyAllocator === 'nobootmem',
    arches: I386,
    printk: 'reserve_initrd (3.0.1): printk(KERN_INFO "RAMDISK: %08llx - %08llx\\n", ramdisk_image, ramdisk_end)',
    variants: [{ re: re('RAMDISK: (?<start>[0-9a-f]{8,}) - (?<end>[0-9a-f]{8,})') }],
    fields: addrFields(),
  },
  {
    id: 'initrd.allocated_30',
    stage: 'initrd',
    when: (t) => t.earlyAllocator === 'nobootmem',
    arches: I386,
    printk: 'relocate_initrd (3.0.1): printk(KERN_INFO "Allocated new RAMDISK: %08llx - %08llx\\n", ramdisk_here, ramdisk_here + ramdisk_size)',
    variants: [{ re: re('Allocated new RAMDISK: (?<start>[0-9a-f]{8,}) - (?<end>[0-9a-f]{8,})') }],
    fields: addrFields(),
  },
  {
    id: 'initrd.move_30',
    stage: 'initrd',
    when: (t) => t.earlyAllocator === 'nobootmem',
    arches: I386,
    printk: 'relocate_initrd (3.0.1): printk(KERN_INFO "Move RAMDISK from %016llx - %016llx to %08llx - %08llx\\n", ramdisk_image, ramdisk_image + ramdisk_size - 1, ramdisk_here, ramdisk_here + ramdisk_size - 1)',
    variants: [{ re: re('Move RAMDISK from (?<from_start>[0-9a-f]{16}) - (?<from_end>[0-9a-f]{16}) to (?<to_start>[0-9a-f]{8,}) - (?<to_end>[0-9a-f]{8,})') }],
    fields: [...addrFields('from_start', 'from_end'), ...addrFields('to_start', 'to_end')],
  },
];

/** The series a condition holds for, of `series` (oldest first); every one without a condition. */
function seriesWhere(series: readonly VersionKey[], when: SeriesCondition | undefined): readonly VersionKey[] {
  return when ? series.filter((v) => when(seriesTraits(parseKernelVersion(v)))) : series;
}

/**
 * The catalog over a list of kernel series: each family's and each spelling's `when` evaluated per
 * series. `families` is the catalog of KERNEL_SERIES; a test may pass a synthetic extra series.
 */
export function catalogFor(series: readonly VersionKey[]): readonly Family[] {
  return DECLS.map(({ when, variants, ...rest }): Family => {
    const versions = seriesWhere(series, when);
    return {
      ...rest,
      versions,
      variants: variants.map((v): FamilyVariant => (v.when ? { versions: seriesWhere(versions, v.when), re: v.re } : { re: v.re })),
      ...(when ? { when } : {}),
    };
  });
}

export const families: readonly Family[] = catalogFor(KERNEL_SERIES);

const byId = new Map(families.map((f) => [f.id, f]));

/** The family with this id, or undefined. */
export function familyById(id: string): Family | undefined {
  return byId.get(id);
}
