// `bootsim capture` checks everything before booting (issue 11): names it cannot honour, outputs it
// cannot write, a cache that is a file; and an ad-hoc capture keeps its profile beside its log.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { run } from '../../../harness/cli/commands/capture.ts';
import { UsageError } from '../../../harness/cli/usage.ts';
import { OutputError } from '../../../sim/base/files.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import type { QemuRunner } from '../../../qemu-scripts/capture.ts';
import { captureIO, sampleProfile, sampleSerial } from './helpers.ts';

const scratch = (): string => mkdtempSync(path.join(tmpdir(), 'bootsim-capture-cli-'));

/** A runner that must never be reached: these refusals come before any boot. */
const never: QemuRunner = async () => {
  throw new Error('booted, but the input should have been refused first');
};
const noFetch = async (): Promise<never> => {
  throw new Error('fetched, but the input should have been refused first');
};
/** Replays a real golden's bytes, as QEMU would have written them. */
const replay: QemuRunner = async (_inv, hooks) => {
  hooks.onData(readFileSync(sampleSerial));
  return { exitCode: 0, stderr: '' };
};
const stubFetch = async (): Promise<{ deb: string; imageRoot: string; configRoot: string; vmlinuz: string; config: string }> => ({ deb: '', imageRoot: '', configRoot: '', vmlinuz: '/v', config: '' });

function adHoc(name = 'my-box'): string {
  const f = path.join(scratch(), `${name}.yaml`);
  cpSync(sampleProfile, f);
  return f;
}

async function refusal(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  const c = captureIO(env);
  return run(argv, c.io, { runner: never, fetch: noFetch }).then(() => undefined, (e: unknown) => e);
}

describe('capture refuses before booting', () => {
  test('capture_all_with_names: expect a UsageError naming what --all cannot take', async () => {
    const e = await refusal(['--all', 'no-such-name']);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/--all captures every golden; it takes no names, got "no-such-name"/);
  });

  test('capture_adhoc_without_out: expect a UsageError asking for --out', async () => {
    const e = await refusal([adHoc()]);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/is not a golden profile .*--out DIR/);
  });

  test.each([
    ['under /proc', () => '/proc/x', 'OUTPUT_SPECIAL_FS'],
    ['onto a file', () => { const f = path.join(scratch(), 'f'); writeFileSync(f, ''); return f; }, 'OUTPUT_NOT_DIR'],
    ['a 300-character name', () => path.join(scratch(), 'n'.repeat(300)), 'OUTPUT_NAME_TOO_LONG'],
  ])('capture_out %s: expect %s before any boot', async (_what, out, code) => {
    const e = await refusal([adHoc(), '--out', out()]);
    expect(e).toBeInstanceOf(OutputError);
    expect((e as OutputError).code).toBe(code);
  });

  // expect the profile's name, joined to --out, to be checked too
  test('capture_out_long_profile_name: expect OUTPUT_NAME_TOO_LONG for a 250-byte --out and a long name', async () => {
    const dir = scratch();
    const f = path.join(dir, 'p.yaml');
    writeFileSync(f, `name: ${'a'.repeat(256)}\n${readFileSync(sampleProfile, 'utf8')}`);
    const e = await refusal([f, '--out', path.join(dir, 'out')]);
    expect((e as OutputError).code).toBe('OUTPUT_NAME_TOO_LONG');
  });

  test('capture_cache_is_a_file: expect OUTPUT_NOT_DIR naming BOOTSIM_CACHE', async () => {
    const f = path.join(scratch(), 'cache');
    writeFileSync(f, '');
    const c = captureIO({ BOOTSIM_CACHE: f });
    const e = await run([adHoc(), '--out', scratch()], c.io, { runner: never }).then(() => undefined, (x: unknown) => x);
    expect((e as OutputError).code).toBe('OUTPUT_NOT_DIR');
    expect((e as Error).message).toMatch(/BOOTSIM_CACHE/);
  });
});

describe('ad-hoc capture with --out', () => {
  // expect DIR/<name>/ to hold the log, its provenance and the profile, which then loads with the same name
  test('capture_out_keeps_profile: expect profile.yaml beside serial.log and meta.yaml', async () => {
    const out = scratch();
    const c = captureIO();
    expect(await run([adHoc('my-box'), '--out', out], c.io, { runner: replay, fetch: stubFetch })).toBe(0);
    expect(readdirSync(path.join(out, 'my-box')).sort()).toEqual(['meta.yaml', 'profile.yaml', 'serial.log']);
    expect(loadProfile(path.join(out, 'my-box', 'profile.yaml')).name).toBe('my-box');
    expect(readFileSync(path.join(out, 'my-box', 'serial.log')).equals(readFileSync(sampleSerial))).toBe(true);
  });
});
