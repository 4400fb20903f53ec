import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitCommit, run } from '../../../harness/cli/commands/conformance.ts';
import { captureIO, replayGolden, scratchGoldens, tempFile } from './helpers.ts';
import { volatileFor } from '../../../harness/catalog/volatile.ts';
import { scratchDir } from '../../scratch.ts';
import { goldensDir } from '../../../sim/base/paths.ts';

const A = 'x86_64-6.1-pc-512m';
const B = 'x86_64-6.12-pc-512m';

// One scratch tree per test: two goldens, a baseline path and an empty register.
function setup(): { dir: string; baseline: string; divergences: string } {
  const dir = scratchGoldens([A, B]);
  const divergences = path.join(dir, 'divergences.yaml');
  writeFileSync(divergences, '[]\n');
  return { dir, baseline: path.join(dir, 'baseline.json'), divergences };
}

const opts = (s: ReturnType<typeof setup>, simulate?: ReturnType<typeof replayGolden>) => ({ goldens: s.dir, baseline: s.baseline, divergences: s.divergences, ...(simulate ? { simulate } : {}) });

// The stand-in simulator gets the DMA32 end of zones.range wrong by one page.
const offByOnePage = (dir: string) => replayGolden(dir, (l) => (l.fmt === 'zones.range' && l.text.includes('DMA32') ? { ...l, text: l.text.replace(/([0-9a-f]{4})\]$/, (_, h) => `${(parseInt(h, 16) - 0x1000 + 0x10000).toString(16).slice(-4)}]`) } : l));

describe('conformance ratchet', () => {
  // expect a golden missing from the baseline to fail on its one mismatched line, naming it, until recorded
  test('unrecorded_judged_in_full: expect exit 1 and NOT EXACT for a new golden with a mismatch', async () => {
    const s = setup();
    const c = captureIO();
    expect(await run([], c.io, opts(s, offByOnePage(s.dir)))).toBe(1);
    expect(c.out()).toMatch(new RegExp(`NOT EXACT ${A}: zones\\.range\\[DMA32\\] is mismatched in a golden`));
    expect(await run(['--update-baseline'], captureIO().io, opts(s, offByOnePage(s.dir)))).toBe(0);
    expect(await run([], captureIO().io, opts(s, offByOnePage(s.dir)))).toBe(0);
  });

  test('tables: expect a row per profile, a table per kernel, and totals', async () => {
    const s = setup();
    const c = captureIO();
    // An exact stand-in: with no baseline, both goldens are judged in full, and pass only when every line is exact.
    expect(await run([], c.io, opts(s, replayGolden(s.dir)))).toBe(0);
    expect(c.out()).toMatch(new RegExp(`^${A}.*6\\.1-amd64`, 'm'));
    expect(c.out()).toMatch(/^6\.12-amd64\s+1\s+/m);
    expect(c.out()).toMatch(/total \(2 profiles\)/);
    expect(c.out()).toContain('known divergences: 0');
  });

  test('improvement_reported: expect exit 0, the new exact lines named, and how to record them', async () => {
    const s = setup();
    const c = captureIO();
    expect(await run([], c.io, opts(s, replayGolden(s.dir)))).toBe(0);
    expect(c.out()).toMatch(/improved: \d+ line\(s\) became exact/);
    expect(c.out()).toMatch(new RegExp(`^  ${A} \\(\\d+\\): \\S+#0, `, 'm'));
    expect(c.out()).toContain('npx bootsim conformance --update-baseline');
  });

  test('update_then_regression: expect exit 1 naming the line, its field delta and the commands', async () => {
    const s = setup();
    const u = captureIO();
    expect(await run(['--update-baseline'], u.io, opts(s, replayGolden(s.dir)))).toBe(0);
    const b = JSON.parse(readFileSync(s.baseline, 'utf8'));
    expect(b.profiles[A].exact).toContain('zones.range[DMA32]');
    expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const c = captureIO();
    expect(await run([], c.io, opts(s, offByOnePage(s.dir)))).toBe(1);
    const out = c.out();
    expect(out).toContain(`REGRESSION ${A}: zones.range[DMA32] was exact in`);
    expect(out).toMatch(/zones\.range\[DMA32\]\.end: sim 0x[0-9a-f]+, golden 0x[0-9a-f]+ \(\u22120x1000\)/);
    expect(out).toContain(`npx bootsim diff ${A}`);
    expect(out).toContain(`npx bootsim capture goldens/${A}/profile.yaml --force`);
    expect(out).toMatch(/ratchet: 2 regression\(s\)/);
  });

  test('regression_json: expect the regressions listed with commands', async () => {
    const s = setup();
    await run(['--update-baseline'], captureIO().io, opts(s, replayGolden(s.dir)));
    const c = captureIO();
    expect(await run(['--json'], c.io, opts(s, offByOnePage(s.dir)))).toBe(1);
    const j = JSON.parse(c.out());
    expect(j.ratchet.regressions).toContainEqual(expect.objectContaining({ profile: A, key: 'zones.range[DMA32]', status: 'mismatched', diff: `npx bootsim diff ${A}` }));
    expect(j.totals.profiles).toBe(2);
    expect(j.profiles).toHaveLength(2);
  });

  test('update_refused_under_ci: expect exit 2, a clear message, and no baseline written', async () => {
    const s = setup();
    const c = captureIO({ CI: 'true' });
    expect(await run(['--update-baseline'], c.io, opts(s, replayGolden(s.dir)))).toBe(2);
    expect(c.err()).toContain('BASELINE_UPDATE_IN_CI');
    expect(c.err()).toContain('refusing --update-baseline under CI=true');
    expect(existsSync(s.baseline)).toBe(false);
  });

  test('judge_under_ci: expect the gate itself to run under CI', async () => {
    const s = setup();
    expect(await run([], captureIO({ CI: 'true' }).io, opts(s, replayGolden(s.dir)))).toBe(0);
  });

  test('broken_golden: expect exit 2, the code, and the re-capture command', async () => {
    const s = setup();
    writeFileSync(path.join(s.dir, B, 'serial.log'), 'SeaBIOS\n');
    const c = captureIO();
    expect(await run([], c.io, opts(s))).toBe(2);
    expect(c.out()).toContain(`BROKEN ${B}: GOLDEN_EMPTY`);
    expect(c.out()).toContain(`npx bootsim capture goldens/${B}/profile.yaml --force`);
  });

  test('corrupt_baseline: expect BASELINE_INVALID and exit 2', async () => {
    const s = setup();
    writeFileSync(s.baseline, '{"version": 2}');
    const c = captureIO();
    expect(await run([], c.io, opts(s))).toBe(2);
    expect(c.err()).toContain('BASELINE_INVALID');
  });

  test('bad_register: expect the unknown family with its position, exit 2', async () => {
    const s = setup();
    writeFileSync(s.divergences, '- profile: x86_64-*\n  family: zones.rnage\n  reason: typo\n');
    const c = captureIO();
    expect(await run([], c.io, opts(s))).toBe(2);
    expect(c.err()).toContain('DIVERGENCE_UNKNOWN_FAMILY');
    expect(c.err()).toMatch(/divergences\.yaml:2:11: family: expected a catalog family \(e\.g\. zones\.header, zones\.range/);
  });

  test('known_divergence_counted: expect the register entry counted apart, the regression still failing', async () => {
    const s = setup();
    await run(['--update-baseline'], captureIO().io, opts(s, replayGolden(s.dir)));
    writeFileSync(s.divergences, `- profile: ${A}\n  family: zones.range\n  reason: test entry\n`);
    const c = captureIO();
    expect(await run([], c.io, opts(s, offByOnePage(s.dir)))).toBe(1);
    expect(c.out()).toContain('known divergences: 1');
    expect(c.out()).toContain('known divergence: test entry');
  });

  test('html_report: expect one self-contained file with the escaped log text', async () => {
    const s = setup();
    const out = tempFile('x', '').replace(/x$/, 'report/out.html');
    // A stand-in simulator with one known mismatch, so the diff's content does not depend on how far the real one has come;
    // recorded first, as a golden the baseline does not record fails on any line that is not exact.
    expect(await run(['--update-baseline'], captureIO().io, opts(s, offByOnePage(s.dir)))).toBe(0);
    expect(await run(['--html', out], captureIO().io, { ...opts(s, offByOnePage(s.dir)), commit: 'c0ffee', now: () => new Date(Date.UTC(2026, 0, 2)) })).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<style>');
    expect(html).toContain('d2h-file-wrapper');
    expect(html).not.toMatch(/<link |<script src=/);
    expect(html).toContain(`id="p-${A}"`);
    expect(html).toContain('commit <code id="commit">c0ffee</code> · generated <time id="date">2026-01-02T00:00:00.000Z</time>');
    // The field delta, with the golden's raw line: its number links to that line of the embedded serial.log.
    const raw = readFileSync(path.join(s.dir, A, 'serial.log'), 'utf8').split('\n');
    const n = raw.findIndex((l) => /DMA32 +\[mem/.test(l)) + 1;
    expect(html).toMatch(new RegExp(`<tr class="bad" data-key="zones\\.range\\[DMA32\\]"><td class="n" data-label="golden line"><a class="ln" href="#p-${A}-L${n}">${n}</a></td>.*<code>zones\\.range\\[DMA32\\]\\.end</code></td><td class="n" data-label="golden">0x1ffdffff</td><td class="n" data-label="sim">0x1ffdefff</td><td class="n" data-label="delta \\(sim − golden\\)">\u22120x1000</td>`));
    expect(html).toContain(`id="p-${A}-L${n}" data-n="${n}">`);
    expect(html).toContain(`<tr class="st-differs" data-status="differs" data-profile="${A}">`);
    // diff2html marks the changed word on each side of the pair.
    expect(html).toContain('DMA32    [mem 0x0000000001000000-<del>0x000000001ffdffff</del>]');
    expect(html).toContain('DMA32    [mem 0x0000000001000000-<ins>0x000000001ffdefff</ins>]');
  });

  test('git_commit: expect the checkout\'s commit for the report header, and unknown outside a repository', () => {
    expect(gitCommit()).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
    expect(gitCommit(scratchDir('bootsim-nogit-'))).toBe('unknown');
  });

  // B is a 6.12 golden: its late Memory: available is compared within the evidence bound.
  const tolerance = volatileFor('mem.summary', 'available', '6.12')!.tolerance;
  const lateBy = (dir: string, by: number) => replayGolden(dir, (l, spec) => (l.fmt === 'mem.summary' && spec.name === B ? { ...l, text: l.text.replace(/Memory: (\d+)K/, (_, n) => `Memory: ${Number(n) + by}K`) } : l));

  test('volatile_within_then_outside: expect the field listed with delta and bound, and a regression once it leaves the bound', async () => {
    const s = setup();
    const u = captureIO();
    expect(await run(['--update-baseline'], u.io, opts(s, lateBy(s.dir, tolerance)))).toBe(0);
    expect(JSON.parse(readFileSync(s.baseline, 'utf8')).profiles[B].exact).toContain('mem.summary#0');
    const c = captureIO();
    expect(await run([], c.io, opts(s, lateBy(s.dir, tolerance + 4)))).toBe(1);
    expect(c.out()).toContain('volatile fields: 1 compared within their evidence bound');
    expect(c.out()).toMatch(new RegExp(`^${B}\\s+mem\\.summary\\.available\\s+\\d+K\\s+\\d+K\\s+\\+${tolerance + 4}K\\s+±${tolerance}K\\s+outside$`, 'm'));
    expect(c.out()).toContain(`REGRESSION ${B}: mem.summary#0 was exact`);
    expect(c.out()).toContain(`(+${tolerance + 4}K, outside ±${tolerance}K)`);
    const j = captureIO();
    await run(['--json'], j.io, opts(s, lateBy(s.dir, tolerance + 4)));
    const o = JSON.parse(j.out());
    expect(o.profiles.find((p: { profile: string }) => p.profile === B).volatile).toEqual([expect.objectContaining({ status: 'out-of-bound', delta: tolerance + 4, tolerance })]);
    expect(o.ratchet.regressions[0].fields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'available', status: 'out-of-bound', tolerance: `±${tolerance}K` })]));
  });

  test('usage: expect exit 2 for an unknown option or operand', async () => {
    const c = captureIO();
    expect(await run(['--nope'], c.io)).toBe(2);
    expect(await run(['extra'], c.io)).toBe(2);
    expect(c.err()).toContain('usage: npx bootsim conformance');
  });
});

describe('conformance state gate', () => {
  const S = 'x86_64-6.1-pc-512m-state';
  // A scratch tree with one state golden: its profile, serial.log and state.log (no re-boot evidence there).
  function stateTree(edit: (log: string) => string = (t) => t): ReturnType<typeof setup> {
    const dir = scratchGoldens([S]);
    writeFileSync(path.join(dir, S, 'state.log'), edit(readFileSync(path.join(goldensDir, S, 'state.log'), 'utf8')));
    const divergences = path.join(dir, 'divergences.yaml');
    writeFileSync(divergences, '[]\n');
    return { dir, baseline: path.join(dir, 'baseline.json'), divergences };
  }

  test('state_field_off_fails: expect exit 0 on the golden as captured, and exit 1 naming the count when a predicted zoneinfo field is off, with or without --update-baseline', async () => {
    const good = stateTree();
    const ok = captureIO();
    expect(await run([], ok.io, opts(good)), ok.out()).toBe(0);
    expect(ok.out()).not.toMatch(/^state: \d+ predicted field/m);
    // DMA32's managed pages (113202 in the capture) one page higher: the simulator's prediction is now off by one
    const bad = stateTree((t) => t.replace(/^(\s+managed\s+)113202$/m, '$1113203'));
    const c = captureIO();
    expect(await run([], c.io, opts(bad))).toBe(1);
    expect(c.out()).toMatch(/^state: 1 predicted field\(s\) mismatched, missing or unclassified/m);
    expect(c.out()).toContain('ratchet: no regressions');
    // no baseline can accept a state field: it has none
    expect(await run(['--update-baseline'], captureIO().io, opts(bad))).toBe(1);
  });
});
