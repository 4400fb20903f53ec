// Compares the post-boot state the simulator predicts (sim/stages/state/) with a state.log's /proc
// files, field by field. Pure: the blocks of the log (file → text) and the predicted fields in, a
// result out. Each golden field is compared (predicted: exact or mismatched; predicted as a
// source-derived range: within or mismatched), or named by harness/catalog/state-families.ts as
// unmodelled (identical in every re-boot of the evidence: unmodelled-deterministic), or else
// "unclassified"; a predicted field the log lacks is missing.
import type { StateField, StateRange } from '../../sim/stages/state/index.ts';
import { DIRECT_MAP_SUM } from '../../sim/stages/state/meminfo.ts';
import { STATE_FILES, stateRuleFor, type StateFamilyId, type StateFile, type StateRule } from '../catalog/state-families.ts';

/** One field read from a /proc file of a state.log. */
export interface GoldenStateField {
  readonly family: StateFamilyId;
  readonly key: string;
  readonly value: string;
  /** 1-based line inside the file's block. */
  readonly line: number;
}

/**
 * exact: predicted and equal. within: predicted as a bound (a source rule's range, StateField.range)
 * and inside it. mismatched: predicted and different, or outside its bound (with the delta to it).
 * missing: predicted, the log lacks it. unmodelled: not predicted (state-families.ts says why); it
 * varies between the boots of the re-boot evidence, or there is no such evidence.
 * unmodelled-deterministic: not predicted, and identical in every boot of the evidence (≥ MIN_STATE_BOOTS):
 * a number a model could give exactly. unclassified: no rule names it.
 */
export const STATE_STATUSES = ['exact', 'within', 'mismatched', 'missing', 'unmodelled', 'unmodelled-deterministic', 'unclassified'] as const;
export type StateStatus = (typeof STATE_STATUSES)[number];

/** Boots (the golden's own included) the evidence needs before a field identical in all of them is called deterministic. */
export const MIN_STATE_BOOTS = 3;

export interface StateFieldResult {
  readonly family: StateFamilyId;
  readonly key: string;
  readonly status: StateStatus;
  readonly sim?: string;
  readonly golden?: string;
  readonly line?: number;
  /** For a mismatched number: golden − the prediction (for a range, golden − its nearest end). */
  readonly delta?: string;
  /** For unmodelled fields: why (state-families.ts), and what the re-boot evidence showed. */
  readonly reason?: string;
}

export interface StateFamilyCount {
  readonly family: StateFamilyId;
  readonly exact: number;
  readonly within: number;
  readonly mismatched: number;
  readonly missing: number;
  readonly unmodelled: number;
  readonly unmodelledDeterministic: number;
  readonly unclassified: number;
}

export interface StateComparison {
  readonly fields: readonly StateFieldResult[];
  readonly families: readonly StateFamilyCount[];
  /** Boots the unmodelled fields were judged over: the golden's and its re-boots' (1: no evidence). */
  readonly boots: number;
}

const squash = (s: string): string => s.trim().replace(/\s+/g, ' ');

/**
 * /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print, 5.10 … 7.2): "Node N, zone NAME" opens a zone;
 * its "per-node stats" counters (first populated zone) are keyed "per-node <name>", the zone's own
 * counters "zone <name>"; "pages free", the watermark lines, spanned/present/managed/cma,
 * "protection: (…)", each CPU's pageset ("cpu N count/high/batch/high_min/high_max", "cpu N vm stats
 * threshold"), node_unreclaimable, start_pfn and 7.2's highatomic lines keep their names.
 */
export function zoneinfoFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  let zone: string | undefined;
  let section: 'per-node' | 'zone' = 'zone';
  let cpu: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const l = raw.replace(/\r$/, '');
    const head = /^Node (\d+), zone\s+(\S+)/.exec(l);
    if (head) { zone = `Node ${head[1]}, zone ${head[2]}`; section = 'zone'; cpu = undefined; return; }
    if (zone === undefined || l.trim() === '') return;
    const push = (k: string, v: string): void => { out.push({ family: 'zoneinfo', key: `${zone}: ${k}`, value: v, line }); };
    const t = l.trim();
    if (t === 'per-node stats') { section = 'per-node'; return; }
    if (t === 'pagesets') return;
    let m = /^pages free\s+(\d+)$/.exec(t);
    if (m) { section = 'zone'; push('pages free', m[1]!); return; }
    m = /^protection: (\(.*\))$/.exec(t);
    if (m) { push('protection', m[1]!); return; }
    m = /^cpu: (\d+)$/.exec(t);
    if (m) { cpu = m[1]; return; }
    m = /^(count|high|batch|high_min|high_max):\s+(-?\d+)$/.exec(t);
    if (m && cpu !== undefined) { push(`cpu ${cpu} ${m[1]}`, m[2]!); return; }
    m = /^vm stats threshold: (\d+)$/.exec(t);
    if (m && cpu !== undefined) { push(`cpu ${cpu} vm stats threshold`, m[1]!); return; }
    // all_unreclaimable and inactive_ratio: 3.0.1's zoneinfo_show_print()
    m = /^(node_unreclaimable|start_pfn|reserved_highatomic|free_highatomic|all_unreclaimable|inactive_ratio):\s+(\d+)$/.exec(t);
    if (m) { push(m[1]!, m[2]!); return; }
    m = /^(boost|min|low|high|promo|spanned|present|managed|cma)\s+(\d+)$/.exec(t);
    if (m && raw.startsWith('        ')) { push(m[1]!, m[2]!); return; }
    m = /^(\w+)\s+(\d+)$/.exec(t);
    if (m) { push(`${section} ${m[1]}`, m[2]!); return; }
    push(`unparsed line ${line}`, t);
  });
  return out;
}

/**
 * /proc/meminfo (fs/proc/meminfo.c): "Name:   value[ kB]", the value with one space before kB. Derived:
 * the sum of the DirectMap lines (DIRECT_MAP_SUM, at the first of them), which run-time splits keep.
 */
export function meminfoFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  let directMap: { kb: bigint; line: number } | undefined;
  text.split('\n').forEach((l, i) => {
    const m = /^([^:]+):\s+(\d+)( kB)?\s*$/.exec(l.replace(/\r$/, ''));
    if (m) out.push({ family: 'meminfo', key: m[1]!, value: m[3] ? `${m[2]} kB` : m[2]!, line: i + 1 });
    else if (l.trim() !== '') out.push({ family: 'meminfo', key: `unparsed line ${i + 1}`, value: l.trim(), line: i + 1 });
    if (m && m[3] && /^DirectMap(4k|2M|4M|1G)$/.test(m[1]!)) directMap = { kb: (directMap?.kb ?? 0n) + BigInt(m[2]!), line: directMap?.line ?? i + 1 };
  });
  if (directMap) out.push({ family: 'meminfo', key: DIRECT_MAP_SUM, value: `${directMap.kb} kB`, line: directMap.line });
  return out;
}

/**
 * /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show): the pageblock order and size, one row of free
 * counts per node, zone and migrate type ("…, type T: free"), and the block-count table: each row's
 * total ("Node N, zone Z: blocks") and each type's count ("…: blocks T").
 */
export function pagetypeinfoFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  let types: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const l = raw.replace(/\r$/, '');
    const push = (key: string, value: string): void => { out.push({ family: 'pagetypeinfo', key, value, line }); };
    let m = /^(Page block order|Pages per block):\s+(\d+)$/.exec(l);
    if (m) { push(m[1]!, m[2]!); return; }
    if (/^Free pages count per migrate type/.test(l) || l.trim() === '') return;
    m = /^Number of blocks type\s+(.*)$/.exec(l);
    if (m) { types = m[1]!.trim().split(/\s+/); return; }
    m = /^Node\s+(\d+), zone\s+(\S+), type\s+(\S+)\s+([\d\s]+)$/.exec(l);
    if (m) { push(`Node ${m[1]}, zone ${m[2]}, type ${m[3]}: free`, squash(m[4]!)); return; }
    m = /^Node (\d+), zone\s+(\S+)\s+([\d\s]+)$/.exec(l);
    if (m && types.length > 0) {
      const counts = squash(m[3]!).split(' ').map(BigInt);
      const zone = `Node ${m[1]}, zone ${m[2]}`;
      push(`${zone}: blocks`, String(counts.reduce((a, b) => a + b, 0n)));
      counts.forEach((c, k) => push(`${zone}: blocks ${types[k] ?? `#${k}`}`, String(c)));
      return;
    }
    push(`unparsed line ${line}`, l.trim());
  });
  return out;
}

/**
 * /proc/slabinfo 2.1 (mm/slab_common.c cache_show): per cache its counts (active_objs, num_objs,
 * active_slabs, num_slabs, sharedavail) and its geometry (objsize, objperslab, pagesperslab, the
 * tunables limit/batchcount/sharedfactor), keyed "<cache>: <name>"; the two header lines are skipped.
 */
export function slabinfoFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  const names = ['active_objs', 'num_objs', 'objsize', 'objperslab', 'pagesperslab', 'limit', 'batchcount', 'sharedfactor', 'active_slabs', 'num_slabs', 'sharedavail'];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '' || /^slabinfo - version:|^# name/.test(l)) return;
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+(\d+)\s+(\d+)\s+(\d+) : slabdata\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(l);
    if (!m) { out.push({ family: 'slabinfo', key: `unparsed line ${i + 1}`, value: l.trim(), line: i + 1 }); return; }
    names.forEach((n, k) => out.push({ family: 'slabinfo', key: `${m[1]}: ${n}`, value: m[k + 2]!, line: i + 1 }));
  });
  return out;
}

/**
 * /proc/iomem (kernel/resource.c r_show: "%*s%0*llx-%0*llx : %s", two spaces per depth): the kernel
 * image's resources ("Kernel code", "Kernel rodata", "Kernel data", "Kernel bss") keyed by name with
 * their range; every other line keyed by its text ("start-end : name") with its depth as the value.
 */
export function iomemFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    const m = /^\s*([0-9a-f]+-[0-9a-f]+) : (Kernel (?:code|rodata|data|bss))$/.exec(l);
    const depth = (/^ */.exec(l)![0].length / 2) | 0;
    out.push(m ? { family: 'iomem', key: m[2]!, value: m[1]!, line: i + 1 } : { family: 'iomem', key: l.trim(), value: `depth ${depth}`, line: i + 1 });
  });
  return out;
}

/** The probe's /sys/kernel/slab block: "<cache> <object_size> <slab_size> <objs_per_slab> <order>" per cache. */
export function slabGeometryFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  text.split('\n').forEach((l, i) => {
    if (l.trim() === '') return;
    const m = /^(\S+) (\d+) (\d+) (\d+) (\d+)$/.exec(l.trim());
    if (!m) { out.push({ family: 'slab', key: `unparsed line ${i + 1}`, value: l.trim(), line: i + 1 }); return; }
    ['object_size', 'slab_size', 'objs_per_slab', 'order'].forEach((n, k) => out.push({ family: 'slab', key: `${m[1]}: ${n}`, value: m[k + 2]!, line: i + 1 }));
  });
  return out;
}

/**
 * /proc/vmstat (mm/vmstat.c vmstat_show, 5.10 … 7.2): one "name value" line per counter, keyed by the
 * name (the zone, NUMA, node and writeback counters, the events, and the literal "nr_unstable 0").
 */
export function vmstatFields(text: string): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  text.split('\n').forEach((l, i) => {
    const t = l.trim();
    if (t === '') return;
    const m = /^(\w+) (-?\d+)$/.exec(t);
    out.push(m ? { family: 'vmstat', key: m[1]!, value: m[2]!, line: i + 1 } : { family: 'vmstat', key: `unparsed line ${i + 1}`, value: t, line: i + 1 });
  });
  return out;
}

/** The files not modelled: one field per line, keyed by file and line (every one classed by its family's rule). */
function lineFields(family: StateFamilyId, text: string): GoldenStateField[] {
  return text.split('\n').map((l, i) => ({ family, key: `line ${i + 1}`, value: l.trim(), line: i + 1 })).filter((f) => f.value !== '');
}

/** Every field of a state.log's blocks (file → text), by family. */
export function goldenStateFields(blocks: ReadonlyMap<string, string>): GoldenStateField[] {
  const out: GoldenStateField[] = [];
  for (const [file, text] of blocks) {
    const family = (STATE_FILES as Readonly<Record<string, StateFamilyId>>)[file];
    if (family === undefined) continue;
    switch (family) {
      case 'zoneinfo': out.push(...zoneinfoFields(text)); break;
      case 'meminfo': out.push(...meminfoFields(text)); break;
      case 'pagetypeinfo': out.push(...pagetypeinfoFields(text)); break;
      case 'slabinfo': out.push(...slabinfoFields(text)); break;
      case 'iomem': out.push(...iomemFields(text)); break;
      case 'slab': out.push(...slabGeometryFields(text)); break;
      case 'vmstat': out.push(...vmstatFields(text)); break;
      default: out.push(...lineFields(family, text));
    }
  }
  return out;
}

/**
 * For each re-boot, the value it has for the golden's i-th field (family and key; the last of a repeated key, as
 * an index by key gives it), or undefined. A re-boot whose fields are the golden's, key for key in the same order
 * (the probe prints the same files the same way), is read by position, through the golden's own last position of
 * each key; any other by an index of its keys.
 */
function rebootValues(golden: readonly GoldenStateField[], reboots: readonly (readonly GoldenStateField[])[]): ((i: number) => string | undefined)[] {
  let last: number[] | undefined;
  const lastOf = (): number[] => {
    if (last === undefined) {
      const at = new KeyIndex<number>();
      golden.forEach((g, i) => at.set(g.family, g.key, i));
      last = golden.map((g) => at.get(g.family, g.key)!);
    }
    return last;
  };
  return reboots.map((b) => {
    const aligned = b.length === golden.length && b.every((f, i) => f.key === golden[i]!.key && f.family === golden[i]!.family);
    if (aligned) {
      const at = lastOf();
      return (i) => b[at[i]!]!.value;
    }
    const o = new KeyIndex<string>();
    for (const f of b) o.set(f.family, f.key, f.value);
    return (i) => o.get(golden[i]!.family, golden[i]!.key);
  });
}

/** Values by family, then key (a later set of the same family and key replaces the earlier). */
class KeyIndex<T> {
  private readonly byFamily = new Map<StateFamilyId, Map<string, T>>();
  set(family: StateFamilyId, key: string, value: T): void {
    let m = this.byFamily.get(family);
    if (m === undefined) this.byFamily.set(family, (m = new Map()));
    m.set(key, value);
  }
  get(family: StateFamilyId, key: string): T | undefined {
    return this.byFamily.get(family)?.get(key);
  }
}

/** A golden number against a predicted range: within, or the delta to the nearest end. */
function againstRange(r: StateRange, golden: string): { readonly ok: boolean; readonly delta?: string } {
  const m = /^(-?\d+)( kB)?$/.exec(golden);
  if (!m || (m[2] !== undefined) !== (r.unit === 'kB')) return { ok: false };
  const g = BigInt(m[1]!);
  const step = r.step ?? 1n;
  if (r.also.includes(g) || (g >= r.lo && g <= r.hi && (g - r.lo) % step === 0n)) return { ok: true };
  // off the steps inside the range: the distance to the step below; outside: to the nearest end
  const d = g < r.lo ? g - r.lo : g > r.hi ? g - r.hi : (g - r.lo) % step;
  return { ok: false, delta: `${d > 0n ? '+' : ''}${d}${r.unit ? ` ${r.unit}` : ''}` };
}

/** golden − sim for two plain numbers ("123" or "123 kB"), else undefined. */
function numberDelta(sim: string, golden: string): string | undefined {
  const a = /^(-?\d+)( kB)?$/.exec(sim);
  const b = /^(-?\d+)( kB)?$/.exec(golden);
  if (!a || !b || a[2] !== b[2]) return undefined;
  const d = BigInt(b[1]!) - BigInt(a[1]!);
  return `${d > 0n ? '+' : ''}${d}${a[2] ?? ''}`;
}

/**
 * Compares predicted fields with a state.log's blocks. `reboots` are the blocks of the same profile's
 * re-boots (goldens/evidence/state/<name>/boot-N/): an unmodelled field identical in the golden and
 * every re-boot, over at least MIN_STATE_BOOTS boots, is unmodelled-deterministic.
 */
export function compareState(predicted: readonly StateField[], blocks: ReadonlyMap<string, string>, reboots: readonly ReadonlyMap<string, string>[] = []): StateComparison {
  const golden = goldenStateFields(blocks);
  // indexed once by family, then key (no joined key strings to build and hash per field)
  const byKey = new KeyIndex<StateField>();
  for (const f of predicted) byKey.set(f.family, f.key, f);
  const boots = 1 + reboots.length;
  const others = rebootValues(golden, reboots.map(goldenStateFields));
  const seen = new KeyIndex<true>();
  const fields: StateFieldResult[] = [];
  // a reason per rule and re-boot count, built once per comparison (a rule names many fields)
  const reasons = new Map<StateRule, Map<number, string>>();
  const reasonOf = (rule: StateRule, varies: number): string => {
    let byVaries = reasons.get(rule);
    if (byVaries === undefined) reasons.set(rule, (byVaries = new Map()));
    let r = byVaries.get(varies);
    if (r === undefined) {
      const seenIn = boots < 2 ? 'no re-boot evidence' : varies === 0 ? `identical in ${boots} boots` : `differs in ${varies} of ${boots - 1} re-boot(s)`;
      byVaries.set(varies, (r = `${rule.reason} (${seenIn})`));
    }
    return r;
  };
  for (const [i, g] of golden.entries()) {
    const p = byKey.get(g.family, g.key);
    if (p) {
      seen.set(g.family, g.key, true);
      const base = { family: g.family, key: g.key, sim: p.value, golden: g.value, line: g.line };
      if (p.range) {
        const r = againstRange(p.range, g.value);
        fields.push({ ...base, status: r.ok ? 'within' : 'mismatched', ...(r.delta ? { delta: r.delta } : {}) });
        continue;
      }
      const delta = p.value === g.value ? undefined : numberDelta(p.value, g.value);
      fields.push({ ...base, status: p.value === g.value ? 'exact' : 'mismatched', ...(delta ? { delta } : {}) });
      continue;
    }
    const rule = ruleFor(g.family, g.key);
    if (!rule) { fields.push({ family: g.family, key: g.key, status: 'unclassified', golden: g.value, line: g.line }); continue; }
    let varies = 0;
    for (const o of others) if (o(i) !== g.value) varies++;
    const deterministic = boots >= MIN_STATE_BOOTS && varies === 0;
    fields.push({ family: g.family, key: g.key, status: deterministic ? 'unmodelled-deterministic' : 'unmodelled', golden: g.value, line: g.line, reason: reasonOf(rule, varies) });
  }
  // a predicted field of a file the log has but that the file lacks is missing (a log without the file is no evidence)
  const files = new Set([...blocks.keys()].map((f) => (STATE_FILES as Readonly<Record<string, StateFamilyId>>)[f]));
  for (const p of predicted) {
    if (seen.get(p.family, p.key) === undefined && files.has(p.family)) fields.push({ family: p.family, key: p.key, status: 'missing', sim: p.value });
  }
  return { fields, families: countFamilies(fields), boots };
}

// The rule naming a field, by family and key: the same keys (a slab cache's, "line N") recur in every
// golden, and STATE_RULES is a list of patterns tried in order. The rules are constants, so the answer is kept.
const ruleCache = new KeyIndex<StateRule | null>();
function ruleFor(family: StateFamilyId, key: string): StateRule | undefined {
  const hit = ruleCache.get(family, key);
  if (hit !== undefined) return hit ?? undefined;
  const rule = stateRuleFor(family, key);
  ruleCache.set(family, key, rule ?? null);
  return rule;
}

/** The counts per family, in STATE_FILES order, of the families with any field: one walk over the fields. */
function countFamilies(fields: readonly StateFieldResult[]): StateFamilyCount[] {
  const counts = new Map<StateFamilyId, { family: StateFamilyId; exact: number; within: number; mismatched: number; missing: number; unmodelled: number; unmodelledDeterministic: number; unclassified: number }>();
  for (const family of Object.values(STATE_FILES)) {
    if (!counts.has(family)) counts.set(family, { family, exact: 0, within: 0, mismatched: 0, missing: 0, unmodelled: 0, unmodelledDeterministic: 0, unclassified: 0 });
  }
  for (const f of fields) {
    const c = counts.get(f.family);
    if (c === undefined) continue;
    if (f.status === 'unmodelled-deterministic') c.unmodelledDeterministic++;
    else c[f.status]++;
  }
  return [...counts.values()].filter((c) => mine(c) > 0);
}

/** Every field a family count counts. */
function mine(c: StateFamilyCount): number {
  return c.exact + c.within + c.mismatched + c.missing + c.unmodelled + c.unmodelledDeterministic + c.unclassified;
}

/** The state files of a state.log, each file's text between its markers (the format qemu-scripts/initramfs/ writes). */
export type StateBlocks = ReadonlyMap<StateFile | string, string>;
