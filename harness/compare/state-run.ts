// Runs the state prediction for a profile and compares it with goldens/<name>/state.log: the edge
// where the state comparison touches the file system (harness/compare/state.ts stays pure).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bootContext, simulate, type BootContext, type SimResult } from '../../sim/boot.ts';
import { predictState, type PostBootState } from '../../sim/stages/state/index.ts';
import type { DmesgLine, MachineSpec } from '../../sim/types.ts';
import { goldensDir, displayPath } from '../../sim/base/paths.ts';
import { bootInputFor, legacyBootFor } from '../simulate.ts';
import { simulate30 } from '../../sim/stages/old/pipeline-30.ts';
import { predictState30 } from '../../sim/stages/old/state-30-proc.ts';
import { SimError } from '../../sim/lib/errors.ts';
import { parseStateLog } from '../state/parse.ts';
import { compareState, type StateComparison, type StateFamilyCount } from './state.ts';
import { BootsimError } from '../../sim/base/errors.ts';

/** What the comparison reads of a prediction: its fields (the modern pipeline's PostBootState has more). */
export type StatePrediction = Pick<PostBootState, 'fields'>;

/**
 * The post-boot state the simulator predicts for a profile (its initrd included: bootInputFor); a
 * 3.0.1 kernel's from the 3.0 pipeline (sim/stages/old/state-30-proc.ts). The other old pipelines
 * predict none: SIM_NOT_MODELLED.
 */
export function predictStateSpec(spec: MachineSpec): StatePrediction {
  const legacy = legacyBootFor(spec);
  if (legacy) {
    if (legacy.allocator !== 'nobootmem') throw new SimError('SIM_NOT_MODELLED', 'state', `${spec.kernel}: the post-boot state of the ${legacy.allocator} pipeline is not predicted (the 3.0.1 pipeline's only: sim/stages/old/state-30-proc.ts)`);
    return { fields: predictState30(simulate30(legacy.ctx).state, legacy.ctx) };
  }
  const ctx = bootContext(bootInputFor(spec));
  return predictState(simulate(ctx).state, ctx);
}

/** The two comparisons of a state golden fed from one simulated boot (sharedBoot). */
export interface SharedBoot {
  /** The lines simulateSpec would print for the profile. */
  readonly lines: (spec: MachineSpec) => readonly DmesgLine[];
  /** What predictStateSpec would predict for it. */
  readonly predict: (spec: MachineSpec) => StatePrediction;
}

/**
 * One simulate() of a profile for both its catalog lines and its state prediction, when simulateSpec
 * runs the same boot predictStateSpec does: the modern pipeline, chosen by the kernel's traits
 * (earlyAllocator 'memblock'; the old allocators run sim/stages/old/, harness/simulate.ts simulatorFor).
 * The boot runs on the first call and its result, or its error, is kept for the second. Undefined when
 * the boot input is refused with a coded error or the kernel runs an old pipeline: then each comparison
 * simulates on its own and meets its own error, as without sharing.
 */
export function sharedBoot(spec: MachineSpec): SharedBoot | undefined {
  let ctx: BootContext;
  try {
    ctx = bootContext(bootInputFor(spec));
  } catch (e) {
    if (e instanceof BootsimError) return undefined;
    throw e;
  }
  if (ctx.traits.earlyAllocator !== 'memblock') return undefined;
  let run: { readonly result: SimResult } | { readonly error: unknown } | undefined;
  const boot = (): SimResult => {
    if (run === undefined) {
      try {
        run = { result: simulate(ctx) };
      } catch (e) {
        run = { error: e };
      }
    }
    if ('error' in run) throw run.error;
    return run.result;
  };
  return { lines: () => boot().lines, predict: () => predictState(boot().state, ctx) };
}

/** The state.log a golden holds, if any: goldens/<name>/state.log. */
export function stateLogFor(spec: MachineSpec, dir: string = goldensDir, name: string = spec.name): string | undefined {
  const f = path.join(dir, name, 'state.log');
  return existsSync(f) ? f : undefined;
}

/** A profile's state comparison, as conformance reports it. */
export interface StateResult {
  readonly stateLog: string;
  readonly comparison: StateComparison;
  /** The simulator's coded refusal of the state, when it has one (the fields are then all missing or unclassified). */
  readonly simError?: string;
}

/**
 * The re-boots of a golden's state.log: goldens/evidence/state/<name>/boot-N/state.log beside the
 * goldens folder the log sits in (tests/goldens/state-evidence.test.ts holds them to the golden's inputs).
 */
export function stateRebootsFor(file: string): string[] {
  const name = path.basename(path.dirname(file));
  const dir = path.join(path.dirname(path.dirname(file)), 'evidence', 'state', name);
  if (path.basename(file) !== 'state.log' || !existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => /^boot-\d+$/.test(d) && existsSync(path.join(dir, d, 'state.log'))).sort().map((d) => path.join(dir, d, 'state.log'));
}

function stateBlocksOf(file: string): Map<string, string> {
  const log = parseStateLog(readFileSync(file, 'utf8'), displayPath(file));
  return new Map([...log.blocks].map(([name, b]) => [name as string, `${b.lines.join('\n')}\n`]));
}

/**
 * Compares a profile's predicted state (default: predictStateSpec) with a state.log, judging the
 * unmodelled fields over the log's re-boots (default: stateRebootsFor). Throws StateError on a log
 * that does not parse.
 */
export function compareStateFile(spec: MachineSpec, file: string, predict: (spec: MachineSpec) => StatePrediction = predictStateSpec, reboots: readonly string[] = stateRebootsFor(file)): StateResult {
  const blocks = stateBlocksOf(file);
  let fields: PostBootState['fields'] = [];
  let simError: string | undefined;
  try {
    fields = predict(spec).fields;
  } catch (e) {
    // a coded refusal (e.g. hugepages= after boot) is recorded; a crash is a bug and keeps its stack
    if (!(e instanceof BootsimError)) throw e;
    simError = `${e.code}: ${e.message}`;
  }
  return { stateLog: displayPath(file), comparison: compareState(fields, blocks, reboots.map(stateBlocksOf)), ...(simError ? { simError } : {}) };
}

const COUNT_KEYS = ['exact', 'within', 'mismatched', 'missing', 'unmodelled', 'unmodelledDeterministic', 'unclassified'] as const;

/** The family counts summed over results. */
export function stateTotals(results: readonly StateResult[]): StateFamilyCount[] {
  const by = new Map<string, StateFamilyCount>();
  for (const r of results) {
    for (const f of r.comparison.families) {
      const t = by.get(f.family);
      if (!t) { by.set(f.family, f); continue; }
      const sum = { ...t };
      for (const k of COUNT_KEYS) sum[k] = t[k] + f[k];
      by.set(f.family, sum);
    }
  }
  return [...by.values()];
}
