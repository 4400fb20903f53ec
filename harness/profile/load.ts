// Reads a machine profile (goldens/<name>/profile.yaml, or an ad-hoc file anywhere), checks every
// field and normalises it into the MachineSpec that drives both the QEMU capture and the simulator.
// Validation stops at the first problem (STYLE §5: misuse of the tool throws); problems are looked
// for in this order, so that the most telling one is reported: YAML syntax, shape, unknown keys
// (a typo also makes a field look missing), missing fields, each field in file order, then the
// checks that need several fields (cpus against machine, numa against memory and cpus, cmdline length).
import path from 'node:path';
import * as v from 'valibot';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import type { SourcePos } from '../../sim/base/errors.ts';
import { KernelCatalogError, inCatalog, kernelIds, loadKernelWithFacts } from '../kernels.ts';
import { envelopeLimit, limitError, type EnvelopeKernel, type EnvelopeLimit } from '../../sim/envelope.ts';
import { displayPath } from '../../sim/base/paths.ts';
import { cachedParse, runningCache, type ParsedCacheOptions } from '../parsed-cache.ts';
import { MAX_PROFILE_BYTES, QUOTE_MAX, quoteValue, readBoundedFile, refusalText } from '../../sim/base/files.ts';
import type { MachineSpec, MachineType, NumaNodeSpec } from '../../sim/types.ts';
import { FIXED_APPEND, MEMBLOCK_DEBUG_PARAM } from '../../sim/base/cmdline.ts';
import { ProfileError, type ProfileCode } from './errors.ts';
import { COMMAND_LINE_SIZE, MACHINES, MAX_CPUS, MAX_MEMORY_BYTES, MAX_NUMA_NODES } from './limits.ts';
import { SIZE_EXPECTED, formatSize, parseSize, suggestSize } from '../../sim/base/sizes.ts';
import { closest, didYouMean } from './suggest.ts';

export { ProfileError, type ProfileCode } from './errors.ts';

export interface ProfileOptions {
  /**
   * The kernel ids a profile may name. Tests pass their own list to stay hermetic.
   * Default: `kernelIds()`, the ids of goldens/kernels/*.yaml
   */
  kernelIds?: readonly string[];
  /**
   * Check the profile against the simulator's envelope (sim/envelope.ts envelopeLimit) and report a
   * limit at its field's position: a profile that loads is simulated. 'skip' for the capture, which
   * boots what the real machine does whether it is modelled or not.
   * Default: 'check', with the kernel from `kernel` (its facts; a kernel without facts is not checked)
   */
  envelope?: 'check' | 'skip';
  /**
   * The kernel with its facts for the envelope check; undefined when its facts are not extracted.
   * Default: loadKernelWithFacts from goldens/kernels/<id>.yaml
   */
  kernel?: (id: string) => EnvelopeKernel | undefined;
  /**
   * Where loadProfile keeps the specs it parsed (harness/parsed-cache.ts), or undefined for none.
   * Default: the running build's cache, dist/cli-<hash>/parsed/ (none when running from the sources)
   */
  parsedCache?: ParsedCacheOptions | undefined;
}

export const defaults: Readonly<Required<Omit<ProfileOptions, 'parsedCache'>>> & { readonly parsedCache: ParsedCacheOptions | undefined } = {
  // A getter, so that importing this module reads no directory.
  get kernelIds(): readonly string[] {
    return kernelIds();
  },
  envelope: 'check',
  // a getter, as kernelIds: the build is found on first use
  get parsedCache(): ParsedCacheOptions | undefined {
    return runningCache();
  },
  kernel: (id: string): EnvelopeKernel | undefined => {
    try {
      return loadKernelWithFacts(id);
    } catch (e) {
      // a build without complete facts (a local 2.6/3.0 kernel) is checked by its own pipeline's envelope when it runs
      if (e instanceof KernelCatalogError && (e.code === 'KERNEL_NO_FACTS' || e.code === 'KERNEL_FACTS_ABSENT')) return undefined;
      throw e;
    }
  },
};

const TOP_KEYS = ['name', 'kernel', 'machine', 'memory', 'cpus', 'cpu', 'numa', 'cmdline', 'probe'] as const;
type TopKey = (typeof TOP_KEYS)[number];
const NODE_KEYS = ['memory', 'cpus'] as const;

/** A profile name: it becomes a directory name and a test title, so no upper case, no spaces, no leading dot or dash. */
export const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

/** A QEMU -cpu value: a model, then +flag or -flag items. QEMU also takes flag=on; one spelling is enough. */
export const CPU_RE = /^[A-Za-z0-9_.-]+(,[+-][A-Za-z0-9_.-]+)*$/;

/**
 * Kernel parameters the fixed invocation owns, by name (the kernel treats '-' and '_' alike,
 * kernel/params.c parameq), with why a profile may not set them. nokaslr is a flag, and repeating
 * it changes nothing, so it is allowed; so are debug and ignore_loglevel, which can only show
 * more than loglevel=8 already does, and memblock=debug, which only adds the memblock lines the
 * --memblock-debug capture appends it for (a second one changes nothing: mm/memblock.c
 * early_memblock sets memblock_debug = 1).
 */
export const OWNED_PARAMS: Readonly<Record<string, string>> = {
  console: 'the capture reads the serial port (fixed: console=ttyS0)',
  panic: 'QEMU must exit on the panic that ends every capture (fixed: panic=-1 with -no-reboot)',
  loglevel: 'the console log level decides which lines reach the capture (fixed: loglevel=8)',
  quiet: 'it lowers the console log level, so lines would be missing from the capture (fixed: loglevel=8)',
  earlyprintk: 'a second early console changes what the serial log holds',
  earlycon: 'a second early console changes what the serial log holds',
};

/**
 * The longest cmdline a profile may have: what COMMAND_LINE_SIZE leaves after the NUL, the fixed
 * part, a separating space, and room for " memblock=debug" so that the debug capture fits too.
 */
export const MAX_CMDLINE_LENGTH = COMMAND_LINE_SIZE - 1 - FIXED_APPEND.length - 1 - (1 + MEMBLOCK_DEBUG_PARAM.length);

/** Reads, checks and normalises one profile file. */
export function loadProfile(file: string, opts: ProfileOptions = {}): MachineSpec {
  const abs = path.resolve(file);
  const read = readBoundedFile(abs, MAX_PROFILE_BYTES);
  if (!read.ok) {
    const r = read.refusal;
    const code: ProfileCode = r.kind === 'not-regular' ? 'PROFILE_NOT_A_FILE' : r.kind === 'too-large' ? 'PROFILE_TOO_LARGE' : 'PROFILE_FILE_UNREADABLE';
    const text = r.kind === 'unreadable' ? `cannot read the profile (${r.reason})` : `profile: ${refusalText(r)}`;
    throw new ProfileError(code, text, { pos: { file: shown(abs) }, cause: read.cause });
  }
  const bytes = read.bytes;
  let src: string;
  try {
    src = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ProfileError('PROFILE_FILE_UNREADABLE', 'expected UTF-8 text, got bytes that are not UTF-8', { pos: { file: shown(abs) }, cause });
  }
  // The spec the file says is kept in the parsed-input cache (harness/parsed-cache.ts) under its bytes and
  // path. What the file does not say is checked on every load: that its kernel is in the catalog and the
  // envelope; a refusal parses the file again, which throws it at the field's position.
  const cache = 'parsedCache' in opts ? opts.parsedCache : defaults.parsedCache;
  const spec = cachedParse('profile', [abs], bytes, MachineSpecSchema, () => parseProfile(src, abs, { ...opts, envelope: 'skip' }), cache);
  if (!kernelKnown(spec.kernel, opts) || envelopeRefuses(spec, opts)) return parseProfile(src, abs, opts);
  return spec;
}

/** The shape of a MachineSpec kept in the parsed-input cache. */
const MachineSpecSchema: v.GenericSchema<MachineSpec> = v.object({
  name: v.string(),
  kernel: v.string(),
  machine: v.custom<MachineType>((m) => MACHINES.some((k) => k === m)),
  memoryBytes: v.number(),
  memoryText: v.string(),
  cpus: v.number(),
  cpu: v.union([v.string(), v.undefined()]),
  numa: v.union([v.array(v.object({ memoryBytes: v.number(), memoryText: v.string(), cpus: v.array(v.number()) })), v.undefined()]),
  cmdline: v.union([v.string(), v.undefined()]),
  probe: v.optional(v.literal('state')),
  file: v.string(),
});

/** Whether parseProfile would take the kernel id (opts.kernelIds, else the catalog). */
function kernelKnown(id: string, opts: ProfileOptions): boolean {
  return opts.kernelIds ? opts.kernelIds.includes(id) : inCatalog(id);
}

/** Whether parseProfile's envelope check would refuse the spec. */
function envelopeRefuses(spec: MachineSpec, opts: ProfileOptions): boolean {
  if ((opts.envelope ?? defaults.envelope) !== 'check') return false;
  const k = (opts.kernel ?? defaults.kernel)(spec.kernel);
  return k !== undefined && envelopeLimit(spec, k) !== undefined;
}

/** Checks and normalises profile text; `file` names it in messages and derives the default name. Pure but for the default kernel list. */
export function parseProfile(src: string, file: string, opts: ProfileOptions = {}): MachineSpec {
  // the catalog is listed only to name the ids in a refusal (inCatalog); a list the caller gives is used as it is
  const given = opts.kernelIds;
  const known = given ? (id: string): boolean => given.includes(id) : (id: string): boolean => inCatalog(id);
  const ids = (): readonly string[] => given ?? defaults.kernelIds;
  const lineCounter = new LineCounter();
  if (src.length > MAX_PROFILE_BYTES) throw new ProfileError('PROFILE_TOO_LARGE', `profile: expected at most ${MAX_PROFILE_BYTES} characters, got ${src.length}`, { pos: { file: shown(file) } });
  checkDepth(src, shown(file));
  let doc: Document;
  try {
    // yaml's own uniqueKeys check compares every key with every earlier one (quadratic: a 1 MB
    // file of keys took 120 s); duplicates are found below with a Set, in linear time.
    doc = parseDocument(src, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (cause) {
    if (cause instanceof RangeError) throw new ProfileError('PROFILE_TOO_DEEP', `expected YAML nested at most ${MAX_DEPTH} levels, got deeper nesting than the parser can follow`, { pos: { file: shown(file) }, cause });
    throw cause;
  }
  const r: Reader = new Reader(shown(file), lineCounter, doc);

  const yamlError = doc.errors[0];
  if (yamlError) {
    const at = { file: r.file, ...lineCounter.linePos(yamlError.pos[0]) };
    // yaml catches a stack overflow in its composer and reports it as an error of the document.
    if (/call stack/i.test(yamlError.message)) throw new ProfileError('PROFILE_TOO_DEEP', `expected YAML nested at most ${MAX_DEPTH} levels, got deeper nesting than the parser can follow`, { pos: at, cause: yamlError });
    throw new ProfileError('PROFILE_YAML_SYNTAX', `expected valid YAML, got an error: ${yamlError.message}`, { pos: at, cause: yamlError });
  }
  checkDuplicateKeys(r, doc.contents);

  const root = r.deref(doc.contents);
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new ProfileError('PROFILE_NOT_MAPPING', 'expected a mapping with kernel, machine, memory and cpus, got an empty document', { pos: { file: r.file, line: 1, col: 1 } });
  }
  if (!isMap(root)) r.fail('PROFILE_NOT_MAPPING', root, '', `expected a mapping with kernel, machine, memory and cpus, got ${found(root)}`);

  const fields = r.fields(root, '', TOP_KEYS, TOP_REQUIRED);
  let name: string | undefined;
  let kernel: string | undefined;
  let machine: MachineType | undefined;
  let memory: Size | undefined;
  let cpus: number | undefined;
  let cpu: string | undefined;
  let numa: NumaDraft[] | undefined;
  let cmdline: string | undefined;
  let probe: MachineSpec['probe'];
  for (const [key, value] of fields) {
    switch (key) {
      case 'name': name = checkName(r, value); break;
      case 'kernel': kernel = checkKernel(r, value, known, ids); break;
      case 'machine': machine = checkMachine(r, value); break;
      case 'memory': memory = checkSize(r, value, 'memory'); break;
      case 'cpus': cpus = checkCpus(r, value); break;
      case 'cpu': cpu = checkCpuModel(r, value); break;
      case 'numa': numa = checkNuma(r, value); break;
      case 'cmdline': cmdline = checkCmdline(r, value); break;
      case 'probe': probe = checkProbe(r, value); break;
    }
  }
  // r.fields has insisted on the required ones.
  if (kernel === undefined || machine === undefined || memory === undefined || cpus === undefined) throw new Error('unreachable: required field unchecked');

  const max = MAX_CPUS[machine];
  if (cpus > max) r.fail('PROFILE_OUT_OF_RANGE', fields.get('cpus'), 'cpus', `expected at most ${max} on machine ${machine} (QEMU 7.2 max_cpus), got ${cpus}`);
  if (numa) checkNumaAgainst(r, numa, fields.get('numa')!, memory, cpus);
  if (cmdline !== undefined && cmdline.length > MAX_CMDLINE_LENGTH) {
    r.fail('PROFILE_BAD_CMDLINE', fields.get('cmdline'), 'cmdline', `expected at most ${MAX_CMDLINE_LENGTH} characters (COMMAND_LINE_SIZE ${COMMAND_LINE_SIZE} less the NUL, "${FIXED_APPEND}" and " ${MEMBLOCK_DEBUG_PARAM}"), got ${cmdline.length}`);
  }

  const spec: MachineSpec = {
    name: name ?? defaultName(r, file),
    kernel,
    machine,
    memoryBytes: memory.bytes,
    memoryText: memory.text,
    cpus,
    cpu,
    numa: numa?.map((n) => n.spec),
    cmdline,
    ...(probe !== undefined ? { probe } : {}),
    file,
  };
  if ((opts.envelope ?? defaults.envelope) === 'check') {
    const k = (opts.kernel ?? defaults.kernel)(kernel);
    const limit = k === undefined ? undefined : envelopeLimit(spec, k);
    if (limit) throw limitError(limit, limitPos(r, limit, root, fields, numa, src));
  }
  return spec;
}

/**
 * Where an envelope limit's field sits: the field's value node, a numa node or its memory; for a
 * cmdline parameter, its own column when the value is written on one line as plain or quoted text.
 */
function limitPos(r: Reader, l: EnvelopeLimit, root: Node, fields: ReadonlyMap<TopKey, Node>, numa: readonly NumaDraft[] | undefined, src: string): SourcePos {
  const m = /^numa\[(\d+)\](\.memory)?/.exec(l.field);
  if (m) {
    const n = numa?.[Number(m[1])];
    return r.pos(m[2] ? n?.memoryNode : n?.node);
  }
  const top = l.field.split(/[.[]/)[0] as TopKey;
  const node = (TOP_KEYS as readonly string[]).includes(top) ? fields.get(top) : undefined;
  const pos = r.pos(node ?? root);
  if (l.field === 'cmdline' && l.offset !== undefined && node && isScalar(node) && typeof node.value === 'string' && node.range && pos.col !== undefined) {
    const text = src.slice(node.range[0], node.range[1]);
    const lead = text === node.value ? 0 : text === `"${node.value}"` || text === `'${node.value}'` ? 1 : undefined;
    if (lead !== undefined) return { ...pos, col: pos.col + lead + l.offset };
  }
  return pos;
}

/** A file as messages show it: relative to the repo when inside it. */
function shown(file: string): string {
  return path.isAbsolute(file) ? displayPath(file) : file;
}

interface Size {
  readonly bytes: number;
  readonly text: string;
}

interface NumaDraft {
  readonly spec: NumaNodeSpec;
  readonly field: string;
  readonly node: Node;
  readonly memoryNode: Node;
  readonly cpuItems: ReadonlyArray<{ readonly cpu: number; readonly node: Node }>;
}

/** Positions and failures for one document. */
class Reader {
  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly doc: Document,
  ) {}

  pos(node: Node | undefined): SourcePos {
    const range = node?.range;
    return range ? { file: this.file, ...this.lineCounter.linePos(range[0]) } : { file: this.file };
  }

  fail(code: ProfileCode, at: Node | undefined, field: string, text: string): never {
    throw new ProfileError(code, field ? `${field}: ${text}` : text, { pos: this.pos(at) });
  }

  /** Follows an alias to its anchored node; an unknown alias is a syntax error at the alias. */
  deref(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (!isAlias(node)) return node as Node;
    const target = node.resolve(this.doc);
    if (!target) this.fail('PROFILE_YAML_SYNTAX', node, '', `expected an alias to an anchor defined above, got *${node.source}`);
    return target;
  }

  /** The value nodes of a mapping by key, in file order. Unknown keys, then missing required ones, are errors. */
  fields<K extends string>(map: YAMLMap, where: string, keys: readonly K[], required: Readonly<Partial<Record<K, string>>>): Map<K, Node> {
    const out = new Map<K, Node>();
    const prefix = where ? `${where}.` : '';
    const allowed = keys.length === 2 ? `${keys[0]} or ${keys[1]}` : `one of ${keys.join(', ')}`;
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : undefined;
      if (key === undefined || !(keys as readonly string[]).includes(key)) {
        const label = clip(key ?? String(isScalar(keyNode) ? keyNode.value : '?'));
        this.fail('PROFILE_UNKNOWN_KEY', keyNode ?? map, `${prefix}${label}`, `unknown key; expected ${allowed}, got ${found(keyNode)}${key ? didYouMean(key, keys) : ''}`);
      }
      out.set(key as K, this.deref(pair.value) ?? emptyAt(pair.value, keyNode));
    }
    for (const [k, expected] of Object.entries(required) as Array<[K, string]>) {
      if (!out.has(k)) this.fail('PROFILE_MISSING_FIELD', map, `${prefix}${k}`, `required field is missing; expected ${expected}`);
    }
    return out;
  }
}

// `memory:` with nothing after it parses as a null scalar; keep a node so that it has a position.
function emptyAt(value: unknown, key: Node | null): Node {
  return (value as Node | null) ?? (key as Node);
}

const CPUS_EXPECTED = `an integer from 1 to ${MAX_CPUS.pc} on pc or ${MAX_CPUS.q35} on q35`;

/** The required top-level fields, with what each expects. */
const TOP_REQUIRED: Readonly<Partial<Record<TopKey, string>>> = {
  kernel: 'a kernel id from the catalog (goldens/kernels/<id>.yaml), e.g. 6.1-amd64',
  machine: 'pc or q35',
  memory: SIZE_EXPECTED,
  cpus: CPUS_EXPECTED,
};

const NODE_REQUIRED: Readonly<Record<(typeof NODE_KEYS)[number], string>> = {
  memory: `${SIZE_EXPECTED}; the node sizes add up to memory; 0M for a memoryless node`,
  cpus: 'a list of cpu indexes like [0, 1]; [] for a CPU-less node',
};

/** A node as a message shows what was found: strings quoted, numbers as written. */
function found(node: Node | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'an empty value';
    if (typeof v === 'string') return quoteValue(v);
    return clip(node.source ?? String(v));
  }
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  return 'an unsupported value';
}

function str(r: Reader, node: Node, field: string, expected: string): string {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  const hint = isScalar(node) && node.value !== null ? `; quote it if you meant the text "${found(node)}"` : '';
  return r.fail('PROFILE_BAD_TYPE', node, field, `expected ${expected}, got ${found(node)}${hint}`);
}

function int(r: Reader, node: Node, field: string, expected: string): number {
  if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
  return r.fail('PROFILE_BAD_TYPE', node, field, `expected ${expected}, got ${found(node)}`);
}

const NAME_EXPECTED = 'a name of a-z, 0-9, ".", "_" and "-" that starts with a letter or digit';

function checkName(r: Reader, node: Node): string {
  const name = str(r, node, 'name', NAME_EXPECTED);
  if (!NAME_RE.test(name)) r.fail('PROFILE_BAD_NAME', node, 'name', `expected ${NAME_EXPECTED}, got ${quoteValue(name)}`);
  return name;
}

// The folder names a golden (goldens/<name>/profile.yaml); any other file is named by its stem.
function defaultName(r: Reader, file: string): string {
  const base = path.basename(file);
  const name = base === 'profile.yaml' || base === 'profile.yml' ? path.basename(path.dirname(path.resolve('/', file))) : base.replace(/\.ya?ml$/, '');
  if (!NAME_RE.test(name)) {
    throw new ProfileError('PROFILE_BAD_NAME', `name: expected ${NAME_EXPECTED}, got ${quoteValue(name)} (taken from the file's path); rename it or add a name: field`, { pos: { file: r.file } });
  }
  return name;
}

function checkKernel(r: Reader, node: Node, known: (id: string) => boolean, list: () => readonly string[]): string {
  const id = str(r, node, 'kernel', 'a kernel id such as "6.1-amd64"');
  if (!known(id)) {
    const ids = list();
    r.fail('PROFILE_UNKNOWN_KERNEL', node, 'kernel', `expected a kernel id from the catalog (${ids.join(', ') || 'empty'}), got ${quoteValue(id)}${didYouMean(id, ids)}`);
  }
  return id;
}

// QEMU's versioned names (pc-i440fx-7.2, pc-q35-7.2) are not used: the captures pin QEMU 7.2's aliases.
function checkMachine(r: Reader, node: Node): MachineType {
  const m = str(r, node, 'machine', 'pc or q35');
  if ((MACHINES as readonly string[]).includes(m)) return m as MachineType;
  const alias = /^(pc-)?i440fx/.test(m) ? 'pc' : /^pc-q35/.test(m) ? 'q35' : closest(m, MACHINES);
  return r.fail('PROFILE_BAD_MACHINE', node, 'machine', `expected pc or q35, got ${quoteValue(m)}${alias ? `; did you mean "${alias}"?` : ''}`);
}

/** `zero`: 'node' for a numa node's memory, where 0 is a memoryless node (QEMU -numa node without memdev). */
function checkSize(r: Reader, node: Node, field: string, zero: 'refuse' | 'node' = 'refuse'): Size {
  // -m reads a bare number as MiB, memory-backend-ram as bytes: insist on the unit.
  if (isScalar(node) && typeof node.value === 'number') {
    const hint = Number.isSafeInteger(node.value) && node.value > 0 ? `; did you mean "${node.value}M"?` : '';
    r.fail('PROFILE_BAD_SIZE', node, field, `expected ${SIZE_EXPECTED}, got ${found(node)} without a unit${hint}`);
  }
  if (!isScalar(node) || typeof node.value !== 'string') return r.fail('PROFILE_BAD_SIZE', node, field, `expected ${SIZE_EXPECTED}, got ${found(node)}`);
  const text = node.value;
  const bytes = parseSize(text);
  if (bytes === undefined) {
    const s = suggestSize(text);
    return r.fail('PROFILE_BAD_SIZE', node, field, `expected ${SIZE_EXPECTED}, got ${quoteValue(text)}${s && s !== text ? `; did you mean "${s}"?` : ''}`);
  }
  if ((bytes === 0n && zero === 'refuse') || bytes > BigInt(MAX_MEMORY_BYTES)) {
    r.fail('PROFILE_OUT_OF_RANGE', node, field, `expected a size above 0 and at most ${formatSize(MAX_MEMORY_BYTES)}, got ${quoteValue(text)}`);
  }
  return { bytes: Number(bytes), text };
}

function checkCpus(r: Reader, node: Node): number {
  const n = int(r, node, 'cpus', CPUS_EXPECTED);
  if (n < 1) r.fail('PROFILE_OUT_OF_RANGE', node, 'cpus', `expected ${CPUS_EXPECTED}, got ${n}`);
  return n;
}

const CPU_EXPECTED = 'a QEMU cpu model with optional +flag and -flag items, like "qemu64,+la57"';

function checkCpuModel(r: Reader, node: Node): string {
  const cpu = str(r, node, 'cpu', CPU_EXPECTED);
  if (!CPU_RE.test(cpu)) r.fail('PROFILE_BAD_CPU_MODEL', node, 'cpu', `expected ${CPU_EXPECTED}, got ${quoteValue(cpu)}`);
  const model = cpu.split(',')[0]!;
  // target/i386/cpu.c: "host" copies the host's CPUID and exists only with KVM or HVF.
  if (model === 'host') {
    r.fail('PROFILE_BAD_CPU_MODEL', node, 'cpu', `expected a model TCG can emulate (e.g. qemu64, max), got ${quoteValue(cpu)}; "host" needs KVM, and captures run with -accel tcg`);
  }
  return cpu;
}

const NUMA_EXPECTED = 'a list of nodes like "- { memory: 1G, cpus: [0] }"';

function checkNuma(r: Reader, node: Node): NumaDraft[] {
  if (!isSeq(node)) return r.fail('PROFILE_BAD_TYPE', node, 'numa', `expected ${NUMA_EXPECTED}, got ${found(node)}`);
  if (node.items.length === 0 || node.items.length > MAX_NUMA_NODES) {
    r.fail('PROFILE_OUT_OF_RANGE', node, 'numa', `expected 1 to ${MAX_NUMA_NODES} nodes (the simulator's envelope), got ${node.items.length}`);
  }
  return node.items.map((item, i) => {
    const field = `numa[${i}]`;
    const entry = r.deref(item) ?? node;
    if (!isMap(entry)) return r.fail('PROFILE_NOT_MAPPING', entry, field, `expected a mapping with memory and cpus, got ${found(entry)}`);
    const f = r.fields(entry, field, NODE_KEYS, NODE_REQUIRED);
    const memoryNode = f.get('memory')!;
    const memory = checkSize(r, memoryNode, `${field}.memory`, 'node');
    const cpusNode = f.get('cpus')!;
    const cpusField = `${field}.cpus`;
    if (!isSeq(cpusNode)) return r.fail('PROFILE_BAD_TYPE', cpusNode, cpusField, `expected a list of cpu indexes like [0, 1], got ${found(cpusNode)}`);
    // a CPU-less node (cpus: []) or a memoryless one (memory: 0M) is a node; one with neither leaves no SRAT entry
    if (cpusNode.items.length === 0 && memory.bytes === 0) r.fail('PROFILE_NUMA_CPUS', cpusNode, cpusField, 'expected cpu indexes for a memoryless node (memory: 0), got an empty list');
    const cpuItems = cpusNode.items.map((c, j) => {
      const cNode = r.deref(c) ?? cpusNode;
      const cpu = int(r, cNode, `${cpusField}[${j}]`, 'a cpu index (an integer from 0)');
      if (cpu < 0) r.fail('PROFILE_NUMA_CPUS', cNode, `${cpusField}[${j}]`, `expected a cpu index from 0, got ${cpu}`);
      return { cpu, node: cNode };
    });
    const spec: NumaNodeSpec = { memoryBytes: memory.bytes, memoryText: memory.text, cpus: cpuItems.map((c) => c.cpu).sort((a, b) => a - b) };
    return { spec, field, cpuItems, node: entry, memoryNode };
  });
}

// QEMU 7.2 refuses node sizes that do not add up to -m (hw/core/numa.c numa_complete_configuration),
// and the kernel would see a cpu in no node, or in two, differently from the simulator.
function checkNumaAgainst(r: Reader, nodes: readonly NumaDraft[], numaNode: Node, memory: Size, cpus: number): void {
  const seen = new Map<number, string>();
  for (const n of nodes) {
    n.cpuItems.forEach(({ cpu, node }, j) => {
      const field = `${n.field}.cpus[${j}]`;
      if (cpu >= cpus) r.fail('PROFILE_NUMA_CPUS', node, field, `expected a cpu index from 0 to ${cpus - 1} (cpus: ${cpus}), got ${cpu}`);
      const first = seen.get(cpu);
      if (first !== undefined) r.fail('PROFILE_NUMA_CPUS', node, field, `expected each cpu in exactly one node, got cpu ${cpu} again (first in ${first})`);
      seen.set(cpu, field);
    });
  }
  const missing = Array.from({ length: cpus }, (_, i) => i).filter((c) => !seen.has(c));
  if (missing.length > 0) {
    const list = missing.length > 8 ? `${missing.slice(0, 8).join(', ')} and ${missing.length - 8} more` : missing.join(', ');
    r.fail('PROFILE_NUMA_CPUS', numaNode, 'numa', `expected every cpu from 0 to ${cpus - 1} in one node, got no node for cpu${missing.length > 1 ? 's' : ''} ${list}`);
  }
  const sum = nodes.reduce((acc, n) => acc + BigInt(n.spec.memoryBytes), 0n);
  if (sum !== BigInt(memory.bytes)) {
    const terms = nodes.map((n) => n.spec.memoryText).join(' + ');
    r.fail('PROFILE_NUMA_SUM', numaNode, 'numa', `expected node sizes adding up to memory (${memory.text} = ${memory.bytes} bytes), got ${terms} = ${formatSize(sum)} (${sum} bytes)`);
  }
}

/** What a capture runs after the boot: 'state', the initramfs that dumps /proc and /sys/kernel/slab (qemu-scripts/initramfs/). */
export const PROBES = ['state'] as const;

function checkProbe(r: Reader, node: Node): MachineSpec['probe'] {
  const p = str(r, node, 'probe', 'state');
  if ((PROBES as readonly string[]).includes(p)) return p as (typeof PROBES)[number];
  return r.fail('PROFILE_BAD_PROBE', node, 'probe', `expected ${PROBES.join(' or ')} (the post-boot probe), got ${quoteValue(p)}${didYouMean(p, PROBES)}`);
}

const CMDLINE_EXPECTED = 'kernel parameters on one line of printable ASCII';

function checkCmdline(r: Reader, node: Node): string {
  const cmdline = str(r, node, 'cmdline', CMDLINE_EXPECTED);
  // The length first: every later check is linear, but there is no point running it over megabytes.
  if (cmdline.length > MAX_CMDLINE_LENGTH) {
    r.fail('PROFILE_BAD_CMDLINE', node, 'cmdline', `expected at most ${MAX_CMDLINE_LENGTH} characters (COMMAND_LINE_SIZE ${COMMAND_LINE_SIZE} less the NUL, "${FIXED_APPEND}" and " ${MEMBLOCK_DEBUG_PARAM}"), got ${cmdline.length}`);
  }
  if (cmdline.trim() === '') r.fail('PROFILE_BAD_CMDLINE', node, 'cmdline', `expected ${CMDLINE_EXPECTED}, got ${quoteValue(cmdline)}; leave the key out instead`);
  const bad = /[^\x20-\x7e]/.exec(cmdline);
  if (bad) r.fail('PROFILE_BAD_CMDLINE', node, 'cmdline', `expected ${CMDLINE_EXPECTED}, got ${describeChar(bad[0])} at character ${bad.index + 1}`);
  if ((cmdline.match(/"/g)?.length ?? 0) % 2 !== 0) r.fail('PROFILE_BAD_CMDLINE', node, 'cmdline', `expected balanced double quotes, got an unclosed " in ${quoteValue(cmdline)}`);
  for (const param of splitParams(cmdline)) {
    const name = param.replace(/"/g, '').split('=')[0]!.replace(/-/g, '_');
    const reason = OWNED_PARAMS[name];
    if (reason) r.fail('PROFILE_BAD_CMDLINE', node, 'cmdline', `expected parameters the capture does not fix, got ${quoteValue(param)}; ${name}${param.includes('=') ? '=' : ''} is fixed because ${reason}`);
  }
  return cmdline;
}

/** Parameters as the kernel splits them (lib/cmdline.c next_arg): on spaces outside double quotes. */
export function splitParams(cmdline: string): string[] {
  return cmdline.match(/(?:[^ "]+|"[^"]*")+/g) ?? [];
}

function describeChar(ch: string): string {
  if (ch === '\n') return 'a newline';
  if (ch === '\r') return 'a carriage return';
  if (ch === '\t') return 'a tab';
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? `the control character ${code}` : `${JSON.stringify(ch)} (${code}, not ASCII)`;
}

/** Text from the input (a key, a number as written, a parser message) cut to QUOTE_MAX characters. */
function clip(t: string): string {
  return t.length <= QUOTE_MAX ? t : `${t.slice(0, QUOTE_MAX)}… (${t.length} characters)`;
}

/**
 * How deep a profile may nest: the schema needs 4 levels (numa, a node, its cpus, a cpu); yaml's
 * composer recurses per level and overflows the stack somewhere past a few thousand.
 */
export const MAX_DEPTH = 64;

/**
 * Refuses nesting deeper than MAX_DEPTH before the YAML parser sees it, in one pass: flow brackets
 * outside quotes and comments, and block nesting by "- " items and indentation steps on a line.
 */
function checkDepth(src: string, file: string): void {
  let depth = 0;
  let line = 1;
  let col = 0;
  let quote: '"' | "'" | undefined;
  let comment = false;
  let lineStart = true;
  let indentItems = 0;
  const fail = (): never => {
    throw new ProfileError('PROFILE_TOO_DEEP', `expected YAML nested at most ${MAX_DEPTH} levels, got deeper`, { pos: { file, line, col } });
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    col++;
    if (c === '\n') {
      line++;
      col = 0;
      comment = false;
      lineStart = true;
      indentItems = 0;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') { i++; col++; }
      continue;
    }
    if (lineStart) {
      // "- - - x" nests one level per dash; indentation alone is bounded by the line length check below.
      if (c === ' ' || c === '\t') continue;
      if (c === '-' && (src[i + 1] === ' ' || src[i + 1] === '\n')) {
        if (++indentItems > MAX_DEPTH) fail();
        continue;
      }
      lineStart = false;
      // Each block level takes at least one column, so a key this far right is this deep or more.
      if (col - 1 > MAX_DEPTH * 8) fail();
    }
    if (c === '#' && (i === 0 || src[i - 1] === ' ' || src[i - 1] === '\t' || src[i - 1] === '\n')) comment = true;
    else if (c === '"' || c === "'") {
      const prev = i === 0 ? ' ' : src[i - 1]!;
      if (prev === ' ' || prev === '[' || prev === '{' || prev === ',' || prev === ':' || prev === '\n') quote = c;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) fail();
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
}

/** Every mapping, at any depth the schema reaches, holds each key once: checked with a Set, linear in the keys. */
function checkDuplicateKeys(r: Reader, node: unknown): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Set<unknown>();
      for (const pair of n.items) {
        const k = pair.key as Node | null;
        const id = isScalar(k) ? k.value : k;
        if (isScalar(k) && seen.has(id)) {
          const label = clip(String(id));
          r.fail('PROFILE_DUPLICATE_KEY', k, label, `expected each key once in a mapping, got ${quoteValue(String(id))} again`);
        }
        seen.add(id);
        stack.push(pair.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) stack.push(item);
    }
  }
}
