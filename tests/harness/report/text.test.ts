// Tests for harness/report/text.ts, the text a person reads: one differing line with its field deltas,
// the summary, the log problems (none dropped) and the commands to see the diff and re-capture, on a
// real comparison: the golden x86_64-6.1-pc-512m against its simulation with one field changed.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { compareSpec } from '../../../harness/compare/run.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { simulateSpec } from '../../../harness/simulate.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { checkText, colours, commandLines, describeLine, describeProblem, problemLines, summaryLines } from '../../../harness/report/text.ts';
import type { ProfileResult } from '../../../harness/compare/result.ts';

const NAME = 'x86_64-6.1-pc-512m';
const spec = loadProfile(path.join(goldensDir, NAME, 'profile.yaml'));
/** The simulation with the Memory: line's reserved field 4K larger. */
const changed = (): ProfileResult => compareSpec(spec, { simulate: (s) => simulateSpec(s).map((l) => (l.fmt === 'mem.summary' ? { ...l, text: l.text.replace(/(\d+)K reserved/, (_, k: string) => `${Number(k) + 4}K reserved`) } : l)) });

describe('describeLine and checkText', () => {
  // expect the mismatched line with both texts and the typed delta of the one field that differs
  test('describe_line_mismatch: expect status, key, both texts and "reserved: sim …, golden … (+4K)"', () => {
    const r = changed();
    const bad = r.comparison.lines.filter((l) => l.status !== 'exact');
    expect(bad.map((l) => l.key)).toEqual(['mem.summary#0']);
    const d = describeLine(bad[0]!);
    expect(d[0]).toMatch(/^mismatched mem\.summary#0 \(golden line \d+\)$/);
    expect(d[1]).toMatch(/^ {2}golden: "Memory: .*63644K reserved/);
    expect(d[2]).toMatch(/^ {2}sim: {4}"Memory: .*63648K reserved/);
    expect(d.slice(3)).toEqual(['  mem.summary.reserved: sim 63648K, golden 63644K (+4K)']);
  });

  // expect the whole report: the summary first, the problems, the bad line and the commands last; no colour codes when off
  test('check_text_sections: expect summary, problems, the line, then the diff and capture commands', () => {
    const text = checkText(changed(), colours(false));
    expect(text.startsWith(`${NAME} (6.1-amd64) against goldens/${NAME}/serial.log\n`)).toBe(true);
    expect(text).toMatch(/\nlog problems: none\n/);
    expect(text).toMatch(/\n {2}see the diff: {2}npx bootsim diff .*\n {2}re-capture: {4}npx bootsim capture .*\n$/);
    expect(text).not.toMatch(/\u001b\[/);
  });

  // expect an exact comparison to print no line and no commands
  test('check_text_exact: expect no "see the diff" when every line is exact', () => {
    const r = compareSpec(spec);
    expect(r.comparison.lines.every((l) => l.status === 'exact')).toBe(true);
    expect(checkText(r, colours(false))).not.toMatch(/see the diff/);
  });
});

describe('summaryLines, problemLines, commandLines', () => {
  // expect the counts line to add up: exact + mismatched + missing + extra over the catalog lines
  test('summary_counts: expect one mismatched, the rest exact', () => {
    const r = changed();
    const s = summaryLines(r);
    const c = r.comparison.counts;
    expect(s[2]).toBe(`catalog lines: ${c.catalog}; exact ${c.catalog - 1}, mismatched 1, missing 0, extra 0; coverage ${(r.window.coverage * 100).toFixed(1)}%, exactness ${(r.comparison.exactness * 100).toFixed(1)}%; known divergences: 0`);
  });

  // expect every problem listed with its side and line, "log" for line 0
  test('problem_lines: expect each problem, none dropped', () => {
    const r: ProfileResult = { ...changed(), problems: [{ source: 'golden', line: 302, code: 'OOPS', message: 'BUG: x' }, { source: 'sim', line: 0, code: 'CONTROL_CHARS', message: 'y' }] };
    expect(problemLines(r)).toEqual(['log problems (2):', '  golden line 302: OOPS: BUG: x', '  sim log: CONTROL_CHARS: y']);
    expect(describeProblem(r.problems[0]!)).toBe('golden line 302: OOPS: BUG: x');
  });

  // expect a golden's commands to name goldens/, and an ad-hoc profile to be re-captured beside itself (--out), never into goldens/
  test('command_lines_golden_and_ad_hoc: expect goldens/<name> commands, and --out for /tmp/x/p/profile.yaml', () => {
    const r = changed();
    expect(commandLines(r)[1]).toMatch(new RegExp(`re-capture: {4}npx bootsim capture goldens/${NAME}/profile.yaml`));
    const adHoc = { ...r, profileFile: '/tmp/x/p/profile.yaml' };
    expect(commandLines(adHoc)).toEqual(['  see the diff:  npx bootsim diff /tmp/x/p/profile.yaml', '  re-capture:    npx bootsim capture /tmp/x/p/profile.yaml --out /tmp/x --force']);
    expect(commandLines(adHoc, '/tmp/log')[0]).toBe('  see the diff:  npx bootsim diff /tmp/x/p/profile.yaml --golden /tmp/log');
  });
});
