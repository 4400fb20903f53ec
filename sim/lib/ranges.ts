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
