// The slab-order parameters' values as the kernel's parsers read them (mm/slub.c setup_slub_min_order,
// setup_slub_max_order, setup_slub_min_objects; 5.10.223, 6.1.192, 6.12.115, 7.2.13). Apart from
// slub.ts because the command-line register (cmdline.ts PARAM_REVIEWS) tests them too, and slub.ts
// reads the command line through cmdline.ts: one module each way would be an import cycle.

/**
 * include/linux/mmzone.h: the cap setup_slub_max_order() applies, MAX_ORDER − 1 (5.10, 6.1: MAX_ORDER
 * 11) or MAX_PAGE_ORDER (6.12, 7.2: 10), without CONFIG_FORCE_MAX_ZONEORDER / ARCH_FORCE_MAX_ORDER
 * (which arch/x86/Kconfig never sets).
 */
export const SLUB_ORDER_CAP = 10;
/** The largest value get_option()'s int and kstrtouint() read alike. */
const INT_MAX = 0x7fffffff;

/**
 * A slab-order parameter's value as both of its parsers read it the same way: one plain number
 * (decimal, 0x hex or 0 octal) up to INT_MAX. __setup (≤ 6.12): get_option() → simple_strtol(…, 0)
 * ignores what follows the digits and leaves the variable alone without any; core_param /
 * __core_param_cb (7.2): kstrtouint(…, 0) fails on either, and parse_args() prints an error.
 */
export function slubOrderValue(val: string | undefined): number | undefined {
  if (val === undefined || !/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(val)) return undefined;
  const n = /^0[xX]/.test(val) ? parseInt(val.slice(2), 16) : val.length > 1 && val.startsWith('0') ? parseInt(val.slice(1), 8) : parseInt(val, 10);
  return n <= INT_MAX ? n : undefined;
}

/** PARAM_REVIEWS' test for a slab-order parameter as given ("slub_max_order=2"): why it is refused, or undefined. */
export function slubOrderRefusal(arg: string): string | undefined {
  const eq = arg.indexOf('=');
  const v = slubOrderValue(eq < 0 ? undefined : arg.slice(eq + 1));
  if (v === undefined) return 'only one plain number up to INT_MAX is read alike by get_option() (__setup, ≤ 6.12) and kstrtouint() (core_param, 7.2, which prints an error for anything else)';
  if (/^sl[au]b[-_]min[-_]order=/.test(arg) && v > SLUB_ORDER_CAP) return `a slub_min_order above ${SLUB_ORDER_CAP} (MAX_ORDER − 1 / MAX_PAGE_ORDER) makes slabs no zone can allocate`;
  return undefined;
}
