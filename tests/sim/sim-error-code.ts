// Test helper: the code of the SimError a call throws, 'not a SimError' for any other throw, and
// undefined when it returns.
import { SimError } from '../../sim/lib/errors.ts';

export function simErrorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof SimError ? e.code : 'not a SimError';
  }
  return undefined;
}
