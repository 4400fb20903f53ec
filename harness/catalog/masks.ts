// Reads harness/catalog/masks.yaml: the lines that change from boot to boot.
// A malformed masks file is a bug in the repo, so it throws (with file:line).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument, isSeq, isMap } from 'yaml';
import { BootsimError } from '../../sim/base/errors.ts';
import { displayPath, repoRoot } from '../../sim/base/paths.ts';

export type MaskFileCode = 'MASKS_INVALID';
export class MaskFileError extends BootsimError<MaskFileCode> {}

export interface Mask {
  readonly id: string;
  readonly match: RegExp;
  readonly reason: string;
}

// from the repo root, so the built CLI in dist/ reads the same file as the sources
export const masksFile = path.join(repoRoot, 'harness', 'catalog', 'masks.yaml');

function lineOf(src: string, offset: number | undefined): number | undefined {
  if (offset === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < offset && i < src.length; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses a masks file's text; `file` is only for messages. */
export function parseMasks(src: string, file: string): readonly Mask[] {
  const doc = parseDocument(src);
  const fail = (message: string, offset?: number): never => {
    throw new MaskFileError('MASKS_INVALID', message, { pos: { file, line: lineOf(src, offset) } });
  };
  if (doc.errors.length > 0) fail(`not valid YAML: ${doc.errors[0]!.message}`, doc.errors[0]!.pos[0]);
  if (!isSeq(doc.contents)) fail('expected a list of masks');
  const seen = new Set<string>();
  const out: Mask[] = [];
  for (const item of (doc.contents as { items: unknown[] }).items) {
    const offset = (item as { range?: [number] }).range?.[0];
    if (!isMap(item)) fail('expected a mapping with id, match and reason', offset);
    const obj = (item as { toJSON(): unknown }).toJSON() as Record<string, unknown>;
    for (const k of ['id', 'match', 'reason'] as const) {
      if (typeof obj[k] !== 'string' || (obj[k] as string).trim() === '') fail(`${k}: expected a non-empty string, got ${JSON.stringify(obj[k])}`, offset);
    }
    const id = obj.id as string;
    if (seen.has(id)) fail(`id: expected a unique id, got "${id}" twice`, offset);
    seen.add(id);
    let match: RegExp;
    try {
      match = new RegExp(obj.match as string);
    } catch (e) {
      return fail(`match: expected a JavaScript regex, got ${JSON.stringify(obj.match)} (${(e as Error).message})`, offset);
    }
    out.push({ id, match, reason: (obj.reason as string).trim() });
  }
  return out;
}

let cached: readonly Mask[] | undefined;

/** The repo's masks, read once. */
export function masks(): readonly Mask[] {
  cached ??= parseMasks(readFileSync(masksFile, 'utf8'), displayPath(masksFile));
  return cached;
}

/** The first mask that matches a normalised line, if any. */
export function maskFor(text: string, list: readonly Mask[] = masks()): Mask | undefined {
  return list.find((m) => m.match.test(text));
}
