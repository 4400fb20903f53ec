// The profile envelope (issue 4, issue 10 item 5): every limit the simulator has that depends on the
// profile alone, defined once here. The profile loader (harness/profile/load.ts) calls envelopeLimit()
// and reports a limit at the field's file, line and column; the first stage calls checkEnvelope() for
// specs built by hand. Anything outside is a SimError ('SIM_NOT_MODELLED', or 'SIM_QEMU_REFUSES' when
// QEMU 7.2 itself would not start) saying the field, what is allowed and what was found. Inside it
// every stage must either print the kernel's lines or fail with its own typed error.
import type { StageFn } from './boot.ts';
import type { MachineSpec } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';
import type { SourcePos } from './base/errors.ts';
import { deriveTraits, type KernelTraits } from './traits.ts';
import { cmdlineParams } from './stages/e820.ts';
import { paramRefusal } from './stages/cmdline.ts';
import { firmwareTable } from './firmware/e820-table.ts';
import { kernelCpuRefusal } from './stages/boot-cpu.ts';
import { movableFromLowmem } from './stages/movable-lowmem.ts';
import { fakeNumaUnusedPhys } from './stages/numa-fake-limit.ts';
import { pageChunkPastVmallocEnd } from './stages/percpu-limit.ts';
import { memparse } from './lib/memparse.ts';
import { SZ_1T, SZ_1M } from './lib/sizes.ts';
import { SimError, type SimErrorCode } from './lib/errors.ts';

/** The largest RAM modelled: 1 TiB (the x86_64 e820/memblock/zone arithmetic is exact beyond, but unverified). */
export const MAX_MODELLED_RAM = SZ_1T;
/** The most NUMA nodes modelled (the NUMA stage's MAX_MODELLED_NODES). */
export const MAX_MODELLED_NODES = 64;

/**
 * The most vCPUs QEMU 7.2 starts under TCG, on either machine: hw/i386/x86.c x86_cpus_init() exits
 * with "current -smp configuration requires kernel irqchip and X2APIC API support." when
 * apic_id_limit > 255 and the LAPIC is not KVM's in-kernel one with the X2APIC API. A profile has no
 * -smp topology, so the APIC IDs are 0..cpus-1 (x86_cpu_apic_id_from_index with one thread, one core
 * per socket) and apic_id_limit = cpus. q35's max_cpus of 288 is reachable only with KVM; so no MADT
 * QEMU builds under TCG has an x2APIC entry (hw/i386/acpi-common.c build_madt: apic_id ≥ 255 only).
 */
export const TCG_MAX_CPUS = 255;

/** One limit a profile is outside of: the field, what is allowed there and what the profile has. */
export interface EnvelopeLimit {
  readonly code: Extract<SimErrorCode, 'SIM_NOT_MODELLED' | 'SIM_QEMU_REFUSES'>;
  /** The profile field: memory, cpus, cpu, machine, cmdline, numa, numa[i], numa[i].memory. */
  readonly field: string;
  readonly allowed: string;
  readonly found: string;
  /** The rule behind the limit (source file and function), or the unit that raised it. */
  readonly why: string;
  /** For cmdline: where in the field's text the offending parameter starts (0-based). */
  readonly offset?: number;
  /** The whole text after the field, for a limit raised by a profile-only stage in its own words. */
  readonly text?: string;
}

/** The limit as the one-line message every reporter prints: field, expected, got, why. */
export function limitMessage(l: EnvelopeLimit): string {
  return l.text !== undefined ? `${l.field}: ${l.text} (${l.why})` : `${l.field}: expected ${l.allowed}, got ${l.found} (${l.why})`;
}

/** The SimError for a limit; `pos` is where the field sits in the profile file, when known. */
export function limitError(l: EnvelopeLimit, pos?: SourcePos): SimError {
  return new SimError(l.code, 'envelope', limitMessage(l), { pos });
}

/**
 * The smallest RAM modelled, as a rule from the image: with nokaslr the kernel is not relocated, and
 * the boot protocol needs [pref_address, pref_address + init_size) to be RAM — the decompressor and
 * the decompressed kernel with its bss and brk live there (Documentation/arch/x86/boot.rst,
 * "init_size"; arch/x86/boot/compressed/head_{32,64}.S). Necessary, not sufficient: memblock's early
 * allocations come on top, and the memblock stage fails with its own error if they do not fit.
 */
export function ramFloor(facts: Pick<KernelFacts, 'bzImage'>): { bytes: bigint; rule: string } {
  const load = BigInt(facts.bzImage.prefAddress);
  const init = BigInt(facts.bzImage.initSize);
  return { bytes: load + init, rule: `pref_address 0x${load.toString(16)} + init_size 0x${init.toString(16)}` };
}

/** A catalog kernel with its facts (the early stages the ZONE_MOVABLE limit runs take a BootContext's kernel). */
export type EnvelopeKernel = KernelEntry & { readonly facts: KernelFacts };

const FIELD_RE = /^(memory|cpus|cpu|machine|cmdline|numa(?:\[\d+\])?(?:\.memory|\.cpus)?)\b:?\s*/;

/** A SimError from a profile-only helper (firmware, command-line split) as a limit of the field its message names. */
function fromSimError(e: SimError): EnvelopeLimit {
  const text = e.message.slice(e.where.length + 2);
  const m = FIELD_RE.exec(text);
  const field = m ? m[1]! : 'profile';
  const rest = m ? text.slice(m[0].length) : text;
  return { code: e.code === 'SIM_QEMU_REFUSES' ? 'SIM_QEMU_REFUSES' : 'SIM_NOT_MODELLED', field, allowed: 'a profile inside the modelled envelope', found: rest, text: rest, why: `sim/${e.where}` };
}

/** The first limit the profile is outside of, in field order, or undefined when it is inside the envelope. */
export function envelopeLimit(spec: MachineSpec, kernel: EnvelopeKernel): EnvelopeLimit | undefined {
  // Memo of this pure function on its whole input, the spec and kernel objects (both readonly): the profile
  // loader and the boot's first stage (envelopeStage) check the same profile. An error is not kept.
  const byKernel = limitMemo.get(spec) ?? new WeakMap<EnvelopeKernel, { readonly limit: EnvelopeLimit | undefined }>();
  limitMemo.set(spec, byKernel);
  const hit = byKernel.get(kernel);
  if (hit !== undefined) return hit.limit;
  const limit = firstLimit(spec, kernel);
  byKernel.set(kernel, { limit });
  return limit;
}

/** envelopeLimit's results by spec, then kernel. */
const limitMemo = new WeakMap<MachineSpec, WeakMap<EnvelopeKernel, { readonly limit: EnvelopeLimit | undefined }>>();

function firstLimit(spec: MachineSpec, kernel: EnvelopeKernel): EnvelopeLimit | undefined {
  const traits = deriveTraits(kernel);
  const ram = BigInt(spec.memoryBytes);
  const sizeLimit = machineSizeLimit(spec, ram);
  if (sizeLimit) return sizeLimit;
  const cmdline = cmdlineLimit(spec, kernel, traits);
  if (cmdline) return cmdline;
  const usable = usableRam(spec, ram);
  const floor = ramFloorLimit(kernel, ram, usable);
  if (floor) return floor;
  if (spec.numa && spec.numa.length > MAX_MODELLED_NODES) {
    return { code: 'SIM_NOT_MODELLED', field: 'numa', allowed: `at most ${MAX_MODELLED_NODES} nodes`, found: `${spec.numa.length} nodes`, why: 'sim/envelope.ts MAX_MODELLED_NODES' };
  }
  // i386 Debian builds have no CONFIG_NUMA: QEMU still builds the SRAT, inside the etc/acpi/tables
  // blob padded to ACPI_BUILD_TABLE_SIZE (sim/firmware/e820-table.ts), and the kernel ignores it
  // (no initmem_init NUMA path): every node's memory and CPU is node 0's (sim/stages/numa.ts).
  // numa=fake= over the SRAT's physical nodes (split_nodes_interleave over them, __apicid_to_node
  // remapped) is modelled (sim/stages/numa.ts numaMeminfo); on 6.12+ one that leaves a physical
  // node without an emulated node oopses the kernel (sim/stages/numa-fake-limit.ts, below)
  // a memoryless node: its pg_data_t comes from free_area_init() on 6.1+ (sim/stages/zones.ts), and
  // on 5.10 from init_cpu_to_node() → init_memory_less_node() (sim/stages/numa.ts initCpuToNode)
  // numa=off with numa=fake=: the dummy node is split (≤ 6.1), or 6.12+ fix_pxm_node_maps() gives the
  // emulation up after printing the fake nodes (sim/stages/numa.ts numaMeminfo)
  // more vCPUs than NR_CPUS (the i386 builds' 32) are modelled: generic_processor_info() ignores the
  // LAPICs past nr_cpu_ids and the kernel runs with NR_CPUS possible CPUs (sim/stages/possible-cpus.ts)
  // QEMU 7.2 + SeaBIOS (sim/firmware/) depend on the profile alone: the CPU model, the RAM split,
  // QEMU's own refusals (phys-bits too low), the ACPI blob and ZoneHigh
  let fw;
  try {
    fw = firmwareTable(spec, traits.arch);
  } catch (e) {
    if (e instanceof SimError) return fromSimError(e);
    throw e;
  }
  // the kernel's setup code checks the CPU first (arch/x86/boot/cpu.c validate_cpu) and stops
  // before any dmesg line when it lacks the build's minimum family or a required feature
  const cpuRefusal = kernelCpuRefusal(spec, kernel);
  if (cpuRefusal !== undefined) {
    return { code: 'SIM_NOT_MODELLED', field: 'cpu', allowed: `a CPU kernel ${kernel.id} boots on`, found: JSON.stringify(spec.cpu ?? ''), text: cpuRefusal.slice('cpu: '.length), why: 'sim/stages/boot-cpu.ts kernelCpuRefusal' };
  }
  return memLeavesNodeEmptyLimit(spec, fw.srat, ram, usable) ?? earlyStageLimit(spec, kernel, traits);
}

/** The RAM and vCPU counts the model and QEMU's TCG accept. */
function machineSizeLimit(spec: MachineSpec, ram: bigint): EnvelopeLimit | undefined {
  if (ram > MAX_MODELLED_RAM) {
    return { code: 'SIM_NOT_MODELLED', field: 'memory', allowed: 'at most 1T', found: spec.memoryText, why: 'sim/envelope.ts MAX_MODELLED_RAM: the model is claimed up to 1 TiB' };
  }
  if (spec.cpus > TCG_MAX_CPUS) {
    return {
      code: 'SIM_QEMU_REFUSES', field: 'cpus', allowed: `at most ${TCG_MAX_CPUS} under TCG`, found: String(spec.cpus),
      why: 'QEMU 7.2 hw/i386/x86.c x86_cpus_init(): apic_id_limit > 255 without KVM\'s X2APIC API exits with "current -smp configuration requires kernel irqchip and X2APIC API support."',
    };
  }
  return undefined;
}

/** The command line: it splits, every parameter is reviewed, and each early parameter that needs a value has one. */
function cmdlineLimit(spec: MachineSpec, kernel: EnvelopeKernel, traits: KernelTraits): EnvelopeLimit | undefined {
  // the parameters the kernel claims (its own tables, facts.params) must be reviewed and accepted:
  // sim/stages/cmdline.ts PARAM_REVIEWS is the one register of accepted and refused parameters
  try {
    cmdlineParams(spec.cmdline);
  } catch (e) {
    if (e instanceof SimError) return { ...fromSimError(e), field: 'cmdline' };
    throw e;
  }
  const refused = paramRefusal(spec.cmdline, kernel.facts.params, traits);
  if (refused !== undefined) {
    const name = refused.slice(0, refused.indexOf(': '));
    const offset = spec.cmdline?.indexOf(name);
    return {
      code: 'SIM_NOT_MODELLED', field: 'cmdline', allowed: 'parameters the simulator models or the kernel ignores', found: `"${name}"`,
      text: refused, why: 'sim/stages/cmdline.ts PARAM_REVIEWS', ...(offset !== undefined && offset >= 0 ? { offset } : {}),
    };
  }
  // an early_param handler given no value: parse_highmem() and parse_vmalloc() (X86_32) and
  // log_buf_len_setup() return -EINVAL for a NULL argument, and do_early_param() (init/main.c) then
  // prints "Malformed early option '%s'", a line no catalog family holds: refused here, at the parameter
  const malformed = malformedEarlyOption(spec.cmdline ?? '', traits.arch);
  if (malformed !== undefined) {
    return {
      code: 'SIM_NOT_MODELLED', field: 'cmdline', allowed: `${malformed.name}=<size>`, found: `"${malformed.name}" without a value`, offset: malformed.offset,
      why: `${malformed.source} returns -EINVAL and init/main.c do_early_param() prints "Malformed early option '${malformed.name}'", which is not modelled`,
    };
  }
  return undefined;
}

/** The RAM the kernel keeps: mem= lowers it (the last mem= wins, as parse_memopt applies each). */
function usableRam(spec: MachineSpec, ram: bigint): bigint {
  let usable = ram;
  for (const { key, value } of cmdlineParams(spec.cmdline)) {
    if (key === 'mem' && value !== undefined && value !== 'nopentium') {
      const v = memparse(value).value;
      if (v > 0n && v < usable) usable = v;
    }
  }
  return usable;
}

/** The boot protocol's RAM floor (ramFloor), against the RAM left after mem=. */
function ramFloorLimit(kernel: EnvelopeKernel, ram: bigint, usable: bigint): EnvelopeLimit | undefined {
  const floor = ramFloor(kernel.facts);
  if (usable >= floor.bytes) return undefined;
  const field = usable < ram ? 'cmdline' : 'memory';
  return {
    code: 'SIM_NOT_MODELLED', field, allowed: `at least ${floor.bytes / SZ_1M}M of RAM to boot ${kernel.id}`, found: `${usable / SZ_1M}M${usable < ram ? ' after mem=' : ''}`,
    why: `the boot protocol's ${floor.rule} must be RAM`,
  };
}

/**
 * mem= removes the RAM at and above its address (arch/x86/kernel/e820.c parse_memopt:
 * e820__range_remove(mem_size, ULLONG_MAX - mem_size, …)): a node whose SRAT ranges all start
 * there is left memoryless, which the NUMA stage does not model (the numa[i].memory check above).
 */
function memLeavesNodeEmptyLimit(spec: MachineSpec, srat: ReturnType<typeof firmwareTable>['srat'], ram: bigint, usable: bigint): EnvelopeLimit | undefined {
  if (!spec.numa || !srat || usable >= ram) return undefined;
  for (const [i, n] of spec.numa.entries()) {
    if (!srat.some((r) => r.node === i && r.start < usable)) {
      return { code: 'SIM_NOT_MODELLED', field: 'cmdline', allowed: `a mem= that leaves numa[${i}] (${n.memoryText}) some memory`, found: `mem= at ${usable / SZ_1M}M`, why: 'a node left without memory is a memoryless node, which is not modelled' };
    }
  }
  return undefined;
}

/** A run of the early stages that decides a limit, or undefined when they cannot tell: their own errors are left to the run. */
function unlessSimError<T>(run: () => T | undefined): T | undefined {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof SimError)) throw e;
    return undefined;
  }
}

/** The limits that need the early stages' results (memblock.memory, max_pfn, max_low_pfn): real kernel failures before the console is up. */
function earlyStageLimit(spec: MachineSpec, kernel: EnvelopeKernel, traits: KernelTraits): EnvelopeLimit | undefined {
  const ctx = { spec, kernel, traits };
  // kernelcore=/movablecore= on a build whose is_highmem_idx(ZONE_MOVABLE) is a constant (5.10 i386):
  // a ZONE_MOVABLE below max_low_pfn is freed twice ("BUG: Bad page state"), not modelled
  const low = unlessSimError(() => movableFromLowmem(ctx));
  return fakeNumaLimit(spec, kernel, unlessSimError(() => fakeNumaUnusedPhys(ctx)))
    ?? pageChunkLimit(spec, kernel, unlessSimError(() => pageChunkPastVmallocEnd(ctx)))
    ?? movableLowLimit(spec, kernel, low);
}

/**
 * numa=fake=N that leaves one of the SRAT's physical nodes without an emulated node, on 6.12+:
 * fix_pxm_node_maps() enables it and numa_emulation() reads the NULL copy of the physical distance
 * table (no SLIT), an oops in setup_arch() before the console is up.
 */
function fakeNumaLimit(spec: MachineSpec, kernel: EnvelopeKernel, unused: ReturnType<typeof fakeNumaUnusedPhys>): EnvelopeLimit | undefined {
  if (unused === undefined) return undefined;
  const m = /(^|\s)(numa=fake=\S*)/.exec(spec.cmdline ?? '');
  return {
    code: 'SIM_NOT_MODELLED', field: 'cmdline', allowed: `numa=fake=N giving each of the ${spec.numa?.length ?? 0} SRAT nodes an emulated node (N at least the nodes with memory, none memoryless) on ${kernel.id}`,
    found: `"${m?.[2] ?? 'numa=fake='}": physical node${unused.length > 1 ? 's' : ''} ${unused.join(', ')} get${unused.length > 1 ? '' : 's'} none`,
    why: `${kernel.id}: mm/numa_emulation.c numa_emulation() → fix_pxm_node_maps() enables the unused physical node past max_emu_nid, and the distance loop after it reads phys_dist, NULL without a SLIT (numa_dist_cnt 0): the kernel oopses in setup_arch() before the console is up, which is not modelled`,
    ...(m ? { offset: m.index + m[1]!.length } : {}),
  };
}

/** percpu_alloc=page on X86_32 with a first chunk past VMALLOC_END: vm_area_register_early() BUG()s in setup_per_cpu_areas(), before the console is up. */
function pageChunkLimit(spec: MachineSpec, kernel: EnvelopeKernel, pastVmalloc: ReturnType<typeof pageChunkPastVmallocEnd>): EnvelopeLimit | undefined {
  if (pastVmalloc === undefined) return undefined;
  const m = /(^|\s)(percpu_alloc=page)/.exec(spec.cmdline ?? '');
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  const room = pastVmalloc.vmallocEnd - pastVmalloc.vmallocStart;
  return {
    code: 'SIM_NOT_MODELLED', field: 'cmdline', allowed: `percpu_alloc=page with its first chunk inside the vmalloc area [${hex(pastVmalloc.vmallocStart)}, ${hex(pastVmalloc.vmallocEnd)}) (${room / 1024n}K: a larger vmalloc=, fewer CPUs or less lowmem)`,
    found: `${pastVmalloc.cpus} CPUs × ${pastVmalloc.unitSize} bytes = ${(BigInt(pastVmalloc.cpus * pastVmalloc.unitSize)) / 1024n}K, to ${hex(pastVmalloc.vmEnd)}`,
    why: `${kernel.id}: mm/percpu.c pcpu_page_first_chunk() → mm/vmalloc.c vm_area_register_early(): BUG_ON(addr > VMALLOC_END - vm->size) stops the boot in setup_per_cpu_areas(), which is not modelled`,
    ...(m ? { offset: m.index + m[1]!.length } : {}),
  };
}

/** A ZONE_MOVABLE carved from lowmem on a build where zone_movable_is_highmem() is a constant (5.10 i386). */
function movableLowLimit(spec: MachineSpec, kernel: EnvelopeKernel, low: ReturnType<typeof movableFromLowmem>): EnvelopeLimit | undefined {
  if (low === undefined) return undefined;
  const m = /(^|\s)((?:kernelcore|movablecore)=)/.exec(spec.cmdline ?? '');
  const words = (spec.cmdline ?? '').split(/\s+/).filter((w) => /^(kernelcore|movablecore)=/.test(w));
  const hex = (pfn: bigint) => `0x${pfn.toString(16)}`;
  return {
    code: 'SIM_NOT_MODELLED', field: 'cmdline', allowed: `kernelcore=/movablecore= that leave ZONE_MOVABLE in HighMem, at or above max_low_pfn ${hex(low.maxLowPfn)} (max_pfn ${hex(low.maxPfn)})`,
    found: `"${words.join(' ')}": ZONE_MOVABLE from pfn ${hex(low.movableStartPfn)}, carved from ${low.zone}`,
    why: `${kernel.id}: zone_movable_is_highmem() is the constant (ZONE_MOVABLE - 1) == ZONE_HIGHMEM without CONFIG_NEED_MULTIPLE_NODES (include/linux/mmzone.h), so set_highmem_pages_init() and memblock_free_all() both free its pages and the kernel reports "BUG: Bad page state", which is not modelled`,
    ...(m ? { offset: m.index + m[1]!.length } : {}),
  };
}

/** The early parameters whose handler returns -EINVAL when given no value, and the architecture that registers each. */
const VALUE_REQUIRED: readonly { readonly name: string; readonly arch?: KernelTraits['arch']; readonly source: string }[] = [
  { name: 'highmem', arch: 'i386', source: 'arch/x86/mm/init_32.c parse_highmem()' },
  { name: 'vmalloc', arch: 'i386', source: 'arch/x86/mm/pgtable_32.c parse_vmalloc()' },
  { name: 'log_buf_len', source: 'kernel/printk/printk.c log_buf_len_setup()' },
];

/**
 * The first bare parameter of VALUE_REQUIRED on the command line (up to "--", as parse_args stops
 * there), with where it starts; names compare as do_early_param's parameq() does ('-' and '_' alike).
 */
export function malformedEarlyOption(cmdline: string, arch: KernelTraits['arch']): { name: string; offset: number; source: string } | undefined {
  const re = /\S+/g;
  for (let m = re.exec(cmdline); m; m = re.exec(cmdline)) {
    const word = m[0];
    if (word === '--') return undefined;
    if (word.includes('=')) continue;
    const hit = VALUE_REQUIRED.find((v) => (v.arch === undefined || v.arch === arch) && word.replace(/-/g, '_') === v.name);
    if (hit) return { name: hit.name, offset: m.index, source: hit.source };
  }
  return undefined;
}

/** Checks the profile against the envelope; throws the limit's SimError (no position: a spec built by hand). */
export function checkEnvelope(spec: MachineSpec, kernel: EnvelopeKernel): void {
  const l = envelopeLimit(spec, kernel);
  if (l) throw limitError(l);
}

// First stage: the envelope check, no lines, no state.
export const envelopeStage: StageFn = (state, ctx) => {
  checkEnvelope(ctx.spec, ctx.kernel);
  return { state, lines: [] };
};
