// Per-field typed deltas between a golden line and the simulator's line of the same family,
// e.g. `mem.summary.available: sim 464200K, golden 464212K (−12K)`.
// Volatile fields (declared by the catalog) are compared by shape, and reported apart.
import { formatFieldDelta, formatFieldValue } from '../catalog/fields.ts';
import type { FamilyTraits, FieldDelta, LineField } from './types.ts';

function isNumeric(v: LineField['value']): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v));
}

/** A field's value as a report shows it: `0x1ffdffff`, `464212K`, `97 pages`. */
export function formatValue(f: LineField): string {
  return formatFieldValue(f.kind, f.value);
}

/** The shape of a volatile value: digits collapse, so `2300.002 MHz` and `2112.5 MHz` share one. */
export function shapeOf(v: LineField['value']): string {
  if (isNumeric(v)) return 'number';
  return String(v).replace(/[0-9]+/g, '9');
}

/** Compares the fields of one line pair. `label` prefixes each path, e.g. 'zones.range[DMA32]'. */
export function compareFields(label: string, family: FamilyTraits, golden: readonly LineField[], sim: readonly LineField[]): FieldDelta[] {
  const out: FieldDelta[] = [];
  const simByName = new Map(sim.map((f) => [f.name, f]));
  const seen = new Set<string>();
  for (const g of golden) {
    seen.add(g.name);
    const s = simByName.get(g.name);
    const volatile = family.volatile.includes(g.name);
    const base = { path: `${label}.${g.name}`, name: g.name, kind: g.kind, volatile, golden: formatValue(g) };
    if (!s) { out.push({ ...base, status: 'only-golden' }); continue; }
    const simText = formatValue(s);
    if (volatile) {
      const delta = formatFieldDelta(g.kind, s.value, g.value);
      out.push({ ...base, sim: simText, status: shapeOf(g.value) === shapeOf(s.value) ? 'shape-ok' : 'shape-differs', ...(delta ? { delta } : {}) });
      continue;
    }
    const equal = isNumeric(g.value) && isNumeric(s.value) ? BigInt(g.value) === BigInt(s.value) : String(g.value) === String(s.value);
    if (equal) { out.push({ ...base, sim: simText, status: 'equal' }); continue; }
    const delta = formatFieldDelta(g.kind, s.value, g.value);
    out.push({ ...base, sim: simText, status: 'differs', ...(delta ? { delta } : {}) });
  }
  for (const s of sim) {
    if (seen.has(s.name)) continue;
    out.push({ path: `${label}.${s.name}`, name: s.name, kind: s.kind, volatile: family.volatile.includes(s.name), sim: formatValue(s), status: 'only-sim' });
  }
  return out;
}

/** True when the fields make the pair count as exact: every stable field equal, every volatile one the right shape. */
export function fieldsExact(deltas: readonly FieldDelta[]): boolean {
  return deltas.length > 0 && deltas.every((d) => d.status === 'equal' || d.status === 'shape-ok');
}

/** One delta as a line of text for people. */
export function formatDelta(d: FieldDelta): string {
  switch (d.status) {
    case 'only-golden': return `${d.path}: golden ${d.golden}, sim has no such field`;
    case 'only-sim': return `${d.path}: sim ${d.sim}, golden has no such field`;
    case 'shape-ok': return `${d.path} (volatile): sim ${d.sim}, golden ${d.golden} (${d.delta ? `${d.delta}, ` : ''}same shape)`;
    case 'shape-differs': return `${d.path} (volatile): sim ${d.sim}, golden ${d.golden} (shape differs)`;
    case 'equal': return `${d.path}: ${d.golden}`;
    case 'differs': return `${d.path}: sim ${d.sim}, golden ${d.golden}${d.delta ? ` (${d.delta})` : ''}`;
  }
}

/** The deltas worth showing: differing fields, then volatile ones apart. */
export function interestingDeltas(deltas: readonly FieldDelta[]): { differing: FieldDelta[]; volatile: FieldDelta[] } {
  return {
    differing: deltas.filter((d) => !d.volatile && d.status !== 'equal'),
    volatile: deltas.filter((d) => d.volatile),
  };
}
