// models the memory affinity structures QEMU 7.2 puts in the ACPI SRAT for -numa
// (hw/i386/acpi-build.c build_srat): nodes laid end to end from 0 in RAM order, with the 640K–1M
// hole and the PCI hole (below_4g_mem_size → above_4g_mem_start) cut out. Data for the NUMA stage.
import type { Range } from '../lib/ranges.ts';
import { bytes } from '../lib/sizes.ts';

/** hw/i386/acpi-build.c HOLE_640K_START / HOLE_640K_END. */
const HOLE_640K_START = 640n * 1024n;
const HOLE_640K_END = 1024n * 1024n;

export interface SratMemory extends Range {
  readonly node: number;
}

export function sratMemoryAffinity(nodeBytes: readonly number[], below4g: bigint, above4gStart: bigint): SratMemory[] {
  const out: SratMemory[] = [];
  const emit = (start: bigint, len: bigint, node: number) => {
    if (len > 0n) out.push({ start, end: start + len, node });
  };
  let next = 0n;
  for (let n = 0; n < nodeBytes.length; n++) {
    let base = next;
    let len = bytes(nodeBytes[n]!);
    next = base + len;
    // Cut out the 640K hole
    if (base <= HOLE_640K_START && next > HOLE_640K_START) {
      len -= next - HOLE_640K_START;
      emit(base, len, n);
      if (next <= HOLE_640K_END) {
        next = HOLE_640K_END;
        continue;
      }
      base = HOLE_640K_END;
      len = next - HOLE_640K_END;
    }
    // Cut out the ACPI_PCI hole
    if (base <= below4g && next > below4g) {
      len -= next - below4g;
      emit(base, len, n);
      base = above4gStart;
      len = next - below4g;
      next = base + len;
    }
    emit(base, len, n);
  }
  return out;
}
