// The one place the comparison reads logs and the catalog: harness/normalise.ts normalises
// both sides, and the catalog parses both sides' lines into typed fields. Everything else
// in harness/compare/ works on CompareLine and FamilyTraits.
import * as v from 'valibot';
import { normaliseLog, normaliseSimLines, readLogBytes, requireUsableGolden, type LogProblem, type LogProblemCode, type NormalisedLog } from '../normalise.ts';
import { classifyLog, coverageOf, parseCatalogLine } from '../catalog/classify.ts';
import { familyById, families } from '../catalog/families.ts';
import { volatileFor } from '../catalog/volatile.ts';
import { kernelKeyOfId } from '../catalog/versions.ts';
import { BootsimError } from '../../sim/base/errors.ts';
import type { DmesgLine } from '../../sim/types.ts';
import { parseKernelVersion, seriesTraits } from '../../sim/traits.ts';
import type { FieldKind } from '../catalog/fields.ts';
import { cachedParse, runningCache, type ParsedCacheOptions } from '../parsed-cache.ts';
import type { CompareLine, FamilyTraits, LineField, WindowCounts } from './types.ts';

export type { LogProblem, NormalisedLog };
export { coverageOf };

/** A golden that cannot be read at all (GoldenError covers logs that can be read but not used). */
export class GoldenReadError extends BootsimError<'GOLDEN_UNREADABLE'> {
  override readonly name = 'GoldenReadError';
}

/** Every catalog family id, for validating the divergence register. */
export const familyIds: ReadonlySet<string> = new Set(families.map((f) => f.id));

/** Reads and normalises a golden log; an unreadable, empty, truncated, panicked or binary one is a coded error. */
export function readGoldenLog(file: string, shownAs: string = file): NormalisedLog {
  return usableGolden(goldenBytes(file, shownAs), shownAs);
}

// Not a regular file, or over the size limit: a GoldenError from readLogBytes, before reading.
function goldenBytes(file: string, shownAs: string): Buffer {
  const read = readLogBytes(file, shownAs);
  if ('unreadable' in read) throw new GoldenReadError('GOLDEN_UNREADABLE', `expected a readable serial log, got ${read.unreadable}`, { pos: { file: shownAs }, cause: read.cause });
  return read.bytes;
}

function usableGolden(bytes: Uint8Array, shownAs: string): NormalisedLog {
  const log = normaliseLog(bytes, shownAs);
  requireUsableGolden(log);
  return log;
}

/** The traits the comparison needs, for one kernel (volatile fields depend on the version). */
export function familyTraits(kernelId: string): (id: string) => FamilyTraits | undefined {
  const key = kernelKeyOfId(kernelId);
  const cache = new Map<string, FamilyTraits | undefined>();
  return (id) => {
    if (cache.has(id)) return cache.get(id);
    const f = familyById(id);
    const volatile = f?.fields.flatMap((s) => {
      const name = s.name ?? s.group;
      const d = volatileFor(id, name, key.version);
      return d ? [{ name, tolerance: d.tolerance }] : [];
    });
    const t = f ? { id, stage: f.stage, volatile: volatile ?? [] } : undefined;
    cache.set(id, t);
    return t;
  };
}

/** A golden as the comparison reads it: its catalog lines and its window counts. */
export interface ClassifiedGolden {
  /** The catalog lines, wherever they print in the boot, with their raw line numbers. */
  readonly lines: readonly CompareLine[];
  readonly window: WindowCounts;
}

/** Classifies the golden once (harness/catalog classifyLog): its catalog lines and its window counts come from the same pass. */
export function classifyGolden(log: NormalisedLog, kernelId: string): ClassifiedGolden {
  const { catalog, window } = classifyLog(log, kernelKeyOfId(kernelId));
  const w = window.counts;
  return {
    lines: catalog.map((c) => ({ family: c.family, text: c.text, line: c.lineNo, fields: c.fields, ...(c.key !== undefined ? { key: c.key } : {}) })),
    window: {
      lines: w.total,
      catalog: w.catalog,
      masked: w.masked,
      firmware: w.firmware,
      unmodelled: w.unmodelled,
      deterministic: w.deterministic,
      coverage: w.coverage,
      catalogOutside: w.catalogOutside,
      ...(log.window ? { startLine: log.window.startLine, endLine: log.window.endLine } : {}),
    },
  };
}

/** A golden as compareSpec reads it: classifyGolden's lines and window, and the problems the normaliser collected. */
export interface ReadGolden extends ClassifiedGolden {
  readonly problems: readonly LogProblem[];
}

// Every code and kind, checked by the compiler against the unions (a missing or unknown one fails to build)
const PROBLEM_CODES: Readonly<Record<LogProblemCode, true>> = {
  INVALID_UTF8: true, CONTROL_CHARS: true, GARBLED_PREFIX: true, MERGED_LINES: true, DAMAGED_TIMESTAMP: true, NO_TIMESTAMP: true,
  OOPS: true, PANIC: true, NO_KERNEL_LINES: true, MOSTLY_BINARY: true, WINDOW_NOT_STARTED: true, WINDOW_INCOMPLETE: true,
};
const FIELD_KINDS: Readonly<Record<FieldKind, true>> = { addr: true, pfn: true, pages: true, kbytes: true, mbytes: true, bytes: true, count: true, node: true, text: true };

/** The shape of a ReadGolden kept in the parsed-input cache (harness/parsed-cache.ts). */
export const ReadGoldenSchema: v.GenericSchema<ReadGolden> = v.object({
  lines: v.array(v.object({
    family: v.string(),
    text: v.string(),
    line: v.number(),
    fields: v.array(v.object({
      name: v.string(),
      kind: v.custom<FieldKind>((k) => typeof k === 'string' && Object.hasOwn(FIELD_KINDS, k)),
      // one check, not v.union: a union records an issue for each member a value is not (most fields are bigint or number)
      value: v.custom<bigint | number | string>((x) => typeof x === 'bigint' || typeof x === 'number' || typeof x === 'string'),
      key: v.optional(v.literal(true)),
    })),
    key: v.optional(v.string()),
  })),
  window: v.object({
    lines: v.number(),
    catalog: v.number(),
    masked: v.number(),
    firmware: v.number(),
    unmodelled: v.number(),
    deterministic: v.number(),
    coverage: v.number(),
    catalogOutside: v.optional(v.number()),
    startLine: v.optional(v.number()),
    endLine: v.optional(v.number()),
  }),
  problems: v.array(v.object({
    line: v.number(),
    code: v.custom<LogProblemCode>((c) => typeof c === 'string' && Object.hasOwn(PROBLEM_CODES, c)),
    message: v.string(),
  })),
});

/**
 * Reads, normalises and classifies a golden for one kernel (readGoldenLog, then classifyGolden), the
 * result kept in the parsed-input cache under the log's bytes, its shown path and the kernel id
 * (default: the running build's cache; none from the sources). An unusable golden is a coded error, every time.
 */
export function readClassifiedGolden(file: string, shownAs: string, kernelId: string, cache: ParsedCacheOptions | undefined = runningCache()): ReadGolden {
  const bytes = goldenBytes(file, shownAs);
  const parse = (): ReadGolden => {
    const log = usableGolden(bytes, shownAs);
    return { ...classifyGolden(log, kernelId), problems: log.problems };
  };
  return cachedParse('golden', [shownAs, kernelId], bytes, ReadGoldenSchema, parse, cache);
}

/** The golden's catalog lines alone (classifyGolden's lines), for callers that need no window counts. */
export function goldenLines(log: NormalisedLog, kernelId: string): readonly CompareLine[] {
  return classifyGolden(log, kernelId).lines;
}

/** What simLines reads of parseCatalogLine's answer for a line: its family, fields and key, or null when it is no catalog line. */
type SimParse = { readonly family: string; readonly fields: readonly LineField[]; readonly key: string | undefined } | null;

// parseCatalogLine's answer by kernel id, then line text: it reads nothing else of the line (the family, its fields
// and key come from the text and the kernel's catalog), and one kernel's boots print many of the same lines
const simParses = new Map<string, Map<string, SimParse>>();

/**
 * The simulator's lines, normalised and parsed by the same code as the golden's. A line that
 * does not parse keeps the family its stage declared (`fmt`), so it still pairs, as a mismatch.
 */
export function simLines(lines: readonly DmesgLine[], kernelId: string): CompareLine[] {
  const kernel = kernelKeyOfId(kernelId);
  let parses = simParses.get(kernelId);
  if (parses === undefined) simParses.set(kernelId, (parses = new Map()));
  const memo = parses;
  return normaliseSimLines(lines).lines.map((l, index) => {
    let c = memo.get(l.text);
    if (c === undefined) {
      const p = parseCatalogLine(l, kernel);
      memo.set(l.text, (c = p ? { family: p.family, fields: p.fields, key: p.key } : null));
    }
    const base = { text: l.text, index, ...(l.stage !== undefined ? { stage: l.stage } : {}) };
    if (!c) return { ...base, family: l.fmt ?? '?', fields: [] };
    return { ...base, family: c.family, fields: c.fields, ...(c.key !== undefined ? { key: c.key } : {}), ...(c.family !== l.fmt ? { declared: l.fmt } : {}) };
  });
}

/**
 * The problems the normaliser collects on the simulator's lines (control characters, embedded newlines,
 * an incomplete window: one that ends at "Memory:" for a kernel without SLUB, sim/traits.ts slubAllocator).
 */
export function simProblems(lines: readonly DmesgLine[], kernelId?: string): readonly LogProblem[] {
  const slub = kernelId === undefined || seriesTraits(parseKernelVersion(kernelKeyOfId(kernelId).version)).slubAllocator;
  return normaliseSimLines(lines, '<sim>', slub).problems;
}
