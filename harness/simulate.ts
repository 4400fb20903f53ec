// Runs the simulator on a loaded profile: the profile's kernel with its facts, then sim/boot.ts.
// Kept apart from compare/ so `bootsim sim` and `explain` load no catalog, diff or register code.
import { loadKernel, loadKernelWithFacts } from './kernels.ts';
import { simulate, type BootInput } from '../sim/boot.ts';
import { deriveTraits } from '../sim/traits.ts';
import { context30, kernel30Of, type Boot30Context } from '../sim/stages/old/context-30.ts';
import { simulate30 } from '../sim/stages/old/pipeline-30.ts';
import { simulate34 } from '../sim/stages/old/pipeline-34.ts';
import { simulate2611 } from '../sim/stages/old/pipeline-2611.ts';
import type { Arch, DmesgLine, MachineSpec } from '../sim/types.ts';
import type { InitrdImage } from '../sim/stages/initrd.ts';
import { factsFile, readInitramfsFacts, stateImageFor, type StateImageId } from '../qemu-scripts/initramfs/facts.ts';
import { displayPath } from '../sim/base/paths.ts';

/**
 * The -initrd a profile's capture boots with, as the simulator takes it (by size): probe: state
 * boots the probe initramfs (qemu-scripts/initramfs/) `image` (the arch's busybox image, or the mini
 * one: probeImageFor), whose bytes goldens/initramfs/state-<image>.yaml records; no probe, no -initrd.
 * A missing or invalid facts file is an InitramfsError.
 */
export function initrdFor(spec: MachineSpec, arch: Arch, image: StateImageId = arch): InitrdImage | undefined {
  if (spec.probe !== 'state') return undefined;
  let rd = probeInitrd.get(image);
  if (rd === undefined) {
    const f = readInitramfsFacts(image);
    rd = { bytes: f.bytes, from: `${displayPath(factsFile(image))} bytes (the probe initramfs, sha256 ${f.sha256.slice(0, 12)}…)` };
    probeInitrd.set(image, rd);
  }
  return rd;
}

/** The probe image a kernel boots (sim/traits.ts state.probeImage): what capture prepares and the simulator sizes. */
export function probeImageFor(kernel: Parameters<typeof deriveTraits>[0]): StateImageId {
  return stateImageFor(kernel.arch, deriveTraits(kernel).state.probeImage);
}

// The committed facts file is read once per image per process (conformance boots every state golden);
// `bootsim initramfs build` rewrites it but boots nothing after. A refusal is not kept: it is thrown again.
const probeInitrd = new Map<StateImageId, InitrdImage>();

/** What simulate() boots for a profile: its kernel with its facts, and its -initrd (initrdFor). */
export function bootInputFor(spec: MachineSpec): BootInput {
  const kernel = loadKernelWithFacts(spec.kernel);
  const initrd = spec.probe === 'state' ? initrdFor(spec, kernel.arch, probeImageFor(kernel)) : undefined;
  return { spec, kernel, ...(initrd !== undefined ? { initrd } : {}) };
}

/**
 * The simulator for a profile, its kernel loaded once: a kernel whose traits say earlyAllocator
 * 'nobootmem' (3.0.1) runs the 3.0 pipeline, one that says 'early_res' (2.6.34) the 2.6.34 pipeline,
 * each on the facts its build has (partial facts: config and linker symbols); any other needs complete facts. Throws KernelCatalogError (KERNEL_NO_FACTS,
 * KERNEL_FACTS_ABSENT) otherwise. `npm run bench` times the returned function.
 */
export function simulatorFor(spec: MachineSpec): () => readonly DmesgLine[] {
  const legacy = legacyBootFor(spec);
  if (legacy) {
    const { ctx } = legacy;
    if (legacy.allocator === 'early_res') return () => simulate34(ctx).lines;
    if (legacy.allocator === 'nobootmem') return () => simulate30(ctx).lines;
    // 'bootmem': the 2.6.11 pipeline of the kernel's arch (i386, or the x86_64 prebuilt's)
    return () => simulate2611(ctx).lines;
  }
  const input = bootInputFor(spec);
  return () => simulate(input).lines;
}

/** A boot of one of the old pipelines (sim/stages/old/): which one, by the kernel's early allocator, and its context. */
export interface LegacyBoot {
  /** 'nobootmem': the 3.0 pipeline; 'early_res': the 2.6.34 one; 'bootmem': the 2.6.11 i386 or x86_64 one (pipeline-2611.ts). */
  readonly allocator: 'nobootmem' | 'early_res' | 'bootmem';
  readonly ctx: Boot30Context;
}

/** The old pipeline a profile's kernel runs (simulatorFor's choice), or undefined for the modern pipeline. */
export function legacyBootFor(spec: MachineSpec): LegacyBoot | undefined {
  const k = loadKernel(spec.kernel);
  const facts = k.facts ?? k.partialFacts;
  const like = facts && { id: k.id, arch: k.arch, release: k.release, facts: { config: facts.config } };
  const early = like && deriveTraits(like).earlyAllocator;
  if (like && facts && (early === 'nobootmem' || early === 'early_res')) {
    const partial = k.partialFacts ?? { config: facts.config, loadOffset: k.facts?.image.loadOffset, symbols: k.facts?.image.symbols, bzImage: k.facts?.bzImage };
    const initrd = spec.probe === 'state' ? initrdFor(spec, k.arch, probeImageFor(like)) : undefined;
    return { allocator: early, ctx: context30(spec, kernel30Of(k, partial), initrd) };
  }
  // 2.6.11: the i386 build's or the x86_64 prebuilt's pipeline (sim/stages/old/pipeline-2611.ts)
  if (facts && early === 'bootmem' && k.partialFacts) return { allocator: 'bootmem', ctx: context30(spec, kernel30Of(k, k.partialFacts)) };
  return undefined;
}

/** Runs the simulator on a profile (simulatorFor, once). */
export function simulateSpec(spec: MachineSpec): readonly DmesgLine[] {
  return simulatorFor(spec)();
}
