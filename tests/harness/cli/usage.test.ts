// Tests for harness/cli/usage.ts: UsageError is the coded error of command-line misuse, reported with
// exit 2 and the verb's usage (harness/cli/io.ts usageError; main.test.ts runs the verbs).
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../../harness/cli/usage.ts';
import { BootsimError } from '../../../sim/base/errors.ts';
import { errorCode, reportCodedError, type CliIO } from '../../../harness/cli/io.ts';

describe('UsageError', () => {
  // expect code USAGE, the message as given, a BootsimError, so a verb reports it as a coded error with exit 2
  test('usage_error_coded: expect USAGE, the message, exit 2 on one stderr line', () => {
    const e = new UsageError('--runs: expected a whole number from 1 to 10000, got "0"');
    expect([e.code, e.message, e instanceof BootsimError, errorCode(e)]).toEqual(['USAGE', '--runs: expected a whole number from 1 to 10000, got "0"', true, 'USAGE']);
    let err = '';
    const io: CliIO = { stdout: () => {}, stderr: (s) => { err += s; }, env: {}, isTTY: false };
    expect(reportCodedError(io, 'bench', e)).toBe(2);
    expect(err).toBe('bootsim bench: USAGE: --runs: expected a whole number from 1 to 10000, got "0"\n');
  });
});
