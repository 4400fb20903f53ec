// The serial-integrity check of a capture (qemu-scripts/capture.ts takes it as its damage option):
// it needs the golden normaliser and the catalog, which sit above the capture, so it lives here.
import type { KernelEntry } from '../sim/kernel-facts.ts';
import { GoldenError, normaliseLog } from './normalise.ts';
import { kernelKeyOfId, requireIntactGolden } from './catalog/index.ts';

/**
 * Why a captured log cannot be trusted, or undefined when it is intact: lines merged or cut inside
 * the memory-init window, or catalog lines that lost characters (harness/catalog suspectLines).
 */
export function serialDamage(serial: Buffer, name: string, kernel: KernelEntry, cmdline?: string): string | undefined {
  try {
    const log = normaliseLog(serial, name);
    requireIntactGolden(log, kernelKeyOfId(kernel.id));
    // init/main.c start_kernel() echoes the command line: a line whose text is known in full.
    const echo = log.lines.find((l) => l.text.startsWith('Kernel command line: '));
    if (cmdline !== undefined && echo && echo.text !== `Kernel command line: ${cmdline}`) {
      return `${name}:${echo.lineNo}: expected the echoed "Kernel command line: ${cmdline}", got ${JSON.stringify(echo.text)}`;
    }
    return undefined;
  } catch (e) {
    if (e instanceof GoldenError) return e.message;
    throw e;
  }
}
