// `bootsim conformance [--json] [--update-baseline] [--html <file>]`: every golden under goldens/*/
// with a profile.yaml and a serial.log, judged against goldens/baseline.json (the ratchet).
// Exit 1 when a line that was exact stops being exact, or a predicted state field of a state golden
// is off (mismatched, missing or unclassified: the state has no baseline); 2 for bad input (a broken golden,
// profile, baseline or register) or --update-baseline under CI.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { displayPath, goldensDir, repoRoot } from '../../../sim/base/paths.ts';
import { listGoldens, type GoldenRef } from '../../compare/run.ts';
import { compareGolden, compareInThreads, compareWorkerTask, serveCompareTask, type Outcome } from '../../compare/parallel.ts';
import { encodeShardReport, mergeShardReports, parseShard, readShardReport, shardItems, type Shard, type ShardReport } from '../../compare/shard.ts';
import { boundedInt } from '../args.ts';
import { UsageError } from '../usage.ts';
import { commandsFor, resultJson, totalsOf, type ProfileResult } from '../../compare/result.ts';
import { familyIds } from '../../compare/catalog-port.ts';
import { parseDivergences, divergencesFile, type Divergence } from '../../divergences.ts';
import { cachedParse, runningCache, type ParsedCacheOptions } from '../../parsed-cache.ts';
import * as v from 'valibot';
import { baselineFile, judge, profileEntry, readBaseline, updateMode, writeBaseline, type Baseline, type Judgement } from '../../baseline.ts';
import { kernelTable, profileTable, totalsLine, volatileTable } from '../../report/table.ts';
import { stateTable } from '../../report/state-table.ts';
import type { StateResult } from '../../compare/state-run.ts';
import { renderHtml, type BrokenGolden } from '../../report/html.ts';
import { splitRawLines } from '../../report/raw-log.ts';
import { colours, describeLine } from '../../report/text.ts';
import type { DmesgLine, MachineSpec } from '../../../sim/types.ts';
import { checkOutputFile, writeFileAtomic } from '../../../sim/base/files.ts';
import { EXIT, reportCodedError, usageError, useColour, type CliIO } from '../io.ts';

const USAGE = 'npx bootsim conformance [--json] [--update-baseline] [--html <file>] [--jobs N] [--shard i/n] [--out <file>] | --merge <shard.json>…';
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
  /** The comparison of one golden; default: compareGolden on `jobs` threads (tests pass a memo of it). */
  readonly compare?: (g: GoldenRef, register: readonly Divergence[]) => Outcome;
  /** The reader of a --merge's shard reports; default: readShardReport (tests pass a memo of it). */
  readonly readReport?: (file: string) => ShardReport;
  /** The commit the HTML report names; default: `git rev-parse HEAD` of the checkout. */
  readonly commit?: string;
  /** The report's date; default: now. */
  readonly now?: () => Date;
}

/** A golden that could not be compared (bad profile, unusable log): bad input. */
type Broken = BrokenGolden;

/** The checkout's commit, with "-dirty" when tracked files differ from it; 'unknown' outside git. */
export function gitCommit(cwd: string = repoRoot): string {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.status === 0 && dirty.stdout.trim() !== '' ? '-dirty' : ''}`;
}

// The raw golden logs of the profiles that differ, for the report's #L anchors (exact ones show no lines).
function rawLogs(results: readonly ProfileResult[], goldens: string): Map<string, readonly string[]> {
  const logs = new Map<string, readonly string[]>();
  for (const r of results) {
    const c = r.comparison.counts;
    if (c.mismatched + c.missing + c.extra === 0) continue;
    const file = path.join(goldens, r.profile, 'serial.log');
    if (existsSync(file)) logs.set(r.profile, splitRawLines(readFileSync(file)));
  }
  return logs;
}

/** The shape of a register's line entries kept in the parsed-input cache. */
const DivergencesSchema: v.GenericSchema<Divergence[]> = v.array(v.object({
  profile: v.optional(v.string()),
  kernel: v.optional(v.string()),
  family: v.string(),
  key: v.optional(v.string()),
  reason: v.string(),
  pos: v.object({ file: v.string(), line: v.optional(v.number()), col: v.optional(v.number()) }),
}));

/**
 * The divergence register's line entries (readDivergences: none when the file is absent), kept in the
 * parsed-input cache (harness/parsed-cache.ts) under its bytes, its shown path and the catalog's family ids.
 */
export function registerOf(file: string, cache: ParsedCacheOptions | undefined = runningCache()): Divergence[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  const shown = displayPath(file);
  return cachedParse('register', [shown, [...familyIds].sort().join(' ')], bytes, DivergencesSchema, () => parseDivergences(bytes.toString('utf8'), shown, familyIds), cache);
}

/** Runs every golden on this thread (bench times it so); never throws for one profile's coded error, so that the others still run. */
export function runAll(opts: ConformanceOptions = {}): { results: ProfileResult[]; broken: Broken[]; uncaptured: string[]; known: number } {
  const register = registerOf(opts.divergences ?? divergencesFile);
  const { ready, uncaptured } = listGoldens(opts.goldens ?? goldensDir);
  const outcomes = ready.map((g) => compareGolden(g, register, opts.simulate));
  const results = outcomes.flatMap((o) => ('result' in o ? [o.result] : []));
  return { results, broken: outcomes.flatMap((o) => ('broken' in o ? [o.broken] : [])), uncaptured, known: results.reduce((a, r) => a + r.comparison.counts.known, 0) };
}

// One thread unless --jobs says more, by measurement (session 8, 231 goldens, this 2-core machine): --jobs 2 took
// 3.6-4.0 s CPU against 2.8-3.0 s for one thread, and more wall time both idle (2.23 against 2.00 s) and under load
// (7.0-9.4 against 5.8-6.8 s): a worker loads the bundle and every kernel's facts again, which costs more than the
// half of the comparisons it takes over.
const DEFAULT_JOBS = 1;

/** What the options ask for: threads, one shard, or a merge of shard reports; a bad combination is a UsageError. */
export function runPlan(values: { readonly jobs?: string; readonly shard?: string; readonly out?: string; readonly merge?: boolean; readonly 'update-baseline'?: boolean }, positionals: readonly string[]): { jobs: number; shard?: Shard; merge?: readonly string[] } {
  if (values.merge) {
    if (positionals.length === 0) throw new UsageError('--merge: expected the shard reports to merge (files written by `conformance --shard i/n --out <file>`), got none');
    if (values.shard !== undefined || values.out !== undefined || values.jobs !== undefined) throw new UsageError('--merge: expected no --shard, --out or --jobs (the shards have run), got one');
    return { jobs: 1, merge: positionals };
  }
  if (positionals.length > 0) throw new UsageError(`expected no file arguments without --merge, got "${positionals[0]}"`);
  const jobs = values.jobs === undefined ? DEFAULT_JOBS : boundedInt('jobs', values.jobs);
  if (values.shard === undefined) return { jobs };
  const shard = parseShard(values.shard);
  if ('error' in shard) throw new UsageError(`--shard: ${shard.error}`);
  if (values['update-baseline']) throw new UsageError('--update-baseline: expected a whole run or a --merge of every shard, got --shard (one shard cannot record the baseline)');
  return { jobs, shard };
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

/** The goldens of this run: compared here (all, or one shard of them, on `jobs` threads) or merged from shard reports. */
interface Collected {
  readonly results: ProfileResult[];
  readonly broken: Broken[];
  readonly uncaptured: string[];
  readonly known: number;
  /** Every golden with a log, sorted (the split a shard report records). */
  readonly goldens: readonly string[];
}

async function collect(how: { readonly jobs: number; readonly shard?: Shard; readonly merge?: readonly string[] }, opts: ConformanceOptions): Promise<Collected> {
  const knownOf = (results: readonly ProfileResult[]): number => results.reduce((a, r) => a + r.comparison.counts.known, 0);
  if (how.merge) {
    const read = opts.readReport ?? readShardReport;
    const merged = mergeShardReports(how.merge.map((file) => ({ file, report: read(file) })));
    return { ...merged, known: knownOf(merged.results), goldens: [] };
  }
  const register = registerOf(opts.divergences ?? divergencesFile);
  const { ready, uncaptured } = listGoldens(opts.goldens ?? goldensDir);
  const part = how.shard ? shardItems(ready, how.shard) : ready;
  // a stand-in simulator (tests) cannot cross to another thread
  const outcomes: Outcome[] = opts.compare
    ? part.map((g) => opts.compare!(g, register))
    : opts.simulate
    ? part.map((g) => compareGolden(g, register, opts.simulate))
    : await compareInThreads(part, register, how.jobs);
  const results = outcomes.flatMap((o) => ('result' in o ? [o.result] : []));
  return { results, broken: outcomes.flatMap((o) => ('broken' in o ? [o.broken] : [])), uncaptured, known: knownOf(results), goldens: ready.map((g) => g.name) };
}

export async function run(argv: readonly string[], io: CliIO, opts: ConformanceOptions = {}): Promise<number> {
  // a worker thread of another conformance run (harness/compare/parallel.ts) only compares its goldens
  const task = compareWorkerTask();
  if (task) {
    serveCompareTask(task);
    return EXIT.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, 'update-baseline': { type: 'boolean' }, html: { type: 'string' }, help: { type: 'boolean', short: 'h' }, jobs: { type: 'string' }, shard: { type: 'string' }, out: { type: 'string' }, merge: { type: 'boolean' } },
      allowPositionals: true,
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
    const how = runPlan(parsed.values, parsed.positionals);
    if (parsed.values.out !== undefined) checkOutputFile(parsed.values.out, '--out');
    const mode = updateMode(parsed.values['update-baseline'] === true, io.env);
    const baseline = readBaseline(bFile);
    const { results, broken, uncaptured, known, goldens } = await collect(how, opts);
    if (parsed.values.out !== undefined) {
      writeFileAtomic(path.resolve(parsed.values.out), encodeShardReport({ shard: how.shard ?? { index: 1, count: 1 }, goldens, uncaptured, results, broken }));
    }
    // a shard is judged on its own goldens: the others are not orphaned, they are in other shards
    const inShard = how.shard ? new Set(shardItems(goldens, how.shard)) : undefined;
    const judged = judge(inShard ? { ...baseline, profiles: Object.fromEntries(Object.entries(baseline.profiles).filter(([p]) => inShard.has(p))) } : baseline, new Map(results.map((r) => [r.profile, r.comparison.lines])));
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
      const commit = opts.commit ?? gitCommit();
      const date = (opts.now ?? (() => new Date()))().toISOString();
      writeFileSync(out, renderHtml({ results, judgement, broken, uncaptured, logs: rawLogs(results, opts.goldens ?? goldensDir), commit, date }));
    }

    const totals = totalsOf(results);
    const report: RunReport = { results, judgement, broken, uncaptured, known, bFile, updated: mode === 'all', totals };
    io.stdout(parsed.values.json ? jsonReport(report) : textReport(report, c, parsed.values.html));
    if (broken.length > 0) {
      if (parsed.values.json) for (const b of broken) io.stderr(`bootsim conformance: ${b.profile}: ${b.code}: ${b.message}\n`);
      return EXIT.bad;
    }
    // The state fields have no baseline: a predicted one that is off fails the run as a regressed line
    // does, and a baseline update cannot accept it (bootsim check exits the same way).
    return (mode === 'none' && judgement.regressions.length > 0) || stateOff(results) > 0 ? EXIT.differs : EXIT.ok;
  } catch (e) {
    return reportCodedError(io, 'conformance', e);
  }
}

/** The predicted state fields of every state golden that are mismatched, missing or unclassified, from the family counts (which a merged shard report keeps). */
function stateOff(results: readonly { readonly state?: Pick<StateResult, 'comparison'> | undefined }[]): number {
  return results.reduce((a, r) => a + (r.state?.comparison.families.reduce((b, f) => b + f.mismatched + f.missing + f.unclassified, 0) ?? 0), 0);
}

/** What a run's report says: the results, the ratchet's judgement and what could not be compared. */
interface RunReport {
  readonly results: readonly ProfileResult[];
  readonly judgement: Judgement;
  readonly broken: Awaited<ReturnType<typeof collect>>['broken'];
  readonly uncaptured: readonly string[];
  readonly known: Awaited<ReturnType<typeof collect>>['known'];
  /** The baseline file, and whether this run wrote it (--update-baseline). */
  readonly bFile: string;
  readonly updated: boolean;
  readonly totals: ReturnType<typeof totalsOf>;
}

/** The --json report. */
function jsonReport(r: RunReport): string {
  const { results, judgement, broken, uncaptured, known, bFile, updated, totals } = r;
  const kernels = [...new Set(results.map((r) => r.kernel))].sort().map((k) => ({ kernel: k, ...totalsOf(results.filter((r) => r.kernel === k)) }));
  return `${JSON.stringify({
    profiles: results.map(resultJson),
    kernels,
    totals,
    knownDivergences: known,
    ratchet: {
      baseline: displayPath(bFile),
      updated,
      regressions: judgement.regressions.map((g) => ({ profile: g.profile, key: g.key, status: g.line?.status ?? 'gone', fields: g.line?.fields ?? [], diff: commandsFor(g.profile).diff, capture: commandsFor(g.profile).capture })),
      improvements: judgement.improvements.map((i) => ({ profile: i.profile, key: i.key })),
      unrecorded: judgement.unrecorded,
      orphaned: judgement.orphaned,
    },
    broken: broken.map((b) => ({ ...b, capture: commandsFor(b.profile).capture })),
    uncaptured,
  })}\n`;
}

/** The text report: the tables, the totals, what could not be compared, and the ratchet's verdict. */
function textReport(r: RunReport, c: ReturnType<typeof colours>, html: string | undefined): string {
  const { results, judgement, broken, uncaptured, bFile, updated, totals } = r;
  const vol = volatileTable(results);
  const st = stateTable(results);
  const out: string[] = [profileTable(results), '', kernelTable(results), ...(vol.length > 0 ? ['', ...vol] : []), ...(st.length > 0 ? ['', ...st] : []), '', totalsLine(totals)];
  const problems = results.reduce((a, r) => a + r.problems.length, 0);
  if (problems > 0) out.push(`log problems: ${problems} over ${results.filter((r) => r.problems.length > 0).length} profile(s) (\`npx bootsim check <profile>\` lists them; --json has them all)`);
  if (uncaptured.length > 0) out.push(`not captured yet (no serial.log): ${uncaptured.join(', ')}`);
  for (const b of broken) out.push(c.red(`BROKEN ${b.profile}: ${b.code}: ${b.message}`), `  re-capture:    ${commandsFor(b.profile).capture}`);
  const notSim = results.filter((r) => r.simError);
  if (notSim.length > 0) out.push(`not simulated (${notSim.length}): ${notSim[0]!.simError}${notSim.length > 1 ? ` (and ${notSim.length - 1} more)` : ''}`);
  out.push('');
  if (updated) {
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
  const off = stateOff(results);
  if (off > 0) out.push(c.red(`state: ${off} predicted field(s) mismatched, missing or unclassified (listed under the state table)`));
  if (html) out.push(`HTML report: ${displayPath(path.resolve(html))}`);
  return `${out.join('\n')}\n`;
}
