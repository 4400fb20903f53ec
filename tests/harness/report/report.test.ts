import { describe, expect, test } from 'vitest';
import { compareLines } from '../../../harness/compare/compare.ts';
import type { ProfileResult } from '../../../harness/compare/result.ts';
import { resultJson, totalsOf } from '../../../harness/compare/result.ts';
import type { CompareLine } from '../../../harness/compare/types.ts';
import { esc, renderHtml } from '../../../harness/report/html.ts';
import { kernelTable, profileTable, volatileTable } from '../../../harness/report/table.ts';
import { checkText, colours } from '../../../harness/report/text.ts';
import type { FamilyTraits, WindowCounts } from '../../../harness/compare/types.ts';
import { coverageOf } from '../../../harness/catalog/classify.ts';

// A window of `lines` lines, `catalog` of them catalog lines, `masked` masked, the rest firmware.
const win = (lines: number, catalog: number, masked = 0): WindowCounts => ({ lines, catalog, masked, firmware: lines - catalog - masked, unmodelled: 0, deterministic: lines - masked, coverage: coverageOf({ catalog, deterministic: lines - masked }) });

const L = (text: string, family = 'e820.entry'): CompareLine => ({ family, text, fields: [] });
const family = () => ({ id: 'e820.entry', stage: 'e820', volatile: [] });

function result(profile: string, kernel: string, golden: CompareLine[], sim: CompareLine[]): ProfileResult {
  return {
    profile, kernel, golden: `goldens/${profile}/serial.log`, profileFile: `goldens/${profile}/profile.yaml`,
    window: win(3, 2),
    comparison: compareLines({ golden, sim, family }),
    problems: [],
  };
}

const hostile = 'x <script>alert("&")</script> \u001b[2J \u0000 \ud800 end';

describe('html report', () => {
  test.each([
    ['<b>&"\'', '&lt;b&gt;&amp;&quot;&#39;'],
    ['\u001b[0m', '\\x1b[0m'],
    ['a\u0000b', 'a\\x00b'],
    ['\ud800', '\ufffd'],
    ['tab\tkept', 'tab\tkept'],
  ])('esc_%#: expect %j escaped', (input, out) => {
    expect(esc(input)).toBe(out);
  });

  test('render_escapes_log_bytes: expect no raw markup or control bytes from a log in the page', () => {
    const html = renderHtml({ results: [result('p<1>', 'k', [L(hostile), L('same')], [L('same')])] });
    // The page's own script is the only one.
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/u);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('id="p-p&lt;1&gt;"');
    expect(html).toContain('\\x1b[2J');
  });

  test('render_self_contained: expect inlined CSS and no external references', () => {
    const html = renderHtml({ results: [result('p', 'k', [L('a')], [L('a')])] });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('.d2h-wrapper');
    expect(html).not.toMatch(/<link\b|<script\b[^>]*\bsrc=|src="http|href="http/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });
});

describe('tables', () => {
  const rs = [result('a', 'k1', [L('1'), L('2')], [L('1')]), result('b', 'k2', [L('1')], [L('9')]), result('c', 'k1', [L('1')], [])];

  test('profile_table: expect one row per profile and the totals', () => {
    const t = profileTable(rs);
    expect(t.split('\n')).toHaveLength(2 + 3 + 1);
    // coverage = window catalog / deterministic window lines = 2 / 3 in each fixture
    expect(t).toMatch(/^a\s+k1\s+2\s+1\s+0\s+1\s+0\s+0\s+66\.7%\s+50\.0%$/m);
    expect(t).toMatch(/^total \(3 profiles\)\s+4\s+1\s+1\s+2\s+0\s+0\s+66\.7%\s+25\.0%$/m);
  });

  test('kernel_table: expect counts summed per kernel', () => {
    expect(kernelTable(rs)).toMatch(/^k1\s+2\s+3\s+1\s+0\s+2\s+0\s+0\s+66\.7%\s+33\.3%$/m);
  });

  test('totals_coverage_summed: expect coverage over the summed windows, not the mean of the profiles', () => {
    const a = { ...result('a', 'k', [L('1')], [L('1')]), window: win(2, 1) };
    const b = { ...result('b', 'k', [L('1')], [L('1')]), window: win(12, 3, 2) };
    // (1 + 3) / (2 + 10) = 33.3%; the mean of 50% and 30% would be 40.0%
    expect(totalsOf([a, b]).coverage).toBeCloseTo(4 / 12);
    expect(profileTable([a, b])).toMatch(/^total \(2 profiles\).*\s33\.3%\s+100\.0%$/m);
    expect(profileTable([a, b])).toMatch(/^b\s.*\s30\.0%\s+100\.0%$/m);
  });

  test('result_json: expect the check contract keys and JSON-safe fields', () => {
    const j = resultJson(rs[1]!);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['profile', 'kernel', 'window', 'catalog', 'exact', 'mismatched', 'missing', 'extra', 'coverage', 'exactness', 'lines']));
    expect(() => JSON.stringify(j)).not.toThrow();
  });
});

describe('volatile fields in every report', () => {
  const traits = (id: string): FamilyTraits => (id === 'mem.summary' ? { id, stage: 'mem-init', volatile: [{ name: 'available', tolerance: 744 }] } : { id, stage: 'e820', volatile: [] });
  const mem = (k: number): CompareLine => ({ family: 'mem.summary', text: `Memory: ${k}K/523768K available`, fields: [{ name: 'available', kind: 'kbytes', value: k }, { name: 'physpages', kind: 'kbytes', value: 523768 }] });
  const late = (profile: string, golden: number, sim: number): ProfileResult => ({
    profile, kernel: '6.12-amd64', golden: `goldens/${profile}/serial.log`, profileFile: `goldens/${profile}/profile.yaml`,
    window: win(3, 2),
    comparison: compareLines({ golden: [L('a'), mem(golden)], sim: [L('a'), mem(sim)], family: traits }),
    problems: [{ source: 'golden', line: 7, code: 'OOPS', message: 'BUG: unable to handle page fault' }],
  });
  const rs = [late('in', 464448, 464748), late('out', 464448, 468072)];

  test('volatile_counts: expect within-bound exact and out-of-bound mismatched', () => {
    expect(rs.map((r) => r.comparison.counts.mismatched)).toEqual([0, 1]);
  });

  test('volatile_table: expect one row per field with sim, golden, delta, bound and status', () => {
    const t = volatileTable(rs);
    expect(t[0]).toContain('2 compared within their evidence bound');
    expect(t[0]).toContain('1 within, 1 outside');
    expect(t[1]).toMatch(/^in\s+mem\.summary\.available\s+464748K\s+464448K\s+\+300K\s+±744K\s+within$/m);
    expect(t[1]).toMatch(/^out\s+mem\.summary\.available\s+468072K\s+464448K\s+\+3624K\s+±744K\s+outside$/m);
  });

  test('volatile_html: expect the table and each profile\'s deltas with the bound, and its log problems', () => {
    const html = renderHtml({ results: rs });
    expect(html).toContain('<h2>Volatile fields (2)</h2>');
    expect(html).toMatch(/<tr class="bad"><td><a href="#p-out">out<\/a><\/td><td><code>mem\.summary\.available<\/code><\/td><td class="n">468072K<\/td><td class="n">464448K<\/td><td class="n">\+3624K<\/td><td class="n">±744K<\/td><td>outside<\/td><\/tr>/);
    expect(html).toMatch(/<tr class="bad" data-key="mem\.summary#0">.*<code>mem\.summary\.available<\/code> <small>\(volatile\)<\/small><\/td><td class="n" data-label="golden">464448K<\/td><td class="n" data-label="sim">468072K<\/td><td class="n" data-label="delta \(sim − golden\)">\+3624K<\/td><td class="n" data-label="bound">±744K<\/td><td data-label="status">outside ±744K<\/td><\/tr>/);
    expect(html).toMatch(/<tr class="ok" data-key="mem\.summary#0">.*<td class="n" data-label="sim">464748K<\/td><td class="n" data-label="delta \(sim − golden\)">\+300K<\/td><td class="n" data-label="bound">±744K<\/td><td data-label="status">within ±744K<\/td><\/tr>/);
    expect(html).toContain('<h3>Log problems (1)</h3><pre class="deltas">golden line 7: OOPS: BUG: unable to handle page fault</pre>');
  });

  test('volatile_json: expect the volatile deltas and the problems in the result', () => {
    const j = resultJson(rs[1]!);
    expect(j.volatile).toEqual([{ key: 'mem.summary#0', path: 'mem.summary.available', status: 'out-of-bound', sim: '468072K', golden: '464448K', delta: 3624, tolerance: 744, unit: 'kbytes', text: '+3624K, outside ±744K' }]);
    expect(j.problems).toEqual(rs[1]!.problems);
  });

  test('volatile_check_text: expect the bound in the text, and the problems', () => {
    const t = checkText(rs[1]!, colours(false));
    expect(t).toContain('0 within, 1 outside');
    expect(t).toContain('(+3624K, outside ±744K)');
    expect(t).toContain('log problems (1):\n  golden line 7: OOPS: BUG: unable to handle page fault');
  });
});
