// Half-open [start, end) address ranges in bigint, the shape memblock and the e820 code reason in
// (shared/STYLE.md §3). Counting pages is arithmetic over these, never a walk over pages.

export interface Range {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
}

export const rangeSize = (r: Range): bigint => r.end - r.start;

/** The inclusive last byte, as the kernel prints `[mem start-end]`. */
export const rangeLast = (r: Range): bigint => r.end - 1n;

export function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The part of `r` inside `[lo, hi)`, or undefined. */
export function clip(r: Range, lo: bigint, hi: bigint): Range | undefined {
  const start = r.start > lo ? r.start : lo;
  const end = r.end < hi ? r.end : hi;
  return start < end ? { start, end } : undefined;
}

// Sorted lists: ascending, disjoint [start, end) ranges, touching ones joined. These answer "how much
// of [lo, hi) is already in the list" in one pass, whatever the sizes involved.

/** The pieces of [lo, hi) that `sorted` does not cover, ascending (maximal, so never touching). */
export function uncoveredIn(sorted: readonly Range[], lo: bigint, hi: bigint): Range[] {
  const out: Range[] = [];
  let at = lo;
  for (const r of sorted) {
    if (r.end <= at) continue;
    if (r.start >= hi) break;
    if (r.start > at) out.push({ start: at, end: r.start });
    at = r.end;
    if (at >= hi) break;
  }
  if (at < hi) out.push({ start: at, end: hi });
  return out;
}

/** How much of [lo, hi) `sorted` covers. */
export function coveredIn(sorted: readonly Range[], lo: bigint, hi: bigint): bigint {
  let n = 0n;
  for (const r of sorted) {
    if (r.end <= lo) continue;
    if (r.start >= hi) break;
    n += (r.end < hi ? r.end : hi) - (r.start > lo ? r.start : lo);
  }
  return n;
}

/** `sorted` ∪ [lo, hi), still sorted, disjoint and with touching ranges joined. */
export function addToSorted(sorted: readonly Range[], lo: bigint, hi: bigint): Range[] {
  if (hi <= lo) return sorted.slice();
  const out: Range[] = [];
  let s = lo;
  let e = hi;
  let placed = false;
  for (const r of sorted) {
    if (r.end < s) out.push(r);
    else if (r.start > e) {
      if (!placed) out.push({ start: s, end: e });
      placed = true;
      out.push(r);
    } else {
      if (r.start < s) s = r.start;
      if (r.end > e) e = r.end;
    }
  }
  if (!placed) out.push({ start: s, end: e });
  return out;
}
