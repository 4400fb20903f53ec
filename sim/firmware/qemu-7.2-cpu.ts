// models the CPUID a QEMU 7.2 (TCG) guest sees for `-cpu <model>[,+flag,-flag…]`, from the
// model table of target/i386/cpu.c (generated into qemu-7.2-cpu-models.ts):
//   x86_cpu_load_model()          the model's features, vendor, family/model/stepping, +hypervisor,
//   x86_cpu_apply_version_props() every version's props up to the one asked for (cumulative),
//   x86_cpu_model_resolve_version() an unversioned name is the machine's default_cpu_version
//                                 (pc-i440fx-7.2 / pc-q35-7.2: 1, hw/i386/pc_piix.c, pc_q35.c),
//   x86_cpu_expand_features()     +flag then -flag; "max" takes every TCG feature (migratable) the
//                                 user did not set; feature_dependencies[]; the XSAVE components,
//   x86_cpu_filter_features()     each word masked by its tcg_features (qemu-system-i386 also drops LM),
//   x86_cpu_realizefn()           phys-bits: LM → TCG_PHYS_ADDR_BITS, else PSE36 ? 36 : 32.
// QEMU warns "TCG doesn't support requested feature" for what the mask drops, and runs.
import type { Arch } from '../types.ts';
import { SimError } from '../lib/errors.ts';
import { QEMU_7_2_CPU_TABLE } from './qemu-7.2-cpu-models.ts';

export type QemuTarget = Arch;

export interface QemuCpuWord {
  readonly type: 'cpuid' | 'msr';
  /** The CPUID leaf, subleaf and register of a CPUID word. */
  readonly cpuid?: { readonly eax: number; readonly ecx: number; readonly reg: string };
  readonly names: readonly (string | null)[];
  readonly tcg: Readonly<Record<QemuTarget, bigint>>;
  readonly migratable: bigint;
  readonly unmigratable: bigint;
  readonly noAutoenable: bigint;
}

export interface QemuCpuVersion {
  readonly version: number;
  readonly alias?: string;
  readonly note?: string;
  readonly props: readonly (readonly [string, string])[];
}

export interface QemuCpuDefinition {
  readonly name: string;
  readonly vendor: string;
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
  readonly level: number;
  readonly xlevel: number;
  readonly modelId: string;
  readonly deprecated: boolean;
  /** features[FEAT_x] on qemu-system-x86_64; i386 only where the target's macros differ. */
  readonly features: { readonly x86_64: Readonly<Record<string, bigint>>; readonly i386: Readonly<Record<string, bigint>> | undefined };
  readonly versions: readonly QemuCpuVersion[];
}

export interface QemuCpuTable {
  readonly tcgPhysAddrBits: Readonly<Record<QemuTarget, number>>;
  readonly wordOrder: readonly string[];
  readonly words: Readonly<Record<string, QemuCpuWord>>;
  readonly models: readonly QemuCpuDefinition[];
  readonly deps: readonly { readonly from: readonly [string, bigint]; readonly to: readonly [string, bigint] }[];
  readonly aliases: readonly (readonly [string, string])[];
  readonly xsaveAreas: readonly { readonly bit: number; readonly word: string; readonly bits: bigint }[];
  /** CPUID_EXT2_AMD_ALIASES (cpu.h). */
  readonly amdAliases: bigint;
}

/** pc-i440fx-7.2 and pc-q35-7.2 set default_cpu_version = 1 (hw/i386/pc_piix.c, hw/i386/pc_q35.c). */
const DEFAULT_CPU_VERSION = 1;

/** A -cpu name as QEMU 7.2 resolves it: the definition and the version whose props apply. */
interface ResolvedName {
  readonly def: QemuCpuDefinition | 'max' | 'base';
  readonly version: number;
}

/**
 * Every name `qemu-system-<target> -cpu help` lists that TCG can instantiate: each model, its -vN
 * versions and version aliases (x86_register_cpudef_types), "base" and "max". "host" needs KVM or HVF
 * (x86_cpu_realizefn: "CPU model 'host' requires KVM or HVF") and is not one of them.
 */
export function cpuModelNames(table: QemuCpuTable = QEMU_7_2_CPU_TABLE): string[] {
  return [...nameIndex(table).keys()];
}

const indexCache = new WeakMap<QemuCpuTable, Map<string, ResolvedName>>();

function nameIndex(table: QemuCpuTable): Map<string, ResolvedName> {
  const hit = indexCache.get(table);
  if (hit) return hit;
  const m = new Map<string, ResolvedName>();
  for (const def of table.models) {
    m.set(def.name, { def, version: DEFAULT_CPU_VERSION });
    for (const v of def.versions) {
      m.set(`${def.name}-v${v.version}`, { def, version: v.version });
      if (v.alias !== undefined) m.set(v.alias, { def, version: v.version });
    }
  }
  m.set('base', { def: 'base', version: 0 });
  m.set('max', { def: 'max', version: 0 });
  indexCache.set(table, m);
  return m;
}

/** The feature property names (feat_names and x86_cpu_initfn's aliases) → word and bit. */
function featureIndex(table: QemuCpuTable): Map<string, { word: string; bit: bigint }> {
  const m = new Map<string, { word: string; bit: bigint }>();
  for (const w of table.wordOrder) {
    const info = table.words[w];
    if (!info) continue;
    info.names.forEach((n, bit) => {
      if (n !== null && !m.has(n)) m.set(n, { word: w, bit: 1n << BigInt(bit) });
    });
  }
  for (const [alias, name] of table.aliases) {
    const t = m.get(name);
    if (t) m.set(alias, t);
  }
  return m;
}

const featureCache = new WeakMap<QemuCpuTable, Map<string, { word: string; bit: bigint }>>();
function features(table: QemuCpuTable): Map<string, { word: string; bit: bigint }> {
  let f = featureCache.get(table);
  if (!f) { f = featureIndex(table); featureCache.set(table, f); }
  return f;
}

/** Whether `name` is a CPUID/MSR feature property QEMU 7.2 knows (feat_names or an alias). */
export function isCpuFeatureName(name: string, table: QemuCpuTable = QEMU_7_2_CPU_TABLE): boolean {
  return features(table).has(name);
}

export type CpuVendor = 'AMD' | 'Intel' | 'Hygon' | 'Zhaoxin' | 'Centaur' | 'other';

/** The CPU the guest kernel sees. */
export interface EffectiveCpu {
  /** The -cpu value as written, and its model part. */
  readonly spec: string;
  readonly model: string;
  /** The CPUID vendor string, e.g. "AuthenticAMD". */
  readonly vendorString: string;
  readonly vendor: CpuVendor;
  readonly family: number;
  readonly modelNumber: number;
  readonly stepping: number;
  readonly modelId: string;
  /** env->features after filtering, per FEAT_x word. */
  readonly words: ReadonlyMap<string, bigint>;
  /** What the TCG mask removed, per word (QEMU's "TCG doesn't support requested feature" warnings). */
  readonly filtered: ReadonlyMap<string, bigint>;
  /** cpu->phys_bits (x86_cpu_realizefn). */
  readonly physBits: number;
  /** CPUID.(EAX=0xD,ECX=0) EAX:EDX, the XCR0 components QEMU offers (0 without XSAVE). */
  readonly xcr0: bigint;
  /** CPUID.80000000H:EAX, the highest extended leaf (env->cpuid_xlevel). */
  readonly xlevel: number;
  /** Whether the named feature (QEMU's spelling or alias) is set. */
  has(feature: string): boolean;
}

function vendorOf(s: string): CpuVendor {
  switch (s) {
    case 'AuthenticAMD': return 'AMD';
    case 'GenuineIntel': return 'Intel';
    case 'HygonGenuine': return 'Hygon';
    case '  Shanghai  ': return 'Zhaoxin';
    case 'CentaurHauls': return 'Centaur';
    default: return 'other';
  }
}

const STAGE = 'firmware/qemu-7.2';

/** `-cpu` as written: the model, then +flag/-flag items (the compatibility syntax of x86_cpu_parse_featurestr). */
export function parseCpuOption(cpu: string): { model: string; plus: string[]; minus: string[] } {
  const [model, ...rest] = cpu.split(',');
  const plus: string[] = [];
  const minus: string[] = [];
  for (const p of rest) {
    const m = /^([+-])(.+)$/.exec(p);
    if (!m) throw new SimError('SIM_NOT_MODELLED', STAGE, `cpu: expected +flag or -flag items after the model, got "${p}" (key=value is not modelled)`);
    (m[1] === '+' ? plus : minus).push(m[2]!);
  }
  return { model: model!, plus, minus };
}

/** The feature words being built, the bits the user set (+flag/-flag) and the one way to change them. */
interface CpuWords {
  readonly w: Map<string, bigint>;
  readonly user: Map<string, bigint>;
  readonly get: (m: Map<string, bigint>, k: string) => bigint;
  readonly setFeature: (name: string, on: boolean, isUser: boolean, where: string) => void;
}

/** The vendor string and the CPUID identity of a model. */
interface CpuIdentity { vendorString: string; family: number; modelNumber: number; stepping: number; modelId: string }

type ResolvedModel = NonNullable<ReturnType<ReturnType<typeof nameIndex>['get']>>;

/**
 * The effective CPUID of `-cpu <cpu>` on qemu-system-<target> under TCG. Throws SIM_NOT_MODELLED
 * for a model QEMU 7.2 does not list or a +flag/-flag it does not know (QEMU itself exits then).
 */
export function effectiveCpu(cpu: string, target: QemuTarget, table: QemuCpuTable = QEMU_7_2_CPU_TABLE): EffectiveCpu {
  const opt = parseCpuOption(cpu);
  const resolved = nameIndex(table).get(opt.model);
  if (!resolved) {
    throw new SimError('SIM_NOT_MODELLED', STAGE, `cpu: "${opt.model}" is not a CPU model qemu-system-${target} 7.2 lists under TCG (see \`qemu-system-${target} -cpu help\`; "host" needs KVM)`);
  }
  const feats = features(table);
  const cw = cpuWords(table, feats);
  const { w } = cw;
  const id = x86CpuLoadModel(resolved, target, cw);
  const { xcr0, xlevel } = x86CpuExpandFeatures(table, resolved, opt, target, feats, cw);
  const filtered = x86CpuFilterFeatures(table, target, feats, cw);
  const vendor = vendorOf(id.vendorString);
  // x86_cpu_realizefn(): on AMD (IS_AMD_CPU) the CPUID[8000_0001].EDX alias bits copy CPUID[1].EDX
  if (vendor === 'AMD') w.set('FEAT_8000_0001_EDX', (cw.get(w, 'FEAT_8000_0001_EDX') & ~table.amdAliases) | (cw.get(w, 'FEAT_1_EDX') & table.amdAliases));
  // phys-bits: LM → TCG_PHYS_ADDR_BITS, else PSE36 ? 36 : 32
  const physBits = has(w, feats, 'lm') ? table.tcgPhysAddrBits[target] : has(w, feats, 'pse36') ? 36 : 32;
  const words: ReadonlyMap<string, bigint> = w;
  return {
    spec: cpu, model: opt.model, vendorString: id.vendorString, vendor, family: id.family, modelNumber: id.modelNumber, stepping: id.stepping, modelId: id.modelId,
    words, filtered, physBits, xcr0, xlevel,
    has: (name: string): boolean => {
      if (!feats.has(name)) throw new RangeError(`effectiveCpu().has: "${name}" is not a QEMU feature name`);
      return has(w, feats, name);
    },
  };
}

function cpuWords(table: QemuCpuTable, feats: ReturnType<typeof features>): CpuWords {
  const w = new Map<string, bigint>(table.wordOrder.map((k) => [k, 0n]));
  const user = new Map<string, bigint>(table.wordOrder.map((k) => [k, 0n]));
  const get = (m: Map<string, bigint>, k: string): bigint => m.get(k) ?? 0n;
  const setFeature = (name: string, on: boolean, isUser: boolean, where: string): void => {
    const f = feats.get(name);
    if (!f) throw new SimError('SIM_NOT_MODELLED', STAGE, `cpu: ${where}: "${name}" is not a CPUID feature QEMU 7.2 knows (target/i386/cpu.c feature_word_info)`);
    w.set(f.word, on ? get(w, f.word) | f.bit : get(w, f.word) & ~f.bit);
    if (isUser) user.set(f.word, get(user, f.word) | f.bit);
  };
  return { w, user, get, setFeature };
}

/** x86_cpu_load_model() (and max_x86_cpu_initfn() for max/base): the model's words, its identity, then each version's props up to the one asked for. */
function x86CpuLoadModel(resolved: ResolvedModel, target: QemuTarget, cw: CpuWords): CpuIdentity {
  if (resolved.def === 'max' || resolved.def === 'base') {
    // max_x86_cpu_initfn(): vendor AMD, family 15 model 107 stepping 1 (x86_64) / 6, 6, 3 (i386); base: no features
    const max = resolved.def === 'max';
    return {
      vendorString: max ? 'AuthenticAMD' : '',
      family: max ? (target === 'x86_64' ? 15 : 6) : 0,
      modelNumber: max ? (target === 'x86_64' ? 107 : 6) : 0,
      stepping: max ? (target === 'x86_64' ? 1 : 3) : 0,
      modelId: max ? 'QEMU TCG CPU version 2.5+' : '',
    };
  }
  const def = resolved.def;
  const base = (target === 'i386' ? def.features.i386 : undefined) ?? def.features.x86_64;
  for (const [k, v] of Object.entries(base)) cw.w.set(k, v);
  // x86_cpu_load_model(): env->features[FEAT_1_ECX] |= CPUID_EXT_HYPERVISOR
  cw.setFeature('hypervisor', true, false, 'x86_cpu_load_model');
  const id: CpuIdentity = { vendorString: def.vendor, family: def.family, modelNumber: def.model, stepping: def.stepping, modelId: def.modelId };
  for (const v of def.versions) {
    for (const [prop, value] of v.props) {
      if (prop === 'model-id') id.modelId = value;
      else if (prop === 'stepping') id.stepping = Number(value);
      else if (prop === 'model') id.modelNumber = Number(value);
      else if (prop === 'family') id.family = Number(value);
      else if (value === 'on' || value === 'off') cw.setFeature(prop, value === 'on', false, `${def.name}-v${v.version} props`);
      else throw new SimError('SIM_NOT_MODELLED', STAGE, `cpu: ${def.name}-v${v.version}: version prop "${prop}=${value}" is not modelled`);
    }
    if (v.version === resolved.version) break;
  }
  // x86_cpu_load_model() clears env->user_features after the version props
  return id;
}

/** x86_cpu_expand_features(): +flags then -flags, max's autoenabled words, the dependencies, the XSAVE components and min-xlevel. */
function x86CpuExpandFeatures(table: QemuCpuTable, resolved: ResolvedModel, opt: ReturnType<typeof parseCpuOption>, target: QemuTarget, feats: ReturnType<typeof features>, cw: CpuWords): { xcr0: bigint; xlevel: number } {
  const { w, user, get } = cw;
  for (const p of opt.plus) cw.setFeature(p, true, true, `+${p}`);
  for (const p of opt.minus) cw.setFeature(p, false, true, `-${p}`);
  if (resolved.def === 'max') {
    for (const k of table.wordOrder) {
      const info = table.words[k]!;
      // x86_cpu_get_supported_feature_word(w, migratable = true) & ~user_features & ~no_autoenable_flags
      let supported = info.tcg[target];
      if (target === 'i386' && k === 'FEAT_8000_0001_EDX') supported &= ~lmBit(feats);
      supported &= migratableFlags(info);
      w.set(k, get(w, k) | (supported & ~get(user, k) & ~info.noAutoenable));
    }
  }
  for (const d of table.deps) {
    if ((get(w, d.from[0]) & d.from[1]) === 0n) w.set(d.to[0], get(w, d.to[0]) & ~d.to[1]);
  }
  // x86_cpu_enable_xsave_components(): from the features as requested, before filtering
  let xcr0 = 0n;
  if (has(w, feats, 'xsave')) {
    for (const a of table.xsaveAreas) if ((get(w, a.word) & a.bits) !== 0n) xcr0 |= 1n << BigInt(a.bit);
  }
  // x86_cpu_expand_features(): min-xlevel raised for each non-empty extended word (x86_cpu_adjust_feat_level,
  // full_cpuid_auto_level), and to 0x8000000A for SVM; cpuid_xlevel = cpuid_min_xlevel (no xlevel= given)
  let xlevel = resolved.def === 'max' || resolved.def === 'base' ? 0 : resolved.def.xlevel;
  for (const k of AUTO_LEVEL_WORDS) {
    const eax = table.words[k]?.cpuid?.eax;
    if (eax !== undefined && eax >= 0x80000000 && eax < 0xc0000000 && get(w, k) !== 0n && xlevel < eax) xlevel = eax;
  }
  if (has(w, feats, 'svm') && xlevel < 0x8000000a) xlevel = 0x8000000a;
  return { xcr0, xlevel };
}

/** x86_cpu_filter_features(): each word against tcg_features (i386: LM cleared as well); returns the bits dropped. */
function x86CpuFilterFeatures(table: QemuCpuTable, target: QemuTarget, feats: ReturnType<typeof features>, cw: CpuWords): Map<string, bigint> {
  const { w, get } = cw;
  const filtered = new Map<string, bigint>();
  for (const k of table.wordOrder) {
    if (k.startsWith('FEAT_XSAVE_X')) continue; // XCR0/XSS words are set from the components above (tcg_features ~0)
    let supported = table.words[k]!.tcg[target];
    if (target === 'i386' && k === 'FEAT_8000_0001_EDX') supported &= ~lmBit(feats);
    const drop = get(w, k) & ~supported;
    if (drop !== 0n) filtered.set(k, drop);
    w.set(k, get(w, k) & supported);
  }
  return filtered;
}

/** The words x86_cpu_expand_features() passes to x86_cpu_adjust_feat_level() (QEMU 7.2). */
const AUTO_LEVEL_WORDS = ['FEAT_7_0_EBX', 'FEAT_1_EDX', 'FEAT_1_ECX', 'FEAT_6_EAX', 'FEAT_7_0_ECX', 'FEAT_7_1_EAX', 'FEAT_8000_0001_EDX',
  'FEAT_8000_0001_ECX', 'FEAT_8000_0007_EDX', 'FEAT_8000_0008_EBX', 'FEAT_C000_0001_EDX', 'FEAT_SVM', 'FEAT_XSAVE'];

function lmBit(feats: Map<string, { word: string; bit: bigint }>): bigint {
  return feats.get('lm')!.bit;
}

function has(w: Map<string, bigint>, feats: Map<string, { word: string; bit: bigint }>, name: string): boolean {
  const f = feats.get(name)!;
  return ((w.get(f.word) ?? 0n) & f.bit) !== 0n;
}

/** x86_cpu_get_migratable_flags(): named features are migratable unless listed unmigratable. */
function migratableFlags(info: QemuCpuWord): bigint {
  let r = 0n;
  for (let i = 0; i < 64; i++) {
    const f = 1n << BigInt(i);
    if ((info.migratable & f) !== 0n || (info.names[i] && (info.unmigratable & f) === 0n)) r |= f;
  }
  return r;
}
