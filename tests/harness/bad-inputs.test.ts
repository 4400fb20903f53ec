// Replays the committed corpus of bad inputs (tests/fixtures/bad-inputs/cases.json, written by its
// make.ts): each profile, log and argv is refused with its code, at its position.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../sim/base/paths.ts';
import { ProfileError, loadProfile } from '../../harness/profile/load.ts';
import { readGoldenLog } from '../../harness/compare/catalog-port.ts';
import { GoldenError } from '../../harness/normalise.ts';
import { main } from '../../harness/cli/main.ts';
import { captureIO } from './cli/helpers.ts';

const dir = path.join(repoRoot, 'tests/fixtures/bad-inputs');
interface Case { readonly kind: 'profile' | 'log' | 'argv'; readonly file?: string; readonly name?: string; readonly argv?: string[]; readonly code: string; readonly line?: number; readonly col?: number }
const cases = JSON.parse(readFileSync(path.join(dir, 'cases.json'), 'utf8')) as Case[];

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

test('corpus_size: expect at least 120 bad inputs', () => {
  expect(cases.length).toBeGreaterThanOrEqual(120);
});

describe('bad profiles', () => {
  test.each(cases.filter((c) => c.kind === 'profile').map((c) => [c.file!, c] as const))('%s', (_f, c) => {
    const e = thrown(() => loadProfile(path.join(dir, c.file!)));
    expect(e, 'expected a ProfileError').toBeInstanceOf(ProfileError);
    const pe = e as ProfileError;
    expect({ code: pe.code, line: pe.pos?.line, col: pe.pos?.col }).toEqual({ code: c.code, line: c.line, col: c.col });
    expect(pe.message.length, 'a message quotes at most 80 characters of a value').toBeLessThan(600);
  });
});

describe('bad logs', () => {
  test.each(cases.filter((c) => c.kind === 'log').map((c) => [c.file!, c] as const))('%s', (_f, c) => {
    const e = thrown(() => readGoldenLog(path.join(dir, c.file!), c.file!));
    expect(e, 'expected a GoldenError').toBeInstanceOf(GoldenError);
    const ge = e as GoldenError;
    expect({ code: ge.code, line: ge.pos?.line }).toEqual({ code: c.code, line: c.line });
  });
});

describe('bad command lines', () => {
  test.each(cases.filter((c) => c.kind === 'argv').map((c) => [c.name!, c] as const))('%s', async (_n, c) => {
    const io = captureIO();
    const argv = c.argv!.map((a) => (a.startsWith('goldens/') ? path.join(repoRoot, a) : a));
    expect(await main(argv, io.io)).toBe(2);
    const coded = /^bootsim (?:\w+ )?\w*:? ?([A-Z][A-Z0-9_]+): /m.exec(io.err())?.[1];
    expect(coded ?? 'USAGE').toBe(c.code);
    expect(io.err()).not.toMatch(/INTERNAL|\n\s+at /);
  });
});
