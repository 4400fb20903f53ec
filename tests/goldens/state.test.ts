// State conformance, generated from goldens/: for every golden with a state.log (a `probe: state`
// capture), one test per state family the log holds, so that a failure reads as
// `x86_64-6.1-pc-512m-state › state › zoneinfo`. Each asserts that every field the simulator
// predicts (sim/stages/state/) is exact, that none it predicts is missing, and that every other field
// of the log is classed volatile or unmodelled by harness/catalog/state-families.ts (issue 13 target:
// 100% of the deterministic state fields exact), and that every /proc/iomem line is exact. The counts
// per family are in `npx bootsim conformance`. A prediction is a claim about every boot, not the one
// that became the golden, so the re-boots (goldens/evidence/state/) are held to it too, from the same
// prediction (tests/golden-boots.ts).
import { describe, expect, test } from 'vitest';
import { listGoldens } from '../../harness/compare/run.ts';
import { compareState } from '../../harness/compare/state.ts';
import { goldenProfile } from '../golden-profiles.ts';
import { goldenStatePrediction, stateLogOf } from '../golden-boots.ts';
import { compareStateFile, stateLogFor, stateRebootsFor } from '../../harness/compare/state-run.ts';

const stateGoldens = listGoldens().ready.flatMap((g) => {
  const spec = goldenProfile(g.name);
  const log = stateLogFor(spec);
  return log ? [{ name: g.name, spec, log }] : [];
});

describe.each(stateGoldens.map((g) => [g.name, g] as const))('%s', (_name, g) => {
  const r = compareStateFile(g.spec, g.log, () => goldenStatePrediction(g.name));
  describe('state', () => {
    test('predicted', () => {
      // expect: the simulator predicts this profile's state (no coded refusal)
      expect(r.simError).toBeUndefined();
    });
    test.each(r.comparison.families.map((f) => [f.family, f] as const))('%s', (family) => {
      // expect: every predicted field exact, none missing, nothing unclassified
      const bad = r.comparison.fields.filter((f) => f.family === family && (f.status === 'mismatched' || f.status === 'missing' || f.status === 'unclassified'));
      expect(bad.map((f) => `${f.status} ${f.key}: sim ${f.sim ?? '—'}, golden ${f.golden ?? '—'} (${r.stateLog}${f.line !== undefined ? ` block line ${f.line}` : ''})`)).toEqual([]);
    });
  });
  // The /proc/iomem tree (sim/stages/state/iomem.ts): the test above holds the family to exact and
  // complete; this holds the catch-all rule of harness/catalog/state-families.ts to no use on it.
  // (It was tests/goldens/state-iomem.test.ts, which compared every state golden a second time.)
  test('iomem_all_exact', () => {
    // expect: no iomem line left unmodelled
    const left = r.comparison.fields.filter((f) => f.family === 'iomem' && f.status !== 'exact');
    expect(left.map((f) => `${f.status} ${f.key}`)).toEqual([]);
  });
  // (It was tests/goldens/state-evidence.test.ts's, which predicted every state golden a second time.)
  test('predicted_in_every_boot', () => {
    // expect: every field the simulator predicts exact or within its bound in every re-boot
    const reboots = stateRebootsFor(g.log);
    expect(reboots.length).toBeGreaterThan(0);
    const predicted = goldenStatePrediction(g.name).fields;
    for (const file of reboots) {
      const blocks = new Map([...stateLogOf(file).blocks].map(([b, v]) => [b as string, `${v.lines.join('\n')}\n`]));
      const off = compareState(predicted, blocks).fields.filter((f) => f.status === 'mismatched' || f.status === 'missing');
      expect(off.map((f) => `${file} ${f.status} ${f.key}: sim ${f.sim ?? '—'}, golden ${f.golden ?? '—'}`)).toEqual([]);
    }
  });
});

test('state_goldens_listed', () => {
  // expect: the list is built from goldens/ (an empty list is allowed only while no state golden is committed)
  expect(stateGoldens.every((g) => g.log.endsWith('state.log'))).toBe(true);
});
