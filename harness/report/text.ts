// Text for people: one profile's result, one line's difference, the commands to act on it.
import path from 'node:path';
import pc from 'picocolors';
import { commandsFor, type ProfileResult, type ReportedProblem } from '../compare/result.ts';
import { formatDelta, interestingDeltas, volatileDeltas } from '../compare/fields.ts';
import type { ComparedLine } from '../compare/types.ts';
import { pct } from './table.ts';
import { stateCheckLines } from './state-table.ts';

type Colours = ReturnType<typeof pc.createColors>;

/** picocolors with colour on or off. */
export function colours(on: boolean): Colours {
  return pc.createColors(on);
}

function where(l: ComparedLine): string {
  return l.golden?.line !== undefined ? ` (golden line ${l.golden.line})` : '';
}

/** One non-exact line: status, key, texts and field deltas. */
export function describeLine(l: ComparedLine, c: Colours = colours(false)): string[] {
  const out: string[] = [];
  const tag = `${l.status}${l.moved ? ' (moved)' : ''}${l.known ? ' [known divergence]' : ''}`;
  const head = l.status === 'exact' ? c.green(tag) : l.status === 'mismatched' ? c.yellow(tag) : c.red(tag);
  out.push(`${head} ${l.key}${where(l)}`);
  if (l.golden) out.push(`  golden: ${JSON.stringify(l.golden.text)}`);
  if (l.sim) out.push(`  sim:    ${JSON.stringify(l.sim.text)}`);
  if (l.fields) {
    const { differing, volatile } = interestingDeltas(l.fields);
    for (const d of differing) out.push(`  ${formatDelta(d)}`);
    for (const d of volatile) out.push(c.dim(`  ${formatDelta(d)}`));
  }
  if (l.known) out.push(c.dim(`  known divergence: ${l.known}`));
  return out;
}

/** How to see the diff and re-capture, for a profile in goldens/ or one checked against another log. */
export function commandLines(r: ProfileResult, goldenGiven?: string): string[] {
  const cmds = commandsFor(r.profile);
  const diff = goldenGiven ? `npx bootsim diff ${r.profileFile} --golden ${goldenGiven}` : cmds.diff;
  // A profile outside goldens/ is re-captured beside itself (--out), never into goldens/<name>/.
  const adHoc = r.profileFile !== `goldens/${r.profile}/profile.yaml`;
  const capture = adHoc ? `npx bootsim capture ${r.profileFile} --out ${path.dirname(path.dirname(r.profileFile))} --force` : cmds.capture;
  return [`  see the diff:  ${adHoc && !goldenGiven ? `npx bootsim diff ${r.profileFile}` : diff}`, `  re-capture:    ${capture}`];
}

/** The summary of one profile's comparison. */
export function summaryLines(r: ProfileResult): string[] {
  const c = r.comparison;
  const w = r.window;
  return [
    `${r.profile} (${r.kernel}) against ${r.golden}`,
    `window: ${w.lines} lines (${w.catalog} catalog, ${w.masked} masked, ${w.firmware} firmware, ${w.unmodelled} unmodelled)`,
    `catalog lines: ${c.counts.catalog}; exact ${c.counts.exact}, mismatched ${c.counts.mismatched}, missing ${c.counts.missing}, extra ${c.counts.extra}; coverage ${pct(w.coverage)}, exactness ${pct(c.exactness)}; known divergences: ${c.counts.known}`,
    ...(r.simError ? [`not simulated: ${r.simError}`] : []),
  ];
}

/** One collected log problem: `golden line 302: OOPS: BUG: unable to handle page fault…`. */
export function describeProblem(p: ReportedProblem): string {
  return `${p.source} ${p.line === 0 ? 'log' : `line ${p.line}`}: ${p.code}: ${p.message}`;
}

/** Every problem the normaliser collected, on both sides; none is dropped. */
export function problemLines(r: ProfileResult): string[] {
  if (r.problems.length === 0) return ['log problems: none'];
  return [`log problems (${r.problems.length}):`, ...r.problems.map((p) => `  ${describeProblem(p)}`)];
}

/** Every volatile field compared, with its delta and bound, whether the line is exact or not. */
export function volatileLines(r: ProfileResult, c: Colours = colours(false)): string[] {
  const v = volatileDeltas(r.comparison.lines);
  if (v.length === 0) return [];
  const within = v.filter((x) => x.field.status === 'within-bound').length;
  return [
    `volatile fields, compared within their evidence bound (harness/catalog/volatile.ts): ${within} within, ${v.length - within} outside`,
    ...v.map(({ field }) => (field.status === 'within-bound' ? c.dim(`  ${formatDelta(field)}`) : c.yellow(`  ${formatDelta(field)}`))),
  ];
}

/** The whole `check` report in text. */
export function checkText(r: ProfileResult, c: Colours, goldenGiven?: string): string {
  const out = summaryLines(r);
  const vol = volatileLines(r, c);
  if (vol.length > 0) out.push('', ...vol);
  if (r.state) out.push('', ...stateCheckLines(r.profile, r.state));
  out.push('', ...problemLines(r));
  const bad = r.comparison.lines.filter((l) => l.status !== 'exact');
  if (bad.length > 0) {
    out.push('');
    for (const l of bad) out.push(...describeLine(l, c));
    out.push('', ...commandLines(r, goldenGiven));
  }
  return `${out.join('\n')}\n`;
}
