// The envelope measured (issue 10): each drawn profile goes through the profile loader and then the
// simulator, exactly as `bootsim sim` runs it, and the outcome is tallied overall, by dimension and,
// for refusals, by error code and reason. The loader and the simulator are passed in, so the same
// draw can be measured against another tree's simulator (the "before" numbers of a session).
import type { DrawDims, DrawnProfile } from './draw.ts';

/** The outcome of one profile: accepted (simulated without an error) or refused with a code. */
export type Outcome =
  | { readonly name: string; readonly dims: DrawDims; readonly accepted: true }
  | { readonly name: string; readonly dims: DrawDims; readonly accepted: false; readonly stage: 'load' | 'sim'; readonly code: string; readonly message: string };

export interface EnvelopeRunner<S> {
  /** Loads profile text (the file name is only for messages); throws a coded error on refusal. */
  readonly load: (yaml: string, file: string) => S;
  /** Simulates a loaded profile; throws a coded error on refusal. */
  readonly simulate: (spec: S) => unknown;
}

export interface Tally {
  readonly total: number;
  readonly accepted: number;
}

export interface RefusalGroup {
  readonly code: string;
  readonly reason: string;
  readonly count: number;
  readonly example: string;
}

export interface EnvelopeReport {
  readonly seed: number;
  readonly total: number;
  readonly accepted: number;
  readonly byDimension: Readonly<Record<keyof DrawDims, Readonly<Record<string, Tally>>>>;
  readonly refusals: readonly RefusalGroup[];
  readonly outcomes: readonly Outcome[];
}

function codeOf(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') return e.code;
  return 'UNCODED';
}

/** Runs every profile through the loader and the simulator. An uncoded exception is an outcome too (code UNCODED), never swallowed silently. */
export function runEnvelope<S>(profiles: readonly DrawnProfile[], runner: EnvelopeRunner<S>): Outcome[] {
  return profiles.map((p) => {
    let spec: S;
    try {
      spec = runner.load(p.yaml, `${p.name}.yaml`);
    } catch (e) {
      return { name: p.name, dims: p.dims, accepted: false, stage: 'load', code: codeOf(e), message: e instanceof Error ? e.message : String(e) };
    }
    try {
      runner.simulate(spec);
    } catch (e) {
      return { name: p.name, dims: p.dims, accepted: false, stage: 'sim', code: codeOf(e), message: e instanceof Error ? e.message : String(e) };
    }
    return { name: p.name, dims: p.dims, accepted: true };
  });
}

/**
 * A refusal's reason with the profile's own values taken out, so that the same limit groups
 * together: the file position, numbers and sizes, quoted values and kernel ids become placeholders.
 */
export function reasonOf(message: string): string {
  return message
    .replace(/^[^\s:]+\.yaml(:\d+(:\d+)?)?: /, '')
    .replace(/\b\d+\.\d+-(amd64|686-pae|686)\b/g, '<kernel>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b0x[0-9a-f]+\b/gi, 'N')
    .replace(/\b\d+(\.\d+)?%?[KMGTkmgt]?B?\b/g, 'N')
    .slice(0, 160);
}

const DIMS: ReadonlyArray<keyof DrawDims> = ['kernel', 'machine', 'ramBand', 'cpus', 'numa', 'cpuModel', 'param'];

export function summarise(seed: number, outcomes: readonly Outcome[]): EnvelopeReport {
  const byDimension = Object.fromEntries(DIMS.map((d) => [d, {} as Record<string, { total: number; accepted: number }>])) as Record<keyof DrawDims, Record<string, { total: number; accepted: number }>>;
  const groups = new Map<string, { code: string; reason: string; count: number; example: string }>();
  for (const o of outcomes) {
    for (const d of DIMS) {
      const t = (byDimension[d][o.dims[d]] ??= { total: 0, accepted: 0 });
      t.total++;
      if (o.accepted) t.accepted++;
    }
    if (!o.accepted) {
      const reason = reasonOf(o.message);
      const key = `${o.code}\u0000${reason}`;
      const g = groups.get(key);
      if (g) g.count++;
      else groups.set(key, { code: o.code, reason, count: 1, example: o.name });
    }
  }
  const refusals = [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code) || a.reason.localeCompare(b.reason));
  return { seed, total: outcomes.length, accepted: outcomes.filter((o) => o.accepted).length, byDimension, refusals, outcomes };
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`;
}

const ORDER: Partial<Record<keyof DrawDims, (a: string, b: string) => number>> = {
  cpus: (a, b) => Number(a) - Number(b),
  ramBand: (a, b) => ['<1G', '1G-4G', '4G-16G', '16G-64G'].indexOf(a) - ['<1G', '1G-4G', '4G-16G', '16G-64G'].indexOf(b),
};

/** The report as text: the accepted share, each dimension's shares, the refusal groups. */
export function formatEnvelope(r: EnvelopeReport): string {
  const out: string[] = [`envelope: seed ${r.seed}, ${r.total} profiles, ${r.accepted} accepted (${pct(r.accepted, r.total)})`, ''];
  for (const d of DIMS) {
    out.push(`by ${d}:`);
    const rows = Object.entries(r.byDimension[d]).sort(([a], [b]) => (ORDER[d] ?? ((x: string, y: string) => x.localeCompare(y)))(a, b));
    const w = Math.max(...rows.map(([k]) => k.length));
    for (const [k, t] of rows) out.push(`  ${k.padEnd(w)}  ${String(t.accepted).padStart(4)}/${String(t.total).padEnd(4)} ${pct(t.accepted, t.total).padStart(6)}`);
    out.push('');
  }
  out.push(`refusals (${r.total - r.accepted}) by code and reason:`);
  for (const g of r.refusals) out.push(`  ${String(g.count).padStart(4)}  ${g.code}  ${g.reason}  (e.g. ${g.example})`);
  return `${out.join('\n')}\n`;
}
