// Reads struct sizes from a .BTF section (Documentation/bpf/btf.rst, include/uapi/linux/btf.h):
// a header, a type section of btf_type records with kind-specific tails, and a string section.
import { FactsError } from './errors.ts';

export const BTF_MAGIC = 0xeb9f;

/** BTF_KIND_* from include/uapi/linux/btf.h. */
export const BtfKind = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9,
  CONST: 10, RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16,
  DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19,
} as const;

export interface BtfType {
  /** Type id; ids start at 1 (0 is void). */
  readonly id: number;
  readonly kind: number;
  readonly name: string;
  readonly vlen: number;
  /** btf_type.size for INT, STRUCT, UNION, ENUM, DATASEC, FLOAT, ENUM64; else the referenced type id. */
  readonly sizeOrType: number;
}

export interface Btf {
  readonly version: number;
  readonly types: readonly BtfType[];
}

// The bytes that follow the 12-byte btf_type for each kind (btf.rst §2.2).
function tailBytes(kind: number, vlen: number): number | undefined {
  switch (kind) {
    case BtfKind.INT: case BtfKind.VAR: case BtfKind.DECL_TAG: return 4;
    case BtfKind.ARRAY: return 12;
    case BtfKind.STRUCT: case BtfKind.UNION: case BtfKind.DATASEC: case BtfKind.ENUM64: return 12 * vlen;
    case BtfKind.ENUM: case BtfKind.FUNC_PROTO: return 8 * vlen;
    case BtfKind.PTR: case BtfKind.FWD: case BtfKind.TYPEDEF: case BtfKind.VOLATILE: case BtfKind.CONST:
    case BtfKind.RESTRICT: case BtfKind.FUNC: case BtfKind.FLOAT: case BtfKind.TYPE_TAG: return 0;
    default: return undefined;
  }
}

/** Parses a little-endian .BTF section. */
export function parseBtf(buf: Uint8Array, file = '.BTF'): Btf {
  const bad = (what: string, code: 'BTF_INVALID' | 'TRUNCATED' = 'BTF_INVALID'): FactsError => new FactsError(code, `.BTF: ${what}`, { pos: { file } });
  if (buf.length < 24) throw bad(`expected a 24-byte header, got ${buf.length} bytes`, 'TRUNCATED');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint16(0, true);
  if (magic !== BTF_MAGIC) throw bad(`expected magic 0xeb9f (little endian), got 0x${magic.toString(16)}`);
  const version = buf[2]!;
  const hdrLen = view.getUint32(4, true);
  const typeOff = view.getUint32(8, true);
  const typeLen = view.getUint32(12, true);
  const strOff = view.getUint32(16, true);
  const strLen = view.getUint32(20, true);
  const typeStart = hdrLen + typeOff;
  const strStart = hdrLen + strOff;
  if (typeStart + typeLen > buf.length || strStart + strLen > buf.length) {
    throw bad(`expected types at ${typeStart}+${typeLen} and strings at ${strStart}+${strLen}, but the section has ${buf.length} bytes`, 'TRUNCATED');
  }
  const decoder = new TextDecoder();
  const str = (off: number): string => {
    if (off >= strLen) throw bad(`expected a name offset below the string section size ${strLen}, got ${off}`);
    let end = strStart + off;
    while (end < strStart + strLen && buf[end] !== 0) end++;
    return decoder.decode(buf.subarray(strStart + off, end));
  };
  const types: BtfType[] = [];
  let p = typeStart;
  const end = typeStart + typeLen;
  while (p < end) {
    if (p + 12 > end) throw bad(`type ${types.length + 1} at ${p - typeStart}: expected 12 bytes, got ${end - p}`, 'TRUNCATED');
    const nameOff = view.getUint32(p, true);
    const info = view.getUint32(p + 4, true);
    const sizeOrType = view.getUint32(p + 8, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const tail = tailBytes(kind, vlen);
    if (tail === undefined) throw bad(`type ${types.length + 1} at ${p - typeStart}: expected a kind from 1 to 19, got ${kind}`);
    if (p + 12 + tail > end) throw bad(`type ${types.length + 1} at ${p - typeStart}: expected ${tail} bytes of members, got ${end - p - 12}`, 'TRUNCATED');
    types.push({ id: types.length + 1, kind, name: str(nameOff), vlen, sizeOrType });
    p += 12 + tail;
  }
  return { version, types };
}

/** sizeof(struct name), or undefined when the BTF has no such struct; two different sizes is an error. */
export function structSize(btf: Btf, name: string, file = '.BTF', kind: 'struct' | 'union' = 'struct'): number | undefined {
  const k = kind === 'union' ? BtfKind.UNION : BtfKind.STRUCT;
  const sizes = new Set(btf.types.filter((t) => t.kind === k && t.name === name).map((t) => t.sizeOrType));
  if (sizes.size > 1) throw new FactsError('BTF_INVALID', `.BTF: expected one ${kind} ${name}, got sizes ${[...sizes].join(', ')}`, { pos: { file } });
  return sizes.values().next().value;
}
