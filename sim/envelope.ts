// The profile envelope (issue 4): what the simulator claims to model, checked once before the first
// stage. Anything outside is a SimError('SIM_NOT_MODELLED') that names the limit; inside it every
// stage must either print the kernel's lines or fail with its own typed error.
import type { StageFn } from './boot.ts';
import type { MachineSpec } from './types.ts';
import type { KernelFacts } from './kernel-facts.ts';
import { deriveTraits, type KernelTraits } from './traits.ts';
import { cmdlineParams } from './stages/e820.ts';
import { paramRefusal } from './stages/cmdline.ts';
import { memparse } from './lib/memparse.ts';
import { SZ_1T, SZ_1M } from './lib/sizes.ts';
import { SimError } from './lib/errors.ts';

/** The largest RAM modelled: 1 TiB (the x86_64 e820/memblock/zone arithmetic is exact beyond, but unverified). */
export const MAX_MODELLED_RAM = SZ_1T;
/** The most NUMA nodes modelled (the NUMA stage's MAX_MODELLED_NODES). */
export const MAX_MODELLED_NODES = 64;

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

/** Checks the profile against the envelope; throws SIM_NOT_MODELLED naming the limit. */
export function checkEnvelope(spec: MachineSpec, kernel: { readonly id: string; readonly arch: KernelTraits['arch']; readonly release: string; readonly facts: KernelFacts }): void {
  const traits = deriveTraits(kernel);
  const where = 'envelope';
  const ram = BigInt(spec.memoryBytes);
  if (ram > MAX_MODELLED_RAM) throw new SimError('SIM_NOT_MODELLED', where, `memory: at most 1T is modelled, got ${spec.memoryText}`);
  // the RAM the kernel keeps: mem= lowers it (the last mem= wins, as parse_memopt applies each)
  let usable = ram;
  // the parameters the kernel claims (its own tables, facts.params) must be reviewed and accepted:
  // sim/stages/cmdline.ts PARAM_REVIEWS is the one register of accepted and refused parameters
  const refused = paramRefusal(spec.cmdline, kernel.facts.params, traits);
  if (refused !== undefined) throw new SimError('SIM_NOT_MODELLED', where, `cmdline: ${refused}`);
  for (const { key, value } of cmdlineParams(spec.cmdline)) {
    if (key === 'mem' && value !== undefined && value !== 'nopentium') {
      const v = memparse(value).value;
      if (v > 0n && v < usable) usable = v;
    }
  }
  const floor = ramFloor(kernel.facts);
  if (usable < floor.bytes) {
    throw new SimError('SIM_NOT_MODELLED', where, `memory: at least ${floor.bytes / SZ_1M}M is needed to boot ${kernel.id} (${floor.rule}), got ${usable / SZ_1M}M`);
  }
  if (spec.numa) {
    if (spec.numa.length > MAX_MODELLED_NODES) throw new SimError('SIM_NOT_MODELLED', where, `numa: at most ${MAX_MODELLED_NODES} nodes are modelled, got ${spec.numa.length}`);
    // i386 Debian builds have no CONFIG_NUMA: QEMU still builds the SRAT (and it changes the ACPI
    // table layout the firmware model places), while the kernel ignores it and puts all memory on
    // node 0. Neither the SRAT-sized ACPI blob nor such a boot is captured: refused, not guessed.
    if (!traits.numa) throw new SimError('SIM_NOT_MODELLED', where, `numa: kernel ${kernel.id} has no CONFIG_NUMA (QEMU's SRAT would be ignored); -numa on it is not modelled`);
    for (const [i, n] of spec.numa.entries()) {
      if (n.memoryBytes === 0) throw new SimError('SIM_NOT_MODELLED', where, `numa[${i}]: memoryless nodes are not modelled`);
    }
  }
  if (traits.nrCpus !== undefined && spec.cpus > traits.nrCpus) {
    // generic_processor_info: "APIC: NR_CPUS/possible_cpus limit of %i reached. Processor … ignored."
    throw new SimError('SIM_NOT_MODELLED', where, `cpus: kernel ${kernel.id} has NR_CPUS=${traits.nrCpus}; more CPUs (${spec.cpus}) take the "NR_CPUS/possible_cpus limit reached" path, not modelled`);
  }
}

// First stage: the envelope check, no lines, no state.
export const envelopeStage: StageFn = (state, ctx) => {
  checkEnvelope(ctx.spec, ctx.kernel);
  return { state, lines: [] };
};
