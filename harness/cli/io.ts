// What a CLI verb may touch besides the file system: its output streams and environment.
// Verbs take a CliIO so that tests run them in-process and read what they printed.
import { BootsimError } from '../errors.ts';

export interface CliIO {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal; colour is used only then (and never under NO_COLOR). */
  readonly isTTY: boolean;
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

/** A coded error (any BootsimError) as the one line the user sees, with its code; exit 2. Other errors are bugs and propagate. */
export function reportCodedError(io: CliIO, verb: string, e: unknown): number {
  if (e instanceof BootsimError) {
    io.stderr(`bootsim ${verb}: ${e.code}: ${e.message}\n`);
    return EXIT.bad;
  }
  throw e;
}

/** Argument misuse (unknown option, wrong number of operands): usage on stderr, exit 2. */
export function usageError(io: CliIO, verb: string, message: string, usage: string): number {
  io.stderr(`bootsim ${verb}: ${message}\nusage: ${usage}\n`);
  return EXIT.bad;
}
