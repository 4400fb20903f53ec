// Conformance tests generated from goldens/: one describe per golden profile, one per stage,
// one test per catalog family present in its golden, so that a failure reads as
// `x86_64-6.1-pc-8g › zones › zones.range`. Each test asserts the ratchet: every line that
// goldens/baseline.json records as exact must still be exact. It does not assert that
// everything is exact; `npx bootsim conformance` reports how far the simulator has come.
// Each profile is simulated once, in beforeAll.
import { beforeAll, describe, expect, test } from 'vitest';
import { listGoldens, compareSpec } from '../../harness/compare/run.ts';
import { familyIds, familyTraits, goldenLines, readGoldenLog } from '../../harness/compare/catalog-port.ts';
import { judge, readBaseline, type Regression } from '../../harness/baseline.ts';
import { findDivergence, readDivergences } from '../../harness/divergences.ts';
import { formatPos } from '../../sim/base/errors.ts';
import type { ComparedLine } from '../../harness/compare/types.ts';
import { loadProfile } from '../../harness/profile/load.ts';
import { commandsFor } from '../../harness/compare/result.ts';
import { describeLine } from '../../harness/report/text.ts';
import type { MachineSpec } from '../../sim/types.ts';

const { ready } = listGoldens();
const baseline = readBaseline();

// The family a ratchet key belongs to: 'zones.range[DMA32]' and 'zones.range#2' → 'zones.range'.
const familyOfKey = (key: string): string => key.replace(/[[#].*$/, '');

test('the divergence register is valid', () => {
  expect(() => readDivergences(familyIds)).not.toThrow();
});

for (const g of ready) {
  describe(g.name, () => {
    // Collection reads the profile and the golden (cheap) to know which families to test.
    let spec: MachineSpec;
    let stages: Map<string, string[]>;
    try {
      spec = loadProfile(g.profileFile);
      const traits = familyTraits(spec.kernel);
      stages = new Map();
      for (const l of goldenLines(readGoldenLog(g.serialFile), spec.kernel)) {
        const stage = traits(l.family)?.stage ?? '?';
        const fams = stages.get(stage) ?? [];
        if (!fams.includes(l.family)) fams.push(l.family);
        stages.set(stage, fams);
      }
    } catch (e) {
      test('golden', () => {
        throw new Error(`${(e as Error).message}\n  re-capture: ${commandsFor(g.name).capture}`);
      });
      return;
    }

    const recorded = baseline.profiles[g.name];
    let regressions: readonly Regression[] = [];
    let lines: readonly ComparedLine[] = [];
    beforeAll(() => {
      const register = readDivergences(familyIds);
      const result = compareSpec(spec, { golden: g.serialFile, register, onSimError: 'record' });
      lines = result.comparison.lines;
      // A golden the baseline does not record is judged in full (judge: unrecorded).
      regressions = judge({ version: 1, profiles: recorded ? { [g.name]: recorded } : {} }, new Map([[g.name, result.comparison.lines]])).regressions;
    });

    // A register entry that names one line of this profile must still explain a line that is not exact:
    // when the simulator brings it within bound, the entry goes, so the known count stays honest.
    // A register that does not parse fails 'the divergence register is valid' above, not the collection.
    let register: ReturnType<typeof readDivergences> = [];
    try { register = readDivergences(familyIds); } catch { /* reported by its own test */ }
    const keyed = register.filter((d) => d.key !== undefined && findDivergence([d], g.name, spec.kernel, { family: d.family, key: d.key, stage: '', status: 'mismatched' }) !== undefined);
    if (keyed.length > 0) {
      test('known divergences still diverge', () => {
        const stale = keyed.filter((d) => !lines.some((l) => l.key === d.key && l.family === d.family && l.status !== 'exact'));
        expect(stale.map((d) => `${formatPos(d.pos)}: ${d.key} is exact now (or gone): delete the entry`)).toEqual([]);
      });
    }

    // Asserts that no recorded line of these families regressed; the message shows each line and the commands.
    const assertRatchet = (inFamily: (family: string) => boolean): void => {
      const regressed = regressions.filter((r) => inFamily(familyOfKey(r.key)));
      const explain = regressed.flatMap((r) => (r.line ? describeLine(r.line) : [`gone ${r.key}: no longer among the golden's catalog lines`]));
      const cmds = commandsFor(g.name);
      expect(regressed.map((r) => r.key), ['lines recorded as exact in goldens/baseline.json are no longer exact:', ...explain, `see the diff:  ${cmds.diff}`, `re-capture:    ${cmds.capture}`].join('\n')).toEqual([]);
    };

    const present = new Set([...stages.values()].flat());
    for (const [stage, fams] of stages) {
      describe(stage, () => {
        for (const family of fams) test(family, () => assertRatchet((f) => f === family));
      });
    }
    // A recorded family that the golden no longer prints at all has no test of its own above.
    if ((recorded?.exact ?? []).some((k) => !present.has(familyOfKey(k)))) {
      test('families gone from the golden', () => assertRatchet((f) => !present.has(f)));
    }
  });
}
