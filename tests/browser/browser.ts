// Headless Chromium for the browser suite: Debian's package, never a downloaded build.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoRoot } from '../../sim/base/paths.ts';

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go: out/browser/ (gitignored; CI keeps it as an artifact). */
export const shotsDir = path.join(repoRoot, 'out', 'browser');

export async function launch(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`expected Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH), found nothing`);
  mkdirSync(shotsDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}

export function shot(name: string): string {
  return path.join(shotsDir, `${name}.png`);
}
