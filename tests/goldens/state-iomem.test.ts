// The /proc/iomem tree of every state golden (sim/stages/state/iomem.ts): every line is predicted,
// exact, but the pnp system driver's "pnp NN:NN" reservation, whose number is the one part left
// unmodelled (harness/catalog/state-families.ts). tests/goldens/state.test.ts holds the family to
// exact and complete; this holds the rest of the catch-all rule to no use on these profiles.
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
    // expect: no iomem line unmodelled but the "pnp NN:NN" one
    const r = compareStateFile(g.spec, g.log);
    const left = r.comparison.fields.filter((f) => f.family === 'iomem' && f.status !== 'exact' && !/ : pnp [0-9a-f]{2}:[0-9a-f]{2}$/.test(f.key));
    expect(left.map((f) => `${f.status} ${f.key}`)).toEqual([]);
  });
});
