import { describe, expect, test } from 'vitest';
import { diffBlocks, renderDiffViews } from '../../../harness/report/diff-view.ts';
import { compareLines } from '../../../harness/compare/compare.ts';
import type { CompareLine } from '../../../harness/compare/types.ts';

const family = () => ({ id: 'e820.entry', stage: 'e820', volatile: [] });
// Golden lines at raw line 100 + i (every other raw line, as catalog lines sit among others), sim lines at index i.
const G = (texts: string[]): CompareLine[] => texts.map((text, i) => ({ family: 'e820.entry', text, fields: [], line: 100 + 2 * i }));
const S = (texts: string[]): CompareLine[] => texts.map((text, i) => ({ family: 'e820.entry', text, fields: [], index: i }));
const lines = (n: number): string[] => Array.from({ length: n }, (_, i) => `line ${i}`);

describe('diffBlocks', () => {
  test('all_exact: expect no hunk, so no empty diff is drawn', () => {
    const c = compareLines({ golden: G(lines(5)), sim: S(lines(5)), family });
    expect(diffBlocks(c.lines)).toEqual([]);
    expect(renderDiffViews(c.lines, 'g', 's', { anchor: 'p-x' })).toBe('');
  });

  // expect one hunk: 3 exact lines, the pair, 3 exact lines; golden numbered by raw line, sim by output line
  //   golden raw: 100 102 … 118 [120] 122 …     sim: 1 2 … 10 [11] 12 …
  test('one_mismatch: expect the pair with three context lines each side, numbered by raw and output line', () => {
    const g = lines(20);
    const s = [...g];
    s[10] = 'line ten';
    const [b, ...rest] = diffBlocks(compareLines({ golden: G(g), sim: S(s), family }).lines);
    expect(rest).toEqual([]);
    expect(b!.lines.map((l) => [l.type, l.oldNumber, l.newNumber])).toEqual([
      ['context', 114, 8], ['context', 116, 9], ['context', 118, 10],
      ['delete', 120, undefined], ['insert', undefined, 11],
      ['context', 122, 12], ['context', 124, 13], ['context', 126, 14],
    ]);
    expect(b!.header).toBe('golden lines 114–126 · sim lines 8–14');
  });

  test('far_apart: expect two hunks; a missing line is a deletion alone', () => {
    const g = lines(30);
    const s = g.filter((_, i) => i !== 2).map((t, i) => (i === 25 ? 'changed' : t));
    const blocks = diffBlocks(compareLines({ golden: G(g), sim: S(s), family }).lines);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.lines.filter((l) => l.type !== 'context').map((l) => [l.type, l.oldNumber])).toEqual([['delete', 104]]);
  });
});

describe('renderDiffViews', () => {
  const g = lines(8);
  const s = g.map((t, i) => (i === 4 ? `${t} <b>` : t));
  const html = renderDiffViews(compareLines({ golden: G(g), sim: S(s), family }).lines, 'goldens/x/serial.log', 'bootsim sim x', { anchor: 'p-x' });
  const [sbs, lbl] = html.split('<div class="view-lbl">');

  test('views: expect a side-by-side and a line-by-line view, with labelled sides and no RENAMED or CHANGED tag', () => {
    expect(sbs).toContain('<div class="view-sbs">');
    expect(sbs).toContain('d2h-files-diff');
    expect(lbl).toContain('d2h-file-diff');
    expect(sbs).toContain('data-side="golden">golden</th>');
    expect(sbs).toContain('data-side="sim">sim</th>');
    expect(lbl).toContain('<span data-side="golden">golden</span>');
    expect(html).not.toMatch(/RENAMED|CHANGED|Viewed/);
    expect(html).toContain('&lt;b&gt;');
  });

  test('links: expect golden numbers to link to raw lines (-L) and sim numbers to output lines (-S), in both views', () => {
    const left = sbs!.slice(0, sbs!.indexOf('data-side="sim"'));
    const right = sbs!.slice(sbs!.indexOf('data-side="sim"'));
    expect(left).toContain('<a class="ln" href="#p-x-L108">108</a>');
    expect(left).not.toContain('-S');
    expect(right).toContain('<a class="ln" href="#p-x-S5">5</a>');
    expect(right).not.toContain('-L1');
    expect(lbl).toContain('<div class="line-num1"><a class="ln" href="#p-x-L108">108</a></div>');
    expect(lbl).toContain('<div class="line-num2"><a class="ln" href="#p-x-S5">5</a></div>');
    expect(html).not.toContain('#@');
  });
});
