// What the 3.0 pipeline reads besides its state: the profile, the traits, and the facts a 3.0.1 build
// has — its config and its linker symbols. A local build of an old kernel lacks facts the modern stages
// need (struct sizes from BTF, the parameter tables, the image layout rules of 5.10–7.2: harness/kernels.ts
// keeps them as partialFacts with an `absent` list), so this pipeline takes only what it reads.
import type { KernelEntry, KernelFacts } from '../../kernel-facts.ts';
import type { MachineSpec } from '../../types.ts';
import type { Stage, StageFn, StageResult } from '../../boot.ts';
import { deriveTraits, type KernelTraits } from '../../traits.ts';
import { SimError } from '../../lib/errors.ts';
import type { InitrdImage } from '../initrd.ts';

/** The kernel as the 3.0 stages see it: enough for sim/traits.ts kernelConfig() and deriveTraits(). */
export interface Kernel30 {
  readonly id: string;
  readonly arch: KernelEntry['arch'];
  readonly release: string;
  readonly facts: { readonly config: KernelFacts['config'] };
  /** facts.loadOffset: LOAD_OFFSET (PAGE_OFFSET on X86_32). */
  readonly loadOffset: bigint;
  /** Linker symbols from the vmlinux .symtab, link-time physical (virtual − loadOffset). */
  readonly symbols: Readonly<Record<string, number>>;
  /** facts.bzImage.protocol: the setup header's boot protocol (QEMU places an initrd by it). */
  readonly protocol?: string;
}

export interface Boot30Context {
  readonly spec: MachineSpec;
  readonly kernel: Kernel30;
  readonly traits: KernelTraits;
  /** The -initrd the boot is given (harness/simulate.ts initrdFor), by size; absent without one. */
  readonly initrd?: InitrdImage;
}

/** The 3.0 stages have the modern stages' shape (sim/boot.ts), over their own context. */
export type Stage30Result = StageResult;
export type Stage30Fn = StageFn<Boot30Context>;
export type Stage30 = Stage<Boot30Context>;

/** The facts the 3.0 stages read, as a local build's partial facts hold them (sim/kernel-facts.ts). */
export interface Facts30 {
  readonly config: KernelFacts['config'];
  readonly loadOffset?: string | undefined;
  readonly symbols?: Readonly<Record<string, number>> | undefined;
  readonly bzImage?: { readonly protocol: string } | undefined;
}

/** The kernel of a build with partial facts (a local 3.0.1 build): its config, loadOffset and symbols, or a coded refusal naming what is absent. */
export function kernel30Of(entry: Pick<KernelEntry, 'id' | 'arch' | 'release'>, facts: Facts30): Kernel30 {
  if (facts.loadOffset === undefined) throw new SimError('SIM_NOT_MODELLED', 'kernel (3.0)', `${entry.id}: facts.loadOffset: expected LOAD_OFFSET from the vmlinux, found none`);
  if (facts.symbols === undefined) throw new SimError('SIM_NOT_MODELLED', 'kernel (3.0)', `${entry.id}: facts.symbols: expected the vmlinux .symtab's linker symbols, found none (no vmlinux?)`);
  return { id: entry.id, arch: entry.arch, release: entry.release, facts: { config: facts.config }, loadOffset: BigInt(facts.loadOffset), symbols: facts.symbols, ...(facts.bzImage ? { protocol: facts.bzImage.protocol } : {}) };
}

export function context30(spec: MachineSpec, kernel: Kernel30, initrd?: InitrdImage): Boot30Context {
  return { spec, kernel, traits: deriveTraits(kernel), ...(initrd !== undefined ? { initrd } : {}) };
}

/** A symbol the stage needs, or a coded refusal naming it. */
export function symbol30(ctx: Boot30Context, name: string, reader: string): bigint {
  const v = ctx.kernel.symbols[name];
  if (v === undefined) throw new SimError('SIM_NOT_MODELLED', reader, `${ctx.kernel.id}: facts.symbols.${name}: expected it in the vmlinux .symtab, found none`);
  return BigInt(v);
}
