// The envelope tally: every outcome is counted once per dimension, refusals are grouped by code and
// reason with the profile's own values taken out, and an uncoded throw is kept, not dropped.
import { describe, expect, test } from 'vitest';
import { drawProfiles } from '../../../harness/profile/draw.ts';
import { formatEnvelope, reasonOf, runEnvelope, summarise } from '../../../harness/profile/envelope.ts';
import { ProfileError, parseProfile } from '../../../harness/profile/load.ts';
import { SimError } from '../../../sim/lib/errors.ts';
import type { MachineSpec } from '../../../sim/types.ts';

const IDS = ['6.1-686', '6.1-amd64'];

describe('runEnvelope and summarise', () => {
  const profiles = drawProfiles(5, 120, IDS);
  // a runner whose refusals are known: the simulator refuses every q35 machine and throws an
  // uncoded error on cpus 3
  const outcomes = runEnvelope(profiles, {
    load: (yaml, file) => parseProfile(yaml, `/tmp/${file}`, { kernelIds: IDS, envelope: 'skip' }),
    simulate: (s: MachineSpec) => {
      if (s.cpus === 3) throw new TypeError('boom');
      if (s.machine === 'q35') throw new SimError('SIM_NOT_MODELLED', 'envelope', `machine: q35 with ${s.cpus} cpus`);
      return [];
    },
  });
  const r = summarise(5, outcomes);

  test('each outcome follows the runner', () => {
    for (const [i, o] of outcomes.entries()) {
      const p = profiles[i]!;
      expect(o.name).toBe(p.name);
      if (o.accepted) continue;
      if (o.stage === 'load') expect(o.code).toMatch(/^PROFILE_/);
      else if (p.dims.cpus === '3') expect(o.code).toBe('UNCODED');
      else expect([o.code, p.dims.machine]).toEqual(['SIM_NOT_MODELLED', 'q35']);
    }
    expect(outcomes.some((o) => o.accepted)).toBe(true);
    expect(outcomes.some((o) => !o.accepted && o.code === 'UNCODED')).toBe(true);
  });

  test('the totals add up overall, in every dimension and over the refusal groups', () => {
    expect(r.total).toBe(120);
    expect(r.accepted).toBe(outcomes.filter((o) => o.accepted).length);
    for (const rows of Object.values(r.byDimension)) {
      const t = Object.values(rows);
      expect(t.reduce((a, x) => a + x.total, 0)).toBe(120);
      expect(t.reduce((a, x) => a + x.accepted, 0)).toBe(r.accepted);
    }
    expect(r.refusals.reduce((a, g) => a + g.count, 0)).toBe(120 - r.accepted);
    expect(r.byDimension.machine.q35!.accepted).toBe(0);
    // all the q35 refusals are one group: the cpus count is taken out of the reason
    expect(r.refusals.filter((g) => g.code === 'SIM_NOT_MODELLED')).toHaveLength(1);
  });

  test('the text report shows the share and every group', () => {
    const text = formatEnvelope(r);
    expect(text).toContain(`${r.accepted} accepted (${((100 * r.accepted) / 120).toFixed(1)}%)`);
    for (const g of r.refusals) expect(text).toContain(g.reason);
  });
});

describe('reasonOf', () => {
  test('takes out positions, numbers, sizes, quoted values and kernel ids', () => {
    expect(reasonOf('draw-1-000.yaml:6:9: cmdline: "x" has 24 cpus, 4G on 6.1-amd64 at 0x1000')).toBe('cmdline: "…" has N cpus, N on <kernel> at N');
    expect(reasonOf(new ProfileError('PROFILE_NUMA_CPUS', 'numa[1].cpus: empty', { pos: { file: 'a.yaml', line: 2, col: 3 } }).message)).toBe('numa[N].cpus: empty');
  });
});
