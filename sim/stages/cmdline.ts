// models the command-line messages: arch/x86/kernel/setup.c setup_arch() "Command line:" (X86_64),
// init/main.c start_kernel() "Kernel command line:" and print_unknown_bootoptions() (5.14+), with
// parse_args()/unknown_bootoption() deciding which parameters the kernel proper does not know
// (5.10.223, 6.1.192, 6.12.115, 7.2.13).
import type { BootContext, BootState, StageResult } from '../boot.ts';
import type { DmesgLine, ExplainTerm, MachineSpec } from '../types.ts';
import type { KernelTraits } from '../traits.ts';
import { FIXED_APPEND } from '../base/cmdline.ts';
import type { KernelParams } from '../kernel-facts.ts';
import { SimError } from '../lib/errors.ts';
import { fakeRequest } from './numa-emulation.ts';
import { slubOrderRefusal } from './slub-param.ts';
import { CORE_PARAM_WHY, coreParamProblem, type CoreParamProblem } from './zone-movable.ts';
import { memblockAlloc, memblockFree, memblockStateOf, withMemblock, SMP_CACHE_BYTES } from './memblock.ts';

/** The -append string QEMU hands the kernel: boot_command_line (qemu-scripts/qemu-argv.ts builds the same). */
export function bootCommandLine(spec: MachineSpec): string {
  return [FIXED_APPEND, spec.cmdline].filter((p) => p !== undefined && p !== '').join(' ');
}

export interface Param {
  readonly param: string;
  readonly val: string | undefined;
}

/** lib/cmdline.c next_arg(): split at spaces outside double quotes; `param=val`; quotes stripped. */
export function parseParams(cmdline: string): Param[] {
  const out: Param[] = [];
  let i = 0;
  const s = cmdline;
  while (i < s.length) {
    while (i < s.length && s[i] === ' ') i++;
    if (i >= s.length) break;
    let inQuote = false;
    let equals = -1;
    const start = i;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === ' ' && !inQuote) break;
      if (equals < 0 && c === '=') equals = i - start;
      if (c === '"') inQuote = !inQuote;
    }
    let arg = s.slice(start, i);
    if (arg.startsWith('"')) {
      arg = arg.slice(1);
      if (equals > 0) equals--;
      if (arg.endsWith('"')) arg = arg.slice(0, -1);
    }
    if (equals < 0) out.push({ param: arg, val: undefined });
    else {
      let val = arg.slice(equals + 1);
      if (val.startsWith('"')) {
        val = val.slice(1);
        if (val.endsWith('"')) val = val.slice(0, -1);
      }
      out.push({ param: arg.slice(0, equals), val });
    }
  }
  return out;
}

/**
 * arch/x86/lib/cmdline.c cmdline_find_option(cmdline, option, …) ≥ 0: some word of the command line
 * (words split at spaces, no quoting) starts with `option=`.
 */
export function cmdlineFindOption(cmdline: string, option: string): boolean {
  return cmdline.split(/[ \t\n]+/).some((w) => w.startsWith(`${option}=`));
}

/** acpi_disabled after parse_early_param(): an "acpi=off" (parse_acpi: strcmp(arg, "off") == 0). */
export function acpiDisabled(spec: MachineSpec): boolean {
  return parseParams(spec.cmdline ?? '').some((p) => p.param === 'acpi' && p.val === 'off');
}

/** The value of the last `name=` on the command line (parse order: the last one wins). */
export function cmdlineValue(spec: MachineSpec, name: string): string | undefined {
  let v: string | undefined;
  for (const p of parseParams(bootCommandLine(spec))) if (p.param === name) v = p.val ?? '';
  return v;
}

/** kernel/params.c parameq()/parameqn(): names compare with '-' and '_' as the same character. */
function dashToUnderscore(c: string): string {
  return c === '-' ? '_' : c;
}
export function parameqn(a: string, b: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    // strncmp-like: past the end of either string there is a NUL, which equals only a NUL
    const x = i < a.length ? dashToUnderscore(a[i]!) : '\0';
    const y = i < b.length ? dashToUnderscore(b[i]!) : '\0';
    if (x !== y) return false;
    if (x === '\0') return true;
  }
  return true;
}
export function parameq(a: string, b: string): boolean {
  return a.length === b.length && parameqn(a, b, a.length);
}

/**
 * fs/proc/proc_sysctl.c sysctl_aliases[] (6.1.192, 6.12.117, 7.2.13: the same four), which
 * unknown_bootoption() claims through sysctl_is_alias() before anything else; 5.10.223 has no
 * sysctl_is_alias() (only the versions read bound it).
 */
export const SYSCTL_ALIASES: readonly string[] = ['hardlockup_all_cpu_backtrace', 'hung_task_panic', 'numa_zonelist_order', 'softlockup_all_cpu_backtrace'];
/** init/main.c unknown_bootoption(): bootloader[] = { "BOOT_IMAGE=", "kexec" } (6.1.192, 6.12.117, 7.2.13; not in 5.10.223). */
export const BOOTLOADER_IDS: readonly string[] = ['BOOT_IMAGE=', 'kexec'];

/** One way the kernel claims a parameter: an entry of its tables that the parameter reaches. */
export type Registration =
  | { readonly kind: 'module'; readonly name: string; readonly level: number; readonly noarg: boolean }
  | { readonly kind: 'early' | 'setup'; readonly name: string }
  | { readonly kind: 'sysctl'; readonly name: string };

/** The handler a reviewed __setup entry has: its return value, which obsolete_checksetup() reads. */
export interface ParamReview {
  /** Table names (SetupParam.str without a trailing '=', ModuleParam.name), compared by parameq. */
  readonly names: readonly string[];
  /** accept: no modelled line depends on it beyond what a cited stage models; refuse: why not. */
  readonly verdict: 'accept' | 'refuse';
  readonly why: string;
  /** __setup only: what setup_func returns (1: the parameter is consumed, 0: it goes on to init). */
  readonly returns?: 0 | 1;
  /** Refused where one of these holds (for the version, or the parameter as given), with its reason. */
  readonly refuseWhere?: readonly { readonly test: (t: KernelTraits, arg: string) => boolean; readonly why: string }[];
}

const late = (t: KernelTraits): boolean => t.memoryLineFrom === 'page_alloc_init_late';
const LATE_MEMORY = 'on this version Memory: is printed by page_alloc_init_late(), after kmem_cache_init(); slab sizes change its available count, which is not modelled per slab';

/**
 * The one register of kernel parameters whose handlers were read: every parameter a profile gives
 * that the kernel claims (cmdlineRegistrations) must be accepted here, or it is refused by the
 * envelope with the reason given, or as unreviewed. Parameters the kernel does not claim are
 * accepted: init/main.c hands them to init, and the Unknown line is modelled. Handlers read in
 * 5.10.223, 6.1.192, 6.12.117 and 7.2.13.
 */
export const PARAM_REVIEWS: readonly ParamReview[] = [
  // accepted: modelled by a stage
  { names: ['mem', 'memmap'], verdict: 'accept', why: 'arch/x86/kernel/e820.c early_param: modelled by the e820 stage (sim/stages/e820.ts)' },
  { names: ['init_on_alloc', 'init_on_free'], verdict: 'accept', why: 'mm/page_alloc.c (mm/mm_init.c 6.12+) early_param: the mem auto-init lines (sim/stages/mm-core-misc.ts reportMeminit)' },
  { names: ['noreplace-smp'], verdict: 'accept', returns: 1, why: 'arch/x86/kernel/alternative.c setup_noreplace_smp() returns 1: "Freeing SMP alternatives" (sim/stages/alternatives.ts)' },
  {
    names: ['slub_min_order', 'slub_max_order', 'slub_min_objects', 'slab_min_order', 'slab_max_order', 'slab_min_objects'], verdict: 'accept', returns: 1,
    why: 'mm/slub.c setup_slub_min_order()/max_order()/min_objects() return 1 (7.2: core_param): the SLUB line, and on 6.12+ calculate_order() of the slabs counted before the late Memory: line (sim/stages/slub.ts slubOrders, sim/stages/late-allocs.ts)',
    refuseWhere: [{ test: (_t, arg) => slubOrderRefusal(arg) !== undefined, why: 'sim/stages/slub-param.ts slubOrderRefusal(): a value other than one plain number up to INT_MAX, or a slub_min_order above MAX_PAGE_ORDER, is not modelled' }],
  },
  { names: ['console'], verdict: 'accept', returns: 1, why: 'kernel/printk/printk.c console_setup() returns 1 (the capture fixes console=ttyS0)' },
  { names: ['memblock'], verdict: 'accept', why: 'mm/memblock.c early_memblock(): memblock=debug only sets memblock_debug, which prints each memblock call (the capture\'s memblockDebug option; the harness ledger check simulates with it)' },
  { names: ['debug', 'ignore_loglevel'], verdict: 'accept', why: 'init/main.c debug_kernel(), kernel/printk/printk.c ignore_loglevel_setup(): console verbosity only; loglevel=8 already shows every memory-init line' },
  { names: ['log_buf_len'], verdict: 'accept', why: 'kernel/printk/printk.c log_buf_len_setup(): setup_log_buf(1)\'s three memblock allocations and its size line (sim/stages/log-buf.ts); "early log buf free" is not claimed' },
  {
    names: ['slub_debug', 'slab_debug'], verdict: 'accept', returns: 1,
    why: 'mm/slub.c setup_slub_debug() returns 1: with no options, full debugging: its "mem auto-init: SLAB_POISON" line (slubDebugLines) and SLAB_STORE_USER\'s stackdepot hash (sim/stages/stackdepot.ts)',
    refuseWhere: [
      { test: late, why: `${LATE_MEMORY}; debug caches (red zones, tracking) are larger` },
      { test: (_t, arg) => slubDebugOptions(arg) !== undefined, why: 'mm/slub.c parse_slub_debug_flags(): per-flag and per-cache options are not modelled, only full debugging' },
    ],
  },
  { names: ['crashkernel'], verdict: 'accept', why: 'kernel/crash_core.c (6.12+: kernel/crash_reserve.c) parse_crashkernel_dummy(): the early_param only marks it known; setup_arch\'s reserve_crashkernel() reads boot_command_line itself: the reservation and its line (sim/stages/crashkernel.ts; malformed forms and ",cma" are refused there)' },
  { names: ['cma'], verdict: 'accept', why: 'kernel/dma/contiguous.c early_cma() (CONFIG_DMA_CMA, 7.2 only among the builds read): the global CMA area, its per-node areas, its "cma: Reserved" lines and the Memory: line\'s cma-reserved (sim/stages/dma-contiguous.ts; its failure paths are refused there)' },
  {
    names: ['hugepages', 'hugepagesz', 'default_hugepagesz'], verdict: 'accept', returns: 1,
    why: 'mm/hugetlb.c hugepages_setup()/hugepagesz_setup()/default_hugepagesz_setup() return 1 (7.2: early_param through hugetlb_early_param): 2M pages come from the buddy allocator in hugetlb_init(), after Memory:; a gigantic 1G hstate is refused (sim/stages/hugetlb.ts)',
  },
  {
    names: ['dhash_entries', 'ihash_entries'], verdict: 'accept', returns: 1,
    why: 'fs/dcache.c set_dhash_entries(), fs/inode.c set_ihash_entries() return 1 for a number: alloc_large_system_hash() sizes the Dentry/Inode-cache tables from it (sim/stages/hashes.ts hashEntriesParam)',
    refuseWhere: [{ test: (_t, arg) => hashEntriesMalformed(arg), why: 'only a plain number is parsed alike by simple_strtoul() (≤ 6.12) and kstrtoul() (7.2, which returns 0 for anything else and leaves the parameter to init)' }],
  },
  { names: ['vmalloc'], verdict: 'accept', why: 'arch/x86/mm/pgtable_32.c parse_vmalloc() (X86_32 only): __VMALLOC_RESERVE moves MAXMEM_PFN, so max_low_pfn and every lowmem/highmem line (sim/stages/lowmem32.ts vmallocReserve32)' },
  { names: ['highmem'], verdict: 'accept', why: 'arch/x86/mm/init_32.c parse_highmem() (X86_32 only): lowmem_pfn_init() moves max_low_pfn down by it, so every lowmem/highmem line (sim/stages/lowmem32.ts highmemPages32; its error paths and the trimming of max_pfn are refused there)' },
  // refused, with the reason
  { names: ['mitigations'], verdict: 'refuse', why: 'kernel/cpu.c mitigations_parse_cmdline(): arch/x86/kernel/cpu/bugs.c and arch/x86/mm/pti.c then choose PTI, return thunks and call-depth tracking, whose page tables, alternatives and thunk memory are not modelled' },
  { names: ['nr_cpus', 'maxcpus', 'possible_cpus', 'nosmp'], verdict: 'accept', why: 'kernel/smp.c nosmp()/nrcpus()/maxcpus(), smpboot.c and cpu/topology.c possible_cpus: nr_cpu_ids, setup_max_cpus and the possible map (sim/stages/possible-cpus.ts), read by percpu, log_buf, cpu_entry_area, zonelists, SLUB and the online-CPU count' },
  { names: ['disable_cpu_apicid'], verdict: 'refuse', why: 'arch/x86/kernel/apic/apic.c: a LAPIC skipped by APIC ID changes the possible-CPU count, not modelled' },
  {
    names: ['kernelcore', 'movablecore'], verdict: 'accept',
    why: 'mm/page_alloc.c (mm/mm_init.c 6.12+) cmdline_parse_kernelcore()/cmdline_parse_movablecore() → cmdline_parse_core(): find_zone_movable_pfns_for_nodes() sizes ZONE_MOVABLE, which every zone line, the zonelists\' Total pages, the hashes and Memory: follow (sim/stages/zone-movable.ts, sim/stages/zones.ts)',
    refuseWhere: (Object.keys(CORE_PARAM_WHY) as CoreParamProblem[]).map((k) => ({ test: (t: KernelTraits, arg: string) => coreParamProblem(arg, t.arch === 'i386' ? 32 : 64) === k, why: CORE_PARAM_WHY[k] })),
  },
  { names: ['movable_node'], verdict: 'refuse', why: 'mm/memory_hotplug.c cmdline_parse_movable_node(): ZONE_MOVABLE from the hotpluggable SRAT ranges, which QEMU marks only for hotplug slots, is not modelled' },
  {
    names: ['numa'], verdict: 'accept',
    why: 'arch/x86/mm/numa.c numa_setup(): numa=off sets numa_off, and x86_numa_init() goes to dummy_numa_init() ("NUMA turned off"); numa=fake=N splits the dummy node or the SRAT physical nodes (numa_emulation.c split_nodes_interleave; sim/stages/numa.ts, numa-emulation.ts; the 6.12+ fix_pxm_node_maps() oops is a load-time limit, numa-fake-limit.ts)',
    refuseWhere: [
      { test: (_t, arg) => !/^numa=(off|fake=)/.test(arg), why: 'arch/x86/mm/numa.c numa_setup(): only numa=off and numa=fake=N are modelled; numa=noacpi and numa=nohmat are not' },
      { test: (_t, arg) => arg.startsWith('numa=fake=') && fakeRequest(arg.slice(10)).kind === 'refused', why: 'numa_emulation(): only numa=fake=N (a node count) is modelled, not the U, M/G size or ":" distance forms' },
    ],
  },
  { names: ['hashdist', 'uhash_entries'], verdict: 'refuse', why: 'mm/mm_init.c set_hashdist(), net/ipv4/udp.c: hash placement and the UDP hash given by hand are not modelled' },
  {
    names: ['percpu_alloc'], verdict: 'accept',
    why: 'mm/percpu.c percpu_alloc_setup(): "embed" is the default first chunk; "page" sets PCPU_FC_PAGE and setup_per_cpu_areas() calls pcpu_page_first_chunk(): its "percpu: N 4K pages/cpu" line, one memblock page per unit page on its node and the vm area\'s page tables (X86_64 spp_getpage, X86_32 one_page_table_init: sim/stages/percpu-page.ts)',
    refuseWhere: [
      { test: (_t, arg) => arg !== 'percpu_alloc=page' && arg !== 'percpu_alloc=embed', why: 'mm/percpu.c percpu_alloc_setup(): only percpu_alloc=embed and percpu_alloc=page are modelled (no value is -EINVAL, another prints "unknown allocator")' },
    ],
  },
  { names: ['hugetlb_cma'], verdict: 'refuse', why: 'mm/hugetlb.c hugetlb_cma_reserve(): the gigantic-page CMA areas are not modelled' },
  { names: ['iommu'], verdict: 'refuse', why: 'arch/x86/kernel/pci-dma.c iommu_setup(): the IOMMU choice is taken from the defaults only' },
  { names: ['swiotlb'], verdict: 'accept', why: 'kernel/dma/swiotlb.c setup_io_tlb_npages(): the slab count sizes the bounce buffer, its memblock allocations and the "software IO TLB" lines (sim/stages/mm-core-misc.ts swiotlbParam; the area count, force and noforce are refused there) and the default crashkernel low size (sim/stages/crashkernel.ts)' },
  {
    names: ['noapic'], verdict: 'accept',
    why: 'arch/x86/kernel/apic/io_apic.c parse_noapic() → disable_ioapic_support(): acpi_parse_madt_ioapic_entries() skips the MADT I/O APICs ("Skipping IOAPIC probe due to \'noapic\' option."), and get_smp_config() then reads SeaBIOS\'s MP table, whose MP_ioapic_info() registers the one I/O APIC all the same (arch/x86/kernel/mpparse.c smp_read_mpc): io_apic_init_mappings()\'s allocation is unchanged (sim/stages/setup-arch-allocs.ts); enable_IO_APIC() later sets nr_ioapics to 0, so no "IOAPIC 0" is inserted into /proc/iomem (sim/stages/state/iomem.ts). SeaBIOS 1.16.2 builds that MP table while MaxCountCPUs ≤ 255 (src/fw/paravirt.c), which every -smp QEMU 7.2 runs under TCG is',
  },
  {
    names: ['acpi'], verdict: 'accept',
    why: 'arch/x86/kernel/acpi/boot.c parse_acpi(): "off" → disable_acpi(); acpi_boot_table_init() and acpi_boot_init() return at once (no HPET resource: sim/stages/setup-arch-allocs.ts), acpi_numa_init() fails, so no SRAT (sim/stages/numa.ts); the CPUs and the I/O APIC come from SeaBIOS\'s MP table (get_smp_config)',
    refuseWhere: [{ test: (_t, arg) => arg !== 'acpi=off', why: 'arch/x86/kernel/acpi/boot.c parse_acpi(): only acpi=off is modelled (force, strict, noirq, rsdt, nocmcff … are not)' }],
  },
  { names: ['nolapic'], verdict: 'refuse', why: 'arch/x86/kernel/apic, acpi/boot.c: the MADT/MP parse decides the possible CPUs and the ACPI allocations, modelled for the defaults only' },
  { names: ['elfcorehdr', 'add_efi_memmap'], verdict: 'refuse', why: 'they change the memory map or its limits in ways the e820 stage does not follow (sim/stages/e820.ts)' },
];

/**
 * Parameters the kernel reads straight from the command line (cmdline_find_option*), which no
 * table claims (so they also print as "Unknown"): each is refused here by name. (5.10.223, 6.1.192,
 * 6.12.117, 7.2.13; they were the e820 stage's own list before.)
 */
export const RAW_CMDLINE_REVIEWS: readonly ParamReview[] = [
  { names: ['no5lvl'], verdict: 'refuse', why: 'arch/x86/boot/compressed/pgtable_64.c: cmdline_find_option_bool("no5lvl") keeps 4-level paging on an LA57 CPU, which the paging model does not follow' },
  { names: ['mem_encrypt'], verdict: 'refuse', why: 'arch/x86/mm/mem_encrypt_identity.c sme_enable(): cmdline_find_option("mem_encrypt") (SME) is not modelled' },
  { names: ['efi_fake_mem'], verdict: 'refuse', why: 'arch/x86/boot/compressed/kaslr.c and drivers/firmware/efi/fake_mem.c: EFI memory map attributes (no EFI boot is modelled)' },
];

const baseName = (name: string): string => (name.endsWith('=') ? name.slice(0, -1) : name);

/** The review of a registration, if its handler was read. */
export function reviewOf(r: Registration): ParamReview | undefined {
  const n = baseName(r.name);
  return PARAM_REVIEWS.find((rev) => rev.names.some((x) => parameq(x, n)));
}

// parameq() is equality with '-' and '_' alike: the early and module tables are looked up by the
// name with dashes made underscores, indexed once per facts object (the tables hold ~700 entries).
interface ParamIndex {
  readonly early: ReadonlyMap<string, readonly string[]>;
  readonly module: ReadonlyMap<string, KernelParams['module'][number]>;
  readonly late: readonly KernelParams['setup'][number][];
}
const paramIndexes = new WeakMap<KernelParams, ParamIndex>();
function paramIndex(params: KernelParams): ParamIndex {
  const hit = paramIndexes.get(params);
  if (hit) return hit;
  const early = new Map<string, string[]>();
  for (const e of params.setup) {
    if (!e.early) continue;
    const k = e.str.replace(/-/g, '_');
    early.set(k, [...(early.get(k) ?? []), e.str]);
  }
  const module = new Map<string, KernelParams['module'][number]>();
  for (const m of params.module) {
    const k = m.name.replace(/-/g, '_');
    if (!module.has(k)) module.set(k, m);
  }
  const ix: ParamIndex = { early, module, late: params.setup.filter((e) => !e.early) };
  paramIndexes.set(params, ix);
  return ix;
}

/**
 * The table entries one parameter reaches while start_kernel() parses the command line:
 * parse_early_param() → do_early_param() calls every early entry whose name is the parameter
 * (parameq); parse_args() → parse_one() takes a __param entry of that name, else
 * unknown_bootoption() → sysctl_is_alias(), the bootloader ids, then obsolete_checksetup(), which
 * calls each non-early entry whose name is a prefix of "param=val" (parameqn, the '=' included)
 * until one returns nonzero. (init/main.c and kernel/params.c, 5.10.223, 6.1.192, 6.12.117, 7.2.13.)
 * An unreviewed non-early entry ends the walk: whether later ones run depends on its return.
 */
export function cmdlineRegistrations(p: Param, params: KernelParams, traits: KernelTraits): Registration[] {
  const out: Registration[] = [];
  const ix = paramIndex(params);
  const key = p.param.replace(/-/g, '_');
  for (const str of ix.early.get(key) ?? []) out.push({ kind: 'early', name: str });
  const mod = ix.module.get(key);
  if (mod) return [...out, { kind: 'module', name: mod.name, level: mod.level, noarg: mod.noarg }];
  if (traits.sysctlAliasesClaimed && SYSCTL_ALIASES.includes(p.param)) return [...out, { kind: 'sysctl', name: p.param }];
  const full = p.val === undefined ? p.param : `${p.param}=${p.val}`;
  if (traits.bootloaderIdsSwallowed && BOOTLOADER_IDS.some((b) => full.startsWith(b))) return out;
  for (const e of ix.late) {
    if (!parameqn(full, e.str, e.str.length)) continue;
    const r: Registration = { kind: 'setup', name: e.str };
    out.push(r);
    if (reviewOf(r)?.returns !== 0) break;
  }
  return out;
}

/**
 * init/main.c unknown_bootoption() → obsolete_checksetup(), as cmdlineRegistrations() walks it:
 * whether a parameter parse_args() did not take is claimed (true) or left for init (false).
 * A non-early entry claims it when setup_func returns nonzero, so an entry whose handler is not in
 * PARAM_REVIEWS cannot be decided: SIM_NOT_MODELLED naming it. An early entry matched exactly
 * (line[n] is '\0' or '=') claims it too; so does a '.' in the name ("Unused module parameter").
 */
function claimed(p: Param, params: KernelParams, traits: KernelTraits): boolean {
  const regs = cmdlineRegistrations(p, params, traits);
  if (regs.some((r) => r.kind === 'module' || r.kind === 'sysctl')) return true;
  const full = p.val === undefined ? p.param : `${p.param}=${p.val}`;
  if (traits.bootloaderIdsSwallowed && BOOTLOADER_IDS.some((b) => full.startsWith(b))) return true;
  for (const r of regs) {
    if (r.kind !== 'setup') continue;
    const returns = reviewOf(r)?.returns;
    if (returns === undefined) throw new SimError('SIM_NOT_MODELLED', 'cmdline', `${full}: reaches __setup("${r.name}"), whose handler's return value (which decides whether init gets the parameter) is not reviewed`);
    if (returns === 1) return true;
  }
  // obsolete_checksetup(): had_early_param for an early entry that is a prefix up to '\0' or '='
  const hadEarly = params.setup.some((e) => e.early && parameqn(full, e.str, e.str.length) && (full.length === e.str.length || full[e.str.length] === '='));
  if (hadEarly) return true;
  return p.param.includes('.');
}

/**
 * init/main.c unknown_bootoption(): what is left after parse_args() and the __setup table, the
 * kernel's own tables read from the image (facts.params). Options without a value go to
 * argv_init, the rest to envp_init (a later NAME=… replaces an earlier one); argv entries print
 * first (print_unknown_bootoptions, 5.14+). Parameters past "--" go to init and are never "unknown".
 */
export function unknownParams(cmdline: string, params: KernelParams, traits: KernelTraits): string[] {
  const argv: string[] = [];
  const envp: string[] = [];
  for (const p of parseParams(cmdline)) {
    // kernel/params.c parse_args(): "Stop at --"
    if (p.param === '--' && p.val === undefined) break;
    if (claimed(p, params, traits)) continue;
    if (p.val === undefined) argv.push(p.param);
    else {
      const s = `${p.param}=${p.val}`;
      // strncmp(param, envp_init[i], len+1): a later NAME=… replaces an earlier one
      const at = envp.findIndex((e) => e.startsWith(`${p.param}=`));
      if (at >= 0) envp[at] = s;
      else envp.push(s);
    }
  }
  return [...argv, ...envp];
}

/**
 * The envelope's parameter check: each profile parameter (before "--") that the kernel claims
 * must reach only accepted reviews; the first that does not is refused by name, with its reason.
 */
export function paramRefusal(cmdline: string | undefined, params: KernelParams, traits: KernelTraits): string | undefined {
  if (!cmdline) return undefined;
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    const full = p.val === undefined ? p.param : `${p.param}=${p.val}`;
    const raw = RAW_CMDLINE_REVIEWS.find((rev) => rev.names.some((x) => x === p.param));
    if (raw) return `${full}: read from the command line by cmdline_find_option(), not modelled: ${raw.why}`;
    for (const r of cmdlineRegistrations(p, params, traits)) {
      const rev = reviewOf(r);
      const as = r.kind === 'module' ? `module parameter "${r.name}"` : r.kind === 'sysctl' ? `sysctl alias "${r.name}"` : `${r.kind === 'early' ? 'early_param' : '__setup'}("${r.name}")`;
      if (!rev) return `${full}: the kernel takes it as ${as}, whose effect on the memory-init lines is not reviewed (sim/stages/cmdline.ts PARAM_REVIEWS)`;
      if (rev.verdict === 'refuse') return `${full}: ${as} is not modelled: ${rev.why}`;
      const where = rev.refuseWhere?.find((w) => w.test(traits, full));
      if (where) return `${full}: ${as} is not modelled here: ${where.why}`;
    }
  }
  return undefined;
}

/** dhash_entries=/ihash_entries= with a value other than one plain number (decimal, 0x hex or 0 octal). */
export function hashEntriesMalformed(arg: string): boolean {
  const eq = arg.indexOf('=');
  return !/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(eq < 0 ? '' : arg.slice(eq + 1));
}

/**
 * mm/slub.c setup_slub_debug(str), str = what follows the matched "slub_debug" (or 6.12's
 * "slab_debug"): `if (*str++ != '=' || !*str) goto out;` — full debugging (DEBUG_DEFAULT_FLAGS,
 * SLAB_POISON and SLAB_STORE_USER among them); anything else is an option string, returned here.
 */
export function slubDebugOptions(arg: string): string | undefined {
  const m = /^sl[au]b[-_]debug(.*)$/.exec(arg);
  if (!m) return undefined;
  const rest = m[1]!;
  return rest.startsWith('=') && rest.length > 1 ? rest.slice(1) : undefined;
}

/**
 * The "slub_debug" parameters parse_args() hands setup_slub_debug(), in order (obsolete_checksetup:
 * __setup("slub_debug") matches by prefix, and only where the build registers it).
 */
export function slubDebugArgs(cmdline: string, params: KernelParams, traits: KernelTraits): string[] {
  const out: string[] = [];
  for (const p of parseParams(cmdline)) {
    if (p.param === '--' && p.val === undefined) break;
    if (cmdlineRegistrations(p, params, traits).some((r) => r.kind === 'setup' && /^sl[au]b_debug$/.test(r.name.replace(/-/g, '_')))) out.push(p.val === undefined ? p.param : `${p.param}=${p.val}`);
  }
  return out;
}

/**
 * setup_slub_debug()'s line, once per call with full debugging: "mem auto-init: SLAB_POISON will
 * take precedence over init_on_alloc/init_on_free" when the init_on_alloc or init_on_free static
 * key is on at parse_args() time. 5.10.223: early_init_on_alloc()/early_init_on_free() set the keys
 * from init_on_alloc=/init_on_free= (parse_early_param runs first); 6.1.192 on: they only set
 * _init_on_*_enabled_early, and the keys keep DEFINE_STATIC_KEY_MAYBE's config default until
 * mem_debugging_and_hardening_init().
 */
export function slubDebugLines(ctx: BootContext): DmesgLine[] {
  const traits = ctx.traits;
  const args = slubDebugArgs(bootCommandLine(ctx.spec), ctx.kernel.facts.params, traits);
  const cfg = (n: string): boolean => ctx.kernel.facts.config[n] === 'y';
  const key = (param: string, config: string): boolean => {
    if (traits.initOnKeysDeferred) return cfg(config);
    const v = cmdlineValue(ctx.spec, param);
    // kstrtobool(): 1/y/Y/on → true, 0/n/N/off → false; anything else keeps the default (and is "Malformed")
    if (v !== undefined && /^([1yY]|on)/i.test(v)) return true;
    if (v !== undefined && /^([0nN]|of)/i.test(v)) return false;
    return cfg(config);
  };
  const initOn = key('init_on_alloc', 'INIT_ON_ALLOC_DEFAULT_ON') || key('init_on_free', 'INIT_ON_FREE_DEFAULT_ON');
  if (!initOn) return [];
  return args.filter((a) => slubDebugOptions(a) === undefined).map(() => line('mem.auto_init_slab_poison', 'mem auto-init: SLAB_POISON will take precedence over init_on_alloc/init_on_free'));
}

const line = (fmt: string, text: string, explain?: DmesgLine['explain']): DmesgLine => ({ stage: 'cmdline', fmt, text, ...(explain ? { explain } : {}) });
// not mm-inputs.ts's term(): every stage reads the command line through this module, which imports no stage inputs
const term = (name: string, value: ExplainTerm['value'], source: string): ExplainTerm => ({ name, value, source });

/** setup_arch() (X86_64 only, before the e820 map): pr_info("Command line: %s\n", boot_command_line). */
export function cmdlineArch(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  if (traits.arch !== 'x86_64') return { state, lines: [] };
  const cl = bootCommandLine(ctx.spec);
  return {
    state,
    lines: [line('cmdline.x86', `Command line: ${cl}`, { cmdline: [term('boot_command_line', cl, 'QEMU -append: qemu-scripts/qemu-argv.ts FIXED_APPEND + profile cmdline')] })],
  };
}

/** start_kernel(): "Kernel command line:", then parse_args() and print_unknown_bootoptions(). */
export function cmdlineKernel(state: BootState, ctx: BootContext): StageResult {
  const traits = ctx.traits;
  const cl = bootCommandLine(ctx.spec);
  const lines: DmesgLine[] = [
    line('cmdline.kernel', `Kernel command line: ${cl}`, { cmdline: [term('saved_command_line', cl, 'init/main.c setup_command_line(): boot_command_line (no bootconfig, no extra_init_args)')] }),
  ];
  let next = state;
  // parse_args() → obsolete_checksetup() → the __setup handlers that print
  lines.push(...slubDebugLines(ctx));
  if (traits.printsUnknownBootoptions) {
    const unknown = unknownParams(cl, ctx.kernel.facts.params, traits);
    if (unknown.length > 0) {
      const s = unknown.join(' ');
      // init/main.c print_unknown_bootoptions() (6.1, 6.12, 7.2): len = 1 + Σ (1 + strlen), memblock_alloc(len,
      // SMP_CACHE_BYTES) for the string, memblock_free() right after printing it
      const len = BigInt(new TextEncoder().encode(s).length + 2);
      const a = memblockAlloc(memblockStateOf(state), {
        size: len, align: SMP_CACHE_BYTES, why: 'unknown boot options string', source: 'init/main.c: print_unknown_bootoptions() (6.1)', stage: 'cmdline',
        caller: 'start_kernel > print_unknown_bootoptions',
      });
      next = withMemblock(state, memblockFree(a.mb, a.addr, len));
      lines.push(
        line('cmdline.unknown', `Unknown kernel command line parameters "${s}", will be passed to user space.`, {
          params: unknown.map((u) => term(u, u, 'init/main.c unknown_bootoption(): no __param entry, early_param or __setup claims it (kernel facts params, read from the image)')),
        }),
      );
    }
  }
  return { state: next, lines };
}
