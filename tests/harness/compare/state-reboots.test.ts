import { describe, expect, test } from 'vitest';
import { compareState } from '../../../harness/compare/state.ts';

// /proc/meminfo blocks: MemFree and Cached are unmodelled without a prediction, so the re-boots decide them
const meminfo = (lines: readonly string[]): Map<string, string> => new Map([['/proc/meminfo', `${lines.join('\n')}\n`]]);
const statuses = (golden: readonly string[], reboots: readonly (readonly string[])[]) => compareState([], meminfo(golden), reboots.map(meminfo)).fields.map((f) => [f.key, f.status]);

describe('the re-boots read by position or by key', () => {
  test('reboots_aligned_and_shuffled_alike', () => {
    // expect: a re-boot with the golden's fields in its order (read by position) and the same re-boot in another order
    // with one more field (read by key) judge every field alike
    const golden = ['MemFree: 10 kB', 'Cached: 7 kB'];
    const aligned = ['MemFree: 12 kB', 'Cached: 7 kB'];
    const shuffled = ['Buffers: 1 kB', 'Cached: 7 kB', 'MemFree: 12 kB'];
    const want = [['MemFree', 'unmodelled'], ['Cached', 'unmodelled-deterministic']];
    expect(statuses(golden, [aligned, golden])).toEqual(want);
    expect(statuses(golden, [shuffled, golden])).toEqual(want);
  });

  test('reboots_repeated_key_takes_the_last', () => {
    // expect: a key the log prints twice is judged, at both of its lines, against the re-boot's last value of it, by position
    // as by key: here the re-boots' last Cached (7) equals the golden's last and not its first (5)
    const golden = ['Cached: 5 kB', 'MemFree: 10 kB', 'Cached: 7 kB'];
    const aligned = ['Cached: 9 kB', 'MemFree: 10 kB', 'Cached: 7 kB'];
    const byKey = ['MemFree: 10 kB', 'Cached: 9 kB', 'Cached: 7 kB', 'Buffers: 1 kB'];
    const want = [['Cached', 'unmodelled'], ['MemFree', 'unmodelled-deterministic'], ['Cached', 'unmodelled-deterministic']];
    expect(statuses(golden, [aligned, aligned])).toEqual(want);
    expect(statuses(golden, [byKey, byKey])).toEqual(want);
  });
});
