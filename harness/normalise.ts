// The one place where logs are normalised, golden and simulated alike (shared/STYLE.md §7).
// A raw serial capture holds SeaBIOS/iPXE output, terminal escapes, CRLF and printk
// timestamps; what is compared is the kernel's text, with the original line numbers.
// Like tools/testing/kunit/kunit_parser.py, problems are collected with their line
// and parsing goes on; only misuse of the API throws.
import { BootsimError } from '../sim/base/errors.ts';
import { MAX_GOLDEN_BYTES, readBoundedFile, refusalText } from '../sim/base/files.ts';
import type { DmesgLine } from '../sim/types.ts';
import { parseKernelVersion, seriesTraits } from '../sim/traits.ts';

/** One kernel line after normalisation. */
export interface NormalisedLine {
  /** 1-based line number in the raw file (for the sim: index in its output + 1). */
  readonly lineNo: number;
  /** The printk timestamp in seconds, e.g. 0.04 for `[    0.040000]`; undefined when the line had none. */
  readonly ts: number | undefined;
  /** The text without timestamp, escapes or CR. Trailing spaces are kept: printk prints them. */
  readonly text: string;
  /** Sim lines only: the stage and catalog family that printed it. */
  readonly stage?: string;
  readonly fmt?: string;
}

/**
 * How a capture ends.
 * - complete: reaches "Kernel panic - not syncing: VFS: Unable to mount root fs" (the expected end: no root disk)
 * - panicked: another panic
 * - truncated: ends without a panic
 * - binary: mostly not text
 * - empty: no kernel line at all
 */
export type LogStatus = 'complete' | 'panicked' | 'truncated' | 'binary' | 'empty';

export type LogProblemCode =
  | 'INVALID_UTF8'
  | 'CONTROL_CHARS'
  | 'GARBLED_PREFIX'
  | 'MERGED_LINES'
  | 'DAMAGED_TIMESTAMP'
  | 'NO_TIMESTAMP'
  | 'OOPS'
  | 'PANIC'
  | 'NO_KERNEL_LINES'
  | 'MOSTLY_BINARY'
  | 'WINDOW_NOT_STARTED'
  | 'WINDOW_INCOMPLETE';

/** A problem found while reading a log; `line` is 1-based in the raw file (0: the file as a whole). */
export interface LogProblem {
  readonly line: number;
  readonly code: LogProblemCode;
  readonly message: string;
}

/**
 * The memory-init window: "BIOS-provided physical RAM map:" to SLUB, or to the Memory:
 * line when that comes after SLUB (≥ 6.12 prints it after deferred page init).
 * `start`/`end` index `NormalisedLog.lines`, inclusive.
 */
export interface LogWindow {
  readonly start: number;
  readonly end: number;
  /** Raw line numbers of the bounds. */
  readonly startLine: number;
  readonly endLine: number;
  /** Both SLUB and Memory: were seen after the start. */
  readonly complete: boolean;
}

export interface NormalisedLog {
  readonly file: string;
  readonly status: LogStatus;
  /** Kernel lines only (from the first timestamped line on), in order. */
  readonly lines: readonly NormalisedLine[];
  readonly problems: readonly LogProblem[];
  /** Undefined when "BIOS-provided physical RAM map:" never printed. */
  readonly window: LogWindow | undefined;
  readonly windowComplete: boolean;
  /** Raw line of the first kernel line; undefined when there is none. */
  readonly kernelStartLine: number | undefined;
  /** Raw lines before the kernel started (SeaBIOS, iPXE, "Booting from ROM…"). */
  readonly firmwareLineCount: number;
  /** The first "Kernel panic - not syncing" line, if any. */
  readonly panic: { readonly lineNo: number; readonly text: string } | undefined;
}

// ── text normalisation, shared by both sides ─────────────────────────────────

const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
const ESC_OTHER = /\x1b[ -/]*[0-~]?/g; // ESC c (RIS), ESC 7, ESC ( B, a lone ESC
// C0 controls other than TAB, and DEL. CR is handled before this.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

export interface TextNormalisation {
  readonly text: string;
  /** Control characters other than escapes, CR and TAB were removed. */
  readonly hadControl: boolean;
}

/** Strips terminal escapes (CSI, OSC, ESC c), CRs and other control characters from one line. */
export function normaliseText(line: string): TextNormalisation {
  let t = line.replace(OSC, '').replace(CSI, '').replace(ESC_OTHER, '').replace(/\r/g, '');
  const hadControl = CONTROL.test(t);
  CONTROL.lastIndex = 0;
  if (hadControl) t = t.replace(CONTROL, '');
  return { text: t, hadControl };
}

// printk's "[%5lu.%06lu] "
const TIMESTAMP = /\[\s*(\d+)\.(\d{6})\] ?/;
const TIMESTAMP_AT_START = /^\[\s*(\d+)\.(\d{6})\] ?/;
// A timestamp that lost bytes in capture ("[    0.00000] ", "[    000000] "): the text after it is intact.
const DAMAGED_TIMESTAMP_AT_START = /^\[ *[\d.]*\d[\d.]*\] ?/;

function seconds(m: RegExpExecArray): number {
  return Number(`${m[1]}.${m[2]}`);
}

// ── splitting and decoding ───────────────────────────────────────────────────

export interface RawLine {
  readonly lineNo: number;
  readonly text: string;
  readonly invalidUtf8: boolean;
}

const fatal = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8', { fatal: false });

/** Characters of a decoded line that are not text: controls other than tab, LF, CR and ESC, DEL, and U+FFFD where the line's bytes were invalid. */
function notTextChars(s: string, invalid: boolean): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((invalid && c === 0xfffd) || (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 0x1b) || c === 0x7f) n++;
  }
  return n;
}

/** The raw lines of a capture, decoded, with the count of characters that are not text. Exported for its test against splitRawByLine. */
export function splitRaw(raw: Uint8Array | string): { lines: RawLine[]; badChars: number; totalChars: number } {
  const lines: RawLine[] = [];
  let badChars = 0;
  let totalChars = 0;
  const count = (s: string, invalid: boolean): void => {
    totalChars += s.length;
    badChars += notTextChars(s, invalid);
  };
  if (typeof raw === 'string') {
    const parts = raw.split('\n');
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    parts.forEach((text, i) => {
      count(text, false);
      lines.push({ lineNo: i + 1, text, invalidUtf8: false });
    });
    return { lines, badChars, totalChars };
  }
  // Decoded whole when the bytes are valid UTF-8 (most logs): 0x0a never occurs inside a multi-byte
  // sequence, so the lines are the decoded text split at "\n", as line-by-line decoding gives them;
  // unless there is a byte order mark, which the decoder drops at the start of each line it decodes.
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  let whole: string | undefined;
  try {
    if (!bom) whole = fatal.decode(raw);
  } catch {
    // invalid UTF-8 somewhere: each line is decoded on its own below, and only its bad bytes replaced
  }
  if (whole !== undefined && !whole.includes('\ufeff')) {
    const parts = whole.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    parts.forEach((text, i) => {
      count(text, false);
      lines.push({ lineNo: i + 1, text, invalidUtf8: false });
    });
    return { lines, badChars, totalChars };
  }
  return splitRawByLine(raw);
}

/** splitRaw's line-by-line decoding: each line's invalid bytes replaced and counted on that line. Exported as the reference splitRaw is tested against. */
export function splitRawByLine(raw: Uint8Array): { lines: RawLine[]; badChars: number; totalChars: number } {
  const lines: RawLine[] = [];
  let badChars = 0;
  let totalChars = 0;
  const count = (s: string, invalid: boolean): void => {
    totalChars += s.length;
    badChars += notTextChars(s, invalid);
  };
  let start = 0;
  let lineNo = 1;
  const push = (end: number): void => {
    const bytes = raw.subarray(start, end);
    let text: string;
    let invalid = false;
    try {
      text = fatal.decode(bytes);
    } catch {
      text = lenient.decode(bytes);
      invalid = true;
    }
    count(text, invalid);
    lines.push({ lineNo, text, invalidUtf8: invalid });
    lineNo++;
  };
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x0a) {
      push(i);
      start = i + 1;
    }
  }
  if (start < raw.length) push(raw.length);
  return { lines, badChars, totalChars };
}

// one global regex for every line (a new one per line was a measurable share of a log's time); its
// lastIndex is reset before each use, and splitMerged recurses only after its loop is done
const TIMESTAMP_ALL = new RegExp(TIMESTAMP.source, 'g');

/**
 * Splits one raw line into its printk records. Serial captures under TCG sometimes lose
 * the newline between two records ("software IO TLB: area num 4.[    0.000000] Memory: …"),
 * so every timestamp inside a line starts a new record, with the same raw line number.
 */

function splitMerged(body: string, lineNo: number, problems: LogProblem[]): NormalisedLine[] {
  const starts: RegExpExecArray[] = [];
  const all = TIMESTAMP_ALL;
  all.lastIndex = 0;
  for (let m = all.exec(body); m; m = all.exec(body)) starts.push(m);
  if (starts.length === 0 || starts[0]!.index !== 0) {
    if (body.trim() === '') return [];
    const damaged = DAMAGED_TIMESTAMP_AT_START.exec(body);
    if (damaged) {
      problems.push({ line: lineNo, code: 'DAMAGED_TIMESTAMP', message: `expected a timestamp like "[    0.000000] ", got ${JSON.stringify(damaged[0])}; text kept` });
      const rest = body.slice(damaged[0].length);
      const next = new RegExp(TIMESTAMP.source).exec(rest);
      if (!next) return [{ lineNo, ts: undefined, text: rest }];
      return [{ lineNo, ts: undefined, text: rest.slice(0, next.index) }, ...splitMerged(rest.slice(next.index), lineNo, problems)];
    }
    problems.push({ line: lineNo, code: 'NO_TIMESTAMP', message: `expected a timestamped kernel line, got ${JSON.stringify(body.slice(0, 60))}` });
    const rest = starts.length > 0 ? splitMerged(body.slice(starts[0]!.index), lineNo, problems) : [];
    return [{ lineNo, ts: undefined, text: starts.length > 0 ? body.slice(0, starts[0]!.index) : body }, ...rest];
  }
  if (starts.length > 1) {
    problems.push({ line: lineNo, code: 'MERGED_LINES', message: `expected one printk record per line, got ${starts.length}; split` });
  }
  return starts.map((m, i) => ({
    lineNo,
    ts: seconds(m),
    text: body.slice(m.index + m[0].length, i + 1 < starts.length ? starts[i + 1]!.index : undefined),
  }));
}

// ── the log ──────────────────────────────────────────────────────────────────

/** init/version.c linux_banner, printed first by start_kernel(). */
export const BANNER = /^Linux version \S+ /;
const VFS_PANIC = /^Kernel panic - not syncing: VFS: Unable to mount root fs/;
const ANY_PANIC = /^Kernel panic - not syncing: /;
const OOPS = /^(?:BUG: |Oops: |general protection fault)/;
const WINDOW_START = /^BIOS-provided physical RAM map:$/;
const SLUB = /^SLUB: /;
// "%luk/%luk": 2.6/3.0 arch/x86/mm/init_32.c mem_init(); "%luK/%luK": mm/page_alloc.c mem_init_print_info() (5.10+)
const MEMORY = /^Memory: \d+[Kk]\/\d+[Kk] available /;

const BANNER_ANYWHERE = /Linux version \S+ /;

/**
 * A log with no printk timestamp on any line but a "Linux version" banner: a kernel printing
 * without CONFIG_PRINTK_TIME (kernel/printk.c printk_time). Its kernel output starts at the banner,
 * which may share its raw line with firmware output ("Booting from ROM..\x1bcLinux version 3.0.1 …").
 * Undefined for any log with a timestamp, which keeps the timestamped path as it was.
 */
function untimedKernel(rawLines: readonly RawLine[]): { readonly lineNo: number; readonly index: number } | undefined {
  if (rawLines.some((r) => TIMESTAMP.test(r.text))) return undefined;
  for (const r of rawLines) {
    const clean = normaliseText(r.text).text;
    const m = BANNER_ANYWHERE.exec(clean);
    if (m) return { lineNo: r.lineNo, index: m.index };
  }
  return undefined;
}

/** Share of non-text characters above which a capture counts as binary. */
const BINARY_RATIO = 0.1;

/**
 * Normalises a raw serial capture. Never throws on a bad log: problems are collected
 * and the status says how usable it is. Throws only on misuse (wrong argument types).
 */
export function normaliseLog(raw: Uint8Array | string, file: string): NormalisedLog {
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) {
    throw new TypeError(`normaliseLog(${JSON.stringify(file)}): expected a string or Uint8Array, got ${typeof raw}`);
  }
  const problems: LogProblem[] = [];
  const { lines: rawLines, badChars, totalChars } = splitRaw(raw);

  if (totalChars > 0 && badChars / totalChars > BINARY_RATIO) {
    problems.push({
      line: 0,
      code: 'MOSTLY_BINARY',
      message: `expected a text serial log, got ${badChars} of ${totalChars} characters that are not text`,
    });
    return finish(file, 'binary', [], problems, undefined, 0, undefined);
  }

  const lines: NormalisedLine[] = [];
  let kernelStartLine: number | undefined;
  let firmwareLineCount = 0;
  let panic: { lineNo: number; text: string } | undefined;
  const untimed = untimedKernel(rawLines);

  for (const r of rawLines) {
    if (r.invalidUtf8) {
      problems.push({ line: r.lineNo, code: 'INVALID_UTF8', message: 'invalid UTF-8; bytes replaced by U+FFFD' });
    }
    const { text: clean, hadControl } = normaliseText(r.text);
    if (hadControl) problems.push({ line: r.lineNo, code: 'CONTROL_CHARS', message: 'control characters removed' });

    let body = clean;
    if (untimed) {
      // A kernel built without CONFIG_PRINTK_TIME (the seeds' 2.6/3.0 builds): the banner starts
      // the kernel's output, and each raw line after it is one record.
      if (kernelStartLine === undefined) {
        if (r.lineNo < untimed.lineNo) {
          firmwareLineCount++;
          continue;
        }
        kernelStartLine = r.lineNo;
        body = clean.slice(untimed.index);
      }
      if (body.trim() === '') continue;
      const seg: NormalisedLine = { lineNo: r.lineNo, ts: undefined, text: body };
      lines.push(seg);
      if (OOPS.test(seg.text)) problems.push({ line: seg.lineNo, code: 'OOPS', message: seg.text });
      if (panic === undefined && ANY_PANIC.test(seg.text)) {
        panic = { lineNo: seg.lineNo, text: seg.text };
        if (!VFS_PANIC.test(seg.text)) problems.push({ line: seg.lineNo, code: 'PANIC', message: seg.text });
      }
      continue;
    }
    if (kernelStartLine === undefined) {
      // Firmware noise until the first timestamp; the first kernel line may share its
      // raw line with firmware output ("Probing EDD … o\x1bc…k\r[    0.000000] Linux version").
      const m = TIMESTAMP.exec(clean);
      if (!m) {
        firmwareLineCount++;
        continue;
      }
      kernelStartLine = r.lineNo;
      body = clean.slice(m.index);
    } else if (!TIMESTAMP_AT_START.test(clean)) {
      const inside = TIMESTAMP.exec(clean);
      if (inside) {
        problems.push({
          line: r.lineNo,
          code: 'GARBLED_PREFIX',
          message: `expected the line to start with a timestamp, got ${JSON.stringify(clean.slice(0, inside.index))} before it; dropped`,
        });
        body = clean.slice(inside.index);
      }
    }

    for (const seg of splitMerged(body, r.lineNo, problems)) {
      lines.push(seg);
      if (OOPS.test(seg.text)) problems.push({ line: seg.lineNo, code: 'OOPS', message: seg.text });
      if (panic === undefined && ANY_PANIC.test(seg.text)) {
        panic = { lineNo: seg.lineNo, text: seg.text };
        if (!VFS_PANIC.test(seg.text)) problems.push({ line: seg.lineNo, code: 'PANIC', message: seg.text });
      }
    }
  }

  if (kernelStartLine === undefined) {
    problems.push({ line: 0, code: 'NO_KERNEL_LINES', message: 'expected kernel lines ("[    0.000000] Linux version …"), got none' });
    return finish(file, 'empty', [], problems, undefined, firmwareLineCount, undefined);
  }
  const status: LogStatus = panic === undefined ? 'truncated' : VFS_PANIC.test(panic.text) ? 'complete' : 'panicked';
  return finish(file, status, lines, problems, kernelStartLine, firmwareLineCount, panic);
}

function finish(
  file: string,
  status: LogStatus,
  lines: NormalisedLine[],
  problems: LogProblem[],
  kernelStartLine: number | undefined,
  firmwareLineCount: number,
  panic: NormalisedLog['panic'],
  window: LogWindow | undefined = findWindow(lines),
): NormalisedLog {
  if (status !== 'binary' && status !== 'empty') {
    if (!window) {
      problems.push({ line: 0, code: 'WINDOW_NOT_STARTED', message: 'expected "BIOS-provided physical RAM map:", never printed' });
    } else if (!window.complete) {
      problems.push({
        line: window.endLine,
        code: 'WINDOW_INCOMPLETE',
        message: 'expected the memory-init window to end with both "SLUB:" and "Memory: …" lines, log ends first',
      });
    }
  }
  return {
    file,
    status,
    lines,
    problems,
    window,
    windowComplete: window?.complete ?? false,
    kernelStartLine,
    firmwareLineCount,
    panic,
  };
}

/** Finds the memory-init window in normalised lines. */
export function findWindow(lines: readonly NormalisedLine[], endsAtSlub: boolean = bannerPrintsSlub(lines)): LogWindow | undefined {
  const start = lines.findIndex((l) => WINDOW_START.test(l.text));
  if (start < 0) return undefined;
  let slub = endsAtSlub ? -1 : start;
  let memory = -1;
  for (let i = start + 1; i < lines.length && (slub < 0 || memory < 0); i++) {
    const t = lines[i]!.text;
    if (slub < 0 && SLUB.test(t)) slub = i;
    if (memory < 0 && MEMORY.test(t)) memory = i;
  }
  const complete = slub >= 0 && memory >= 0;
  const end = complete ? Math.max(slub, memory) : lines.length - 1;
  return { start, end, startLine: lines[start]!.lineNo, endLine: lines[end]!.lineNo, complete };
}

/**
 * Whether the kernel that printed these lines has SLUB (sim/traits.ts slubAllocator): false only when
 * a "Linux version" banner names a release before it (2.6.11: its window ends at "Memory:"); a log
 * without a banner, or with a release that does not parse, is held to both lines.
 */
function bannerPrintsSlub(lines: readonly NormalisedLine[]): boolean {
  const b = lines.find((l) => BANNER.test(l.text));
  if (!b) return true;
  try {
    return seriesTraits(parseKernelVersion(b.text.split(' ')[2]!)).slubAllocator;
  } catch (e) {
    if (e instanceof RangeError) return true;
    throw e;
  }
}

/** The release the log's banner names ("Linux version <release> …"), with its raw line; undefined when it has none. */
export function bannerRelease(log: NormalisedLog): { readonly release: string; readonly lineNo: number } | undefined {
  const b = log.lines.find((l) => BANNER.test(l.text));
  return b ? { release: b.text.split(' ')[2]!, lineNo: b.lineNo } : undefined;
}

/** The lines of the window (empty when there is none). */
export function windowLines(log: NormalisedLog): readonly NormalisedLine[] {
  return log.window ? log.lines.slice(log.window.start, log.window.end + 1) : [];
}

/**
 * Puts the simulator's output through the same text normalisation. Line numbers are
 * positions in the sim output (1-based); stage and fmt are kept. A sim log has no
 * panic: its status is 'complete' when the window is, else 'truncated'.
 */
export function normaliseSimLines(sim: readonly DmesgLine[], file = '<sim>', endsAtSlub = true): NormalisedLog {
  if (!Array.isArray(sim)) throw new TypeError(`normaliseSimLines(${JSON.stringify(file)}): expected an array of DmesgLine`);
  const problems: LogProblem[] = [];
  const lines: NormalisedLine[] = sim.map((d, i) => {
    const { text, hadControl } = normaliseText(d.text);
    if (hadControl) problems.push({ line: i + 1, code: 'CONTROL_CHARS', message: `control characters removed (stage ${d.stage}, fmt ${d.fmt})` });
    if (text.includes('\n')) problems.push({ line: i + 1, code: 'CONTROL_CHARS', message: `a DmesgLine holds a newline (stage ${d.stage}, fmt ${d.fmt})` });
    return { lineNo: i + 1, ts: undefined, text, stage: d.stage, fmt: d.fmt };
  });
  const window = findWindow(lines, endsAtSlub);
  const log = finish(file, window?.complete ? 'complete' : 'truncated', lines, problems, lines.length > 0 ? 1 : undefined, 0, undefined, window);
  return log;
}

// ── goldens ──────────────────────────────────────────────────────────────────

/** Why a golden serial log cannot be used. */
export type GoldenCode =
  | 'GOLDEN_EMPTY'
  | 'GOLDEN_BINARY'
  | 'GOLDEN_NO_WINDOW'
  | 'GOLDEN_TRUNCATED'
  | 'GOLDEN_PANICKED'
  /** Bytes lost in capture inside the window (see requireIntactGolden in harness/catalog). */
  | 'GOLDEN_DAMAGED'
  /** Not a regular file (a directory, a FIFO, /dev/zero): refused before reading. */
  | 'GOLDEN_NOT_A_FILE'
  /** Over MAX_GOLDEN_BYTES (256 MiB): refused before reading. */
  | 'GOLDEN_TOO_LARGE'
  /** The log holds more than one boot (two "Linux version" banners). */
  | 'GOLDEN_SEVERAL_BOOTS';

export class GoldenError extends BootsimError<GoldenCode> {}

/**
 * Reads a serial log's bytes: a regular file of at most MAX_GOLDEN_BYTES, checked before reading.
 * Returns undefined when the file cannot be opened (the caller says why in its own terms).
 */
export function readLogBytes(file: string, shownAs: string = file): { bytes: Buffer } | { unreadable: string; cause: unknown } {
  const r = readBoundedFile(file, MAX_GOLDEN_BYTES);
  if (r.ok) return { bytes: r.bytes };
  if (r.refusal.kind === 'unreadable') return { unreadable: r.refusal.reason, cause: r.cause };
  throw new GoldenError(r.refusal.kind === 'not-regular' ? 'GOLDEN_NOT_A_FILE' : 'GOLDEN_TOO_LARGE', `serial log: ${refusalText(r.refusal)}`, { pos: { file: shownAs } });
}

/**
 * Throws a GoldenError unless the log holds a complete memory-init window. A log that
 * goes wrong after the window (an oops, a hang, another panic) is still usable;
 * the caller decides what to do with the error.
 */
export function requireUsableGolden(log: NormalisedLog): void {
  const file = log.file;
  // init/main.c start_kernel() prints linux_banner once per boot: a second one is a second boot.
  const banners = log.lines.filter((l) => BANNER.test(l.text));
  if (banners.length > 1) {
    throw new GoldenError('GOLDEN_SEVERAL_BOOTS', `expected one boot, got ${banners.length} "Linux version" banners (lines ${banners.slice(0, 5).map((b) => b.lineNo).join(', ')}${banners.length > 5 ? ', …' : ''}); split the log`, { pos: { file, line: banners[1]!.lineNo } });
  }
  switch (log.status) {
    case 'empty':
      throw new GoldenError('GOLDEN_EMPTY', 'expected a serial log with kernel lines, got none (empty, or firmware output only)', { pos: { file } });
    case 'binary':
      throw new GoldenError('GOLDEN_BINARY', `expected a text serial log, got mostly non-text bytes`, { pos: { file } });
    default:
      break;
  }
  if (!log.window) {
    const last = log.lines[log.lines.length - 1];
    throw new GoldenError('GOLDEN_NO_WINDOW', `expected "BIOS-provided physical RAM map:", log ends at line ${last?.lineNo ?? 0} without it`, {
      pos: { file },
    });
  }
  if (log.windowComplete) return;
  if (log.status === 'panicked' || log.status === 'complete') {
    const p = log.panic!;
    throw new GoldenError('GOLDEN_PANICKED', `expected the memory-init window to end with SLUB and Memory: lines, got a panic first: ${p.text}`, {
      pos: { file, line: p.lineNo },
    });
  }
  throw new GoldenError('GOLDEN_TRUNCATED', 'expected the memory-init window to end with SLUB and Memory: lines, log ends first', {
    pos: { file, line: log.window.endLine },
  });
}
