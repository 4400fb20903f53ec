// A self-contained HTML conformance report: a header with the commit and the date, one sortable
// row per golden (broken and uncaptured ones too) with a filter for the ones that differ, the
// per-kernel, volatile-field and post-boot state tables, then per profile its field deltas, the golden ↔ sim diff
// (diff2html, numbered by serial-log line) and the raw golden log with a #<profile>-L<n> anchor per
// line. Exact profiles are collapsed. Every byte that came from a log is escaped (./escape.ts).
// No network: diff2html's CSS and a small script are inlined.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { totalsOf, commandsFor, type ProfileResult } from '../compare/result.ts';
import { volatileDeltas } from '../compare/fields.ts';
import type { ComparedLine, CompareLine, FieldDelta } from '../compare/types.ts';
import type { Judgement } from '../baseline.ts';
import { pct } from './table.ts';
import { stateTotals } from '../compare/state-run.ts';
import { STATE_RULES } from '../catalog/state-families.ts';
import { STATE_COLUMNS, stateProblem, stateSummary, unmodelledByRule } from './state-table.ts';
import { esc, visible } from './escape.ts';
import { renderDiffViews, sideNumber } from './diff-view.ts';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts';

export { esc, visible };

const require = createRequire(import.meta.url);

/** diff2html's stylesheet, read once from the installed package. */
export function diff2htmlCss(): string {
  return readFileSync(require.resolve('diff2html/bundles/css/diff2html.min.css'), 'utf8');
}

/** A golden that could not be compared (bad profile, unusable log). */
export interface BrokenGolden {
  readonly profile: string;
  readonly code: string;
  readonly message: string;
}

/** Everything the report shows; the CLI gathers it (the commit, the date and the raw logs are I/O). */
export interface ReportInput {
  readonly results: readonly ProfileResult[];
  /** The ratchet's verdict. Default: none (no regressions shown). */
  readonly judgement?: Judgement;
  /** Default: none. */
  readonly broken?: readonly BrokenGolden[];
  /** Goldens with a profile but no serial.log. Default: none. */
  readonly uncaptured?: readonly string[];
  /**
   * The raw golden log of a profile, split into lines as the normaliser numbers them (./raw-log.ts).
   * A profile that differs and has none here shows its catalog lines under their raw numbers instead.
   * Default: none.
   */
  readonly logs?: ReadonlyMap<string, readonly string[]>;
  /** e.g. the `git rev-parse HEAD` of the tree. Default: 'unknown'. */
  readonly commit?: string;
  /** When the report was made, ISO 8601. Default: 'unknown'. */
  readonly date?: string;
  /** Default: 'bootsim conformance'. */
  readonly title?: string;
}

/**
 * A row's verdict, worst first: a line that was exact in the baseline and is not now; no simulation;
 * a difference the register does not explain; a golden that cannot be compared or has no log; only
 * registered divergences; exact.
 */
export type RowStatus = 'regressed' | 'not-simulated' | 'differs' | 'broken' | 'uncaptured' | 'known' | 'exact';
const SEVERITY: readonly RowStatus[] = ['regressed', 'not-simulated', 'differs', 'broken', 'uncaptured', 'known', 'exact'];

/** The verdict of one compared profile; `regressed` when the ratchet found a line of it that was exact. */
export function rowStatus(r: ProfileResult, regressed: boolean): RowStatus {
  if (regressed) return 'regressed';
  if (r.simError) return 'not-simulated';
  const c = r.comparison.counts;
  const differing = c.mismatched + c.missing + c.extra;
  if (differing === 0) return 'exact';
  return differing > c.known ? 'differs' : 'known';
}

/** The id prefix of a profile's section and its line anchors. */
export function anchorOf(profile: string): string {
  return `p-${profile}`;
}

const num = (n: number): string => `<td class="n" data-sort="${n}">${n}</td>`;
const hot = (n: number): string => `<td class="n${n > 0 ? ' hot' : ''}" data-sort="${n}">${n}</td>`;
const ratio = (x: number): string => `<td class="n" data-sort="${x.toFixed(6)}">${pct(x)}</td>`;
const statusCell = (s: RowStatus): string => `<td data-sort="${SEVERITY.indexOf(s)}"><span class="badge st-${s}">${s}</span></td>`;
const scroll = (inner: string): string => `<div class="scroll">${inner}</div>`;

function th(label: string, type: 'num' | 'text'): string {
  return `<th data-type="${type}"><button type="button" class="sort">${label}</button></th>`;
}

function summaryRow(r: ProfileResult, status: RowStatus): string {
  const c = r.comparison.counts;
  return `<tr class="st-${status}${status === 'exact' ? ' is-exact' : ''}" data-status="${status}" data-profile="${esc(r.profile)}"><td data-sort="${esc(r.profile)}"><a href="#${esc(anchorOf(r.profile))}">${esc(r.profile)}</a></td><td>${esc(r.kernel)}</td>${statusCell(status)}${num(c.catalog)}${num(c.exact)}${hot(c.mismatched)}${hot(c.missing)}${hot(c.extra)}${num(c.known)}${ratio(r.window.coverage)}${ratio(r.comparison.exactness)}</tr>`;
}

function notComparedRow(profile: string, status: 'broken' | 'uncaptured'): string {
  const empty = '<td class="n" data-sort="-1">–</td>';
  return `<tr class="st-${status}" data-status="${status}" data-profile="${esc(profile)}"><td data-sort="${esc(profile)}"><a href="#not-compared">${esc(profile)}</a></td><td>–</td>${statusCell(status)}${empty.repeat(8)}</tr>`;
}

const HEAD = [th('profile', 'text'), th('kernel', 'text'), th('status', 'num'), ...['catalog', 'exact', 'mismatched', 'missing', 'extra', 'known', 'coverage', 'exactness'].map((h) => th(h, 'num'))].join('');

function kernelRows(results: readonly ProfileResult[]): string {
  return [...new Set(results.map((r) => r.kernel))].sort().map((k) => {
    const t = totalsOf(results.filter((r) => r.kernel === k));
    return `<tr><td>${esc(k)}</td>${[t.profiles, t.catalog, t.exact].map(num).join('')}${[t.mismatched, t.missing, t.extra].map(hot).join('')}${num(t.known)}${ratio(t.coverage)}${ratio(t.exactness)}</tr>`;
  }).join('\n');
}

// A golden line number as a link to its raw line, a sim line to the simulator's output; a plain number
// where the section embeds neither (an exact profile whose volatile field is within its bound).
function lineLink(anchor: string, l: CompareLine | undefined, side: 'L' | 'S', linked: boolean): string {
  if (!l) return '–';
  const n = sideNumber(l);
  return linked ? `<a class="ln" href="#${esc(anchor)}-${side}${n}">${n}</a>` : String(n);
}

function deltaStatus(f: FieldDelta): string {
  switch (f.status) {
    case 'within-bound': return `within ${f.tolerance ?? ''}`;
    case 'out-of-bound': return `outside ${f.tolerance ?? ''}`;
    case 'only-golden': return 'only in golden';
    case 'only-sim': return 'only in sim';
    default: return f.status;
  }
}

const DELTA_COLUMNS = ['golden line', 'sim line', 'field', 'golden', 'sim', 'delta (sim − golden)', 'bound', 'status'] as const;

// A cell that names its column, so that at narrow widths a row can be shown as a labelled card.
function cells(values: readonly [string, string][]): string {
  return values.map(([cls, v], i) => `<td${cls ? ` class="${cls}"` : ''} data-label="${DELTA_COLUMNS[i]}">${v}</td>`).join('');
}

/** One row per field that differs (or is volatile), and one per missing, extra or unparsed mismatched line; `linked`: the section embeds the logs its line numbers link to. */
function deltaRows(r: ProfileResult, linked: boolean): string[] {
  const a = anchorOf(r.profile);
  return r.comparison.lines.flatMap((l: ComparedLine) => {
    const where: [string, string][] = [['n', lineLink(a, l.golden, 'L', linked)], ['n', lineLink(a, l.sim, 'S', linked)]];
    const known = l.known ? ` <span class="known-reason">(known: ${esc(l.known)})</span>` : '';
    const cls = (ok: boolean): string => (ok ? 'ok' : l.known ? 'known' : 'bad');
    const row = (ok: boolean, vs: [string, string][]): string => `<tr class="${cls(ok)}" data-key="${esc(l.key)}">${cells([...where, ...vs])}</tr>`;
    const code = (t: string): string => `<code>${esc(t)}</code>`;
    if (l.status === 'missing') return [row(false, [['', code(l.key)], ['', code(l.golden!.text)], ['', '–'], ['', '–'], ['', '–'], ['', `missing from sim${known}`]])];
    if (l.status === 'extra') return [row(false, [['', code(l.key)], ['', '–'], ['', code(l.sim!.text)], ['', '–'], ['', '–'], ['', `extra in sim${known}`]])];
    const shown = (l.fields ?? []).filter((f) => f.status !== 'equal');
    if (l.status === 'mismatched' && shown.length === 0) {
      return [row(false, [['', code(l.key)], ['', code(l.golden!.text)], ['', code(l.sim!.text)], ['', '–'], ['', '–'], ['', `text differs${known}`]])];
    }
    return shown.map((f) => row(f.status === 'within-bound', [
      ['', `${code(f.path)}${f.volatile ? ' <small>(volatile)</small>' : ''}`],
      ['n', esc(f.golden ?? '–')], ['n', esc(f.sim ?? '–')], ['n', esc(f.delta ?? '–')], ['n', esc(f.tolerance ?? '–')],
      ['', `${esc(deltaStatus(f))}${known}`],
    ]));
  });
}

function deltaTable(r: ProfileResult, linked: boolean): string {
  const rows = deltaRows(r, linked);
  if (rows.length === 0) return '';
  return `<h3>Field deltas (${rows.length})</h3>
${scroll(`<table class="grid deltas"><thead><tr>${DELTA_COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>
${rows.join('\n')}</tbody></table>`)}`;
}

/** Raw lines kept either side of the first and last catalog line when the raw log is embedded. */
const RAW_MARGIN = 10;

/**
 * A captured log from a little before its first catalog line to a little after its last, one line
 * each with the id `<id>-<side><n>`; without the file (or with one shorter than the lines compared,
 * so not the one compared), the catalog lines under their raw numbers. `marked` lines are shaded.
 */
export function embedLog(id: string, side: 'L' | 'S', name: string, given: readonly string[] | undefined, catalog: readonly CompareLine[], marked: ReadonlySet<number>): string {
  const a = esc(id);
  const numbers = catalog.map(sideNumber);
  const raw = given && numbers.every((n) => n <= given.length) ? given : undefined;
  const first = numbers.length === 0 ? 1 : Math.max(1, Math.min(...numbers) - RAW_MARGIN);
  const last = !raw ? 0 : numbers.length === 0 ? raw.length : Math.min(raw.length, Math.max(...numbers) + RAW_MARGIN);
  const lines: [number, string][] = raw ? raw.slice(first - 1, last).map((t, i) => [first + i, t]) : catalog.map((l) => [sideNumber(l), l.text]);
  const body = lines.map(([n, t]) => `<div${marked.has(n) ? ' class="diff"' : ''} id="${a}-${side}${n}" data-n="${n}">${esc(t.replace(/\r$/, ''))}</div>`).join('\n');
  const what = raw ? `${esc(name)}, lines ${first}–${last} of ${raw.length}` : `the catalog lines of ${esc(name)} (the raw log was not given, or is not the one compared)`;
  return `<details class="raw ${side === 'L' ? 'golden-log' : 'sim-log'}"><summary>${what}</summary><div class="log">${body}</div></details>`;
}

// The golden's raw log, its differing lines shaded.
function rawLog(r: ProfileResult, given: readonly string[] | undefined): string {
  const golden = r.comparison.lines.flatMap((l) => (l.golden ? [l.golden] : []));
  const marked = new Set(r.comparison.lines.filter((l) => l.status !== 'exact' && l.golden).map((l) => sideNumber(l.golden!)));
  return embedLog(anchorOf(r.profile), 'L', `golden serial log ${r.golden}`, given, golden, marked);
}

function simLog(r: ProfileResult): string {
  const a = esc(anchorOf(r.profile));
  const sims = r.comparison.lines.flatMap((l) => (l.sim ? [l.sim] : [])).sort((x, y) => sideNumber(x) - sideNumber(y));
  const body = sims.map((s) => `<div id="${a}-S${sideNumber(s)}" data-n="${sideNumber(s)}">${esc(s.text)}</div>`).join('\n');
  return `<details class="raw sim-log"><summary>sim output (${sims.length} lines)</summary><div class="log">${body}</div></details>`;
}

function profileSection(r: ProfileResult, status: RowStatus, judgement: Judgement | undefined, raw: readonly string[] | undefined): string {
  const cmds = commandsFor(r.profile);
  const c = r.comparison.counts;
  const regs = judgement?.regressions.filter((g) => g.profile === r.profile) ?? [];
  const known = r.comparison.lines.filter((l) => l.known).map((l) => `${l.key}: ${l.known}`);
  const problems = r.problems.map((p) => `${p.source} ${p.line === 0 ? 'log' : `line ${p.line}`}: ${p.code}: ${p.message}`);
  const exact = status === 'exact';
  const w = r.window;
  const span = w.startLine !== undefined && w.endLine !== undefined ? `, window at golden lines ${w.startLine}–${w.endLine}` : '';
  const diff = exact ? '' : renderDiffViews(r.comparison.lines, r.golden, `bootsim sim ${r.profileFile}`, { anchor: anchorOf(r.profile), goldenLabel: 'golden', simLabel: 'sim' });
  return `<details class="profile st-${status}${exact ? ' is-exact' : ''}" id="${esc(anchorOf(r.profile))}" data-status="${status}"${exact ? '' : ' open'}>
<summary><span class="name">${esc(r.profile)}</span> <small>(${esc(r.kernel)})</small> <span class="badge st-${status}">${status}</span> <span class="count">${c.exact}/${c.catalog} exact</span></summary>
<div class="body">
<p>Golden <code>${esc(r.golden)}</code>${span}; profile <code>${esc(r.profileFile)}</code>.</p>
${r.simError ? `<p class="regression">not simulated: ${esc(r.simError)}</p>` : ''}
${regs.length ? `<p class="regression">${regs.length} ${regs.some((g) => !g.unrecorded) ? 'regression(s)' : 'line(s) not exact in a golden the baseline does not record'}: ${regs.map((g) => `<code>${esc(g.key)}</code>`).join(', ')}</p>` : ''}
<p>Diff: <code>${esc(cmds.diff)}</code> · re-capture: <code>${esc(cmds.capture)}</code></p>
${deltaTable(r, !exact)}
${known.length ? `<h3>Known divergences (${known.length})</h3><pre class="deltas">${known.map(esc).join('\n')}</pre>` : ''}
<h3>Log problems (${problems.length})</h3>${problems.length ? `<pre class="deltas">${problems.map(esc).join('\n')}</pre>` : '<p>none</p>'}
${exact ? `<p>All ${c.catalog} catalog lines exact.</p>` : `<h3>Catalog lines: golden ↔ sim</h3>\n${diff}\n${rawLog(r, raw)}\n${simLog(r)}`}
</div>
</details>`;
}

// Every volatile field compared, with its delta and its evidence bound: the bound is shown, never assumed.
function volatileRows(results: readonly ProfileResult[]): string {
  const rows = results.flatMap((r) => volatileDeltas(r.comparison.lines).map(({ key, field: f }) => {
    const within = f.status === 'within-bound';
    const known = r.comparison.lines.find((l) => l.key === key)?.known !== undefined;
    return `<tr${within ? '' : ' class="bad"'}><td><a href="#${esc(anchorOf(r.profile))}">${esc(r.profile)}</a></td><td><code>${esc(f.path)}</code></td><td class="n">${esc(f.sim ?? '-')}</td><td class="n">${esc(f.golden ?? '-')}</td><td class="n">${esc(f.delta ?? '0')}</td><td class="n">${esc(f.tolerance ?? '-')}</td><td>${within ? 'within' : 'outside'}${known ? ' (known divergence)' : ''}</td></tr>`;
  }));
  if (rows.length === 0) return '';
  return `<h2>Volatile fields (${rows.length})</h2>
<p>Compared within a bound derived from re-capture evidence (<code>goldens/evidence/volatile/</code>, <code>harness/catalog/volatile.ts</code>); outside it the line is mismatched.</p>
${scroll(`<table class="summary volatile"><tr><th>profile</th><th>field</th><th>sim</th><th>golden</th><th>delta</th><th>bound</th><th>status</th></tr>
${rows.join('\n')}</table>`)}`;
}

// The state goldens' post-boot state (harness/compare/state.ts): per golden the counts over its families,
// the unmodelled fields by the rule that names them, and every predicted field that is off, with its delta.
function stateSection(results: readonly ProfileResult[]): string {
  const withState = results.filter((r) => r.state !== undefined);
  if (withState.length === 0) return '';
  const states = withState.map((r) => r.state!);
  const rows = withState.map((r) => {
    const t = stateTotals([r.state!]);
    const cells = STATE_COLUMNS.map((c) => {
      const n = t.reduce((a, f) => a + f[c.key], 0);
      return c.key === 'mismatched' || c.key === 'missing' || c.key === 'unclassified' ? hot(n) : num(n);
    });
    return `<tr data-profile="${esc(r.profile)}"><td><a href="#${esc(anchorOf(r.profile))}">${esc(r.profile)}</a></td>${num(r.state!.comparison.boots)}${cells.join('')}</tr>`;
  });
  const rules = unmodelledByRule(states).map(({ rule, unmodelled, deterministic }) => {
    const x = STATE_RULES[rule]!;
    return `<tr><td>${esc(x.family)}</td><td><code>${esc(`/${x.key.source}/`)}</code></td>${num(unmodelled)}${num(deterministic)}<td>${esc(x.reason)}</td></tr>`;
  });
  const problems = withState.flatMap((r) => r.state!.comparison.fields.filter(stateProblem).map((f) => `<tr class="bad"><td>${esc(r.profile)}</td><td>${esc(f.family)}</td><td><code>${esc(f.key)}</code></td><td>${esc(f.status)}</td><td class="n">${esc(f.sim ?? '–')}</td><td class="n">${esc(f.golden ?? '–')}</td><td class="n">${esc(f.delta ?? '–')}</td></tr>`));
  const refused = withState.filter((r) => r.state!.simError !== undefined).map((r) => `<li><code>${esc(r.profile)}</code>: state not predicted: ${esc(r.state!.simError!)}</li>`);
  return `<section id="state"><h2>Post-boot state (${withState.length} state goldens)</h2>
<p>${esc(stateSummary(states))}.</p>
<p>Predicted fields (<code>sim/stages/state/</code>) are exact, or within a range a source rule gives a number the kernel tunes at run time; the rest are unmodelled, each with its reason (<code>harness/catalog/state-families.ts</code>), and judged over the golden's boot and its re-boots (<code>goldens/evidence/state/</code>): identical in every boot is unmodelled-deterministic.</p>
${refused.length ? `<ul>${refused.join('\n')}</ul>` : ''}
${scroll(`<table class="summary sortable" id="state-goldens"><thead><tr>${[th('profile', 'text'), th('boots', 'num'), ...STATE_COLUMNS.map((c) => th(c.head, 'num'))].join('')}</tr></thead><tbody>
${rows.join('\n')}</tbody></table>`)}
${problems.length ? `<h3>Predicted state fields off (${problems.length})</h3>\n${scroll(`<table class="summary" id="state-problems"><tr><th>profile</th><th>family</th><th>field</th><th>status</th><th>sim</th><th>golden</th><th>delta</th></tr>\n${problems.join('\n')}</table>`)}` : '<p>No predicted state field is off.</p>'}
<h3>Not predicted, by rule</h3>
${scroll(`<table class="summary" id="state-rules"><tr><th>family</th><th>key</th><th>unmodelled</th><th>unmodelled-deterministic</th><th>why</th></tr>\n${rules.join('\n')}</table>`)}
</section>`;
}

function notComparedSection(broken: readonly BrokenGolden[], uncaptured: readonly string[]): string {
  if (broken.length + uncaptured.length === 0) return '';
  const b = broken.map((g) => `<li class="st-broken"><code>${esc(g.profile)}</code>: <code>${esc(g.code)}</code>: ${esc(g.message)}<br>re-capture: <code>${esc(commandsFor(g.profile).capture)}</code></li>`);
  const u = uncaptured.map((p) => `<li class="st-uncaptured"><code>${esc(p)}</code>: no serial.log; capture: <code>${esc(`npx bootsim capture goldens/${p}/profile.yaml`)}</code></li>`);
  return `<section id="not-compared"><h2>Goldens not compared (${broken.length} broken, ${uncaptured.length} not captured)</h2><ul>${[...b, ...u].join('\n')}</ul></section>`;
}

/** The whole report as one HTML document with no external references. */
export function renderHtml(input: ReportInput): string {
  const { results, judgement } = input;
  const broken = input.broken ?? [];
  const uncaptured = input.uncaptured ?? [];
  const title = input.title ?? 'bootsim conformance';
  const t = totalsOf(results);
  const regressed = new Set(judgement?.regressions.filter((g) => !g.unrecorded).map((g) => g.profile) ?? []);
  const statuses = new Map(results.map((r) => [r.profile, rowStatus(r, regressed.has(r.profile))]));
  const count = (s: RowStatus): number => [...statuses.values()].filter((x) => x === s).length;
  const tally = SEVERITY.map((s) => [s, s === 'broken' ? broken.length : s === 'uncaptured' ? uncaptured.length : count(s)] as const).filter(([, n]) => n > 0).map(([s, n]) => `<span class="badge st-${s}">${n} ${s}</span>`).join(' ');
  const total = `<tr><th colspan="3">total (${t.profiles} profiles)</th>${[t.catalog, t.exact].map(num).join('')}${[t.mismatched, t.missing, t.extra].map(hot).join('')}${num(t.known)}${ratio(t.coverage)}${ratio(t.exactness)}</tr>`;
  const ratchet = judgement ? `${judgement.regressions.filter((g) => !g.unrecorded).length} regression(s), ${judgement.improvements.length} improvement(s) against goldens/baseline.json.` : 'No baseline judged.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${diff2htmlCss()}</style>
<style>${PAGE_STYLE}</style>
</head><body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">commit <code id="commit">${esc(input.commit ?? 'unknown')}</code> · generated <time id="date">${esc(input.date ?? 'unknown')}</time></p>
<p>${t.exact} of ${t.catalog} catalog lines exact over ${t.profiles} profiles. ${ratchet} Known divergences: ${t.known}.</p>
<p class="tally">${tally}</p>
<p class="controls"><label><input type="checkbox" id="only-diff"> only differences</label></p>
</header>
<h2>Profiles</h2>
${scroll(`<table class="summary sortable" id="profiles"><thead><tr>${HEAD}</tr></thead><tbody>
${results.map((r) => summaryRow(r, statuses.get(r.profile)!)).join('\n')}
${broken.map((b) => notComparedRow(b.profile, 'broken')).join('\n')}
${uncaptured.map((p) => notComparedRow(p, 'uncaptured')).join('\n')}
</tbody><tfoot>${total}</tfoot></table>`)}
${notComparedSection(broken, uncaptured)}
<h2>Per kernel</h2>
${scroll(`<table class="summary sortable" id="kernels"><thead><tr>${[th('kernel', 'text'), ...['profiles', 'catalog', 'exact', 'mismatched', 'missing', 'extra', 'known', 'coverage', 'exactness'].map((h) => th(h, 'num'))].join('')}</tr></thead><tbody>
${kernelRows(results)}</tbody></table>`)}
${volatileRows(results)}
${stateSection(results)}
<h2>Per profile</h2>
${results.map((r) => profileSection(r, statuses.get(r.profile)!, judgement, input.logs?.get(r.profile))).join('\n')}
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

