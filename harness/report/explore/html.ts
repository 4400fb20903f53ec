// The boot explorer as a self-contained HTML page: a list of the stages in boot order and one
// step shown at a time; each step gives, per boot (one, or two side by side), the kernel function,
// the lines printed with each number's derivation, and the state changed as before/after tables.
// Keys: → or j next, ← or k back, Home/End. The step shown is in the URL (#step-N). No network,
// no external assets. Deterministic.
//
// DOM hooks (for the browser tests): the list is ol#stages with li[data-stage][data-index]; each
// step is section.step[data-stage][data-index] (the one shown has class "current", the others are
// hidden), holding one div.boot[data-kernel] per boot, with ul.lines > li.line[data-fmt],
// div.change[data-slice] > table (tr.added / tr.removed / tr.same); #position says "N / total".
import { esc } from '../html.ts';
import type { ExploreBoot, ExploreStep, SliceChange } from './model.ts';

const STYLE = `
* { box-sizing: border-box; }
body { font: 14px sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
header { padding: 8px 12px; border-bottom: 1px solid #ccc; }
header h1 { font-size: 17px; margin: 0 0 4px; }
header p { margin: 2px 0; }
.nav-buttons button { font-size: 14px; margin-right: 6px; }
main { display: flex; flex: 1; min-height: 0; }
#stages { width: 260px; overflow: auto; margin: 0; padding: 6px 6px 6px 34px; border-right: 1px solid #ccc; font-size: 12px; }
#stages li { cursor: pointer; padding: 1px 2px; }
#stages li.idle { color: #999; }
#stages li.differs .ne { color: #c00; font-weight: bold; }
#stages li.current { background: #ffe9a8; font-weight: bold; }
#steps { flex: 1; overflow: auto; padding: 8px 12px; }
.step { display: none; }
.step.current { display: block; }
.boots { display: flex; gap: 12px; align-items: flex-start; }
.boot { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.boot h3 { margin: 4px 0; font-size: 15px; }
.fn { font-family: monospace; }
.idle-note { color: #777; font-style: italic; }
ul.lines { list-style: none; padding: 0; }
li.line > code { white-space: pre-wrap; background: #f3f3f3; display: block; padding: 2px 4px; }
li.line details { margin: 0 0 4px 14px; font-size: 12px; }
li.line details div { font-family: monospace; white-space: pre-wrap; }
.change { margin: 8px 0; overflow-x: auto; }
table { border-collapse: collapse; font: 12px monospace; margin: 4px 0; }
td, th { border: 1px solid #ddd; padding: 1px 4px; text-align: left; vertical-align: top; }
caption { text-align: left; font: bold 12px sans-serif; }
tr.added td { background: #e3f7e3; }
tr.removed td { background: #fbe2e2; text-decoration: line-through; }
tr.same td { color: #555; }
@media (max-width: 700px) { main { flex-direction: column; } #stages { width: auto; max-height: 30vh; border-right: 0; border-bottom: 1px solid #ccc; } .boots { flex-direction: column; } }
`;

const SCRIPT = `
(function () {
  var steps = Array.prototype.slice.call(document.querySelectorAll('section.step'));
  var items = Array.prototype.slice.call(document.querySelectorAll('#stages li'));
  var pos = document.getElementById('position');
  var cur = 0;
  function show(i) {
    if (i < 0 || i >= steps.length) return;
    steps[cur].classList.remove('current'); items[cur].classList.remove('current');
    cur = i;
    steps[cur].classList.add('current'); items[cur].classList.add('current');
    pos.textContent = (cur + 1) + ' / ' + steps.length;
    document.body.setAttribute('data-current', steps[cur].getAttribute('data-stage'));
    items[cur].scrollIntoView({ block: 'nearest' });
    if (history.replaceState) history.replaceState(null, '', '#step-' + (cur + 1));
  }
  items.forEach(function (li, i) { li.addEventListener('click', function () { show(i); }); });
  document.getElementById('prev').addEventListener('click', function () { show(cur - 1); });
  document.getElementById('next').addEventListener('click', function () { show(cur + 1); });
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'ArrowRight' || e.key === 'j') { show(cur + 1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft' || e.key === 'k') { show(cur - 1); e.preventDefault(); }
    else if (e.key === 'Home') { show(0); e.preventDefault(); }
    else if (e.key === 'End') { show(steps.length - 1); e.preventDefault(); }
  });
  var m = /^#step-(\\d+)$/.exec(location.hash);
  show(m ? Math.min(steps.length, Math.max(1, Number(m[1]))) - 1 : 0);
})();
`;

function changeHtml(c: SliceChange): string {
  const tables = c.tables.map((t) => [
    `<table><caption>${esc(t.caption)}</caption>`,
    `<tr>${['', ...t.columns].map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`,
    ...t.rows.map((r) => `<tr class="${r.mark}"><td>${r.mark === 'added' ? '+' : r.mark === 'removed' ? '−' : ''}</td>${r.cells.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`),
    '</table>',
  ].join(''));
  return `<div class="change" data-slice="${c.slice}"><b>${esc(c.summary)}</b>${tables.join('')}</div>`;
}

function bootStepHtml(boot: ExploreBoot, s: ExploreStep | undefined): string {
  if (!s) return `<div class="boot" data-kernel="${esc(boot.kernelId)}"><p class="idle-note">not in this kernel's pipeline</p></div>`;
  const fn = s.fn ? `<p class="fn">${esc(s.fn.fn)}<br><small>${esc(s.fn.path)} — ${esc(s.fn.file)}</small></p>` : '<p class="fn">(no kernel function listed)</p>';
  const lines = s.lines.length === 0 ? '<p class="idle-note">printed nothing</p>' : `<ul class="lines">${s.lines.map((l) => {
    const d = l.derivation.length === 0 ? '' : `<details><summary>derivation</summary>${l.derivation.map((f) => `<div><b>${esc(f.field)}</b>:\n  ${f.terms.map(esc).join('\n  ')}</div>`).join('')}</details>`;
    return `<li class="line" data-fmt="${esc(l.fmt)}"><code>${esc(l.text)}</code>${d}</li>`;
  }).join('')}</ul>`;
  const changes = s.changes.length === 0 ? '<p class="idle-note">changed no state</p>' : s.changes.map(changeHtml).join('');
  return `<div class="boot${s.idle ? ' idle' : ''}" data-kernel="${esc(boot.kernelId)}"><h3>${esc(boot.label)}</h3>${fn}${s.idle ? '<p class="idle-note">did nothing on this kernel (its traits run this step elsewhere, or it does not apply)</p>' : ''}<h4>lines</h4>${lines}<h4>state</h4>${changes}</div>`;
}

/** The explorer page for one boot, or two side by side (same pipeline, aligned by stage). */
export function renderExploreHtml(boots: readonly ExploreBoot[], title: string): string {
  const n = Math.max(...boots.map((b) => b.steps.length));
  const names = Array.from({ length: n }, (_, i) => boots.map((b) => b.steps[i]?.stage).find((x) => x !== undefined)!);
  const idleAll = (i: number) => boots.every((b) => b.steps[i]?.idle !== false);
  // with two boots: a step whose lines or state changes read differently on the two kernels
  const shape = (s: ExploreStep | undefined) => JSON.stringify(s ? [s.lines.map((l) => l.text), s.changes.map((c) => c.summary)] : null);
  const differs = (i: number) => boots.length > 1 && boots.some((b) => shape(b.steps[i]) !== shape(boots[0]!.steps[i]));
  const list = names.map((name, i) => {
    const lines = boots.map((b) => b.steps[i]?.lines.length ?? 0).join(' | ');
    const cls = [idleAll(i) ? 'idle' : '', differs(i) ? 'differs' : ''].filter((c) => c !== '').join(' ');
    return `<li data-stage="${esc(name)}" data-index="${i}"${cls ? ` class="${cls}"` : ''}>${esc(name)} <small>(${lines})</small>${differs(i) ? ' <span class="ne" title="the boots differ here">≠</span>' : ''}</li>`;
  });
  const sections = names.map((name, i) => `<section class="step${i === 0 ? ' current' : ''}" data-stage="${esc(name)}" data-index="${i}" id="s-${i + 1}"><h2>${i + 1}. ${esc(name)}</h2><div class="boots">${boots.map((b) => bootStepHtml(b, b.steps[i])).join('')}</div></section>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body data-boots="${boots.length}">`,
    `<header><h1>${esc(title)}</h1><p>${boots.map((b) => `${esc(b.profile)} on ${esc(b.label)}`).join(' &nbsp;vs&nbsp; ')}: ${n} stages in boot order (sim/boot.ts), each with the kernel function it models, the lines it printed (open "derivation" for each number's terms and sources) and the state it changed (green: added, red: removed)${boots.length > 1 ? '; ≠ marks the stages whose lines or state differ between the boots' : ''}.</p>`,
    `<p class="nav-buttons"><button id="prev" type="button">← back (k)</button><button id="next" type="button">forward (j) →</button> step <span id="position">1 / ${n}</span></p></header>`,
    `<main><ol id="stages">${list.join('')}</ol><div id="steps">${sections.join('\n')}</div></main>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
