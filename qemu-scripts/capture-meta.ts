// The provenance of a golden, goldens/<name>/meta.yaml (and meta-memblock.yaml beside
// serial-memblock.log): written by `bootsim capture` (./capture.ts), never by hand. The schema
// is the one definition; CaptureMeta is derived from it and every read is validated against it.
// Strict: capture writes every key, so a key the schema does not name is junk.
import * as v from 'valibot';
import { InitramfsFactsSchema } from './initramfs/facts.ts';

/** The markers whose first appearance is timed. */
export const MARKERS = {
  // 3.0.1 mm/slub.c prints "SLUB: Genslabs=%d, HWalign=…" and arch/x86/mm/init_32.c "Memory: %luk/%luk"
  slub: /SLUB: (?:Genslabs=\d+, )?HWalign=/,
  memory: /Memory: \d+[Kk]\/\d+[Kk] available/,
  panic: /Kernel panic - not syncing/,
} as const;

// window: stopped after the last catalog line (`capture --until window`, never into goldens/)
export const CAPTURE_ENDINGS = ['panic', 'exit', 'timeout', 'window'] as const;

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
  /** A Debian package (package, suite), or a local build (source; sha256 is its bzImage's): sim/kernel-facts.ts kernelProvenance. */
  kernel: v.pipe(v.strictObject({
    id: nonEmpty,
    package: v.optional(nonEmpty),
    version: nonEmpty,
    suite: v.optional(nonEmpty),
    sha256,
    release: nonEmpty,
    source: v.optional(v.pipe(v.strictObject({ repository: nonEmpty, commit: v.pipe(v.string(), v.regex(/^[0-9a-f]{40}$/, 'a 40-hex commit id')) }), v.readonly())),
  }), v.check((k) => (k.package !== undefined && k.suite !== undefined) !== (k.source !== undefined), 'kernel: expected package and suite (a Debian package) or source (a local build)'), v.readonly()),
  /** The QEMU argv as run, the cache-local vmlinuz path written as <vmlinuz>. */
  argv: v.pipe(v.array(v.string()), v.minLength(1, 'the QEMU argv (at least the binary)'), v.readonly()),
  cmdline: nonEmpty,
  /** Where guest RAM came from (qemu-argv.ts MemoryBackend); captures before it was recorded used 'machine'. */
  memoryBackend: v.optional(v.picklist(['machine', 'noreserve'], 'machine or noreserve')),
  serialSha256: sha256,
  serialBytes: v.pipe(v.number('a byte count ≥ 0'), v.integer('a byte count'), v.minValue(0, 'a byte count ≥ 0')),
  /**
   * A `probe: state` capture: the probe's part of the serial output, kept as state.log (serial.log
   * is what came before it), when the done marker arrived, and the initramfs booted (its facts,
   * goldens/initramfs/state-<arch>.yaml).
   */
  state: v.optional(v.pipe(v.strictObject({
    file: v.picklist(['state.log', 'state-memblock.log'], 'state.log or state-memblock.log'),
    sha256,
    bytes: v.pipe(v.number('a byte count ≥ 0'), v.integer('a byte count'), v.minValue(1, 'a byte count above 0')),
    doneMs: ms,
    initramfs: InitramfsFactsSchema,
  }), v.readonly())),
  /** Hash of everything that decides the boot: the profile, kernel, tools and argv. Equal hash = up to date. */
  inputsHash: sha256,
}), v.readonly());

export type CaptureMeta = v.InferOutput<typeof CaptureMetaSchema>;
export type CaptureEnded = CaptureMeta['ended'];
