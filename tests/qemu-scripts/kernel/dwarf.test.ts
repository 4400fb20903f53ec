import { describe, expect, it } from 'vitest';
import { dwarfSizes, type DwarfSections } from '../../../qemu-scripts/kernel/dwarf.ts';
import { dwarfStructs } from '../../../qemu-scripts/kernel/structs.ts';

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return out;
};
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/**
 * A DWARF 5 unit: a compile_unit (name strp, low_pc addr) holding, as children, struct page
 * (strp name, data1 size 40), a declaration of struct pglist_data (no size), a union acpi_operand_object
 * (inline name, data2 size 48), a struct task_struct (implicit_const size 6528) and a base type.
 */
function sample(opts: { secondPageSize?: number; version?: 4 | 5; badForm?: boolean } = {}): DwarfSections {
  const strs = '\0page\0pglist_data\0task_struct\0int\0cu.c\0';
  const str = new TextEncoder().encode(strs);
  const at = (s: string): number => strs.indexOf(`\0${s}\0`) + 1;
  const abbrev = new Uint8Array([
    ...uleb(1), 0x11, 1, 0x03, 0x0e, 0x11, 0x01, 0, 0, // compile_unit, children: name strp, low_pc addr
    ...uleb(2), 0x13, 0, 0x03, 0x0e, 0x0b, 0x0b, 0, 0, // structure_type: name strp, byte_size data1
    ...uleb(3), 0x13, 0, 0x03, 0x0e, 0x3c, 0x19, 0, 0, // structure_type declaration: name strp, declaration flag_present
    ...uleb(4), 0x17, 0, 0x03, 0x08, 0x0b, 0x05, 0, 0, // union_type: name string, byte_size data2
    ...uleb(5), 0x13, 0, 0x03, 0x0e, 0x0b, 0x21, 0x80, 0x33, 0, 0, // byte_size implicit_const (sleb 6528)
    ...uleb(6), 0x24, 0, 0x03, 0x0e, 0x0b, opts.badForm ? 0x7e : 0x0b, 0x3e, 0x0b, 0, 0, // base_type: name, byte_size, encoding
    0,
  ]);
  const die = [
    ...uleb(1), ...u32(at('cu.c')), ...u32(0xc1000000),
    ...uleb(2), ...u32(at('page')), 40,
    ...uleb(3), ...u32(at('pglist_data')),
    ...uleb(4), ...new TextEncoder().encode('acpi_operand_object\0'), 48, 0,
    ...uleb(5), ...u32(at('task_struct')),
    ...uleb(6), ...u32(at('int')), 4, 5,
    0,
  ];
  const unit = (body: number[], version: 4 | 5): number[] => {
    const hdr = version === 5 ? [5, 0, 0x01, 4, ...u32(0)] : [4, 0, ...u32(0), 4];
    return [...u32(hdr.length + body.length), ...hdr, ...body];
  };
  const v = opts.version ?? 5;
  const units = [...unit(die, v)];
  if (opts.secondPageSize !== undefined) units.push(...unit([...uleb(1), ...u32(at('cu.c')), ...u32(0), ...uleb(2), ...u32(at('page')), opts.secondPageSize, 0], v));
  return { info: new Uint8Array(units), abbrev, str };
}

const want = { structs: new Set(['page', 'pglist_data', 'task_struct']), unions: new Set(['acpi_operand_object']) };

describe('dwarfSizes', () => {
  it('dwarf_sizes_of_defined_structs_and_unions', () => {
    // expect the defined struct sizes by strp name (data1, implicit_const) and the union's by inline name; the declaration is skipped
    for (const version of [4, 5] as const) {
      const got = dwarfSizes(sample({ version }), want.structs, want.unions);
      expect(Object.fromEntries([...got.struct].map(([k, v]) => [k, [...v]]))).toEqual({ page: [40], task_struct: [6528] });
      expect(Object.fromEntries([...got.union].map(([k, v]) => [k, [...v]]))).toEqual({ acpi_operand_object: [48] });
    }
  });

  it('dwarf_sizes_unknown_form_refused', () => {
    // expect an attribute form outside DWARF 4/5 to be a DWARF_INVALID error, not a skipped DIE
    expect(() => dwarfSizes(sample({ badForm: true }), want.structs, want.unions)).toThrow(/DW_FORM.*0x7e/);
  });
});

describe('dwarfStructs', () => {
  it('dwarf_structs_sources_dwarf', () => {
    // expect each struct and union of the reader's lists with source 'dwarf'
    const s = dwarfStructs(dwarfSizes(sample(), want.structs, want.unions));
    expect(s.page).toEqual({ bytes: 40, source: 'dwarf' });
    expect(s.task_struct).toEqual({ bytes: 6528, source: 'dwarf' });
    expect(s.acpi_operand_object).toEqual({ bytes: 48, source: 'dwarf' });
    expect(s.pglist_data).toBeUndefined();
  });

  it('dwarf_structs_two_sizes_refused', () => {
    // expect a struct defined with two sizes in two units to be refused (DWARF_INVALID), and one size twice to be one struct
    expect(() => dwarfStructs(dwarfSizes(sample({ secondPageSize: 44 }), want.structs, want.unions))).toThrow(/struct page, got sizes 40, 44/);
    expect(dwarfStructs(dwarfSizes(sample({ secondPageSize: 40 }), want.structs, want.unions)).page?.bytes).toBe(40);
  });
});
