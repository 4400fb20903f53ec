import { describe, expect, test } from 'vitest';
import { compareLines } from '../../../harness/compare/compare.ts';
import type { ProfileResult } from '../../../harness/compare/result.ts';
import type { CompareLine, ComparedLine } from '../../../harness/compare/types.ts';
import { renderHtml, rowStatus, type ReportInput } from '../../../harness/report/html.ts';
import type { Judgement } from '../../../harness/baseline.ts';
import { coverageOf } from '../../../harness/catalog/classify.ts';
import { compareState } from '../../../harness/compare/state.ts';

const family = () => ({ id: 'e820.entry', stage: 'e820', volatile: [] });
const G = (texts: string[], first = 40): CompareLine[] => texts.map((text, i) => ({ family: 'e820.entry', text, fields: [], line: first + i }));
const S = (texts: string[]): CompareLine[] => texts.map((text, i) => ({ family: 'e820.entry', text, fields: [], index: i }));

function result(profile: string, golden: string[], sim: string[], known?: (l: ComparedLine) => string | undefined): ProfileResult {
  return {
    profile, kernel: '6.1-amd64', golden: `goldens/${profile}/serial.log`, profileFile: `goldens/${profile}/profile.yaml`,
    window: { lines: 10, catalog: golden.length, masked: 0, firmware: 0, unmodelled: 0, deterministic: 10, coverage: coverageOf({ catalog: golden.length, deterministic: 10 }) },
    comparison: compareLines({ golden: G(golden), sim: S(sim), family, ...(known ? { known } : {}) }),
    problems: [],
  };
}

const same = ['a', 'b', 'c'];
const exact = result('exact-1', same, same);
const differs = result('differs-1', same, ['a', 'B', 'c']);
const known = result('known-1', same, ['a', 'b', 'C'], () => 'registered');
const judged = (profile: string, unrecorded = false): Judgement => ({ regressions: [{ profile, key: 'e820.entry#1', line: undefined, ...(unrecorded ? { unrecorded: true as const } : {}) }], improvements: [], unrecorded: [], orphaned: [] });
const page = (input: Partial<ReportInput> = {}): string => renderHtml({ results: [exact, differs, known], ...input });

describe('row status', () => {
  test.each([
    ['exact', 'exact', exact, false],
    ['differs', 'differs', differs, false],
    ['known', 'known', known, false],
    ['regressed', 'regressed', exact, true],
    ['not simulated', 'not-simulated', { ...differs, simError: 'KERNEL_NO_FACTS: x' }, false],
  ] as const)('%s: expect %s', (_w, status, r, regressed) => {
    expect(rowStatus(r, regressed)).toBe(status);
  });
});

describe('conformance page', () => {
  test('highlight: expect the differing row and section marked, open; the exact one collapsed with no diff', () => {
    const html = page();
    expect(html).toContain('<tr class="st-differs" data-status="differs" data-profile="differs-1">');
    expect(html).toContain('<tr class="st-known" data-status="known" data-profile="known-1">');
    expect(html).toContain('<tr class="st-exact is-exact" data-status="exact" data-profile="exact-1">');
    expect(html).toMatch(/<details class="profile st-differs" id="p-differs-1" data-status="differs" open>/);
    expect(html).toMatch(/<details class="profile st-exact is-exact" id="p-exact-1" data-status="exact">/);
    const exactSection = html.slice(html.indexOf('id="p-exact-1" data-status'), html.indexOf('id="p-differs-1" data-status'));
    expect(exactSection).not.toContain('d2h-file-wrapper');
    expect(exactSection).toContain('All 3 catalog lines exact.');
    expect(html).not.toMatch(/RENAMED|>CHANGED</);
  });

  test('regression: expect a regressed row; a golden the baseline does not record yet is not a regression', () => {
    expect(page({ judgement: judged('exact-1') })).toContain('<tr class="st-regressed" data-status="regressed" data-profile="exact-1">');
    expect(page({ judgement: judged('differs-1', true) })).toContain('<tr class="st-differs" data-status="differs" data-profile="differs-1">');
  });

  test('header: expect the commit, the date and the viewport meta', () => {
    const html = page({ commit: 'abc123-dirty', date: '2026-12-01T00:00:00.000Z' });
    expect(html).toContain('<code id="commit">abc123-dirty</code>');
    expect(html).toContain('<time id="date">2026-12-01T00:00:00.000Z</time>');
    expect(html).toContain('name="viewport"');
  });

  test('not_compared: expect broken and uncaptured goldens as rows and listed with their code and command', () => {
    const html = page({ broken: [{ profile: 'bad-1', code: 'GOLDEN_TRUNCATED', message: 'ends <early>' }], uncaptured: ['new-1'] });
    expect(html).toContain('<tr class="st-broken" data-status="broken" data-profile="bad-1">');
    expect(html).toContain('<tr class="st-uncaptured" data-status="uncaptured" data-profile="new-1">');
    expect(html).toContain('<code>bad-1</code>: <code>GOLDEN_TRUNCATED</code>: ends &lt;early&gt;');
    expect(html).toContain('npx bootsim capture goldens/new-1/profile.yaml');
    expect(html).toContain('1 broken, 1 not captured');
  });

  test('raw_log: expect the golden lines around the catalog lines embedded, each with its anchor', () => {
    const raw = Array.from({ length: 80 }, (_, i) => `raw ${i + 1}`);
    const html = page({ logs: new Map([['differs-1', raw]]) });
    // catalog lines at raw 40–42, kept with 10 lines either side
    expect(html).toContain('lines 30–52 of 80');
    expect(html).toContain('<div id="p-differs-1-L30" data-n="30">raw 30</div>');
    expect(html).toContain('<div class="diff" id="p-differs-1-L41" data-n="41">raw 41</div>');
    expect(html).not.toContain('id="p-differs-1-L29"');
    expect(html).not.toContain('id="p-differs-1-L53"');
  });

  test.each([
    ['with the raw logs', { logs: new Map([['differs-1', Array.from({ length: 50 }, (_, i) => `r${i}`)], ['known-1', ['x']]]) }],
    ['without them', {}],
  ])('links_resolve %s: expect every #fragment in the page to name an element of it', (_w, extra) => {
    const html = renderHtml({ results: [exact, differs, known, result('p<&>', same, ['z'])], broken: [{ profile: 'b', code: 'C', message: 'm' }], ...extra });
    const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    const all = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => unescape(m[1]!));
    const ids = new Set(all);
    expect(all.length - ids.size).toBe(0);
    const hrefs = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => unescape(m[1]!));
    expect(hrefs.length).toBeGreaterThan(20);
    expect(hrefs.filter((h) => !ids.has(h))).toEqual([]);
  });
  test('state: expect a state section only with a state golden: its counts, the off fields with their delta, the unmodelled ones by rule', () => {
    expect(page()).not.toContain('id="state"');
    const comparison = compareState([
      { family: 'meminfo', key: 'MemTotal', value: '104 kB', explain: [] },
      { family: 'zoneinfo', key: 'Node 0, zone DMA32: cpu 0 high', value: '0 or 124..900', explain: [], range: { lo: 124n, hi: 900n, also: [0n] } },
    ], new Map([
      ['/proc/meminfo', 'MemTotal: 100 kB\nMemFree: 7 kB\n'],
      ['/proc/zoneinfo', 'Node 0, zone    DMA32\n  pagesets\n    cpu: 0\n              count: 5\n              high:  539\n              batch: 31\n  vm stats threshold: 12\n'],
    ]));
    const html = page({ results: [exact, { ...differs, profile: 'p-state', state: { stateLog: 'goldens/p-state/state.log', comparison } }] });
    const section = html.slice(html.indexOf('<section id="state">'), html.indexOf('</section>', html.indexOf('<section id="state">')));
    expect(section).toContain('0 of 2 predicted fields exact, 1 within their source bound, 1 mismatched');
    expect(section).toMatch(/<tr data-profile="p-state"><td><a href="#[^"]+">p-state<\/a><\/td><td class="n" data-sort="1">1<\/td><td class="n" data-sort="0">0<\/td><td class="n" data-sort="1">1<\/td><td class="n hot" data-sort="1">1<\/td>/);
    expect(section).toContain('<tr class="bad"><td>p-state</td><td>meminfo</td><td><code>MemTotal</code></td><td>mismatched</td><td class="n">104 kB</td><td class="n">100 kB</td><td class="n">-4 kB</td></tr>');
    expect(section).toMatch(/<tr><td>meminfo<\/td><td><code>\/\^\(MemFree[^<]*<\/code><\/td><td class="n" data-sort="1">1<\/td><td class="n" data-sort="0">0<\/td><td>pages in use and free at the read/);
    // the zoneinfo fields other than high are unmodelled (count) or unclassified (batch is not predicted here): the table counts them, the problem list names the unclassified one
    expect(section).toContain('<td><code>Node 0, zone DMA32: cpu 0 batch</code></td><td>unclassified</td>');
  });
});
