// check --golden questions the log (issue 11): a banner of another kernel, arch or release is warned
// about; a log of two boots is refused; every log problem shows in text and in JSON.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../../harness/cli/commands/check.ts';
import { goldensDir, repoRoot } from '../../../sim/base/paths.ts';
import { captureIO, sampleProfile, sampleSerial, tempFile } from './helpers.ts';

const golden = (n: string): string => path.join(goldensDir, n, 'serial.log');
const warnings = async (log: string): Promise<{ err: string; json: string[] }> => {
  const t = captureIO();
  await run([sampleProfile, '--golden', log], t.io);
  const j = captureIO();
  await run([sampleProfile, '--golden', log, '--json'], j.io);
  return { err: t.err(), json: (JSON.parse(j.out()) as { warnings: string[] }).warnings };
};

describe('check --golden: the banner', () => {
  test.each([
    ['another kernel version', golden('x86_64-6.12-pc-512m'), /banner names Linux 6\.12\.115\+deb12-amd64, another kernel version than the profile's kernel 6\.1-amd64/],
    ['another arch', golden('i386-6.1-686-pc-1g'), /banner names Linux 6\.1\.0-50-686, another arch than/],
    ['another release', tempFile('serial.log', readFileSync(sampleSerial, 'latin1').replace('Linux version 6.1.0-56-amd64', 'Linux version 6.1.0-55-amd64')), /banner names Linux 6\.1\.0-55-amd64, another release than/],
  ])('check_banner %s: expect a warning on stderr and in JSON', async (_what, log, re) => {
    const w = await warnings(log);
    expect(w.err).toMatch(new RegExp(`bootsim check: warning: .*${re.source}`));
    expect(w.json).toHaveLength(1);
    expect(w.json[0]).toMatch(re);
  });

  test('check_banner_same: expect no warning for the profile\'s own kernel', async () => {
    const w = await warnings(sampleSerial);
    expect(w.err).not.toMatch(/warning/);
    expect(w.json).toEqual([]);
  });
});

describe('check --golden: what the log holds', () => {
  // expect two boots concatenated to be refused at the second banner
  test('check_two_boots: expect exit 2, GOLDEN_SEVERAL_BOOTS, and a JSON error under --json', async () => {
    const raw = readFileSync(sampleSerial);
    const lines = raw.toString('latin1').split('\n').length;
    const log = tempFile('two.log', Buffer.concat([raw, raw]));
    const c = captureIO();
    expect(await run([sampleProfile, '--golden', log, '--json'], { ...c.io, json: true })).toBe(2);
    expect(c.err()).toMatch(/GOLDEN_SEVERAL_BOOTS: .*two\.log:\d+: expected one boot, got 2 "Linux version" banners/);
    const e = JSON.parse(c.out()) as { error: { code: string; message: string } };
    expect(e.error.code).toBe('GOLDEN_SEVERAL_BOOTS');
    expect(Number(/two\.log:(\d+)/.exec(e.error.message)![1])).toBeGreaterThan(lines - 1);
  });

  // expect invalid UTF-8 inside the window to be listed, in text and in JSON, with its line
  test('check_invalid_utf8: expect INVALID_UTF8 with its line in text and JSON', async () => {
    const log = path.join(repoRoot, 'tests/fixtures/logs/non-utf8-6.1-x86_64-pc-512m.log');
    const t = captureIO();
    await run([sampleProfile, '--golden', log], t.io);
    expect(t.out()).toMatch(/log problems \(\d+\):[\s\S]*INVALID_UTF8/);
    const j = captureIO();
    await run([sampleProfile, '--golden', log, '--json'], j.io);
    const r = JSON.parse(j.out()) as { problems: Array<{ code: string; line: number }> };
    const bad = r.problems.filter((p) => p.code === 'INVALID_UTF8');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((p) => p.line > 0)).toBe(true);
    expect(t.out().match(/INVALID_UTF8/g)?.length).toBe(bad.length);
  });
});
