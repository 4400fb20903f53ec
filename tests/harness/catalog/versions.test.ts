// The catalog's series keys of the 2.6 builds: the patch level is part of the key (sim/traits.ts KernelVersion).
import { describe, expect, test } from 'vitest';
import { kernelKeyOfId, versionKeyOf } from '../../../harness/catalog/versions.ts';

describe('2.6 series keys', () => {
  test.each([
    ['2.6.34-i386', { version: '2.6.34', arch: 'i386' }],
    ['2.6.11-i386', { version: '2.6.11', arch: 'i386' }],
    ['2.6.11-x86_64', { version: '2.6.11', arch: 'x86_64' }],
    ['3.0.1-i386', { version: '3.0', arch: 'i386' }],
  ])('key_of_local_build_%s: expect %j', (id, key) => {
    expect(kernelKeyOfId(id)).toEqual(key);
  });

  test('key_2_6_unknown_patch: expect 2.6.35 refused as a series the catalog has never seen, and a bare "2.6" refused as no version', () => {
    expect(versionKeyOf('2.6.34')).toBe('2.6.34');
    expect(() => versionKeyOf('2.6.35')).toThrow('kernel series "2.6.35" is not in the catalog');
    expect(() => versionKeyOf('2.6')).toThrow('expected a kernel version like "6.1" or "2.6.34", got "2.6"');
  });
});
