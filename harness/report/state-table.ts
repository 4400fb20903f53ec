// The state families in the conformance report: per golden with a state.log, the fields of each
// /proc file the simulator predicts (exact, mismatched, missing) and those it does not (volatile,
// unmodelled, unclassified), then the mismatches themselves. Volatile state fields have no re-capture
// bound yet: they are counted and named as such, never compared as exact.
import type { ProfileResult } from '../compare/result.ts';
import { stateTotals } from '../compare/state-run.ts';
import { layout } from './table.ts';

export function stateTable(results: readonly Pick<ProfileResult, 'profile' | 'state'>[]): string[] {
  const withState = results.filter((r) => r.state !== undefined);
  if (withState.length === 0) return [];
  const head = ['profile', 'family', 'exact', 'mismatched', 'missing', 'volatile', 'unmodelled', 'unclassified'];
  const rows: string[][] = [];
  for (const r of withState) {
    for (const f of r.state!.comparison.families) rows.push([r.profile, f.family, String(f.exact), String(f.mismatched), String(f.missing), String(f.volatile), String(f.unmodelled), String(f.unclassified)]);
  }
  const t = stateTotals(withState.map((r) => r.state!));
  const sum = (k: 'exact' | 'mismatched' | 'missing' | 'volatile' | 'unmodelled' | 'unclassified'): number => t.reduce((a, f) => a + f[k], 0);
  const predicted = sum('exact') + sum('mismatched') + sum('missing');
  const out = [
    `state families (${withState.length} golden(s) with a state.log; sim/stages/state/, harness/catalog/state-families.ts): ${sum('exact')} of ${predicted} predicted fields exact, ${sum('mismatched')} mismatched, ${sum('missing')} missing; ${sum('volatile')} volatile (no re-capture bound yet: not compared), ${sum('unmodelled')} unmodelled, ${sum('unclassified')} unclassified`,
    layout([head, ...rows], 2),
  ];
  const refused = withState.filter((r) => r.state!.simError !== undefined);
  for (const r of refused) out.push(`  ${r.profile}: state not predicted: ${r.state!.simError}`);
  for (const r of withState) {
    for (const f of r.state!.comparison.fields) {
      if (f.status === 'mismatched' || f.status === 'missing' || f.status === 'unclassified') out.push(`  ${r.profile} ${f.family} ${f.status}: ${f.key}: sim ${f.sim ?? '—'}, golden ${f.golden ?? '—'}`);
    }
  }
  return out;
}
