// The state families in the conformance and check reports: per golden with a state.log, the fields of
// each /proc file the simulator predicts (exact, within its source-derived bound, mismatched, missing)
// and those it does not (unmodelled: varies between boots or no re-boot evidence; unmodelled-
// deterministic: identical in every boot of the evidence), then the mismatches themselves with their
// deltas, and the unmodelled fields by the rule that names them (harness/catalog/state-families.ts).
import type { ProfileResult } from '../compare/result.ts';
import type { StateFamilyCount, StateFieldResult } from '../compare/state.ts';
import { stateTotals, type StateResult } from '../compare/state-run.ts';
import { STATE_RULES, stateRuleFor } from '../catalog/state-families.ts';
import { layout } from './table.ts';

type CountKey = Exclude<keyof StateFamilyCount, 'family'>;

/** The count columns, in the order the tables print them. */
export const STATE_COLUMNS: readonly { readonly key: CountKey; readonly head: string }[] = [
  { key: 'exact', head: 'exact' },
  { key: 'within', head: 'within' },
  { key: 'mismatched', head: 'mismatched' },
  { key: 'missing', head: 'missing' },
  { key: 'unmodelled', head: 'unmodelled' },
  { key: 'unmodelledDeterministic', head: 'unmodelled-deterministic' },
  { key: 'unclassified', head: 'unclassified' },
];

/** The one-line summary of state results: predicted fields exact / within their bound / off; the rest unmodelled. */
export function stateSummary(states: readonly StateResult[]): string {
  const t = stateTotals(states);
  const sum = (k: CountKey): number => t.reduce((a, f) => a + f[k], 0);
  const predicted = sum('exact') + sum('within') + sum('mismatched') + sum('missing');
  return `${sum('exact')} of ${predicted} predicted fields exact, ${sum('within')} within their source bound, ${sum('mismatched')} mismatched, ${sum('missing')} missing; not predicted: ${sum('unmodelled')} unmodelled (vary between boots, or no re-boot evidence), ${sum('unmodelledDeterministic')} unmodelled-deterministic (identical in every boot of the evidence), ${sum('unclassified')} unclassified`;
}

/** A result field that needs a reader's eye: off its prediction, missing or unclassified. */
export const stateProblem = (f: StateFieldResult): boolean => f.status === 'mismatched' || f.status === 'missing' || f.status === 'unclassified';

/** One line per problem field: the status, the key, sim (its bound for a range), golden and the delta. */
export function stateProblemLines(profile: string, s: StateResult): string[] {
  return s.comparison.fields.filter(stateProblem).map((f) => `  ${profile} ${f.family} ${f.status}: ${f.key}: sim ${f.sim ?? '—'}, golden ${f.golden ?? '—'}${f.delta ? `, delta ${f.delta}` : ''}`);
}

/** The unmodelled fields counted by the rule that names them: [rule index, varies, deterministic]. */
export function unmodelledByRule(states: readonly StateResult[]): { readonly rule: number; readonly unmodelled: number; readonly deterministic: number }[] {
  const by = new Map<number, { unmodelled: number; deterministic: number }>();
  for (const s of states) {
    for (const f of s.comparison.fields) {
      if (f.status !== 'unmodelled' && f.status !== 'unmodelled-deterministic') continue;
      const rule = stateRuleFor(f.family, f.key);
      if (!rule) continue;
      const i = STATE_RULES.indexOf(rule);
      const e = by.get(i) ?? { unmodelled: 0, deterministic: 0 };
      if (f.status === 'unmodelled') e.unmodelled++;
      else e.deterministic++;
      by.set(i, e);
    }
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([rule, e]) => ({ rule, ...e }));
}

function ruleLines(states: readonly StateResult[]): string[] {
  const rows = unmodelledByRule(states);
  if (rows.length === 0) return [];
  return [
    '  not predicted, by the rule that names them (harness/catalog/state-families.ts): unmodelled / unmodelled-deterministic',
    ...rows.map(({ rule, unmodelled, deterministic }) => {
      const r = STATE_RULES[rule]!;
      return `    ${r.family} /${r.key.source}/: ${unmodelled} / ${deterministic}: ${r.reason}`;
    }),
  ];
}

export function stateTable(results: readonly Pick<ProfileResult, 'profile' | 'state'>[]): string[] {
  const withState = results.filter((r): r is Pick<ProfileResult, 'profile'> & { state: StateResult } => r.state !== undefined);
  if (withState.length === 0) return [];
  const head = ['profile', 'family', 'boots', ...STATE_COLUMNS.map((c) => c.head)];
  const rows: string[][] = [];
  for (const r of withState) {
    for (const f of r.state.comparison.families) rows.push([r.profile, f.family, String(r.state.comparison.boots), ...STATE_COLUMNS.map((c) => String(f[c.key]))]);
  }
  const states = withState.map((r) => r.state);
  const out = [
    `state families (${withState.length} golden(s) with a state.log; sim/stages/state/, harness/catalog/state-families.ts; boots: the golden's and its re-boots in goldens/evidence/state/): ${stateSummary(states)}`,
    layout([head, ...rows], 2),
    ...ruleLines(states),
  ];
  for (const r of withState) if (r.state.simError !== undefined) out.push(`  ${r.profile}: state not predicted: ${r.state.simError}`);
  for (const r of withState) out.push(...stateProblemLines(r.profile, r.state));
  return out;
}

/** `bootsim check`'s state section for one profile: its summary, the family table and every problem field. */
export function stateCheckLines(profile: string, s: StateResult): string[] {
  const head = ['family', ...STATE_COLUMNS.map((c) => c.head)];
  const rows = s.comparison.families.map((f) => [f.family, ...STATE_COLUMNS.map((c) => String(f[c.key]))]);
  return [
    `state (${s.stateLog}, ${s.comparison.boots} boot(s) with the re-boot evidence): ${stateSummary([s])}`,
    ...(s.simError !== undefined ? [`  state not predicted: ${s.simError}`] : []),
    layout([head, ...rows], 1),
    ...stateProblemLines(profile, s),
  ];
}
