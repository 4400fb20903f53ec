// `bootsim diff --golden A.log --against B.log --html <file>`: the two-boot comparison as one
// self-contained page, the same parts as the conformance report's profile section: the deltas by
// family (B − A), the diff drawn by diff2html with A's serial-log line numbers on the left and B's
// on the right, and both raw logs, each number linking to its line (#boot-L<n> in A, #boot-S<n> in B).
import { familyGroups, bootCounts, type Boot, type BootComparison } from './two-boots.ts';
import { renderDiffViews } from './diff-view.ts';
import { diff2htmlCss, embedLog } from './html.ts';
import { esc } from './escape.ts';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts';

/** The id prefix of the page's line anchors. */
export const BOOT_ANCHOR = 'boot';

const COLUMNS = ['family', 'A line', 'B line', 'field', 'A', 'B', 'delta (B − A)', 'bound', 'status'] as const;

function cells(values: readonly string[]): string {
  const cls = (i: number): string => (i === 0 || i === 3 ? ' class="key"' : i === 1 || i === 2 || i === 6 || i === 7 ? ' class="n"' : '');
  return values.map((v, i) => `<td data-label="${COLUMNS[i]}"${cls(i)}>${v}</td>`).join('');
}

const link = (side: 'L' | 'S', n: number | undefined): string => (n === undefined ? '–' : `<a class="ln" href="#${BOOT_ANCHOR}-${side}${n}">${n}</a>`);

function rows(c: BootComparison): string[] {
  return familyGroups(c).flatMap((g) => g.lines.flatMap((l) => {
    const head = [`<code>${esc(g.family)}</code>`, link('L', l.a?.line), link('S', l.b?.line)];
    const status = l.status === 'missing' ? 'only in A' : l.status === 'extra' ? 'only in B' : l.status === 'moved' ? 'moved' : 'differs';
    if (l.fields.length === 0) {
      const text = (t: string | undefined): string => (t === undefined ? '–' : `<code>${esc(t)}</code>`);
      return [`<tr class="${l.status === 'moved' && l.a?.text === l.b?.text ? 'known' : 'bad'}" data-key="${esc(l.key)}">${cells([...head, `<code>${esc(l.key)}</code>`, text(l.a?.text), text(l.b?.text), '–', '–', status])}</tr>`];
    }
    return l.fields.map((f) => `<tr class="${f.status === 'within-bound' ? 'ok' : 'bad'}" data-key="${esc(l.key)}">${cells([...head, `<code>${esc(f.path)}</code>${f.volatile ? ' <small>(volatile)</small>' : ''}`, esc(f.golden ?? '–'), esc(f.sim ?? '–'), esc(f.delta ?? '–'), esc(f.tolerance ?? '–'), esc(`${status}${f.status === 'within-bound' ? `, within ${f.tolerance ?? ''}` : f.status === 'out-of-bound' ? `, outside ${f.tolerance ?? ''}` : ''}`)])}</tr>`);
  }));
}

const describe = (x: Boot): string => `<code>${esc(x.file)}</code>, read as ${esc(x.kernel)}${x.release ? ` (Linux ${esc(x.release)})` : ''}${x.by === 'profile' ? ", the profile's kernel" : ''}`;

/** The page; `rawA`/`rawB` are the logs' raw lines (./raw-log.ts), `date` when it was made. */
export function renderBootDiffHtml(c: BootComparison, rawA: readonly string[] | undefined, rawB: readonly string[] | undefined, date: string): string {
  const n = bootCounts(c);
  const rs = rows(c);
  const lines = c.comparison.lines;
  const changed = (side: 'golden' | 'sim'): Set<number> => new Set(lines.filter((l) => l.status !== 'exact' && l[side]).map((l) => l[side]!.line ?? 0));
  const diff = renderDiffViews(lines, c.a.file, c.b.file, { anchor: BOOT_ANCHOR, goldenLabel: 'A', simLabel: 'B' });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bootsim diff: ${esc(c.a.file)} against ${esc(c.b.file)}</title>
<style>${diff2htmlCss()}</style>
<style>${PAGE_STYLE}</style>
</head><body>
<header>
<h1>Two boots compared</h1>
<p class="meta">generated <time id="date">${esc(date)}</time></p>
<p>A: ${describe(c.a)}<br>B: ${describe(c.b)}</p>
<p id="counts">catalog lines: A ${n.a}, B ${n.b}; ${n.same} the same, ${n.differ} differ, ${n.moved} moved, ${n.onlyA} only in A, ${n.onlyB} only in B</p>
${c.a.kernel !== c.b.kernel ? `<p>The boots are of two kernels: volatile fields are compared within ${esc(c.a.kernel)}'s bounds.</p>` : ''}
</header>
<h2>Field deltas by family (${rs.length})</h2>
${rs.length === 0 ? '<p>No difference in the catalog lines.</p>' : `<div class="scroll"><table class="grid deltas" id="deltas"><thead><tr>${COLUMNS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${rs.join('\n')}</tbody></table></div>`}
${diff ? `<h2>Catalog lines: A ↔ B</h2>\n${diff}` : ''}
${embedLog(BOOT_ANCHOR, 'L', `A: ${c.a.file}`, rawA, lines.flatMap((l) => (l.golden ? [l.golden] : [])), changed('golden'))}
${embedLog(BOOT_ANCHOR, 'S', `B: ${c.b.file}`, rawB, lines.flatMap((l) => (l.sim ? [l.sim] : [])), changed('sim'))}
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
