// models the length of the SMBIOS structure table QEMU 7.2 builds (hw/smbios/smbios.c
// smbios_get_tables) plus the type 0 SeaBIOS 1.16.2 prepends (src/fw/biostables.c
// smbios_build_tables). SeaBIOS puts the table in the f-segment when it is ≤ BUILD_MAX_SMBIOS_FSEG
// bytes, else in ZoneHigh, where it changes how much of the top of low RAM stays reserved.
import type { QemuMachineFacts } from './qemu-7.2.ts';
import { SZ_1G } from '../lib/sizes.ts';

/** Formatted-area sizes, sizeof() of the packed structs in include/hw/firmware/smbios.h (QEMU 7.2). */
const T1 = 27, T3 = 22, T4_V28 = 42, T16 = 23, T17 = 40, T19 = 31, T32 = 11, T127 = 4;
/** The strings of SeaBIOS 1.16.2's type 0 (src/fw/biostables.c smbios_new_type_0: "SeaBIOS", VERSION, BIOS_DATE; Debian's build). */
export const SEABIOS_T0_STRINGS = { vendor: 'SeaBIOS', version: '1.16.2-debian-1.16.2-1', date: '04/01/2014' } as const;
/** SeaBIOS src/std/smbios.h struct smbios_type_0 (24 bytes) + its three strings, 4 NULs. */
const SEABIOS_T0 = 24 + SEABIOS_T0_STRINGS.vendor.length + SEABIOS_T0_STRINGS.version.length + SEABIOS_T0_STRINGS.date.length + 4;
/** QEMU smbios_build_type_17_table: DIMM-like chunks of MAX_DIMM_SZ (16 GiB). */
const MAX_DIMM_SZ = 16n * SZ_1G;
/** SeaBIOS src/config.h BUILD_MAX_SMBIOS_FSEG. */
export const BUILD_MAX_SMBIOS_FSEG = 600;

/** SMBIOS_TABLE_SET_STR + SMBIOS_BUILD_TABLE_POST: each non-empty string + NUL, then one NUL (two if none). */
function strs(...s: string[]): number {
  const present = s.filter((x) => x.length > 0);
  return present.reduce((n, x) => n + x.length + 1, 0) + (present.length === 0 ? 2 : 1);
}

export interface SmbiosInput {
  readonly machine: QemuMachineFacts;
  readonly ramBytes: bigint;
  /** ms->smp.sockets: 1 for "-smp N" on 7.2 machine types (prefer cores since 6.2, hw/core/machine-smp.c). */
  readonly sockets: number;
  /** RAM entries of QEMU's etc/e820 (hw/i386/fw_cfg.c fw_cfg_build_smbios builds one type 19 each). */
  readonly ramAreas: number;
}

/** The structure table length SeaBIOS ends up with (QEMU tables + SeaBIOS type 0). */
export function smbiosTableLength(i: SmbiosInput): number {
  const v = i.machine.versionedName;
  const mfr = 'QEMU';
  let n = SEABIOS_T0;
  n += T1 + strs(mfr, i.machine.smbiosProduct, v); // type 1: manufacturer, product, version
  n += T3 + strs(mfr, v); // type 3: manufacturer, version
  for (let s = 0; s < i.sockets; s++) {
    // type 4: "%s%2x" socket designation with prefix "CPU", manufacturer, version
    n += T4_V28 + strs('CPU' + s.toString(16).padStart(2, ' '), mfr, v);
  }
  const dimms = Number((i.ramBytes + MAX_DIMM_SZ - 1n) / MAX_DIMM_SZ);
  n += T16 + strs();
  for (let d = 0; d < dimms; d++) n += T17 + strs(`DIMM ${d}`, mfr); // device locator, manufacturer
  n += i.ramAreas * (T19 + strs());
  n += T32 + strs();
  n += T127 + strs();
  return n;
}

/** True when SeaBIOS allocates the table with malloc_high (src/fw/biostables.c). */
export const smbiosInZoneHigh = (len: number): boolean => len > BUILD_MAX_SMBIOS_FSEG;
