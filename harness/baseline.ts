// The ratchet: goldens/baseline.json records, per profile, which catalog lines are exact.
// `conformance` fails when a recorded line stops being exact, and reports lines that
// became exact so that they can be recorded with `--update-baseline` (never under CI).
import { readFileSync, writeFileSync, renameSync, existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { BootsimError } from '../sim/base/errors.ts';
import { goldensDir, displayPath } from '../sim/base/paths.ts';
import type { ComparedLine } from './compare/types.ts';

export type BaselineCode = 'BASELINE_INVALID' | 'BASELINE_UPDATE_IN_CI';

export class BaselineError extends BootsimError<BaselineCode> {
  override readonly name = 'BaselineError';
}

export const baselineFile = path.join(goldensDir, 'baseline.json');

/** What the baseline records for one profile. */
export interface BaselineProfile {
  readonly kernel: string;
  /** Catalog lines in the golden when the baseline was written (for the reader; not judged). */
  readonly catalog: number;
  /** Stable keys of the lines that were exact, sorted. */
  readonly exact: readonly string[];
}

export interface Baseline {
  readonly version: 1;
  readonly profiles: Readonly<Record<string, BaselineProfile>>;
}

/** 'none' judges against the baseline; 'all' records the current results. CI means 'none'. */
export type UpdateMode = 'none' | 'all';

export const emptyBaseline: Baseline = { version: 1, profiles: {} };

/** Reads the baseline; a missing file is an empty baseline, a malformed one a coded error. */
export function readBaseline(file: string = baselineFile): Baseline {
  if (!existsSync(file)) return emptyBaseline;
  const where = { file: displayPath(file) };
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new BaselineError('BASELINE_INVALID', `expected JSON, got a parse error: ${(cause as Error).message}`, { pos: where, cause });
  }
  const o = obj as { version?: unknown; profiles?: unknown };
  if (!o || typeof o !== 'object' || o.version !== 1 || !o.profiles || typeof o.profiles !== 'object') {
    throw new BaselineError('BASELINE_INVALID', `expected {"version": 1, "profiles": {…}}, got ${JSON.stringify(obj).slice(0, 80)}`, { pos: where });
  }
  for (const [name, p] of Object.entries(o.profiles as Record<string, unknown>)) {
    const q = p as Partial<BaselineProfile> | null;
    if (!q || typeof q.kernel !== 'string' || !Array.isArray(q.exact) || !q.exact.every((k) => typeof k === 'string')) {
      throw new BaselineError('BASELINE_INVALID', `profiles.${name}: expected {kernel, catalog, exact: [keys]}, got ${JSON.stringify(p).slice(0, 80)}`, { pos: where });
    }
  }
  return o as Baseline;
}

/** Refuses to update under CI, so that the gate cannot move itself. */
export function updateMode(requested: boolean, env: NodeJS.ProcessEnv): UpdateMode {
  if (!requested) return 'none';
  if (env.CI === 'true' || env.CI === '1') {
    throw new BaselineError('BASELINE_UPDATE_IN_CI', 'refusing --update-baseline under CI=true: the baseline is the gate; record it locally with `npx bootsim conformance --update-baseline` and commit goldens/baseline.json');
  }
  return 'all';
}

/** The baseline entry for one profile's current results. */
export function profileEntry(kernel: string, lines: readonly ComparedLine[]): BaselineProfile {
  const withGolden = lines.filter((l) => l.golden);
  return { kernel, catalog: withGolden.length, exact: withGolden.filter((l) => l.status === 'exact').map((l) => l.key).sort() };
}

/** Writes atomically: a temp file beside the target, then a rename. */
export function writeBaseline(b: Baseline, file: string = baselineFile): void {
  const sorted: Baseline = { version: 1, profiles: Object.fromEntries(Object.keys(b.profiles).sort().map((k) => [k, b.profiles[k]!])) };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(sorted, null, 2)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}

/** A line the baseline records as exact that is no longer exact. */
export interface Regression {
  readonly profile: string;
  readonly key: string;
  /** The line now; undefined when the key is no longer among the golden's catalog lines. */
  readonly line: ComparedLine | undefined;
  /** Set for a golden the baseline does not record yet: the line was never exact, and is judged in full. */
  readonly unrecorded?: true;
}

export interface Improvement {
  readonly profile: string;
  readonly key: string;
  readonly line: ComparedLine;
}

export interface Judgement {
  readonly regressions: readonly Regression[];
  readonly improvements: readonly Improvement[];
  /** Profiles with a golden but no baseline entry yet: their exact lines are all improvements. */
  readonly unrecorded: readonly string[];
  /** Profiles in the baseline without a golden now. */
  readonly orphaned: readonly string[];
}

/** Judges current results against the baseline. */
export function judge(baseline: Baseline, results: ReadonlyMap<string, readonly ComparedLine[]>): Judgement {
  const regressions: Regression[] = [];
  const improvements: Improvement[] = [];
  const unrecorded: string[] = [];
  for (const [profile, lines] of results) {
    const rec = baseline.profiles[profile];
    if (!rec) {
      unrecorded.push(profile);
      // A golden missing from the baseline is judged in full: every line that is not exact, and not a
      // registered divergence, fails until the golden is recorded (--update-baseline) or the line registered.
      for (const l of lines) if (l.status !== 'exact' && !l.known) regressions.push({ profile, key: l.key ?? `${l.family}#${l.status}`, line: l, unrecorded: true });
    }
    const was = new Set(rec?.exact ?? []);
    const byKey = new Map(lines.filter((l) => l.golden).map((l) => [l.key, l]));
    for (const key of was) {
      const line = byKey.get(key);
      if (!line || line.status !== 'exact') regressions.push({ profile, key, line });
    }
    for (const [key, line] of byKey) if (line.status === 'exact' && !was.has(key)) improvements.push({ profile, key, line });
  }
  const orphaned = Object.keys(baseline.profiles).filter((p) => !results.has(p)).sort();
  return { regressions, improvements, unrecorded, orphaned };
}
