// Aligns the simulator's lines to the golden's catalog lines as two sequences.
// Order matters (6.12 prints `Memory:` after `SLUB:`), so this is a sequence diff, not a
// set comparison: jsdiff's diffArrays (Myers 1986) on family + match key, then, inside
// each changed hunk, a second diff on the family alone pairs lines of the same family at
// the same place as mismatches.
import { diffArrays } from 'diff';

/** The least a line needs to be aligned. */
export interface Alignable {
  readonly family: string;
  /** What must be equal for two lines of a family to be the same line: the text, or the text with volatile fields masked. */
  readonly match: string;
}

export type AlignStatus = 'same' | 'changed' | 'missing' | 'extra';

/** One step of the alignment, in golden order with the simulator's extras where they occur. */
export interface AlignStep<G, S> {
  readonly status: AlignStatus;
  readonly golden?: G;
  readonly sim?: S;
  /** A missing line whose twin is an extra line elsewhere (or the reverse): the line moved. */
  readonly moved?: boolean;
}

const sameLine = (a: Alignable, b: Alignable): boolean => a.family === b.family && a.match === b.match;

// Pairs a hunk of removed golden lines with a hunk of added sim lines by family, in order.
function pairHunk<G extends Alignable, S extends Alignable>(removed: readonly G[], added: readonly S[], out: AlignStep<G, S>[]): void {
  if (removed.length === 0) { for (const s of added) out.push({ status: 'extra', sim: s }); return; }
  if (added.length === 0) { for (const g of removed) out.push({ status: 'missing', golden: g }); return; }
  const changes = diffArrays(removed.map((l) => l.family), added.map((l) => l.family));
  let gi = 0;
  let si = 0;
  for (const c of changes) {
    const n = c.count;
    for (let k = 0; k < n; k++) {
      if (c.added) out.push({ status: 'extra', sim: added[si++]! });
      else if (c.removed) out.push({ status: 'missing', golden: removed[gi++]! });
      else out.push({ status: 'changed', golden: removed[gi++]!, sim: added[si++]! });
    }
  }
}

/** Aligns two sequences; every input line appears in exactly one step. */
export function alignLines<G extends Alignable, S extends Alignable>(golden: readonly G[], sim: readonly S[]): AlignStep<G, S>[] {
  const g = golden as readonly Alignable[] as Alignable[];
  const s = sim as readonly Alignable[] as Alignable[];
  const changes = diffArrays<Alignable>(g, s, { comparator: sameLine });
  const out: AlignStep<G, S>[] = [];
  let gi = 0;
  let si = 0;
  let removed: G[] = [];
  let added: S[] = [];
  const flush = (): void => {
    pairHunk(removed, added, out);
    removed = [];
    added = [];
  };
  for (const c of changes) {
    if (c.removed) { for (let k = 0; k < c.count; k++) removed.push(golden[gi++]!); continue; }
    if (c.added) { for (let k = 0; k < c.count; k++) added.push(sim[si++]!); continue; }
    flush();
    for (let k = 0; k < c.count; k++) out.push({ status: 'same', golden: golden[gi++]!, sim: sim[si++]! });
  }
  flush();
  return markMoved(out);
}

// A missing line and an extra line that are the same line mean the simulator prints it, in the wrong place.
function markMoved<G extends Alignable, S extends Alignable>(steps: AlignStep<G, S>[]): AlignStep<G, S>[] {
  const extras = new Map<string, number[]>();
  steps.forEach((st, i) => {
    if (st.status !== 'extra') return;
    const k = `${st.sim!.family}\u0000${st.sim!.match}`;
    extras.set(k, [...(extras.get(k) ?? []), i]);
  });
  const moved = new Set<number>();
  steps.forEach((st, i) => {
    if (st.status !== 'missing') return;
    const twins = extras.get(`${st.golden!.family}\u0000${st.golden!.match}`);
    const j = twins?.shift();
    if (j === undefined) return;
    moved.add(i);
    moved.add(j);
  });
  return steps.map((st, i) => (moved.has(i) ? { ...st, moved: true } : st));
}
