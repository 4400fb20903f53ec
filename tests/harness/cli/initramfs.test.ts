// `bootsim initramfs`: the refusals that come before anything is fetched or built.
import { describe, expect, test } from 'vitest';
import { main } from '../../../harness/cli/main.ts';
import { captureIO } from './helpers.ts';

describe('bootsim initramfs', () => {
  test.each<[string, string[], RegExp]>([
    ['no_subcommand', ['initramfs'], /expected a subcommand: build/],
    ['unknown_subcommand', ['initramfs', 'make'], /unknown initramfs subcommand "make"; expected build/],
    ['bad_arch', ['initramfs', 'build', '--arch', 'arm64'], /--arch: expected x86_64, i386, i386-mini, got "arm64"/],
    ['out_needs_arch', ['initramfs', 'build', '--out', '/tmp/x.cpio'], /--out writes one image: give --arch too/],
    ['positional', ['initramfs', 'build', 'x86_64'], /takes no names, got "x86_64"/],
  ])('initramfs_%s: expect exit 2 and the usage problem', async (_name, argv, message) => {
    const c = captureIO();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(message);
    expect(c.err()).toContain('usage: bootsim initramfs build');
  });

  test('initramfs_help: expect the verb listed in bootsim help', async () => {
    const c = captureIO();
    expect(await main(['help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/initramfs\s+build the state probe's initramfs/);
  });
});
