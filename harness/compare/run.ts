// Runs one profile end to end: load the profile, simulate it, read the golden, compare.
// This is where the file system is touched; compare.ts and align.ts stay pure.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadProfile } from '../profile/load.ts';
import { simulateSpec } from '../simulate.ts';
import { goldensDir, displayPath } from '../../sim/base/paths.ts';
import type { DmesgLine, MachineSpec } from '../../sim/types.ts';
import { compareLines } from './compare.ts';
import { familyTraits, readClassifiedGolden, simLines, simProblems } from './catalog-port.ts';
import type { ProfileResult } from './result.ts';
import { findDivergence, type Divergence } from '../divergences.ts';
import { BootsimError } from '../../sim/base/errors.ts';
import { compareStateFile, sharedBoot, stateLogFor, type SharedBoot } from './state-run.ts';

/** The state.log beside a golden serial.log (a `probe: state` capture), if there is one. */
function stateLogOf(spec: MachineSpec, goldenFile: string): string | undefined {
  if (path.basename(goldenFile) !== 'serial.log') return undefined;
  return stateLogFor(spec, path.dirname(path.dirname(goldenFile)), path.basename(path.dirname(goldenFile)));
}

/** A golden directory with both a profile and a captured serial log. */
export interface GoldenRef {
  readonly name: string;
  readonly profileFile: string;
  readonly serialFile: string;
}

/** goldens/<name>/ directories that hold profile.yaml and serial.log, sorted; and those still without a log. */
export function listGoldens(dir: string = goldensDir): { ready: GoldenRef[]; uncaptured: string[] } {
  const ready: GoldenRef[] = [];
  const uncaptured: string[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    const profileFile = path.join(dir, name, 'profile.yaml');
    const serialFile = path.join(dir, name, 'serial.log');
    if (!existsSync(profileFile)) continue;
    if (existsSync(serialFile)) ready.push({ name, profileFile, serialFile });
    else uncaptured.push(name);
  }
  return { ready, uncaptured };
}

/** The golden a profile is checked against by default: goldens/<name>/serial.log. */
export function defaultGolden(spec: MachineSpec, dir: string = goldensDir): string {
  return path.join(dir, spec.name, 'serial.log');
}


/** What to do when the simulator stops with a coded error (e.g. the kernel has no facts yet). */
export type SimErrorMode = 'throw' | 'record';

export interface CompareOptions {
  /**
   * The golden log.
   * Default: goldens/<profile name>/serial.log
   */
  readonly golden?: string;
  /**
   * The divergence register.
   * Default: none (`[]`)
   */
  readonly register?: readonly Divergence[];
  /**
   * 'throw' the coded error, or 'record' it on the result and compare against no lines.
   * Other errors always propagate: a crash in a stage is a bug.
   * Default: 'throw'
   */
  readonly onSimError?: SimErrorMode;
  /**
   * The simulator (tests pass a stand-in).
   * Default: simulateSpec
   */
  readonly simulate?: (spec: MachineSpec) => readonly DmesgLine[];
  /**
   * Whether the state.log beside the golden (a `probe: state` capture) is compared too.
   * tests/goldens/conformance.test.ts passes false: tests/goldens/state.test.ts compares every state golden.
   * Default: true
   */
  readonly state?: boolean;
}

export const defaults: Readonly<Required<Omit<CompareOptions, 'golden' | 'state'>>> = {
  register: [],
  onSimError: 'throw',
  simulate: simulateSpec,
};

/** Compares one profile with its golden. Throws ProfileError, GoldenError, KernelCatalogError. */
export function compareProfile(profileFile: string, opts: CompareOptions = {}): ProfileResult {
  const spec = loadProfile(profileFile);
  return compareSpec(spec, opts);
}

export function compareSpec(spec: MachineSpec, options: CompareOptions = {}): ProfileResult {
  // Field by field, so that an explicit undefined still means the default.
  const opts = {
    register: options.register ?? defaults.register,
    onSimError: options.onSimError ?? defaults.onSimError,
    simulate: options.simulate ?? defaults.simulate,
  };
  const goldenFile = options.golden ?? defaultGolden(spec);
  const golden = readClassifiedGolden(goldenFile, displayPath(goldenFile), spec.kernel);
  const stateLog = options.state === false ? undefined : stateLogOf(spec, goldenFile);
  // A state golden on the default simulator is booted once for its lines and its state (sharedBoot).
  const shared: SharedBoot | undefined = stateLog !== undefined && opts.simulate === simulateSpec ? sharedBoot(spec) : undefined;
  let lines: readonly DmesgLine[] = [];
  let simError: string | undefined;
  try {
    lines = (shared?.lines ?? opts.simulate)(spec);
  } catch (e) {
    // Only a coded error (e.g. KERNEL_NO_FACTS) is recorded; a crash in a stage is a bug and keeps its stack.
    if (opts.onSimError !== 'record' || !(e instanceof BootsimError)) throw e;
    simError = `${e.code}: ${e.message}`;
  }
  const family = familyTraits(spec.kernel);
  const comparison = compareLines({
    golden: golden.lines,
    sim: simLines(lines, spec.kernel),
    family,
    known: (l) => findDivergence(opts.register, spec.name, spec.kernel, l)?.reason,
  });
  return {
    profile: spec.name,
    kernel: spec.kernel,
    golden: displayPath(goldenFile),
    profileFile: displayPath(spec.file),
    window: golden.window,
    comparison,
    ...(simError ? { simError } : {}),
    ...(stateLog !== undefined ? { state: compareStateFile(spec, stateLog, shared?.predict) } : {}),
    problems: [...golden.problems.map((p) => ({ source: 'golden' as const, ...p })), ...simProblems(lines, spec.kernel).map((p) => ({ source: 'sim' as const, ...p }))],
  };
}
