import { describe, expect, test } from 'vitest';
import { compareLines } from '../../../harness/compare/compare.ts';
import type { ProfileResult } from '../../../harness/compare/result.ts';
import { resultJson } from '../../../harness/compare/result.ts';
import type { CompareLine } from '../../../harness/compare/types.ts';
import { esc, renderHtml } from '../../../harness/report/html.ts';
import { kernelTable, profileTable } from '../../../harness/report/table.ts';

const L = (text: string, family = 'e820.entry'): CompareLine => ({ family, text, fields: [] });
const family = () => ({ id: 'e820.entry', stage: 'e820', volatile: [] });

function result(profile: string, kernel: string, golden: CompareLine[], sim: CompareLine[]): ProfileResult {
  return {
    profile, kernel, golden: `goldens/${profile}/serial.log`, profileFile: `goldens/${profile}/profile.yaml`,
    window: { lines: 3, catalog: 2, masked: 0, firmware: 1, unmodelled: 0 },
    comparison: compareLines({ golden, sim, family }),
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
    const html = renderHtml([result('p<1>', 'k', [L(hostile), L('same')], [L('same')])]);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/u);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('id="p-p&lt;1&gt;"');
    expect(html).toContain('\\x1b[2J');
  });

  test('render_self_contained: expect inlined CSS and no external references', () => {
    const html = renderHtml([result('p', 'k', [L('a')], [L('a')])]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('.d2h-wrapper');
    expect(html).not.toMatch(/<link\b|<script\b|src="http|href="http/);
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

  test('result_json: expect the check contract keys and JSON-safe fields', () => {
    const j = resultJson(rs[1]!);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['profile', 'kernel', 'window', 'catalog', 'exact', 'mismatched', 'missing', 'extra', 'coverage', 'exactness', 'lines']));
    expect(() => JSON.stringify(j)).not.toThrow();
  });
});
