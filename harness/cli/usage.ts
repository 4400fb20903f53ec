import { BootsimError } from '../../sim/base/errors.ts';

/** Misuse of the command line: exit 2 with the message and the verb's usage. */
export class UsageError extends BootsimError<'USAGE'> {
  constructor(message: string) {
    super('USAGE', message);
  }
}
