// Runs the simulator on a loaded profile: the profile's kernel with its facts, then sim/boot.ts.
// Kept apart from compare/ so `bootsim sim` and `explain` load no catalog, diff or register code.
import { loadKernel, loadKernelWithFacts } from './kernels.ts';
import { simulate } from '../sim/boot.ts';
import { deriveTraits } from '../sim/traits.ts';
import { context30, kernel30Of } from '../sim/stages/old/context-30.ts';
import { simulate30 } from '../sim/stages/old/pipeline-30.ts';
import type { DmesgLine, MachineSpec } from '../sim/types.ts';

/**
 * The simulator for a profile, its kernel loaded once: a kernel whose traits say earlyAllocator
 * 'nobootmem' (3.0.1) runs the 3.0 pipeline on the facts its build has (partial facts: config and
 * linker symbols); any other needs complete facts. Throws KernelCatalogError (KERNEL_NO_FACTS,
 * KERNEL_FACTS_ABSENT) otherwise. `npm run bench` times the returned function.
 */
export function simulatorFor(spec: MachineSpec): () => readonly DmesgLine[] {
  const k = loadKernel(spec.kernel);
  const facts = k.facts ?? k.partialFacts;
  if (facts && deriveTraits({ id: k.id, arch: k.arch, release: k.release, facts: { config: facts.config } }).earlyAllocator === 'nobootmem') {
    const partial = k.partialFacts ?? { config: facts.config, loadOffset: k.facts?.image.loadOffset, symbols: k.facts?.image.symbols };
    const ctx = context30(spec, kernel30Of(k, partial));
    return () => simulate30(ctx).lines;
  }
  const kernel = loadKernelWithFacts(spec.kernel);
  return () => simulate({ spec, kernel }).lines;
}

/** Runs the simulator on a profile (simulatorFor, once). */
export function simulateSpec(spec: MachineSpec): readonly DmesgLine[] {
  return simulatorFor(spec)();
}
