import { describe, expect, test } from 'vitest';
import path from 'node:path';
import { run as diff, resolveProfile } from '../../../harness/cli/commands/diff.ts';
import { run as sim } from '../../../harness/cli/commands/sim.ts';
import { loadKernel } from '../../../harness/kernels.ts';
import { goldensDir } from '../../../sim/base/paths.ts';
import { captureIO, replayGolden, sampleProfile, SAMPLE, tempFile } from './helpers.ts';

const ESC = '\u001b[';
const memOff = replayGolden(goldensDir, (l) => (l.fmt === 'mem.summary' ? { ...l, text: l.text.replace(/Memory: (\d+)K/, (_, n) => `Memory: ${Number(n) - 12}K`) } : l));

describe('diff', () => {
  test.each([[SAMPLE], [sampleProfile], [path.join(goldensDir, SAMPLE)]])('resolve_%s: expect the profile file', (arg) => {
    expect(resolveProfile(arg)).toMatch(/x86_64-6\.1-pc-512m\/profile\.yaml$/);
  });

  test('diff_tty_colour: expect ANSI colour, the unified diff and the field deltas', async () => {
    const c = captureIO({}, true);
    expect(await diff([SAMPLE], c.io, { simulate: memOff })).toBe(1);
    expect(c.out()).toContain(ESC);
    expect(c.out()).toMatch(/^\S*--- goldens\/x86_64-6\.1-pc-512m\/serial\.log/m);
    expect(c.out()).toMatch(/mem\.summary\.available: sim \d+K, golden \d+K \(\u221212K\)/);
  });

  test.each([
    ['not a TTY', {}, false],
    ['NO_COLOR', { NO_COLOR: '1' }, true],
  ])('diff_no_colour_%s: expect no escape sequences', async (_n, env, tty) => {
    const c = captureIO(env, tty);
    expect(await diff([SAMPLE], c.io, { simulate: memOff })).toBe(1);
    expect(c.out()).not.toContain(ESC);
    expect(c.out()).toMatch(/^-Memory: /m);
    expect(c.out()).toMatch(/^\+Memory: /m);
  });

  test('diff_volatile_bound: expect the late Memory: available with its delta and bound', async () => {
    const late = 'x86_64-6.12-pc-512m';
    const far = replayGolden(goldensDir, (l) => (l.fmt === 'mem.summary' ? { ...l, text: l.text.replace(/Memory: (\d+)K/, (_, n) => `Memory: ${Number(n) + 4000}K`) } : l));
    const c = captureIO();
    expect(await diff([late], c.io, { simulate: far })).toBe(1);
    expect(c.out()).toMatch(/^ {2}mem\.summary\.available \(volatile\): sim \d+K, golden \d+K \(\+4000K, outside ±\d+K\)$/m);
    expect(c.out()).toContain('log problems: none');
  });

  test('diff_identical: expect exit 0', async () => {
    expect(await diff([SAMPLE], captureIO().io, { simulate: replayGolden(goldensDir) })).toBe(0);
  });

  test('diff_unknown_profile: expect exit 2 and usage', async () => {
    const c = captureIO();
    expect(await diff(['no-such-profile'], c.io)).toBe(2);
    expect(c.err()).toContain('expected a profile name in goldens/ or a profile file, got "no-such-profile"');
  });
});

describe('sim', () => {
  test('sim_bad_profile: expect the coded profile error and exit 2', async () => {
    const c = captureIO();
    expect(await sim([tempFile('profile.yaml', 'kernel: 6.1-amd64\nmachine: pc\nmemory: 512M\ncpus: two\n')], c.io)).toBe(2);
    expect(c.err()).toMatch(/bootsim sim: PROFILE_\w+: /);
  });

  test('sim_profile: expect the simulated lines, or KERNEL_NO_FACTS until the facts are extracted', async () => {
    const c = captureIO();
    const code = await sim([sampleProfile], c.io);
    if (loadKernel('6.1-amd64').facts) {
      expect(code).toBe(0);
      expect(c.err()).toBe('');
    } else {
      expect(code).toBe(2);
      expect(c.err()).toContain('KERNEL_NO_FACTS');
    }
  });

  test('sim_usage: expect exit 2 without a profile', async () => {
    expect(await sim([], captureIO().io)).toBe(2);
  });
});
