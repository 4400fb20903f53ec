// Runs the simulated boot of a profile with an observer on sim/boot.ts simulate() (or the old
// pipelines' simulate30/simulate34, sim/stages/old/): what each stage
// was given, what it left and what it printed (StageStep). The map (harness/report/map/) draws the
// last state; the explorer (this folder) walks every step. The simulator's output is the one
// `bootsim sim` prints: the observer only looks.
import { simulate, stages, type StageStep } from '../../../sim/boot.ts';
import { deriveTraits, type KernelTraits } from '../../../sim/traits.ts';
import { loadKernel } from '../../kernels.ts';
import { bootInputFor, legacyBootFor } from '../../simulate.ts';
import { simulate30, stages30 } from '../../../sim/stages/old/pipeline-30.ts';
import { simulate34 } from '../../../sim/stages/old/pipeline-34.ts';
import { simulate2611 } from '../../../sim/stages/old/pipeline-2611.ts';
import { BootsimError } from '../../../sim/base/errors.ts';
import { displayPath } from '../../../sim/base/paths.ts';
import type { DmesgLine, MachineSpec } from '../../../sim/types.ts';
import type { BootState } from '../../../sim/state.ts';

export type ReportCode =
  /** The kernel has an early allocator no pipeline models, so there is no state for the map and explorer to draw. */
  | 'REPORT_PIPELINE_NOT_DRAWN'
  /** --out names a file of a kind the verb does not write. */
  | 'REPORT_OUT_KIND'
  /** --golden cannot be read. */
  | 'REPORT_GOLDEN_UNREADABLE'
  /** --against names neither a profile nor a kernel of the catalog. */
  | 'REPORT_AGAINST_UNKNOWN';

/** What the map and the explorer refuse, each with a code. */
export class ReportError extends BootsimError<ReportCode> {
  override readonly name = 'ReportError';
}

/** One traced boot: the profile, the kernel it ran, every stage's step, the lines and the last state. */
export interface TracedBoot {
  readonly spec: MachineSpec;
  readonly kernelId: string;
  readonly release: string;
  readonly arch: string;
  readonly traits: KernelTraits;
  readonly steps: readonly StageStep[];
  readonly lines: readonly DmesgLine[];
  readonly state: BootState;
}

/** Simulates `spec` and records every stage (sim/boot.ts SimulateOptions.observe). */
export function traceSpec(spec: MachineSpec): TracedBoot {
  const k = loadKernel(spec.kernel);
  const config = (k.facts ?? k.partialFacts)?.config;
  const allocator = config ? deriveTraits({ id: k.id, arch: k.arch, release: k.release, facts: { config } }).earlyAllocator : undefined;
  // the 3.0, 2.6.34 and 2.6.11 pipelines (sim/stages/old/): the boot `bootsim sim` runs (harness/simulate.ts legacyBootFor), observed the same way
  const legacy = allocator === 'nobootmem' || allocator === 'early_res' || allocator === 'bootmem' ? legacyBootFor(spec) : undefined;
  if (legacy) {
    const steps: StageStep[] = [];
    const observe = (s: StageStep): void => { steps.push(s); };
    const r = legacy.allocator === 'early_res' ? simulate34(legacy.ctx, { observe }) : legacy.allocator === 'bootmem' ? simulate2611(legacy.ctx, { observe }) : simulate30(legacy.ctx, stages30, { observe });
    return { spec, kernelId: k.id, release: k.release, arch: k.arch, traits: legacy.ctx.traits, steps, lines: r.lines, state: r.state };
  }
  if (allocator !== undefined && allocator !== 'memblock') {
    const why = `has early allocator '${allocator}', which no pipeline models, and whose state`;
    throw new ReportError('REPORT_PIPELINE_NOT_DRAWN', `${displayPath(spec.file)}: kernel ${k.id} ${why} the map and the explorer do not draw; expected a kernel of the modern pipeline (memblock: 5.10 and later), or of the 3.0, 2.6.34 or 2.6.11 pipeline`);
  }
  // the boot `bootsim sim` runs: the kernel with its facts and the profile's -initrd
  const input = bootInputFor(spec);
  const kernel = input.kernel;
  const steps: StageStep[] = [];
  const r = simulate(input, stages, { observe: (s) => steps.push(s) });
  return { spec, kernelId: kernel.id, release: kernel.release, arch: kernel.arch, traits: deriveTraits(kernel), steps, lines: r.lines, state: r.state };
}
