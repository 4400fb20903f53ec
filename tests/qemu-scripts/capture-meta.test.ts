// The provenance files beside each golden (meta.yaml, meta-memblock.yaml), validated against
// CaptureMetaSchema on every read: every committed one validates, and each kind of damage is
// CAPTURE_META_INVALID naming the file, line, field path, what was expected and what was found.
import { describe, expect, test } from 'vitest';
import { readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { goldensDir } from '../../sim/base/paths.ts';
import { CaptureError, readMeta } from '../../qemu-scripts/capture.ts';
import { scratchDir } from '../scratch.ts';
import { committedMetas, metaOf } from '../golden-metas.ts';

type Doc = ReturnType<typeof parseDocument>;

// read once per worker (tests/golden-metas.ts): the command-line and re-boot evidence tests read the same files
const committed = committedMetas();
const sample = path.join(goldensDir, 'x86_64-6.1-pc-512m', 'meta.yaml');

function edited(edit: (d: Doc) => void): string {
  const file = path.join(scratchDir('bootsim-meta-'), 'meta.yaml');
  const doc = parseDocument(readFileSync(sample, 'utf8'));
  edit(doc);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return file;
}

function refusal(file: string): CaptureError {
  try {
    readMeta(file);
  } catch (e) {
    if (e instanceof CaptureError) return e;
    throw e;
  }
  throw new Error(`expected ${file} to be refused`);
}

describe('readMeta on the committed goldens', () => {
  test('read_committed_count: expect a meta file beside every golden serial log', () => {
    const serials = readdirSync(goldensDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(goldensDir, d.name, 'serial.log')));
    expect(committed.filter((f) => f.endsWith('/meta.yaml'))).toHaveLength(serials.length);
  });

  test.each(committed.map((f) => [path.relative(goldensDir, f)]))('read_committed %s: expect it to validate', (rel) => {
    const m = metaOf(path.join(goldensDir, rel))!;
    expect(m.profile).toBe(path.dirname(rel));
    expect(m.argv[0]).toBe(m.qemu.binary);
    expect(m.markersMs.end).toBe(m.durationMs);
  });

  test('read_absent: expect undefined for a golden not captured yet', () => {
    expect(readMeta(path.join(tmpdir(), 'no-such-dir', 'meta.yaml'))).toBeUndefined();
  });
});

describe('readMeta errors', () => {
  test.each<[string, (d: Doc) => void, string]>([
    ['wrong_type', (d) => d.set('durationMs', 'slow'), 'durationMs: expected a whole number of ms ≥ 0, got "slow"'],
    ['bad_ending', (d) => d.set('ended', 'crash'), 'ended: expected one of panic, exit, timeout, window, got "crash"'],
    ['bad_date', (d) => d.set('capturedAt', 'yesterday'), 'capturedAt: expected an ISO 8601 timestamp, got "yesterday"'],
    ['unknown_key', (d) => d.set('host', 'ci-3'), 'host: unknown key; expected one of profile, capturedAt, durationMs, ended'],
    ['unknown_nested', (d) => d.setIn(['kernel', 'flavour'], 'amd64'), 'kernel.flavour: unknown key; expected one of id, package, version, suite, sha256, release'],
    ['unknown_marker', (d) => d.setIn(['markersMs', 'oops'], 12), 'markersMs.oops: expected a marker: slub, memory, panic, end, got "oops"'],
    ['missing', (d) => d.delete('inputsHash'), 'inputsHash: expected string, got nothing'],
    ['bad_sha', (d) => d.setIn(['kernel', 'sha256'], 'abc'), 'kernel.sha256: expected a sha256 in lower-case hex, got "abc"'],
    ['argv_entry', (d) => d.setIn(['argv', 2], 5), 'argv[2]: expected string, got 5'],
  ])('read_meta_%s: expect CAPTURE_META_INVALID', (_name, edit, text) => {
    const e = refusal(edited(edit));
    expect(e.code).toBe('CAPTURE_META_INVALID');
    expect(e.message).toContain(text);
  });

  test('read_meta_yaml_syntax: expect CAPTURE_META_INVALID with the parser\'s position', () => {
    const file = edited(() => undefined);
    writeFileSync(file, 'profile: [unclosed\n');
    expect(refusal(file)).toMatchObject({ code: 'CAPTURE_META_INVALID', message: expect.stringMatching(/:\d+:\d+: expected valid YAML, got: /) });
  });

  test('read_meta_message: expect file:line:col, the field, and how to write a good one', () => {
    const file = edited((d) => d.set('durationMs', 'slow'));
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l === 'durationMs: slow') + 1;
    expect(refusal(file).message).toBe(`${file}:${line}:13: durationMs: expected a whole number of ms ≥ 0, got "slow"; meta files are written by \`bootsim capture\` (--force re-captures)`);
  });
});

describe('readMeta of a probe: state golden', () => {
  const stateSample = path.join(goldensDir, 'x86_64-6.1-pc-512m-state', 'meta.yaml');
  const editedState = (edit: (d: Doc) => void): string => {
    const file = path.join(scratchDir('bootsim-meta-'), 'meta.yaml');
    const doc = parseDocument(readFileSync(stateSample, 'utf8'));
    edit(doc);
    writeFileSync(file, doc.toString({ lineWidth: 0 }));
    return file;
  };

  test('read_state_meta: expect the state block with the initramfs facts the capture booted', () => {
    const m = readMeta(stateSample)!;
    expect(m.state).toMatchObject({ file: 'state.log', initramfs: { arch: 'x86_64' } });
    expect(m.argv).toContain('<initrd>');
  });

  test.each<[string, (d: Doc) => void, string]>([
    ['state_file', (d) => d.setIn(['state', 'file'], 'dump.log'), 'state.file: expected state.log or state-memblock.log, got "dump.log"'],
    ['state_unknown', (d) => d.setIn(['state', 'when'], 'now'), 'state.when: unknown key'],
    ['state_image_sha', (d) => d.setIn(['state', 'initramfs', 'sha256'], 'x'), 'state.initramfs.sha256: expected a sha256 in lower-case hex, got "x"'],
    ['state_bytes', (d) => d.setIn(['state', 'bytes'], 0), 'state.bytes: expected a byte count above 0, got 0'],
  ])('read_meta_%s: expect CAPTURE_META_INVALID', (_name, edit, text) => {
    const e = refusal(editedState(edit));
    expect(e.code).toBe('CAPTURE_META_INVALID');
    expect(e.message).toContain(text);
  });
});
