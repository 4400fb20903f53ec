import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../../harness/cli/commands/check.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { captureIO, replayGolden, sampleProfile, sampleSerial, SAMPLE, tempFile } from './helpers.ts';
import { readGoldenLog } from '../../../harness/compare/catalog-port.ts';
import { volatileFor } from '../../../harness/catalog/volatile.ts';
import { scratchDir } from '../../scratch.ts';

const raw = readFileSync(sampleSerial, 'utf8');
const rawLines = raw.split('\n');
const lineOf = (re: RegExp): number => rawLines.findIndex((l) => re.test(l));

describe('check', () => {
  // A stand-in that leaves out the SLUB line, so the tests do not depend on how far the simulator has come.
  const noSlub = replayGolden(goldensDir, (l) => (l.fmt === 'slub' ? undefined : l));

  test('check_default_golden: expect exit 1 when a line differs, with the commands to act', async () => {
    const c = captureIO();
    expect(await run([sampleProfile], c.io, { simulate: noSlub })).toBe(1);
    expect(c.out()).toMatch(/^missing slub#0 \(golden line \d+\)$/m);
    expect(c.out()).toContain(`${SAMPLE} (6.1-amd64) against goldens/${SAMPLE}/serial.log`);
    expect(c.out()).toContain(`npx bootsim diff ${SAMPLE}`);
    expect(c.out()).toContain(`npx bootsim capture goldens/${SAMPLE}/profile.yaml --force`);
  });

  test('check_json: expect one object with the contract fields', async () => {
    const c = captureIO();
    expect(await run([sampleProfile, '--json'], c.io, { simulate: noSlub })).toBe(1);
    const out = c.out().trim();
    expect(out.split('\n')).toHaveLength(1);
    const j = JSON.parse(out);
    for (const k of ['profile', 'kernel', 'window', 'catalog', 'exact', 'mismatched', 'missing', 'extra', 'coverage', 'exactness', 'lines']) expect(j).toHaveProperty(k);
    expect(j.profile).toBe(SAMPLE);
    expect(j.catalog).toBeGreaterThan(20);
    expect(j.exact + j.mismatched + j.missing).toBe(j.catalog);
    expect(j.missing).toBe(1);
    expect(j.lines).toContainEqual(expect.objectContaining({ family: 'slub', status: 'missing', sim: null }));
    expect(j.lines[0]).toHaveProperty('family');
    expect(j.lines[0]).toHaveProperty('status');
    expect(j.lines[0]).toHaveProperty('golden');
    expect(j.lines[0]).toHaveProperty('sim');
  });

  test('check_all_exact: expect exit 0 when the simulator prints every catalog line', async () => {
    const c = captureIO();
    expect(await run([sampleProfile, '--json'], c.io, { simulate: replayGolden(goldensDir) })).toBe(0);
    const j = JSON.parse(c.out());
    expect(j.exact).toBe(j.catalog);
    expect(j.exactness).toBe(1);
  });

  test('check_mismatch_fields: expect typed field deltas for a changed Memory: line', async () => {
    const c = captureIO();
    const sim = replayGolden(goldensDir, (l) => (l.fmt === 'mem.summary' ? { ...l, text: l.text.replace(/Memory: (\d+)K/, (_, n) => `Memory: ${Number(n) - 12}K`) } : l));
    // An empty register, so the result does not depend on what goldens/divergences.yaml lists today.
    const divergences = tempFile('divergences.yaml', '[]\n');
    expect(await run([sampleProfile], c.io, { simulate: sim, divergences })).toBe(1);
    expect(c.out()).toMatch(/mismatched mem\.summary#0 \(golden line \d+\)/);
    expect(c.out()).toMatch(/mem\.summary\.available: sim \d+K, golden \d+K \(\u221212K\)/);
  });

  test('check_golden_flag: expect a raw log given by --golden to be read the same way', async () => {
    const c = captureIO();
    const f = tempFile('any-name.log', raw);
    expect(await run([sampleProfile, '--golden', f, '--json'], c.io, { simulate: replayGolden(goldensDir) })).toBe(0);
  });

  const truncated = rawLines.slice(0, lineOf(/Zone ranges:/) + 3).join('\n');
  const panicked = [...rawLines.slice(0, lineOf(/Zone ranges:/) + 1), '[    0.050000] Kernel panic - not syncing: Out of memory and no killable processes...', ''].join('\n');
  const binary = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
  test.each([
    ['truncated', truncated, 'GOLDEN_TRUNCATED'],
    ['panicked', panicked, 'GOLDEN_PANICKED'],
    ['binary', binary, 'GOLDEN_BINARY'],
    ['empty', '', 'GOLDEN_EMPTY'],
    ['firmware only', 'SeaBIOS (version 1.16.2-debian-1.16.2-1)\r\nBooting from ROM...\r\n', 'GOLDEN_EMPTY'],
  ])('check_corrupt_golden_%s: expect a coded error and exit 2', async (_name, content, code) => {
    const c = captureIO();
    expect(await run([sampleProfile, '--golden', tempFile('serial.log', content)], c.io)).toBe(2);
    expect(c.err()).toContain(code);
    expect(c.out()).toBe('');
  });

  test('check_unreadable_golden: expect GOLDEN_UNREADABLE with the path', async () => {
    const c = captureIO();
    expect(await run([sampleProfile, '--golden', '/nonexistent/serial.log'], c.io)).toBe(2);
    expect(c.err()).toContain('bootsim check: GOLDEN_UNREADABLE: /nonexistent/serial.log: expected a readable serial log, got ENOENT');
  });

  test('check_bad_profile: expect the profile error code and exit 2', async () => {
    const c = captureIO();
    const f = tempFile('profile.yaml', 'kernel: 6.1-amd64\nmachine: pc\nmemory: 512X\ncpus: 2\n');
    expect(await run([f], c.io)).toBe(2);
    expect(c.err()).toContain('PROFILE_BAD_SIZE');
  });

  test('check_no_golden_yet: expect exit 2 and how to capture one', async () => {
    const c = captureIO();
    const f = tempFile('profile.yaml', 'name: not-captured-yet\nkernel: 6.1-amd64\nmachine: pc\nmemory: 512M\ncpus: 2\n');
    expect(await run([f], c.io)).toBe(2);
    expect(c.err()).toMatch(/no golden at \S+\/serial\.log; capture it with `npx bootsim capture \S+ --out DIR`/);
  });

  test('check_missing_profile: expect exit 2', async () => {
    const c = captureIO();
    expect(await run([path.join(goldensDir, 'no-such', 'profile.yaml')], c.io)).toBe(2);
    expect(c.err()).toContain('PROFILE_FILE_UNREADABLE');
  });

  // A 6.12 golden, whose late Memory: available is volatile; the replay moves it by `by` K.
  const LATE = 'x86_64-6.12-pc-512m';
  const lateProfile = path.join(goldensDir, LATE, 'profile.yaml');
  const tolerance = volatileFor('mem.summary', 'available', '6.12')!.tolerance;
  const moved = (by: number) => replayGolden(goldensDir, (l) => (l.fmt === 'mem.summary' ? { ...l, text: l.text.replace(/Memory: (\d+)K/, (_, n) => `Memory: ${Number(n) + by}K`) } : l));
  const empty = (): string => tempFile('divergences.yaml', '[]\n');

  test('check_volatile_within: expect exact, the delta and its bound shown apart in text and JSON', async () => {
    const c = captureIO();
    expect(await run([lateProfile], c.io, { simulate: moved(tolerance), divergences: empty() })).toBe(0);
    expect(c.out()).toContain('volatile fields, compared within their evidence bound (harness/catalog/volatile.ts): 1 within, 0 outside');
    expect(c.out()).toMatch(new RegExp(`mem\\.summary\\.available \\(volatile\\): sim \\d+K, golden \\d+K \\(\\+${tolerance}K, within ±${tolerance}K\\)`));
    const j = captureIO();
    expect(await run([lateProfile, '--json'], j.io, { simulate: moved(tolerance), divergences: empty() })).toBe(0);
    const o = JSON.parse(j.out());
    expect(o.volatile).toEqual([expect.objectContaining({ key: 'mem.summary#0', path: 'mem.summary.available', status: 'within-bound', delta: tolerance, tolerance, unit: 'kbytes' })]);
  });

  test('check_volatile_outside: expect the line mismatched, exit 1, with delta and bound in text and JSON', async () => {
    const by = -(tolerance + 4);
    const c = captureIO();
    expect(await run([lateProfile], c.io, { simulate: moved(by), divergences: empty() })).toBe(1);
    expect(c.out()).toMatch(/^mismatched mem\.summary#0 \(golden line \d+\)$/m);
    expect(c.out()).toContain(`(\u2212${tolerance + 4}K, outside ±${tolerance}K)`);
    const j = captureIO();
    expect(await run([lateProfile, '--json'], j.io, { simulate: moved(by), divergences: empty() })).toBe(1);
    const o = JSON.parse(j.out());
    expect(o.mismatched).toBe(1);
    expect(o.volatile).toEqual([expect.objectContaining({ status: 'out-of-bound', delta: by, tolerance })]);
    expect(o.lines.find((l: { key: string }) => l.key === 'mem.summary#0')).toMatchObject({ status: 'mismatched', fields: expect.arrayContaining([expect.objectContaining({ name: 'available', status: 'out-of-bound', tolerance: `±${tolerance}K`, bound: { delta: by, tolerance } })]) });
  });

  test('check_log_problems: expect every problem the normaliser collects in text and JSON, none dropped', async () => {
    const name = 'i386-6.1-pae-q35-4g';
    const profile = path.join(goldensDir, name, 'profile.yaml');
    const expected = readGoldenLog(path.join(goldensDir, name, 'serial.log')).problems;
    expect(expected.length).toBeGreaterThan(0);
    const c = captureIO();
    await run([profile], c.io, { simulate: replayGolden(goldensDir) });
    expect(c.out()).toContain(`log problems (${expected.length}):`);
    for (const p of expected) expect(c.out()).toContain(`  golden line ${p.line}: ${p.code}: ${p.message}`);
    const j = captureIO();
    await run([profile, '--json'], j.io, { simulate: replayGolden(goldensDir) });
    expect(JSON.parse(j.out()).problems).toEqual(expected.map((p) => ({ source: 'golden', ...p })));
  });

  test('check_sim_problems: expect a problem in the simulator\'s lines reported too, with its side', async () => {
    const sim = replayGolden(goldensDir, (l) => (l.fmt === 'slub' ? { ...l, text: `${l.text}\u0007` } : l));
    const c = captureIO();
    await run([sampleProfile, '--json'], c.io, { simulate: sim });
    expect(JSON.parse(c.out()).problems).toEqual([expect.objectContaining({ source: 'sim', code: 'CONTROL_CHARS' })]);
    const t = captureIO();
    await run([sampleProfile], t.io, { simulate: sim });
    expect(t.out()).toMatch(/^ {2}sim line \d+: CONTROL_CHARS: control characters removed \(stage replay, fmt slub\)$/m);
  });

  test('check_no_problems: expect the text to say so', async () => {
    const c = captureIO();
    await run([sampleProfile], c.io, { simulate: replayGolden(goldensDir) });
    expect(c.out()).toContain('log problems: none');
  });

  test.each([[[]], [['a', 'b']], [['--nope', sampleProfile]]])('check_usage_%#: expect exit 2 for misuse', async (argv) => {
    const c = captureIO();
    expect(await run(argv, c.io)).toBe(2);
    expect(c.err()).toContain('usage: npx bootsim check');
  });

  // A state golden copied out with its state.log: check compares the state beside the serial log it is given.
  const STATE = 'x86_64-6.1-q35-128m-1cpu-state';
  function stateCopy(edit: (log: string) => string = (l) => l): { profile: string; serial: string } {
    const dir = path.join(scratchDir('bootsim-state-'), STATE);
    mkdirSync(dir);
    for (const f of ['profile.yaml', 'serial.log']) writeFileSync(path.join(dir, f), readFileSync(path.join(goldensDir, STATE, f)));
    writeFileSync(path.join(dir, 'state.log'), edit(readFileSync(path.join(goldensDir, STATE, 'state.log'), 'utf8')));
    return { profile: path.join(dir, 'profile.yaml'), serial: path.join(dir, 'serial.log') };
  }

  test('check_state: expect the state table of a state golden in text and JSON, exit 0 when every predicted field is exact or within', async () => {
    const g = stateCopy();
    const c = captureIO();
    expect(await run([g.profile, '--golden', g.serial], c.io)).toBe(0);
    // the DirectMap lines of this x86_64 golden are ranges (within), the rest exact
    expect(c.out()).toMatch(/^state \(.*state\.log, 1 boot\(s\) with the re-boot evidence\): \d+ of \d+ predicted fields exact, 2 within their source bound, 0 mismatched, 0 missing/m);
    expect(c.out()).toMatch(/^zoneinfo\s+\d+\s+0\s+0\s+0\s+\d+\s+0\s+0$/m);
    const j = captureIO();
    await run([g.profile, '--golden', g.serial, '--json'], j.io);
    expect(JSON.parse(j.out()).state.families).toContainEqual(expect.objectContaining({ family: 'meminfo', mismatched: 0, missing: 0, unclassified: 0 }));
  });

  test('check_state_mismatch: expect a predicted state field off to be named with its delta, and exit 1 although every catalog line is exact', async () => {
    const g = stateCopy((l) => l.replace(/^MemTotal:(\s+)(\d+) kB/m, (_, sp: string, n: string) => `MemTotal:${sp}${Number(n) + 4} kB`));
    const c = captureIO();
    expect(await run([g.profile, '--golden', g.serial], c.io)).toBe(1);
    expect(c.out()).toMatch(/^ {2}x86_64-6\.1-q35-128m-1cpu-state meminfo mismatched: MemTotal: sim (\d+) kB, golden \d+ kB, delta \+4 kB$/m);
    const j = captureIO();
    expect(await run([g.profile, '--golden', g.serial, '--json'], j.io)).toBe(1);
    expect(JSON.parse(j.out())).toMatchObject({ mismatched: 0, missing: 0, extra: 0, state: { differing: [expect.objectContaining({ key: 'MemTotal', status: 'mismatched', delta: '+4 kB' })] } });
  });
});
