// Reads a bzImage as the x86 boot protocol describes it (Documentation/arch/x86/boot.rst,
// arch/x86/boot/header.S) and decompresses its payload, the stripped vmlinux ELF
// (arch/x86/boot/compressed/Makefile: vmlinux.bin = objcopy -R .comment -S vmlinux,
// then the relocs, then the method's compressor, then scripts/Makefile.lib size_append).
import { gunzipSync } from 'node:zlib';
import { lzma, lzma2 } from '@napi-rs/lzma';
import { decompress as zstdDecompress } from 'fzstd';
import { FactsError, hex } from './errors.ts';
import type { Compression } from '../../sim/kernel-facts.ts';

/** The setup header fields the extractor needs; offsets are from the start of the file. */
export interface BzImageHeader {
  /** setup_sects at 0x1f1 as stored; 0 means 4 (boot.rst). */
  readonly setupSectsRaw: number;
  /** The number of 512-byte setup sectors after the boot sector, with 0 read as 4. */
  readonly setupSects: number;
  /** version at 0x206, e.g. 0x20f for protocol 2.15. */
  readonly protocol: number;
  /** kernel_alignment at 0x230: the alignment the kernel must be loaded at. */
  readonly kernelAlignment: number;
  /** relocatable_kernel at 0x234. */
  readonly relocatable: boolean;
  /** payload_offset at 0x248, from the start of the protected-mode code. */
  readonly payloadOffset: number;
  /** payload_length at 0x24c. */
  readonly payloadLength: number;
  /** pref_address at 0x258 (protocol ≥ 2.10): where the kernel is linked to run, LOAD_PHYSICAL_ADDR. */
  readonly prefAddress: number;
  /** init_size at 0x260 (protocol ≥ 2.10): the linear memory the kernel needs while it starts. */
  readonly initSize: number;
  /** (setupSects + 1) × 512 + payloadOffset: where the payload starts in the file. */
  readonly payloadStart: number;
}

export type { Compression };

/** The methods decompress() handles; the others are recognised and refused with a code. */
export const SUPPORTED_COMPRESSIONS: readonly Compression[] = ['gzip', 'lzma', 'xz', 'zstd'];

/** A plain Uint8Array view of a Buffer, so callers and tests see one type. */
const view = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** Parses the setup header; `file` names the image in error messages. */
export function parseBzImageHeader(buf: Uint8Array, file = 'bzImage'): BzImageHeader {
  if (buf.length < 0x264) {
    throw new FactsError('NOT_BZIMAGE', `expected a bzImage of at least ${0x264} bytes (the setup header), got ${buf.length} bytes`, { pos: { file } });
  }
  const magic = String.fromCharCode(buf[0x202]!, buf[0x203]!, buf[0x204]!, buf[0x205]!);
  if (magic !== 'HdrS') {
    throw new FactsError('NOT_BZIMAGE', `expected the setup header magic "HdrS" at 0x202, got ${JSON.stringify(magic)}`, { pos: { file } });
  }
  const protocol = u16(buf, 0x206);
  // payload_offset/length arrived with protocol 2.08, pref_address/init_size with 2.10.
  if (protocol < 0x20a) {
    throw new FactsError('NOT_BZIMAGE', `expected boot protocol 2.10 or later (payload_offset, init_size), got ${protocol >> 8}.${(protocol & 0xff).toString().padStart(2, '0')}`, { pos: { file } });
  }
  const setupSectsRaw = buf[0x1f1]!;
  const setupSects = setupSectsRaw === 0 ? 4 : setupSectsRaw;
  const payloadOffset = u32(buf, 0x248);
  const payloadLength = u32(buf, 0x24c);
  const prefLo = u32(buf, 0x258);
  const prefHi = u32(buf, 0x25c);
  const header: BzImageHeader = {
    setupSectsRaw,
    setupSects,
    protocol,
    kernelAlignment: u32(buf, 0x230),
    relocatable: buf[0x234] !== 0,
    payloadOffset,
    payloadLength,
    prefAddress: prefHi * 2 ** 32 + prefLo,
    initSize: u32(buf, 0x260),
    payloadStart: (setupSects + 1) * 512 + payloadOffset,
  };
  if (payloadLength === 0) throw new FactsError('NOT_BZIMAGE', 'expected a payload (payload_length at 0x24c), got length 0', { pos: { file } });
  if (header.payloadStart + payloadLength > buf.length) {
    throw new FactsError('TRUNCATED', `payload: expected ${payloadLength} bytes at ${hex(header.payloadStart)} (setup_sects ${setupSects}, payload_offset ${hex(payloadOffset)}), but the file ends at ${hex(buf.length)}`, { pos: { file } });
  }
  return header;
}

/** The payload bytes, as a view into `buf`. */
export function payloadOf(buf: Uint8Array, header: BzImageHeader): Uint8Array {
  return buf.subarray(header.payloadStart, header.payloadStart + header.payloadLength);
}

// The magics the decompressors in lib/decompress.c (compressed_formats[]) recognise.
const MAGICS: ReadonlyArray<readonly [Compression, readonly number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['gzip', [0x1f, 0x9e]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['lzma', [0x5d, 0x00, 0x00]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['lzo', [0x89, 0x4c, 0x5a, 0x4f]],
  ['lz4', [0x02, 0x21, 0x4c, 0x18]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

/** Names the compression by the payload's magic bytes. */
export function detectCompression(payload: Uint8Array, file = 'bzImage'): Compression {
  for (const [name, magic] of MAGICS) {
    if (payload.length >= magic.length && magic.every((b, i) => payload[i] === b)) return name;
  }
  const head = Array.from(payload.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new FactsError('UNSUPPORTED_COMPRESSION', `payload: expected the magic of gzip, bzip2, lzma, xz, lzo, lz4 or zstd, got ${head || 'no bytes'}`, { pos: { file } });
}

/**
 * Decompresses a payload. All methods but gzip are followed by the 4-byte little-endian
 * size of the output (size_append), which sizes the output buffer and is checked.
 */
export async function decompressPayload(payload: Uint8Array, compression: Compression, file = 'bzImage'): Promise<Uint8Array> {
  const fail = (cause: unknown): FactsError =>
    new FactsError('DECOMPRESS_FAILED', `payload: ${compression} decompression failed: ${(cause as Error)?.message ?? String(cause)}`, { pos: { file }, cause });
  let out: Uint8Array;
  switch (compression) {
    case 'gzip':
      try { out = view(gunzipSync(payload)); } catch (e) { throw fail(e); }
      return out;
    case 'zstd': {
      const size = appendedSize(payload, file);
      // fzstd fills a buffer we size from size_append (fast), but then cannot say how much it
      // wrote; the frame's own content size, when present, is checked instead.
      const fcs = zstdContentSize(payload);
      if (fcs !== undefined && fcs !== size) throw new FactsError('DECOMPRESS_FAILED', `payload: expected the zstd frame content size ${fcs} to equal the size appended after it, got ${size}`, { pos: { file } });
      try { out = zstdDecompress(payload.subarray(0, payload.length - 4), new Uint8Array(size)); } catch (e) { throw fail(e); }
      break;
    }
    case 'xz':
      try { out = decompressXz(payload, file); } catch (e) { throw e instanceof FactsError ? e : fail(e); }
      break;
    case 'lzma':
      try { out = view(await lzma.decompress(payload.subarray(0, payload.length - 4))); } catch (e) { throw fail(e); }
      break;
    default:
      throw new FactsError('UNSUPPORTED_COMPRESSION', `payload: ${compression} is recognised but not supported (supported: ${SUPPORTED_COMPRESSIONS.join(', ')})`, { pos: { file } });
  }
  const size = appendedSize(payload, file);
  if (out.length !== size) {
    throw new FactsError('DECOMPRESS_FAILED', `payload: expected ${size} bytes (the size appended after the ${compression} data), got ${out.length}`, { pos: { file } });
  }
  return out;
}

/** Frame_Content_Size of the first zstd frame (RFC 8878 §3.1.1.1), or undefined when absent. */
export function zstdContentSize(frame: Uint8Array): number | undefined {
  const fhd = frame[4];
  if (fhd === undefined) return undefined;
  const fcsFlag = fhd >> 6;
  const single = (fhd & 0x20) !== 0;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (fcsBytes === 0) return undefined;
  let p = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]!;
  if (p + fcsBytes > frame.length) return undefined;
  let v = 0;
  for (let i = 0; i < fcsBytes; i++) v += frame[p++]! * 2 ** (8 * i);
  return fcsBytes === 2 ? v + 256 : v;
}

function appendedSize(payload: Uint8Array, file: string): number {
  if (payload.length < 8) throw new FactsError('TRUNCATED', `payload: expected compressed data and a 4-byte size, got ${payload.length} bytes`, { pos: { file } });
  return u32(payload, payload.length - 4);
}

// The filter ids of the .xz format (xz-file-format-1.2.0 §5.3).
const XZ_FILTER_X86 = 0x04;
const XZ_FILTER_LZMA2 = 0x21;

/**
 * Decompresses the single-block .xz stream that scripts/xz_wrap.sh writes (--x86 --lzma2).
 * @napi-rs/lzma cannot run the BCJ filter, so the container is read here: the block's raw
 * LZMA2 chunks go to lzma2.decompressSync, and the x86 BCJ filter is undone after.
 */
export function decompressXz(payload: Uint8Array, file = 'bzImage'): Uint8Array {
  const bad = (what: string): FactsError => new FactsError('DECOMPRESS_FAILED', `payload: xz: ${what}`, { pos: { file } });
  if (payload.length < 12 + 12) throw new FactsError('TRUNCATED', `payload: xz: expected a stream header and a block, got ${payload.length} bytes`, { pos: { file } });
  const headerSize = (payload[12]! + 1) * 4;
  if (payload[12] === 0) throw bad('expected a block at offset 12, got the index');
  const flags = payload[13]!;
  if (flags & 0x3c) throw bad(`expected block flags without reserved bits, got ${hex(flags)}`);
  let p = 14;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; shift < 63; shift += 7) {
      const b = payload[p++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
    }
    throw bad('varint too long in the block header');
  };
  if (flags & 0x40) varint(); // compressed size
  if (flags & 0x80) varint(); // uncompressed size
  const filters: number[] = [];
  for (let i = 0; i < (flags & 3) + 1; i++) {
    const id = varint();
    const propsSize = varint();
    if (id === XZ_FILTER_X86 && propsSize !== 0) throw bad('expected the x86 BCJ filter with start offset 0 (no properties)');
    p += propsSize;
    filters.push(id);
  }
  if (p > 12 + headerSize) throw bad('block header overruns its size');
  const chain = filters.map((f) => hex(f)).join(',');
  if (filters.at(-1) !== XZ_FILTER_LZMA2 || filters.slice(0, -1).some((f) => f !== XZ_FILTER_X86)) {
    throw new FactsError('UNSUPPORTED_COMPRESSION', `payload: xz: expected the filter chain [x86 BCJ,] LZMA2, got ids ${chain}`, { pos: { file } });
  }
  const raw = view(lzma2.decompressSync(payload.subarray(12 + headerSize)));
  return filters.length === 2 ? bcjX86Decode(raw) : raw;
}

/**
 * Undoes the x86 BCJ filter over a whole buffer whose start offset is 0: CALL/JMP rel32
 * targets were made absolute by the encoder. Follows xz-embedded's bcj_x86 (lib/xz/xz_dec_bcj.c).
 */
export function bcjX86Decode(buf: Uint8Array): Uint8Array {
  const allowed = [true, true, true, false, true, false, false, false];
  const bitNum = [0, 1, 2, 2, 3, 3, 3, 3];
  const msb = (b: number): boolean => b === 0x00 || b === 0xff;
  if (buf.length <= 4) return buf;
  const size = buf.length - 4;
  let prevPos = -1;
  let prevMask = 0;
  for (let i = 0; i < size; i++) {
    if ((buf[i]! & 0xfe) !== 0xe8) continue;
    const dist = i - prevPos;
    if (dist > 3) {
      prevMask = 0;
    } else {
      prevMask = (prevMask << (dist - 1)) & 7;
      if (prevMask !== 0) {
        const b = buf[i + 4 - bitNum[prevMask]!]!;
        if (!allowed[prevMask] || msb(b)) {
          prevPos = i;
          prevMask = (prevMask << 1) | 1;
          continue;
        }
      }
    }
    prevPos = i;
    if (msb(buf[i + 4]!)) {
      let src = u32(buf, i + 1);
      let dest: number;
      for (;;) {
        dest = (src - (i + 5)) >>> 0;
        if (prevMask === 0) break;
        const j = bitNum[prevMask]! * 8;
        const b = (dest >>> (24 - j)) & 0xff;
        if (!msb(b)) break;
        src = (dest ^ (2 ** (32 - j) - 1)) >>> 0;
      }
      dest &= 0x01ffffff;
      if (dest & 0x01000000) dest |= 0xfe000000;
      buf[i + 1] = dest & 0xff;
      buf[i + 2] = (dest >>> 8) & 0xff;
      buf[i + 3] = (dest >>> 16) & 0xff;
      buf[i + 4] = (dest >>> 24) & 0xff;
      i += 4;
    } else {
      prevMask = (prevMask << 1) | 1;
    }
  }
  return buf;
}

/** Reads the header and returns the decompressed vmlinux with the method used. */
export async function extractVmlinux(buf: Uint8Array, file = 'bzImage'): Promise<{ header: BzImageHeader; compression: Compression; vmlinux: Uint8Array }> {
  const header = parseBzImageHeader(buf, file);
  const payload = payloadOf(buf, header);
  const compression = detectCompression(payload, file);
  const vmlinux = await decompressPayload(payload, compression, file);
  return { header, compression, vmlinux };
}
