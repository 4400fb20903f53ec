// Every volatile bound is recomputed here from the stored re-capture evidence
// (goldens/evidence/volatile/), so that harness/catalog/volatile.ts cannot be widened by hand,
// and the evidence itself is held to what issue 8 asks of it.
import { describe, expect, test } from 'vitest';
import { readVolatileEvidence } from '../../../harness/catalog/evidence.ts';
import { deriveTolerance, MIN_BOOTS, ToleranceError, volatileFields, volatilePath, coversVersion, type EvidenceSample, type VolatileField } from '../../../harness/catalog/volatile.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { evidenceDir, PROFILE_FILE } from '../../../harness/catalog/evidence.ts';
import path from 'node:path';

const evidence = readVolatileEvidence();

describe('volatile bounds from the stored evidence', () => {
  test.each(volatileFields.map((d) => [volatilePath(d), d] as const))('%s: expect the declared tolerance to be the one the evidence gives', (_p, d) => {
    const t = deriveTolerance(d, evidence);
    expect(d.tolerance, `harness/catalog/volatile.ts holds ±${d.tolerance}; the evidence gives ±${t.tolerance} (widest spread ${t.spread} on ${t.widest}, fewest boots ${t.fewestBoots})`).toBe(t.tolerance);
  });

  test.each(volatileFields.map((d) => [volatilePath(d), d] as const))('%s: expect evidence of at least 6 profiles spanning nodes, CPUs and memory, each booted at least 3 times', (_p, d) => {
    const mine = evidence.filter((e) => coversVersion(d, e.version));
    expect(mine.length).toBeGreaterThanOrEqual(6);
    for (const e of mine) expect(e.boots.length, e.profile).toBeGreaterThanOrEqual(MIN_BOOTS);
    const specs = mine.map((e) => loadProfile(path.join(evidenceDir, e.profile, PROFILE_FILE)));
    const nodes = specs.map((s) => s.numa?.length ?? 1);
    const cpus = specs.map((s) => s.cpus);
    const mem = specs.map((s) => s.memoryBytes);
    expect(Math.min(...nodes)).toBe(1);
    expect(Math.max(...nodes)).toBeGreaterThanOrEqual(2);
    expect(cpus).toContain(1);
    expect(cpus).toContain(8);
    expect(Math.min(...mem)).toBeLessThanOrEqual(128 * 2 ** 20);
    expect(Math.max(...mem)).toBeGreaterThanOrEqual(8 * 2 ** 30);
    // Every version the declaration covers has evidence of its own.
    for (const v of ['6.12', '7.2'].filter((x) => coversVersion(d, x))) expect(mine.some((e) => e.version === v), v).toBe(true);
  });
});

describe('deriveTolerance', () => {
  const decl: VolatileField = { family: 'mem.summary', field: 'available', when: (t) => t.memoryLineFrom === 'page_alloc_init_late', trait: 'memoryLineFrom = page_alloc_init_late', reason: 'test', tolerance: 0 };
  const boots = (...xs: number[]): EvidenceSample['boots'] => xs.map((x) => ({ values: { 'mem.summary.available': x } }));

  test('derive_widest_spread: expect the widest spread of one profile, scaled by (n+1)/(n−1), in whole pages', () => {
    // spreads: a 100 (3 boots), b 200 (5 boots), old 9999 (6.1, not covered); fewest boots 3 → margin 200·2/2 = 200
    const t = deriveTolerance(decl, [
      { profile: 'a', version: '6.12', boots: boots(1000, 1100, 1040) },
      { profile: 'b', version: '7.2', boots: boots(500, 700, 600, 640, 520) },
      { profile: 'old', version: '6.1', boots: boots(0, 9999, 5) },
    ]);
    expect(t).toMatchObject({ spread: 200, widest: 'b', fewestBoots: 3, margin: 200, tolerance: 400 });
    expect(t.profiles.map((p) => [p.profile, p.min, p.max, p.spread])).toEqual([['a', 1000, 1100, 100], ['b', 500, 700, 200]]);
  });

  test('derive_rounds_up_to_pages: expect 4K granularity, never rounded down', () => {
    // spread 8, 5 boots → margin 4, 12 → 12; spread 10, 5 boots → 15 → 16
    expect(deriveTolerance(decl, [{ profile: 'a', version: '6.12', boots: boots(0, 8, 4, 4, 4) }]).tolerance).toBe(12);
    expect(deriveTolerance(decl, [{ profile: 'a', version: '6.12', boots: boots(0, 10, 4, 4, 4) }]).tolerance).toBe(16);
  });

  test.each([
    ['no evidence', [], /expected evidence from at least one profile/],
    ['two boots', [{ profile: 'a', version: '6.12', boots: boots(1, 2) }], /a: expected at least 3 boots, got 2/],
    ['a boot without the field', [{ profile: 'a', version: '6.12', boots: [...boots(1, 2), { values: { other: 3 } }] }], /a: boot 2 has no value/],
  ] as const)('derive_refuses_%s: expect ToleranceError', (_what, ev, message) => {
    expect(() => deriveTolerance(decl, ev)).toThrow(ToleranceError);
    expect(() => deriveTolerance(decl, ev)).toThrow(message);
  });
});
