// Fields of catalog lines whose value is not a function of the profile alone, for a range
// of kernel versions. Such a field is compared within a bound: |sim − golden| ≤ tolerance
// counts as equal-within-bound, anything further is a mismatch with its delta and bound shown.
// The bound is data here, and it is derived from re-capture evidence
// (goldens/evidence/volatile/, ./evidence.ts): tests/harness/catalog/volatile.test.ts recomputes
// it from that evidence with deriveTolerance(), so it cannot be widened by hand.
import type { Family, SeriesCondition } from './families.ts';
import { parseKernelVersion, seriesTraits } from '../../sim/traits.ts';

export interface VolatileField {
  readonly family: Family['id'];
  readonly field: string;
  /** The series it covers: a condition over the series traits (sim/traits.ts), as the families declare theirs. */
  readonly when: SeriesCondition;
  /** The trait `when` reads, for messages: e.g. "memoryLineFrom = page_alloc_init_late". */
  readonly trait: string;
  readonly reason: string;
  /** |sim − golden| up to this counts as equal, in the field's unit (K for kbytes): deriveTolerance() of the evidence. */
  readonly tolerance: number;
}

export const volatileFields: readonly VolatileField[] = [
  {
    family: 'mem.summary',
    field: 'available',
    when: (t) => t.memoryLineFrom === 'page_alloc_init_late',
    trait: 'memoryLineFrom = page_alloc_init_late',
    reason:
      'From 6.12 mem_init_print_info runs after deferred struct-page init (mm/mm_init.c, page_alloc_init_late), so "available" counts pages freed by the deferred-init kthreads and the allocations made meanwhile: it depends on timing.',
    tolerance: 804,
  },
];

/** The evidence key of a declaration: `mem.summary.available`. */
export function volatilePath(d: Pick<VolatileField, 'family' | 'field'>): string {
  return `${d.family}.${d.field}`;
}

/** True when the declaration covers this kernel series. */
export function coversVersion(d: VolatileField, version: string): boolean {
  return d.when(seriesTraits(parseKernelVersion(version)));
}

/** The volatile declaration covering this field on this version, if any. */
export function volatileFor(family: string, field: string, version: string): VolatileField | undefined {
  return volatileFields.find((v) => v.family === family && v.field === field && coversVersion(v, version));
}

/** The least evidence a bound is derived from: boots per profile. */
export const MIN_BOOTS = 3;

/** What deriveTolerance() reads of one profile's evidence. */
export interface EvidenceSample {
  readonly profile: string;
  /** Kernel series, e.g. '6.12'. */
  readonly version: string;
  readonly boots: readonly { readonly values: Readonly<Record<string, number>> }[];
}

/** One profile's values of a field and their spread (max − min). */
export interface ProfileSpread {
  readonly profile: string;
  readonly version: string;
  readonly values: readonly number[];
  readonly min: number;
  readonly max: number;
  readonly spread: number;
}

export interface ToleranceDerivation {
  readonly path: string;
  readonly profiles: readonly ProfileSpread[];
  /** The largest spread of one profile. */
  readonly spread: number;
  /** The profile it was seen on. */
  readonly widest: string;
  /** Fewest boots of any profile. */
  readonly fewestBoots: number;
  readonly margin: number;
  /** spread + margin, rounded up to whole 4K pages. */
  readonly tolerance: number;
}

/** A bound that cannot be derived: too little evidence, or a boot without the field. */
export class ToleranceError extends Error {
  override readonly name = 'ToleranceError';
}

/**
 * The bound of a declaration: the largest spread (max − min over the boots of one profile) over
 * every evidence profile of the declaration's versions, plus a margin.
 */
export function deriveTolerance(d: VolatileField, evidence: readonly EvidenceSample[]): ToleranceDerivation {
  const key = volatilePath(d);
  const mine = evidence.filter((e) => coversVersion(d, e.version));
  if (mine.length === 0) throw new ToleranceError(`${key}: expected evidence from at least one profile of a series with ${d.trait}, got none`);
  const profiles = mine.map((e): ProfileSpread => {
    if (e.boots.length < MIN_BOOTS) throw new ToleranceError(`${key}: ${e.profile}: expected at least ${MIN_BOOTS} boots, got ${e.boots.length}`);
    const values = e.boots.map((b, i) => {
      const x = b.values[key];
      if (x === undefined) throw new ToleranceError(`${key}: ${e.profile}: boot ${i} has no value for it`);
      return x;
    });
    const min = Math.min(...values);
    const max = Math.max(...values);
    return { profile: e.profile, version: e.version, values, min, max, spread: max - min };
  });
  const widest = profiles.reduce((a, b) => (b.spread > a.spread ? b : a));
  const fewestBoots = Math.min(...mine.map((e) => e.boots.length));
  // n boots of a range see on average (n−1)/(n+1) of it (uniform order statistics), so the widest spread is scaled by (n+1)/(n−1), n the fewest boots.
  const margin = (widest.spread * 2) / (fewestBoots - 1);
  const tolerance = Math.ceil((widest.spread + margin) / 4) * 4;
  return { path: key, profiles, spread: widest.spread, widest: widest.profile, fewestBoots, margin, tolerance };
}
