// The register of known divergences, goldens/divergences.yaml: lines where the simulator is
// known to differ from the kernel, each with a reason. They are counted apart in every
// report, never hidden, and they do not excuse a ratchet regression.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node, type Pair } from 'yaml';
import { BootsimError, type SourcePos } from '../sim/base/errors.ts';
import { goldensDir, displayPath } from '../sim/base/paths.ts';
import type { ComparedLine } from './compare/types.ts';

export type DivergenceCode = 'DIVERGENCE_FILE_INVALID' | 'DIVERGENCE_ENTRY_INVALID' | 'DIVERGENCE_UNKNOWN_FAMILY';

export class DivergenceError extends BootsimError<DivergenceCode> {
  override readonly name = 'DivergenceError';
}

export const divergencesFile = path.join(goldensDir, 'divergences.yaml');

/** One register entry. At least one of profile and kernel is given; both must match when both are. */
export interface Divergence {
  /** Glob on the profile name, e.g. 'x86_64-6.12-*'. */
  readonly profile?: string;
  /** Glob on the kernel id, e.g. '6.12-*'. */
  readonly kernel?: string;
  /** Catalog family id, e.g. 'mem.summary'. */
  readonly family: string;
  /** Optional: one line of the family by its ratchet key, e.g. 'zones.range[DMA32]'. */
  readonly key?: string;
  readonly reason: string;
  /** Where the entry sits in the register. */
  readonly pos: SourcePos;
}

const FIELDS = new Set(['profile', 'kernel', 'family', 'key', 'reason']);
/** Fields of a ledger entry: `ledger` instead of `family` (and no `key`). */
const LEDGER_FIELDS = new Set(['profile', 'kernel', 'ledger', 'reason']);

/**
 * A ledger entry of the register: the memblock=debug reservations and allocations of one
 * printed caller (its source function, e.g. 'acpi_reserve_initial_tables') that the simulated
 * ledger does not make, with the reason. harness/compare/ledger.ts sets them apart, counted.
 */
export interface LedgerDivergence {
  readonly profile?: string;
  readonly kernel?: string;
  /** The caller's source function as memblock=debug prints it, clone suffixes (.constprop.0 …) dropped. */
  readonly ledger: string;
  readonly reason: string;
  readonly pos: SourcePos;
}

/** The register's two kinds of entry: catalog lines and memblock ledger operations. */
export interface Register {
  readonly lines: Divergence[];
  readonly ledger: LedgerDivergence[];
}

function globRe(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/** Parses and validates a register's catalog-line entries. `families` is the set of catalog family ids. */
export function parseDivergences(src: string, file: string, families: ReadonlySet<string>): Divergence[] {
  return parseRegister(src, file, families).lines;
}

/** Parses and validates a register: entries with `family` are lines, entries with `ledger` are memblock ledger operations. */
export function parseRegister(src: string, file: string, families: ReadonlySet<string>): Register {
  const lc = new LineCounter();
  const doc = parseDocument(src, { lineCounter: lc });
  const at = (node: Node | Pair | null | undefined): SourcePos => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range
      ?? ((node as Pair | undefined)?.key as { range?: [number, number, number] } | undefined)?.range;
    return range ? { file, ...lc.linePos(range[0]) } : { file };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new DivergenceError('DIVERGENCE_FILE_INVALID', `expected valid YAML, got: ${e.message.split('\n')[0]}`, { pos: { file, ...(e.linePos?.[0] ?? {}) } });
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { lines: [], ledger: [] };
  if (!isSeq(doc.contents)) throw new DivergenceError('DIVERGENCE_FILE_INVALID', 'expected a list of entries (or [])', { pos: at(doc.contents as Node) });
  const out: Divergence[] = [];
  const ledger: LedgerDivergence[] = [];
  for (const item of doc.contents.items) {
    const pos = at(item as Node);
    if (!isMap(item)) throw new DivergenceError('DIVERGENCE_ENTRY_INVALID', `expected an entry {profile|kernel, family, reason}, got ${JSON.stringify((item as Node | null)?.toJSON?.() ?? item)}`, { pos });
    const get = (k: string): { value: unknown; pos: SourcePos } | undefined => {
      const p = item.items.find((q) => isScalar(q.key) && q.key.value === k);
      return p ? { value: isScalar(p.value) ? p.value.value : (p.value as Node | null)?.toJSON?.(), pos: at((p.value as Node | null) ?? p) } : undefined;
    };
    const isLedger = item.items.some((q) => isScalar(q.key) && q.key.value === 'ledger');
    const fields = isLedger ? LEDGER_FIELDS : FIELDS;
    for (const p of item.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '?';
      if (!fields.has(k)) throw new DivergenceError('DIVERGENCE_ENTRY_INVALID', `${k}: expected one of ${[...fields].join(', ')}, got an unknown field${isLedger ? ' (a ledger entry)' : ''}`, { pos: at(p.key as Node) });
    }
    const str = (k: string, required: boolean): string | undefined => {
      const f = get(k);
      if (!f) {
        if (required) throw new DivergenceError('DIVERGENCE_ENTRY_INVALID', `${k}: expected a non-empty string, got nothing`, { pos });
        return undefined;
      }
      if (typeof f.value !== 'string' || f.value.trim() === '') throw new DivergenceError('DIVERGENCE_ENTRY_INVALID', `${k}: expected a non-empty string, got ${JSON.stringify(f.value)}`, { pos: f.pos });
      return f.value;
    };
    const profile = str('profile', false);
    const kernel = str('kernel', false);
    if (profile === undefined && kernel === undefined) throw new DivergenceError('DIVERGENCE_ENTRY_INVALID', 'expected a profile or a kernel pattern, got neither', { pos });
    if (isLedger) {
      const fn = str('ledger', true)!;
      if (!/^[A-Za-z_]\w*$/.test(fn)) throw new DivergenceError('DIVERGENCE_ENTRY_INVALID', `ledger: expected a kernel function name, got ${JSON.stringify(fn)}`, { pos: get('ledger')!.pos });
      ledger.push({ ...(profile ? { profile } : {}), ...(kernel ? { kernel } : {}), ledger: fn, reason: str('reason', true)!, pos });
      continue;
    }
    const family = str('family', true)!;
    if (!families.has(family)) {
      const near = [...families].filter((f) => f.split('.')[0] === family.split('.')[0]);
      throw new DivergenceError('DIVERGENCE_UNKNOWN_FAMILY', `family: expected a catalog family${near.length ? ` (e.g. ${near.slice(0, 4).join(', ')})` : ''}, got "${family}"`, { pos: get('family')!.pos });
    }
    const key = str('key', false);
    const reason = str('reason', true)!;
    out.push({ ...(profile ? { profile } : {}), ...(kernel ? { kernel } : {}), family, ...(key ? { key } : {}), reason, pos });
  }
  return { lines: out, ledger };
}

/** Reads the register's ledger entries; a missing file is an empty register. */
export function readLedgerDivergences(families: ReadonlySet<string>, file: string = divergencesFile): LedgerDivergence[] {
  if (!existsSync(file)) return [];
  return parseRegister(readFileSync(file, 'utf8'), displayPath(file), families).ledger;
}

/** Whether an entry's profile and kernel globs cover a profile. */
export const registerCovers = (d: { readonly profile?: string; readonly kernel?: string }, profile: string, kernel: string): boolean =>
  (d.profile === undefined || globRe(d.profile).test(profile)) && (d.kernel === undefined || globRe(d.kernel).test(kernel));

/** Reads the register; a missing file is an empty register. */
export function readDivergences(families: ReadonlySet<string>, file: string = divergencesFile): Divergence[] {
  if (!existsSync(file)) return [];
  return parseDivergences(readFileSync(file, 'utf8'), displayPath(file), families);
}

/** The entry that explains a non-exact line of a profile, if any. */
export function findDivergence(register: readonly Divergence[], profile: string, kernel: string, line: ComparedLine): Divergence | undefined {
  return register.find((d) => d.family === line.family
    && (d.profile === undefined || globRe(d.profile).test(profile))
    && (d.kernel === undefined || globRe(d.kernel).test(kernel))
    && (d.key === undefined || d.key === line.key));
}

/** Marks the non-exact lines the register explains; exact lines are left alone. */
export function markKnown(register: readonly Divergence[], profile: string, kernel: string, lines: readonly ComparedLine[]): ComparedLine[] {
  return lines.map((l) => {
    if (l.status === 'exact') return l;
    const d = findDivergence(register, profile, kernel, l);
    return d ? { ...l, known: d.reason } : l;
  });
}
