// `bootsim capture` of a probe: state golden, end to end with a replayed boot: the image is prepared
// once per arch and handed to the boot, the serial log and the state log come apart at the probe's
// first marker, and a state log the parser refuses is a capture failure that writes nothing.
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { run, stateProblem } from '../../../harness/cli/commands/capture.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { readInitramfsFacts, type PreparedImage, type StateImageId } from '../../../qemu-scripts/initramfs/image.ts';
import type { QemuRunner } from '../../../qemu-scripts/capture.ts';
import type { Arch } from '../../../sim/types.ts';
import { captureIO } from './helpers.ts';
import { scratchDir } from '../../scratch.ts';

const NAME = 'x86_64-6.1-pc-512m-state';
const golden = path.join(goldensDir, NAME);
const serial = readFileSync(path.join(golden, 'serial.log'));
const state = readFileSync(path.join(golden, 'state.log'));
const stubFetch = async (): Promise<{ deb: string; imageRoot: string; configRoot: string; vmlinuz: string; config: string }> => ({ deb: '', imageRoot: '', configRoot: '', vmlinuz: '/v', config: '' });

/** The golden's boot as QEMU would stream it: the kernel part, the probe's blocks, then the power-off line. */
function replay(stateBytes: Buffer, seen: { initrd?: string }): QemuRunner {
  return async (inv, hooks) => {
    const i = inv.args.indexOf('-initrd');
    if (i >= 0) seen.initrd = inv.args[i + 1];
    hooks.onData(serial);
    hooks.onData(stateBytes);
    hooks.onData(Buffer.from('[    9.000000] reboot: Power down\r\n'));
    return { exitCode: 0, stderr: '' };
  };
}

function adHoc(): string {
  const dir = scratchDir('bootsim-probe-in-');
  cpSync(path.join(golden, 'profile.yaml'), path.join(dir, `${NAME}.yaml`));
  return path.join(dir, `${NAME}.yaml`);
}

describe('capture of a probe: state profile', () => {
  test('capture_probe_golden: expect the golden\'s serial.log and state.log back byte for byte, -initrd the prepared image, its facts in meta.yaml', async () => {
    const out = scratchDir('bootsim-probe-out-');
    const asked: StateImageId[] = [];
    const image = async (arch: StateImageId): Promise<PreparedImage> => {
      asked.push(arch);
      return { file: '/cache/initramfs/probe.cpio', facts: readInitramfsFacts(arch) };
    };
    const seen: { initrd?: string } = {};
    const c = captureIO();
    expect(await run([adHoc(), '--out', out], c.io, { runner: replay(state, seen), fetch: stubFetch, stateImage: image })).toBe(0);
    const dir = path.join(out, NAME);
    expect(readFileSync(path.join(dir, 'serial.log')).equals(serial)).toBe(true);
    expect(readFileSync(path.join(dir, 'state.log')).equals(state)).toBe(true);
    expect(asked).toEqual(['x86_64']);
    expect(seen.initrd).toBe('/cache/initramfs/probe.cpio');
    const meta = parse(readFileSync(path.join(dir, 'meta.yaml'), 'utf8'));
    expect(meta.state.initramfs).toEqual(readInitramfsFacts('x86_64'));
    expect(meta.state.bytes).toBe(state.length);
    expect(meta.ended).toBe('exit');
  });

  test('capture_probe_bad_state: expect a state log with a line its block cannot hold to fail the capture, nothing written', async () => {
    const out = scratchDir('bootsim-probe-out-');
    const broken = Buffer.from(state.toString('latin1').replace('MemTotal:', 'MemTotal'), 'latin1');
    const c = captureIO();
    const image = async (arch: StateImageId): Promise<PreparedImage> => ({ file: '/x.cpio', facts: readInitramfsFacts(arch) });
    expect(await run([adHoc(), '--out', out], c.io, { runner: replay(broken, {}), fetch: stubFetch, stateImage: image })).toBe(1);
    expect(c.err()).toMatch(/CAPTURE_STATE_INVALID: .*STATE_BAD_LINE: .*\/proc\/meminfo: expected "Key:  value kB"/);
    expect(existsSync(path.join(out, NAME)) ? readdirSync(path.join(out, NAME)).filter((f) => f.endsWith('.log')) : []).toEqual([]);
  });

  test('stateProblem: expect undefined for every committed state log, and the code for a cut one', () => {
    expect(stateProblem(state, NAME)).toBeUndefined();
    expect(stateProblem(state.subarray(0, state.length - 30), NAME)).toMatch(/^STATE_NOT_DONE: /);
  });
});
