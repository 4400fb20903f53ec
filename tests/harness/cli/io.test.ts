// Tests for harness/cli/io.ts, what every verb shares: exit codes, colour rules, the error code and the
// one line a user sees, --json error objects, and bigints in JSON output.
import { describe, expect, test } from 'vitest';
import { EXIT, errorCode, oneLine, reportCodedError, toJson, usageError, useColour, writeError, type CliIO } from '../../../harness/cli/io.ts';
import { UsageError } from '../../../harness/cli/usage.ts';
import { SimError } from '../../../sim/lib/errors.ts';

function io(o: Partial<CliIO> = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, env: {}, isTTY: false, ...o, out: () => out, err: () => err };
}

describe('colour and exit codes', () => {
  // expect colour on a terminal only, and never under NO_COLOR (https://no-color.org) or FORCE_COLOR=0
  test('use_colour: expect TTY yes, pipe no, NO_COLOR=1 no, empty NO_COLOR yes, FORCE_COLOR=0 no', () => {
    expect([useColour(io({ isTTY: true })), useColour(io()), useColour(io({ isTTY: true, env: { NO_COLOR: '1' } })), useColour(io({ isTTY: true, env: { NO_COLOR: '' } })), useColour(io({ isTTY: true, env: { FORCE_COLOR: '0' } }))]).toEqual([true, false, false, true, false]);
  });

  // expect 0 for all good, 1 for a difference, 2 for bad input
  test('exit_codes: expect 0, 1, 2', () => {
    expect(EXIT).toEqual({ ok: 0, differs: 1, bad: 2 });
  });
});

describe('errors as the user sees them', () => {
  // expect a coded error's own code, a system call's (ENOENT), node's parseArgs errors as USAGE, else INTERNAL
  test('error_code: expect SIM_NOT_MODELLED, ENOENT, USAGE, INTERNAL', () => {
    const enoent = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    const parse = Object.assign(new TypeError('Unknown option'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    expect([errorCode(new SimError('SIM_NOT_MODELLED', 'e820', 'x')), errorCode(enoent), errorCode(parse), errorCode(new Error('boom')), errorCode('text')]).toEqual(['SIM_NOT_MODELLED', 'ENOENT', 'USAGE', 'INTERNAL', 'INTERNAL']);
  });

  // expect the first line only, cut at 300 characters
  test('one_line: expect the first line, 300 characters and an ellipsis at most', () => {
    expect(oneLine(new Error('first\nsecond'))).toBe('first');
    expect(oneLine('x'.repeat(400))).toBe(`${'x'.repeat(300)}…`);
  });

  // expect a coded error as one stderr line and exit 2, with a JSON object on stdout under --json;
  // an uncoded one says it is a bug and points at --debug, which prints the stack
  test('report_coded_error: expect one line, the JSON object, and the bug note for an uncoded error', () => {
    const a = io({ json: true });
    expect(reportCodedError(a, 'sim', new SimError('SIM_NOT_MODELLED', 'e820', 'memmap=x: expected …'))).toBe(2);
    expect(a.err()).toBe('bootsim sim: SIM_NOT_MODELLED: e820: memmap=x: expected …\n');
    expect(JSON.parse(a.out())).toEqual({ error: { verb: 'sim', code: 'SIM_NOT_MODELLED', message: 'e820: memmap=x: expected …' } });
    const b = io();
    reportCodedError(b, 'check', new Error('boom\nat line 2'));
    expect(b.err()).toBe('bootsim check: INTERNAL: boom (a bug in bootsim: --debug shows where)\n');
    const c = io({ debug: true });
    writeError(c, 'check', 'INTERNAL', 'boom', new Error('boom', { cause: new Error('under') }));
    expect(c.err()).toMatch(/^bootsim check: INTERNAL: boom\nError: boom\n\s+at .*\ncause: Error: under/s);
  });

  // expect usage misuse on stderr with the verb's usage, exit 2, and USAGE in the JSON object
  test('usage_error: expect the message, the usage line and code USAGE', () => {
    const a = io({ json: true });
    expect(usageError(a, 'sim', 'expected one profile, got 2', 'bootsim sim <profile.yaml>')).toBe(2);
    expect(a.err()).toBe('bootsim sim: expected one profile, got 2\nusage: bootsim sim <profile.yaml>\n');
    expect(JSON.parse(a.out()).error.code).toBe('USAGE');
    expect(new UsageError('x').code).toBe('USAGE');
  });

  // expect bigints as 0x hex strings in JSON output, as explain prints addresses
  test('to_json_bigint_hex: expect 0x1ffe0000', () => {
    expect(toJson({ end: 0x1ffe0000n, n: 3 })).toBe('{"end":"0x1ffe0000","n":3}');
  });
});
