// The report's inline stylesheet and script (no network). The script sorts the tables by a clicked
// column, hides exact rows and sections under "only differences", and opens the collapsed sections
// that hold a #<profile>-L<n> target; without it the page still reads, unsorted and unfiltered.

/** Responsive: at 390 px the tables scroll inside their own box, and the diff is drawn line by line. */
export const PAGE_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 auto; padding: 1em 2em; max-width: 1600px; color: #222; overflow-wrap: anywhere; }
h1 { font-size: 1.5em; margin: 0.3em 0; }
h2 { font-size: 1.2em; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; }
.meta { color: #555; }
.scroll { overflow-x: auto; max-width: 100%; }
table.summary, table.grid { border-collapse: collapse; margin: 0.5em 0; }
table.summary th, table.summary td, table.grid th, table.grid td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; vertical-align: top; }
table.summary th, table.summary td { white-space: nowrap; overflow-wrap: normal; }
table.summary tbody td:first-child, table.summary thead th:first-child { position: sticky; left: 0; background: #fff; z-index: 1; }
table.grid td { overflow-wrap: anywhere; }
table.grid th, table.grid td.n, table.grid td.key { white-space: nowrap; overflow-wrap: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.hot { font-weight: bold; color: #a00; }
button.sort { font: inherit; font-weight: bold; border: 0; background: none; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; }
th[aria-sort="descending"] button.sort::after { content: " \\25BC"; }
.badge { display: inline-block; padding: 0 0.5em; border-radius: 0.6em; font-size: 0.85em; border: 1px solid #bbb; background: #f3f3f3; white-space: nowrap; }
.badge.st-regressed { background: #b00; color: #fff; border-color: #b00; }
.badge.st-differs, .badge.st-not-simulated, .badge.st-broken { background: #fde0e0; border-color: #d88; color: #800; }
.badge.st-uncaptured { background: #eee; color: #555; }
.badge.st-known { background: #fff4d6; border-color: #dc9; color: #640; }
.badge.st-exact { background: #e6f4e6; border-color: #9c9; color: #262; }
tr.st-regressed td { background: #f8c8c8; }
tr.st-differs td, tr.st-not-simulated td, tr.st-broken td { background: #fde8e8; }
tr.st-uncaptured td { background: #f0f0f0; color: #555; }
tr.st-known td { background: #fff8e6; }
tr.bad td { background: #fde8e8; }
tr.known td { background: #fff8e6; }
.known-reason { color: #640; }
pre.deltas { background: #f6f8fa; padding: 0.5em; white-space: pre-wrap; overflow-wrap: anywhere; }
.regression { color: #b00; font-weight: bold; }
details.profile { margin-top: 1em; border-top: 1px solid #ddd; padding-top: 0.5em; }
details.profile > summary { cursor: pointer; font-size: 1.1em; }
details.profile > summary .name { font-weight: bold; }
details.profile.st-regressed > summary, details.profile.st-differs > summary, details.profile.st-not-simulated > summary { border-left: 4px solid #c33; padding-left: 0.4em; }
details.profile.st-known > summary { border-left: 4px solid #dc9; padding-left: 0.4em; }
body.only-diff .is-exact { display: none; }
details.raw { margin: 0.5em 0; }
.log { font: 12px/1.35 ui-monospace, Menlo, Consolas, monospace; background: #fafafa; border: 1px solid #eee; max-height: 40em; overflow: auto; }
.log > div { white-space: pre-wrap; overflow-wrap: anywhere; padding-left: 4.5em; text-indent: -4.5em; }
.log > div::before { content: attr(data-n); display: inline-block; width: 3.7em; margin-right: 0.8em; text-align: right; color: #888; text-indent: 0; }
.log > div.diff { background: #fde8e8; }
.log > div:target { background: #fff0a0; outline: 1px solid #c90; }
a.ln { color: inherit; }
th.side-label { text-align: left; font: bold 12px system-ui, sans-serif; padding: 2px 0.5em; background: #f0f3f6; border-bottom: 1px solid #ddd; }
.view-lbl { display: none; }
@media (max-width: 900px) {
  body { padding: 0.5em; }
  .view-sbs { display: none; }
  .view-lbl { display: block; }
  /* a narrow screen wraps a long line under its text rather than hiding it past the edge */
  .view-lbl .d2h-code-line { width: auto; padding: 0 0.5em 0 8em; white-space: normal; display: flex; }
  .view-lbl .d2h-code-line-prefix { flex: none; }
  .view-lbl .d2h-code-line-ctn { white-space: pre-wrap; overflow-wrap: anywhere; width: auto; flex: 1; }
}
@media (max-width: 600px) {
  table.grid, table.grid tbody, table.grid tr, table.grid td { display: block; }
  table.grid thead { display: none; }
  table.grid tr { border: 1px solid #ccc; margin-bottom: 0.5em; }
  table.grid td { border: 0; text-align: left; }
  table.grid td.n, table.grid td.key { text-align: left; white-space: normal; overflow-wrap: anywhere; }
  table.grid td::before { content: attr(data-label) ": "; font-weight: bold; }
}
`;

/** Sorting, the filter and the opening of a targeted line's sections. Plain ES2020, no library. */
export const PAGE_SCRIPT = `
(() => {
  for (const table of document.querySelectorAll('table.sortable')) {
    const heads = [...table.tHead.rows[0].cells];
    heads.forEach((th, i) => {
      const button = th.querySelector('button.sort');
      if (!button) return;
      button.addEventListener('click', () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        for (const h of heads) h.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        const numeric = th.dataset.type === 'num';
        const key = (row) => { const c = row.cells[i]; return c ? (c.dataset.sort ?? c.textContent ?? '') : ''; };
        const body = table.tBodies[0];
        const rows = [...body.rows];
        rows.sort((a, b) => dir * (numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b))));
        body.append(...rows);
      });
    });
  }
  const only = document.getElementById('only-diff');
  if (only) {
    const apply = () => document.body.classList.toggle('only-diff', only.checked);
    only.addEventListener('change', apply);
    apply();
  }
  const reveal = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const el = id ? document.getElementById(id) : null;
    if (!el) return;
    for (let d = el.closest('details'); d; d = d.parentElement ? d.parentElement.closest('details') : null) d.open = true;
    el.scrollIntoView({ block: 'center' });
  };
  addEventListener('hashchange', reveal);
  reveal();
})();
`;
