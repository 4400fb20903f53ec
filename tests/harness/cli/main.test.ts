// The top level of the CLI (issue 11): every error is one line with a code and exit 2, --debug adds
// the stack, --json adds a JSON error object, EPIPE ends quietly, numeric options are bounded.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { main } from '../../../harness/cli/main.ts';
import { errorCode, reportCodedError, toJson } from '../../../harness/cli/io.ts';
import { boundedInt, LIMITS } from '../../../harness/cli/args.ts';
import { UsageError } from '../../../harness/cli/usage.ts';
import { repoRoot } from '../../../sim/base/paths.ts';
import { captureIO, sampleProfile } from './helpers.ts';

describe('main', () => {
  // expect a misspelt verb to be named with the nearest one
  test('main_unknown_verb: expect exit 2 and a did-you-mean', async () => {
    const c = captureIO();
    expect(await main(['chekc'], c.io)).toBe(2);
    expect(c.err()).toMatch(/^bootsim: unknown verb "chekc"; did you mean "check"\?/);
  });

  // expect `help sim` to print sim's usage, not the global help
  test('main_help_verb: expect the verb usage and exit 0', async () => {
    const c = captureIO();
    expect(await main(['help', 'sim'], c.io)).toBe(0);
    expect(c.out()).toMatch(/^usage: npx bootsim sim /);
    expect(c.out()).not.toMatch(/conformance/);
  });

  // expect help of an unknown verb to be refused as an unknown verb
  test('main_help_unknown: expect exit 2', async () => {
    const c = captureIO();
    expect(await main(['help', 'nosuch'], c.io)).toBe(2);
    expect(c.err()).toMatch(/unknown verb "nosuch"/);
  });

  // expect an error under --json to be one JSON object on stdout as well as the line on stderr
  test('main_json_error: expect {"error":{code,message}} on stdout', async () => {
    const c = captureIO();
    expect(await main(['sim', '/dev/zero', '--json'], c.io)).toBe(2);
    expect(JSON.parse(c.out())).toEqual({ error: { verb: 'sim', code: 'PROFILE_NOT_A_FILE', message: expect.stringMatching(/expected a regular file, got a character device/) } });
    expect(c.err().trim().split('\n')).toHaveLength(1);
  });

  // expect a usage error under --json to be a JSON object too
  test('main_json_usage: expect code USAGE in JSON', async () => {
    const c = captureIO();
    expect(await main(['check', '--json'], c.io)).toBe(2);
    expect(JSON.parse(c.out())).toMatchObject({ error: { code: 'USAGE' } });
  });

  // expect sim --json to serialise the bigint terms of explain as hex strings
  test('main_sim_json_bigint: expect valid JSON with 0x… strings', async () => {
    const c = captureIO();
    expect(await main(['sim', sampleProfile, '--json'], c.io)).toBe(0);
    const lines = JSON.parse(c.out()) as unknown[];
    expect(lines.length).toBeGreaterThan(20);
    expect(c.out()).toMatch(/"0x[0-9a-f]+"/);
  });

  test('toJson_bigint: expect 0x-prefixed hex', () => {
    expect(toJson({ a: 255n, b: [1n] })).toBe('{"a":"0xff","b":["0x1"]}');
  });
});

describe('errors without a code of their own', () => {
  // expect a plain Error to be reported as INTERNAL in one line, and --debug to add the stack
  test.each([false, true])('reportCodedError_internal debug=%s: expect INTERNAL, stack only with --debug', (debug) => {
    const c = captureIO();
    const io = { ...c.io, debug };
    expect(reportCodedError(io, 'sim', new Error('boom\nsecond line'))).toBe(2);
    expect(c.err()).toMatch(/^bootsim sim: INTERNAL: boom/);
    expect(c.err().split('\n')[0]!.includes('second line')).toBe(false);
    expect(/at .*main\.test\.ts/.test(c.err())).toBe(debug);
  });

  // expect a system error to keep its errno code
  test('errorCode_errno: expect EISDIR, and USAGE for parseArgs errors', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'EISDIR' }))).toBe('EISDIR');
    expect(errorCode(Object.assign(new TypeError('x'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }))).toBe('USAGE');
    expect(errorCode('a string')).toBe('INTERNAL');
  });
});

describe('numeric options are bounded', () => {
  test.each([
    ['runs', '1e12'], ['runs', '0'], ['runs', '100001'], ['runs', '0x10'], ['runs', ' 5'], ['runs', '-1'], ['runs', '1.5'], ['runs', ''],
    ['jobs', '65'], ['jobs', '0'], ['jobs', 'many'],
    ['timeout', '0'], ['timeout', '3601'], ['timeout', 'Infinity'], ['timeout', '1e3'],
    ['boots', '1001'], ['boots', '99999999999999999999'],
  ] as const)('boundedInt_refuses --%s %j: expect a UsageError with the range', (opt, text) => {
    expect(() => boundedInt(opt, text)).toThrow(UsageError);
    expect(() => boundedInt(opt, text)).toThrow(`--${opt}: expected a whole number from ${LIMITS[opt].min} to ${LIMITS[opt].max}`);
  });

  test.each([['runs', '1', 1], ['runs', '100000', 100000], ['jobs', '64', 64], ['timeout', '3600', 3600]] as const)('boundedInt_accepts --%s %s', (opt, text, n) => {
    expect(boundedInt(opt, text)).toBe(n);
  });

  // expect the verbs to use the bounds (through main: exit 2, nothing run)
  test.each([
    [['bench', '--runs', '1e12']],
    [['capture', sampleProfile, '--jobs', '1000']],
    [['capture', sampleProfile, '--timeout', '1e9']],
  ])('main_bounds %j: expect exit 2 before any work', async (argv) => {
    const c = captureIO();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.err()).toMatch(/expected a whole number from/);
  });
});

// expect a reader that closes the pipe early to end bootsim quietly: no stack, status 141. The pipe
// is closed before bootsim writes, so its first write fails, whatever the output's size (a reader
// that read one chunk of a large output, `conformance --json | head -c 1`, meets the same handler).
test('bin_epipe: expect `sim <profile> | head -c 0` to end with no message', async () => {
  const child = spawn(process.execPath, [path.join(repoRoot, 'harness/cli/bin.cjs'), 'sim', sampleProfile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const status = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  expect(err.replace(/^bootsim: the build in dist\/ is missing.*\n/, '')).toBe('');
  expect(status).toBe(141);
}, 60_000);
