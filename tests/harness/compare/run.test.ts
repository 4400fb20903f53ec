// compareSpec end to end on a committed golden, with a stand-in simulator: the golden is
// classified once, its window counts and coverage come from that pass, and `known` counts the
// lines the register explains, after they are marked.
import { describe, expect, test } from 'vitest';
import path from 'node:path';
import { compareSpec, defaultGolden, listGoldens } from '../../../harness/compare/run.ts';
import { readGoldenLog } from '../../../harness/compare/catalog-port.ts';
import { classifyLog, kernelKeyOfId } from '../../../harness/catalog/index.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import type { Divergence } from '../../../harness/divergences.ts';
import { replayGolden } from '../cli/helpers.ts';
import { SimError } from '../../../sim/lib/errors.ts';

const name = 'x86_64-6.1-pc-512m';
const spec = loadProfile(path.join(goldensDir, name, 'profile.yaml'));
// The golden's own catalog lines, with the DMA32 zone range's end moved down a page.
const shifted = replayGolden(goldensDir, (l) => (l.fmt === 'zones.range' && l.text.includes('DMA32') ? { ...l, text: l.text.replace(/-0x([0-9a-f]+)\]$/, (_m, h: string) => `-0x${(BigInt(`0x${h}`) - 0x1000n).toString(16).padStart(16, '0')}]`) } : l));
const entry = (o: Partial<Divergence>): Divergence => ({ profile: name, family: 'zones.range', reason: 'under review', pos: { file: 'test' }, ...o });

describe('compareSpec', () => {
  test('compare_replay_exact: expect every catalog line exact when the simulator prints the golden', () => {
    const r = compareSpec(spec, { simulate: replayGolden(goldensDir) });
    expect(r.comparison.counts.exact).toBe(r.comparison.counts.catalog);
    expect(r.comparison.counts).toMatchObject({ mismatched: 0, missing: 0, extra: 0, known: 0 });
  });

  test('compare_window_from_one_pass: expect the window counts and coverage of classifyLog on the same golden', () => {
    const r = compareSpec(spec, { simulate: replayGolden(goldensDir) });
    const c = classifyLog(readGoldenLog(defaultGolden(spec)), kernelKeyOfId(spec.kernel));
    expect(r.window).toMatchObject({ lines: c.window.counts.total, catalog: c.window.counts.catalog, masked: c.window.counts.masked, deterministic: c.window.counts.deterministic, coverage: c.window.counts.coverage });
    expect(r.comparison.counts.catalog).toBe(c.catalog.length);
  });

  test.each<[string, readonly Divergence[], number]>([
    ['no_register', [], 0],
    ['family_entry', [entry({})], 1],
    ['keyed_entry', [entry({ key: 'zones.range[DMA32]' })], 1],
    ['other_key', [entry({ key: 'zones.range[DMA]' })], 0],
    ['other_profile', [entry({ profile: 'i386-*' })], 0],
  ])('compare_known_%s: expect one mismatch and known = %i', (_n, register, known) => {
    const r = compareSpec(spec, { simulate: shifted, register });
    expect(r.comparison.counts.mismatched).toBe(1);
    expect(r.comparison.counts.known).toBe(known);
    expect(r.comparison.lines.filter((l) => l.known !== undefined)).toHaveLength(known);
  });

  test('compare_sim_error_recorded: expect a coded simulator error recorded and every golden line missing', () => {
    const r = compareSpec(spec, { onSimError: 'record', simulate: () => { throw new SimError('SIM_NOT_MODELLED', 'stand-in', 'refused'); } });
    expect(r.simError).toMatch(/^SIM_NOT_MODELLED: .*refused/);
    expect(r.comparison.counts.missing).toBe(r.comparison.counts.catalog);
  });

  test('compare_crash_propagates: expect an uncoded error thrown, even in record mode', () => {
    expect(() => compareSpec(spec, { onSimError: 'record', simulate: () => { throw new TypeError('stage bug'); } })).toThrow(TypeError);
  });
});

describe('listGoldens', () => {
  test('list_goldens_sorted: expect every golden with a serial log, sorted, including this one', () => {
    const { ready } = listGoldens();
    const names = ready.map((g) => g.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain(name);
  });
});
