import { describe, expect, it, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { bcjX86Decode, decompressPayload, decompressXz, detectCompression, extractVmlinux, parseBzImageHeader } from '../../../qemu-scripts/kernel/bzimage.ts';
import { FactsError } from '../../../qemu-scripts/kernel/errors.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url)));

/** A minimal bzImage: boot sector, setup sectors, then `pad` bytes and the payload. */
function bzImage(opts: { setupSects?: number; protocol?: number; payload: Uint8Array; pad?: number; magic?: string; lengthOverride?: number }): Uint8Array {
  const setupSects = opts.setupSects ?? 1;
  const pad = opts.pad ?? 16;
  const realSects = setupSects === 0 ? 4 : setupSects;
  const buf = new Uint8Array((realSects + 1) * 512 + pad + opts.payload.length);
  const v = new DataView(buf.buffer);
  buf[0x1f1] = setupSects;
  buf.set(new TextEncoder().encode(opts.magic ?? 'HdrS'), 0x202);
  v.setUint16(0x206, opts.protocol ?? 0x20f, true);
  v.setUint32(0x230, 0x200000, true);
  buf[0x234] = 1;
  v.setUint32(0x248, pad, true);
  v.setUint32(0x24c, opts.lengthOverride ?? opts.payload.length, true);
  v.setUint32(0x258, 0x1000000, true);
  v.setUint32(0x260, 0x3000000, true);
  buf.set(opts.payload, (realSects + 1) * 512 + pad);
  return buf;
}

/** data followed by size_append's 4-byte little-endian length of `plain`. */
function withSize(data: Uint8Array, plain: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + 4);
  out.set(data);
  new DataView(out.buffer).setUint32(data.length, plain.length, true);
  return out;
}

/** A zstd frame holding `plain` in one raw block (RFC 8878 §3.1.1: single segment, 1-byte FCS). */
function zstdRaw(plain: Uint8Array): Uint8Array {
  const hdr = [0x28, 0xb5, 0x2f, 0xfd, 0x20, plain.length];
  const blk = (plain.length << 3) | 1; // last block, raw
  return new Uint8Array([...hdr, blk & 0xff, (blk >> 8) & 0xff, (blk >> 16) & 0xff, ...plain]);
}

const plain = new TextEncoder().encode('\x7fELF pretend vmlinux; Linux version 9.9.9-test (x) #1 SMP\n\0');

describe('parseBzImageHeader', () => {
  it('parseHeader_payloadAfterSetup: expect the payload at (setup_sects + 1) * 512 + payload_offset', () => {
    const h = parseBzImageHeader(bzImage({ setupSects: 3, pad: 40, payload: plain }));
    expect(h).toMatchObject({ setupSectsRaw: 3, setupSects: 3, protocol: 0x20f, payloadOffset: 40, payloadLength: plain.length, payloadStart: 4 * 512 + 40, prefAddress: 0x1000000, initSize: 0x3000000, kernelAlignment: 0x200000, relocatable: true });
  });

  it('parseHeader_setupSectsZero: expect 0 to be read as 4 setup sectors', () => {
    const h = parseBzImageHeader(bzImage({ setupSects: 0, payload: plain }));
    expect(h.setupSectsRaw).toBe(0);
    expect(h.setupSects).toBe(4);
    expect(h.payloadStart).toBe(5 * 512 + 16);
  });

  test.each([
    ['no HdrS magic', bzImage({ payload: plain, magic: 'MZ\0\0' }), 'NOT_BZIMAGE'],
    ['protocol 2.06', bzImage({ payload: plain, protocol: 0x206 }), 'NOT_BZIMAGE'],
    ['shorter than the setup header', new Uint8Array(0x100), 'NOT_BZIMAGE'],
    ['payload_length past the end', bzImage({ payload: plain, lengthOverride: plain.length + 1 }), 'TRUNCATED'],
  ])('parseHeader_rejects: %s', (_name, buf, code) => {
    expect(() => parseBzImageHeader(buf)).toThrow(expect.objectContaining({ code }));
  });

  it('parseHeader_truncatedMessage: expect where, what was expected and what came', () => {
    expect(() => parseBzImageHeader(bzImage({ payload: plain, lengthOverride: 1000 }), 'boot/vmlinuz-x')).toThrow(
      /^boot\/vmlinuz-x: payload: expected 1000 bytes at 0x410 \(setup_sects 1, payload_offset 0x10\), but the file ends at 0x[0-9a-f]+$/,
    );
  });
});

describe('detectCompression', () => {
  test.each([
    ['gzip', [0x1f, 0x8b, 8]],
    ['bzip2', [0x42, 0x5a, 0x68, 0x39]],
    ['lzma', [0x5d, 0, 0, 0x80]],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0]],
    ['lzo', [0x89, 0x4c, 0x5a, 0x4f, 0]],
    ['lz4', [0x02, 0x21, 0x4c, 0x18]],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0]],
  ])('detect_%s', (name, bytes) => {
    expect(detectCompression(new Uint8Array(bytes))).toBe(name);
  });

  it('detect_unknownMagic: expect UNSUPPORTED_COMPRESSION naming the bytes', () => {
    expect(() => detectCompression(new Uint8Array([0xde, 0xad, 0xbe, 0xef]), 'img')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_COMPRESSION', message: 'img: payload: expected the magic of gzip, bzip2, lzma, xz, lzo, lz4 or zstd, got de ad be ef' }));
  });
});

describe('decompressPayload', () => {
  it('decompress_gzip: expect the plain bytes (gzip carries its own size)', async () => {
    expect(await decompressPayload(gzipSync(plain), 'gzip')).toEqual(new Uint8Array(plain));
  });

  it('decompress_zstdWithAppendedSize: expect the 4-byte size after the frame to be stripped and checked', async () => {
    expect(await decompressPayload(withSize(zstdRaw(plain), plain), 'zstd')).toEqual(plain);
  });

  it('decompress_xzWithoutBcj: expect a plain LZMA2 chain to decompress', async () => {
    expect(await decompressPayload(withSize(xz.compressSync(plain), plain), 'xz')).toEqual(plain);
  });

  test.each([[1], [-1]])('decompress_zstdSizeMismatch_%i: expect DECOMPRESS_FAILED when size_append disagrees with the frame', async (delta) => {
    const bad = withSize(zstdRaw(plain), plain);
    bad[bad.length - 4]! += delta;
    await expect(decompressPayload(bad, 'zstd')).rejects.toMatchObject({ code: 'DECOMPRESS_FAILED' });
  });

  it('decompress_xzSizeMismatch: expect DECOMPRESS_FAILED when size_append disagrees with the output', async () => {
    const bad = withSize(xz.compressSync(plain), plain);
    bad[bad.length - 4]! += 1;
    await expect(decompressPayload(bad, 'xz')).rejects.toMatchObject({ code: 'DECOMPRESS_FAILED' });
  });

  test.each(['bzip2', 'lz4', 'lzo'] as const)('decompress_unsupported_%s: expect UNSUPPORTED_COMPRESSION', async (c) => {
    await expect(decompressPayload(new Uint8Array(16), c)).rejects.toMatchObject({ code: 'UNSUPPORTED_COMPRESSION' });
  });

  it('decompress_truncatedXz: expect a coded error, not a crash', async () => {
    const full = withSize(xz.compressSync(plain), plain);
    await expect(decompressPayload(full.subarray(0, 20), 'xz')).rejects.toBeInstanceOf(FactsError);
  });

  it('extractVmlinux_zstd: expect header, method and bytes in one call', async () => {
    const r = await extractVmlinux(bzImage({ setupSects: 0, payload: withSize(zstdRaw(plain), plain) }));
    expect(r.compression).toBe('zstd');
    expect(r.header.setupSects).toBe(4);
    expect(r.vmlinux).toEqual(plain);
  });
});

// The sample that tests/fixtures/kernel/bcj-x86.xz was made from, with
// `xz --format=xz --check=crc32 --x86 --lzma2=dict=1MiB` (xz 5.4), as scripts/xz_wrap.sh does.
function bcjSample(): Uint8Array {
  const b = new Uint8Array(1024);
  let x = 12345;
  for (let i = 0; i < b.length; i++) { x = (x * 1103515245 + 12345) >>> 0; b[i] = (x >>> 16) & 0xff; }
  for (let i = 0; i + 5 <= b.length; i += 13) { b[i] = 0xe8 | (i & 1); b[i + 4] = i % 3 === 0 ? 0x00 : 0xff; }
  return b;
}

describe('x86 BCJ', () => {
  it('bcjDecode_call: expect an absolute CALL target at 0 to become rel32 = abs − (pos + 5)', () => {
    // E8 05 01 00 00 → target 0x105 from the end of the 5-byte CALL at 0 → rel 0x100.
    const b = new Uint8Array([0xe8, 0x05, 0x01, 0x00, 0x00, 0x90, 0x90, 0x90, 0x90]);
    expect([...bcjX86Decode(b)]).toEqual([0xe8, 0x00, 0x01, 0x00, 0x00, 0x90, 0x90, 0x90, 0x90]);
  });

  it('bcjDecode_tail: expect an opcode in the last 4 bytes to be left alone', () => {
    const b = new Uint8Array([0x90, 0x90, 0xe8, 0x05, 0x01, 0x00]);
    expect([...bcjX86Decode(b.slice())]).toEqual([...b]);
  });

  it('decompressXz_bcjFixture: expect the bytes xz --x86 was given', () => {
    expect(decompressXz(fixture('bcj-x86.xz'))).toEqual(bcjSample());
  });
});
