import { describe, expect, it } from 'vitest';
import { findRealModeBlob, REALMODE_END_SIGNATURE } from '../../../qemu-scripts/kernel/realmode.ts';

const A = 0xffffffff82c00000n;

interface Blob {
  /** Section offset of real_mode_blob (page-aligned in link addresses). */
  at: number;
  /** real_mode_blob_end − real_mode_blob: the signature is its last 4 bytes. */
  bytes: number;
  textStart?: number;
  roEnd?: number;
  r16?: number[];
  r32?: number[];
}

// Writes a realmode.bin + realmode.relocs into `buf` as rmpiggy.S lays them out.
function put(buf: Uint8Array, b: Blob): void {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  v.setUint32(b.at, b.textStart ?? 0x1000, true);
  v.setUint32(b.at + 4, b.roEnd ?? 0x1800, true);
  for (let i = 8; i < 0x40; i += 4) v.setUint32(b.at + i, 0x1000 + i, true); // the other header fields
  for (let i = 0x1000; i < 0x1800; i++) buf[b.at + i] = 0x90 + (i % 7); // text, never two zero bytes
  v.setUint32(b.at + b.bytes - 4, REALMODE_END_SIGNATURE, true);
  const r16 = b.r16 ?? [0x1006];
  const r32 = b.r32 ?? [0x10, 0x1104];
  for (const off of r16) v.setUint16(b.at + off, 0, true); // real_mode_seg = 0
  let p = b.at + b.bytes;
  for (const list of [r16, r32]) {
    v.setUint32(p, list.length, true);
    p += 4;
    for (const off of list) v.setUint32((p += 4) - 4, off, true);
  }
}

// .init.data linked at A:
//
//   A+0x0000  other init data (0x5a filler)
//   A+0x1000  real_mode_blob: header {text_start 0x1000, ro_end 0x1800}
//   A+0x2000  .text … ro_end at A+0x2800
//   A+0x3000  .data, .bss … end_signature at A+0x4240 → real_mode_blob_end = A+0x4244
//   A+0x4244  real_mode_relocs: 1 × 16-bit [0x1006], 2 × 32-bit [0x10, 0x1104]
function section(size = 0x6000): Uint8Array {
  return new Uint8Array(size).fill(0x5a);
}

describe('findRealModeBlob', () => {
  it('realMode_found: expect the blob from its page-aligned header to the end of its signature', () => {
    const buf = section();
    put(buf, { at: 0x1000, bytes: 0x3244 });
    expect(findRealModeBlob(buf, A)).toEqual({ start: A + 0x1000n, bytes: 0x3244, relocs16: 1, relocs32: 2 });
  });

  it('realMode_signatureInText: expect the immediate in the wakeup code (wakeup_asm.S), even 4-aligned, to be passed over', () => {
    const buf = section();
    put(buf, { at: 0x1000, bytes: 0x3244 });
    new DataView(buf.buffer).setUint32(0x1000 + 0x1400, REALMODE_END_SIGNATURE, true);
    new DataView(buf.buffer).setUint32(0x1000 + 0x1401 + 4, REALMODE_END_SIGNATURE, true);
    expect(findRealModeBlob(buf, A).bytes).toBe(0x3244);
  });

  it('realMode_unalignedSection: expect page alignment taken from the link address, not the section start', () => {
    // .init.data at A+0x800: its first page boundary is section offset 0x800
    const buf = section();
    put(buf, { at: 0x800, bytes: 0x2104 });
    expect(findRealModeBlob(buf, A + 0x800n)).toEqual({ start: A + 0x1000n, bytes: 0x2104, relocs16: 1, relocs32: 2 });
  });

  it('realMode_noSignature: expect LAYOUT_UNEXPECTED naming the signature, and "got none"', () => {
    const buf = section();
    put(buf, { at: 0x1000, bytes: 0x3244 });
    new DataView(buf.buffer).setUint32(0x4240, 0, true);
    expect(() => findRealModeBlob(buf, A, 'vmlinux')).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
    expect(() => findRealModeBlob(buf, A, 'vmlinux')).toThrow(/expected one real_mode_blob \(.*REALMODE_END_SIGNATURE 0x65a22c82.*\), got none/);
  });

  it('realMode_segmentSiteNotZero: expect no blob when a 16-bit relocation site does not hold real_mode_seg = 0', () => {
    const buf = section();
    put(buf, { at: 0x1000, bytes: 0x3244 });
    new DataView(buf.buffer).setUint16(0x1000 + 0x1006, 0x9000, true);
    expect(() => findRealModeBlob(buf, A)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('realMode_relocBeyondBlob: expect no blob when a relocation points past real_mode_blob_end', () => {
    const buf = section();
    put(buf, { at: 0x1000, bytes: 0x3244, r32: [0x10, 0x3244] });
    expect(() => findRealModeBlob(buf, A)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('realMode_signatureBeforeData: expect no blob whose signature lies before PAGE_ALIGN(ro_end)', () => {
    const buf = section();
    put(buf, { at: 0x1000, bytes: 0x1ff0, roEnd: 0x1f00 });
    expect(() => findRealModeBlob(buf, A)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });

  it('realMode_ambiguous: expect LAYOUT_UNEXPECTED listing both when two places fit', () => {
    const buf = section(0xa000);
    put(buf, { at: 0x1000, bytes: 0x3244 });
    put(buf, { at: 0x6000, bytes: 0x3244 });
    expect(() => findRealModeBlob(buf, A)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
    expect(() => findRealModeBlob(buf, A)).toThrow(/got \[0xffffffff82c01000, 0xffffffff82c04244\), .*\[0xffffffff82c06000, 0xffffffff82c09244\)/);
  });
});
