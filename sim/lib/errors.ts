// The simulator's error family (shared/STYLE.md §5): one class, a closed code union, and a message
// that says where, what was expected and what came.
import { BootsimError, type SourcePos } from '../base/errors.ts';

export type SimErrorCode =
  /** The profile asks for something the simulator does not model; the message names the limit. */
  | 'SIM_NOT_MODELLED'
  /** The real machine would refuse to start (QEMU exits before the guest runs). */
  | 'SIM_QEMU_REFUSES'
  /** The kernel command line is malformed in a way the kernel itself rejects or panics on. */
  | 'SIM_BAD_CMDLINE';

/** A BootsimError, so every verb reports it as a coded error (exit 2), never as a crash. */
export class SimError extends BootsimError<SimErrorCode> {
  /** The stage or firmware unit that raised it, e.g. 'firmware/qemu-7.2', 'e820'. */
  readonly where: string;
  /** `pos`: where in the profile the limit's field sits, when the loader raised it (sim/envelope.ts). */
  constructor(code: SimErrorCode, where: string, message: string, options: { cause?: unknown; pos?: SourcePos | undefined } = {}) {
    super(code, `${where}: ${message}`, { cause: options.cause, ...(options.pos ? { pos: options.pos } : {}) });
    this.name = 'SimError';
    this.where = where;
  }
}
