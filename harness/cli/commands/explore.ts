// `bootsim explore <profile> [--against <profile | kernel id>] [--out explore.html]`: a
// self-contained HTML boot explorer. Each stage of the simulated boot in order, with the kernel
// function, the lines it printed and each number's derivation, and the state it changed; with
// --against, a second boot side by side: another profile, or the same profile on another kernel of
// the catalog (e.g. 6.1-amd64 against 6.12-amd64). Written atomically.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProfile } from '../../profile/load.ts';
import { kernelIds } from '../../kernels.ts';
import { resolveProfile } from './diff.ts';
import { displayPath, goldensDir } from '../../../sim/base/paths.ts';
import { checkOutputFile, writeFileAtomic } from '../../../sim/base/files.ts';
import { didYouMean } from '../../profile/suggest.ts';
import { ReportError, traceSpec } from '../../report/explore/trace.ts';
import { exploreBoot, type ExploreBoot } from '../../report/explore/model.ts';
import { renderExploreHtml } from '../../report/explore/html.ts';
import type { MachineSpec } from '../../../sim/types.ts';
import { EXIT, reportCodedError, usageError, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim explore <profile name | profile.yaml> [--against <profile | kernel id>] [--out explore.html]';
export const usage = `usage: ${USAGE}
  Writes a step-by-step boot explorer (default explore.html): each stage in boot order with its
  kernel function, its lines and their derivations, and the state it changed. Keys: → / j forward,
  ← / k back. --against: a second boot side by side, another profile or this one on another kernel.`;

/** The second boot of --against: a profile (name or file), else this profile on the kernel of that id. */
export function againstSpec(spec: MachineSpec, arg: string, ids: readonly string[] = kernelIds()): MachineSpec {
  const file = resolveProfile(arg);
  if (file) return loadProfile(file);
  if (ids.includes(arg)) return { ...spec, kernel: arg };
  throw new ReportError('REPORT_AGAINST_UNKNOWN', `--against: expected a profile (a name in ${displayPath(goldensDir)}/ or a file) or a kernel id (${ids.join(', ')}), got ${JSON.stringify(arg)}${didYouMean(arg, ids)}`);
}

/** The explorer's boots for a profile and an optional --against. */
export function exploreBoots(spec: MachineSpec, against?: MachineSpec): ExploreBoot[] {
  return [spec, ...(against ? [against] : [])].map((s) => exploreBoot(traceSpec(s)));
}

export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { against: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    return usageError(io, 'explore', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`${usage}\n`); return EXIT.ok; }
  if (parsed.positionals.length !== 1) return usageError(io, 'explore', `expected one profile, got ${parsed.positionals.length}`, USAGE);
  const arg = parsed.positionals[0]!;
  const file = resolveProfile(arg);
  if (!file) return usageError(io, 'explore', `expected a profile name in ${displayPath(goldensDir)}/ or a profile file, got "${arg}"`, USAGE);
  try {
    const out = parsed.values.out ?? 'explore.html';
    const ext = path.extname(out).toLowerCase();
    if (ext !== '.html' && ext !== '.htm') throw new ReportError('REPORT_OUT_KIND', `--out: expected a file name ending in .html or .htm, got ${JSON.stringify(out)}`);
    const target = checkOutputFile(out, '--out');
    const spec = loadProfile(file);
    const against = parsed.values.against === undefined ? undefined : againstSpec(spec, parsed.values.against);
    const boots = exploreBoots(spec, against);
    const title = `boot explorer: ${boots.map((b) => `${b.profile} (${b.kernelId})`).join(' vs ')}`;
    writeFileAtomic(target, renderExploreHtml(boots, title));
    io.stdout(`wrote ${displayPath(target)}: ${boots[0]!.steps.length} stages${boots.length > 1 ? `, ${boots.length} boots side by side` : ''}\n`);
    return EXIT.ok;
  } catch (e) {
    return reportCodedError(io, 'explore', e);
  }
}
