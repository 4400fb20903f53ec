// Sorts every line of a log into: a catalog line (modelled, with typed fields), a
// masked line (varies boot to boot, masks.yaml), a firmware line (ACPI/MP/SMBIOS
// tables: deterministic, not modelled) or an unmodelled line.
// Precedence: catalog, then mask, then firmware — a line under test is never masked.
import { GoldenError, type NormalisedLine, type NormalisedLog } from '../normalise.ts';
import { families, type Family, type Stage } from './families.ts';
import { parseFieldValue, type Field } from './fields.ts';
import { maskFor, type Mask } from './masks.ts';
import { versionKeyOf, type KernelKey } from './versions.ts';

export type LineClass = 'catalog' | 'masked' | 'firmware' | 'unmodelled';

/** Deterministic lines that come from firmware tables the simulator does not model. */
export interface FirmwareRule {
  readonly id: string;
  readonly match: RegExp;
  readonly reason: string;
}

export const firmwareRules: readonly FirmwareRule[] = [
  { id: 'acpi', match: /^ACPI: /, reason: 'ACPI table list, table reservations and MADT/HPET parsing (QEMU acpi-build)' },
  { id: 'madt-ioapic', match: /^IOAPIC\[\d+\]: /, reason: 'MADT I/O APIC entry' },
  { id: 'madt-smp', match: /^Using ACPI \(MADT\) for SMP configuration information$/, reason: '5.10 spelling of the MADT line, without "ACPI: "' },
  { id: 'mptable', match: /^found SMP MP-table at \[mem /, reason: 'SeaBIOS MP table placement' },
  { id: 'smbios', match: /^(?:DMI: )?SMBIOS \d+\.\d+ present\.$/, reason: 'SeaBIOS SMBIOS entry point ("DMI: " prefix on 7.2)' },
  { id: 'dmi', match: /^DMI: /, reason: 'DMI system and memory-slot strings from SMBIOS' },
];

export interface Classification {
  readonly cls: LineClass;
  /** For 'catalog'. */
  readonly family?: Family;
  /** For 'catalog': the regex match (named groups feed the fields). */
  readonly match?: RegExpExecArray;
  /** For 'masked'. */
  readonly mask?: Mask;
  /** For 'firmware'. */
  readonly firmware?: FirmwareRule;
}

function applies(f: Family, kernel: KernelKey): boolean {
  const v = versionKeyOf(kernel.version);
  return f.arches.includes(kernel.arch) && f.versions.includes(v);
}

/**
 * The literal text every match of `re` starts with, or '' when that cannot be told from the source:
 * the regex must be anchored (^), have no flags and no top-level alternation; the prefix stops
 * before a quantified or class character. Only used to skip regexes that cannot match.
 */
export function literalPrefix(re: RegExp): string {
  const s = re.source;
  if (re.flags !== '' || !s.startsWith('^') || hasTopLevelAlternation(s)) return '';
  let out = '';
  let i = 1;
  while (i < s.length) {
    const ch = s[i]!;
    let lit: string | undefined;
    let len = 1;
    if (ch === '\\') {
      const n = s[i + 1];
      // an escaped punctuation character is itself; \d, \s, \t, \u… are not literals here
      if (n !== undefined && /[^A-Za-z0-9]/.test(n)) { lit = n; len = 2; }
    } else if (!'()[]{}.*+?|^$'.includes(ch)) lit = ch;
    if (lit === undefined) break;
    const q = s[i + len];
    if (q === '?' || q === '*' || q === '{') break; // optional or counted: not certain
    out += lit;
    i += len;
    if (q === '+') break; // present at least once; what follows is not certain
  }
  return out;
}

// A `|` outside every group and class makes the ^ bind only the first alternative.
function hasTopLevelAlternation(s: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

interface Candidate {
  readonly family: Family;
  readonly re: RegExp;
  readonly prefix: string;
}

/** The variants that apply to one kernel, in catalog order, and by the first character of their literal prefix. */
interface Applicable {
  readonly all: readonly Candidate[];
  /** first character → the candidates whose prefix starts with it or is empty, in catalog order */
  readonly byFirst: ReadonlyMap<string, readonly Candidate[]>;
  /** the candidates with an empty prefix (for a line whose first character starts no prefix) */
  readonly unprefixed: readonly Candidate[];
}

// The families and variants that apply to one kernel: matchFamily runs for every line of every log,
// and testing each family's arch and versions, then each anchored regex, per line was most of its time.
const applicableCache = new Map<string, Applicable>();

function applicable(kernel: KernelKey): Applicable {
  const v = versionKeyOf(kernel.version);
  const key = `${kernel.arch} ${v}`;
  let hit = applicableCache.get(key);
  if (!hit) {
    const all = families
      .filter((f) => applies(f, kernel))
      .flatMap((family) => family.variants.filter((x) => !x.versions || x.versions.includes(v)).map((x) => ({ family, re: x.re, prefix: literalPrefix(x.re) })));
    const byFirst = new Map<string, readonly Candidate[]>();
    for (const c of new Set(all.map((x) => x.prefix[0]).filter((x) => x !== undefined))) {
      byFirst.set(c, all.filter((x) => x.prefix === '' || x.prefix[0] === c));
    }
    hit = { all, byFirst, unprefixed: all.filter((x) => x.prefix === '') };
    applicableCache.set(key, hit);
  }
  return hit;
}

/** The catalog family a line belongs to on this kernel, with the match: the first variant in catalog order that matches. */
export function matchFamily(text: string, kernel: KernelKey): { family: Family; match: RegExpExecArray } | undefined {
  const a = applicable(kernel);
  for (const { family, re, prefix } of a.byFirst.get(text.charAt(0)) ?? a.unprefixed) {
    if (prefix.length > 1 && !text.startsWith(prefix)) continue;
    const match = re.exec(text);
    if (match) return { family, match };
  }
  return undefined;
}

/** matchFamily without the prefix index: every applicable variant tried in catalog order (the reference the index is tested against). */
export function matchFamilyEveryVariant(text: string, kernel: KernelKey): { family: Family; match: RegExpExecArray } | undefined {
  for (const { family, re } of applicable(kernel).all) {
    const match = re.exec(text);
    if (match) return { family, match };
  }
  return undefined;
}

// Every family's variants with their literal prefixes, worked out once: familiesMatchingAnywhere runs
// over every distinct line of the golden logs, and a regex whose prefix the line lacks cannot match.
let anywhere: readonly { readonly family: Family; readonly variants: readonly { readonly re: RegExp; readonly prefix: string }[] }[] | undefined;

/** Families whose regex matches the text on any version or arch (for checking the catalog's own metadata). */
export function familiesMatchingAnywhere(text: string): readonly Family[] {
  anywhere ??= families.map((family) => ({ family, variants: family.variants.map((x) => ({ re: x.re, prefix: literalPrefix(x.re) })) }));
  return anywhere.filter((f) => f.variants.some((x) => text.startsWith(x.prefix) && x.re.test(text))).map((f) => f.family);
}

/** Classifies one normalised line (no timestamp) for a kernel. */
export function classifyLine(text: string, kernel: KernelKey): Classification {
  const hit = matchFamily(text, kernel);
  if (hit) return { cls: 'catalog', family: hit.family, match: hit.match };
  const mask = maskFor(text);
  if (mask) return { cls: 'masked', mask };
  const firmware = firmwareRules.find((r) => r.match.test(text));
  if (firmware) return { cls: 'firmware', firmware };
  return { cls: 'unmodelled' };
}

/** A catalog line with its parsed fields. */
export interface CatalogLine {
  readonly lineNo: number;
  readonly ts: number | undefined;
  readonly family: string;
  readonly stage: Stage;
  readonly text: string;
  /** Joined key fields, e.g. "DMA32" or "0:DMA"; undefined when the family has none. */
  readonly key: string | undefined;
  /** 0-based occurrence of this family+key in the log, to pair lines that share a key. */
  readonly seq: number;
  readonly fields: readonly Field[];
  /** Sim lines only: the fmt the simulator declared (should equal `family`). */
  readonly declaredFmt?: string;
  /** Inside the memory-init window. */
  readonly inWindow: boolean;
}

/** Thrown when a family's regex matched but a group does not parse as its kind: a catalog bug. */
export class CatalogBugError extends Error {}

function parseFields(family: Family, match: RegExpExecArray, text: string): Field[] {
  const groups = match.groups ?? {};
  const out: Field[] = [];
  for (const spec of family.fields) {
    const raw = groups[spec.group];
    if (raw === undefined) {
      if (spec.optional) continue;
      throw new CatalogBugError(`${family.id}: group "${spec.group}" did not take part in the match of ${JSON.stringify(text)}`);
    }
    const value = parseFieldValue(spec.kind, raw);
    if (value === undefined) throw new CatalogBugError(`${family.id}.${spec.name ?? spec.group}: expected a ${spec.kind}, got ${JSON.stringify(raw)}`);
    const name = spec.name ?? spec.group;
    out.push(spec.key ? { name, kind: spec.kind, value, key: true } : { name, kind: spec.kind, value });
  }
  return out;
}

// A catalog line from a family match already made: the regex runs once per line.
function catalogLineOf(line: NormalisedLine, family: Family, match: RegExpExecArray): Omit<CatalogLine, 'seq' | 'inWindow'> {
  const fields = parseFields(family, match, line.text);
  const keys = fields.filter((f) => f.key).map((f) => String(f.value));
  return {
    lineNo: line.lineNo,
    ts: line.ts,
    family: family.id,
    stage: family.stage,
    text: line.text,
    key: keys.length > 0 ? keys.join(':') : undefined,
    fields,
    ...(line.fmt !== undefined ? { declaredFmt: line.fmt } : {}),
  };
}

/** Parses one line as a catalog line, or returns undefined when it is not one. */
export function parseCatalogLine(line: NormalisedLine, kernel: KernelKey): Omit<CatalogLine, 'seq' | 'inWindow'> | undefined {
  const hit = matchFamily(line.text, kernel);
  return hit ? catalogLineOf(line, hit.family, hit.match) : undefined;
}

/** Every catalog line of the log, wherever it appears in the boot, in log order (classifyLog's catalog). */
export function extractCatalogLines(log: NormalisedLog, kernel: KernelKey): CatalogLine[] {
  return [...classifyLog(log, kernel).catalog];
}

export interface WindowLine {
  readonly lineNo: number;
  readonly text: string;
  readonly cls: LineClass;
  readonly family?: string;
  /** Mask or firmware rule id. */
  readonly rule?: string;
}

export interface WindowCounts {
  readonly total: number;
  readonly catalog: number;
  readonly masked: number;
  readonly firmware: number;
  readonly unmodelled: number;
  /** Window lines minus masked ones. */
  readonly deterministic: number;
  /** catalog / deterministic (0 when there is no window). */
  readonly coverage: number;
  /** Catalog lines printed outside the window (hashdist hashes, x86_64 "Command line:", highmem init…). */
  readonly catalogOutside: number;
}

export interface WindowReport {
  readonly lines: readonly WindowLine[];
  readonly counts: WindowCounts;
}

/**
 * Coverage, as issue 3 defines it: catalog lines as a share of the deterministic lines of the
 * memory-init window (window lines less the masked ones); 0 when there is no window. It says how
 * much of the window the catalog claims to model, whatever the simulator prints. The one place
 * it is computed: per profile here, and over several profiles from their summed counts.
 */
export function coverageOf(c: { readonly catalog: number; readonly deterministic: number }): number {
  return c.deterministic === 0 ? 0 : c.catalog / c.deterministic;
}

/** A log classified in one pass: its catalog lines (the whole boot) and its window report. */
export interface ClassifiedLog {
  readonly catalog: readonly CatalogLine[];
  readonly window: WindowReport;
}

/**
 * Classifies every line of the log once (catalog, masked, firmware, unmodelled), parsing the
 * catalog lines' fields from that same match, and counts the window. Everything the comparison
 * and the reports need of a golden comes from this one pass.
 */
export function classifyLog(log: NormalisedLog, kernel: KernelKey): ClassifiedLog {
  const seen = new Map<string, number>();
  const catalog: CatalogLine[] = [];
  const lines: WindowLine[] = [];
  let catalogOutside = 0;
  log.lines.forEach((line, i) => {
    const inWindow = log.window !== undefined && i >= log.window.start && i <= log.window.end;
    const c = classifyLine(line.text, kernel);
    if (c.cls === 'catalog') {
      const parsed = catalogLineOf(line, c.family!, c.match!);
      const k = `${parsed.family}\u0000${parsed.key ?? ''}`;
      const seq = seen.get(k) ?? 0;
      seen.set(k, seq + 1);
      catalog.push({ ...parsed, seq, inWindow });
    }
    if (!inWindow) {
      if (c.cls === 'catalog') catalogOutside++;
      return;
    }
    const rule = c.mask?.id ?? c.firmware?.id;
    lines.push({
      lineNo: line.lineNo,
      text: line.text,
      cls: c.cls,
      ...(c.family ? { family: c.family.id } : {}),
      ...(rule ? { rule } : {}),
    });
  });
  const n = (cls: LineClass): number => lines.filter((l) => l.cls === cls).length;
  const inCatalog = n('catalog');
  const masked = n('masked');
  const deterministic = lines.length - masked;
  return {
    catalog,
    window: {
      lines,
      counts: {
        total: lines.length,
        catalog: inCatalog,
        masked,
        firmware: n('firmware'),
        unmodelled: n('unmodelled'),
        deterministic,
        coverage: coverageOf({ catalog: inCatalog, deterministic }),
        catalogOutside,
      },
    },
  };
}

/** Classifies every window line, and counts coverage (classifyLog's window). */
export function windowReport(log: NormalisedLog, kernel: KernelKey): WindowReport {
  return classifyLog(log, kernel).window;
}

/** The literal start of a variant's regex, e.g. "Memory: " — used to spot damaged catalog lines. */
export function variantAnchor(re: RegExp): string {
  const src = re.source.replace(/^\^/, '');
  const m = /^(?:[^\\()[\].*+?{}|$^]|\\[^dDsSwWbB0-9pPkux])*/.exec(src)!;
  return m[0].replace(/\\(.)/g, '$1');
}

/** The anchors of a family on a kernel: the family's own, else each variant's literal start. */
export function familyAnchors(f: Family, kernel: KernelKey): readonly string[] {
  if (f.anchor !== undefined) return [f.anchor];
  const v = versionKeyOf(kernel.version);
  return f.variants.filter((x) => !x.versions || x.versions.includes(v)).map((x) => variantAnchor(x.re));
}

/** A line that starts like a catalog family but does not match it: probably damaged in capture. */
export interface SuspectLine {
  readonly lineNo: number;
  readonly text: string;
  readonly family: string;
}

const MIN_ANCHOR = 6;

/**
 * Lines that begin with the literal prefix of a family that applies to this kernel but
 * fail its regex. Serial captures under TCG sometimes drop bytes ("ftrace: allocating
 * 40521 entri in 159 pages"); on a catalog line that would silently lose a line under test.
 */
export function suspectLines(log: NormalisedLog, kernel: KernelKey): SuspectLine[] {
  const byHead = anchorsByHead(kernel);
  const out: SuspectLine[] = [];
  for (const line of log.lines) {
    const a = byHead.get(line.text.slice(0, MIN_ANCHOR))?.find((x) => line.text.startsWith(x.anchor));
    if (a && !matchFamily(line.text, kernel)) out.push({ lineNo: line.lineNo, text: line.text, family: a.f.id });
  }
  return out;
}

// The anchors (of MIN_ANCHOR characters or more) of the families that apply to one kernel, in catalog
// order, by their first MIN_ANCHOR characters: a line can start with an anchor only if it starts with
// that head. suspectLines runs over every line of every golden, and trying each anchor per line was most of its time.
const anchorCache = new Map<string, ReadonlyMap<string, readonly { readonly f: Family; readonly anchor: string }[]>>();

function anchorsByHead(kernel: KernelKey): ReadonlyMap<string, readonly { readonly f: Family; readonly anchor: string }[]> {
  const key = `${kernel.arch} ${versionKeyOf(kernel.version)}`;
  let hit = anchorCache.get(key);
  if (!hit) {
    const byHead = new Map<string, { readonly f: Family; readonly anchor: string }[]>();
    for (const f of families.filter((x) => applies(x, kernel))) {
      for (const anchor of familyAnchors(f, kernel)) {
        if (anchor.length < MIN_ANCHOR) continue;
        const head = anchor.slice(0, MIN_ANCHOR);
        let list = byHead.get(head);
        if (!list) byHead.set(head, (list = []));
        list.push({ f, anchor });
      }
    }
    hit = byHead;
    anchorCache.set(key, hit);
  }
  return hit;
}

/**
 * Throws GoldenError('GOLDEN_DAMAGED') when capture lost bytes inside the window: a line
 * with no timestamp left, or a line that starts like a catalog family but does not match.
 * Call after requireUsableGolden; a damaged golden should be re-captured, not diffed.
 */
export function requireIntactGolden(log: NormalisedLog, kernel: KernelKey): void {
  const w = log.window;
  if (!w) return;
  const inWindow = (lineNo: number): boolean => lineNo >= w.startLine && lineNo <= w.endLine;
  const damage = [
    ...log.problems.filter((p) => p.code === 'NO_TIMESTAMP' && inWindow(p.line)).map((p) => `${p.line}: ${p.message}`),
    ...suspectLines(log, kernel)
      .filter((s) => inWindow(s.lineNo))
      .map((s) => `${s.lineNo}: expected a ${s.family} line, got ${JSON.stringify(s.text)}`),
  ];
  if (damage.length === 0) return;
  const first = Number.parseInt(damage[0]!, 10);
  throw new GoldenError('GOLDEN_DAMAGED', `expected an intact memory-init window, got ${damage.length} damaged line(s) (bytes lost in capture): ${damage.join('; ')}`, {
    pos: { file: log.file, line: first },
  });
}

/** Families that a kernel can print. */
export function familiesFor(kernel: KernelKey): readonly Family[] {
  return families.filter((f) => applies(f, kernel));
}
