// `bootsim capture` checks everything before booting (issue 11): names it cannot honour, outputs it
// cannot write, a cache that is a file; and an ad-hoc capture keeps its profile beside its log.
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { run, CaptureUntilError } from '../../../harness/cli/commands/capture.ts';
import { lastCatalogLine, serialLineReader } from '../../../harness/cli/capture-progress.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { UsageError } from '../../../harness/cli/usage.ts';
import { OutputError } from '../../../sim/base/files.ts';
import { loadProfile } from '../../../harness/profile/load.ts';
import type { QemuRunner } from '../../../qemu-scripts/capture.ts';
import { captureIO, SAMPLE, sampleProfile, sampleSerial } from './helpers.ts';
import { scratchDir } from '../../scratch.ts';

const scratch = (): string => scratchDir('bootsim-capture-cli-');

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

describe('capture --until window and --shard', () => {
  /** Feeds a real golden line by line, as QEMU's serial output arrives, and stops when told to (the signal). */
  const streamed = (sent: { lines: number }): QemuRunner => async (_inv, hooks) => {
    for (const l of readFileSync(sampleSerial).toString('latin1').split(/(?<=\n)/)) {
      if (hooks.signal?.aborted) break;
      hooks.onData(Buffer.from(l, 'latin1'));
      sent.lines++;
    }
    return { exitCode: 0, stderr: '' };
  };

  test.each([
    ['no --out', () => [SAMPLE]],
    ['an --out inside goldens/', () => [SAMPLE, '--out', path.join(goldensDir, SAMPLE)]],
  ])('until_into_goldens %s: expect CAPTURE_UNTIL_GOLDENS before any boot', async (_what, argv) => {
    const e = await refusal([...argv(), '--until', 'window']);
    expect(e).toBeInstanceOf(CaptureUntilError);
    expect((e as CaptureUntilError).code).toBe('CAPTURE_UNTIL_GOLDENS');
    expect((e as Error).message).toMatch(/a golden is a whole boot/);
  });

  test('until_other_value: expect a UsageError naming window', async () => {
    const e = await refusal([adHoc(), '--out', scratch(), '--until', 'slub']);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toBe('--until: expected window, got "slub"');
  });

  // expect QEMU stopped right after the simulator's last catalog line, the log cut there, and every catalog line of the full log in it
  test('until_window_stops_at_last_catalog_line: expect ended window, a shorter log, the same catalog lines', async () => {
    const out = scratch();
    const sent = { lines: 0 };
    const c = captureIO();
    expect(await run([adHoc('quick'), '--out', out, '--until', 'window'], c.io, { runner: streamed(sent), fetch: stubFetch })).toBe(0);
    const dir = path.join(out, 'quick');
    expect(readFileSync(path.join(dir, 'meta.yaml'), 'utf8')).toMatch(/^ended: window$/m);
    const full = readFileSync(sampleSerial, 'latin1').split('\n').length;
    expect(sent.lines).toBeLessThan(full / 2);
    const last = lastCatalogLine(loadProfile(sampleProfile));
    expect(last).toBeDefined();
    const cut = readFileSync(path.join(dir, 'serial.log'), 'latin1');
    expect(cut.endsWith('\n')).toBe(true);
    const read = serialLineReader(loadProfile(sampleProfile).kernel);
    const families = (text: string) => text.split('\n').flatMap((l) => read(l)?.family ?? []);
    expect(families(cut)).toEqual(families(readFileSync(sampleSerial, 'latin1')));
    expect(families(cut).at(-1)).toBe(last!.family);
    expect(c.err()).toMatch(/\[1\/1\] quick: ok in .*, ended by window/);
  });

  test('shard_of_sorted_list: expect --shard 2/2 of three profiles to capture the second in sorted order only', async () => {
    const dir = scratch();
    const files = ['c', 'a', 'b'].map((n) => {
      const f = path.join(dir, `${n}.yaml`);
      cpSync(sampleProfile, f);
      return f;
    });
    const out = scratch();
    const c = captureIO();
    expect(await run([...files, '--out', out, '--shard', '2/2'], c.io, { runner: replay, fetch: stubFetch })).toBe(0);
    expect(readdirSync(out)).toEqual(['b']);
    expect(c.err()).toMatch(/^\[1\/1\] b: ok in /m);
  });

  test('shard_bad: expect a UsageError with the form', async () => {
    const e = await refusal([adHoc(), '--out', scratch(), '--shard', '3/2']);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/^--shard: expected i\/n/);
  });
});
