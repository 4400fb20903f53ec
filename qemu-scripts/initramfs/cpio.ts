// The "newc" cpio archive the kernel unpacks into its rootfs (init/initramfs.c, the format of
// Documentation/driver-api/early-userspace/buffer-format.rst). Pure and deterministic: every
// header field that could carry the host's state (mtime, uid, gid, inode number, device) is fixed,
// so the same entries give the same bytes, and the same sha256, on any machine.
import { BootsimError } from '../../sim/base/errors.ts';

export type CpioCode = 'CPIO_BAD_ENTRY';

export class CpioError extends BootsimError<CpioCode> {}

/** One file of the archive; its mode bits are the permissions only (the type is the kind). */
export type CpioEntry =
  | { readonly kind: 'dir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'file'; readonly path: string; readonly mode: number; readonly data: Uint8Array }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'chardev'; readonly path: string; readonly mode: number; readonly major: number; readonly minor: number };

// include/uapi/linux/stat.h
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

/** init/initramfs.c: a header is "070701" and 13 fields of 8 hex digits; names and data are padded to 4 bytes. */
const MAGIC = '070701';
const HEADER_BYTES = 110;
/** init/initramfs.c do_header(): the entry that ends the archive. */
export const TRAILER = 'TRAILER!!!';

/** Every entry's mtime: 0 (1970-01-01), so the archive does not depend on when it was built. */
export const FIXED_MTIME = 0;

function hex8(n: number, what: string, path: string): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) throw new CpioError('CPIO_BAD_ENTRY', `${path}: ${what}: expected an integer from 0 to 0xffffffff, got ${n}`);
  return n.toString(16).padStart(8, '0');
}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

function checkPath(p: string): void {
  // init/initramfs.c takes names relative to the rootfs; a leading slash or a ".." would be the writer's mistake
  if (p === '' || p.startsWith('/') || p.split('/').some((c) => c === '' || c === '.' || c === '..') || /[\0\n]/.test(p)) {
    throw new CpioError('CPIO_BAD_ENTRY', `path: expected a relative path without empty, "." or ".." parts, got ${JSON.stringify(p)}`);
  }
}

function checkMode(e: { readonly path: string; readonly mode: number }): void {
  if (!Number.isInteger(e.mode) || e.mode < 0 || e.mode > 0o7777) throw new CpioError('CPIO_BAD_ENTRY', `${e.path}: mode: expected permission bits from 0 to 0o7777, got ${e.mode}`);
}

function header(fields: { ino: number; mode: number; nlink: number; filesize: number; rdevmajor: number; rdevminor: number; namesize: number }, path: string): string {
  const f = (n: number, what: string): string => hex8(n, what, path);
  // c_ino c_mode c_uid c_gid c_nlink c_mtime c_filesize c_devmajor c_devminor c_rdevmajor c_rdevminor c_namesize c_check
  return MAGIC + f(fields.ino, 'ino') + f(fields.mode, 'mode') + f(0, 'uid') + f(0, 'gid') + f(fields.nlink, 'nlink') + f(FIXED_MTIME, 'mtime') +
    f(fields.filesize, 'filesize') + f(0, 'devmajor') + f(0, 'devminor') + f(fields.rdevmajor, 'rdevmajor') + f(fields.rdevminor, 'rdevminor') + f(fields.namesize, 'namesize') + f(0, 'check');
}

/**
 * The archive of `entries`, in the order given (a directory must come before what it holds, as
 * init/initramfs.c creates each entry when it reads it). Inode numbers are 1, 2, … in that order;
 * uid, gid and mtime are 0. Throws CpioError('CPIO_BAD_ENTRY') naming the entry and field.
 */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  const dirs = new Set<string>();
  const push = (head: string, name: string, data: Uint8Array): void => {
    const nameBytes = Buffer.from(`${name}\0`, 'utf8');
    parts.push(Buffer.from(head, 'latin1'), nameBytes, Buffer.alloc(pad4(HEADER_BYTES + nameBytes.length)), Buffer.from(data), Buffer.alloc(pad4(data.length)));
  };
  entries.forEach((e, i) => {
    checkPath(e.path);
    if (seen.has(e.path)) throw new CpioError('CPIO_BAD_ENTRY', `${e.path}: expected each path once, got it again at entry ${i + 1}`);
    const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : undefined;
    if (parent !== undefined && !dirs.has(parent)) throw new CpioError('CPIO_BAD_ENTRY', `${e.path}: expected its directory ${parent} as an earlier entry, got none`);
    seen.add(e.path);
    const ino = i + 1;
    const namesize = Buffer.byteLength(e.path, 'utf8') + 1;
    switch (e.kind) {
      case 'dir':
        checkMode(e);
        dirs.add(e.path);
        push(header({ ino, mode: S_IFDIR | e.mode, nlink: 2, filesize: 0, rdevmajor: 0, rdevminor: 0, namesize }, e.path), e.path, new Uint8Array(0));
        break;
      case 'file':
        checkMode(e);
        push(header({ ino, mode: S_IFREG | e.mode, nlink: 1, filesize: e.data.length, rdevmajor: 0, rdevminor: 0, namesize }, e.path), e.path, e.data);
        break;
      case 'symlink': {
        // init/initramfs.c do_symlink(): the target is the entry's data
        const target = Buffer.from(e.target, 'utf8');
        if (target.length === 0 || target.includes(0)) throw new CpioError('CPIO_BAD_ENTRY', `${e.path}: target: expected a non-empty path without NUL, got ${JSON.stringify(e.target)}`);
        push(header({ ino, mode: S_IFLNK | 0o777, nlink: 1, filesize: target.length, rdevmajor: 0, rdevminor: 0, namesize }, e.path), e.path, target);
        break;
      }
      case 'chardev':
        checkMode(e);
        push(header({ ino, mode: S_IFCHR | e.mode, nlink: 1, filesize: 0, rdevmajor: e.major, rdevminor: e.minor, namesize }, e.path), e.path, new Uint8Array(0));
        break;
    }
  });
  push(header({ ino: 0, mode: 0, nlink: 1, filesize: 0, rdevmajor: 0, rdevminor: 0, namesize: TRAILER.length + 1 }, TRAILER), TRAILER, new Uint8Array(0));
  return Buffer.concat(parts);
}

/** One entry read back from an archive (for tests and `initramfs build --check`). */
export interface CpioRecord {
  readonly name: string;
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly mtime: number;
  readonly rdevmajor: number;
  readonly rdevminor: number;
  readonly data: Buffer;
}

/** Reads a newc archive up to its trailer, as init/initramfs.c does; throws CpioError naming the offset on a malformed one. */
export function readCpio(buf: Buffer): CpioRecord[] {
  const out: CpioRecord[] = [];
  let off = 0;
  for (;;) {
    if (off + HEADER_BYTES > buf.length) throw new CpioError('CPIO_BAD_ENTRY', `offset ${off}: expected a ${HEADER_BYTES}-byte header, got ${buf.length - off} bytes`);
    const head = buf.toString('latin1', off, off + HEADER_BYTES);
    if (!head.startsWith(MAGIC)) throw new CpioError('CPIO_BAD_ENTRY', `offset ${off}: expected the magic ${MAGIC}, got ${JSON.stringify(head.slice(0, 6))}`);
    const field = (i: number): number => {
      const t = head.slice(6 + 8 * i, 14 + 8 * i);
      if (!/^[0-9a-fA-F]{8}$/.test(t)) throw new CpioError('CPIO_BAD_ENTRY', `offset ${off}: field ${i}: expected 8 hex digits, got ${JSON.stringify(t)}`);
      return parseInt(t, 16);
    };
    const namesize = field(11);
    const filesize = field(6);
    const nameStart = off + HEADER_BYTES;
    const name = buf.toString('utf8', nameStart, nameStart + namesize - 1);
    const dataStart = nameStart + namesize + pad4(HEADER_BYTES + namesize);
    if (dataStart + filesize > buf.length) throw new CpioError('CPIO_BAD_ENTRY', `offset ${off} (${name}): expected ${filesize} data bytes, got ${buf.length - dataStart}`);
    if (name === TRAILER) return out;
    out.push({ name, ino: field(0), mode: field(1), uid: field(2), gid: field(3), nlink: field(4), mtime: field(5), rdevmajor: field(9), rdevminor: field(10), data: buf.subarray(dataStart, dataStart + filesize) });
    off = dataStart + filesize + pad4(filesize);
  }
}
