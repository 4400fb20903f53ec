// The edges where a user's path meets the file system: inputs are read with a size limit and only
// when they are regular files (a FIFO or /dev/zero would block or never end), and outputs are
// checked before any work (writable, a folder, not under /proc, each name at most NAME_MAX bytes),
// so that a boot or a simulation is never spent on a result that cannot be written.
import { accessSync, closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { BootsimError } from './errors.ts';

/** include/uapi/linux/limits.h: NAME_MAX 255 bytes per path component, PATH_MAX 4096 with the NUL. */
export const NAME_MAX = 255;
export const PATH_MAX = 4095;

/** The profile size limit: real profiles are under 1 KiB; a megabyte is a mistake. */
export const MAX_PROFILE_BYTES = 1024 * 1024;
/** The golden size limit: a whole boot log is under 100 KiB; QEMU stops a boot long before this. */
export const MAX_GOLDEN_BYTES = 256 * 1024 * 1024;

/** Why a file was not read. */
export type FileRefusal =
  | { readonly kind: 'not-regular'; readonly found: string }
  | { readonly kind: 'too-large'; readonly size: number; readonly limit: number }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** What a refusal says, for a message: "expected a regular file, got a FIFO". */
export function refusalText(r: FileRefusal): string {
  switch (r.kind) {
    case 'not-regular': return `expected a regular file, got ${r.found}`;
    case 'too-large': return `expected at most ${formatBytes(r.limit)}, got ${formatBytes(r.size)} (${r.size} bytes); the limit is read before the file`;
    case 'unreadable': return `cannot read it (${r.reason})`;
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a regular file of at most `limit` bytes. The file is opened non-blocking (so that opening
 * a FIFO with no writer returns at once) and checked with fstat on the same descriptor, so that
 * what is checked is what is read.
 */
export function readBoundedFile(file: string, limit: number): { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly refusal: FileRefusal; readonly cause?: unknown } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (cause) {
    return { ok: false, refusal: { kind: 'unreadable', reason: (cause as NodeJS.ErrnoException).code ?? String(cause) }, cause };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, refusal: { kind: 'not-regular', found: kindOf(st) } };
    if (st.size > limit) return { ok: false, refusal: { kind: 'too-large', size: st.size, limit } };
    // A file may grow after fstat: read at most limit + 1 bytes and refuse if the last one came.
    const buf = Buffer.alloc(Math.min(st.size, limit) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got <= 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n > limit) return { ok: false, refusal: { kind: 'too-large', size: n, limit } };
    return { ok: true, bytes: buf.subarray(0, n) };
  } catch (cause) {
    return { ok: false, refusal: { kind: 'unreadable', reason: (cause as NodeJS.ErrnoException).code ?? String(cause) }, cause };
  } finally {
    closeSync(fd);
  }
}

// ── outputs ──────────────────────────────────────────────────────────────────

export type OutputCode =
  /** The path is empty. */
  | 'OUTPUT_EMPTY'
  /** Under /proc, /sys or /dev: pseudo file systems where writes hang or mean something else. */
  | 'OUTPUT_SPECIAL_FS'
  /** A path component is over NAME_MAX bytes, or the path over PATH_MAX. */
  | 'OUTPUT_NAME_TOO_LONG'
  /** A folder was expected and a file (or something else) is there, or on the way there. */
  | 'OUTPUT_NOT_DIR'
  /** A file was expected and a folder is there. */
  | 'OUTPUT_IS_DIR'
  /** The nearest existing folder is not writable. */
  | 'OUTPUT_UNWRITABLE';

export class OutputError extends BootsimError<OutputCode> {
  override readonly name = 'OutputError';
}

const SPECIAL = ['/proc', '/sys', '/dev'];

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** Checks the path's shape: not empty, not on a pseudo file system, every name ≤ NAME_MAX bytes. */
function checkShape(p: string, what: string): string {
  if (p === '') throw new OutputError('OUTPUT_EMPTY', `${what}: expected a path, got an empty string`);
  const abs = path.resolve(p);
  const special = SPECIAL.find((s) => abs === s || abs.startsWith(`${s}/`));
  if (special) throw new OutputError('OUTPUT_SPECIAL_FS', `${what}: expected a path on a real file system, got ${quoteValue(abs)} under ${special}`);
  if (Buffer.byteLength(abs) > PATH_MAX) throw new OutputError('OUTPUT_NAME_TOO_LONG', `${what}: expected a path of at most ${PATH_MAX} bytes, got ${Buffer.byteLength(abs)}`);
  for (const part of abs.split('/')) {
    const n = Buffer.byteLength(part);
    if (n > NAME_MAX) throw new OutputError('OUTPUT_NAME_TOO_LONG', `${what}: expected each name in the path to be at most ${NAME_MAX} bytes, got ${n} in ${quoteValue(part)}`);
  }
  return abs;
}

/** The nearest existing ancestor must be a writable folder. */
function checkAncestor(abs: string, what: string): void {
  let dir = abs;
  for (;;) {
    const st = statOrUndefined(dir);
    if (st) {
      if (!st.isDirectory()) throw new OutputError('OUTPUT_NOT_DIR', `${what}: expected ${quoteValue(dir)} to be a folder, got ${kindOf(st) === 'not a regular file' ? 'a file' : kindOf(st)}`);
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
      } catch {
        throw new OutputError('OUTPUT_UNWRITABLE', `${what}: expected a writable folder, got ${quoteValue(dir)}, which this user cannot write`);
      }
      return;
    }
    const up = path.dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}

function kindOfOutput(st: Stats): string {
  return st.isFile() ? 'a file' : kindOf(st);
}

/** Checks that `dir` is, or can be made, a writable folder. Returns it absolute. Throws OutputError. */
export function checkOutputDir(dir: string, what: string): string {
  const abs = checkShape(dir, what);
  const st = statOrUndefined(abs);
  if (st && !st.isDirectory()) throw new OutputError('OUTPUT_NOT_DIR', `${what}: expected a folder, got ${quoteValue(abs)}, which is ${kindOfOutput(st)}`);
  checkAncestor(abs, what);
  return abs;
}

/** Checks that `file` can be written: not a folder, its folder writable or creatable. Returns it absolute. Throws OutputError. */
export function checkOutputFile(file: string, what: string): string {
  const abs = checkShape(file, what);
  const st = statOrUndefined(abs);
  if (st?.isDirectory()) throw new OutputError('OUTPUT_IS_DIR', `${what}: expected a file to write, got ${quoteValue(abs)}, which is a folder`);
  if (st && !st.isFile()) throw new OutputError('OUTPUT_NOT_DIR', `${what}: expected a regular file to write, got ${quoteValue(abs)}, which is ${kindOf(st)}`);
  checkAncestor(path.dirname(abs), what);
  if (st) {
    try {
      accessSync(abs, constants.W_OK);
    } catch {
      throw new OutputError('OUTPUT_UNWRITABLE', `${what}: expected a writable file, got ${quoteValue(abs)}, which this user cannot write`);
    }
  }
  return abs;
}

/** Writes `file` whole or not at all: a temporary beside it, then rename(2). */
export function writeFileAtomic(file: string, text: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

// ── quoting values in messages ───────────────────────────────────────────────

/** At most this many characters of a value are quoted in a message. */
export const QUOTE_MAX = 80;

/** A value as a message quotes it: JSON-quoted, cut to QUOTE_MAX characters with its full length said. */
export function quoteValue(v: string): string {
  if (v.length <= QUOTE_MAX) return JSON.stringify(v);
  return `${JSON.stringify(v.slice(0, QUOTE_MAX))}… (${v.length} characters)`;
}
