// Plain-text tables for the terminal: one row per profile, one per kernel, and totals.
import { totalsOf, type ProfileResult, type Totals } from '../compare/result.ts';
import { volatileDeltas } from '../compare/fields.ts';

export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const HEAD = ['catalog', 'exact', 'mismatched', 'missing', 'extra', 'known', 'coverage', 'exactness'] as const;

function row(name: string, kernel: string, t: Omit<Totals, 'profiles'>): string[] {
  return [name, kernel, String(t.catalog), String(t.exact), String(t.mismatched), String(t.missing), String(t.extra), String(t.known), pct(t.coverage), pct(t.exactness)];
}

/** Lays out rows with the first two columns left-aligned and the rest right-aligned. */
export function layout(rows: readonly (readonly string[])[], leftColumns = 2): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: readonly string[]): string => r.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [fmt(rows[0]!), rule, ...rows.slice(1).map(fmt)].join('\n');
}

function profileTotals(r: ProfileResult): Omit<Totals, 'profiles'> {
  const c = r.comparison;
  return { ...c.counts, coverage: r.window.coverage, exactness: c.exactness };
}

/** The per-profile table. */
export function profileTable(results: readonly ProfileResult[]): string {
  const rows = [['profile', 'kernel', ...HEAD], ...results.map((r) => row(r.profile + (r.simError ? ' (not simulated)' : ''), r.kernel, profileTotals(r)))];
  const t = totalsOf(results);
  rows.push(row(`total (${t.profiles} profile${t.profiles === 1 ? '' : 's'})`, '', t));
  return layout(rows);
}

/** The per-kernel table, kernels in first-seen order. */
export function kernelTable(results: readonly ProfileResult[]): string {
  const kernels = [...new Set(results.map((r) => r.kernel))].sort();
  const rows = [['kernel', 'profiles', ...HEAD]];
  for (const k of kernels) {
    const t = totalsOf(results.filter((r) => r.kernel === k));
    const [, , ...rest] = row('', '', t);
    rows.push([k, String(t.profiles), ...rest]);
  }
  return layout(rows, 1);
}

/** Totals as one line, for summaries. */
export function totalsLine(t: Totals): string {
  return `${t.profiles} profile${t.profiles === 1 ? '' : 's'}, ${t.catalog} catalog lines: ${t.exact} exact, ${t.mismatched} mismatched, ${t.missing} missing, ${t.extra} extra; coverage ${pct(t.coverage)}, exactness ${pct(t.exactness)}; known divergences: ${t.known}`;
}

/** Every volatile field compared over the results, one row each with its delta and bound; empty when there is none. */
export function volatileTable(results: readonly ProfileResult[]): string[] {
  const rows = results.flatMap((r) => volatileDeltas(r.comparison.lines).map(({ key, field: f }) => {
    const known = r.comparison.lines.find((l) => l.key === key)?.known !== undefined;
    return [r.profile, f.path, f.sim ?? '-', f.golden ?? '-', f.delta ?? '0', f.tolerance ?? '-', `${f.status === 'within-bound' ? 'within' : 'outside'}${known ? ' (known divergence)' : ''}`];
  }));
  if (rows.length === 0) return [];
  const within = rows.filter((r) => r[6]!.startsWith('within')).length;
  return [
    `volatile fields: ${rows.length} compared within their evidence bound (harness/catalog/volatile.ts, goldens/evidence/volatile/): ${within} within, ${rows.length - within} outside`,
    layout([['profile', 'field', 'sim', 'golden', 'delta', 'bound', 'status'], ...rows], 2),
  ];
}
