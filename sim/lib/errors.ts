// The simulator's error family (shared/STYLE.md §5): one class, a closed code union, and a message
// that says where, what was expected and what came.

export type SimErrorCode =
  /** The profile asks for something the simulator does not model; the message names the limit. */
  | 'SIM_NOT_MODELLED'
  /** The real machine would refuse to start (QEMU exits before the guest runs). */
  | 'SIM_QEMU_REFUSES'
  /** The kernel command line is malformed in a way the kernel itself rejects or panics on. */
  | 'SIM_BAD_CMDLINE';

export class SimError extends Error {
  readonly code: SimErrorCode;
  /** The stage or firmware unit that raised it, e.g. 'firmware/qemu-7.2', 'e820'. */
  readonly where: string;
  constructor(code: SimErrorCode, where: string, message: string, options: { cause?: unknown } = {}) {
    super(`${where}: ${message}`, { cause: options.cause });
    this.name = 'SimError';
    this.code = code;
    this.where = where;
  }
}
