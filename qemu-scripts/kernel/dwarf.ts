// Reads struct and union sizes from the DWARF of a debug vmlinux (DWARF 4 and 5, 32-bit
// offsets, little endian): the .debug_info units, their .debug_abbrev tables, and names from
// .debug_str / .debug_line_str. Only DW_AT_name and DW_AT_byte_size of the structure and union
// DIEs are kept; every other attribute is skipped by its form (DWARF 5 §7.5.6, table 7.6).
import { FactsError } from './errors.ts';

/** DW_TAG_* (DWARF 5 §7.5.3). */
const DW_TAG_structure_type = 0x13;
const DW_TAG_union_type = 0x17;
/** DW_AT_* (DWARF 5 §7.5.4). */
const DW_AT_name = 0x03;
const DW_AT_byte_size = 0x0b;
const DW_AT_declaration = 0x3c;
/** DW_FORM_implicit_const: the value sits in the abbreviation, not the DIE. */
const DW_FORM_implicit_const = 0x21;
const DW_FORM_indirect = 0x16;

/** The sections the reader needs, as bytes. */
export interface DwarfSections {
  readonly info: Uint8Array;
  readonly abbrev: Uint8Array;
  readonly str: Uint8Array;
  /** DWARF 5's .debug_line_str; absent on DWARF 4 builds. */
  readonly lineStr?: Uint8Array;
}

/** Every size a name was defined with, per kind. */
export interface DwarfSizes {
  readonly struct: ReadonlyMap<string, ReadonlySet<number>>;
  readonly union: ReadonlyMap<string, ReadonlySet<number>>;
}

interface AttrSpec { readonly at: number; readonly form: number; readonly implicit: number }
interface Abbrev { readonly tag: number; readonly children: boolean; readonly attrs: readonly AttrSpec[] }

/** A cursor over one section, with the LEB128 readers of DWARF 5 §7.6. */
class Cursor {
  p = 0;
  private readonly view: DataView;
  constructor(readonly buf: Uint8Array, private readonly file: string) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  fail(what: string): FactsError {
    return new FactsError('DWARF_INVALID', `${this.file}: ${what} at offset ${this.p}`, { pos: { file: this.file } });
  }
  u8(): number {
    if (this.p >= this.buf.length) throw this.fail('expected a byte, got the end of the section');
    return this.buf[this.p++]!;
  }
  u16(): number { const v = this.view.getUint16(this.p, true); this.p += 2; return v; }
  u32(): number { const v = this.view.getUint32(this.p, true); this.p += 4; return v; }
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }
  sleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return (b & 0x40) !== 0 ? result - mul : result;
    }
  }
  skip(n: number): void {
    this.p += n;
    if (this.p > this.buf.length) throw this.fail(`expected ${n} more bytes, got the end of the section`);
  }
  cstr(): number {
    const start = this.p;
    const end = this.buf.indexOf(0, start);
    if (end < 0) throw this.fail('expected a NUL-terminated string');
    this.p = end + 1;
    return start;
  }
}

const decoder = new TextDecoder();
function strAt(buf: Uint8Array | undefined, off: number, what: string, file: string): string {
  if (!buf || off >= buf.length) throw new FactsError('DWARF_INVALID', `${file}: expected a ${what} offset inside the section, got ${off}`, { pos: { file } });
  const end = buf.indexOf(0, off);
  return decoder.decode(buf.subarray(off, end < 0 ? buf.length : end));
}

/** One abbreviation table of .debug_abbrev, from its offset to its terminating 0 code. */
function parseAbbrevs(abbrev: Uint8Array, offset: number, file: string): Map<number, Abbrev> {
  const c = new Cursor(abbrev, `${file} .debug_abbrev`);
  c.p = offset;
  const out = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) return out;
    const tag = c.uleb();
    const children = c.u8() !== 0;
    const attrs: AttrSpec[] = [];
    for (;;) {
      const at = c.uleb();
      const form = c.uleb();
      if (at === 0 && form === 0) break;
      attrs.push({ at, form, implicit: form === DW_FORM_implicit_const ? c.sleb() : 0 });
    }
    out.set(code, { tag, children, attrs });
  }
}

/**
 * Reads one attribute value of `form` at the cursor: a number for the constant, reference and
 * string-offset forms, the start offset for an inline string, and undefined for a skipped block.
 * `addrSize` is the unit's address size; offsets are 4 bytes (32-bit DWARF).
 */
function readForm(c: Cursor, form: number, addrSize: number): number | undefined {
  switch (form) {
    case 0x01: c.skip(addrSize); return undefined; // addr
    case 0x03: c.skip(c.u16()); return undefined; // block2
    case 0x04: c.skip(c.u32()); return undefined; // block4
    case 0x05: return c.u16(); // data2
    case 0x06: return c.u32(); // data4
    case 0x07: { const lo = c.u32(); const hi = c.u32(); return hi * 2 ** 32 + lo; } // data8
    case 0x08: return c.cstr(); // string
    case 0x09: case 0x18: c.skip(c.uleb()); return undefined; // block, exprloc
    case 0x0a: c.skip(c.u8()); return undefined; // block1
    case 0x0b: case 0x0c: case 0x11: return c.u8(); // data1, flag, ref1
    case 0x0d: return c.sleb(); // sdata
    case 0x0e: case 0x10: case 0x13: case 0x17: case 0x1c: case 0x1d: case 0x1f: return c.u32(); // strp, ref_addr, ref4, sec_offset, ref_sup4, strp_sup, line_strp
    case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: return c.uleb(); // udata, ref_udata, strx, addrx, loclistx, rnglistx
    case 0x12: return c.u16(); // ref2
    case 0x14: case 0x20: case 0x24: c.skip(8); return undefined; // ref8, ref_sig8, ref_sup8
    case 0x19: return 1; // flag_present
    case 0x1e: c.skip(16); return undefined; // data16
    case 0x25: case 0x29: return c.u8(); // strx1, addrx1
    case 0x26: case 0x2a: return c.u16(); // strx2, addrx2
    case 0x27: case 0x2b: { const lo = c.u16(); return lo + c.u8() * 0x10000; } // strx3, addrx3
    case 0x28: case 0x2c: return c.u32(); // strx4, addrx4
    case 0x1f01: case 0x1f02: return c.uleb(); // GNU_addr_index, GNU_str_index
    case 0x1f20: case 0x1f21: return c.u32(); // GNU_ref_alt, GNU_strp_alt
    default: throw c.fail(`expected a DW_FORM from DWARF 4 or 5, got 0x${form.toString(16)}`);
  }
}

/** The name of a DW_AT_name value by its form: inline, .debug_str or .debug_line_str. */
function nameOf(form: number, value: number, s: DwarfSections, c: Cursor, file: string): string {
  if (form === 0x08) return strAt(c.buf, value, 'DW_FORM_string', file);
  if (form === 0x0e) return strAt(s.str, value, '.debug_str', file);
  if (form === 0x1f) return strAt(s.lineStr, value, '.debug_line_str', file);
  throw c.fail(`expected DW_AT_name as DW_FORM_string, strp or line_strp, got form 0x${form.toString(16)} (strx needs .debug_str_offsets, which this reader does not read)`);
}

/**
 * The byte sizes of every named, defined (not DW_AT_declaration) struct and union whose name is
 * in `structs` / `unions`, over all units. A name defined in many units appears once per distinct size.
 */
export function dwarfSizes(s: DwarfSections, structs: ReadonlySet<string>, unions: ReadonlySet<string>, file = 'vmlinux'): DwarfSizes {
  const out = { struct: new Map<string, Set<number>>(), union: new Map<string, Set<number>>() };
  const c = new Cursor(s.info, `${file} .debug_info`);
  const tables = new Map<number, Map<number, Abbrev>>();
  while (c.p < s.info.length) {
    const unitStart = c.p;
    const length = c.u32();
    if (length >= 0xfffffff0) throw c.fail(`expected a 32-bit DWARF unit length, got 0x${length.toString(16)} (64-bit DWARF is not read)`);
    const unitEnd = c.p + length;
    const version = c.u16();
    let abbrevOff: number;
    let addrSize: number;
    if (version === 5) {
      const unitType = c.u8();
      addrSize = c.u8();
      abbrevOff = c.u32();
      if (unitType === 0x02 || unitType === 0x06) c.skip(12); // DW_UT_type, split_type: signature + type_offset
      else if (unitType === 0x04 || unitType === 0x05) c.skip(8); // DW_UT_skeleton, split_compile: dwo_id
    } else if (version >= 2 && version <= 4) {
      abbrevOff = c.u32();
      addrSize = c.u8();
    } else {
      throw c.fail(`expected a unit of DWARF version 2 to 5 at ${unitStart}, got version ${version}`);
    }
    let table = tables.get(abbrevOff);
    if (!table) {
      table = parseAbbrevs(s.abbrev, abbrevOff, file);
      tables.set(abbrevOff, table);
    }
    while (c.p < unitEnd) {
      const code = c.uleb();
      if (code === 0) continue;
      const ab = table.get(code);
      if (!ab) throw c.fail(`expected an abbreviation code of the unit at ${unitStart}, got ${code}`);
      const want = ab.tag === DW_TAG_structure_type ? structs : ab.tag === DW_TAG_union_type ? unions : undefined;
      let name: string | undefined;
      let size: number | undefined;
      let declaration = false;
      for (const a of ab.attrs) {
        let form = a.form;
        if (form === DW_FORM_indirect) form = c.uleb();
        const value = form === DW_FORM_implicit_const ? a.implicit : readForm(c, form, addrSize);
        if (!want || value === undefined) continue;
        if (a.at === DW_AT_name) name = nameOf(form, value, s, c, file);
        else if (a.at === DW_AT_byte_size) size = value;
        else if (a.at === DW_AT_declaration) declaration = value !== 0;
      }
      if (!want || name === undefined || size === undefined || declaration || !want.has(name)) continue;
      const map = ab.tag === DW_TAG_structure_type ? out.struct : out.union;
      let set = map.get(name);
      if (!set) map.set(name, (set = new Set()));
      set.add(size);
    }
    c.p = unitEnd;
  }
  return out;
}
