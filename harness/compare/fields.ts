// Per-field typed deltas between a golden line and the simulator's line of the same family,
// e.g. `mem.summary.available: sim 464200K, golden 464212K (−12K)`.
// Volatile fields (declared by the catalog, with a bound from re-capture evidence) are equal within
// their bound and mismatched outside it; reports show their delta and bound apart.
import { formatFieldDelta, formatFieldValue } from '../catalog/fields.ts';
import type { FamilyTraits, FieldDelta, LineField } from './types.ts';

function isNumeric(v: LineField['value']): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v));
}

/** A field's value as a report shows it: `0x1ffdffff`, `464212K`, `97 pages`. */
export function formatValue(f: LineField): string {
  return formatFieldValue(f.kind, f.value);
}

// A volatile field within its bound counts as equal; outside it the field differs, with its delta and bound.
function compareVolatile(kind: LineField['kind'], sim: LineField['value'], golden: LineField['value'], tolerance: number): Pick<FieldDelta, 'status' | 'delta' | 'tolerance' | 'bound'> {
  const tol = `±${formatFieldValue(kind, tolerance)}`;
  const delta = formatFieldDelta(kind, sim, golden);
  if (!isNumeric(sim) || !isNumeric(golden)) {
    // A bound is a number; a volatile field that is not one is compared as text, and still can fail.
    return { status: String(sim) === String(golden) ? 'within-bound' : 'out-of-bound', tolerance: tol };
  }
  const d = Number(BigInt(sim) - BigInt(golden));
  return { status: Math.abs(d) <= tolerance ? 'within-bound' : 'out-of-bound', tolerance: tol, bound: { delta: d, tolerance }, ...(delta ? { delta } : {}) };
}

/** Compares the fields of one line pair. `label` prefixes each path, e.g. 'zones.range[DMA32]'. */
export function compareFields(label: string, family: FamilyTraits, golden: readonly LineField[], sim: readonly LineField[]): FieldDelta[] {
  const out: FieldDelta[] = [];
  const simByName = new Map(sim.map((f) => [f.name, f]));
  const boundOf = new Map(family.volatile.map((v) => [v.name, v.tolerance]));
  const seen = new Set<string>();
  for (const g of golden) {
    seen.add(g.name);
    const s = simByName.get(g.name);
    const tolerance = boundOf.get(g.name);
    const volatile = tolerance !== undefined;
    const base = { path: `${label}.${g.name}`, name: g.name, kind: g.kind, volatile, golden: formatValue(g) };
    if (!s) { out.push({ ...base, status: 'only-golden' }); continue; }
    const simText = formatValue(s);
    if (volatile) { out.push({ ...base, sim: simText, ...compareVolatile(g.kind, s.value, g.value, tolerance) }); continue; }
    const equal = isNumeric(g.value) && isNumeric(s.value) ? BigInt(g.value) === BigInt(s.value) : String(g.value) === String(s.value);
    if (equal) { out.push({ ...base, sim: simText, status: 'equal' }); continue; }
    const delta = formatFieldDelta(g.kind, s.value, g.value);
    out.push({ ...base, sim: simText, status: 'differs', ...(delta ? { delta } : {}) });
  }
  for (const s of sim) {
    if (seen.has(s.name)) continue;
    out.push({ path: `${label}.${s.name}`, name: s.name, kind: s.kind, volatile: boundOf.has(s.name), sim: formatValue(s), status: 'only-sim' });
  }
  return out;
}

/** True when the fields make the pair count as exact: every stable field equal, every volatile one within its bound. */
export function fieldsExact(deltas: readonly FieldDelta[]): boolean {
  return deltas.length > 0 && deltas.every((d) => d.status === 'equal' || d.status === 'within-bound');
}

/** One delta as a line of text for people. */
export function formatDelta(d: FieldDelta): string {
  switch (d.status) {
    case 'only-golden': return `${d.path}: golden ${d.golden}, sim has no such field`;
    case 'only-sim': return `${d.path}: sim ${d.sim}, golden has no such field`;
    case 'within-bound': return `${d.path} (volatile): sim ${d.sim}, golden ${d.golden} (${d.delta ?? 'no difference'}, within ${d.tolerance})`;
    case 'out-of-bound': return `${d.path} (volatile): sim ${d.sim}, golden ${d.golden} (${d.delta ?? 'differs'}, outside ${d.tolerance})`;
    case 'equal': return `${d.path}: ${d.golden}`;
    case 'differs': return `${d.path}: sim ${d.sim}, golden ${d.golden}${d.delta ? ` (${d.delta})` : ''}`;
  }
}

/** The deltas worth showing: the ones that fail (an out-of-bound volatile field among them), then volatile ones within their bound, apart. */
export function interestingDeltas(deltas: readonly FieldDelta[]): { differing: FieldDelta[]; volatile: FieldDelta[] } {
  return {
    differing: deltas.filter((d) => d.status !== 'equal' && d.status !== 'within-bound'),
    volatile: deltas.filter((d) => d.status === 'within-bound'),
  };
}

/** Every volatile field compared in a result's lines, with the key of its line: what reports show "apart". */
export function volatileDeltas(lines: readonly { readonly key: string; readonly fields?: readonly FieldDelta[] }[]): { key: string; field: FieldDelta }[] {
  return lines.flatMap((l) => (l.fields ?? []).filter((f) => f.volatile && (f.status === 'within-bound' || f.status === 'out-of-bound')).map((field) => ({ key: l.key, field })));
}
