// Sharded conformance (issue 14 item 7): `conformance --shard i/n` runs a deterministic part of the
// sorted golden list and `--out <file>` writes what it found (a shard report); `conformance --merge
// a.json b.json …` reads the reports of every shard of one split and hands their results to the same
// reporting code a single run uses, so the merged report is the one run's report. The split is by
// position: golden k (0-based, in sorted name order) goes to shard (k mod n) + 1, which spreads each
// kernel's goldens (named <arch>-<series>-…, so sorted together) over the shards.
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { BootsimError } from '../../sim/base/errors.ts';
import { STATE_FAMILY_IDS } from '../catalog/state-families.ts';
import { STATE_STATUSES } from './state.ts';
import { displayPath } from '../../sim/base/paths.ts';
import { resultPatch, type ProfileResult } from './result.ts';

export type ShardErrorCode = 'SHARD_REPORT_UNREADABLE' | 'SHARD_REPORT_INVALID' | 'SHARD_SET_INCOMPLETE';
export class ShardError extends BootsimError<ShardErrorCode> {
  override readonly name = 'ShardError';
}

/** One shard of a split: 1-based index of count. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The most shards a split may have: more than the goldens only makes empty shards. */
export const MAX_SHARDS = 256;

/** Parses "i/n" (1 ≤ i ≤ n ≤ MAX_SHARDS); undefined with the reason when it is not that. */
export function parseShard(text: string): Shard | { readonly error: string } {
  const m = /^(\d{1,3})\/(\d{1,3})$/.exec(text);
  const expected = `expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, e.g. 1/2`;
  if (!m) return { error: `${expected}, got "${text.length > 20 ? `${text.slice(0, 20)}…` : text}"` };
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS || index < 1 || index > count) return { error: `${expected}, got ${index}/${count}` };
  return { index, count };
}

/** The items of one shard, in their order: item k goes to shard (k mod n) + 1. */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  return items.filter((_, k) => k % shard.count === shard.index - 1);
}

/** A golden that could not be compared (bad profile, unusable log): bad input. */
export interface BrokenGolden {
  readonly profile: string;
  readonly code: string;
  readonly message: string;
}

/** What one shard found: its results and broken goldens, with the split it belongs to. */
export interface ShardReport {
  readonly shard: Shard;
  /** Every golden of the split (profile.yaml and serial.log), sorted: each shard must have listed the same. */
  readonly goldens: readonly string[];
  /** Goldens without a serial.log (the same in every shard). */
  readonly uncaptured: readonly string[];
  readonly results: readonly ProfileResult[];
  readonly broken: readonly BrokenGolden[];
}

// /2: the state fields' reasons are indices into the report's `reasons` (ShardReportFile below).
const FORMAT = 'bootsim-conformance-shard/2';

// JSON has no bigint (address and pfn fields are bigint): written as {"$bigint": "<decimal>"}, read back by revive.
function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
}

/**
 * The parsed value with each {"$bigint": "<decimal>"} object (that key alone, a decimal string) made
 * a bigint, in place. A walk after JSON.parse, not a JSON.parse reviver: a reviver is called for every
 * value of a report of many megabytes, and made reading one take twice as long. The same values as the
 * reviver gave: a wrapper is replaced wherever it is, and one around anything but a decimal string stays.
 */
export function revive(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const r = revive(value[i]);
      if (r !== value[i]) value[i] = r;
    }
    return value;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === '$bigint') {
    const text = o.$bigint;
    if (typeof text === 'string' && /^-?\d+$/.test(text)) return BigInt(text);
  }
  for (const k of keys) {
    const r = revive(o[k]);
    // defineProperty: a "__proto__" key that JSON.parse made an own property stays one
    if (r !== o[k]) Object.defineProperty(o, k, { value: r, writable: true, enumerable: true, configurable: true });
  }
  return o;
}

/**
 * The shard report as the file `conformance --out` writes. Each result's comparison carries its
 * unified diff (`patch`, after `lines`), made here: a run makes no diff it does not print. A state
 * field's reason is written as its index in the report's `reasons`, each text once: a state golden's
 * ~3,000 unmodelled fields share a few dozen reasons, which were 12 of the 26 MB of a whole run's report.
 */
export function encodeShardReport(r: ShardReport): string {
  const reasons: string[] = [];
  const index = new Map<string, number>();
  const reasonIndex = (text: string): number => {
    let i = index.get(text);
    if (i === undefined) {
      index.set(text, (i = reasons.length));
      reasons.push(text);
    }
    return i;
  };
  const results = r.results.map((p) => ({
    ...p,
    comparison: { ...p.comparison, patch: resultPatch(p) },
    // spread, then the reason replaced: the field keeps its key order
    ...(p.state ? { state: { ...p.state, comparison: { ...p.state.comparison, fields: p.state.comparison.fields.map((f) => (f.reason === undefined ? f : { ...f, reason: reasonIndex(f.reason) })) } } } : {}),
  }));
  return `${JSON.stringify({ format: FORMAT, ...r, results, reasons }, replacer)}\n`;
}

const str = v.string();
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const FieldSchema = v.strictObject({
  name: str,
  kind: v.picklist(['addr', 'pfn', 'pages', 'kbytes', 'mbytes', 'bytes', 'count', 'node', 'text']),
  value: v.union([v.number(), v.string(), v.bigint()]),
  key: v.optional(v.literal(true)),
});
const CompareLineSchema = v.strictObject({
  family: str,
  text: str,
  line: v.optional(count),
  index: v.optional(count),
  stage: v.optional(str),
  fields: v.array(FieldSchema),
  key: v.optional(str),
  declared: v.optional(str),
});
const FieldDeltaSchema = v.strictObject({
  path: str,
  name: str,
  kind: str,
  status: v.picklist(['equal', 'differs', 'within-bound', 'out-of-bound', 'only-golden', 'only-sim']),
  volatile: v.boolean(),
  golden: v.optional(str),
  sim: v.optional(str),
  delta: v.optional(str),
  tolerance: v.optional(str),
  bound: v.optional(v.strictObject({ delta: v.number(), tolerance: v.number() })),
});
const ComparedLineSchema = v.strictObject({
  family: str,
  stage: str,
  status: v.picklist(['exact', 'mismatched', 'missing', 'extra']),
  key: str,
  golden: v.optional(CompareLineSchema),
  sim: v.optional(CompareLineSchema),
  fields: v.optional(v.array(FieldDeltaSchema)),
  moved: v.optional(v.boolean()),
  known: v.optional(str),
});
const StateResultSchema = v.strictObject({
  stateLog: str,
  comparison: v.strictObject({
    fields: v.array(v.strictObject({
      family: v.picklist(STATE_FAMILY_IDS),
      key: str,
      status: v.picklist(STATE_STATUSES),
      sim: v.optional(str),
      golden: v.optional(str),
      line: v.optional(count),
      delta: v.optional(str),
      // an index into the report's reasons (encodeShardReport)
      reason: v.optional(count),
    })),
    families: v.array(v.strictObject({ family: v.picklist(STATE_FAMILY_IDS), exact: count, within: count, mismatched: count, missing: count, unmodelled: count, unmodelledDeterministic: count, unclassified: count })),
    boots: count,
  }),
  simError: v.optional(str),
});
const LOG_PROBLEM_CODES = ['INVALID_UTF8', 'CONTROL_CHARS', 'GARBLED_PREFIX', 'MERGED_LINES', 'DAMAGED_TIMESTAMP', 'NO_TIMESTAMP', 'OOPS', 'PANIC', 'NO_KERNEL_LINES', 'MOSTLY_BINARY', 'WINDOW_NOT_STARTED', 'WINDOW_INCOMPLETE'] as const;
const ProfileResultSchema = v.strictObject({
  profile: str,
  kernel: str,
  golden: str,
  profileFile: str,
  window: v.strictObject({
    lines: count, catalog: count, masked: count, firmware: count, unmodelled: count, deterministic: count,
    coverage: v.number(),
    catalogOutside: v.optional(count),
    startLine: v.optional(count),
    endLine: v.optional(count),
  }),
  comparison: v.strictObject({
    counts: v.strictObject({ catalog: count, exact: count, mismatched: count, missing: count, extra: count, known: count }),
    exactness: v.number(),
    lines: v.array(ComparedLineSchema),
    patch: str,
  }),
  simError: v.optional(str),
  problems: v.array(v.strictObject({ source: v.picklist(['golden', 'sim']), line: count, code: v.picklist(LOG_PROBLEM_CODES), message: str })),
  state: v.optional(StateResultSchema),
});
const ShardReportSchema = v.strictObject({
  format: v.literal(FORMAT),
  shard: v.pipe(
    v.strictObject({ index: v.pipe(count, v.minValue(1)), count: v.pipe(count, v.minValue(1), v.maxValue(MAX_SHARDS)) }),
    v.check((s) => s.index <= s.count, 'index ≤ count'),
  ),
  goldens: v.array(str),
  uncaptured: v.array(str),
  results: v.array(ProfileResultSchema),
  broken: v.array(v.strictObject({ profile: str, code: str, message: str })),
  reasons: v.array(str),
});

type FileResult = v.InferInput<typeof ProfileResultSchema>;
type FileStateField = NonNullable<FileResult['state']>['comparison']['fields'][number];

// The schema's type is ProfileResult but for the reason indices: a change to one that the other does
// not follow fails the typecheck here. The written patch is checked (a string) and dropped: resultPatch
// makes it again from the lines. Each state field's reason index is its text again (checked in range
// by readShardReport), set in place so that the field keeps its key order.
const sameShape = (r: FileResult, reasons: readonly string[]): ProfileResult => {
  const { patch: _p, ...comparison } = r.comparison;
  if (r.state === undefined) {
    const { state: _s, ...rest } = r;
    return { ...rest, comparison };
  }
  const fields = r.state.comparison.fields.map((f: FileStateField) => {
    if (f.reason === undefined) {
      const { reason: _r, ...rest } = f;
      return rest;
    }
    return { ...f, reason: reasons[f.reason]! };
  });
  return { ...r, comparison, state: { ...r.state, comparison: { ...r.state.comparison, fields } } };
};

/** The dot path of the first state field whose reason index is past the report's reasons, if any. */
function reasonOutOfRange(results: readonly FileResult[], reasons: readonly string[]): string | undefined {
  for (const [i, r] of results.entries()) {
    const fields = r.state?.comparison.fields ?? [];
    for (const [k, f] of fields.entries()) if (f.reason !== undefined && f.reason >= reasons.length) return `results.${i}.state.comparison.fields.${k}.reason`;
  }
  return undefined;
}

/** Reads and validates one shard report; a file that is not one is a coded error naming it. */
export function readShardReport(file: string): ShardReport {
  const shown = displayPath(file);
  let json: unknown;
  try {
    json = revive(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new ShardError('SHARD_REPORT_UNREADABLE', `expected a shard report written by \`bootsim conformance --shard i/n --out <file>\`, got ${e instanceof SyntaxError ? `text that is not JSON (${e.message})` : (e as Error).message}`, { pos: { file: shown }, cause: e });
  }
  // validated in place: the schema has no transforms, and the objects keep the key order they were
  // written in, which the JSON report of the merge prints as a single run would
  if (!v.is(ShardReportSchema, json)) {
    const r = v.safeParse(ShardReportSchema, json);
    const issue = r.issues?.[0];
    const where = issue ? (v.getDotPath(issue) ?? '(top)') : '(top)';
    throw new ShardError('SHARD_REPORT_INVALID', `${where}: expected ${issue?.expected ?? 'a shard report'}, got ${issue?.received ?? 'something else'}`, { pos: { file: shown } });
  }
  const { format: _f, reasons, ...report } = json;
  const past = reasonOutOfRange(report.results, reasons);
  if (past !== undefined) throw new ShardError('SHARD_REPORT_INVALID', `${past}: expected an index into reasons (0 to ${reasons.length - 1}), got one past them`, { pos: { file: shown } });
  return { ...report, results: report.results.map((r) => sameShape(r, reasons)) };
}

// The first name in one list and not the other, for a message.
function differing(a: readonly string[], b: readonly string[]): string {
  const inA = a.find((x) => !b.includes(x));
  const inB = b.find((x) => !a.includes(x));
  return inB !== undefined ? `${inB} not in the first` : inA !== undefined ? `${inA} missing` : 'another order';
}

/**
 * Merges the reports of every shard of one split: each index 1..n exactly once, all of the same n
 * and golden list, each holding exactly its part of it. The results come back in golden order.
 */
export function mergeShardReports(reports: readonly { readonly file: string; readonly report: ShardReport }[]): { results: ProfileResult[]; broken: BrokenGolden[]; uncaptured: string[] } {
  const fail = (message: string, file?: string): never => {
    throw new ShardError('SHARD_SET_INCOMPLETE', message, file ? { pos: { file: displayPath(file) } } : {});
  };
  if (reports.length === 0) fail('expected the shard reports of one split, got none');
  const first = reports[0]!;
  const n = first.report.shard.count;
  const seen = new Map<number, string>();
  for (const { file, report } of reports) {
    if (report.shard.count !== n) fail(`expected shard i/${n} like ${displayPath(first.file)}, got ${report.shard.index}/${report.shard.count}`, file);
    const dup = seen.get(report.shard.index);
    if (dup !== undefined) fail(`expected each shard once, got ${report.shard.index}/${n} again (also ${displayPath(dup)})`, file);
    seen.set(report.shard.index, file);
    if (report.goldens.join('\n') !== first.report.goldens.join('\n')) {
      fail(`expected the golden list of ${displayPath(first.file)} (${first.report.goldens.length} goldens), got another (${report.goldens.length}, ${differing(first.report.goldens, report.goldens)}): shards of different trees`, file);
    }
    if (report.uncaptured.join('\n') !== first.report.uncaptured.join('\n')) {
      fail(`expected the uncaptured goldens of ${displayPath(first.file)} (${first.report.uncaptured.length}), got others (${report.uncaptured.length}, ${differing(first.report.uncaptured, report.uncaptured)}): shards of different trees`, file);
    }
    const want = shardItems(report.goldens, report.shard).join('\n');
    const got = [...report.results.map((x) => x.profile), ...report.broken.map((x) => x.profile)].sort().join('\n');
    if (want !== got) fail(`expected the results of exactly the goldens of shard ${report.shard.index}/${n}, got others`, file);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) fail(`expected all ${n} shards, got no report for shard ${missing.map((i) => `${i}/${n}`).join(', ')}`);
  const order = new Map(first.report.goldens.map((g, i) => [g, i]));
  const pos = (p: string): number => order.get(p) ?? -1;
  return {
    results: reports.flatMap((r) => r.report.results).sort((a, b) => pos(a.profile) - pos(b.profile)),
    broken: reports.flatMap((r) => r.report.broken).sort((a, b) => pos(a.profile) - pos(b.profile)),
    uncaptured: [...first.report.uncaptured],
  };
}
