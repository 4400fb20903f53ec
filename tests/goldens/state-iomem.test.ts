// The /proc/iomem tree of every state golden (sim/stages/state/iomem.ts): every line is predicted and
// exact. tests/goldens/state.test.ts holds the family to exact and complete; this holds the catch-all
// rule of harness/catalog/state-families.ts to no use on these profiles.
import { describe, expect, test } from 'vitest';
import { listGoldens } from '../../harness/compare/run.ts';
import { loadProfile } from '../../harness/profile/load.ts';
import { compareStateFile, stateLogFor } from '../../harness/compare/state-run.ts';

const stateGoldens = listGoldens().ready.flatMap((g) => {
  const spec = loadProfile(g.profileFile);
  const log = stateLogFor(spec);
  return log ? [{ name: g.name, spec, log }] : [];
});

describe('iomem', () => {
  test.each(stateGoldens.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    // expect: no iomem line left unmodelled
    const r = compareStateFile(g.spec, g.log);
    const left = r.comparison.fields.filter((f) => f.family === 'iomem' && f.status !== 'exact');
    expect(left.map((f) => `${f.status} ${f.key}`)).toEqual([]);
  });
});
