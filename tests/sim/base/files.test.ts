// The file edges (issue 11): inputs read only when regular and small enough, checked before reading;
// outputs checked before any work; values quoted to at most 80 characters.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { MAX_GOLDEN_BYTES, NAME_MAX, OutputError, QUOTE_MAX, checkOutputDir, checkOutputFile, quoteValue, readBoundedFile } from '../../../sim/base/files.ts';
import { GoldenError, readLogBytes } from '../../../harness/normalise.ts';
import { scratchDir } from '../../scratch.ts';

const scratch = (): string => scratchDir('bootsim-files-');

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof OutputError || e instanceof GoldenError) return e.code;
    throw e;
  }
  return 'none';
}

describe('readBoundedFile', () => {
  test('readBoundedFile_regular: expect the bytes', () => {
    const f = path.join(scratch(), 'a');
    writeFileSync(f, 'abc');
    const r = readBoundedFile(f, 3);
    expect(r.ok && r.bytes.toString()).toBe('abc');
  });

  test('readBoundedFile_over_by_one: expect too-large with size and limit', () => {
    const f = path.join(scratch(), 'a');
    writeFileSync(f, 'abcd');
    expect(readBoundedFile(f, 3)).toEqual({ ok: false, refusal: { kind: 'too-large', size: 4, limit: 3 } });
  });

  test.each([
    ['a directory', () => scratch()],
    ['a FIFO', () => { const f = path.join(scratch(), 'p'); execFileSync('mkfifo', [f]); return f; }],
    ['a character device', () => '/dev/zero'],
  ])('readBoundedFile_refuses %s: expect not-regular, at once', (kind, make) => {
    expect(readBoundedFile(make(), 1024)).toEqual({ ok: false, refusal: { kind: 'not-regular', found: kind } });
  });

  test('readBoundedFile_missing: expect unreadable ENOENT', () => {
    expect(readBoundedFile(path.join(scratch(), 'none'), 1)).toMatchObject({ ok: false, refusal: { kind: 'unreadable', reason: 'ENOENT' } });
  });
});

describe('readLogBytes (goldens and --golden)', () => {
  // expect a sparse 300 MiB log to be refused from its size, with the 256 MiB limit in the message
  test('readLogBytes_too_large: expect GOLDEN_TOO_LARGE naming 256 MiB', () => {
    const f = path.join(scratch(), 'serial.log');
    writeFileSync(f, '');
    truncateSync(f, MAX_GOLDEN_BYTES + 44 * 1024 * 1024);
    expect(code(() => readLogBytes(f))).toBe('GOLDEN_TOO_LARGE');
    expect(() => readLogBytes(f)).toThrow(/at most 256 MiB, got 300 MiB/);
  });

  test.each([['/dev/zero'], ['fifo']])('readLogBytes_not_regular %s: expect GOLDEN_NOT_A_FILE', (what) => {
    let f = what;
    if (what === 'fifo') { f = path.join(scratch(), 'p'); execFileSync('mkfifo', [f]); }
    expect(code(() => readLogBytes(f))).toBe('GOLDEN_NOT_A_FILE');
  });
});

describe('output checks', () => {
  test('checkOutputDir_new: expect a folder that does not exist yet to be accepted under a writable one', () => {
    const d = path.join(scratch(), 'a', 'b');
    expect(checkOutputDir(d, '--out')).toBe(d);
  });

  test.each([
    ['under /proc', () => '/proc/x', 'OUTPUT_SPECIAL_FS'],
    ['under /sys', () => '/sys/kernel/x', 'OUTPUT_SPECIAL_FS'],
    ['empty', () => '', 'OUTPUT_EMPTY'],
    ['a file', () => { const f = path.join(scratch(), 'f'); writeFileSync(f, ''); return f; }, 'OUTPUT_NOT_DIR'],
    ['under a file', () => { const f = path.join(scratch(), 'f'); writeFileSync(f, ''); return path.join(f, 'sub'); }, 'OUTPUT_NOT_DIR'],
    ['a 300-byte name', () => path.join(scratch(), 'x'.repeat(300)), 'OUTPUT_NAME_TOO_LONG'],
  ])('checkOutputDir_refuses %s: expect %s', (_what, make, expected) => {
    expect(code(() => checkOutputDir(make(), '--out'))).toBe(expected);
  });

  test('checkOutputDir_name_max: expect a name of exactly NAME_MAX bytes to be accepted', () => {
    expect(() => checkOutputDir(path.join(scratch(), 'x'.repeat(NAME_MAX)), '--out')).not.toThrow();
  });

  test.each([
    ['a folder', () => scratch(), 'OUTPUT_IS_DIR'],
    ['under a file', () => { const f = path.join(scratch(), 'f'); writeFileSync(f, ''); return path.join(f, 'r.html'); }, 'OUTPUT_NOT_DIR'],
    ['/dev/null', () => '/dev/null', 'OUTPUT_SPECIAL_FS'],
    ['empty', () => '', 'OUTPUT_EMPTY'],
  ])('checkOutputFile_refuses %s: expect %s', (_what, make, expected) => {
    expect(code(() => checkOutputFile(make(), '--html'))).toBe(expected);
  });

  // Root may write anywhere, so the permission check can only be seen as another user.
  test.skipIf(process.getuid?.() === 0)('checkOutputDir_unwritable: expect OUTPUT_UNWRITABLE for a read-only folder', () => {
    const d = scratch();
    mkdirSync(path.join(d, 'ro'));
    chmodSync(path.join(d, 'ro'), 0o555);
    expect(code(() => checkOutputDir(path.join(d, 'ro', 'out'), '--out'))).toBe('OUTPUT_UNWRITABLE');
  });
});

describe('quoteValue', () => {
  test('quoteValue_short: expect plain JSON quoting', () => {
    expect(quoteValue('a"b')).toBe('"a\\"b"');
  });
  test('quoteValue_long: expect QUOTE_MAX characters and the length', () => {
    const q = quoteValue('y'.repeat(1_000_000));
    expect(q).toBe(`"${'y'.repeat(QUOTE_MAX)}"… (1000000 characters)`);
  });
});
