// models the possible-CPU count every later stage reads as nr_cpu_ids (5.10.223, 6.1.192, 6.12.115,
// 7.2.13): kernel/smp.c's early parameters (nosmp, maxcpus=, nr_cpus=) and possible_cpus=
// (arch/x86/kernel/smpboot.c ≤ 6.1, arch/x86/kernel/cpu/topology.c ≥ 6.9), the MADT walk that
// registers QEMU's LAPICs against nr_cpu_ids (arch/x86/kernel/apic/apic.c generic_processor_info
// ≤ 6.1; topology.c topology_register_apic ≥ 6.9), then prefill_possible_map() (≤ 6.1) or
// topology_apply_cmdline_limits_early() + topology_init_possible_cpus() (≥ 6.9). Computed once per
// boot from the context, read by percpu, log_buf, zonelists, SLUB, alternatives and the late
// allocations through possibleCpuMap().
import type { BootContext } from '../boot.ts';
import type { ExplainTerm } from '../types.ts';
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
  readonly explain: readonly ExplainTerm[];
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
    // prefill_possible_map() (CONFIG_HOTPLUG_CPU=y on every Debian build)
    const i = early.setupMaxCpus === 0 ? 1 : early.setupMaxCpus;
    possible = early.possibleCpus !== undefined ? early.possibleCpus : numProcessors + (early.setupMaxCpus !== 0 ? disabledCpus : 0);
    if (possible > early.nrCpuIds) possible = early.nrCpuIds; // "%d Processors exceeds NR_CPUS limit of %u"
    if (early.setupMaxCpus === 0 && possible > i) possible = i; // "%d Processors exceeds max_cpus limit of %u"
    present = possible;
    hotplug = Math.max(possible - numProcessors, 0);
    terms.push({ name: 'num_processors', value: numProcessors, source: 'arch/x86/kernel/apic/apic.c generic_processor_info(): LAPICs past nr_cpu_ids are ignored' });
    // cpu_present_mask: the registered LAPICs; the possible mask is 0..possible-1
    return remember(ctx, { possible, present, hotplug, presentCpus: numProcessors, presentPossible: Math.min(numProcessors, possible), setupMaxCpus: early.setupMaxCpus, terms });
  }
  // topology_apply_cmdline_limits_early(): nosmp/maxcpus=0 leave one; possible_cpus= caps nr_cpu_ids
  let nrCpuIds = early.nrCpuIds;
  let limit = early.setupMaxCpus === 0 ? 1 : nrCpuIds;
  if (early.possibleCpus !== undefined && early.possibleCpus < limit) limit = early.possibleCpus;
  if (limit < nrCpuIds) nrCpuIds = limit; // "Limiting to %u possible CPUs"
  // topology_register_apic(): "CPU limit of %d reached. Ignoring further CPUs" (nr_rejected_cpus)
  const assigned = Math.min(madt, nrCpuIds);
  // topology_init_possible_cpus(): smp_found_config, APIC enabled: allowed = min(total, nr_cpu_ids)
  possible = Math.min(assigned, nrCpuIds);
  present = possible;
  hotplug = 0;
  terms.push({ name: 'nr_assigned_cpus', value: assigned, source: 'arch/x86/kernel/cpu/topology.c topology_register_apic(): LAPICs past nr_cpu_ids are rejected' });
  return remember(ctx, { possible, present, hotplug, presentCpus: possible, presentPossible: possible, setupMaxCpus: early.setupMaxCpus, terms });
}

function remember(ctx: BootContext, p: Omit<PossibleCpus, 'online' | 'explain'> & { terms: ExplainTerm[] }): PossibleCpus {
  // kernel/cpu.c bringup_nonboot_cpus(setup_max_cpus): present CPUs until num_online_cpus() >= setup_max_cpus
  const online = Math.max(1, Math.min(p.presentPossible, p.setupMaxCpus));
  const out: PossibleCpus = {
    possible: p.possible, present: p.present, hotplug: p.hotplug, presentCpus: p.presentCpus, presentPossible: p.presentPossible, setupMaxCpus: p.setupMaxCpus, online,
    explain: [...p.terms, { name: 'nr_cpu_ids', value: p.possible, source: 'set_nr_cpu_ids(possible)' }],
  };
  cache.set(ctx, out);
  return out;
}
