// Tests for sim/lib/ranges.ts's sorted-range helpers: small hand-built lists, one operation, a
// diagram of the ranges.
import { describe, expect, test } from 'vitest';
import { addToSorted, coveredIn, uncoveredIn } from '../../../sim/lib/ranges.ts';

const r = (start: bigint, end: bigint) => ({ start, end });

describe('sorted ranges', () => {
  // expect the gaps of [0, 10) around [2, 4) and [6, 8), and of a query inside one range, none:
  //  0 ─ ░░ ─ 2 ████ 4 ─ ░░ ─ 6 ████ 8 ─ ░░ ─ 10
  test('uncovered_in_gaps_between_ranges', () => {
    const rs = [r(2n, 4n), r(6n, 8n)];
    expect(uncoveredIn(rs, 0n, 10n)).toEqual([r(0n, 2n), r(4n, 6n), r(8n, 10n)]);
    expect(uncoveredIn(rs, 3n, 4n)).toEqual([]);
    expect(coveredIn(rs, 3n, 7n)).toBe(2n);
  });

  // expect an added range to join the ranges it touches or overlaps, and to stay in order:
  //  ██ 0–2   ██ 4–6   ██ 9–10   + [2, 5)  →  █████ 0–6   ██ 9–10
  test('add_to_sorted_joins_touching', () => {
    expect(addToSorted([r(0n, 2n), r(4n, 6n), r(9n, 10n)], 2n, 5n)).toEqual([r(0n, 6n), r(9n, 10n)]);
    expect(addToSorted([r(4n, 6n)], 0n, 1n)).toEqual([r(0n, 1n), r(4n, 6n)]);
    expect(addToSorted([r(4n, 6n)], 8n, 9n)).toEqual([r(4n, 6n), r(8n, 9n)]);
  });
});
