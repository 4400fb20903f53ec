// `bootsim diff <profile name or path> [--golden <file>]`: a unified diff of the golden's catalog
// lines against the simulator's, coloured on a terminal (never under NO_COLOR), then the field deltas.
// `bootsim diff --golden A.log --against B.log [--profile P] [--json]`: two real boots compared field
// by field, the deltas grouped by catalog family (harness/report/two-boots.ts).
// Exit 0 when there is no difference, 1 when there is one, 2 for bad input (as diff(1) does).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProfile } from '../../profile/load.ts';
import { compareSpec } from '../../compare/run.ts';
import { resultPatch } from '../../compare/result.ts';
import { goldenFor } from '../golden-for.ts';
import { familyIds } from '../../compare/catalog-port.ts';
import { readDivergences } from '../../divergences.ts';
import { goldensDir, displayPath } from '../../../sim/base/paths.ts';
import { colours, describeLine, problemLines, summaryLines, volatileLines } from '../../report/text.ts';
import type { DmesgLine, MachineSpec } from '../../../sim/types.ts';
import { EXIT, reportCodedError, toJson, usageError, useColour, type CliIO } from '../io.ts';
import { readGoldenLog } from '../../compare/catalog-port.ts';
import { kernelIds, loadKernel } from '../../kernels.ts';
import { bootDiffJson, bootDiffText, bootKernel, compareBoots } from '../../report/two-boots.ts';
import { renderBootDiffHtml } from '../../report/two-boots-html.ts';
import { splitRawLines } from '../../report/raw-log.ts';
import { checkOutputFile } from '../../../sim/base/files.ts';

const USAGE = 'npx bootsim diff <profile name | profile.yaml | golden dir> [--golden <serial.log>]\n       npx bootsim diff --golden <A serial.log> --against <B serial.log> [--profile <profile>] [--json] [--html <file>]';
/** The usage line `bootsim diff --help` prints. */
export const usage = `usage: ${USAGE}`;

/** A profile name (goldens/<name>/profile.yaml), a directory holding profile.yaml, or a profile file. */
export function resolveProfile(arg: string): string | undefined {
  if (existsSync(arg)) return statSync(arg).isDirectory() ? path.join(arg, 'profile.yaml') : arg;
  const named = path.join(goldensDir, arg, 'profile.yaml');
  return existsSync(named) ? named : undefined;
}

/** Colours a unified diff line by line. */
export function colourPatch(patch: string, c: ReturnType<typeof colours>): string {
  return patch.split('\n').map((l) => {
    if (l.startsWith('+++') || l.startsWith('---')) return c.bold(l);
    if (l.startsWith('@@')) return c.cyan(l);
    if (l.startsWith('+')) return c.green(l);
    if (l.startsWith('-')) return c.red(l);
    if (l.startsWith('=')) return c.dim(l);
    return l;
  }).join('\n');
}

/** Test seams; the CLI passes none. */
export interface RunOptions {
  /** The simulator; default: the real one. */
  readonly simulate?: (spec: MachineSpec) => readonly DmesgLine[];
}

export async function run(argv: readonly string[], io: CliIO, opts: RunOptions = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { golden: { type: 'string' }, against: { type: 'string' }, profile: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(io, 'diff', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`usage: ${USAGE}\n`); return EXIT.ok; }
  const { against, profile, json, html } = parsed.values;
  if (against !== undefined) return twoBoots(parsed.values.golden, against, profile, json === true, html, parsed.positionals, io);
  const alone = profile !== undefined ? '--profile' : json !== undefined ? '--json' : html !== undefined ? '--html' : undefined;
  if (alone) return usageError(io, 'diff', `expected --profile, --json and --html only with --against (two captures compared), got ${alone} without it`, USAGE);
  if (parsed.positionals.length !== 1) return usageError(io, 'diff', `expected one profile, got ${parsed.positionals.length}`, USAGE);
  const arg = parsed.positionals[0]!;
  const file = resolveProfile(arg);
  if (!file) return usageError(io, 'diff', `expected a profile name in ${displayPath(goldensDir)}/ or a profile file, got "${arg}"`, USAGE);
  try {
    const spec = loadProfile(file);
    const choice = parsed.values.golden === undefined ? goldenFor(spec) : undefined;
    if (choice && !choice.found) {
      io.stderr(`bootsim diff: no golden at ${displayPath(choice.file)}; ${choice.hint}\n`);
      return EXIT.bad;
    }
    const golden = parsed.values.golden ?? choice!.file;
    const r = compareSpec(spec, { golden, register: readDivergences(familyIds), onSimError: 'record', simulate: opts.simulate });
    if (r.simError) io.stderr(`bootsim diff: not simulated, every catalog line counts as missing: ${r.simError}\n`);
    const c = colours(useColour(io));
    const vol = volatileLines(r, c);
    const out = [...summaryLines(r), ...(vol.length > 0 ? ['', ...vol] : []), '', ...problemLines(r), ''];
    out.push(colourPatch(resultPatch(r).trimEnd(), c));
    const deltas = r.comparison.lines.filter((l) => l.status !== 'exact' || l.fields?.some((f) => f.volatile));
    if (deltas.length > 0) {
      out.push('', c.bold('lines that differ, with field deltas:'));
      for (const l of deltas) out.push(...describeLine(l, c));
    }
    io.stdout(`${out.join('\n')}\n`);
    const k = r.comparison.counts;
    return k.mismatched + k.missing + k.extra === 0 ? EXIT.ok : EXIT.differs;
  } catch (e) {
    return reportCodedError(io, 'diff', e);
  }
}

// The two-capture form: A's and B's catalog lines, each read as its own kernel, field by field.
function twoBoots(golden: string | undefined, against: string, profile: string | undefined, json: boolean, html: string | undefined, positionals: readonly string[], io: CliIO): number {
  if (golden === undefined) return usageError(io, 'diff', 'expected --golden <A serial.log> with --against <B serial.log>, got --against alone', USAGE);
  if (positionals.length > 0) return usageError(io, 'diff', `expected no profile argument with --against (name it with --profile), got "${positionals[0]}"`, USAGE);
  let profileFile: string | undefined;
  if (profile !== undefined) {
    profileFile = resolveProfile(profile);
    if (!profileFile) return usageError(io, 'diff', `--profile: expected a profile name in ${displayPath(goldensDir)}/ or a profile file, got "${profile}"`, USAGE);
  }
  try {
    // The page's path is checked before anything is read: "", a folder, /proc/x are refused.
    if (html !== undefined) checkOutputFile(html, '--html');
    const profileKernel = profileFile === undefined ? undefined : loadProfile(profileFile).kernel;
    const catalog = kernelIds().map((id) => ({ id, release: loadKernel(id).release }));
    const boot = (file: string) => bootKernel(displayPath(file), readGoldenLog(file, displayPath(file)), catalog, profileKernel);
    const c = compareBoots(boot(golden), boot(against));
    if (html !== undefined) {
      const out = path.resolve(html);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, renderBootDiffHtml(c, splitRawLines(readFileSync(golden)), splitRawLines(readFileSync(against)), new Date().toISOString()));
    }
    if (json) io.stdout(`${toJson(bootDiffJson(c))}\n`);
    else io.stdout(`${[...bootDiffText(c), ...(html !== undefined ? ['', `HTML page: ${displayPath(path.resolve(html))}`] : [])].join('\n')}\n`);
    const k = c.comparison.counts;
    return k.mismatched + k.missing + k.extra === 0 ? EXIT.ok : EXIT.differs;
  } catch (e) {
    return reportCodedError(io, 'diff', e);
  }
}
