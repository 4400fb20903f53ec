// `bootsim conformance [--json] [--update-baseline] [--html <file>]`: every golden under goldens/*/
// with a profile.yaml and a serial.log, judged against goldens/baseline.json (the ratchet).
// Exit 1 when a line that was exact stops being exact; 2 for bad input (a broken golden,
// profile, baseline or register) or --update-baseline under CI.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BootsimError } from '../../../sim/base/errors.ts';
import { displayPath, goldensDir } from '../../../sim/base/paths.ts';
import { compareProfile, listGoldens } from '../../compare/run.ts';
import { commandsFor, resultJson, totalsOf, type ProfileResult } from '../../compare/result.ts';
import { familyIds } from '../../compare/catalog-port.ts';
import { readDivergences, divergencesFile } from '../../divergences.ts';
import { baselineFile, judge, profileEntry, readBaseline, updateMode, writeBaseline, type Baseline, type Judgement } from '../../baseline.ts';
import { kernelTable, profileTable, totalsLine, volatileTable } from '../../report/table.ts';
import { renderHtml } from '../../report/html.ts';
import { colours, describeLine } from '../../report/text.ts';
import type { DmesgLine, MachineSpec } from '../../../sim/types.ts';
import { checkOutputFile } from '../../../sim/base/files.ts';
import { EXIT, reportCodedError, usageError, useColour, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim conformance [--json] [--update-baseline] [--html <file>]';
/** The usage line `bootsim conformance --help` prints. */
export const usage = `usage: ${USAGE}`;
const UPDATE = 'npx bootsim conformance --update-baseline';

/** Where conformance reads from; tests point it at a scratch tree. */
export interface ConformanceOptions {
  /** Default: goldens/. */
  readonly goldens?: string;
  /** Default: goldens/baseline.json. */
  readonly baseline?: string;
  /** Default: goldens/divergences.yaml. */
  readonly divergences?: string;
  /** The simulator; default: the real one (tests pass a stand-in). */
  readonly simulate?: (spec: MachineSpec) => readonly DmesgLine[];
}

/** A golden that could not be compared (bad profile, unusable log): bad input. */
interface Broken {
  readonly profile: string;
  readonly code: string;
  readonly message: string;
}

/** Runs every golden; never throws for one profile's coded error, so that the others still run. */
export function runAll(opts: ConformanceOptions = {}): { results: ProfileResult[]; broken: Broken[]; uncaptured: string[]; known: number } {
  const register = readDivergences(familyIds, opts.divergences ?? divergencesFile);
  const { ready, uncaptured } = listGoldens(opts.goldens ?? goldensDir);
  const results: ProfileResult[] = [];
  const broken: Broken[] = [];
  for (const g of ready) {
    try {
      results.push(compareProfile(g.profileFile, { golden: g.serialFile, register, onSimError: 'record', simulate: opts.simulate }));
    } catch (e) {
      if (!(e instanceof BootsimError)) throw e;
      broken.push({ profile: g.name, code: e.code, message: e.message });
    }
  }
  return { results, broken, uncaptured, known: results.reduce((a, r) => a + r.comparison.counts.known, 0) };
}

function regressionText(j: Judgement, bFile: string, c: ReturnType<typeof colours>): string[] {
  const out: string[] = [];
  for (const g of j.regressions) {
    const cmds = commandsFor(g.profile);
    out.push(c.red(g.unrecorded
      ? `NOT EXACT ${g.profile}: ${g.key} is ${g.line?.status ?? 'gone'} in a golden ${displayPath(bFile)} does not record yet (record it with \`${UPDATE}\` once reviewed, or register the divergence)`
      : `REGRESSION ${g.profile}: ${g.key} was exact in ${displayPath(bFile)}, now ${g.line ? g.line.status : 'gone from the golden'}`));
    if (g.line) out.push(...describeLine(g.line, c).slice(1));
    else out.push(`  the golden no longer has this line; if it was re-captured on purpose, record it: ${UPDATE}`);
    out.push(`  see the diff:  ${cmds.diff}`, `  re-capture:    ${cmds.capture}`);
  }
  return out;
}

function improvementText(j: Judgement): string[] {
  if (j.improvements.length === 0) return [];
  const by = new Map<string, string[]>();
  for (const i of j.improvements) by.set(i.profile, [...(by.get(i.profile) ?? []), i.key]);
  return [
    `improved: ${j.improvements.length} line(s) became exact since the baseline:`,
    ...[...by].map(([p, ks]) => `  ${p} (${ks.length}): ${ks.slice(0, 6).join(', ')}${ks.length > 6 ? `, … (+${ks.length - 6} more; \`npx bootsim check goldens/${p}/profile.yaml\`)` : ''}`),
    `record them with \`${UPDATE}\` and commit goldens/baseline.json`,
  ];
}

export async function run(argv: readonly string[], io: CliIO, opts: ConformanceOptions = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, 'update-baseline': { type: 'boolean' }, html: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
  } catch (e) {
    return usageError(io, 'conformance', (e as Error).message, USAGE);
  }
  if (parsed.values.help) { io.stdout(`usage: ${USAGE}\n`); return EXIT.ok; }
  const c = colours(useColour(io));
  const bFile = opts.baseline ?? baselineFile;
  try {
    // The report's path is checked before anything is simulated: "", a folder, /proc/x are refused.
    if (parsed.values.html !== undefined) checkOutputFile(parsed.values.html, '--html');
    const mode = updateMode(parsed.values['update-baseline'] === true, io.env);
    const baseline = readBaseline(bFile);
    const { results, broken, uncaptured, known } = runAll(opts);
    const judged = judge(baseline, new Map(results.map((r) => [r.profile, r.comparison.lines])));
    // A broken golden is reported as broken, not as a profile that left the baseline.
    const judgement: Judgement = { ...judged, orphaned: judged.orphaned.filter((p) => !broken.some((b) => b.profile === p)) };

    if (mode === 'all' && broken.length > 0) {
      for (const b of broken) io.stderr(`bootsim conformance: ${b.profile}: ${b.code}: ${b.message}\n  re-capture:    ${commandsFor(b.profile).capture}\n`);
      io.stderr(`bootsim conformance: not updating ${displayPath(bFile)} while ${broken.length} golden(s) cannot be compared\n`);
      return EXIT.bad;
    }
    if (mode === 'all') {
      const profiles = { ...baseline.profiles };
      for (const r of results) profiles[r.profile] = profileEntry(r.kernel, r.comparison.lines);
      for (const o of judgement.orphaned) delete profiles[o];
      writeBaseline({ version: 1, profiles } satisfies Baseline, bFile);
    }

    if (parsed.values.html) {
      const out = path.resolve(parsed.values.html);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, renderHtml(results, judgement));
    }

    const totals = totalsOf(results);
    if (parsed.values.json) {
      const kernels = [...new Set(results.map((r) => r.kernel))].sort().map((k) => ({ kernel: k, ...totalsOf(results.filter((r) => r.kernel === k)) }));
      io.stdout(`${JSON.stringify({
        profiles: results.map(resultJson),
        kernels,
        totals,
        knownDivergences: known,
        ratchet: {
          baseline: displayPath(bFile),
          updated: mode === 'all',
          regressions: judgement.regressions.map((g) => ({ profile: g.profile, key: g.key, status: g.line?.status ?? 'gone', fields: g.line?.fields ?? [], diff: commandsFor(g.profile).diff, capture: commandsFor(g.profile).capture })),
          improvements: judgement.improvements.map((i) => ({ profile: i.profile, key: i.key })),
          unrecorded: judgement.unrecorded,
          orphaned: judgement.orphaned,
        },
        broken: broken.map((b) => ({ ...b, capture: commandsFor(b.profile).capture })),
        uncaptured,
      })}\n`);
    } else {
      const vol = volatileTable(results);
      const out: string[] = [profileTable(results), '', kernelTable(results), ...(vol.length > 0 ? ['', ...vol] : []), '', totalsLine(totals)];
      const problems = results.reduce((a, r) => a + r.problems.length, 0);
      if (problems > 0) out.push(`log problems: ${problems} over ${results.filter((r) => r.problems.length > 0).length} profile(s) (\`npx bootsim check <profile>\` lists them; --json has them all)`);
      if (uncaptured.length > 0) out.push(`not captured yet (no serial.log): ${uncaptured.join(', ')}`);
      for (const b of broken) out.push(c.red(`BROKEN ${b.profile}: ${b.code}: ${b.message}`), `  re-capture:    ${commandsFor(b.profile).capture}`);
      const notSim = results.filter((r) => r.simError);
      if (notSim.length > 0) out.push(`not simulated (${notSim.length}): ${notSim[0]!.simError}${notSim.length > 1 ? ` (and ${notSim.length - 1} more)` : ''}`);
      out.push('');
      if (mode === 'all') {
        out.push(`recorded ${displayPath(bFile)}: ${results.reduce((a, r) => a + r.comparison.counts.exact, 0)} exact line(s) over ${results.length} profile(s)`);
        if (judgement.regressions.length > 0) out.push(c.yellow(`accepted ${judgement.regressions.length} regression(s) into the baseline:`), ...judgement.regressions.map((g) => `  ${g.profile}: ${g.key}`));
        if (judgement.improvements.length > 0) out.push(`recorded ${judgement.improvements.length} improvement(s)`);
      } else {
        out.push(...regressionText(judgement, bFile, c));
        out.push(...improvementText(judgement));
        if (judgement.unrecorded.length > 0) out.push(`not in the baseline yet: ${judgement.unrecorded.join(', ')} (record with \`${UPDATE}\`)`);
        if (judgement.orphaned.length > 0) out.push(`in the baseline without a golden: ${judgement.orphaned.join(', ')}`);
        out.push(judgement.regressions.length === 0 ? c.green(`ratchet: no regressions against ${displayPath(bFile)}`) : c.red(`ratchet: ${judgement.regressions.length} regression(s) against ${displayPath(bFile)}`));
      }
      if (parsed.values.html) out.push(`HTML report: ${displayPath(path.resolve(parsed.values.html))}`);
      io.stdout(`${out.join('\n')}\n`);
    }
    if (broken.length > 0) {
      if (parsed.values.json) for (const b of broken) io.stderr(`bootsim conformance: ${b.profile}: ${b.code}: ${b.message}\n`);
      return EXIT.bad;
    }
    return mode === 'none' && judgement.regressions.length > 0 ? EXIT.differs : EXIT.ok;
  } catch (e) {
    return reportCodedError(io, 'conformance', e);
  }
}
