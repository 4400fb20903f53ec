import { describe, expect, it, test } from 'vitest';
import { BtfKind, parseBtf, structSize } from '../../../qemu-scripts/kernel/btf.ts';
import { btfStructs } from '../../../qemu-scripts/kernel/structs.ts';

interface T { name: string; kind: number; vlen?: number; size?: number; tail?: number }

/** Builds a .BTF blob: header, types (tails zero-filled to the kind's size), strings. */
function buildBtf(types: T[], opts: { magic?: number; cutTypes?: number } = {}): Uint8Array {
  let strs = '\0';
  const off = (n: string): number => { if (!n) return 0; const o = strs.length; strs += `${n}\0`; return o; };
  const recs: Uint8Array[] = [];
  for (const t of types) {
    const r = new Uint8Array(12 + (t.tail ?? 0));
    const v = new DataView(r.buffer);
    v.setUint32(0, off(t.name), true);
    v.setUint32(4, ((t.kind & 0x1f) << 24) | (t.vlen ?? 0), true);
    v.setUint32(8, t.size ?? 0, true);
    recs.push(r);
  }
  const typeLen = recs.reduce((a, r) => a + r.length, 0) - (opts.cutTypes ?? 0);
  const strBytes = new TextEncoder().encode(strs);
  const buf = new Uint8Array(24 + typeLen + strBytes.length);
  const v = new DataView(buf.buffer);
  v.setUint16(0, opts.magic ?? 0xeb9f, true);
  buf[2] = 1;
  v.setUint32(4, 24, true);
  v.setUint32(8, 0, true);
  v.setUint32(12, typeLen, true);
  v.setUint32(16, typeLen, true);
  v.setUint32(20, strBytes.length, true);
  let p = 24;
  for (const r of recs) { buf.set(r.subarray(0, Math.min(r.length, 24 + typeLen - p)), p); p += r.length; }
  buf.set(strBytes, 24 + typeLen);
  return buf;
}

// int; struct page {3 members}; FWD pglist_data; PTR; ENUM with 2 values; struct pglist_data; FUNC_PROTO with 1 param.
const sample: T[] = [
  { name: 'int', kind: BtfKind.INT, size: 4, tail: 4 },
  { name: 'page', kind: BtfKind.STRUCT, vlen: 3, size: 64, tail: 36 },
  { name: 'pglist_data', kind: BtfKind.FWD },
  { name: '', kind: BtfKind.PTR, size: 2 },
  { name: 'zone_type', kind: BtfKind.ENUM, vlen: 2, size: 4, tail: 16 },
  { name: 'pglist_data', kind: BtfKind.STRUCT, vlen: 1, size: 174208, tail: 12 },
  { name: '', kind: BtfKind.FUNC_PROTO, vlen: 1, size: 1, tail: 8 },
  { name: 'hlist_head', kind: BtfKind.UNION, vlen: 1, size: 8, tail: 12 },
];

describe('parseBtf', () => {
  it('parseBtf_kinds: expect every record walked, ids from 1, names from the string section', () => {
    const btf = parseBtf(buildBtf(sample));
    expect(btf.types.map((t) => [t.id, t.kind, t.name])).toEqual([
      [1, 1, 'int'], [2, 4, 'page'], [3, 7, 'pglist_data'], [4, 2, ''], [5, 6, 'zone_type'], [6, 4, 'pglist_data'], [7, 13, ''], [8, 5, 'hlist_head'],
    ]);
  });

  it('structSize_skipsFwdAndUnions: expect the STRUCT record, not the forward declaration or a union', () => {
    const btf = parseBtf(buildBtf(sample));
    expect(structSize(btf, 'page')).toBe(64);
    expect(structSize(btf, 'pglist_data')).toBe(174208);
    expect(structSize(btf, 'hlist_head')).toBeUndefined();
    expect(structSize(btf, 'zone')).toBeUndefined();
  });

  it('structSize_ambiguous: expect BTF_INVALID when two structs share a name with different sizes', () => {
    const btf = parseBtf(buildBtf([{ name: 'page', kind: BtfKind.STRUCT, size: 64 }, { name: 'page', kind: BtfKind.STRUCT, size: 80 }]));
    expect(() => structSize(btf, 'page')).toThrow(expect.objectContaining({ code: 'BTF_INVALID' }));
  });

  it('btfStructs_needsPageAndPglistData: expect both or an error', () => {
    expect(btfStructs(parseBtf(buildBtf(sample)))).toEqual({ page: { bytes: 64, source: 'btf' }, pglist_data: { bytes: 174208, source: 'btf' } });
    expect(() => btfStructs(parseBtf(buildBtf(sample.slice(0, 2))))).toThrow(expect.objectContaining({ code: 'BTF_INVALID' }));
  });

  test.each([
    ['bad magic', buildBtf(sample, { magic: 0x9feb }), 'BTF_INVALID'],
    ['unknown kind 31', buildBtf([{ name: 'x', kind: 31 }]), 'BTF_INVALID'],
    ['members cut off', buildBtf(sample, { cutTypes: 4 }), 'TRUNCATED'],
    ['no header', new Uint8Array(10), 'TRUNCATED'],
  ])('parseBtf_rejects: %s', (_n, buf, code) => {
    expect(() => parseBtf(buf)).toThrow(expect.objectContaining({ code }));
  });

  it('parseBtf_message: expect the position of the bad record', () => {
    expect(() => parseBtf(buildBtf([{ name: 'int', kind: 1, tail: 4 }, { name: 'x', kind: 31 }]), 'vmlinux .BTF')).toThrow('vmlinux .BTF: .BTF: type 2 at 16: expected a kind from 1 to 19, got 31');
  });
});
