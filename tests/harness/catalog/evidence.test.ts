import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { EvidenceError, parseEvidence, readProfileEvidence, readVolatileEvidence, sha256Of } from '../../../harness/catalog/evidence.ts';
import { scratchDir } from '../../scratch.ts';

const PROFILE = 'kernel: 6.12-amd64\nmachine: pc\nmemory: 128M\ncpus: 1\n';
const boot = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  date: '2026-12-01T10:00:00.000Z', qemu: '1:7.2+dfsg-7+deb12u18+b3', seabios: '1.16.2-1',
  kernelPackage: 'linux-image-6.12.115+deb12-amd64-unsigned', kernelVersion: '6.12.115-2~deb12u1', kernelSha256: 'a'.repeat(64),
  profileSha256: sha256Of(PROFILE), serialSha256: 'b'.repeat(64), durationMs: 6000, values: { 'mem.summary.available': 78784 }, ...over,
});
const file = (boots: unknown[], over: Record<string, unknown> = {}): string => stringify({ version: 1, profile: 'ev-128m', kernel: '6.12-amd64', boots, ...over });

/** A scratch evidence folder holding <name>/profile.yaml and boots.yaml. */
function folder(boots: string, profile = PROFILE, name = 'ev-128m'): string {
  const dir = scratchDir('bootsim-evidence-');
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, 'profile.yaml'), profile);
  writeFileSync(path.join(dir, name, 'boots.yaml'), boots);
  return dir;
}

describe('parseEvidence', () => {
  test('parse_valid: expect the boots as written', () => {
    const ev = parseEvidence(file([boot(), boot({ values: { 'mem.summary.available': 78800 } })]), 'e.yaml');
    expect(ev.boots.map((b) => b.values['mem.summary.available'])).toEqual([78784, 78800]);
  });

  test.each([
    ['a value that is not a number', file([boot({ values: { 'mem.summary.available': '78784K' } })]), 'e.yaml:15:30: boots[0].values.mem.summary.available: expected number, got "78784K"'],
    ['a bad date', file([boot({ date: 'yesterday' })]), 'boots[0].date: expected an ISO 8601 timestamp, got "yesterday"'],
    ['a short sha256', file([boot({ kernelSha256: 'abc' })]), 'boots[0].kernelSha256: expected a sha256 in lower-case hex, got "abc"'],
    ['an unknown key', file([boot({ extra: 1 })]), 'boots[0].extra: unknown key; expected one of date, qemu, seabios'],
    ['a missing field', file([{ ...boot(), qemu: undefined }]), 'boots[0].qemu: expected string, got nothing'],
    ['another version', file([boot()], { version: 2 }), 'version: expected 1, got 2'],
    ['no values', file([boot({ values: {} })]), 'boots[0].values: expected at least one value, got {}'],
    ['not YAML', 'boots: [', 'expected valid YAML'],
  ])('parse_invalid_%s: expect EVIDENCE_INVALID naming file, field, expected and found', (_what, src, message) => {
    let err: unknown;
    try { parseEvidence(src, 'e.yaml'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(EvidenceError);
    expect((err as EvidenceError).code).toBe('EVIDENCE_INVALID');
    expect((err as EvidenceError).message).toContain(message);
    expect((err as EvidenceError).message).toMatch(/^e\.yaml/);
  });
});

describe('readProfileEvidence', () => {
  test('read_checks_profile: expect the boots of the profile beside them', () => {
    const dir = folder(file([boot(), boot(), boot()]));
    expect(readVolatileEvidence(dir)).toMatchObject([{ profile: 'ev-128m', kernel: '6.12-amd64', version: '6.12', boots: [{}, {}, {}] }]);
  });

  test.each([
    ['the profile changed after a boot', folder(file([boot()]), PROFILE.replace('128M', '256M')), 'EVIDENCE_PROFILE_MISMATCH', /boots\.0\.profileSha256: expected [0-9a-f]{64} \(the sha256 of .*profile\.yaml\), got [0-9a-f]{64}: the profile changed/],
    ['another profile name', folder(file([boot()], { profile: 'other' })), 'EVIDENCE_PROFILE_MISMATCH', /profile: expected "ev-128m" .*, got "other"/],
    ['another kernel', folder(file([boot()], { kernel: '7.2-amd64' })), 'EVIDENCE_PROFILE_MISMATCH', /kernel: expected "6\.12-amd64" .*, got "7\.2-amd64"/],
    ['a field that is not volatile', folder(file([boot({ values: { 'mem.summary.reserved': 1 } })])), 'EVIDENCE_UNKNOWN_FIELD', /boots\.0\.values\.mem\.summary\.reserved: expected a volatile field of 6\.12-amd64 \(mem\.summary\.available\), got "mem\.summary\.reserved"/],
  ])('read_refuses_%s: expect %s', (_what, dir, code, message) => {
    let err: unknown;
    try { readProfileEvidence(path.join(dir, 'ev-128m')); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(EvidenceError);
    expect((err as EvidenceError).code).toBe(code);
    expect((err as EvidenceError).message).toMatch(message);
  });
});
