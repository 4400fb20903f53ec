// Sharded conformance: the split, the shard report file, the merge's checks and the verb's refused
// options. The claim that a 2-shard run of the public goldens merged gives what one run gives, and
// 2 threads what one gives, is checked in tests/goldens/conformance.test.ts.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { run } from '../../../harness/cli/commands/conformance.ts';
import { encodeShardReport, mergeShardReports, parseShard, readShardReport, revive, shardItems, ShardError, type ShardReport } from '../../../harness/compare/shard.ts';
import { compareGolden } from '../../../harness/compare/parallel.ts';
import { listGoldens } from '../../../harness/compare/run.ts';
import { familyIds } from '../../../harness/compare/catalog-port.ts';
import { readDivergences, divergencesFile } from '../../../harness/divergences.ts';
import { captureIO } from '../cli/helpers.ts';
import { scratchDir } from '../../scratch.ts';

const scratch = (): string => scratchDir('bootsim-shard-');

describe('the split', () => {
  test.each([
    ['1/2', { index: 1, count: 2 }],
    ['3/3', { index: 3, count: 3 }],
    ['1/1', { index: 1, count: 1 }],
    ['256/256', { index: 256, count: 256 }],
  ])('parse_shard %s: expect %j', (text, want) => {
    expect(parseShard(text)).toEqual(want);
  });

  test.each(['0/2', '3/2', '1/0', '1/257', '1', '1/2/3', ' 1/2', '-1/2', 'a/b', ''])('parse_shard_refused %j: expect the reason', (text) => {
    expect(parseShard(text)).toMatchObject({ error: expect.stringMatching(/^expected i\/n with 1 ≤ i ≤ n ≤ 256/) });
  });

  test.each([[0, 1], [1, 2], [5, 2], [7, 3], [168, 2], [168, 5], [3, 8]])('shard_items_partition %d items in %d shards: expect each item in exactly one shard, round robin, sizes within one', (n, count) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const parts = Array.from({ length: count }, (_, i) => shardItems(items, { index: i + 1, count }));
    expect(parts.flat().sort((a, b) => a - b)).toEqual(items);
    parts.forEach((p, i) => expect(p.every((k) => k % count === i)).toBe(true));
    const sizes = parts.map((p) => p.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

// A real result of one golden, to put in hand-made reports.
const refs = listGoldens().ready;
const register = readDivergences(familyIds, divergencesFile);
const one = compareGolden(refs[0]!, register);
const result = 'result' in one ? one.result : undefined;

function report(index: number, count: number, goldens: readonly string[]): ShardReport {
  const mine = shardItems(goldens, { index, count });
  return { shard: { index, count }, goldens, uncaptured: [], results: mine.map((p) => ({ ...result!, profile: p })), broken: [] };
}

function written(r: ShardReport | string): string {
  const f = path.join(scratch(), 'shard.json');
  writeFileSync(f, typeof r === 'string' ? r : encodeShardReport(r));
  return f;
}

describe('shard reports', () => {
  test('report_round_trip: expect the results back as they were, bigint address fields included', () => {
    expect(result).toBeDefined();
    const r = report(1, 1, [result!.profile]);
    expect(result!.comparison.lines.some((l) => l.golden?.fields.some((f) => typeof f.value === 'bigint'))).toBe(true);
    expect(readShardReport(written(r))).toEqual(r);
  });

  // a state golden's unmodelled fields share a few dozen reasons: the file holds each text once
  test('report_round_trip_state: expect a state golden\'s fields back with their reasons, each reason written once', () => {
    const ref = refs.find((g) => existsSync(path.join(path.dirname(g.serialFile), 'state.log')));
    const o = compareGolden(ref!, register);
    const state = 'result' in o ? o.result : undefined;
    const reasons = state?.state?.comparison.fields.flatMap((f) => (f.reason === undefined ? [] : [f.reason])) ?? [];
    expect(new Set(reasons).size).toBeGreaterThan(1);
    expect(reasons.length).toBeGreaterThan(new Set(reasons).size);
    const r: ShardReport = { shard: { index: 1, count: 1 }, goldens: [state!.profile], uncaptured: [], results: [state!], broken: [] };
    const text = encodeShardReport(r);
    expect(text.split(JSON.stringify(reasons[0]!)).length - 1).toBe(1);
    const back = readShardReport(written(text));
    expect(back).toEqual(r);
    // the same key order as the result (the merge's --json prints the objects as they were read)
    expect(JSON.stringify(back, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toBe(JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  });

  // revive replaced a JSON.parse reviver (the reference here): the same values on any JSON, with
  // bigint wrappers anywhere, nested in one another, beside other keys and around non-decimal strings
  test('revive_as_reviver: expect the values the reviver gave, on any JSON with {"$bigint": …} objects in it', () => {
    const reviver = (_key: string, value: unknown): unknown => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const keys = Object.keys(value);
      if (keys.length !== 1 || keys[0] !== '$bigint') return value;
      const text: unknown = Object.values(value)[0];
      return typeof text === 'string' && /^-?\d+$/.test(text) ? BigInt(text) : value;
    };
    const wrapper = fc.oneof(fc.bigInt().map((b) => ({ $bigint: b.toString() })), fc.constantFrom({ $bigint: '1x' }, { $bigint: 7 }, { $bigint: '-0' }, { $bigint: '12', other: 1 }, { $bigint: { $bigint: '5' } }));
    const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), wrapper, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('a', '$bigint', '__proto__', 'value'), tie('tree'), { maxKeys: 3 })),
    }));
    fc.assert(fc.property(tree, (t) => {
      const text = JSON.stringify(t) ?? 'null';
      expect(revive(JSON.parse(text))).toEqual(JSON.parse(text, reviver));
    }), { seed: 14, numRuns: 300 });
  });

  test.each([
    ['not JSON', '{', 'SHARD_REPORT_UNREADABLE'],
    ['another format', JSON.stringify({ format: 'other', shard: { index: 1, count: 1 } }), 'SHARD_REPORT_INVALID'],
    ['index above count', encodeShardReport({ ...report(1, 1, ['a']), shard: { index: 2, count: 1 } }), 'SHARD_REPORT_INVALID'],
    ['a result with an unknown status', encodeShardReport(report(1, 1, ['a'])).replace('"status":"exact"', '"status":"fine"'), 'SHARD_REPORT_INVALID'],
    ['a reason index past the reasons', encodeShardReport(report(1, 1, ['a'])).replace(/"reasons":\[\]/, '"reasons":[]').replace(/"problems":/, '"state":{"stateLog":"s","comparison":{"fields":[{"family":"meminfo","key":"k","status":"unmodelled","reason":0}],"families":[],"boots":1}},"problems":'), 'SHARD_REPORT_INVALID'],
  ])('report_refused %s: expect %s naming the file', (_what, text, code) => {
    const f = written(text);
    expect(() => readShardReport(f)).toThrow(ShardError);
    try {
      readShardReport(f);
    } catch (e) {
      expect((e as ShardError).code).toBe(code);
      expect((e as ShardError).message).toContain(f);
    }
  });

  const goldens = ['a', 'b', 'c', 'd', 'e'];
  const entry = (r: ShardReport, file = `shard-${r.shard.index}.json`) => ({ file, report: r });
  test.each([
    ['a shard missing', [entry(report(1, 3, goldens)), entry(report(3, 3, goldens))], /no report for shard 2\/3/],
    ['a shard twice', [entry(report(1, 2, goldens)), entry(report(1, 2, goldens), 'again.json'), entry(report(2, 2, goldens))], /each shard once, got 1\/2 again/],
    ['splits of different n', [entry(report(1, 2, goldens)), entry(report(2, 3, goldens))], /expected shard i\/2/],
    ['different trees', [entry(report(1, 2, goldens)), entry(report(2, 2, [...goldens, 'f']))], /shards of different trees/],
    ['a golden captured between the shards', [entry(report(1, 2, goldens)), entry({ ...report(2, 2, goldens), uncaptured: ['g'] })], /expected the uncaptured goldens of shard-1\.json \(0\), got others \(1, g not in the first\)/],
    ['a shard with another shard\'s goldens', [entry(report(1, 2, goldens)), entry({ ...report(2, 2, goldens), results: report(1, 2, goldens).results })], /exactly the goldens of shard 2\/2/],
    ['nothing', [], /got none/],
  ])('merge_refused %s: expect SHARD_SET_INCOMPLETE', (_what, reports, message) => {
    expect(() => mergeShardReports(reports)).toThrow(message);
  });

  test('merge_in_golden_order: expect the results of 3 shards back in the order of the golden list', () => {
    const merged = mergeShardReports([3, 1, 2].map((i) => entry(report(i, 3, goldens))));
    expect(merged.results.map((r) => r.profile)).toEqual(goldens);
  });
});

// The runs of the verb over every public golden (two shards merged against one run; two threads
// against one) are in tests/goldens/conformance.test.ts, where they reuse the comparison that the
// golden suite makes of each golden instead of comparing all of them once more.
describe('sharded and threaded runs of the public goldens', () => {
  test.each([
    [['--shard', '1/2', '--update-baseline'], /one shard cannot record the baseline/],
    [['--merge'], /--merge: expected the shard reports/],
    [['--merge', 'a.json', '--shard', '1/2'], /expected no --shard, --out or --jobs/],
    [['stray.json'], /expected no file arguments without --merge/],
    [['--shard', '2/1'], /--shard: expected i\/n/],
    [['--jobs', '0'], /--jobs: expected a whole number/],
  ])('options_refused %j: expect exit 2 and the reason, before any golden is compared', async (argv, message) => {
    const c = captureIO();
    expect(await run(argv, c.io, { simulate: () => { throw new Error('compared a golden'); } })).toBe(2);
    expect(c.err()).toMatch(message);
  });
});
