// The QEMU CPU-model extractor on a small hand-written source tree of the same shape as QEMU 7.2's
// target/i386/cpu.c: macros per target (#ifdef TARGET_X86_64), designated initialisers, compound
// literals, string concatenation, version props and aliases. The real tree is checked by
// tests/live/qemu-cpu.live.test.ts (the generated module must be what the extractor makes from it).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ExtractError, extractCpuModels, renderModule } from '../../../qemu-scripts/cpu-models/extract.ts';
import { scratchDir } from '../../scratch.ts';

const CPU_H = `
typedef enum FeatureWord {
    FEAT_1_EDX,
    FEAT_8000_0001_EDX,
    FEAT_1_ECX,
    FEATURE_WORDS,
} FeatureWord;
#define CPUID_FP87 (1U << 0)
#define CPUID_PSE36   (1U << 17)
#define CPUID_EXT2_LM      (1U << 29)
#define CPUID_EXT2_NX      (1U << 20)
#define CPUID_EXT2_AMD_ALIASES (CPUID_EXT2_NX & 0)
#define CPUID_EXT_XSAVE    (1U << 26)
#define CPUID_VENDOR_AMD   "AuthenticAMD"
#define XSTATE_FP_BIT 0
`;
const CPU_C = `
#include "cpu.h"
#define BASE_FEATURES (CPUID_FP87 | \\
          CPUID_PSE36)
#ifdef TARGET_X86_64
#define TCG_EXT2_X86_64_FEATURES CPUID_EXT2_LM
#else
#define TCG_EXT2_X86_64_FEATURES 0
#endif
static FeatureDep feature_dependencies[] = {
    { .from = { FEAT_1_ECX, CPUID_EXT_XSAVE }, .to = { FEAT_8000_0001_EDX, ~0ull } },
};
ExtSaveArea x86_ext_save_areas[1] = {
    [XSTATE_FP_BIT] = { .feature = FEAT_1_ECX, .bits = CPUID_EXT_XSAVE, .size = 576 },
};
FeatureWordInfo feature_word_info[FEATURE_WORDS] = {
    [FEAT_1_EDX] = {
        .type = CPUID_FEATURE_WORD,
        .feat_names = { "fpu", NULL, "pse36" /* a comment */ },
        .cpuid = {.eax = 1, .reg = R_EDX, },
        .tcg_features = BASE_FEATURES,
    },
    [FEAT_8000_0001_EDX] = {
        .type = CPUID_FEATURE_WORD,
        .feat_names = { "nx", "lm" },
        .cpuid = { .eax = 0x80000001, .reg = R_EDX, },
        .tcg_features = CPUID_EXT2_NX | TCG_EXT2_X86_64_FEATURES,
    },
    [FEAT_1_ECX] = {
        .type = CPUID_FEATURE_WORD,
        .feat_names = { "xsave" },
        .cpuid = { .eax = 1, .reg = R_ECX, },
    },
};
static const X86CPUDefinition builtin_x86_defs[] = {
    {
        .name = "toy64",
        .level = 0xd,
        .vendor = CPUID_VENDOR_AMD,
        .family = 15,
        .model = 107,
        .stepping = 1,
        .features[FEAT_1_EDX] = BASE_FEATURES,
        .features[FEAT_8000_0001_EDX] = CPUID_EXT2_LM | TCG_EXT2_X86_64_FEATURES,
        .xlevel = 0x8000000A,
        .model_id = "Toy CPU version " QEMU_HW_VERSION,
        .versions = (X86CPUVersionDefinition[]) {
            { .version = 1 },
            {
                .version = 2,
                .alias = "toy64-noNX",
                .props = (PropValue[]) {
                    { "nx", "off" },
                    { "model-id",
                      "Toy CPU (no NX)" },
                    { /* end of list */ }
                }
            },
            { /* end of list */ }
        }
    },
};
static void x86_cpu_initfn(Object *obj)
{
    object_property_add_alias(obj, "xd", obj, "nx");
}
`;

function tree(cpuC: string): string {
  const d = scratchDir('bootsim-qemu-src-');
  const put = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
    writeFileSync(path.join(d, rel), text);
  };
  put('target/i386/cpu.c', cpuC);
  put('target/i386/cpu.h', CPU_H);
  put('target/i386/tcg/helper-tcg.h', '#if defined(TARGET_X86_64)\n# define TCG_PHYS_ADDR_BITS 40\n#else\n# define TCG_PHYS_ADDR_BITS 36\n#endif\n');
  put('include/qemu/hw-version.h', '#define QEMU_HW_VERSION "2.5+"\n');
  put('include/standard-headers/asm-x86/kvm_para.h', '#define KVM_CPUID_FEATURES 0x40000001\n');
  return d;
}

describe('extractCpuModels', () => {
  const x = extractCpuModels(tree(CPU_C));

  test('macros_per_target: expect TCG_EXT2_X86_64_FEATURES to give LM only on x86_64, and the phys-bits default per binary', () => {
    const w = x.words.find((v) => v.name === 'FEAT_8000_0001_EDX')!;
    expect(w.tcg).toEqual({ x86_64: (1n << 20n) | (1n << 29n), i386: 1n << 20n });
    expect(x.tcgPhysAddrBits).toEqual({ x86_64: 40, i386: 36 });
  });

  test('feature_names: expect NULL slots kept and comments dropped', () => {
    expect(x.words.find((v) => v.name === 'FEAT_1_EDX')!.names).toEqual(['fpu', null, 'pse36']);
  });

  test('model_fields: expect numbers, the vendor and the concatenated model id', () => {
    const m = x.models[0]!;
    expect({ name: m.name, vendor: m.vendor, family: m.family, xlevel: m.xlevel, modelId: m.modelId }).toEqual({ name: 'toy64', vendor: 'AuthenticAMD', family: 15, xlevel: 0x8000000a, modelId: 'Toy CPU version 2.5+' });
    expect(m.features.x86_64.FEAT_8000_0001_EDX).toBe(1n << 29n);
    expect(m.features.x86_64.FEAT_1_EDX).toBe(1n | (1n << 17n));
  });

  test('versions_and_props: expect the end-of-list entries skipped and the props in order', () => {
    expect(x.models[0]!.versions).toEqual([
      { version: 1, alias: undefined, note: undefined, props: [] },
      { version: 2, alias: 'toy64-noNX', note: undefined, props: [['nx', 'off'], ['model-id', 'Toy CPU (no NX)']] },
    ]);
  });

  test('deps_aliases_xsave: expect the dependency, the initfn alias and the save area', () => {
    expect(x.deps).toEqual([{ from: ['FEAT_1_ECX', 1n << 26n], to: ['FEAT_8000_0001_EDX', (1n << 64n) - 1n] }]);
    expect(x.aliases).toEqual([['xd', 'nx']]);
    expect(x.xsaveAreas).toEqual([{ bit: 0, word: 'FEAT_1_ECX', bits: 1n << 26n }]);
  });

  test('render_is_a_module: expect the header to cite the source and the table to be exported', () => {
    const text = renderModule(x, 'QEMU toy');
    expect(text).toMatch(/^\/\/ GENERATED by qemu-scripts\/cpu-models\/extract\.ts from QEMU toy/);
    expect(text).toContain('export const QEMU_7_2_CPU_TABLE: QemuCpuTable = {');
  });

  test('undefined_macro_coded: expect a macro the tree does not define to be a coded error naming it', () => {
    const bad = CPU_C.replace('.tcg_features = BASE_FEATURES,', '.tcg_features = NO_SUCH_MACRO,');
    expect(() => extractCpuModels(tree(bad))).toThrow(ExtractError);
    expect(() => extractCpuModels(tree(bad))).toThrow(/macro NO_SUCH_MACRO: not defined/);
  });
});
