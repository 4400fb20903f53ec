// What a CLI verb may touch besides the file system: its output streams and environment.
// Verbs take a CliIO so that tests run them in-process and read what they printed.
import { BootsimError } from '../../sim/base/errors.ts';

export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal; colour is used only then (and never under NO_COLOR). */
  readonly isTTY: boolean;
  /** --json was given: an error is also one JSON object on stdout, so a consumer never reads nothing. Default: false. */
  readonly json?: boolean;
  /** --debug was given: an error also shows its stack and cause on stderr. Default: false. */
  readonly debug?: boolean;
}

/** The real process streams. Each write is one chunk; verbs add their own newlines. */
export function processIO(): CliIO {
  return {
    stdout: (s) => { process.stdout.write(s); },
    stderr: (s) => { process.stderr.write(s); },
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

/** Exit codes shared by the verbs: 0 all good, 1 a difference or regression, 2 bad input or misuse. */
export const EXIT = { ok: 0, differs: 1, bad: 2 } as const;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColour(io: CliIO): boolean {
  return io.isTTY && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '') && io.env.FORCE_COLOR !== '0';
}

/** The code an error is reported under: its own, else the system call's (ENOENT…), else INTERNAL. */
export function errorCode(e: unknown): string {
  if (e instanceof BootsimError) return e.code;
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code.startsWith('ERR_PARSE_ARGS') ? 'USAGE' : code;
  return 'INTERNAL';
}

/** One line: the first line of the message, at most 300 characters (a message never dumps a file). */
export function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const first = m.split('\n')[0] ?? '';
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

/** Writes an error as the user sees it: one line on stderr, a JSON object on stdout under --json, the stack under --debug. */
export function writeError(io: CliIO, verb: string, code: string, message: string, e?: unknown): void {
  const internal = code === 'INTERNAL' || !(e instanceof BootsimError);
  io.stderr(`bootsim ${verb}: ${code}: ${message}${internal && !io.debug && e !== undefined ? ' (a bug in bootsim: --debug shows where)' : ''}\n`);
  if (io.json) io.stdout(`${JSON.stringify({ error: { verb, code, message } })}\n`);
  if (io.debug && e instanceof Error) {
    io.stderr(`${e.stack ?? e.message}\n`);
    if (e.cause !== undefined) io.stderr(`cause: ${e.cause instanceof Error ? (e.cause.stack ?? e.cause.message) : String(e.cause)}\n`);
  }
}

/** Any error as the one line the user sees, with its code; exit 2. */
export function reportCodedError(io: CliIO, verb: string, e: unknown): number {
  writeError(io, verb, errorCode(e), e instanceof BootsimError ? e.message : oneLine(e), e);
  return EXIT.bad;
}

/** Argument misuse (unknown option, wrong number of operands): usage on stderr, exit 2. */
export function usageError(io: CliIO, verb: string, message: string, usage: string): number {
  io.stderr(`bootsim ${verb}: ${message}\nusage: ${usage}\n`);
  if (io.json) io.stdout(`${JSON.stringify({ error: { verb, code: 'USAGE', message } })}\n`);
  return EXIT.bad;
}

/** JSON.stringify for output: bigints (addresses, sizes) as hex strings, "0x…", as explain prints them. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x));
}
