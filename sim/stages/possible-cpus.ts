// models the possible-CPU count every later stage reads as nr_cpu_ids (5.10.223, 6.1.192, 6.12.115,
// 7.2.13): kernel/smp.c's early parameters (nosmp, maxcpus=, nr_cpus=) and possible_cpus=
// (arch/x86/kernel/smpboot.c ≤ 6.1, arch/x86/kernel/cpu/topology.c ≥ 6.9), the MADT walk that
// registers QEMU's LAPICs against nr_cpu_ids (arch/x86/kernel/apic/apic.c generic_processor_info
// ≤ 6.1; topology.c topology_register_apic ≥ 6.9), then prefill_possible_map() (≤ 6.1) or
// topology_apply_cmdline_limits_early() + topology_init_possible_cpus() (≥ 6.9). Computed once per
// boot from the context, read by percpu, log_buf, zonelists, SLUB, alternatives and the late
// allocations through possibleCpuMap().
import type { BootContext, StageFn } from '../boot.ts';
import type { DmesgLine, ExplainTerm } from '../types.ts';
import { acpiDisabled, parseParams, parameq } from './cmdline.ts';
import { simpleStrtoull } from '../lib/memparse.ts';
import { SimError } from '../lib/errors.ts';

const STAGE = 'possible_cpus';

/** What the possible-CPU code leaves, and the inputs it came from. */
export interface PossibleCpus {
  /** nr_cpu_ids after prefill_possible_map / topology_init_possible_cpus = num_possible_cpus(). */
  readonly possible: number;
  /** The "Allowing" line's present count: num_processors (≤ 6.1) or nr_assigned_cpus (≥ 6.9). */
  readonly present: number;
  /** The "Allowing" line's hotplug count. */
  readonly hotplug: number;
  /** num_present_cpus() at check_bugs()/alternative_instructions(): the registered LAPICs. */
  readonly presentCpus: number;
  /** Present CPUs that are also possible: the ones smp_init() can bring up. */
  readonly presentPossible: number;
  /** kernel/smp.c setup_max_cpus (NR_CPUS by default; nosmp 0; maxcpus=N), as unsigned int. */
  readonly setupMaxCpus: number;
  /** CPUs smp_init() brings online: bringup_nonboot_cpus(setup_max_cpus), the boot CPU always. */
  readonly online: number;
  /** The lines the MADT walk and the possible-map code print before the "Allowing" line, in order. */
  readonly before: readonly CpuLine[];
  /** The lines printed after it ("CPU topo: Rejected CPUs %u", ≥ 6.9). */
  readonly after: readonly CpuLine[];
  /** The lines acpi_init()'s processor driver prints when it tries to hot-add the MADT CPUs that are not possible (≤ 6.1). */
  readonly hotadd: readonly CpuLine[];
  readonly explain: readonly ExplainTerm[];
}

/** One line of the possible-CPU code: its catalog family and text. */
export interface CpuLine {
  readonly fmt: string;
  readonly text: string;
  /** The family's fields, each explained by the possible-CPU terms. */
  readonly fields: readonly string[];
}

/** lib/cmdline.c get_option(): an int (base 0, optional '-'), or undefined when no digits were read. */
export function getOption(s: string): number | undefined {
  const neg = s.startsWith('-');
  const p = simpleStrtoull(neg ? s.slice(1) : s);
  if (p.empty) return undefined;
  // int value = (-)simple_strtoull(...): truncated to 32 bits, two's complement
  const v = Number(BigInt.asIntN(32, neg ? -p.value : p.value));
  return v;
}

interface EarlyCpuParams {
  readonly setupMaxCpus: number;
  readonly nrCpuIds: number;
  /** possible_cpus=: setup_possible_cpus (≤ 6.1, -1 when absent) or max_possible_cpus (≥ 6.9, NR_CPUS when absent). */
  readonly possibleCpus: number | undefined;
  readonly terms: ExplainTerm[];
}

/**
 * parse_early_param() → do_early_param(): each early_param handler runs in command-line order
 * (kernel/smp.c nosmp/nrcpus/maxcpus; smpboot.c or topology.c possible_cpus), on the command line
 * QEMU hands the kernel. Values the kernel cannot take (possible_cpus < 1) are refused.
 */
function earlyCpuParams(ctx: BootContext, nrCpus: number): EarlyCpuParams {
  let setupMaxCpus = nrCpus; // init/main.c: unsigned int setup_max_cpus = NR_CPUS
  let nrCpuIds = nrCpus; // kernel/smp.c: unsigned int nr_cpu_ids = NR_CPUS
  let possibleCpus: number | undefined;
  const terms: ExplainTerm[] = [];
  for (const p of parseParams(ctx.spec.cmdline ?? '')) {
    if (p.param === '--' && p.val === undefined) break;
    const val = p.val ?? '';
    if (parameq(p.param, 'nosmp')) {
      setupMaxCpus = 0;
      terms.push({ name: 'nosmp: setup_max_cpus', value: 0, source: 'kernel/smp.c nosmp()' });
    } else if (parameq(p.param, 'maxcpus')) {
      // get_option(&str, &setup_max_cpus): unchanged when no digits are read; stored as unsigned int
      const v = getOption(val);
      if (v !== undefined) setupMaxCpus = v >>> 0;
      terms.push({ name: 'maxcpus=: setup_max_cpus', value: setupMaxCpus, source: 'kernel/smp.c maxcpus(): get_option()' });
    } else if (parameq(p.param, 'nr_cpus')) {
      // nrcpus(): if (get_option(&str, &nr_cpus) && nr_cpus > 0 && nr_cpus < nr_cpu_ids) set_nr_cpu_ids(nr_cpus)
      const v = getOption(val);
      if (v !== undefined && v > 0 && v < nrCpuIds) nrCpuIds = v;
      terms.push({ name: 'nr_cpus=: nr_cpu_ids', value: nrCpuIds, source: 'kernel/smp.c nrcpus(): only 0 < N < nr_cpu_ids lowers it' });
    } else if (parameq(p.param, 'possible_cpus')) {
      const v = getOption(val);
      if (v !== undefined) {
        if (v < 1) throw new SimError('SIM_NOT_MODELLED', STAGE, `cmdline: possible_cpus=${val}: expected at least 1 possible CPU, got ${v} (the kernel would run with no possible CPU)`);
        possibleCpus = v;
      }
      terms.push({ name: 'possible_cpus=', value: possibleCpus ?? 'unset', source: 'arch/x86/kernel/smpboot.c _setup_possible_cpus() (≤ 6.1), cpu/topology.c setup_possible_cpus() (≥ 6.9): get_option()' });
    }
  }
  return { setupMaxCpus, nrCpuIds, possibleCpus, terms };
}

const cache = new WeakMap<BootContext, PossibleCpus>();

/**
 * The possible CPUs for QEMU's MADT: -smp cpus enabled LAPICs with APIC IDs 0..cpus-1 (boot CPU
 * first), none disabled (maxcpus = cpus; hw/i386/acpi-common.c build_madt, QEMU 7.2).
 */
export function possibleCpuMap(ctx: BootContext): PossibleCpus {
  const hit = cache.get(ctx);
  if (hit) return hit;
  const nrCpus = ctx.traits.nrCpus;
  if (nrCpus === undefined) throw new SimError('SIM_NOT_MODELLED', STAGE, 'facts.config: expected CONFIG_NR_CPUS');
  const early = earlyCpuParams(ctx, nrCpus);
  // acpi=off: no MADT; the CPUs are the MP table's (arch/x86/kernel/mpparse.c MP_processor_info).
  // SeaBIOS 1.16.2 src/fw/mptable.c mptable_setup() lists one processor per package (pkgcpus =
  // CPUID.1 EBX[23:16] rounded up to a power of two), and QEMU 7.2's pc/q35 (7.2 machine types) put
  // every -smp CPU in one socket (hw/core/machine-smp.c: cores preferred since 6.2; target/i386/cpu.c
  // leaf 1: EBX[23:16] = nr_cores × nr_threads): the kernel sees one processor
  const madt = acpiDisabled(ctx.spec) ? 1 : ctx.spec.cpus;
  const terms: ExplainTerm[] = [
    { name: 'MADT enabled LAPICs', value: madt, source: 'QEMU 7.2 hw/i386/acpi-common.c build_madt: one LAPIC per -smp CPU (maxcpus = cpus)' },
    { name: 'NR_CPUS', value: nrCpus, source: 'facts.config' },
    ...early.terms,
  ];
  let possible: number;
  let present: number;
  let hotplug: number;
  if (ctx.traits.possibleCpusStyle === 'smpboot') {
    // generic_processor_info(): past nr_cpu_ids each LAPIC is "ignored" and counted in disabled_cpus
    const numProcessors = Math.min(madt, early.nrCpuIds);
    const disabledCpus = madt - numProcessors;
    // QEMU's MADT lists the boot CPU (APIC ID 0) first, so generic_processor_info()'s "almost
    // reached … Keeping one slot for boot cpu" branch is never taken; each LAPIC past nr_cpu_ids is
    // pr_warn("APIC: NR_CPUS/possible_cpus limit of %i reached. Processor %d/0x%x ignored.\n", max,
    // max + disabled_cpus, apicid): its index and its APIC ID (arch/x86/kernel/apic/apic.c, 5.10/6.1)
    const before: CpuLine[] = [];
    for (let cpu = numProcessors; cpu < madt; cpu++) {
      before.push({ fmt: 'smp.apic_limit', fields: ['limit', 'cpu', 'apicid'], text: `APIC: NR_CPUS/possible_cpus limit of ${early.nrCpuIds} reached. Processor ${cpu}/0x${cpu.toString(16)} ignored.` });
    }
    // prefill_possible_map() (CONFIG_HOTPLUG_CPU=y on every Debian build)
    const i = early.setupMaxCpus === 0 ? 1 : early.setupMaxCpus;
    possible = early.possibleCpus !== undefined ? early.possibleCpus : numProcessors + (early.setupMaxCpus !== 0 ? disabledCpus : 0);
    // arch/x86/kernel/smpboot.c prefill_possible_map(): pr_warn() with pr_fmt "smpboot: "
    if (possible > early.nrCpuIds) {
      before.push({ fmt: 'smp.nr_cpus_limit', fields: ['cpus', 'limit'], text: `smpboot: ${possible} Processors exceeds NR_CPUS limit of ${early.nrCpuIds}` });
      possible = early.nrCpuIds;
    }
    if (early.setupMaxCpus === 0 && possible > i) {
      before.push({ fmt: 'smp.max_cpus_limit', fields: ['cpus', 'limit'], text: `smpboot: ${possible} Processors exceeds max_cpus limit of ${early.setupMaxCpus}` });
      possible = i;
    }
    present = possible;
    hotplug = Math.max(possible - numProcessors, 0);
    terms.push({ name: 'num_processors', value: numProcessors, source: 'arch/x86/kernel/apic/apic.c generic_processor_info(): LAPICs past nr_cpu_ids are ignored' });
    // cpu_present_mask: the registered LAPICs; the possible mask is 0..possible-1
    // acpi_init() → acpi_processor_add() → acpi_processor_get_info() (drivers/acpi/acpi_processor.c,
    // 5.10/6.1): each processor device of QEMU's DSDT (one per -smp CPU, _STA present) whose APIC ID
    // acpi_map_cpuid() finds on no possible CPU goes to acpi_processor_hotadd_init() → acpi_map_cpu()
    // → acpi_register_lapic() → generic_processor_info(), where num_processors ≥ nr_cpu_ids prints the
    // limit line again with thiscpu = nr_cpu_ids + disabled_cpus, disabled_cpus counting on from the
    // MADT walk's. With acpi=off there is no ACPI processor driver
    const hotadd: CpuLine[] = [];
    if (!acpiDisabled(ctx.spec)) {
      for (let cpu = possible; cpu < madt; cpu++) {
        hotadd.push({ fmt: 'smp.apic_limit', fields: ['limit', 'cpu', 'apicid'], text: `APIC: NR_CPUS/possible_cpus limit of ${possible} reached. Processor ${possible + disabledCpus + hotadd.length}/0x${cpu.toString(16)} ignored.` });
      }
    }
    return remember(ctx, { possible, present, hotplug, presentCpus: numProcessors, presentPossible: Math.min(numProcessors, possible), setupMaxCpus: early.setupMaxCpus, before, after: [], hotadd, terms });
  }
  // topology_apply_cmdline_limits_early(): nosmp/maxcpus=0 leave one; possible_cpus= caps nr_cpu_ids
  let nrCpuIds = early.nrCpuIds;
  let limit = early.setupMaxCpus === 0 ? 1 : nrCpuIds;
  if (early.possibleCpus !== undefined && early.possibleCpus < limit) limit = early.possibleCpus;
  // pr_info("Limiting to %u possible CPUs\n") with pr_fmt "CPU topo: " (arch/x86/kernel/cpu/topology.c)
  const before: CpuLine[] = [];
  if (limit < nrCpuIds) {
    before.push({ fmt: 'topo.limiting', fields: ['cpus'], text: `CPU topo: Limiting to ${limit} possible CPUs` });
    nrCpuIds = limit;
  }
  // topology_register_apic(): a LAPIC other than the boot CPU's once nr_assigned_cpus (1 for the
  // boot CPU to start with) reaches nr_cpu_ids is rejected, the first time with pr_warn_once("CPU
  // limit of %d reached. Ignoring further CPUs\n", nr_cpu_ids)
  const assigned = Math.min(madt, nrCpuIds);
  const rejected = madt - assigned;
  if (rejected > 0) before.push({ fmt: 'topo.cpu_limit', fields: ['limit'], text: `CPU topo: CPU limit of ${nrCpuIds} reached. Ignoring further CPUs` });
  // topology_init_possible_cpus(): smp_found_config, APIC enabled: allowed = min(total, nr_cpu_ids)
  possible = Math.min(assigned, nrCpuIds);
  present = possible;
  hotplug = 0;
  terms.push({ name: 'nr_assigned_cpus', value: assigned, source: 'arch/x86/kernel/cpu/topology.c topology_register_apic(): LAPICs past nr_cpu_ids are rejected' });
  // topology_init_possible_cpus(): "if (topo_info.nr_rejected_cpus) pr_info("Rejected CPUs %u\n", …)" after the Allowing line
  const after: CpuLine[] = rejected > 0 ? [{ fmt: 'topo.rejected', fields: ['cpus'], text: `CPU topo: Rejected CPUs ${rejected}` }] : [];
  return remember(ctx, { possible, present, hotplug, presentCpus: possible, presentPossible: possible, setupMaxCpus: early.setupMaxCpus, before, after, hotadd: [], terms });
}

function remember(ctx: BootContext, p: Omit<PossibleCpus, 'online' | 'explain'> & { terms: ExplainTerm[] }): PossibleCpus {
  // kernel/cpu.c bringup_nonboot_cpus(setup_max_cpus): present CPUs until num_online_cpus() >= setup_max_cpus
  const online = Math.max(1, Math.min(p.presentPossible, p.setupMaxCpus));
  const out: PossibleCpus = {
    possible: p.possible, present: p.present, hotplug: p.hotplug, presentCpus: p.presentCpus, presentPossible: p.presentPossible, setupMaxCpus: p.setupMaxCpus, online, before: p.before, after: p.after, hotadd: p.hotadd,
    explain: [...p.terms, { name: 'nr_cpu_ids', value: p.possible, source: 'set_nr_cpu_ids(possible)' }],
  };
  cache.set(ctx, out);
  return out;
}

/**
 * subsys_initcall(acpi_init) → the ACPI processor driver's hot-add attempts (≤ 6.1): the limit lines of
 * possibleCpuMap().hotadd, after mm_init and before rootfs_initcall(pci_iommu_init) prints "software IO TLB".
 */
export const acpiProcessorHotadd: StageFn = (state, ctx) => {
  const p = possibleCpuMap(ctx);
  return { state, lines: p.hotadd.map((l): DmesgLine => ({ stage: 'setup_arch', fmt: l.fmt, text: l.text, explain: Object.fromEntries(l.fields.map((f) => [f, p.explain])) })) };
};
