// A self-contained HTML report: the tables, and per profile the field deltas and a
// side-by-side diff rendered by diff2html, with its CSS inlined. Every byte that came from a
// log is escaped, and control characters are shown as \xNN rather than passed through.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { html as diffHtml } from 'diff2html';
import { createTwoFilesPatch } from 'diff';
import { commandsFor, totalsOf, type ProfileResult } from '../compare/result.ts';
import { formatDelta, volatileDeltas } from '../compare/fields.ts';
import type { Judgement } from '../baseline.ts';
import { pct } from './table.ts';

const require = createRequire(import.meta.url);

/** diff2html's stylesheet, read once from the installed package. */
function diff2htmlCss(): string {
  return readFileSync(require.resolve('diff2html/bundles/css/diff2html.min.css'), 'utf8');
}

/** Shows control characters (other than tab) as \xNN, and lone surrogates as U+FFFD. */
export function visible(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table.summary { border-collapse: collapse; margin: 1em 0; }
table.summary th, table.summary td { border: 1px solid #ccc; padding: 2px 8px; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.bad td { background: #fde8e8; }
code, pre { font-family: ui-monospace, monospace; }
pre.deltas { background: #f6f8fa; padding: 0.5em; overflow-x: auto; }
.regression { color: #b00; font-weight: bold; }
section.profile { margin-top: 2em; border-top: 1px solid #ddd; }
`;

function summaryRow(r: ProfileResult, bad: boolean): string {
  const c = r.comparison;
  const cells = [c.counts.catalog, c.counts.exact, c.counts.mismatched, c.counts.missing, c.counts.extra, c.counts.known].map((n) => `<td class="n">${n}</td>`).join('');
  return `<tr${bad ? ' class="bad"' : ''}><td><a href="#p-${esc(r.profile)}">${esc(r.profile)}</a></td><td>${esc(r.kernel)}</td>${cells}<td class="n">${pct(r.window.coverage)}</td><td class="n">${pct(c.exactness)}</td></tr>`;
}

function kernelRows(results: readonly ProfileResult[]): string {
  return [...new Set(results.map((r) => r.kernel))].sort().map((k) => {
    const t = totalsOf(results.filter((r) => r.kernel === k));
    return `<tr><td>${esc(k)}</td>${[t.profiles, t.catalog, t.exact, t.mismatched, t.missing, t.extra, t.known].map((n) => `<td class="n">${n}</td>`).join('')}<td class="n">${pct(t.coverage)}</td><td class="n">${pct(t.exactness)}</td></tr>`;
  }).join('\n');
}

function profileSection(r: ProfileResult, judgement: Judgement | undefined): string {
  const cmds = commandsFor(r.profile);
  const regs = judgement?.regressions.filter((g) => g.profile === r.profile) ?? [];
  const deltas = r.comparison.lines.flatMap((l) => (l.fields ?? []).filter((f) => f.status !== 'equal').map((f) => formatDelta(f)));
  const known = r.comparison.lines.filter((l) => l.known).map((l) => `${l.key}: ${l.known}`);
  const problems = r.problems.map((p) => `${p.source} ${p.line === 0 ? 'log' : `line ${p.line}`}: ${p.code}: ${p.message}`);
  const body = (side: 'golden' | 'sim'): string => r.comparison.lines.filter((l) => l[side]).map((l) => `${visible(l[side]!.text)}\n`).join('');
  const patch = createTwoFilesPatch(`${r.golden}`, `sim ${r.profile}`, body('golden'), body('sim'), undefined, undefined, { context: 3 });
  return `<section class="profile" id="p-${esc(r.profile)}">
<h2>${esc(r.profile)} <small>(${esc(r.kernel)})</small></h2>
${r.simError ? `<p class="regression">not simulated: ${esc(r.simError)}</p>` : ''}
${regs.length ? `<p class="regression">${regs.length} regression(s): ${regs.map((g) => `<code>${esc(g.key)}</code>`).join(', ')}</p>` : ''}
<p>Diff: <code>${esc(cmds.diff)}</code> · re-capture: <code>${esc(cmds.capture)}</code></p>
${deltas.length ? `<h3>Field deltas</h3><pre class="deltas">${deltas.map(esc).join('\n')}</pre>` : ''}
${known.length ? `<h3>Known divergences (${known.length})</h3><pre class="deltas">${known.map(esc).join('\n')}</pre>` : ''}
<h3>Log problems (${problems.length})</h3>${problems.length ? `<pre class="deltas">${problems.map(esc).join('\n')}</pre>` : '<p>none</p>'}
<h3>Catalog lines: golden ↔ sim</h3>
${diffHtml(patch, { outputFormat: 'side-by-side', drawFileList: false })}
</section>`;
}

// Every volatile field compared, with its delta and its evidence bound: the bound is shown, never assumed.
function volatileRows(results: readonly ProfileResult[]): string {
  const rows = results.flatMap((r) => volatileDeltas(r.comparison.lines).map(({ key, field: f }) => {
    const within = f.status === 'within-bound';
    const known = r.comparison.lines.find((l) => l.key === key)?.known !== undefined;
    return `<tr${within ? '' : ' class="bad"'}><td><a href="#p-${esc(r.profile)}">${esc(r.profile)}</a></td><td><code>${esc(f.path)}</code></td><td class="n">${esc(f.sim ?? '-')}</td><td class="n">${esc(f.golden ?? '-')}</td><td class="n">${esc(f.delta ?? '0')}</td><td class="n">${esc(f.tolerance ?? '-')}</td><td>${within ? 'within' : 'outside'}${known ? ' (known divergence)' : ''}</td></tr>`;
  }));
  if (rows.length === 0) return '';
  return `<h2>Volatile fields (${rows.length})</h2>
<p>Compared within a bound derived from re-capture evidence (<code>goldens/evidence/volatile/</code>, <code>harness/catalog/volatile.ts</code>); outside it the line is mismatched.</p>
<table class="summary volatile"><tr><th>profile</th><th>field</th><th>sim</th><th>golden</th><th>delta</th><th>bound</th><th>status</th></tr>
${rows.join('\n')}</table>`;
}

/** The whole report as one HTML document with no external references. */
export function renderHtml(results: readonly ProfileResult[], judgement?: Judgement, title = 'bootsim conformance'): string {
  const t = totalsOf(results);
  const badProfiles = new Set(judgement?.regressions.map((g) => g.profile) ?? []);
  const head = '<tr><th>profile</th><th>kernel</th><th>catalog</th><th>exact</th><th>mismatched</th><th>missing</th><th>extra</th><th>known</th><th>coverage</th><th>exactness</th></tr>';
  const total = `<tr><th colspan="2">total (${t.profiles} profiles)</th>${[t.catalog, t.exact, t.mismatched, t.missing, t.extra, t.known].map((n) => `<td class="n">${n}</td>`).join('')}<td class="n">${pct(t.coverage)}</td><td class="n">${pct(t.exactness)}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${diff2htmlCss()}</style>
<style>${STYLE}</style>
</head><body>
<h1>${esc(title)}</h1>
<p>${judgement ? `${judgement.regressions.length} regression(s), ${judgement.improvements.length} improvement(s) against goldens/baseline.json.` : ''} Known divergences: ${t.known}.</p>
<table class="summary">${head}
${results.map((r) => summaryRow(r, badProfiles.has(r.profile))).join('\n')}
${total}</table>
<h2>Per kernel</h2>
<table class="summary"><tr><th>kernel</th><th>profiles</th><th>catalog</th><th>exact</th><th>mismatched</th><th>missing</th><th>extra</th><th>known</th><th>coverage</th><th>exactness</th></tr>
${kernelRows(results)}</table>
${volatileRows(results)}
${results.map((r) => profileSection(r, judgement)).join('\n')}
</body></html>
`;
}
