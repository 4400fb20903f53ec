import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serialDamage } from '../../harness/capture-damage.ts';
import { loadKernel } from '../../harness/kernels.ts';
import { FIXED_APPEND } from '../../sim/base/cmdline.ts';
import { goldensDir } from '../../sim/base/paths.ts';

const NAME = 'x86_64-6.1-pc-512m';
const serial = readFileSync(path.join(goldensDir, NAME, 'serial.log'));
const kernel = loadKernel('6.1-amd64');
const edited = (from: string, to: string): Buffer => {
  const text = serial.toString('latin1');
  expect(text).toContain(from);
  return Buffer.from(text.replace(from, to), 'latin1');
};

describe('serialDamage', () => {
  it('intact_golden: expect no damage on a committed golden with the command line it was booted with', () => {
    expect(serialDamage(serial, NAME, kernel, FIXED_APPEND)).toBeUndefined();
  });

  it('lost_byte_in_catalog_line: expect the damaged catalog line named ("Ttal pages")', () => {
    expect(serialDamage(edited('Total pages', 'Ttal pages'), NAME, kernel, FIXED_APPEND)).toMatch(/zonelists\.built/);
  });

  it('lost_byte_in_cmdline_echo: expect the echoed command line compared in full ("nokasr")', () => {
    expect(serialDamage(edited('Kernel command line: console=ttyS0 nokaslr', 'Kernel command line: console=ttyS0 nokasr'), NAME, kernel, FIXED_APPEND)).toBe(
      `${NAME}:${serial.toString('latin1').split('\n').findIndex((l) => l.includes('Kernel command line: ')) + 1}: expected the echoed "Kernel command line: ${FIXED_APPEND}", got "Kernel command line: console=ttyS0 nokasr panic=-1 loglevel=8"`,
    );
  });

  it('no_cmdline_given: expect the echo not compared', () => {
    expect(serialDamage(edited('Kernel command line: console=ttyS0 nokaslr', 'Kernel command line: console=ttyS0 nokasr'), NAME, kernel)).toBeUndefined();
  });
});
