// The simulated boot: a pipeline of pure stages in the order the kernel runs them
// (init/main.c: start_kernel → setup_arch → mm_core_init …). See shared/STYLE.md §1–2.
import type { DmesgLine, MachineSpec } from './types.ts';
import type { KernelEntry, KernelFacts } from './kernel-facts.ts';
import { e820Setup, e820Trim, e820LowPfn } from './stages/e820.ts';

/** Everything a stage may read besides the state: the profile, the kernel and its facts. */
export interface BootContext {
  readonly spec: MachineSpec;
  readonly kernel: KernelEntry & { readonly facts: KernelFacts };
}

/** Named state threaded through the stages. Stages add fields; none are positional. */
export type BootState = Readonly<Record<string, unknown>>;

export interface StageResult<S extends BootState = BootState> {
  readonly state: S;
  readonly lines: readonly DmesgLine[];
}

export type Stage = (state: BootState, ctx: BootContext) => StageResult;

/** The stages, in boot order. Each issue that models a part of the boot adds its stages here. */
export const stages: readonly Stage[] = [
  // setup_arch(): e820__memory_setup … e820__finish_early_params (BIOS-e820, mem=/memmap=, user:)
  e820Setup,
  // setup_arch(): trim_bios_range, max_pfn = e820__end_of_ram_pfn()
  e820Trim,
  // setup_arch(), x86_64: max_low_pfn = e820__end_of_low_ram_pfn() when RAM is above 4G
  e820LowPfn,
];

export interface SimResult {
  readonly lines: readonly DmesgLine[];
  readonly state: BootState;
}

/** Runs every stage and gathers the lines. Pure: no file system, clock or globals. */
export function simulate(ctx: BootContext, pipeline: readonly Stage[] = stages): SimResult {
  let state: BootState = {};
  const lines: DmesgLine[] = [];
  for (const stage of pipeline) {
    const r = stage(state, ctx);
    state = r.state;
    lines.push(...r.lines);
  }
  return { lines, state };
}
