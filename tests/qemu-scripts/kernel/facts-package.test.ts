// Re-derives each build's facts from its package, where the package is on this machine, and
// expects exactly the committed facts: block. Skips a build whose package is absent, so the
// hermetic suite passes on a fresh machine.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../../../harness/paths.ts';
import { kernelIds, loadKernel } from '../../../harness/kernels.ts';
import { extractFacts } from '../../../qemu-scripts/kernel/facts.ts';

/**
 * Where an extracted package sits: the fetch cache's <cache>/extract/<sha256>/, else
 * $BOOTSIM_FACTS_ROOT/<package>/ (a folder of packages extracted by name).
 */
function packageRoot(pkg: string, sha256: string): string | undefined {
  const cached = path.join(cacheDir(), 'extract', sha256);
  if (existsSync(cached)) return cached;
  const root = process.env.BOOTSIM_FACTS_ROOT;
  if (root && existsSync(path.join(root, pkg))) return path.join(root, pkg);
  return undefined;
}

describe('kernel facts from the package', () => {
  for (const id of kernelIds()) {
    const k = loadKernel(id);
    const imageRoot = packageRoot(k.package, k.sha256);
    const configRoot = packageRoot(k.config.package, k.config.sha256);
    const present = imageRoot !== undefined && configRoot !== undefined && existsSync(path.join(imageRoot, k.image)) && existsSync(path.join(configRoot, k.config.path));
    it.skipIf(!present)(`facts_rederive_${id}: expect the committed facts of goldens/kernels/${id}.yaml`, async () => {
      expect(k.facts, `goldens/kernels/${id}.yaml has no facts; run \`npx bootsim kernel facts ${id}\``).toBeDefined();
      expect(await extractFacts(k, imageRoot!, configRoot!)).toEqual(k.facts);
    }, 60_000);
  }
});
