// The result of comparing one profile, as every report (table, JSON, HTML) reads it.
import { patchOf, type Comparison, type Counts } from './compare.ts';
import type { ComparedLine, WindowCounts } from './types.ts';
import { coverageOf, type LogProblem } from './catalog-port.ts';
import { volatileDeltas } from './fields.ts';
import type { StateResult } from './state-run.ts';

/** A problem the normaliser collected, and on which side: the golden log, or the simulator's lines. */
export interface ReportedProblem extends LogProblem {
  readonly source: 'golden' | 'sim';
}

export interface ProfileResult {
  /** Profile name, e.g. 'x86_64-6.1-pc-8g'. */
  readonly profile: string;
  /** Kernel catalog id, e.g. '6.1-amd64'. */
  readonly kernel: string;
  /** The golden log compared against, as displayed. */
  readonly golden: string;
  /** The profile file, as displayed. */
  readonly profileFile: string;
  readonly window: WindowCounts;
  readonly comparison: Comparison;
  /** Why the simulator could not run, when it could not; its lines then count as none. */
  readonly simError?: string;
  /** Every problem the normaliser collected on either side, none dropped. */
  readonly problems: readonly ReportedProblem[];
  /** The post-boot state against goldens/<name>/state.log, for a golden that has one (harness/compare/state-run.ts). */
  readonly state?: StateResult;
}

// A result is never changed once made: its diff is kept with it (a shard report written twice from the same results makes it once).
const patches = new WeakMap<ProfileResult, string>();

/** The unified diff of one profile's comparison, headed by the golden and the command that simulates it (`bootsim diff` prints it). */
export function resultPatch(r: ProfileResult): string {
  let p = patches.get(r);
  if (p === undefined) {
    p = patchOf(r.comparison.lines, r.golden, `bootsim sim ${r.profileFile}`);
    patches.set(r, p);
  }
  return p;
}

/** Counts summed over several profiles. */
export interface Totals extends Counts {
  readonly profiles: number;
  readonly coverage: number;
  readonly exactness: number;
}

export function totalsOf(results: readonly ProfileResult[]): Totals {
  const sum = (k: 'catalog' | 'exact' | 'mismatched' | 'missing' | 'extra' | 'known'): number => results.reduce((a, r) => a + r.comparison.counts[k], 0);
  const catalog = sum('catalog');
  const exact = sum('exact');
  const mismatched = sum('mismatched');
  return {
    profiles: results.length,
    catalog, exact, mismatched,
    missing: sum('missing'),
    extra: sum('extra'),
    known: sum('known'),
    // summed over the windows, not averaged over profiles
    coverage: coverageOf({
      catalog: results.reduce((a, r) => a + r.window.catalog, 0),
      deterministic: results.reduce((a, r) => a + r.window.deterministic, 0),
    }),
    exactness: catalog === 0 ? 0 : exact / catalog,
  };
}

/** The commands a failure message gives, so the reader can act at once. */
export function commandsFor(profile: string): { diff: string; capture: string } {
  return { diff: `npx bootsim diff ${profile}`, capture: `npx bootsim capture goldens/${profile}/profile.yaml --force` };
}

/** A line as JSON: `{family, status, golden, sim, fields?}`, plus key, stage, line numbers and notes. */
export function lineJson(l: ComparedLine): Record<string, unknown> {
  return {
    family: l.family,
    status: l.status,
    golden: l.golden?.text ?? null,
    sim: l.sim?.text ?? null,
    key: l.key,
    stage: l.stage,
    ...(l.golden?.line !== undefined ? { goldenLine: l.golden.line } : {}),
    ...(l.fields ? { fields: l.fields } : {}),
    ...(l.moved ? { moved: true } : {}),
    ...(l.known ? { known: l.known } : {}),
  };
}

/** The `check --json` object for one profile. */
export function resultJson(r: ProfileResult): Record<string, unknown> {
  const c = r.comparison;
  return {
    profile: r.profile,
    kernel: r.kernel,
    golden: r.golden,
    window: r.window,
    catalog: c.counts.catalog,
    exact: c.counts.exact,
    mismatched: c.counts.mismatched,
    missing: c.counts.missing,
    extra: c.counts.extra,
    known: c.counts.known,
    coverage: r.window.coverage,
    exactness: c.exactness,
    ...(r.simError ? { simError: r.simError } : {}),
    ...(r.state ? { state: { stateLog: r.state.stateLog, families: r.state.comparison.families, ...(r.state.simError ? { simError: r.state.simError } : {}), differing: r.state.comparison.fields.filter((f) => f.status === 'mismatched' || f.status === 'missing' || f.status === 'unclassified') } } : {}),
    problems: r.problems,
    volatile: volatileDeltas(c.lines).map(({ key, field: f }) => ({
      key,
      path: f.path,
      status: f.status,
      sim: f.sim ?? null,
      golden: f.golden ?? null,
      delta: f.bound?.delta ?? null,
      tolerance: f.bound?.tolerance ?? null,
      unit: f.kind,
      text: f.delta === undefined ? `within ${f.tolerance}` : `${f.delta}, ${f.status === 'within-bound' ? 'within' : 'outside'} ${f.tolerance}`,
    })),
    lines: c.lines.map(lineJson),
  };
}
