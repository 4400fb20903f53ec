// The shapes the comparison works on. Catalog lines come from harness/normalise.ts and
// harness/catalog/ (through ./catalog-port.ts, the one place that imports them); the
// simulator's lines are parsed by the same catalog, so both sides are read in one place.

import type { Field } from '../catalog/fields.ts';

/** A typed value parsed out of a line by its catalog family (harness/catalog/fields.ts). */
export type LineField = Field;

/** One line under comparison, from either side. */
export interface CompareLine {
  /** Catalog family id, e.g. 'zones.range'. */
  readonly family: string;
  /** The text without the timestamp. */
  readonly text: string;
  /** 1-based line number in the raw golden file; undefined for simulated lines. */
  readonly line?: number;
  /** Index of the line in the simulator's output; undefined for golden lines. */
  readonly index?: number;
  /** The stage that printed it (simulated lines only). */
  readonly stage?: string;
  /** Fields parsed by the family; empty when the text does not parse. */
  readonly fields: readonly LineField[];
  /** The joined key fields as the catalog gives them, e.g. 'DMA32' or '0:DMA'. */
  readonly key?: string;
  /** Sim lines only: the family the stage declared, when the text parses as another. */
  readonly declared?: string;
}

/** A volatile field of a family and its bound (harness/catalog/volatile.ts). */
export interface VolatileTrait {
  readonly name: string;
  /** |sim − golden| up to this counts as equal-within-bound, in the field's unit (K for kbytes). */
  readonly tolerance: number;
}

/** What the comparison needs to know about a family. */
export interface FamilyTraits {
  readonly id: string;
  /** The stage that owns the family, e.g. 'zones'. */
  readonly stage: string;
  /** Fields whose values change from boot to boot, each compared within its evidence bound. */
  readonly volatile: readonly VolatileTrait[];
  /** A field that names the line among its family, besides the fields the catalog flags `key`. */
  readonly keyField?: string;
}

export type LineStatus = 'exact' | 'mismatched' | 'missing' | 'extra';

/** 'within-bound' / 'out-of-bound': a volatile field whose |sim − golden| is / is not within its tolerance. */
export type FieldStatus = 'equal' | 'differs' | 'within-bound' | 'out-of-bound' | 'only-golden' | 'only-sim';

/** One field compared across the two sides. */
export interface FieldDelta {
  /** Display path, e.g. 'zones.range[DMA32].end'. */
  readonly path: string;
  readonly name: string;
  readonly kind: string;
  readonly status: FieldStatus;
  readonly volatile: boolean;
  readonly golden?: string;
  readonly sim?: string;
  /** Signed difference sim − golden for numeric kinds, formatted, e.g. '−12K'. */
  readonly delta?: string;
  /** Volatile fields: the bound, formatted, e.g. '±744K'. */
  readonly tolerance?: string;
  /** Volatile fields: sim − golden and the tolerance as numbers, in the field's unit. */
  readonly bound?: { readonly delta: number; readonly tolerance: number };
}

/** One catalog line after alignment. */
export interface ComparedLine {
  readonly family: string;
  readonly stage: string;
  readonly status: LineStatus;
  /** Stable key for the ratchet, e.g. 'zones.range[DMA32]' or 'e820.entry#3'; from the golden side. */
  readonly key: string;
  readonly golden?: CompareLine;
  readonly sim?: CompareLine;
  /** Field deltas, present for mismatched lines and for exact lines with volatile fields. */
  readonly fields?: readonly FieldDelta[];
  /** Set when a missing line appears elsewhere in the simulator's output (or vice versa): it moved. */
  readonly moved?: boolean;
  /** The register entry that explains this divergence, when there is one. */
  readonly known?: string;
}

/** Counts of the golden's window lines, by class, from the catalog's window report. */
export interface WindowCounts {
  readonly lines: number;
  readonly catalog: number;
  readonly masked: number;
  readonly firmware: number;
  readonly unmodelled: number;
  /** Window lines that are not masked. */
  readonly deterministic: number;
  /** catalog / deterministic, from harness/catalog coverageOf (0 when there is no window). */
  readonly coverage: number;
  /** Catalog lines printed outside the window (hashes, "Command line:", highmem init…). */
  readonly catalogOutside?: number;
  /** Raw line numbers of the window's bounds in the golden. */
  readonly startLine?: number;
  readonly endLine?: number;
}
