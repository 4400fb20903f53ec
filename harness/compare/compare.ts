// Compares the simulator's lines with one golden's catalog lines: aligns them, classifies
// each catalog line (exact, mismatched, missing, extra) and computes field deltas; patchOf makes
// the unified diff on demand. Pure: the caller has already normalised and parsed both sides.
import { createTwoFilesPatch } from 'diff';
import { alignLines, type Alignable } from './align.ts';
import { compareFields, fieldsExact } from './fields.ts';
import type { CompareLine, ComparedLine, FamilyTraits, WindowCounts } from './types.ts';

export interface Counts {
  /** Catalog lines in the golden. */
  readonly catalog: number;
  readonly exact: number;
  readonly mismatched: number;
  readonly missing: number;
  readonly extra: number;
  /** Non-exact lines explained by the divergence register (counted apart, still in the counts above). */
  readonly known: number;
}

export interface Comparison {
  readonly counts: Counts;
  /** exact / catalog. */
  readonly exactness: number;
  readonly lines: readonly ComparedLine[];
}

export interface CompareInput {
  readonly golden: readonly CompareLine[];
  readonly sim: readonly CompareLine[];
  /** Traits of a family; unknown ids get a stage of '?' and no volatile fields. */
  readonly family: (id: string) => FamilyTraits | undefined;
  /**
   * Why a non-exact line is a known divergence (the register's reason), or undefined. Applied to
   * each line before the counts are taken, so `known` counts what is known.
   * Default: no line is known.
   */
  readonly known?: (line: ComparedLine) => string | undefined;
}

type Item = CompareLine & Alignable;

function traitsOf(input: CompareInput, id: string): FamilyTraits {
  return input.family(id) ?? { id, stage: '?', volatile: [] };
}

// Two lines of a family are the same line when their text matches, except that volatile fields are masked.
function matchKey(l: CompareLine, t: FamilyTraits): string {
  if (t.volatile.length === 0 || l.fields.length === 0) return l.text;
  return l.fields.filter((f) => !t.volatile.some((v) => v.name === f.name)).map((f) => `${f.name}=${String(f.value)}`).join('\u0001');
}

/** The joined key fields of a line ('DMA32', '0:DMA'), as the catalog joins them; undefined when it has none. */
export function namingKey(l: CompareLine, t: FamilyTraits | undefined): string | undefined {
  if (l.key !== undefined) return l.key;
  const parts = l.fields.filter((f) => f.key === true || f.name === t?.keyField).map((f) => String(f.value));
  return parts.length === 0 ? undefined : parts.join(':');
}

/**
 * The stable ratchet key of each golden line: `family[key]` when the catalog's key fields name
 * the line uniquely (`zones.range[DMA32]`), `family[key]#n` for the n-th line sharing a key
 * (`zones.unavailable[0:DMA]#1`), else `family#n` for the n-th line of the family (`e820.entry#3`).
 */
export function lineKeys(golden: readonly CompareLine[], family: (id: string) => FamilyTraits | undefined): string[] {
  const named = golden.map((l) => {
    const k = namingKey(l, family(l.family));
    return k === undefined ? undefined : `${l.family}[${k}]`;
  });
  const total = new Map<string, number>();
  for (const n of named) if (n) total.set(n, (total.get(n) ?? 0) + 1);
  const seen = new Map<string, number>();
  const next = (k: string): number => {
    const i = seen.get(k) ?? 0;
    seen.set(k, i + 1);
    return i;
  };
  return golden.map((l, i) => {
    const n = named[i];
    if (n === undefined) return `${l.family}#${next(l.family)}`;
    return total.get(n) === 1 ? n : `${n}#${next(n)}`;
  });
}

// The prefix of a field path: the family, with the line's key when it has one (as harness/catalog/fields.ts fieldPath).
function fieldLabel(t: FamilyTraits, g: CompareLine | undefined, s: CompareLine | undefined): string {
  const key = (g && namingKey(g, t)) ?? (s && namingKey(s, t));
  return key === undefined ? t.id : `${t.id}[${key}]`;
}

// An exact line is never a divergence, whatever the register says.
function markKnownLine(l: ComparedLine, known: (line: ComparedLine) => string | undefined): ComparedLine {
  if (l.status === 'exact') return l;
  const reason = known(l);
  return reason === undefined ? l : { ...l, known: reason };
}

/** The counts of compared lines, `known` included: take them after the register has marked the lines. */
export function countLines(catalog: number, lines: readonly ComparedLine[]): Counts {
  const n = (st: ComparedLine['status']): number => lines.filter((l) => l.status === st).length;
  return { catalog, exact: n('exact'), mismatched: n('mismatched'), missing: n('missing'), extra: n('extra'), known: lines.filter((l) => l.known !== undefined).length };
}

/** Runs the comparison. */
export function compareLines(input: CompareInput): Comparison {
  const golden: Item[] = input.golden.map((l) => ({ ...l, match: matchKey(l, traitsOf(input, l.family)) }));
  const sim: Item[] = input.sim.map((l) => ({ ...l, match: matchKey(l, traitsOf(input, l.family)) }));
  const keys = lineKeys(input.golden, input.family);
  const keyOf = new Map<Item, string>(golden.map((l, i) => [l, keys[i]!]));
  const simOcc = new Map<string, number>();
  const simKey = (l: Item): string => {
    const occ = simOcc.get(l.family) ?? 0;
    simOcc.set(l.family, occ + 1);
    return `${l.family}#sim${occ}`;
  };

  const lines: ComparedLine[] = [];
  for (const step of alignLines(golden, sim)) {
    const fam = traitsOf(input, (step.golden ?? step.sim)!.family);
    const strip = (l: Item | undefined): CompareLine | undefined => {
      if (!l) return undefined;
      const { match: _m, ...rest } = l;
      return rest;
    };
    const g = strip(step.golden);
    const s = strip(step.sim);
    const key = step.golden ? keyOf.get(step.golden)! : simKey(step.sim!);
    const base = { family: fam.id, stage: fam.stage, key, ...(g ? { golden: g } : {}), ...(s ? { sim: s } : {}), ...(step.moved ? { moved: true } : {}) };
    if (step.status === 'missing' || step.status === 'extra') { lines.push({ ...base, status: step.status }); continue; }
    // The same text with no volatile field is exact, and an exact line keeps no field deltas: none to compute
    if (g!.text === s!.text && fam.volatile.length === 0) { lines.push({ ...base, status: 'exact' }); continue; }
    const deltas = compareFields(fieldLabel(fam, g, s), fam, g!.fields, s!.fields);
    // Same text is exact; otherwise a family with volatile fields is exact when its stable fields are
    // equal and its volatile ones are within their bound.
    const exact = g!.text === s!.text || (fam.volatile.length > 0 && fieldsExact(deltas));
    if (exact) {
      lines.push({ ...base, status: 'exact', ...(fam.volatile.length > 0 && deltas.length > 0 ? { fields: deltas } : {}) });
      continue;
    }
    lines.push({ ...base, status: 'mismatched', fields: deltas });
  }

  const marked = input.known ? lines.map((l) => markKnownLine(l, input.known!)) : lines;
  const catalog = input.golden.length;
  const counts = countLines(catalog, marked);
  return {
    counts,
    exactness: catalog === 0 ? 0 : counts.exact / catalog,
    lines: marked,
  };
}

/**
 * The unified diff (3 lines of context) of the golden's catalog lines against the simulator's lines,
 * made from the compared lines: the alignment keeps each side's lines in their order, so the golden
 * lines of `lines` are compareLines' golden input and its sim lines its sim input. Made on demand:
 * only `bootsim diff` and the shard reports print it, and making it for every golden was the largest
 * single cost of a conformance run.
 */
export function patchOf(lines: readonly ComparedLine[], goldenName = 'golden', simName = 'sim'): string {
  const body = (side: 'golden' | 'sim'): string => lines.flatMap((l) => { const c = l[side]; return c ? [`${c.text}\n`] : []; }).join('');
  return createTwoFilesPatch(goldenName, simName, body('golden'), body('sim'), undefined, undefined, { context: 3 });
}

/** Empty window counts, for callers that have no window report. */
export const noWindow: WindowCounts = { lines: 0, catalog: 0, masked: 0, firmware: 0, unmodelled: 0, deterministic: 0, coverage: 0 };
