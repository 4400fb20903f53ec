// Two real boots compared field by field (`bootsim diff --golden A.log --against B.log`): one
// profile booted on two kernels, or one kernel before and after a patch. Each log is read with the
// catalog of the kernel its banner names, so a line the two kernels print differently is parsed by
// its own family; the lines are then aligned and compared as golden against sim are (compare.ts),
// A in the golden's place and B in the sim's, so every delta is B − A. Pure: the CLI reads the logs.
import { compareLines, type Comparison } from '../compare/compare.ts';
import { classifyGolden, familyTraits, type NormalisedLog } from '../compare/catalog-port.ts';
import { bannerRelease } from '../normalise.ts';
import { BootsimError } from '../../sim/base/errors.ts';
import type { ComparedLine, FieldDelta } from '../compare/types.ts';
import { compareFields } from '../compare/fields.ts';

export type BootDiffCode = 'BOOT_DIFF_KERNEL_UNKNOWN' | 'BOOT_DIFF_KERNEL_AMBIGUOUS';
export class BootDiffError extends BootsimError<BootDiffCode> {
  override readonly name = 'BootDiffError';
}

/** A catalog kernel as the banner names it: `goldens/kernels/<id>.yaml`'s id and release. */
export interface CatalogRelease {
  readonly id: string;
  readonly release: string;
}

/** One side of the comparison. */
export interface Boot {
  /** As displayed. */
  readonly file: string;
  readonly log: NormalisedLog;
  /** The catalog kernel the log is read as. */
  readonly kernel: string;
  /** The banner's release, when the log has a banner. */
  readonly release?: string;
  /** How the kernel was chosen. */
  readonly by: 'banner' | 'profile';
}

/**
 * The catalog kernel a log is read as: the one whose release its "Linux version" banner names; when
 * no catalog kernel has that release (a patched or local build), the profile's. Several catalog
 * kernels with the release (2.6.11 i386 and x86_64) are told apart by the profile's.
 */
export function bootKernel(file: string, log: NormalisedLog, catalog: readonly CatalogRelease[], profileKernel: string | undefined): Boot {
  const b = bannerRelease(log);
  const matches = b ? catalog.filter((k) => k.release === b.release) : [];
  const base = { file, log, ...(b ? { release: b.release } : {}) };
  if (matches.length === 1) return { ...base, kernel: matches[0]!.id, by: 'banner' };
  if (matches.length > 1) {
    if (profileKernel !== undefined && matches.some((k) => k.id === profileKernel)) return { ...base, kernel: profileKernel, by: 'profile' };
    throw new BootDiffError('BOOT_DIFF_KERNEL_AMBIGUOUS', `expected a banner that names one catalog kernel, got Linux ${b!.release}, the release of ${matches.map((k) => k.id).join(' and ')}; pass --profile with one of them`, { pos: { file, line: b!.lineNo } });
  }
  if (profileKernel !== undefined) return { ...base, kernel: profileKernel, by: 'profile' };
  const found = b ? `Linux ${b.release}, which no catalog kernel is` : 'no "Linux version" banner';
  throw new BootDiffError('BOOT_DIFF_KERNEL_UNKNOWN', `expected a banner naming a catalog kernel (${catalog.map((k) => k.release).join(', ')}), got ${found}; pass --profile <profile> to read it as that profile's kernel`, { pos: b ? { file, line: b.lineNo } : { file } });
}

/** The two boots compared; `comparison.lines` in boot order, A as golden, B as sim. */
export interface BootComparison {
  readonly a: Boot;
  readonly b: Boot;
  readonly comparison: Comparison;
}

export function compareBoots(a: Boot, b: Boot): BootComparison {
  const ga = classifyGolden(a.log, a.kernel).lines;
  const gb = classifyGolden(b.log, b.kernel).lines;
  // Volatile bounds are the first boot's kernel's; compare.ts reads a sim line's position from
  // `index`, which a captured line does not have, so B's lines keep their raw line in `line`.
  const comparison = compareLines({ golden: ga, sim: gb, family: familyTraits(a.kernel) });
  return { a, b, comparison };
}

/** A differing line, as the family groups list it; 'moved' is a line both boots print, in another order. */
export interface BootLineDelta {
  readonly key: string;
  readonly status: ComparedLine['status'] | 'moved';
  readonly a?: { readonly line: number; readonly text: string };
  readonly b?: { readonly line: number; readonly text: string };
  /** The fields that differ, and volatile ones compared within their bound. */
  readonly fields: readonly FieldDelta[];
}

const sideOf = (s: ComparedLine['golden']): { line: number; text: string } | undefined => (s ? { line: s.line ?? 0, text: s.text } : undefined);

/**
 * Every family with a line that is not the same in both boots, in the order the first such line
 * printed. The alignment pairs lines of a family only within one run of changes, so a line that B
 * prints elsewhere (6.12 prints the zonelists and Memory: later than 6.1) comes out as one line
 * only in A and one only in B: those are paired again here, the n-th such line of a family in A
 * with the n-th in B, as one line that moved, and compared field by field.
 */
export function familyGroups(c: BootComparison): { readonly family: string; readonly lines: readonly BootLineDelta[] }[] {
  const traits = familyTraits(c.a.kernel);
  const groups = new Map<string, BootLineDelta[]>();
  const movedA = new Map<string, ComparedLine[]>();
  const movedB = new Map<string, ComparedLine[]>();
  for (const l of c.comparison.lines) {
    if (l.status !== 'missing' && l.status !== 'extra') continue;
    const m = l.status === 'missing' ? movedA : movedB;
    m.set(l.family, [...(m.get(l.family) ?? []), l]);
  }
  const twin = new Map<ComparedLine, ComparedLine>();
  for (const [family, as] of movedA) {
    const bs = movedB.get(family) ?? [];
    as.slice(0, bs.length).forEach((a, i) => { twin.set(a, bs[i]!); twin.set(bs[i]!, a); });
  }
  for (const l of c.comparison.lines) {
    const other = twin.get(l);
    let d: BootLineDelta | undefined;
    if (other && l.status === 'extra') continue; // listed with its twin from A
    if (other) {
      const t = traits(l.family) ?? { id: l.family, stage: '?', volatile: [] };
      const label = l.key.replace(/#\d+$/, '');
      const fields = compareFields(label, t, l.golden!.fields, other.sim!.fields).filter((f) => f.status !== 'equal');
      d = { key: l.key, status: 'moved', a: sideOf(l.golden)!, b: sideOf(other.sim)!, fields };
    } else {
      const fields = (l.fields ?? []).filter((f) => f.status !== 'equal');
      if (l.status === 'exact' && fields.length === 0) continue;
      const a = sideOf(l.golden);
      const b = sideOf(l.sim);
      d = { key: l.key, status: l.status, fields, ...(a ? { a } : {}), ...(b ? { b } : {}) };
    }
    groups.set(l.family, [...(groups.get(l.family) ?? []), d]);
  }
  return [...groups].map(([family, lines]) => ({ family, lines }));
}

/** The counts a reader wants first: lines the same, differing, moved (with or without a field changed), only in A, only in B. */
export function bootCounts(c: BootComparison): { a: number; b: number; same: number; differ: number; moved: number; onlyA: number; onlyB: number } {
  const k = c.comparison.counts;
  const moved = familyGroups(c).reduce((n, g) => n + g.lines.filter((l) => l.status === 'moved').length, 0);
  return { a: k.catalog, b: c.comparison.lines.filter((l) => l.sim).length, same: k.exact, differ: k.mismatched, moved, onlyA: k.missing - moved, onlyB: k.extra - moved };
}

// One field as A and B (formatDelta speaks of golden and sim); the delta is B − A.
function deltaText(f: FieldDelta): string {
  const d = f.delta === undefined ? '' : ` (${f.delta})`;
  switch (f.status) {
    case 'only-golden': return `${f.path}: A ${f.golden}, B has no such field`;
    case 'only-sim': return `${f.path}: B ${f.sim}, A has no such field`;
    case 'within-bound': return `${f.path} (volatile): A ${f.golden}, B ${f.sim} (${f.delta ?? 'no difference'}, within ${f.tolerance})`;
    case 'out-of-bound': return `${f.path} (volatile): A ${f.golden}, B ${f.sim} (${f.delta ?? 'differs'}, outside ${f.tolerance})`;
    default: return `${f.path}: A ${f.golden}, B ${f.sim}${d}`;
  }
}

/** The text form: a heading per family, a line per differing field, then the lines one boot lacks. */
export function bootDiffText(c: BootComparison): string[] {
  const n = bootCounts(c);
  const name = (x: Boot): string => `${x.file} (read as ${x.kernel}${x.release ? `, Linux ${x.release}` : ''}${x.by === 'profile' ? ', the profile\'s kernel' : ''})`;
  const out = [
    `A: ${name(c.a)}`,
    `B: ${name(c.b)}`,
    `catalog lines: A ${n.a}, B ${n.b}; ${n.same} the same, ${n.differ} differ, ${n.moved} moved, ${n.onlyA} only in A, ${n.onlyB} only in B`,
  ];
  if (c.a.kernel !== c.b.kernel) out.push(`the boots are of two kernels (${c.a.kernel}, ${c.b.kernel}): volatile fields are compared within ${c.a.kernel}'s bounds`);
  for (const g of familyGroups(c)) {
    out.push('', `${g.family} (${g.lines.length} line${g.lines.length === 1 ? '' : 's'})`);
    for (const l of g.lines) {
      const at = `[${l.a ? `A:${l.a.line}` : 'A:–'} ${l.b ? `B:${l.b.line}` : 'B:–'}]`;
      if (l.status === 'missing') out.push(`  only in A ${at}: ${l.a!.text}`);
      else if (l.status === 'extra') out.push(`  only in B ${at}: ${l.b!.text}`);
      else if (l.status === 'moved' && l.fields.length === 0 && l.a!.text === l.b!.text) out.push(`  ${l.key} moved ${at}: ${l.a!.text}`);
      else if (l.fields.length === 0) out.push(`  ${l.key}${l.status === 'moved' ? ' moved' : ''} ${at}: text differs`, `    A: ${l.a!.text}`, `    B: ${l.b!.text}`);
      else if (l.status === 'moved') out.push(`  ${l.key} moved ${at}:`, ...l.fields.map((f) => `    ${deltaText(f)}`));
      else for (const f of l.fields) out.push(`  ${deltaText(f)} ${at}`);
    }
  }
  if (n.differ + n.moved + n.onlyA + n.onlyB === 0) out.push('', 'no difference in the catalog lines');
  return out;
}

/** The JSON form of the same comparison. */
export function bootDiffJson(c: BootComparison): Record<string, unknown> {
  const side = (x: Boot): Record<string, unknown> => ({ file: x.file, kernel: x.kernel, release: x.release ?? null, kernelBy: x.by });
  return { a: side(c.a), b: side(c.b), counts: bootCounts(c), families: familyGroups(c) };
}
