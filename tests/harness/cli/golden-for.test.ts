// check and diff compare a profile with the log in its own folder (issue 11), and say which.
import { cpSync, mkdirSync} from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { run as check } from '../../../harness/cli/commands/check.ts';
import { run as diff } from '../../../harness/cli/commands/diff.ts';
import { goldenFor, isGoldenProfile } from '../../../harness/cli/golden-for.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import { captureIO, replayGolden, SAMPLE, sampleProfile, sampleSerial } from './helpers.ts';
import { scratchDir } from '../../scratch.ts';

/** my/<name>/profile.yaml, an edited copy of a golden's profile, with or without its own log. */
function copy(withLog: boolean): string {
  const dir = path.join(scratchDir('bootsim-adhoc-'), SAMPLE);
  mkdirSync(dir);
  cpSync(sampleProfile, path.join(dir, 'profile.yaml'));
  if (withLog) cpSync(sampleSerial, path.join(dir, 'serial.log'));
  return path.join(dir, 'profile.yaml');
}

describe('goldenFor', () => {
  test('goldenFor_golden: expect the golden profile to find goldens/<name>/serial.log', () => {
    expect(goldenFor(loadProfile(sampleProfile))).toEqual({ file: sampleSerial, found: true });
    expect(isGoldenProfile(sampleProfile)).toBe(true);
  });

  test('goldenFor_copy_with_log: expect the log beside the copy, not the repo golden', () => {
    const f = copy(true);
    expect(goldenFor(loadProfile(f))).toEqual({ file: path.join(path.dirname(f), 'serial.log'), found: true });
    expect(isGoldenProfile(f)).toBe(false);
  });

  test('goldenFor_copy_without_log: expect no golden, and a hint naming the repo golden as --golden', () => {
    const g = goldenFor(loadProfile(copy(false)));
    expect(g.found).toBe(false);
    expect(!g.found && g.hint).toMatch(new RegExp(`pass --golden goldens/${SAMPLE}/serial.log`));
  });
});

describe('check and diff of an edited copy', () => {
  test('check_copy_without_log: expect exit 2, never the repo golden silently; --json an error object', async () => {
    const c = captureIO();
    expect(await check([copy(false), '--json'], c.io)).toBe(2);
    expect(JSON.parse(c.out())).toMatchObject({ error: { code: 'CHECK_NO_GOLDEN' } });
  });

  test('check_copy_with_log: expect the summary to name the log beside the copy', async () => {
    const f = copy(true);
    const c = captureIO();
    await check([f], c.io);
    expect(c.out().split('\n')[0]).toBe(`${SAMPLE} (6.1-amd64) against ${path.join(path.dirname(f), 'serial.log')}`);
  });

  test('diff_copy_without_log: expect exit 2 with the hint', async () => {
    const c = captureIO();
    expect(await diff([copy(false)], c.io)).toBe(2);
    expect(c.err()).toMatch(/no golden at .*--out DIR/);
  });

  test('diff_copy_with_log: expect the diff against the log beside the copy', async () => {
    const f = copy(true);
    const c = captureIO();
    await diff([path.dirname(f)], c.io);
    expect(c.out()).toContain(`against ${path.join(path.dirname(f), 'serial.log')}`);
  });

  // expect the re-capture hint of a copy to write beside the copy (--out), never into goldens/<name>/
  test('check_copy_hint: expect `capture <copy> --out <its parent>`', async () => {
    const f = copy(true);
    const c = captureIO();
    let dropped = false;
    const simulate = replayGolden(path.dirname(path.dirname(f)), (l) => { if (!dropped) { dropped = true; return undefined; } return l; });
    expect(await check([f], c.io, { simulate })).toBe(1);
    expect(c.out()).toContain(`re-capture:    npx bootsim capture ${f} --out ${path.dirname(path.dirname(f))} --force`);
    expect(c.out()).not.toContain(`capture goldens/${SAMPLE}`);
  });
});
