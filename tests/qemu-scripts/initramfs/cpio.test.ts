// The newc writer: the bytes init/initramfs.c reads, the same on every build, and refusals by entry.
import { describe, expect, test } from 'vitest';
import { CpioError, FIXED_MTIME, TRAILER, readCpio, writeCpio, type CpioEntry } from '../../../qemu-scripts/initramfs/cpio.ts';

const entries: CpioEntry[] = [
  { kind: 'dir', path: 'bin', mode: 0o755 },
  { kind: 'file', path: 'bin/tool', mode: 0o755, data: Buffer.from('abcde') },
  { kind: 'symlink', path: 'bin/sh', target: 'tool' },
  { kind: 'dir', path: 'dev', mode: 0o755 },
  { kind: 'chardev', path: 'dev/console', mode: 0o600, major: 5, minor: 1 },
];

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CpioError) return e.code;
    throw e;
  }
  return undefined;
}

describe('writeCpio', () => {
  test('first_header: expect "070701", 13 fields of 8 hex digits and the NUL-ended name padded to 4 bytes', () => {
    const buf = writeCpio([{ kind: 'dir', path: 'bin', mode: 0o755 }]);
    const head = buf.toString('latin1', 0, 110);
    // ino 1, mode S_IFDIR|0755, uid 0, gid 0, nlink 2, mtime 0, size 0, dev 0:0, rdev 0:0, namesize 4, check 0
    expect(head).toBe(`070701${['1', '41ed', '0', '0', '2', '0', '0', '0', '0', '0', '0', '4', '0'].map((f) => f.padStart(8, '0')).join('')}`);
    expect(buf.toString('latin1', 110, 114)).toBe('bin\0');
    // 110 + 4 = 114 → 2 bytes of padding before the (empty) data and the next header
    expect(buf.toString('latin1', 116, 122)).toBe('070701');
  });

  test('round_trip: expect every entry back with its type bits, inode 1.., uid/gid/mtime 0 and 4-byte aligned headers', () => {
    const buf = writeCpio(entries);
    const recs = readCpio(buf);
    expect(recs.map((r) => [r.name, r.ino, r.mode.toString(8), r.nlink])).toEqual([
      ['bin', 1, '40755', 2],
      ['bin/tool', 2, '100755', 1],
      ['bin/sh', 3, '120777', 1],
      ['dev', 4, '40755', 2],
      ['dev/console', 5, '20600', 1],
    ]);
    expect(recs.every((r) => r.uid === 0 && r.gid === 0 && r.mtime === FIXED_MTIME)).toBe(true);
    expect(recs[1]!.data.toString()).toBe('abcde');
    expect(recs[2]!.data.toString()).toBe('tool');
    expect([recs[4]!.rdevmajor, recs[4]!.rdevminor]).toEqual([5, 1]);
    expect(buf.length % 4).toBe(0);
    expect(buf.includes(Buffer.from(`${TRAILER}\0`))).toBe(true);
    let off = 0;
    for (;;) {
      expect(off % 4).toBe(0);
      const namesize = parseInt(buf.toString('latin1', off + 94, off + 102), 16);
      const size = parseInt(buf.toString('latin1', off + 54, off + 62), 16);
      if (buf.toString('latin1', off + 110, off + 110 + namesize - 1) === TRAILER) break;
      const data = off + 110 + namesize + ((4 - ((110 + namesize) % 4)) % 4);
      off = data + size + ((4 - (size % 4)) % 4);
    }
  });

  test('deterministic: expect the same bytes for the same entries, and other bytes when one data byte changes', () => {
    expect(writeCpio(entries).equals(writeCpio(entries))).toBe(true);
    const other = entries.map((e) => (e.kind === 'file' ? { ...e, data: Buffer.from('abcdf') } : e));
    expect(writeCpio(other).equals(writeCpio(entries))).toBe(false);
  });

  test('refusals: expect CPIO_BAD_ENTRY for an absolute, dotted or repeated path, a missing directory, bad mode or rdev', () => {
    expect(code(() => writeCpio([{ kind: 'dir', path: '/bin', mode: 0o755 }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio([{ kind: 'dir', path: 'a/../b', mode: 0o755 }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio([{ kind: 'dir', path: 'a', mode: 0o755 }, { kind: 'dir', path: 'a', mode: 0o755 }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio([{ kind: 'file', path: 'bin/x', mode: 0o755, data: Buffer.alloc(0) }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio([{ kind: 'file', path: 'x', mode: 0o10000, data: Buffer.alloc(0) }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio([{ kind: 'chardev', path: 'c', mode: 0o600, major: -1, minor: 0 }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio([{ kind: 'symlink', path: 's', target: '' }]))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => writeCpio(entries))).toBeUndefined();
  });

  test('readCpio_malformed: expect CPIO_BAD_ENTRY for a bad magic and a truncated archive', () => {
    const buf = writeCpio(entries);
    expect(code(() => readCpio(Buffer.concat([Buffer.from('070702'), buf.subarray(6)])))).toBe('CPIO_BAD_ENTRY');
    expect(code(() => readCpio(buf.subarray(0, 200)))).toBe('CPIO_BAD_ENTRY');
  });
});
