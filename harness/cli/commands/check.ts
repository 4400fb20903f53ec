// `bootsim check <profile.yaml> [--golden <file>] [--json]`: compares one profile with its golden,
// and a state golden's state.log beside it (the state table: harness/report/state-table.ts).
// Exit 0 when every catalog line is exact and no predicted state field is off (mismatched, missing,
// unclassified), 1 when any differs, 2 for bad input.
import { parseArgs } from 'node:util';
import { loadProfile } from '../../profile/load.ts';
import { compareSpec } from '../../compare/run.ts';
import { readGoldenLog } from '../../compare/catalog-port.ts';
import { loadKernel } from '../../kernels.ts';
import { bannerRelease, type NormalisedLog } from '../../normalise.ts';
import { goldenFor } from '../golden-for.ts';
import { resultJson } from '../../compare/result.ts';
import { familyIds } from '../../compare/catalog-port.ts';
import { readDivergences } from '../../divergences.ts';
import { displayPath } from '../../../sim/base/paths.ts';
import { checkText, colours } from '../../report/text.ts';
import { stateProblem } from '../../report/state-table.ts';
import type { DmesgLine, MachineSpec } from '../../../sim/types.ts';
import { EXIT, reportCodedError, toJson, usageError, useColour, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim check <profile.yaml> [--golden <serial.log>] [--json]';
/** The usage line `bootsim check --help` prints. */
export const usage = `usage: ${USAGE}`;

/** Test seams; the CLI passes none. */
export interface RunOptions {
  /** The simulator; default: the real one. */
  readonly simulate?: (spec: MachineSpec) => readonly DmesgLine[];
  /** The divergence register; default: goldens/divergences.yaml. */
  readonly divergences?: string;
}

const ARCH = /-(amd64|686-pae|686)$/;

/**
 * What the log's banner says that the profile does not: another kernel version, arch or release
 * than the profile's pinned build. A field diff between two different kernels says little.
 */
export function bannerWarnings(kernelId: string, log: NormalisedLog, shown: string): string[] {
  const b = bannerRelease(log);
  const want = loadKernel(kernelId).release;
  if (!b) return [`${shown} has no "Linux version" banner, so it cannot be told which kernel it is from; the profile's is ${want} (${kernelId})`];
  if (b.release === want) return [];
  const version = (r: string): string => /^\d+\.\d+/.exec(r)?.[0] ?? r;
  const arch = (r: string): string => ARCH.exec(r)?.[1] ?? '?';
  const what = [version(b.release) !== version(want) ? 'kernel version' : '', arch(b.release) !== arch(want) ? 'arch' : '', version(b.release) === version(want) && arch(b.release) === arch(want) ? 'release' : ''].filter(Boolean).join(' and ');
  return [`${shown}:${b.lineNo}: the banner names Linux ${b.release}, another ${what} than the profile's kernel ${kernelId} (${want}); the differences below may be the kernel's, not the simulator's`];
}

export async function run(argv: readonly string[], io: CliIO, opts: RunOptions = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { golden: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    return usageError(io, 'check', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`usage: ${USAGE}\n`); return EXIT.ok; }
  if (parsed.positionals.length !== 1) return usageError(io, 'check', `expected one profile file, got ${parsed.positionals.length}`, USAGE);
  try {
    const spec = loadProfile(parsed.positionals[0]!);
    const choice = parsed.values.golden === undefined ? goldenFor(spec) : undefined;
    if (choice && !choice.found) {
      const message = `no golden at ${displayPath(choice.file)}; ${choice.hint}`;
      io.stderr(`bootsim check: ${message}\n`);
      if (parsed.values.json) io.stdout(`${toJson({ error: { verb: 'check', code: 'CHECK_NO_GOLDEN', message } })}\n`);
      return EXIT.bad;
    }
    const golden = parsed.values.golden ?? choice!.file;
    const warnings = parsed.values.golden === undefined ? [] : bannerWarnings(spec.kernel, readGoldenLog(golden, displayPath(golden)), displayPath(golden));
    for (const w of warnings) io.stderr(`bootsim check: warning: ${w}\n`);
    const register = opts.divergences === undefined ? readDivergences(familyIds) : readDivergences(familyIds, opts.divergences);
    const r = compareSpec(spec, { golden, register, onSimError: 'record', simulate: opts.simulate });
    if (r.simError) io.stderr(`bootsim check: not simulated, every catalog line counts as missing: ${r.simError}\n`);
    if (parsed.values.json) io.stdout(`${toJson({ ...resultJson(r), warnings })}\n`);
    else io.stdout(checkText(r, colours(useColour(io)), parsed.values.golden));
    const c = r.comparison.counts;
    // a state golden's predicted fields count too: one mismatched, missing or unclassified differs
    const stateBad = r.state?.comparison.fields.some(stateProblem) ?? false;
    return c.mismatched + c.missing + c.extra === 0 && !stateBad ? EXIT.ok : EXIT.differs;
  } catch (e) {
    return reportCodedError(io, 'check', e);
  }
}
