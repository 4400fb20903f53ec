// The ACPI blob is one ACPI_BUILD_TABLE_SIZE step (sim/firmware/e820-table.ts): in every golden the
// tables QEMU wrote (all but the RSDP, which SeaBIOS puts in the F segment) span less than the step,
// and less than QEMU's own 64 KiB warning, at every vCPU count and node count captured.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldensDir } from '../../../sim/base/paths.ts';
import { loadKernel } from '../../../harness/kernels.ts';
import { goldenProfile } from '../../golden-profiles.ts';
import { ACPI_BUILD_TABLE_SIZE } from '../../../sim/firmware/e820-table.ts';

/** The span of the ACPI tables printed by acpi_table_print_info ("ACPI: DSDT 0x… 00199F (…)"), RSDP left out. */
function acpiSpan(log: string): { start: bigint; end: bigint; tables: number } | undefined {
  let start: bigint | undefined;
  let end = 0n;
  let tables = 0;
  for (const m of log.matchAll(/ACPI: ([A-Z0-9]{4}) 0x([0-9A-F]{16}) ([0-9A-F]{6})/g)) {
    if (m[1] === 'RSDP') continue;
    const a = BigInt(`0x${m[2]}`);
    const e = a + BigInt(`0x${m[3]}`);
    start = start === undefined || a < start ? a : start;
    if (e > end) end = e;
    tables++;
  }
  return start === undefined ? undefined : { start, end, tables };
}

// acpi=off goldens print no table lines (acpi_boot_table_init() returns at once), nor do builds
// without CONFIG_ACPI (the seeds' allnoconfig 3.0.1), nor 2.6.11, whose acpi_table_print() is
// printk(KERN_DEBUG …) (drivers/acpi/tables.c, 2.6.11; below console_loglevel 7): nothing to read the span from
const acpiBuilt = (d: string): boolean => {
  const k = loadKernel(goldenProfile(d).kernel);
  return (k.facts ?? k.partialFacts)?.config.ACPI === 'y' && k.release !== '2.6.11';
};
const goldens = readdirSync(goldensDir).filter((d) => existsSync(path.join(goldensDir, d, 'serial.log')) && !/\bacpi=off\b/.test(readFileSync(path.join(goldensDir, d, 'profile.yaml'), 'utf8')) && acpiBuilt(d));

describe('ACPI blob: one table step', () => {
  test('acpiSpan reads the table lines of a log', () => {
    const log = [
      'ACPI: RSDP 0x00000000000F59D0 000014 (v00 BOCHS )',
      'ACPI: RSDT 0x000000001FFE1B33 000034 (v01 BOCHS  BXPC     00000001 BXPC 00000001)',
      'ACPI: DSDT 0x000000001FFE0040 00199F (v01 BOCHS  BXPC     00000001 BXPC 00000001)',
      'ACPI: FACS 0x000000001FFE0000 000040',
    ].join('\n');
    expect(acpiSpan(log)).toEqual({ start: 0x1ffe0000n, end: 0x1ffe1b67n, tables: 3 });
  });
  test.each(goldens)('%s: the tables span less than 64 KiB, so ROUND_UP(len, 0x20000) is one step', (name) => {
    const span = acpiSpan(readFileSync(path.join(goldensDir, name, 'serial.log'), 'latin1'));
    expect(span).toBeDefined();
    const len = span!.end - span!.start;
    expect(len).toBeGreaterThan(0n);
    expect(len).toBeLessThanOrEqual(ACPI_BUILD_TABLE_SIZE / 2n);
  });
});
