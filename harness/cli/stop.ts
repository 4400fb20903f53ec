// Stopping a long run (capture, evidence) on SIGINT, SIGTERM or SIGHUP: the first signal aborts
// the run's AbortSignal (which kills QEMU's process group) and says so once; the exit status is
// the one a shell reports for that signal.

/** The signals a capture stops on, with the exit status each gives (128 + the signal number, as a shell reports it). */
export const STOP_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const satisfies Partial<Record<NodeJS.Signals, number>>;
export type StopSignal = keyof typeof STOP_SIGNALS;

export interface StopOnSignals {
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  stoppedBy(): StopSignal | undefined;
  /** Removes the handlers. */
  dispose(): void;
}

/** Installs the handlers; `say` gets one line, e.g. "stopped by SIGTERM: stopping QEMU; <what stays>". */
export function stopOnSignals(say: (line: string) => void, whatStays: string): StopOnSignals {
  const stop = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const handlers = (Object.keys(STOP_SIGNALS) as StopSignal[]).map((sig) => {
    const h = (): void => {
      if (stoppedBy === undefined) say(`${sig === 'SIGINT' ? 'interrupted' : `stopped by ${sig}`}: stopping QEMU; ${whatStays}`);
      stoppedBy ??= sig;
      stop.abort();
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    signal: stop.signal,
    stoppedBy: () => stoppedBy,
    dispose: () => { for (const [sig, h] of handlers) process.off(sig, h); },
  };
}
