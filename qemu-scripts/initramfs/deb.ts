// Reads one file out of a Debian package without dpkg: the .deb is an ar archive (deb(5)) whose
// data.tar.{xz,zst,gz} member is a tar archive (POSIX ustar, with GNU long names). Pure over bytes.
import { gunzipSync } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { decompress as zstdDecompress } from 'fzstd';
import { BootsimError } from '../../sim/base/errors.ts';

export type DebCode = 'DEB_MALFORMED' | 'DEB_MEMBER_MISSING';

export class DebError extends BootsimError<DebCode> {}

const AR_MAGIC = '!<arch>\n';
const AR_HEADER = 60;

/** The members of an ar archive (deb(5): debian-binary, control.tar.*, data.tar.*), name → bytes. */
export function readAr(buf: Buffer, what: string): Map<string, Buffer> {
  if (buf.toString('latin1', 0, AR_MAGIC.length) !== AR_MAGIC) throw new DebError('DEB_MALFORMED', `${what}: expected the ar magic "!<arch>\\n", got ${JSON.stringify(buf.toString('latin1', 0, 8))}`);
  const out = new Map<string, Buffer>();
  let off = AR_MAGIC.length;
  while (off + AR_HEADER <= buf.length) {
    const h = buf.toString('latin1', off, off + AR_HEADER);
    if (h.slice(58, 60) !== '`\n') throw new DebError('DEB_MALFORMED', `${what}: ar header at offset ${off}: expected the terminator "\`\\n", got ${JSON.stringify(h.slice(58, 60))}`);
    const name = h.slice(0, 16).trim().replace(/\/$/, '');
    const size = Number(h.slice(48, 58).trim());
    if (!Number.isSafeInteger(size) || size < 0 || off + AR_HEADER + size > buf.length) throw new DebError('DEB_MALFORMED', `${what}: ar member ${name}: expected a size within the file, got ${JSON.stringify(h.slice(48, 58))}`);
    out.set(name, buf.subarray(off + AR_HEADER, off + AR_HEADER + size));
    off += AR_HEADER + size + (size % 2); // members are 2-byte aligned
  }
  return out;
}

/** A tar member (regular files only; directories and links are skipped). */
export interface TarFile {
  readonly name: string;
  readonly mode: number;
  readonly data: Buffer;
}

function octal(field: string): number {
  const t = field.replace(/\0.*$/s, '').trim();
  return t === '' ? 0 : parseInt(t, 8);
}

/** The regular files of a tar archive, with their names as stored ("./bin/busybox" → "bin/busybox"). */
export function readTar(buf: Buffer, what: string): TarFile[] {
  const out: TarFile[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break; // the two zero blocks that end the archive
    const size = octal(h.toString('latin1', 124, 136));
    const type = String.fromCharCode(h[156] ?? 0);
    const magic = h.toString('latin1', 257, 263);
    const prefix = magic.startsWith('ustar') ? h.toString('utf8', 345, 500).replace(/\0.*$/s, '') : '';
    const stored = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const dataStart = off + 512;
    if (!Number.isSafeInteger(size) || dataStart + size > buf.length) throw new DebError('DEB_MALFORMED', `${what}: tar header at offset ${off} (${stored}): expected a size within the archive, got ${size}`);
    const data = buf.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      // GNU tar: the next member's long name
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    const name = (longName ?? (prefix ? `${prefix}/${stored}` : stored)).replace(/^\.\//, '');
    longName = undefined;
    if (type === '0' || type === '\0') out.push({ name, mode: octal(h.toString('latin1', 100, 108)), data });
  }
  return out;
}

/** The data.tar member of a .deb, decompressed (xz, zstd or gzip, as dpkg-deb(1) writes them). */
export async function debData(deb: Buffer, what: string): Promise<Buffer> {
  const members = readAr(deb, what);
  for (const [name, bytes] of members) {
    if (name === 'data.tar') return bytes;
    if (name === 'data.tar.xz') return Buffer.from(await xz.decompress(bytes));
    if (name === 'data.tar.zst') return Buffer.from(zstdDecompress(bytes));
    if (name === 'data.tar.gz') return gunzipSync(bytes);
  }
  throw new DebError('DEB_MEMBER_MISSING', `${what}: expected a data.tar, data.tar.xz, data.tar.zst or data.tar.gz member, got ${[...members.keys()].join(', ') || 'none'}`);
}

/** One regular file of a .deb's data, by its path in the package (e.g. "bin/busybox"). */
export async function debFile(deb: Buffer, file: string, what: string): Promise<TarFile> {
  const f = readTar(await debData(deb, what), what).find((t) => t.name === file);
  if (!f) throw new DebError('DEB_MEMBER_MISSING', `${what}: expected the file ${file} in the package's data, got none`);
  return f;
}
