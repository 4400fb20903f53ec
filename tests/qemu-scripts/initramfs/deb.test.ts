// Reading one file out of a .deb (ar, then data.tar.{gz,xz}) without dpkg, on packages built here.
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { xz } from '@napi-rs/lzma';
import { DebError, debFile, readAr, readTar } from '../../../qemu-scripts/initramfs/deb.ts';

/** One ustar header and its data, as tar(5) lays them out; a name over 100 bytes goes in a GNU 'L' record first. */
function tarEntry(name: string, data: Buffer, type = '0', mode = 0o755): Buffer {
  const header = (n: string, t: string, size: number): Buffer => {
    const h = Buffer.alloc(512);
    h.write(n.slice(0, 99), 0, 'utf8');
    h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 'latin1');
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    h.write(t, 156, 'latin1');
    h.write('ustar\0' + '00', 257, 'latin1');
    return h;
  };
  const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
  const long = name.length > 99 ? [header('././@LongLink', 'L', name.length + 1), pad(Buffer.from(`${name}\0`))] : [];
  return Buffer.concat([...long, header(name, type, data.length), pad(data)]);
}

function tar(...entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(1024)]);
}

function ar(members: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n')];
  for (const [name, data] of members) {
    parts.push(Buffer.from(`${name.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(data.length).padEnd(10)}\`\n`, 'latin1'), data);
    if (data.length % 2) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

const busybox = Buffer.from('\x7fELF fake busybox, odd length');
const data = tar(tarEntry('./', Buffer.alloc(0), '5'), tarEntry('./bin/', Buffer.alloc(0), '5'), tarEntry('./bin/busybox', busybox), tarEntry(`./usr/share/${'d'.repeat(120)}/x`, Buffer.from('long')));

function code(e: unknown): string {
  if (e instanceof DebError) return e.code;
  throw e;
}

describe('deb', () => {
  test('readAr: expect each member by name, with odd-sized members padded to 2 bytes', () => {
    const m = readAr(ar([['debian-binary', Buffer.from('2.0\n')], ['control.tar.gz', Buffer.from('abc')], ['data.tar.gz', Buffer.from('z')]]), 't.deb');
    expect([...m.keys()]).toEqual(['debian-binary', 'control.tar.gz', 'data.tar.gz']);
    expect(m.get('control.tar.gz')!.toString()).toBe('abc');
    expect(m.get('data.tar.gz')!.toString()).toBe('z');
  });

  test('readTar: expect regular files only, "./" dropped, and a GNU long name applied', () => {
    const files = readTar(data, 'data.tar');
    expect(files.map((f) => f.name)).toEqual(['bin/busybox', `usr/share/${'d'.repeat(120)}/x`]);
    expect(files[0]!.mode).toBe(0o755);
    expect(files[0]!.data.equals(busybox)).toBe(true);
  });

  test.each(['gz', 'xz'] as const)('debFile_data.tar.%s: expect bin/busybox byte for byte', async (kind) => {
    const packed = kind === 'gz' ? gzipSync(data) : Buffer.from(await xz.compress(data));
    const deb = ar([['debian-binary', Buffer.from('2.0\n')], ['control.tar.gz', gzipSync(tar())], [`data.tar.${kind}`, packed]]);
    expect((await debFile(deb, 'bin/busybox', 't.deb')).data.equals(busybox)).toBe(true);
  });

  test('refusals: expect DEB_MALFORMED for a file that is not ar, DEB_MEMBER_MISSING for no data.tar or no such file', async () => {
    expect(code(await debFile(Buffer.from('not an archive at all'), 'bin/busybox', 't').catch((e: unknown) => e))).toBe('DEB_MALFORMED');
    expect(code(await debFile(ar([['debian-binary', Buffer.from('2.0\n')]]), 'bin/busybox', 't').catch((e: unknown) => e))).toBe('DEB_MEMBER_MISSING');
    expect(code(await debFile(ar([['data.tar', data]]), 'bin/ash', 't').catch((e: unknown) => e))).toBe('DEB_MEMBER_MISSING');
    const truncated = ar([['data.tar', data]]).subarray(0, 100);
    expect(() => readAr(truncated, 't')).toThrow(DebError);
  });
});
