// The provenance of a golden, goldens/<name>/meta.yaml (and meta-memblock.yaml beside
// serial-memblock.log): written by `bootsim capture` (./capture.ts), never by hand. The schema
// is the one definition; CaptureMeta is derived from it and every read is validated against it.
// Strict: capture writes every key, so a key the schema does not name is junk.
import * as v from 'valibot';

/** The markers whose first appearance is timed. */
export const MARKERS = {
  slub: /SLUB: HWalign=/,
  memory: /Memory: \d+K\/\d+K available/,
  panic: /Kernel panic - not syncing/,
} as const;

export const CAPTURE_ENDINGS = ['panic', 'exit', 'timeout'] as const;

const nonEmpty = v.pipe(v.string(), v.minLength(1, 'a non-empty string'));
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex'));
const ms = v.pipe(v.number('a whole number of ms ≥ 0'), v.integer('a whole number of ms'), v.minValue(0, 'a whole number of ms ≥ 0'));
const marker = (extra: readonly string[]) => {
  const names = [...Object.keys(MARKERS), ...extra];
  return v.pipe(v.string(), v.check((k) => names.includes(k), `a marker: ${names.join(', ')}`));
};

export const CaptureMetaSchema = v.pipe(v.strictObject({
  profile: nonEmpty,
  capturedAt: v.pipe(v.string(), v.isoTimestamp('an ISO 8601 timestamp')),
  durationMs: ms,
  ended: v.picklist(CAPTURE_ENDINGS, `one of ${CAPTURE_ENDINGS.join(', ')}`),
  /** When each marker reached the host, in ms after QEMU started; `end` when QEMU stopped. */
  markersMs: v.pipe(v.record(marker(['end']), ms), v.readonly()),
  /** Each marker's printk timestamp, in seconds of kernel time. */
  markersKernelS: v.pipe(v.record(marker([]), v.pipe(v.number('seconds ≥ 0'), v.minValue(0, 'seconds ≥ 0'))), v.readonly()),
  qemu: v.pipe(v.strictObject({ package: nonEmpty, version: nonEmpty, binary: v.pipe(v.string(), v.regex(/^qemu-system-/, 'a qemu-system-* binary')) }), v.readonly()),
  seabios: v.pipe(v.strictObject({ package: nonEmpty, version: nonEmpty }), v.readonly()),
  kernel: v.pipe(v.strictObject({ id: nonEmpty, package: nonEmpty, version: nonEmpty, suite: nonEmpty, sha256, release: nonEmpty }), v.readonly()),
  /** The QEMU argv as run, the cache-local vmlinuz path written as <vmlinuz>. */
  argv: v.pipe(v.array(v.string()), v.minLength(1, 'the QEMU argv (at least the binary)'), v.readonly()),
  cmdline: nonEmpty,
  /** Where guest RAM came from (qemu-argv.ts MemoryBackend); captures before it was recorded used 'machine'. */
  memoryBackend: v.optional(v.picklist(['machine', 'noreserve'], 'machine or noreserve')),
  serialSha256: sha256,
  serialBytes: v.pipe(v.number('a byte count ≥ 0'), v.integer('a byte count'), v.minValue(0, 'a byte count ≥ 0')),
  /** Hash of everything that decides the boot: the profile, kernel, tools and argv. Equal hash = up to date. */
  inputsHash: sha256,
}), v.readonly());

export type CaptureMeta = v.InferOutput<typeof CaptureMetaSchema>;
export type CaptureEnded = CaptureMeta['ended'];
