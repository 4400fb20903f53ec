// Runs the ledger check for one golden: simulate its profile as the memblock=debug capture booted
// it (the fixed command line, the profile's, then memblock=debug), read serial-memblock.log, and
// compare (harness/compare/ledger.ts). This is where the file system is touched.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadProfile } from '../profile/load.ts';
import { bootInputFor } from '../simulate.ts';
import { goldensDir, displayPath } from '../../sim/base/paths.ts';
import { simulate, type SimResult } from '../../sim/boot.ts';
import { memblockStateOf, type LedgerEntry } from '../../sim/stages/memblock.ts';
import { bootCommandLine } from '../../sim/stages/cmdline.ts';
import { MEMBLOCK_DEBUG_PARAM } from '../../sim/base/cmdline.ts';
import type { MachineSpec } from '../../sim/types.ts';
import { memblockFrees, memblockOperations, parseMemblockLog, type MemblockLogProblem, type MemblockOperation } from '../memblock-log.ts';
import { compareLedger, type LedgerComparison } from './ledger.ts';
import type { LedgerDivergence } from '../divergences.ts';
import { normaliseLog } from '../normalise.ts';

/** The memblock=debug capture of a golden. */
export const memblockLogFile = (name: string, dir: string = goldensDir): string => path.join(dir, name, 'serial-memblock.log');

/** goldens/<name>/ directories with a profile and a memblock=debug capture, sorted. */
export function listMemblockGoldens(dir: string = goldensDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'profile.yaml')) && existsSync(memblockLogFile(d.name, dir)))
    .map((d) => d.name)
    .sort();
}

/** The profile as the memblock=debug capture boots it (qemu-scripts/qemu-argv.ts appends MEMBLOCK_DEBUG_PARAM last). */
export const withMemblockDebug = (spec: MachineSpec): MachineSpec => ({ ...spec, cmdline: [spec.cmdline, MEMBLOCK_DEBUG_PARAM].filter((p) => p !== undefined && p !== '').join(' ') });

export interface LedgerGoldenResult {
  readonly name: string;
  readonly kernel: string;
  readonly file: string;
  /** The simulated ledger, in order. */
  readonly ledger: readonly LedgerEntry[];
  readonly ops: readonly MemblockOperation[];
  /** The reader's and the pairing's problems (memblock lines that do not parse …), and the normaliser's. */
  readonly problems: readonly MemblockLogProblem[];
  /** The command line the capture echoes ("Command line: …"), and the one the simulation used. */
  readonly capturedCmdline: string | undefined;
  readonly simulatedCmdline: string;
  readonly comparison: LedgerComparison;
}

/** The golden's profile as its memblock=debug capture booted it, simulated (compareLedgerGolden's input); `profile` is its loaded profile.yaml, for a caller that has it. */
export function simulateMemblockGolden(name: string, dir: string = goldensDir, profile: MachineSpec = loadProfile(path.join(dir, name, 'profile.yaml'))): { readonly spec: MachineSpec; readonly sim: SimResult } {
  const spec = withMemblockDebug(profile);
  return { spec, sim: simulate(bootInputFor(spec)) };
}

/**
 * Compares the simulated ledger of one golden with its memblock=debug capture. `run` is
 * simulateMemblockGolden(name, dir), for a caller that uses the same simulation for more checks.
 */
export function compareLedgerGolden(name: string, register: readonly LedgerDivergence[], dir: string = goldensDir, run: ReturnType<typeof simulateMemblockGolden> = simulateMemblockGolden(name, dir)): LedgerGoldenResult {
  const { spec } = run;
  const mb = memblockStateOf(run.sim.state);
  const ledger = mb.ledger;
  const file = memblockLogFile(name, dir);
  const raw = readFileSync(file);
  const shown = displayPath(file);
  const log = parseMemblockLog(raw, shown);
  const paired = memblockOperations(log);
  // the first "Command line:" (x86 setup_arch) or "Kernel command line:" echo
  const echo = normaliseLog(raw, shown).lines.map((l) => /^(?:Kernel )?[Cc]ommand line: (.*)$/.exec(l.text)?.[1]).find((c) => c !== undefined);
  return {
    name, kernel: spec.kernel, file: shown, ledger, ops: paired.ops,
    problems: [...log.problems, ...paired.problems].sort((a, b) => a.line - b.line),
    capturedCmdline: echo, simulatedCmdline: bootCommandLine(spec),
    comparison: compareLedger({ profile: name, kernel: spec.kernel, ops: paired.ops, ledger, register, dumps: log.dumps, memory: mb.memory, frees: memblockFrees(log) }),
  };
}
