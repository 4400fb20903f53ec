// One profile's catalog lines, golden against sim, drawn by diff2html from the comparison's own
// alignment (not a second text diff): the golden side is numbered by serial-log line, the sim side
// by its output line, and every number links to the line it names (#<anchor>-L<n>, #<anchor>-S<n>).
// Two views are rendered, side by side for wide screens and line by line for narrow ones; the page's
// CSS shows one. diff2html's own templates are overridden only to add the links and the column labels.
import { html as diffHtml, type Diff2HtmlConfig } from 'diff2html';
import { LineType, type DiffBlock, type DiffFile, type DiffLine } from 'diff2html/lib/types.js';
import type { ComparedLine, CompareLine } from '../compare/types.ts';
import { esc, visible } from './escape.ts';

/** How the two sides are named and numbered. */
export interface DiffViewOptions {
  /** The id prefix of the line anchors: the golden's raw lines are `<anchor>-L<n>`, the sim's `<anchor>-S<n>`. */
  readonly anchor: string;
  /** Default: 'golden'. */
  readonly goldenLabel?: string;
  /** Default: 'sim'. */
  readonly simLabel?: string;
  /** Unchanged lines kept around each change. Default: 3. */
  readonly context?: number;
}

/** The number a side's line is shown with: its raw line in a log, else its position in the simulator's output. */
export function sideNumber(l: CompareLine): number {
  return l.line ?? (l.index ?? 0) + 1;
}

type Row = { readonly line: DiffLine; readonly changed: boolean };

// One compared line as diff lines: exact is context, mismatched a deletion and an insertion, missing/extra one of them.
function rowsOf(l: ComparedLine): Row[] {
  const del = (g: CompareLine): Row => ({ changed: true, line: { type: LineType.DELETE, oldNumber: sideNumber(g), newNumber: undefined, content: `-${visible(g.text)}` } });
  const ins = (s: CompareLine): Row => ({ changed: true, line: { type: LineType.INSERT, oldNumber: undefined, newNumber: sideNumber(s), content: `+${visible(s.text)}` } });
  if (l.status === 'exact' && l.golden && l.sim) return [{ changed: false, line: { type: LineType.CONTEXT, oldNumber: sideNumber(l.golden), newNumber: sideNumber(l.sim), content: ` ${visible(l.golden.text)}` } }];
  return [...(l.golden ? [del(l.golden)] : []), ...(l.sim ? [ins(l.sim)] : [])];
}

function range(ns: readonly number[]): string {
  if (ns.length === 0) return 'none';
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  return lo === hi ? `${lo}` : `${lo}–${hi}`;
}

/** The hunks: changed rows with `context` unchanged rows around them; an all-exact profile has none. Headers name the sides `labels`. */
export function diffBlocks(lines: readonly ComparedLine[], context = 3, labels: readonly [string, string] = ['golden', 'sim']): DiffBlock[] {
  const rows = lines.flatMap(rowsOf);
  const keep = rows.map(() => false);
  rows.forEach((r, i) => {
    if (!r.changed) return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = true;
  });
  const blocks: DiffBlock[] = [];
  let cur: DiffLine[] = [];
  const flush = (): void => {
    if (cur.length === 0) return;
    const old = cur.flatMap((l) => (l.oldNumber === undefined ? [] : [l.oldNumber]));
    const neu = cur.flatMap((l) => (l.newNumber === undefined ? [] : [l.newNumber]));
    blocks.push({ oldStartLine: old[0] ?? 0, newStartLine: neu[0] ?? 0, header: `${labels[0]} lines ${range(old)} · ${labels[1]} lines ${range(neu)}`, lines: cur });
    cur = [];
  };
  rows.forEach((r, i) => {
    if (keep[i]) cur.push(r.line);
    else flush();
  });
  flush();
  return blocks;
}

const LINE = `<tr>
<td class="{{lineClass}} {{type}}">{{#lineNumber}}<a class="ln" href="#@ln-{{lineNumber}}">{{lineNumber}}</a>{{/lineNumber}}</td>
<td class="{{type}}"><div class="{{contentClass}}">{{#prefix}}<span class="d2h-code-line-prefix">{{{prefix}}}</span>{{/prefix}}{{^prefix}}<span class="d2h-code-line-prefix">&nbsp;</span>{{/prefix}}{{#content}}<span class="d2h-code-line-ctn">{{{content}}}</span>{{/content}}{{^content}}<span class="d2h-code-line-ctn"><br></span>{{/content}}</div></td>
</tr>`;

// The file header names both sides; diff2html's default adds a RENAMED/CHANGED tag and a "Viewed" box that mean nothing here.
const FILE_PATH = '<span class="d2h-file-name-wrapper"><span class="d2h-file-name">{{fileDiffName}}</span></span>';

const sideTable = (label: string, side: string): string => `<div class="d2h-file-side-diff"><div class="d2h-code-wrapper"><table class="d2h-diff-table">
<thead><tr><th colspan="2" class="side-label" data-side="${side}">${label}</th></tr></thead>
<tbody class="d2h-diff-tbody">{{{diffs.${side === 'golden' ? 'left' : 'right'}}}}</tbody></table></div></div>`;

const SIM_SIDE = '<!--bootsim:sim-side-->';

function sideBySideTemplates(golden: string, sim: string): Record<string, string> {
  return {
    'generic-line': LINE,
    'generic-file-path': FILE_PATH,
    'side-by-side-file-diff': `<div class="d2h-file-wrapper" data-lang="{{file.language}}">
<div class="d2h-file-header">{{{filePath}}}</div>
<div class="d2h-files-diff">${sideTable(golden, 'golden')}${SIM_SIDE}${sideTable(sim, 'sim')}</div>
</div>`,
  };
}

function lineByLineTemplates(golden: string, sim: string): Record<string, string> {
  return {
    'generic-file-path': FILE_PATH,
    'line-by-line-numbers': '<div class="line-num1">{{#oldNumber}}<a class="ln" href="#@g-{{oldNumber}}">{{oldNumber}}</a>{{/oldNumber}}</div><div class="line-num2">{{#newNumber}}<a class="ln" href="#@s-{{newNumber}}">{{newNumber}}</a>{{/newNumber}}</div>',
    'line-by-line-file-diff': `<div class="d2h-file-wrapper" data-lang="{{file.language}}">
<div class="d2h-file-header">{{{filePath}}}</div>
<div class="d2h-file-diff"><div class="d2h-code-wrapper"><table class="d2h-diff-table">
<thead><tr><th colspan="2" class="side-label">numbers: <span data-side="golden">${golden}</span> | <span data-side="sim">${sim}</span>; lines: − ${golden}, + ${sim}</th></tr></thead>
<tbody class="d2h-diff-tbody">{{{diffs}}}</tbody></table></div></div>
</div>`,
  };
}

const common: Diff2HtmlConfig = { drawFileList: false, matching: 'lines', diffStyle: 'word', renderNothingWhenEmpty: true };

/**
 * The two views of one profile's diff, or '' when every line is exact (no empty diff is drawn).
 * `goldenName`/`simName` head the file; the anchors are filled in here, where the side is known.
 */
export function renderDiffViews(lines: readonly ComparedLine[], goldenName: string, simName: string, opts: DiffViewOptions): string {
  const blocks = diffBlocks(lines, opts.context ?? 3, [opts.goldenLabel ?? 'golden', opts.simLabel ?? 'sim']);
  if (blocks.length === 0) return '';
  const file: DiffFile = {
    oldName: visible(goldenName),
    newName: visible(simName),
    addedLines: blocks.reduce((a, b) => a + b.lines.filter((l) => l.type === LineType.INSERT).length, 0),
    deletedLines: blocks.reduce((a, b) => a + b.lines.filter((l) => l.type === LineType.DELETE).length, 0),
    isCombined: false,
    isGitDiff: false,
    language: 'txt',
    blocks,
  };
  // Labels go into templates, so they are escaped here and must not hold mustache tags.
  const label = (s: string): string => esc(s).replace(/[{}]/g, (c) => `&#${c.charCodeAt(0)};`);
  const g = label(opts.goldenLabel ?? 'golden');
  const s = label(opts.simLabel ?? 'sim');
  const a = esc(opts.anchor);
  const sbs = diffHtml([file], { ...common, outputFormat: 'side-by-side', rawTemplates: sideBySideTemplates(g, s) });
  // Log text reaches the page only as diff2html escapes it, so '<!--' and 'href="' can only be the templates'.
  const cut = sbs.indexOf(SIM_SIDE);
  const left = sbs.slice(0, cut).replaceAll('href="#@ln-', `href="#${a}-L`);
  const right = sbs.slice(cut + SIM_SIDE.length).replaceAll('href="#@ln-', `href="#${a}-S`);
  const lbl = diffHtml([file], { ...common, outputFormat: 'line-by-line', rawTemplates: lineByLineTemplates(g, s) })
    .replaceAll('href="#@g-', `href="#${a}-L`).replaceAll('href="#@s-', `href="#${a}-S`);
  return `<div class="view-sbs">${left}${right}</div>\n<div class="view-lbl">${lbl}</div>`;
}
