import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { extractMember, extractPackage, fetchPackage, FetchError, debArch } from '../../../qemu-scripts/kernel/fetch.ts';
import { scratchDir } from '../../scratch.ts';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const pin = (sha256: string) => ({ package: 'linux-image-test', version: '1.0-1', suite: 'bookworm', sha256 });

function cacheWith(content: string | undefined, name?: string): { cache: string; sum: string } {
  const cache = scratchDir('bootsim-fetch-');
  const sum = sha(content ?? 'absent');
  if (content !== undefined) {
    mkdirSync(path.join(cache, 'debs'), { recursive: true });
    writeFileSync(path.join(cache, 'debs', `${name ?? sum}.deb`), content);
  }
  return { cache, sum };
}

describe('fetchPackage', () => {
  it('fetch_cached_hit: a cached package whose sha256 matches is used without the network', async () => {
    const { cache, sum } = cacheWith('a package');
    const p = await fetchPackage(pin(sum), 'x86_64', { cache, offline: true });
    expect(readFileSync(p, 'utf8')).toBe('a package');
  });

  it('fetch_offline_miss: offline and not cached is FETCH_OFFLINE_MISSING naming the package', async () => {
    const { cache } = cacheWith(undefined);
    const err = await fetchPackage(pin('c'.repeat(64)), 'x86_64', { cache, offline: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('FETCH_OFFLINE_MISSING');
    expect((err as FetchError).message).toContain('linux-image-test 1.0-1');
  });

  it('fetch_cached_corrupt: a cached file whose sha256 differs is dropped, never used', async () => {
    const want = sha('the real package');
    const { cache } = cacheWith('tampered bytes', want);
    const err = await fetchPackage(pin(want), 'x86_64', { cache, offline: true }).catch((e: unknown) => e);
    expect((err as FetchError).code).toBe('FETCH_OFFLINE_MISSING');
    expect(existsSync(path.join(cache, 'debs', `${want}.deb`))).toBe(false);
  });

  it('fetch_deb_arch: x86_64 kernels are amd64 packages, i386 kernels i386 ones', () => {
    expect([debArch('x86_64'), debArch('i386')]).toEqual(['amd64', 'i386']);
  });
});

describe('extractPackage', () => {
  it('extract_once: a .deb is unpacked into extract/<sha256>/ and reused', async () => {
    const work = scratchDir('bootsim-deb-');
    const root = path.join(work, 'pkg');
    mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(path.join(root, 'boot'), { recursive: true });
    writeFileSync(path.join(root, 'DEBIAN', 'control'), 'Package: bootsim-test\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n');
    writeFileSync(path.join(root, 'boot', 'vmlinuz-test'), 'kernel bytes');
    const deb = path.join(work, 'test.deb');
    execFileSync('dpkg-deb', ['--build', '-Zgzip', root, deb], { stdio: 'ignore' });
    const cache = path.join(work, 'cache');
    const sum = sha(readFileSync(deb));
    const dir = await extractPackage(deb, sum, { cache });
    expect(dir).toBe(path.join(cache, 'extract', sum));
    expect(readFileSync(path.join(dir, 'boot', 'vmlinuz-test'), 'utf8')).toBe('kernel bytes');
    writeFileSync(path.join(dir, 'marker'), 'kept');
    expect(await extractPackage(deb, sum, { cache })).toBe(dir);
    expect(readFileSync(path.join(dir, 'marker'), 'utf8')).toBe('kept');
  });
});

describe('extractMember', () => {
  it('extract_member_only: one member of a .deb is written to extract/<sha256>/<member>, nothing else, and reused', async () => {
    // expect: the -dbg packages are read for one vmlinux; the other members (here usr/lib/debug/other.ko) are not extracted,
    // a second call returns the same path without extracting again, and a member the .deb lacks is FETCH_EXTRACT_FAILED
    const work = scratchDir('bootsim-deb-');
    const root = path.join(work, 'pkg');
    mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(path.join(root, 'usr', 'lib', 'debug', 'boot'), { recursive: true });
    writeFileSync(path.join(root, 'DEBIAN', 'control'), 'Package: bootsim-test-dbg\nVersion: 1.0\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n');
    writeFileSync(path.join(root, 'usr', 'lib', 'debug', 'boot', 'vmlinux-test'), 'dwarf bytes');
    writeFileSync(path.join(root, 'usr', 'lib', 'debug', 'other.ko'), 'module');
    const deb = path.join(work, 'test-dbg.deb');
    execFileSync('dpkg-deb', ['--build', '-Zgzip', root, deb], { stdio: 'ignore' });
    const cache = path.join(work, 'cache');
    const sum = sha(readFileSync(deb));
    const member = 'usr/lib/debug/boot/vmlinux-test';
    const p = await extractMember(deb, sum, member, { cache });
    expect(p).toBe(path.join(cache, 'extract', sum, member));
    expect(readFileSync(p, 'utf8')).toBe('dwarf bytes');
    expect(existsSync(path.join(cache, 'extract', sum, 'usr', 'lib', 'debug', 'other.ko'))).toBe(false);
    writeFileSync(p, 'kept');
    expect(readFileSync(await extractMember(deb, sum, member, { cache }), 'utf8')).toBe('kept');
    await expect(extractMember(deb, sum, 'usr/lib/debug/boot/absent', { cache })).rejects.toMatchObject({ code: 'FETCH_EXTRACT_FAILED' });
  });
});
