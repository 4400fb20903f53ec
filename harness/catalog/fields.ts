// Typed fields of a catalog line, so that a mismatch reads per field:
//   mem.summary.available: sim 464200K, golden 464212K (−12K)
//   zones.range[DMA32].end: sim 0x1ffdefff, golden 0x1ffdffff (−0x1000)

/**
 * What a number means, which decides how it is parsed and shown.
 * - addr: physical address, printed in hex (bigint)
 * - pfn: page frame number, printed in hex (bigint)
 * - pages: a count of 4K pages (number)
 * - kbytes / mbytes / bytes: sizes in K, MB, bytes (number)
 * - count: any other decimal count (CPUs, entries, zonelists, orders; number)
 * - node: a NUMA node or PXM id (number)
 * - text: anything else, compared as a string
 */
export type FieldKind = 'addr' | 'pfn' | 'pages' | 'kbytes' | 'mbytes' | 'bytes' | 'count' | 'node' | 'text';

export type FieldValue = bigint | number | string;

/** One parsed field. `key` fields name the line (zone, node) rather than measure it. */
export interface Field {
  readonly name: string;
  readonly kind: FieldKind;
  readonly value: FieldValue;
  readonly key?: true;
}

/** How a family turns a regex group into a field. */
export interface FieldSpec {
  /** The named group in the family's regex. */
  readonly group: string;
  /** Stable field name; defaults to the group name. */
  readonly name?: string;
  readonly kind: FieldKind;
  /** Part of the line's key (e.g. the zone in `zones.range[DMA32]`), not a measurement. */
  readonly key?: true;
  /** The group may be absent (e.g. `, 1195912K highmem` on i386 only); the field is then left out. */
  readonly optional?: true;
}

const HEX = /^(?:0x)?[0-9a-fA-F]+$/;
const DEC = /^-?\d+$/;

/** Parses one group's text by kind; returns undefined when the text does not fit the kind. */
export function parseFieldValue(kind: FieldKind, raw: string): FieldValue | undefined {
  switch (kind) {
    case 'addr':
    case 'pfn': {
      if (!HEX.test(raw)) return undefined;
      return BigInt(raw.startsWith('0x') ? raw : `0x${raw}`);
    }
    case 'text':
      return raw;
    default: {
      const t = raw.trim();
      if (!DEC.test(t)) return undefined;
      const n = Number(t);
      return Number.isSafeInteger(n) ? n : undefined;
    }
  }
}

/** A field as it should read in a report: `0x1ffdffff`, `464212K`, `97 pages`. */
export function formatFieldValue(kind: FieldKind, value: FieldValue): string {
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'addr':
    case 'pfn':
      return `0x${value.toString(16)}`;
    case 'kbytes':
      return `${value}K`;
    case 'mbytes':
      return `${value}MB`;
    case 'bytes':
      return `${value} bytes`;
    case 'pages':
      return `${value} pages`;
    default:
      return String(value);
  }
}

/** The signed difference sim − golden, formatted like the values; undefined for text or equal values. */
export function formatFieldDelta(kind: FieldKind, sim: FieldValue, golden: FieldValue): string | undefined {
  if (typeof sim === 'string' || typeof golden === 'string') return undefined;
  if (typeof sim === 'bigint' || typeof golden === 'bigint') {
    const d = BigInt(sim) - BigInt(golden);
    if (d === 0n) return undefined;
    const sign = d < 0n ? '−' : '+';
    const abs = d < 0n ? -d : d;
    return `${sign}0x${abs.toString(16)}`;
  }
  const d = sim - golden;
  if (d === 0) return undefined;
  const sign = d < 0 ? '−' : '+';
  return `${sign}${formatFieldValue(kind, Math.abs(d))}`;
}

/** The stable path of a field: `zones.range[DMA32].end`, `mem.summary.available`. */
export function fieldPath(family: string, key: string | undefined, field: string): string {
  return key === undefined ? `${family}.${field}` : `${family}[${key}].${field}`;
}

/** One line of a field mismatch report: `path: sim X, golden Y (±d)`. */
export function describeFieldMismatch(path: string, kind: FieldKind, sim: FieldValue | undefined, golden: FieldValue | undefined): string {
  const s = sim === undefined ? 'absent' : formatFieldValue(kind, sim);
  const g = golden === undefined ? 'absent' : formatFieldValue(kind, golden);
  const d = sim === undefined || golden === undefined ? undefined : formatFieldDelta(kind, sim, golden);
  return `${path}: sim ${s}, golden ${g}${d ? ` (${d})` : ''}`;
}
