// The boot explorer's steps: for each stage of a traced boot (./trace.ts), in boot order, the
// kernel function it models (./functions.ts), the lines it printed with the derivation of each
// number (their explain terms), and the state it changed, slice by slice, as before/after tables
// (memblock regions and new reservations, e820, zones, nodes, percpu groups; the other slices as
// their fields). A slice "changed" when the stage left a different object than it was given: the
// pipeline's state is immutable, so a slice no stage wrote is the same object on both sides. Pure.
import type { StageStep } from '../../../sim/boot.ts';
import type { BootSlices, BootState, SliceName } from '../../../sim/state.ts';
import type { DmesgLine } from '../../../sim/types.ts';
import type { KernelTraits } from '../../../sim/traits.ts';
import { e820TypeName } from '../../../sim/stages/e820.ts';
import { hex64, sizeText } from '../map/model.ts';
import { STAGE_FUNCTIONS, type KernelFunction } from './functions.ts';
import type { TracedBoot } from './trace.ts';

export type RowMark = 'added' | 'removed' | 'same';

export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly { readonly cells: readonly string[]; readonly mark: RowMark }[];
}

export interface SliceChange {
  readonly slice: SliceName;
  /** One line: what changed. */
  readonly summary: string;
  readonly tables: readonly Table[];
}

export interface ExploreLine {
  readonly text: string;
  readonly fmt: string;
  /** field → "name = value (source)" rows. */
  readonly derivation: readonly { readonly field: string; readonly terms: readonly string[] }[];
}

export interface ExploreStep {
  readonly index: number;
  readonly stage: string;
  readonly fn: KernelFunction | undefined;
  readonly lines: readonly ExploreLine[];
  readonly changes: readonly SliceChange[];
  /** Printed nothing and changed nothing on this kernel (its traits run it elsewhere, or it does not apply). */
  readonly idle: boolean;
}

export interface ExploreBoot {
  readonly label: string;
  readonly kernelId: string;
  readonly release: string;
  readonly profile: string;
  readonly steps: readonly ExploreStep[];
}

const range = (s: bigint, e: bigint): string => `${hex64(s)}-${hex64(e - 1n)}`;

/** Rows of `after` marked against `before` by their cells: new ones added, gone ones removed, in address order as given. */
export function diffRows(before: readonly (readonly string[])[], after: readonly (readonly string[])[]): Table['rows'] {
  const key = (r: readonly string[]) => r.join('\u0000');
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  const rows: { cells: readonly string[]; mark: RowMark }[] = after.map((cells) => ({ cells, mark: was.has(key(cells)) ? 'same' : 'added' }));
  for (const cells of before) if (!now.has(key(cells))) rows.push({ cells, mark: 'removed' });
  return rows;
}

function table(caption: string, columns: readonly string[], before: readonly (readonly string[])[], after: readonly (readonly string[])[]): Table {
  return { caption, columns, rows: diffRows(before, after) };
}

/** Any value as text: bigints in hex above 9 (addresses, sizes), as explain prints them. */
function valueText(v: unknown): string {
  if (typeof v === 'bigint') return v > 9n ? `0x${v.toString(16)}` : v.toString();
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x instanceof Map ? Object.fromEntries(x) : x));
  return String(v);
}

/** A slice's fields as path/value rows, objects flattened two levels, long lists shown by length. */
export function fieldRows(v: unknown, prefix = '', depth = 0): string[][] {
  if (v instanceof Map) return [...v.entries()].flatMap(([k, x]) => fieldRows(x, `${prefix}[${String(k)}]`, depth + 1));
  if (Array.isArray(v)) {
    if (v.length > 16 || depth >= 2) return [[prefix, `${v.length} items`]];
    return v.flatMap((x, i) => fieldRows(x, `${prefix}[${i}]`, depth + 1));
  }
  if (typeof v === 'object' && v !== null && depth < 3) return Object.entries(v).flatMap(([k, x]) => fieldRows(x, prefix === '' ? k : `${prefix}.${k}`, depth + 1));
  return [[prefix, valueText(v)]];
}

type Describe<K extends SliceName> = (before: BootSlices[K] | undefined, after: BootSlices[K], traits: KernelTraits) => Omit<SliceChange, 'slice'>;

const e820Change: Describe<'e820'> = (b, a, traits) => {
  const rows = (t: BootSlices['e820']['table'] | undefined) => (t ?? []).map((e) => [range(e.addr, e.addr + e.size), sizeText(e.size), e820TypeName(e.type, traits.e820Style).trim()]);
  const pfns = [['max_pfn', a.maxPfn], ['max_low_pfn', a.maxLowPfn], ['max_arch_pfn', a.maxArchPfn]].filter(([, v]) => v !== undefined).map(([k, v]) => [String(k), valueText(v)]);
  const pfnBefore = b ? [['max_pfn', b.maxPfn], ['max_low_pfn', b.maxLowPfn], ['max_arch_pfn', b.maxArchPfn]].filter(([, v]) => v !== undefined).map(([k, v]) => [String(k), valueText(v)]) : [];
  return {
    summary: `e820_table: ${a.table.length} entries${b ? ` (was ${b.table.length})` : ''}`,
    tables: [
      table('e820_table', ['range', 'size', 'type'], rows(b?.table), rows(a.table)),
      ...(pfns.length > 0 ? [table('pfn limits', ['name', 'value'], pfnBefore, pfns)] : []),
    ],
  };
};

const memblockChange: Describe<'memblock'> = (b, a) => {
  const regions = (rs: BootSlices['memblock']['memory'] | undefined) => (rs ?? []).map((r) => [range(r.start, r.end), sizeText(r.end - r.start), r.nid >= 0 ? String(r.nid) : '—', `0x${r.flags.toString(16)}`]);
  const fresh = a.ledger.slice(b?.ledger.length ?? 0);
  const changed = (b?.ledger ?? []).map((e, i) => ({ e, i, now: a.ledger[i] })).filter((x) => x.now !== undefined && x.now !== x.e);
  const tables: Table[] = [];
  if (!b || b.memory !== a.memory) tables.push(table('memblock.memory', ['range', 'size', 'nid', 'flags'], regions(b?.memory), regions(a.memory)));
  if (!b || b.reserved !== a.reserved) tables.push(table('memblock.reserved', ['range', 'size', 'nid', 'flags'], regions(b?.reserved), regions(a.reserved)));
  if (fresh.length > 0) {
    tables.push({ caption: 'reservations made', columns: ['what', 'range', 'size', 'rule'], rows: fresh.flatMap((e) => (e.made ?? e.ranges).map((r) => ({ cells: [e.why, range(r.start, r.end), sizeText(r.end - r.start), e.source], mark: 'added' as const }))) });
  }
  if (changed.length > 0) {
    tables.push({ caption: 'reservations given back (memblock_phys_free)', columns: ['what', 'held before', 'held after'], rows: changed.map((x) => ({ cells: [x.e.why, x.e.ranges.map((r) => range(r.start, r.end)).join(', ') || '—', x.now!.ranges.map((r) => range(r.start, r.end)).join(', ') || '—'], mark: 'removed' as const })) });
  }
  const limits = [['current_limit', valueText(a.currentLimit)], ['bottom_up', String(a.bottomUp)]];
  const limitsBefore = b ? [['current_limit', valueText(b.currentLimit)], ['bottom_up', String(b.bottomUp)]] : [];
  if (!b || b.currentLimit !== a.currentLimit || b.bottomUp !== a.bottomUp) tables.push(table('allocator', ['name', 'value'], limitsBefore, limits));
  return { summary: `memblock: ${a.memory.length} memory regions, ${a.reserved.length} reserved; ${fresh.length} reservation(s) made${changed.length > 0 ? `, ${changed.length} given back in part or whole` : ''}`, tables };
};

const zonesChange: Describe<'zones'> = (b, a) => {
  const rows = (z: BootSlices['zones'] | undefined) => (z?.nodes ?? []).flatMap((n) => n.zones.filter((x) => x.spannedPages > 0n).map((x) => [String(n.node), x.name, range(x.startPfn << 12n, (x.startPfn + x.spannedPages) << 12n), x.spannedPages.toString(), x.presentPages.toString(), x.managedAtInit.toString()]));
  return { summary: `zones: ${a.nodes.length} node(s), ${a.nodes.reduce((n, x) => n + x.zones.filter((z) => z.spannedPages > 0n).length, 0)} populated zone(s)`, tables: [table('zones', ['node', 'zone', 'span', 'spanned', 'present', 'managed at init'], rows(b), rows(a))] };
};

const numaChange: Describe<'numa'> = (b, a) => {
  const rows = (n: BootSlices['numa'] | undefined) => (n?.nodes ?? []).map((x) => [String(x.nid), range(x.start, x.end), x.nodeData ? range(x.nodeData.start, x.nodeData.end) : '—']);
  return { summary: `nodes: ${a.nodes.length}${a.numa ? '' : ' (no CONFIG_NUMA)'}`, tables: [table('nodes', ['nid', 'span', 'NODE_DATA'], rows(b), rows(a)), table('cpu → node', ['cpus', 'nodes'], b ? [[String(b.cpuToNode.length), b.cpuToNode.join(' ')]] : [], [[String(a.cpuToNode.length), a.cpuToNode.join(' ')]])] };
};

const percpuChange: Describe<'percpu'> = (b, a) => {
  const ai = a.ai;
  const groups = (p: BootSlices['percpu'] | undefined) => (p?.ai.groups ?? []).map((g, i) => [String(i), g.map((c) => (c === null ? '-' : String(c))).join(' ')]);
  const sizes = (p: BootSlices['percpu'] | undefined) => (p ? [['static', String(p.ai.staticSize)], ['reserved', String(p.ai.reservedSize)], ['dynamic', String(p.ai.dynSize)], ['unit size', String(p.ai.unitSize)], ['atom size', String(p.ai.atomSize)], ['alloc size', String(p.ai.allocSize)]] : []);
  return { summary: `percpu: ${ai.groups.length} group(s), unit ${ai.unitSize} bytes`, tables: [table('groups (cpus per unit, - = unused unit)', ['group', 'cpus'], groups(b), groups(a)), table('pcpu_alloc_info', ['field', 'bytes'], sizes(b), sizes(a))] };
};

function genericChange(name: SliceName, b: unknown, a: unknown): Omit<SliceChange, 'slice'> {
  const rows = fieldRows(a);
  return { summary: `${name}: ${rows.length} field(s)`, tables: [table(name, ['field', 'value'], b === undefined ? [] : fieldRows(b), rows)] };
}

/** What a stage changed in each slice it left different. */
export function sliceChanges(before: BootState, after: BootState, traits: KernelTraits): SliceChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort() as SliceName[];
  const out: SliceChange[] = [];
  for (const name of names) {
    const b = before[name];
    const a = after[name];
    if (a === b || a === undefined) continue;
    const c = name === 'e820' ? e820Change(before.e820, after.e820!, traits)
      : name === 'memblock' ? memblockChange(before.memblock, after.memblock!, traits)
      : name === 'zones' ? zonesChange(before.zones, after.zones!, traits)
      : name === 'numa' ? numaChange(before.numa, after.numa!, traits)
      : name === 'percpu' ? percpuChange(before.percpu, after.percpu!, traits)
      : genericChange(name, b, a);
    out.push({ slice: name, ...c });
  }
  return out;
}

function exploreLine(l: DmesgLine): ExploreLine {
  return { text: l.text, fmt: l.fmt, derivation: Object.entries(l.explain ?? {}).map(([field, terms]) => ({ field, terms: terms.map((t) => `${t.name} = ${String(t.value)}  (${t.source})`) })) };
}

export function exploreStep(s: StageStep, traits: KernelTraits): ExploreStep {
  const changes = sliceChanges(s.before, s.after, traits);
  return { index: s.index, stage: s.name, fn: STAGE_FUNCTIONS[s.name], lines: s.lines.map(exploreLine), changes, idle: s.lines.length === 0 && changes.length === 0 };
}

/** The explorer's view of one traced boot. */
export function exploreBoot(t: TracedBoot): ExploreBoot {
  return { label: `${t.kernelId} (${t.release})`, kernelId: t.kernelId, release: t.release, profile: t.spec.name, steps: t.steps.map((s) => exploreStep(s, t.traits)) };
}
