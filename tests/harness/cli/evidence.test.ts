import { describe, expect, test } from 'vitest';
import { run } from '../../../harness/cli/commands/evidence.ts';
import { UsageError } from '../../../harness/cli/usage.ts';
import { captureIO, sampleProfile } from './helpers.ts';

describe('evidence', () => {
  test.each([
    ['no profile', [], 'name at least one profile'],
    ['zero boots', [sampleProfile, '--boots', '0'], '--boots: expected a whole number from 1 to 1000, got 0'],
    ['boots not a number', [sampleProfile, '--boots', 'many'], '--boots: expected a whole number from 1 to 1000, got "many"'],
    ['bad timeout', [sampleProfile, '--timeout', '0'], '--timeout: expected a whole number from 1 to 3600, got 0'],
    ['unknown profile', ['no-such-golden'], '"no-such-golden" is neither a profile file nor the name of a golden'],
  ])('evidence_usage_%s: expect a UsageError before anything boots', async (_what, argv, message) => {
    const c = captureIO();
    await expect(run(argv, c.io)).rejects.toThrow(UsageError);
    await expect(run(argv, c.io)).rejects.toThrow(message);
    expect(c.err()).toBe('');
  });
});

describe('evidence refuses before booting', () => {
  // expect --dir onto a file, or under /proc, to be a coded error before anything boots
  test.each([
    ['under /proc', '/proc/x', 'OUTPUT_SPECIAL_FS'],
    ['empty', '', 'OUTPUT_EMPTY'],
  ])('evidence_dir %s: expect %s', async (_what, dir, code) => {
    const c = captureIO();
    await expect(run([sampleProfile, '--dir', dir], c.io)).rejects.toMatchObject({ code });
  });
});
