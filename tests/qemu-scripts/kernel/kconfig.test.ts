import { describe, expect, it, test } from 'vitest';
import { normaliseValue, parseKconfig, selectConfig } from '../../../qemu-scripts/kernel/kconfig.ts';
import { derivePage32 } from '../../../qemu-scripts/kernel/structs.ts';

const sample = `#
# Automatically generated file; DO NOT EDIT.
# Linux/x86 6.1.176 Kernel Configuration
#
CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"
CONFIG_X86_32=y
CONFIG_NR_CPUS=32
CONFIG_NR_CPUS_DEFAULT=32
CONFIG_HIGHMEM4G=y
# CONFIG_HIGHMEM64G is not set
CONFIG_VMSPLIT_3G=y
CONFIG_PAGE_OFFSET=0xC0000000
CONFIG_PHYSICAL_START=0x1000000
CONFIG_MEMCG=y
CONFIG_HAVE_ALIGNED_STRUCT_PAGE=y
CONFIG_SLUB=y
CONFIG_HZ=250
CONFIG_ZRAM=m
CONFIG_INIT_STACK_ALL_ZERO=y
`;

describe('kconfig', () => {
  it('select_keepsWhatMattersAsStrings: expect set options only, hex as decimal, sorted', () => {
    expect(selectConfig(parseKconfig(sample))).toEqual({
      HAVE_ALIGNED_STRUCT_PAGE: 'y', HIGHMEM4G: 'y', HZ: '250', INIT_STACK_ALL_ZERO: 'y', MEMCG: 'y', NR_CPUS: '32', NR_CPUS_DEFAULT: '32',
      PAGE_OFFSET: '3221225472', PHYSICAL_START: '16777216', SLUB: 'y', VMSPLIT_3G: 'y', X86_32: 'y',
    });
  });

  it('parse_quotedString: expect quotes and escapes removed', () => {
    expect(parseKconfig(sample).get('CC_VERSION_TEXT')).toBe('gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0');
    expect(parseKconfig('CONFIG_X86_64=y\nCONFIG_CMDLINE="a \\"b\\""\n').get('CMDLINE')).toBe('a "b"');
  });

  test.each([
    ['0x1000000', '16777216'], ['0xffffffff80000000', '18446744071562067968'], ['250', '250'], ['m', 'm'], ['', ''],
  ])('normaliseValue_%s', (v, want) => {
    expect(normaliseValue(v)).toBe(want);
  });

  it('parse_badLine: expect CONFIG_INVALID with the line number', () => {
    expect(() => parseKconfig('CONFIG_X86_64=y\nnonsense\n', 'config-x')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: 'config-x:2: expected CONFIG_NAME=value or a # comment, got "nonsense"' }));
  });

  it('parse_notX86: expect CONFIG_INVALID', () => {
    expect(() => parseKconfig('CONFIG_ARM64=y\n')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('derivePage32', () => {
  it('page32_61_memcgAligned: expect 36 bytes rounded to 40 with the derivation spelled out', () => {
    expect(derivePage32('6.1.176-1', { MEMCG: 'y', HAVE_ALIGNED_STRUCT_PAGE: 'y' })).toEqual({
      bytes: 40,
      source: 'include/linux/mm_types.h (6.1), 32-bit: flags 4 + union 20 + _mapcount 4 + _refcount 4 + memcg_data 4 = 36, aligned to 8 (HAVE_ALIGNED_STRUCT_PAGE: 2 * sizeof(long)) = 40',
    });
  });

  it('page32_510_noMemcgUnaligned: expect 32 bytes and the 5.10 field name', () => {
    expect(derivePage32('5.10.223-1', {})).toEqual({ bytes: 32, source: 'include/linux/mm_types.h (5.10), 32-bit: flags 4 + union 20 + _mapcount 4 + _refcount 4 = 32' });
    expect(derivePage32('5.10.223-1', { MEMCG: 'y' }).source).toContain('mem_cgroup 4 = 36');
  });

  test.each([
    ['6.12.1-1', {}],
    ['6.1.176-1', { NUMA_BALANCING: 'y' }],
    ['6.1.176-1', { '64BIT': 'y' }],
  ])('page32_refuses: %s %o', (v, cfg) => {
    expect(() => derivePage32(v, cfg)).toThrow(expect.objectContaining({ code: 'LAYOUT_UNEXPECTED' }));
  });
});
