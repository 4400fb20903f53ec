// Runs the simulator on a loaded profile: the profile's kernel with its facts, then sim/boot.ts.
// Kept apart from compare/ so `bootsim sim` and `explain` load no catalog, diff or register code.
import { loadKernelWithFacts } from './kernels.ts';
import { simulate } from '../sim/boot.ts';
import type { DmesgLine, MachineSpec } from '../sim/types.ts';

/** Runs the simulator on a profile. Throws KernelCatalogError (KERNEL_NO_FACTS) when the kernel's facts are not extracted yet. */
export function simulateSpec(spec: MachineSpec): readonly DmesgLine[] {
  return simulate({ spec, kernel: loadKernelWithFacts(spec.kernel) }).lines;
}
