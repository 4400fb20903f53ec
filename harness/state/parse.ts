// Reads a state probe's log (goldens/<name>/state.log, written by a `probe: state` capture): the
// blocks /init printed between its markers (qemu-scripts/initramfs/image.ts), each parsed into typed
// fields by the format its kernel function prints. Pure: text in, sections out. Anything a block's
// format does not account for is a StateError naming the block and the line, never skipped.
import { BootsimError } from '../../sim/base/errors.ts';
import { SLAB_BLOCK, STATE_BLOCKS, STATE_MARK, type StateBlockName } from '../../qemu-scripts/initramfs/image.ts';

export type StateCode =
  /** No "@@bootsim-state done@@": the probe did not finish. */
  | 'STATE_NOT_DONE'
  /** A marker out of place: a begin inside a block, an end without its begin, a block twice, an unknown block. */
  | 'STATE_BAD_MARKER'
  /** /init could not read a file ("@@bootsim-state failed …@@"). */
  | 'STATE_PROBE_FAILED'
  /** A block the probe prints is absent. */
  | 'STATE_MISSING_BLOCK'
  /** A line its block's format does not hold. */
  | 'STATE_BAD_LINE';

export class StateError extends BootsimError<StateCode> {}

/** One block as printed: its lines (CR removed) and where the first sits in the log (1-based). */
export interface StateBlock {
  readonly name: StateBlockName;
  readonly firstLine: number;
  readonly lines: readonly string[];
}

/** One zone of /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print). */
export interface ZoneInfo {
  readonly node: number;
  readonly zone: string;
  readonly line: number;
  /** "per-node stats", printed with the node's first populated zone only. */
  readonly nodeStats: Readonly<Record<string, number>> | undefined;
  /** "pages free" and the watermark block: free, boost, min, low, high, promo, spanned, present, managed, cma (as the kernel prints them), then node_unreclaimable and start_pfn. */
  readonly fields: Readonly<Record<string, number>>;
  /** "protection: (…)": zone->lowmem_reserve[]. */
  readonly protection: readonly number[];
  /** The zone's vm stats (and NUMA events); empty for an unpopulated zone. */
  readonly stats: Readonly<Record<string, number>>;
  /** One per online CPU: count, high, batch (and whatever else the kernel prints), and the vm stats threshold. */
  readonly pagesets: readonly Pageset[];
  /** populated_zone(): an unpopulated zone stops after protection. */
  readonly populated: boolean;
}

export interface Pageset {
  readonly cpu: number;
  readonly fields: Readonly<Record<string, number>>;
  readonly statThreshold: number | undefined;
}

/** One /proc/meminfo line (fs/proc/meminfo.c): "Key:   value kB", or a bare count. */
export interface MeminfoEntry {
  readonly value: number;
  readonly unit: 'kB' | undefined;
}

/** One cache of /proc/slabinfo (mm/slab_common.c cache_show, version 2.1). */
export interface SlabinfoRow {
  readonly name: string;
  readonly activeObjs: number;
  readonly numObjs: number;
  readonly objsize: number;
  readonly objperslab: number;
  readonly pagesperslab: number;
  readonly limit: number;
  readonly batchcount: number;
  readonly sharedfactor: number;
  readonly activeSlabs: number;
  readonly numSlabs: number;
  readonly sharedavail: number;
}

/** One /proc/iomem resource (kernel/resource.c r_show): its depth in the tree (two spaces a level). */
export interface IomemEntry {
  readonly depth: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly name: string;
}

/** /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show). */
export interface PageTypeInfo {
  readonly pageblockOrder: number;
  readonly pagesPerBlock: number;
  /** "Free pages count per migrate type at order …": one row per node, zone and migrate type. */
  readonly free: readonly { readonly node: number; readonly zone: string; readonly type: string; readonly counts: readonly number[] }[];
  /** The migrate types of "Number of blocks type …", in order. */
  readonly blockTypes: readonly string[];
  readonly blocks: readonly { readonly node: number; readonly zone: string; readonly counts: readonly number[] }[];
  /** Any further table the kernel prints ("Number of mixed blocks", CONFIG_PAGE_OWNER): title and rows, kept as is. */
  readonly extra: readonly string[];
}

/** One /proc/buddyinfo line (mm/vmstat.c frag_show_print). */
export interface BuddyInfo {
  readonly node: number;
  readonly zone: string;
  readonly free: readonly number[];
}

/** One SLUB cache of /sys/kernel/slab (mm/slub.c: object_size, slab_size, objs_per_slab, order). */
export interface SlabGeometry {
  readonly name: string;
  readonly objectSize: number;
  readonly slabSize: number;
  readonly objsPerSlab: number;
  readonly order: number;
}

export interface StateLog {
  readonly file: string;
  readonly blocks: ReadonlyMap<StateBlockName, StateBlock>;
  readonly zoneinfo: readonly ZoneInfo[];
  readonly meminfo: ReadonlyMap<string, MeminfoEntry>;
  readonly slabinfo: { readonly version: string; readonly caches: readonly SlabinfoRow[] };
  readonly iomem: readonly IomemEntry[];
  readonly pagetypeinfo: PageTypeInfo;
  readonly buddyinfo: readonly BuddyInfo[];
  readonly vmstat: ReadonlyMap<string, number>;
  readonly slab: readonly SlabGeometry[];
}

/** Splits the log into its blocks, checking the markers. */
export function stateBlocks(text: string, file: string): Map<StateBlockName, StateBlock> {
  // (a log without a carriage return, as the probe writes them, has none to strip from each line)
  const lines = text.includes('\r') ? text.split('\n').map((l) => l.replace(/\r+$/, '')) : text.split('\n');
  const blocks = new Map<StateBlockName, StateBlock>();
  let open: { name: StateBlockName; firstLine: number; lines: string[] } | undefined;
  let done = false;
  const fail = (code: StateCode, line: number, msg: string): never => {
    throw new StateError(code, msg, { pos: { file, line } });
  };
  for (let i = 0; i < lines.length && !done; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    // every marker starts with "@@": the regex runs on those lines only
    const m = line.startsWith('@@') ? STATE_MARK.line.exec(line) : null;
    if (!m) {
      if (open) open.lines.push(line);
      else if (line.trim() !== '') fail('STATE_BAD_LINE', lineNo, `expected a "${STATE_MARK.begin('<block>')}" marker between blocks, got ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    const [, kind, block] = m;
    if (kind === undefined) {
      if (open) fail('STATE_BAD_MARKER', lineNo, `expected "${STATE_MARK.end(open.name)}" before the done marker, got the done marker`);
      done = true;
      continue;
    }
    if (kind === 'failed') fail('STATE_PROBE_FAILED', lineNo, `the probe could not read ${block} (its /init printed ${JSON.stringify(line)})`);
    if (kind === 'begin') {
      if (open) fail('STATE_BAD_MARKER', lineNo, `expected "${STATE_MARK.end(open.name)}", got a begin of ${block}`);
      if (!(STATE_BLOCKS as readonly string[]).includes(block!)) fail('STATE_BAD_MARKER', lineNo, `expected a block of ${STATE_BLOCKS.join(', ')}, got ${block}`);
      const name = block as StateBlockName;
      if (blocks.has(name)) fail('STATE_BAD_MARKER', lineNo, `expected ${name} once, got it again (first at line ${blocks.get(name)!.firstLine - 1})`);
      open = { name, firstLine: lineNo + 1, lines: [] };
      continue;
    }
    if (!open || open.name !== block) fail('STATE_BAD_MARKER', lineNo, `expected ${open ? `"${STATE_MARK.end(open.name)}"` : 'a begin marker'}, got the end of ${block}`);
    // the last line of a /proc file ends with its own newline; a trailing empty line stays a line of the block
    blocks.set(open!.name, { name: open!.name, firstLine: open!.firstLine, lines: open!.lines });
    open = undefined;
  }
  if (!done) fail('STATE_NOT_DONE', lines.length, `expected "${STATE_MARK.done}", got the end of the log${open ? ` inside ${open.name}` : ''}: the probe did not finish`);
  for (const name of STATE_BLOCKS) if (!blocks.has(name)) fail('STATE_MISSING_BLOCK', lines.length, `expected the block ${name}, got none`);
  return blocks;
}

/** Parses a whole state.log. Throws StateError naming the block and line of the first problem. */
export function parseStateLog(text: string, file: string): StateLog {
  const blocks = stateBlocks(text, file);
  const get = (n: StateBlockName): StateBlock => blocks.get(n)!;
  return {
    file,
    blocks,
    zoneinfo: parseZoneinfo(get('/proc/zoneinfo'), file),
    meminfo: parseMeminfo(get('/proc/meminfo'), file),
    slabinfo: parseSlabinfo(get('/proc/slabinfo'), file),
    iomem: parseIomem(get('/proc/iomem'), file),
    pagetypeinfo: parsePagetypeinfo(get('/proc/pagetypeinfo'), file),
    buddyinfo: parseBuddyinfo(get('/proc/buddyinfo'), file),
    vmstat: parseVmstat(get('/proc/vmstat'), file),
    slab: parseSlabGeometry(get(SLAB_BLOCK), file),
  };
}

// ── the blocks ───────────────────────────────────────────────────────────────

type LineFail = (i: number, expected: string) => never;

function failer(b: StateBlock, file: string): LineFail {
  return (i, expected) => {
    throw new StateError('STATE_BAD_LINE', `${b.name}: expected ${expected}, got ${JSON.stringify((b.lines[i] ?? '').slice(0, 100))}`, { pos: { file, line: b.firstLine + i } });
  };
}

function int(text: string, i: number, fail: LineFail, what: string): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n)) fail(i, `${what} as an integer`);
  return n;
}

const ZONE_HEAD = /^Node (\d+), zone\s+(\S+)$/;

export function parseZoneinfo(b: StateBlock, file: string): ZoneInfo[] {
  const fail = failer(b, file);
  const zones: ZoneInfo[] = [];
  type Draft = { node: number; zone: string; line: number; nodeStats: Record<string, number> | undefined; fields: Record<string, number>; protection: number[] | undefined; stats: Record<string, number>; pagesets: { cpu: number; fields: Record<string, number>; statThreshold: number | undefined }[] };
  let z: Draft | undefined;
  let section: 'head' | 'node' | 'zone' | 'pagesets' | 'tail' = 'head';
  const finish = (i: number): void => {
    if (!z) return;
    if (z.protection === undefined) fail(i, `"protection: (…)" in ${z.zone} of node ${z.node} before the next zone`);
    zones.push({ node: z.node, zone: z.zone, line: z.line, nodeStats: z.nodeStats, fields: z.fields, protection: z.protection!, stats: z.stats, pagesets: z.pagesets, populated: Object.keys(z.stats).length > 0 || z.pagesets.length > 0 });
  };
  b.lines.forEach((line, i) => {
    if (line === '') return;
    const head = ZONE_HEAD.exec(line);
    if (head) {
      finish(i);
      z = { node: Number(head[1]), zone: head[2]!, line: b.firstLine + i, nodeStats: undefined, fields: {}, protection: undefined, stats: {}, pagesets: [] };
      section = 'head';
      return;
    }
    if (!z) return fail(i, '"Node N, zone NAME" first');
    if (line === '  per-node stats') {
      z.nodeStats = {};
      section = 'node';
      return;
    }
    const free = /^  pages free\s+(\d+)$/.exec(line);
    if (free) {
      z.fields.free = int(free[1]!, i, fail, 'pages free');
      section = 'zone';
      return;
    }
    const prot = /^ {8}protection: \((-?\d+(?:, -?\d+)*)\)$/.exec(line);
    if (prot && section === 'zone') {
      z.protection = prot[1]!.split(', ').map((t) => int(t, i, fail, 'a lowmem_reserve'));
      return;
    }
    if (line === '  pagesets') {
      section = 'pagesets';
      return;
    }
    const cpu = /^ {4}cpu: (\d+)$/.exec(line);
    if (cpu && section === 'pagesets') {
      z.pagesets.push({ cpu: Number(cpu[1]), fields: {}, statThreshold: undefined });
      return;
    }
    const thr = /^ {2}vm stats threshold: (-?\d+)$/.exec(line);
    if (thr && section === 'pagesets' && z.pagesets.length > 0) {
      z.pagesets[z.pagesets.length - 1] = { ...z.pagesets[z.pagesets.length - 1]!, statThreshold: int(thr[1]!, i, fail, 'vm stats threshold') };
      return;
    }
    const kv = /^( +)([a-z_][a-z0-9_]*):?\s+(-?\d+)$/.exec(line);
    if (!kv) return fail(i, 'a zoneinfo line (mm/vmstat.c zoneinfo_show_print)');
    const [, indent, key, value] = kv;
    const n = int(value!, i, fail, key!);
    const depth = indent!.length;
    if (section === 'node' && depth === 6) z.nodeStats![key!] = n;
    else if (section === 'zone' && depth === 8) z.fields[key!] = n;
    // the zone's vm stats: 6 spaces ("\n      %-12s %lu"), 4 before the per-node stats split ("\n    %-12s %lu", mm/vmstat.c zoneinfo_show_print, 3.0.1)
    else if (section === 'zone' && (depth === 6 || depth === 4)) z.stats[key!] = n;
    else if (section === 'pagesets' && depth === 14 && z.pagesets.length > 0) z.pagesets[z.pagesets.length - 1]!.fields[key!] = n;
    else if ((section === 'pagesets' || section === 'tail' || section === 'zone') && depth === 2) {
      z.fields[key!] = n;
      section = 'tail';
    } else fail(i, `a zoneinfo line at the indentation of its section (${section})`);
  });
  finish(b.lines.length);
  return zones;
}

export function parseMeminfo(b: StateBlock, file: string): Map<string, MeminfoEntry> {
  const fail = failer(b, file);
  const out = new Map<string, MeminfoEntry>();
  b.lines.forEach((line, i) => {
    if (line === '') return;
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)( kB)?$/.exec(line);
    if (!m) return fail(i, '"Key:  value kB" or "Key:  count" (fs/proc/meminfo.c)');
    if (out.has(m[1]!)) fail(i, `${m[1]} once`);
    out.set(m[1]!, { value: int(m[2]!, i, fail, m[1]!), unit: m[3] ? 'kB' : undefined });
  });
  return out;
}

export function parseSlabinfo(b: StateBlock, file: string): { version: string; caches: SlabinfoRow[] } {
  const fail = failer(b, file);
  const ver = /^slabinfo - version: (\S+)$/.exec(b.lines[0] ?? '');
  if (!ver) return fail(0, '"slabinfo - version: 2.1" (mm/slab_common.c print_slabinfo_header)');
  if (!(b.lines[1] ?? '').startsWith('# name ')) fail(1, 'the "# name <active_objs> …" header');
  const caches: SlabinfoRow[] = [];
  b.lines.slice(2).forEach((line, j) => {
    const i = j + 2;
    if (line === '') return;
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+) : tunables\s+(\d+)\s+(\d+)\s+(\d+) : slabdata\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (!m) return fail(i, 'a cache line "<name> <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables … : slabdata …"');
    const n = (k: number): number => int(m[k]!, i, fail, 'a slabinfo count');
    caches.push({ name: m[1]!, activeObjs: n(2), numObjs: n(3), objsize: n(4), objperslab: n(5), pagesperslab: n(6), limit: n(7), batchcount: n(8), sharedfactor: n(9), activeSlabs: n(10), numSlabs: n(11), sharedavail: n(12) });
  });
  return { version: ver[1]!, caches };
}

export function parseIomem(b: StateBlock, file: string): IomemEntry[] {
  const fail = failer(b, file);
  const out: IomemEntry[] = [];
  b.lines.forEach((line, i) => {
    if (line === '') return;
    const m = /^((?: {2})*)([0-9a-f]+)-([0-9a-f]+) : (.+)$/.exec(line);
    if (!m) return fail(i, '"<start>-<end> : <name>" indented two spaces a level (kernel/resource.c r_show)');
    const depth = m[1]!.length / 2;
    const parent = out[out.length - 1];
    if (depth > (parent ? parent.depth + 1 : 0)) fail(i, `a depth of at most ${parent ? parent.depth + 1 : 0}`);
    out.push({ depth, start: BigInt(`0x${m[2]}`), end: BigInt(`0x${m[3]}`), name: m[4]! });
  });
  return out;
}

/**
 * mm/vmstat.c pagetypeinfo_show() runs once per node with memory: each prints "Page block order",
 * "Pages per block", its free-pages table and its block-count table; the rows of all nodes are
 * gathered here, and the header must say the same for every node.
 */
export function parsePagetypeinfo(b: StateBlock, file: string): PageTypeInfo {
  const fail = failer(b, file);
  if (!/^Page block order: (\d+)$/.test(b.lines[0] ?? '')) return fail(0, '"Page block order: N" (mm/vmstat.c pagetypeinfo_show)');
  let order: number | undefined;
  let per: number | undefined;
  const free: PageTypeInfo['free'][number][] = [];
  const blocks: PageTypeInfo['blocks'][number][] = [];
  const extra: string[] = [];
  let blockTypes: string[] | undefined;
  let table: 'none' | 'free' | 'blocks' | 'extra' = 'none';
  b.lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const o = /^Page block order: (\d+)$/.exec(line);
    if (o) {
      if (order !== undefined && Number(o[1]) !== order) fail(i, `the same pageblock order for every node (${order})`);
      order = Number(o[1]);
      table = 'none';
      return;
    }
    const p = /^Pages per block:\s+(\d+)$/.exec(line);
    if (p) {
      if (per !== undefined && Number(p[1]) !== per) fail(i, `the same pages per block for every node (${per})`);
      per = Number(p[1]);
      return;
    }
    if (/^Free pages count per migrate type at order(\s+\d+)+\s*$/.test(line)) {
      table = 'free';
      return;
    }
    const bt = /^Number of blocks type\s+(.+?)\s*$/.exec(line);
    if (bt) {
      const types = bt[1]!.split(/\s+/);
      if (blockTypes !== undefined && types.join(' ') !== blockTypes.join(' ')) fail(i, `the same migrate types for every node (${blockTypes.join(', ')})`);
      blockTypes = types;
      table = 'blocks';
      return;
    }
    if (table === 'free') {
      const m = /^Node\s+(\d+), zone\s+(\S+), type\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
      if (!m) return fail(i, '"Node N, zone NAME, type TYPE <count per order>"');
      free.push({ node: Number(m[1]), zone: m[2]!, type: m[3]!, counts: m[4]!.trim().split(/\s+/).map((t) => int(t, i, fail, 'a free count')) });
      return;
    }
    if (table === 'blocks' || table === 'extra') {
      const m = /^Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
      if (m && table === 'blocks') {
        const counts = m[3]!.trim().split(/\s+/).map((t) => int(t, i, fail, 'a block count'));
        if (counts.length !== blockTypes!.length) fail(i, `${blockTypes!.length} block counts (${blockTypes!.join(', ')})`);
        blocks.push({ node: Number(m[1]), zone: m[2]!, counts });
        return;
      }
      // mm/page_owner.c pagetypeinfo_showmixedcount_print: "Number of mixed blocks …" and its rows
      if (m || /^Number of mixed blocks/.test(line)) {
        table = 'extra';
        extra.push(line);
        return;
      }
    }
    fail(i, 'a row of the free-pages or block-count table');
  });
  if (blockTypes === undefined) fail(b.lines.length - 1, 'a "Number of blocks type …" table');
  if (per === undefined) fail(b.lines.length - 1, 'a "Pages per block:  N" line');
  return { pageblockOrder: order!, pagesPerBlock: per!, free, blockTypes: blockTypes!, blocks, extra };
}

export function parseBuddyinfo(b: StateBlock, file: string): BuddyInfo[] {
  const fail = failer(b, file);
  const out: BuddyInfo[] = [];
  b.lines.forEach((line, i) => {
    if (line === '') return;
    const m = /^Node (\d+), zone\s+(\S+)((?:\s+\d+)+)\s*$/.exec(line);
    if (!m) return fail(i, '"Node N, zone NAME <free blocks per order>" (mm/vmstat.c frag_show_print)');
    out.push({ node: Number(m[1]), zone: m[2]!, free: m[3]!.trim().split(/\s+/).map((t) => int(t, i, fail, 'a free count')) });
  });
  return out;
}

export function parseVmstat(b: StateBlock, file: string): Map<string, number> {
  const fail = failer(b, file);
  const out = new Map<string, number>();
  b.lines.forEach((line, i) => {
    if (line === '') return;
    const m = /^([a-z_][a-z0-9_]*) (-?\d+)$/.exec(line);
    if (!m) return fail(i, '"<name> <value>" (mm/vmstat.c vmstat_show)');
    if (out.has(m[1]!)) fail(i, `${m[1]} once`);
    out.set(m[1]!, int(m[2]!, i, fail, m[1]!));
  });
  return out;
}

export function parseSlabGeometry(b: StateBlock, file: string): SlabGeometry[] {
  const fail = failer(b, file);
  const out: SlabGeometry[] = [];
  b.lines.forEach((line, i) => {
    if (line === '') return;
    const m = /^(\S+) (\d+) (\d+) (\d+) (\d+)$/.exec(line);
    if (!m) return fail(i, '"<cache> <object_size> <slab_size> <objs_per_slab> <order>" (the probe\'s /sys/kernel/slab line)');
    const n = (k: number): number => int(m[k]!, i, fail, 'a slab attribute');
    out.push({ name: m[1]!, objectSize: n(2), slabSize: n(3), objsPerSlab: n(4), order: n(5) });
  });
  return out;
}
