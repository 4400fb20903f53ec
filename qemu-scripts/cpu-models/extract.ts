// Extracts QEMU's x86 CPU model table from its source, as data: target/i386/cpu.c
// builtin_x86_defs[] (models, their versions, aliases and version props), feature_word_info[]
// (feature names, tcg_features, migratable flags), feature_dependencies[] and the I486/PENTIUM/
// PPRO/TCG_* feature macros, with the CPUID_* bit macros of target/i386/cpu.h. The output is the
// generated module sim/firmware/qemu-7.2-cpu-models.ts; `--check` compares instead of writing.
//
//   npx tsx qemu-scripts/cpu-models/extract.ts <qemu source tree> [--check]
//   (the tree: qemuSourceTree() of ./source.ts, Debian's qemu source at the pinned version, in the cache)
//
// Only the C this table is written in is parsed: object-like #define, designated initialisers,
// compound literals, string concatenation, and integer expressions (| & ~ << >> + - *, parens).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Target = 'x86_64' | 'i386';

export class ExtractError extends Error {
  readonly code = 'CPU_MODELS_EXTRACT';
}

// ---------------------------------------------------------------------------------------------
// tokens

type Tok = { kind: 'id' | 'num' | 'str' | 'punct'; text: string };

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s+|([A-Za-z_][A-Za-z0-9_]*)|(0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*)|("(?:[^"\\]|\\.)*")|(<<|>>|[{}()[\],.=|&~+\-*;:?!<>])/y;
  let i = 0;
  while (i < src.length) {
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new ExtractError(`tokenize: unexpected ${JSON.stringify(src.slice(i, i + 20))}`);
    i = re.lastIndex;
    if (m[1]) out.push({ kind: 'id', text: m[1] });
    else if (m[2]) out.push({ kind: 'num', text: m[2] });
    else if (m[3]) out.push({ kind: 'str', text: JSON.parse(m[3]) as string });
    else if (m[4]) out.push({ kind: 'punct', text: m[4] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// the preprocessor subset: object-like #define, #ifdef TARGET_X86_64 … #else … #endif

/** Source with #ifdef TARGET_X86_64 blocks resolved for `target`; other conditionals are kept out of parsed regions. */
function preprocess(src: string, target: Target): { text: string; defines: Map<string, string> } {
  const lines = src.replace(/\\\n/g, ' ').split('\n');
  const keep: string[] = [];
  const defines = new Map<string, string>();
  const stack: { active: boolean; known: boolean }[] = [];
  const active = (): boolean => stack.every((s) => s.active);
  for (const l of lines) {
    const t = l.trim();
    let m: RegExpExecArray | null;
    if ((m = /^#\s*(ifdef|ifndef)\s+(\w+)/.exec(t))) {
      const known = m[2] === 'TARGET_X86_64';
      const def = target === 'x86_64';
      stack.push({ active: known ? (m[1] === 'ifdef' ? def : !def) : true, known });
      keep.push('');
      continue;
    }
    if ((m = /^#\s*if\s+(!?)\s*defined\s*\(\s*TARGET_X86_64\s*\)\s*$/.exec(t))) {
      const def = target === 'x86_64';
      stack.push({ active: m[1] === '!' ? !def : def, known: true });
      keep.push('');
      continue;
    }
    if (/^#\s*if\b/.test(t)) { stack.push({ active: true, known: false }); keep.push(''); continue; }
    if (/^#\s*(else|elif)\b/.test(t)) {
      const top = stack[stack.length - 1];
      if (top && top.known) top.active = !top.active;
      keep.push('');
      continue;
    }
    if (/^#\s*endif\b/.test(t)) { stack.pop(); keep.push(''); continue; }
    if (!active()) { keep.push(''); continue; }
    if ((m = /^#\s*define\s+(\w+)(?!\()\s*(.*)$/.exec(t))) {
      defines.set(m[1]!, stripComments(m[2]!).trim());
      keep.push('');
      continue;
    }
    if (/^#/.test(t)) { keep.push(''); continue; } // #include, #undef, function-like macros: not needed
    keep.push(l);
  }
  return { text: keep.join('\n'), defines };
}

// ---------------------------------------------------------------------------------------------
// integer expressions over the macros

const MASK64 = (1n << 64n) - 1n;

class Expr {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly env: (id: string) => bigint) {}
  static eval(toks: Tok[], env: (id: string) => bigint): bigint {
    const e = new Expr(toks, env);
    const v = e.or();
    if (e.i !== toks.length) throw new ExtractError(`expression: trailing ${toks.slice(e.i).map((t) => t.text).join(' ')}`);
    return v & MASK64;
  }
  private peek(): string | undefined { return this.toks[this.i]?.text; }
  private bin(next: () => bigint, ops: Record<string, (a: bigint, b: bigint) => bigint>): bigint {
    let v = next();
    for (let op = this.peek(); op !== undefined && op in ops; op = this.peek()) {
      this.i++;
      v = ops[op]!(v, next()) & MASK64;
    }
    return v;
  }
  private or(): bigint { return this.bin(() => this.and(), { '|': (a, b) => a | b }); }
  private and(): bigint { return this.bin(() => this.shift(), { '&': (a, b) => a & b }); }
  private shift(): bigint { return this.bin(() => this.add(), { '<<': (a, b) => a << b, '>>': (a, b) => a >> b }); }
  private add(): bigint { return this.bin(() => this.mul(), { '+': (a, b) => a + b, '-': (a, b) => a - b }); }
  private mul(): bigint { return this.bin(() => this.unary(), { '*': (a, b) => a * b }); }
  private unary(): bigint {
    const t = this.toks[this.i++];
    if (!t) throw new ExtractError('expression: unexpected end');
    if (t.text === '~') return ~this.unary() & MASK64;
    if (t.text === '-') return -this.unary() & MASK64;
    if (t.text === '(') {
      // a cast like (uint64_t) is skipped
      if (this.toks[this.i]?.kind === 'id' && /_t$|^unsigned$|^int$|^long$/.test(this.toks[this.i]!.text) && this.toks[this.i + 1]?.text === ')') {
        this.i += 2;
        return this.unary();
      }
      const v = this.or();
      if (this.toks[this.i++]?.text !== ')') throw new ExtractError('expression: expected )');
      return v;
    }
    if (t.kind === 'num') return BigInt(t.text.replace(/[uUlL]+$/, ''));
    if (t.kind === 'id') return this.env(t.text);
    throw new ExtractError(`expression: unexpected ${t.text}`);
  }
}

// ---------------------------------------------------------------------------------------------
// designated initialisers

type Init =
  | { kind: 'list'; items: { key: string | undefined; value: Init }[] }
  | { kind: 'expr'; toks: Tok[] };

class InitParser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  expect(text: string): void {
    const t = this.toks[this.i++];
    if (t?.text !== text) throw new ExtractError(`initialiser: expected ${text}, got ${t?.text ?? 'end'} near ${this.context()}`);
  }
  context(): string { return this.toks.slice(Math.max(0, this.i - 8), this.i + 4).map((t) => t.text).join(' '); }
  value(): Init {
    // compound literal: (Type[]) { … } or (Type) { … }
    if (this.toks[this.i]?.text === '(' && this.toks[this.i + 1]?.kind === 'id') {
      let j = this.i + 1;
      while (j < this.toks.length && this.toks[j]!.text !== ')') j++;
      if (this.toks[j + 1]?.text === '{') this.i = j + 1;
    }
    if (this.toks[this.i]?.text === '{') return this.list();
    const toks: Tok[] = [];
    let depth = 0;
    for (;;) {
      const t = this.toks[this.i];
      if (!t) break;
      if (depth === 0 && (t.text === ',' || t.text === '}')) break;
      if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
      if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      toks.push(t);
      this.i++;
    }
    return { kind: 'expr', toks };
  }
  list(): Init {
    this.expect('{');
    const items: { key: string | undefined; value: Init }[] = [];
    while (this.toks[this.i]?.text !== '}') {
      let key: string | undefined;
      const t = this.toks[this.i]!;
      if (t.text === '.' || t.text === '[') {
        // .a, [X], .a[X], .a.b
        const parts: string[] = [];
        while (this.toks[this.i]?.text === '.' || this.toks[this.i]?.text === '[') {
          if (this.toks[this.i]!.text === '.') { this.i++; parts.push(this.toks[this.i++]!.text); }
          else { this.i++; parts.push(`[${this.toks[this.i++]!.text}]`); this.expect(']'); }
        }
        this.expect('=');
        key = parts.join('');
      }
      items.push({ key, value: this.value() });
      if (this.toks[this.i]?.text === ',') this.i++;
    }
    this.expect('}');
    return { kind: 'list', items };
  }
}

/** The initialiser of `static … name[…] = { … };` in `text`. */
function arrayInit(text: string, name: string): Init {
  const at = text.search(new RegExp(`\\b${name}\\s*\\[[^\\]]*\\]\\s*=\\s*\\{`));
  if (at < 0) throw new ExtractError(`${name}[]: not found`);
  const from = text.indexOf('{', at);
  // the matching close brace (strings skipped)
  let depth = 0;
  let end = from;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') { for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++; continue; }
    if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) { end = i + 1; break; }
  }
  const toks = tokenize(text.slice(from, end));
  return new InitParser(toks).list();
}

// ---------------------------------------------------------------------------------------------
// the extraction

export interface ExtractedWord {
  readonly name: string;
  /** 'cpuid' or 'msr' (FeatureWordInfo.type). */
  readonly type: 'cpuid' | 'msr';
  /** feat_names[bit]: QEMU's property name, or null. */
  readonly names: readonly (string | null)[];
  readonly tcg: Record<Target, bigint>;
  readonly migratable: bigint;
  readonly unmigratable: bigint;
  readonly noAutoenable: bigint;
  /** .cpuid = { .eax, .ecx, .reg } of a CPUID word (QMP feature-words reports words by these). */
  readonly cpuid: { readonly eax: number; readonly ecx: number; readonly reg: string } | undefined;
}

export interface ExtractedVersion {
  readonly version: number;
  readonly alias: string | undefined;
  readonly note: string | undefined;
  readonly props: readonly (readonly [string, string])[];
}

export interface ExtractedModel {
  readonly name: string;
  readonly vendor: string;
  readonly family: number;
  readonly model: number;
  readonly stepping: number;
  readonly level: number;
  readonly xlevel: number;
  readonly modelId: string;
  /** features[FEAT_x], per target (the macros may differ), only the non-zero words. */
  readonly features: Record<Target, Record<string, bigint>>;
  readonly versions: readonly ExtractedVersion[];
  readonly deprecated: boolean;
}

export interface Extracted {
  readonly words: readonly ExtractedWord[];
  readonly models: readonly ExtractedModel[];
  readonly deps: readonly { from: [string, bigint]; to: [string, bigint] }[];
  /** The TCG phys-bits default (target/i386/tcg/helper-tcg.h TCG_PHYS_ADDR_BITS). */
  readonly tcgPhysAddrBits: Record<Target, number>;
  /** x86_cpu_initfn's object_property_add_alias(obj, alias, obj, name) feature aliases. */
  readonly aliases: readonly (readonly [string, string])[];
  /** FeatureWord enum order (cpu.h). */
  readonly wordOrder: readonly string[];
  /** x86_ext_save_areas[]: per XSTATE component, the feature word and bits that enable it. */
  readonly xsaveAreas: readonly { readonly bit: number; readonly word: string; readonly bits: bigint }[];
  /** cpu.h CPUID_EXT2_AMD_ALIASES: the CPUID[8000_0001].EDX bits AMD mirrors from CPUID[1].EDX. */
  readonly amdAliases: bigint;
}

function str(init: Init, env: (id: string) => string): string {
  if (init.kind !== 'expr') throw new ExtractError('expected a string');
  return init.toks.map((t) => (t.kind === 'str' ? t.text : env(t.text))).join('');
}

/** One target's preprocessed cpu.c and its macro evaluators (numbers, and string literals). */
interface TargetEnv {
  readonly text: string;
  readonly num: (id: string) => bigint;
  readonly string: (id: string) => string;
}
type Envs = Readonly<Record<Target, TargetEnv>>;
type Items = readonly { key: string | undefined; value: Init }[];

/** The headers and cpu.c, preprocessed as QEMU compiles them for `target` (qemu-system-x86_64 or qemu-system-i386). */
function targetEnv(sources: readonly string[], cpuC: string, target: Target): TargetEnv {
  const pre = [...sources, cpuC].map((s) => preprocess(s, target));
  const defines = new Map(pre.flatMap((p) => [...p.defines]));
  const cache = new Map<string, bigint>();
  const num = (id: string): bigint => {
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const body = defines.get(id);
    if (body === undefined) throw new ExtractError(`macro ${id}: not defined`);
    const v = Expr.eval(tokenize(body), num);
    cache.set(id, v);
    return v;
  };
  const string = (id: string): string => {
    const body = defines.get(id);
    if (body === undefined) throw new ExtractError(`string macro ${id}: not defined`);
    return tokenize(body).map((t) => (t.kind === 'str' ? t.text : string(t.text))).join('');
  };
  return { text: pre[pre.length - 1]!.text, num, string };
}

/** The items of a `name[] = { … }` initialiser of one target's cpu.c. */
function listItems(env: TargetEnv, name: string): Items {
  const init = arrayInit(env.text, name);
  if (init.kind !== 'list') throw new ExtractError(`${name}: not a list`);
  return init.items;
}

/** cpu.h `typedef enum FeatureWord { … }`: the feature words in enum order. */
function featureWordOrder(cpuH: string): string[] {
  const enumBody = /typedef enum FeatureWord \{([\s\S]*?)\} FeatureWord;/.exec(cpuH);
  if (!enumBody) throw new ExtractError('cpu.h: enum FeatureWord not found');
  return enumBody[1]!.split(',').map((s) => s.trim()).filter((s) => s && s !== 'FEATURE_WORDS');
}

/** cpu.c feature_word_info[]: each word's CPUID leaf or MSR, feature names and TCG/migration masks. */
function featureWordInfo(T: Envs): ExtractedWord[] {
  const wi32 = listItems(T.i386, 'feature_word_info');
  return listItems(T.x86_64, 'feature_word_info').map((item, k) => {
    const key = item.key?.replace(/^\[|\]$/g, '');
    if (!key || item.value.kind !== 'list') throw new ExtractError('feature_word_info: expected [FEAT_x] = { … }');
    const field = (items: Items, f: string): Init | undefined => items.find((x) => x.key === f)?.value;
    const items32 = wi32[k];
    if (items32?.value.kind !== 'list') throw new ExtractError('feature_word_info: targets differ in shape');
    const v64 = item.value.items;
    const v32 = items32.value.items;
    const expr = (target: Target, items: Items, f: string): bigint => {
      const v = field(items, f);
      if (!v) return 0n;
      if (v.kind !== 'expr') throw new ExtractError(`${key}.${f}: expected an expression`);
      return Expr.eval(v.toks, T[target].num);
    };
    const type = field(v64, 'type');
    return {
      cpuid: featureWordCpuid(field(v64, 'cpuid'), key, T),
      name: key,
      type: type?.kind === 'expr' && type.toks[0]?.text === 'MSR_FEATURE_WORD' ? 'msr' : 'cpuid',
      names: featureNames(field(v64, 'feat_names'), key),
      tcg: { x86_64: expr('x86_64', v64, 'tcg_features'), i386: expr('i386', v32, 'tcg_features') },
      migratable: expr('x86_64', v64, 'migratable_flags'),
      unmigratable: expr('x86_64', v64, 'unmigratable_flags'),
      noAutoenable: expr('x86_64', v64, 'no_autoenable_flags'),
    };
  });
}

/** A feature word's `.feat_names = { "fpu", …, NULL }`: null where the bit has no name. */
function featureNames(namesInit: Init | undefined, key: string): (string | null)[] {
  const names: (string | null)[] = [];
  if (namesInit?.kind !== 'list') return names;
  for (const n of namesInit.items) {
    if (n.value.kind !== 'expr') throw new ExtractError(`${key}.feat_names: expected strings`);
    const t = n.value.toks;
    names.push(t.length === 1 && t[0]!.text === 'NULL' ? null : t.map((x) => x.text).join(''));
  }
  return names;
}

/** A feature word's `.cpuid = { .eax, .ecx, .reg }`, when it is a CPUID word. */
function featureWordCpuid(cp: Init | undefined, key: string, T: Envs): ExtractedWord['cpuid'] {
  if (cp?.kind !== 'list') return undefined;
  const g = (n: string): Tok[] | undefined => { const v = cp.items.find((x) => x.key === n)?.value; return v?.kind === 'expr' ? v.toks : undefined; };
  const reg = g('reg')?.[0]?.text.replace(/^R_/, '');
  if (!reg) throw new ExtractError(`${key}.cpuid: no .reg`);
  const ecx = g('ecx');
  return { eax: Number(Expr.eval(g('eax')!, T.x86_64.num)), ecx: ecx ? Number(Expr.eval(ecx, T.x86_64.num)) : 0, reg };
}

/** cpu.c builtin_x86_defs[]: each named model, its CPUID identity, per-target feature words and versions. */
function builtinX86Defs(T: Envs): ExtractedModel[] {
  const d32 = listItems(T.i386, 'builtin_x86_defs');
  return listItems(T.x86_64, 'builtin_x86_defs').map((item, k) => {
    if (item.value.kind !== 'list') throw new ExtractError('builtin_x86_defs: expected { … }');
    const it64 = item.value.items;
    const item32 = d32[k];
    if (item32?.value.kind !== 'list') throw new ExtractError('builtin_x86_defs: targets differ in shape');
    const it32 = item32.value.items;
    const get = (f: string): Init | undefined => it64.find((x) => x.key === f)?.value;
    const int = (f: string): number => {
      const v = get(f);
      if (!v) return 0;
      if (v.kind !== 'expr') throw new ExtractError(`.${f}: expected a number`);
      return Number(Expr.eval(v.toks, T.x86_64.num));
    };
    const name = str(get('name')!, T.x86_64.string);
    const versions = modelVersions(get('versions'), name, T.x86_64);
    return {
      name,
      vendor: str(get('vendor')!, T.x86_64.string),
      family: int('family'),
      model: int('model'),
      stepping: int('stepping'),
      level: int('level'),
      xlevel: int('xlevel'),
      modelId: get('model_id') ? str(get('model_id')!, T.x86_64.string) : '',
      features: { x86_64: modelFeatures(it64, name, T.x86_64), i386: modelFeatures(it32, name, T.i386) },
      versions: versions.length > 0 ? versions : [{ version: 1, alias: undefined, note: undefined, props: [] }],
      deprecated: get('deprecation_note') !== undefined,
    };
  });
}

/** A model's `.features[FEAT_x] = …` words that are not 0, for one target. */
function modelFeatures(items: Items, name: string, env: TargetEnv): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const x of items) {
    const m = /^features\[(\w+)\]$/.exec(x.key ?? '');
    if (!m) continue;
    if (x.value.kind !== 'expr') throw new ExtractError(`${name}.${x.key}: expected an expression`);
    const v = Expr.eval(x.value.toks, env.num);
    if (v !== 0n) out[m[1]!] = v;
  }
  return out;
}

/** A model's `.versions = (X86CPUVersionDefinition[]) { { .version, .alias, .note, .props }, … }`. */
function modelVersions(vi: Init | undefined, name: string, env: TargetEnv): ExtractedVersion[] {
  const versions: ExtractedVersion[] = [];
  if (vi?.kind !== 'list') return versions;
  for (const v of vi.items) {
    if (v.value.kind !== 'list' || v.value.items.length === 0) continue; // { /* end of list */ }
    const f = (n: string): Init | undefined => (v.value.kind === 'list' ? v.value.items.find((x) => x.key === n)?.value : undefined);
    const props: [string, string][] = [];
    const pi = f('props');
    if (pi?.kind === 'list') {
      for (const p of pi.items) {
        if (p.value.kind !== 'list' || p.value.items.length === 0) continue;
        const [a, b] = p.value.items;
        if (!a || !b) throw new ExtractError(`${name}: a version prop is not a pair`);
        props.push([str(a.value, env.string), str(b.value, env.string)]);
      }
    }
    const alias = f('alias');
    const note = f('note');
    versions.push({
      version: Number(Expr.eval((f('version') as { toks: Tok[] }).toks, env.num)),
      alias: alias ? str(alias, env.string) : undefined,
      note: note ? str(note, env.string) : undefined,
      props,
    });
  }
  return versions;
}

/** cpu.c feature_dependencies[]: `{ .from = { FEAT_x, mask }, .to = { FEAT_y, mask } }`. */
function featureDependencies(env: TargetEnv): Extracted['deps'] {
  const pair = (v: Init | undefined): [string, bigint] => {
    if (v?.kind !== 'list' || v.items.length !== 2) throw new ExtractError('feature_dependencies: expected { FEAT_x, mask }');
    const [w, m] = v.items;
    if (w!.value.kind !== 'expr' || m!.value.kind !== 'expr') throw new ExtractError('feature_dependencies: expected expressions');
    return [w!.value.toks[0]!.text, Expr.eval(m!.value.toks, env.num)];
  };
  return listItems(env, 'feature_dependencies').map((d) => {
    if (d.value.kind !== 'list') throw new ExtractError('feature_dependencies: expected { .from, .to }');
    const items = d.value.items;
    return { from: pair(items.find((x) => x.key === 'from')?.value), to: pair(items.find((x) => x.key === 'to')?.value) };
  });
}

/** x86_cpu_initfn(): object_property_add_alias(obj, "alias", obj, "name") for features. */
function cpuInitfnAliases(cpuC: string): Extracted['aliases'] {
  const initfn = /static void x86_cpu_initfn\(Object \*obj\)\s*\{([\s\S]*?)\n\}/.exec(cpuC);
  if (!initfn) throw new ExtractError('cpu.c: x86_cpu_initfn not found');
  return [...initfn[1]!.matchAll(/object_property_add_alias\(obj, "([^"]+)", obj, "([^"]+)"\)/g)].map((m) => [m[1]!, m[2]!] as const);
}

/** cpu.c x86_ext_save_areas[]: `[XSTATE_x_BIT] = { .feature = FEAT_w, .bits = MASK, … }`. */
function extSaveAreas(env: TargetEnv): Extracted['xsaveAreas'] {
  return listItems(env, 'x86_ext_save_areas').map((x) => {
    const bit = Number(env.num(x.key!.replace(/^\[|\]$/g, '')));
    if (x.value.kind !== 'list') throw new ExtractError('x86_ext_save_areas: expected { … }');
    const items = x.value.items;
    const f = (n: string): Tok[] => {
      const v = items.find((y) => y.key === n)?.value;
      if (v?.kind !== 'expr') throw new ExtractError(`x86_ext_save_areas[${bit}].${n}: missing`);
      return v.toks;
    };
    return { bit, word: f('feature')[0]!.text, bits: Expr.eval(f('bits'), env.num) };
  });
}

/** Reads QEMU's x86 CPU model tables from the source tree at `qemuSrc` (target/i386/cpu.c and the headers it includes). */
export function extractCpuModels(qemuSrc: string): Extracted {
  const read = (rel: string): string => stripComments(readFileSync(path.join(qemuSrc, rel), 'utf8'));
  const cpuC = read('target/i386/cpu.c');
  const cpuH = read('target/i386/cpu.h');
  // later files' #defines win, as in the original merge order: kvm_para.h, hw-version.h, helper-tcg.h, cpu.h, cpu.c
  const headers = ['include/standard-headers/asm-x86/kvm_para.h', 'include/qemu/hw-version.h', 'target/i386/tcg/helper-tcg.h'].map(read).concat(cpuH);
  const T: Envs = { x86_64: targetEnv(headers, cpuC, 'x86_64'), i386: targetEnv(headers, cpuC, 'i386') };
  return {
    words: featureWordInfo(T),
    models: builtinX86Defs(T),
    deps: featureDependencies(T.x86_64),
    aliases: cpuInitfnAliases(cpuC),
    wordOrder: featureWordOrder(cpuH),
    xsaveAreas: extSaveAreas(T.x86_64),
    amdAliases: T.x86_64.num('CPUID_EXT2_AMD_ALIASES'),
    tcgPhysAddrBits: { x86_64: Number(T.x86_64.num('TCG_PHYS_ADDR_BITS')), i386: Number(T.i386.num('TCG_PHYS_ADDR_BITS')) },
  };
}

// ---------------------------------------------------------------------------------------------
// the generated module

const hex = (v: bigint): string => `0x${v.toString(16)}n`;

export function renderModule(x: Extracted, sourceLabel: string): string {
  const o: string[] = [];
  o.push('// GENERATED by qemu-scripts/cpu-models/extract.ts from ' + sourceLabel + ': do not edit.');
  o.push('// target/i386/cpu.c builtin_x86_defs[] (with .versions, aliases and version props), feature_word_info[]');
  o.push('// (feat_names, tcg_features, migratable_flags, unmigratable_flags, no_autoenable_flags), feature_dependencies[],');
  o.push('// x86_ext_save_areas[] and x86_cpu_initfn()\'s feature aliases; target/i386/tcg/helper-tcg.h TCG_PHYS_ADDR_BITS.');
  o.push('// Masks are given per QEMU target where #ifdef TARGET_X86_64 makes them differ (qemu-system-x86_64 / -i386).');
  o.push("import type { QemuCpuTable } from './qemu-7.2-cpu.ts';");
  o.push('');
  o.push('export const QEMU_7_2_CPU_TABLE: QemuCpuTable = {');
  o.push(`  tcgPhysAddrBits: { x86_64: ${x.tcgPhysAddrBits.x86_64}, i386: ${x.tcgPhysAddrBits.i386} },`);
  o.push(`  wordOrder: [${x.wordOrder.map((w) => `'${w}'`).join(', ')}],`);
  o.push('  words: {');
  for (const w of x.words) {
    o.push(`    ${w.name}: {`);
    o.push(`      type: '${w.type}',${w.cpuid ? ` cpuid: { eax: 0x${w.cpuid.eax.toString(16)}, ecx: ${w.cpuid.ecx}, reg: '${w.cpuid.reg}' },` : ''}`);
    o.push(`      names: [${w.names.map((n) => (n === null ? 'null' : JSON.stringify(n))).join(', ')}],`);
    o.push(`      tcg: { x86_64: ${hex(w.tcg.x86_64)}, i386: ${hex(w.tcg.i386)} },`);
    o.push(`      migratable: ${hex(w.migratable)}, unmigratable: ${hex(w.unmigratable)}, noAutoenable: ${hex(w.noAutoenable)},`);
    o.push('    },');
  }
  o.push('  },');
  o.push('  models: [');
  for (const m of x.models) {
    const feats = (r: Record<string, bigint>): string => `{ ${Object.entries(r).map(([k, v]) => `${k}: ${hex(v)}`).join(', ')} }`;
    o.push('    {');
    o.push(`      name: ${JSON.stringify(m.name)}, vendor: ${JSON.stringify(m.vendor)}, family: ${m.family}, model: ${m.model}, stepping: ${m.stepping},`);
    o.push(`      level: 0x${m.level.toString(16)}, xlevel: 0x${m.xlevel.toString(16)}, modelId: ${JSON.stringify(m.modelId)}, deprecated: ${m.deprecated},`);
    const same = feats(m.features.x86_64) === feats(m.features.i386);
    o.push(`      features: { x86_64: ${feats(m.features.x86_64)}, i386: ${same ? 'undefined' : feats(m.features.i386)} },`);
    o.push('      versions: [');
    for (const v of m.versions) {
      const parts = [`version: ${v.version}`];
      if (v.alias !== undefined) parts.push(`alias: ${JSON.stringify(v.alias)}`);
      if (v.note !== undefined) parts.push(`note: ${JSON.stringify(v.note)}`);
      parts.push(`props: [${v.props.map(([a, b]) => `[${JSON.stringify(a)}, ${JSON.stringify(b)}]`).join(', ')}]`);
      o.push(`        { ${parts.join(', ')} },`);
    }
    o.push('      ],');
    o.push('    },');
  }
  o.push('  ],');
  o.push(`  deps: [${x.deps.map((d) => `{ from: ['${d.from[0]}', ${hex(d.from[1])}], to: ['${d.to[0]}', ${hex(d.to[1])}] }`).join(', ')}],`);
  o.push(`  aliases: [${x.aliases.map(([a, b]) => `[${JSON.stringify(a)}, ${JSON.stringify(b)}]`).join(', ')}],`);
  o.push(`  xsaveAreas: [${x.xsaveAreas.map((a) => `{ bit: ${a.bit}, word: '${a.word}', bits: ${hex(a.bits)} }`).join(', ')}],`);
  o.push(`  amdAliases: ${hex(x.amdAliases)},`);
  o.push('};');
  return o.join('\n') + '\n';
}

export const GENERATED_PATH = fileURLToPath(new URL('../../sim/firmware/qemu-7.2-cpu-models.ts', import.meta.url));
export const SOURCE_LABEL = 'QEMU 7.2.22 (Debian 7.2+dfsg-7+deb12u18)';

function main(argv: string[]): number {
  const src = argv[0];
  if (!src) {
    process.stderr.write('usage: extract.ts <qemu-7.2 source tree> [--check]\n');
    return 2;
  }
  const text = renderModule(extractCpuModels(src), SOURCE_LABEL);
  if (argv.includes('--check')) {
    const same = readFileSync(GENERATED_PATH, 'utf8') === text;
    process.stdout.write(same ? 'up to date\n' : `${GENERATED_PATH} differs from the source\n`);
    return same ? 0 : 1;
  }
  writeFileSync(GENERATED_PATH, text);
  process.stdout.write(`wrote ${GENERATED_PATH}\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) process.exitCode = main(process.argv.slice(2));
