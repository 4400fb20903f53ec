// What `bootsim capture` shows while QEMU boots (issue 14 item 6): per profile the stage reached (the
// catalog family of the last catalog line seen on the serial stream, and the stage that owns it), the
// time elapsed and the time left, from the previous capture of that golden when there is one. On a
// TTY these are cli-progress bars, redrawn in place; otherwise plain lines, one when a boot starts and
// one when it ends, which then names the last catalog line seen (what a failed boot reached).
// `--until window` stops QEMU after the last catalog line: the simulator says which family prints last
// and how often; on a profile the simulator refuses, the end of the memory-init window is the stop.
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { normaliseLog } from '../normalise.ts';
import { matchFamily } from '../catalog/classify.ts';
import { kernelKeyOfId } from '../catalog/versions.ts';
import { simulateSpec } from '../simulate.ts';
import { BootsimError } from '../../sim/base/errors.ts';
import type { MachineSpec } from '../../sim/types.ts';
import type { CliIO } from './io.ts';

/** The catalog line a raw serial line is, on this kernel: its family and the stage that owns it. */
export interface SeenLine {
  readonly family: string;
  readonly stage: string;
}

/** Reads raw serial lines as the comparison does (harness/normalise.ts, then the catalog). */
export function serialLineReader(kernelId: string): (raw: string) => SeenLine | undefined {
  const kernel = kernelKeyOfId(kernelId);
  return (raw) => {
    const text = normaliseLog(Buffer.from(raw, 'latin1'), 'serial').lines[0]?.text;
    const hit = text === undefined ? undefined : matchFamily(text, kernel);
    return hit ? { family: hit.family.id, stage: hit.family.stage } : undefined;
  };
}

/** Where `--until window` stops: after the `count`-th line of `family`, or (undefined) at the end of the window. */
export interface UntilPoint {
  readonly family: string;
  readonly count: number;
}

/** The last catalog line the simulator prints for the profile, and how many of its family; undefined when it refuses the profile. */
export function lastCatalogLine(spec: MachineSpec): UntilPoint | undefined {
  let lines;
  try {
    lines = simulateSpec(spec);
  } catch (e) {
    if (e instanceof BootsimError) return undefined;
    throw e;
  }
  const last = lines.at(-1)?.fmt;
  return last === undefined ? undefined : { family: last, count: lines.filter((l) => l.fmt === last).length };
}

/** One profile's display. */
export interface ProfileProgress {
  /** A serial line arrived; returns the catalog line it is, if any. */
  line(raw: string): SeenLine | undefined;
  /** QEMU starts (again, after a damaged boot). */
  boot(text: string): void;
  /** A message that is not the stage: fetch progress, a retry. */
  note(text: string): void;
  /** The profile is done (ok, up to date or failed); `text` is the plain line's end. */
  end(text: string, ok: boolean): void;
  /** The last catalog line seen, as "family (stage)". */
  readonly reached: string | undefined;
}

export interface CaptureProgress {
  profile(index: number, spec: MachineSpec, expectedMs: number | undefined): ProfileProgress;
  /** Ends the display; the summary line comes after. */
  close(): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The display for `total` profiles: bars on a TTY (and not under NO_COLOR=…/TERM=dumb), plain lines otherwise. */
export function captureProgress(io: CliIO, total: number, stream: NodeJS.WriteStream = process.stderr): CaptureProgress {
  const tty = io.isTTY && io.env.TERM !== 'dumb' && stream.isTTY === true;
  const err = (s: string): void => io.stderr(`${s}\n`);
  const bars = tty
    ? new MultiBar({ stream, format: '{tag} |{bar}| {stage}  {spent}  {left}', hideCursor: true, clearOnComplete: false, stopOnComplete: false, autopadding: true, fps: 5, barsize: 20 }, Presets.shades_classic)
    : undefined;
  const timers = new Set<NodeJS.Timeout>();
  return {
    profile(index, spec, expectedMs) {
      const tag = `[${index + 1}/${total}] ${spec.name}`;
      const read = serialLineReader(spec.kernel);
      let started = performance.now();
      let reached: string | undefined;
      let bar: SingleBar | undefined;
      let timer: NodeJS.Timeout | undefined;
      const payload = (): Record<string, string> => {
        const el = performance.now() - started;
        return {
          tag,
          stage: reached ?? 'booting',
          // not {elapsed}/{eta}: cli-progress fills those itself from the bar's value
          spent: seconds(el),
          left: expectedMs === undefined ? 'ETA ?' : `ETA ${seconds(Math.max(0, expectedMs - el))}`,
        };
      };
      const value = (): number => (expectedMs === undefined ? 0 : Math.min(99, Math.floor(((performance.now() - started) / expectedMs) * 100)));
      const redraw = (): void => bar?.update(value(), payload());
      const say = (text: string): void => {
        if (bars) bars.log(`${tag}: ${text}\n`);
        else err(`${tag}: ${text}`);
      };
      return {
        get reached() { return reached; },
        line(raw) {
          const seen = read(raw);
          if (seen) {
            reached = `${seen.family} (${seen.stage})`;
            redraw();
          }
          return seen;
        },
        boot(text) {
          started = performance.now();
          if (bars) {
            bar ??= bars.create(100, 0, payload());
            if (!timer) {
              timer = setInterval(redraw, 500);
              timers.add(timer);
            }
            redraw();
          }
          say(text);
        },
        note: say,
        end(text, ok) {
          if (timer) {
            clearInterval(timer);
            timers.delete(timer);
          }
          bar?.update(ok ? 100 : value(), { ...payload(), stage: ok ? 'done' : `FAILED at ${reached ?? 'booting'}` });
          say(ok || reached === undefined ? text : `${text} (last catalog line seen: ${reached})`);
        },
      };
    },
    close() {
      for (const t of timers) clearInterval(t);
      // update() writes the lines logged since the last redraw, which stop() would drop
      bars?.update();
      bars?.stop();
    },
  };
}
