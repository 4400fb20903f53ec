// Property-based fuzzing (fast-check) of what a user can hand bootsim: profile text, serial logs and
// command lines. Properties: no uncoded error escapes (a profile is loaded or refused with a
// ProfileError; a log is normalised without throwing and refused only with a GoldenError; a command
// line ends with exit 0, 1 or 2 and never an INTERNAL code or a stack). How long an input may take is
// `npm run bench`'s (harness/cli/commands/bench.ts inputCeilings: each verb's command line and the
// loader's many-keys file, timed there), not a timed assertion here.
// `npm test` runs a fixed seed over 800 inputs (150 profiles, 500 logs, 150 command lines);
// the full 10,000 (5,000, 3,000 and 2,000) is `npm run fuzz`, which CI runs, with a new seed printed
// on failure (FUZZ_SEED=<n> replays one; any FUZZ_SEED gives the full count). Of the bugs planted to
// check this file (43387a6), the suite's share still finds the two-boot off-by-one (input 4) and the
// damaged-timestamp slip (input 29); the string and size fields taking any scalar (inputs 1915 and
// 2764) are found by the full fuzz and, as 43387a6 checked, by the suite's other tests, so the suite no
// longer pays for 2,000 more YAML parses to find them a third time. A profile input is the dearest
// (a YAML parse, up to 3,000 levels deep, and the schema: two thirds of this file's time at 1,000), and no
// planted bug was found between inputs 30 and 1,000, so the suite runs 150 of them; with the same seed
// they are the first 150 of the full run's 5,000. The command lines went from 500 to 150 and the logs
// from 1,000 to 500 for the same reason (issue 9's npm test budget; each command line runs a verb:
// 500 of them were ~1 s of the suite's CPU): the full run's counts are unchanged, and CI runs them.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { BootsimError } from '../../sim/base/errors.ts';
import { ProfileError, parseProfile } from '../../harness/profile/load.ts';
import { SimError } from '../../sim/lib/errors.ts';
import { GoldenError, normaliseLog, requireUsableGolden } from '../../harness/normalise.ts';
import { main } from '../../harness/cli/main.ts';
import { run as capture } from '../../harness/cli/commands/capture.ts';
import { boundedInt, LIMITS, type NumericOption } from '../../harness/cli/args.ts';
import { UsageError } from '../../harness/cli/usage.ts';
import { FetchError } from '../../qemu-scripts/kernel/fetch.ts';
import type { QemuRunner } from '../../qemu-scripts/capture.ts';
import { captureIO, sampleProfile, sampleSerial, readText } from './cli/helpers.ts';
import { scratchDir } from '../scratch.ts';

const FIXED_SEED = 20261201;
const seed = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : FIXED_SEED;
/** The full run (`npm run fuzz`), and the share of it `npm test` runs on the fixed seed. */
const FULL_RUNS = { profile: 5000, log: 3000, argv: 2000 } as const;
const SUITE_RUNS = { profile: 150, log: 500, argv: 150 } as const;
const RUNS = process.env.FUZZ_SEED ? FULL_RUNS : SUITE_RUNS;
const stats = { inputs: 0, uncoded: 0 };
afterAll(() => {
  console.log(`fuzz seed ${seed}: ${stats.inputs} inputs, uncoded errors ${stats.uncoded}`);
});

const KERNELS = ['6.1-amd64', '6.12-amd64', '5.10-686-pae'];
const good = readText(sampleProfile);

// ── profiles ─────────────────────────────────────────────────────────────────

const key = fc.oneof(fc.constantFrom('name', 'kernel', 'machine', 'memory', 'cpus', 'cpu', 'numa', 'cmdline', 'memroy', 'Kernel', '<<', '? x', '"cpus"', ''), fc.string({ maxLength: 12 }));
const scalar = fc.oneof(
  fc.constantFrom('512M', '4G', '1T', '2T', '0M', '512X', '512', '-1', '1.5', '0x10', '0o777', 'pc', 'q35', 'isapc', '6.1-amd64', 'host', 'qemu64,+la57', 'null', '~', 'true', '*a', '&a 1', '|', '>', '"', "'", '[', '{', ']', '}', '#', '!!str 1', '!!binary x', 'console=x', 'mem=1G', '"a b'),
  fc.integer({ min: -1000, max: 100000 }).map(String),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const flow: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(key, tie('v')), { maxLength: 3 }).map((kv) => `{ ${kv.map(([k, v]) => `${k}: ${v}`).join(', ')} }`),
  ),
})).v;
const line = fc.oneof(
  fc.tuple(key, flow).map(([k, v]) => `${k}: ${v}`),
  fc.tuple(fc.nat(6), flow).map(([n, v]) => `${' '.repeat(n)}- ${v}`),
  fc.tuple(fc.nat(8), key, flow).map(([n, k, v]) => `${' '.repeat(n)}${k}: ${v}`),
  fc.constantFrom('---', '...', '# comment', '', '\t', '%YAML 1.2', 'numa:', '  - { memory: 256M, cpus: [0] }'),
);
/** A valid profile with one edit: a character inserted, deleted or replaced, or a line appended. */
const mutated = fc.tuple(fc.nat(good.length), fc.nat(3), fc.string({ unit: 'grapheme', maxLength: 4 }), line).map(([at, op, s, l]) => {
  if (op === 0) return good.slice(0, at) + s + good.slice(at);
  if (op === 1) return good.slice(0, at) + good.slice(at + 1 + s.length);
  if (op === 2) return good.slice(0, at) + s + good.slice(at + s.length);
  return `${good}${l}\n`;
});
const profileText = fc.oneof(
  mutated,
  fc.array(line, { maxLength: 12 }).map((ls) => ls.join('\n')),
  fc.array(line, { maxLength: 6 }).map((ls) => `kernel: 6.1-amd64\nmachine: pc\nmemory: 512M\ncpus: 2\n${ls.join('\n')}`),
  fc.string({ maxLength: 200 }),
  fc.tuple(fc.constantFrom('[', '{', '- ', '  '), fc.integer({ min: 1, max: 3000 })).map(([u, n]) => `numa: ${u.repeat(n)}`),
);

describe('fuzz: the profile loader', () => {
  test(`parseProfile_never_uncoded: ${RUNS.profile} inputs, each loaded or refused with a ProfileError or an envelope SimError`, () => {
    fc.assert(
      fc.property(profileText, (src) => {
        stats.inputs++;
        try {
          const spec = parseProfile(src, 'fuzz/profile.yaml', { kernelIds: KERNELS });
          expect(spec.memoryBytes).toBeGreaterThan(0);
        } catch (e) {
          // the envelope's limits are SimErrors the loader raises at the field (sim/envelope.ts)
          const envelope = e instanceof SimError && e.pos?.line !== undefined;
          if (!(e instanceof ProfileError) && !envelope) {
            stats.uncoded++;
            throw e;
          }
          expect((e as Error).message.length).toBeLessThan(1000);
        }
      }),
      { seed, numRuns: RUNS.profile },
    );
  }, 120_000);
});

// ── logs ─────────────────────────────────────────────────────────────────────

const realLines = readText(sampleSerial).split('\n');
const logLine = fc.oneof(
  fc.constantFrom(...realLines),
  fc.tuple(fc.constantFrom(...realLines), fc.nat(80), fc.string({ unit: 'binary', maxLength: 6 })).map(([l, at, s]) => l.slice(0, at) + s + l.slice(at + s.length)),
  fc.tuple(fc.constantFrom(...realLines), fc.constantFrom(...realLines)).map(([a, b]) => a + b),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\x1b[2J\x1bc', '[    0.000000] Linux version 6.1.0-56-amd64 (x) #1', '[    0.0] x', '[ 0.000000]', 'Kernel panic - not syncing: x', '\r', '\0'),
);
const logBytes = fc.oneof(
  fc.array(logLine, { maxLength: 120 }).map((ls) => Buffer.from(ls.join('\n'), 'utf8')),
  fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
  fc.tuple(fc.nat(realLines.length), fc.uint8Array({ maxLength: 16 })).map(([cut, junk]) => Buffer.concat([Buffer.from(realLines.slice(0, cut).join('\n')), Buffer.from(junk)])),
);

describe('fuzz: the log normaliser', () => {
  test(`normaliseLog_never_throws: ${RUNS.log} inputs normalised, refused only with a GoldenError`, () => {
    fc.assert(
      fc.property(logBytes, (raw) => {
        stats.inputs++;
        const log = normaliseLog(raw, 'fuzz/serial.log');
        for (const p of log.problems) expect(p.line).toBeGreaterThanOrEqual(0);
        try {
          requireUsableGolden(log);
        } catch (e) {
          if (!(e instanceof GoldenError)) {
            stats.uncoded++;
            throw e;
          }
        }
      }),
      { seed, numRuns: RUNS.log },
    );
  }, 120_000);
});

// ── command lines ────────────────────────────────────────────────────────────

const scratch = scratchDir('bootsim-fuzz-');
const fifo = path.join(scratch, 'fifo');
execFileSync('mkfifo', [fifo]);
const pathArg = fc.constantFrom(sampleProfile, sampleSerial, '/dev/zero', '/dev/null', fifo, scratch, '/proc/x', '/nonexistent/p.yaml', '', '-', 'x86_64-6.1-pc-512m', path.join(scratch, 'n'.repeat(300)));
const flag = fc.constantFrom('--json', '--golden', '--family', '--help', '-h', '--debug', '--runs', '--jobs', '--timeout', '--out', '--all', '--force', '--offline', '--memblock-debug', '--', '--bogus', '-x');
const value = fc.oneof(fc.constantFrom('1', '0', '1e12', '-1', '0x10', 'e820', 'nosuch', 'mem.summary', '3601', '64'), fc.string({ maxLength: 12 }));
const argvArb = fc.tuple(
  fc.constantFrom('sim', 'check', 'explain', 'diff', 'help', 'chekc', '', '--help', 'kernel'),
  fc.array(fc.oneof(pathArg, flag, value), { maxLength: 6 }),
).map(([verb, rest]) => [verb, ...rest]);

/** The capture verb with stand-ins: nothing may boot or download; an input that passes every check reaches the stand-in fetch. */
const never: QemuRunner = async () => {
  throw new Error('fuzz: booted');
};
const noFetch = async (): Promise<never> => {
  throw new FetchError('FETCH_OFFLINE_MISSING', 'fuzz: no kernel is fetched');
};

describe('fuzz: the command line', () => {
  test(`main_never_uncoded: ${RUNS.argv} command lines end with exit 0, 1 or 2 and a coded message`, async () => {
    await fc.assert(
      fc.asyncProperty(argvArb, fc.boolean(), async (argv, viaCapture) => {
        const c = captureIO({ BOOTSIM_OFFLINE: '1' });
        // `kernel fetch` with real ids would read the cache; it is exercised by its own tests.
        const args = argv[0] === 'kernel' ? ['kernel', ...argv.slice(1).filter((a) => a !== 'fetch' && a !== 'facts')] : argv;
        stats.inputs++;
        const status = await (async () => {
          if (!viaCapture) return main(args, c.io);
          try {
            // --all is every golden profile, each an input of its own (what one profile does is the rest's), so it is left out here.
            return await capture(args.slice(1).filter((a) => a !== '--all'), c.io, { runner: never, fetch: noFetch });
          } catch (e) {
            if (e instanceof BootsimError || (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))) return 2;
            stats.uncoded++;
            throw e;
          }
        })();
        expect([0, 1, 2]).toContain(status);
        if (/INTERNAL|\n\s+at \S+:\d+/.test(c.err()) && !args.includes('--debug')) {
          stats.uncoded++;
          throw new Error(`uncoded error for ${JSON.stringify(args)}: ${c.err().slice(0, 300)}`);
        }
      }),
      { seed, numRuns: RUNS.argv },
    );
  }, 300_000);

  const numeric = fc.tuple(fc.constantFrom(...(Object.keys(LIMITS) as NumericOption[])), fc.oneof(fc.string({ maxLength: 30 }), fc.double().map(String), fc.bigInt().map(String)));
  test('boundedInt_total: every string is a number in bounds or a UsageError', () => {
    fc.assert(
      fc.property(numeric, ([opt, text]) => {
        try {
          const n = boundedInt(opt, text);
          expect(n).toBeGreaterThanOrEqual(LIMITS[opt].min);
          expect(n).toBeLessThanOrEqual(LIMITS[opt].max);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
      }),
      { seed, numRuns: 1000 },
    );
  });
});
