// printk conversions the memory-init messages use (lib/vsprintf.c). Each takes a bigint and
// reproduces the C conversion byte for byte, including the '#' flag's "0x" counting toward width.

/** `%#0<width>Lx` / `%#0<width>llx` / `%#0<width>lx`: "0x" + hex, zero-padded so the whole is ≥ width. */
export function hexAlt(v: bigint, width: number): string {
  if (v < 0n) throw new RangeError(`printk: negative value ${v} for an unsigned conversion`);
  // lib/vsprintf.c number(): with SPECIAL|ZEROPAD the "0x" is written first and digits are
  // zero-padded to width - 2. A zero value still gets "0x" for %#x in the kernel (unlike glibc).
  const digits = v.toString(16);
  const pad = Math.max(0, width - 2 - digits.length);
  return '0x' + '0'.repeat(pad) + digits;
}

/** `%#018Lx`, the `[mem …]` form of e820__print_table and the zone lines. */
export const fmt018Lx = (v: bigint): string => hexAlt(v, 18);
/** `%#010Lx` / `%#010llx` / `%#010lx`, the short `[mem …]` form. */
export const fmt010Lx = (v: bigint): string => hexAlt(v, 10);
/** `%#lx`: no padding. */
export const fmtLx = (v: bigint): string => hexAlt(v, 0);

/** `%0<width>lx` without '#': zero-padded lower-case hex. */
export function hexPad(v: bigint, width: number): string {
  if (v < 0n) throw new RangeError(`printk: negative value ${v} for an unsigned conversion`);
  return v.toString(16).padStart(width, '0');
}

/** `%08lx` (arch/x86/mm/init_32.c "  low ram: 0 - %08lx"). */
export const fmt08lx = (v: bigint): string => hexPad(v, 8);

/** `%pa` (lib/vsprintf.c address_val): "0x" + the phys_addr_t zero-padded to its full width. */
export function fmtPa(v: bigint, physAddrBytes: 4 | 8): string {
  return hexAlt(v, 2 + physAddrBytes * 2);
}

/** `%lu` / `%ld` / `%u`. */
export const fmtLu = (v: bigint | number): string => v.toString(10);

/** `%<width>s` right-aligned, `%-<width>s` left-aligned. */
export function fmtS(s: string, width: number): string {
  return width < 0 ? s.padEnd(-width) : s.padStart(width);
}
